/**
 * The client inside a real VS Code (code-server, driven by Chromium through the e2e harness):
 * content detection, the status bar, "WebSocket LB Doctor: Simulate balancing" from the palette and from a
 * CodeLens, the engine running in a Worker inside the real webview (CSP intact), and "Apply to
 * config" as an undoable edit. Uses the product .vsix from `npm run package`.
 *
 * Needs the e2e setup (`node scripts/e2e-setup.mjs --apt`); without it the suite says so and is
 * skipped, unless WSLB_REQUIRE_ALL=1 (then it fails).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BrowserContext, Frame } from 'playwright-core';
import {
  buildProductVsix,
  CodeServer,
  launchBrowser,
  makeTempDir,
  requireE2E,
  stopAll,
  waitFor,
  Workbench,
} from '../e2e/harness';

const ARTIFACTS = path.join(__dirname, '..', '..', 'test-artifacts', 'webview');

const NGINX = `# A WebSocket chat behind nginx.
events {}

http {
    upstream chat_backend {
        server 10.0.0.1:9000;
        server 10.0.0.2:9000 weight=2;
        server 10.0.0.3:9000;
    }

    server {
        listen 80;
        location /ws/ {
            proxy_pass http://chat_backend;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}
`;

const HAPROXY = `global
    maxconn 1000

defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h

frontend fe_chat
    bind 127.0.0.1:8080
    default_backend be_chat

backend be_chat
    balance leastconn
    timeout tunnel 1h
    server app1 10.0.0.1:9000 check
    server app2 10.0.0.2:9000 check
`;

// Named so that no file association of the extension applies: VS Code opens it as "properties".
const PLAIN_NGINX = `upstream api {
    server 10.1.0.1:8080;
}
server {
    listen 8080;
    location / { proxy_pass http://api; }
}
`;

// An unrelated YAML and JSON (no load balancer): they keep their language and start nothing.
const CI_YAML = 'name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n';
const PKG_JSON = '{\n  "name": "demo",\n  "version": "1.0.0"\n}\n';

// A CloudFormation template with an ALB in front of a WebSocket target group.
const STACK_YAML = `AWSTemplateFormatVersion: "2010-09-09"
Resources:
  ChatLoadBalancer:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      LoadBalancerAttributes:
        - Key: idle_timeout.timeout_seconds
          Value: "30"
  WsTargetGroup:
    Type: AWS::ElasticLoadBalancingV2::TargetGroup
    Properties:
      Name: chat-ws
      Protocol: HTTP
      Port: 8080
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref ChatLoadBalancer
      Protocol: HTTP
      Port: 80
      DefaultActions:
        - Type: forward
          TargetGroupArn: !Ref WsTargetGroup
`;

describe('client in a real VS Code (code-server)', function () {
  this.timeout(600_000);
  let server: CodeServer | undefined;
  let context: BrowserContext | undefined;
  let wb: Workbench;
  let folder: string;
  const consoleErrors: string[] = [];

  before(async function () {
    const setup = requireE2E(this);
    const tmp = makeTempDir('client');
    folder = path.join(tmp, 'ws');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'nginx.conf'), NGINX);
    fs.writeFileSync(path.join(folder, 'haproxy.cfg'), HAPROXY);
    fs.writeFileSync(path.join(folder, 'site.conf'), PLAIN_NGINX);
    fs.writeFileSync(path.join(folder, 'sysctl.conf'), 'net.ipv4.ip_forward = 1\nvm.swappiness = 10\n');
    fs.writeFileSync(path.join(folder, 'ci.yaml'), CI_YAML);
    fs.writeFileSync(path.join(folder, 'package.json'), PKG_JSON);
    fs.writeFileSync(path.join(folder, 'stack.yaml'), STACK_YAML);
    const vsix = buildProductVsix();
    context = await launchBrowser(setup);
    server = await CodeServer.start({ setup, vsixes: [vsix], label: 'client' });
    wb = await Workbench.open(context, server.folderUrl(folder));
    wb.page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) consoleErrors.push(m.text());
    });
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && wb && !wb.page.isClosed()) {
      await wb.page
        .screenshot({
          path: path.join(ARTIFACTS, `vscode-failed-${this.currentTest.title.slice(0, 20).replace(/\W+/g, '_')}.png`),
        })
        .catch(() => undefined);
    }
  });

  after(async () => {
    await wb?.page.close().catch(() => undefined);
    await server?.stop().catch(() => undefined);
    await stopAll();
  });

  const languageStatus = () =>
    wb.page
      .locator('#status\\.editor\\.mode')
      .innerText()
      .then((t) => t.trim());
  const wslbStatus = () =>
    wb.page
      .locator('.statusbar-item', { hasText: 'wslb' })
      .first()
      .innerText()
      .then((t) => t.trim());

  async function simulatorFrame(pool: string): Promise<Frame> {
    return waitFor(
      `the simulator panel on ${pool}`,
      async () => {
        for (const f of wb.page.frames()) {
          if (f === wb.page.mainFrame()) continue;
          const title = await f
            .locator('#title')
            .innerText({ timeout: 200 })
            .catch(() => '');
          if (
            title.includes(pool) &&
            (await f
              .locator('#chartA[data-total]')
              .count()
              .catch(() => 0)) > 0
          )
            return f;
        }
        return undefined;
      },
      90_000,
      300,
    );
  }

  it('leaves an unrelated .conf alone and does not start the server for it', async () => {
    await wb.openFile('sysctl.conf');
    await waitFor(
      'the Properties language',
      async () => ((await languageStatus()) === 'Properties' ? true : undefined),
      30_000,
      300,
    );
    await new Promise((r) => setTimeout(r, 5000)); // the extension activates on "properties" and decides
    assert.equal(await languageStatus(), 'Properties');
    assert.equal(
      await wb.page.locator('.statusbar-item', { hasText: 'wslb' }).count(),
      0,
      'no wslb status: the server was not started',
    );
  });

  it('leaves an unrelated YAML and JSON alone: their language stays, the server does not start', async () => {
    await wb.openFile('ci.yaml');
    await waitFor(
      'the YAML language',
      async () => ((await languageStatus()) === 'YAML' ? true : undefined),
      30_000,
      300,
    );
    await wb.openFile('package.json');
    await waitFor(
      'the JSON language',
      async () => ((await languageStatus()) === 'JSON' ? true : undefined),
      30_000,
      300,
    );
    await new Promise((r) => setTimeout(r, 5000)); // the extension activates on yaml/json and decides by content
    assert.equal(await languageStatus(), 'JSON');
    assert.equal(
      await wb.page.locator('.statusbar-item', { hasText: 'wslb' }).count(),
      0,
      'no wslb status: the server was not started',
    );
    // Leave the editors as the later steps expect them (sysctl.conf in front).
    await wb.runCommand('View: Close Editor');
    await wb.runCommand('View: Close Editor');
    await waitFor(
      'sysctl.conf in front again',
      async () => ((await languageStatus()) === 'Properties' ? true : undefined),
      30_000,
      300,
    );
  });

  it('gives a clearly-nginx .conf the nginx language by content; the status bar shows the target', async () => {
    await wb.openFile('site.conf');
    await waitFor(
      'site.conf in the nginx language',
      async () => ((await languageStatus()) === 'nginx' ? true : undefined),
      60_000,
      300,
    );
    await waitFor(
      'wslb ready with the nginx target',
      async () => (/wslb nginx 1\.22\.1/.test(await wslbStatus()) ? true : undefined),
      60_000,
      300,
    );
  });

  it('simulates the upstream under the cursor; the engine runs in a Worker in the real webview', async () => {
    await wb.openFile('nginx.conf');
    await wb.gotoLine(7, 10);
    await wb.runCommand('WebSocket LB Doctor: Simulate balancing');
    const frame = await simulatorFrame('chat_backend');
    assert.equal(await frame.locator('#app').getAttribute('data-engine'), 'worker');
    assert.ok(Number(await frame.locator('#chartA').getAttribute('data-total')) > 0);
    assert.equal(await frame.locator('#algorithm').inputValue(), 'round_robin');
    assert.match(await frame.locator('#status').innerText(), /simulated in \d+ ms/);
    await wb.page.screenshot({ path: path.join(ARTIFACTS, 'vscode-simulate.png') });
  });

  it('"Apply to config" rewrites the upstream through an undoable edit', async () => {
    const frame = await simulatorFrame('chat_backend');
    await frame.locator('#algorithm').selectOption('hash $remote_addr consistent');
    await frame.locator('#chartA[data-algorithm="hash $remote_addr consistent"]').waitFor({ timeout: 60_000 });
    await frame.locator('#apply').click();
    await waitFor(
      'the panel to confirm',
      async () => (/Applied/.test(await frame.locator('#notice').innerText()) ? true : undefined),
      30_000,
      300,
    );
    assert.ok(await frame.locator('#apply').isDisabled());
    await wb.page.screenshot({ path: path.join(ARTIFACTS, 'vscode-applied.png') });
    // The edit is in the editor (unsaved), right after the upstream's "{".
    await wb.openFile('nginx.conf');
    await waitFor(
      'the directive in the editor',
      async () =>
        /upstream chat_backend \{\s+hash \$remote_addr consistent;\s+server 10\.0\.0\.1/.test(await wb.editorText())
          ? true
          : undefined,
      30_000,
      300,
    );
    assert.equal(fs.readFileSync(path.join(folder, 'nginx.conf'), 'utf8'), NGINX, "not saved behind the user's back");
    await wb.gotoLine(1, 1);
    await wb.page.keyboard.press('Control+Z');
    await waitFor(
      'undo to remove it',
      async () => (!/hash \$remote_addr/.test(await wb.editorText()) ? true : undefined),
      30_000,
      300,
    );
  });

  it('follows edits of the config: a new server line shows up in the open panel', async () => {
    await wb.gotoLine(8, 1);
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('server 10.0.0.4:9000;');
    // Opening nginx.conf from the Explorer above put it over the panel (same editor group): the
    // panel was hidden during the edit, and comes back from its saved state with the new pool.
    await wb.page.locator('.tab', { hasText: 'Simulate balancing: chat_backend' }).first().click();
    const frame = await simulatorFrame('chat_backend');
    await waitFor(
      'the panel to show 4 servers',
      async () => (/4 servers/.test(await frame.locator('#subtitle').innerText()) ? true : undefined),
      60_000,
      300,
    );
    await waitFor(
      'a 4-backend chart',
      async () =>
        (await frame.locator('#chartA').getAttribute('data-final'))?.split(',').length === 4 ? true : undefined,
      60_000,
      300,
    );
    // Now with the panel visible next to the editor: the edit reaches it live.
    await wb.page.locator('.editor-group-container').first().locator('.tab[data-resource-name="nginx.conf"]').click();
    await wb.gotoLine(9, 1);
    await wb.page.keyboard.press('End');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type('server 10.0.0.5:9000;');
    await waitFor(
      'the visible panel to show 5 servers',
      async () => (/5 servers/.test(await frame.locator('#subtitle').innerText()) ? true : undefined),
      60_000,
      300,
    );
  });

  it('beside the editor with the Problems panel open, shows its chart and headline numbers without scrolling', async () => {
    // The palette first (a focused webview keeps the workbench's keys), then the panel's tab.
    await wb.runCommand('View: Focus Problems');
    await wb.page.locator('.part.panel').first().waitFor({ state: 'visible', timeout: 30_000 });
    await wb.page.locator('.tab', { hasText: 'Simulate balancing: chat_backend' }).first().click();
    const frame = await simulatorFrame('chat_backend');
    await frame.locator('#app[aria-busy="false"]').waitFor({ timeout: 60_000 });
    // (No named helper inside: the page cannot see the helpers tsx adds around named functions.)
    const seen = await frame.evaluate(() => {
      const els = [document.getElementById('chartA')!, ...Array.from(document.querySelectorAll('#headline .stat'))];
      const boxes = els.map((e) => {
        const r = e.getBoundingClientRect();
        return { top: Math.round(r.top), bottom: Math.round(r.bottom), height: Math.round(r.height) };
      });
      return { width: window.innerWidth, height: window.innerHeight, chart: boxes[0], stats: boxes.slice(1) };
    });
    const where = JSON.stringify(seen);
    assert.ok(seen.height < 700, `the panel is short, as with the Problems panel open: ${where}`);
    assert.equal(seen.stats.length, 3, where);
    for (const s of seen.stats)
      assert.ok(s.top >= 0 && s.bottom <= seen.height, `a headline number below the fold: ${where}`);
    assert.ok(seen.chart.height >= 180 && seen.chart.bottom <= seen.height, `the chart is cut off: ${where}`);
    await wb.page.screenshot({ path: path.join(ARTIFACTS, 'vscode-simulator-problems-panel.png') });
  });

  it('opens the simulator from the CodeLens above a HAProxy backend', async () => {
    await wb.openFile('haproxy.cfg');
    const lens = wb.page.locator('.codelens-decoration a', { hasText: 'Simulate balancing (leastconn' }).first();
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    await lens.click();
    const frame = await simulatorFrame('be_chat');
    assert.equal(await frame.locator('#algorithm').inputValue(), 'leastconn');
    const options = await frame
      .locator('#algorithm option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.ok(options.includes('source consistent') && options.includes('static-rr'));
    await wb.page.screenshot({ path: path.join(ARTIFACTS, 'vscode-haproxy-codelens.png') });
  });

  it('checks a CloudFormation YAML that declares an ALB, keeping its YAML language; simulates its target group as a model', async () => {
    await wb.openFile('stack.yaml');
    await waitFor(
      'wslb running',
      async () => (/wslb/.test(await wslbStatus().catch(() => '')) ? true : undefined),
      60_000,
      300,
    );
    assert.equal(await languageStatus(), 'YAML');
    await waitFor(
      'the aws/alb-idle-timeout problem',
      async () =>
        (await wb.problems('aws/alb-idle-timeout')).some((r) => r.includes('aws/alb-idle-timeout')) ? true : undefined,
      60_000,
      500,
    );
    const lens = wb.page
      .locator('.codelens-decoration a', { hasText: 'Simulate balancing (model of AWS round_robin' })
      .first();
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    await lens.click();
    const frame = await simulatorFrame('chat-ws');
    assert.match(
      await frame.locator('#fidelity').innerText(),
      /model of documented AWS behaviour; AWS's implementation is not public/,
    );
    const options = await frame
      .locator('#algorithm option')
      .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.deepEqual(options, ['round_robin', 'least_outstanding_requests', 'weighted_random']);
    await wb.page.screenshot({ path: path.join(ARTIFACTS, 'vscode-aws-codelens.png') });
  });

  it('logged no CSP violation or error from the webview', () => {
    const relevant = consoleErrors.filter((e) => /Content Security Policy|main\.js|wslb|simulat/i.test(e));
    assert.deepEqual(relevant, []);
  });
});
