/**
 * End-to-end harness: a private code-server (the real VS Code workbench + Node extension host)
 * on 127.0.0.1, driven through Debian's Chromium with playwright-core.
 *
 * - `requireE2E(this)` in a mocha `before`: returns the setup written by `scripts/e2e-setup.mjs`,
 *   or marks the suite pending with the set-up instructions (a failure under WSLB_REQUIRE_ALL=1).
 * - `CodeServer.start()` gives each run its own user-data, extensions and config folders, installs
 *   the given .vsix files with code-server's own `--install-extension`, binds a port chosen by the
 *   OS, and waits for the "listening" line and a healthy `/healthz`, never for a fixed time.
 * - `Workbench` wraps a Chromium page with the user-level gestures the tests need (quick open,
 *   go to line, command palette, hover, quick fix, Problems panel) — each waits on a DOM condition.
 * - Everything started is registered and stopped by `stopAll()`; a synchronous 'exit' hook
 *   SIGKILLs any process group still alive, so a crashed test cannot leave a server behind.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Frame, type Page } from 'playwright-core';

export const REPO = path.resolve(__dirname, '..', '..');
export const E2E_CACHE = path.resolve(process.env.WSLB_E2E_CACHE ?? path.join(REPO, '.cache', 'e2e'));
export const ARTIFACTS = path.join(REPO, 'test-artifacts', 'e2e');
export const SETUP_HINT =
  'set it up once with `node scripts/e2e-setup.mjs --apt` (as root; installs chromium, libkrb5-dev, libsecret-1-dev, ' +
  'then Node 24 and code-server into .cache/e2e — about 10 minutes)';

export interface E2ESetup {
  node: string;
  codeServerEntry: string;
  codeServerVersion: string;
  vscodeVersion: string;
  chromium: string;
}

// ---------------------------------------------------------------------------------------------
// The gate

export function loadSetup(cache = E2E_CACHE): { ok: true; setup: E2ESetup } | { ok: false; reason: string } {
  const file = path.join(cache, 'ready.json');
  let setup: E2ESetup;
  try {
    setup = JSON.parse(fs.readFileSync(file, 'utf8')) as E2ESetup;
  } catch {
    return { ok: false, reason: `code-server is not set up (${file} missing): ${SETUP_HINT}` };
  }
  for (const key of ['node', 'codeServerEntry', 'chromium'] as const) {
    if (typeof setup[key] !== 'string' || !fs.existsSync(setup[key])) {
      return {
        ok: false,
        reason: `e2e setup is stale (${key}: ${String(setup[key])} not found): rerun \`node scripts/e2e-setup.mjs\``,
      };
    }
  }
  return { ok: true, setup };
}

export function e2eGate(
  env: NodeJS.ProcessEnv = process.env,
  loaded = loadSetup(),
): { action: 'run'; setup: E2ESetup } | { action: 'skip' | 'fail'; reason: string } {
  // the fast tier (npm run test:unit) never starts a workbench
  if (env.WSLB_TIER === 'unit') return { action: 'skip', reason: 'needs code-server: not part of the unit tier' };
  if (loaded.ok) return { action: 'run', setup: loaded.setup };
  const required = env.WSLB_REQUIRE_ALL === '1' || env.WSLB_REQUIRE_E2E === '1';
  return { action: required ? 'fail' : 'skip', reason: loaded.reason };
}

/**
 * Call from a mocha `before(function () { ... })`: without the setup the suite is pending with the
 * set-up instructions, or fails under WSLB_REQUIRE_ALL=1 (CI) / WSLB_REQUIRE_E2E=1 (npm run test:e2e).
 */
export function requireE2E(ctx: Mocha.Context): E2ESetup {
  const gate = e2eGate();
  if (gate.action === 'run') return gate.setup;
  if (gate.action === 'fail')
    throw new Error(`${gate.reason} (WSLB_REQUIRE_ALL=1 / npm run test:e2e make this a failure)`);
  console.log(`      e2e suite not run: ${gate.reason}`);
  ctx.skip();
  throw new Error('unreachable');
}

