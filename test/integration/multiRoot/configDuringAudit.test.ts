// A configuration saved while "Run maintenance audit" is still running (the first audit of the session: this file
// sorts before the other suites of the multi-root session). The running audit read the old configuration; when it
// ends, the folder is audited again with the new one, so no file keeps a finding the saved configuration turned off.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, waitFor } from '../helpers';

const RULE = 'hygiene/final-newline';
/** Enough files that the audit is still running when the change is saved (a cold audit of these takes seconds). */
const FILES = 1500;

function alpha(): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === 'alpha');
  assert.ok(found, 'the runner must open the multi-root workspace with folder alpha');
  return found;
}

const bulkDir = () => vscode.Uri.joinPath(alpha().uri, 'src', 'bulk');
const bulkFile = (i: number) => vscode.Uri.joinPath(bulkDir(), `m${i}.ts`);

/** The bulk files with a finding of RULE in the Problems panel now. */
function bulkWithRule(): vscode.Uri[] {
  const prefix = `${bulkDir().toString()}/`;
  return vscode.languages.getDiagnostics()
    .filter(([uri, diagnostics]) => uri.toString().startsWith(prefix) && diagnostics.some((d) => codeOf(d) === RULE))
    .map(([uri]) => uri);
}
/** Alpha's configuration file (its folder setting `configPath`). */
const configFile = () => vscode.Uri.joinPath(alpha().uri, 'config', 'alpha-team.yaml');

suite('A configuration saved during the first audit', () => {
  let original = '';

  suiteSetup(async () => {
    original = new TextDecoder().decode(await vscode.workspace.fs.readFile(configFile()));
    // No final newline: each file has a final-newline finding until the configuration turns the rule off.
    await Promise.all(Array.from({ length: FILES }, (_, i) =>
      vscode.workspace.fs.writeFile(bulkFile(i), new TextEncoder().encode(`export const value${i} = ${i};`))));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(bulkDir(), { recursive: true }).then(undefined, () => undefined);
    await vscode.workspace.fs.writeFile(configFile(), new TextEncoder().encode(original));
  });

  test('is applied to every file once the running audit ends', async () => {
    let ended = false;
    const running = Promise.resolve(vscode.commands.executeCommand<{ cancelled: boolean; files: number }>('maintenanceTeam.runAudit'))
      .finally(() => { ended = true; });
    // The audit is under way: the first files' findings are in.
    await waitFor('the first findings of the audit', () => bulkWithRule().length > 0);
    const document = await vscode.workspace.openTextDocument(configFile());
    const edit = new vscode.WorkspaceEdit();
    assert.match(document.getText(), /^ {6}trailing-whitespace: false$/m, 'the fixture turns one hygiene rule off');
    edit.insert(configFile(), new vscode.Position(document.lineCount, 0), '      final-newline: false\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(await document.save());
    assert.strictEqual(ended, false, `the audit of ${FILES} files ended before the change was saved: the test needs more files`);
    const summary = await running;
    assert.ok(summary && !summary.cancelled && summary.files >= FILES, JSON.stringify(summary));
    await waitFor('no file to keep a finding of the rule turned off', () => bulkWithRule().length === 0, 30_000)
      .catch((error: Error) => assert.fail(`${error.message}: ${bulkWithRule().length} of ${FILES} files still have ${RULE}`));
  });
});
