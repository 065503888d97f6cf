import { statSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { readBoundedText } from './boundedRead';
import { discoveryRoot, isWithin } from './discoveryRoot';
import { hashText } from '../hash';
import { parseJsonc } from '../jsonc';
import { declaredPackages, extendsOf, isPackageManifest, isRecord, parseJsonObject, referencesOf } from './projectManifests';
import { appendAll } from '../arrays';

/**
 * What an agent may know of the project around a file: the packages its nearest package.json declares and the
 * module aliases of its nearest tsconfig.json / jsconfig.json. Agents stay pure functions of their input: the
 * coordinator reads these facts once per directory and hands them over, with a fingerprint for cache keys.
 */
export interface ProjectContext {
  /**
   * Package names the file may import: the nearest manifest's dependencies of every kind (optional peers named in
   * `peerDependenciesMeta` only included), its own `name`, the packages `@types/x` stands for (`x`, `@types/a__b` →
   * `@a/b`), and those of the workspace root above it (an ancestor package.json with `workspaces`, or beside a
   * pnpm-workspace.yaml). `undefined` when no manifest was found up to the repository root, or the nearest one is
   * not valid JSON: nothing can be said then.
   */
  readonly declaredPackages: ReadonlySet<string> | undefined;
  /** The nearest manifest's POSIX path relative to the audit root (`packages/app/package.json`), for messages. */
  readonly manifestPath: string | undefined;
  /** `compilerOptions.paths` patterns (`@app/*`, `~lib`) of the nearest tsconfig and the configs it references. */
  readonly pathAliases: readonly string[];
  /** Names directly under the tsconfig's `baseUrl`: entries, and files without their script or JSON extension. */
  readonly baseUrlEntries: ReadonlySet<string>;
  /** SHA-256 of every manifest and config text read for this file and of the `baseUrl` listing. */
  readonly fingerprint: string;
}

/** A package.json as far as dependencies go. */
interface Manifest {
  readonly path: string;
  readonly text: string;
  /** `undefined` when the file is not a JSON object. */
  readonly declared: ReadonlySet<string> | undefined;
}

/** A tsconfig.json with the configs it extends (relative `extends` only) and those it references. */
interface ConfigInfo {
  readonly files: ReadonlyArray<readonly [string, string]>;
  readonly aliases: readonly string[];
  readonly baseUrls: readonly string[];
}

const CONFIG_NAMES = ['tsconfig.json', 'jsconfig.json'];
/** Extensions a `baseUrl` import may leave out. */
const IMPLICIT_EXTENSION = /(?:\.d)?\.(?:[cm]?[jt]sx?|json)$/i;
/** How deep `extends` chains are followed (TypeScript has no limit; a cycle or a silly chain stops here). */
const MAX_EXTENDS_DEPTH = 8;

/**
 * The project facts of one audit run. Every file is read at most once and every directory looked up at most
 * once (memoised promises, so concurrent files share the reads). Nothing here throws: an unreadable file is a
 * missing one, malformed JSON gives no declarations and no aliases.
 */
export class ProjectIndex {
  private readonly texts = new Map<string, Promise<string | undefined>>();
  private readonly manifests = new Map<string, Promise<Manifest | undefined>>();
  private readonly workspaceRoots = new Map<string, Promise<Manifest | undefined>>();
  private readonly configs = new Map<string, Promise<ConfigInfo | undefined>>();
  private readonly listings = new Map<string, Promise<readonly string[]>>();
  private readonly contexts = new Map<string, Promise<ProjectContext>>();
  /** Every file and folder read from disk, with what it looked like then (see `unchanged`). */
  private readonly seen = new Map<string, string>();
  private readonly root: string;
  /** Nothing above this folder is read: the repository's root, else the audit root (see `discoveryRoot`). */
  private readonly boundary: string;

  /**
   * `root` is the audit root: manifest paths in messages are relative to it. `listings` are the names found in
   * directories already read (the walker's, by absolute path, unfiltered): a file missing from its directory's
   * listing is known to be absent without asking the disk, which saves thousands of failed opens on a large tree.
   */
  constructor(root: string, private readonly knownListings?: ReadonlyMap<string, ReadonlySet<string>>) {
    this.root = resolve(root);
    this.boundary = discoveryRoot(this.root);
  }

  /** Files and folders read so far. */
  get reads(): number {
    return this.seen.size;
  }

  /**
   * Whether every file and folder this index read from disk is still as it was (size, modification time and
   * inode; or still absent), so its contexts still hold. An index given the walker's listings also knows files
   * absent from them, which no stat here re-checks: it never answers true.
   */
  unchanged(): boolean {
    if (this.knownListings) return false;
    for (const [path, before] of this.seen) if (stamp(path) !== before) return false;
    return true;
  }

  /** The context of the file at `absPath` (which need not exist: its directory is what counts). */
  contextFor(absPath: string): Promise<ProjectContext> {
    const dir = dirname(resolve(absPath));
    return memo(this.contexts, dir, () => this.buildContext(dir));
  }

  private async buildContext(dir: string): Promise<ProjectContext> {
    const [manifest, config] = await Promise.all([this.nearestManifest(dir), this.nearestConfig(dir)]);
    const workspace = manifest?.declared ? await this.workspaceRoot(dirname(dirname(manifest.path))) : undefined;
    const entries = new Set((await Promise.all((config?.baseUrls ?? []).map((d) => this.baseUrlEntries(d)))).flat());
    const declared = manifest?.declared && workspace?.declared
      ? new Set([...manifest.declared, ...workspace.declared])
      : manifest?.declared;
    const read = [manifest, workspace].flatMap((m) => (m ? [[m.path, m.text] as const] : []));
    return {
      declaredPackages: declared,
      manifestPath: manifest && toPosix(relative(this.root, manifest.path)),
      pathAliases: config?.aliases ?? [],
      baseUrlEntries: entries,
      // Paths relative to the root: two checkouts of one project share fingerprints, hence cached results (issue 10).
      fingerprint: hashText(JSON.stringify([
        [...read, ...config?.files ?? []].map(([path, text]) => [toPosix(relative(this.root, path)), text]), [...entries].sort(),
      ])),
    };
  }

  /**
   * The package.json nearest to `dir`, walking up to the discovery boundary. A package.json declaring neither a
   * name nor any dependency field (the `{"type": "module"}` markers of dist/esm folders) is not a package's
   * manifest: the walk goes on above it.
   */
  private nearestManifest(dir: string): Promise<Manifest | undefined> {
    return memo(this.manifests, dir, async () => {
      const manifest = await this.readManifest(dir);
      if (manifest && (!manifest.json || isPackageManifest(manifest.json))) return manifest.manifest;
      const parent = this.parentOf(dir);
      return parent === undefined ? undefined : this.nearestManifest(parent);
    });
  }

  /** The nearest workspace root at or above `dir`: a package.json with `workspaces`, or one beside pnpm-workspace.yaml. */
  private workspaceRoot(dir: string): Promise<Manifest | undefined> {
    return memo(this.workspaceRoots, dir, async () => {
      const manifest = await this.readManifest(dir);
      if (manifest?.json && ('workspaces' in manifest.json || await this.read(join(dir, 'pnpm-workspace.yaml')) !== undefined)) {
        return manifest.manifest;
      }
      const parent = this.parentOf(dir);
      return parent === undefined ? undefined : this.workspaceRoot(parent);
    });
  }

  private async readManifest(dir: string): Promise<{ manifest: Manifest; json: Record<string, unknown> | undefined } | undefined> {
    const path = join(dir, 'package.json');
    const text = await this.read(path);
    if (text === undefined) return undefined;
    const json = parseJsonObject(text);
    return { manifest: { path, text, declared: json && declaredPackages(json) }, json };
  }

  /** The tsconfig.json (else jsconfig.json) nearest to `dir`, with its `extends` chain and references. */
  private nearestConfig(dir: string): Promise<ConfigInfo | undefined> {
    return memo(this.configs, dir, async () => {
      for (const name of CONFIG_NAMES) {
        const path = join(dir, name);
        if (await this.read(path) !== undefined) return this.loadConfig(path, [], true);
      }
      const parent = this.parentOf(dir);
      return parent === undefined ? undefined : this.nearestConfig(parent);
    });
  }

  /**
   * One config merged over the configs it extends, as TypeScript merges them: the last `paths` and `baseUrl`
   * defined win, `baseUrl` relative to the config defining it. With `withReferences`, the aliases and base URLs of
   * the projects it references are added (solution-style tsconfig.json files hold no options of their own).
   */
  private async loadConfig(path: string, chain: readonly string[], withReferences: boolean): Promise<ConfigInfo | undefined> {
    const text = await this.read(path);
    if (text === undefined || chain.includes(path) || chain.length > MAX_EXTENDS_DEPTH) return undefined;
    const config = parseJsonc(text);
    const json = isRecord(config) ? config : undefined;
    if (!json) return { files: [[path, text]], aliases: [], baseUrls: [] };
    const bases = await Promise.all(extendsOf(json, dirname(path)).map((base) => this.loadExtended(base, [...chain, path])));
    const files: Array<readonly [string, string]> = [[path, text]];
    let aliases: readonly string[] = [];
    let baseUrls: readonly string[] = [];
    for (const base of bases) {
      if (!base) continue;
      appendAll(files, base.files);
      if (base.aliases.length > 0) aliases = base.aliases;
      if (base.baseUrls.length > 0) baseUrls = base.baseUrls;
    }
    const options = isRecord(json.compilerOptions) ? json.compilerOptions : {};
    if (isRecord(options.paths)) aliases = Object.keys(options.paths);
    if (typeof options.baseUrl === 'string') baseUrls = [resolve(dirname(path), options.baseUrl)];
    const own: ConfigInfo = { files, aliases, baseUrls };
    if (!withReferences) return own;
    const referenced = await Promise.all(referencesOf(json, dirname(path)).map((ref) => this.loadReference(ref)));
    return [own, ...referenced].reduce<ConfigInfo>((all, info) => (info ? {
      files: [...all.files, ...info.files],
      aliases: [...all.aliases, ...info.aliases],
      baseUrls: [...all.baseUrls, ...info.baseUrls],
    } : all), { files: [], aliases: [], baseUrls: [] });
  }

  /** `extends: "./base"` may leave out `.json`. */
  private async loadExtended(path: string, chain: readonly string[]): Promise<ConfigInfo | undefined> {
    const found = await this.loadConfig(path, chain, false);
    return found ?? (path.endsWith('.json') ? undefined : this.loadConfig(`${path}.json`, chain, false));
  }

  /** A reference names a config file or a directory holding a tsconfig.json. */
  private async loadReference(path: string): Promise<ConfigInfo | undefined> {
    return await this.loadConfig(path, [], false) ?? this.loadConfig(join(path, 'tsconfig.json'), [], false);
  }

  /** The folder above `dir` while the walk up stays within the boundary; undefined at the boundary. */
  private parentOf(dir: string): string | undefined {
    const parent = dirname(dir);
    return parent === dir || dir === this.boundary || !isWithin(parent, this.boundary) ? undefined : parent;
  }

  private baseUrlEntries(dir: string): Promise<readonly string[]> {
    return memo(this.listings, dir, async () => {
      if (!isWithin(dir, this.boundary)) return [];
      this.note(dir);
      const names = await readdir(dir).catch(() => [] as string[]);
      return names.flatMap((name) => (IMPLICIT_EXTENSION.test(name) ? [name, name.replace(IMPLICIT_EXTENSION, '')] : [name]));
    });
  }

  /**
   * Stamps a path about to be read (see `unchanged`): before the read, so a change in between shows as a different
   * stamp next time, never as none. An index with the walker's listings is never reused: it stamps nothing.
   */
  private note(path: string): void {
    if (!this.knownListings) this.seen.set(path, stamp(path));
  }

  /**
   * A file's text, `undefined` when it cannot be read (missing, not a regular file, over 1 MB, no permission) or
   * lies outside the boundary (an `extends` or a reference pointing above the repository is not followed).
   */
  private read(path: string): Promise<string | undefined> {
    return memo(this.texts, path, async () => {
      if (!isWithin(path, this.boundary)) return undefined;
      const listing = this.knownListings?.get(dirname(path));
      if (listing && !listing.has(basename(path))) return undefined;
      this.note(path);
      // Bounded: a package.json that is a FIFO or a link to /dev/zero reads as absent, never hangs or fills the heap.
      return readBoundedText(path).then(stripBom, () => undefined);
    });
  }
}

/** What a path looks like on disk: size, modification time and inode, or `absent`. */
function stamp(path: string): string {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? `${stats.size}:${stats.mtimeMs}:${stats.ino}` : 'absent';
}

/** Paths an index may have read before `ProjectIndexes` starts a new one rather than check them all on each use. */
const MAX_READS_CHECKED = 256;

/**
 * Project indexes kept across audits of a few files (the editor's re-audit of a document being edited, one per
 * keystroke pause): reused while nothing they read has changed, which a few `stat` calls tell, instead of reading
 * and parsing the package.json and tsconfig files up the tree again (3 ms a time, 8 ms at p95, measured).
 */
export class ProjectIndexes {
  private readonly byRoot = new Map<string, ProjectIndex>();

  /** An index for `root`: the last one, unless something it read changed or it has read too much to check. */
  forRoot(root: string): ProjectIndex {
    const key = resolve(root);
    const known = this.byRoot.get(key);
    if (known && known.reads <= MAX_READS_CHECKED && known.unchanged()) return known;
    const fresh = new ProjectIndex(key);
    this.byRoot.set(key, fresh);
    return fresh;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function toPosix(path: string): string {
  return sep === '/' ? path : path.split(sep).join('/');
}

function memo<T>(cache: Map<string, Promise<T>>, key: string, compute: () => Promise<T>): Promise<T> {
  let promise = cache.get(key);
  if (!promise) {
    promise = compute();
    cache.set(key, promise);
  }
  return promise;
}
