// The on-save policy of source.fixAll.maintenanceTeam in the real extension host, through a real save (the
// editor's Save command) with `editor.codeActionsOnSave`: the cursor's line is left alone, the other lines are
// fixed, and an import just typed survives even with imports/unused opted in to fixing on save.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, diskText, fixtureUri, ourDiagnostics, waitFor, waitForDiagnostic } from './helpers';

const CONFIG = 'team:\n  imports:\n    fixOnSave:\n      unused: true\n  hygiene:\n    severity:\n      trailing-whitespace: warning\n';

/** Writes `text` to save-fix/`name`, opens it in an editor and waits for its audit. */
async function openFile(name: string, text: string, rule: string): Promise<vscode.TextEditor> {
  const uri = fixtureUri(`save-fix/${name}`);
  await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const editor = await vscode.window.showTextDocument(uri);
  await waitForDiagnostic(uri, rule);
  return editor;
}

/** Types `text` at `position` as the user would (an edit of the editor, so it is part of the editing burst). */
async function type(editor: vscode.TextEditor, position: vscode.Position, text: string): Promise<void> {
  assert.ok(await editor.edit((b) => b.insert(position, text)), 'the edit was refused');
}

/** Puts the cursor at `line`, `column` (0-based) and saves with the editor's Save command, as Ctrl+S does. */
async function saveWithCursorAt(editor: vscode.TextEditor, line: number, column: number): Promise<string> {
  editor.selection = new vscode.Selection(line, column, line, column);
  await vscode.commands.executeCommand('workbench.action.files.save');
  await waitFor('the save to finish', () => !editor.document.isDirty);
  return editor.document.getText();
}

suite('Fix on save', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'maintenance-team');
    await ext?.activate();
    await vscode.workspace.getConfiguration('editor').update(
      'codeActionsOnSave', { 'source.fixAll.maintenanceTeam': 'explicit' }, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.writeFile(fixtureUri('maintenance-team.yaml'), Buffer.from(CONFIG));
    // The configuration is in force once a diagnostic shows the severity it sets.
    const probe = await openFile('probe.ts', 'export const probe = 1;  \n', 'hygiene/trailing-whitespace');
    await waitFor('maintenance-team.yaml to apply', () => ourDiagnostics(probe.document.uri)
      .some((d) => codeOf(d) === 'hygiene/trailing-whitespace' && d.severity === vscode.DiagnosticSeverity.Warning));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('editor').update('codeActionsOnSave', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.workspace.fs.delete(fixtureUri('maintenance-team.yaml')).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(fixtureUri('save-fix'), { recursive: true }).then(undefined, () => undefined);
  });

  test('saving fixes trailing whitespace on every line but the one with the cursor', async () => {
    const editor = await openFile('cursor.ts', 'const a = 1;  \nconst b = 2;  \nconst c = 3;  \nexport const sum = a + b + c;\n',
      'hygiene/trailing-whitespace');
    await type(editor, new vscode.Position(3, 0), '// sum\n');
    const saved = await saveWithCursorAt(editor, 1, 14);
    assert.strictEqual(saved, 'const a = 1;\nconst b = 2;  \nconst c = 3;\n// sum\nexport const sum = a + b + c;\n');
    assert.strictEqual(await diskText(editor.document.uri), saved, 'the fixed text was not the one saved');
  });

  test('an import just typed is not removed on save; an unused import saved before is (imports/unused opted in)', async () => {
    const editor = await openFile('typed.ts', "import { stale } from './stale';\nexport const value = 1;  \n", 'imports/unused');
    await type(editor, new vscode.Position(0, 0), "import { typed } from './typed';\n");
    const saved = await saveWithCursorAt(editor, 3, 0);
    assert.strictEqual(saved, "import { typed } from './typed';\nexport const value = 1;\n");
  });
});
