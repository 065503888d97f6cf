import { strict as assert } from 'node:assert';
import { getEventListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createTeam } from '../../src/agents/registry';
import { parseFaultSpec, TEST_AGENTS_ENV, testAgentsFromEnv } from '../../src/testing/testAgents';
import { defaultConfig } from '../../src/core/config/schema';
import { auditText } from '../../src/core/run/execution';
import { compareFindings } from '../../src/core/files/fileAudit';
import { languageOf } from '../../src/core/files/languages';
import { ProjectIndex } from '../../src/core/files/projectContext';
import { AgentRunner, type AgentOutcome, type AgentRunnerOptions, type RunRequest } from '../../src/core/runner/agentRunner';
import { REPO_ROOT } from './helpers/corpus';

const config = defaultConfig();
/** Every fault on its own file name, so one environment serves every test. */
const FAULTS = 'throw@boom,hang@loop,crash@die,slow:600@sleepy,uncloneable@odd';
const TRAILING = 'const a = 1;  \n';

function runnerWith(options: AgentRunnerOptions = {}): AgentRunner {
  return new AgentRunner({ size: 1, env: { ...process.env, [TEST_AGENTS_ENV]: FAULTS }, ...options });
}

function request(path: string, text: string, agents: readonly string[], timeoutMsByAgent?: Record<string, number>): RunRequest {
  return { path, text, agents, config, timeoutMsByAgent };
}

/** Outcomes without durations (which vary), findings reduced to their rules. */
function summary(outcomes: readonly AgentOutcome[]): Array<{ agent: string; rules?: string[]; kind?: string }> {
  return outcomes.map((o) => ('findings' in o ? { agent: o.agent, rules: o.findings.map((f) => f.rule) } : { agent: o.agent, kind: o.kind }));
}

async function disposeAll(runner: AgentRunner): Promise<void> {
  await runner.dispose();
  assert.equal(runner.liveWorkers, 0);
}