// ---------------------------------------------------------------------------------------------
// Process bookkeeping

const liveGroups = new Set<number>();
const cleanups = new Set<() => Promise<void>>();

const tempDirs = new Set<string>();

/** A temp folder removed by `stopAll()` or, at the latest, when the process exits. */
export function makeTempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wslb-e2e-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

function removeTempDirs(): void {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
  tempDirs.clear();
}

function killAllNow(): void {
  for (const pgid of liveGroups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
  liveGroups.clear();
  removeTempDirs();
}
process.on('exit', killAllNow);
// Interrupted runs (Ctrl+C, CI timeout): kill the servers, then die of the same signal.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(sig, () => {
    killAllNow();
    process.kill(process.pid, sig);
  });
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM the whole process group, SIGKILL what is left after `graceMs`. */
export async function killGroup(pgid: number, graceMs = 3000): Promise<void> {
  try {
    process.kill(-pgid, 'SIGTERM');
  } catch {
    liveGroups.delete(pgid);
    return;
  }
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && groupAlive(pgid)) await delay(50);
  if (groupAlive(pgid)) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
    const hard = Date.now() + 2000;
    while (Date.now() < hard && groupAlive(pgid)) await delay(50);
  }
  liveGroups.delete(pgid);
}

/** Stops every code-server and browser started by this harness. Safe to call many times. */
export async function stopAll(): Promise<void> {
  const pending = [...cleanups];
  cleanups.clear();
  for (const c of pending) {
    try {
      await c();
    } catch {
      /* keep cleaning */
    }
  }
  await Promise.all([...liveGroups].map((g) => killGroup(g)));
  removeTempDirs();
}

export function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `probe` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 30000,
  everyMs = 100,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${last instanceof Error ? String(last) : JSON.stringify(last)})` : ''}`,
      );
    await delay(everyMs);
  }
}

// ---------------------------------------------------------------------------------------------
// Packaging helpers

/** Packages an extension folder with @vscode/vsce into `outFile` (no dependency scan). */
export function packageVsix(extensionDir: string, outFile: string): string {
  const vsce = path.join(REPO, 'node_modules', '@vscode', 'vsce', 'vsce');
  const r = spawnSync(
    process.execPath,
    [
      vsce,
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--skip-license',
      '--no-update-package-json',
      '-o',
      outFile,
    ],
    {
      cwd: extensionDir,
      encoding: 'utf8',
      timeout: 120000,
      input: 'y\n',
    },
  );
  if (r.status !== 0 || !fs.existsSync(outFile))
    throw new Error(`vsce package failed in ${extensionDir}:\n${r.stdout}\n${r.stderr}`);
  return outFile;
}

/**
 * Builds the product's .vsix with `npm run package` (owned by the extension's engineers) and
 * returns its path: the newest `wslb-*.vsix` in the repo root. `WSLB_E2E_VSIX=<file>` skips the
 * build and uses that file (for iterating on the tests; CI never sets it).
 */
