/// <reference lib="dom" />
/**
 * The dashboard page's fixed structure: header and status, action buttons, figures, alerts, the agents table, the
 * charts and the worst files. Built once; src/webview/render.ts fills it in on every update.
 */
import { AGENT_TABLE_HEADERS, CACHE_CHART_CAPTION, DURATION_CHART_CAPTION } from '../shared/dashboardModel';
import type { DashboardAction } from '../shared/protocol';
import { el } from './dom';

/** The elements updates write into. */
export interface Layout {
  readonly status: HTMLElement;
  readonly progress: HTMLProgressElement;
  readonly runAudit: HTMLButtonElement;
  readonly resetAll: HTMLButtonElement;
  readonly kpis: HTMLElement;
  readonly alertsSection: HTMLElement;
  /** The trends banner (role="status"), hidden while no trend is active. */
  readonly trendBanner: HTMLElement;
  readonly trendTitle: HTMLElement;
  readonly trends: HTMLElement;
  readonly alerts: HTMLElement;
  readonly agents: HTMLTableSectionElement;
  readonly agentsEmpty: HTMLElement;
  readonly durationChart: HTMLElement;
  readonly cacheChart: HTMLElement;
  readonly worstFiles: HTMLElement;
  readonly worstEmpty: HTMLElement;
}

/** A toolbar button: its visible text is its accessible name; `title` says what it does. */
function actionButton(action: DashboardAction['kind'], text: string, title: string): HTMLButtonElement {
  return el('button', { type: 'button', 'data-action': action, title }, text);
}

function section(id: string, heading: string, ...content: Node[]): HTMLElement {
  return el('section', { 'aria-labelledby': `${id}-heading`, class: id }, el('h2', { id: `${id}-heading` }, heading), ...content);
}

function chartFigure(id: string, caption: string): { figure: HTMLElement; chart: HTMLElement } {
  const chart = el('div', { class: 'chart', id, role: 'img', 'aria-label': caption });
  return { figure: el('figure', {}, el('figcaption', {}, caption), chart), chart };
}

/** Builds the page inside `root` and returns where updates go. */
export function buildLayout(root: HTMLElement): Layout {
  const status = el('p', { id: 'status', role: 'status' });
  const progress = el('progress', { max: '100', 'aria-label': 'Audit progress', hidden: '' });
  const runAudit = actionButton('runAudit', 'Re-run audit', 'Audit the whole workspace again');
  const resetAll = actionButton('resetBreakers', 'Reset all breakers', 'Close every circuit breaker: every agent runs again');
  const toolbar = el('div', { class: 'toolbar', role: 'toolbar', 'aria-label': 'Dashboard actions' },
    runAudit,
    actionButton('clearCache', 'Clear cache', 'Forget every cached result: the next audit recomputes them'),
    resetAll,
    actionButton('exportMetrics', 'Export metrics…', 'Save the metrics as JSON or in the Prometheus text format'),
    actionButton('openConfig', 'Open config', 'Open maintenance-team.yaml (created with the defaults if missing)'));
  const kpis = el('dl', { class: 'kpis' });
  const alerts = el('ul', { class: 'alerts' });
  const alertsSection = section('alerts', 'Active alerts', alerts);
  alertsSection.setAttribute('aria-live', 'polite');
  const trendTitle = el('p', { class: 'trend-title' });
  const trends = el('ul', { class: 'trends' });
  const trendBanner = el('div', { class: 'trend-banner', role: 'status', hidden: '' }, trendTitle, trends);
  const agents = el('tbody');
  const table = el('table', { class: 'agents-table' },
    el('caption', { class: 'visually-hidden' }, 'One row per agent: health by error rate, run figures and circuit breaker'),
    el('thead', {}, el('tr', {}, ...AGENT_TABLE_HEADERS.map((h) => el('th', { scope: 'col' }, h)))),
    agents);
  const agentsEmpty = el('p', { class: 'empty' }, 'No agent has run yet. Run an audit to see the team at work.');
  const duration = chartFigure('duration-chart', DURATION_CHART_CAPTION);
  const cache = chartFigure('cache-chart', CACHE_CHART_CAPTION);
  const worstFiles = el('ol', { class: 'worst-files' });
  const worstEmpty = el('p', { class: 'empty' }, 'No file loses points.');
  root.replaceChildren(
    el('header', {}, el('h1', {}, 'Maintenance Team metrics'), status, progress, toolbar),
    trendBanner,
    section('figures', 'Figures', kpis),
    alertsSection,
    section('agents', 'Agents', el('div', { class: 'table-scroll' }, table), agentsEmpty),
    section('charts', 'Charts', el('div', { class: 'chart-grid' }, duration.figure, cache.figure)),
    section('worst', 'Worst files by score', worstFiles, worstEmpty),
  );
  root.removeAttribute('aria-busy');
  return {
    status, progress, runAudit, resetAll, kpis, alertsSection, trendBanner, trendTitle, trends, alerts, agents, agentsEmpty,
    durationChart: duration.chart, cacheChart: cache.chart, worstFiles, worstEmpty,
  };
}
