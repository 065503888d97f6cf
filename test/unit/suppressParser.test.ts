import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { commentSyntaxOf } from '../../src/core/suppress/commentSyntax';
import { mayHoldDirectives, parseDirectives, type Directive } from '../../src/core/suppress/directives';

const M = 'maintenance-team-disable';

/** The directives of a file as `kind line rules reason`, short enough to compare whole. */
function summary(path: string, text: string): string[] {
  return parseDirectives(path, text).map(show);
}

function show(d: Directive): string {
  const where = d.kind === 'file' ? (d.misplaced ? 'file(misplaced)' : 'file') : `${d.kind}@${d.line}`;
  return `${where} [${d.rules.map((r) => r.id).join(',')}]${d.justification ? ` ${d.justification}` : ''}`;
}

describe('suppression directives: scripts', () => {
  test('line, block and JSDoc comments, every directive kind, reasons and several rules', () => {
    const text = [
      `// ${M} complexity -- generated file`,
      `/* ${M}-next-line complexity/cyclomatic, imports/unused -- legacy, see #12 */`,
      'function f() {}',
      `const x = 1; // ${M}-line conventions/naming`,
      `/**`,
      ` * ${M}-next-line hygiene`,
      ` */`,
      'const y = 2;',
      '',
    ].join('\n');
    assert.deepEqual(summary('a.ts', text), [
      'file [complexity] generated file',
      'next-line@3 [complexity/cyclomatic,imports/unused] legacy, see #12',
      'line@4 [conventions/naming]',
      'next-line@8 [hygiene]',
    ]);
  });

  test('every script extension is lexed as a script', () => {
    for (const ext of ['ts', 'tsx', 'js', 'jsx', 'mjs', 'cjs', 'mts', 'cts']) {
      assert.deepEqual(summary(`a.${ext}`, `x(); // ${M}-line security\n`), ['line@1 [security]'], ext);
    }
  });

  test('comment-like text inside strings, templates and regular expressions is not a comment', () => {
    const text = [
      `const a = '// ${M}-line complexity';`,
      `const b = "/* ${M}-line complexity */";`,
      `const c = \`// ${M}-line complexity \${"x" + \`/* ${M} x */\`} // ${M}-line y\`;`,
      `const d = /\\/\\/ ${M}-line complexity/;`,
      `const e = x.replace(/\\/* ${M}-line z/g, '');`,
      `if (ok) return [a / 2, b / 3]; // ${M}-line imports`,
      '',
    ].join('\n');
    assert.deepEqual(summary('a.ts', text), ['line@6 [imports]']);
  });

  test('template literals nest to any depth; regular expressions are told from divisions', () => {
    const text = [
      `const a = \`\${{ k: \`\${ { x: 1 }.x } // ${M}-line no\` }.k} // ${M}-line no\`; // ${M}-line one`,
      `const b = /[/]\\/\\/ ${M}-line no/g.test(s) ? x / y / z : 0; // ${M}-line two`,
      `function f() { return /\\/\\/ ${M}-line no/; } // ${M}-line three`,
      `i++ / 2; // ${M}-line four`,
      `const c = (n) / 2 /* ${M}-line five */;`,
      '',
    ].join('\n');
    assert.deepEqual(summary('a.tsx', text), ['line@1 [one]', 'line@2 [two]', 'line@3 [three]', 'line@4 [four]', 'line@5 [five]']);
  });

  test('reading a script\'s comments never loads the compiler (0.5 s and 70 MB on a thread that only reads)', () => {
    const loaded = () => Object.keys(require.cache).some((path) => path.includes('ts-morph'));
    assert.equal(loaded(), false);
    parseDirectives('a.ts', `// ${M} complexity\nconst s = \`// ${M}-line x\`;\n`);
    assert.equal(loaded(), false);
  });

  test('a shebang may come before a file-level directive; one after code is misplaced', () => {
    const text = `#!/usr/bin/env node\n// ${M} complexity\n'use strict';\n// ${M} hygiene\n`;
    assert.deepEqual(summary('bin.js', text), ['file [complexity]', 'file(misplaced) [hygiene]']);
  });

  test('CRLF line endings: lines are counted and the reason stops before the line break', () => {
    const text = `// ${M}-next-line complexity -- why\r\nf();\r\n// ${M}-line imports\r\n`;
    const directives = parseDirectives('a.ts', text);
    assert.deepEqual(directives.map(show), ['next-line@2 [complexity] why', 'line@3 [imports]']);
    assert.equal(directives[0].justification, 'why');
    assert.equal(text.slice(directives[1].start, directives[1].end), `// ${M}-line imports`);
  });

  test('look-alike words and a marker not at the start of the comment are not directives', () => {
    const text = `// ${M}d complexity\n// see ${M}-line x\n// ${M}-lines x\n`;
    assert.deepEqual(summary('a.ts', text), []);
  });

  test('an empty rule list is kept (the application reports it); `--` without a reason gives none', () => {
    assert.deepEqual(summary('a.ts', `// ${M}-next-line -- reason only\n// ${M}-line imports --\n`), [
      'next-line@2 [] reason only', 'line@2 [imports]',
    ]);
  });

  test('rule ids carry their ranges (1-based, UTF-16 columns)', () => {
    const [d] = parseDirectives('a.ts', `f(); // ${M}-line a/b, c\n`);
    assert.deepEqual(d.rules.map((r) => [r.id, r.range.start.column, r.range.end.column]), [
      ['a/b', 39, 42], ['c', 44, 45],
    ]);
  });
});

