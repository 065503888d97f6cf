import type { LanguageKind } from '../agent';

/** Extensions the TypeScript parser reads (DESIGN.md: every TS/JS file). */
export const SCRIPT_EXTENSIONS = ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts'] as const;

/** Extension of a path, lower-cased, with its dot ('' when none). `a.d.ts` gives `.ts`; a dotfile such as `.env` has none. */
export function extensionOf(path: string): string {
  const dot = path.lastIndexOf('.');
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return dot > slash + 1 ? path.slice(dot).toLowerCase() : '';
}

/** How the agents should read a file, decided by its extension. */
export function languageOf(path: string): LanguageKind {
  const ext = extensionOf(path);
  if ((SCRIPT_EXTENSIONS as readonly string[]).includes(ext)) return 'script';
  if (ext === '.py' || ext === '.pyi') return 'python';
  return 'text';
}
