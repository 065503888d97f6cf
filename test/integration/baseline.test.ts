// The baseline in the real extension host: `maintenance-team audit --baseline-write` (the shipped CLI) records a
// legacy finding, the editor then hides it (`maintenanceTeam.baseline`: "hide", the default) or shows it as a hint
// ("hint"), re-reading the file when it changes; a finding beyond the baseline shows as usual.
import * as assert from 'assert';
import { execFile } from 'child_process';
import * as path from 'path';
import { promisify } from 'util';
import * as vscode from 'vscode';
import { codeOf, diskText, fixtureUri, ourDiagnostics, waitFor, waitForDiagnostic, waitForNoDiagnostic } from './helpers';

const RULE = 'hygiene/trailing-whitespace';
const BASELINE = 'maintenance-team-baseline.json';

/** Runs the extension's own CLI bundle, as a user would from a terminal. */
async function cli(args: string[]): Promise<string> {
  const extension = vscode.extensions.getExtension('maintenance-team.maintenance-team');
  assert.ok(extension, 'the extension under test is installed');
  const { stdout } = await promisify(execFile)(process.execPath, [path.join(extension.extensionPath, 'dist', 'cli.js'), ...args],
    { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, timeout: 40_000 });
  return stdout;
}

async function setView(value: 'hint' | undefined): Promise<void> {
  const folder = vscode.workspace.workspaceFolders![0];
  await vscode.workspace.getConfiguration('maintenanceTeam', folder.uri).update('baseline', value, vscode.ConfigurationTarget.WorkspaceFolder);
}

suite('The baseline in the editor', () => {
  const legacy = () => fixtureUri('src/baseline/legacy.ts');
  const baselineUri = () => fixtureUri(BASELINE);

  suiteSetup(async () => {
    await vscode.workspace.fs.writeFile(legacy(), Buffer.from('export const legacy = 1;   \n'));
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
    await waitForDiagnostic(legacy(), RULE);
  });

  suiteTeardown(async () => {
    await setView(undefined);
    await vscode.workspace.fs.delete(baselineUri()).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(legacy()).then(undefined, () => undefined);
  });

  test('a finding recorded by --baseline-write is hidden by default, shown as a hint with "hint"', async () => {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const out = await cli(['audit', path.join(root, 'src', 'baseline'), '--baseline-write', path.join(root, BASELINE), '--no-cache']);
    assert.match(out, /^1 finding in 1 file recorded in /);
    assert.match(await diskText(baselineUri()), /"src\/baseline\/legacy\.ts"/);
    // The file appeared: the folder is audited again with it, and the default hides what it holds.
    await waitForNoDiagnostic(legacy(), RULE);

    await setView('hint');
    const hint = await waitForDiagnostic(legacy(), RULE);
    assert.strictEqual(hint.severity, vscode.DiagnosticSeverity.Hint);
    assert.match(hint.message, /\(in the baseline\)$/);
    assert.strictEqual(codeOf(hint), RULE);

    // A new finding goes beyond the baseline: it shows at its own severity, the legacy one stays a hint.
    await vscode.workspace.fs.writeFile(legacy(), Buffer.from('export const legacy = 1;   \nexport const fresh = 2;  \n'));
    const both = await waitFor('the new finding beside the hint', () => {
      const found = ourDiagnostics(legacy()).filter((d) => codeOf(d) === RULE);
      return found.length === 2 && found;
    });
    assert.deepStrictEqual(both.map((d) => [d.range.start.line, d.severity === vscode.DiagnosticSeverity.Hint]).sort(),
      [[0, true], [1, false]]);

    await setView(undefined);
    await waitFor('only the new finding once hidden again', () => {
      const found = ourDiagnostics(legacy()).filter((d) => codeOf(d) === RULE);
      return found.length === 1 && found[0].range.start.line === 1;
    });
  });
});
