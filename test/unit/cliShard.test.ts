import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Log } from 'sarif';
import { assignShards, itemsOfShard, parseShard, type ShardItem } from '../../src/core/files/shard';
import { shardTargets } from '../../src/cli/shard';
import type { JsonReport } from '../../src/reports/reporter';
import { mulberry32, randomInt, type Random } from './helpers/random';
import { run, tree } from './helpers/cli';

const M = 'maintenance-team-disable';

/** Findings of several agents, a fixable one, a suppressed one, a syntax error, a binary file, an unknown extension. */
const FILES: Record<string, string | Uint8Array> = {
  'src/a.ts': "import { unused } from './b';\nexport const a = 1;   \n",
  'src/b.ts': 'export const unused = 2;\nexport function f(a: number, b: number, c: number, d: number, e: number, g: number) { return a + b + c + d + e + g; }\n',
  'src/c.ts': `import { unused } from './b'; // ${M}-line imports/unused -- kept for the demo\nexport const c = 1;\n`,
  'src/broken.ts': 'export const = ;\n',
  'src/clean.ts': 'export const clean = 1;\n',
  'lib/eval.js': 'export function run(code) {\n  return eval(code);\n}\n',
  'docs/notes.md': 'trailing  \t\n\n\n\nend\n',
  'docs/big.md': `${'A line of text that is long enough.\n'.repeat(400)}`,
  'logo.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]),
  'assets/icon.png': new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 1, 2, 3, 4]),
  'z.bin': new Uint8Array(20),
  'data/é file #1.txt': 'trailing   \n',
};

function randomItems(random: Random, n: number): ShardItem[] {
  return Array.from({ length: n }, (_, i) => ({ path: `f${i}.ts`, size: randomInt(random, 0, 1 + (i % 7 === 0 ? 100_000 : 5_000)) }));
}

