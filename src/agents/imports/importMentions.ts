import { ts } from 'ts-morph';

/**
 * Uses of imported names that live in comments, read from the text: JSDoc type references and links, and JSX
 * pragmas. Reading text rather than the parser's JSDoc nodes keeps this independent of the JSDoc parsing mode
 * the coordinator picked; a match inside a string only makes us keep an import, the safe side.
 */

const IDENTIFIER = /[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*/gu;
const BRACED = /\{([^{}]*)\}/g;
/** Tags followed by a name reference (the first word after the tag). */
const NAME_TAG = /@(?:see|link|linkcode|linkplain|throws|exception|extends|augments|implements|satisfies)\s+([\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*)/gu;

/**
 * Imported names mentioned in JSDoc comments. In JS files any word of a JSDoc comment may be a type
 * (`@param {Foo}`, `@typedef`, `@template` ...), so every word counts; in TS files only braces
 * (`{@link X}`, `@type {X}`) and name tags (`@see X`).
 */
export function readJsDocMentions(text: string, names: ReadonlySet<string>, isJavaScript: boolean): Set<string> {
  const mentioned = new Set<string>();
  if (!text.includes('/**')) return mentioned;
  for (const comment of jsDocComments(text)) {
    if (isJavaScript) {
      addWords(comment, names, mentioned);
      continue;
    }
    for (const [, inner] of comment.matchAll(BRACED)) addWords(inner ?? '', names, mentioned);
    for (const [, name] of comment.matchAll(NAME_TAG)) if (name && names.has(name)) mentioned.add(name);
  }
  return mentioned;
}

/**
 * The text's `/** … *\/` comments. Not `/\/\*\*[\s\S]*?\*\//g`: each of many unclosed openers would scan to
 * the end of the text (quadratic); here the first opener without a close ends the search.
 */
function* jsDocComments(text: string): Generator<string> {
  for (let open = text.indexOf('/**'); open !== -1; open = text.indexOf('/**', open)) {
    const close = text.indexOf('*/', open + 3);
    if (close === -1) return;
    yield text.slice(open, close + 2);
    open = close + 2;
  }
}

function addWords(text: string, names: ReadonlySet<string>, into: Set<string>): void {
  for (const [word] of text.matchAll(IDENTIFIER)) if (names.has(word)) into.add(word);
}

/** JSX pragmas of a file. */
export interface JsxPragmas {
  /** Root name of the element factory set by a leading `/* @jsx x *\/` comment (what TypeScript honours). */
  readonly factory: string | undefined;
  /** Root name of the fragment factory set by a leading `@jsxFrag` comment. */
  readonly fragmentFactory: string | undefined;
  /** Root names of every `@jsx` / `@jsxFrag` pragma anywhere (Babel honours those too). */
  readonly mentioned: readonly string[];
}

const PRAGMA = /@(jsx|jsxFrag)\s+([\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*)/gu;

/** Reads `@jsx` / `@jsxFrag` pragmas; only those in block comments before the first token count as leading. */
export function readJsxPragmas(text: string): JsxPragmas {
  const mentioned = [...text.matchAll(PRAGMA)].map((match) => match[2] ?? '');
  if (mentioned.length === 0) return { factory: undefined, fragmentFactory: undefined, mentioned };
  let factory: string | undefined;
  let fragmentFactory: string | undefined;
  for (const range of ts.getLeadingCommentRanges(text, 0) ?? []) {
    if (range.kind !== ts.SyntaxKind.MultiLineCommentTrivia) continue;
    for (const [, tag, name] of text.slice(range.pos, range.end).matchAll(PRAGMA)) {
      if (tag === 'jsx') factory = name;
      else fragmentFactory = name;
    }
  }
  return { factory, fragmentFactory, mentioned };
}
