/**
 * The shared (Redis) cache tier against a real `redis-server` on loopback, through the CLI. Skipped, with the
 * reason, where redis-server is not installed (CI installs the Debian package).
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import type { JsonReport } from '../../src/reports/reporter';
import { main } from '../../src/cli/main';
import { TOOL_VERSION } from '../../src/core/version';
import { cacheHome, json, tree } from './helpers/cli';

const installed = spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
const hasCli = spawnSync('redis-cli', ['--version'], { stdio: 'ignore' }).status === 0;
const SKIP = installed ? false : 'redis-server is not installed (apt-get install redis-server); shared cache integration tests skipped';

/** A port nothing listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A throw-away redis-server on loopback, without persistence; resolves once it answers PING. */
async function startRedis(...extra: string[]): Promise<{ url: string; process: ChildProcess; client: Redis }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extra], { stdio: 'ignore' });
  const password = extra.includes('--requirepass') ? extra[extra.indexOf('--requirepass') + 1] : undefined;
  return { url: `redis://127.0.0.1:${port}`, process: child, client: await waitForPing(port, password) };
}

/** A port whose cluster bus port (port + 10000) is free too. */
async function freeClusterPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port > 55_000) continue;
    const bus = createServer();
    const free = await new Promise<boolean>((resolve) => {
      bus.once('error', () => resolve(false));
      bus.listen(port + 10_000, '127.0.0.1', () => resolve(true));
    });
    if (free) await new Promise((resolve) => bus.close(resolve));
    if (free) return port;
  }
}

/** Three masters in a Redis Cluster on loopback; resolves once the cluster serves every slot. */
async function startCluster(): Promise<{ url: string; processes: ChildProcess[] }> {
  const ports: number[] = [];
  const processes: ChildProcess[] = [];
  for (let i = 0; i < 3; i++) {
    let port = await freeClusterPort();
    while (ports.includes(port)) port = await freeClusterPort();
    ports.push(port);
    processes.push(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
      '--cluster-config-file', 'nodes.conf', '--save', '', '--appendonly', 'no'], { cwd: freshDir(), stdio: 'ignore' }));
  }
  for (const port of ports) await waitForPing(port);
  const created = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes']);
  assert.equal(created.status, 0, String(created.stdout));
  const probe = new Redis({ port: ports[0], host: '127.0.0.1', maxRetriesPerRequest: 0 });
  try {
    for (let i = 0; !String(await probe.call('cluster', 'info')).includes('cluster_state:ok'); i++) {
      if (i > 100) throw new Error('the cluster never became ready');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    probe.disconnect();
  }
  return { url: `redis://127.0.0.1:${ports[0]}`, processes };
}

