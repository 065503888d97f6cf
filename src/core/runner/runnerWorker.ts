/**
 * A runner worker thread: runs agents on one text at a time, where the main side can terminate it if an agent
 * hangs. It writes which agent it is on to shared memory (`Progress`), which the main side reads to time agents out,
 * and sends every outcome of a file in one message. It speaks `protocol.ts`. The thread's entry (dist/runner.js,
 * src/agents/runnerMain.ts) hands it the team factory: the core never imports a concrete agent.
 */
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { Agent, AgentInput } from '../agent';
import type { TeamConfig } from '../config/schema';
import { failureOf, parseFailureOf } from '../run/execution';
import { createAgentInput, EditedTrees } from '../files/fileAudit';
import { languageOf } from '../files/languages';
import { CodeCache } from './codeCache';
import {
  Progress, RUNS_IN_FLIGHT, TEAMS_KEPT, type MainToRunner, type RunMessage, type RunnerToMain, type RunnerWorkerData,
  type RunOutcome, type TeamRef,
} from './protocol';

/** Builds the team a configuration describes (the registry's `createTeam`, given by the thread's entry). */
export type TeamFactory = (config: TeamConfig) => Agent[];

let createTeam: TeamFactory = () => {
  throw new Error('the runner worker was started without a team factory');
};
/** Teams by key, in the order their configs arrived (see `TeamRef`); a team that could not be built is its error. */
const teams = new Map<string, ReadonlyMap<string, Agent> | Error>();
const running = new Map<number, AbortController>();
/** Trees of the documents being edited (runs here are one at a time, as `EditedTrees` requires). */
const editedTrees = new EditedTrees();
const control = new Int32Array((workerData as RunnerWorkerData).cancelBuffer);
const progress = new Progress((workerData as RunnerWorkerData).progressBuffer);
/** The parser, loaded now through its code cache when bundled (dist/ts-morph.js beside dist/runner.js). */
const parser = loadParser((workerData as RunnerWorkerData).codeCacheDir);
/** Runs after which the code cache is made, if none was valid: parsing has compiled what it needs by then. */
const CODE_CACHE_AFTER_RUNS = 64;
let runsDone = 0;

function loadParser(dir: string | undefined): CodeCache | undefined {
  if (!dir) return undefined;
  try {
    return CodeCache.load(join(__dirname, 'ts-morph.js'), dir);
  } catch {
    return undefined; // Loaded the usual way on first use, which reports what is wrong, if anything.
  }
}

function post(message: RunnerToMain): void {
  parentPort!.postMessage(message);
}

function teamFor(ref: TeamRef): ReadonlyMap<string, Agent> | Error {
  if (ref.config && !teams.has(ref.key)) {
    if (teams.size >= TEAMS_KEPT) teams.delete(teams.keys().next().value!);
    teams.set(ref.key, buildTeam(ref.config));
  }
  return teams.get(ref.key) ?? new Error('the runner worker was sent an unknown team');
}

/**
 * The configured team (with the test agents the environment names, which the registry adds). A team that cannot be
 * built fails each of its agents, as a throwing agent would, rather than the run.
 */
function buildTeam(config: TeamConfig): ReadonlyMap<string, Agent> | Error {
  try {
    return new Map(createTeam(config).map((agent) => [agent.id as string, agent]));
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** The run's outcomes; an agent whose findings cannot be cloned (a function in them, say) fails, not the run. */
function postDone(runId: number, outcomes: RunOutcome[]): void {
  try {
    post({ type: 'runDone', runId, outcomes });
  } catch {
    post({ type: 'runDone', runId, outcomes: outcomes.map(cloneable) });
  }
}

function cloneable(outcome: RunOutcome): RunOutcome {
  try {
    structuredClone(outcome);
    return outcome;
  } catch (error) {
    const { agent, durationMs } = outcome;
    return { agent, durationMs, error: `its findings cannot be sent: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function cancelled(runId: number): boolean {
  return Atomics.load(control, runId % RUNS_IN_FLIGHT) === runId;
}

async function run(message: RunMessage): Promise<void> {
  const { runId, agents } = message;
  const controller = new AbortController();
  // A cancel sent before this run began found no controller; the shared slot, read before each agent, has it.
  running.set(runId, controller);
  const outcomes: RunOutcome[] = [];
  try {
    const team = teamFor(message.team);
    // One input for the whole run: the text is parsed at most once, by the first agent that asks.
    const input = createAgentInput(
      message.path, message.text, languageOf(message.path), message.project, message.edited ? editedTrees : undefined,
    );
    for (let index = 0; index < agents.length; index++) {
      if (cancelled(runId) || controller.signal.aborted) break;
      const id = agents[index];
      const agent = team instanceof Error ? team : team.get(id) ?? new Error(`agent '${id}' is not in the runner's team`);
      if (!(agent instanceof Error) && !agent.appliesTo(input.language)) continue;
      progress.write(runId, index);
      outcomes.push(await runAgent(id, agent, input, controller.signal));
      progress.write(runId, -1);
    }
  } finally {
    running.delete(runId);
    // Before the answer, so the main side cannot end the thread in the middle.
    if (parser?.pending && ++runsDone >= CODE_CACHE_AFTER_RUNS) parser.save();
    postDone(runId, outcomes);
  }
}

/** One agent's findings or error; `agent` is an error when there is no such agent to run. */
async function runAgent(id: string, agent: Agent | Error, input: AgentInput, signal: AbortSignal): Promise<RunOutcome> {
  const started = performance.now();
  try {
    if (agent instanceof Error) throw agent;
    const findings = await agent.run(input, signal);
    return { agent: id, durationMs: performance.now() - started, findings, ...parseFailureOf(input) };
  } catch (error) {
    const { kind, message } = failureOf(error);
    return { agent: id, durationMs: performance.now() - started, error: message, ...(kind === 'threw' ? {} : { kind }) };
  }
}

/** Runs one after the other: an asynchronous agent must not let the next run start beside it. */
let previous: Promise<void> = Promise.resolve();

/** Serves the main side's runs with the teams `factory` builds; called once, by the thread's entry. */
export function serveRunner(factory: TeamFactory): void {
  createTeam = factory;
  parentPort!.on('message', (message: MainToRunner) => {
    if (message.type === 'cancel') running.get(message.runId)?.abort();
    else previous = previous.then(() => run(message));
  });
  post({ type: 'ready' });
}
