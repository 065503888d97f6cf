// "Maintenance: Export report" in the real extension host: after a workspace audit, the command given
// `{ format, target }` (which skips the quick pick and the save dialog) writes the report of that audit.
// The file export-report/fixable.ts lives in the test workspace only while this suite runs.
import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { diskText, fixtureUri, waitForDiagnostic } from './helpers';

const EXPORT_REPORT = 'maintenanceTeam.exportReport';
const FIXABLE = 'export-report/fixable.ts';
/** An unused import and trailing whitespace: two findings with fixes, on line 1 and line 2. */
const FIXABLE_TEXT = "import { readFileSync } from 'fs';\nexport const answer = 42;   \n";

/** The parts of a SARIF log these tests read. */
interface SarifRegion { startLine?: number; startColumn?: number; charOffset?: number }
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { rules: { id: string }[] } };
    results: {
      ruleId: string;
      locations: { physicalLocation: { artifactLocation: { uri: string } } }[];
      fixes?: { artifactChanges: { replacements: { deletedRegion: SarifRegion }[] }[] }[];
    }[];
  }[];
}

suite('Export report', () => {
  /** Outside the workspace, so no audit or watcher of the workspace sees the reports. */
  const outDir = vscode.Uri.file(path.join(os.tmpdir(), `maintenance-export-${process.pid}-${Date.now()}`));

  suiteSetup(async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'maintenance-team');
    assert.ok(ext, 'the extension under development is not loaded');
    await ext.activate();
    await vscode.workspace.fs.createDirectory(outDir);
    await vscode.workspace.fs.writeFile(fixtureUri(FIXABLE), Buffer.from(FIXABLE_TEXT));
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
    await waitForDiagnostic(fixtureUri(FIXABLE), 'imports/unused');
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(fixtureUri('export-report'), { recursive: true }).then(undefined, () => undefined);
    await vscode.workspace.fs.delete(outDir, { recursive: true }).then(undefined, () => undefined);
  });

  test('Markdown: the summary table and the fixture\'s findings', async () => {
    const target = vscode.Uri.joinPath(outDir, 'report.md');
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>(EXPORT_REPORT, { format: 'markdown', target });
    assert.strictEqual(written?.toString(), target.toString(), 'the command answers with the file it wrote');
    const text = await diskText(target);
    assert.match(text, /^# Maintenance report: /);
    assert.match(text, /## Summary\n\n\| Measure \| Value \|/);
    assert.match(text, /\| Files audited \| [1-9]\d* \|/);
    assert.match(text, /\| `syntax\/error` \|/, 'src/broken.ts\'s syntax error is among the findings by rule');
    assert.ok(text.includes('`src/broken.ts`'), `src/broken.ts is not among the worst files:\n${text}`);
    assert.ok(text.includes(`\`${FIXABLE}\``), `${FIXABLE} is not among the worst files:\n${text}`);
  });

  test('SARIF 2.1.0: results with known rules, fixes as line/column regions', async () => {
    const target = vscode.Uri.joinPath(outDir, 'report.sarif');
    await vscode.commands.executeCommand(EXPORT_REPORT, { format: 'sarif', target });
    const log = JSON.parse(await diskText(target)) as SarifLog;
    assert.strictEqual(log.version, '2.1.0');
    const [run] = log.runs;
    assert.ok(run.results.length > 0, 'no results');
    const rules = new Set(run.tool.driver.rules.map((r) => r.id));
    const unknown = run.results.map((r) => r.ruleId).filter((id) => !rules.has(id));
    assert.deepStrictEqual(unknown, [], 'every result\'s rule is in tool.driver.rules');
    assert.ok(run.results.some((r) => r.ruleId === 'syntax/error'), 'src/broken.ts\'s syntax error is reported');
    const unused = run.results.find((r) => r.ruleId === 'imports/unused'
      && r.locations[0]?.physicalLocation.artifactLocation.uri === FIXABLE);
    assert.ok(unused, `no imports/unused result on ${FIXABLE}`);
    const region = unused.fixes?.[0]?.artifactChanges[0]?.replacements[0]?.deletedRegion;
    assert.ok(region, 'the unused import\'s result carries its fix');
    // The file's text was passed along, so the fix is placed by line and column, not by offset.
    assert.strictEqual(region.startLine, 1, `fix region ${JSON.stringify(region)}`);
    assert.strictEqual(region.charOffset, undefined);
  });

  test('JSON and text: the same audit in the other formats', async () => {
    const json = vscode.Uri.joinPath(outDir, 'report.json');
    await vscode.commands.executeCommand(EXPORT_REPORT, { format: 'json', target: json });
    const report = JSON.parse(await diskText(json)) as { files: { path: string }[] };
    assert.ok(report.files.some((f) => f.path === FIXABLE), `${FIXABLE} is not in the JSON report`);
    const txt = vscode.Uri.joinPath(outDir, 'report.txt');
    await vscode.commands.executeCommand(EXPORT_REPORT, { format: 'text', target: txt });
    assert.match(await diskText(txt), /^src\/broken\.ts:\d+:\d+ .*syntax\/error/m);
  });
});
