// Types of scripts/tierTmp.js, for its unit test (test/unit/preflight.test.ts).

/** Names of tool caches under the temp folder that a tier's private TMPDIR links to rather than holds. */
export declare const SHARED_TMP_CACHES: readonly string[];
export declare function privateTmp(parent: string, name: string): string;
export declare function removeTmp(dir: string): string[];
