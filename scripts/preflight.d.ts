// Types of scripts/preflight.js, for its unit test (test/unit/preflight.test.ts); the script itself stays plain
// JavaScript so `npm test` runs it before anything is compiled.

/** Answers about this machine; test-all.js looks at the real one, tests describe any machine. */
export interface Probe {
  hasCommand(name: string): boolean;
  hasFile(path: string): boolean;
}

/** A package the machine lacks, and what it is for. */
export interface Missing {
  pkg: string;
  why: string;
  /** Some tests skip without it; nothing fails. */
  optional: boolean;
}

/** What npm test does before the tests. */
export interface Plan {
  /** Debian packages to install now with apt-get. */
  install: string[];
  installCodeServer: boolean;
  /** Set: stop at once and print this (it ends with the command to run). */
  error: string | null;
  /** Said before the tests (what will be skipped, and the command that would avoid it). */
  notes: string[];
}

/** The facts the plan is made from. */
export interface Facts {
  dependencies: boolean;
  missing: Missing[];
  root: boolean;
  apt: boolean;
  codeServerInstalled: boolean;
  codeServerCommand: string;
  /** apt-get install has run already: what is still missing is an error, not something to install. */
  aptTried?: boolean;
  /** This Node (`process.version`), and the major the test host's code-server runs on: another one is an error. */
  nodeVersion?: string;
  hostNodeMajor?: number;
}

export declare const REQUIREMENTS: readonly { pkg: string; when: 'always' | 'build' | 'optional'; why: string }[];
export declare function findMissing(probe: Probe, options: { chromiumPath: string; codeServerInstalled: boolean }): Missing[];
export declare function aptCommand(packages: string[], options: { root: boolean }): string;
export declare function installBatches(packages: readonly string[]): string[][];
export declare function planPreflight(facts: Facts): Plan;
