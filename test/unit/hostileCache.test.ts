// Issue 18, private state and untrusted caches (items 3, 6 and 7): another local user planting the parser's code
// cache, a result store committed in the audited repository, and cached entries that are malformed or carry fixes.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import type { JsonReport } from '../../src/reports/reporter';
import { decodeFindings } from '../../src/core/cache/shared/sharedKeys';
import { CACHE_KEY_ENV, storeSecret } from '../../src/core/cache/storeSecret';
import { main } from '../../src/cli/main';
import { hashText } from '../../src/core/hash';
import { privateDir } from '../../src/core/trust/privateDir';
import { signBody } from './helpers/signedStore';

const NOBODY = 65534;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const REPO = resolve(__dirname, '../..');

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** A temporary folder removed when the file's tests end; `shared` makes it world-writable and sticky, as /tmp is. */
function tempDir(prefix: string, shared = false): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  if (shared) chmodSync(dir, 0o1777);
  return dir;
}

/**
 * Run as user `nobody`: writes, in `cacheDir`, the V8 code cache of a source as long as `victim` whose code
 * creates `marker`, under the name the victim's own cache would have. V8 checks a cache against the source's
 * length only: whoever loads `victim` through that cache runs the planted code instead.
 */
function plantCodeCache(victim: string, cacheDir: string, marker: string): void {
  const script = `
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const { Module } = require('node:module');
const { Script } = require('node:vm');
const [victim, dir, marker] = process.argv.slice(1);
const source = fs.readFileSync(victim, 'utf8');
let evil = 'if (process.getuid() !== ${NOBODY}) require("node:fs").writeFileSync(' + JSON.stringify(marker) + ', "planted");'
  + ' exports.answer = () => 666;';
evil += ' '.repeat(source.length - evil.length);
const key = createHash('sha256').update(source).digest('hex').slice(0, 24);
fs.mkdirSync(dir, { recursive: true, mode: 0o777 });
fs.chmodSync(dir, 0o777);
const script = new Script(Module.wrap(evil), { filename: victim });
// Run once (as this user, so harmlessly) to have every function compiled into the cache.
const module = { exports: {} };
script.runInThisContext()(module.exports, require, module, victim, dir);
module.exports.answer();
const data = script.createCachedData();
fs.writeFileSync(dir + '/' + key + '-node' + process.versions.node + '-' + process.arch + '.bin', data);
`;
  execFileSync(process.execPath, ['-e', script, victim, cacheDir, marker], { uid: NOBODY, gid: NOBODY, cwd: '/', stdio: 'pipe' });
}

/** Loads `file` through `CodeCache` with the default cache folder under `tmp`, in a new process; its answer(). */
function loadWithDefaultCache(file: string, tmp: string): string {
  const codeCache = join(REPO, 'src/core/runner/codeCache.ts');
  const script = `const { CodeCache, defaultCodeCacheDir } = require(${JSON.stringify(codeCache)});
CodeCache.load(${JSON.stringify(file)}, defaultCodeCacheDir({}));
process.stdout.write(String(require(${JSON.stringify(file)}).answer()));`;
  return execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], {
    encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, MAINTENANCE_TEAM_CODE_CACHE: '' },
  });
}

