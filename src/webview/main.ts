/// <reference lib="dom" />
/**
 * The metrics dashboard's page (bundled to dist/webview.js). It shows what the page saved before a reload at once,
 * says `ready`, then renders every `data` message from the host (src/shared/protocol.ts) through the pure
 * view-model, and sends the buttons' actions back. Open breakers count down once a second without host traffic.
 */
import { formatDuration } from '../shared/dashboardFormat';
import { buildView, type DashboardView } from '../shared/dashboardModel';
import type { DashboardAction, DashboardData, HostToDashboard } from '../shared/protocol';
import { Chart } from './charts';
import { buildLayout } from './layout';
import { renderView } from './render';
import { host } from './vscodeApi';

const TICK_MS = 1000;

const layout = buildLayout(document.getElementById('dashboard')!);
const durationChart = new Chart(layout.durationChart, {
  time: true, yUnit: 'ms', format: formatDuration, emptyText: 'The chart starts with the first agent run of this session.',
});
const cacheChart = new Chart(layout.cacheChart, {
  time: true, yRange: [0, 100], yUnit: '%', format: (v) => `${Number(v.toFixed(1))} %`, emptyText: 'The chart starts with the first audit of this session.',
});

let data: DashboardData | undefined = host.getState()?.data;
/** The data the charts last drew: a countdown tick re-renders the rest but leaves them alone. */
let charted: DashboardData | undefined;
/** Whether the last view has a clock in it (a breaker's countdown, a running audit's duration). */
let ticking = false;

function render(): DashboardView | undefined {
  if (!data) return undefined;
  const view = buildView(data, Date.now());
  ticking = view.ticking;
  renderView(layout, view);
  if (charted !== data) {
    durationChart.update(view.durations);
    cacheChart.update(view.cacheHitRate);
    charted = data;
  }
  return view;
}

function isDataMessage(message: unknown): message is HostToDashboard {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'data';
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  if (!isDataMessage(event.data)) return;
  data = event.data.data;
  host.setState({ data });
  const view = render();
  host.postMessage({ type: 'rendered', seq: event.data.seq, agentRows: view?.agents.length ?? 0 });
});

// Buttons carry what they do in data attributes; one listener serves the toolbar, the agent rows and the file list.
document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('button') : null;
  if (!target || target.disabled) return;
  const open = target.dataset.open;
  if (open !== undefined) {
    host.postMessage({ type: 'openFile', uri: open });
    return;
  }
  const kind = target.dataset.action as DashboardAction['kind'] | undefined;
  if (!kind) return;
  const action: DashboardAction = kind === 'resetBreakers' && target.dataset.agent !== undefined
    ? { kind, agent: target.dataset.agent }
    : { kind } as DashboardAction;
  host.postMessage({ type: 'action', action });
});

// The theme's colours live in CSS variables that change with the body's class; charts read them when built.
new MutationObserver(() => {
  durationChart.forget();
  cacheChart.forget();
  charted = undefined;
  render();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

setInterval(() => {
  if (ticking) render();
}, TICK_MS);

render();
host.postMessage({ type: 'ready' });
