/**
 * The "Simulate balancing" webview: controls, charts (Chart.js, bundled) and metrics. The
 * simulator engine runs right here, so every change redraws without a round trip to the
 * extension host. State survives hiding and restoring through the webview state API.
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
} from 'chart.js';
import type { SimPool, SimResult } from '../../../server/src/service/simulate/types';
import {
  metricRows,
  poolKind,
  fidelityText,
  SCENARIOS,
  algorithmChoices,
  defaultControls,
  isPool,
  runOne,
  safeFileName,
  sanitizeControls,
  sanitizeState,
  seriesCsv,
  specOf,
  type Run,
} from './model';
import type { Controls, FromWebview, ToWebview, WebviewState } from './protocol';

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

interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** A simulation job for the worker (the same bundle runs as the worker: see `runInWorker`). */
interface Job {
  id: number;
  pool: SimPool;
  specs: string[];
  controls: Controls;
}
interface JobDone {
  id: number;
  runs: Run[];
}

if (typeof document === 'undefined') {
  // Worker side: run the engine and post the results back.
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<Job>) => void) | null;
    postMessage(m: JobDone): void;
  };
  scope.onmessage = (e) => {
    const j = e.data;
    scope.postMessage({ id: j.id, runs: j.specs.map((s) => runOne(j.pool, s, j.controls, () => performance.now())) });
  };
} else {
  startUi();
}

