/**
 * The "Simulate balancing" webview: the entry point of the bundle. In the page it wires the
 * controls (controls.ts), the charts (charts.ts), the numbers (metrics.ts) and the messages with
 * the extension (messaging.ts); the same bundle started as a Worker runs the engine (runner.ts),
 * so every change redraws without a round trip to the extension host. State survives hiding and
 * restoring through the webview state API.
 */
import type { SimPool } from '../../../server/src/service/simulate/types';
import { Charts } from './charts';
import {
  applyHelp,
  bindControls,
  fillSelects,
  foldForWidth,
  readControls,
  updateApply,
  writeControls,
  writeOutputs,
} from './controls';
import { elements, type Elements } from './dom';
import { csvMessage, pngMessage } from './exporting';
import { fidelityHelp } from './help';
import { listen, vscodeApi, type VsCodeApi } from './messaging';
import { renderHeadline, renderMetrics } from './metrics';
import {
  SCENARIOS,
  defaultControls,
  fidelityText,
  poolKind,
  sanitizeControls,
  sanitizeState,
  specOf,
  type Run,
} from './model';
import type { WebviewState } from './protocol';
import { Runner, serveJobs, type Engine } from './runner';

type WithPool = WebviewState & { pool: SimPool };

class Panel {
  private state: WebviewState;
  private runs: Run[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly charts: Charts;
  private readonly runner: Runner;

  constructor(
    private readonly api: VsCodeApi,
    private readonly el: Elements,
    bundleUrl: string | undefined,
  ) {
    this.state = sanitizeState(api.getState()) ?? { version: 1, controls: defaultControls() };
    this.charts = new Charts(el);
    this.runner = new Runner(bundleUrl, (runs, engine) => this.finish(runs, engine));
  }

  start(): void {
    const el = this.el;
    applyHelp(el);
    foldForWidth(el);
    bindControls(el, (immediate) => this.controlsChanged(immediate));
    el.apply.addEventListener('click', () => this.apply());
    el.reset.addEventListener('click', () => this.reset());
    el.exportCsv.addEventListener('click', () => this.exportCsv());
    el.exportPng.addEventListener('click', () => this.exportPng());
    listen({
      init: (uri, pool) => this.init(uri, pool),
      applied: (ok, spec, message) => this.applied(ok, spec, message),
      exported: (ok, message) => this.notify(ok, message),
    });
    // Theme switches change body's class (vscode-light / vscode-dark / vscode-high-contrast).
    new MutationObserver(() => {
      if (this.runs.length) this.draw();
    }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
    this.showPool();
    this.api.postMessage({ type: 'ready', uri: this.state.uri, pool: this.state.pool?.name });
  }

  private save(): void {
    this.api.setState(this.state);
  }

  private withPool(): WithPool | undefined {
    return this.state.pool ? (this.state as WithPool) : undefined;
  }

  private notify(ok: boolean, message: string): void {
    this.el.notice.classList.toggle('error', !ok);
    this.el.notice.textContent = message;
  }

  private controlsChanged(immediate: boolean): void {
    this.notify(true, '');
    this.state.controls = readControls(this.el, this.state.pool);
    writeOutputs(this.el, this.state.controls);
    updateApply(this.el, this.state);
    this.save();
    this.schedule(immediate ? 0 : 150);
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    // From now on a run still in the worker is stale: its result must not be drawn (nor end the
    // busy state) while the newer settings wait for their debounce.
    this.runner.invalidate();
    this.el.app.setAttribute('aria-busy', 'true');
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.runNow();
    }, delay);
  }

  private runNow(): void {
    const pool = this.state.pool;
    if (!pool) return;
    const c = this.state.controls;
    const specs = [c.algorithm, ...(c.compareWith && c.compareWith !== c.algorithm ? [c.compareWith] : [])];
    this.el.status.classList.remove('error');
    this.el.status.textContent = 'Simulating…';
    this.runner.run(pool, specs, c);
  }

