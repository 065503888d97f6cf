/**
 * `npm run bench:security` (issue 22's speed target): the security agent's cost as a share of a parse, file by file
 * on the corpus `npm run bench` uses (the pinned @theia/* sources, scripts/bench/corpus.ts), texts in memory.
 *
 * Each round, for every file: `createAgentInput` + `ast()` timed (the engine's parse: no parent pass in the parser,
 * then the shared flat tree, which sets parents), then `securityAgent.run` on that parsed input. The share of a
 * round is the sum of the agent's times over the sum of the parse times; the median over the rounds is kept. The
 * first round is a warm-up (the JIT), not counted. A second denominator is the parse floor of `npm run bench` and
 * docs/performance.md (`ts.createSourceFile` with `setParentNodes: true`), timed just before, per file.
 *
 *   --base <git ref>  also time the security agent of that commit (its src/agents/security/ files taken with
 *                     `git show`, the rest of src/ shared), alternated with this one in the same rounds, and
 *                     compare the two agents' findings (any difference fails the run)
 *   --extra <n>       compare findings (not times) on more files too: this repository's test/ and docs/ (the
 *                     rules' own cases), then n scripts under node_modules (.js, .mjs, .cjs, .ts, .tsx, under
 *                     200 KB, in path order), where eval and child_process abound
 *   --write <file>    write every finding of the agent on the corpus (rule, path, range, severity, message)
 *   --check <file>    compare the findings with that file: any difference is printed and fails the run (exit 1)
 *   --cases           compare findings on every input the security agent's unit tests give it too (captured by
 *                     running them with scripts/bench/securityCapture.ts preloaded)
 *   --rounds <n>      timed rounds after the warm-up (default 6)
 *   --quick           the bench's 3-package corpus
 *   --no-time         findings only
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ts } from 'ts-morph';
import type { Agent } from '../src/core/agent';
import { createAgentInput, scriptKindOf } from '../src/core/files/fileAudit';
import type { Finding } from '../src/core/model';
import { buildCorpus, firstFilesUnder } from './bench/corpus';

const ROOT = join(__dirname, '..');
const SECURITY = 'src/agents/security';

interface Options {
  readonly base?: string;
  readonly write?: string;
  readonly check?: string;
  readonly extra: number;
  readonly cases: boolean;
  readonly rounds: number;
  readonly quick: boolean;
  readonly time: boolean;
}

function optionsOf(argv: readonly string[]): Options {
  const value = (flag: string): string | undefined => {
    const at = argv.indexOf(flag);
    return at === -1 ? undefined : argv[at + 1];
  };
  return {
    base: value('--base'), write: value('--write'), check: value('--check'), extra: Number(value('--extra') ?? 0), cases: argv.includes('--cases'),
    rounds: Number(value('--rounds') ?? 6), quick: argv.includes('--quick'), time: !argv.includes('--no-time'),
  };
}

interface SourceText {
  readonly path: string;
  readonly text: string;
  /** How the findings' lines name the file, when not by its path. */
  readonly label?: string;
}

/**
 * The security agent of `ref`: its folder's files from git, their imports outside the folder (the core, the
 * line-up, ts-morph) pointed at this worktree's modules, so both agents read the same trees and flat trees.
 */
