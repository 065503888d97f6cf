/// <reference lib="dom" />
/**
 * The dashboard's two charts, drawn by uPlot (bundled by esbuild; its stylesheet goes to dist/webview.css).
 * A canvas cannot read CSS variables, so the theme's chart colours (`--vscode-charts-*`) are read when a chart is
 * built, and the charts are rebuilt when the theme changes.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartData } from '../shared/dashboardCharts';
import { el } from './dom';

const HEIGHT_PX = 200;
/** The theme's chart colours, in the order series take them. */
const PALETTE_VARIABLES = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple',
  '--vscode-charts-yellow', '--vscode-charts-red', '--vscode-charts-foreground'];

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
    const palette = PALETTE_VARIABLES.map(cssVariable);
    const axis: uPlot.Axis = { stroke: foreground, font, grid: { stroke: lines, width: 0.5 }, ticks: { stroke: lines, width: 0.5 } };
    const unit = this.kind.yUnit;
    return {
      width: this.width(),
      height: HEIGHT_PX,
      scales: { x: { time: this.kind.time }, y: this.kind.yRange ? { range: [...this.kind.yRange] } : {} },
      axes: [axis, { ...axis, size: 56, values: (_u, values) => values.map((v) => `${v} ${unit}`) }],
      series: [
        { label: this.kind.time ? 'time' : 'run' },
        ...data.series.map((series, i) => ({
          label: series.label, stroke: palette[i % palette.length] || foreground, width: 1.5,
          value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${Number(v.toFixed(1))} ${unit}`),
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
