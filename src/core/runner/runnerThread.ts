/**
 * One worker thread of the agent runner's pool: starting it, talking to it (`protocol.ts`), stopping it.
 * What runs on it and when is the pool's business (`agentRunner.ts`).
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TeamConfig } from '../config/schema';
import type { ProjectContext } from '../files/projectContext';
import {
  Progress, PROGRESS_BYTES, RUNS_IN_FLIGHT, TEAMS_KEPT, type MainToRunner, type ProgressReading, type RunnerToMain,
  type RunnerWorkerData, type TeamRef,
} from './protocol';

/** The worker entry: a script path or URL, and the Node options it needs (`--require tsx/cjs` for a .ts entry). */
export interface RunnerEntry {
  readonly file: string | URL;
  readonly execArgv?: readonly string[];
}

/**
 * Where the runner worker is: beside the running bundle (dist/runner.js next to dist/cli.js, extension.js or
 * worker.js), or, when this module runs from its TypeScript source (tests), the .ts entry loaded through tsx.
 */
export function defaultRunnerEntry(): RunnerEntry {
  return __filename.endsWith('.ts')
    // tsx's CommonJS hook: on Node 20 its `--import tsx` (ESM loader) does not reach a worker's entry.
    // The entry is the composition root's (src/agents/runnerMain.ts): named by path, never imported from here.
    ? { file: join(__dirname, '../../agents/runnerMain.ts'), execArgv: ['--require', 'tsx/cjs'] }
    : { file: join(__dirname, 'runner.js') };
}

/** A run sent to a worker, for the pool's job `job`. */
export interface SentRun<J> {
  readonly job: J;
  readonly runId: number;
  /** The agents it was sent with: a progress reading's agent index points into this list. */
  readonly agents: readonly string[];
}

/** One file for a worker. */
export interface FileRun {
  readonly path: string;
  readonly text: string;
  readonly project?: ProjectContext;
  readonly agents: readonly string[];
  readonly config: TeamConfig;
  readonly edited?: boolean;
}

/** What the pool hears from its threads. */
export interface ThreadEvents<J> {
  message(thread: RunnerThread<J>, message: RunnerToMain): void;
  /** The worker is gone, asked to (`retired`) or not. */
  exit(thread: RunnerThread<J>, code: number): void;
}

/** `JSON.stringify(config.team)`, computed once per config object. */
const teamKeys = new WeakMap<TeamConfig, string>();

/** A worker thread and what the pool knows of it; `J` is the pool's job type. */
export class RunnerThread<J> {
  /** Resolves when the worker has exited, whatever the reason. */
  readonly exited: Promise<void>;
  /** Its modules are loaded: a worker that dies before this failed to start. */
  ready = false;
  /** Terminated by the pool (timeout, dispose): its exit is expected and its messages no longer count. */
  retired = false;
  /** The last uncaught error of the thread, for the crash message. */
  lastError: string | undefined;
  /** Runs sent and not done, oldest first: the worker is on the first; at most `RUNS_IN_FLIGHT`. */
  readonly runs: Array<SentRun<J>> = [];
  /** The pool's timer that checks the running agent against its timeout (see `AgentRunner`). */
  watchdog: NodeJS.Timeout | undefined;
  private readonly worker: Worker;
  private readonly cancelled: Int32Array;
  private readonly shared: Progress;
  private lastRunId = 0;
  /** Keys of the teams the worker holds, oldest first: it forgets them in the same order (see `TeamRef`). */
  private readonly teams: string[] = [];

  constructor(
    entry: RunnerEntry, env: Readonly<Record<string, string | undefined>>, events: ThreadEvents<J>, codeCacheDir?: string,
  ) {
    const data: RunnerWorkerData = {
      cancelBuffer: new SharedArrayBuffer(RUNS_IN_FLIGHT * Int32Array.BYTES_PER_ELEMENT),
      progressBuffer: new SharedArrayBuffer(PROGRESS_BYTES),
      ...(codeCacheDir ? { codeCacheDir } : {}),
    };
    this.cancelled = new Int32Array(data.cancelBuffer);
    this.shared = new Progress(data.progressBuffer);
    this.worker = new Worker(entry.file, {
      workerData: data, execArgv: entry.execArgv ? [...entry.execArgv] : undefined, env,
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.unref();
    this.worker.on('message', (message: RunnerToMain) => events.message(this, message));
    this.worker.on('error', (error) => { this.lastError = error.message; });
    this.worker.once('exit', (code) => events.exit(this, code));
  }

  /** Whether it can take another run now. */
  get hasRoom(): boolean {
    return this.runs.length < RUNS_IN_FLIGHT;
  }

  /** Sends a file; the worker keeps the process alive until it has done every file sent. */
  start(job: J, run: FileRun): void {
    const runId = ++this.lastRunId;
    this.runs.push({ job, runId, agents: run.agents });
    this.worker.ref();
    const { path, text, project, agents, config, edited } = run;
    this.send({ type: 'run', runId, path, text, project, agents, team: this.teamRef(config), ...(edited ? { edited } : {}) });
  }

  /** The first run is done; once none is left, the worker no longer keeps the process alive. */
  finishRun(): SentRun<J> | undefined {
    const done = this.runs.shift();
    if (this.runs.length === 0) this.worker.unref();
    return done;
  }

  /**
   * The agent of the first run the worker is on, with when it started (epoch ms); `undefined` when it is between
   * agents or has not started that run yet.
   */
  runningAgent(): { readonly run: SentRun<J>; readonly index: number; readonly startedAt: number } | undefined {
    const run = this.runs[0];
    const reading: ProgressReading = this.shared.read();
    if (!run || reading.runId !== run.runId || reading.index < 0) return undefined;
    return { run, index: reading.index, startedAt: reading.startedAt };
  }

  /** Asks the worker to stop `job`'s run before its next agent (and to abort the running agent's signal). */
  cancel(job: J): void {
    const run = this.runs.find((r) => r.job === job);
    if (!run) return;
    Atomics.store(this.cancelled, run.runId % RUNS_IN_FLIGHT, run.runId);
    this.send({ type: 'cancel', runId: run.runId });
  }

  /** Terminates the worker at once, whatever it is doing. */
  retire(): void {
    this.retired = true;
    clearTimeout(this.watchdog);
    void this.worker.terminate();
  }

  private send(message: MainToRunner): void {
    this.worker.postMessage(message);
  }

  /** The team for `config`, with the config itself only if this worker has not been sent it yet. */
  private teamRef(config: TeamConfig): TeamRef {
    let key = teamKeys.get(config);
    if (key === undefined) {
      key = JSON.stringify(config.team);
      teamKeys.set(config, key);
    }
    if (this.teams.includes(key)) return { key };
    if (this.teams.length >= TEAMS_KEPT) this.teams.shift();
    this.teams.push(key);
    return { key, config };
  }
}
