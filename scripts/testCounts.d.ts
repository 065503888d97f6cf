// Types of scripts/testCounts.js, for its unit test (test/unit/preflight.test.ts).

/** A node:test tier's counts; a suite skipped as a whole counts as one skipped test. */
export interface TapCounts {
  passed: number;
  failed: number;
  skipped: number;
  /** Each distinct `name: reason` of a skipped test or suite. */
  skipReasons: string[];
}

export declare function countTap(tap: string): TapCounts | null;
