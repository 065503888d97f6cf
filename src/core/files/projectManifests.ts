/**
 * What package.json and tsconfig.json files say, as the project index (`projectContext.ts`) reads them: the
 * packages a manifest declares, whether a package.json is a package's manifest, a tsconfig's `extends` and
 * `references`. Pure functions of parsed JSON; finding and reading the files is the index's business.
 */
import { isAbsolute, resolve } from 'node:path';

const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'];
const BUNDLED_FIELDS = ['bundledDependencies', 'bundleDependencies'];

/** The package names a manifest declares (see `ProjectContext.declaredPackages`). */
export function declaredPackages(manifest: Readonly<Record<string, unknown>>): Set<string> {
  const names = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) {
    const deps = manifest[field];
    if (isRecord(deps)) for (const name of Object.keys(deps)) addDeclared(name, names);
  }
  // npm, Yarn and pnpm accept an optional peer listed in peerDependenciesMeta only.
  const meta = manifest.peerDependenciesMeta;
  if (isRecord(meta)) for (const name of Object.keys(meta)) addDeclared(name, names);
  for (const field of BUNDLED_FIELDS) {
    const bundled = manifest[field];
    if (Array.isArray(bundled)) for (const name of bundled) if (typeof name === 'string') addDeclared(name, names);
  }
  if (typeof manifest.name === 'string') names.add(manifest.name);
  return names;
}

/** `@types/node` declares `node`, `@types/babel__core` declares `@babel/core`. */
function addDeclared(name: string, names: Set<string>): void {
  names.add(name);
  if (!name.startsWith('@types/')) return;
  const typed = name.slice('@types/'.length);
  const scoped = typed.indexOf('__');
  names.add(scoped > 0 ? `@${typed.slice(0, scoped)}/${typed.slice(scoped + 2)}` : typed);
}

export function isPackageManifest(json: Readonly<Record<string, unknown>>): boolean {
  return ['name', 'workspaces', ...DEPENDENCY_FIELDS, ...BUNDLED_FIELDS].some((field) => field in json);
}

/** Relative `extends` entries (a string or, since TypeScript 5.0, an array), resolved; package names are skipped. */
export function extendsOf(json: Readonly<Record<string, unknown>>, dir: string): string[] {
  const value = json.extends;
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
  return list.filter((entry): entry is string => typeof entry === 'string' && isRelativeOrAbsolute(entry))
    .map((entry) => resolve(dir, entry));
}

export function referencesOf(json: Readonly<Record<string, unknown>>, dir: string): string[] {
  const refs = Array.isArray(json.references) ? json.references : [];
  return refs.flatMap((ref) => (isRecord(ref) && typeof ref.path === 'string' ? [resolve(dir, ref.path)] : []));
}

function isRelativeOrAbsolute(specifier: string): boolean {
  return specifier.startsWith('./') || specifier.startsWith('../') || specifier === '.' || specifier === '..'
    || isAbsolute(specifier);
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
