import { strict as assert } from 'node:assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { Agent } from '../../src/core/agent';
import { hygieneAgent } from '../../src/agents/hygiene';
import { importsAgent } from '../../src/agents/imports';
import { ResultCache } from '../../src/core/cache/resultCache';
import { runAudit, type AuditOptions } from '../../src/core/run/coordinator';
import { fixFile } from '../../src/fixes/validator';
import { tempDir } from './helpers/tempDirs';

const M = 'maintenance-team-disable';
const LIMITS = { maxEntries: 1000, maxBytes: 10_000_000, ttlMs: 3_600_000 };

/** An agent that counts its runs, to tell a warm run (served by the cache) from a cold one. */
function counting(agent: Agent): Agent & { runs: number } {
  const wrapped = { ...agent, runs: 0, run: (...args: Parameters<Agent['run']>) => { wrapped.runs++; return agent.run(...args); } };
  return wrapped;
}

describe('suppressions in the coordinator', () => {
  const text = [
    `import { a } from 'a'; // ${M}-line imports/unused -- side effects`,
    `import { b } from 'b';`,
    `// ${M}-next-line hygiene/trailing-whitespace, imports`,
    'export const c = 1;   ',
    '',
  ].join('\n');

  test('cold and warm (cache hit) runs suppress the same findings; the cache keeps them unsuppressed', async () => {
    const root = tempDir('mt-suppress-');
    writeFileSync(join(root, 'a.ts'), text);
    const imports = counting(importsAgent);
    const cache = new ResultCache(undefined, { limits: LIMITS });
    const options: AuditOptions = { root, agents: [imports, hygieneAgent], cache, unusedSuppressions: 'warning' };
    const targets = [{ path: 'a.ts', absPath: join(root, 'a.ts') }];
    const cold = (await runAudit(targets, options)).files[0];
    const warm = (await runAudit(targets, options)).files[0];
    assert.equal(imports.runs, 1, 'the warm run is served by the cache');
    assert.equal(warm.fromCache, true);
    for (const file of [cold, warm]) {
      assert.deepEqual(file.findings.map((f) => `${f.rule}@${f.range.start.line}`), [
        'imports/unused@2', 'maintenance/unused-suppression@3',
      ]);
      assert.deepEqual(file.suppressed?.map((f) => [f.rule, f.range.start.line, f.suppression]), [
        ['imports/unused', 1, { kind: 'inSource', justification: 'side effects' }],
        ['hygiene/trailing-whitespace', 4, { kind: 'inSource' }],
      ]);
    }
    // The score counts only what is left.
    assert.equal(cold.score, warm.score);
    // Editing the comment takes effect on the next run although every result comes from the cache.
    writeFileSync(join(root, 'a.ts'), text.replace('imports/unused -- side effects', 'imports/duplicate'));
    const edited = (await runAudit(targets, { ...options, unusedSuppressions: undefined })).files[0];
    assert.deepEqual(edited.findings.map((f) => `${f.rule}@${f.range.start.line}`), ['imports/unused@1', 'imports/unused@2']);
  });

  test('a file without the marker has no `suppressed`, cold or warm', async () => {
    const root = tempDir('mt-suppress-');
    writeFileSync(join(root, 'b.ts'), 'export const x = 1;   \n');
    const cache = new ResultCache(undefined, { limits: LIMITS });
    const targets = [{ path: 'b.ts', absPath: join(root, 'b.ts') }];
    const options: AuditOptions = { root, agents: [hygieneAgent], cache };
    await runAudit(targets, options);
    const warm = (await runAudit(targets, options)).files[0];
    assert.equal(warm.fromCache, true);
    assert.equal(warm.suppressed, undefined);
    assert.deepEqual(warm.findings.map((f) => f.rule), ['hygiene/trailing-whitespace']);
  });
});

describe('suppressions and fixes', () => {
  test('--fix (the validator) never applies the fix of a suppressed finding', async () => {
    const text = `import { a } from 'a'; // ${M}-line imports -- kept\nimport { b } from 'b';\nexport const c = 1; // ${M}-line hygiene   \nexport const d = 2;   \n`;
    const fixed = await fixFile('a.ts', text, [importsAgent, hygieneAgent], new AbortController().signal);
    assert.equal(fixed.text, `import { a } from 'a'; // ${M}-line imports -- kept\nexport const c = 1; // ${M}-line hygiene   \nexport const d = 2;\n`);
    // Fixing again changes nothing.
    const again = await fixFile('a.ts', fixed.text, [importsAgent, hygieneAgent], new AbortController().signal);
    assert.equal(again.changed, false);
  });
});
