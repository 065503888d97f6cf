import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Agent } from '../../src/core/agent';
import { hygieneAgent } from '../../src/agents/hygiene';
import { importsAgent } from '../../src/agents/imports';
import { cacheKey, ResultCache, type CacheLimits } from '../../src/core/cache/resultCache';
import { FileCacheStore, MemoryCacheStore } from '../../src/core/cache/store';
import { runAudit, type AuditTarget } from '../../src/core/run/coordinator';
import { toCachedFindings } from '../../src/core/cache/cachedFindings';
import type { Finding } from '../../src/core/model';
import { entryLine, signBody, signedStore } from './helpers/signedStore';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mt-cache-'));
  dirs.push(dir);
  return dir;
}

const LIMITS: CacheLimits = { maxEntries: 100, maxBytes: 1_000_000, ttlMs: 60_000 };
const finding = (message: string): Finding => ({
  agent: 'a', rule: 'a/rule', severity: 'warning', message, range: { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } },
});
const key = (contentHash: string, agentVersion = '1', projectFingerprint?: string) =>
  cacheKey({ contentHash, agentId: 'a', agentVersion, projectFingerprint });

/** A clock the tests move by hand. */
function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('cacheKey', () => {
  it('changes with the content, the agent version and the project facts, never with anything else', () => {
    const base = key('h1');
    assert.equal(key('h1'), base);
    assert.notEqual(key('h2'), base);
    assert.notEqual(key('h1', '2'), base);
    assert.notEqual(key('h1', '1', 'pkg-a'), key('h1', '1', 'pkg-b'));
    assert.notEqual(cacheKey({ contentHash: 'h1', agentId: 'b', agentVersion: '1' }), base);
    assert.match(key('ab'.repeat(32)), /^(ab){16}\.[0-9a-f]{16}$/);
  });
});

