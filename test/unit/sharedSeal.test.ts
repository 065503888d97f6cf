import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hygieneAgent } from '../../src/agents/hygiene';
import { ResultCache } from '../../src/core/cache/resultCache';
import { openSharedTier } from '../../src/core/cache/shared/openSharedTier';
import { hmacSeal, MIN_SHARED_KEY_LENGTH, PLAIN_VALUES, SHARED_CACHE_KEY_ENV, type ValueSeal } from '../../src/core/cache/shared/sharedSeal';
import { namespacePrefix } from '../../src/core/cache/shared/sharedKeys';
import { SharedTier } from '../../src/core/cache/shared/sharedTier';
import { MemoryCacheStore } from '../../src/core/cache/store';
import { defaultConfig } from '../../src/core/config/schema';
import { runAudit } from '../../src/core/run/coordinator';
import { FakeRedis } from './helpers/fakeRedis';

const TEAM_KEY = 'team-key-of-at-least-16-chars';
const TEXTS: Record<string, string> = { 'dirty.ts': 'const x = 1;   \n', 'clean.ts': 'export const ok = 2;\n' };
const LIMITS = { maxEntries: 10_000, maxBytes: 1e8, ttlMs: 0 };

/** An audit of TEXTS by the hygiene agent with a fresh local cache over `redis`, values sealed with `seal`. */
async function audit(redis: FakeRedis, seal: ValueSeal) {
  const shared = new SharedTier({ client: redis, keyPrefix: namespacePrefix({ prefix: 'mt', projectId: 'p', toolVersion: '1' }), ttlMs: 60_000, seal, writeDelayMs: 1 });
  const cache = new ResultCache(new MemoryCacheStore(), { limits: LIMITS, shared });
  const targets = Object.entries(TEXTS).map(([path, text]) => ({ path, absPath: `/r/${path}`, text }));
  const result = await runAudit(targets, { root: '/r', agents: [hygieneAgent], cache });
  await cache.flush();
  const rules = (path: string) => result.files.find((f) => f.path === path)!.findings.map((f) => f.rule);
  return { result, rules, shared: result.cache.shared! };
}

/** The Redis key written for each file, found by the value a cold run stored (the dirty file's holds a finding). */
function keysByFile(redis: FakeRedis): { dirty: string; clean: string } {
  const entries = [...redis.data.entries()];
  const dirty = entries.find(([, { value }]) => value.includes('trailing-whitespace'));
  const clean = entries.find(([, { value }]) => !value.includes('trailing-whitespace'));
  assert.ok(dirty && clean, 'the cold run wrote both files');
  return { dirty: dirty[0], clean: clean[0] };
}

describe('shared cache values under a team key', { timeout: 20_000 }, () => {
  it('without a team key, anyone who can write to Redis hides a file\'s findings (the risk the key removes)', async () => {
    const redis = new FakeRedis();
    await audit(redis, PLAIN_VALUES);
    redis.data.set(keysByFile(redis).dirty, { value: '[]', ttlMs: 60_000 });
    const warm = await audit(redis, PLAIN_VALUES);
    assert.deepEqual(warm.rules('dirty.ts'), [], 'a planted empty list is believed');
  });

  it('with a team key: a planted value, or a clean file\'s value moved onto the dirty file\'s key, is not believed', async () => {
    const seal = hmacSeal(TEAM_KEY);
    const redis = new FakeRedis();
    const cold = await audit(redis, seal);
    assert.deepEqual(cold.rules('dirty.ts'), ['hygiene/trailing-whitespace']);
    const { dirty, clean } = keysByFile(redis);
    assert.match(redis.data.get(dirty)!.value, /^mt1\.[\w-]{43}\./, 'stored sealed');
    for (const planted of ['[]', redis.data.get(clean)!.value, hmacSeal('another-key-of-16-chars').seal('x', '[]')]) {
      redis.data.set(dirty, { value: planted, ttlMs: 60_000 });
      const warm = await audit(redis, seal);
      assert.deepEqual(warm.rules('dirty.ts'), ['hygiene/trailing-whitespace'], `believed ${planted.slice(0, 40)}`);
      assert.equal(warm.shared.invalid, 1);
      assert.equal(warm.shared.hits, 1, 'the clean file is still served from Redis');
    }
  });

  it('teammates with the same key share results; a different key or none is a miss, never a wrong result', async () => {
    const redis = new FakeRedis();
    await audit(redis, hmacSeal(TEAM_KEY));
    const same = await audit(redis, hmacSeal(TEAM_KEY));
    assert.equal(same.shared.hits, 2);
    const other = await audit(redis, hmacSeal(`${TEAM_KEY}-rotated`));
    assert.deepEqual([other.shared.hits, other.shared.invalid], [0, 2]);
    assert.deepEqual(other.rules('dirty.ts'), ['hygiene/trailing-whitespace']);
    const none = await audit(redis, PLAIN_VALUES);
    assert.deepEqual([none.shared.hits, none.shared.invalid], [0, 2]);
    assert.deepEqual(none.rules('dirty.ts'), ['hygiene/trailing-whitespace']);
  });

  it(`takes the key from ${SHARED_CACHE_KEY_ENV} only; one shorter than ${MIN_SHARED_KEY_LENGTH} disables the tier, unquoted`, async () => {
    const settings = defaultConfig().global.cache.shared;
    const endpoint = { url: 'redis://cache:6379', passwordEnv: 'MAINTENANCE_TEAM_CACHE_PASSWORD', nodes: [], cluster: false };
    const redis = new FakeRedis();
    const warnings: string[] = [];
    const short = 'short-key';
    const off = openSharedTier(settings, { root: '/r', env: { [SHARED_CACHE_KEY_ENV]: short }, endpoint, createClient: () => redis, warn: (m) => warnings.push(m) });
    assert.equal(off, undefined);
    assert.match(warnings.join('\n'), new RegExp(`shared cache disabled: ${SHARED_CACHE_KEY_ENV} is shorter than 16 characters`));
    assert.ok(!warnings.join('\n').includes(short), 'the key is not quoted');
    const on = openSharedTier(settings, { root: '/r', env: { [SHARED_CACHE_KEY_ENV]: TEAM_KEY }, endpoint, createClient: () => redis });
    on!.setMany([['k'.repeat(32) + '.1', []]]);
    await on!.close();
    assert.match([...redis.data.values()][0].value, /^mt1\./, 'the tier from the environment seals its values');
  });
});
