/**
 * A runner worker thread (bundled as dist/runner.js): runs agents on one text at a time, where the main side can
 * terminate it if an agent hangs. It reports each agent's start and result, so findings computed before a hang
 * are kept. It speaks `protocol.ts`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Agent, AgentInput } from '../../agents/agent';
import { createTeam } from '../../agents/registry';
import { testAgentsFromEnv } from '../../agents/testAgents';
import type { TeamConfig } from '../config/schema';
import { createAgentInput } from '../fileAudit';
import { languageOf } from '../languages';
import {
  RUNS_IN_FLIGHT, TEAMS_KEPT, type AgentFinishedMessage, type MainToRunner, type RunMessage, type RunnerToMain,
  type RunnerWorkerData, type TeamRef,
} from './protocol';

/** Teams by key, in the order their configs arrived (see `TeamRef`); a team that could not be built is its error. */
const teams = new Map<string, ReadonlyMap<string, Agent> | Error>();
const running = new Map<number, AbortController>();
const control = new Int32Array((workerData as RunnerWorkerData).cancelBuffer);

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
 * The configured team plus the test agents of the environment (unless the registry already added them). A team
 * that cannot be built fails each of its agents, as a throwing agent would, rather than the run.
 */
function buildTeam(config: TeamConfig): ReadonlyMap<string, Agent> | Error {
  try {
    const members = new Map(createTeam(config).map((agent) => [agent.id as string, agent]));
    for (const agent of testAgentsFromEnv(process.env)) if (!members.has(agent.id)) members.set(agent.id, agent);
    return members;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/** Findings that cannot be cloned (a function in them, say) fail their agent, not the run. */
function postResult(message: AgentFinishedMessage): void {
  try {
    post(message);
  } catch (error) {
    const { runId, agent, durationMs, next, done } = message;
    const text = `its findings cannot be sent: ${error instanceof Error ? error.message : String(error)}`;
    post({ type: 'agentFinished', runId, agent, durationMs, error: text, ...(next ? { next } : {}), ...(done ? { done } : {}) });
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
  let done = false;
  try {
    const team = teamFor(message.team);
    // One input for the whole run: the text is parsed at most once, by the first agent that asks.
    const input = createAgentInput(message.path, message.text, languageOf(message.path), message.project);
    const agentOf = (id: string): Agent | Error => (team instanceof Error ? team : team.get(id) ?? new Error(`agent '${id}' is not in the runner's team`));
    // The index of the next agent to run from `from` on; -1 when cancelled or when none left applies.
    const nextFrom = (from: number): number => {
      if (cancelled(runId) || controller.signal.aborted) return -1;
      for (let i = from; i < agents.length; i++) {
        const agent = agentOf(agents[i]);
        if (agent instanceof Error || agent.appliesTo(input.language)) return i;
      }
      return -1;
    };
    let index = nextFrom(0);
    if (index >= 0) post({ type: 'agentStarted', runId, agent: agents[index] });
    while (index >= 0) {
      const outcome = await runAgent(runId, agents[index], agentOf(agents[index]), input, controller.signal);
      index = nextFrom(index + 1);
      done = index < 0;
      postResult(done ? { ...outcome, done } : { ...outcome, next: agents[index] });
    }
  } finally {
    running.delete(runId);
    if (!done) post({ type: 'runDone', runId });
  }
}

/** One agent's findings or error; `agent` is an error when there is no such agent to run. */
async function runAgent(
  runId: number, id: string, agent: Agent | Error, input: AgentInput, signal: AbortSignal,
): Promise<AgentFinishedMessage> {
  const started = performance.now();
  try {
    if (agent instanceof Error) throw agent;
    const findings = await agent.run(input, signal);
    return { type: 'agentFinished', runId, agent: id, durationMs: performance.now() - started, findings };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { type: 'agentFinished', runId, agent: id, durationMs: performance.now() - started, error: text };
  }
}

/** Runs one after the other: an asynchronous agent must not let the next run start beside it. */
let previous: Promise<void> = Promise.resolve();

parentPort!.on('message', (message: MainToRunner) => {
  if (message.type === 'cancel') running.get(message.runId)?.abort();
  else previous = previous.then(() => run(message));
});
post({ type: 'ready' });
