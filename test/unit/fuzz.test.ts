/**
 * Fuzz (issue 18, "Tests"): random bytes and random mutations of this repository's own sources never crash an
 * audit or a fix, and every file ends either audited or listed as skipped with its reason. Seeded: a failure
 * prints its seed, and `FUZZ_SEED=<seed>` replays it. Bounded in count and time.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { createTeam } from '../../src/agents/registry';
import { fixFile } from '../../src/fixes/validator';
import { fixAudited } from '../../src/cli/fixFiles';
import { runAudit, type AuditTarget } from '../../src/core/run/coordinator';
import type { AuditResult, SkipReason } from '../../src/core/model';
import { json } from './helpers/cli';
import { mulberry32, pick, randomInt, type Random } from './helpers/random';

const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
/** Every assertion names the seed, so a failure can be replayed. */
const AT = `FUZZ_SEED=${SEED}`;

/** Real sources to mutate: parsers, agents, CLI, editor code (each a few KB to ~15 KB). */
const SOURCES = [
  'src/core/run/coordinator.ts', 'src/agents/security/index.ts', 'src/cli/args.ts', 'src/core/text.ts', 'src/agents/hygiene/index.ts',
  'src/core/jsonc.ts', 'src/core/files/syntaxTree.ts', 'src/agents/imports/importUsage.ts', 'src/webview/render.ts',
].map((path) => readFileSync(resolve(__dirname, '../..', path), 'utf8'));

const EXTENSIONS = ['.ts', '.tsx', '.js', '.mjs', '.jsx', '.py', '.md', '.json', '.txt', '.env', '.yaml'];
const BRACKETS = ['(', ')', '{', '}', '[', ']', '<', '>', '`', '"', "'", '/*', '*/', '${', '//', '\\'];
const ODD = ['\0', '\uD800', '\uDFFF', '\uFEFF', '\u2028', '\r', '\r\n', '\n', '\t', ' ', '\u00A0', '😀', '\u0301'];
const REASONS: readonly SkipReason[] = ['binary', 'too-large', 'minified', 'not-utf8', 'unreadable', 'excluded'];

type Mutation = (text: string, random: Random) => string;

/** A random slice position of `text`. */
function span(text: string, random: Random, longest = 400): [number, number] {
  const start = randomInt(random, 0, text.length);
  return [start, Math.min(text.length, start + randomInt(random, 0, longest))];
}

const MUTATIONS: readonly Mutation[] = [
  (text, random) => {
    const [start, end] = span(text, random);
    return text.slice(0, start) + text.slice(end);
  },
  (text, random) => {
    const [start, end] = span(text, random);
    return text.slice(0, end) + text.slice(start, end) + text.slice(end);
  },
  (text, random) => {
    const [start, end] = span(text, random);
    const at = randomInt(random, 0, text.length);
    return text.slice(0, at) + text.slice(start, end) + text.slice(at);
  },
  (text, random) => {
    const at = randomInt(random, 0, text.length);
    const run = Array.from({ length: randomInt(random, 1, 40) }, () => pick(random, BRACKETS)).join('');
    return text.slice(0, at) + run + text.slice(at);
  },
  (text, random) => {
    let out = '';
    for (let at = 0; at < text.length; at += 200) out += text.slice(at, at + 200) + (random() < 0.3 ? pick(random, ODD) : '');
    return out;
  },
  // Line endings mixed: some LF become CR or CRLF.
  (text, random) => text.replace(/\n/g, () => (random() < 0.2 ? pick(random, ['\r', '\r\n', '\n\r']) : '\n')),
  // Deep nesting, one bracket per line (the parser's stack, not the minified filter).
  (text, random) => {
    const depth = randomInt(random, 500, 4000);
    const at = randomInt(random, 0, text.length);
    return `${text.slice(0, at)}${'(\n'.repeat(depth)}1${')\n'.repeat(depth)}${text.slice(at)}`;
  },
  // Trailing blanks on many lines: floods of fixable findings.
  (text, random) => text.replace(/\n/g, () => (random() < 0.5 ? ' \t\n' : '\n')),
];

/** A real source, mutated one to four times. */
function mutated(random: Random): string {
  let text = pick(random, SOURCES);
  for (let n = randomInt(random, 1, 4); n > 0; n--) text = pick(random, MUTATIONS)(text, random);
  return text;
}

/** Random bytes: now arbitrary, now printable ASCII with line breaks (which decodes and gets audited). */
function randomBytes(random: Random): Uint8Array {
  const bytes = new Uint8Array(randomInt(random, 0, 6000));
  const printable = random() < 0.5;
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = printable ? (random() < 0.05 ? 10 : randomInt(random, 32, 126)) : randomInt(random, 0, 255);
  }
  return bytes;
}

