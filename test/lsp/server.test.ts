/**
 * Protocol tests: the built server over stdio, driven by a JSON-RPC client as an editor would.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type {
  CodeAction,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  WorkspaceEdit,
  TextEdit,
  CodeLens,
  Range,
} from 'vscode-languageserver-protocol';
import { TestClient, fileUri, applyTextEdits, REPO } from './client';
import { codeDocsUrl } from '../../server/src/service/docs/links';

const NGINX_WS = `events {}
http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    upstream chat_backend {
        server 127.0.0.1:9001;
        server 127.0.0.1:9002;
    }
    server {
        listen 8080;
        location /ws {
            proxy_pass http://chat_backend;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location /socket.io/ {
            proxy_pass http://chat_backend;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
        location / {
            try_files $uri @fallback;
        }
        location @fallback {
            proxy_pass http://chat_backend;
        }
    }
}
`;

const HAPROXY = `global
    maxconn 1000

defaults base
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

frontend fe from base
    bind :8080
    acl is_ws hdr(Upgrade) -i websocket
    acl is_api path_beg /api
    use_backend ws_pool if is_ws
    use_backend api_pool if is_api
    default_backend api_pool

backend ws_pool from base
    balance leastconn
    server w1 127.0.0.1:9001 check
    server w2 127.0.0.1:9002 check

backend api_pool from base
    server a1 127.0.0.1:9101 check
`;

const HTTP_VERSION = 'nginx/ws-http-version';
const TUNNEL = 'haproxy/ws-missing-timeout-tunnel';

function codes(d: Diagnostic[]): string[] {
  return d.map((x) => String(x.code));
}

function editsFor(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  return edit?.changes?.[uri] ?? [];
}

let tmp: string;
function tmpFile(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

before(function () {
  this.timeout(120_000);
  execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-lsp-'));
});

after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('language server: diagnostics, hover, code actions', function () {
  this.timeout(30_000);
  let c: TestClient;
  before(async () => {
    c = new TestClient();
    await c.initialize();
  });
  after(async () => c.stop());

  it('publishes rule findings with code, source, range, doc link and version', async () => {
    const uri = fileUri(tmpFile('a/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes(HTTP_VERSION));
    const hv = diags.filter((d) => d.code === HTTP_VERSION);
    // /ws, /socket.io/ (paths) — both WebSocket locations without proxy_http_version 1.1
    assert.deepEqual(
      hv.map((d) => d.range.start),
      [
        { line: 12, character: 8 },
        { line: 17, character: 8 },
      ],
    );
    assert.deepEqual(hv[0].range.end, { line: 12, character: 20 });
    assert.equal(hv[0].source, 'wslb');
    assert.equal(hv[0].severity, 1);
    assert.equal(hv[0].codeDescription?.href, codeDocsUrl(HTTP_VERSION));
    assert.equal(c.diagnostics.get(uri)!.version, 1);
  });

  it('explains a diagnostic on hover with the rule text and its source section', async () => {
    const uri = fileUri(path.join(tmp, 'a/nginx.conf'));
    const hover = await c.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 12, character: 12 },
    });
    assert.ok(hover, 'a hover');
    const value = (hover.contents as { value: string }).value;
    // The finding in one line, then the rule's page one click away (its command link).
    assert.match(value, new RegExp(`^\\*\\*Error\\*\\* \`${HTTP_VERSION}\`: `));
    assert.ok(value.includes(`command:wslb.explainRule?${encodeURIComponent(JSON.stringify([HTTP_VERSION]))}`), value);
  });

  it('offers the quick fix as preferred; applying it removes the finding', async () => {
    const p = path.join(tmp, 'b/nginx.conf');
    const uri = fileUri(tmpFile('b/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes(HTTP_VERSION));
    const target = diags.find((d) => d.code === HTTP_VERSION)!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: target.range,
      context: { diagnostics: [target] },
    });
    const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred);
    assert.ok(fix, `preferred quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(fix.diagnostics?.[0].code, HTTP_VERSION);
    const after = applyTextEdits(NGINX_WS, editsFor(fix.edit, uri));
    assert.ok(/location \/ws \{[^}]*proxy_http_version 1\.1;/.test(after), after);
    c.replace(uri, after, NGINX_WS);
    const again = await c.waitDiagnostics(uri, (_d, pub) => pub.version === 2);
    assert.equal(again.filter((d) => d.code === HTTP_VERSION).length, 1, 'only the /socket.io/ location is left');
    assert.equal(again.find((d) => d.code === HTTP_VERSION)!.range.start.line, 18);
    void p;
  });

  it('"Disable for this line" inserts a comment at the indentation that the server honours', async () => {
    const uri = fileUri(tmpFile('c/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes(HTTP_VERSION));
    const target = diags.find((d) => d.code === HTTP_VERSION)!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: target.range,
      context: { diagnostics: [target] },
    });
    const disable = actions.find((a) => a.title === `Disable ${HTTP_VERSION} for this line`);
    assert.ok(disable, actions.map((a) => a.title).join(', '));
    const after = applyTextEdits(NGINX_WS, editsFor(disable.edit, uri));
    assert.equal(after.split('\n')[12], `        # wslb-disable-next-line ${HTTP_VERSION} -- reason`);
    c.replace(uri, after, NGINX_WS);
    const again = await c.waitDiagnostics(uri, (_d, pub) => pub.version === 2);
    assert.deepEqual(
      again.filter((d) => d.code === HTTP_VERSION).map((d) => d.range.start.line),
      [18],
    );
  });

  it('"Disable for this file" adds a file comment at the top', async () => {
    const uri = fileUri(tmpFile('d/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes(HTTP_VERSION));
    const target = diags.find((d) => d.code === HTTP_VERSION)!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: target.range,
      context: { diagnostics: [target] },
    });
    const disable = actions.find((a) => a.title === `Disable ${HTTP_VERSION} for this file`)!;
    const after = applyTextEdits(NGINX_WS, editsFor(disable.edit, uri));
    assert.ok(after.startsWith(`# wslb-disable-file ${HTTP_VERSION} -- reason\n`), after.slice(0, 80));
    c.replace(uri, after, NGINX_WS);
    const again = await c.waitDiagnostics(uri, (_d, pub) => pub.version === 2);
    assert.equal(again.filter((d) => d.code === HTTP_VERSION).length, 0);
  });

  it('fix-all converges: one edit fixes every fixable finding, asking again offers nothing', async () => {
    const uri = fileUri(tmpFile('e/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    await c.waitDiagnostics(uri, (d) => codes(d).includes(HTTP_VERSION));
    const full = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: full,
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    const fixAll = actions.find((a) => a.kind === 'source.fixAll.wslb');
    assert.ok(fixAll, JSON.stringify(actions.map((a) => a.kind)));
    assert.equal(fixAll.title, 'Fix all safe wslb problems in this file');
    const after = applyTextEdits(NGINX_WS, editsFor(fixAll.edit, uri));
    assert.equal((after.match(/proxy_http_version 1\.1;/g) ?? []).length >= 1, true);
    c.replace(uri, after, NGINX_WS);
    const again = await c.waitDiagnostics(uri, (_d, pub) => pub.version === 2);
    assert.deepEqual(
      again.filter((d) => d.code === HTTP_VERSION),
      [],
    );
    const second = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: full,
      context: { diagnostics: [], only: ['source.fixAll'] },
    });
    const fixAll2 = second.find((a) => a.kind === 'source.fixAll.wslb');
    // Either nothing is fixable any more, or applying it changes nothing.
    if (fixAll2) assert.equal(applyTextEdits(after, editsFor(fixAll2.edit, uri)), after);
    const out = path.join(tmp, 'e/fixed.conf');
    fs.writeFileSync(out, after);
    // The fixed file is still a valid nginx config when nginx is installed.
    try {
      execFileSync(
        'nginx',
        ['-t', '-q', '-c', out, '-p', tmp, '-g', `pid ${path.join(tmp, 'nginx.pid')}; error_log stderr;`],
        { stdio: 'pipe' },
      );
    } catch (e) {
      const err = e as NodeJS.ErrnoException & { stderr?: Buffer };
      if (err.code !== 'ENOENT') assert.fail(`nginx -t rejected the fixed file: ${String(err.stderr)}`);
    }
  });

  it('honours per-rule settings: a rule set to "off" disappears after didChangeConfiguration', async () => {
    const uri = fileUri(tmpFile('f/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    await c.waitDiagnostics(uri, (d) => codes(d).includes(HTTP_VERSION));
    c.settings = { ...c.settings, rules: { [HTTP_VERSION]: 'off' } };
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await c.waitDiagnostics(uri, (d) => !codes(d).includes(HTTP_VERSION));
    c.settings = { ...c.settings, rules: { [HTTP_VERSION]: 'hint' } };
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const d = await c.waitDiagnostics(uri, (x) => codes(x).includes(HTTP_VERSION));
    assert.equal(d.find((x) => x.code === HTTP_VERSION)!.severity, 4);
    c.settings = { ...c.settings, rules: {} };
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await c.waitDiagnostics(uri, (x) => x.find((y) => y.code === HTTP_VERSION)?.severity === 1);
  });

  it('HAProxy: diagnostics, quick fix and fix-all', async () => {
    const uri = fileUri(tmpFile('g/haproxy.cfg', HAPROXY));
    c.open(uri, 'haproxy', HAPROXY);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes(TUNNEL));
    const t = diags.find((d) => d.code === TUNNEL)!;
    assert.deepEqual(t.range.start, { line: 17, character: 0 });
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: t.range,
      context: { diagnostics: [t] },
    });
    const fix = actions.find((a) => a.isPreferred && a.diagnostics?.[0].code === TUNNEL)!;
    const after = applyTextEdits(HAPROXY, editsFor(fix.edit, uri));
    assert.ok(/timeout tunnel/.test(after));
    c.replace(uri, after, HAPROXY);
    const again = await c.waitDiagnostics(uri, (_d, pub) => pub.version === 2);
    assert.ok(!again.some((d) => d.code === TUNNEL && d.range.start.line === 17));
  });
});

describe('language server: fix-all through codeAction/resolve', function () {
  this.timeout(30_000);
  let c: TestClient;
  before(async () => {
    c = new TestClient({ resolveCodeActions: true });
    await c.initialize();
  });
  after(async () => c.stop());

  it('returns a lazy fix-all action and resolves its edit', async () => {
    const uri = fileUri(tmpFile('r/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    await c.waitDiagnostics(uri, (d) => codes(d).includes(HTTP_VERSION));
    const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: zero,
      context: { diagnostics: [], only: ['source.fixAll.wslb'] },
    });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].edit, undefined);
    const resolved = await c.request<CodeAction>('codeAction/resolve', actions[0]);
    const after = applyTextEdits(NGINX_WS, editsFor(resolved.edit, uri));
    assert.notEqual(after, NGINX_WS);
    c.replace(uri, after, NGINX_WS);
    const again = await c.waitDiagnostics(uri, (_d, pub) => pub.version === 2);
    assert.deepEqual(
      again.filter((d) => d.code === HTTP_VERSION),
      [],
    );
  });
});

describe('language server: includes, navigation, rename', function () {
  this.timeout(30_000);
  let c: TestClient;
  let mainPath: string;
  let appPath: string;
  const MAIN = `events {}
http {
    proxy_http_version 1.1;
    upstream chat_backend {
        server 127.0.0.1:9001;
    }
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    include conf.d/*.conf;
}
`;
  const APP = `server {
    listen 8080;
    location /ws {
        proxy_pass http://chat_backend;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
    }
}
`;
  before(async () => {
    mainPath = tmpFile('inc/nginx.conf', MAIN);
    appPath = tmpFile('inc/conf.d/app.conf', APP);
    c = new TestClient({ workspaceFolder: path.join(tmp, 'inc'), settings: { checkWorkspace: true } });
    await c.initialize();
  });
  after(async () => c.stop());

  it('checks an open included file in the context of its (unopened) includer', async () => {
    const uri = fileUri(appPath);
    // Published for the includer by the background check before anything is open.
    await c.waitDiagnostics(fileUri(mainPath));
    c.open(uri, 'nginx', APP);
    const d = await c.waitDiagnostics(uri, (_x, p) => p.version === 1);
    // proxy_http_version 1.1 is inherited from nginx.conf's http block: no finding.
    assert.deepEqual(
      d.filter((x) => x.code === HTTP_VERSION),
      [],
    );
  });

  it('re-checks the included file when its includer changes', async () => {
    const mainUri = fileUri(mainPath);
    c.open(mainUri, 'nginx', MAIN);
    await c.waitDiagnostics(mainUri, (_x, p) => p.version === 1);
    const without = MAIN.replace('    proxy_http_version 1.1;\n', '');
    c.replace(mainUri, without, MAIN);
    const d = await c.waitDiagnostics(fileUri(appPath), (x) => codes(x).includes(HTTP_VERSION));
    assert.equal(d.find((x) => x.code === HTTP_VERSION)!.range.start.line, 2);
    c.replace(mainUri, MAIN, without);
    await c.waitDiagnostics(fileUri(appPath), (x) => !codes(x).includes(HTTP_VERSION));
  });

  it('picks up a new file matched by an include glob (watched files) and checks it in context', async () => {
    const extra = tmpFile(
      'inc/conf.d/extra.conf',
      'server {\n    listen 8081;\n    location /socket.io/ {\n        proxy_pass http://chat_backend;\n        proxy_http_version 1.0;\n    }\n}\n',
    );
    void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(extra), type: 1 }] });
    const d = await c.waitDiagnostics(fileUri(extra), (x) => codes(x).includes(HTTP_VERSION));
    assert.deepEqual(d.find((x) => x.code === HTTP_VERSION)!.range.start, { line: 4, character: 27 });
    fs.rmSync(extra);
    void c.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(extra), type: 3 }] });
    await c.waitDiagnostics(fileUri(extra), (x) => x.length === 0);
  });

  it('goes to the upstream definition across the include', async () => {
    const locs = await c.request<Location[]>('textDocument/definition', {
      textDocument: { uri: fileUri(appPath) },
      position: { line: 3, character: 30 },
    });
    assert.equal(locs.length, 1);
    assert.equal(locs[0].uri, fileUri(mainPath));
    assert.deepEqual(locs[0].range, { start: { line: 3, character: 13 }, end: { line: 3, character: 25 } });
  });

  it('finds references of the upstream and of a map variable in both files', async () => {
    const refs = await c.request<Location[]>('textDocument/references', {
      textDocument: { uri: fileUri(mainPath) },
      position: { line: 3, character: 15 },
      context: { includeDeclaration: true },
    });
    assert.deepEqual(refs.map((r) => [path.basename(new URL(r.uri).pathname), r.range.start.line]).sort(), [
      ['app.conf', 3],
      ['nginx.conf', 3],
    ]);
    const v = await c.request<Location[]>('textDocument/definition', {
      textDocument: { uri: fileUri(appPath) },
      position: { line: 5, character: 40 },
    });
    assert.deepEqual(
      v.map((r) => [path.basename(new URL(r.uri).pathname), r.range.start]),
      [['nginx.conf', { line: 6, character: 23 }]],
    );
  });

  it('renames the upstream in the definition and every proxy_pass', async () => {
    const prep = await c.request<{ range: unknown; placeholder: string } | null>('textDocument/prepareRename', {
      textDocument: { uri: fileUri(appPath) },
      position: { line: 3, character: 30 },
    });
    assert.equal(prep?.placeholder, 'chat_backend');
    const edit = await c.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: fileUri(appPath) },
      position: { line: 3, character: 30 },
      newName: 'chat_pool',
    });
    const app = applyTextEdits(APP, editsFor(edit, fileUri(appPath)));
    const main = applyTextEdits(MAIN, editsFor(edit, fileUri(mainPath)));
    assert.ok(app.includes('proxy_pass http://chat_pool;'), app);
    assert.ok(main.includes('upstream chat_pool {'), main);
    await assert.rejects(
      c.request('textDocument/rename', {
        textDocument: { uri: fileUri(appPath) },
        position: { line: 3, character: 30 },
        newName: 'bad name;',
      }),
    );
  });

  it('renames a map variable everywhere, keeping the "$"', async () => {
    const edit = await c.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: fileUri(mainPath) },
      position: { line: 6, character: 30 },
      newName: 'conn_up',
    });
    const app = applyTextEdits(APP, editsFor(edit, fileUri(appPath)));
    const main = applyTextEdits(MAIN, editsFor(edit, fileUri(mainPath)));
    assert.ok(app.includes('Connection $conn_up;'), app);
    assert.ok(main.includes('map $http_upgrade $conn_up {'), main);
  });

  it('navigates named locations', async () => {
    const uri = fileUri(tmpFile('nav/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    await c.waitDiagnostics(uri);
    const defs = await c.request<Location[]>('textDocument/definition', {
      textDocument: { uri },
      position: { line: 23, character: 28 },
    });
    assert.deepEqual(
      defs.map((d) => d.range.start),
      [{ line: 25, character: 17 }],
    );
    const edit = await c.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri },
      position: { line: 25, character: 20 },
      newName: '@backup',
    });
    const after = applyTextEdits(NGINX_WS, editsFor(edit, uri));
    assert.ok(after.includes('try_files $uri @backup;') && after.includes('location @backup {'), after);
  });
});

describe('language server: HAProxy navigation', function () {
  this.timeout(30_000);
  let c: TestClient;
  let uri: string;
  before(async () => {
    c = new TestClient();
    await c.initialize();
    uri = fileUri(tmpFile('h/haproxy.cfg', HAPROXY));
    c.open(uri, 'haproxy', HAPROXY);
    await c.waitDiagnostics(uri);
  });
  after(async () => c.stop());

  it('goes from use_backend to the backend and lists its references', async () => {
    const defs = await c.request<Location[]>('textDocument/definition', {
      textDocument: { uri },
      position: { line: 13, character: 18 },
    });
    assert.deepEqual(
      defs.map((d) => d.range),
      [{ start: { line: 17, character: 8 }, end: { line: 17, character: 15 } }],
    );
    const refs = await c.request<Location[]>('textDocument/references', {
      textDocument: { uri },
      position: { line: 22, character: 10 },
      context: { includeDeclaration: false },
    });
    assert.deepEqual(refs.map((r) => r.range.start.line).sort(), [14, 15]);
  });

  it('resolves ACL names inside their proxy, including negated uses', async () => {
    const defs = await c.request<Location[]>('textDocument/definition', {
      textDocument: { uri },
      position: { line: 13, character: 27 },
    });
    assert.deepEqual(
      defs.map((d) => d.range.start),
      [{ line: 11, character: 8 }],
    );
    const edit = await c.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri },
      position: { line: 11, character: 9 },
      newName: 'is_websocket',
    });
    const after = applyTextEdits(HAPROXY, editsFor(edit, uri));
    assert.ok(
      after.includes('acl is_websocket hdr(Upgrade)') && after.includes('use_backend ws_pool if is_websocket'),
      after,
    );
  });

  it('resolves named defaults profiles used with "from"', async () => {
    const refs = await c.request<Location[]>('textDocument/references', {
      textDocument: { uri },
      position: { line: 3, character: 10 },
      context: { includeDeclaration: true },
    });
    assert.deepEqual(
      refs.map((r) => r.range.start.line).sort((a, b) => a - b),
      [3, 9, 17, 22],
    );
  });

  it('renames a backend in its header and every use_backend/default_backend', async () => {
    const edit = await c.request<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri },
      position: { line: 22, character: 10 },
      newName: 'api',
    });
    const after = applyTextEdits(HAPROXY, editsFor(edit, uri));
    assert.ok(
      after.includes('backend api from base') &&
        after.includes('default_backend api\n') &&
        after.includes('use_backend api if is_api'),
      after,
    );
  });

  it('outlines sections with their servers, folds sections, offers a CodeLens on the WebSocket backend and pools per backend', async () => {
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      syms.map((s) => s.name),
      ['global', 'defaults base', 'frontend fe', 'backend ws_pool', 'backend api_pool'],
    );
    assert.deepEqual(
      syms[3].children!.filter((c2) => c2.kind === 8).map((c2) => c2.name),
      ['w1', 'w2'],
    );
    const folds = await c.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.ok(folds.some((f) => f.startLine === 17 && f.endLine >= 20));
    const lenses = await c.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.command, (l.command?.arguments?.[0] as { pool: string }).pool]),
      // Only the pool that carries WebSocket by default (wslb.codeLens, test/lsp/rule-links.test.ts).
      [[17, 'wslb.simulate', 'ws_pool']],
    );
    const pools = await c.request<{
      pools: { name: string; algorithm: string; servers: { name: string }[]; range: unknown }[];
    }>('wslb/pools', { uri });
    assert.deepEqual(
      pools.pools.map((p) => [p.name, p.algorithm, p.servers.map((s) => s.name)]),
      [
        ['ws_pool', 'leastconn', ['w1', 'w2']],
        ['api_pool', 'roundrobin', ['a1']],
      ],
    );
  });

  it('completes backend names after use_backend and keywords valid in the section', async () => {
    const text = HAPROXY + '\nfrontend fe2\n    use_backend \n    \n\nbackend b3\n    server s3 127.0.0.1:9003 ch\n';
    const u2 = fileUri(tmpFile('h/two.cfg', text));
    c.open(u2, 'haproxy', text);
    await c.waitDiagnostics(u2);
    const lines = text.split('\n');
    const useLine = lines.findIndex((l) => l === '    use_backend ');
    const items = await c.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: u2 },
      position: { line: useLine, character: 16 },
    });
    assert.deepEqual(items.map((i) => i.label).sort(), ['api_pool', 'b3', 'ws_pool']);
    const kw = await c.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: u2 },
      position: { line: useLine + 1, character: 4 },
    });
    const labels = kw.map((i) => i.label);
    assert.ok(
      labels.includes('bind') && labels.includes('use_backend') && labels.includes('timeout'),
      labels.join(' '),
    );
    assert.ok(
      !labels.includes('server') && !labels.includes('balance'),
      'backend-only keywords are not offered in a frontend',
    );
    const srvLine = lines.findIndex((l) => l.startsWith('    server s3'));
    const opts = await c.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri: u2 },
      position: { line: srvLine, character: lines[srvLine].length },
    });
    const optLabels = opts.map((i) => i.label);
    assert.ok(
      optLabels.includes('check') && optLabels.includes('slowstart') && optLabels.includes('on-marked-down'),
      optLabels.slice(0, 30).join(' '),
    );
    assert.deepEqual((opts[0].textEdit as TextEdit).range.start, {
      line: srvLine,
      character: lines[srvLine].length - 2,
    });
  });

  it("completes the keywords of the file's target HAProxy version", async () => {
    const complete = async (name: string, text: string) => {
      const u = fileUri(tmpFile(name, text));
      c.open(u, 'haproxy', text);
      await c.waitDiagnostics(u);
      const lines = text.split('\n');
      const items = await c.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: u },
        position: { line: lines.length - 1, character: lines[lines.length - 1].length },
      });
      return items.map((i) => i.label);
    };
    const body = 'defaults\n    mode http\n    timeout ';
    assert.ok(!(await complete('h/v26.cfg', body)).includes('client-hs'));
    assert.ok((await complete('h/v32.cfg', '# wslb: haproxy 3.2\n' + body)).includes('client-hs'));
  });

  it('hovers a HAProxy keyword with its syntax and manual link', async () => {
    const hover = await c.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: { line: 18, character: 6 },
    });
    const value = (hover!.contents as { value: string }).value;
    assert.ok(
      (value.includes('balance') && value.includes('docs.haproxy.org')) || value.includes('configuration.html'),
      value,
    );
  });
});

describe('language server: nginx symbols, folding, completion', function () {
  this.timeout(30_000);
  let c: TestClient;
  let uri: string;
  before(async () => {
    c = new TestClient();
    await c.initialize();
    uri = fileUri(tmpFile('s/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    await c.waitDiagnostics(uri);
  });
  after(async () => c.stop());

  it('outlines http › server › location, upstream and map', async () => {
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(
      syms.map((s) => s.name),
      ['events', 'http'],
    );
    const http = syms[1];
    assert.deepEqual(
      http.children!.map((s) => s.name),
      ['map $http_upgrade $connection_upgrade', 'upstream chat_backend', 'server'],
    );
    assert.deepEqual(
      http.children![2].children!.map((s) => s.name),
      ['location /ws', 'location /socket.io/', 'location /', 'location @fallback'],
    );
    assert.deepEqual(
      http.children![1].children!.map((s) => s.name),
      ['127.0.0.1:9001', '127.0.0.1:9002'],
    );
  });

  it('folds every multi-line block and comment runs', async () => {
    const text = '# one\n# two\n# three\n' + NGINX_WS;
    const u2 = fileUri(tmpFile('s/folds.conf', text));
    c.open(u2, 'nginx', text);
    await c.waitDiagnostics(u2);
    const folds = await c.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri: u2 } });
    assert.ok(
      folds.some((f) => f.startLine === 0 && f.endLine === 2 && f.kind === 'comment'),
      JSON.stringify(folds),
    );
    assert.ok(
      folds.some((f) => f.startLine === 4 && f.endLine === 31),
      'http block',
    );
    assert.ok(!folds.some((f) => f.startLine === 3), 'a one-line block does not fold');
    assert.ok(
      folds.some((f) => f.startLine === 15 && f.endLine === 18),
      'location /ws, up to the line before its "}"',
    );
  });

  it('completes directives valid in a location (not server-only ones), with docs on resolve', async () => {
    const text = NGINX_WS.replace(
      '            proxy_pass http://chat_backend;\n            proxy_set_header Upgrade',
      '            proxy_\n            proxy_pass http://chat_backend;\n            proxy_set_header Upgrade',
    );
    c.replace(uri, text, NGINX_WS);
    await c.waitDiagnostics(uri, (_d, p) => p.version === 2);
    const items = await c.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 13, character: 18 },
    });
    const labels = items.map((i) => i.label);
    assert.ok(
      labels.includes('proxy_http_version') && labels.includes('proxy_read_timeout'),
      labels.slice(0, 20).join(' '),
    );
    assert.ok(!labels.includes('listen') && !labels.includes('worker_processes') && !labels.includes('upstream'));
    const item = items.find((i) => i.label === 'proxy_http_version')!;
    const resolved = await c.request<CompletionItem>('completionItem/resolve', item);
    const doc = (resolved.documentation as { value: string }).value;
    assert.ok(doc.includes('ngx_http_proxy_module.html#proxy_http_version'), doc);
    c.replace(uri, NGINX_WS, text);
    await c.waitDiagnostics(uri, (_d, p) => p.version === 3);
  });

  it("completes the directives of the file's target nginx version", async () => {
    const complete = async (name: string, version: string) => {
      const text = `# wslb: nginx ${version}\nevents {}\nhttp {\n    server {\n        location / {\n            proxy_pass_\n        }\n    }\n}\n`;
      const u = fileUri(tmpFile(name, text));
      c.open(u, 'nginx', text);
      await c.waitDiagnostics(u);
      const items = await c.request<CompletionItem[]>('textDocument/completion', {
        textDocument: { uri: u },
        position: { line: 5, character: 23 },
      });
      return items.map((i) => i.label);
    };
    const old = await complete('s/v122.conf', '1.22.1');
    assert.ok(old.includes('proxy_pass_header') && !old.includes('proxy_pass_trailers'), old.join(' '));
    assert.ok((await complete('s/v130.conf', '1.30.0')).includes('proxy_pass_trailers'));
  });

  it('completes upstream names after proxy_pass http://', async () => {
    const text = NGINX_WS.replace(
      'proxy_pass http://chat_backend;\n            proxy_set_header Upgrade',
      'proxy_pass http://ch\n            proxy_set_header Upgrade',
    );
    c.replace(uri, text, NGINX_WS);
    await c.waitDiagnostics(uri, (_d, p) => p.version === 4);
    const line = text.split('\n').findIndex((l) => l.endsWith('http://ch'));
    const items = await c.request<CompletionItem[]>('textDocument/completion', {
      textDocument: { uri },
      position: { line, character: text.split('\n')[line].length },
    });
    assert.deepEqual(
      items.map((i) => i.label),
      ['chat_backend'],
    );
    assert.deepEqual((items[0].textEdit as TextEdit).range.start, {
      line,
      character: text.split('\n')[line].length - 2,
    });
    c.replace(uri, NGINX_WS, text);
  });

  it('answers wslb/pools for nginx upstreams with their algorithm and servers', async () => {
    const pools = await c.request<{
      pools: {
        name: string;
        algorithm: string;
        system: string;
        servers: { address: string; port: number; weight: number }[];
        nameRange: { start: unknown };
      }[];
    }>('wslb/pools', { uri });
    assert.equal(pools.pools.length, 1);
    assert.equal(pools.pools[0].name, 'chat_backend');
    assert.equal(pools.pools[0].system, 'nginx');
    assert.equal(pools.pools[0].algorithm, 'round_robin');
    assert.deepEqual(
      pools.pools[0].servers.map((s) => [s.address, s.port, s.weight]),
      [
        ['127.0.0.1', 9001, 1],
        ['127.0.0.1', 9002, 1],
      ],
    );
    assert.deepEqual(pools.pools[0].nameRange.start, { line: 6, character: 13 });
  });

  it('answers wslb/algorithmEdit with the edits of "Apply to config", its refusals and a missing pool', async () => {
    type Result = { edits: TextEdit[] } | { error: string } | { missing: true };
    const ask = (pool: string, algorithm: string) => c.request<Result>('wslb/algorithmEdit', { uri, pool, algorithm });
    const r = await ask('chat_backend', 'hash $remote_addr consistent');
    assert.ok('edits' in r, JSON.stringify(r));
    const lines = applyTextEdits(NGINX_WS, r.edits).split('\n');
    assert.deepEqual(lines.slice(6, 10), [
      '    upstream chat_backend {',
      '        hash $remote_addr consistent;',
      '        server 127.0.0.1:9001;',
      '        server 127.0.0.1:9002;',
    ]);
    assert.deepEqual(await ask('chat_backend', 'round_robin'), { edits: [] });
    assert.ok('error' in (await ask('chat_backend', 'sticky')));
    assert.deepEqual(await ask('no_such_pool', 'least_conn'), { missing: true });
  });
});

describe('language server: robustness', function () {
  this.timeout(60_000);
  let c: TestClient;
  before(async () => {
    c = new TestClient({ settings: { debounceMs: 50 } });
    await c.initialize();
  });
  after(async () => c.stop());

  it('a storm of 100 rapid edits yields diagnostics for the last version only', async () => {
    const uri = fileUri(tmpFile('storm/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    await c.waitDiagnostics(uri, (_d, p) => p.version === 1);
    const before = c.publishes.length;
    let v = 1;
    for (let i = 0; i < 100; i++) {
      // type 100 characters onto the upstream's name, one notification each
      v = c.change(uri, [
        { range: { start: { line: 6, character: 25 + i }, end: { line: 6, character: 25 + i } }, text: 'x' },
      ]);
    }
    const d = await c.waitDiagnostics(uri, (_d, p) => p.version === v);
    const storm = c.publishes.slice(before).filter((p) => p.uri === uri);
    assert.ok(storm.length <= 3, `debounced: ${storm.length} publishes for 100 edits`);
    assert.equal(storm[storm.length - 1].version, v);
    assert.deepEqual(
      d.filter((x) => x.code === HTTP_VERSION).map((x) => x.range.start.line),
      [12, 17],
    );
    // The server's text matches ours: the outline sees the whole typed name.
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.equal(syms[1].children![1].name, 'upstream chat_backend' + 'x'.repeat(100));
  });

  it('a 10 MB junk document neither crashes nor stalls the server', async () => {
    const junk: string[] = [];
    let seed = 7;
    for (let i = 0; i < 10 * 1024 * 1024; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      junk.push(String.fromCharCode(seed % 96 === 0 ? 10 : 32 + (seed % 94)));
    }
    const text = junk.join('');
    const uri = 'untitled:junk.conf';
    c.open(uri, 'nginx', text);
    const other = fileUri(tmpFile('junk/nginx.conf', NGINX_WS));
    const t0 = Date.now();
    c.open(other, 'nginx', NGINX_WS);
    await c.waitDiagnostics(other, (d) => codes(d).includes(HTTP_VERSION), 15_000);
    const hover = await c.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: other },
      position: { line: 12, character: 12 },
    });
    assert.ok(hover);
    assert.ok(Date.now() - t0 < 10_000, `answered after ${Date.now() - t0} ms`);
    const d = await c.waitDiagnostics(uri);
    assert.deepEqual(codes(d), ['wslb/too-large']);
    // requests on the junk itself answer (empty) quickly
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(syms, []);
    c.close(uri);
  });

  it('a 1 MB single-line document and binary junk are analysed without crashing', async () => {
    const line = 'location /' + 'a'.repeat(1024 * 1024) + ' {';
    const uri = fileUri(tmpFile('long/nginx.conf', line));
    c.open(uri, 'nginx', line);
    await c.waitDiagnostics(uri, () => true, 20_000);
    const bin = Array.from({ length: 200_000 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join('');
    const u2 = fileUri(tmpFile('long/bin.cfg', 'x'));
    c.open(u2, 'haproxy', bin);
    await c.waitDiagnostics(u2, () => true, 20_000);
    const syms = await c.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri: u2 } });
    assert.ok(Array.isArray(syms));
    const hover = await c.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: u2 },
      position: { line: 3, character: 3 },
    });
    void hover;
    assert.equal(c.proc.exitCode, null, 'server still running');
  });

  it('bad requests (unknown document, positions out of range) answer without crashing', async () => {
    const ghost = fileUri(path.join(tmp, 'nope', 'nginx.conf'));
    assert.equal(
      await c.request('textDocument/hover', { textDocument: { uri: ghost }, position: { line: 99, character: 99 } }),
      null,
    );
    const uri = fileUri(path.join(tmp, 'storm/nginx.conf'));
    const r = await c.request('textDocument/definition', {
      textDocument: { uri },
      position: { line: 10_000, character: -5 },
    });
    assert.equal(r, null);
    assert.equal(c.proc.exitCode, null);
  });
});

const NGINX_BARE = `events {}
http {
    upstream chat {
        server 127.0.0.1:9001;
        server 127.0.0.1:9002;
    }
    server {
        listen 8080;
        location /ws/ {
            proxy_pass http://chat;
        }
    }
}
`;

describe('language server: safe fix-all in the light bulb, suggestions one by one', function () {
  this.timeout(30_000);
  let c: TestClient;
  before(async () => {
    c = new TestClient();
    await c.initialize();
  });
  after(async () => c.stop());

  async function bulb(uri: string, d: Diagnostic): Promise<CodeAction[]> {
    return c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: d.range,
      context: { diagnostics: [d], only: ['quickfix'] },
    });
  }

  it('offers "Fix all safe" in the light bulb and one "Make WebSocket-ready" for a location missing the whole idiom', async () => {
    const uri = fileUri(tmpFile('s1/nginx.conf', NGINX_BARE));
    c.open(uri, 'nginx', NGINX_BARE);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes('nginx/ws-not-upgraded'));
    const loc = diags.filter((d) => d.range.start.line === 8);
    // One finding for the missing idiom, none for its parts.
    assert.deepEqual(codes(loc), ['nginx/ws-not-upgraded']);
    const actions = await bulb(uri, loc[0]);
    const titles = actions.map((a) => a.title);
    assert.equal(new Set(titles).size, titles.length, titles.join('\n'));
    const ready = actions.find((a) => a.title === 'Make /ws/ WebSocket-ready')!;
    assert.ok(ready, titles.join('\n'));
    assert.equal(ready.isPreferred, true);
    assert.equal(actions.filter((a) => a.isPreferred).length, 1, titles.join('\n'));
    const one = applyTextEdits(NGINX_BARE, editsFor(ready.edit, uri));
    assert.match(
      one,
      /proxy_pass http:\/\/chat;\n {12}proxy_http_version 1\.1;\n {12}proxy_set_header Upgrade \$http_upgrade;\n {12}proxy_set_header Connection \$connection_upgrade;\n {8}\}/,
    );
    assert.equal((one.match(/map \$http_upgrade \$connection_upgrade \{/g) ?? []).length, 1);
    const fixAll = actions.find((a) => a.title === 'Fix all safe wslb problems in this file');
    assert.ok(fixAll, titles.join('\n'));
    assert.equal(fixAll.kind, 'quickfix');
    // Fix all writes the idiom and nothing picked by wslb.
    const after = applyTextEdits(NGINX_BARE, editsFor(fixAll.edit, uri));
    assert.match(after, /proxy_http_version 1\.1;/);
    assert.match(after, /proxy_set_header Upgrade \$http_upgrade;/);
    assert.match(after, /map \$http_upgrade \$connection_upgrade/);
    assert.doesNotMatch(after, /worker_shutdown_timeout|worker_connections|least_conn|proxy_read_timeout/);
  });

  it('lists identical actions once, with every finding they resolve', async () => {
    // Upgrade missing and Connection wrong: two findings (one per part), one shared edit.
    const text = NGINX_BARE.replace(
      'proxy_pass http://chat;',
      'proxy_pass http://chat;\n            proxy_http_version 1.1;\n            proxy_set_header Connection keep-alive;',
    );
    const uri = fileUri(tmpFile('s1b/nginx.conf', text));
    c.open(uri, 'nginx', text);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes('nginx/ws-missing-upgrade-header'));
    const parts = diags.filter((d) => /ws-missing-(upgrade|connection)-header/.test(String(d.code)));
    assert.equal(parts.length, 2, JSON.stringify(codes(diags)));
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 8, character: 0 }, end: { line: 12, character: 0 } },
      context: { diagnostics: parts, only: ['quickfix'] },
    });
    const titles = actions.map((a) => a.title);
    assert.equal(new Set(titles).size, titles.length, titles.join('\n'));
    const headers = actions.filter((a) => /^Forward Upgrade and Connection/.test(a.title));
    assert.equal(headers.length, 1, titles.join('\n'));
    assert.deepEqual(headers[0].diagnostics!.map((d) => d.code).sort(), [
      'nginx/ws-missing-connection-header',
      'nginx/ws-missing-upgrade-header',
    ]);
    assert.equal(actions.filter((a) => a.isPreferred).length, 1, titles.join('\n'));
  });

  it("keeps users' wslb.rules for the idiom's part codes: all off, nothing; one off, the others alone", async () => {
    const uri = fileUri(tmpFile('s1c/nginx.conf', NGINX_BARE));
    c.open(uri, 'nginx', NGINX_BARE);
    await c.waitDiagnostics(uri, (d) => codes(d).includes('nginx/ws-not-upgraded'));
    const idiom = /ws-not-upgraded|ws-http-version|ws-missing-(upgrade|connection)-header/;
    const onLocation = (d: Diagnostic[]) =>
      codes(d.filter((x) => x.range.start.line === 8))
        .filter((x) => idiom.test(x))
        .sort();
    c.settings = {
      ...c.settings,
      rules: {
        'nginx/ws-http-version': 'off',
        'nginx/ws-missing-upgrade-header': 'off',
        'nginx/ws-missing-connection-header': 'off',
      },
    };
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    await c.waitDiagnostics(uri, (d) => onLocation(d).length === 0);
    c.settings = { ...c.settings, rules: { 'nginx/ws-http-version': 'off' } };
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const d = await c.waitDiagnostics(uri, (x) => onLocation(x).length > 0);
    assert.deepEqual(onLocation(d), ['nginx/ws-missing-connection-header', 'nginx/ws-missing-upgrade-header']);
    c.settings = { ...c.settings, rules: {} };
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: {} });
    const back = await c.waitDiagnostics(uri, (x) => onLocation(x).includes('nginx/ws-not-upgraded'));
    assert.deepEqual(onLocation(back), ['nginx/ws-not-upgraded']);
  });

  it("prefers the fix of the error over a warning's on the same line", async () => {
    const uri = fileUri(tmpFile('s2/nginx.conf', NGINX_BARE));
    c.open(uri, 'nginx', NGINX_BARE);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes('nginx/ws-not-upgraded'));
    const upstream = diags.find((d) => d.code === 'nginx/ws-round-robin');
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 12, character: 0 } },
      context: { diagnostics: diags, only: ['quickfix'] },
    });
    const preferred = actions.filter((a) => a.isPreferred);
    assert.equal(preferred.length, 1);
    assert.equal(preferred[0].diagnostics![0].severity, 1, JSON.stringify(preferred[0]));
    if (upstream) assert.ok(!preferred[0].diagnostics!.some((d) => d.code === 'nginx/ws-round-robin'));
  });

  it('HAProxy: suggestions say what to check and stay out of fix-all', async () => {
    const uri = fileUri(tmpFile('s3/haproxy.cfg', HAPROXY));
    c.open(uri, 'haproxy', HAPROXY);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes(TUNNEL));
    const t = diags.find((d) => d.code === TUNNEL)!;
    const actions = await bulb(uri, t);
    const tunnel = actions.find(
      (a) => a.diagnostics?.some((d) => d.code === TUNNEL) && /timeout tunnel/.test(a.title),
    )!;
    assert.match(tunnel.title, / — check /);
    const all = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: t.range,
      context: { diagnostics: [], only: ['source.fixAll.wslb'] },
    });
    for (const a of all) {
      const after = applyTextEdits(HAPROXY, editsFor(a.edit, uri));
      assert.doesNotMatch(after, /timeout tunnel|httpchk|hard-stop-after|slowstart/, after);
    }
  });
});

describe('language server: "Disable …" with the reason selected where the client takes snippet edits', function () {
  this.timeout(30_000);
  let c: TestClient;
  before(async () => {
    c = new TestClient({ snippetEdits: true });
    await c.initialize();
  });
  after(async () => c.stop());

  it('sends the comment as a snippet whose placeholder is the reason; the text it leaves is honoured', async () => {
    const uri = fileUri(tmpFile('snip/nginx.conf', NGINX_WS));
    c.open(uri, 'nginx', NGINX_WS);
    const diags = await c.waitDiagnostics(uri, (d) => codes(d).includes(HTTP_VERSION));
    const target = diags.find((d) => d.code === HTTP_VERSION)!;
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: target.range,
      context: { diagnostics: [target] },
    });
    for (const title of [`Disable ${HTTP_VERSION} for this line`, `Disable ${HTTP_VERSION} for this file`]) {
      const a = actions.find((x) => x.title === title)!;
      assert.ok(a, actions.map((x) => x.title).join(', '));
      const change = a.edit?.documentChanges?.[0] as
        | {
            textDocument: { uri: string; version: number | null };
            edits: { range: Range; snippet?: { kind: string; value: string } }[];
          }
        | undefined;
      assert.ok(change, JSON.stringify(a.edit));
      assert.equal(change.textDocument.uri, uri);
      assert.equal(change.textDocument.version, 1);
      const snippet = change.edits[0].snippet!;
      assert.equal(snippet.kind, 'snippet');
      assert.match(
        snippet.value,
        new RegExp(`# wslb-disable-(next-line|file) ${HTTP_VERSION} -- \\$\\{1:reason\\}\\n$`),
      );
    }
    // The snippet expanded as written (the user types a reason over the placeholder) silences the finding.
    const line = actions.find((x) => x.title === `Disable ${HTTP_VERSION} for this line`)!;
    const e = (line.edit!.documentChanges![0] as { edits: { range: Range; snippet: { value: string } }[] }).edits[0];
    const typed = e.snippet.value.replace('${1:reason}', 'backend speaks 1.0 upgrades');
    const after = applyTextEdits(NGINX_WS, [{ range: e.range, newText: typed }]);
    assert.equal(
      after.split('\n')[12],
      `        # wslb-disable-next-line ${HTTP_VERSION} -- backend speaks 1.0 upgrades`,
    );
    c.replace(uri, after, NGINX_WS);
    const again = await c.waitDiagnostics(uri, (_d, pub) => pub.version === 2);
    assert.deepEqual(
      again.filter((d) => d.code === HTTP_VERSION).map((d) => d.range.start.line),
      [18],
    );
  });
});
