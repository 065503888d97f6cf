/**
 * Messages between the agent runner (main side, `agentRunner.ts`) and its worker threads (`runnerWorker.ts`).
 * Everything here crosses a thread by structured clone: plain data only, no functions, no class instances.
 */
import type { TeamConfig } from '../config/schema';
import type { Finding } from '../model';
import type { ErrorKind } from '../run/execution';
import type { ProjectContext } from '../files/projectContext';

/** What a runner worker is started with (`workerData`). */
export interface RunnerWorkerData {
  /**
   * `RUNS_IN_FLIGHT` Int32 slots shared with the main side: slot `runId % RUNS_IN_FLIGHT` holds `runId` once the
   * main side has given up on that run (aborted). The worker reads it between agents, so it stops at the next agent
   * boundary without having to reach its event loop (a synchronous agent never lets it get there).
   */
  readonly cancelBuffer: SharedArrayBuffer;
  /** `PROGRESS_BYTES` shared with the main side: which agent the worker is running (see `Progress`). */
  readonly progressBuffer: SharedArrayBuffer;
  /** Where the parser's code cache is kept (`codeCache.ts`); none when absent. */
  readonly codeCacheDir?: string;
}

/** Size of a worker's progress buffer: a sequence word, run id and agent index (Int32), the start time at 16 (Float64). */
export const PROGRESS_BYTES = 24;

/** Which agent a worker is on, as the main side reads it: to time it out, or to blame it when the worker dies. */
export interface ProgressReading {
  readonly runId: number;
  /** Index in the run's `agents`, or -1 between agents. */
  readonly index: number;
  /** When it started, in ms since the epoch (`performance.timeOrigin + performance.now()`, comparable across threads). */
  readonly startedAt: number;
}

/**
 * The worker's progress, in shared memory instead of a message per agent: on a machine with few cores a message
 * wakes the other thread, which can cost the sender 0.1 ms, as much as an agent's work on a small file. A seqlock:
 * the writer makes the sequence odd, writes, makes it even; a reader retries until it reads one even sequence.
 */
export class Progress {
  private readonly words: Int32Array;
  private readonly time: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer, 0, 3);
    this.time = new Float64Array(buffer, 16, 1);
  }

  /** Worker side: `runId` is now on agent `index` (-1: between agents), since now. */
  write(runId: number, index: number): void {
    Atomics.add(this.words, 0, 1);
    this.words[1] = runId;
    this.words[2] = index;
    this.time[0] = performance.timeOrigin + performance.now();
    Atomics.add(this.words, 0, 1);
  }

  /**
   * Main side: what the worker last wrote (run id 0 before its first agent). A write takes nanoseconds; one never
   * finished (the worker was stopped in the middle) reads as "between agents" rather than spinning forever.
   */
  read(): ProgressReading {
    for (let attempt = 0; attempt < 10_000; attempt++) {
      const before = Atomics.load(this.words, 0);
      if (before % 2 !== 0) continue;
      const reading = { runId: this.words[1], index: this.words[2], startedAt: this.time[0] };
      if (Atomics.load(this.words, 0) === before) return reading;
    }
    return { runId: this.words[1], index: -1, startedAt: this.time[0] };
  }
}

/**
 * Runs a worker is sent at most before it is done with the first: the one it works on and the next, waiting in its
 * message queue, so it never sits idle while the main side is busy or descheduled. Run ids of a worker are
 * consecutive, so runs in flight never share a cancel slot.
 */
export const RUNS_IN_FLIGHT = 2;

/** Main → worker: audit one text with these agents, one at a time, in this order, after the runs sent before. */
export interface RunMessage {
  readonly type: 'run';
  /** Consecutive per worker, from 1 (a re-dispatch after a timeout gets a new one, on another worker). */
  readonly runId: number;
  readonly path: string;
  readonly text: string;
  readonly project?: ProjectContext;
  /** Agent ids; those that do not apply to the file's language are skipped without a message. */
  readonly agents: readonly string[];
  /** The team to run them from: built in the worker (functions cannot cross threads), once per key. */
  readonly team: TeamRef;
  /** A document being edited: its tree is kept, so its next version is parsed incrementally (`EditedTrees`). */
  readonly edited?: boolean;
}

/**
 * A team by key (`JSON.stringify(config.team)`), with its config the first time a worker needs it. Both sides
 * keep the last `TEAMS_KEPT` keys sent, forgetting the oldest first, so the main side knows what the worker holds.
 */
export interface TeamRef {
  readonly key: string;
  readonly config?: TeamConfig;
}

/**
 * Teams a worker keeps: one per configuration a file can get (per workspace folder and config version, the base,
 * the test files' and one per set of overrides that match some file together).
 */
export const TEAMS_KEPT = 32;

/** Main → worker: the main side gave up on this run; stop after the running agent, abort its signal. */
export interface CancelMessage {
  readonly type: 'cancel';
  readonly runId: number;
}

export type MainToRunner = RunMessage | CancelMessage;

/** Worker → main, once: modules loaded, listening. A worker that dies before this failed to start. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** What one agent gave on one file, as the worker measured it. */
export type RunOutcome = {
  readonly agent: string;
  readonly durationMs: number;
} & (
  // `parseFailure`: the parser failed on the file, the findings are the text-level ones (see execution.ts).
  | { readonly findings: Finding[]; readonly parseFailure?: string }
  // `kind`: how the error counts (`failureOf`); absent = `threw`.
  | { readonly error: string; readonly kind?: ErrorKind }
);

/**
 * Worker → main: the run is over (every agent ran, or it was cancelled); the worker is free. One message per file
 * with every agent's outcome, in order (agents that do not apply are left out); which agent is running meanwhile
 * is in shared memory (`Progress`).
 */
export interface RunDoneMessage {
  readonly type: 'runDone';
  readonly runId: number;
  readonly outcomes: readonly RunOutcome[];
}

export type RunnerToMain = ReadyMessage | RunDoneMessage;
