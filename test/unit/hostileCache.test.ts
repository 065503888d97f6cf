// Issue 18, private state and untrusted caches (items 3, 6 and 7): another local user planting the parser's code
// cache, a result store committed in the audited repository, and cached entries that are malformed or carry fixes.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { privateDir } from '../../src/core/privateDir';

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
