import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { cacheHome, run, tree } from './helpers/cli';

const ROOT = join(__dirname, '..', '..');
const parserLoaded = () => Object.keys(require.cache).some((path) => /[\\/]ts-morph[\\/]/.test(path));

// This file runs in its own process (node:test), so nothing else has loaded the compiler here.
test('a warm audit whose results all come from the cache never loads the TypeScript compiler', async () => {
  const root = tree({
    'package.json': '{ "name": "app" }',
    'tsconfig.json': '// comments are fine\n{ "compilerOptions": { "paths": { "@app/*": ["src/*"], }, }, }',
    'src/a.ts': "import { unused } from './b';\nexport const a = 1;   \n",
    'src/b.ts': 'export const unused = 2;\n',
  });
  const cacheDir = join(root, '.cache');
  // The cold run, in a child process: it parses, and fills the cache (under the same user key as `run`'s).
  const cold = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src/cli/index.ts'), 'audit', root,
    '--cache-dir', cacheDir, '--format', 'json', '--fail-on', 'never'], {
    cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cacheHome },
  });
  assert.equal(cold.status, 0, cold.stderr);
  assert.equal(parserLoaded(), false);
  const warm = await run(['audit', root, '--cache-dir', cacheDir, '--format', 'json', '--fail-on', 'never'], root);
  assert.equal(warm.code, 0, warm.stderr);
  assert.deepEqual(JSON.parse(warm.stdout).files.map((f: { findings: unknown[] }) => f.findings),
    JSON.parse(cold.stdout).files.map((f: { findings: unknown[] }) => f.findings));
  assert.ok(JSON.parse(warm.stdout).files.every((f: { fromCache: boolean }) => f.fromCache));
  assert.equal(parserLoaded(), false, 'ts-morph was loaded by a warm audit');
});
