import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { packageNameOf } from '../../src/agents/imports/importDependencies';
import { importsAgent } from '../../src/agents/imports';
import { runAudit } from '../../src/core/run/coordinator';
import type { Finding } from '../../src/core/model';
import { ProjectIndex, ProjectIndexes, type ProjectContext } from '../../src/core/files/projectContext';
import { makeInput } from './helpers/agentInput';

const signal = new AbortController().signal;
const roots: string[] = [];
after(() => Promise.all(roots.map((root) => rm(root, { recursive: true, force: true }))));

/** A temporary project holding `files` (POSIX paths relative to its root); returns the root. */
async function project(files: Record<string, string | object>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'mt-deps-'));
  roots.push(root);
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, ...path.split('/'));
    await mkdir(dirname(abs), { recursive: true });
    await writeFile(abs, typeof content === 'string' ? content : JSON.stringify(content));
  }
  return root;
}

async function contextOf(root: string, path: string): Promise<ProjectContext> {
  return new ProjectIndex(root).contextFor(join(root, ...path.split('/')));
}

function undeclared(path: string, text: string, context: ProjectContext | undefined): Finding[] {
  return (importsAgent.run(makeInput(path, text, context), signal) as Finding[])
    .filter((f) => f.rule === 'imports/undeclared-dependency');
}

/** Package names reported for `text` as file `path` of the project at `root`. */
async function reportedIn(root: string, path: string, text: string): Promise<string[]> {
  return undeclared(path, text, await contextOf(root, path)).map((f) => /^'(.+?)'/.exec(f.message)?.[1] ?? '?');
}

const imports = (...specifiers: string[]): string => specifiers.map((s) => `import '${s}';`).join('\n') + '\n';

