/**
 * Audits by the built CLI (dist/cli.js) in its own process, as a user or CI runs it: process start-up, config,
 * walk, agents in the runner's threads, cache, JSON report. A preload records the process's peak RSS.
 */
import { CODE_CACHE_ENV } from '../../src/core/runner/codeCache';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** What one CLI run cost. */
export interface CliRun {
  readonly ms: number;
  /** Peak resident set of the whole process (main thread and every worker thread), MB. */
  readonly maxRssMb: number;
  readonly exitCode: number;
}

/** One CLI audit to run. */
export interface CliPlan {
  readonly cli: string;
  readonly root: string;
  /** The result cache's folder (ignored by the CLI under `optimizations: false`). */
  readonly cacheDir: string;
  /** A configuration file; the defaults without one. */
  readonly config?: string;
  /** Scratch folder: the report and the RSS record go there. */
  readonly scratch: string;
  /** Options for node itself, e.g. `--cpu-prof`. */
  readonly nodeOptions?: readonly string[];
  /** The runner threads' code cache of the parser (`MAINTENANCE_TEAM_CODE_CACHE`); the user's default if absent. */
  readonly codeCacheDir?: string;
}

/** Writes the preload that records `process.resourceUsage().maxRSS` (KiB) at exit into `$BENCH_RSS_FILE`. */
function rssPreload(scratch: string): string {
  const file = join(scratch, 'rss-preload.cjs');
  writeFileSync(file, "process.on('exit', () => require('node:fs').writeFileSync(process.env.BENCH_RSS_FILE, "
    + 'String(process.resourceUsage().maxRSS)));\n');
  return file;
}

/** Runs `node dist/cli.js audit <root> --format json` and measures it. Exit codes 0 and 1 (findings) are fine. */
export async function runCli(plan: CliPlan): Promise<CliRun> {
  const rssFile = join(plan.scratch, 'rss.txt');
  rmSync(rssFile, { force: true });
  const args = [
    ...plan.nodeOptions ?? [], '--require', rssPreload(plan.scratch), plan.cli, 'audit', plan.root, '--format', 'json',
    '--output', join(plan.scratch, 'report.json'), '--cache-dir', plan.cacheDir,
    ...(plan.config ? ['--config', plan.config] : []),
  ];
  const started = performance.now();
  const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
    const env = { ...process.env, BENCH_RSS_FILE: rssFile, ...(plan.codeCacheDir ? { [CODE_CACHE_ENV]: plan.codeCacheDir } : {}) };
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
    child.on('error', reject);
    child.on('close', (exit) => resolve({ code: exit ?? -1, stderr: err }));
  });
  const ms = performance.now() - started;
  if (code !== 0 && code !== 1) throw new Error(`the CLI exited with ${code}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
  return { ms, maxRssMb: Number(readFileSync(rssFile, 'utf8')) / 1024, exitCode: code };
}

/** Writes a configuration that sets `global.optimizations: false` (one file at a time, no cache). */
export function optimizationsOffConfig(scratch: string): string {
  const file = join(scratch, 'optimizations-off.yaml');
  writeFileSync(file, 'global:\n  optimizations: false\n');
  return file;
}
