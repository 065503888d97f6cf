import { extensionOf, languageOf } from '../files/languages';

/**
 * How a file writes comments, chosen from its name: scripts and Python have lexers of their own (commentLexers.ts);
 * every other text file reads by the one table below. A file type not in it has no comment syntax and cannot carry a
 * suppression (JSON, plain text).
 */
export type CommentSyntax =
  | { readonly kind: 'script' }
  | { readonly kind: 'python' }
  | {
    readonly kind: 'text';
    /** Markers that open a comment running to the end of the line (`#`, `//`, `--`). */
    readonly line?: string;
    /** Opening and closing markers of a block comment (`/*`, `<!--`). */
    readonly block?: readonly [string, string];
    /** Quotes that open a string on one line (comment markers inside are text). */
    readonly quotes: string;
    /** Markup: a leading `<?xml ?>` prolog, `<!DOCTYPE>` or Markdown front matter is not code. */
    readonly markup?: boolean;
  };

const HASH = { kind: 'text', line: '#', quotes: '"\'' } as const;
const C_LIKE = { kind: 'text', line: '//', block: ['/*', '*/'], quotes: '"\'' } as const;
const CSS = { kind: 'text', block: ['/*', '*/'], quotes: '"\'' } as const;
const MARKUP = { kind: 'text', block: ['<!--', '-->'], quotes: '', markup: true } as const;
const DASH_DASH = { kind: 'text', line: '--', quotes: '\'"' } as const;

/** The comment syntax of other text files, by extension (with its dot): the one place it is written down. */
export const TEXT_COMMENT_SYNTAX: Readonly<Record<string, CommentSyntax>> = {
  ...Object.fromEntries(['.yaml', '.yml', '.toml', '.ini', '.cfg', '.conf', '.sh', '.bash', '.zsh', '.rb', '.pl', '.pm',
    '.r', '.properties', '.dockerfile', '.mk', '.tf', '.ps1', '.nix'].map((ext) => [ext, HASH])),
  ...Object.fromEntries(['.c', '.cc', '.cpp', '.cxx', '.h', '.hh', '.hpp', '.java', '.go', '.rs', '.swift', '.kt', '.kts',
    '.cs', '.scss', '.less', '.jsonc', '.json5', '.dart', '.scala', '.groovy', '.gradle', '.proto'].map((ext) => [ext, C_LIKE])),
  '.css': CSS,
  ...Object.fromEntries(['.md', '.markdown', '.html', '.htm', '.xhtml', '.xml', '.svg', '.vue'].map((ext) => [ext, MARKUP])),
  ...Object.fromEntries(['.sql', '.lua'].map((ext) => [ext, DASH_DASH])),
};

/** Files known by their whole name (no extension), all with `#` comments. */
const HASH_NAMES = new Set(['makefile', 'gnumakefile', 'dockerfile', 'containerfile', '.env', '.gitignore',
  '.dockerignore', '.npmignore', '.gitattributes', '.editorconfig', '.npmrc', 'gemfile', 'rakefile', 'procfile']);

/** The comment syntax of `path`, or undefined when its type has none. */
export function commentSyntaxOf(path: string): CommentSyntax | undefined {
  const language = languageOf(path);
  if (language === 'script') return { kind: 'script' };
  if (language === 'python') return { kind: 'python' };
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (HASH_NAMES.has(name) || name.startsWith('.env.') || name.startsWith('dockerfile.')) return HASH;
  return TEXT_COMMENT_SYNTAX[extensionOf(name)];
}

/** How to write a one-line comment holding `body` in `syntax`: a line comment where there is one, else a block. */
export function commentAround(syntax: CommentSyntax, body: string): { readonly text: string; readonly line: boolean } {
  if (syntax.kind === 'script') return { text: `// ${body}`, line: true };
  if (syntax.kind === 'python') return { text: `# ${body}`, line: true };
  if (syntax.line) return { text: `${syntax.line} ${body}`, line: true };
  const [open, close] = syntax.block!;
  return { text: `${open} ${body} ${close}`, line: false };
}