async function waitForPing(port: number, password?: string): Promise<Redis> {
  const client = new Redis({ port, host: '127.0.0.1', password, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      await client.ping();
      return client;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const FILES = {
  'package.json': '{ "name": "redis-demo", "dependencies": {} }\n',
  'src/a.ts': "import { unused } from './b';\nimport lodash from 'lodash';\nexport const a = lodash;   \n",
  'src/b.ts': 'export const unused = 2;\nexport function f(a: number, b: number, c: number, d: number, e: number, g: number) { return a + b + c + d + e + g; }\n',
  'notes.md': 'trailing  \t\n',
};

const findingsOf = (report: JsonReport) => report.files.map((f) => ({ path: f.path, findings: f.findings }));
// Under a folder the CLI helpers remove when the file ends.
const freshDir = () => tree();

describe('shared cache on a real redis-server', { skip: SKIP }, () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    redis?.client.disconnect();
    redis?.process.kill('SIGKILL');
  });

  it('run A fills Redis; run B on a fresh checkout with an empty local cache is served from it, identically', async () => {
    const rootA = tree(FILES);
    const a = await json(['audit', '.', '--cache-dir', freshDir(), '--cache-url', redis.url], rootA);
    assert.equal(a.stderr, '');
    assert.equal(a.report.summary.cache.shared?.enabled, true);
    assert.equal(a.report.summary.cache.shared?.hits, 0);
    assert.ok(a.report.files.some((f) => f.findings.length > 0));
    const keys = await redis.client.keys('mt:*');
    assert.ok(keys.length >= 8, `results written (${keys.length})`);
    assert.ok(keys.every((key) => key.startsWith(`mt:redis-demo:${TOOL_VERSION}:{`)), keys[0]);
    const values = await redis.client.mget(...keys);
    for (const value of values) {
      assert.ok(value !== null && !value.includes(rootA) && !value.includes('src/a.ts') && !value.includes(tmpdir()), 'no path in values');
    }

    const rootB = tree(FILES);
    const b = await json(['audit', '.', '--cache-dir', freshDir(), '--cache-url', redis.url], rootB);
    assert.equal(b.stderr, '');
    assert.deepEqual(findingsOf(b.report), findingsOf(a.report));
    assert.deepEqual(b.report.files.map((f) => f.fromCache), [true, true, true, true]);
    assert.equal(b.report.summary.cache.hitRate, 1);
    assert.deepEqual(b.report.summary.cache.lookups, { memory: 0, disk: 0, misses: 0 });
    assert.equal(b.report.summary.cache.shared?.hits, keys.length);
    assert.equal(b.report.summary.cache.shared?.breaker, 'closed');
  });

  it('a garbage value under a key is ignored, recomputed and overwritten', async () => {
    const root = tree(FILES);
    const clean = await json(['audit', '.', '--no-cache'], root);
    await json(['audit', '.', '--cache-dir', freshDir(), '--cache-url', redis.url], root);
    const keys = await redis.client.keys('mt:*');
    await redis.client.set(keys[0], '{"not": "findings"');
    await redis.client.set(keys[1], '[{"rule": 42}]');
    const again = await json(['audit', '.', '--cache-dir', freshDir(), '--cache-url', redis.url], root);
    assert.deepEqual(findingsOf(again.report), findingsOf(clean.report));
    assert.equal(again.report.summary.cache.shared?.invalid, 2);
    assert.equal(again.report.summary.cache.shared?.hits, keys.length - 2);
    assert.equal(again.report.files.filter((f) => !f.fromCache).length >= 1, true);
    for (const value of await redis.client.mget(keys[0], keys[1])) assert.ok(Array.isArray(JSON.parse(value!)), 'overwritten');
  });

  it('with Redis down from the start the audit is local, as fast, with one warning', async () => {
    const root = tree(FILES);
    const clean = await json(['audit', '.', '--no-cache'], root);
    const dead = `redis://127.0.0.1:${await freePort()}`;
    const started = performance.now();
    const down = await json(['audit', '.', '--cache-dir', freshDir(), '--cache-url', dead], root);
    assert.ok(performance.now() - started < 5000);
    assert.deepEqual(findingsOf(down.report), findingsOf(clean.report));
    assert.match(down.stderr, /warning: shared cache redis:\/\/127\.0\.0\.1:\d+ failed/);
    assert.ok((down.report.summary.cache.shared?.errors ?? 0) >= 1);
  });

  it('a password comes from the environment variable the user names, and is never printed', async () => {
    const secured = await startRedis('--requirepass', 's3cret-pw');
    try {
      const root = tree(FILES);
      const cli = async (env: Record<string, string>) => {
        let stdout = '';
        let stderr = '';
        const code = await main(['audit', '.', '--format', 'json', '--cache-dir', freshDir(), '--cache-password-env', 'MT_TEST_REDIS_PASSWORD'], {
          stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) },
          cwd: root, env: { XDG_CACHE_HOME: cacheHome, MAINTENANCE_TEAM_CACHE_URL: secured.url, ...env },
        }, { inThread: true });
        return { code, report: JSON.parse(stdout) as JsonReport, stderr };
      };
      const right = await cli({ MT_TEST_REDIS_PASSWORD: 's3cret-pw' });
      assert.equal(right.stderr, '');
      assert.ok((await secured.client.dbsize()) > 0);
      const wrong = await cli({ MT_TEST_REDIS_PASSWORD: 'wrong-pw' });
      assert.deepEqual(findingsOf(wrong.report), findingsOf(right.report));
      assert.match(wrong.stderr, /shared cache .* failed/);
      assert.ok(!wrong.stderr.includes('wrong-pw') && !JSON.stringify(wrong.report).includes('wrong-pw'));
    } finally {
      secured.client.disconnect();
      secured.process.kill('SIGKILL');
    }
  });

  it('Redis Cluster: run B on a fresh checkout is served from a three-node cluster', { skip: !hasCli && 'redis-cli (redis-tools) is needed to create the cluster' }, async () => {
    const cluster = await startCluster();
    try {
      const flags = ['--cache-url', cluster.url, '--cache-cluster'];
      const a = await json(['audit', '.', '--cache-dir', freshDir(), ...flags], tree(FILES));
      assert.equal(a.stderr, '');
      const b = await json(['audit', '.', '--cache-dir', freshDir(), ...flags], tree(FILES));
      assert.equal(b.stderr, '');
      assert.deepEqual(findingsOf(b.report), findingsOf(a.report));
      assert.equal(b.report.summary.cache.hitRate, 1);
      assert.ok((b.report.summary.cache.shared?.hits ?? 0) >= 8);
    } finally {
      for (const child of cluster.processes) child.kill('SIGKILL');
    }
  });

  it('Redis killed mid-audit: the audit completes with the same findings as without cache, and says the tier failed', async () => {
    const victim = await startRedis();
    const files: Record<string, string> = { 'package.json': '{ "name": "kill-demo" }\n' };
    for (let i = 0; i < 300; i++) {
      files[`src/m${i}.ts`] = `import { x${i} } from './dep';\nexport function f${i}(a: number) {\n  if (a > ${i}) { return a; }   \n  return ${i};\n}\n`;
    }
    const root = tree(files);
    const clean = await json(['audit', '.', '--no-cache'], root);
    let killedAt = 0;
    const poll = setInterval(() => {
      void victim.client.dbsize().then((n) => {
        if (n > 0 && killedAt === 0) {
          killedAt = performance.now();
          victim.process.kill('SIGKILL');
        }
      }, () => undefined);
    }, 5);
    try {
      const run = await json(['audit', '.', '--cache-dir', freshDir(), '--cache-url', victim.url], root);
      const finishedAt = performance.now();
      assert.ok(killedAt > 0 && killedAt < finishedAt, 'Redis was killed while the audit ran');
      assert.deepEqual(findingsOf(run.report), findingsOf(clean.report));
      assert.equal(run.report.files.length, 301);
      assert.match(run.stderr, /shared cache redis:\/\/127\.0\.0\.1:\d+ (failed|unavailable)/);
      assert.ok((run.report.summary.cache.shared?.errors ?? 0) >= 1);
    } finally {
      clearInterval(poll);
      victim.client.disconnect();
      victim.process.kill('SIGKILL');
    }
  });
});
