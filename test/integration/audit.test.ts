// End-to-end behaviour of the extension in a real extension host, on the fixture workspace
// test/fixtures/workspace (a temp copy of it; the runner opens it as the only workspace folder).
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  applyAndSave, codeOf, diskText, fixtureUri, ourDiagnostics, waitForCodeAction, waitForDiagnostic, waitForNoDiagnostic,
} from './helpers';

const RUN_AUDIT = 'maintenanceTeam.runAudit';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('maintenanceTeam');
const TRAILING_WHITESPACE = /[ \t]+$/m;

/** Range of the first occurrence of `word` in `text`. */
function rangeOf(text: string, word: string): vscode.Range {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(word));
  assert.ok(line >= 0, `"${word}" not found`);
  const col = lines[line].indexOf(word);
  return new vscode.Range(line, col, line, col + word.length);
}

function isOpen(uri: vscode.Uri): boolean {
  return vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
}

suite('Maintenance Team in the extension host', () => {
  suiteSetup(async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'maintenance-team');
    assert.ok(ext, 'the extension under development is not loaded (check extensionDevelopmentPath)');
    // Activating explicitly turns a missing dist/extension.js or a throwing activate() into a clear failure here.
    await ext.activate();
    // Resolves when the whole-workspace audit is done.
    await vscode.commands.executeCommand(RUN_AUDIT);
  });

  test('reports an unused import in a file that was never opened', async () => {
    const uri = fixtureUri('src/unusedImport.ts');
    // The point of the whole-workspace audit: results for files the user has not opened.
    assert.ok(!isOpen(uri), 'src/unusedImport.ts must not have been opened before its diagnostics are checked');
    const d = await waitForDiagnostic(uri, 'imports/unused');
    const text = await diskText(uri);
    assert.strictEqual(d.range.start.line, 0, 'the diagnostic should be on the import line');
    assert.ok(d.range.contains(rangeOf(text, 'readFileSync')), `range ${JSON.stringify(d.range)} should cover readFileSync`);
    const used = rangeOf(text, 'existsSync');
    const wrong = ourDiagnostics(uri).filter((x) => codeOf(x) === 'imports/unused' && x.range.contains(used));
    assert.deepStrictEqual(wrong, [], 'the used import existsSync must not be reported');
  });

  test('reports a syntax error', async () => {
    await waitForDiagnostic(fixtureUri('src/broken.ts'), 'syntax/error');
  });

  test('reports nothing on a clean file', async () => {
    // Wait until the audit's results are visible for files with problems, so "none" on the clean one means something.
    await waitForDiagnostic(fixtureUri('src/unusedImport.ts'), 'imports/unused');
    await waitForDiagnostic(fixtureUri('src/broken.ts'), 'syntax/error');
    const found = ourDiagnostics(fixtureUri('src/clean.ts')).map((d) => `${codeOf(d)}: ${d.message}`);
    assert.deepStrictEqual(found, []);
  });

  test('the "Remove unused import" quick fix removes only the unused name', async () => {
    const uri = fixtureUri('src/unusedImport.ts');
    const d = await waitForDiagnostic(uri, 'imports/unused');
    const fix = await waitForCodeAction(uri, d.range, vscode.CodeActionKind.QuickFix, 'a "Remove unused import" quick fix',
      (a) => a.title.startsWith('Remove unused import'));
    await applyAndSave(uri, fix);
    await waitForNoDiagnostic(uri, 'imports/unused');
    const text = await diskText(uri);
    assert.ok(!text.includes('readFileSync'), `readFileSync still there:\n${text}`);
    assert.ok(text.includes('existsSync'), `the used import was removed too:\n${text}`);
  });

  test('the "Remove trailing whitespace" quick fix cleans the line', async () => {
    const uri = fixtureUri('src/trailing.ts');
    const d = await waitForDiagnostic(uri, 'hygiene/trailing-whitespace');
    const fix = await waitForCodeAction(uri, d.range, vscode.CodeActionKind.QuickFix, 'a "Remove trailing whitespace" quick fix',
      (a) => a.title.startsWith('Remove trailing whitespace'));
    await applyAndSave(uri, fix);
    await waitForNoDiagnostic(uri, 'hygiene/trailing-whitespace');
    const text = await diskText(uri);
    assert.ok(!TRAILING_WHITESPACE.test(text), `trailing whitespace left:\n${JSON.stringify(text)}`);
    assert.ok(text.includes("export const greeting = 'hello';"), `the code itself changed:\n${text}`);
  });

  test(`a ${FIX_ALL_KIND.value} action fixes every fixable problem in the file`, async () => {
    const uri = fixtureUri('src/fixAll.ts');
    await waitForDiagnostic(uri, 'imports/unused');
    await waitForDiagnostic(uri, 'hygiene/trailing-whitespace');
    const doc = await vscode.workspace.openTextDocument(uri);
    const whole = new vscode.Range(0, 0, doc.lineCount, 0);
    const fixAll = await waitForCodeAction(uri, whole, FIX_ALL_KIND, `a ${FIX_ALL_KIND.value} action`,
      (a) => a.kind !== undefined && FIX_ALL_KIND.contains(a.kind));
    await applyAndSave(uri, fixAll);
    await waitForNoDiagnostic(uri, 'imports/unused');
    await waitForNoDiagnostic(uri, 'hygiene/trailing-whitespace');
    const text = await diskText(uri);
    assert.ok(!text.includes('readFileSync'), `readFileSync still there:\n${text}`);
    assert.ok(text.includes('existsSync'), `the used import was removed too:\n${text}`);
    assert.ok(!TRAILING_WHITESPACE.test(text), `trailing whitespace left:\n${JSON.stringify(text)}`);
  });
});
