/**
 * Runs agents where they can be stopped (issue 6): a small pool of worker threads. An agent that outlives its
 * timeout has its worker terminated — a synchronous endless loop included, which no timer on its own thread could
 * interrupt — and counts as failed; a fresh worker takes the same file on with every other agent, so their
 * findings for that file are kept (the ones that had run are run again: a worker sends a file's outcomes at once).
 */
import { availableParallelism } from 'node:os';
import { appendAll, minOf } from '../arrays';
import { privateDir } from '../trust/privateDir';
import { defaultCodeCacheDir } from './codeCache';
import type { RunnerToMain, RunOutcome } from './protocol';
import type { AgentFailureKind, AgentOutcome, AgentRunnerOptions, RunRequest } from './runTypes';
import { defaultRunnerEntry, RunnerThread, type RunnerEntry, type SentRun, type ThreadEvents } from './runnerThread';

export type { AgentFailureKind, AgentOutcome, AgentRunnerOptions, RunRequest } from './runTypes';

const DEFAULT_TIMEOUT_MS = 30_000;
/** Workers at most by default: each holds a parser and its trees (~130 MB), so memory caps the pool before cores do. */
const MAX_DEFAULT_WORKERS = 8;

type Thread = RunnerThread<Job>;

/** One file in flight: dispatched, maybe re-dispatched after a timeout or crash, until every agent is accounted for. */
interface Job {
  readonly request: RunRequest;
  readonly signal: AbortSignal | undefined;
  /** The agents not accounted for yet, in `request.agents` order: what a (re-)dispatch sends. */
  remaining: readonly string[];
  readonly outcomes: AgentOutcome[];
  /** Set once the caller has its answer (result, abort or dispose); later events only free the worker. */
  settled: boolean;
  /** Sent again after a worker died with no agent running: a second time fails the file. */
  restarted?: boolean;
  readonly resolve: (outcomes: AgentOutcome[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * A pool of worker threads running agents on one file at a time per worker. Workers are reused from file to
 * file, unref'd while idle (a CLI exits when its work is done), and replaced only when one is terminated or dies.
 * A busy worker is sent its next file ahead (`RUNS_IN_FLIGHT`), so it never waits for this thread to answer.
 */
export class AgentRunner {
  private readonly size: number;
  private readonly entry: RunnerEntry;
  private readonly defaultTimeoutMs: number;
  private readonly env: Readonly<Record<string, string | undefined>> | undefined;
  private readonly codeCacheDir: string | undefined;
  /** The pool: threads not retired and not exited. */
  private readonly threads = new Set<Thread>();
  /** Every thread not exited yet, retiring ones included. */
  private readonly alive = new Set<Thread>();
  private readonly events: ThreadEvents<Job> = {
    message: (thread, message) => this.onMessage(thread, message),
    exit: (thread, code) => this.onExit(thread, code),
  };
  private readonly queue: Job[] = [];
  /** Unsettled jobs by signal: one abort listener per signal, however many files share it. */
  private readonly watched = new Map<AbortSignal, { readonly jobs: Set<Job>; readonly onAbort: () => void }>();
  private spawned = 0;
  private disposed = false;

  constructor(options: AgentRunnerOptions = {}) {
    this.size = Math.max(1, options.size ?? Math.min(MAX_DEFAULT_WORKERS, availableParallelism() - 1));
    this.entry = options.entry ?? defaultRunnerEntry();
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.env = options.env;
    this.codeCacheDir = checkedCodeCacheDir(options);
  }

  /** Worker threads started and not yet exited (terminated or retiring ones included). */
  get liveWorkers(): number {
    return this.alive.size;
  }

  /** Worker threads started so far: more than `size` means some were replaced after a timeout or crash. */
  get spawnedWorkers(): number {
    return this.spawned;
  }

  /**
   * Runs `request.agents` on one text and gives each agent's outcome, in agent order. Never rejects for an agent's
   * failure; rejects with `signal.reason` on abort (at once: the worker stops after its running agent, which
   * stays under its timeout), and with an error if the runner is disposed or a worker cannot start.
   */
  run(request: RunRequest, signal?: AbortSignal): Promise<AgentOutcome[]> {
    if (this.disposed) return Promise.reject(new Error('the agent runner is disposed'));
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const job: Job = { request, signal, remaining: request.agents, outcomes: [], settled: false, resolve, reject };
      if (signal) this.watch(signal, job);
      this.queue.push(job);
      this.pump();
    });
  }

  /** Terminates every worker and rejects the runs not finished; resolves once every worker has exited. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const error = new Error('the agent runner is disposed');
    for (const job of this.queue.splice(0)) this.settle(job, { error });
    for (const thread of this.alive) {
      for (const { job } of thread.runs) this.settle(job, { error });
      this.retire(thread);
    }
    await Promise.all([...this.alive].map((thread) => thread.exited));
  }

  /** Hands queued jobs to workers: idle ones first, then new ones up to `size`, then a second run to busy ones. */
  private pump(): void {
    while (this.queue.length > 0 && !this.disposed) {
      const threads = [...this.threads];
      const thread = threads.find((t) => t.runs.length === 0)
        ?? (threads.length < this.size ? this.spawn() : threads.find((t) => t.ready && t.hasRoom));
      if (!thread) return;
      const job = this.queue.shift()!;
      thread.start(job, { ...job.request, agents: job.remaining });
      if (!thread.watchdog) this.arm(thread);
    }
  }

  private spawn(): Thread {
    const thread = new RunnerThread(this.entry, this.env ?? process.env, this.events, this.codeCacheDir);
    this.threads.add(thread);
    this.alive.add(thread);
    this.spawned++;
    return thread;
  }

  private onMessage(thread: Thread, message: RunnerToMain): void {
    if (thread.retired) return;
    if (message.type === 'ready') {
      thread.ready = true;
      this.pump();
      return;
    }
    // The worker does its runs in order: every message is about the first run not done.
    const job = thread.runs[0]?.runId === message.runId ? thread.runs[0].job : undefined;
    if (job) this.onRunDone(thread, job, message.outcomes);
  }

  private onRunDone(thread: Thread, job: Job, outcomes: readonly RunOutcome[]): void {
    thread.finishRun();
    clearTimeout(thread.watchdog);
    thread.watchdog = undefined;
    if (thread.runs.length > 0) this.arm(thread);
    if (!job.settled) {
      for (const outcome of outcomes) {
        job.outcomes.push('error' in outcome ? { ...outcome, kind: outcome.kind ?? 'threw' } : outcome);
      }
      this.settle(job, job.outcomes);
    }
    this.pump();
  }

  /**
   * Sets the thread's watchdog for when the agent it runs would outlive its timeout: read from the worker's shared
   * progress, so agents send no message when they start. An agent starting after now cannot time out before the
   * shortest timeout of the run's agents from now: the check comes then at the latest.
   */
  private arm(thread: Thread): void {
    const first = thread.runs[0];
    if (!first || thread.retired) return;
    const running = thread.runningAgent();
    const soonest = minOf(first.agents.map((agent) => this.timeoutOf(first.job, agent)));
    const delay = running
      ? Math.min(running.startedAt + this.timeoutOf(first.job, first.agents[running.index]) - epochNow(), soonest)
      : soonest;
    if (!Number.isFinite(delay)) return; // no limit: nothing to watch
    thread.watchdog = setTimeout(() => this.check(thread), Math.max(0, delay)).unref();
  }

  private check(thread: Thread): void {
    thread.watchdog = undefined;
    if (thread.retired) return;
    const running = thread.runningAgent();
    if (running) {
      const timeoutMs = this.timeoutOf(running.run.job, running.run.agents[running.index]);
      if (epochNow() - running.startedAt >= timeoutMs) {
        this.onTimeout(thread, running, timeoutMs);
        return;
      }
    }
    this.arm(thread);
  }

  /** An agent's time limit for this job; Infinity for none. */
  private timeoutOf(job: Job, agent: string): number {
    const timeoutMs = job.request.timeoutMsByAgent?.[agent] ?? this.defaultTimeoutMs;
    return timeoutMs > 0 ? timeoutMs : Infinity;
  }

  /** The running agent outlived its timeout: stop its worker, and let a fresh one take the other agents. */
  private onTimeout(thread: Thread, running: RunningAgent, timeoutMs: number): void {
    if (thread.retired) return;
    this.retire(thread);
    this.recover(thread, running, 'timeout', `timed out after ${timeoutMs} ms`, 'terminated');
  }

  /** A worker died without being asked to: the agent it was running counts as crashed. */
  private onExit(thread: Thread, code: number): void {
    this.alive.delete(thread);
    this.threads.delete(thread);
    if (thread.retired) return;
    clearTimeout(thread.watchdog);
    const cause = thread.lastError ?? `exit code ${code}`;
    this.recover(thread, thread.runningAgent(), 'crashed', `the agent's worker died (${cause})`, cause);
  }

  /**
   * After a worker was stopped or died: its running agent failed with `kind`, its file goes on with every other
   * agent of its run (their outcomes died with the worker), and the file waiting behind it starts over; both first
   * in line, for another worker.
   */
  private recover(thread: Thread, running: RunningAgent | undefined, kind: AgentFailureKind, error: string, cause: string): void {
    const [current, ...waiting] = thread.runs;
    const again: Job[] = [];
    if (current && running) {
      if (this.fail(current, running, kind, error)) again.push(current.job);
    } else if (current && thread.ready && !current.job.restarted) {
      // It died between agents, maybe of an earlier file's stray error: one more try on another worker.
      current.job.restarted = true;
      again.push(current.job);
    } else if (current) {
      // Nothing to blame it on, again, or it never started: retrying could go on forever.
      const what = thread.ready ? 'died twice between agents' : 'failed to start';
      this.settle(current.job, { error: new Error(`an agent runner worker ${what}: ${cause}`) });
    }
    appendAll(again, waiting.map((run) => run.job).filter((job) => !job.settled));
    for (let i = again.length - 1; i >= 0; i--) this.queue.unshift(again[i]);
    this.pump();
  }

  /** Records the running agent's failure; whether other agents of the run are left to run. */
  private fail(run: SentRun<Job>, running: RunningAgent, kind: AgentFailureKind, error: string): boolean {
    const { job } = run;
    if (job.settled) return false;
    const agent = run.agents[running.index];
    job.outcomes.push({ agent, durationMs: epochNow() - running.startedAt, error, kind });
    job.remaining = run.agents.filter((_, index) => index !== running.index);
    if (job.remaining.length > 0) return true;
    this.settle(job, job.outcomes);
    return false;
  }

  /** Gives the caller its answer, once. */
  private settle(job: Job, result: AgentOutcome[] | { error: unknown }): void {
    if (job.settled) return;
    job.settled = true;
    if (job.signal) this.unwatch(job.signal, job);
    if (Array.isArray(result)) job.resolve(inAgentOrder(result, job.request.agents));
    else job.reject(result.error);
  }

  private watch(signal: AbortSignal, job: Job): void {
    let watch = this.watched.get(signal);
    if (!watch) {
      const jobs = new Set<Job>();
      const onAbort = () => {
        for (const abandoned of [...jobs]) this.abandon(abandoned, signal.reason);
      };
      watch = { jobs, onAbort };
      this.watched.set(signal, watch);
      signal.addEventListener('abort', onAbort, { once: true });
    }
    watch.jobs.add(job);
  }

  private unwatch(signal: AbortSignal, job: Job): void {
    const watch = this.watched.get(signal);
    if (!watch) return;
    watch.jobs.delete(job);
    if (watch.jobs.size > 0) return;
    this.watched.delete(signal);
    signal.removeEventListener('abort', watch.onAbort);
  }

  /** The caller gave up: answer it now; a dispatched run stops at its next agent boundary. */
  private abandon(job: Job, reason: unknown): void {
    this.settle(job, { error: reason });
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      return;
    }
    for (const thread of this.threads) thread.cancel(job);
  }

