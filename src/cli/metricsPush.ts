import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pushUrl, pushUrlProblem, putMetrics, type GroupingLabels } from '../core/metrics/pushgateway';

/** The environment variable a CI sets instead of `--metrics-push`. */
export const METRICS_PUSH_ENV = 'MAINTENANCE_TEAM_METRICS_PUSH';

type Env = Readonly<Record<string, string | undefined>>;

const firstSet = (env: Env, names: readonly string[]): string | undefined =>
  names.map((name) => env[name]).find((value) => value !== undefined && value !== '');

/** The project: the `name` of package.json at the audit root, else the root folder's name. */
async function projectName(root: string): Promise<string> {
  try {
    const text = await readFile(join(root, 'package.json'), 'utf8');
    const name: unknown = (JSON.parse(text.slice(0, 1_000_000)) as { name?: unknown }).name;
    if (typeof name === 'string' && name.trim() !== '') return name.trim().slice(0, 200);
  } catch {
    // No readable manifest: the folder's name says which project it is.
  }
  return basename(root);
}

/** The branch of the checkout at `root` (a detached HEAD has none), or undefined; never waits more than 2 s. */
function gitBranch(root: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: root, timeout: 2_000 }, (error, stdout) => {
      const branch = error ? '' : stdout.trim();
      resolve(branch === '' || branch === 'HEAD' ? undefined : branch);
    });
  });
}

/** The grouping labels of a run at `root`: project, branch (CI variables, else git), CI job (CI variables). */
export async function groupingLabels(root: string, env: Env): Promise<GroupingLabels> {
  const branch = firstSet(env, ['GITHUB_REF_NAME', 'CI_COMMIT_REF_NAME']) ?? await gitBranch(root);
  const job = firstSet(env, ['GITHUB_JOB', 'CI_JOB_NAME']);
  return {
    project: await projectName(root),
    ...(branch !== undefined ? { branch } : {}),
    ...(job !== undefined ? { ci_job: job } : {}),
  };
}

/** What a push needs from the CLI. */
export interface MetricsPushRequest {
  /** `--metrics-push`, else the environment's `MAINTENANCE_TEAM_METRICS_PUSH`; nothing is pushed without either. */
  readonly flag: string | undefined;
  readonly env: Env;
  readonly root: string;
  /** The run's metrics in the Prometheus text format. */
  readonly body: () => string;
  /** Where the one warning line goes when the push fails. */
  readonly warn: (line: string) => void;
  readonly timeoutMs?: number;
}

/**
 * Pushes the run's metrics when the user asked for it. Monitoring never fails an audit: any failure (bad URL in
 * the environment, refused connection, timeout, HTTP error) is one warning line, and the exit code is the audit's.
 */
export async function pushRunMetrics(request: MetricsPushRequest): Promise<void> {
  const base = request.flag ?? firstSet(request.env, [METRICS_PUSH_ENV]);
  if (base === undefined) return;
  const problem = pushUrlProblem(base);
  if (problem !== undefined) {
    request.warn(`metrics not pushed: ${METRICS_PUSH_ENV}: ${problem}`);
    return;
  }
  const url = pushUrl(base, await groupingLabels(request.root, request.env));
  try {
    await putMetrics(url, request.body(), request.timeoutMs);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    request.warn(`metrics not pushed to ${base}: ${reason.split('\n')[0]}`);
  }
}
