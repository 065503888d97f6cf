import * as vscode from 'vscode';
import type { BreakerState } from '../core/model';
import { closedBreakers, filesAuditedWithout } from '../shared/breakerRecovery';
import type { MetricsMessage } from '../shared/engineProtocol';
import type { EngineClient } from './engineClient';
import type { FindingStore } from './findingStore';
import type { Logger } from './logger';
import { relativePath } from './workspaceAudit';

/** Requests within this window (the reset command and the metrics it causes) make one re-audit. */
const BATCH_MS = 50;

/**
 * Brings back the findings an agent could not give: when its circuit breaker closes (a probe succeeded, or "Reset
 * circuit breakers"), the files audited without it are audited again by themselves, in the engine worker as any
 * audit, so its findings return and the `maintenance/agent-failed` findings go without a manual run.
 */
export class BreakerRecovery implements vscode.Disposable {
  private states: Record<string, BreakerState> = {};
  private pending: Set<string> | 'all' | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Re-audits run one after the other: a later one sees the results of the earlier. */
  private queue: Promise<void> = Promise.resolve();
  private readonly controller = new AbortController();
  private readonly subscription: { dispose(): void };

  constructor(private readonly engine: EngineClient, private readonly store: FindingStore, private readonly log: Logger) {
    this.subscription = engine.onMetrics((message) => this.follow(message));
  }

  /** After "Reset circuit breakers": every file audited without any agent, whether or not its breaker was seen open. */
  afterReset(): void {
    this.request('all');
  }

  private follow(message: MetricsMessage): void {
    const now: Record<string, BreakerState> = {};
    for (const [agent, metrics] of Object.entries(message.snapshot.agents)) now[agent] = metrics.breaker?.state ?? 'closed';
    const closed = closedBreakers(this.states, now);
    this.states = now;
    if (closed.length > 0) this.request(new Set(closed));
  }

  private request(agents: ReadonlySet<string> | 'all'): void {
    this.pending = agents === 'all' || this.pending === 'all' ? 'all' : new Set([...(this.pending ?? []), ...agents]);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      const batch = this.pending!;
      this.pending = undefined;
      this.queue = this.queue.then(() => this.reaudit(batch)).catch((error: unknown) => {
        if (!this.controller.signal.aborted) this.log.error('re-audit after a circuit breaker closed failed', error);
      });
    }, BATCH_MS);
  }

  private async reaudit(agents: ReadonlySet<string> | 'all'): Promise<void> {
    const byFolder = new Map<vscode.WorkspaceFolder, vscode.Uri[]>();
    for (const key of filesAuditedWithout(this.store.files(), agents)) {
      const uri = vscode.Uri.parse(key);
      const folder = uri.scheme === 'file' ? vscode.workspace.getWorkspaceFolder(uri) : undefined;
      if (folder) byFolder.set(folder, [...(byFolder.get(folder) ?? []), uri]);
    }
    const named = agents === 'all' ? 'any agent' : [...agents].join(', ');
    for (const [folder, uris] of byFolder) {
      this.log.info(`circuit closed: auditing again the ${uris.length} file(s) of ${folder.name} audited without ${named}`);
      await this.auditFiles(folder, uris);
    }
  }

  private async auditFiles(folder: vscode.WorkspaceFolder, uris: readonly vscode.Uri[]): Promise<void> {
    // Open documents are audited as the editor holds them; a result for a document edited meanwhile is left to the
    // follower's own re-audit.
    const open = new Map(vscode.workspace.textDocuments.filter((d) => !d.isClosed).map((d) => [d.uri.toString(), d]));
    const versions = new Map(uris.map((u) => [relativePath(folder, u), open.get(u.toString())?.version]));
    const overlays = uris.flatMap((u) => {
      const document = open.get(u.toString());
      return document ? [{ path: relativePath(folder, u), text: document.getText() }] : [];
    });
    await this.engine.audit({ kind: 'files', root: folder.uri.fsPath, paths: [...versions.keys()], overlays }, {
      onFile: (result) => {
        const uri = vscode.Uri.joinPath(folder.uri, result.path);
        const version = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed)?.version;
        if (version === versions.get(result.path)) this.store.set(uri, result);
      },
      onSkip: (skipped) => this.store.delete(vscode.Uri.joinPath(folder.uri, skipped.path)),
    }, this.controller.signal);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.controller.abort();
    this.subscription.dispose();
  }
}
