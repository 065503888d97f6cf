// Diagnostics follow the files: edits are re-audited, deletions drop results, bulk quick fixes per rule.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  applyAndSave, diskText, fixtureUri, ourDiagnostics, waitForCodeAction, waitForDiagnostic, waitForNoDiagnostic,
} from './helpers';

suite('Diagnostics follow the files', () => {
  suiteSetup(async () => {
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
  });

  test('an edited, unsaved document is re-audited; undoing the edit clears the finding', async () => {
    const uri = fixtureUri('src/follow/edited.ts');
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    assert.deepStrictEqual(ourDiagnostics(uri), []);
    await editor.edit((b) => b.insert(new vscode.Position(0, 0), "import { join } from 'path';\n"));
    const d = await waitForDiagnostic(uri, 'imports/unused');
    assert.strictEqual(d.range.start.line, 0);
    await vscode.commands.executeCommand('undo');
    await waitForNoDiagnostic(uri, 'imports/unused');
    assert.ok(!(await diskText(uri)).includes('join'), 'the edit was never saved');
  });

  test('a deleted file loses its diagnostics', async () => {
    const uri = fixtureUri('src/follow/deleted.ts');
    await waitForDiagnostic(uri, 'imports/unused');
    const edit = new vscode.WorkspaceEdit();
    edit.deleteFile(uri);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await waitForNoDiagnostic(uri);
  });

  test('"Fix all \'rule\' problems in this file" fixes that rule only', async () => {
    const uri = fixtureUri('src/follow/perRule.ts');
    const d = await waitForDiagnostic(uri, 'hygiene/trailing-whitespace');
    const action = await waitForCodeAction(uri, d.range, vscode.CodeActionKind.QuickFix,
      'a per-rule bulk fix', (a) => a.title === "Fix all 'hygiene/trailing-whitespace' problems in this file");
    await applyAndSave(uri, action);
    await waitForNoDiagnostic(uri, 'hygiene/trailing-whitespace');
    const text = await diskText(uri);
    assert.strictEqual(text, "export const a = 1;\nexport const b = 2;\nexport const c = 3;\nimport { readFileSync } from 'fs';\n");
    await waitForDiagnostic(uri, 'imports/unused');
  });
});
