/**
 * The panel's charts (Chart.js, bundled): open connections per backend over time for each
 * simulated algorithm, and the final distribution as bars. Lines differ by colour, dash and marker
 * (theme.ts); each figure carries data-* attributes describing what is drawn (the tests read them).
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Title,
  Tooltip,
  type ChartConfiguration,
  type ScriptableContext,
} from 'chart.js';
import type { SimResult } from '../../../server/src/service/simulate/types';
import type { Run } from './model';
import { colorAt, faded, markerAt, palette, seriesStyle } from './theme';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  PointElement,
  Title,
  Tooltip,
);

/** About this many markers per line. */
const MARKERS_PER_LINE = 10;

function timeLabel(t: number): string {
  const m = Math.floor(t / 60);
  const h = Math.floor(m / 60);
  return h ? `${h}h${String(m % 60).padStart(2, '0')}` : `${m}m`;
}

/** `title` is drawn only when given (two charts side by side); one chart's algorithm is in the bar. */
export function lineConfig(r: SimResult, title?: string): ChartConfiguration<'line'> {
  const p = palette();
  const every = Math.max(1, Math.round(r.series.length / MARKERS_PER_LINE));
  const n = r.backends.length;
  return {
    type: 'line',
    data: {
      labels: r.series.map((s) => timeLabel(s.tSec)),
      datasets: r.backends.map((b, i) => {
        const style = seriesStyle(i);
        return {
          label: b.server + (b.backup ? ' (backup)' : ''),
          data: r.series.map((s) => s.connections[i] ?? 0),
          borderColor: colorAt(p.series, i),
          backgroundColor: colorAt(p.series, i),
          borderWidth: 1.75,
          borderDash: style.dash,
          pointStyle: style.marker,
          pointRadius: (ctx: ScriptableContext<'line'>) => (markerAt(i, n, ctx.dataIndex, every) ? 3.5 : 0),
          pointHoverRadius: 4,
          tension: 0,
          // The solid first line is drawn first (a higher order is drawn earlier), the dashed ones
          // over it: where lines coincide, each shows through the gaps of those above it.
          order: n - i,
        };
      }),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'index', intersect: false },
      plugins: {
        title: { display: !!title, text: title ?? '', color: p.fg },
        // Legend and tooltip in the backends' order (not the drawing order).
        legend: {
          labels: {
            color: p.fg,
            usePointStyle: true,
            boxWidth: 10,
            boxHeight: 8,
            sort: (a, b) => (a.datasetIndex ?? 0) - (b.datasetIndex ?? 0),
          },
        },
        tooltip: { itemSort: (a, b) => a.datasetIndex - b.datasetIndex },
      },
      scales: {
        x: {
          ticks: { color: p.fg, maxTicksLimit: 8 },
          grid: { color: p.grid },
        },
        y: {
          beginAtZero: true,
          ticks: { color: p.fg },
          grid: { color: p.grid },
          title: { display: true, text: 'open connections', color: p.fg },
        },
      },
    },
  };
}

/** Bars per backend in the lines' colours; a compared algorithm in the same colours, faded. */
export function barsConfig(ok: Run[]): ChartConfiguration<'bar'> {
  const p = palette();
  const first = ok[0].result!;
  const colors = first.backends.map((_, j) => colorAt(p.series, j));
  return {
    type: 'bar',
    data: {
      labels: first.backends.map((b) => b.server),
      datasets: ok.map((r, i) => ({
        label: ok.length > 1 ? `${r.spec}${i === 0 ? ' (solid)' : ' (faded)'}` : r.spec,
        data: first.backends.map((_, j) => r.result!.backends[j]?.finalConnections ?? 0),
        backgroundColor: i === 0 ? colors : colors.map((c) => faded(c)),
        borderColor: colors,
        borderWidth: i === 0 ? 0 : 1.5,
      })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      plugins: {
        title: { display: true, text: 'Open connections per backend at the end', color: p.fg },
        legend: { display: ok.length > 1, labels: { color: p.fg, boxWidth: 12 } },
      },
      scales: {
        x: { ticks: { color: p.fg }, grid: { color: p.grid } },
        y: { beginAtZero: true, ticks: { color: p.fg }, grid: { color: p.grid } },
      },
    },
  };
}

function describeRun(r: SimResult): string {
  return `${r.pool}, ${r.algorithm}: final connections ${r.backends.map((b) => `${b.server} ${b.finalConnections}`).join(', ')}; imbalance ${r.metrics.imbalance.toFixed(2)}`;
}

export interface ChartTargets {
  chartA: HTMLElement;
  chartB: HTMLElement;
  lineA: HTMLCanvasElement;
  lineB: HTMLCanvasElement;
  bars: HTMLCanvasElement;
}

/** The three charts of the panel, redrawn from the runs of one setting. */
export class Charts {
  private a?: Chart;
  private b?: Chart;
  private bars?: Chart;

  constructor(private readonly el: ChartTargets) {}

  draw(pool: string, ok: Run[]): void {
    if (!ok.length) return this.clear();
    const b = ok[1];
    this.a = this.line(this.a, this.el.chartA, this.el.lineA, ok[0], b ? `${pool}: ${ok[0].spec}` : undefined);
    this.el.chartB.hidden = !b;
    if (b) this.b = this.line(this.b, this.el.chartB, this.el.lineB, b, `${pool}: ${b.spec}`);
    else {
      this.b?.destroy();
      this.b = undefined;
      delete this.el.chartB.dataset.algorithm;
    }
    this.bars?.destroy();
    this.bars = make(this.el.bars, barsConfig(ok));
  }

  clear(): void {
    for (const c of [this.a, this.b, this.bars]) c?.destroy();
    this.a = this.b = this.bars = undefined;
  }

  /** The canvases an export shows: the visible line charts, then the bars. */
  canvases(): { lines: HTMLCanvasElement[]; bars?: HTMLCanvasElement } {
    const lines = [this.el.lineA, ...(this.el.chartB.hidden ? [] : [this.el.lineB])].filter(
      (c) => c.width > 0 && c.height > 0,
    );
    return { lines, bars: this.bars && this.el.bars.width > 0 ? this.el.bars : undefined };
  }

  private line(old: Chart | undefined, fig: HTMLElement, canvas: HTMLCanvasElement, r: Run, title?: string): Chart {
    old?.destroy();
    const res = r.result!;
    const chart = make(canvas, lineConfig(res, title));
    fig.dataset.algorithm = r.spec;
    fig.dataset.total = String(res.series.reduce((s, x) => s + x.connections.reduce((a, b) => a + b, 0), 0));
    fig.dataset.final = res.backends.map((b) => b.finalConnections).join(',');
    // The styles Chart.js was given, per series (what tells overlapping lines apart).
    fig.dataset.styles = JSON.stringify(
      chart.data.datasets.map((d) => {
        const x = d as { borderColor?: unknown; borderDash?: unknown; pointStyle?: unknown };
        return { color: x.borderColor, dash: x.borderDash, marker: x.pointStyle };
      }),
    );
    canvas.setAttribute('aria-label', describeRun(res));
    return chart;
  }
}

function make(canvas: HTMLCanvasElement, config: ChartConfiguration<'line'> | ChartConfiguration<'bar'>): Chart {
  // Chart's type parameters are inferred from the argument; one of two configurations does not
  // infer, so the argument is typed as the general configuration first.
  const general: ChartConfiguration = config;
  return new Chart(canvas, general);
}