  /** Takes a worker out of the pool and terminates it; its exit is expected. */
  private retire(thread: Thread): void {
    this.threads.delete(thread);
    thread.retire();
  }
}

/** The agent a worker was running, from its shared progress. */
type RunningAgent = NonNullable<ReturnType<Thread['runningAgent']>>;

/** Now in ms since the epoch, as the workers' progress stamps are (comparable across threads). */
function epochNow(): number {
  return performance.timeOrigin + performance.now();
}

/** Outcomes sorted as their agents are listed: after a recovery, the failed agent's comes first otherwise. */
function inAgentOrder(outcomes: AgentOutcome[], agents: readonly string[]): AgentOutcome[] {
  const order = new Map(agents.map((agent, index) => [agent, index]));
  return outcomes.sort((a, b) => (order.get(a.agent) ?? 0) - (order.get(b.agent) ?? 0));
}

/**
 * The code cache's folder, once checked to be this user's private one; otherwise none, and the caller is told why
 * (another user may have made it first: its content would run inside this process).
 */
function checkedCodeCacheDir(options: AgentRunnerOptions): string | undefined {
  const dir = options.codeCacheDir === false ? undefined : options.codeCacheDir ?? defaultCodeCacheDir(options.env);
  if (dir === undefined) return undefined;
  const checked = privateDir(dir);
  if (checked.kind === 'ok') return dir;
  options.warn?.(`the parser's code cache is not used: ${checked.reason}`);
  return undefined;
}
