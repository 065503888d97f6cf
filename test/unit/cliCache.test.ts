import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { defaultCacheDir } from '../../src/cli/cache';
import { cacheHome, json, tree } from './helpers/cli';

const FILES = {
  'src/a.ts': "import { unused } from './b';\nexport const a = 1;   \n",
  'src/b.ts': 'export const unused = 2;\nexport function f(a: number, b: number, c: number, d: number, e: number, g: number) { return a + b + c + d + e + g; }\n',
  'notes.md': 'trailing  \t\n',
};

const findingsOf = (report: Awaited<ReturnType<typeof json>>['report']) =>
  report.files.map((f) => ({ path: f.path, findings: f.findings }));

describe('the CLI result cache', () => {
  it('a second audit of an unchanged folder comes from the cache, with the same findings', async () => {
    const root = tree({ ...FILES, 'node_modules/.keep': '' });
    const cold = await json(['audit', '.'], root);
    assert.equal(cold.stderr, '');
    assert.equal(existsSync(join(root, 'node_modules/.cache/maintenance-team/results-v3.cache')), true);
    assert.deepEqual([cold.report.summary.cache.hits, cold.report.summary.cache.misses], [0, 3]);
    const warm = await json(['audit', '.'], root);
    assert.deepEqual(findingsOf(warm.report), findingsOf(cold.report));
    assert.deepEqual(warm.report.files.map((f) => f.fromCache), [true, true, true]);
    assert.deepEqual([warm.report.summary.cache.hits, warm.report.summary.cache.misses, warm.report.summary.cache.hitRate], [3, 0, 1]);
    assert.ok(cold.report.files.some((f) => f.findings.length > 0));
  });

  it('a changed file and a changed threshold miss; the rest hits', async () => {
    const root = tree({ ...FILES, 'node_modules/.keep': '' });
    await json(['audit', '.'], root);
    writeFileSync(join(root, 'notes.md'), 'changed\n');
    const changed = await json(['audit', '.'], root);
    assert.deepEqual(changed.report.files.map((f) => [f.path, f.fromCache]), [['notes.md', false], ['src/a.ts', true], ['src/b.ts', true]]);
    writeFileSync(join(root, 'maintenance-team.yaml'), 'team:\n  complexity:\n    thresholds: { parameterCount: 6 }\n');
    const reconfigured = await json(['audit', '.'], root);
    const b = reconfigured.report.files.find((f) => f.path === 'src/b.ts')!;
    assert.equal(b.fromCache, false, 'the complexity agent ran again under its new threshold');
    assert.deepEqual(b.findings.map((f) => f.rule), []);
  });

  it('--no-cache reads and writes nothing; --cache-dir puts the store where asked', async () => {
    const root = tree({ ...FILES, 'node_modules/.keep': '' });
    const none = await json(['audit', '.', '--no-cache'], root);
    assert.equal(existsSync(join(root, 'node_modules/.cache')), false);
    assert.deepEqual(none.report.files.map((f) => f.fromCache), [false, false, false]);
    await json(['audit', '.', '--cache-dir', 'my-cache'], root);
    assert.equal(existsSync(join(root, 'my-cache/results-v3.cache')), true);
    assert.deepEqual((await json(['audit', '.', '--cache-dir', 'my-cache'], root)).report.summary.cache.hits, 3);
  });

  it('optimizations: false runs without cache', async () => {
    const root = tree({ ...FILES, 'node_modules/.keep': '', 'maintenance-team.yaml': 'global:\n  optimizations: false\n' });
    await json(['audit', '.'], root);
    const second = await json(['audit', '.'], root);
    assert.equal(second.report.summary.cache.hits, 0);
    assert.equal(existsSync(join(root, 'node_modules/.cache')), false);
  });

  it('a corrupt store is reported as a warning, discarded and rebuilt; the report is right', async () => {
    const root = tree({ ...FILES, 'node_modules/.keep': '' });
    const clean = await json(['audit', '.', '--no-cache'], root);
    mkdirSync(join(root, 'node_modules/.cache/maintenance-team'), { recursive: true });
    writeFileSync(join(root, 'node_modules/.cache/maintenance-team/results-v3.cache'), '{"format":"maintenance-team-result-cache","ver');
    const broken = await json(['audit', '.'], root);
    assert.match(broken.stderr, /warning: result cache at .* discarded \(corrupt or truncated/);
    assert.deepEqual(findingsOf(broken.report), findingsOf(clean.report));
    const again = await json(['audit', '.'], root);
    assert.equal(again.stderr, '');
    assert.equal(again.report.summary.cache.hits, 3);
  });

  it('--metrics writes the run\'s per-agent metrics as JSON or Prometheus text', async () => {
    const root = tree({ ...FILES, 'node_modules/.keep': '' });
    await json(['audit', '.', '--metrics', 'm.json'], root);
    const snapshot = JSON.parse(readFileSync(join(root, 'm.json'), 'utf8')) as { agents: Record<string, { executions: number; cacheMisses: number }> };
    assert.equal(snapshot.agents.hygiene.executions, 3);
    assert.equal(snapshot.agents.hygiene.cacheMisses, 3);
    await json(['audit', '.', '--metrics', 'm.prom'], root);
    const text = readFileSync(join(root, 'm.prom'), 'utf8');
    assert.match(text, /^# HELP /m);
    assert.match(text, /^maintenance_team_agent_cache_hits_total\{agent="hygiene"\} 3$/m);
  });

  it('without node_modules, the platform cache folder is used', () => {
    const root = tree({ 'a.ts': '' });
    assert.equal(defaultCacheDir(root, { XDG_CACHE_HOME: cacheHome }), join(cacheHome, 'maintenance-team'));
    mkdirSync(join(root, 'node_modules'));
    assert.equal(defaultCacheDir(root, {}), join(root, 'node_modules', '.cache', 'maintenance-team'));
    mkdirSync(join(root, 'src'));
    // Above the audited folder only within its repository (issue 18): the folder itself is the boundary without one.
    assert.equal(defaultCacheDir(join(root, 'src'), { XDG_CACHE_HOME: cacheHome }), join(cacheHome, 'maintenance-team'));
    mkdirSync(join(root, '.git'));
    assert.equal(defaultCacheDir(join(root, 'src'), {}), join(root, 'node_modules', '.cache', 'maintenance-team'), 'the project\'s node_modules above');
  });
});