describe('imports/undeclared-dependency: reported', () => {
  test('an undeclared package: message with the manifest path, range on the specifier, warning, no fix', async () => {
    const root = await project({ 'package.json': { name: 'app', dependencies: { react: '^19' } } });
    const [finding, ...rest] = undeclared('src/a.ts', "import React from 'react';\nimport _ from 'lodash';\n_(React);\n", await contextOf(root, 'src/a.ts'));
    assert.equal(rest.length, 0);
    assert.equal(finding?.message, "'lodash' is imported but not declared in package.json (package.json)");
    assert.equal(finding?.severity, 'warning');
    assert.deepEqual(finding?.range, { start: { line: 2, column: 15 }, end: { line: 2, column: 23 } });
    assert.equal(finding?.fix, undefined);
  });

  test('every import syntax: declarations, export-from, import =, require, import(), import types', async () => {
    const root = await project({ 'package.json': { name: 'app' } });
    const text = [
      "import a from 'p1';",
      "export { b } from 'p2';",
      "export * from 'p3';",
      "import c = require('p4');",
      "const d = require('p5');",
      "const e = await import('p6');",
      "type F = import('p7').T;",
      "import 'p8';",
      'function f() { return require(`p9`); }',
      'export { a, c, d, e, f };',
      'export type { F };',
    ].join('\n');
    assert.deepEqual(await reportedIn(root, 'a.ts', text), ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9']);
  });

  test('subpaths and scoped packages report the package name', async () => {
    const root = await project({ 'package.json': { dependencies: { lodash: '4', '@scope/pkg': '1' } } });
    const text = imports('lodash/fp', '@scope/pkg/sub/path', '@scope/other/x', 'underscore/x');
    assert.deepEqual(await reportedIn(root, 'a.ts', text), ['@scope/other', 'underscore']);
  });

  test('a name that is a built-in only with node: is a package without it', async () => {
    const root = await project({ 'package.json': { name: 'app' } });
    assert.deepEqual(await reportedIn(root, 'a.ts', imports('test', 'node:test', 'sqlite3')), ['test', 'sqlite3']);
  });

  test('the nearest package.json wins: a nested package does not see its parent\'s dependencies', async () => {
    const root = await project({
      'package.json': { name: 'root', dependencies: { lodash: '4' } },
      'packages/app/package.json': { name: 'app', dependencies: { react: '19' } },
    });
    const [finding] = undeclared('packages/app/src/a.ts', imports('react', 'lodash'), await contextOf(root, 'packages/app/src/a.ts'));
    assert.equal(finding?.message, "'lodash' is imported but not declared in package.json (packages/app/package.json)");
    assert.deepEqual(await reportedIn(root, 'b.ts', imports('react', 'lodash')), ['react']);
  });

  test('a malformed tsconfig gives no aliases; the manifest still counts', async () => {
    const root = await project({
      'package.json': { name: 'app' },
      'tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["src/*"] } ',
    });
    assert.deepEqual(await reportedIn(root, 'a.ts', imports('@app/x')), ['@app/x']);
  });
});

describe('imports/undeclared-dependency: not reported', () => {
  test('every dependency field, bundled dependencies and the package\'s own name', async () => {
    const root = await project({
      'package.json': {
        name: '@me/lib', dependencies: { a: '1' }, devDependencies: { b: '1' }, peerDependencies: { c: '1' },
        optionalDependencies: { d: '1' }, bundledDependencies: ['e'], bundleDependencies: ['f'],
      },
    });
    assert.deepEqual(await reportedIn(root, 'a.ts', imports('a', 'b/x', 'c', 'd', 'e', 'f', '@me/lib', '@me/lib/sub')), []);
  });

  test('@types/x declares x, @types/scope__name declares @scope/name', async () => {
    const root = await project({ 'package.json': { devDependencies: { '@types/vscode': '1', '@types/babel__core': '7' } } });
    assert.deepEqual(await reportedIn(root, 'a.ts', imports('vscode', '@babel/core')), []);
  });

  test('Node built-ins, with and without node:, subpaths included', async () => {
    const root = await project({ 'package.json': { name: 'app' } });
    assert.deepEqual(await reportedIn(root, 'a.ts', imports('fs', 'fs/promises', 'node:fs', 'node:test', 'path/posix', 'node:sqlite')), []);
  });

  test('relative and absolute paths, URLs, protocols, # imports, and aliases that cannot be package names', async () => {
    const root = await project({ 'package.json': { name: 'app' } });
    const specifiers = ['./x', '../x', '.', '/abs/x', 'https://esm.sh/x', 'data:text/javascript,1', 'virtual:pwa', 'bun:test',
      '#internal/x', '@/components/x', '~/x', '$lib/x', 'C:/x', '@scope'];
    assert.deepEqual(await reportedIn(root, 'a.ts', imports(...specifiers)), []);
  });

  test('tsconfig paths aliases, exact and with a star in any place', async () => {
    const root = await project({
      'package.json': { name: 'app' },
      'tsconfig.json': '// comments and trailing commas are fine\n{ "compilerOptions": { "paths": { "@app/*": ["src/*"], "config": ["src/config.ts"], "icons-*-svg": ["i/*"], }, } }',
    });
    assert.deepEqual(await reportedIn(root, 'src/a.ts', imports('@app/x/y', 'config', 'icons-home-svg', 'config2')), ['config2']);
  });

  test('paths from extended configs (with or without .json, as an array), the child\'s paths winning', async () => {
    const root = await project({
      'package.json': { name: 'app' },
      'configs/base.json': { compilerOptions: { paths: { '@base/*': ['*'] } } },
      'configs/other.json': { compilerOptions: { paths: { '@other/*': ['*'] } } },
      'tsconfig.json': { extends: './configs/base' },
      'pkg/tsconfig.json': { extends: ['../configs/other.json', '../tsconfig.json'] },
      'child/tsconfig.json': { extends: '../tsconfig.json', compilerOptions: { paths: { '@child/*': ['*'] } } },
    });
    assert.deepEqual(await reportedIn(root, 'a.ts', imports('@base/x', '@other/x')), ['@other/x']);
    // The last extended config that defines paths wins, as in TypeScript.
    assert.deepEqual(await reportedIn(root, 'pkg/a.ts', imports('@base/x', '@other/x')), ['@other/x']);
    assert.deepEqual(await reportedIn(root, 'child/a.ts', imports('@child/x', '@base/x')), ['@base/x']);
  });

  test('an extends cycle does not hang', async () => {
    const root = await project({
      'package.json': { name: 'app' },
      'tsconfig.json': { extends: './b.json', compilerOptions: { paths: { '@a/*': ['*'] } } },
      'b.json': { extends: './tsconfig.json' },
    });
    assert.deepEqual(await reportedIn(root, 'a.ts', imports('@a/x', 'zz')), ['zz']);
  });

  test('baseUrl: a first segment that exists there as a directory or a file, extension left out', async () => {
    const root = await project({
      'package.json': { name: 'app' },
      'configs/base.json': { compilerOptions: { baseUrl: '../src' } },
      'tsconfig.json': { extends: './configs/base.json' },
      'src/utils/index.ts': '',
      'src/config.ts': '',
      'src/types.d.ts': '',
    });
    assert.deepEqual(await reportedIn(root, 'src/a.ts', imports('utils/x', 'config', 'types', 'other')), ['other']);
  });

  test('a solution-style tsconfig: aliases of the referenced projects count', async () => {
    const root = await project({
      'package.json': { name: 'app' },
      'tsconfig.json': { files: [], references: [{ path: './tsconfig.app.json' }, { path: './lib' }] },
      'tsconfig.app.json': { compilerOptions: { paths: { 'app-alias/*': ['src/*'] } } },
      'lib/tsconfig.json': { compilerOptions: { paths: { 'lib-alias': ['lib/index.ts'] } } },
    });
    assert.deepEqual(await reportedIn(root, 'src/a.ts', imports('app-alias/x', 'lib-alias', 'nope')), ['nope']);
  });

  test('jsconfig.json when there is no tsconfig.json', async () => {
    const root = await project({
      'package.json': { name: 'app' },
      'jsconfig.json': { compilerOptions: { paths: { 'components/*': ['src/components/*'] } } },
    });
    assert.deepEqual(await reportedIn(root, 'a.js', imports('components/Button')), []);
  });

  test('workspaces: the root manifest\'s dependencies count for its packages', async () => {
    const root = await project({
      'package.json': { private: true, workspaces: ['packages/*'], devDependencies: { typescript: '5' } },
      'packages/app/package.json': { name: 'app', dependencies: { react: '19' } },
      'pnpm/pnpm-workspace.yaml': 'packages:\n  - "pkgs/*"\n',
      'pnpm/package.json': { private: true, devDependencies: { vitest: '3' } },
      'pnpm/pkgs/lib/package.json': { name: 'lib' },
    });
    assert.deepEqual(await reportedIn(root, 'packages/app/a.ts', imports('react', 'typescript', 'lodash')), ['lodash']);
    assert.deepEqual(await reportedIn(root, 'pnpm/pkgs/lib/a.ts', imports('vitest', 'typescript')), ['typescript']);
  });

  test('a package.json declaring nothing (a {"type": "module"} marker) is skipped for the one above', async () => {
    const root = await project({
      'package.json': { name: 'lib', dependencies: { zod: '4' } },
      'dist/esm/package.json': { type: 'module' },
    });
    const context = await contextOf(root, 'dist/esm/a.js');
    assert.equal(context.manifestPath, 'package.json');
    assert.deepEqual(undeclared('dist/esm/a.js', imports('zod', 'yup'), context).map((f) => f.message), [
      "'yup' is imported but not declared in package.json (package.json)",
    ]);
  });

  test('a malformed package.json: nothing reported, nothing thrown', async () => {
    const root = await project({ 'package.json': '{ "name": "app", ', 'tsconfig.json': '{{{' });
    const context = await contextOf(root, 'a.ts');
    assert.equal(context.declaredPackages, undefined);
    assert.deepEqual(context.pathAliases, []);
    assert.deepEqual(undeclared('a.ts', imports('lodash'), context), []);
  });

  test('no package.json up to the filesystem root, or no project context: nothing reported', async () => {
    const root = await project({ 'src/a.ts': '' });
    const context = await contextOf(root, 'src/a.ts');
    assert.equal(context.declaredPackages, undefined, 'a package.json above the temporary directory?');
    assert.deepEqual(undeclared('src/a.ts', imports('lodash'), context), []);
    assert.deepEqual(undeclared('src/a.ts', imports('lodash'), undefined), []);
  });

  test('optional peers named in peerDependenciesMeta only', async () => {
    const root = await project({ 'package.json': { name: 'debug', peerDependenciesMeta: { 'supports-color': { optional: true } } } });
    assert.deepEqual(await reportedIn(root, 'a.js', "const s = require('supports-color');\n"), []);
  });

  test('optional dependencies: require() and import() in a try block; not in a function declared there', async () => {
    const root = await project({ 'package.json': { name: 'app' } });
    const text = [
      "try { require('opt-a'); } catch {}",
      "try { await import('opt-b'); } catch {}",
      "try { module.exports = () => require('later'); } catch {}",
      "try {} catch { require('in-catch'); }",
    ].join('\n');
    assert.deepEqual(await reportedIn(root, 'a.mjs', text), ['later', 'in-catch']);
  });

  test('a require parameter is a bundler\'s module loader', async () => {
    const root = await project({ 'package.json': { name: 'app' } });
    const text = "({ 1: [function (require, module, exports) { var i = require('immediate'); }] });\nrequire('real');\n";
    assert.deepEqual(await reportedIn(root, 'bundle.js', text), ['real']);
  });

  test('eslint suppressions of the same check, for a line or the file', async () => {
    const root = await project({ 'package.json': { name: 'app' } });
    const lines = [
      '// eslint-disable-next-line import/no-extraneous-dependencies',
      "import a from 'a';",
      "import b from 'b'; // eslint-disable-line n/no-extraneous-import",
      '// eslint-disable-next-line no-console',
      "import c from 'c';",
      "import d from 'd';",
      'export { a, b, c, d };',
    ].join('\n');
    assert.deepEqual(await reportedIn(root, 'a.ts', lines), ['c', 'd']);
    const file = "/* eslint-disable import/no-extraneous-dependencies */\nimport a from 'a';\nexport { a };\n";
    assert.deepEqual(await reportedIn(root, 'b.ts', file), []);
  });

  test('a module declared in the same file with declare module', async () => {
    const root = await project({ 'package.json': { name: 'app' } });
    const text = "declare module 'virtual-thing' { export const x: number; }\nimport { x } from 'virtual-thing';\nexport { x };\n";
    assert.deepEqual(await reportedIn(root, 'a.ts', text), []);
  });

  test('a file with syntax errors and a declaration file\'s declare module names', async () => {
    const root = await project({ 'package.json': { name: 'app' } });
    assert.deepEqual(await reportedIn(root, 'a.ts', "import x from 'lodash';\nconst = ;\n"), []);
    assert.deepEqual(await reportedIn(root, 'b.d.ts', "declare module 'lodash' {}\n"), []);
  });
});

describe('the project index', () => {
  test('package names of specifiers', () => {
    assert.equal(packageNameOf('lodash/fp'), 'lodash');
    assert.equal(packageNameOf('@a/b/c'), '@a/b');
    assert.equal(packageNameOf('@a'), undefined);
    assert.equal(packageNameOf('#x'), undefined);
    assert.equal(packageNameOf('node:fs'), undefined);
    assert.equal(packageNameOf('JSONStream'), 'JSONStream');
  });

  test('contexts are shared per directory; the fingerprint follows the files read', async () => {
    const root = await project({ 'package.json': { name: 'app', dependencies: { a: '1' } }, 'tsconfig.json': {} });
    const index = new ProjectIndex(root);
    const first = await index.contextFor(join(root, 'x.ts'));
    assert.equal(first, await index.contextFor(join(root, 'y.ts')));
    assert.match(first.fingerprint, /^[0-9a-f]{64}$/);
    assert.equal((await contextOf(root, 'x.ts')).fingerprint, first.fingerprint);
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: { a: '1', b: '1' } }));
    assert.notEqual((await contextOf(root, 'x.ts')).fingerprint, first.fingerprint);
    await writeFile(join(root, 'tsconfig.json'), '{ "compilerOptions": {} }');
    const afterConfig = await contextOf(root, 'x.ts');
    assert.notEqual(afterConfig.fingerprint, first.fingerprint);
  });

  test('an index kept for edits is reused until a file it read changes, or one it missed appears', async () => {
    const root = await project({ 'package.json': { name: 'app', dependencies: { a: '1' } }, 'src/x.ts': '' });
    const indexes = new ProjectIndexes();
    const file = join(root, 'src', 'x.ts');
    const first = indexes.forRoot(root);
    const before = await first.contextFor(file);
    assert.equal(indexes.forRoot(root), first, 'nothing changed: the same index, its contexts memoized');
    assert.ok(first.reads > 0);
    // Same size, new content: the modification time tells.
    await writeFile(join(root, 'package.json'), JSON.stringify({ name: 'app', dependencies: { b: '1' } }));
    const second = indexes.forRoot(root);
    assert.notEqual(second, first);
    const declared = (await second.contextFor(file)).declaredPackages;
    assert.ok(declared?.has('b') && !declared.has('a'), [...declared ?? []].join());
    assert.notEqual((await second.contextFor(file)).fingerprint, before.fingerprint);
    assert.equal(indexes.forRoot(root), second);
    // A nearer manifest that was absent when the index looked.
    await writeFile(join(root, 'src', 'package.json'), JSON.stringify({ name: 'inner', dependencies: { c: '1' } }));
    const third = indexes.forRoot(root);
    assert.notEqual(third, second);
    const nearer = (await third.contextFor(file)).declaredPackages;
    assert.ok(nearer?.has('c') && !nearer.has('b'), [...nearer ?? []].join());
    // The walker's listings answer "absent" without the disk: such an index is never reused.
    assert.equal(new ProjectIndex(root, new Map()).unchanged(), false);
  });

  test('a manifest above the audit root (within its repository) is shown relative to it', async () => {
    const root = await project({ 'package.json': { name: 'app' }, 'src/a.ts': '' });
    await mkdir(join(root, '.git'));
    const context = await new ProjectIndex(join(root, 'src')).contextFor(join(root, 'src', 'a.ts'));
    assert.equal(context.manifestPath, '../package.json');
  });
});

