/**
 * Colours from the VS Code theme (it sets --vscode-* variables on the document; re-read on every
 * draw, so a theme change shows at the next redraw), and the per-series line styles that keep
 * overlapping lines apart: each backend has its own colour, dash pattern and marker shape.
 */
import type { PointStyle } from 'chart.js';

export function cssVar(name: string, fallback: string): string {
  const v =
    getComputedStyle(document.documentElement).getPropertyValue(name).trim() ||
    getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export interface Palette {
  series: string[];
  fg: string;
  grid: string;
  background: string;
}

export function palette(): Palette {
  const series = [
    cssVar('--vscode-charts-blue', '#3794ff'),
    cssVar('--vscode-charts-orange', '#d18616'),
    cssVar('--vscode-charts-green', '#89d185'),
    cssVar('--vscode-charts-purple', '#b180d7'),
    cssVar('--vscode-charts-red', '#f14c4c'),
    cssVar('--vscode-charts-yellow', '#cca700'),
    cssVar('--vscode-terminal-ansiCyan', '#11a8cd'),
    cssVar('--vscode-terminal-ansiMagenta', '#bc3fbc'),
  ];
  return {
    series,
    fg: cssVar('--vscode-foreground', '#555'),
    grid: cssVar('--vscode-panel-border', 'rgba(128,128,128,0.3)'),
    background: cssVar('--vscode-editor-background', '#ffffff'),
  };
}

export function colorAt(series: string[], i: number): string {
  return series[i % series.length];
}

/** A colour made translucent (hex colours only; others are returned as they are). */
export function faded(color: string, alpha = 0.45): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (!hex) return color;
  return `${color}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0')}`;
}

// Solid, dashed, dotted, dash-dot, long dash, …: seven patterns and seven markers, so that with
// the eight colours no two of the first 56 backends look alike.
const DASHES: number[][] = [[], [8, 4], [2, 3], [10, 3, 2, 3], [14, 6], [4, 4], [10, 3, 2, 3, 2, 3]];
const MARKERS: PointStyle[] = ['circle', 'triangle', 'rect', 'rectRot', 'crossRot', 'star', 'cross'];

export interface SeriesStyle {
  dash: number[];
  marker: PointStyle;
}

export function seriesStyle(i: number): SeriesStyle {
  return { dash: DASHES[i % DASHES.length], marker: MARKERS[i % MARKERS.length] };
}

/**
 * Whether series `series` of `count` shows a marker at sample `index`: every `every`-th sample,
 * each series shifted by its share of `every`, so that lines lying on top of each other still
 * show every series' marker (at different times).
 */
export function markerAt(series: number, count: number, index: number, every: number): boolean {
  if (every <= 0) return false;
  const shift = Math.floor((series * every) / Math.max(1, count));
  return (index + every - (shift % every)) % every === 0;
}
