import * as vscode from 'vscode';
import type { Finding } from '../core/model';
import { FIX_ALL_KIND_SUFFIX } from './constants';
import type { EngineClient } from './engineClient';
import { diagnosticKey, ruleOf, type FindingStore } from './findingStore';
import { relativePath } from './workspaceAudit';

/** `source.fixAll.maintenanceTeam`. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append(FIX_ALL_KIND_SUFFIX);

/**
 * Quick fixes for our diagnostics: the single fix (computed while diagnosing, only looked up here),
 * all fixes of that rule in the file, all fixes in the file, and the `source.fixAll` kind used by
 * `editor.codeActionsOnSave`. Bulk fixes are computed by the engine worker, which re-parses the result
 * and drops any fix that would break it. Nothing is offered for a document that changed since its audit.
 */
export class MaintenanceCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  /** Bulk-fix results per document version (see `fixedText`). */
  private fixed = new WeakMap<vscode.TextDocument, { version: number; byRules: Map<string, Promise<string | undefined>> }>();

  constructor(private readonly store: FindingStore, private readonly engine: EngineClient) {}

  /** Drops the bulk fixes computed so far (the configuration changed: a rule may be off now). */
  forgetComputedFixes(): void {
    this.fixed = new WeakMap();
  }

  async provideCodeActions(
    document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const entry = this.store.current(document);
    if (!entry) return [];
    const fixable = entry.result.findings.filter((f) => f.fix);
    if (fixable.length === 0) return [];
    // `only` is `source.fixAll` (or this very kind) when saving with `editor.codeActionsOnSave`.
    if (context.only?.contains(FIX_ALL_KIND)) {
      const action = await this.bulkFix(document, 'Fix all maintenance problems', FIX_ALL_KIND, undefined, token);
      return action ? [action] : [];
    }
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    return this.quickFixes(document, context, entry.byKey, fixable, token);
  }

  private async quickFixes(
    document: vscode.TextDocument, context: vscode.CodeActionContext, byKey: ReadonlyMap<string, Finding>,
    fixable: readonly Finding[], token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const rules = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      const rule = ruleOf(diagnostic);
      const finding = rule ? byKey.get(diagnosticKey(rule, diagnostic.range)) : undefined;
      if (!finding?.fix) continue;
      const action = new vscode.CodeAction(finding.fix.title, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      for (const edit of finding.fix.edits) {
        action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.newText);
      }
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
      rules.add(finding.rule);
    }
    for (const rule of rules) {
      if (fixable.filter((f) => f.rule === rule).length < 2) continue;
      const bulk = await this.bulkFix(document, `Fix all '${rule}' problems in this file`, vscode.CodeActionKind.QuickFix, [rule], token);
      if (bulk) actions.push(bulk);
    }
    if (actions.length > 0 && fixable.length > 1) {
      const all = await this.bulkFix(document, 'Fix all maintenance problems in this file', vscode.CodeActionKind.QuickFix, undefined, token);
      if (all) actions.push(all);
    }
    return actions;
  }

  private async bulkFix(
    document: vscode.TextDocument, title: string, kind: vscode.CodeActionKind, rules: readonly string[] | undefined,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction | undefined> {
    const version = document.version;
    const text = document.getText();
    const fixed = await this.fixedText(document, text, rules);
    if (fixed === undefined || fixed === text || document.version !== version || token.isCancellationRequested) return undefined;
    const action = new vscode.CodeAction(title, kind);
    action.edit = new vscode.WorkspaceEdit();
    const edit = minimalEdit(text, fixed);
    action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.newText);
    return action;
  }

  /**
   * The engine's validated fixed text for this document version, computed once per version and rule set:
   * the lightbulb asks again on every cursor move, and the answer only changes with the text.
   */
  private fixedText(document: vscode.TextDocument, text: string, rules: readonly string[] | undefined): Promise<string | undefined> {
    let memo = this.fixed.get(document);
    if (memo?.version !== document.version) {
      memo = { version: document.version, byRules: new Map() };
      this.fixed.set(document, memo);
    }
    const key = rules?.join('\u0000') ?? '*';
    let pending = memo.byRules.get(key);
    if (!pending) {
      const folder = vscode.workspace.getWorkspaceFolder(document.uri);
      if (!folder) return Promise.resolve(undefined);
      pending = this.engine.fixText(folder.uri.fsPath, relativePath(folder, document.uri), text, rules).then((m) => m.text, () => {
        memo.byRules.delete(key);
        return undefined;
      });
      memo.byRules.set(key, pending);
    }
    return pending;
  }
}

/** One replacement turning `before` into `after`, trimmed to what differs (keeps cursors and folding stable). */
export function minimalEdit(before: string, after: string): { start: number; end: number; newText: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  // Never cut a CRLF pair or a surrogate pair in two: positions inside them are not real positions.
  while (start > 0 && (before[start - 1] === '\r' || isHighSurrogate(before.charCodeAt(start - 1)))) start--;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  while (tail > 0 && (before[before.length - tail] === '\n' || isLowSurrogate(before.charCodeAt(before.length - tail)))) tail--;
  return { start, end: before.length - tail, newText: after.slice(start, after.length - tail) };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
