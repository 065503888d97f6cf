/**
 * The bench's corpus: the TypeScript sources of pinned Eclipse Theia packages (an open-source IDE, as DESIGN.md's
 * anchor corpus was), fetched with `npm pack` into a cache folder, checked against the registry's integrity and
 * extracted to a temporary folder. Nothing of it is committed. Without the registry, the TypeScript files under
 * node_modules stand in, with a message saying so.
 */
import { execFile } from 'node:child_process';
import {
  cpSync, mkdirSync, readdirSync, rmSync, statSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { promisify } from 'node:util';
import pLimit from 'p-limit';
import { verifiedTarball } from './npmPack';

const run = promisify(execFile);

/** Every package of the corpus is at this version: one release of one project. */
export const THEIA_VERSION = '1.74.1';

/** The full corpus: ~2,500 .ts/.tsx files, ~19 MB (checked with `npm pack --dry-run`). */
const FULL_PACKAGES = [
  'core', 'plugin-ext', 'ai-ide', 'ai-core', 'ai-chat', 'ai-chat-ui', 'filesystem', 'debug', 'scm', 'monaco',
  'task', 'notebook', 'ai-mcp', 'preferences', 'workspace', 'terminal', 'vsx-registry', 'remote', 'editor',
  'navigator', 'dev-container', 'memory-inspector', 'markers', 'ai-terminal', 'search-in-workspace', 'process',
  'test', 'toolbar', 'mini-browser', 'plugin-ext-vscode', 'property-view', 'output', 'messages',
  'variable-resolver', 'scm-extra', 'callhierarchy', 'terminal-manager', 'typehierarchy', 'file-search',
  'collaboration', 'timeline', 'console', 'outline-view', 'keymaps', 'ai-editor', 'getting-started', 'userstorage',
] as const;

/** BENCH_QUICK: ~660 files, for working on the bench itself. */
const QUICK_PACKAGES = ['core', 'monaco', 'editor'] as const;

/** What was audited, for the report. */
export interface Corpus {
  /** Holds `corpus/` (the audited folder) and the bench's scratch files; removed at the end. */
  readonly dir: string;
  readonly root: string;
  /** Paths relative to `root`, POSIX. */
  readonly files: string[];
  readonly bytes: number;
  /** `@theia/*@1.74.1 (47 packages)` or `node_modules (fallback: …)`. */
  readonly source: string;
  readonly packages: readonly string[];
}

/** Where tarballs are kept between runs (they never change: the version is pinned). */
function cacheDir(root: string): string {
  return join(root, 'node_modules', '.cache', 'maintenance-team-bench');
}

/** The tarball of `@theia/<name>@THEIA_VERSION`, from the cache or the registry (checked against its integrity). */
function tarball(root: string, name: string): Promise<string> {
  return verifiedTarball(cacheDir(root), `@theia/${name}@${THEIA_VERSION}`, `theia-${name}-${THEIA_VERSION}.tgz`);
}

/** Keeps `src/**` .ts/.tsx files and package.json (its dependencies matter to the import agents). */
async function extract(file: string, dest: string): Promise<void> {
  mkdirSync(dest, { recursive: true });
  await run('tar', ['-xzf', file, '-C', dest, '--strip-components=1', '--wildcards', 'package/src/*', 'package/package.json']);
  prune(dest, dest);
}

function prune(dir: string, top: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) prune(path, top);
    else if (!/\.tsx?$/.test(entry.name) && path !== join(top, 'package.json')) rmSync(path);
  }
}

/** Every file under `dir` whose name matches `pattern`, sorted, as POSIX paths relative to `root`. */
export function filesUnder(dir: string, root: string, pattern: RegExp, out: string[] = []): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) filesUnder(path, root, pattern, out);
    else if (pattern.test(entry.name)) out.push(relative(root, path).split('\\').join('/'));
  }
  return out;
}

/**
 * The first `count` files under `top` whose name matches `pattern` and which are under 200 KB, in sorted order,
 * outside `.cache` folders, as absolute paths.
 */
export function firstFilesUnder(top: string, pattern: RegExp, count: number): string[] {
  const picked: string[] = [];
  const collect = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (picked.length >= count) return;
      const path = join(at, entry.name);
      if (entry.isDirectory() && entry.name !== '.cache') collect(path);
      else if (entry.isFile() && pattern.test(entry.name) && statSync(path).size < 200_000) picked.push(path);
    }
  };
  collect(top);
  return picked;
}

function describe(dir: string, source: string, packages: readonly string[]): Corpus {
  const root = join(dir, 'corpus');
  const files = filesUnder(root, root, /\.tsx?$/);
  const bytes = files.reduce((sum, f) => sum + statSync(join(root, f)).size, 0);
  return { dir, root, files, bytes, source, packages };
}

/** Fetches (or reuses) and extracts the pinned packages into `dir/corpus`. */
async function theiaCorpus(projectRoot: string, dir: string, quick: boolean): Promise<Corpus> {
  const names = quick ? QUICK_PACKAGES : FULL_PACKAGES;
  mkdirSync(cacheDir(projectRoot), { recursive: true });
  const limit = pLimit(4);
  await Promise.all(names.map((name) => limit(async () => {
    await extract(await tarball(projectRoot, name), join(dir, 'corpus', name));
  })));
  const packages = names.map((name) => `@theia/${name}@${THEIA_VERSION}`);
  // The package.json files are audited too (the JSON agents), so the audit counts a file more per package.
  return describe(dir, `@theia/*@${THEIA_VERSION} (${names.length} packages: src/**/*.ts{,x} and each package.json)`, packages);
}

/** The previous corpus: the first `count` TypeScript files under node_modules, copied. */
function nodeModulesCorpus(projectRoot: string, dir: string, count: number, why: string): Corpus {
  const modules = join(projectRoot, 'node_modules');
  const picked = firstFilesUnder(modules, /\.(?:[cm]?ts|tsx)$/, count);
  for (const source of picked) {
    const target = join(dir, 'corpus', relative(modules, source));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(source, target);
  }
  const root = join(dir, 'corpus');
  const files = picked.map((p) => relative(modules, p).split('\\').join('/'));
  const bytes = files.reduce((sum, f) => sum + statSync(join(root, f)).size, 0);
  return { dir, root, files, bytes, source: `node_modules (${why})`, packages: [] };
}

/** How to build the corpus: from the environment (BENCH_CORPUS, BENCH_QUICK, BENCH_FILES). */
export interface CorpusOptions {
  readonly projectRoot: string;
  readonly dir: string;
  readonly quick: boolean;
  readonly useNodeModules: boolean;
  readonly nodeModulesFiles: number;
  readonly log: (line: string) => void;
}

/** Builds the corpus; falls back to node_modules (and says why) when the registry cannot be reached. */
export async function buildCorpus(options: CorpusOptions): Promise<Corpus> {
  const { projectRoot, dir, quick, log } = options;
  if (options.useNodeModules) return nodeModulesCorpus(projectRoot, dir, options.nodeModulesFiles, 'BENCH_CORPUS=node_modules');
  try {
    return await theiaCorpus(projectRoot, dir, quick);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log(`corpus: the pinned @theia packages could not be fetched (${reason}); FALLING BACK to node_modules — `
      + 'figures are not comparable with runs on the pinned corpus');
    rmSync(join(dir, 'corpus'), { recursive: true, force: true });
    return nodeModulesCorpus(projectRoot, dir, options.nodeModulesFiles, 'fallback: registry unreachable');
  }
}
