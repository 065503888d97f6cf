/// <reference lib="dom" />
/** Writes a `DashboardView` into the page built by layout.ts, in place, keyed, so focus and scroll survive updates. */
import type { AgentRow, DashboardView, Kpi } from '../shared/dashboardModel';
import type { WorstFile } from '../shared/protocol';
import { el, reconcile, setAttr, setText } from './dom';
import type { Layout } from './layout';

/** Updates everything but the charts (charts.ts redraws those only when the data changed). */
export function renderView(layout: Layout, view: DashboardView): void {
  setText(layout.status, view.status);
  layout.progress.hidden = view.progressPercent === undefined;
  if (view.progressPercent !== undefined) layout.progress.value = view.progressPercent;
  layout.runAudit.disabled = view.running;
  layout.resetAll.disabled = !view.agents.some((row) => row.breaker.resettable);
  reconcile(layout.kpis, view.kpis, (kpi) => kpi.id, createKpi, updateKpi);
  layout.alertsSection.hidden = view.alerts.length === 0;
  reconcile(layout.alerts, view.alerts, (alert) => alert, (alert) => el('li', {}, alert), () => undefined);
  layout.trendBanner.hidden = view.trends === undefined;
  setText(layout.trendTitle, view.trends?.title ?? '');
  reconcile(layout.trends, view.trends?.items ?? [], (item) => item, (item) => el('li', {}, item), () => undefined);
  reconcile(layout.agents, view.agents, (row) => row.agent, createAgentRow, updateAgentRow);
  layout.agentsEmpty.hidden = view.agents.length > 0;
  reconcile(layout.worstFiles, view.worstFiles, (file) => file.uri, createWorstFile, updateWorstFile);
  layout.worstEmpty.hidden = view.worstFiles.length > 0;
}

function createKpi(kpi: Kpi): HTMLElement {
  return el('div', { class: 'kpi' }, el('dt', {}, kpi.label), el('dd', { class: 'value' }), el('dd', { class: 'detail' }));
}

function updateKpi(element: HTMLElement, kpi: Kpi): void {
  setAttr(element, 'data-tone', kpi.tone);
  setText(element.querySelector('.value')!, kpi.value);
  setText(element.querySelector('.detail')!, kpi.detail);
}

const AGENT_CELLS = ['errorRate', 'executions', 'successRate', 'avgDuration', 'p95Duration', 'throughput'] as const;

function createAgentRow(row: AgentRow): HTMLElement {
  return el('tr', {},
    el('th', { scope: 'row' }, row.agent),
    el('td', {}, el('span', { class: 'health' })),
    ...AGENT_CELLS.map((cell) => el('td', { class: 'number', 'data-cell': cell })),
    el('td', {}, el('span', { class: 'breaker' })),
    el('td', { class: 'row-action' }));
}

function updateAgentRow(element: HTMLElement, row: AgentRow): void {
  const health = element.querySelector('.health')!;
  setAttr(health, 'data-health', row.health);
  setText(health, row.healthLabel);
  for (const cell of AGENT_CELLS) setText(element.querySelector(`[data-cell="${cell}"]`)!, row[cell]);
  const breaker = element.querySelector('.breaker')!;
  setAttr(breaker, 'data-state', row.breaker.state);
  setText(breaker, row.breaker.label);
  const action = element.querySelector('.row-action')!;
  const button = action.querySelector('button');
  if (row.breaker.resettable && !button) {
    action.append(el('button', {
      type: 'button', class: 'secondary', 'data-action': 'resetBreakers', 'data-agent': row.agent,
      'aria-label': `Reset the circuit breaker of ${row.agent}`, title: `Close ${row.agent}'s circuit breaker: it runs again`,
    }, 'Reset'));
  } else if (!row.breaker.resettable && button) {
    button.remove();
  }
}

function createWorstFile(file: WorstFile): HTMLElement {
  return el('li', {}, el('button', { type: 'button', class: 'link', 'data-open': file.uri },
    el('span', { class: 'path' }), el('span', { class: 'score' })));
}

function updateWorstFile(element: HTMLElement, file: WorstFile): void {
  const button = element.querySelector('button')!;
  setAttr(button, 'title', `Open ${file.label}`);
  setAttr(button, 'data-grade', file.grade);
  setText(button.querySelector('.path')!, file.label);
  const findings = `${file.findings} finding${file.findings === 1 ? '' : 's'}`;
  setText(button.querySelector('.score')!, `${file.score} (${file.grade}) · ${findings}`);
}
