import * as vscode from 'vscode';
import { rulePagePath, ruleDocsUrl } from '../reports/rulePages';
import { COMMANDS } from './constants';
import { ruleOf } from './findingStore';

/**
 * "Show documentation for <rule>" on each of our diagnostics in the request, one per rule: it opens the rule's
 * page shipped inside the extension (docs/rules/, listed in .vscodeignore), so it works offline and matches the
 * installed version, unlike the diagnostic's link to the repository.
 */
export function ruleDocsActions(diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
  const actions = new Map<string, vscode.CodeAction>();
  for (const diagnostic of diagnostics) {
    const rule = ruleOf(diagnostic);
    if (rule === undefined || actions.has(rule) || ruleDocsUrl(rule) === undefined) continue;
    const action = new vscode.CodeAction(`Show documentation for ${rule}`, vscode.CodeActionKind.QuickFix);
    action.command = { command: COMMANDS.showRuleDocs, title: action.title, arguments: [rule] };
    action.diagnostics = [diagnostic];
    actions.set(rule, action);
  }
  return [...actions.values()];
}

/**
 * The command behind the action: the bundled page in VS Code's Markdown preview (its links to other pages are
 * relative, so they open in the preview too), or as text when the built-in Markdown extension is disabled.
 */
export function registerRuleDocs(extensionUri: vscode.Uri): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.showRuleDocs, async (rule: unknown) => {
    const path = typeof rule === 'string' ? rulePagePath(rule) : undefined;
    if (path === undefined) return undefined;
    const page = vscode.Uri.joinPath(extensionUri, path);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', page);
    } catch {
      await vscode.window.showTextDocument(page, { preview: true });
    }
    return page;
  });
}