describe('#3 the code cache is never another user\'s', () => {
  it('a code cache planted by another user at the predictable path never runs', { timeout: 60_000 }, (t) => {
    if (!isRoot) {
      t.skip('needs root to act as a second OS user (uid 65534); run the unit tests as root, as CI does');
      return;
    }
    const tmp = tempDir('mt-hostile-tmp-', true);
    const bundleDir = tempDir('mt-hostile-bundle-');
    chmodSync(bundleDir, 0o755);
    const file = join(bundleDir, 'bundle.js');
    writeFileSync(file, `exports.answer = () => 42;${' '.repeat(200)}\n`);
    const marker = join(tmp, 'planted-code-ran');
    const predictable = join(tmp, `maintenance-team-v8-cache-${process.getuid!()}`);
    plantCodeCache(file, predictable, marker);
    assert.equal(statSync(predictable).uid, NOBODY, 'the folder is the other user\'s');
    const planted = readdirSync(predictable);

    assert.equal(loadWithDefaultCache(file, tmp), '42', 'the bundle\'s own code ran');
    assert.equal(existsSync(marker), false, 'the planted code did not run');
    assert.deepEqual(readdirSync(predictable), planted, 'nothing was written into the other user\'s folder');
  });

  it('the CLI says it runs without the refused code cache, and audits', { timeout: 120_000 }, (t) => {
    if (!isRoot) {
      t.skip('needs root to act as a second OS user (uid 65534); run the unit tests as root, as CI does');
      return;
    }
    const cli = join(REPO, 'dist/cli.js');
    if (!existsSync(cli)) {
      t.skip('dist/cli.js is missing: run `npm run build` first');
      return;
    }
    const tmp = tempDir('mt-hostile-tmp-', true);
    const predictable = join(tmp, `maintenance-team-v8-cache-${process.getuid!()}`);
    plantCodeCache(join(REPO, 'dist/ts-morph.js'), predictable, join(tmp, 'planted-code-ran'));
    const planted = readdirSync(predictable);
    const work = tempDir('mt-hostile-work-');
    writeFileSync(join(work, 'a.ts'), 'import { x } from "./b";\nexport const y = 1;\n');
    const run = spawnSync(process.execPath, [cli, 'audit', work, '--format', 'json', '--fail-on', 'never'], {
      encoding: 'utf8', env: { ...process.env, TMPDIR: tmp, MAINTENANCE_TEAM_CODE_CACHE: '', XDG_CACHE_HOME: tempDir('mt-hostile-xdg-') },
      timeout: 100_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /code cache is not used: .*owned by user 65534/);
    const report = JSON.parse(run.stdout) as { files: { findings: { rule: string }[] }[] };
    assert.ok(report.files[0].findings.some((f) => f.rule === 'imports/unused'), 'the real parser audited the file');
    assert.equal(existsSync(join(tmp, 'planted-code-ran')), false, 'the planted code did not run');
    assert.deepEqual(readdirSync(predictable), planted);
  });

  it('a private folder is made 0700; another user\'s, a link or a world-writable one is refused', { timeout: 10_000 }, () => {
    const base = tempDir('mt-hostile-private-');
    const made = privateDir(join(base, 'state', 'v8'));
    assert.equal(made.kind, 'ok');
    assert.equal(statSync(join(base, 'state', 'v8')).mode & 0o777, 0o700);
    mkdirSync(join(base, 'open'), { mode: 0o777 });
    chmodSync(join(base, 'open'), 0o777);
    const open = privateDir(join(base, 'open'));
    assert.equal(open.kind, 'refused');
    assert.match(open.kind === 'refused' ? open.reason : '', /written by other users/);
    execFileSync('ln', ['-s', join(base, 'state'), join(base, 'link')]);
    assert.match(JSON.stringify(privateDir(join(base, 'link'))), /symbolic link/);
    if (isRoot) {
      mkdirSync(join(base, 'theirs'), { mode: 0o700 });
      execFileSync('chown', [`${NOBODY}:${NOBODY}`, join(base, 'theirs')]);
      assert.match(JSON.stringify(privateDir(join(base, 'theirs'))), /owned by user 65534/);
    }
  });
});

/** What one in-process CLI run printed and returned, with `env` as its whole environment. */
async function cli(argv: string[], cwd: string, env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (chunk: string) => (stdout += chunk) }, stderr: { write: (chunk: string) => (stderr += chunk) }, cwd, env,
  }, { inThread: true });
  return { code, stdout, stderr };
}

/** A repository (a `.git` folder) holding `files`, whose default store is then `node_modules/.cache/maintenance-team`. */
function repository(files: Record<string, string>): string {
  const root = tempDir('mt-hostile-repo-');
  mkdirSync(join(root, '.git'));
  mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true });
  for (const [path, text] of Object.entries(files)) writeFileSync(join(root, path), text);
  return root;
}

type StoredFinding = Record<string, unknown> & { range: { start: Record<string, unknown> } };
type Mutate = (finding: StoredFinding, contentKey: string) => StoredFinding;

/** The results of every entry of the store in `dir` rewritten by `rewrite`, whatever its format; `secret` re-signs them. */
function rewriteStore(dir: string, secret: Buffer, rewrite: (results: unknown[], key: string) => unknown[]): void {
  const file = readdirSync(dir).find((name) => /^results-v\d+\.(json|cache)$/.test(name))!;
  const text = readFileSync(join(dir, file), 'utf8');
  if (file.endsWith('.json')) {
    // Format 2 (before entries were authenticated): `[createdAt, usedAt, size, agent, findings, agent, findings…]`.
    const store = JSON.parse(text) as { entries: Record<string, unknown[]> };
    for (const [key, entry] of Object.entries(store.entries)) entry.splice(3, entry.length - 3, ...rewrite(entry.slice(3), key));
    writeFileSync(join(dir, file), JSON.stringify(store));
    return;
  }
  const [, ...lines] = text.trimEnd().split('\n');
  const rewritten = lines.map((line) => {
    const fields = line.split('\t');
    fields[5] = JSON.stringify(rewrite(JSON.parse(fields[5]) as unknown[], fields[0]));
    return `${fields.join('\t')}\n`;
  });
  writeFileSync(join(dir, file), signBody(rewritten.join(''), secret));
}