  private finish(done: Run[], engine: Engine): void {
    this.runs = done;
    this.el.app.dataset.engine = engine;
    const c = this.state.controls;
    this.draw();
    const errors = done.filter((r) => r.error).map((r) => `${r.spec}: ${r.error}`);
    const truncated = done.filter((r) => r.truncated).map((r) => r.spec);
    const ms = done.reduce((s, r) => s + r.ms, 0);
    const scenario = SCENARIOS.find((s) => s.kind === c.scenario)?.label.toLowerCase();
    this.el.status.classList.toggle('error', errors.length > 0);
    this.el.status.textContent = errors.length
      ? errors.join('; ')
      : `${c.clients.toLocaleString('en-US')} clients, ${scenario}, seed ${c.seed}: simulated in ${Math.round(ms)} ms` +
        (truncated.length ? ` (stopped early, event budget reached: ${truncated.join(', ')})` : '');
    this.el.app.setAttribute('aria-busy', 'false');
  }

  private draw(): void {
    const ok = this.runs.filter((r) => r.result);
    this.charts.draw(this.state.pool?.name ?? '', ok);
    renderHeadline(this.el.headline, ok);
    renderMetrics(this.el.metrics, this.state.pool, ok);
  }

  private showPool(): void {
    const pool = this.state.pool;
    fillSelects(this.el, pool, this.state.configSpec);
    writeControls(this.el, this.state.controls);
    updateApply(this.el, this.state);
    renderHeadline(this.el.headline, []);
    if (!pool) return;
    this.renderHeader(pool);
    this.schedule(0);
  }

  private renderHeader(pool: SimPool): void {
    const el = this.el;
    el.title.textContent = `Simulate balancing: ${pool.name}`;
    const n = pool.servers.length;
    const what =
      pool.system === 'aws'
        ? `${n}${pool.aws?.placeholderTargets ? ' placeholder' : ''} target${n === 1 ? '' : 's'}`
        : `${n} server${n === 1 ? '' : 's'}`;
    el.subtitle.textContent = `${poolKind(pool)} ${pool.name}, ${what}, configured algorithm: ${this.state.configSpec ?? specOf(pool)}`;
    el.subtitle.title = el.subtitle.textContent;
    el.fidelity.textContent = fidelityText(pool);
    el.fidelity.title = fidelityHelp(pool);
    el.fidelity.dataset.fidelity = pool.system === 'aws' ? 'model' : 'exact';
    document.title = `Simulate balancing: ${pool.name}`;
  }

  private init(uri: string | undefined, pool: SimPool): void {
    const s = this.state;
    const same = s.pool && s.pool.name === pool.name && s.pool.system === pool.system && s.uri === uri;
    // The extension re-sends the pool after every edit of its file: nothing to do if it is unchanged.
    if (same && JSON.stringify(s.pool) === JSON.stringify(pool) && s.configSpec === specOf(pool)) return;
    const configSpec = specOf(pool);
    const controls = same ? sanitizeControls(s.controls, pool) : defaultControls(pool);
    this.state = { version: 1, uri, pool, configSpec, controls };
    this.save();
    this.showPool();
  }

  private applied(ok: boolean, spec: string | undefined, message: string): void {
    if (ok && spec !== undefined) {
      this.state.configSpec = spec;
      this.save();
      fillSelects(this.el, this.state.pool, spec);
      writeControls(this.el, this.state.controls);
      updateApply(this.el, this.state);
      if (this.state.pool) this.renderHeader(this.state.pool);
    }
    this.notify(ok, message);
  }

  private apply(): void {
    const s = this.state;
    if (!s.uri || !s.pool) return;
    this.api.postMessage({ type: 'apply', uri: s.uri, pool: s.pool.name, spec: s.controls.algorithm });
  }

  private reset(): void {
    if (!this.state.pool) return;
    this.state.controls = defaultControls(this.state.pool);
    this.save();
    writeControls(this.el, this.state.controls);
    updateApply(this.el, this.state);
    this.schedule(0);
  }

  private exportCsv(): void {
    const s = this.withPool();
    if (s && this.runs.some((r) => r.result)) this.api.postMessage(csvMessage(s, this.runs));
  }

  private exportPng(): void {
    const s = this.withPool();
    const m = s && pngMessage(s, this.charts.canvases());
    if (m) this.api.postMessage(m);
  }
}

if (typeof document === 'undefined') serveJobs();
else new Panel(vscodeApi(), elements(), (document.currentScript as HTMLScriptElement | null)?.src).start();
