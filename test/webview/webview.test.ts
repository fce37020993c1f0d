/**
 * The simulator webview in real headless Chromium: the built bundle is served from 127.0.0.1
 * with the panel's own HTML (same CSP) and a stubbed `acquireVsCodeApi`; the test drives the
 * controls and reads what the page shows.
 *
 * Needs Debian's Chromium (`apt-get install chromium`); without it the suite says so and skips,
 * unless WSLB_REQUIRE_ALL=1 (then it fails).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { makeNonce, renderHtml } from '../../client/src/webview/html';
import { dataUrlBytes, readPngText } from '../../client/src/webview/png';
import type { SimPool } from '../../server/src/service/simulate/types';
import { parseJson } from '../helpers/json';
import { need } from '../helpers/needs';

const REPO = path.resolve(__dirname, '..', '..');
const CHROMIUM = process.env.WSLB_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(REPO, 'test-artifacts', 'webview');

const server = (i: number, weight = 1) => ({
  name: `10.0.0.${i}:8080`,
  address: `10.0.0.${i}`,
  port: 8080,
  weight,
  backup: false,
  down: false,
});
const NGINX_POOL: SimPool = {
  system: 'nginx',
  name: 'chat_backend',
  algorithm: 'round_robin',
  servers: [server(1), server(2), server(3, 2)],
};
const HAPROXY_POOL: SimPool = {
  system: 'haproxy',
  name: 'be_ws',
  algorithm: 'roundrobin',
  servers: [server(1), server(2), server(3), server(4)],
};
// Three equal servers under least_conn: their lines lie on top of each other.
const EVEN_POOL: SimPool = {
  system: 'nginx',
  name: 'even',
  algorithm: 'least_conn',
  servers: [server(1), server(2), server(3)],
};
const AWS_POOL: SimPool = {
  system: 'aws',
  name: 'chat-ws',
  algorithm: 'round_robin',
  servers: [1, 2, 3].map((i) => ({
    name: `target-${i}`,
    address: `10.0.0.${i + 9}`,
    port: 8080,
    weight: 1,
    backup: false,
    down: false,
  })),
  aws: { lbType: 'application', deregistrationDelayMs: 300_000, slowStartMs: 60_000, placeholderTargets: true },
};

/** The stub of the VS Code webview API: messages recorded, state kept in sessionStorage. */
function stubScript(pool: SimPool): string {
  return `
window.__posted = [];
window.__violations = [];
document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));
const KEY = 'wslb-webview-state';
window.acquireVsCodeApi = () => ({
  postMessage(m) {
    window.__posted.push(m);
    if (m && m.type === 'ready' && !sessionStorage.getItem(KEY)) {
      setTimeout(() => window.postMessage({ type: 'init', uri: 'file:///work/nginx.conf', pool: ${JSON.stringify(pool)} }, '*'), 0);
    }
  },
  getState() { const s = sessionStorage.getItem(KEY); return s ? JSON.parse(s) : undefined; },
  setState(s) { sessionStorage.setItem(KEY, JSON.stringify(s)); },
});`;
}

