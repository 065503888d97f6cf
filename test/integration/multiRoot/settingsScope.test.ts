// Issue 19 #7 in a real multi-root workspace (test/fixtures/multiRoot): `maintenanceTeam.configPath` is a resource
// setting, so each folder's own value applies to that folder's files. Each folder also holds a decoy
// maintenance-team.yaml (the default path) that says the opposite: the diagnostics show which file was read.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, ourDiagnostics, waitFor, waitForDiagnostic } from '../helpers';

const RULE = 'hygiene/trailing-whitespace';

function folder(name: string): vscode.WorkspaceFolder {
  const found = vscode.workspace.workspaceFolders?.find((f) => f.name === name);
  assert.ok(found, `the runner must open the multi-root workspace with folder ${name}`);
  return found;
}

const fileIn = (name: string, relative: string) => vscode.Uri.joinPath(folder(name).uri, ...relative.split('/'));

suite('#7 multi-root: each folder\'s configPath applies to its folder', () => {
  suiteSetup(async () => {
    assert.strictEqual(vscode.workspace.workspaceFolders?.length, 2, 'two workspace folders');
    const summary = await vscode.commands.executeCommand<{ cancelled: boolean }>('maintenanceTeam.runAudit');
    assert.ok(summary && !summary.cancelled);
  });

  suiteTeardown(async () => {
    await vscode.workspace.getConfiguration('maintenanceTeam', folder('alpha').uri)
      .update('configPath', 'config/alpha-team.yaml', vscode.ConfigurationTarget.WorkspaceFolder);
  });

  test('#7 each folder\'s own configPath is read for it', () => {
    const inspect = vscode.workspace.getConfiguration('maintenanceTeam', folder('alpha').uri).inspect<string>('configPath');
    assert.strictEqual(inspect?.workspaceFolderValue, 'config/alpha-team.yaml');
    assert.strictEqual(vscode.workspace.getConfiguration('maintenanceTeam', folder('beta').uri).get('configPath'), 'beta-team.yaml');
  });

  test('#7 alpha\'s file follows alpha\'s configuration, beta\'s follows beta\'s', async () => {
    const a = fileIn('alpha', 'src/a.ts');
    const b = fileIn('beta', 'src/b.ts');
    // Audited (its missing final newline is reported) without trailing whitespace: config/alpha-team.yaml turned it off.
    await waitForDiagnostic(a, 'hygiene/final-newline');
    assert.deepStrictEqual(ourDiagnostics(a).map(codeOf).filter((c) => c === RULE), [], 'alpha read its decoy maintenance-team.yaml');
    const error = await waitForDiagnostic(b, RULE);
    assert.strictEqual(error.severity, vscode.DiagnosticSeverity.Error, 'beta did not read beta-team.yaml');
  });

  test('#7 changing one folder\'s configPath re-audits that folder with the file it names', async () => {
    await vscode.workspace.getConfiguration('maintenanceTeam', folder('alpha').uri)
      .update('configPath', 'maintenance-team.yaml', vscode.ConfigurationTarget.WorkspaceFolder);
    const a = fileIn('alpha', 'src/a.ts');
    const now = await waitFor('alpha to follow its new configuration', () =>
      ourDiagnostics(a).find((d) => codeOf(d) === RULE && d.severity === vscode.DiagnosticSeverity.Error));
    assert.ok(now);
    // Beta is untouched.
    const b = await waitForDiagnostic(fileIn('beta', 'src/b.ts'), RULE);
    assert.strictEqual(b.severity, vscode.DiagnosticSeverity.Error);
  });
});
