import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { hygieneAgent } from '../../src/agents/hygiene';
import { structureAgent } from '../../src/agents/structure';
import { parseArgs } from '../../src/cli/args';
import { toCachedFindings } from '../../src/core/cache/cachedFindings';
import { ResultCache } from '../../src/core/cache/resultCache';
import { openSharedTier } from '../../src/core/cache/shared/openSharedTier';
import type { RedisConnectionSettings } from '../../src/core/cache/shared/redisClient';
import { MemoryCacheStore } from '../../src/core/cache/store';
import { parseConfig } from '../../src/core/config/load';
import { configJsonSchema, defaultConfig } from '../../src/core/config/schema';
import { runAudit, type AuditTarget } from '../../src/core/run/coordinator';
import { TOOL_VERSION } from '../../src/core/version';
import { parseRedisUrl, describeEndpoint } from '../../src/core/cache/shared/redisUrl';
import { decodeFindings, defaultProjectId, encodeFindings, namespacePrefix, sharedKey } from '../../src/core/cache/shared/sharedKeys';
import { SharedTier, type SharedTierOptions } from '../../src/core/cache/shared/sharedTier';
import type { AuditResult, Finding } from '../../src/core/model';
import { FakeRedis } from './helpers/fakeRedis';
import { FakeClock } from './helpers/fakeTime';
import { tempDir } from './helpers/tempDirs';

const finding = (rule: string, line = 1): Finding => ({
  agent: rule.split('/')[0], rule, severity: 'warning', message: `${rule} here`,
  range: { start: { line, column: 1 }, end: { line, column: 4 } },
});
const PREFIX = namespacePrefix({ prefix: 'mt', projectId: 'demo', toolVersion: '1.2.3' });
const KEY_A = 'a'.repeat(32) + '.1111111111111111';
const KEY_B = 'b'.repeat(32) + '.2222222222222222';

function tier(redis: FakeRedis, options: Partial<SharedTierOptions> = {}) {
  const warnings: string[] = [];
  const clock = new FakeClock(1_000_000);
  const shared = new SharedTier({
    client: redis, keyPrefix: PREFIX, ttlMs: 60_000, clock, warn: (m) => warnings.push(m), writeDelayMs: 5, ...options,
  });
  return { shared, warnings, clock };
}