async function agentAt(ref: string, dir: string): Promise<SecurityModule> {
  const out = join(dir, 'base-security');
  mkdirSync(out, { recursive: true });
  const names = execFileSync('git', ['ls-tree', '--name-only', `${ref}:${SECURITY}`], { cwd: ROOT, encoding: 'utf8' })
    .split('\n').filter((name) => name.endsWith('.ts'));
  const agents = join(ROOT, 'src', 'agents');
  for (const name of names) {
    const source = execFileSync('git', ['show', `${ref}:${SECURITY}/${name}`], { cwd: ROOT, encoding: 'utf8' })
      .replace(/from '\.\.\/\.\.\//g, `from '${join(ROOT, 'src')}/`)
      .replace(/from '\.\.\//g, `from '${agents}/`)
      .replace(/from 'ts-morph'/g, `from '${require.resolve('ts-morph')}'`);
    writeFileSync(join(out, name), source);
  }
  return (await import(join(out, 'index.ts'))) as SecurityModule;
}

/** What the script uses of src/agents/security/index.ts. */
interface SecurityModule {
  readonly securityAgent: Agent;
  createSecurityAgent(options: { includeTests?: boolean }): Agent;
}

/**
 * Every finding of the agent with its default options, then (prefixed `tests:`) those it makes in test files and
 * fixtures when told to search them too: more secrets to compare.
 */
function allFindings(module: SecurityModule, files: readonly SourceText[]): string[] {
  const withTests = findingLines(module.createSecurityAgent({ includeTests: true }), files).map((line) => `tests:${line}`);
  const defaults = findingLines(module.securityAgent, files);
  return [...defaults, ...withTests.filter((line) => !defaults.includes(line.slice('tests:'.length)))];
}

/** The first `count` files under `top` (sorted, under 200 KB) whose name matches, with paths relative to ROOT. */
function filesIn(top: string, pattern: RegExp, count: number): SourceText[] {
  return firstFilesUnder(join(ROOT, top), pattern, count).map((path) => ({
    path: relative(ROOT, path).split('\\').join('/'), text: readFileSync(path, 'utf8').replace(/^\uFEFF/, ''),
  }));
}

/**
 * The files `--extra` adds: this repository's tests and docs (the rules' own examples: secrets of every shape,
 * sinks of every rule), then `count` scripts under node_modules.
 */
function extraFiles(count: number): SourceText[] {
  return [...filesIn('test', /\.[cm]?[jt]sx?$/, Infinity), ...filesIn('docs', /\.md$/, Infinity),
    ...filesIn('node_modules', /\.(?:[cm]?js|tsx?)$/, count)];
}

/** Every input the default security agent gets in its unit tests (labelled `case<n>:<path>`: paths repeat). */
function testCases(dir: string): SourceText[] {
  const file = join(dir, 'cases.jsonl');
  const tests = readdirSync(join(ROOT, 'test', 'unit')).filter((name) => /^security.*\.test\.ts$/.test(name)).map((name) => join('test', 'unit', name));
  execFileSync(process.execPath, ['--import', 'tsx', '--import', './scripts/bench/securityCapture.ts', '--test', ...tests], {
    cwd: ROOT, env: { ...process.env, SECURITY_CAPTURE: file }, stdio: 'ignore',
  });
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((line, i) => {
    const { path, text } = JSON.parse(line) as SourceText;
    return { path, text, label: `case${i}:${path}` };
  });
}

/** One line per finding, in the agent's order per file, files in corpus order. */
function findingLines(agent: Agent, files: readonly SourceText[]): string[] {
  const signal = new AbortController().signal;
  const lines: string[] = [];
  for (const file of files) {
    const findings = agent.run(createAgentInput(file.path, file.text), signal) as Finding[];
    for (const f of findings) {
      const { start, end } = f.range;
      lines.push([f.rule, file.label ?? file.path, `${start.line}:${start.column}-${end.line}:${end.column}`, f.severity, f.message].join('\t'));
    }
  }
  return lines;
}

/** Findings per rule, for the report. */
function countByRule(lines: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const rule = line.slice(0, line.indexOf('\t'));
    counts.set(rule, (counts.get(rule) ?? 0) + 1);
  }
  return new Map([...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

/** The lines only one side has (as a multiset), prefixed `-` (expected only) or `+` (actual only). */
function difference(expected: readonly string[], actual: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const line of expected) left.set(line, (left.get(line) ?? 0) + 1);
  const added: string[] = [];
  for (const line of actual) {
    const n = left.get(line) ?? 0;
    if (n > 0) left.set(line, n - 1);
    else added.push(`+ ${line}`);
  }
  const removed = [...left].flatMap(([line, n]) => Array.from({ length: n }, () => `- ${line}`));
  return [...removed, ...added];
}

/** Times of one round, ms, summed over the files. */
interface Round {
  floor: number;
  parse: number;
  agents: number[];
}

/**
 * One round over the corpus: per file, the parse floor, then the engine's parse, then each agent on that input
 * (in the order given: rounds alternate it, since the second agent finds the tree warmer in the CPU's caches).
 */
function round(files: readonly SourceText[], agents: readonly Agent[], order: readonly number[]): Round {
  const signal = new AbortController().signal;
  const result: Round = { floor: 0, parse: 0, agents: agents.map(() => 0) };
  for (const file of files) {
    let t = performance.now();
    ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true, scriptKindOf(file.path));
    let now = performance.now();
    result.floor += now - t;
    t = now;
    const input = createAgentInput(file.path, file.text);
    input.ast();
    now = performance.now();
    result.parse += now - t;
    for (const i of order) {
      t = performance.now();
      agents[i].run(input, signal);
      now = performance.now();
      result.agents[i] += now - t;
    }
  }
  return result;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const pct = (value: number): string => `${(value * 100).toFixed(1)} %`;
const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' / ');

/** Alternated rounds after a warm-up; prints each round and the medians. */
function timeAgents(files: readonly SourceText[], agents: ReadonlyMap<string, Agent>, rounds: number): void {
  const names = [...agents.keys()];
  const list = [...agents.values()];
  const forward = list.map((_, i) => i);
  round(files, list, forward);
  // Per agent: [share of the engine's parse, of the parse floor, whether it ran first after the parse].
  const shares = names.map(() => [] as Array<[number, number, boolean]>);
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 === 0 ? forward : [...forward].reverse();
    const times = round(files, list, order);
    const parts = names.map((name, i) => {
      shares[i].push([times.agents[i] / times.parse, times.agents[i] / times.floor, order[0] === i]);
      return `${name} ${times.agents[i].toFixed(0)} ms = ${pct(times.agents[i] / times.parse)}`;
    });
    console.log(`round ${r + 1}: parse ${times.parse.toFixed(0)} ms (floor ${times.floor.toFixed(0)} ms); ${parts.join('; ')}; load ${load()}`);
  }
  for (const [i, name] of names.entries()) {
    const all = shares[i].map(([share]) => share);
    const first = shares[i].filter(([, , isFirst]) => isFirst).map(([share]) => share);
    const second = shares[i].filter(([, , isFirst]) => !isFirst).map(([share]) => share);
    const split = names.length > 1 ? ` (run first after the parse: ${pct(median(first))}; second: ${pct(median(second))})` : '';
    console.log(`${name}: median ${pct(median(all))} of the engine's parse${split}; `
      + `${pct(median(shares[i].map(([, floor]) => floor)))} of the parse floor (setParentNodes: true); rounds ${all.map(pct).join(', ')}`);
  }
}

