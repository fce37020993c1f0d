/**
 * The rule page links (issue 20, point 5) and the CodeLens setting (point 9), over the protocol
 * with the built server:
 *   - a client that opens wslb-rule: pages (initializationOptions.ruleLinks 'editor', as the VS Code
 *     extension sends) gets codes linking to `wslb-rule:/<id>` and one "Show documentation for
 *     <rule>" action per rule under the cursor, running wslb.explainRule with the id; its page
 *     (wslb/explain) has the registry's text;
 *   - any other client keeps the docs/rules.md link and gets no such action;
 *   - "Simulate balancing" CodeLenses sit on the pools that carry WebSocket, on all with
 *     wslb.codeLens "all", on none with "off", and the server asks the client to refresh them.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, CodeLens, Diagnostic } from 'vscode-languageserver-protocol';
import { TestClient, fileUri } from './client';
import { codeDocsUrl } from '../../server/src/service/docs/links';
import { ruleById } from '../../server/src/service/rules';
import { longDocs } from '../../server/src/service/rules/long-docs';
import { ruleIdOfPath, RULE_SCHEME } from '../../server/src/lsp/protocol';
import { allCodes } from '../../server/src/service/codes';

const NGINX = `http {
    upstream chat { server 127.0.0.1:9001; server 127.0.0.1:9002; }
    upstream api { server 127.0.0.1:9101; }
    server {
        listen 8080;
        location /ws/ {
            proxy_pass http://chat;
            proxy_read_timeout 10s;
        }
        location /api/ {
            proxy_pass http://api;
        }
    }
}
`;
const RULE = 'nginx/ws-not-upgraded';

async function actionsAt(c: TestClient, uri: string, d: Diagnostic): Promise<CodeAction[]> {
  return c.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d], only: ['quickfix'] },
  });
}

describe('language server: rule page links and the CodeLens setting', function () {
  this.timeout(30_000);
  let tmp: string;
  let uri: string;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-rule-links-'));
    const file = path.join(tmp, 'nginx.conf');
    fs.writeFileSync(file, NGINX);
    uri = fileUri(file);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('a client that opens rule pages (ruleLinks: editor)', () => {
    let c: TestClient;
    before(async () => {
      c = new TestClient({ initializationOptions: { ruleLinks: 'editor' }, codeLensRefresh: true });
      await c.initialize();
      c.open(uri, 'nginx', NGINX);
    });
    after(() => c.stop());

    it('links each code to its wslb-rule: page', async () => {
      const diags = await c.waitDiagnostics(uri, (d) => d.some((x) => x.code === RULE));
      for (const d of diags) {
        const href = d.codeDescription?.href;
        assert.ok(href, `${String(d.code)} has a link`);
        const u = new URL(href);
        assert.equal(u.protocol, `${RULE_SCHEME}:`);
        assert.equal(ruleIdOfPath(decodeURIComponent(u.pathname)), d.code);
      }
    });

    it('offers "Show documentation for <rule>" once per rule, running wslb.explainRule', async () => {
      const diags = await c.waitDiagnostics(uri, (d) => d.some((x) => x.code === RULE));
      const d = diags.find((x) => x.code === RULE)!;
      const here = diags.filter((x) => x.range.start.line === d.range.start.line);
      const actions = await actionsAt(c, uri, d);
      const docs = actions.filter((a) => a.title.startsWith('Show documentation for '));
      const rules = [...new Set(here.map((x) => String(x.code)))].sort();
      assert.deepEqual(docs.map((a) => a.title.slice('Show documentation for '.length)).sort(), rules);
      const mine = docs.find((a) => a.title === `Show documentation for ${RULE}`)!;
      assert.equal(mine.kind, 'quickfix');
      assert.equal(mine.edit, undefined);
      assert.deepEqual(mine.command, { title: mine.title, command: 'wslb.explainRule', arguments: [RULE] });
      // After the fixes, not before: the fix stays the first entry.
      assert.ok(actions.indexOf(mine) > 0 && !actions[0].title.startsWith('Show documentation'));
    });

    it("serves the rule's page: what, why and what to do, versions, proof, references", async () => {
      const rule = ruleById(RULE)!.meta;
      const page = await c.request<{ markdown: string } | null>('wslb/explain', { id: RULE });
      assert.ok(page);
      for (const part of [rule.docs.short, longDocs(rule), rule.versions, rule.docs.proof!, ...rule.docs.references])
        assert.ok(page.markdown.includes(part), part.slice(0, 60));
      for (const h of ['## Why, and what to do', '## Versions', '## Proof', '## References', '## Turn it off'])
        assert.ok(page.markdown.includes(h), h);
    });

    it('shows the Simulate CodeLens on the WebSocket upstream only, on all with "all", on none with "off"', async () => {
      await c.waitDiagnostics(uri, (d) => d.length > 0);
      const lenses = async () =>
        (await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } })).map(
          (l) => (l.command?.arguments?.[0] as { pool: string }).pool,
        );
      assert.deepEqual(await lenses(), ['chat']);
      const refreshes = c.codeLensRefreshes;
      c.settings = { ...c.settings, codeLens: 'all' };
      void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await waitUntil(() => c.codeLensRefreshes > refreshes);
      assert.deepEqual(await lenses(), ['chat', 'api']);
      c.settings = { ...c.settings, codeLens: 'off' };
      void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await waitUntil(() => c.codeLensRefreshes > refreshes + 1);
      assert.deepEqual(await lenses(), []);
      c.settings = { ...c.settings, codeLens: 'nonsense' };
      void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
      await waitUntil(() => c.codeLensRefreshes > refreshes + 2);
      assert.deepEqual(await lenses(), ['chat'], 'an unknown value means the default');
    });
  });

  describe('any other client', () => {
    let c: TestClient;
    before(async () => {
      c = new TestClient();
      await c.initialize();
      c.open(uri, 'nginx', NGINX);
    });
    after(() => c.stop());

    it('links codes to docs/rules.md and offers no "Show documentation" action', async () => {
      const diags = await c.waitDiagnostics(uri, (d) => d.some((x) => x.code === RULE));
      const d = diags.find((x) => x.code === RULE)!;
      assert.equal(d.codeDescription?.href, codeDocsUrl(RULE));
      const actions = await actionsAt(c, uri, d);
      assert.ok(actions.length > 0);
      assert.ok(!actions.some((a) => a.title.startsWith('Show documentation')));
    });
  });

  it('every code is a system/name id that a wslb-rule: path carries', () => {
    for (const { id } of allCodes()) assert.equal(ruleIdOfPath(`/${id}`), id);
  });
});

async function waitUntil(ok: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
