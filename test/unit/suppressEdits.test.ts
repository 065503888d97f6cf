import { strict as assert } from 'node:assert';
import { describe, test } from 'node:test';
import { applyEdits } from '../../src/core/text';
import { canSuppress, disableForFileEdit, disableForLineEdit } from '../../src/core/suppress/suppressEdits';
import { suppressFindings } from '../../src/core/suppress/applySuppressions';
import type { Finding } from '../../src/core/model';

const M = 'maintenance-team-disable';

function lineFix(path: string, text: string, line: number, rule: string): string {
  const edit = disableForLineEdit(path, text, line, rule);
  assert.ok(edit, 'an edit');
  const fixed = applyEdits(text, [edit]);
  assert.equal(disableForLineEdit(path, fixed, line + (fixed.split('\n').length - text.split('\n').length), rule), undefined,
    'applying it twice changes nothing');
  return fixed;
}

function fileFix(path: string, text: string, rule: string): string {
  const edit = disableForFileEdit(path, text, rule);
  assert.ok(edit, 'an edit');
  const fixed = applyEdits(text, [edit]);
  assert.equal(disableForFileEdit(path, fixed, rule), undefined, 'applying it twice changes nothing');
  return fixed;
}

describe('"Disable <rule> for this line"', () => {
  test('inserts a next-line directive with the line\'s indentation and the file\'s line ending', () => {
    assert.equal(lineFix('a.ts', 'function f() {\r\n\t  if (x) g();\r\n}\r\n', 2, 'complexity/cyclomatic'),
      `function f() {\r\n\t  // ${M}-next-line complexity/cyclomatic --\r\n\t  if (x) g();\r\n}\r\n`);
    assert.equal(lineFix('a.py', 'def f():\n    eval(s)\n', 2, 'security/eval'), `def f():\n    # ${M}-next-line security/eval --\n    eval(s)\n`);
    assert.equal(lineFix('a.yaml', 'a: 1\nb:\t2\n', 2, 'hygiene/mixed-indentation'),
      `a: 1\n# ${M}-next-line hygiene/mixed-indentation --\nb:\t2\n`);
    assert.equal(lineFix('a.css', 'a {\n  b: c;  \n}\n', 2, 'hygiene/trailing-whitespace'),
      `a {\n  /* ${M}-next-line hygiene/trailing-whitespace */\n  b: c;  \n}\n`);
    assert.equal(lineFix('a.md', '# T\ntext  \n', 2, 'hygiene/trailing-whitespace'),
      `# T\n<!-- ${M}-next-line hygiene/trailing-whitespace -->\ntext  \n`);
  });

  test('extends the next-line directive above rather than adding a second one', () => {
    const text = `  // ${M}-next-line imports/unused -- legacy\n  import { a } from 'a';\n`;
    assert.equal(lineFix('a.ts', text, 2, 'hygiene/trailing-whitespace'),
      `  // ${M}-next-line imports/unused, hygiene/trailing-whitespace -- legacy\n  import { a } from 'a';\n`);
    // A rule already covered by its agent's name: nothing to do.
    assert.equal(disableForLineEdit('a.ts', `// ${M}-next-line imports\nimport { a } from 'a';\n`, 2, 'imports/unused'), undefined);
  });

  test('the inserted directive suppresses the finding it was made for', () => {
    const text = 'const a = 1;\nexport const b = 2;\n';
    const fixed = lineFix('a.ts', text, 2, 'conventions/naming');
    const naming: Finding = { agent: 'conventions', rule: 'conventions/naming', severity: 'warning', message: 'x',
      range: { start: { line: 3, column: 14 }, end: { line: 3, column: 15 } } };
    const out = suppressFindings('a.ts', fixed, [naming], { completeAgents: new Set(['conventions']), unused: 'hint' });
    assert.deepEqual(out.findings, []);
    assert.equal(out.suppressed.length, 1);
  });

  test('no action for engine rules, unknown rules, or a file type without comments', () => {
    assert.equal(canSuppress('a.ts', 'maintenance/agent-failed'), false);
    assert.equal(canSuppress('a.ts', 'faulty:throw/x'), false);
    assert.equal(canSuppress('a.json', 'hygiene/final-newline'), false);
    assert.equal(disableForLineEdit('a.json', '{}', 1, 'hygiene/final-newline'), undefined);
    assert.equal(disableForFileEdit('a.ts', 'x;\n', 'maintenance/unused-suppression'), undefined);
    assert.equal(canSuppress('a.ts', 'complexity/cyclomatic'), true);
  });
});

describe('"Disable <rule> for this file"', () => {
  test('at the top, after a shebang, a Python encoding line, an XML prolog or front matter', () => {
    assert.equal(fileFix('a.ts', 'export const x = 1;\n', 'complexity'), `// ${M} complexity --\nexport const x = 1;\n`);
    assert.equal(fileFix('bin.js', '#!/usr/bin/env node\r\nrun();\r\n', 'security/eval'),
      `#!/usr/bin/env node\r\n// ${M} security/eval --\r\nrun();\r\n`);
    assert.equal(fileFix('a.py', '#!/usr/bin/python3\n# -*- coding: utf-8 -*-\nx = 1\n', 'conventions/naming'),
      `#!/usr/bin/python3\n# -*- coding: utf-8 -*-\n# ${M} conventions/naming --\nx = 1\n`);
    assert.equal(fileFix('i.svg', '<?xml version="1.0"?>\n<svg>\t</svg>\n', 'hygiene'),
      `<?xml version="1.0"?>\n<!-- ${M} hygiene -->\n<svg>\t</svg>\n`);
    assert.equal(fileFix('a.md', '---\ntitle: x\n---\ntext\n', 'hygiene'), `---\ntitle: x\n---\n<!-- ${M} hygiene -->\ntext\n`);
    assert.equal(fileFix('run.sh', '#!/bin/sh', 'hygiene/final-newline'), `#!/bin/sh\n# ${M} hygiene/final-newline --\n`);
  });

  test('extends an existing file-level directive; a misplaced one is not extended', () => {
    assert.equal(fileFix('a.ts', `// ${M} complexity -- generated\nx();\n`, 'imports/unused'),
      `// ${M} complexity, imports/unused -- generated\nx();\n`);
    assert.equal(fileFix('a.ts', `x();\n// ${M} complexity\n`, 'imports/unused'),
      `// ${M} imports/unused --\nx();\n// ${M} complexity\n`);
  });

  test('every inserted file-level directive is honoured (leading, valid)', () => {
    for (const [path, text] of [['a.ts', '#!/usr/bin/env node\nx();\n'], ['a.py', '# coding: latin-1\nx = 1\n'],
      ['a.svg', '<?xml version="1.0"?>\n<svg/>\n'], ['a.md', '---\na: 1\n---\n# T\n'], ['a.yaml', 'a: 1\n']] as const) {
      const fixed = fileFix(path, text, 'hygiene');
      const f: Finding = { agent: 'hygiene', rule: 'hygiene/final-newline', severity: 'info', message: 'x', range: { start: { line: 9, column: 1 }, end: { line: 9, column: 1 } } };
      const out = suppressFindings(path, fixed, [f], { completeAgents: new Set(['hygiene']), unused: 'warning' });
      assert.deepEqual(out.findings, [], path);
    }
  });
});
