import * as vscode from 'vscode';
import type { MetricsSnapshot } from '../core/metrics/snapshot';
import { appendHistory } from '../shared/dashboardCharts';
import { workspaceScore, worstFiles } from '../shared/dashboardModel';
import type { AuditProgress, DashboardData, HistoryPoint } from '../shared/protocol';
import type { EngineClient } from './engineClient';
import type { FindingStore } from './findingStore';
import type { AuditState, StatusBar } from './statusBar';

/**
 * Gathers what the dashboard shows from the services that already follow the engine: the metrics messages
 * (kept as a history from activation on, so a dashboard opened late still has its charts), the finding store
 * (files, counts, scores) and the status bar's audit state (progress). It only converts and remembers; the
 * panel decides when to send.
 */
export class DashboardFeed implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires on every change, often (every file of an audit): listeners throttle. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];
  private snapshot: MetricsSnapshot | undefined;
  private history: HistoryPoint[] = [];
  private audit: AuditProgress = { kind: 'idle' };
  /** The figures saved before a window reload, shown until a whole-workspace audit starts. */
  private restored: DashboardData | undefined;

  constructor(engine: EngineClient, private readonly store: FindingStore, status: StatusBar) {
    this.subscriptions = [
      engine.onMetrics((message) => {
        this.snapshot = message.snapshot;
        this.history = appendHistory(this.history, message.snapshot);
        this.changed.fire();
      }),
      store.onDidChange(() => this.changed.fire()),
      status.onDidChangeState((state) => {
        this.audit = progressOf(state, this.audit, Date.now());
        if (this.audit.kind === 'running') this.restored = undefined;
        this.changed.fire();
      }),
    ];
  }

  /** Whether any metrics came from the engine in this session. */
  get hasMetrics(): boolean {
    return this.snapshot !== undefined;
  }

  /** Takes back what a dashboard showed before a window reload (its history and, until the next audit, its figures). */
  restore(data: DashboardData): void {
    if (this.history.length === 0) this.history = [...data.history];
    if (this.audit.kind !== 'running') this.restored = data;
    this.changed.fire();
  }

  /** Everything the dashboard shows, now. Walks the store's files: call it a few times a second, not per event. */
  data(): DashboardData {
    const snapshot = this.snapshot ?? this.restored?.snapshot;
    if (this.restored) return { ...this.restored, audit: this.audit, snapshot, history: this.history, restored: true };
    const files = [...this.store.files()].map(({ uri, result }) => ({
      uri, score: result.score, grade: result.grade, findings: result.findings.length,
    }));
    const { score, grade } = workspaceScore(files.map((f) => f.score));
    return {
      audit: this.audit,
      counts: this.store.counts(),
      filesAudited: files.length,
      score,
      grade,
      worstFiles: worstFiles(files).map((f) => ({
        uri: f.uri, label: vscode.workspace.asRelativePath(vscode.Uri.parse(f.uri)), score: f.score,
        grade: f.grade, findings: f.findings,
      })),
      snapshot,
      history: this.history,
      restored: false,
    };
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.changed.dispose();
  }
}

/** The status bar's audit state as the dashboard's progress; `startedAt` is kept across the progress of one audit. */
export function progressOf(state: AuditState, previous: AuditProgress, now: number): AuditProgress {
  switch (state.kind) {
    case 'idle': return { kind: 'idle' };
    case 'running':
      return { kind: 'running', done: state.done, total: state.total, startedAt: previous.kind === 'running' ? previous.startedAt : now };
    case 'done': return state.last ? { kind: 'done', ...state.last } : previous.kind === 'running' ? { kind: 'idle' } : previous;
    case 'failed': return { kind: 'failed', message: state.message };
  }
}
