import { spawnSync } from 'node:child_process';

/** Where the Debian packages put the Prometheus tools (`prometheus`, `prometheus-pushgateway`). */
const TOOL_DIRS = (process.env.PATH ?? '').split(':').filter(Boolean);

/** The absolute path of `name` on the PATH, or undefined. */
export function findTool(name: string): string | undefined {
  for (const dir of TOOL_DIRS) {
    const candidate = `${dir}/${name}`;
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    if (probe.error === undefined && probe.status === 0) return candidate;
  }
  return undefined;
}

/** Why a test needing `tool` from Debian package `pkg` cannot run, or undefined when it can. */
export function missingTool(tool: string, pkg: string): string | undefined {
  return findTool(tool) === undefined
    ? `${tool} not installed: it is not on the PATH (Debian package ${pkg}; npm test's preflight installs it when run as root)`
    : undefined;
}

/** Runs `promtool` with `args`, `input` on stdin; its exit status and output. */
export function promtool(args: readonly string[], input?: string): { status: number | null; output: string } {
  const run = spawnSync('promtool', args, { input, encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}` };
}
