/**
 * Messages between the agent runner (main side, `agentRunner.ts`) and its worker threads (`runnerWorker.ts`).
 * Everything here crosses a thread by structured clone: plain data only, no functions, no class instances.
 */
import type { TeamConfig } from '../config/schema';
import type { Finding } from '../model';
import type { ProjectContext } from '../projectContext';

/** What a runner worker is started with (`workerData`). */
export interface RunnerWorkerData {
  /**
   * `RUNS_IN_FLIGHT` Int32 slots shared with the main side: slot `runId % RUNS_IN_FLIGHT` holds `runId` once the
   * main side has given up on that run (aborted). The worker reads it between agents, so it stops at the next agent
   * boundary without having to reach its event loop (a synchronous agent never lets it get there).
   */
  readonly cancelBuffer: SharedArrayBuffer;
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
}

/**
 * A team by key (`JSON.stringify(config.team)`), with its config the first time a worker needs it. Both sides
 * keep the last `TEAMS_KEPT` keys sent, forgetting the oldest first, so the main side knows what the worker holds.
 */
export interface TeamRef {
  readonly key: string;
  readonly config?: TeamConfig;
}

/** Teams a worker keeps (one per workspace folder and config version, usually). */
export const TEAMS_KEPT = 8;

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

/**
 * Worker → main: the first agent of a run starts now (the main side arms its timeout). The agents after it are
 * announced by the `next` of their predecessor's `agentFinished`: half the messages of one per agent.
 */
export interface AgentStartedMessage {
  readonly type: 'agentStarted';
  readonly runId: number;
  readonly agent: string;
}

/**
 * Worker → main: this agent returned findings or threw. `durationMs` is measured in the worker. `next` is the
 * agent that starts right after it (as an `agentStarted` would say); `done` says the run is over (as `runDone`).
 */
export type AgentFinishedMessage = {
  readonly type: 'agentFinished';
  readonly runId: number;
  readonly agent: string;
  readonly durationMs: number;
  readonly next?: string;
  readonly done?: true;
} & ({ readonly findings: Finding[] } | { readonly error: string });

/**
 * Worker → main: the run is over (every agent ran, or it was cancelled); the worker is free. Not sent when the
 * last `agentFinished` said `done`.
 */
export interface RunDoneMessage {
  readonly type: 'runDone';
  readonly runId: number;
}

export type RunnerToMain = ReadyMessage | AgentStartedMessage | AgentFinishedMessage | RunDoneMessage;
