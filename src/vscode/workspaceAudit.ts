import * as vscode from 'vscode';
import type { FileResult } from '../core/model';
import type { TextOverlay } from '../shared/engineProtocol';
import type { EngineClient } from './engineClient';
import type { FindingStore } from './findingStore';
import type { LastAudits } from './lastAudit';
import type { Logger } from './logger';
import type { AuditSummary, StatusBar } from './statusBar';

/**
 * Open editor contents under `folder`, audited instead of what is on disk: as the editor holds them, and with
 * their quick fixes computed (the result cache never holds fixes).
 */
export function overlaysIn(folder: vscode.WorkspaceFolder): TextOverlay[] {
  return vscode.workspace.textDocuments
    .filter((d) => d.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(d.uri)?.uri.toString() === folder.uri.toString())
    .map((d) => ({ path: relativePath(folder, d.uri), text: d.getText() }));
}

/** POSIX path of `uri` relative to `folder`. */
export function relativePath(folder: vscode.WorkspaceFolder, uri: vscode.Uri): string {
  return uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
}

/** What a workspace audit runs on and reports to: built once by the extension, shared by every audit of a folder. */
export interface WorkspaceAuditServices {
  readonly engine: EngineClient;
  readonly store: FindingStore;
  readonly status: StatusBar;
  readonly log: Logger;
  /** Each folder's last result (for "Export report"). */
  readonly last: LastAudits;
}

/**
 * "Run maintenance audit": audits every file of every workspace folder in the engine worker, with a
 * cancellable progress notification; diagnostics appear as files finish. Files that had results but
 * are gone from the folder lose them at the end of a complete (not cancelled) audit. Each folder's result
 * goes to `last` (for "Export report").
 */
export async function runWorkspaceAudit(services: WorkspaceAuditServices): Promise<AuditSummary | undefined> {
  const { status, log } = services;
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) {
    void vscode.window.showInformationMessage('Maintenance Team: open a folder to audit it.');
    return undefined;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Maintenance audit', cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const subscription = token.onCancellationRequested(() => controller.abort());
      let summary: AuditSummary = {
        files: 0, skipped: 0, agentFailures: 0, durationMs: 0, cancelled: false, cacheHits: 0, cacheLookups: 0,
      };
      try {
        for (const folder of folders) {
          if (controller.signal.aborted) break;
          summary = addUp(summary, await auditFolder(folder, services, progress, controller.signal));
        }
        summary = { ...summary, cancelled: summary.cancelled || controller.signal.aborted };
        status.show({ kind: 'done', last: summary });
        log.info(`audit ${summary.cancelled ? 'cancelled' : 'done'}: ${summary.files} files, ${summary.skipped} skipped, `
          + `${summary.agentFailures} agent failures, ${summary.cacheHits}/${summary.cacheLookups} results from cache, ${summary.durationMs} ms`);
        return summary;
      } catch (error) {
        if (controller.signal.aborted) {
          status.show({ kind: 'done', last: { ...summary, cancelled: true } });
          return { ...summary, cancelled: true };
        }
        status.show({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
        log.error('audit failed', error);
        void vscode.window.showErrorMessage(`Maintenance audit failed: ${error instanceof Error ? error.message : error}`);
        return undefined;
      } finally {
        subscription.dispose();
      }
    },
  );
}

/**
 * Audits one folder again without a notification (its configuration changed): progress shows in the status
 * bar only, and files the new configuration excludes lose their diagnostics at the end.
 */
export async function reauditFolder(
  folder: vscode.WorkspaceFolder, services: WorkspaceAuditServices, signal: AbortSignal,
): Promise<AuditSummary> {
  const summary = await auditFolder(folder, services, { report: () => undefined }, signal);
  services.status.show({ kind: 'done', last: summary });
  return summary;
}

async function auditFolder(
  folder: vscode.WorkspaceFolder, { engine, store, status, last }: WorkspaceAuditServices,
  progress: vscode.Progress<{ message?: string; increment?: number }>, signal: AbortSignal,
): Promise<AuditSummary> {
  const before = new Set(store.urisUnder(folder.uri).map((u) => u.toString()));
  let reported = 0;
  const files: FileResult[] = [];
  const result = await engine.audit({ kind: 'folder', root: folder.uri.fsPath, overlays: overlaysIn(folder) }, {
    onFile: (file) => {
      const uri = vscode.Uri.joinPath(folder.uri, file.path);
      before.delete(uri.toString());
      files.push(file);
      store.set(uri, file);
    },
    onSkip: (skipped) => store.delete(vscode.Uri.joinPath(folder.uri, skipped.path)),
    onProgress: (done, total) => {
      status.show({ kind: 'running', done, total });
      const increment = ((done - reported) / Math.max(total, 1)) * 100;
      reported = done;
      progress.report({ message: `${folder.name}: ${done}/${total} files`, increment });
    },
  }, signal);
  if (!result.cancelled) for (const stale of before) store.delete(vscode.Uri.parse(stale));
  last.record(folder.uri, result, files);
  return {
    files: files.length,
    skipped: result.skipped.length,
    agentFailures: Object.values(result.agents).reduce((n, a) => n + a.failures, 0),
    durationMs: result.durationMs,
    cancelled: result.cancelled,
    // Results from the team's Redis (L3) are hits of neither local level: they count through the shared summary.
    cacheHits: result.cache.lookups.memory + result.cache.lookups.disk + (result.cache.shared?.hits ?? 0),
    cacheLookups: result.cache.lookups.memory + result.cache.lookups.disk + (result.cache.shared?.hits ?? 0) + result.cache.lookups.misses,
  };
}

function addUp(a: AuditSummary, b: AuditSummary): AuditSummary {
  return {
    files: a.files + b.files,
    skipped: a.skipped + b.skipped,
    agentFailures: a.agentFailures + b.agentFailures,
    durationMs: a.durationMs + b.durationMs,
    cancelled: a.cancelled || b.cancelled,
    cacheHits: a.cacheHits + b.cacheHits,
    cacheLookups: a.cacheLookups + b.cacheLookups,
  };
}
