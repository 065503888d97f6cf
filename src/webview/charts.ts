/// <reference lib="dom" />
/**
 * The dashboard's two charts, drawn by uPlot (bundled by esbuild; its stylesheet goes to dist/webview.css).
 * A canvas cannot read CSS variables, so the theme's chart colours (`--vscode-charts-*`) are read when a chart is
 * built, and the charts are rebuilt when the theme changes.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { timeAxisRange, type ChartData } from '../shared/dashboardCharts';
import { distinctPalette } from '../shared/chartColors';
import { el } from './dom';

/** The last value of a column that is not a gap. */
function latest(column: uPlot.AlignedData[number] | undefined): number | null {
  for (let i = (column?.length ?? 0) - 1; i >= 0; i--) {
    const value = column![i];
    if (typeof value === 'number') return value;
  }
  return null;
}

const HEIGHT_PX = 200;

/**
 * A time axis' range. For a single instant uPlot hands over [x, x + 86400 / 1e-3] (a day in its milliseconds unit,
 * read as seconds: nearly three years), so that case is judged on the data itself.
 */
const timeRange: uPlot.Range.Function = (u, min, max) => {
  const xs = u.data[0];
  return xs.length > 0 && xs[0] === xs[xs.length - 1] ? timeAxisRange(xs[0], xs[0]) : timeAxisRange(min, max);
};
/**
 * The theme's colours the series may take, in order of preference: its chart colours, then two terminal colours
 * for when some chart colours are too alike in a theme (chartColors.ts keeps only the distinct ones).
 */
const PALETTE_VARIABLES = ['--vscode-charts-blue', '--vscode-charts-red', '--vscode-charts-green', '--vscode-charts-purple',
  '--vscode-charts-orange', '--vscode-charts-yellow', '--vscode-terminal-ansiCyan', '--vscode-terminal-ansiMagenta',
  '--vscode-charts-foreground'];
/** The dash of a series drawn `dashed` (a p95 beside its solid p50). */
const DASH = [6, 4];

function cssVariable(name: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim();
}

/** What distinguishes the two charts. */
export interface ChartKind {
  /** x in epoch seconds (dates on the axis) or plain numbers. */
  readonly time: boolean;
  /** Fixed y range (percentages), or fitted to the data. */
  readonly yRange?: readonly [number, number];
  readonly yUnit: string;
  /** A value as the legend writes it, with its unit. */
  readonly format: (value: number) => string;
  readonly emptyText: string;
}

/** One chart in its container; `update` redraws it, rebuilding it only when its series or the theme changed. */
export class Chart {
  private plot: uPlot | undefined;
  private key = '';
  private readonly empty: HTMLElement;

  constructor(private readonly container: HTMLElement, private readonly kind: ChartKind) {
    this.empty = el('p', { class: 'empty' }, kind.emptyText);
    container.append(this.empty);
    new ResizeObserver(() => this.plot?.setSize({ width: this.width(), height: HEIGHT_PX })).observe(container);
  }

  update(data: ChartData): void {
    this.empty.hidden = data.x.length > 0;
    if (data.x.length === 0) {
      this.destroy();
      return;
    }
    const columns = [data.x, ...data.series.map((s) => s.values)] as uPlot.AlignedData;
    const key = data.series.map((s) => s.label).join('\n');
    if (this.plot && key === this.key) {
      this.plot.setData(columns);
      return;
    }
    this.destroy();
    this.key = key;
    this.plot = new uPlot(this.options(data), columns, this.container);
  }

  /** The theme changed: the next update rebuilds with its colours. */
  forget(): void {
    this.key = '';
  }

  private options(data: ChartData): uPlot.Options {
    const foreground = cssVariable('--vscode-foreground');
    const lines = cssVariable('--vscode-charts-lines') || foreground;
    const font = `11px ${cssVariable('--vscode-font-family') || 'sans-serif'}`;
    const palette = distinctPalette(PALETTE_VARIABLES.map(cssVariable), cssVariable('--vscode-editor-background'), foreground);
    const groups = [...new Set(data.series.map((series) => series.group ?? series.label))];
    const axis: uPlot.Axis = { stroke: foreground, font, grid: { stroke: lines, width: 0.5 }, ticks: { stroke: lines, width: 0.5 } };
    const unit = this.kind.yUnit;
    return {
      width: this.width(),
      height: HEIGHT_PX,
      scales: { x: this.kind.time ? { time: true, range: timeRange } : { time: false }, y: this.kind.yRange ? { range: [...this.kind.yRange] } : {} },
      axes: [axis, { ...axis, size: 56, values: (_u, values) => values.map((v) => `${v} ${unit}`) }],
      series: [
        {
          label: this.kind.time ? 'time' : 'run',
          // Not hovered: the values beside the series are the latest ones, and this says so.
          value: (_u: uPlot, v: number | null, _s: number, idx: number | null) => (idx === null || v === null ? 'latest'
            : this.kind.time ? new Date(v * 1000).toLocaleTimeString() : String(v)),
        },
        ...data.series.map((series) => ({
          label: series.label,
          stroke: palette[groups.indexOf(series.group ?? series.label) % palette.length],
          width: 1.5,
          ...(series.dashed ? { dash: DASH } : {}),
          value: (u: uPlot, v: number | null, seriesIdx: number, idx: number | null) => {
            // Not hovered (idx null): the latest value, so the legend always reads.
            const shown = idx === null ? latest(u.data[seriesIdx]) : v;
            return shown === null || shown === undefined ? '—' : this.kind.format(shown);
          },
        })),
      ],
      legend: { live: true },
    };
  }

  private width(): number {
    return Math.max(240, this.container.clientWidth);
  }

  private destroy(): void {
    this.plot?.destroy();
    this.plot = undefined;
    this.key = '';
  }
}
