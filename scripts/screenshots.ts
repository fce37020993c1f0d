/**
 * The README's screenshots, taken in the real VS Code workbench (code-server + Chromium, the
 * harness of the end-to-end suite) with the packaged extension, on a copy of examples/:
 *
 *   images/editor-findings.png  chat.conf with its squiggles and the Problems panel
 *   images/hover.png            the hover on proxy_pass
 *   images/quick-fix.png        the quick-fix menu on the WebSocket location
 *   images/simulator.png        "wslb: Simulate balancing" on chat_backend
 *   test-artifacts/e2e/extension-page.png   the extension's details page (the README shipped in
 *                                           the .vsix, images included), for checking by eye
 *
 * Run: npm run screenshots   (= npx tsx scripts/screenshots.ts; needs `npm run setup:e2e` once).
 * WSLB_E2E_VSIX=<file> uses that .vsix instead of running `npm run package`.
 */
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

async function main(): Promise<void> {
  const loaded = loadSetup();
  if (!loaded.ok) throw new Error(loaded.reason);
  const setup = loaded.setup;
  const vsix = buildProductVsix();
  const workspace = path.join(makeTempDir('shots'), 'examples');
  fs.cpSync(path.join(REPO, 'examples'), workspace, { recursive: true });
  const chat = path.join(workspace, 'nginx', 'sites-enabled', 'chat.conf');
  const main = path.join(workspace, 'nginx', 'nginx.conf');

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
  await wb.openFile('nginx/sites-enabled/chat.conf');
  await waitFor('wslb squiggles', async () => (await wb.squiggles('any')) > 2, 60000);
  await waitFor('wslb rows in Problems', async () => (await wb.problems('')).some((r) => r.includes('nginx/')), 45000);
  await wb.openFile('nginx/sites-enabled/chat.conf');
  await save(wb, 'editor-findings.png');

  // 2. The hover on proxy_pass inside the WebSocket location.
  const pass = lineColOf(chat, 'proxy_pass http://chat_backend');
  await wb.gotoLine(pass.line, pass.column + 2);
  await wb.hoverAtCursor('WebSocket');
  await save(wb, 'hover.png');
  await wb.closeHover();

  // 3. The quick-fix menu on `location /ws/`.
  const loc = lineColOf(chat, 'location /ws/');
  await wb.gotoLine(loc.line, loc.column + 1);
  await wb.openQuickFix('Add proxy_http_version 1.1');
  await save(wb, 'quick-fix.png');
  await wb.page.keyboard.press('Escape');

  // 4. The simulator on the upstream under the cursor.
  await wb.openFile('nginx/nginx.conf');
  const srv = lineColOf(main, 'server 127.0.0.1:9002');
  await wb.gotoLine(srv.line, srv.column + 2);
  await wb.runCommand('wslb: Simulate balancing');
  const frame = await settledChart(wb);
  await waitFor('chat_backend in the panel', async () =>
    (await frame.locator('body').innerText()).includes('chat_backend'),
  );
  await save(wb, 'simulator.png');

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
  console.log(`extension page: ${images.filter((i) => i.loaded).length} of ${images.length} README images shown`);
  for (const i of images) if (!i.loaded) console.log(`  not shown: ${i.alt}`);
  if (images.length === 0 || images.some((i) => !i.loaded)) process.exitCode = 1;
}

main()
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.stack : e);
    process.exitCode = 1;
  })
  .finally(() => stopAll());
