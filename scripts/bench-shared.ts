/**
 * `npm run bench:shared`: the shared (Redis) cache tier on a real TypeScript corpus, as a ratio to the read+hash
 * floor measured in the same run (these machines are shared and noisy: ratios hold, absolute times mean little).
 *
 *   floor   list the files, read and SHA-256 each one (what any warm audit must at least do)
 *   run A   cold audit with an empty local cache and an empty Redis: every agent runs, results go to Redis
 *   run B   a fresh copy of the corpus (another checkout) with an empty local cache: served from Redis
 *
 * Needs `redis-server` on the PATH (started here on a free loopback port, no persistence).
 * The corpus is the TypeScript files under node_modules (BENCH_FILES, default 3000), as in scripts/bench.ts.
 * BENCH_RUNS (default 3) repeats floor and run B (each time on a new copy and an empty local cache); medians kept.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Redis } from 'ioredis';
import pLimit from 'p-limit';
import { createTeam } from '../src/agents/registry';
import { ResultCache } from '../src/core/cache/resultCache';
import { createRedisClient } from '../src/core/cache/shared/redisClient';
import { SharedTier } from '../src/core/cache/shared/sharedTier';
import { FileCacheStore } from '../src/core/cache/store';
import { runAudit } from '../src/core/run/coordinator';
import type { AuditResult } from '../src/core/model';
import { ProjectIndex } from '../src/core/files/projectContext';
import { listFiles, toAuditTargets } from '../src/core/files/walker';

const ROOT = join(__dirname, '..');
const FILES = Number(process.env.BENCH_FILES ?? 3000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SCRIPT = /\.(?:[cm]?ts|tsx)$/;

function collect(dir: string, out: string[]): void {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (out.length >= FILES) return;
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== '.cache') collect(path, out);
    else if (entry.isFile() && SCRIPT.test(entry.name) && statSync(path).size < 200_000) out.push(path);
  }
}

/** The corpus's files, relative to node_modules. */
function corpusFiles(): string[] {
  const sources: string[] = [];
  collect(join(ROOT, 'node_modules'), sources);
  return sources.map((source) => relative(join(ROOT, 'node_modules'), source));
}

/** A new checkout of the corpus under `dir`: same contents, another path. */
function checkout(files: readonly string[], dir: string): string {
  for (const rel of files) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    cpSync(join(ROOT, 'node_modules', rel), join(dir, rel));
  }
  return dir;
}

/** Synchronous reads, as the audit reads (see scripts/bench.ts). */
async function floor(root: string): Promise<number> {
  const started = performance.now();
  const { files } = await listFiles(root);
  for (const f of files) createHash('sha256').update(readFileSync(join(root, f))).digest('hex');
  return performance.now() - started;
}

/** `fs/promises` reads, 4 per CPU: the floor of DESIGN.md's anchors and of the issue 5 targets. */
async function asyncFloor(root: string): Promise<number> {
  const started = performance.now();
  const { files } = await listFiles(root);
  const limit = pLimit(availableParallelism() * 4);
  await Promise.all(files.map((f) => limit(async () => createHash('sha256').update(await readFile(join(root, f))).digest('hex'))));
  return performance.now() - started;
}

/** One audit as the CLI runs it: empty local cache in `cacheDir`, the shared tier on `url`, flushed and closed. */
async function audit(root: string, cacheDir: string, url: string): Promise<{ ms: number; result: AuditResult }> {
  const started = performance.now();
  const shared = new SharedTier({
    client: createRedisClient({ url, connectTimeoutMs: 1000, commandTimeoutMs: 1000 }),
    keyPrefix: 'mt:bench:dev:', ttlMs: 3_600_000, warn: (message) => console.error(`warning: ${message}`),
  });
  const cache = new ResultCache(new FileCacheStore(cacheDir), { limits: { maxEntries: 50_000, maxBytes: 256 * 1024 * 1024, ttlMs: 0 }, shared });
  void cache.open();
  const { files, listings } = await listFiles(root, { keepListings: true });
  const result = await runAudit(toAuditTargets(root, files), { root, agents: createTeam(), cache, project: new ProjectIndex(root, listings) });
  await cache.flush();
  await shared.close();
  return { ms: performance.now() - started, result };
}

async function startRedis(): Promise<{ url: string; stop: () => void }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await probe.connect();
      await probe.ping();
      break;
    } catch (error) {
      if (i > 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  probe.disconnect();
  return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ratio = (x: number, base: number) => `${(x / base).toFixed(2)}×`;
const pct = (r: AuditResult) => `${(r.cache.hitRate * 100).toFixed(1)} %`;
const sameFindings = (a: AuditResult, b: AuditResult) =>
  JSON.stringify(a.files.map((f) => [f.path, f.findings])) === JSON.stringify(b.files.map((f) => [f.path, f.findings]));

async function main(): Promise<void> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status !== 0) {
    console.error('redis-server is not installed (apt-get install redis-server): nothing measured');
    process.exitCode = 1;
    return;
  }
  const files = corpusFiles();
  const dir = mkdtempSync(join(tmpdir(), 'mt-bench-shared-'));
  const redis = await startRedis();
  try {
    const bytes = files.reduce((sum, rel) => sum + statSync(join(ROOT, 'node_modules', rel)).size, 0);
    console.log(`corpus: ${files.length} TypeScript files, ${(bytes / 1e6).toFixed(1)} MB (from node_modules); ${availableParallelism()} CPUs; Redis on loopback`);
    const rootA = checkout(files, join(dir, 'checkout-a'));
    await floor(rootA); // warm the OS page cache
    const a = await audit(rootA, join(dir, 'cache-a'), redis.url);
    const floors: number[] = [];
    const asyncFloors: number[] = [];
    const runs: { ms: number; result: AuditResult }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const rootB = checkout(files, join(dir, `checkout-b${i}`));
      floors.push(await floor(rootB));
      asyncFloors.push(await asyncFloor(rootB));
      runs.push(await audit(rootB, join(dir, `cache-b${i}`), redis.url));
      floors.push(await floor(rootB));
      asyncFloors.push(await asyncFloor(rootB));
    }
    const base = median(asyncFloors);
    const strict = median(floors);
    const b = runs.sort((x, y) => x.ms - y.ms)[Math.floor(runs.length / 2)];
    console.log('');
    console.log('| run | wall ms | × floor | × strict floor | agent results from cache |');
    console.log('|---|---|---|---|---|');
    const row = (what: string, ms: number, cached: string) =>
      console.log(`| ${what} | ${ms.toFixed(0)} | ${ratio(ms, base)} | ${ratio(ms, strict)} | ${cached} |`);
    row('floor: list + read (fs/promises, 4 per CPU) + SHA-256', base, '—');
    row('strict floor: list + read (synchronous) + SHA-256', strict, '—');
    row('run A: cold, empty Redis (fills it)', a.ms, pct(a.result));
    row('run B: fresh checkout, empty local cache, from Redis', b.ms, pct(b.result));
    const shared = b.result.cache.shared;
    console.log('');
    console.log(`run B: ${shared?.hits} results from Redis, ${b.result.cache.lookups.misses} computed, errors ${shared?.errors}, `
      + `MGET latency p50 ${shared?.latencyMs.p50} ms, p95 ${shared?.latencyMs.p95} ms; cold/B speed-up ${(a.ms / b.ms).toFixed(1)}×; `
      + `findings identical A vs B: ${sameFindings(a.result, b.result)}`);
  } finally {
    redis.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
