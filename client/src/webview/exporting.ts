/**
 * Export CSV and PNG, each carrying the run's parameters (params.ts): the CSV as columns on every
 * row, the PNG as a caption drawn above the charts and as iTXt text chunks.
 */
import type { SimPool } from '../../../server/src/service/simulate/types';
import { safeFileName, seriesCsv, type Run } from './model';
import { PARAM_COLUMNS, captionLines, exportParams, paramsText } from './params';
import { bytesDataUrl, dataUrlBytes, withPngText } from './png';
import type { WebviewState } from './protocol';
import type { FromWebview } from './protocol';
import { cssVar, palette } from './theme';

export function csvMessage(state: WebviewState & { pool: SimPool }, runs: Run[]): FromWebview {
  const p = exportParams(state.uri, state.pool, state.controls);
  return {
    type: 'exportCsv',
    fileName: `${safeFileName(state.pool.name)}-simulation.csv`,
    csv: seriesCsv(
      runs,
      PARAM_COLUMNS.map((k) => [k, p[k]]),
    ),
  };
}

/**
 * The line charts side by side and the bars below them, under a caption with the parameters, on
 * the editor background. Undefined when nothing is drawn.
 */
export function pngMessage(
  state: WebviewState & { pool: SimPool },
  canvases: { lines: HTMLCanvasElement[]; bars?: HTMLCanvasElement },
): FromWebview | undefined {
  const { lines, bars } = canvases;
  if (!lines.length) return undefined;
  const params = exportParams(state.uri, state.pool, state.controls);
  const caption = captionLines(params, state.pool);
  const scale = window.devicePixelRatio || 1;
  const lineH = Math.round(18 * scale);
  const top = Math.round(caption.length * lineH + 10 * scale);
  const out = document.createElement('canvas');
  const chartsW = lines.reduce((s, c) => s + c.width, 0);
  const chartsH = Math.max(...lines.map((c) => c.height));
  out.width = Math.max(chartsW, bars?.width ?? 0);
  out.height = top + chartsH + (bars?.height ?? 0);
  const ctx = out.getContext('2d');
  if (!ctx) return undefined;
  const p = palette();
  ctx.fillStyle = p.background;
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = p.fg;
  ctx.textBaseline = 'top';
  caption.forEach((text, i) => {
    ctx.font = `${i === 0 ? '600 ' : ''}${Math.round(13 * scale)}px ${cssVar('--vscode-font-family', 'sans-serif')}`;
    ctx.fillText(text, Math.round(8 * scale), Math.round(6 * scale) + i * lineH, out.width - 16 * scale);
  });
  let x = 0;
  for (const c of lines) {
    ctx.drawImage(c, x, top);
    x += c.width;
  }
  if (bars) ctx.drawImage(bars, 0, top + chartsH);
  const png = withPngText(dataUrlBytes(out.toDataURL('image/png')), {
    Title: caption[0],
    Description: caption[1],
    Comment: paramsText(params),
    Software: 'wslb simulator',
  });
  return {
    type: 'exportPng',
    fileName: `${safeFileName(state.pool.name)}-simulation.png`,
    dataUrl: bytesDataUrl(png),
  };
}
