/**
 * Issue 18, bounded resources (items 10, 11, 12): what a hostile repository can make the audit read and match
 * must cost bounded time and memory. Every case that hung or ran for minutes before runs in a child process
 * killed after a few seconds, so a regression fails here instead of hanging the suite.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import ignore from 'ignore';
import picomatch from 'picomatch';
import { BoundedReadError, readBoundedText } from '../../src/core/files/boundedRead';
import { readConfigFile } from '../../src/core/config/configFile';
import { MAX_PROBLEMS, parseConfig } from '../../src/core/config/load';
import { createPathFilter } from '../../src/core/config/pathFilter';
import { readBytes } from '../../src/core/files/fileLoader';
import { globProblem, GlobSet } from '../../src/core/glob/configGlob';
import { GitignoreRules } from '../../src/core/glob/gitignore';
import { tree as cliTree } from './helpers/cli';
import { tempDir } from './helpers/tempDirs';

/** A temp repository (a `.git` of its own, so nothing above it is read) holding `files`. */
function tree(files: Record<string, string> = {}): string {
  return cliTree({ '.git/HEAD': '', ...files });
}

const REPO = process.cwd();
const CLI = join(REPO, 'src', 'cli', 'index.ts');

interface ChildResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Killed at the deadline: the case hung or ran too long. */
  readonly timedOut: boolean;
}

/** Runs `node --import tsx <args>` from the repository, killed (with its group's pipes closed) after `timeoutMs`. */
function runChild(args: readonly string[], timeoutMs: number, cwd = REPO): Promise<ChildResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString(); });
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** Runs a TypeScript snippet (imports relative to the repository root) in a child process. */
function runScript(source: string, timeoutMs: number): Promise<ChildResult> {
  const dir = tempDir('mt-bounds-script-');
  const file = join(dir, 'case.ts');
  writeFileSync(file, source.replaceAll('@repo/', `${REPO}/`));
  return runChild([file], timeoutMs);
}

function mkfifo(path: string): boolean {
  return spawnSync('mkfifo', [path]).status === 0;
}

const canFifo = process.platform !== 'win32' && spawnSync('mkfifo', ['--version']).status === 0;

