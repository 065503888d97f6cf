/** The tool's version, injected by esbuild from package.json (falls back for unbundled tests). */
declare const __TOOL_VERSION__: string | undefined;

/** Version reported as `tool.version` and used in cache keys. */
export const TOOL_VERSION: string = typeof __TOOL_VERSION__ === 'string' ? __TOOL_VERSION__ : '0.0.0-dev';

/** Name reported as `tool.name`. */
export const TOOL_NAME = 'maintenance-team';

/** The repository's URL, injected by esbuild from package.json's `repository.url` (see `REPOSITORY_URL`). */
declare const __REPOSITORY_URL__: string | undefined;

/**
 * Where the project lives (package.json `repository.url`): the rule pages' links point there. Unbundled (tests),
 * the same URL written here; test/unit/rulePages.test.ts checks that both agree.
 */
export const REPOSITORY_URL: string = typeof __REPOSITORY_URL__ === 'string'
  ? __REPOSITORY_URL__
  : 'https://github.com/maintenance-team/maintenance-team';
