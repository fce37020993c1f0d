/**
 * The simulator webview's HTML document (no VS Code API here, so the browser test serves the very
 * same page). Strict Content-Security-Policy: nothing loads but the nonce'd bundle and nonce'd
 * style; images only from the webview's own resources or data: URLs (the PNG export preview).
 */

export interface HtmlOptions {
  /** `webview.cspSource` (the origin of local resources). */
  cspSource: string;
  /** URI of dist/webview/main.js as the webview sees it. */
  scriptUri: string;
  nonce: string;
  title?: string;
}

/** A fresh nonce: 32 characters from [A-Za-z0-9], from a CSPRNG when one is available. */
export function makeNonce(random: (n: number) => Uint8Array = defaultRandom): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = random(32);
  let s = '';
  for (let i = 0; i < 32; i++) s += abc[bytes[i] % abc.length];
  return s;
}

function defaultRandom(n: number): Uint8Array {
  const out = new Uint8Array(n);
  const c = (globalThis as { crypto?: { getRandomValues?(a: Uint8Array): Uint8Array } }).crypto;
  if (c?.getRandomValues) return c.getRandomValues(out);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}

/** Text made safe inside HTML elements and quoted attributes (the rule pages use it too). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    `default-src 'none'`,
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
    // The simulator runs in a Worker built from the bundle: fetched from the webview's own
    // resources and started from a blob: URL (nothing else is fetched or run).
    `connect-src ${cspSource}`,
    `worker-src blob:`,
  ].join('; ');
}

export function renderHtml(o: HtmlOptions): string {
  const nonce = escapeHtml(o.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(contentSecurityPolicy(o.cspSource, o.nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(o.title ?? 'Simulate balancing')}</title>
<style nonce="${nonce}">${CSS}</style>
</head>
<body>
<main id="app" class="layout" aria-busy="true">
  <header class="top">
    <h1 id="title">Simulate balancing</h1>
    <p id="subtitle" class="muted sub">Waiting for a pool…</p>
  </header>
  <form id="controls" class="bar" aria-label="Simulation settings" novalidate>
    <div class="field"><label for="algorithm">Algorithm</label><select id="algorithm" name="algorithm"></select></div>
    <div class="field"><label for="compareWith">Compare with</label><select id="compareWith" name="compareWith"><option value="">(no comparison)</option></select></div>
    <div class="field"><label for="clients">Clients <output id="clientsOut" for="clients"></output></label><input id="clients" name="clients" type="range" min="10" max="20000" step="10"></div>
    <div class="field"><label for="natShare">Behind NAT <output id="natShareOut" for="natShare"></output></label><input id="natShare" name="natShare" type="range" min="0" max="100" step="5"></div>
    <div class="field"><label for="scenario">Scenario</label><select id="scenario" name="scenario"></select></div>
  </form>
  <section id="headline" class="headline" aria-label="Results at a glance"></section>
  <section id="charts" class="charts" aria-label="Connections per backend over time">
    <figure class="chart" id="chartA"><canvas id="lineA" role="img" aria-label="Connections per backend over time"></canvas></figure>
    <figure class="chart" id="chartB" hidden><canvas id="lineB" role="img" aria-label="Connections per backend over time, compared algorithm"></canvas></figure>
  </section>
  <div class="info">
    <p id="status" class="muted" role="status" aria-live="polite"></p>
    <p id="notice" class="muted" role="status" aria-live="polite"></p>
    <p id="fidelity" class="fidelity muted"></p>
  </div>
  <aside id="side" class="side" aria-label="More settings and actions">
    <details id="more">
      <summary>More settings</summary>
      <form id="moreControls" class="more" aria-label="More simulation settings" novalidate>
        <div class="field"><label for="reconnect">Reconnect policy</label><select id="reconnect" name="reconnect">
          <option value="immediate">immediate</option><option value="fixed">fixed delay (5 s)</option><option value="backoff">exponential backoff with jitter (1–60 s)</option>
        </select></div>
        <div class="field"><label for="natAddresses">NAT addresses</label><input id="natAddresses" name="natAddresses" type="number" min="1" max="1000" step="1"></div>
        <div class="field check"><input id="drain" name="drain" type="checkbox"><label for="drain">Drain with close frames (deploy, scale in)</label></div>
        <div class="field"><label for="lifetimeHours">Mean connection lifetime (h)</label><input id="lifetimeHours" name="lifetimeHours" type="number" min="0.01" max="48" step="0.25"></div>
        <div class="field"><label for="durationSec">Simulated time</label><select id="durationSec" name="durationSec">
          <option value="900">15 minutes</option><option value="3600">1 hour</option><option value="10800">3 hours</option><option value="21600">6 hours</option>
        </select></div>
        <div class="field"><label for="seed">Seed</label><input id="seed" name="seed" type="number" min="0" step="1"></div>
      </form>
    </details>
    <div class="actions" role="toolbar" aria-label="Actions">
      <button id="apply" type="button" disabled>Apply to config</button>
      <button id="reset" type="button" class="secondary">Reset to config</button>
      <button id="exportCsv" type="button" class="secondary">Export CSV</button>
      <button id="exportPng" type="button" class="secondary">Export PNG</button>
    </div>
  </aside>
  <section class="charts final" aria-label="Final distribution">
    <figure class="chart wide"><canvas id="bars" role="img" aria-label="Final connections per backend"></canvas></figure>
  </section>
  <section class="metrics" aria-labelledby="metricsTitle">
    <h2 id="metricsTitle">Metrics</h2>
    <table id="metrics"><thead></thead><tbody></tbody></table>
  </section>
</main>
<script nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>`;
}

// Narrow panels (the default beside an editor, the Problems panel open): one column, the chart and
// the headline numbers right under a compact bar of the main controls, the rest folded. From
// 760 px on, the other settings and the actions move to a column beside the charts.
const CSS = `
:root { color-scheme: light dark; }
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px);
  color: var(--vscode-foreground, #333); background: var(--vscode-editor-background, #fff); margin: 0; padding: 8px 12px; }
h1 { font-size: 1.15em; margin: 0; font-weight: 600; }
h2 { font-size: 1.05em; margin: 12px 0 6px; font-weight: 600; }
.muted { color: var(--vscode-descriptionForeground, #717171); margin: 2px 0 4px; }
.sub { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.fidelity { font-size: 0.92em; }
.fidelity[data-fidelity="model"] { border-left: 3px solid var(--vscode-editorWarning-foreground, #bf8803); padding-left: 6px; }
.layout { display: grid; grid-template-columns: minmax(0, 1fr); grid-template-areas: "top" "bar" "headline" "charts" "info" "side" "final" "metrics"; gap: 6px 16px; }
.top { grid-area: top; } .bar { grid-area: bar; } .headline { grid-area: headline; } #charts { grid-area: charts; }
.info { grid-area: info; } .side { grid-area: side; } .final { grid-area: final; } .metrics { grid-area: metrics; }
@media (min-width: 760px) {
  .layout { grid-template-columns: minmax(0, 1fr) 250px;
    grid-template-areas: "top top" "bar bar" "headline side" "charts side" "info side" "final side" "metrics side"; }
  .side { align-self: start; border-left: 1px solid var(--vscode-panel-border, #ddd); padding-left: 12px; }
}
.bar { display: grid; grid-template-columns: repeat(auto-fill, minmax(120px, 1fr)); gap: 4px 10px; margin: 0; }
.more { display: grid; grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); gap: 6px 10px; margin: 6px 0; }
.field { display: flex; flex-direction: column; gap: 2px; min-width: 0; }
.field label { font-size: 0.92em; }
.field.check { flex-direction: row; align-items: center; gap: 6px; }
summary { cursor: pointer; padding: 2px 0; }
label { color: var(--vscode-foreground, inherit); }
output { color: var(--vscode-descriptionForeground, #717171); margin-left: 4px; }
select, input[type=number] { background: var(--vscode-dropdown-background, #fff); color: var(--vscode-dropdown-foreground, inherit);
  border: 1px solid var(--vscode-dropdown-border, #ccc); padding: 2px 4px; font: inherit; border-radius: 2px; min-width: 0; width: 100%; box-sizing: border-box; }
input[type=range] { accent-color: var(--vscode-button-background, #007acc); min-width: 0; width: 100%; margin: 2px 0; }
button { background: var(--vscode-button-background, #007acc); color: var(--vscode-button-foreground, #fff); border: 1px solid var(--vscode-button-border, transparent);
  padding: 3px 10px; font: inherit; cursor: pointer; border-radius: 2px; }
button:hover:not(:disabled) { background: var(--vscode-button-hoverBackground, #0062a3); }
button.secondary { background: var(--vscode-button-secondaryBackground, #e5e5e5); color: var(--vscode-button-secondaryForeground, #333); }
button.secondary:hover:not(:disabled) { background: var(--vscode-button-secondaryHoverBackground, #ccc); }
button:disabled { opacity: 0.5; cursor: default; }
:focus-visible, select:focus, input:focus, button:focus { outline: 1px solid var(--vscode-focusBorder, #0090f1); outline-offset: 2px; }
.actions { display: flex; flex-wrap: wrap; gap: 6px; margin: 6px 0; }
.headline { display: flex; flex-wrap: wrap; gap: 6px; }
.stat { flex: 1 1 100px; border: 1px solid var(--vscode-panel-border, #ddd); border-radius: 3px; padding: 3px 8px; cursor: help; }
.stat .label { display: block; font-size: 0.85em; color: var(--vscode-descriptionForeground, #717171); }
.stat .value { font-size: 1.35em; font-weight: 600; font-variant-numeric: tabular-nums; }
.stat .vs { font-size: 0.85em; margin-left: 6px; color: var(--vscode-descriptionForeground, #717171); }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart { flex: 1 1 380px; min-width: 260px; height: 260px; position: relative; margin: 0; }
.chart.wide { flex-basis: 100%; height: 200px; }
/* A short panel (the Problems panel open) still shows the whole chart: it gives up height first. */
@media (max-width: 759px) { .chart { height: clamp(170px, calc(100vh - 230px), 260px); } }
table { border-collapse: collapse; min-width: 50%; }
th, td { text-align: left; padding: 3px 10px; border-bottom: 1px solid var(--vscode-panel-border, #ddd); }
tr[title] th { cursor: help; text-decoration: underline dotted; text-underline-offset: 3px; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.better { color: var(--vscode-charts-green, #388a34); }
.error { color: var(--vscode-errorForeground, #a1260d); }
`;