describe('simulator webview in headless Chromium', function () {
  this.timeout(180_000);
  let browser: Browser | undefined;
  let srv: http.Server | undefined;
  let base = '';
  let tmp = '';
  const pageErrors: string[] = [];

  before(async function () {
    if (!process.env.WSLB_CHROMIUM) need(this, 'chromium');
    else need(this);
    // The same bundle as scripts/build.mjs's webview target, built here so the test never reads a stale dist/.
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-webview-'));
    await esbuild.build({
      entryPoints: [path.join(REPO, 'client/src/webview/main.ts')],
      outfile: path.join(tmp, 'main.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      logLevel: 'silent',
    });
    const js = fs.readFileSync(path.join(tmp, 'main.js'));
    srv = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/main.js') {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end(js);
        return;
      }
      if (['/', '/haproxy', '/aws', '/even'].includes(url.pathname)) {
        const nonce = makeNonce();
        const pool =
          url.pathname === '/haproxy'
            ? HAPROXY_POOL
            : url.pathname === '/aws'
              ? AWS_POOL
              : url.pathname === '/even'
                ? EVEN_POOL
                : NGINX_POOL;
        const html = renderHtml({ cspSource: base, scriptUri: `${base}/main.js`, nonce })
          // Theme variables as VS Code would set them, and the API stub before the bundle.
          .replace(
            '<style nonce=',
            `<style nonce="${nonce}">:root{--vscode-charts-blue:#1f77b4;--vscode-charts-orange:#ff7f0e;--vscode-foreground:#222;--vscode-editor-background:#fafafa}</style>\n<style nonce=`,
          )
          .replace(
            `<script nonce="${nonce}" src=`,
            `<script nonce="${nonce}">${stubScript(pool)}</script>\n<script nonce="${nonce}" src=`,
          );
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(html);
        return;
      }
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      res.writeHead(404);
      res.end();
    });
    await new Promise<void>((resolve) => srv!.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
      timeout: 120_000,
    });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  after(async () => {
    await browser?.close().catch(() => undefined);
    await new Promise<void>((resolve) => (srv ? srv.close(() => resolve()) : resolve()));
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function openPage(p = '/', viewport = { width: 1200, height: 1000 }): Promise<Page> {
    const context = await browser!.newContext({ viewport });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') pageErrors.push(m.text());
    });
    await page.goto(base + p);
    await page.locator('#chartA[data-total]').waitFor({ timeout: 60_000 });
    return page;
  }

  const attr = (page: Page, sel: string, name: string) => page.locator(sel).getAttribute(name);
  async function changed(page: Page, sel: string, name: string, from: string | null): Promise<string> {
    await page.waitForFunction(
      ([s, n, f]) => document.querySelector(s)?.getAttribute(n) !== f,
      [sel, name, from] as const,
      { timeout: 30_000 },
    );
    return (await attr(page, sel, name))!;
  }
  const canvasBytes = (page: Page, sel: string) =>
    page.locator(sel).evaluate((c) => (c as HTMLCanvasElement).toDataURL().length);

  let page: Page;

  it('renders the pool: title, non-empty chart canvas, metrics', async () => {
    page = await openPage();
    assert.match(await page.locator('#title').innerText(), /chat_backend/);
    assert.ok(Number(await attr(page, '#chartA', 'data-total')) > 0);
    assert.ok(
      (await canvasBytes(page, '#lineA')) > 3000,
      'the line chart is drawn (a blank canvas encodes to a few hundred bytes)',
    );
    assert.ok((await canvasBytes(page, '#bars')) > 3000, 'the bar chart is drawn');
    assert.equal(await page.locator('#metrics tbody tr').count(), 8);
    assert.match(await page.locator('#metrics tbody tr[data-metric=imbalance] td').innerText(), /^\d+\.\d\d$/);
    assert.equal(await page.locator('#algorithm').inputValue(), 'round_robin');
    assert.equal(await attr(page, '#app', 'data-engine'), 'worker', 'the engine runs in a Worker');
    assert.ok(await page.locator('#apply').isDisabled(), 'nothing to apply while the config algorithm is selected');
    await page.screenshot({ path: path.join(ARTIFACTS, 'webview-initial.png'), fullPage: true });
  });

  it('the client-count slider changes the chart data (mouse-free: keyboard too)', async () => {
    const before = await attr(page, '#chartA', 'data-total');
    await page.locator('#clients').fill('5000');
    const after = await changed(page, '#chartA', 'data-total', before);
    assert.ok(Number(after) > Number(before) * 2, `${before} → ${after}`);
    assert.equal(await page.locator('#clientsOut').innerText(), '5,000');
    await page.locator('#clients').focus();
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('#clients').inputValue(), '4990');
    await changed(page, '#chartA', 'data-total', after);
  });

  it('another algorithm draws another chart and enables "Apply to config"', async () => {
    const before = await attr(page, '#chartA', 'data-final');
    const img = await page.locator('#lineA').evaluate((c) => (c as HTMLCanvasElement).toDataURL());
    await page.locator('#algorithm').selectOption('ip_hash');
    await changed(page, '#chartA', 'data-algorithm', 'round_robin');
    assert.notEqual(await attr(page, '#chartA', 'data-final'), before);
    assert.notEqual(await page.locator('#lineA').evaluate((c) => (c as HTMLCanvasElement).toDataURL()), img);
    assert.ok(await page.locator('#apply').isEnabled());
    await page.locator('#apply').click();
    const posted = (await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted)) as {
      type: string;
      spec?: string;
      pool?: string;
      uri?: string;
    }[];
    const apply = posted.find((m) => m.type === 'apply');
    assert.deepEqual(apply, { type: 'apply', uri: 'file:///work/nginx.conf', pool: 'chat_backend', spec: 'ip_hash' });
    // The extension answers; the config now says ip_hash, so there is nothing left to apply.
    await page.evaluate(() =>
      window.postMessage(
        { type: 'applied', ok: true, spec: 'ip_hash', message: 'Applied ip_hash to chat_backend' },
        '*',
      ),
    );
    await page.waitForFunction(() => (document.getElementById('apply') as HTMLButtonElement).disabled);
    assert.match(await page.locator('#notice').innerText(), /Applied ip_hash/);
    assert.match(await page.locator('#subtitle').innerText(), /configured algorithm: ip_hash$/);
    assert.match(await page.locator('#algorithm option:checked').innerText(), /in config/);
    // Then the edited config comes back from the extension (here with a fourth server, so the panel
    // simulates again): the confirmation must outlive that run, which rewrites the status line.
    const total = await attr(page, '#chartA', 'data-total');
    const edited = { ...NGINX_POOL, algorithm: 'ip_hash', servers: [...NGINX_POOL.servers, server(4)] };
    await page.evaluate(
      (pool) => window.postMessage({ type: 'init', uri: 'file:///work/nginx.conf', pool }, '*'),
      edited,
    );
    await page.waitForFunction(
      () => document.getElementById('chartA')?.getAttribute('data-final')?.split(',').length === 4,
      undefined,
      { timeout: 60_000 },
    );
    await page.locator('#app[aria-busy="false"]').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('#status').innerText(), /simulated in \d+ ms/);
    assert.match(
      await page.locator('#notice').innerText(),
      /Applied ip_hash/,
      'the confirmation stays after the next simulation',
    );
    // A setting the user changes clears it; the pool goes back to three servers for the next steps.
    await page.evaluate((pool) => window.postMessage({ type: 'init', uri: 'file:///work/nginx.conf', pool }, '*'), {
      ...NGINX_POOL,
      algorithm: 'ip_hash',
    });
    await page.waitForFunction(
      () => document.getElementById('chartA')?.getAttribute('data-final')?.split(',').length === 3,
      undefined,
      { timeout: 60_000 },
    );
    await page.locator('#clients').fill('2000');
    await changed(page, '#chartA', 'data-total', total);
    assert.equal(await page.locator('#notice').innerText(), '');
  });

  it('compare mode shows two charts side by side and a two-column metric table', async () => {
    assert.ok(await page.locator('#chartB').isHidden());
    await page.locator('#compareWith').selectOption('least_conn');
    await page.locator('#chartB[data-algorithm="least_conn"]').waitFor({ timeout: 30_000 });
    assert.ok(await page.locator('#chartB').isVisible());
    assert.ok((await canvasBytes(page, '#lineB')) > 3000);
    assert.deepEqual(await page.locator('#metrics thead th').allInnerTexts(), ['Metric', 'ip_hash', 'least_conn']);
    const boxA = (await page.locator('#chartA').boundingBox())!;
    const boxB = (await page.locator('#chartB').boundingBox())!;
    assert.ok(Math.abs(boxA.y - boxB.y) < 2 && boxB.x > boxA.x, 'side by side');
    await page.screenshot({ path: path.join(ARTIFACTS, 'webview-compare.png'), fullPage: true });
  });

  it('exports CSV and PNG through the extension', async () => {
    await page.locator('#exportCsv').click();
    await page.locator('#exportPng').click();
    const posted = (await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted)) as {
      type: string;
      csv?: string;
      dataUrl?: string;
      fileName?: string;
    }[];
    const csv = posted.find((m) => m.type === 'exportCsv')!;
    assert.equal(csv.fileName, 'chat_backend-simulation.csv');
    const lines = csv.csv!.trim().split('\n');
    assert.match(lines[0], /^algorithm,t_sec,open:10\.0\.0\.1:8080,/);
    assert.ok(lines.some((l) => l.startsWith('least_conn,')) && lines.some((l) => l.startsWith('ip_hash,')));
    const png = posted.find((m) => m.type === 'exportPng')!;
    assert.match(png.dataUrl!, /^data:image\/png;base64,/);
    assert.ok(png.dataUrl!.length > 5000);
  });

  it('keeps its state across a reload (getState) without a new init message', async () => {
    await page.locator('#scenario').selectOption('deploy');
    await page.locator('#clients').fill('3000');
    // aria-busy turns true on input and false once the debounced run has drawn.
    await page.locator('#app[aria-busy="false"]').waitFor({ timeout: 30_000 });
    const settled = await attr(page, '#chartA', 'data-total');
    await page.reload();
    await page.locator('#chartA[data-total]').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#clients').inputValue(), '3000');
    assert.equal(await page.locator('#algorithm').inputValue(), 'ip_hash');
    assert.equal(await page.locator('#compareWith').inputValue(), 'least_conn');
    assert.equal(await page.locator('#scenario').inputValue(), 'deploy');
    assert.ok(await page.locator('#chartB').isVisible());
    assert.equal(await attr(page, '#chartA', 'data-total'), settled, 'same data after reload');
    const posted = await page.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted);
    assert.deepEqual(
      posted,
      [{ type: 'ready', uri: 'file:///work/nginx.conf', pool: 'chat_backend' }],
      'restored from state only; tells the extension what it shows',
    );
    // The extension re-sends the same pool after an edit of its file: settings and data stay.
    const again = await attr(page, '#chartA', 'data-total');
    await page.evaluate(
      (pool) => window.postMessage({ type: 'init', uri: 'file:///work/nginx.conf', pool }, '*'),
      parseJson<typeof NGINX_POOL>(JSON.stringify(NGINX_POOL)),
    );
    await page.waitForTimeout(300);
    assert.equal(await page.locator('#clients').inputValue(), '3000');
    assert.equal(await attr(page, '#chartA', 'data-total'), again);
    // The config gained a server: same settings, one more backend.
    const grown = { ...NGINX_POOL, servers: [...NGINX_POOL.servers, server(4)] };
    await page.evaluate(
      (pool) => window.postMessage({ type: 'init', uri: 'file:///work/nginx.conf', pool }, '*'),
      grown,
    );
    await page.waitForFunction(
      () => document.getElementById('chartA')?.getAttribute('data-final')?.split(',').length === 4,
      undefined,
      { timeout: 60_000 },
    );
    assert.match(await page.locator('#subtitle').innerText(), /4 servers/);
    assert.equal(await page.locator('#clients').inputValue(), '3000');
    assert.equal(await page.locator('#algorithm').inputValue(), 'ip_hash');
    await page.locator('#app[aria-busy="false"]').waitFor({ timeout: 60_000 });
  });

  it('stays responsive while a long simulation runs; a newer setting supersedes it', async () => {
    await page.locator('#compareWith').selectOption('');
    await page.locator('#clients').fill('20000');
    await page.locator('#app[aria-busy="true"]').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(400); // the debounced job is now in the worker
    const t0 = Date.now();
    await page.evaluate(() => document.getElementById('clients')?.getAttribute('value'));
    assert.ok(Date.now() - t0 < 3000, `main thread answered in ${Date.now() - t0} ms`);
    await page.locator('#clients').fill('200');
    await page.locator('#app[aria-busy="false"]').waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#clientsOut').innerText(), '200');
    const final = (await attr(page, '#chartA', 'data-final'))!.split(',').map(Number);
    assert.ok(final.reduce((a, b) => a + b, 0) <= 200, `the drawn run is the 200-client one: ${final.join(',')}`);
    await page.locator('#compareWith').selectOption('least_conn');
    await page.locator('#clients').fill('3000');
    await page.locator('#app[aria-busy="false"]').waitFor({ timeout: 60_000 });
  });

  it('is keyboard accessible: labelled controls in order, visible focus', async () => {
    const unlabelled = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, button'))
        .filter((e) => {
          const x = e as HTMLInputElement;
          return !(x.labels && x.labels.length) && !e.textContent?.trim() && !e.getAttribute('aria-label');
        })
        .map((e) => e.id),
    );
    assert.deepEqual(unlabelled, []);
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement?.id ?? ''));
    }
    assert.deepEqual(order, ['algorithm', 'compareWith', 'clients', 'natShare']);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.notEqual(outline, 'none');
  });

  it('labels nginx as exact and an AWS target group as a model, with the AWS algorithms and the deregistration cut metric', async () => {
    assert.match(await page.locator('#fidelity').innerText(), /^Exact: the nginx 1\.22 balancing arithmetic/);
    const p = await openPage('/aws');
    assert.match(
      await p.locator('#subtitle').innerText(),
      /^AWS target group chat-ws, 3 placeholder targets, configured algorithm: round_robin$/,
    );
    assert.match(
      await p.locator('#fidelity').innerText(),
      /A model of documented AWS behaviour; AWS's implementation is not public\./,
    );
    assert.equal(await p.locator('#fidelity').getAttribute('data-fidelity'), 'model');
    const values = await p
      .locator('#algorithm option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(values, ['round_robin', 'least_outstanding_requests', 'weighted_random']);
    await p.locator('#algorithm').selectOption('least_outstanding_requests');
    await p.locator('#chartA[data-algorithm="least_outstanding_requests"]').waitFor({ timeout: 30_000 });
    assert.ok(await p.locator('#apply').isDisabled(), 'no Apply to config for AWS');
    assert.match((await p.locator('#apply').getAttribute('title')) ?? '', /set the routing algorithm attribute/);
    await p.locator('#scenario').selectOption('deploy');
    await p.locator('#drain').uncheck();
    await p.locator('#app[aria-busy="false"]').waitFor({ timeout: 60_000 });
    await p.waitForFunction(
      () =>
        Number(document.querySelector('#metrics tbody tr[data-metric=cutAtDeregistration] td')?.textContent ?? '0') > 0,
      undefined,
      { timeout: 60_000 },
    );
    await p.screenshot({ path: path.join(ARTIFACTS, 'webview-aws.png'), fullPage: true });
    await p.context().close();
  });

  it('offers the HAProxy algorithms for a HAProxy backend', async () => {
    const p = await openPage('/haproxy');
    const values = await p
      .locator('#algorithm option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    for (const v of ['roundrobin', 'static-rr', 'leastconn', 'first', 'source consistent', 'random(2)'])
      assert.ok(values.includes(v), v);
    assert.ok(!values.includes('least_conn'));
    const before = await p.locator('#chartA').getAttribute('data-final');
    await p.locator('#algorithm').selectOption('source map-based');
    await p.locator('#chartA[data-algorithm="source map-based"]').waitFor({ timeout: 30_000 });
    assert.notEqual(await p.locator('#chartA').getAttribute('data-final'), before);
    await p.screenshot({ path: path.join(ARTIFACTS, 'webview-haproxy.png'), fullPage: true });
    await p.context().close();
  });

  it('draws with the VS Code theme colours and follows a theme change', async () => {
    // Share of the line chart's pixels close to a colour (anti-aliasing blurs the edges).
    const share = (rgb: [number, number, number]) =>
      page.locator('#lineA').evaluate((c, want) => {
        const canvas = c as HTMLCanvasElement;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let hits = 0;
        for (let i = 0; i < d.length; i += 4) {
          if (
            d[i + 3] > 200 &&
            Math.abs(d[i] - want[0]) < 8 &&
            Math.abs(d[i + 1] - want[1]) < 8 &&
            Math.abs(d[i + 2] - want[2]) < 8
          )
            hits++;
        }
        return hits / (d.length / 4);
      }, rgb);
    // The harness page sets --vscode-charts-blue to #1f77b4: the first backend's line uses it.
    assert.ok((await share([0x1f, 0x77, 0xb4])) > 0.001, 'the first series is drawn in --vscode-charts-blue');
    assert.equal(await share([0x00, 0xc8, 0x64]), 0);
    // A theme change: VS Code rewrites the variables and the body class.
    await page.evaluate(() => {
      document.documentElement.style.setProperty('--vscode-charts-blue', '#00c864');
      document.body.className = 'vscode-dark';
    });
    await waitForShare(() => share([0x00, 0xc8, 0x64]));
    assert.equal(await share([0x1f, 0x77, 0xb4]), 0, 'the old colour is gone');
  });

  async function waitForShare(probe: () => Promise<number>): Promise<void> {
    const until = Date.now() + 15_000;
    while (Date.now() < until) {
      if ((await probe()) > 0.001) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.fail('the chart was not redrawn in the new theme colour');
  }

  it('in a narrow panel (420×500) shows the chart and the three headline numbers without scrolling', async () => {
    const p = await openPage('/', { width: 420, height: 500 });
    await p.locator('#app[aria-busy="false"]').waitFor({ timeout: 60_000 });
    const stats = p.locator('#headline .stat');
    assert.equal(await stats.count(), 3);
    for (let i = 0; i < 3; i++) {
      const box = (await stats.nth(i).boundingBox())!;
      assert.ok(box.y >= 0 && box.y + box.height <= 500, `headline ${i} at ${box.y}+${box.height}`);
      assert.match(await stats.nth(i).locator('.value').innerText(), /^\d[\d,.]*×?$/);
    }
    const chart = (await p.locator('#chartA').boundingBox())!;
    assert.ok(chart.height >= 180, `a readable chart: ${chart.height} px high`);
    assert.ok(chart.y + chart.height <= 500, `the whole chart above the fold: ${chart.y}+${chart.height}`);
    assert.ok(chart.width >= 380, `the chart uses the panel's width: ${chart.width}`);
    const algorithm = (await p.locator('#algorithm').boundingBox())!;
    assert.ok(algorithm.y < chart.y, 'the main controls stay in a bar above the chart');
    assert.ok(
      !(await p.locator('#more').evaluate((d) => (d as HTMLDetailsElement).open)),
      'the other settings are folded',
    );
    assert.ok(await p.locator('#apply').isVisible(), 'the actions stay reachable');
    const overflow = await p.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide)`);
    await p.locator('#more summary').click();
    assert.ok(await p.locator('#reconnect').isVisible());
    await p.screenshot({ path: path.join(ARTIFACTS, 'webview-narrow.png') });
    await p.context().close();
  });

  it('every control, headline number and metric has a tooltip', async () => {
    const missing = await page.evaluate(() =>
      Array.from(document.querySelectorAll('input, select, button, summary, #headline .stat, #metrics tbody tr'))
        .filter((e) => !(e as HTMLElement).title.trim())
        .map((e) => e.id || (e as HTMLElement).dataset.metric || (e as HTMLElement).dataset.headline || e.tagName),
    );
    assert.deepEqual(missing, []);
    assert.match(
      (await page.locator('#metrics tbody tr[data-metric=failedAttempts]').getAttribute('title')) ?? '',
      /once per try/,
    );
    assert.match((await page.locator('label[for=seed]').getAttribute('title')) ?? '', /same seed gives the same run/);
  });

  it('tells overlapping lines apart: each backend has its own dash pattern and marker', async () => {
    const p = await openPage('/even');
    await p.locator('#app[aria-busy="false"]').waitFor({ timeout: 60_000 });
    const final = (await p.locator('#chartA').getAttribute('data-final'))!.split(',').map(Number);
    assert.ok(Math.max(...final) - Math.min(...final) <= 2, `the three lines overlap: ${final.join(',')}`);
    const styles = parseJson<{ dash: number[]; marker: string }[]>(
      (await p.locator('#chartA').getAttribute('data-styles'))!,
    );
    assert.equal(styles.length, 3);
    assert.equal(new Set(styles.map((s) => JSON.stringify(s.dash))).size, 3, 'three dash patterns');
    assert.equal(new Set(styles.map((s) => s.marker)).size, 3, 'three markers');
    // On the canvas: the lower lines still show (the top one's dashes and the shifted markers leave them visible).
    const share = (rgb: number[]) =>
      p.locator('#lineA').evaluate((c, want) => {
        const canvas = c as HTMLCanvasElement;
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        let hits = 0;
        for (let i = 0; i < d.length; i += 4)
          if (d[i + 3] > 200 && [0, 1, 2].every((k) => Math.abs(d[i + k] - want[k]) < 24)) hits++;
        return hits;
      }, rgb);
    await p.screenshot({ path: path.join(ARTIFACTS, 'webview-overlap.png') });
    const blue = await share([0x1f, 0x77, 0xb4]);
    const orange = await share([0xff, 0x7f, 0x0e]);
    const green = await share([0x89, 0xd1, 0x85]);
    assert.ok(
      blue > 0 && orange > blue * 0.25 && green > blue * 0.25,
      `pixels: blue ${blue}, orange ${orange}, green ${green}`,
    );
    await p.context().close();
  });

  it('exports carry the parameters: CSV columns, a caption on the PNG and its text chunks', async () => {
    const p = await openPage('/');
    await p.locator('#scenario').selectOption('deploy');
    await p.locator('#app[aria-busy="false"]').waitFor({ timeout: 60_000 });
    await p.locator('#exportCsv').click();
    await p.locator('#exportPng').click();
    const posted = (await p.evaluate(() => (window as unknown as { __posted: unknown[] }).__posted)) as {
      type: string;
      csv?: string;
      dataUrl?: string;
    }[];
    const lines = posted
      .find((m) => m.type === 'exportCsv')!
      .csv!.trim()
      .split('\n');
    const head = lines[0].split(',');
    const row = lines[1].split(',');
    const col = (k: string) => row[head.indexOf(k)];
    assert.equal(col('config'), '/work/nginx.conf');
    assert.equal(col('pool'), 'chat_backend');
    assert.equal(col('algorithm'), 'round_robin');
    assert.equal(col('scenario'), 'deploy');
    assert.equal(col('seed'), '1');
    assert.equal(col('clients'), '1000');
    assert.equal(col('reconnect'), 'immediate');
    const png = posted.find((m) => m.type === 'exportPng')!.dataUrl!;
    const text = readPngText(dataUrlBytes(png));
    assert.match(text.Comment, /^config=\/work\/nginx\.conf$/m);
    assert.match(text.Comment, /^pool=chat_backend$/m);
    assert.match(text.Comment, /^algorithm=round_robin$/m);
    assert.match(text.Comment, /^scenario=deploy$/m);
    assert.match(text.Comment, /^seed=1$/m);
    assert.equal(text.Title, 'nginx upstream chat_backend in nginx.conf: round_robin');
    assert.match(text.Description, /^Deploy \(rolling restart\) · 1,000 clients · .* · seed 1$/);
    // The image decodes, is larger than the chart alone, and has the caption drawn above the chart.
    const drawn = await p.evaluate(async (url) => {
      const img = new Image();
      img.src = url;
      await img.decode();
      const c = document.createElement('canvas');
      c.width = img.width;
      c.height = img.height;
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const band = ctx.getImageData(0, 0, c.width, 20).data;
      let ink = 0;
      for (let i = 0; i < band.length; i += 4) if (Math.abs(band[i] - 0xfa) > 60) ink++;
      const chart = document.getElementById('lineA') as HTMLCanvasElement;
      return { w: img.width, h: img.height, ink, chartH: chart.height };
    }, png);
    assert.ok(drawn.h > drawn.chartH + 30, `caption and bars below the chart: ${drawn.h} vs ${drawn.chartH}`);
    assert.ok(drawn.ink > 50, `the caption's text is drawn (${drawn.ink} dark pixels in its band)`);
    await p.context().close();
  });

  it('had no CSP violations and no page errors', async () => {
    const violations = await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations);
    assert.deepEqual(violations, []);
    assert.deepEqual(pageErrors, []);
    await page.context().close();
  });
});
