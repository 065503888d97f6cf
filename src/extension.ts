import * as vscode from 'vscode';
import { BaselineWatcher, baselineViewOf } from './vscode/baselineView';
import { BreakerRecovery } from './vscode/breakerRecovery';
import { MaintenanceCodeActions } from './vscode/codeActions';
import { ConfigService } from './vscode/configService';
import { COMMANDS, SETTINGS_SECTION } from './vscode/constants';
import { createConfigFile } from './vscode/createConfig';
import { DashboardFeed } from './vscode/dashboardFeed';
import { registerDashboard } from './vscode/dashboardPanel';
import { DocumentFollower } from './vscode/documentFollower';
import { FolderAuditTracker } from './vscode/folderAudits';
import { EngineClient } from './vscode/engineClient';
import { exportReport, type ExportReportOptions } from './vscode/exportReport';
import { FindingStore } from './vscode/findingStore';
import { LastAudits } from './vscode/lastAudit';
import { fixWorkspace, type FixWorkspaceOptions } from './vscode/fixWorkspace';
import { exportMetrics, followMetrics, writeMetrics } from './vscode/metricsActions';
import { createLogger } from './vscode/logger';
import { StatusBar } from './vscode/statusBar';
import { SaveBursts } from './vscode/saveBurst';
import { showSkippedFiles } from './vscode/skippedFiles';
import { registerRuleDocs } from './vscode/ruleDocsAction';
import { reauditFolder, runWorkspaceAudit } from './vscode/workspaceAudit';
import { WorkspaceTrustState } from './vscode/workspaceTrust';

/** Builds the services and registers them; the engine worker starts on the first audit. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = createLogger(context.subscriptions);
  const config = new ConfigService(log);
  const trust = new WorkspaceTrustState(log);
  context.subscriptions.push(config, trust);
  // Results persist in the workspace's storage; without a workspace (a loose file) they stay in memory.
  const cacheDir = context.storageUri ? vscode.Uri.joinPath(context.storageUri, 'cache').fsPath : undefined;
  const engine = new EngineClient(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, log, {
    configFor: (root) => config.configFor(root), cacheDir, sharedCache: () => trust.sharedCache(),
    useBaseline: (root) => baselineViewOf(vscode.Uri.file(root)) !== 'off',
  });
  const store = new FindingStore(baselineViewOf);
  const baselines = new BaselineWatcher();
  const lastAudits = new LastAudits();
  const status = new StatusBar();
  const audits = { engine, store, status, log, last: lastAudits };
  lastAudits.onDidRecord(() => status.setSkipped(lastAudits.skipped().length));
  // Resource-scoped: each folder of a multi-root workspace may set its own.
  const delayMs = (uri: vscode.Uri) => vscode.workspace.getConfiguration(SETTINGS_SECTION, uri).get<number>('auditOnEditDelayMs', 300);
  const follower = new DocumentFollower(engine, store, log, delayMs);
  const bursts = new SaveBursts();
  const codeActions = new MaintenanceCodeActions(store, engine, bursts, () => trust.policy().fixOnSave);
  const feed = new DashboardFeed(engine, store, status);
  const recovery = new BreakerRecovery(engine, store, log);
  /** Folders audited whole in this session: a configuration change re-audits them whole. */
  const auditedFolders = new Set<string>();
  const reaudits = new Map<string, AbortController>();
  const workspaceAudits = new FolderAuditTracker();
  /**
   * A folder's configuration or baseline changed: its findings are recomputed (whole if it was audited whole), after
   * the workspace audit running now, if any.
   */
  const refresh = (folder: vscode.WorkspaceFolder) => {
    codeActions.forgetComputedFixes();
    const key = folder.uri.toString();
    if (workspaceAudits.deferred(key)) return;
    if (!auditedFolders.has(key)) {
      follower.auditOpenDocuments(folder);
      return;
    }
    reaudits.get(key)?.abort();
    const controller = new AbortController();
    reaudits.set(key, controller);
    reauditFolder(folder, audits, controller.signal)
      .catch((error: unknown) => {
        if (!controller.signal.aborted) log.error(`re-audit of ${folder.name} after a change of its configuration or baseline failed`, error);
      })
      .finally(() => {
        if (reaudits.get(key) === controller) reaudits.delete(key);
      });
  };
  context.subscriptions.push(
    { dispose: () => engine.dispose() }, store, status, follower, bursts, recovery,
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, codeActions, MaintenanceCodeActions.metadata),
    registerRuleDocs(context.extensionUri),
    vscode.commands.registerCommand(COMMANDS.runAudit, async () => {
      workspaceAudits.begin();
      try {
        const summary = await runWorkspaceAudit(audits);
        if (summary && !summary.cancelled) {
          for (const folder of vscode.workspace.workspaceFolders ?? []) auditedFolders.add(folder.uri.toString());
        }
        return summary;
      } finally {
        const changed = new Set(workspaceAudits.end());
        for (const folder of vscode.workspace.workspaceFolders ?? []) if (changed.has(folder.uri.toString())) refresh(folder);
      }
    }),
    vscode.commands.registerCommand(COMMANDS.fixWorkspace, (options?: FixWorkspaceOptions) => fixWorkspace(engine, store, log, options)),
    vscode.commands.registerCommand(COMMANDS.showLog, () => log.show()),
    vscode.commands.registerCommand(COMMANDS.createConfig, () => createConfigFile(config)),
    followMetrics(engine, status, log, COMMANDS.showLog),
    feed, registerDashboard({ extensionUri: context.extensionUri, engine, store, feed, log }),
    vscode.commands.registerCommand(COMMANDS.resetBreakers, async () => {
      await engine.resetBreakers();
      log.info('circuit breakers reset: every agent runs again, first on the files audited without one');
      recovery.afterReset();
    }),
    // With a URI (tests, scripts) the metrics are written there; otherwise a save dialog asks where.
    vscode.commands.registerCommand(COMMANDS.exportMetrics, (target?: vscode.Uri) =>
      (target ? writeMetrics(engine, target) : exportMetrics(engine))),
    // With `{ format, target }` (tests, scripts) neither picker shows.
    vscode.commands.registerCommand(COMMANDS.exportReport, (options?: ExportReportOptions) => exportReport(lastAudits, log, engine, options)),
    vscode.commands.registerCommand(COMMANDS.clearCache, async () => {
      await engine.clearCache();
      log.info(`result cache cleared${cacheDir ? ` (${cacheDir})` : ''}`);
      void vscode.window.showInformationMessage('Maintenance Team: cache cleared; the next audit recomputes every result.');
    }),
    store.onDidChange(() => status.setGrade(store.grade())),
    vscode.commands.registerCommand(COMMANDS.showSkipped, () => showSkippedFiles(lastAudits)),
    vscode.commands.registerCommand(COMMANDS.statusState, () => status.current()),
    config.onDidChange(refresh),
    baselines, baselines.onDidChange(refresh),
    { dispose: () => reaudits.forEach((c) => c.abort()) },
  );
  await config.initialize();
  follower.auditOpenDocuments();
}

/** Everything is disposed through `context.subscriptions`. */
export function deactivate(): void {}
