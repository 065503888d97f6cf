import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { listFiles, toAuditTargets } from '../../src/core/files/walker';

const roots: string[] = [];
after(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** Creates a temp tree from `{ 'a/b.ts': 'text' }`; directories come from the paths. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mt-walker-'));
  roots.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('listFiles', () => {
  it('lists every file, recursively, as sorted POSIX paths', async () => {
    const root = tree({ 'b.ts': '', 'a/z.md': '', 'a/b/c.py': '', 'img.png': '\u0000' });
    const { files } = await listFiles(root);
    assert.deepEqual(files, ['a/b/c.py', 'a/z.md', 'b.ts', 'img.png']);
  });

  it('returns an empty list for an empty folder', async () => {
    assert.deepEqual((await listFiles(tree({}))).files, []);
  });

  it('always skips node_modules and .git, at any depth', async () => {
    const root = tree({
      'src/a.ts': '',
      'node_modules/pkg/index.js': '',
      'packages/x/node_modules/dep/index.js': '',
      '.git/config': '',
      'vendor/sub/.git': 'gitdir: ../../.git/modules/sub\n',
      '.github/workflows/ci.yml': '',
    });
    // Even a .gitignore negation does not bring node_modules back.
    writeFileSync(join(root, '.gitignore'), '!node_modules/\n');
    assert.deepEqual((await listFiles(root)).files, ['.github/workflows/ci.yml', '.gitignore', 'src/a.ts']);
  });

  it('honours the root .gitignore: files, directories and directory-only patterns', async () => {
    const root = tree({
      '.gitignore': '*.log\ndist/\n/out\nbuild/\n',
      'a.ts': '', 'debug.log': '', 'src/trace.log': '',
      'dist/bundle.js': '', 'out/x.js': '', 'src/out/kept.ts': '',
      'build': 'a file named build is not a directory',
    });
    assert.deepEqual((await listFiles(root)).files, ['.gitignore', 'a.ts', 'build', 'src/out/kept.ts']);
  });

  it('applies a nested .gitignore to its subtree only, relative to its folder', async () => {
    const root = tree({
      'pkg/.gitignore': 'generated/\n/local.ts\n',
      'pkg/generated/g.ts': '', 'pkg/local.ts': '', 'pkg/sub/local.ts': '',
      'generated/top.ts': '', 'local.ts': '',
    });
    assert.deepEqual((await listFiles(root)).files, [
      'generated/top.ts', 'local.ts', 'pkg/.gitignore', 'pkg/sub/local.ts',
    ]);
  });

  it('honours negation, and a nested negation overrides a parent rule', async () => {
    const root = tree({
      '.gitignore': '*.log\n!keep.log\nsecret/\n',
      'a.log': '', 'keep.log': '', 'sub/keep.log': '', 'sub/b.log': '',
      'pkg/.gitignore': '!wanted.log\n',
      'pkg/wanted.log': '', 'pkg/other.log': '',
      'secret/x.ts': '',
    });
    assert.deepEqual((await listFiles(root)).files, [
      '.gitignore', 'keep.log', 'pkg/.gitignore', 'pkg/wanted.log', 'sub/keep.log',
    ]);
  });

  it('cannot re-include a file inside an ignored directory (as git)', async () => {
    const root = tree({ '.gitignore': 'logs/\n!logs/keep.txt\n', 'logs/keep.txt': '', 'a.ts': '' });
    assert.deepEqual((await listFiles(root)).files, ['.gitignore', 'a.ts']);
  });

  it('does not follow symbolic links, so a link cycle is harmless', async (t) => {
    const root = tree({ 'src/a.ts': '', 'outside.ts': '' });
    try {
      symlinkSync(root, join(root, 'src', 'loop'), 'dir');
      symlinkSync(join(root, 'src'), join(root, 'alias'), 'dir');
      symlinkSync(join(root, 'outside.ts'), join(root, 'src', 'link.ts'), 'file');
    } catch {
      t.skip('symbolic links are not available here');
      return;
    }
    assert.deepEqual((await listFiles(root)).files, ['outside.ts', 'src/a.ts']);
  });

  it('rejects when the signal is aborted', async () => {
    const root = tree({ 'a.ts': '' });
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(listFiles(root, { signal: controller.signal }), { name: 'AbortError' });
  });

  it('turns the list into audit targets under the root', () => {
    const targets = toAuditTargets('/ws', ['a/b.ts']);
    assert.equal(targets[0].path, 'a/b.ts');
    assert.equal(targets[0].absPath, join('/ws', 'a', 'b.ts'));
    assert.equal(targets[0].text, undefined);
  });
});
