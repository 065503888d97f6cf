import * as vscode from 'vscode';
import { canSuppress, disableForFileEdit, disableForLineEdit } from '../core/suppress/suppressEdits';
import type { TextEdit } from '../core/model';
import { ruleOf } from './findingStore';

/**
 * "Disable <rule> for this line" and "Disable <rule> for this file" for each of our diagnostics in the request:
 * a suppression comment computed by the engine's pure edits (src/core/suppress/suppressEdits.ts) from the document's
 * current text. None for an engine rule (`maintenance/*`) or a file type without a comment syntax. Quick fixes,
 * never preferred: the lightbulb's first choice stays the real fix.
 */
export function suppressActions(document: vscode.TextDocument, diagnostics: readonly vscode.Diagnostic[]): vscode.CodeAction[] {
  const path = document.uri.path;
  const ours = diagnostics.flatMap((diagnostic) => {
    const rule = ruleOf(diagnostic);
    return rule && canSuppress(path, rule) ? [{ diagnostic, rule }] : [];
  });
  if (ours.length === 0) return [];
  const text = document.getText();
  const actions: vscode.CodeAction[] = [];
  const offered = new Set<string>();
  for (const { diagnostic, rule } of ours) {
    const line = diagnostic.range.start.line + 1;
    const lineKey = `line\u0000${rule}\u0000${line}`;
    if (!offered.has(lineKey)) {
      offered.add(lineKey);
      const edit = disableForLineEdit(path, text, line, rule);
      if (edit) actions.push(action(document, `Disable ${rule} for this line`, edit, diagnostic));
    }
    const fileKey = `file\u0000${rule}`;
    if (!offered.has(fileKey)) {
      offered.add(fileKey);
      const edit = disableForFileEdit(path, text, rule);
      if (edit) actions.push(action(document, `Disable ${rule} for this file`, edit, diagnostic));
    }
  }
  return actions;
}

function action(document: vscode.TextDocument, title: string, edit: TextEdit, diagnostic: vscode.Diagnostic): vscode.CodeAction {
  const result = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
  result.edit = new vscode.WorkspaceEdit();
  result.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.newText);
  result.diagnostics = [diagnostic];
  result.isPreferred = false;
  return result;
}
