// The parser's code cache (src/core/runner/codeCache.ts), on a small CommonJS bundle of its own: loaded into the
// module cache, the cache made once and then used by a new process, a corrupt or foreign cache only costing the
// compile, old caches pruned.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CODE_CACHE_ENV, CodeCache, defaultCodeCacheDir } from '../../src/core/runner/codeCache';
import { tempDir } from './helpers/tempDirs';

function bundle(source = "const os = require('node:os');\nexports.answer = () => 42;\nexports.eol = os.EOL;\n"): string {
  const dir = tempDir('mt-codecache-');
  const file = join(dir, 'bundle.js');
  writeFileSync(file, source);
  return file;
}

/** Loads `file` through the cache in `cacheDir` in a new process; whether the cache was pending there. */
function pendingInNewProcess(file: string, cacheDir: string): boolean {
  const script = `const { CodeCache } = require(${JSON.stringify(join(__dirname, '../../src/core/runner/codeCache.ts'))});
const cache = CodeCache.load(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)});
if (require(${JSON.stringify(file)}).answer() !== 42) throw new Error('not loaded');
process.stdout.write(String(cache.pending)); cache.save();`;
  return execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { encoding: 'utf8' }) === 'true';
}

test('the bundle is loaded into the module cache: a later require returns it, requires inside it work', () => {
  const file = bundle();
  const cacheDir = tempDir('mt-codecache-dir-');
  const cache = CodeCache.load(file, cacheDir);
  assert.ok(cache);
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the point: require finds what load put there
  const loaded = require(file) as { answer(): number; eol: string };
  assert.equal(loaded.answer(), 42);
  assert.equal(typeof loaded.eol, 'string');
  assert.equal(cache.pending, true, 'no cache yet');
  assert.deepEqual(readdirSync(cacheDir), []);
  cache.save();
  assert.equal(readdirSync(cacheDir).length, 1);
  cache.save(); // once only
  assert.equal(readdirSync(cacheDir).length, 1);
});

test('a new process uses the cache made before; a changed bundle gets its own', () => {
  const file = bundle();
  const cacheDir = tempDir('mt-codecache-dir-');
  assert.equal(pendingInNewProcess(file, cacheDir), true);
  assert.equal(pendingInNewProcess(file, cacheDir), false, 'the cache made by the first process is used');
  writeFileSync(file, `${readFileSync(file, 'utf8')}exports.more = 1;\n`);
  assert.equal(pendingInNewProcess(file, cacheDir), true, 'another content, another cache');
  assert.equal(readdirSync(cacheDir).length, 2);
});

test('a corrupt cache costs only the compile: the bundle loads, and the cache is made anew', () => {
  const file = bundle();
  const cacheDir = tempDir('mt-codecache-dir-');
  assert.equal(pendingInNewProcess(file, cacheDir), true);
  const [name] = readdirSync(cacheDir);
  writeFileSync(join(cacheDir, name), 'not a V8 code cache at all');
  assert.equal(pendingInNewProcess(file, cacheDir), true, 'rejected: made again');
  assert.equal(pendingInNewProcess(file, cacheDir), false);
});

test('a bundle that cannot be read loads nothing', () => {
  assert.equal(CodeCache.load(join(tmpdir(), 'no-such-dir-mt', 'bundle.js'), tmpdir()), undefined);
});

test('only the three newest caches are kept, and temporary files left behind by a stopped thread go', () => {
  const cacheDir = tempDir('mt-codecache-dir-');
  for (let i = 0; i < 4; i++) {
    writeFileSync(join(cacheDir, `old${i}-node-x.bin`), 'x');
    utimesSync(join(cacheDir, `old${i}-node-x.bin`), new Date(2020, 0, 1 + i), new Date(2020, 0, 1 + i));
  }
  writeFileSync(join(cacheDir, 'left-behind.bin.1-abc.tmp'), 'x');
  utimesSync(join(cacheDir, 'left-behind.bin.1-abc.tmp'), new Date(2020, 0, 1), new Date(2020, 0, 1));
  writeFileSync(join(cacheDir, 'being-written.bin.2-def.tmp'), 'x');
  const cache = CodeCache.load(bundle(), cacheDir)!;
  cache.save();
  const kept = readdirSync(cacheDir).sort();
  assert.deepEqual(kept.filter((name) => name.endsWith('.tmp')), ['being-written.bin.2-def.tmp']);
  const caches = kept.filter((name) => name.endsWith('.bin'));
  assert.equal(caches.length, 3);
  assert.ok(!caches.includes('old0-node-x.bin') && !caches.includes('old1-node-x.bin'), caches.join());
});

test('$MAINTENANCE_TEAM_CODE_CACHE moves the cache or turns it off; a per-user temporary folder otherwise', () => {
  assert.equal(defaultCodeCacheDir({ [CODE_CACHE_ENV]: '/somewhere/else' }), '/somewhere/else');
  assert.equal(defaultCodeCacheDir({ [CODE_CACHE_ENV]: 'off' }), undefined);
  const fallback = defaultCodeCacheDir({});
  assert.ok(fallback?.startsWith(tmpdir()) && fallback.includes('maintenance-team'), fallback);
});