/** A deterministic pseudo-random source, so a failing pair can be reproduced. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state % n;
  };
}

describe('#10 globs and .gitignore rules are matched in linear time', () => {
  const EVIL = '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b';

  it('an exclude glob *a*a*...*b against a 40-character name finishes at once (picomatch ran for minutes)', { timeout: 30_000 }, async () => {
    const result = await runScript(`
      import { createPathFilter } from '@repo/src/core/config/pathFilter';
      const filter = createPathFilter([], [${JSON.stringify(EVIL)}, '**/a/**/a/**/a/**/a/**/b']);
      const verdicts = [filter.includes('${'a'.repeat(40)}'), filter.includes('${'a/'.repeat(400)}c')];
      process.stdout.write(JSON.stringify(verdicts));
    `, 15_000);
    assert.equal(result.timedOut, false, 'the match did not finish within 15 s');
    assert.equal(result.stdout, '[true,true]', result.stderr);
  });

  it('a .gitignore of nested ** rules does not stall the walk of a deep tree (the ignore package backtracked)', { timeout: 45_000 }, async () => {
    const rules = ['**/*a*/**/*a*/**/*a*/**/b', '**/a/**/a/**/a/**/b', 'a/**/a/**/a/**/a/**/b', '*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b'];
    const root = tree({ '.gitignore': `${rules.join('\n')}\n` });
    const deep = join(root, ...Array.from({ length: 250 }, () => 'a'));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, 'c.ts'), '');
    writeFileSync(join(root, `${'a'.repeat(60)}.ts`), '');
    writeFileSync(join(deep, 'b'), '');
    const result = await runScript(`
      import { listFiles } from '@repo/src/core/files/walker';
      listFiles(${JSON.stringify(root)}).then(({ files }) => process.stdout.write(JSON.stringify(files.map((f) => f.split('/').length))));
    `, 25_000);
    assert.equal(result.timedOut, false, 'the walk did not finish within 25 s');
    // .gitignore, the deep c.ts and the long name are listed; the deep `b` is ignored by the first rule.
    assert.deepEqual(JSON.parse(result.stdout), [1, 251, 1], result.stderr);
  });

  it('matches as picomatch did on thousands of (glob, path) pairs, the existing tests\' included', () => {
    const fixed = ['test/fixtures', '**/*.min.js', 'gen/**', 'src', '**/*.py', 'src/vendor', 'dist', '*.ts', '**', '*',
      'a/**/b', '**/a', 'a/**', '**/a/**', '!a/*', './a/b', 'a/b/', '{a,b}/**/*.{ts,js}', '[[:alpha:]]*', 'a**b', '**a',
      'a/**b/c', '[]a]', '[a-]', '[', 'a\\*b', 'x{1..3}', '*.{js,ts}', '.github/**', '**/.*',
      // The default test globs (global.tests), matched segment by segment.
      '**/*.test.*', '**/*.spec.*', '**/__tests__/**', '**/test/**', '**/test_*.py', '**/*_test.py', '**/conftest.py', '**/a*b*c',
      '**/.a', '**/*', '**/a.*/**', '**/$a^.*'];
    const tokens = ['a', 'b', '.', '*', '?', '[ab]', '[^a]', '{a,b}', 'a*', '*b', '.a', '{a,.b}', '\\*', 'x{1..3}', '[a-c]', '[[:digit:]]'];
    const next = random(42);
    const globs = [...fixed];
    for (let k = 0; k < 1500; k++) {
      const segments = Array.from({ length: 1 + next(4) }, () => (next(5) === 0 ? '**'
        : Array.from({ length: 1 + next(3) }, () => tokens[next(tokens.length)]).join('')));
      globs.push(segments.join('/'));
    }
    const names = ['a', 'b', '.a', 'ab', 'ba', 'aab', 'x1', 'x4', '.b', 'c', '*', 'abc', 'test', 'src', 'app.min.js', 'x.py'];
    const paths = ['src/a.ts', 'test/fixtures/x/y.ts', 'test/fixturesX.ts', 'lib/app.min.js', 'gen/a.ts', '.github/ci.yml',
      'src/a.test.ts', 'a.spec.tsx', 'x/__tests__', 'x/__tests__/y/z.ts', 'test', 'test/a', 'a/test_b.py', 'b_test.py', 'conftest.py',
      'x/conftest.py/y', 'abc', 'aXbYc', 'ac', 'a.b/c', 'a.test', '.a', 'x/.a', '$a^.b', 'a/a.test.b/c',
      'tools/b.py', 'tools/b.ts', 'src/vendor/c.ts', 'a', 'a/b', 'a/x/b', 'a/b/c'];
    for (let k = 0; k < 150; k++) paths.push(Array.from({ length: 1 + next(4) }, () => names[next(names.length)]).join('/'));
    const differences: string[] = [];
    for (const glob of globs) {
      const expected = picomatch(glob, { dot: true });
      const actual = new GlobSet([glob]);
      assert.deepEqual(actual.refused, [], glob);
      for (const path of paths) {
        if (expected(path) !== actual.matches(path)) differences.push(`${glob} ${path}`);
        // A folder's glob covers what is inside it: the path or one of its folders matches.
        const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
        if (actual.matchesSelfOrAncestor(path) !== prefixes.some((p) => actual.matches(p))) differences.push(`${glob} ${path} (or a folder)`);
      }
    }
    assert.deepEqual(differences.slice(0, 10), []);
  });

  it('keeps what .gitignore files meant under the ignore package, on thousands of (rules, path) pairs', () => {
    const fixed = ['*.log', '!keep.log', 'dist/', '/out', 'build/', 'generated/', '/local.ts', 'secret/', 'logs/',
      '**/a', 'a/**/b', '#x', '\\#x', 'a\\ ', 'a  ', '!', '/', '**', '*', 'a/b/', 'DIST', '[!a]*'];
    const tokens = ['a', 'B', '.', '*', '?', '[ab]', '[!a]', 'a*', '*b', '.a', '\\*', '[a-c]'];
    const next = random(7);
    const lines = [...fixed];
    for (let k = 0; k < 800; k++) {
      const segments = Array.from({ length: 1 + next(3) }, () => (next(5) === 0 ? '**'
        : Array.from({ length: 1 + next(3) }, () => tokens[next(tokens.length)]).join('')));
      const body = segments.join('/');
      // A trailing /** is left to the case below: git (and this matcher) do not ignore the folder itself.
      if (/\/\*\*$/.test(body)) continue;
      lines.push(`${next(4) === 0 ? '!' : ''}${next(4) === 0 ? '/' : ''}${body}${next(4) === 0 ? '/' : ''}`);
    }
    const names = ['a', 'b', '.a', 'ab', 'Ba', 'aab', 'c', '*', 'abc', 'x.log', 'keep.log', '#x', 'a ', 'dist'];
    const paths = ['a', 'a/b', 'a/x/b', 'out', 'src/out', 'dist', 'src/dist'];
    for (let k = 0; k < 120; k++) paths.push(Array.from({ length: 1 + next(3) }, () => names[next(names.length)]).join('/'));
    const differences: string[] = [];
    for (let k = 0; k < lines.length; k++) {
      const text = k > 0 && next(3) === 0 ? `${lines[k - 1]}\n${lines[k]}` : lines[k];
      const expected = ignore().add(text);
      const actual = new GitignoreRules(text);
      for (const path of paths) {
        // The walker never asks about a path below an ignored folder (it does not walk into it).
        const parts = path.split('/');
        const hidden = parts.slice(0, -1).some((_, d) => expected.test(`${parts.slice(0, d + 1).join('/')}/`).ignored);
        if (hidden) continue;
        for (const isDir of [false, true]) {
          const want = expected.checkIgnore(isDir ? `${path}/` : path);
          const got = actual.test(path, isDir);
          if (want.ignored !== got.ignored || want.unignored !== got.unignored) differences.push(`${JSON.stringify(text)} ${path} ${isDir}`);
        }
      }
    }
    assert.deepEqual(differences.slice(0, 10), []);
  });

  it('a trailing /** ignores what is inside a folder, not the folder, so a negation can bring a file back (as git)', () => {
    const rules = new GitignoreRules('a/**\n!a/keep\n');
    assert.deepEqual(rules.test('a', true), { ignored: false, unignored: false });
    assert.deepEqual(rules.test('a/x', false), { ignored: true, unignored: false });
    assert.deepEqual(rules.test('a/keep', false), { ignored: false, unignored: true });
  });

  it('refuses globs it cannot match as written, with the reason, where the configuration says them', () => {
    assert.match(globProblem('+(a|b).ts') ?? '', /extglobs/);
    assert.match(globProblem('{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}') ?? '', /more than 256 patterns/);
    assert.match(globProblem('x{1..100000}') ?? '', /more than 256 patterns/);
    assert.match(globProblem('a'.repeat(1001)) ?? '', /1001 characters/);
    assert.equal(globProblem('src/**/*.{ts,tsx}'), undefined);
    const { config, problems } = parseConfig('global:\n  exclude: [dist, "!(x)", "{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}{a,b}"]\n');
    assert.deepEqual(config.global.exclude, ['dist']);
    assert.deepEqual(problems.map((p) => `${p.range.start.line}:${p.range.start.column} ${p.message.slice(0, 60)}`), [
      '2:19 global.exclude[1]: expected a supported glob (extglobs such ',
      '2:27 global.exclude[2]: expected a supported glob (its braces exp',
    ]);
    assert.equal(createPathFilter([], config.global.exclude).includes('dist/a.ts'), false);
  });
});

describe('#11 configuration and manifests are read bounded: regular files, 1 MB, a time limit', { skip: !canFifo && 'mkfifo is not available here' }, () => {
  it('a FIFO named maintenance-team.yaml, package.json or tsconfig.json does not hang the audit', { timeout: 60_000 }, async () => {
    const root = tree({ 'src/a.ts': "import { x } from 'left-pad';\nexport const a = x;\n" });
    for (const name of ['maintenance-team.yaml', 'package.json', 'tsconfig.json', 'src/package.json']) assert.ok(mkfifo(join(root, name)));
    const result = await runChild([CLI, 'audit', root, '--no-cache', '--format', 'json'], 40_000);
    assert.equal(result.timedOut, false, 'the audit hung on a FIFO');
    assert.match(result.stderr, /maintenance-team\.yaml:1:1: error: cannot read the configuration: not a regular file \(a FIFO\)/);
    assert.deepEqual((JSON.parse(result.stdout) as { files: { path: string }[] }).files.map((f) => f.path), ['src/a.ts']);
  });

  it('--config naming a FIFO is a configuration error (exit 2) with the reason, not a hang', { timeout: 40_000 }, async () => {
    const root = tree({ 'a.ts': 'export const a = 1;\n' });
    const fifo = join(root, 'team.yaml');
    assert.ok(mkfifo(fifo));
    const result = await runChild([CLI, 'audit', root, '--no-cache', '--config', fifo], 25_000);
    assert.equal(result.timedOut, false, 'the audit hung on --config FIFO');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /cannot read the configuration: not a regular file \(a FIFO\)/);
  });

  it('twelve package.json links to /dev/zero neither exhaust the heap nor hang', { timeout: 60_000 }, async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 12; i++) files[`p${i}/index.ts`] = "import { x } from 'left-pad';\nexport const a = x;\n";
    const root = tree(files);
    for (let i = 0; i < 12; i++) symlinkSync('/dev/zero', join(root, `p${i}`, 'package.json'));
    symlinkSync('/dev/zero', join(root, 'package.json'));
    const result = await runChild(['--max-old-space-size=256', CLI, 'audit', root, '--no-cache', '--format', 'json'], 40_000);
    assert.equal(result.timedOut, false, 'the audit did not finish');
    assert.equal(result.stderr.includes('heap'), false, result.stderr.slice(0, 500));
    assert.equal((JSON.parse(result.stdout) as { files: unknown[] }).files.length, 12);
  });

  it('a FIFO planted as the default result store is discarded with the reason; --cache-dir under /proc is a warning', { timeout: 60_000 }, async () => {
    const root = tree({ 'a.ts': 'export const a = 1;\n' });
    const store = join(root, 'node_modules', '.cache', 'maintenance-team');
    mkdirSync(store, { recursive: true });
    for (const name of ['results-v1.json', 'results-v2.json', 'results-v3.json', 'results-v3.cache']) assert.ok(mkfifo(join(store, name)));
    const planted = await runChild([CLI, 'audit', root], 25_000);
    assert.equal(planted.timedOut, false, 'the audit hung on a FIFO store');
    assert.match(planted.stderr, /discarded \(unreadable: not a regular file \(a FIFO\)\)/);
    if (process.platform !== 'linux') return;
    const proc = await runChild([CLI, 'audit', root, '--cache-dir', '/proc'], 25_000);
    assert.equal(proc.timedOut, false);
    assert.match(proc.stderr, /warning: result cache at \/proc is not used: no file can be created in it/);
    assert.equal(proc.code, 0);
  });

  it('the reader refuses devices and FIFOs on the descriptor, and enforces the size while reading (/proc reports 0)', { timeout: 10_000 }, async () => {
    const root = tree({ 'big.json': 'x'.repeat(2 * 1024 * 1024) });
    symlinkSync('/dev/zero', join(root, 'zero.json'));
    assert.ok(mkfifo(join(root, 'fifo.yaml')));
    const refused = async (path: string, options?: { maxBytes: number }) =>
      readBoundedText(path, options).then(() => 'read', (error: unknown) => (error instanceof BoundedReadError ? `${error.code} ${error.reason}` : String(error)));
    assert.equal(await refused(join(root, 'zero.json')), 'ENOTREG not a regular file (a character device)');
    assert.equal(await refused(join(root, 'fifo.yaml')), 'ENOTREG not a regular file (a FIFO)');
    assert.match(await refused(join(root, 'big.json')), /^EFBIG 2048 KB is over the 1024 KB limit/);
    if (process.platform === 'linux') assert.match(await refused('/proc/self/status', { maxBytes: 64 }), /^EFBIG /);
    const config = await readConfigFile(join(root, 'zero.json'));
    assert.equal(config.unreadable, 'not a regular file (a character device)');
    // An audited file replaced by a FIFO after the walk is skipped, not waited on (the loader's open blocked).
    assert.deepEqual(await readBytes(join(root, 'fifo.yaml')), { kind: 'skip', reason: 'unreadable', detail: 'not a regular file (a FIFO)' });
  });
});

describe('#12 configuration validation is linear in the file\'s size, problems and globs capped', () => {
  it('a 1 MB configuration of unknown keys is validated in seconds (it took about 2 minutes), at most 100 problems listed', { timeout: 60_000 }, async () => {
    const result = await runScript(`
      import { parseConfig } from '@repo/src/core/config/load';
      let text = 'global:\\n';
      for (let i = 0; text.length < 1000 * 1024; i++) text += '  unknownKey' + i + ': ' + i + '\\n';
      const started = Date.now();
      const { problems } = parseConfig(text);
      process.stdout.write(JSON.stringify({ count: problems.length, last: problems.at(-1)?.message, ms: Date.now() - started }));
    `, 40_000);
    assert.equal(result.timedOut, false, 'validating 1 MB took over 40 s');
    const { count, last } = JSON.parse(result.stdout) as { count: number; last: string };
    assert.equal(count, MAX_PROBLEMS + 1);
    assert.match(last, /^\d+ more problems in this file, not listed$/);
  });

  it('300,000 exclude globs are refused with the limit, without exhausting the heap', { timeout: 60_000 }, async () => {
    const result = await runScript(`
      import { parseConfig } from '@repo/src/core/config/load';
      import { runSettingsOf } from '@repo/src/core/config/configFile';
      const globs = Array.from({ length: 300000 }, (_, i) => (i % 26 + 10).toString(36));
      const { config, problems } = parseConfig('global:\\n  exclude: [' + globs.join(',') + ']\\n');
      const filter = runSettingsOf(config).filter;
      process.stdout.write(JSON.stringify({ problems: problems.map((p) => p.message), kept: filter.includes('a.ts') }));
    `, 40_000);
    assert.equal(result.timedOut, false, 'did not finish within 40 s');
    assert.deepEqual(JSON.parse(result.stdout), {
      problems: ['global.exclude: expected a list of at most 1000 items, found a list; using the default'], kept: true,
    });
  });

  it('a configuration over 1 MB is not parsed, in the CLI and the editor alike (parseConfig is their one path)', () => {
    const { config, problems } = parseConfig(`global:\n  concurrency: 2\n${'#'.repeat(1024 * 1024)}\n`);
    assert.equal(config.global.concurrency, undefined);
    assert.deepEqual(problems.map((p) => p.message), ['the configuration is over the 1024 KB limit; not read, defaults used']);
  });

  it('a key of 100,000 characters is quoted short, and duplicate keys are still found (now in linear time)', () => {
    const { problems } = parseConfig(`global:\n  ? ${'k'.repeat(100_000)}\n  : 1\n  concurrency: 2\n  concurrency: 3\n`);
    assert.deepEqual(problems.map((p) => `${p.range.start.line}:${p.range.start.column} ${p.message.length < 200}`), ['2:5 true', '5:3 true']);
    assert.equal(problems[0].message, `global: unknown key '${'k'.repeat(80)}…'; ignored`);
    assert.equal(problems[1].message, 'YAML syntax: Map keys must be unique');
  });
});