/**
 * Rewrites every finding of the store in `dir` through `mutate`, re-signed with `secret` (the way someone holding
 * that key would write it), whatever the store's format. Nothing here depends on the code under test.
 */
function mutateStore(dir: string, secret: Buffer, mutate: Mutate): void {
  rewriteStore(dir, secret, (results, key) => results.map((item, i) => (i % 2 === 1 ? (item as StoredFinding[]).map((f) => mutate(f, key)) : item)));
}

/** Removes every finding of the store in `dir`, re-signed with `secret`: a store that says everything is clean. */
function emptyStore(dir: string, secret: Buffer): void {
  rewriteStore(dir, secret, (results) => results.map((item, i) => (i % 2 === 1 ? [] : item)));
}

const STORE = join('node_modules', '.cache', 'maintenance-team');
const DANGEROUS = 'const key = "AKIAIOSFODNN7EXAMPLE";\nexport const run = (code: string) => eval(code);\n';

describe('#6 a result store committed in the repository cannot hide findings', () => {
  it('a planted store with its findings emptied is not trusted: findings are reported, exit 1', { timeout: 60_000 }, async () => {
    const root = repository({ 'danger.ts': DANGEROUS, 'tidy.ts': 'export const tidy = 1;   \n' });
    // The attacker audits the repository on their machine (their own key), empties the findings and commits the store.
    const attacker = { XDG_CACHE_HOME: tempDir('mt-hostile-xdg-'), [CACHE_KEY_ENV]: 'the attacker\'s own key' };
    const first = await cli(['audit', root, '--format', 'json'], root, attacker);
    assert.equal(first.code, 1, first.stderr);
    emptyStore(join(root, STORE), storeSecret(attacker));

    const victim = { XDG_CACHE_HOME: tempDir('mt-hostile-xdg-') };
    const fresh = await cli(['audit', root, '--format', 'json'], root, victim);
    const report = JSON.parse(fresh.stdout) as JsonReport;
    assert.equal(fresh.code, 1, 'the secret and the eval still fail the run');
    const rules = report.files.flatMap((f) => f.findings.map((x) => x.rule));
    assert.ok(rules.includes('security/eval'), rules.join());
    assert.deepEqual(report.files.map((f) => f.fromCache), [false, false]);
    assert.match(fresh.stderr, /entries not written with this user's key/);

    // Recomputed and overwritten: the next run is served from the victim's own entries, with the same findings.
    const again = JSON.parse((await cli(['audit', root, '--format', 'json'], root, victim)).stdout) as JsonReport;
    assert.deepEqual(again.files.map((f) => f.fromCache), [true, true]);
    assert.deepEqual(again.files.map((f) => f.findings), report.files.map((f) => f.findings));
  });

  it('the user\'s key is made once, 0600 in a 0700 folder outside the workspace; CI can give one', { timeout: 60_000 }, async () => {
    const home = tempDir('mt-hostile-xdg-');
    const key = storeSecret({ XDG_CACHE_HOME: home });
    const file = join(home, 'maintenance-team', 'private', 'result-cache.key');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(join(home, 'maintenance-team', 'private')).mode & 0o777, 0o700);
    assert.deepEqual(storeSecret({ XDG_CACHE_HOME: home }), key, 'the same key next time');
    // Two CI machines with the same secret share a persisted store (restored from the CI cache).
    const root = repository({ 'tidy.ts': 'export const tidy = 1;   \n' });
    const ci = (machine: string) => ({ XDG_CACHE_HOME: join(home, machine), [CACHE_KEY_ENV]: 'from-a-ci-secret' });
    await cli(['audit', root, '--format', 'json'], root, ci('one'));
    const warm = JSON.parse((await cli(['audit', root, '--format', 'json'], root, ci('two'))).stdout) as JsonReport;
    assert.deepEqual(warm.files.map((f) => f.fromCache), [true]);
  });
});

/** A JSON report without what differs between two runs of the same files (durations, cache figures). */
function comparable(json: string): unknown {
  const report = JSON.parse(json) as { files: Record<string, unknown>[]; summary: Record<string, unknown> };
  for (const key of ['durationMs', 'cache', 'agents']) delete report.summary[key];
  for (const file of report.files) delete file.fromCache;
  return report;
}

/** A SARIF log as text, without its duration (the only figure that differs between two runs). */
function sarifWithoutDuration(text: string): string {
  return text.replace(/"durationMs": ?\d+/, '"durationMs": 0');
}

