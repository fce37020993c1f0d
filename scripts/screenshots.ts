/**
 * The README's screenshots, taken in the real VS Code workbench (code-server + Chromium, the
 * harness of the end-to-end suite) with the packaged extension, on a copy of examples/:
 *
 *   images/editor-findings.png  chat.conf with its squiggles and the Problems panel
 *   images/hover.png            the hover on proxy_pass
 *   images/light-bulb.png       the light-bulb menu on a WebSocket location with none of the
 *                               upgrade idiom: "Make /ws/ WebSocket-ready" and "Fix all safe wslb
 *                               problems in this file" (read from the menu; the script fails
 *                               without them)
 *   images/rule-page.png        the page of nginx/ws-http-version, opened from its code in Problems
 *   images/walkthrough.png      the "Get started with WebSocket LB Doctor" walkthrough
 *   images/simulator.png        "Simulate balancing" on chat_backend, beside the editor,
 *                               with the Problems panel open
 *   test-artifacts/e2e/extension-page.png   the extension's details page (the README shipped in
 *                                           the .vsix), for checking by eye; fails when an image
 *                                           on it does not load
 *
 * Run: npm run screenshots   (= npx tsx scripts/screenshots.ts; needs code-server and Chromium: `npm run setup`).
 * WSLB_E2E_VSIX=<file> uses that .vsix instead of running `npm run package`.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Frame } from 'playwright-core';
import {
  ARTIFACTS,
  buildProductVsix,
  CodeServer,
  launchBrowser,
  loadSetup,
  makeTempDir,
  REPO,
  stopAll,
  waitFor,
  Workbench,
} from '../test/e2e/harness';

const IMAGES = path.join(REPO, 'images');
/** A second site for the light-bulb image: a WebSocket location with only proxy_pass. */
const EVENTS_SITE = `server {
    listen 127.0.0.1:8081;
    server_name events.example.test;

    # Live updates pushed over WebSocket
    location /ws/ {
        proxy_pass http://chat_backend;
    }
}
`;
const VIEWPORT = { width: 1280, height: 760 };

