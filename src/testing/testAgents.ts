/**
 * Test-only agents for fault injection (issue 6): they misbehave on purpose so tests can check that one agent's
 * failure, hang or crash costs nothing but its own findings. They join the team only when an environment variable
 * names them, so no user ever runs them by accident.
 */
import { isMainThread } from 'node:worker_threads';
import type { Finding } from '../core/model';
import type { Agent, AgentInput } from '../core/agent';

/** The variable naming the test agents: `MAINTENANCE_TEAM_TEST_AGENTS=throw,hang@slow-file,slow:50`. */
export const TEST_AGENTS_ENV = 'MAINTENANCE_TEAM_TEST_AGENTS';

/** What a test agent does on the files it targets. */
export type FaultKind = 'throw' | 'hang' | 'slow' | 'crash' | 'uncloneable';

const FAULT_KINDS: readonly FaultKind[] = ['throw', 'hang', 'slow', 'crash', 'uncloneable'];
const DEFAULT_SLOW_MS = 100;
/** Exit code of a crashed thread, to tell it from other exits in logs. */
const CRASH_EXIT_CODE = 70;
/** `kind`, then `:ms` (slow only), then `@text` (only files whose path contains it). */
const SPEC = /^(?<kind>[a-z]+)(?::(?<ms>\d+))?(?:@(?<path>.+))?$/;

/** One test agent as the variable describes it. */
export interface FaultSpec {
  readonly kind: FaultKind;
  /** `slow` only: how long it busy-waits, in ms. */
  readonly durationMs: number;
  /** Only files whose path contains this text are targeted; every file when absent. */
  readonly pathIncludes?: string;
}

/**
 * The test agents named by `MAINTENANCE_TEAM_TEST_AGENTS` in `env`, or none when it is unset or empty.
 * Entries are comma-separated `kind[:ms][@pathText]`; a misspelt entry throws, since a test that silently
 * runs without its faulty agent would pass for the wrong reason. Agent ids are `faulty:<kind>`.
 */
export function testAgentsFromEnv(env: Readonly<Record<string, string | undefined>>): Agent[] {
  const value = env[TEST_AGENTS_ENV]?.trim();
  if (!value) return [];
  const agents = new Map<string, Agent>();
  for (const entry of value.split(',').map((e) => e.trim()).filter(Boolean)) {
    const agent = createFaultyAgent(parseFaultSpec(entry));
    agents.set(agent.id, agent);
  }
  return [...agents.values()];
}

/** `slow:50@big` → slow for 50 ms on files whose path contains `big`. */
export function parseFaultSpec(entry: string): FaultSpec {
  const groups = SPEC.exec(entry)?.groups;
  const kind = groups?.kind as FaultKind | undefined;
  if (!groups || !kind || !FAULT_KINDS.includes(kind) || (groups.ms !== undefined && kind !== 'slow')) {
    throw new Error(`${TEST_AGENTS_ENV}: '${entry}' is not one of ${FAULT_KINDS.join(', ')} ` +
      '(written kind[:ms][@pathText], :ms for slow only)');
  }
  return {
    kind,
    durationMs: groups.ms === undefined ? DEFAULT_SLOW_MS : Number(groups.ms),
    ...(groups.path ? { pathIncludes: groups.path } : {}),
  };
}

/**
 * An agent with one fault, reporting nothing (so it never changes the other agents' results): `throw` throws,
 * `hang` loops forever without looking at its signal, `slow` busy-waits `durationMs`, `crash` ends the thread it
 * runs on as `process.exit` does in a worker (on the main thread it throws instead, never taking a process down),
 * `uncloneable` returns a finding holding a function, which no thread can send.
 */
export function createFaultyAgent(spec: FaultSpec): Agent {
  const targets = (input: AgentInput) => spec.pathIncludes === undefined || input.path.includes(spec.pathIncludes);
  return {
    id: `faulty:${spec.kind}`,
    version: '1',
    appliesTo: () => true,
    run(input: AgentInput): Finding[] {
      if (!targets(input)) return [];
      if (spec.kind === 'uncloneable') return [uncloneableFinding()];
      FAULTS[spec.kind](input, spec);
      return [];
    },
  };
}

function uncloneableFinding(): Finding {
  const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  return { agent: 'faulty:uncloneable', rule: 'faulty/uncloneable', severity: 'info', message: 'holds a function', range,
    fix: { title: 'cannot cross a thread', edits: [], toString: () => 'function' } as unknown as Finding['fix'] };
}

const FAULTS: Record<Exclude<FaultKind, 'uncloneable'>, (input: AgentInput, spec: FaultSpec) => void> = {
  throw(input) {
    throw new Error(`faulty:throw fails on ${input.path} on purpose`);
  },
  hang() {
    busyWait(Number.POSITIVE_INFINITY);
  },
  slow(_input, spec) {
    busyWait(spec.durationMs);
  },
  crash(input) {
    if (isMainThread) throw new Error(`faulty:crash would end the thread on ${input.path}; not on the main thread`);
    process.exit(CRASH_EXIT_CODE);
  },
};

/** Keeps the thread busy: no timer, no message and no signal gets through while this runs. */
function busyWait(durationMs: number): void {
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    // spin
  }
}
