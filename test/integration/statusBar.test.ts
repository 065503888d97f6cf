// Issue 19 #8 in the real extension host: the status-bar item shows the workspace grade (not VS Code's own problem
// counts) with a plain accessible label, counts the skipped files, and "Show skipped files" lists them with their
// reasons and opens the one picked.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { fixtureUri, waitFor } from './helpers';

/** What src/vscode/statusBar.ts shows (its `StatusView`), read through the internal command. */
interface StatusView {
  readonly text: string;
  readonly accessibleLabel: string;
  readonly tooltipLines: readonly string[];
  readonly linkSkipped: boolean;
}
interface SkippedItem {
  readonly label: string;
  readonly description: string;
}

const status = () => vscode.commands.executeCommand<StatusView>('maintenanceTeam.statusState');
const MINIFIED = 'src/skipped/a-min.js';
const BINARY = 'src/skipped/blob.ts';

suite('#8 the status bar and the skipped files', () => {
  suiteSetup(async () => {
    await vscode.workspace.fs.writeFile(fixtureUri(MINIFIED), Buffer.from(`var a=${'1+'.repeat(1500)}1;\n`));
    await vscode.workspace.fs.writeFile(fixtureUri(BINARY), Buffer.from([0x65, 0x78, 0, 0, 0x70, 0x0a]));
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(fixtureUri('src/skipped'), { recursive: true }).then(undefined, () => undefined);
  });

  test('#8 shows the grade, score and skipped files; its accessible label is plain text', async () => {
    const summary = await vscode.commands.executeCommand<{ cancelled: boolean }>('maintenanceTeam.runAudit');
    assert.ok(summary && !summary.cancelled);
    const view = await waitFor('the status bar to show the grade', async () => {
      const v = await status();
      return /^\$\(checklist\) [A-F] \d+\b/.test(v?.text ?? '') && v;
    });
    assert.doesNotMatch(view.text, /\$\((error|warning|info)\)/, 'problem counts are VS Code\'s own');
    const skipped = /\$\(eye-closed\) (\d+)/.exec(view.text);
    assert.ok(skipped && Number(skipped[1]) >= 2, view.text);
    assert.match(view.accessibleLabel, /^Maintenance Team: workspace grade [A-F], score \d+ of 100;( .*;)? \d+ files skipped/);
    assert.doesNotMatch(view.accessibleLabel, /&nbsp;|\]\(|\$\(/);
    assert.strictEqual(view.linkSkipped, true);
  });

  test('#8 "Show skipped files" lists them with their reasons and opens the one picked', async () => {
    const shown = vscode.commands.executeCommand<readonly SkippedItem[]>('maintenanceTeam.showSkipped');
    // The quick pick waits for a choice: accept its first item (the minified file, sorted first), as Enter would.
    let items: readonly SkippedItem[] | undefined;
    void shown.then((i) => { items = i; });
    await waitFor('the pick to be made', async () => {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      return items !== undefined;
    });
    const byPath = new Map(items!.map((i) => [i.label.replace(/^\$\(\w+\) /, ''), i.description]));
    assert.match(byPath.get(MINIFIED) ?? '', /^minified/, JSON.stringify([...byPath]));
    assert.match(byPath.get(BINARY) ?? '', /^binary/, JSON.stringify([...byPath]));
    await waitFor('the minified file to open', () =>
      vscode.window.activeTextEditor?.document.uri.toString() === fixtureUri(MINIFIED).toString());
  });
});
