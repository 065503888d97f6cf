// Inline suppressions in the editor: the "Disable <rule> for this line/file" quick fixes, and a suppression comment
// that suppresses nothing shown as a faded hint. The files are written here and removed at the end, so the shared
// fixture workspace (and the other suites' counts) stay as they are.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  applyAndSave, codeActions, codeOf, diskText, fixtureUri, ourDiagnostics, waitFor, waitForCodeAction, waitForDiagnostic, waitForNoDiagnostic,
} from './helpers';

const M = 'maintenance-team-disable';
const FILES: Record<string, string> = {
  'src/suppress/line.ts': "import { readFileSync } from 'fs';\nexport const x = 1;\n",
  'src/suppress/file.ts': 'export const a = 1;  \nexport const b = 2;\t\n',
  'src/suppress/unused.ts': `// ${M}-next-line complexity -- it was a long function once\nexport const y = 1;\n`,
};

suite('Suppressions in the editor', () => {
  suiteSetup(async () => {
    for (const [path, text] of Object.entries(FILES)) await vscode.workspace.fs.writeFile(fixtureUri(path), Buffer.from(text));
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(fixtureUri('src/suppress'), { recursive: true });
  });

  test('"Disable <rule> for this line" adds a next-line comment; the diagnostic goes after the re-audit', async () => {
    const uri = fixtureUri('src/suppress/line.ts');
    const d = await waitForDiagnostic(uri, 'imports/unused');
    const action = await waitForCodeAction(uri, d.range, vscode.CodeActionKind.QuickFix, 'a "Disable … for this line" quick fix',
      (a) => a.title === 'Disable imports/unused for this line');
    assert.notStrictEqual(action.isPreferred, true, 'disabling is never the preferred fix');
    await applyAndSave(uri, action);
    await waitForNoDiagnostic(uri, 'imports/unused');
    assert.strictEqual(await diskText(uri), `// ${M}-next-line imports/unused --\nimport { readFileSync } from 'fs';\nexport const x = 1;\n`);
    // Used, so no unused-suppression hint either.
    assert.deepStrictEqual(ourDiagnostics(uri).map(codeOf), []);
  });

  test('"Disable <rule> for this file" adds a file-level comment; every finding of the rule goes', async () => {
    const uri = fixtureUri('src/suppress/file.ts');
    const d = await waitFor('two trailing-whitespace diagnostics', () => {
      const found = ourDiagnostics(uri).filter((x) => codeOf(x) === 'hygiene/trailing-whitespace');
      return found.length === 2 && found[0];
    });
    const action = await waitForCodeAction(uri, d.range, vscode.CodeActionKind.QuickFix, 'a "Disable … for this file" quick fix',
      (a) => a.title === 'Disable hygiene/trailing-whitespace for this file');
    await applyAndSave(uri, action);
    await waitForNoDiagnostic(uri, 'hygiene/trailing-whitespace');
    assert.ok((await diskText(uri)).startsWith(`// ${M} hygiene/trailing-whitespace --\n`));
  });

  test('a suppression that suppresses nothing is a faded hint', async () => {
    const uri = fixtureUri('src/suppress/unused.ts');
    const d = await waitForDiagnostic(uri, 'maintenance/unused-suppression');
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Hint);
    assert.deepStrictEqual(d.tags, [vscode.DiagnosticTag.Unnecessary]);
    assert.strictEqual(d.range.start.line, 0);
    assert.match(d.message, /no complexity finding on line 2/);
    // Engine rules offer no "Disable" action.
    const actions = await codeActions(uri, d.range, vscode.CodeActionKind.QuickFix);
    assert.deepStrictEqual(actions.filter((a) => a.title.startsWith('Disable')).map((a) => a.title), []);
  });
});