describe('through the coordinator', () => {
  test('runAudit passes each file its project context', async () => {
    const root = await project({
      'package.json': { name: 'root', workspaces: ['packages/*'] },
      'packages/app/package.json': { name: 'app', dependencies: { react: '19' } },
      'packages/app/src/a.ts': "import React from 'react';\nimport _ from 'lodash';\nexport const x = [React, _];\n",
      'b.py': 'from os import *\n',
      'c.ts': "import fs from 'node:fs';\nimport y from 'yaml';\nexport { fs, y };\n",
    });
    const paths = ['packages/app/src/a.ts', 'b.py', 'c.ts'];
    const result = await runAudit(paths.map((path) => ({ path, absPath: join(root, ...path.split('/')) })), {
      root, agents: [importsAgent],
    });
    const messages = result.files.flatMap((file) => file.findings.map((f) => `${file.path}: ${f.rule}: ${f.message}`));
    assert.deepEqual(messages, [
      "b.py: imports/wildcard: 'from os import *' hides which names come from 'os'",
      "c.ts: imports/undeclared-dependency: 'yaml' is imported but not declared in package.json (package.json)",
      "packages/app/src/a.ts: imports/undeclared-dependency: 'lodash' is imported but not declared in package.json (packages/app/package.json)",
    ]);
  });
});
