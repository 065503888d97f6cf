import * as vscode from 'vscode';
import { MaintenanceCodeActions } from './vscode/codeActions';
import { COMMANDS, SETTINGS_SECTION } from './vscode/constants';
import { DocumentFollower } from './vscode/documentFollower';
import { EngineClient } from './vscode/engineClient';
import { FindingStore } from './vscode/findingStore';
import { createLogger } from './vscode/logger';
import { StatusBar } from './vscode/statusBar';
import { runWorkspaceAudit } from './vscode/workspaceAudit';

/** Builds the services and registers them; the engine worker starts on the first audit. */
export function activate(context: vscode.ExtensionContext): void {
  const log = createLogger(context.subscriptions);
  const engine = new EngineClient(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, log);
  const store = new FindingStore();
  const status = new StatusBar();
  const delayMs = () => vscode.workspace.getConfiguration(SETTINGS_SECTION).get<number>('auditOnEditDelayMs', 300);
  const follower = new DocumentFollower(engine, store, log, delayMs);
  context.subscriptions.push(
    { dispose: () => engine.dispose() }, store, status, follower,
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new MaintenanceCodeActions(store, engine),
      MaintenanceCodeActions.metadata),
    vscode.commands.registerCommand(COMMANDS.runAudit, () => runWorkspaceAudit(engine, store, status, log)),
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
    store.onDidChange(() => status.updateCounts(store.counts())),
  );
  follower.auditOpenDocuments();
}

/** Everything is disposed through `context.subscriptions`. */
export function deactivate(): void {}