/** Each path either audited or skipped with a known reason, never both, never lost. */
function assertAccounted(result: AuditResult, paths: readonly string[], what: string): void {
  const audited = new Set(result.files.map((f) => f.path));
  for (const skipped of result.skipped) {
    assert.ok(REASONS.includes(skipped.reason), `${AT} ${what}: ${skipped.path} skipped for '${skipped.reason}'`);
    assert.ok(!audited.has(skipped.path), `${AT} ${what}: ${skipped.path} both audited and skipped`);
  }
  const seen = [...audited, ...result.skipped.map((s) => s.path)].sort();
  assert.deepEqual(seen, [...paths].sort(), `${AT} ${what}: every file audited or skipped`);
  for (const file of result.files) {
    assert.ok(Number.isFinite(file.score) && file.score >= 0 && file.score <= 100, `${AT} ${what}: ${file.path} score ${file.score}`);
  }
}

describe('fuzz: random bytes and mutated sources', () => {
  const roots: string[] = [];
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  it('never crash an audit (in memory, then through the CLI from disk), and every file is accounted for', { timeout: 90_000 }, async (t) => {
    t.diagnostic(AT);
    const random = mulberry32(SEED);
    const texts = new Map<string, string>();
    for (let i = 0; i < 60; i++) texts.set(`m${i}${pick(random, EXTENSIONS)}`, mutated(random));
    // In memory: lone surrogates, NULs and CRs reach the agents as they are (an editor's buffer).
    const targets: AuditTarget[] = [...texts].map(([path, text]) => ({ path, absPath: `/nonexistent/${path}`, text }));
    const memory = await runAudit(targets, { root: '/nonexistent', agents: createTeam(), concurrency: 2 });
    assertAccounted(memory, [...texts.keys()], 'in memory');

    // On disk: the same texts (UTF-8), plus random bytes, through the CLI's whole path with its cache.
    const root = mkdtempSync(join(tmpdir(), 'mt-fuzz-'));
    roots.push(root);
    const paths = [...texts.keys()];
    for (const [path, text] of texts) writeFileSync(join(root, path), text);
    for (let i = 0; i < 20; i++) {
      const path = `r${i}${pick(random, EXTENSIONS)}`;
      writeFileSync(join(root, path), randomBytes(random));
      paths.push(path);
    }
    // Cold and warm in this thread (the cache's write and read paths), then in the runner's threads (what the CLI
    // and the editor use: findings cross a thread by structured clone).
    const rounds = [['cold', [], true], ['warm', [], true], ['runner', ['--no-cache'], false]] as const;
    for (const [round, flags, inThread] of rounds) {
      const { code, report, stderr } = await json(['audit', root, '--concurrency', '2', ...flags], root, { inThread });
      assert.ok(code === 0 || code === 1, `${AT} ${round}: exit ${code}: ${stderr}`);
      assert.doesNotMatch(stderr, /internal error/, `${AT} ${round}`);
      const audited = report.files.map((f) => f.path);
      const skipped = report.skipped.map((s) => s.path);
      assert.deepEqual([...audited, ...skipped].sort(), [...paths].sort(), `${AT} ${round}: every file audited or skipped`);
    }
  });

  it('never crash a fix: the validator on each mutated text, and --fix --dry-run over the folder', { timeout: 90_000 }, async (t) => {
    t.diagnostic(AT);
    const random = mulberry32(SEED ^ 0x5f3759df);
    const agents = createTeam();
    const signal = new AbortController().signal;
    const texts = new Map<string, string>();
    for (let i = 0; i < 40; i++) texts.set(`m${i}${pick(random, ['.ts', '.js', '.tsx', '.py', '.md'])}`, mutated(random));
    for (const [path, text] of texts) {
      const fixed = await fixFile(path, text, agents, signal, { maxPasses: 2 });
      assert.equal(typeof fixed.text, 'string', `${AT} ${path}`);
      assert.ok(fixed.applied >= 0 && fixed.dropped >= 0, `${AT} ${path}`);
    }

    const root = mkdtempSync(join(tmpdir(), 'mt-fuzz-fix-'));
    roots.push(root);
    const written = new Map([...texts].map(([path, text]) => [path, Buffer.from(text, 'utf8')]));
    for (const [path, bytes] of written) writeFileSync(join(root, path), bytes);
    const targets = [...texts.keys()].map((path) => ({ path, absPath: join(root, path) }));
    const result = await runAudit(targets, { root, agents, concurrency: 2 });
    assertAccounted(result, [...texts.keys()], 'fix audit');
    const outcome = await fixAudited(result, targets, agents, signal, { dryRun: true });
    assert.deepEqual(outcome.failures, [], `${AT}: no file failed to fix`);
    for (const [path, bytes] of written) assert.ok(readFileSync(join(root, path)).equals(bytes), `${AT}: the dry run wrote ${path}`);
  });
});