describe('#7 cached findings are validated, and fixes are never taken from a cache', () => {
  const files = {
    'fix.ts': 'import { unused } from "./x";\nexport const a = 1;   \n',
    'noline.ts': 'export const b = 2;   \n',
    'edits.ts': 'export const c = 3;\t\n',
    'severity.ts': 'export const d = 4;  \n\n\n\n',
  };
  const evil: Record<string, Mutate> = {
    'fix.ts': (f) => ({ ...f, fixable: true, fix: { title: 'Run me', edits: [{ start: 0, end: 0, newText: 'MALICIOUS();' }] } }),
    'noline.ts': (f) => ({ ...f, range: { ...f.range, start: { column: 1 } } }),
    'edits.ts': (f) => ({ ...f, fix: { title: 'x', edits: 'not an array' } }),
    'severity.ts': (f) => ({ ...f, severity: 'catastrophic' }),
  };

  it('entries with planted fixes, a range without a line, edits not an array, an unknown severity: reports stay right', { timeout: 90_000 }, async () => {
    const root = repository(files);
    // Entries that even verify under the user's key (a buggy build, a shared Redis): validated all the same.
    const env = { XDG_CACHE_HOME: tempDir('mt-hostile-xdg-'), [CACHE_KEY_ENV]: 'the user\'s key' };
    const cold = await cli(['audit', root, '--format', 'sarif'], root, env);
    const coldJson = await cli(['audit', root, '--format', 'json', '--no-cache'], root, env);
    const byKey = new Map(Object.entries(files).map(([path, text]) => [hashText(text).slice(0, 32), evil[path]]));
    mutateStore(join(root, STORE), storeSecret(env), (f, key) => byKey.get(key)!(f, key));

    const warm = await cli(['audit', root, '--format', 'sarif'], root, env);
    assert.equal(warm.code, cold.code, warm.stderr);
    assert.doesNotMatch(warm.stdout, /MALICIOUS|Run me/);
    assert.equal(sarifWithoutDuration(warm.stdout), sarifWithoutDuration(cold.stdout));
    const warmJson = await cli(['audit', root, '--format', 'json'], root, env);
    assert.doesNotMatch(warmJson.stdout, /NaN|null/);
    assert.deepEqual(comparable(warmJson.stdout), comparable(coldJson.stdout));
  });

  it('a warm run gives the cold run\'s SARIF bytes, fixes included, and the same JSON fixable values', { timeout: 90_000 }, async () => {
    const root = repository(files);
    const env = { XDG_CACHE_HOME: tempDir('mt-hostile-xdg-') };
    const cold = await cli(['audit', root, '--format', 'sarif'], root, env);
    assert.match(cold.stdout, /"fixes"/);
    const warm = await cli(['audit', root, '--format', 'sarif'], root, env);
    assert.equal(sarifWithoutDuration(warm.stdout), sarifWithoutDuration(cold.stdout));
    const coldJson = await cli(['audit', root, '--format', 'json', '--no-cache'], root, env);
    const warmJson = await cli(['audit', root, '--format', 'json'], root, env);
    assert.ok((JSON.parse(warmJson.stdout) as JsonReport).files.every((f) => f.fromCache));
    assert.deepEqual(comparable(warmJson.stdout), comparable(coldJson.stdout));
  });

  it('--fix on a warm cache recomputes the fixes from the files, never from the store', { timeout: 90_000 }, async () => {
    const root = repository({ 'fix.ts': files['fix.ts'] });
    const env = { XDG_CACHE_HOME: tempDir('mt-hostile-xdg-'), [CACHE_KEY_ENV]: 'the user\'s key' };
    await cli(['audit', root, '--format', 'json'], root, env);
    mutateStore(join(root, STORE), storeSecret(env), evil['fix.ts']);
    const fixed = await cli(['audit', root, '--fix', '--format', 'json'], root, env);
    assert.equal(fixed.code, 0, fixed.stderr);
    assert.equal(readFileSync(join(root, 'fix.ts'), 'utf8'), 'export const a = 1;\n');
  });

  it('a Redis value is read through the same schema: a fix in it is dropped, a bad severity is a miss', () => {
    const range = { start: { line: 1, column: 1 }, end: { line: 1, column: 2 } };
    const base = { agent: 'hygiene', rule: 'hygiene/final-newline', severity: 'info', message: 'm', range };
    const withFix = decodeFindings(JSON.stringify([{ ...base, fixable: true, fix: { title: 'x', edits: [{ start: 0, end: 0, newText: 'EVIL' }] } }]));
    assert.deepEqual(withFix, [{ ...base, fixable: true }]);
    for (const bad of [{ ...base, severity: 'catastrophic' }, { ...base, range: { start: { column: 1 }, end: range.end } },
      { ...base, range: { start: { line: 0, column: 1 }, end: range.end } }, { ...base, message: 'x'.repeat(20_000) }]) {
      assert.equal(decodeFindings(JSON.stringify([bad])), undefined, JSON.stringify(bad).slice(0, 80));
    }
  });
});
