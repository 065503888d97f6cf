// "Maintenance: Fix all in workspace" in the real extension host: one workspace edit with a confirmation on every
// change (the refactor preview), applied, undone, and a file changed since the audit left alone and named.
// The files come from test/fixtures/fixAll and live under fix-all/ in the test workspace only while this suite runs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { fixtureUri, waitFor, waitForDiagnostic } from './helpers';

const FIX_WORKSPACE = 'maintenanceTeam.fixWorkspace';
/** test/fixtures/fixAll, from out/test/integration. */
const SOURCE_DIR = path.resolve(__dirname, '..', '..', '..', 'test', 'fixtures', 'fixAll');
const FILES = ['a.ts', 'b.ts', 'c.ts', 'icon.html', 'undo/d.ts'];

/** The extension's answer (src/vscode/fixWorkspace.ts `FixWorkspaceOutcome`), as far as these tests read it. */
interface Outcome {
  fixed: string[];
  skipped: string[];
  failed: { path: string; message: string }[];
  applied: boolean;
  appliedCount?: { offered: number; applied: number; appliedFiles: number; unknownFiles: number };
  cancelled: boolean;
  edit: vscode.WorkspaceEdit;
}

/** The fixture's text of `file`. */
function original(file: string): string {
  return fs.readFileSync(path.join(SOURCE_DIR, file), 'utf8');
}

async function textOf(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

/** Saves the fixed documents left unsaved, so closing their editors asks nothing and the disk is what counts. */
async function saveFixedDocuments(): Promise<void> {
  for (const doc of vscode.workspace.textDocuments.filter((d) => d.uri.path.includes('/fix-all/') && d.isDirty)) {
    assert.ok(await doc.save(), `saving ${doc.uri.path} failed`);
  }
}

/** Copies the fixture files into fix-all/ (as they are in the fixture) and audits the workspace. */
async function resetAndAudit(): Promise<void> {
  await saveFixedDocuments();
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  for (const file of FILES) await vscode.workspace.fs.writeFile(fixtureUri(`fix-all/${file}`), Buffer.from(original(file)));
  for (const file of FILES) {
    const uri = fixtureUri(`fix-all/${file}`);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) await waitFor(`the open ${file} to reload from disk`, () => open.getText() === original(file));
  }
  await vscode.commands.executeCommand('maintenanceTeam.runAudit');
  await waitForDiagnostic(fixtureUri('fix-all/a.ts'), 'imports/unused');
  await waitForDiagnostic(fixtureUri('fix-all/b.ts'), 'hygiene/consecutive-blank-lines');
  await waitForDiagnostic(fixtureUri('fix-all/c.ts'), 'hygiene/trailing-whitespace');
  await waitForDiagnostic(fixtureUri('fix-all/icon.html'), 'hygiene/mixed-indentation');
}

function fixAll(options: Record<string, unknown>): Thenable<Outcome | undefined> {
  return vscode.commands.executeCommand<Outcome | undefined>(FIX_WORKSPACE, options);
}

type Entry = { uri: vscode.Uri; metadata?: vscode.WorkspaceEditEntryMetadata };

/**
 * The entries of a workspace edit with their metadata. The API gives no way to read metadata back; the extension
 * host's WorkspaceEdit keeps its entries in one private array (its name is minified in release builds).
 */
function entriesWithMetadata(edit: vscode.WorkspaceEdit): Entry[] {
  const arrays = Object.values(edit as unknown as Record<string, unknown>).filter((v): v is Entry[] => Array.isArray(v));
  assert.strictEqual(arrays.length, 1, 'the WorkspaceEdit implementation no longer keeps its entries in one array');
  assert.strictEqual(arrays[0].length, edit.entries().reduce((n, [, edits]) => n + edits.length, 0), 'entries and text edits differ');
  return arrays[0];
}