/** 1-based line and column of the first line containing `needle` in a file. */
function lineColOf(file: string, needle: string): { line: number; column: number } {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${file} has no ${needle}`);
  return { line: i + 1, column: lines[i].indexOf(needle) + 1 };
}

async function save(wb: Workbench, name: string): Promise<void> {
  const file = path.join(IMAGES, name);
  await wb.page.screenshot({ path: file });
  console.log(`${path.relative(REPO, file)}  ${(fs.statSync(file).size / 1024).toFixed(0)} KB`);
}

/** The webview frame holding the simulator's chart, once the chart has stopped moving. */
async function settledChart(wb: Workbench): Promise<Frame> {
  const frame = await waitFor(
    'a webview with a chart canvas',
    async () => {
      for (const f of wb.page.frames()) {
        if (
          f !== wb.page.mainFrame() &&
          (await f
            .locator('canvas')
            .count()
            .catch(() => 0)) > 0
        )
          return f;
      }
      return undefined;
    },
    45000,
    250,
  );
  let previous = '';
  await waitFor(
    'the chart to settle',
    async () => {
      const img = await frame
        .locator('canvas')
        .first()
        .evaluate((c) => (c as HTMLCanvasElement).toDataURL());
      const settled = img === previous && img.length > 3000;
      previous = img;
      return settled;
    },
    30000,
    300,
  );
  return frame;
}

/**
 * The product .vsix (`npm run package`). Before the README's images exist that step refuses to
 * run, so the first time a .vsix with the plain README is packaged instead, and the extension page
 * is not checked (run the script again once the images are there).
 */
function productVsix(tmp: string): { vsix: string; readmeReady: boolean } {
  const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
  const images = [...readme.matchAll(/!\[[^\]]*\]\((images\/[^)\s]+)\)/g)].map((m) => m[1]);
  if (process.env.WSLB_E2E_VSIX || images.every((i) => fs.existsSync(path.join(REPO, i))))
    return { vsix: buildProductVsix(), readmeReady: true };
  console.log(`first run: ${images.filter((i) => !fs.existsSync(path.join(REPO, i))).join(', ')} missing`);
  const vsix = path.join(tmp, 'wslb-bootstrap.vsix');
  const vsce = path.join(REPO, 'node_modules', '.bin', 'vsce');
  execFileSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: REPO, stdio: 'inherit' });
  execFileSync(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', vsix], {
    cwd: REPO,
    stdio: 'inherit',
  });
  return { vsix, readmeReady: false };
}

async function main(): Promise<void> {
  const loaded = loadSetup();
  if (!loaded.ok) throw new Error(loaded.reason);
  const setup = loaded.setup;
  const { vsix, readmeReady } = productVsix(makeTempDir('vsix'));
  // The nginx example alone, so the Problems panel shows its findings.
  const workspace = path.join(makeTempDir('shots'), 'nginx');
  fs.cpSync(path.join(REPO, 'examples', 'nginx'), workspace, { recursive: true });
  const chat = path.join(workspace, 'sites-enabled', 'chat.conf');
  const main = path.join(workspace, 'nginx.conf');

  const server = await CodeServer.start({
    setup,
    vsixes: [vsix],
    label: 'screenshots',
    settings: { 'workbench.colorTheme': 'Default Dark Modern', 'editor.fontSize': 14 },
  });
  const context = await launchBrowser(setup);
  const wb = await Workbench.open(context, server.folderUrl(workspace));
  await wb.page.setViewportSize(VIEWPORT);
  fs.mkdirSync(IMAGES, { recursive: true });

  // 1. Findings: squiggles in chat.conf and the Problems panel.
  await wb.openFile('sites-enabled/chat.conf');
  await waitFor('wslb squiggles', async () => (await wb.squiggles('any')) > 2, 60000);
  await waitFor('wslb rows in Problems', async () => (await wb.problems('')).some((r) => r.includes('nginx/')), 45000);
  await wb.openFile('sites-enabled/chat.conf');
  await save(wb, 'editor-findings.png');

  // 2. The hover on the read timeout of the WebSocket location: the finding, the value in effect.
  const timeout = lineColOf(chat, '30s;');
  await wb.gotoLine(timeout.line, timeout.column + 1);
  // The diagnostic comes first; wait for wslb's hover (the rule's explanation) below it too.
  await wb.hoverAtCursor('the generic default');
  await save(wb, 'hover.png');
  await wb.closeHover();

  // 3. The light bulb on a second site whose WebSocket location has none of the upgrade idiom:
  //    one fix writes all of it, and "Fix all safe" is offered beside it.
  const events = path.join(workspace, 'sites-enabled', 'events.conf');
  fs.writeFileSync(events, EVENTS_SITE);
  await wb.openFile('sites-enabled/events.conf');
  await wb.runCommand('View: Hide Panel');
  const loc = lineColOf(events, 'location /ws/');
  await wb.gotoLine(loc.line, loc.column + 1);
  await waitFor('the squiggle on location /ws/', async () => (await wb.squiggles('error')) > 0, 60000);
  const offered = await wb.openLightBulb('Make /ws/ WebSocket-ready');
  for (const title of ['Make /ws/ WebSocket-ready', 'Fix all safe wslb problems in this file'])
    if (offered.filter((t) => t.includes(title)).length !== 1)
      throw new Error(`the light bulb should offer "${title}" once; it offers: ${offered.join(' | ')}`);
  await save(wb, 'light-bulb.png');
  await wb.page.keyboard.press('Escape');
  await wb.openFile('sites-enabled/chat.conf');

  // 3b. The rule's page, opened from the code link of its Problems row.
  const problemRow = wb.page.locator('.markers-panel .monaco-list-row', { hasText: 'nginx/ws-http-version' }).first();
  await waitFor('a Problems row with nginx/ws-http-version', async () =>
    (await wb.problems('nginx/ws-http-version')).some((r) => r.includes('nginx/ws-http-version')),
  );
  await problemRow.locator('a', { hasText: 'nginx/ws-http-version' }).first().click();
  await wb.frameWith('Why, and what to do');
  await wb.runCommand('View: Hide Panel');
  await save(wb, 'rule-page.png');
  await wb.runCommand('View: Close All Editors');

  // 3c. The walkthrough (the command asks which one in a second quick pick).
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
  await wb.frameWith('compares each idle timeout');
  await save(wb, 'walkthrough.png');
  await wb.runCommand('View: Close All Editors');

  // 4. The simulator on the upstream under the cursor, beside the editor, with the Problems panel
  //    open (an ordinary layout: the panel is narrow and short; the chart and its headline numbers
  //    still come first).
  await wb.openFile('nginx.conf');
  const srv = lineColOf(main, 'server 127.0.0.1:9002');
  await wb.gotoLine(srv.line, srv.column + 2);
  await wb.runCommand('View: Close Primary Side Bar');
  await wb.runCommand('WebSocket LB Doctor: Simulate balancing');
  const frame = await settledChart(wb);
  await waitFor('chat_backend in the panel', async () =>
    (await frame.locator('body').innerText()).includes('chat_backend'),
  );
  await wb.runCommand('View: Focus Problems');
  await frame.locator('#app[aria-busy="false"]').waitFor({ timeout: 30000 });
  await settledChart(wb);
  await wb.page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height - 8); // no tooltip over the panel
  await save(wb, 'simulator.png');

  if (!readmeReady) return;
  // 5. The extension's page: the README shipped in the .vsix, as VS Code renders it.
  await wb.runCommand('Extensions: Show Installed Extensions');
  const row = wb.page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'WebSocket Load-Balancer Doctor' });
  await row.first().click();
  const readme = await waitFor(
    'the README in the extension page',
    async () => {
      for (const f of wb.page.frames()) {
        if (
          (await f
            .locator('h1', { hasText: 'wslb' })
            .count()
            .catch(() => 0)) > 0
        )
          return f;
      }
      return undefined;
    },
    45000,
    250,
  );
  const shown = () =>
    readme.locator('img').evaluateAll((els) =>
      els.map((e) => ({
        alt: (e as HTMLImageElement).alt,
        loaded: (e as HTMLImageElement).complete && (e as HTMLImageElement).naturalWidth > 0,
      })),
    );
  // Images decode after the text renders: wait for them, but report (not hang) when some never do.
  await waitFor('the README images to load', async () => (await shown()).every((i) => i.loaded), 15000).catch(
    () => undefined,
  );
  const images = await shown();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await wb.page.screenshot({ path: path.join(ARTIFACTS, 'extension-page.png') });
  // The shipped README has images only when WSLB_README_IMAGES_URL names where they are served
  // (scripts/vsix-readme.mjs); any image it has must load.
  console.log(`extension page: ${images.filter((i) => i.loaded).length} of ${images.length} README images shown`);
  for (const i of images) if (!i.loaded) console.log(`  not shown: ${i.alt}`);
  if (images.some((i) => !i.loaded)) process.exitCode = 1;
}

main()
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