function startUi(): void {
  const vscode = acquireVsCodeApi();
  const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

  const el = {
    app: $<HTMLElement>('app'),
    title: $<HTMLElement>('title'),
    subtitle: $<HTMLElement>('subtitle'),
    fidelity: $<HTMLElement>('fidelity'),
    form: $<HTMLFormElement>('controls'),
    algorithm: $<HTMLSelectElement>('algorithm'),
    compareWith: $<HTMLSelectElement>('compareWith'),
    clients: $<HTMLInputElement>('clients'),
    clientsOut: $<HTMLOutputElement>('clientsOut'),
    natShare: $<HTMLInputElement>('natShare'),
    natShareOut: $<HTMLOutputElement>('natShareOut'),
    natAddresses: $<HTMLInputElement>('natAddresses'),
    reconnect: $<HTMLSelectElement>('reconnect'),
    scenario: $<HTMLSelectElement>('scenario'),
    drain: $<HTMLInputElement>('drain'),
    lifetimeHours: $<HTMLInputElement>('lifetimeHours'),
    durationSec: $<HTMLSelectElement>('durationSec'),
    seed: $<HTMLInputElement>('seed'),
    apply: $<HTMLButtonElement>('apply'),
    reset: $<HTMLButtonElement>('reset'),
    exportCsv: $<HTMLButtonElement>('exportCsv'),
    exportPng: $<HTMLButtonElement>('exportPng'),
    status: $<HTMLElement>('status'),
    // What the extension answered to "Apply to config" or an export. Apart from #status, which every
    // simulation rewrites: applying edits the config, the extension sends the changed pool back and
    // the panel simulates again, often right after the answer came (the confirmation was then gone
    // before anyone could read it). It stays until the user changes a setting.
    notice: $<HTMLElement>('notice'),
    chartA: $<HTMLElement>('chartA'),
    chartB: $<HTMLElement>('chartB'),
    lineA: $<HTMLCanvasElement>('lineA'),
    lineB: $<HTMLCanvasElement>('lineB'),
    bars: $<HTMLCanvasElement>('bars'),
    metrics: $<HTMLTableElement>('metrics'),
  };

  let state: WebviewState = sanitizeState(vscode.getState()) ?? { version: 1, controls: defaultControls() };
  let runs: Run[] = [];
  let timer: ReturnType<typeof setTimeout> | undefined;
  let charts: { a?: Chart; b?: Chart; bars?: Chart } = {};

  // ---------------------------------------------------------------------------------------------
  // theme colours (VS Code sets --vscode-* variables on the document; re-read on theme change)

  function cssVar(name: string, fallback: string): string {
    const v =
      getComputedStyle(document.documentElement).getPropertyValue(name).trim() ||
      getComputedStyle(document.body).getPropertyValue(name).trim();
    return v || fallback;
  }

  function palette(): { series: string[]; fg: string; grid: string } {
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
    };
  }

  function colorAt(series: string[], i: number): string {
    return series[i % series.length];
  }

  // ---------------------------------------------------------------------------------------------
  // controls

  function option(value: string, label: string): HTMLOptionElement {
    const o = document.createElement('option');
    o.value = value;
    o.textContent = label;
    return o;
  }

  function fillSelects(pool: SimPool | undefined): void {
    const choices = pool ? algorithmChoices(pool) : [];
    el.algorithm.replaceChildren(
      ...choices.map((c) => option(c.spec, c.spec === state.configSpec ? `${c.label} — in config` : c.label)),
    );
    el.compareWith.replaceChildren(option('', '(no comparison)'), ...choices.map((c) => option(c.spec, c.label)));
    if (!el.scenario.options.length) el.scenario.replaceChildren(...SCENARIOS.map((s) => option(s.kind, s.label)));
  }

  function writeControls(c: Controls): void {
    el.algorithm.value = c.algorithm;
    el.compareWith.value = c.compareWith;
    el.clients.value = String(c.clients);
    el.natShare.value = String(Math.round(c.natShare * 100));
    el.natAddresses.value = String(c.natAddresses);
    el.reconnect.value = c.reconnect;
    el.scenario.value = c.scenario;
    el.drain.checked = c.drain;
    el.lifetimeHours.value = String(c.lifetimeHours);
    if (!Array.from(el.durationSec.options).some((o) => o.value === String(c.durationSec)))
      el.durationSec.append(option(String(c.durationSec), `${Math.round(c.durationSec / 60)} minutes`));
    el.durationSec.value = String(c.durationSec);
    el.seed.value = String(c.seed);
    writeOutputs(c);
  }

  function writeOutputs(c: Controls): void {
    el.clientsOut.value = c.clients.toLocaleString('en-US');
    el.natShareOut.value = `${Math.round(c.natShare * 100)}%`;
    el.natAddresses.disabled = c.natShare === 0;
    el.drain.disabled = c.scenario !== 'deploy' && c.scenario !== 'scale-in';
  }

  function readControls(): Controls {
    return sanitizeControls(
      {
        algorithm: el.algorithm.value,
        compareWith: el.compareWith.value,
        clients: Number(el.clients.value),
        natShare: Number(el.natShare.value) / 100,
        natAddresses: Number(el.natAddresses.value),
        reconnect: el.reconnect.value,
        scenario: el.scenario.value,
        drain: el.drain.checked,
        lifetimeHours: Number(el.lifetimeHours.value),
        durationSec: Number(el.durationSec.value),
        seed: Number(el.seed.value),
      },
      state.pool,
    );
  }

  function save(): void {
    vscode.setState(state);
  }

  function updateApply(): void {
    const aws = state.pool?.system === 'aws';
    const can = !aws && !!state.uri && !!state.pool && state.controls.algorithm !== state.configSpec;
    el.apply.disabled = !can;
    el.apply.title = aws
      ? 'For an AWS target group, set the routing algorithm attribute in the template'
      : !state.uri
        ? 'This pool was not read from a file'
        : can
          ? `Write "${state.controls.algorithm}" into ${state.pool?.name}`
          : 'The config already uses this algorithm';
  }

  function onControlsChanged(immediate = false): void {
    el.notice.textContent = '';
    el.notice.classList.remove('error');
    state.controls = readControls();
    writeOutputs(state.controls);
    updateApply();
    save();
    schedule(immediate ? 0 : 150);
  }

  // ---------------------------------------------------------------------------------------------
  // running and drawing

  function schedule(delay: number): void {
    if (timer) clearTimeout(timer);
    // From now on a run still in the worker is stale: its result must not be drawn (nor end the
    // busy state) while the newer settings wait for their debounce.
    jobId++;
    el.app.setAttribute('aria-busy', 'true');
    timer = setTimeout(() => {
      timer = undefined;
      runNow();
    }, delay);
  }

  // The engine runs in a Worker made from this very bundle (fetched once, started from a blob: URL,
  // as webview resources are not same-origin with the webview). A newer job terminates a running
  // one, so the controls never wait for a stale simulation. Without Worker support (or if the
  // bundle cannot be fetched) it runs inline after the debounce.
  const bundleUrl = (document.currentScript as HTMLScriptElement | null)?.src;
  let workerUrl: Promise<string | null> | undefined;
  let worker: Worker | undefined;
  let busy = false;
  let jobId = 0;

  function getWorkerUrl(): Promise<string | null> {
    workerUrl ??= (async () => {
      if (!bundleUrl || typeof Worker === 'undefined' || typeof Blob === 'undefined') return null;
      try {
        const res = await fetch(bundleUrl);
        if (!res.ok) return null;
        return URL.createObjectURL(new Blob([await res.text()], { type: 'text/javascript' }));
      } catch {
        return null;
      }
    })();
    return workerUrl;
  }

  function runNow(): void {
    const pool = state.pool;
    if (!pool) return;
    const c = state.controls;
    const specs = [c.algorithm, ...(c.compareWith && c.compareWith !== c.algorithm ? [c.compareWith] : [])];
    const id = ++jobId;
    el.status.classList.remove('error');
    el.status.textContent = 'Simulating…';
    void getWorkerUrl().then((url) => {
      if (id !== jobId) return;
      if (!url) {
        el.app.dataset.engine = 'inline';
        finish(specs.map((s) => runOne(pool, s, c, () => performance.now())));
        return;
      }
      el.app.dataset.engine = 'worker';
      if (worker && busy) {
        worker.terminate();
        worker = undefined;
      }
      if (!worker) {
        try {
          worker = new Worker(url);
        } catch {
          workerUrl = Promise.resolve(null);
          runNow();
          return;
        }
        const w = worker;
        w.onmessage = (e: MessageEvent<JobDone>) => {
          busy = false;
          if (e.data.id === jobId) finish(e.data.runs);
        };
        w.onerror = (e) => {
          e.preventDefault();
          busy = false;
          if (worker === w) worker = undefined;
          w.terminate();
          if (id === jobId) {
            workerUrl = Promise.resolve(null);
            runNow();
          }
        };
      }
      busy = true;
      worker.postMessage({ id, pool, specs, controls: c } satisfies Job);
    });
  }

  function finish(done: Run[]): void {
    runs = done;
    const c = state.controls;
    draw();
    const errors = runs.filter((r) => r.error).map((r) => `${r.spec}: ${r.error}`);
    const truncated = runs.filter((r) => r.truncated).map((r) => r.spec);
    const ms = runs.reduce((s, r) => s + r.ms, 0);
    el.status.classList.toggle('error', errors.length > 0);
    el.status.textContent = errors.length
      ? errors.join('; ')
      : `${c.clients.toLocaleString('en-US')} clients, ${SCENARIOS.find((s) => s.kind === c.scenario)?.label.toLowerCase()}, seed ${c.seed}: simulated in ${Math.round(ms)} ms` +
        (truncated.length ? ` (stopped early, event budget reached: ${truncated.join(', ')})` : '');
    el.app.setAttribute('aria-busy', 'false');
  }

  function timeLabel(t: number): string {
    const m = Math.floor(t / 60);
    const h = Math.floor(m / 60);
    return h ? `${h}h${String(m % 60).padStart(2, '0')}` : `${m}m`;
  }

  function lineConfig(r: SimResult, title: string): ChartConfiguration<'line'> {
    const p = palette();
    return {
      type: 'line',
      data: {
        labels: r.series.map((s) => timeLabel(s.tSec)),
        datasets: r.backends.map((b, i) => ({
          label: b.server + (b.backup ? ' (backup)' : ''),
          data: r.series.map((s) => s.connections[i] ?? 0),
          borderColor: colorAt(p.series, i),
          backgroundColor: colorAt(p.series, i),
          borderWidth: 1.5,
          pointRadius: 0,
          tension: 0,
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        interaction: { mode: 'index', intersect: false },
        plugins: {
          title: { display: true, text: title, color: p.fg },
          legend: { labels: { color: p.fg, boxWidth: 12 } },
        },
        scales: {
          x: {
            ticks: { color: p.fg, maxTicksLimit: 8 },
            grid: { color: p.grid },
            title: { display: true, text: 'time', color: p.fg },
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

  function barsConfig(ok: Run[]): ChartConfiguration<'bar'> {
    const p = palette();
    const first = ok[0].result!;
    return {
      type: 'bar',
      data: {
        labels: first.backends.map((b) => b.server),
        datasets: ok.map((r, i) => ({
          label: r.spec,
          data: first.backends.map((_, j) => r.result!.backends[j]?.finalConnections ?? 0),
          backgroundColor: colorAt(p.series, i === 0 ? 0 : 1),
        })),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          title: { display: true, text: 'Open connections per backend at the end', color: p.fg },
          legend: { labels: { color: p.fg, boxWidth: 12 } },
        },
        scales: {
          x: { ticks: { color: p.fg }, grid: { color: p.grid } },
          y: { beginAtZero: true, ticks: { color: p.fg }, grid: { color: p.grid } },
        },
      },
    };
  }

  function replaceChart(
    old: Chart | undefined,
    canvas: HTMLCanvasElement,
    config: ChartConfiguration<'line'> | ChartConfiguration<'bar'>,
  ): Chart {
    old?.destroy();
    // Chart's type parameters are inferred from the argument; one of two configurations does not
    // infer, so the argument is typed as the general configuration first.
    const general: ChartConfiguration = config;
    return new Chart(canvas, general);
  }

  function describeRun(r: SimResult): string {
    return `${r.pool}, ${r.algorithm}: final connections ${r.backends.map((b) => `${b.server} ${b.finalConnections}`).join(', ')}; imbalance ${r.metrics.imbalance.toFixed(2)}`;
  }

  function annotate(fig: HTMLElement, canvas: HTMLCanvasElement, r: Run): void {
    const res = r.result!;
    fig.dataset.algorithm = r.spec;
    fig.dataset.total = String(res.series.reduce((s, x) => s + x.connections.reduce((a, b) => a + b, 0), 0));
    fig.dataset.final = res.backends.map((b) => b.finalConnections).join(',');
    canvas.setAttribute('aria-label', describeRun(res));
  }

  function draw(): void {
    const ok = runs.filter((r) => r.result);
    const pool = state.pool!;
    if (!ok.length) {
      charts.a?.destroy();
      charts.b?.destroy();
      charts.bars?.destroy();
      charts = {};
      renderMetrics([]);
      return;
    }
    const a = ok[0];
    charts.a = replaceChart(charts.a, el.lineA, lineConfig(a.result!, `${pool.name}: ${a.spec}`));
    annotate(el.chartA, el.lineA, a);
    const b = ok[1];
    el.chartB.hidden = !b;
    if (b) {
      charts.b = replaceChart(charts.b, el.lineB, lineConfig(b.result!, `${pool.name}: ${b.spec}`));
      annotate(el.chartB, el.lineB, b);
    } else {
      charts.b?.destroy();
      charts.b = undefined;
      delete el.chartB.dataset.algorithm;
    }
    charts.bars = replaceChart(charts.bars, el.bars, barsConfig(ok));
    renderMetrics(ok);
  }

  function renderMetrics(ok: Run[]): void {
    const thead = el.metrics.tHead!;
    const tbody = el.metrics.tBodies[0];
    const hr = document.createElement('tr');
    for (const h of ['Metric', ...ok.map((r) => r.spec)]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = h;
      hr.append(th);
    }
    thead.replaceChildren(hr);
    const lowerIsBetter = new Set([
      'imbalance',
      'peakImbalance',
      'cv',
      'movedShare',
      'dropped',
      'failedAttempts',
      'peakNewPerSecond',
    ]);
    const rows = metricRows(state.pool).map((m) => {
      const tr = document.createElement('tr');
      tr.dataset.metric = m.key;
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = m.label;
      tr.append(th);
      const values = ok.map((r) => m.format(r.result!));
      const nums = values.map((v) => parseFloat(v));
      values.forEach((v, i) => {
        const td = document.createElement('td');
        td.className = 'num';
        td.textContent = v;
        if (ok.length === 2 && lowerIsBetter.has(m.key) && nums[i] < nums[1 - i]) td.classList.add('better');
        tr.append(td);
      });
      return tr;
    });
    tbody.replaceChildren(...rows);
  }

  // ---------------------------------------------------------------------------------------------
  // state and messages

  function showPool(): void {
    const pool = state.pool;
    fillSelects(pool);
    writeControls(state.controls);
    updateApply();
    if (!pool) return;
    renderHeader(pool);
    schedule(0);
  }

  function renderHeader(pool: SimPool): void {
    el.title.textContent = `Simulate balancing: ${pool.name}`;
    const n = pool.servers.length;
    const what =
      pool.system === 'aws'
        ? `${n}${pool.aws?.placeholderTargets ? ' placeholder' : ''} target${n === 1 ? '' : 's'}`
        : `${n} server${n === 1 ? '' : 's'}`;
    el.subtitle.textContent = `${poolKind(pool)} ${pool.name}, ${what}, configured algorithm: ${state.configSpec ?? specOf(pool)}`;
    el.fidelity.textContent = fidelityText(pool);
    el.fidelity.dataset.fidelity = pool.system === 'aws' ? 'model' : 'exact';
    document.title = `Simulate balancing: ${pool.name}`;
  }

  function init(uri: string | undefined, pool: SimPool): void {
    const same = state.pool && state.pool.name === pool.name && state.pool.system === pool.system && state.uri === uri;
    // The extension re-sends the pool after every edit of its file: nothing to do if it is unchanged.
    if (same && JSON.stringify(state.pool) === JSON.stringify(pool) && state.configSpec === specOf(pool)) return;
    const configSpec = specOf(pool);
    const controls = same ? sanitizeControls(state.controls, pool) : defaultControls(pool);
    state = { version: 1, uri, pool, configSpec, controls };
    save();
    showPool();
  }

  window.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as ToWebview;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'init' && isPool(m.pool)) init(typeof m.uri === 'string' ? m.uri : undefined, m.pool);
    else if (m.type === 'applied') {
      if (m.ok && typeof m.spec === 'string') {
        state.configSpec = m.spec;
        save();
        fillSelects(state.pool);
        writeControls(state.controls);
        updateApply();
        if (state.pool) renderHeader(state.pool);
      }
      el.notice.classList.toggle('error', !m.ok);
      el.notice.textContent = String(m.message ?? '');
    } else if (m.type === 'exported') {
      el.notice.classList.toggle('error', !m.ok);
      el.notice.textContent = String(m.message ?? '');
    }
  });

  el.form.addEventListener('submit', (e) => e.preventDefault());
  for (const input of [el.clients, el.natShare]) input.addEventListener('input', () => onControlsChanged());
  for (const input of [el.natAddresses, el.lifetimeHours, el.seed])
    input.addEventListener('change', () => onControlsChanged());
  for (const sel of [el.algorithm, el.compareWith, el.reconnect, el.scenario, el.durationSec])
    sel.addEventListener('change', () => onControlsChanged(true));
  el.drain.addEventListener('change', () => onControlsChanged(true));

  el.apply.addEventListener('click', () => {
    if (!state.uri || !state.pool) return;
    vscode.postMessage({ type: 'apply', uri: state.uri, pool: state.pool.name, spec: state.controls.algorithm });
  });

  el.reset.addEventListener('click', () => {
    if (!state.pool) return;
    state.controls = defaultControls(state.pool);
    save();
    writeControls(state.controls);
    updateApply();
    schedule(0);
  });

  el.exportCsv.addEventListener('click', () => {
    if (!state.pool || !runs.some((r) => r.result)) return;
    vscode.postMessage({
      type: 'exportCsv',
      fileName: `${safeFileName(state.pool.name)}-simulation.csv`,
      csv: seriesCsv(runs),
    });
  });

  el.exportPng.addEventListener('click', () => {
    if (!state.pool) return;
    const dataUrl = chartsPng();
    if (dataUrl)
      vscode.postMessage({ type: 'exportPng', fileName: `${safeFileName(state.pool.name)}-simulation.png`, dataUrl });
  });

  /** The visible line charts side by side on the editor background, as a PNG data URL. */
  function chartsPng(): string | undefined {
    const canvases = [el.lineA, ...(el.chartB.hidden ? [] : [el.lineB])].filter((c) => c.width > 0 && c.height > 0);
    if (!canvases.length) return undefined;
    const out = document.createElement('canvas');
    out.width = canvases.reduce((s, c) => s + c.width, 0);
    out.height = Math.max(...canvases.map((c) => c.height));
    const ctx = out.getContext('2d');
    if (!ctx) return undefined;
    ctx.fillStyle = cssVar('--vscode-editor-background', '#ffffff');
    ctx.fillRect(0, 0, out.width, out.height);
    let x = 0;
    for (const c of canvases) {
      ctx.drawImage(c, x, 0);
      x += c.width;
    }
    return out.toDataURL('image/png');
  }

  // Theme switches change body's class (vscode-light / vscode-dark / vscode-high-contrast).
  new MutationObserver(() => {
    if (runs.length) draw();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });

  showPool();
  vscode.postMessage({ type: 'ready', uri: state.uri, pool: state.pool?.name });
}
