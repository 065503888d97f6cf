// Rule pages in the editor (issue 21, item 4): every diagnostic links its rule's page at the version's tag
// (`codeDescription`), and "Show documentation for <rule>" opens the page shipped in the extension in VS Code's
// Markdown preview, offline.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeActions, fixtureUri, waitFor, waitForCodeAction, waitForDiagnostic } from './helpers';

interface PackageJson {
  readonly version: string;
  readonly repository: { readonly url: string };
}

function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.all.find((e) => e.packageJSON?.name === 'maintenance-team');
  assert.ok(ext, 'the extension under development is not loaded (check extensionDevelopmentPath)');
  return ext;
}

/** The page's address the diagnostics must carry: package.json's repository, at the version's tag. */
function pageUrl(rule: string): string {
  const pkg = extension().packageJSON as PackageJson;
  return `${pkg.repository.url}/blob/v${pkg.version}/docs/rules/${rule}.md`;
}

function targetOf(d: vscode.Diagnostic): string | undefined {
  return typeof d.code === 'object' ? d.code.target.toString(true) : undefined;
}

/** The open Markdown preview tabs (webview editors of the built-in Markdown extension). */
function previewTabs(): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(tab.input.viewType));
}

/** A file of this suite's own: the fixture's src/unusedImport.ts is fixed by an earlier suite (the workspace is shared). */
const unusedUri = () => fixtureUri('src/rule-docs/unused.ts');

suite('Rule documentation in the extension host', () => {
  suiteSetup(async () => {
    await extension().activate();
    await vscode.workspace.fs.writeFile(unusedUri(),
      Buffer.from("import { existsSync, readFileSync } from 'node:fs';\n\nexport const here = existsSync('.');\n"));
    await vscode.commands.executeCommand('maintenanceTeam.runAudit');
  });

  suiteTeardown(async () => {
    await vscode.workspace.fs.delete(fixtureUri('src/rule-docs'), { recursive: true }).then(undefined, () => undefined);
  });

  test('diagnostics link their rule\'s page at the version\'s tag (codeDescription)', async () => {
    const unused = await waitForDiagnostic(unusedUri(), 'imports/unused');
    assert.strictEqual(targetOf(unused), pageUrl('imports/unused'));
    const syntax = await waitForDiagnostic(fixtureUri('src/broken.ts'), 'syntax/error');
    assert.strictEqual(targetOf(syntax), pageUrl('syntax/error'));
  });

  test('"Show documentation" is offered on a finding without a fix, and opens the bundled page in the Markdown preview', async () => {
    const uri = fixtureUri('src/broken.ts');
    const d = await waitForDiagnostic(uri, 'syntax/error');
    const action = await waitForCodeAction(uri, d.range, vscode.CodeActionKind.QuickFix,
      'a "Show documentation for syntax/error" action', (a) => a.title === 'Show documentation for syntax/error');
    assert.ok(action.command, 'the action runs a command');
    for (const tab of previewTabs()) await vscode.window.tabGroups.close(tab);
    const page = await vscode.commands.executeCommand<vscode.Uri>(action.command.command, ...(action.command.arguments ?? []));
    // The page shipped inside the extension, not the repository's: it opens offline and matches the installed version.
    assert.strictEqual(page.toString(), vscode.Uri.joinPath(extension().extensionUri, 'docs', 'rules', 'syntax', 'error.md').toString());
    await vscode.workspace.fs.stat(page);
    const tab = await waitFor('a Markdown preview tab of error.md', () => previewTabs().find((t) => /error\.md/.test(t.label)));
    await vscode.window.tabGroups.close(tab);
  });

  test('"Show documentation" comes after the fixes of a fixable finding', async () => {
    const uri = unusedUri();
    const d = await waitForDiagnostic(uri, 'imports/unused');
    await waitForCodeAction(uri, d.range, vscode.CodeActionKind.QuickFix, 'the documentation action',
      (a) => a.title === 'Show documentation for imports/unused');
    const titles = (await codeActions(uri, d.range, vscode.CodeActionKind.QuickFix)).map((a) => a.title);
    const fix = titles.findIndex((t) => t.startsWith('Remove unused import'));
    const docs = titles.indexOf('Show documentation for imports/unused');
    assert.ok(fix >= 0 && docs > fix, JSON.stringify(titles));
  });
});