async function main(): Promise<void> {
  const options = optionsOf(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'mt-bench-security-'));
  try {
    const corpus = await buildCorpus({
      projectRoot: ROOT, dir, quick: options.quick, useNodeModules: false, nodeModulesFiles: 0, log: (line) => console.error(line),
    });
    const files = corpus.files.map((path) => ({ path, text: readFileSync(join(corpus.root, path), 'utf8').replace(/^\uFEFF/, '') }));
    console.log(`corpus: ${files.length} files, ${(corpus.bytes / 1e6).toFixed(1)} MB — ${corpus.source}; load ${load()}`);
    const current = (await import('../src/agents/security')) as SecurityModule;
    const base = options.base ? await agentAt(options.base, dir) : undefined;
    const agents = new Map<string, Agent>([['security', current.securityAgent]]);
    if (base) agents.set(`security@${options.base}`, base.securityAgent);
    const checked = [...files, ...(options.extra > 0 ? extraFiles(options.extra) : []), ...(options.cases ? testCases(dir) : [])];
    const lines = allFindings(current, checked);
    console.log(`findings on ${checked.length} files: ${lines.length} — ${[...countByRule(lines)].map(([rule, n]) => `${rule} ${n}`).join(', ')}`);
    if (options.write) writeFileSync(options.write, `${lines.join('\n')}\n`);
    if (options.check) checkAgainst(options.check, lines, options.check);
    if (base) checkAgainst(allFindings(base, checked), lines, `security@${options.base}`);
    if (options.time) timeAgents(files, agents, options.rounds);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compares the findings with a file written by `--write`, or with another agent's; a difference fails the run. */
function checkAgainst(source: string | readonly string[], lines: readonly string[], name: string): void {
  const expected = typeof source === 'string' ? readFileSync(source, 'utf8').split('\n').filter(Boolean) : source;
  const diff = difference(expected, lines);
  if (diff.length === 0) {
    console.log(`check: identical to ${name} (${expected.length} findings)`);
    return;
  }
  console.log(`check: ${diff.length} difference(s) from ${name}:\n${diff.join('\n')}`);
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
