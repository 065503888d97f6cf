import type { TeamConfig } from '../config/schema';
import type { AgentExecutor, AgentOutcome, ExecutionRequest } from '../run/execution';
import type { AgentRunner } from './agentRunner';

/**
 * The coordinator's executor over the terminable runner: agents run in worker threads built from the request's
 * configuration, else `config` (the same team the coordinator holds for the file), and an agent past its time limit is stopped by terminating its thread.
 */
export function runnerExecutor(runner: AgentRunner, config: TeamConfig): AgentExecutor {
  return {
    async execute(request: ExecutionRequest): Promise<AgentOutcome[]> {
      const ids = request.agents.map((agent) => agent.id);
      const outcomes = await runner.run({
        path: request.path,
        text: request.text,
        project: request.project,
        agents: ids,
        config: request.config ?? config,
        timeoutMsByAgent: Object.fromEntries(ids.map((id) => [id, request.timeoutMs(id)])),
        ...(request.edited ? { edited: true } : {}),
      }, request.signal);
      return outcomes.map((outcome): AgentOutcome => ('findings' in outcome
        ? {
          agent: outcome.agent, ok: true, findings: outcome.findings, durationMs: outcome.durationMs,
          ...(outcome.parseFailure === undefined ? {} : { parseFailure: outcome.parseFailure }),
        }
        : { agent: outcome.agent, ok: false, kind: outcome.kind, message: outcome.error, durationMs: outcome.durationMs }));
    },
  };
}
