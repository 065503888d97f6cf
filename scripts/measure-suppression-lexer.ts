// Measures the script comment lexer of inline suppressions (src/core/suppress/scriptLexer.ts), which reads comments
// without loading the compiler, against TypeScript's parser: every comment the parser attaches to a token (leading
// and trailing trivia of every token, JSX text left out) must be found by the lexer at the same offset, and the lexer
// must find no other. Strings, template literals and regular expressions are where a lexer goes wrong.
//
//   node --import tsx scripts/measure-suppression-lexer.ts [dir...]   (default: src test node_modules/zod)
//
// Prints files, comments, agreements and the first disagreements with their context.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ts } from 'ts-morph';
import { scriptComments } from '../src/core/suppress/scriptLexer';

const SCRIPT = /\.(?:[cm]?[tj]s|[tj]sx)$/;
const MAX_BYTES = 400_000;

function* scripts(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* scripts(path);
    else if (SCRIPT.test(name) && !name.endsWith('.d.ts') && statSync(path).size < MAX_BYTES) yield path;
  }
}

/** Start offsets of the comments TypeScript's parser sees in `text`. */
function parserComments(path: string, text: string): Set<number> {
  const kind = /x$/.test(path) ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, false, kind);
  const starts = new Set<number>();
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.JsxText) return;
    const children = node.getChildren(file);
    if (children.length === 0) {
      for (const range of [...ts.getLeadingCommentRanges(text, node.pos) ?? [], ...ts.getTrailingCommentRanges(text, node.pos) ?? []]) {
        starts.add(range.pos);
      }
    }
    children.forEach(visit);
  };
  visit(file);
  // The shebang is not a comment.
  if (text.startsWith('#!')) starts.delete(0);
  return starts;
}

const dirs = process.argv.slice(2);
let files = 0;
let comments = 0;
let agreed = 0;
const disagreements: string[] = [];
for (const dir of dirs.length > 0 ? dirs : ['src', 'test', 'node_modules/zod']) {
  for (const path of scripts(dir)) {
    const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
    const want = parserComments(path, text);
    const got = new Set(scriptComments(text).map((c) => c.start));
    files++;
    comments += want.size;
    for (const at of want) if (got.has(at)) agreed++;
    for (const at of new Set([...want, ...got])) {
      if (want.has(at) !== got.has(at)) {
        disagreements.push(`${path}:${at} ${want.has(at) ? 'missed' : 'extra'}: ${JSON.stringify(text.slice(Math.max(0, at - 60), at + 40))}`);
      }
    }
  }
}
console.log(`${files} files, ${comments} comments by the parser, ${agreed} found by the lexer, ${disagreements.length} disagreements`);
for (const line of disagreements.slice(0, 20)) console.log(line);