suite('Fix all in workspace', () => {
  const folder = () => fixtureUri('fix-all');

  suiteSetup(async () => {
    const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'maintenance-team');
    await ext?.activate();
  });

  suiteTeardown(async () => {
    await saveFixedDocuments();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(folder(), { recursive: true }).then(undefined, () => undefined);
  });

  test('#10 builds one edit, each change labelled by its rule; those removing code ask for confirmation, layout in HTML does not', async () => {
    await resetAndAudit();
    const outcome = await fixAll({ under: folder(), apply: false });
    assert.ok(outcome, 'the command returned nothing');
    assert.deepStrictEqual([...outcome.fixed].sort(),
      ['fix-all/a.ts', 'fix-all/b.ts', 'fix-all/c.ts', 'fix-all/icon.html', 'fix-all/undo/d.ts']);
    assert.strictEqual(outcome.applied, false);
    const entries = entriesWithMetadata(outcome.edit);
    assert.ok(entries.length >= 7, `expected an entry per change, got ${entries.length}`);
    const confirmed = entries.filter((e) => e.metadata?.needsConfirmation).map((e) => `${e.uri.path.replace(/.*\/fix-all\//, '')} ${e.metadata?.label}`);
    assert.deepStrictEqual(confirmed, ['a.ts imports/unused: Import never used'],
      'only the import removal needs confirmation (starts unticked); the HTML\'s indentation is layout');
    const html = entries.filter((e) => e.uri.path.endsWith('/icon.html')).map((e) => e.metadata?.label);
    assert.deepStrictEqual(html, ['hygiene/mixed-indentation: Indentation mixes tabs and spaces']);
    // Groups are titled by rule: the same label and description for every change of a rule, no fix's title.
    const byLabel = new Map<string, Set<string>>();
    for (const e of entries) byLabel.set(e.metadata?.label ?? '', (byLabel.get(e.metadata?.label ?? '') ?? new Set()).add(e.metadata?.description ?? ''));
    for (const [label, descriptions] of byLabel) assert.strictEqual(descriptions.size, 1, `${label}: ${[...descriptions].join(' | ')}`);
    assert.ok(![...byLabel.keys()].some((l) => /Remove unused import|Indent with/.test(l)), JSON.stringify([...byLabel.keys()]));
    for (const rule of ['imports/unused', 'hygiene/trailing-whitespace', 'hygiene/consecutive-blank-lines', 'hygiene/final-newline']) {
      // One rule: "rule: what it is about"; a change several rules made: "rule + rule".
      assert.ok([...byLabel.keys()].some((l) => l.startsWith(`${rule}: `) || l.split(' + ').includes(rule)),
        `no entry labelled ${rule}: ${JSON.stringify([...byLabel.keys()])}`);
    }
    assert.strictEqual(await textOf(fixtureUri('fix-all/a.ts')), original('a.ts'), 'building the edit changed a file');

    // Confirming everything: every change starts unticked in the preview.
    const settings = vscode.workspace.getConfiguration('maintenanceTeam');
    await settings.update('fixWorkspace.confirm', 'everything', vscode.ConfigurationTarget.Workspace);
    try {
      const all = await fixAll({ under: folder(), apply: false });
      const unconfirmed = entriesWithMetadata(all!.edit).filter((e) => e.metadata?.needsConfirmation !== true);
      assert.deepStrictEqual(unconfirmed.map((e) => e.uri.path), []);
    } finally {
      await settings.update('fixWorkspace.confirm', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  test('applies every validated fix, and skips and names a file changed since the audit', async () => {
    await resetAndAudit();
    const changed = `${original('c.ts')}export const added = 'after the audit';  \n`;
    // Written right before the command: the follower's re-audit of c.ts (debounced) cannot have run yet.
    await vscode.workspace.fs.writeFile(fixtureUri('fix-all/c.ts'), Buffer.from(changed));
    const outcome = await fixAll({ under: folder(), preview: false });
    assert.ok(outcome);
    assert.deepStrictEqual(outcome.skipped, ['fix-all/c.ts']);
    assert.deepStrictEqual([...outcome.fixed].sort(), ['fix-all/a.ts', 'fix-all/b.ts', 'fix-all/icon.html', 'fix-all/undo/d.ts']);
    assert.strictEqual(outcome.applied, true);
    assert.strictEqual(outcome.appliedCount?.applied, outcome.appliedCount?.offered, JSON.stringify(outcome.appliedCount));
    assert.strictEqual(await textOf(fixtureUri('fix-all/a.ts')), "import { existsSync } from 'fs';\nexport const here = existsSync('.');\n");
    assert.strictEqual(await textOf(fixtureUri('fix-all/b.ts')), 'export const one = 1;\n\n\nexport const two = 2;\n');
    assert.strictEqual(await textOf(fixtureUri('fix-all/c.ts')), changed, 'the file changed since the audit was edited');
  });

  test('undo in the editor restores the fixed file', async () => {
    await resetAndAudit();
    const uri = fixtureUri('fix-all/undo/d.ts');
    await vscode.window.showTextDocument(uri);
    // Only d.ts: an edit of a single file undoes in its editor without asking about the other files.
    const outcome = await fixAll({ under: fixtureUri('fix-all/undo'), preview: false });
    assert.ok(outcome?.applied);
    assert.strictEqual(await textOf(uri), 'export const four = 4;\nexport const five = 5;\n');
    await vscode.commands.executeCommand('undo');
    await waitFor('undo to restore d.ts', async () => (await textOf(uri)) === original('undo/d.ts'));
    await vscode.commands.executeCommand('redo');
    await waitFor('redo to fix d.ts again', async () => (await textOf(uri)) === 'export const four = 4;\nexport const five = 5;\n');
  });

  test('#10 the refactor preview opens, changes nothing until applied, applies the ticked changes only, and says so', async () => {
    await resetAndAudit();
    const uri = fixtureUri('fix-all/a.ts');
    let settled = false;
    const running = fixAll({ under: uri }).then((outcome) => {
      settled = true;
      return outcome;
    });
    // The refactor preview waits for the user: the file keeps its text until "Apply" is pressed.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    assert.strictEqual(settled, false, 'the command finished without waiting for the preview');
    assert.strictEqual(await textOf(uri), original('a.ts'));
    await waitFor('the preview to be applied', async () => {
      await vscode.commands.executeCommand('refactorPreview.apply');
      return settled;
    });
    const outcome = await running;
    // The whitespace fix was ticked; removing the import needs confirmation and was left unticked.
    assert.strictEqual(await textOf(uri), "import { readFileSync, existsSync } from 'fs';\nexport const here = existsSync('.');\n");
    assert.strictEqual(outcome?.applied, true, JSON.stringify(outcome));
    // What was really applied: the ticked whitespace fix, not the unticked removal.
    assert.deepStrictEqual(outcome?.appliedCount, { offered: 2, offeredFiles: 1, applied: 1, appliedFiles: 1, unknownFiles: 0 });
  });
});