describe('suppression directives: Python', () => {
  test('# comments; every kind; the encoding line and shebang before a file-level one', () => {
    const text = [
      '#!/usr/bin/env python3',
      '# -*- coding: utf-8 -*-',
      `# ${M} complexity -- generated`,
      '"""Docstring."""',
      `x = 1  # ${M}-line conventions/naming`,
      `# ${M}-next-line security/eval`,
      'eval(s)',
      `# ${M} imports`,
      '',
    ].join('\n');
    assert.deepEqual(summary('a.py', text), [
      'file [complexity] generated', 'line@5 [conventions/naming]', 'next-line@7 [security/eval]', 'file(misplaced) [imports]',
    ]);
  });

  test('# inside strings of every form (triple-quoted, prefixed, escaped quotes) is not a comment', () => {
    const text = [
      `a = "# ${M}-line complexity"`,
      `b = '# ${M}-line complexity \\' still # ${M}-line x'`,
      `c = """`,
      `# ${M}-line complexity`,
      `"""`,
      `d = rb'# ${M}-line x' + f"# ${M}-line {y}" + R'''# ${M}-line z'''`,
      `e = bar  # ${M}-line imports`,
      '',
    ].join('\n');
    assert.deepEqual(summary('a.pyi', text), ['line@7 [imports]']);
  });
});

describe('suppression directives: other text files', () => {
  test('# files: YAML, shell, TOML, Dockerfile, Makefile, .env; a quote in prose is no string', () => {
    for (const path of ['a.yaml', 'a.yml', 'run.sh', 'a.toml', 'Dockerfile', 'Makefile', '.env', 'x.rb', 'a.ini']) {
      const text = `key: "# ${M}-line x"\nvalue: don't  # ${M}-line hygiene -- tabs are data\n`;
      assert.deepEqual(summary(path, text), ['line@2 [hygiene] tabs are data'], path);
    }
  });

  test('// and /* */ files, strings skipped', () => {
    for (const path of ['a.c', 'a.go', 'a.java', 'a.rs', 'a.scss', 'a.jsonc', 'a.json5', 'a.kt', 'a.cs']) {
      const text = `s = "// ${M}-line x";\n/* ${M}-next-line hygiene */\nx;\n// ${M}-line hygiene\n`;
      assert.deepEqual(summary(path, text), ['next-line@3 [hygiene]', 'line@4 [hygiene]'], path);
    }
  });

  test('CSS has only block comments', () => {
    assert.deepEqual(summary('a.css', `/* ${M} hygiene */\na { b: c } // ${M}-line x\n`), ['file [hygiene]']);
  });

  test('markup: <!-- --> in Markdown, HTML, XML, SVG and Vue; the XML prolog, doctype and front matter are not code', () => {
    assert.deepEqual(summary('a.md', `---\ntitle: x\n---\n<!-- ${M} hygiene -- prose -->\n# Title\n`), ['file [hygiene] prose']);
    assert.deepEqual(summary('a.svg', `<?xml version="1.0"?>\n<!-- ${M} hygiene -->\n<svg/>\n`), ['file [hygiene]']);
    assert.deepEqual(summary('a.html', `<!DOCTYPE html>\n<!-- ${M} hygiene -->\n<p>x</p>\n<!-- ${M}-next-line hygiene -->\n`), [
      'file [hygiene]', 'next-line@5 [hygiene]',
    ]);
    assert.deepEqual(summary('a.vue', `<template>\n<!-- ${M}-line hygiene --></template>\n`), ['line@2 [hygiene]']);
    assert.deepEqual(summary('a.xml', `<a/>\n<!-- ${M} hygiene -->\n`), ['file(misplaced) [hygiene]']);
  });

  test('-- files: SQL and Lua', () => {
    for (const path of ['a.sql', 'a.lua']) {
      assert.deepEqual(summary(path, `select '-- ${M}-line x'; -- ${M}-line hygiene\n`), ['line@1 [hygiene]'], path);
    }
  });

  test('a file type without a comment syntax carries no suppression', () => {
    assert.equal(commentSyntaxOf('a.json'), undefined);
    assert.equal(commentSyntaxOf('notes.txt'), undefined);
    assert.deepEqual(summary('a.json', `{"a": "// ${M}-line hygiene"}\n// ${M}-line hygiene\n`), []);
  });

  test('the marker is looked for in raw bytes before anything is decoded', () => {
    assert.equal(mayHoldDirectives(Buffer.from(`x // ${M}-line y`)), true);
    assert.equal(mayHoldDirectives(new Uint8Array(Buffer.from('x // nothing here'))), false);
    assert.equal(mayHoldDirectives('maintenance-team'), false);
  });
});
