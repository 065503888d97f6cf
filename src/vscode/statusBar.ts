import * as vscode from 'vscode';
import { statusView, type AuditState, type StatusFacts, type StatusView } from '../shared/statusView';
import { COMMANDS } from './constants';

export type { AuditState, AuditSummary } from '../shared/statusView';

/**
 * The status-bar item: what only this extension knows (src/shared/statusView.ts decides the words); a click runs the
 * audit, the tooltip links to the skipped files and the dashboard.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('maintenanceTeam.status', vscode.StatusBarAlignment.Left, 10);
  private readonly changed = new vscode.EventEmitter<AuditState>();
  /** Fires with every state shown, progress included (the dashboard follows the audit with it). */
  readonly onDidChangeState = this.changed.event;
  private state: AuditState = { kind: 'idle' };
  private facts: StatusFacts = { openBreakers: [], skipped: 0 };
  private view: StatusView | undefined;

  constructor() {
    this.item.name = 'Maintenance Team';
    this.item.command = COMMANDS.runAudit;
    this.show({ kind: 'idle' });
    this.item.show();
  }

  /** The agents whose breaker is not closed (from the engine's metrics after each audit). */
  setOpenBreakers(agents: readonly string[]): void {
    if (agents.join() !== this.facts.openBreakers.join()) this.update({ openBreakers: agents });
  }

  /** The shared cache's state from the engine's metrics: a reason when Redis is unreachable, undefined when fine. */
  setSharedCacheDown(reason: string | undefined): void {
    if (reason !== this.facts.sharedCacheDown) this.update({ sharedCacheDown: reason });
  }

  /** The workspace's score and grade over the files with results (after every change of the finding store). */
  setGrade(grade: StatusFacts['grade']): void {
    const known = this.facts.grade;
    if (known?.score !== grade?.score || known?.grade !== grade?.grade) this.update({ grade });
  }

  /** How many files (and unreadable folders) the last audits left out. */
  setSkipped(count: number): void {
    if (count !== this.facts.skipped) this.update({ skipped: count });
  }

  /** Shows an audit state (progress included). */
  show(state: AuditState): void {
    this.state = state;
    this.render();
    this.changed.fire(state);
  }

  /** What the item shows now (for the integration tests, through an internal command). */
  current(): StatusView | undefined {
    return this.view;
  }

  private update(facts: Partial<StatusFacts>): void {
    this.facts = { ...this.facts, ...facts };
    this.render();
  }

  private render(): void {
    const view = statusView(this.state, this.facts);
    this.view = view;
    this.item.text = view.text;
    this.item.accessibilityInformation = { label: view.accessibleLabel };
    this.item.tooltip = tooltipOf(view);
    this.item.backgroundColor = view.background ? new vscode.ThemeColor(`statusBarItem.${view.background}Background`) : undefined;
  }

  dispose(): void {
    this.changed.dispose();
    this.item.dispose();
  }
}

/** The tooltip as Markdown, one line per line (escaped), then command links. */
function tooltipOf(view: StatusView): vscode.MarkdownString {
  const tooltip = new vscode.MarkdownString();
  tooltip.isTrusted = { enabledCommands: [COMMANDS.openDashboard, COMMANDS.showSkipped] };
  tooltip.supportThemeIcons = true;
  for (const line of view.tooltipLines) tooltip.appendText(line).appendMarkdown('  \n');
  const links = [`[$(graph) Open metrics dashboard](command:${COMMANDS.openDashboard})`];
  if (view.linkSkipped) links.unshift(`[$(eye-closed) Show skipped files](command:${COMMANDS.showSkipped})`);
  tooltip.appendMarkdown(`\n${links.join(' · ')}`);
  return tooltip;
}