describe('shared tier: keys and values', () => {
  it('keys are namespaced by prefix, project and tool version, with the content hash as a cluster hash tag', () => {
    assert.equal(PREFIX, 'mt:demo:1.2.3:');
    assert.equal(sharedKey(PREFIX, KEY_A), `mt:demo:1.2.3:{${'a'.repeat(32)}}.1111111111111111`);
    // Separators and braces in a project name cannot break out of their part of the key.
    assert.equal(namespacePrefix({ prefix: 'mt', projectId: 'we:ird {name}', toolVersion: '1' }), 'mt:we_ird__name_:1:');
  });

  it('values are the findings alone; anything else decodes to undefined', () => {
    const findings = [finding('hygiene/final-newline', 3)];
    assert.deepEqual(decodeFindings(encodeFindings(findings)!), findings);
    assert.deepEqual(decodeFindings('[]'), []);
    for (const garbage of ['not json', '{"rule":"x"}', '[{"rule":1}]', '[null]', '"text"', '[{"rule":"r","message":"m","severity":"info"}]']) {
      assert.equal(decodeFindings(garbage), undefined, garbage);
    }
  });

  it('Redis URLs: redis:// and rediss://, user and db kept, a password refused without echoing it', () => {
    assert.deepEqual(parseRedisUrl('redis://cache.internal:6380/2'), { host: 'cache.internal', port: 6380, username: undefined, db: 2, tls: false });
    const tls = parseRedisUrl('rediss://mt-ci@cache.example.com');
    assert.deepEqual(tls, { host: 'cache.example.com', port: 6379, username: 'mt-ci', db: 0, tls: true });
    assert.equal(describeEndpoint(tls), 'rediss://cache.example.com:6379');
    assert.throws(() => parseRedisUrl('redis://:hunter2@host:6379'), (e: Error) => /passwordEnv/.test(e.message) && !e.message.includes('hunter2'));
    assert.throws(() => parseRedisUrl('redis://user:hunter2@host'), /passwordEnv/);
    assert.throws(() => parseRedisUrl('http://host'), /redis:\/\//);
    assert.throws(() => parseRedisUrl('host:6379'), /scheme|URL/);
  });
});

describe('shared tier: lookups', () => {
  it('one MGET per call; hits decoded, absent keys are misses; stats count them', async () => {
    const redis = new FakeRedis();
    const { shared } = tier(redis);
    redis.data.set(sharedKey(PREFIX, KEY_A), { value: encodeFindings([finding('imports/unused')])!, ttlMs: 1 });
    const found = await shared.getMany([KEY_A, KEY_B]);
    assert.deepEqual([...found.keys()], [KEY_A]);
    assert.equal(found.get(KEY_A)![0].rule, 'imports/unused');
    assert.deepEqual(redis.mgets, [[sharedKey(PREFIX, KEY_A), sharedKey(PREFIX, KEY_B)]]);
    const stats = shared.stats();
    assert.deepEqual([stats.hits, stats.misses, stats.errors, stats.invalid, stats.breaker], [1, 1, 0, 0, 'closed']);
    assert.equal(redis.calls.connect, 1);
    await shared.getMany([KEY_A]);
    assert.equal(redis.calls.connect, 1, 'connected once');
  });

  it('another project or tool version never sees the results', async () => {
    const redis = new FakeRedis();
    const a = tier(redis).shared;
    a.setMany([[KEY_A, [finding('security/eval')]]]);
    assert.equal(await a.flush(), true);
    const other = tier(redis, { keyPrefix: namespacePrefix({ prefix: 'mt', projectId: 'other', toolVersion: '1.2.3' }) }).shared;
    const newer = tier(redis, { keyPrefix: namespacePrefix({ prefix: 'mt', projectId: 'demo', toolVersion: '1.2.4' }) }).shared;
    assert.equal((await other.getMany([KEY_A])).size, 0);
    assert.equal((await newer.getMany([KEY_A])).size, 0);
    assert.equal((await a.getMany([KEY_A])).size, 1);
  });

  it('a value that fails validation is a miss, counted as invalid', async () => {
    const redis = new FakeRedis();
    const { shared } = tier(redis);
    redis.garbage = '{"this":"is not a list of findings"}';
    assert.equal((await shared.getMany([KEY_A, KEY_B])).size, 0);
    const stats = shared.stats();
    assert.deepEqual([stats.hits, stats.misses, stats.invalid, stats.errors], [0, 2, 2, 0]);
  });

  it('timeouts fall back to nothing, open the breaker after 3, and Redis is not asked again until the probe', async () => {
    const redis = new FakeRedis();
    const { shared, clock, warnings } = tier(redis, { timeoutMs: 15 });
    await shared.open();
    redis.mode = 'hang';
    for (let i = 0; i < 3; i++) assert.equal((await shared.getMany([KEY_A])).size, 0);
    assert.equal(shared.stats().breaker, 'open');
    assert.equal(shared.stats().errors, 3);
    for (let i = 0; i < 5; i++) await shared.getMany([KEY_A, KEY_B]);
    assert.equal(redis.calls.mget, 3, 'an open breaker asks nothing');
    assert.equal(shared.stats().skipped, 10);
    assert.match(warnings[0], /MGET timed out after 15 ms/);
    assert.match(warnings[1], /unavailable; not asked again for 30 s/);
    clock.advance(29_999);
    await shared.getMany([KEY_A]);
    assert.equal(redis.calls.mget, 3);
    clock.advance(1);
    redis.mode = 'ok';
    redis.data.set(sharedKey(PREFIX, KEY_A), { value: '[]', ttlMs: 1 });
    assert.deepEqual(await shared.getMany([KEY_A]), new Map([[KEY_A, []]]), 'the probe is served');
    assert.equal(redis.calls.mget, 4);
    assert.equal(shared.stats().breaker, 'closed');
    assert.match(warnings.at(-1)!, /is back/);
  });

  it('a failed probe re-opens the breaker for twice as long', async () => {
    const redis = new FakeRedis();
    redis.mode = 'fail';
    const { shared, clock, warnings } = tier(redis);
    for (let i = 0; i < 3; i++) await shared.getMany([KEY_A]);
    clock.advance(30_000);
    await shared.getMany([KEY_A]);
    assert.equal(shared.stats().breaker, 'open');
    assert.match(warnings.at(-1)!, /not asked again for 60 s/);
    assert.equal(warnings.filter((w) => /failed/.test(w)).length, 1, 'the first failure is logged once, not every one');
  });

  it('latency percentiles come from the calls that answered', async () => {
    const redis = new FakeRedis();
    let now = 0;
    const { shared } = tier(redis, { elapsed: () => now });
    const steps = [1, 1, 1, 1, 1, 1, 1, 1, 1, 9];
    redis.mget = async (keys) => {
      now += steps.shift()!;
      return keys.map(() => null);
    };
    for (let i = 0; i < 10; i++) await shared.getMany([KEY_A]);
    assert.deepEqual(shared.stats().latencyMs, { p50: 1, p95: 9 });
  });
});

describe('shared tier: writes', () => {
  it('are queued and sent in pipelined batches with the TTL, off the caller', async () => {
    const redis = new FakeRedis();
    const { shared } = tier(redis, { writeBatchSize: 3, writeDelayMs: 10_000 });
    shared.setMany([[KEY_A, [finding('hygiene/final-newline')]]]);
    assert.equal(redis.calls.setMany, 0, 'nothing sent while the caller runs');
    const more = Array.from({ length: 6 }, (_, i) => [`${String(i).repeat(32)}.x`, []] as const);
    shared.setMany(more);
    assert.equal(await shared.flush(), true);
    assert.deepEqual(redis.pipelines.map((p) => p.length), [3, 3, 1]);
    assert.equal(redis.data.get(sharedKey(PREFIX, KEY_A))?.ttlMs, 60_000);
    assert.equal(shared.stats().writes, 7);
  });

  it('a partial batch leaves after the quiet delay', async () => {
    const redis = new FakeRedis();
    const { shared } = tier(redis, { writeDelayMs: 5 });
    shared.setMany([[KEY_A, []], [KEY_B, []]]);
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.deepEqual(redis.pipelines.map((p) => p.length), [2]);
  });

  it('a hung Redis cannot hold flush past its cap; writes beyond the queue bound are dropped', async () => {
    const redis = new FakeRedis();
    const { shared } = tier(redis, { maxQueuedWrites: 2, writeDelayMs: 10_000 });
    await shared.open();
    redis.mode = 'hang';
    shared.setMany([[KEY_A, []], [KEY_B, []], ['c'.repeat(32) + '.3', []]]);
    assert.equal(shared.stats().droppedWrites, 1);
    const started = performance.now();
    assert.equal(await shared.flush(30), false);
    assert.ok(performance.now() - started < 1000);
  });

  it('close flushes, quits, and makes later calls no-ops', async () => {
    const redis = new FakeRedis();
    const { shared } = tier(redis, { writeDelayMs: 10_000 });
    shared.setMany([[KEY_A, []]]);
    await shared.close();
    assert.equal(redis.calls.setMany, 1);
    assert.equal(redis.calls.quit, 1);
    assert.equal((await shared.getMany([KEY_A])).size, 0);
    assert.equal(redis.calls.mget, 0);
  });
});

const LIMITS = { maxEntries: 10_000, maxBytes: 1e8, ttlMs: 0 };
const TEXTS: Record<string, string> = {
  'secret-dir/a.ts': 'const x = 1;   \n',
  'secret-dir/b.ts': 'export function f() {\n\treturn 1;\n}\n',
  'c.ts': 'export const ok = 2;\n',
};
const targetsOf = (texts: Record<string, string>): AuditTarget[] =>
  Object.entries(texts).map(([path, text]) => ({ path, absPath: `/home/someone/project/${path}`, text }));
const AGENTS = [structureAgent, hygieneAgent];

/** An audit of TEXTS with a fresh local cache over the given Redis fake. */
async function auditWith(redis: FakeRedis, options: Partial<SharedTierOptions> = {}, store = new MemoryCacheStore()) {
  const shared = tier(redis, options).shared;
  const cache = new ResultCache(store, { limits: LIMITS, shared });
  const result = await runAudit(targetsOf(TEXTS), { root: '/home/someone/project', agents: AGENTS, cache });
  await cache.flush();
  return { result, cache, store, shared };
}
/** Findings as the cache keeps them (no fixes: cachedFindings.ts), so warm and cold runs compare equal. */
const findingsOf = (result: AuditResult) => result.files.map((f) => [f.path, toCachedFindings(f.findings)]);

describe('shared tier behind the result cache', () => {
  it('a fresh local cache is served from L3 in one MGET per file; hits are promoted to L1 and L2', async () => {
    const redis = new FakeRedis();
    const cold = await auditWith(redis);
    assert.equal(cold.result.cache.shared?.hits, 0);
    assert.equal(redis.data.size, 6, 'every computed result written');
    for (const { value } of redis.data.values()) {
      assert.ok(!value.includes('secret-dir') && !value.includes('/home/someone'), `no path in ${value}`);
    }
    redis.mgets.length = 0;
    const warm = await auditWith(redis);
    assert.deepEqual(findingsOf(warm.result), findingsOf(cold.result));
    assert.equal(redis.mgets.length, 3, 'one MGET per file, never one per agent');
    assert.ok(redis.mgets.every((keys) => keys.length === 2));
    assert.deepEqual(warm.result.files.map((f) => f.fromCache), [true, true, true]);
    assert.equal(warm.result.cache.hitRate, 1);
    assert.deepEqual(warm.result.cache.shared, {
      enabled: true, hits: 6, misses: 0, errors: 0, invalid: 0, skipped: 0, latencyMs: warm.result.cache.shared!.latencyMs, breaker: 'closed',
    });
    // Promoted: the same cache answers from memory, a new one over its store from disk, without asking Redis.
    const again = await runAudit(targetsOf(TEXTS), { root: '/r', agents: AGENTS, cache: warm.cache });
    assert.equal(again.cache.lookups.memory, 6);
    const fromDisk = await runAudit(targetsOf(TEXTS), { root: '/r', agents: AGENTS, cache: new ResultCache(warm.store, { limits: LIMITS }) });
    assert.ok(fromDisk.cache.lookups.disk > 0);
    assert.equal(fromDisk.cache.lookups.disk + fromDisk.cache.lookups.memory, 6);
    assert.equal(redis.mgets.length, 3);
    assert.equal(redis.calls.setMany, 1, 'the cold run wrote once, in one pipeline; hits are not written back');
  });

  it('a garbage value is ignored, the result recomputed and the value overwritten', async () => {
    const redis = new FakeRedis();
    const cold = await auditWith(redis);
    const [firstKey] = redis.data.keys();
    redis.data.set(firstKey, { value: '[{"rule": 7}]', ttlMs: 1 });
    const warm = await auditWith(redis);
    assert.deepEqual(findingsOf(warm.result), findingsOf(cold.result));
    assert.equal(warm.result.cache.shared?.invalid, 1);
    assert.equal(warm.result.cache.shared?.hits, 5);
    assert.equal(warm.result.files.filter((f) => !f.fromCache).length, 1);
    assert.notEqual(decodeFindings(redis.data.get(firstKey)!.value), undefined, 'overwritten with the recomputed result');
  });

  it('Redis failing: same findings as without cache, breaker open after 3 calls, no call after that', async () => {
    const redis = new FakeRedis();
    redis.mode = 'fail';
    const plain = await runAudit(targetsOf(TEXTS), { root: '/r', agents: AGENTS });
    const broken = await auditWith(redis, {}, new MemoryCacheStore());
    assert.deepEqual(findingsOf(broken.result), findingsOf(plain));
    assert.ok(redis.calls.mget <= 3);
    const more = { ...TEXTS, 'd.ts': 'let d = 4;\n', 'e.ts': 'let e = 5;\n' };
    const cache = new ResultCache(new MemoryCacheStore(), { limits: LIMITS, shared: broken.shared });
    const before = redis.calls.mget;
    const result = await runAudit(targetsOf(more), { root: '/r', agents: AGENTS, cache });
    assert.equal(redis.calls.mget, before, 'an open breaker is not asked');
    assert.equal(result.cache.shared?.breaker, 'open');
    assert.equal(result.cache.shared?.skipped, 10);
  });

  it('without a URL there is no tier, and the summary says so', async () => {
    assert.equal(openSharedTier(defaultConfig().global.cache.shared, { root: '/r', env: {} }), undefined);
    const cache = new ResultCache(new MemoryCacheStore(), { limits: LIMITS });
    const result = await runAudit(targetsOf(TEXTS), { root: '/r', agents: AGENTS, cache });
    assert.equal(result.cache.shared?.enabled, false);
  });

  it('the tier is built from the user\'s endpoint (url, password from the named variable, cluster nodes) and the config\'s namespace', async () => {
    const seen: RedisConnectionSettings[] = [];
    const redis = new FakeRedis();
    const settings = { ...defaultConfig().global.cache.shared, projectId: 'web app', keyPrefix: 'acme', timeoutMs: 80 };
    const endpoint = { url: 'rediss://ci@cache:6380', passwordEnv: 'TEAM_REDIS_PW', nodes: ['cache-2:6380'], cluster: false };
    const shared = openSharedTier(settings, {
      root: '/r', env: { TEAM_REDIS_PW: 'pw-from-env' }, endpoint, createClient: (s) => (seen.push(s), redis),
    })!;
    assert.deepEqual(seen.map((s) => [s.url, s.password, s.nodes]), [['rediss://ci@cache:6380', 'pw-from-env', ['cache-2:6380']]]);
    await shared.getMany([KEY_A]);
    assert.ok(redis.mgets[0][0].startsWith(`acme:web_app:${TOOL_VERSION}:{`), redis.mgets[0][0]);
    const warnings: string[] = [];
    openSharedTier(settings, { root: '/r', env: {}, endpoint, createClient: () => redis, warn: (m) => warnings.push(m) });
    assert.match(warnings[0], /variable named for the password is not set/);
    assert.equal(openSharedTier(settings, { root: '/r', env: {}, endpoint: { ...endpoint, url: 'redis://:pw@x' }, warn: (m) => warnings.push(m) }), undefined);
    assert.match(warnings.at(-1)!, /disabled: .*passwordEnv/);
    assert.ok(!warnings.join('\n').includes(':pw@'), 'the URL is not quoted');
  });

  it('the default project id is package.json name, else the repository folder name, never a path', async () => {
    const root = tempDir('mt-project-');
    mkdirSync(join(root, 'repo-name', '.git'), { recursive: true });
    mkdirSync(join(root, 'repo-name', 'pkg', 'src'), { recursive: true });
    assert.equal(await defaultProjectId(join(root, 'repo-name', 'pkg', 'src')), 'repo-name');
    writeFileSync(join(root, 'repo-name', 'pkg', 'package.json'), '{"name": "@acme/pkg"}');
    assert.equal(await defaultProjectId(join(root, 'repo-name', 'pkg', 'src')), '@acme/pkg');
  });
});

describe('shared tier config', () => {
  it('defaults: prefix mt, 7 days, 150 ms (where to connect is the user\'s: see hostileTrust.test.ts)', () => {
    const shared = defaultConfig().global.cache.shared;
    assert.deepEqual(shared, { keyPrefix: 'mt', ttlSeconds: 604_800, timeoutMs: 150 });
  });

  it('a URL in the YAML (with a password) is ignored with a warning that does not repeat it; the tier stays off', () => {
    const { config, problems } = parseConfig('global:\n  cache:\n    shared:\n      url: redis://admin:hunter2@cache:6379\n      timeoutMs: 90\n');
    assert.equal(config.global.cache.shared.timeoutMs, 90);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].severity, 'warning');
    assert.match(problems[0].message, /^global\.cache\.shared\.url: .*--cache-url.*; ignored$/);
    assert.ok(!problems[0].message.includes('hunter2'));
    assert.equal(problems[0].range.start.line, 4);
  });

  it('the editor schema offers the shared settings a repository may set, and none of the user\'s', () => {
    const schema = JSON.stringify(configJsonSchema());
    for (const key of ['keyPrefix', 'projectId', 'timeoutMs', 'ttlSeconds']) assert.ok(schema.includes(`"${key}"`), key);
    for (const key of ['passwordEnv', 'nodes', 'cluster']) assert.ok(!schema.includes(`"${key}"`), key);
  });
});

describe('--cache-url', () => {
  it('is parsed, refused with a password (not echoed) and with --no-cache', () => {
    const ok = parseArgs(['audit', '.', '--cache-url', 'rediss://ci@cache:6380']);
    assert.equal(ok.kind === 'audit' && ok.cacheUrl, 'rediss://ci@cache:6380');
    const secret = parseArgs(['audit', '.', '--cache-url=redis://:hunter2@cache']);
    assert.equal(secret.kind, 'usage-error');
    assert.ok(secret.kind === 'usage-error' && /passwordEnv/.test(secret.message) && !secret.message.includes('hunter2'));
    assert.equal(parseArgs(['audit', '.', '--cache-url', 'redis://cache', '--no-cache']).kind, 'usage-error');
  });
});