describe('ResultCache', () => {
  it('misses, then hits in memory; a new process hits the persistent store and promotes to memory', async () => {
    const store = new MemoryCacheStore();
    const first = new ResultCache(store, { limits: LIMITS });
    await first.open();
    assert.equal(first.get(key('h'), 'a'), undefined);
    first.set(key('h'), [finding('x')]);
    assert.deepEqual(first.get(key('h'), 'a'), { findings: [finding('x')], level: 'memory' });
    assert.equal(await first.flush(), true);

    const second = new ResultCache(store, { limits: LIMITS });
    await second.open();
    assert.equal(second.get(key('h'), 'a')?.level, 'disk');
    assert.equal(second.get(key('h'), 'a')?.level, 'memory');
    assert.deepEqual(second.stats(), {
      memoryHits: 1, diskHits: 1, misses: 0, hitRate: 1, byAgent: { a: { hits: 2, misses: 0 } }, entries: 1,
      bytes: second.stats().bytes, untrusted: 0,
    });
  });

  it('a result older than the TTL is a miss, and is dropped from the store on the next save', async () => {
    const time = clock();
    const store = new MemoryCacheStore();
    const cache = new ResultCache(store, { limits: LIMITS, now: time.now });
    cache.set(key('old'), []);
    time.t += 30_000;
    cache.set(key('new'), []);
    time.t += 40_000;
    assert.equal(cache.get(key('old'), 'a'), undefined);
    assert.ok(cache.get(key('new'), 'a'));
    await cache.flush();
    const reloaded = new ResultCache(store, { limits: LIMITS, now: time.now });
    await reloaded.open();
    assert.equal(reloaded.stats().entries, 1);
  });

  it('a TTL of 0 keeps results for ever', () => {
    const time = clock();
    const cache = new ResultCache(undefined, { limits: { ...LIMITS, ttlMs: 0 }, now: time.now });
    cache.set(key('h'), []);
    time.t += 10 * 365 * 86_400_000;
    assert.ok(cache.get(key('h'), 'a'));
  });

  it('over the size cap, the least recently used results leave the store first', async () => {
    const time = clock();
    const store = new MemoryCacheStore();
    const big = Array.from({ length: 20 }, (_, i) => finding(`message number ${i} with some length to it`));
    const one = 96 + JSON.stringify(big).length;
    const cache = new ResultCache(store, { limits: { ...LIMITS, maxBytes: one * 2 + 10, ttlMs: 0 }, now: time.now });
    for (const name of ['a', 'b', 'c']) {
      cache.set(key(name), big);
      time.t += 2 * 3_600_000;
    }
    assert.ok(cache.get(key('a'), 'a')); // 'a' is used again: 'b' is now the least recently used
    await cache.flush();
    const reloaded = new ResultCache(store, { limits: { ...LIMITS, ttlMs: 0 }, now: time.now });
    await reloaded.open();
    assert.ok(reloaded.get(key('a'), 'a'));
    assert.equal(reloaded.get(key('b'), 'a'), undefined);
    assert.ok(reloaded.get(key('c'), 'a'));
  });

  it('memory is bounded by entries; what leaves memory is still served by the persistent level', () => {
    const cache = new ResultCache(new MemoryCacheStore(), { limits: { ...LIMITS, maxEntries: 2 } });
    for (const name of ['a', 'b', 'c']) cache.set(key(name), []);
    assert.equal(cache.get(key('a'), 'a')?.level, 'disk');
    assert.equal(cache.get(key('c'), 'a')?.level, 'memory');
  });

  for (const [what, text] of [
    ['garbage', 'not json at all'],
    ['a truncated file', '{"format":"maintenance-team-result-cache","version":3}\nabc\t1\t2'],
    ['another format version', '{"format":"maintenance-team-result-cache","version":99,"entries":{}}'],
    ['a foreign JSON file', '{"name":"something else"}'],
    ['an older format version', '{"format":"maintenance-team-result-cache","version":1,"entries":{}}'],
    ['a truncated header', '{"format":"maintenance-team-result-cache","ver'],
  ] as const) {
    it(`a store holding ${what} is discarded with a warning, never misread, and rebuilt`, async () => {
      const store = new MemoryCacheStore();
      store.text = text;
      const warnings: string[] = [];
      const cache = new ResultCache(store, { limits: LIMITS, warn: (m) => warnings.push(m) });
      await cache.open();
      assert.equal(warnings.length, 1);
      assert.match(warnings[0], /discarded/);
      assert.equal(cache.stats().entries, 0);
      cache.set(key('h'), [finding('x')]);
      await cache.flush();
      const reloaded = new ResultCache(store, { limits: LIMITS });
      await reloaded.open();
      assert.deepEqual(reloaded.get(key('h'), 'a')?.findings, [finding('x')]);
    });
  }

  it('an authenticated entry whose findings are malformed is a miss when first used, and is dropped', async () => {
    const store = new MemoryCacheStore();
    const good = key('good');
    const bad = key('bad');
    const [goodContent, agent] = good.split('.');
    store.text = signedStore({
      [goodContent]: { createdAt: 1, results: [agent, [finding('ok')]] },
      [bad.split('.')[0]]: { createdAt: 1, results: [agent, [{ rule: 5, message: null }]] },
    }, store.secret);
    const cache = new ResultCache(store, { limits: { ...LIMITS, ttlMs: 0 } });
    await cache.open();
    assert.deepEqual(cache.get(good, 'a')?.findings, [finding('ok')]);
    assert.equal(cache.get(bad, 'a'), undefined);
    assert.equal(cache.stats().entries, 1);
    assert.equal(cache.stats().untrusted, 1);
  });

  it('a store not written with this user\'s key is not used: every entry counted, with a warning', async () => {
    const store = new MemoryCacheStore();
    const [content, agent] = key('good').split('.');
    store.text = signedStore({ [content]: { results: [agent, []] }, other: { results: [agent, []] } }, randomBytes(32));
    const warnings: string[] = [];
    const cache = new ResultCache(store, { limits: LIMITS, warn: (m) => warnings.push(m) });
    await cache.open();
    assert.match(warnings.join('\n'), /2 entries not written with this user's key/);
    assert.equal(cache.get(key('good'), 'a'), undefined, 'an empty result planted for the content is not used');
    assert.equal(cache.stats().untrusted, 2);
  });

  it('in an authenticated store, lines that are not entries are dropped and counted; the others are used', async () => {
    const store = new MemoryCacheStore();
    const [content, agent] = key('good').split('.');
    store.text = signBody(`${entryLine(content, { results: [agent, [finding('ok')]] })}k1\t1\t2\t[]\nk2\nk3\t1\tx\t3\t0\t[]\n`, store.secret);
    const cache = new ResultCache(store, { limits: LIMITS });
    await cache.open();
    assert.deepEqual(cache.get(key('good'), 'a')?.findings, [finding('ok')]);
    assert.equal(cache.stats().untrusted, 3);
  });

  it('clear forgets everything, in memory and on disk', async () => {
    const store = new MemoryCacheStore();
    const cache = new ResultCache(store, { limits: LIMITS });
    cache.set(key('h'), []);
    await cache.flush();
    await cache.clear();
    assert.equal(cache.get(key('h'), 'a'), undefined);
    assert.equal(store.text, undefined);
  });
});

describe('FileCacheStore', () => {
  it('concurrent writers sharing a directory (two windows, a CLI run) lose nothing and corrupt nothing', async () => {
    const dir = tempDir();
    const writers = Array.from({ length: 8 }, () => new ResultCache(new FileCacheStore(dir), { limits: LIMITS }));
    writers.forEach((cache, i) => {
      for (let j = 0; j < 50; j++) cache.set(key(`w${i}-${j}`), [finding(`${i}/${j}`)]);
    });
    const written = await Promise.all(writers.map((cache) => cache.flush()));
    assert.deepEqual(written, writers.map(() => true));
    const reader = new ResultCache(new FileCacheStore(dir), { limits: LIMITS });
    await reader.open();
    assert.equal(reader.stats().entries, 8 * 50);
    assert.deepEqual(reader.get(key('w7-49'), 'a')?.findings, [finding('7/49')]);
    assert.equal(existsSync(join(dir, 'results-v3.lock')), false);
  });

  it('two writers that ran different agents on the same content both keep their results', async () => {
    const dir = tempDir();
    const [one, two] = [new ResultCache(new FileCacheStore(dir), { limits: LIMITS }), new ResultCache(new FileCacheStore(dir), { limits: LIMITS })];
    const byAgent = (agentId: string) => cacheKey({ contentHash: 'same', agentId, agentVersion: '1' });
    one.set(byAgent('x'), [finding('from one')]);
    two.set(byAgent('y'), [finding('from two')]);
    assert.deepEqual(await Promise.all([one.flush(), two.flush()]), [true, true]);
    const reader = new ResultCache(new FileCacheStore(dir), { limits: LIMITS });
    await reader.open();
    assert.deepEqual(reader.get(byAgent('x'), 'x')?.findings, [finding('from one')]);
    assert.deepEqual(reader.get(byAgent('y'), 'y')?.findings, [finding('from two')]);
    assert.equal(reader.stats().entries, 2);
  });

  it('a lock left by a dead process is broken after a while; a fresh one is waited for', async () => {
    const dir = tempDir();
    const lock = join(dir, 'results-v3.lock');
    writeFileSync(lock, '99999');
    const old = (Date.now() - 60_000) / 1000;
    utimesSync(lock, old, old);
    const cache = new ResultCache(new FileCacheStore(dir), { limits: LIMITS });
    cache.set(key('h'), []);
    assert.equal(await cache.flush(), true);
    assert.match(readFileSync(join(dir, 'results-v3.cache'), 'utf8'), /^\{"format":"maintenance-team-result-cache"/);
  });

  it('a store of an older format version is deleted and reported as discarded; the cache starts afresh', async () => {
    const dir = tempDir();
    const old = join(dir, 'results-v1.json');
    writeFileSync(old, '{"format":"maintenance-team-result-cache","version":1,"entries":{}}');
    const warnings: string[] = [];
    const cache = new ResultCache(new FileCacheStore(dir), { limits: LIMITS, warn: (m) => warnings.push(m) });
    await cache.open();
    assert.equal(existsSync(old), false);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /discarded \(format version 1, expected 3\)/);
    cache.set(key('h'), []);
    assert.equal(await cache.flush(), true);
    const again: string[] = [];
    await new ResultCache(new FileCacheStore(dir), { limits: LIMITS, warn: (m) => again.push(m) }).open();
    assert.deepEqual(again, []);
  });

  it('a missing directory is created; writes go through a temporary file and a rename', async () => {
    const dir = join(tempDir(), 'deep', 'cache');
    const cache = new ResultCache(new FileCacheStore(dir), { limits: LIMITS });
    await cache.open();
    cache.set(key('h'), []);
    assert.equal(await cache.flush(), true);
    assert.match(readFileSync(join(dir, 'results-v3.cache'), 'utf8'), /^\{"format":"maintenance-team-result-cache","version":3,"mac":"[\w-]{43}"\}\n/);
  });
});

describe('runAudit with a cache', () => {
  const targets = (texts: Record<string, string>): AuditTarget[] =>
    Object.entries(texts).map(([path, text]) => ({ path, absPath: `/nonexistent/${path}`, text }));
  let runs = 0;
  const counting: Agent = {
    id: 'counting', version: '1', appliesTo: () => true,
    run(input) {
      runs++;
      if (input.text.includes('FAIL')) throw new Error('boom');
      return [];
    },
  };

  it('a second audit of unchanged files is served from the cache with identical findings', async () => {
    const cache = new ResultCache(new MemoryCacheStore(), { limits: LIMITS });
    const files = { 'a.ts': "import { x } from './x';\nconst y = 1;   \n", 'b.md': 'text  \t\n' };
    const agents = [hygieneAgent, importsAgent, counting];
    runs = 0;
    const cold = await runAudit(targets(files), { root: '/r', agents, cache });
    assert.equal(runs, 2);
    const warm = await runAudit(targets(files), { root: '/r', agents, cache });
    assert.equal(runs, 2, 'no agent ran on the warm audit');
    // Cached findings never carry fixes, only whether they have one.
    assert.deepEqual(warm.files.map((f) => f.findings), cold.files.map((f) => toCachedFindings(f.findings)));
    assert.deepEqual(warm.files.map((f) => f.fromCache), [true, true]);
    assert.deepEqual([warm.cache.hits, warm.cache.misses, warm.cache.hitRate], [2, 0, 1]);
    assert.deepEqual(warm.agents.hygiene.runs, 0);
    assert.equal(cold.cache.hitRate, 0);
  });

  it('a changed file, a changed agent version and a failure all miss; the rest still hits', async () => {
    const cache = new ResultCache(new MemoryCacheStore(), { limits: LIMITS });
    await runAudit(targets({ 'a.ts': 'a;\n', 'b.ts': 'b;\n', 'c.ts': 'FAIL\n' }), { root: '/r', agents: [counting], cache });
    runs = 0;
    const next = await runAudit(targets({ 'a.ts': 'a;\n', 'b.ts': 'b2;\n', 'c.ts': 'FAIL\n' }), { root: '/r', agents: [counting], cache });
    assert.equal(runs, 2, 'b.ts changed and c.ts failed before: both run again');
    assert.deepEqual(next.files.map((f) => f.fromCache), [true, false, false]);
    runs = 0;
    await runAudit(targets({ 'a.ts': 'a;\n' }), { root: '/r', agents: [{ ...counting, version: '2' }], cache });
    assert.equal(runs, 1);
  });

  it('agents with cacheEnabled: false always run', async () => {
    const cache = new ResultCache(new MemoryCacheStore(), { limits: LIMITS });
    runs = 0;
    for (let i = 0; i < 2; i++) {
      await runAudit(targets({ 'a.ts': 'a;\n' }), { root: '/r', agents: [counting], cache, uncachedAgents: new Set(['counting']) });
    }
    assert.equal(runs, 2);
  });
});

describe('the warm fast path', () => {
  it('a file on disk is found in the cache by its bytes, BOM or not, as its decoded text would be', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bom.ts'), '\uFEFFexport const a = 1;   \n');
    writeFileSync(join(dir, 'plain.ts'), 'export const b = 2;   \n');
    const cache = new ResultCache(new MemoryCacheStore(), { limits: LIMITS });
    const onDisk = ['bom.ts', 'plain.ts'].map((path) => ({ path, absPath: join(dir, path) }));
    // First audited from the editor's text (no BOM, as VS Code gives it), then from the disk.
    const inEditor = [{ path: 'bom.ts', absPath: join(dir, 'bom.ts'), text: 'export const a = 1;   \n' },
      { path: 'plain.ts', absPath: join(dir, 'plain.ts'), text: 'export const b = 2;   \n' }];
    const first = await runAudit(inEditor, { root: dir, agents: [hygieneAgent], cache });
    const second = await runAudit(onDisk, { root: dir, agents: [hygieneAgent], cache });
    assert.deepEqual(second.files.map((f) => f.fromCache), [true, true]);
    assert.deepEqual(second.files.map((f) => f.contentHash), first.files.map((f) => f.contentHash));
    assert.deepEqual(second.files.map((f) => f.findings), first.files.map((f) => toCachedFindings(f.findings)));
  });

  it('a binary, minified or non-UTF-8 file is still skipped with its reason', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bin.dat'), Buffer.from([1, 0, 2]));
    writeFileSync(join(dir, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    writeFileSync(join(dir, 'min.js'), `${'x'.repeat(5000)}\n`);
    const cache = new ResultCache(new MemoryCacheStore(), { limits: LIMITS });
    const files = ['bin.dat', 'latin1.txt', 'min.js'].map((path) => ({ path, absPath: join(dir, path) }));
    for (let run = 0; run < 2; run++) {
      const result = await runAudit(files, { root: dir, agents: [hygieneAgent], cache });
      assert.deepEqual(result.skipped.map((s) => `${s.path}:${s.reason}`), ['bin.dat:binary', 'latin1.txt:not-utf8', 'min.js:minified']);
    }
  });
});
