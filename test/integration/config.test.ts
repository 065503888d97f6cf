// maintenance-team.yaml in the real extension host: the starter file, problems shown on the YAML at their
// place, and a saved change re-auditing the workspace without a reload.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, fixtureUri, ourDiagnostics, waitFor, waitForDiagnostic, waitForNoDiagnostic } from './helpers';

const CONFIG_SOURCE = 'maintenance-team-config';

function configDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === CONFIG_SOURCE);
}

/** Replaces the whole text of an open document and saves it, as a user editing the file would. */
async function rewrite(document: vscode.TextDocument, text: string, save = true): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), text);
  assert.ok(await vscode.workspace.applyEdit(edit));
  if (save) assert.ok(await document.save(), `saving ${document.uri.path} failed`);
}

suite('The configuration file', () => {
  const configUri = () => fixtureUri('maintenance-team.yaml');

  suiteSetup(async () => {
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(configUri()).then(undefined, () => undefined);
  });

  test('"Create configuration file" writes a commented starter file that has no problem', async () => {
    await vscode.commands.executeCommand('maintenanceTeam.createConfig');
    const document = await waitFor('the starter file to open', () =>
      vscode.window.activeTextEditor?.document.uri.toString() === configUri().toString() && vscode.window.activeTextEditor.document);
    assert.match(document.getText(), /^# Maintenance Team configuration/);
    assert.match(document.getText(), /^team:$/m);
    assert.deepStrictEqual(configDiagnostics(configUri()), []);
  });

  test('a bad value shows as a diagnostic on the YAML at its line and column, and goes when fixed', async () => {
    const document = await vscode.workspace.openTextDocument(configUri());
    await rewrite(document, 'team:\n  complexity:\n    enabled: true\nglobal:\n  concurrency: zero\n');
    const problem = await waitFor('a diagnostic on maintenance-team.yaml', () => configDiagnostics(configUri())[0]);
    assert.strictEqual(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual([problem.range.start.line, problem.range.start.character, problem.range.end.character], [4, 15, 19]);
    assert.match(problem.message, /global\.concurrency: expected a number, found "zero"/);

    // Shown while typing, before any save.
    await rewrite(document, 'global:\n  concurency: 2\n', false);
    const typo = await waitFor('the typo warning', () => configDiagnostics(configUri()).find((d) => /concurency/.test(d.message)));
    assert.strictEqual(typo.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(typo.message, /did you mean 'concurrency'/);

    await rewrite(document, 'global:\n  concurrency: 2\n');
    await waitFor('no diagnostic on maintenance-team.yaml', () => configDiagnostics(configUri()).length === 0);
  });

  test('saving a change re-audits without a reload: a rule turned off loses its diagnostics, and back on', async () => {
    const target = fixtureUri('src/config/trailing.ts');
    const rule = 'hygiene/trailing-whitespace';
    await waitForDiagnostic(target, rule);
    const document = await vscode.workspace.openTextDocument(configUri());
    await rewrite(document, 'team:\n  hygiene:\n    rules:\n      trailing-whitespace: false\n');
    await waitForNoDiagnostic(target, rule);
    await rewrite(document, 'team:\n  hygiene:\n    severity:\n      trailing-whitespace: error\n');
    const back = await waitForDiagnostic(target, rule);
    assert.strictEqual(back.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(codeOf(back), rule);
  });

  test('an exclude glob drops the diagnostics of the files it covers', async () => {
    const target = fixtureUri('src/config/trailing.ts');
    await waitForDiagnostic(target, 'hygiene/trailing-whitespace');
    const document = await vscode.workspace.openTextDocument(configUri());
    await rewrite(document, 'global:\n  exclude: [src/config]\n');
    await waitForNoDiagnostic(target);
    await rewrite(document, '');
    await waitForDiagnostic(target, 'hygiene/trailing-whitespace');
  });
});

suite('Per-path overrides in the Problems panel', () => {
  const configUri = () => fixtureUri('maintenance-team.yaml');
  const specUri = () => fixtureUri('src/config/override.spec.ts');
  const rule = 'hygiene/trailing-whitespace';

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(configUri()).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(specUri()).then(undefined, () => undefined);
  });

  test('a rule switched off for **/*.spec.ts shows no diagnostic there, but does in another file', async () => {
    const other = fixtureUri('src/config/trailing.ts');
    // Trailing blanks, and no final newline: hygiene/final-newline shows the spec file was audited.
    await vscode.workspace.fs.writeFile(specUri(), Buffer.from('export const spec = 1;   '));
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
    await waitFor('both rules on the spec file', () => rulesOn(specUri()) === `hygiene/final-newline,${rule}`);
    // Saved from an editor, as a user would: the save applies the configuration and re-audits the folder.
    await vscode.workspace.fs.writeFile(configUri(), Buffer.from(''));
    const config = await vscode.workspace.openTextDocument(configUri());
    await rewrite(config, 'overrides:\n  - files: ["**/*.spec.ts"]\n    team: { hygiene: { rules: { trailing-whitespace: false } } }\n');
    await waitFor('only hygiene/final-newline on the spec file', () => rulesOn(specUri()) === 'hygiene/final-newline');
    await waitForDiagnostic(other, rule);
    assert.deepStrictEqual(configDiagnostics(configUri()), []);

    // Open and edited, the file is audited from the editor's text, under the same override.
    const document = await vscode.workspace.openTextDocument(specUri());
    await vscode.window.showTextDocument(document);
    await rewrite(document, 'export const spec = 2;   \nexport const more = 3;   \n', false);
    await waitForNoDiagnostic(specUri(), 'hygiene/final-newline');
    assert.strictEqual(rulesOn(specUri()), '');
    await waitForDiagnostic(other, rule);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });
});

/** The rule ids of the extension's diagnostics on `uri`, sorted, comma-separated. */
function rulesOn(uri: vscode.Uri): string {
  return ourDiagnostics(uri).map(codeOf).sort().join(',');
}
