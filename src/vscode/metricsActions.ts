import * as vscode from 'vscode';
import { formatMetrics, metricsFormatOf } from '../core/metrics/export';
import { trendChanges } from '../core/metrics/trends';
import type { MetricsMessage } from '../shared/engineProtocol';
import { COMMANDS } from './constants';
import type { EngineClient } from './engineClient';
import type { Logger } from './logger';
import type { StatusBar } from './statusBar';

/**
 * Follows the engine's metrics: the status bar shows open circuit breakers and an unreachable shared cache, and each alert raised is logged
 * and shown once as a warning (cleared alerts are logged), whose actions open the metrics dashboard or the log. Each trend
 * the engine reports (an agent degrading against its 7-day level) is logged and shown once while it stays active.
 */
export function followMetrics(engine: EngineClient, status: StatusBar, log: Logger, showLogCommand: string): vscode.Disposable {
  const notify = (message: string) => {
    void vscode.window.showWarningMessage(`Maintenance Team: ${message}`, 'Open dashboard', 'Show log').then((choice) => {
      if (choice) void vscode.commands.executeCommand(choice === 'Show log' ? showLogCommand : COMMANDS.openDashboard);
    });
  };
  let activeTrends = new Set<string>();
  return engine.onMetrics((message: MetricsMessage) => {
    const open = Object.entries(message.snapshot.agents)
      .filter(([, agent]) => agent.breaker && agent.breaker.state !== 'closed').map(([id]) => id);
    status.setOpenBreakers(open);
    const shared = message.snapshot.sharedCache;
    status.setSharedCacheDown(shared && shared.breaker !== 'closed' ? shared.lastError ?? `circuit ${shared.breaker}` : undefined);
    for (const alert of message.cleared) log.info(`alert cleared: ${alert.message}`);
    for (const alert of message.raised) {
      log.warn(`alert: ${alert.message}`);
      notify(alert.message);
    }
    // A snapshot without trends (an empty session's) leaves them as they were.
    if (!message.snapshot.trends) return;
    const changes = trendChanges(activeTrends, message.snapshot.trends);
    activeTrends = changes.active;
    for (const trend of changes.raised) {
      log.warn(`trend: ${trend.message}`);
      notify(trend.message);
    }
  });
}

/** "Maintenance: Export metrics": JSON (`.json`) or the Prometheus text format (`.prom`, `.txt`). */
export async function exportMetrics(engine: EngineClient): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await vscode.window.showSaveDialog({
    title: 'Export maintenance metrics',
    defaultUri: folder ? vscode.Uri.joinPath(folder, 'maintenance-metrics.json') : undefined,
    filters: { 'JSON': ['json'], 'Prometheus text': ['prom', 'txt'] },
  });
  if (!target) return undefined;
  return writeMetrics(engine, target);
}

/** Writes the session's metrics to `target`, in the format its name asks for. */
export async function writeMetrics(engine: EngineClient, target: vscode.Uri): Promise<vscode.Uri> {
  const { snapshot } = await engine.metrics();
  const text = formatMetrics(snapshot, metricsFormatOf(target.path));
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
  return target;
}
