import * as vscode from 'vscode';
import { diffHunks } from '../fixes/fixHunks';
import { hasFix, type Finding } from '../core/model';
import { FIX_ALL_KIND_SUFFIX } from './constants';
import type { EngineClient } from './engineClient';
import { diagnosticKey, ruleOf, type FindingStore } from './findingStore';
import { ruleDocsActions } from './ruleDocsAction';
import type { SaveBursts } from './saveBurst';
import { suppressActions } from './suppressActions';
import { relativePath } from './workspaceAudit';

/** `source.fixAll.maintenanceTeam`. */
export const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append(FIX_ALL_KIND_SUFFIX);

/**
 * Quick fixes for our diagnostics: the single fix (computed while diagnosing, only looked up here),
 * all fixes of that rule in the file, all fixes in the file, and the `source.fixAll` kind used by
 * `editor.codeActionsOnSave`. Bulk fixes are computed by the engine worker, which re-parses the result
 * and drops any fix that would break it. Quick fixes are not offered for a document that changed since its
 * audit; `source.fixAll` asks the worker, which audits the text being saved and applies only what the save
 * policy (src/fixes/savePolicy.ts) allows given the cursors and the editing burst.
 */
export class MaintenanceCodeActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix, FIX_ALL_KIND],
  };

  /** Bulk-fix results per document version (see `fixedText`). */
  private fixed = new WeakMap<vscode.TextDocument, { version: number; byRules: Map<string, Promise<string | undefined>> }>();

  /** `fixOnSave` says whether saves may be fixed now (not in Restricted Mode: src/core/trust/workspaceTrust.ts). */
  constructor(
    private readonly store: FindingStore, private readonly engine: EngineClient, private readonly bursts: SaveBursts,
    private readonly fixOnSave: () => boolean = () => true,
  ) {}

  /** Drops the bulk fixes computed so far (the configuration changed: a rule may be off now). */
  forgetComputedFixes(): void {
    this.fixed = new WeakMap();
  }

  async provideCodeActions(
    document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext, token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const entry = this.store.current(document);
    const fixable = entry?.result.findings.filter(hasFix) ?? [];
    // `only` is `source.fixAll` (or this very kind) when saving with `editor.codeActionsOnSave` (an automatic
    // request: the save policy decides) or when the user asks for it (Source Action…, Fix All: every fix applies).
    if (context.only?.contains(FIX_ALL_KIND)) {
      const automatic = context.triggerKind === vscode.CodeActionTriggerKind.Automatic;
      if (automatic && !this.fixOnSave()) return [];
      const action = automatic
        ? await this.saveFix(document, token)
        : fixable.length > 0 ? await this.bulkFix(document, 'Fix all maintenance problems', FIX_ALL_KIND, undefined, token) : undefined;
      return action ? [action] : [];
    }
    if (context.only && !context.only.contains(vscode.CodeActionKind.QuickFix)) return [];
    const fixes = entry && fixable.length > 0 ? await this.quickFixes(document, context, entry.byKey, fixable, token) : [];
    // After the fixes: disabling a rule is the fallback, never the lightbulb's first choice; every finding, fixable
    // or not, then offers its rule's page.
    return [...fixes, ...suppressActions(document, context.diagnostics), ...ruleDocsActions(context.diagnostics)];
  }

  private async quickFixes(
    document: vscode.TextDocument, context: vscode.CodeActionContext, byKey: ReadonlyMap<string, Finding>,
    fixable: readonly Finding[], token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction[]> {
    const actions: vscode.CodeAction[] = [];
    const rules = new Set<string>();
    const fromEngine = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      const rule = ruleOf(diagnostic);
      const finding = rule ? byKey.get(diagnosticKey(rule, diagnostic.range)) : undefined;
      if (!finding || !hasFix(finding)) continue;
      if (!finding.fix) {
        // Served by the cache, which never holds fixes: the engine computes this rule's from the current text.
        if (rules.has(finding.rule) || fromEngine.has(finding.rule)) continue;
        fromEngine.add(finding.rule);
        const own = await this.bulkFix(document, `Fix all '${finding.rule}' problems in this file`, vscode.CodeActionKind.QuickFix, [finding.rule], token);
        if (own) actions.push(own);
        continue;
      }
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
      if (fromEngine.has(rule) || fixable.filter((f) => f.rule === rule).length < 2) continue;
      const bulk = await this.bulkFix(document, `Fix all '${rule}' problems in this file`, vscode.CodeActionKind.QuickFix, [rule], token);
      if (bulk) actions.push(bulk);
    }
    if (actions.length > 0 && fixable.length > 1) {
      const all = await this.bulkFix(document, 'Fix all maintenance problems in this file', vscode.CodeActionKind.QuickFix, undefined, token);
      if (all) actions.push(all);
    }
    return actions;
  }

  /**
   * `source.fixAll.maintenanceTeam`: the fixes the save policy allows. A document audited as it is with nothing
   * fixable costs nothing; one edited since its audit (saved right after typing) is audited by the worker.
   */
  private async saveFix(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.CodeAction | undefined> {
    const entry = this.store.current(document);
    if (entry && !entry.result.findings.some(hasFix)) return undefined;
    if (!entry && !this.store.has(document.uri)) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (!folder) return undefined;
    const version = document.version;
    const text = document.getText();
    const fixed = await this.engine.fixText(folder.uri.fsPath, relativePath(folder, document.uri), text, {
      onSave: this.bursts.guardFor(document),
    }).then((m) => m.text, () => undefined);
    if (fixed === undefined || fixed === text || document.version !== version || token.isCancellationRequested) return undefined;
    return editAction(document, 'Fix all maintenance problems', FIX_ALL_KIND, text, fixed);
  }

  private async bulkFix(
    document: vscode.TextDocument, title: string, kind: vscode.CodeActionKind, rules: readonly string[] | undefined,
    token: vscode.CancellationToken,
  ): Promise<vscode.CodeAction | undefined> {
    const version = document.version;
    const text = document.getText();
    const fixed = await this.fixedText(document, text, rules);
    if (fixed === undefined || fixed === text || document.version !== version || token.isCancellationRequested) return undefined;
    return editAction(document, title, kind, text, fixed);
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
      pending = this.engine.fixText(folder.uri.fsPath, relativePath(folder, document.uri), text, { rules }).then((m) => m.text, () => {
        memo.byRules.delete(key);
        return undefined;
      });
      memo.byRules.set(key, pending);
    }
    return pending;
  }
}

/** An action turning `text` (the document's) into `fixed`, one edit per changed spot so untouched lines stay put. */
function editAction(
  document: vscode.TextDocument, title: string, kind: vscode.CodeActionKind, text: string, fixed: string,
): vscode.CodeAction {
  const action = new vscode.CodeAction(title, kind);
  action.edit = new vscode.WorkspaceEdit();
  for (const edit of diffHunks(text, fixed)) {
    action.edit.replace(document.uri, new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end)), edit.newText);
  }
  return action;
}
