/**
 * The editor experience of issue 20 in a real workbench (code-server + Chromium), with the
 * packaged extension:
 *   A  a Terraform file that opens as Plain Text (no HashiCorp extension) in a restored or fresh
 *      window is checked: wslb activates on Plain Text and workspaceContains:**\/*.tf (point 8);
 *   B  the rule code of a diagnostic, clicked in the Problems panel and in the hover, opens wslb's
 *      own page for the rule inside the editor, with the registry's text (point 5);
 *   C  the walkthrough lists its four steps (point 9);
 *   D  a window reload leaves no "provider FAILED" stack trace of wslb in the extension host
 *      log (point 10);
 *   E  the light bulb on a location missing the whole WebSocket idiom offers one "Make /ws/
 *      WebSocket-ready" and "Fix all safe wslb problems in this file" (points 3 and 4);
 *   F  "Disable … for this line" inserts its comment as a snippet with the reason selected: what
 *      the user types replaces it (point 10);
 *   G  the status bar names the HAProxy version a file is checked for and where it comes from;
 *      the version picker (from the status item and from the palette) writes the folder's
 *      setting, and the version findings and the status item follow (issue 22).
 * Screenshots: test-artifacts/e2e/editor-*.png (the README's images/rule-page.png,
 * images/walkthrough.png and images/light-bulb.png are taken the same way by
 * scripts/screenshots.ts).
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import {
  buildProductVsix,
  CodeServer,
  launchBrowser,
  makeTempDir,
  REPO,
  requireE2E,
  stopAll,
  waitFor,
  Workbench,
  type E2ESetup,
} from './harness';

const RULE = 'nginx/ws-http-version';
// The rule's one-line summary, as the registry has it (docs/rules.md).
const RULE_SUMMARY = 'A WebSocket location proxies with HTTP/1.0';
// A second nginx config whose WebSocket location has none of the upgrade idiom.
const EVENTS = 'nginx-events.conf';
const EVENTS_CONF = `# A WebSocket location with none of the upgrade idiom.
events {}

http {
    upstream events_backend {
        server 10.0.0.1:9100;
    }

    server {
        listen 80;
        server_name events.example.test;

        location /ws/ {
            proxy_pass http://events_backend;
        }
    }
}
`;

/** 1-based line and column of the first line of `file` containing `needle`. */
function lineColOf(file: string, needle: string): { line: number; column: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${file} has no ${needle}`);
  return { line: i + 1, column: lines[i].indexOf(needle) + 1 };
}

function workspace(into: string): string {
  const dest = path.join(into, 'ws');
  fs.cpSync(path.join(__dirname, 'workspace'), dest, { recursive: true });
  fs.mkdirSync(path.join(dest, 'terraform'));
  for (const f of ['main.tf', 'variables.tf'])
    fs.copyFileSync(path.join(REPO, 'examples', 'aws', 'terraform', f), path.join(dest, 'terraform', f));
  fs.writeFileSync(path.join(dest, EVENTS), EVENTS_CONF);
  fs.mkdirSync(path.join(dest, 'v3'));
  fs.writeFileSync(path.join(dest, 'v3', 'haproxy.cfg'), FOR_30);
  return dest;
}

/** A HAProxy config with one keyword HAProxy 3.0 added (line 9): too new for the default, 2.6. */
const FOR_30 = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'versions', 'haproxy-3.0-keyword.cfg'), 'utf8');

/** Every extension host log line of this code-server that names wslb and "provider FAILED". */
function providerFailures(server: CodeServer): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/exthost.*\.log$|^exthost\.log$/.test(e.name) || (e.name.endsWith('.log') && dir.includes('exthost')))
        for (const line of fs.readFileSync(p, 'utf8').split('\n'))
          if (/provider FAILED/.test(line) && /wslb/.test(line)) out.push(`${path.relative(server.root, p)}: ${line}`);
    }
  };
  walk(server.root);
  return out;
}

describe('wslb editor experience in code-server + Chromium (issue 20)', function () {
  this.timeout(600000);
  let setup: E2ESetup;
  let context: BrowserContext;
  let server: CodeServer;
  let wb: Workbench;
  let folder: string;

  before(async function () {
    setup = requireE2E(this);
    const vsix = buildProductVsix();
    folder = workspace(makeTempDir('editor'));
    context = await launchBrowser(setup);
    server = await CodeServer.start({ setup, vsixes: [vsix], label: 'editor' });
    wb = await Workbench.open(context, server.folderUrl(folder));
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb && !wb.page.isClosed())
      await wb.screenshot(`editor-failed-${this.currentTest.title.slice(0, 1)}`).catch(() => undefined);
  });

  after(async () => {
    await stopAll();
  });

  it('A. checks a .tf opened as Plain Text (activation on Plain Text and workspaceContains)', async () => {
    // Nothing else is open: only the .tf in the workspace can have started wslb.
    await wb.openFile('terraform/main.tf');
    const mode = await wb.page.locator('#status\\.editor\\.mode').innerText();
    assert.match(mode, /Plain Text/, 'no Terraform extension: the file is Plain Text');
    await waitFor('a squiggle in main.tf', async () => (await wb.squiggles('any')) > 0, 90000);
    await waitFor(
      'a Problems row with aws/alb-idle-timeout',
      async () => (await wb.problems('aws/alb-idle-timeout')).some((r) => r.includes('aws/alb-idle-timeout')),
      45000,
      500,
    );
    await wb.screenshot('editor-A-terraform-plaintext');
  });

  it('B. opens the rule page from the code link in Problems and in the hover', async () => {
    await wb.openFile('nginx.conf');
    const row = wb.page.locator('.markers-panel .monaco-list-row', { hasText: RULE }).first();
    await waitFor('a Problems row with the rule', async () => (await wb.problems(RULE)).some((r) => r.includes(RULE)));
    await row.locator('a', { hasText: RULE }).first().click();
    const page = await wb.frameWith(RULE_SUMMARY);
    const text = await page.locator('body').innerText();
    for (const part of ['Why, and what to do', 'Versions', 'Proof', 'References', 'proxy_http_version 1.1'])
      assert.ok(text.includes(part), `${part} in:\n${text.slice(0, 2000)}`);
    // Rendered Markdown, not its source.
    assert.equal(await page.locator('h1').first().innerText(), RULE);
    assert.ok(!text.includes('## Versions'));
    await wb.page
      .locator('.tab.active', { hasText: 'ws-http-version' })
      .first()
      .waitFor({ state: 'visible', timeout: 10000 });
    await wb.runCommand('View: Hide Panel');
    await wb.page.screenshot({ path: path.join(REPO, 'test-artifacts', 'e2e', 'editor-B-rule-page.png') });
    await wb.runCommand('View: Close All Editors');

    // The same link in the hover over the squiggle.
    await wb.openFile('nginx.conf');
    const lines = fs.readFileSync(path.join(folder, 'nginx.conf'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('location /ws/')) + 1;
    await wb.gotoLine(line, lines[line - 1].indexOf('location') + 2);
    await wb.hoverAtCursor(RULE);
    await wb.page.locator('.monaco-hover:not(.hidden) a', { hasText: RULE }).first().click();
    await wb.frameWith(RULE_SUMMARY);
    await wb.runCommand('View: Close All Editors');
  });

  it('C. has a walkthrough with the heartbeat, a config, a fix and the simulator', async () => {
    // The command asks which walkthrough in a second quick pick.
    await wb.page.keyboard.press('F1');
    const input = wb.page.locator('.quick-input-widget input');
    await input.fill('>Welcome: Open Walkthrough');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'Open Walkthrough' }).first().click();
    await waitFor('the walkthrough picker', async () => (await input.inputValue()) === '', 15000);
    await input.fill('WebSocket LB Doctor');
    // The only row, focused (a tooltip over it would take a click).
    await wb.page
      .locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'Get started with WebSocket LB Doctor' })
      .waitFor({ state: 'visible', timeout: 15000 });
    await wb.page.keyboard.press('Enter');
    const steps = wb.page.locator('.getting-started-step');
    await steps.first().waitFor({ state: 'visible', timeout: 30000 });
    const titles = (await steps.locator('.step-title').allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(titles, ['Set your heartbeat', 'Open a config', 'Apply a fix', 'Run the simulator']);
    // The first step's Markdown media is shown beside the steps.
    await wb.frameWith('compares each idle timeout');
    await wb.page.screenshot({ path: path.join(REPO, 'test-artifacts', 'e2e', 'editor-C-walkthrough.png') });
    await wb.runCommand('View: Close All Editors');
  });

  it('D. a window reload leaves no wslb "provider FAILED" in the extension host log', async () => {
    await wb.openFile('nginx.conf');
    const lines = fs.readFileSync(path.join(folder, 'nginx.conf'), 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('location /ws/')) + 1;
    await wb.gotoLine(line, 10);
    await waitFor('a squiggle', async () => (await wb.squiggles('any')) > 0, 60000);
    await wb.openQuickFix('Show documentation');
    await wb.page.keyboard.press('Escape');
    for (let i = 0; i < 2; i++) {
      await wb.page.reload({ waitUntil: 'domcontentloaded' });
      await wb.waitReady();
      // (the workbench may or may not restore the editor it had: open the file again either way)
      await wb.openFile('nginx.conf');
      await waitFor('squiggles after the reload', async () => (await wb.squiggles('any')) > 0, 90000);
    }
    const failures = providerFailures(server);
    assert.deepEqual(failures, []);
  });

  it('E. the light bulb on a location missing the idiom offers "Make /ws/ WebSocket-ready" and "Fix all safe"', async () => {
    await wb.openFile(EVENTS);
    const loc = lineColOf(path.join(folder, EVENTS), 'location /ws/');
    await wb.gotoLine(loc.line, loc.column + 2);
    await waitFor('a squiggle', async () => (await wb.squiggles('error')) > 0, 60000);
    const titles = await wb.openLightBulb('Make /ws/ WebSocket-ready');
    const rows = (t: string) => titles.filter((x) => x.includes(t)).length;
    assert.equal(rows('Make /ws/ WebSocket-ready'), 1, titles.join(' | '));
    assert.equal(rows('Fix all safe wslb problems in this file'), 1, titles.join(' | '));
    // One finding for the missing idiom: no fix for one of its parts.
    for (const part of ['Add proxy_http_version', 'Add proxy_set_header Upgrade', 'Add proxy_set_header Connection'])
      assert.equal(rows(part), 0, titles.join(' | '));
    await wb.screenshot('editor-E-light-bulb');
    // The fix writes the idiom and the file has no error left.
    await wb.applyQuickFix('Make /ws/ WebSocket-ready');
    await waitFor('the idiom in the location', async () => {
      const text = await wb.editorText();
      return /proxy_http_version 1\.1;\s+proxy_set_header Upgrade \$http_upgrade;/.test(text);
    });
    await waitFor('no error squiggle', async () => (await wb.squiggles('error')) === 0, 30000);
    await wb.runCommand('File: Revert File');
    await wb.runCommand('View: Close All Editors');
  });

  it('F. "Disable … for this line" inserts its comment with the reason selected: typing replaces it', async () => {
    await wb.openFile('nginx.conf');
    const loc = lineColOf(path.join(folder, 'nginx.conf'), 'location /ws/');
    await wb.gotoLine(loc.line, loc.column + 2);
    await wb.openQuickFix(`Disable ${RULE} for this line`);
    await wb.applyQuickFix(`Disable ${RULE} for this line`);
    const comment = `# wslb-disable-next-line ${RULE} -- `;
    await waitFor('the comment above the location', async () => (await wb.editorText()).includes(`${comment}reason`));
    // The placeholder "reason" is selected (6 characters)...
    await waitFor('"reason" selected', async () => /\(6 selected\)/.test(await wb.cursorStatus()), 10000);
    await wb.screenshot('editor-F-disable-snippet');
    // ... so what the user types replaces it.
    await wb.page.keyboard.type('legacy upstream, upgraded elsewhere');
    await wb.page.keyboard.press('Escape');
    await waitFor('the typed reason', async () =>
      (await wb.editorText()).includes(`${comment}legacy upstream, upgraded elsewhere`),
    );
    const text = await wb.editorText();
    assert.ok(!text.includes(`${comment}reason`), text);
    const lines = text.split('\n');
    const at = lines.findIndex((l) => l.includes(comment));
    assert.match(lines[at + 1], /^\s*location \/ws\/ \{/, text);
    // The comment, as typed, silences the finding.
    await waitFor(
      `no ${RULE} left in nginx.conf`,
      async () => (await wb.problems(RULE)).filter((r) => r.includes(RULE)).length === 0,
      30000,
      500,
    );
  });

  it('G. the status bar shows the version and its source; the picker changes it and the checks follow', async () => {
    // (F leaves nginx.conf edited: closing it unsaved would ask)
    await wb.runCommand('File: Revert File');
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('v3/haproxy.cfg');
    // the item's accessible label is its tooltip: the version, then where it comes from
    const item = wb.page.locator('.part.statusbar [aria-label^="Checked for HAProxy"]').first();
    const status = async () => ({
      text: (await item.innerText()).replace(/\s+/g, ' ').trim(),
      label: (await item.getAttribute('aria-label')) ?? '',
    });
    const until = (what: string, ok: (s: { text: string; label: string }) => boolean) =>
      waitFor(
        what,
        async () => {
          const x = await status();
          return ok(x) ? x : undefined;
        },
        60000,
        300,
      );
    let s = await until('the version status item', (x) => x.text.endsWith('HAProxy 2.6.12'));
    assert.match(s.label, /^Checked for HAProxy 2\.6\.12: the default of wslb\.haproxyVersion \(not set\)\./);
    const tooNew = async () =>
      (await wb.problems('keyword-too-new')).filter(
        (r) => r.includes('client-hs') && r.includes('haproxy/keyword-too-new'),
      );
    await waitFor('the 3.0 keyword reported for 2.6', async () => (await tooNew()).length === 1, 60000, 500);
    await wb.screenshot('editor-E1-version-2.6');

    // the status item runs the picker; 3.2 is chosen
    await item.click();
    const row = (label: string) =>
      wb.page
        .locator('.quick-input-widget .monaco-list-row')
        .filter({ has: wb.page.locator('.label-name', { hasText: new RegExp(`^${label.replace('.', '\\.')}$`) }) })
        .first();
    await row('HAProxy 3.2').waitFor({ state: 'visible', timeout: 15000 });
    const offered = (await wb.page.locator('.quick-input-widget .monaco-list-row').allInnerTexts()).map((t) =>
      t.replace(/\s+/g, ' ').trim(),
    );
    assert.ok(
      offered.some((t) => t.startsWith('HAProxy 2.6') && t.includes('in effect')),
      offered.join(' | '),
    );
    await row('HAProxy 3.2').click();
    s = await until('the status item to say 3.2', (x) => x.text.endsWith('HAProxy 3.2'));
    assert.match(s.label, /^Checked for HAProxy 3\.2: the setting wslb\.haproxyVersion\./);
    await waitFor('the 3.0 keyword no longer reported', async () => (await tooNew()).length === 0, 60000, 500);
    const settings = () =>
      JSON.parse(fs.readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(settings()['wslb.haproxyVersion'], '3.2', 'the folder setting the picker wrote');
    await wb.screenshot('editor-E2-version-3.2');

    // the same picker from the command palette, back to 2.6: the finding returns
    // (runCommand waits for the palette to close; the command opens the picker in its place)
    await wb.page.keyboard.press('F1');
    await wb.page.locator('.quick-input-widget input').fill('>Pick the nginx/HAProxy version');
    await wb.page
      .locator('.quick-input-widget .monaco-list-row', { hasText: 'Pick the nginx/HAProxy version…' })
      .first()
      .click();
    await row('HAProxy 2.6').waitFor({ state: 'visible', timeout: 15000 });
    await row('HAProxy 2.6').click();
    s = await until('the status item to say 2.6', (x) => x.text.endsWith('HAProxy 2.6'));
    assert.match(s.label, /^Checked for HAProxy 2\.6: the setting wslb\.haproxyVersion\./);
    await waitFor('the 3.0 keyword reported again', async () => (await tooNew()).length === 1, 60000, 500);
    assert.equal(settings()['wslb.haproxyVersion'], '2.6');
  });
});
