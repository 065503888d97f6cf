import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { run, tree } from './helpers/cli';

/** A folder with findings of several agents, fixable ones among them (SARIF carries their fixes). */
const FILES = {
  'src/a.ts': "import { unused } from './b';\nexport const a = 1;   \n",
  'src/b.ts': 'export const unused = 2;\nexport function f(a: number, b: number, c: number, d: number, e: number, g: number) { return a + b + c + d + e + g; }\n',
  'notes.md': 'trailing  \t\n',
  'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
};

describe('#5 the same findings give the same Markdown and SARIF bytes', () => {
  for (const format of ['markdown', 'sarif']) {
    it(`a cold then a warm run of the same folder write byte-identical ${format}`, { timeout: 60_000 }, async () => {
      const root = tree(FILES);
      const cacheDir = join(tree(), 'cache');
      const argv = ['audit', '.', '--format', format, '--cache-dir', cacheDir, '--fail-on', 'never'];
      const cold = await run(argv, root);
      const warm = await run(argv, root);
      assert.equal(cold.code, 0, cold.stderr);
      // The warm run really came from the cache (else this test would prove nothing).
      const check = await run(['audit', '.', '--format', 'json', '--cache-dir', cacheDir], root);
      assert.equal((JSON.parse(check.stdout) as { summary: { cache: { misses: number } } }).summary.cache.misses, 0);
      assert.ok(cold.stdout.includes('unused'), 'the report has findings');
      assert.equal(warm.stdout, cold.stdout);
    });
  }

  it('the Markdown team health never reads "0 runs" for agents served by the cache', { timeout: 60_000 }, async () => {
    const root = tree(FILES);
    const cacheDir = join(tree(), 'cache');
    const argv = ['audit', '.', '--format', 'markdown', '--cache-dir', cacheDir, '--fail-on', 'never'];
    await run(argv, root);
    const warm = await run(argv, root);
    const health = warm.stdout.split('## Team health')[1].split('\n## ')[0];
    // What is left depends on the findings only (an agent failing on a file fails again: failures are never cached).
    assert.match(health, /\| Agent \| Failures \| Skipped \(breaker open\) \| Breaker \|/);
    assert.doesNotMatch(health, /Runs/);
  });
});
