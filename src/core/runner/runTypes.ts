/**
 * What the agent runner (`agentRunner.ts`) takes and gives: a file's run request, each agent's outcome, and the
 * pool's options.
 */
import type { TeamConfig } from '../config/schema';
import type { ErrorKind } from '../run/execution';
import type { Finding } from '../model';
import type { ProjectContext } from '../files/projectContext';
import type { RunnerEntry } from './runnerThread';

/**
 * How an agent failed on a file: it threw, outlived its timeout, or its worker died under it; or the file was too
 * much for the parser (`unparseable`) or for the agent's stack (`too-deep`), which is the file's fault (`ErrorKind`).
 */
export type AgentFailureKind = ErrorKind | 'timeout' | 'crashed';

/** What one agent gave on one file. `durationMs` is its run time (up to the timeout for `timeout`). */
export type AgentOutcome =
  | { readonly agent: string; readonly durationMs: number; readonly findings: Finding[]; readonly parseFailure?: string }
  | { readonly agent: string; readonly durationMs: number; readonly error: string; readonly kind: AgentFailureKind };

/** One file to run agents on. */
export interface RunRequest {
  readonly path: string;
  readonly text: string;
  readonly project?: ProjectContext;
  /** Ids of the agents to run, in order; those that do not apply to the file's language are left out of the result. */
  readonly agents: readonly string[];
  /** The team is built from this in each worker (the config's `team` part is what counts). */
  readonly config: TeamConfig;
  /** Longest run per agent id; agents not named get the runner's `defaultTimeoutMs`. 0 or Infinity = no limit. */
  readonly timeoutMsByAgent?: Readonly<Record<string, number>>;
  /** The text of a document being edited: the worker keeps its tree to parse the next version incrementally. */
  readonly edited?: boolean;
}

/** How to build an `AgentRunner`; everything is optional. */
export interface AgentRunnerOptions {
  /**
   * Worker threads at most (started lazily, and only as many as files are in flight: the coordinator's concurrency
   * bounds them too). Default: one per CPU but one left to the calling thread, which reads and hashes; at most 8.
   */
  readonly size?: number;
  /** Default: `defaultRunnerEntry()`. */
  readonly entry?: RunnerEntry;
  /**
   * Where workers keep the parser's V8 code cache (`codeCache.ts`), so the next ones start without compiling it;
   * `false` for none. Default: `defaultCodeCacheDir()`: `$MAINTENANCE_TEAM_CODE_CACHE` (`off`: none), else a
   * folder per user under the temporary folder.
   */
  readonly codeCacheDir?: string | false;
  /** Told when the code cache's folder is refused (not this user's private folder): the run goes on without it. */
  readonly warn?: (message: string) => void;
  /** Timeout of agents `timeoutMsByAgent` does not name. Default: 30 s, the config schema's default. */
  readonly defaultTimeoutMs?: number;
  /** The workers' environment (test agents are enabled through it). Default: this process's. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}