describe('one runner for a series of files', () => {
  // One runner for the whole series: a worker starts in about a second here (it loads the TypeScript parser),
  // so the tests only pay for the replacements their faults cause.
  let runner: AgentRunner;
  before(async () => {
    runner = runnerWith();
    await runner.run(request('warm.ts', '', ['hygiene']));
  });
  after(() => disposeAll(runner));

  test('results equal auditText for the real team on real files', async () => {
    const team = createTeam(config);
    const ids = team.map((agent) => agent.id as string);
    const index = new ProjectIndex(REPO_ROOT);
    const paths = [
      'src/core/files/fileAudit.ts', 'src/agents/imports/index.ts', 'test/fixtures/workspace/src/unusedImport.ts',
      'test/fixtures/workspace/src/broken.ts', 'test/fixtures/workspace/src/fixAll.ts', 'README.md',
    ];
    const spawned = runner.spawnedWorkers;
    for (const path of [...paths, 'tool.py']) {
      const text = path === 'tool.py' ? 'import os\nx = (  \n' : readFileSync(join(REPO_ROOT, path), 'utf8');
      const project = languageOf(path) === 'script' ? await index.contextFor(join(REPO_ROOT, path)) : undefined;
      const expected = await auditText(path, text, team, new AbortController().signal, { project });
      const outcomes = await runner.run({ path, text, project, agents: ids, config });
      assert.deepEqual(outcomes.map((o) => o.agent), expected.ran, path);
      assert.ok(outcomes.every((o) => 'findings' in o), path);
      const findings = outcomes.flatMap((o) => ('findings' in o ? o.findings : [])).sort(compareFindings);
      assert.deepEqual(findings, expected.findings, path);
    }
    assert.ok((await runner.run(request('x.ts', 'x;\n', []))).length === 0);
    assert.ok(runner.spawnedWorkers - spawned <= 1, 'one worker served every file');
  });

  test('a document being edited: each version\'s findings equal auditText\'s (its tree is kept and updated)', async () => {
    const team = createTeam(config);
    const ids = team.map((agent) => agent.id as string);
    const path = 'src/agents/imports/index.ts';
    let text = readFileSync(join(REPO_ROOT, path), 'utf8');
    const edits = ['import { z } from "zod";\n', '   ', '{', '\n\n\n\n', '}'];
    for (const [n, typed] of edits.entries()) {
      const at = Math.floor(text.length * (n + 1) / (edits.length + 1));
      text = text.slice(0, at) + typed + text.slice(at);
      const expected = await auditText(path, text, team, new AbortController().signal);
      const outcomes = await runner.run({ path, text, agents: ids, config, edited: true });
      const findings = outcomes.flatMap((o) => ('findings' in o ? o.findings : [])).sort(compareFindings);
      assert.deepEqual(findings, expected.findings, `edit ${n}`);
    }
  });

  test('a throwing agent gives threw; the agents after it keep their findings', async () => {
    const spawned = runner.spawnedWorkers;
    const outcomes = await runner.run(request('boom.ts', TRAILING, ['faulty:throw', 'hygiene', 'no-such-agent']));
    assert.deepEqual(summary(outcomes), [
      { agent: 'faulty:throw', kind: 'threw' },
      { agent: 'hygiene', rules: ['hygiene/trailing-whitespace'] },
      { agent: 'no-such-agent', kind: 'threw' },
    ]);
    assert.match((outcomes[0] as { error: string }).error, /fails on boom\.ts on purpose/);
    assert.match((outcomes[2] as { error: string }).error, /not in the runner's team/);
    assert.equal(runner.spawnedWorkers, spawned, 'a throw costs no worker');
  });

  test('files sharing a signal share one abort listener, removed when they are done', async () => {
    const signal = new AbortController().signal;
    const runs = Array.from({ length: 12 }, (_, i) => runner.run(request(`f${i}.ts`, TRAILING, ['hygiene']), signal));
    assert.equal(getEventListeners(signal, 'abort').length, 1);
    for (const outcomes of await Promise.all(runs)) assert.equal(outcomes.length, 1);
    assert.equal(getEventListeners(signal, 'abort').length, 0);
  });

  test('a hanging agent is stopped at its timeout; the others keep their findings; a fresh worker goes on', async () => {
    const spawned = runner.spawnedWorkers;
    const agents = ['hygiene', 'faulty:hang', 'structure'];
    const timeouts = { 'faulty:hang': 300 };
    // Sent together: ok.ts waits in the hung worker's queue and must be started over on the fresh one.
    const [hung, next] = await Promise.all([
      runner.run(request('loop.ts', 'const a = (;  \n', agents, timeouts)),
      runner.run(request('ok.ts', TRAILING, agents, timeouts)),
    ]);
    assert.deepEqual(summary(hung), [
      { agent: 'hygiene', rules: ['hygiene/trailing-whitespace'] },
      { agent: 'faulty:hang', kind: 'timeout' },
      { agent: 'structure', rules: ['syntax/error'] },
    ]);
    // Timers may fire a millisecond early: the event loop arms them from its cached time.
    assert.ok(hung[1].durationMs >= 290 && hung[1].durationMs < 2_000, `stopped after ${hung[1].durationMs} ms`);
    assert.deepEqual(summary(next), [
      { agent: 'hygiene', rules: ['hygiene/trailing-whitespace'] },
      { agent: 'faulty:hang', rules: [] },
      { agent: 'structure', rules: [] },
    ]);
    assert.equal(runner.spawnedWorkers, spawned + 1, 'the hung worker was replaced once');
  });

  test('findings that cannot cross threads fail their agent only; the others of the file are kept', async () => {
    const outcomes = await runner.run(request('odd.ts', TRAILING, ['faulty:uncloneable', 'hygiene']));
    assert.deepEqual(summary(outcomes), [
      { agent: 'faulty:uncloneable', kind: 'threw' },
      { agent: 'hygiene', rules: ['hygiene/trailing-whitespace'] },
    ]);
    assert.match((outcomes[0] as { error: string }).error, /cannot be sent/);
  });

  test('a hang behind an agent without a time limit is still stopped at its own timeout', async () => {
    const outcomes = await runner.run(request('loop.ts', TRAILING, ['hygiene', 'faulty:hang'], { hygiene: 0, 'faulty:hang': 300 }));
    assert.deepEqual(summary(outcomes), [
      { agent: 'hygiene', rules: ['hygiene/trailing-whitespace'] },
      { agent: 'faulty:hang', kind: 'timeout' },
    ]);
    assert.ok(outcomes[1].durationMs >= 290 && outcomes[1].durationMs < 2_000, `stopped after ${outcomes[1].durationMs} ms`);
  });

  test('a worker dying under an agent gives crashed, and the next worker takes over', async () => {
    const spawned = runner.spawnedWorkers;
    const [died, next] = await Promise.all([
      runner.run(request('die.ts', TRAILING, ['faulty:crash', 'hygiene'])),
      runner.run(request('fine.ts', TRAILING, ['faulty:crash', 'hygiene'])),
    ]);
    assert.deepEqual(summary(died), [{ agent: 'faulty:crash', kind: 'crashed' }, { agent: 'hygiene', rules: ['hygiene/trailing-whitespace'] }]);
    assert.match((died[0] as { error: string }).error, /exit code 70/);
    assert.deepEqual(summary(next), [{ agent: 'faulty:crash', rules: [] }, { agent: 'hygiene', rules: ['hygiene/trailing-whitespace'] }]);
    assert.equal(runner.spawnedWorkers, spawned + 1);
  });

  test('abort answers at once; a slow agent finishes on the same worker, queued files never start', async () => {
    const spawned = runner.spawnedWorkers;
    const controller = new AbortController();
    const running = runner.run(request('sleepy.ts', '', ['faulty:slow', 'hygiene']), controller.signal);
    const queued = runner.run(request('later.ts', '', ['hygiene']), controller.signal);
    const other = runner.run(request('other.ts', TRAILING, ['hygiene']));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const aborted = performance.now();
    controller.abort(new Error('edited'));
    await assert.rejects(running, /edited/);
    await assert.rejects(queued, /edited/);
    assert.ok(performance.now() - aborted < 250, 'abort did not wait for the slow agent');
    assert.deepEqual(summary(await other), [{ agent: 'hygiene', rules: ['hygiene/trailing-whitespace'] }]);
    await assert.rejects(runner.run(request('x.ts', '', ['hygiene']), controller.signal), /edited/);
    assert.equal(runner.spawnedWorkers, spawned, 'a cancelled run costs no worker');
  });

  test('an aborted hang answers at once and is still stopped at its timeout', async () => {
    const spawned = runner.spawnedWorkers;
    const controller = new AbortController();
    const hung = runner.run(request('loop.ts', '', ['faulty:hang'], { 'faulty:hang': 500 }), controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const aborted = performance.now();
    controller.abort();
    await assert.rejects(hung, { name: 'AbortError' });
    assert.ok(performance.now() - aborted < 250, 'abort did not wait for the timeout');
    const next = await runner.run(request('ok.ts', TRAILING, ['hygiene']));
    assert.deepEqual(summary(next), [{ agent: 'hygiene', rules: ['hygiene/trailing-whitespace'] }]);
    assert.equal(runner.spawnedWorkers, spawned + 1);
  });
});

test('dispose rejects unfinished runs, terminates every worker, and refuses new runs', async () => {
  const runner = runnerWith({ size: 2 });
  // Two runs on two starting workers, one queued; the workers need not be ready to be terminated.
  const runs = ['loop.ts', 'loop2.ts', 'a.ts'].map((path) => runner.run(request(path, '', ['faulty:hang'])));
  const rejected = runs.map((run) => assert.rejects(run, /disposed/));
  assert.equal(runner.liveWorkers, 2);
  await disposeAll(runner);
  await Promise.all(rejected);
  await assert.rejects(runner.run(request('b.ts', '', ['hygiene'])), /disposed/);
});

test('a worker that cannot start fails the run instead of looping', async () => {
  const runner = runnerWith({ entry: { file: join(REPO_ROOT, 'no-such-runner.js') } });
  await assert.rejects(runner.run(request('a.ts', '', ['hygiene'])), /failed to start/);
  await disposeAll(runner);
});

test('test agents come from the environment only, and a misspelt one is refused', () => {
  assert.deepEqual(testAgentsFromEnv({}), []);
  assert.deepEqual(testAgentsFromEnv({ [TEST_AGENTS_ENV]: ' ' }), []);
  assert.deepEqual(testAgentsFromEnv({ [TEST_AGENTS_ENV]: 'throw, hang@x,slow:5' }).map((a) => a.id),
    ['faulty:throw', 'faulty:hang', 'faulty:slow']);
  assert.deepEqual(parseFaultSpec('slow:50@big'), { kind: 'slow', durationMs: 50, pathIncludes: 'big' });
  assert.throws(() => testAgentsFromEnv({ [TEST_AGENTS_ENV]: 'throws' }), /not one of/);
  assert.throws(() => parseFaultSpec('hang:5'), /:ms for slow only/);
});

test('in the main thread, the crash agent throws instead of ending the process', () => {
  const [crash] = testAgentsFromEnv({ [TEST_AGENTS_ENV]: 'crash' });
  const input = { path: 'a.ts', text: '', language: 'script' as const, ast: () => undefined, syntaxErrors: () => [] };
  assert.throws(() => crash.run(input, new AbortController().signal), /not on the main thread/);
});