function shuffled<T>(items: readonly T[], random: Random): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(random, 0, i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe('--shard K/N: the assignment', () => {
  it('puts every path in exactly one shard, the same whatever the input order, balanced within the biggest file', () => {
    for (const seed of [1, 2, 3, 42]) {
      const random = mulberry32(seed);
      const items = randomItems(random, randomInt(random, 0, 400));
      for (const count of [1, 2, 3, 4, 7, 50]) {
        const assignment = assignShards(items, count);
        assert.equal(assignment.size, items.length, `seed ${seed}`);
        const parts = Array.from({ length: count }, (_, i) => itemsOfShard(items, { index: i + 1, count }));
        assert.deepEqual(parts.flat().map((x) => x.path).sort(), items.map((x) => x.path).sort(), `seed ${seed}: a partition`);
        assert.deepEqual(assignShards(shuffled(items, random), count), assignment, `seed ${seed}: order-independent`);
        const loads = parts.map((p) => p.reduce((sum, x) => sum + x.size, 0));
        const mean = loads.reduce((a, b) => a + b, 0) / count;
        const biggest = Math.max(0, ...items.map((x) => x.size));
        assert.ok(Math.max(...loads) <= mean + biggest, `seed ${seed}, N=${count}: ${Math.max(...loads)} > ${mean} + ${biggest}`);
      }
    }
  });

  it('splits equal sizes evenly, and spreads the biggest files first', () => {
    const items = Array.from({ length: 8 }, (_, i) => ({ path: `f${i}`, size: 10 }));
    assert.deepEqual([1, 2, 3, 4].map((index) => itemsOfShard(items, { index, count: 4 }).length), [2, 2, 2, 2]);
    const skewed = [{ path: 'big', size: 100 }, { path: 'a', size: 60 }, { path: 'b', size: 50 }, { path: 'c', size: 40 }];
    const assignment = assignShards(skewed, 2);
    assert.equal(assignment.get('big'), 1);
    assert.deepEqual(['a', 'b', 'c'].map((p) => assignment.get(p)), [2, 2, 1]);
  });

  it('parses K/N with 1 ≤ K ≤ N ≤ 1000 and nothing else', () => {
    assert.deepEqual(parseShard('1/4'), { index: 1, count: 4 });
    assert.deepEqual(parseShard('1000/1000'), { index: 1000, count: 1000 });
    for (const bad of ['0/4', '5/4', '1/0', '1/1001', '1', '1/4/2', 'a/b', ' 1/4', '1/4 ', '-1/4', '1.0/4', '0x1/4', '']) {
      assert.equal(typeof parseShard(bad), 'string', bad);
    }
  });

  it('gives the walk\'s unreadable folders a shard too', async () => {
    const root = tree({ 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 2;\n' });
    const targets = ['a.ts', 'b.ts'].map((path) => ({ path, absPath: join(root, path) }));
    const skipped = [{ path: 'locked/', reason: 'unreadable' as const }];
    const parts = await Promise.all([1, 2, 3].map((index) => shardTargets(targets, skipped, { index, count: 3 })));
    assert.deepEqual(parts.flatMap((p) => p.skipped ?? []), skipped);
    assert.deepEqual(parts.flatMap((p) => p.targets.map((t) => t.path)).sort(), ['a.ts', 'b.ts']);
    assert.deepEqual(parts.map((p) => p.shard?.files), [1, 1, 1]);
  });
});

/** The JSON report with the figures that cannot be equal between runs set to 0 (docs/operations.md). */
function normalized(text: string): JsonReport {
  const report = JSON.parse(text) as { summary: Record<string, unknown> };
  report.summary.durationMs = 0;
  report.summary.cache = 0;
  return report as unknown as JsonReport;
}

async function shardReports(root: string, format: string, count = 4): Promise<string[]> {
  const names: string[] = [];
  for (let index = 1; index <= count; index++) {
    const name = `shard-${index}.${format}`;
    const shard = await run(['audit', '.', '--no-cache', '--fail-on', 'never', '--format', format, '--shard', `${index}/${count}`, '--output', join('..', name)], join(root, 'repo'));
    assert.equal(shard.code, 0, shard.stderr);
    names.push(name);
  }
  return names;
}

describe('--shard K/N and merge: four machines give the report of one', () => {
  const root = tree(Object.fromEntries(Object.entries(FILES).map(([path, content]) => [`repo/${path}`, content])));
  const repo = join(root, 'repo');

  it('each JSON shard says which it is; together they hold every file and skipped file once', { timeout: 120_000 }, async () => {
    const whole = await run(['audit', '.', '--no-cache', '--fail-on', 'never', '--format', 'json'], repo);
    const unsplit = JSON.parse(whole.stdout) as JsonReport;
    assert.equal(unsplit.shard, undefined);
    const names = await shardReports(root, 'json');
    const reports = names.map((name) => JSON.parse(readFileSync(join(root, name), 'utf8')) as JsonReport);
    assert.deepEqual(reports.map((r) => [r.shard?.index, r.shard?.count]), [[1, 4], [2, 4], [3, 4], [4, 4]]);
    assert.deepEqual(reports.flatMap((r) => r.files.map((f) => f.path)).sort(), unsplit.files.map((f) => f.path));
    assert.deepEqual(reports.flatMap((r) => r.skipped).map((s) => s.path).sort(), ['assets/icon.png', 'logo.png', 'z.bin']);
    assert.ok(reports.filter((r) => r.skipped.length > 0).length > 1, 'the skipped files are in several shards');
    assert.ok(reports.every((r) => r.files.length > 0), 'every shard got work');
    assert.equal(reports.reduce((n, r) => n + r.shard!.files, 0), unsplit.files.length + unsplit.skipped.length);

    const merged = await run(['merge', ...names], root);
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(JSON.stringify(normalized(merged.stdout), null, 2), JSON.stringify(normalized(whole.stdout), null, 2));
    // Shard order on the command line does not matter.
    const reversed = await run(['merge', ...[...names].reverse(), '--format', 'json'], root);
    assert.equal(reversed.stdout, merged.stdout);
    const summary = unsplit.summary;
    assert.ok(summary.findings > 0 && summary.suppressed === 1 && summary.skipped.total === 3, 'the tree has what the test is about');
    assert.notEqual(summary.score, 100);
  });

  it('merged SARIF is byte-identical to the unsplit SARIF', { timeout: 120_000 }, async () => {
    const whole = await run(['audit', '.', '--no-cache', '--fail-on', 'never', '--format', 'sarif'], repo);
    const names = await shardReports(root, 'sarif');
    const first = JSON.parse(readFileSync(join(root, names[0]), 'utf8')) as Log;
    assert.equal(first.runs[0].automationDetails?.id, 'maintenance-team/shard-1-of-4');
    const merged = await run(['merge', ...names, '--output', 'merged.sarif'], root);
    assert.equal(merged.code, 0, merged.stderr);
    const text = readFileSync(join(root, 'merged.sarif'), 'utf8');
    const log = JSON.parse(text) as Log;
    assert.ok(log.runs[0].results!.some((r) => r.fixes), 'fixes survive');
    assert.ok(log.runs[0].results!.some((r) => r.suppressions), 'suppressions survive');
    assert.equal(text, whole.stdout);
    const reversed = await run(['merge', ...[...names].reverse()], root);
    assert.equal(reversed.stdout, whole.stdout);
  });

  it('per-path teams: the unsplit and merged summaries list the agents in the line-up\'s order', { timeout: 120_000 }, async () => {
    const config = 'team:\n  structure: { enabled: false }\n  imports: { enabled: false }\noverrides:\n'
      + '  - files: ["lib/**"]\n    team: { structure: { enabled: true } }\n  - files: ["src/**"]\n    team: { imports: { enabled: true } }\n';
    const teams = tree(Object.fromEntries([...Object.entries(FILES).map(([path, content]) => [`repo/${path}`, content]), ['repo/maintenance-team.yaml', config]]));
    const whole = await run(['audit', '.', '--no-cache', '--fail-on', 'never', '--format', 'json'], join(teams, 'repo'));
    assert.equal(whole.code, 0, whole.stderr);
    const order = ['structure', 'hygiene', 'imports', 'complexity', 'conventions', 'security'];
    assert.deepEqual(Object.keys((JSON.parse(whole.stdout) as JsonReport).summary.agents), order);
    const names = await shardReports(teams, 'json');
    const merged = await run(['merge', ...names], teams);
    assert.equal(merged.code, 0, merged.stderr);
    assert.equal(JSON.stringify(normalized(merged.stdout), null, 2), JSON.stringify(normalized(whole.stdout), null, 2));
  });

  it('a single shard of one (--shard 1/1) merges into the unsplit report too', { timeout: 60_000 }, async () => {
    const whole = await run(['audit', '.', '--no-cache', '--fail-on', 'never', '--format', 'sarif'], repo);
    const names = await shardReports(root, 'sarif', 1);
    const merged = await run(['merge', ...names], root);
    assert.equal(merged.stdout, whole.stdout);
  });
});

describe('merge refuses what is not one run\'s shards (exit 2, naming the file)', () => {
  const root = tree(Object.fromEntries(Object.entries(FILES).map(([path, content]) => [`repo/${path}`, content])));
  let names: { json: string[]; sarif: string[] } | undefined;
  async function shards(): Promise<{ json: string[]; sarif: string[] }> {
    names ??= { json: await shardReports(root, 'json', 3), sarif: await shardReports(root, 'sarif', 3) };
    return names;
  }
  async function refused(argv: string[], pattern: RegExp): Promise<void> {
    const result = await run(argv, root);
    assert.equal(result.code, 2, result.stdout);
    assert.match(result.stderr, pattern);
    assert.equal(result.stdout, '');
  }

  it('a missing shard', { timeout: 120_000 }, async () => {
    const { json } = await shards();
    await refused(['merge', json[0], json[2]], /shard 2\/3 missing/);
  });

  it('a shard given twice', { timeout: 120_000 }, async () => {
    const { sarif } = await shards();
    await refused(['merge', ...sarif, sarif[1]], /shard-2\.sarif and shard-2\.sarif both claim shard 2\/3/);
  });

  it('JSON with SARIF, or a format other than --format', { timeout: 120_000 }, async () => {
    const { json, sarif } = await shards();
    await refused(['merge', json[0], sarif[1], json[2]], /shard-2\.sarif is SARIF, shard-1\.json is JSON/);
    await refused(['merge', ...json, '--format', 'sarif'], /shard-1\.json is JSON, --format sarif/);
  });

  it('an unsplit report, another root, another version, a file that is not JSON', { timeout: 120_000 }, async () => {
    const { json } = await shards();
    const whole = await run(['audit', 'repo', '--no-cache', '--fail-on', 'never', '--format', 'json', '--output', 'whole.json'], root);
    assert.equal(whole.code, 0, whole.stderr);
    await refused(['merge', 'whole.json'], /whole\.json is not a shard report/);
    const edit = (name: string, change: (r: Record<string, unknown>) => void): string => {
      const report = JSON.parse(readFileSync(join(root, json[1]), 'utf8')) as Record<string, unknown>;
      change(report);
      const out = tree({ [name]: JSON.stringify(report) });
      return join(out, name);
    };
    await refused(['merge', json[0], edit('moved.json', (r) => { r.root = '/elsewhere'; }), json[2]], /moved\.json audited \/elsewhere/);
    await refused(['merge', json[0], edit('old.json', (r) => { r.tool = { name: 'maintenance-team', version: '0.0.1' }; }), json[2]], /old\.json was written by maintenance-team 0\.0\.1/);
    await refused(['merge', json[0], edit('odd.json', (r) => { (r.shard as { count: number }).count = 4; }), json[2]], /odd\.json is shard 2\/4/);
    const notJson = join(tree({ 'x.json': '{' }), 'x.json');
    await refused(['merge', notJson], /x\.json is not JSON/);
    await refused(['merge', 'absent.json'], /cannot read absent\.json: ENOENT/);
  });

  it('a FIFO or a directory given as a report: refused at once, not waited on', { timeout: 60_000, skip: process.platform === 'win32' && 'no FIFOs' }, async () => {
    const dir = tree({ 'keep.txt': '' });
    assert.equal(spawnSync('mkfifo', [join(dir, 'pipe.json')]).status, 0, 'mkfifo');
    await refused(['merge', join(dir, 'pipe.json')], /cannot read .*pipe\.json: not a regular file \(a FIFO\)/);
    await refused(['merge', dir], /not a regular file \(a directory\)/);
  });
});

describe('--shard and merge on the command line', () => {
  it('bad K/N, and --shard with a baseline being written, are usage errors', async () => {
    const root = tree({ 'a.ts': 'export const a = 1;\n' });
    for (const bad of ['0/4', '5/4', '1/1001', 'x']) {
      const result = await run(['audit', '.', '--shard', bad], root);
      assert.equal(result.code, 2, bad);
      assert.match(result.stderr, /invalid --shard/);
    }
    const write = await run(['audit', '.', '--shard', '1/2', '--baseline-write'], root);
    assert.equal(write.code, 2);
    assert.match(write.stderr, /--baseline-write does not go with --shard/);
  });

  it('merge takes reports, only --format json|sarif and --output, and is in the help', async () => {
    const root = tree();
    assert.match((await run(['merge'], root)).stderr, /merge needs the shard reports/);
    assert.match((await run(['merge', 'a.json', '--fix'], root)).stderr, /--fix does not go with merge/);
    assert.match((await run(['merge', 'a.json', '--format', 'text'], root)).stderr, /invalid --format 'text' for merge/);
    const help = await run(['--help'], root);
    assert.match(help.stdout, /maintenance-team merge <report>/);
    assert.match(help.stdout, /--shard K\/N/);
  });
});
