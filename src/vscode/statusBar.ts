import * as vscode from 'vscode';
import type { Severity } from '../core/model';
import { COMMANDS } from './constants';

/** What the status-bar item shows; the state drives text, icon and tooltip. */
export type AuditState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly done: number; readonly total: number }
  | { readonly kind: 'done'; readonly counts: Record<Severity, number>; readonly last?: AuditSummary }
  | { readonly kind: 'failed'; readonly message: string };

/** Figures of the last whole-workspace audit, for the tooltip. */
export interface AuditSummary {
  readonly files: number;
  readonly skipped: number;
  readonly agentFailures: number;
  readonly durationMs: number;
  readonly cancelled: boolean;
  /** Agent results served from the result cache, and looked up. */
  readonly cacheHits: number;
  readonly cacheLookups: number;
}

/** The status-bar item: last audit's counts and state; a click runs the audit, the tooltip links to the dashboard. */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('maintenanceTeam.status', vscode.StatusBarAlignment.Left, 10);
  private readonly changed = new vscode.EventEmitter<AuditState>();
  /** Fires with every state shown, progress included (the dashboard follows the audit with it). */
  readonly onDidChangeState = this.changed.event;
  private state: AuditState = { kind: 'idle' };
  /** Agents whose circuit breaker is open or half-open: shown on the item, whatever the state. */
  private openBreakers: readonly string[] = [];
  /** Why the team's shared (Redis) cache is not used right now, if it is not: shown as a hint, whatever the state. */
  private sharedCacheDown: string | undefined;

  constructor() {
    this.item.name = 'Maintenance Team';
    this.item.command = COMMANDS.runAudit;
    this.show({ kind: 'idle' });
    this.item.show();
  }

  /** The agents whose breaker is not closed (from the engine's metrics after each audit). */
  setOpenBreakers(agents: readonly string[]): void {
    if (agents.join() === this.openBreakers.join()) return;
    this.openBreakers = agents;
    this.show(this.state);
  }

  /** The shared cache's state from the engine's metrics: a reason when Redis is unreachable, undefined when fine. */
  setSharedCacheDown(reason: string | undefined): void {
    if (reason === this.sharedCacheDown) return;
    this.sharedCacheDown = reason;
    this.show(this.state);
  }

  /** New counts after a document's re-audit: shown once an audit has completed, kept quiet while one runs. */
  updateCounts(counts: Record<Severity, number>): void {
    if (this.state.kind === 'done') this.show({ ...this.state, counts });
  }

  show(state: AuditState): void {
    this.state = state;
    this.render(state);
    if (this.openBreakers.length > 0) {
      this.item.text += ` $(debug-disconnect) ${this.openBreakers.length}`;
      this.item.tooltip = `${String(this.item.tooltip)}\nCircuit open: ${this.openBreakers.join(', ')} (skipped until a probe succeeds; "Maintenance: Reset circuit breakers")`;
      this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    }
    if (this.sharedCacheDown) {
      this.item.text += ' $(cloud)';
      this.item.tooltip = `${String(this.item.tooltip)}\nShared cache unreachable (${this.sharedCacheDown}): audits use the local cache only; Redis is retried automatically`;
    }
    this.item.tooltip = withDashboardLink(String(this.item.tooltip));
    this.changed.fire(state);
  }

  private render(state: AuditState): void {
    this.item.backgroundColor = undefined;
    switch (state.kind) {
      case 'idle':
        this.item.text = '$(checklist) Maintenance';
        this.item.tooltip = 'Maintenance Team: click to audit the whole workspace';
        return;
      case 'running':
        this.item.text = `$(sync~spin) Auditing ${state.done}/${state.total || '…'}`;
        this.item.tooltip = 'Maintenance Team: audit running';
        return;
      case 'done':
        this.item.text = `$(checklist) $(error) ${state.counts.error} $(warning) ${state.counts.warning} $(info) ${state.counts.info}`;
        this.item.tooltip = tooltipOf(state.last);
        return;
      case 'failed':
        this.item.text = '$(checklist) Maintenance $(alert)';
        this.item.tooltip = `Maintenance Team: the last audit failed: ${state.message}`;
        this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    }
  }

  dispose(): void {
    this.changed.dispose();
    this.item.dispose();
  }
}

/** The plain tooltip as Markdown, one line per line, with a command link that opens the metrics dashboard. */
function withDashboardLink(text: string): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.isTrusted = { enabledCommands: [COMMANDS.openDashboard] };
  tooltip.supportThemeIcons = true;
  for (const line of text.split('\n')) tooltip.appendText(line).appendMarkdown('  \n');
  tooltip.appendMarkdown(`\n[$(graph) Open metrics dashboard](command:${COMMANDS.openDashboard})`);
  return tooltip;
}

function tooltipOf(last: AuditSummary | undefined): string {
  if (!last) return 'Maintenance Team: click to audit the whole workspace';
  return [
    `Last audit: ${last.files} files in ${(last.durationMs / 1000).toFixed(1)} s`,
    `${last.skipped} skipped, ${last.agentFailures} agent failures${last.cancelled ? ' (cancelled)' : ''}`,
    last.cacheLookups > 0 ? `${Math.round((100 * last.cacheHits) / last.cacheLookups)} % of results from the cache` : 'Cache not used',
    'Click to audit the whole workspace again',
  ].join('\n');
}