export function buildProductVsix(): string {
  const given = process.env.WSLB_E2E_VSIX;
  if (given) {
    if (!fs.existsSync(given)) throw new Error(`WSLB_E2E_VSIX=${given} does not exist`);
    console.log(`      using WSLB_E2E_VSIX=${given} instead of npm run package`);
    return path.resolve(given);
  }
  const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
    version: string;
  };
  if (!pkg.scripts?.package)
    throw new Error(
      'package.json has no "package" script: the e2e suite needs `npm run package` to produce wslb-<version>.vsix (issue 4)',
    );
  const started = Date.now();
  const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: REPO, encoding: 'utf8', timeout: 300000 });
  if (r.status !== 0)
    throw new Error(`npm run package failed (exit ${r.status}):\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-3000)}`);
  const expected = path.join(REPO, `wslb-${pkg.version}.vsix`);
  if (fs.existsSync(expected) && fs.statSync(expected).mtimeMs >= started - 2000) return expected;
  const candidates = fs
    .readdirSync(REPO)
    .filter((f) => /^wslb-.*\.vsix$/.test(f))
    .map((f) => path.join(REPO, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (!candidates.length) throw new Error(`npm run package succeeded but no wslb-*.vsix appeared in ${REPO}`);
  return candidates[0];
}

// ---------------------------------------------------------------------------------------------
// code-server

export interface CodeServerOptions {
  setup: E2ESetup;
  /** .vsix files to install before starting. */
  vsixes: string[];
  /** false = workspace trust enabled without a startup prompt, so folders open in Restricted Mode. */
  trusted?: boolean;
  /** Extra user settings. */
  settings?: Record<string, unknown>;
  /** Extra environment for the server (the extension host inherits it). */
  env?: Record<string, string>;
  /** Name for the temp folder and log. */
  label?: string;
}

export class CodeServer {
  private constructor(
    readonly url: string,
    readonly root: string,
    private readonly proc: ChildProcess,
    readonly log: () => string,
    readonly label: string,
  ) {}

  static async start(opts: CodeServerOptions): Promise<CodeServer> {
    const root = makeTempDir(opts.label ?? 'cs');
    const userData = path.join(root, 'user-data');
    const extensions = path.join(root, 'extensions');
    fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
    fs.mkdirSync(extensions, { recursive: true });
    const trusted = opts.trusted !== false;
    const settings: Record<string, unknown> = {
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'workbench.enableExperiments': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoUpdate': false,
      'extensions.autoCheckUpdates': false,
      'extensions.ignoreRecommendations': true,
      'chat.disableAIFeatures': true,
      'git.enabled': false,
      'files.autoSave': 'off',
      'editor.minimap.enabled': false,
      'editor.quickSuggestions': { other: false, comments: false, strings: false },
      'editor.hover.enabled': true,
      'workbench.editor.enablePreview': false,
      'security.workspace.trust.enabled': !trusted,
      'security.workspace.trust.startupPrompt': 'never',
      'security.workspace.trust.banner': 'never',
      'security.workspace.trust.emptyWindow': false,
      ...opts.settings,
    };
    fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    const configFile = path.join(root, 'config.yaml');
    fs.writeFileSync(configFile, 'auth: none\ncert: false\n');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      XDG_CONFIG_HOME: path.join(root, 'xdg-config'),
      XDG_DATA_HOME: path.join(root, 'xdg-data'),
      XDG_CACHE_HOME: path.join(root, 'xdg-cache'),
      HOME: path.join(root, 'home'),
      VSCODE_CLI: undefined,
      ELECTRON_RUN_AS_NODE: undefined,
      ...opts.env,
    };
    fs.mkdirSync(env.HOME!, { recursive: true });
    const common = ['--user-data-dir', userData, '--extensions-dir', extensions, '--config', configFile];

    for (const vsix of opts.vsixes) {
      const r = spawnSync(
        opts.setup.node,
        [opts.setup.codeServerEntry, ...common, '--force', '--install-extension', vsix],
        { env, encoding: 'utf8', timeout: 120000 },
      );
      const out = `${r.stdout}${r.stderr}`;
      if (r.status !== 0 || !/successfully installed/i.test(out))
        throw new Error(`installing ${vsix} into code-server failed (exit ${r.status}):\n${out}`);
    }

    const args = [
      opts.setup.codeServerEntry,
      ...common,
      '--auth',
      'none',
      '--bind-addr',
      '127.0.0.1:0',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-getting-started-override',
      '--disable-proxy',
      '--ignore-last-opened',
    ];
    if (trusted) args.push('--disable-workspace-trust');
    const proc = spawn(opts.setup.node, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    if (proc.pid) liveGroups.add(proc.pid);
    let output = '';
    const logFile = path.join(root, 'code-server.log');
    const onData = (d: Buffer) => {
      output += d.toString();
      if (output.length > 2_000_000) output = output.slice(-1_000_000);
      fs.appendFileSync(logFile, d);
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    let exited: string | undefined;
    proc.on('exit', (code, sig) => (exited = `code-server exited (code ${code}, signal ${sig})`));
    const server = new CodeServer('', root, proc, () => output, opts.label ?? 'cs');
    const stop = () => server.stop();
    cleanups.add(stop);

    try {
      const url = await waitFor(
        'code-server to listen',
        () => {
          if (exited) throw new Error(`${exited}:\n${output}`);
          const m = /HTTP server listening on (http:\/\/127\.0\.0\.1:\d+)\/?/.exec(output);
          return m?.[1];
        },
        60000,
      );
      await waitFor('code-server /healthz', () => httpOk(`${url}/healthz`), 30000);
      (server as { url: string }).url = url;
      return server;
    } catch (e) {
      await stop();
      throw e;
    }
  }

  /** The workbench URL for a folder. */
  folderUrl(folder: string): string {
    return `${this.url}/?folder=${encodeURIComponent(folder)}`;
  }

  /** Stops the server and everything it started; keeps its log in test-artifacts/e2e/. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.proc.pid) await killGroup(this.proc.pid);
    try {
      fs.mkdirSync(ARTIFACTS, { recursive: true });
      fs.copyFileSync(path.join(this.root, 'code-server.log'), path.join(ARTIFACTS, `code-server-${this.label}.log`));
    } catch {
      /* no log yet */
    }
    fs.rmSync(this.root, { recursive: true, force: true });
  }

  private stopped = false;
}

function httpOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = http.get(url, { timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Browser

export async function launchBrowser(setup: E2ESetup): Promise<BrowserContext> {
  const profile = makeTempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: setup.chromium,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-dev-shm-usage',
    ],
    timeout: 60000,
    // Chromium's crash handler and caches go under HOME/XDG: keep them in the private profile.
    env: {
      ...process.env,
      HOME: profile,
      XDG_CONFIG_HOME: path.join(profile, '.config'),
      XDG_CACHE_HOME: path.join(profile, '.cache'),
    },
  });
  const close = async () => {
    await context.close().catch(() => undefined);
    fs.rmSync(profile, { recursive: true, force: true });
  };
  cleanups.add(close);
  return context;
}

// ---------------------------------------------------------------------------------------------
// Workbench gestures

const MOD = 'Control';

export class Workbench {
  constructor(readonly page: Page) {}

  static async open(context: BrowserContext, url: string): Promise<Workbench> {
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
    const wb = new Workbench(page);
    await wb.waitReady();
    return wb;
  }

  /** The webview frame whose body contains `text` (a rule page, the walkthrough, the simulator). */
  async frameWith(text: string): Promise<Frame> {
    return waitFor(
      `a webview showing ${JSON.stringify(text)}`,
      async () => {
        for (const f of this.page.frames()) {
          if (f === this.page.mainFrame()) continue;
          const body = await f
            .locator('body')
            .innerText({ timeout: 500 })
            .catch(() => '');
          if (body.includes(text)) return f;
        }
        return undefined;
      },
      45000,
      300,
    );
  }

