/** The tool's version, injected by esbuild from package.json (falls back for unbundled tests). */
declare const __TOOL_VERSION__: string | undefined;

/** Version reported as `tool.version` and used in cache keys. */
export const TOOL_VERSION: string = typeof __TOOL_VERSION__ === 'string' ? __TOOL_VERSION__ : '0.0.0-dev';

/** Name reported as `tool.name`. */
export const TOOL_NAME = 'maintenance-team';
