// Fixes under time limits: the audits a fix makes run where the caller says (the editor and the CLI give the
// terminable runner), a failing agent sits the later passes out, and its fixes applied before it failed are
// dropped for want of proof.
import { strict as assert } from 'node:assert';
import { after, describe, test } from 'node:test';
import type { Agent } from '../../src/core/agent';
import { createTeam } from '../../src/agents/registry';
import { fixForSave } from '../../src/fixes/saveFix';
import { TEST_AGENTS_ENV, testAgentsFromEnv } from '../../src/testing/testAgents';
import { fixFile } from '../../src/fixes/validator';
import { defaultConfig } from '../../src/core/config/schema';
import type { Finding } from '../../src/core/model';
import { AgentRunner } from '../../src/core/runner/agentRunner';
import { runnerExecutor } from '../../src/core/runner/executor';

const config = defaultConfig();
const env = { [TEST_AGENTS_ENV]: 'hang@loop' };
const signal = new AbortController().signal;
/** No cursor, nothing typed: every fix the save policy allows applies. */
const NO_GUARD = { cursorLines: [], burst: [] };
/** An unused import and trailing whitespace: two passes at least (the import's removal is audited again). */
const TEXT = "import { unused } from './a';\nexport const x = 1;   \n";

describe('fixes whose audits run in the runner', () => {
  const runner = new AgentRunner({ size: 1, env: { ...process.env, ...env } });
  // The hanging agent is in the team on both sides: here (to be asked for) and in the worker (to run).
  const team: Agent[] = [...createTeam(config), ...testAgentsFromEnv(env)];
  const limits = {
    executor: runnerExecutor(runner, config),
    timeoutMs: (id: string) => (id === 'faulty:hang' ? 300 : 30_000),
  };
  after(() => runner.dispose());

  test('a hanging agent costs the fix one time limit; the other agents\' fixes apply', async () => {
    const spawned = runner.spawnedWorkers;
    const fixed = await fixFile('loop.ts', TEXT, team, signal, limits);
    assert.equal(fixed.text, 'export const x = 1;\n');
    assert.equal(fixed.applied, 2);
    // Stopped once (its worker replaced once), not once per audit of the fix.
    assert.equal(runner.spawnedWorkers - spawned, spawned === 0 ? 2 : 1);
  });

  test('the audits of a fix on an edited document use the runner\'s kept tree: same result', async () => {
    const edited = { ...limits, timeoutMs: () => 30_000, edited: true };
    const text = "import { unused } from './a';\nexport const y = 2;   \n";
    // The keystroke's audit leaves the tree of `text` in the runner; the fix's audits start from it.
    await runner.run({ path: 'doc.ts', text, agents: ['hygiene'], config, edited: true });
    const fixed = await fixFile('doc.ts', text, createTeam(config), signal, edited);
    assert.equal(fixed.text, 'export const y = 2;\n');
    const again = await fixFile('doc.ts', fixed.text, createTeam(config), signal, edited);
    assert.equal(again.changed, false, 'applying it twice changes nothing');
  });

  test('fix on save, too (where removing an import is not a safe fix: whitespace only)', async () => {
    const spawned = runner.spawnedWorkers;
    const fixed = await fixForSave('loop.ts', TEXT, team, signal, { ...limits, guard: NO_GUARD, config });
    assert.equal(fixed.text, "import { unused } from './a';\nexport const x = 1;\n");
    assert.equal(runner.spawnedWorkers - spawned, 1);
  });
});

/** Finds `OLD` and fixes it to `NEW`; fails on any text without `OLD` (so on the fixed text). */
const fickle: Agent = {
  id: 'fickle' as Agent['id'],
  version: '1',
  appliesTo: () => true,
  run(input): Finding[] {
    const at = input.text.indexOf('OLD');
    if (at < 0) throw new Error('fails once its finding is fixed');
    const range = { start: { line: 1, column: at + 1 }, end: { line: 1, column: at + 4 } };
    return [{
      agent: 'fickle' as Finding['agent'], rule: 'fickle/old', severity: 'info', message: 'OLD', range,
      fix: { title: 'Say NEW', edits: [{ start: at, end: at + 3, newText: 'NEW' }], safe: true },
    }];
  },
};

test('a fix whose agent fails on the fixed text has no proof: it is dropped, the file left as it was', async () => {
  const fixed = await fixFile('f.ts', 'const OLD = 1;\n', [fickle], signal);
  assert.equal(fixed.text, 'const OLD = 1;\n');
  assert.equal(fixed.changed, false);
  assert.equal(fixed.dropped, 1);
  const onSave = await fixForSave('f.ts', 'const OLD = 1;\n', [fickle], signal, { guard: NO_GUARD, config });
  assert.equal(onSave.text, 'const OLD = 1;\n');
  assert.equal(onSave.applied, 0);
});