  /** The workbench is up: status bar rendered and the explorer shows the folder. */
  async waitReady(): Promise<void> {
    await this.page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60000 });
    await this.page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: 60000 });
    await this.page
      .locator('.explorer-folders-view .monaco-list-row')
      .first()
      .waitFor({ state: 'visible', timeout: 60000 });
  }

  async screenshot(step: string): Promise<string> {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const file = path.join(ARTIFACTS, `${step}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  private quickInput() {
    return this.page.locator('.quick-input-widget');
  }

  /** Types into the quick input and accepts the first row whose text contains `rowText`. */
  private async pickFromQuickInput(typed: string, rowText: string): Promise<void> {
    const input = this.quickInput().locator('input');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(typed);
    const row = this.quickInput().locator('.monaco-list-row', { hasText: rowText }).first();
    await row.waitFor({ state: 'visible', timeout: 15000 });
    await row.click();
    await this.quickInput().waitFor({ state: 'hidden', timeout: 15000 });
  }

  /**
   * Opens a workspace-relative file by clicking through the Explorer tree (folders expanded as
   * needed), as a user would; waits for its editor to be the active one.
   */
  async openFile(relPath: string): Promise<void> {
    const parts = relPath.split('/').filter(Boolean);
    const tree = this.page.locator('.explorer-folders-view');
    for (let i = 0; i < parts.length; i++) {
      await this.dismissTooltips();
      const row = tree.locator(`.monaco-list-row[aria-level="${i + 1}"][aria-label="${parts[i]}"]`).first();
      await row.waitFor({ state: 'visible', timeout: 20000 });
      const isFolder = i < parts.length - 1;
      if (isFolder) {
        if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
        await waitFor(
          `folder ${parts[i]} expanded`,
          async () => (await row.getAttribute('aria-expanded')) === 'true',
          10000,
        );
      } else {
        await row.click();
      }
    }
    const base = parts[parts.length - 1];
    await this.page
      .locator(`.editor-group-container.active .tab.active[data-resource-name="${base}"]`)
      .first()
      .waitFor({ state: 'visible', timeout: 30000 });
    await this.activeEditor().locator('.view-lines .view-line').first().waitFor({ state: 'visible', timeout: 30000 });
  }

  /**
   * Moves the pointer to an empty spot and waits for hover tooltips to close: the Explorer's
   * "path • N problems" tooltip lies over the next row and would take the click.
   */
  private async dismissTooltips(): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    await this.page.mouse.move(box ? box.x + box.width / 2 : 5, box ? box.y + box.height - 80 : 5);
    await this.page
      .locator('.context-view .hover-contents, .monaco-hover.workbench-hover')
      .first()
      .waitFor({ state: 'hidden', timeout: 3000 })
      .catch(() => undefined);
  }

  /** Runs a command from the command palette (F1) by its title as shown there. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    await this.pickFromQuickInput(`>${title}`, title);
  }

  activeEditor() {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Moves the cursor with Go to Line (Ctrl+G), 1-based line and column. */
  async gotoLine(line: number, column = 1): Promise<void> {
    await this.page.keyboard.press(`${MOD}+G`);
    const input = this.quickInput().locator('input');
    await input.waitFor({ state: 'visible', timeout: 15000 });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput().waitFor({ state: 'hidden', timeout: 15000 });
    await waitFor(
      `cursor at ${line}:${column}`,
      async () => (await this.cursorStatus()) === `Ln ${line}, Col ${column}`,
      10000,
    );
  }

  /** "Ln x, Col y" from the status bar. */
  async cursorStatus(): Promise<string> {
    const t = await this.page
      .locator('#status\\.editor\\.selection')
      .innerText()
      .catch(() => '');
    return t.trim();
  }

  /** Number of error / warning squiggles rendered in the active editor. */
  async squiggles(kind: 'error' | 'warning' | 'info' | 'any' = 'any'): Promise<number> {
    const sel = kind === 'any' ? '.squiggly-error, .squiggly-warning, .squiggly-info' : `.squiggly-${kind}`;
    return this.activeEditor().locator(sel).count();
  }

  /** The editor's visible text (spaces normalised). */
  async editorText(): Promise<string> {
    const lines = await this.activeEditor()
      .locator('.view-lines .view-line')
      .evaluateAll((els) =>
        els
          .map((e) => ({ top: parseFloat((e as HTMLElement).style.top || '0'), text: (e as HTMLElement).innerText }))
          .sort((a, b) => a.top - b.top)
          .map((l) => l.text),
      );
    return lines.join('\n').replace(/\u00a0/g, ' ');
  }

  /**
   * Shows the hover at the cursor (editor.action.showHover, Ctrl+K Ctrl+I) until one containing
   * `expect` appears (the provider may register late while the extension starts); returns its text.
   */
  async hoverAtCursor(expect = '', timeoutMs = 45000): Promise<string> {
    const hover = this.page.locator('.monaco-hover:not(.hidden)').filter({ hasText: expect }).first();
    return waitFor(
      `a hover containing ${JSON.stringify(expect)}`,
      async () => {
        await this.page.keyboard.press(`${MOD}+K`);
        await this.page.keyboard.press(`${MOD}+I`);
        try {
          await hover.waitFor({ state: 'visible', timeout: 3000 });
        } catch {
          await this.page.keyboard.press('Escape');
          return undefined;
        }
        return (await hover.innerText()).replace(/\u00a0/g, ' ');
      },
      timeoutMs,
      200,
    );
  }

  async closeHover(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }

  private quickFixRows() {
    return this.page.locator('.action-widget:not(.action-list-submenu-panel) .monaco-list-row.action');
  }

  /**
   * Opens the quick-fix menu (Ctrl+.) at the cursor until it lists `expect` (code actions may
   * arrive after the diagnostics); returns the titles offered.
   */
  async openQuickFix(expect = '', timeoutMs = 30000): Promise<string[]> {
    return this.openActionMenu(`a quick fix ${JSON.stringify(expect)}`, expect, timeoutMs, async () => {
      await this.page.keyboard.press(`${MOD}+.`);
    });
  }

  /**
   * Clicks the light bulb beside the cursor's line (as a user does) until its menu lists `expect`
   * (code actions may arrive after the diagnostics); returns the titles offered, read from the menu.
   */
  async openLightBulb(expect = '', timeoutMs = 30000): Promise<string[]> {
    const bulb = this.activeEditor().locator('.lightBulbWidget').first();
    return this.openActionMenu(`a light bulb offering ${JSON.stringify(expect)}`, expect, timeoutMs, async () => {
      await bulb.waitFor({ state: 'visible', timeout: 3000 });
      await bulb.click();
    });
  }

  /**
   * Opens the code-action menu with `open` until it lists `expect` (closing it and trying again
   * meanwhile); returns the titles offered, or fails naming what the last menu offered.
   */
  private async openActionMenu(
    what: string,
    expect: string,
    timeoutMs: number,
    open: () => Promise<void>,
  ): Promise<string[]> {
    let last: string[] = [];
    try {
      return await waitFor(
        what,
        async () => {
          try {
            await open();
            await this.quickFixRows().first().waitFor({ state: 'visible', timeout: 3000 });
          } catch {
            await this.page.keyboard.press('Escape');
            return undefined;
          }
          last = (await this.quickFixRows().allInnerTexts()).map((t) => t.trim());
          if (last.some((t) => t.includes(expect))) return last;
          await this.page.keyboard.press('Escape');
          return undefined;
        },
        timeoutMs,
        300,
      );
    } catch (e) {
      throw new Error(`${(e as Error).message}; last menu offered: ${last.join(' | ') || '(nothing)'}`, {
        cause: e,
      });
    }
  }

  /** Picks `title` in the open quick-fix menu; waits for the menu to close. */
  async applyQuickFix(title: string): Promise<void> {
    await this.quickFixRows().filter({ hasText: title }).first().click();
    await waitFor('the quick-fix menu to close', async () => (await this.quickFixRows().count()) === 0, 15000);
  }

  /**
   * Opens the Problems panel, types `filter` into its filter box (as a user narrows a long list;
   * the list is virtualised, so rows scrolled out of view are not in the DOM) and returns the
   * text of each row shown.
   */
  async problems(filter = ''): Promise<string[]> {
    if (
      !(await this.page
        .locator('.markers-panel')
        .isVisible()
        .catch(() => false))
    )
      await this.runCommand('View: Focus Problems');
    const box = this.page.locator('.part.panel input[aria-label="Filter Problems"]').first();
    if (await box.isVisible().catch(() => false)) {
      if ((await box.inputValue()) !== filter) await box.fill(filter);
    } else if (filter) {
      throw new Error('the Problems filter box is not visible');
    }
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    await rows
      .first()
      .waitFor({ state: 'visible', timeout: 5000 })
      .catch(() => undefined);
    return rows.evaluateAll((els) =>
      els.map((e) =>
        `${e.getAttribute('aria-label') ?? ''} ${(e as HTMLElement).innerText}`.replace(/\s+/g, ' ').trim(),
      ),
    );
  }
}
