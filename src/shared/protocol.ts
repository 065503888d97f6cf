/**
 * Messages between the extension host (src/vscode/dashboardPanel.ts) and the metrics dashboard webview
 * (src/webview/). Declared once, split by direction; no 'vscode', no DOM. The webview opens with `ready`; the host
 * answers with the whole current `DashboardData`, then sends it again at most 4 times a second while it changes.
 * Times are epoch ms, durations ms, rates fractions 0–1.
 */
import type { MetricsSnapshot } from '../core/metrics/snapshot';
import type { Grade, Severity } from '../core/model';

/** The webview panel's view type: the serializer and the `onWebviewPanel:` activation event use it. */
export const DASHBOARD_VIEW_TYPE = 'maintenanceTeam.dashboard';

/** The whole-workspace audit, as the status bar follows it. */
export type AuditProgress =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly done: number; readonly total: number; readonly startedAt: number }
  | {
    readonly kind: 'done'; readonly files: number; readonly skipped: number; readonly durationMs: number;
    readonly cancelled: boolean; readonly cacheHits: number; readonly cacheLookups: number;
  }
  | { readonly kind: 'failed'; readonly message: string };

/** One of the files with the lowest scores. */
export interface WorstFile {
  /** The file's URI as a string: what `openFile` sends back. */
  readonly uri: string;
  /** Path shown, relative to its workspace folder. */
  readonly label: string;
  readonly score: number;
  readonly grade: Grade;
  readonly findings: number;
}

/** An agent's duration percentiles over its window of recent runs (the last 100), in ms. */
export interface AgentPercentiles {
  readonly p50DurationMs: number;
  readonly p95DurationMs: number;
}

/** The session's cumulative figures at one metrics message: the charts' history. */
export interface HistoryPoint {
  readonly at: number;
  readonly cacheHits: number;
  readonly cacheMisses: number;
  readonly executions: number;
  readonly failures: number;
  /** By agent id, the agents that had run; absent in points saved before the dashboard charted percentiles. */
  readonly agents?: Readonly<Record<string, AgentPercentiles>>;
}

/** Everything the dashboard shows; the webview derives the view from it (src/shared/dashboardModel.ts). */
export interface DashboardData {
  readonly audit: AuditProgress;
  /** Findings by severity over every file with a result (the Problems panel's). */
  readonly counts: Readonly<Record<Severity, number>>;
  /** Files with a result. */
  readonly filesAudited: number;
  /** Mean of the file scores, rounded (100 with no file), and its grade. */
  readonly score: number;
  readonly grade: Grade;
  /** Lowest scores first, at most `WORST_FILES_SHOWN`. */
  readonly worstFiles: readonly WorstFile[];
  /** The engine's last metrics; none before the first. */
  readonly snapshot?: MetricsSnapshot;
  /** Oldest first, at most `HISTORY_POINTS_KEPT`. */
  readonly history: readonly HistoryPoint[];
  /** True while the figures are the ones saved before a window reload and nothing newer has come. */
  readonly restored: boolean;
}

/** Host → dashboard: the current data; `seq` grows by one per message. */
export interface DataMessage {
  readonly type: 'data';
  readonly seq: number;
  readonly data: DashboardData;
}

/** Everything the host sends. */
export type HostToDashboard = DataMessage;

/** What the dashboard's buttons ask for. `resetBreakers` without `agent` resets every breaker. */
export type DashboardAction =
  | { readonly kind: 'runAudit' }
  | { readonly kind: 'clearCache' }
  | { readonly kind: 'resetBreakers'; readonly agent?: string }
  | { readonly kind: 'exportMetrics' }
  | { readonly kind: 'openConfig' };

/** Dashboard → host: the script runs and listens; send the data. */
export interface ReadyMessage {
  readonly type: 'ready';
}

/** Dashboard → host: data message `seq` is on screen, with this many agent rows (tests and the trace log read it). */
export interface RenderedMessage {
  readonly type: 'rendered';
  readonly seq: number;
  readonly agentRows: number;
}

/** Dashboard → host: a button was pressed. */
export interface ActionMessage {
  readonly type: 'action';
  readonly action: DashboardAction;
}

/** Dashboard → host: open one of the worst files (`uri` from a `WorstFile`). */
export interface OpenFileMessage {
  readonly type: 'openFile';
  readonly uri: string;
}

/** Everything the dashboard sends. */
export type DashboardToHost = ReadyMessage | RenderedMessage | ActionMessage | OpenFileMessage;

/** What the webview keeps with `setState`, and the serializer gets back after a window reload. */
export interface PersistedState {
  readonly data: DashboardData;
}

const ACTION_KINDS: ReadonlySet<string> = new Set(['runAudit', 'clearCache', 'resetBreakers', 'exportMetrics', 'openConfig']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Checks a message from the webview before the host acts on it (the webview is another process's input). */
export function isDashboardToHost(value: unknown): value is DashboardToHost {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'ready': return true;
    case 'rendered': return typeof value.seq === 'number' && typeof value.agentRows === 'number';
    case 'openFile': return typeof value.uri === 'string';
    case 'action': {
      const action = value.action;
      return isRecord(action) && typeof action.kind === 'string' && ACTION_KINDS.has(action.kind)
        && (action.agent === undefined || typeof action.agent === 'string');
    }
    default: return false;
  }
}

/** Checks the state a serializer hands back (saved by an older version, maybe): only its shape's outline. */
export function isPersistedState(value: unknown): value is PersistedState {
  if (!isRecord(value) || !isRecord(value.data)) return false;
  const data = value.data;
  return isRecord(data.audit) && isRecord(data.counts) && Array.isArray(data.worstFiles) && Array.isArray(data.history)
    && typeof data.filesAudited === 'number' && typeof data.score === 'number';
}
