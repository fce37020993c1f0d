/**
 * Hover content through the real language server over stdio (issue 6): effective values with their
 * origin, defaults by target version, upstream/backend summaries with the simulate command link,
 * map variables, and rule explanations — i.e. the server answering with features/hover's doHover.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Hover } from 'vscode-languageserver-protocol';
import { TestClient, fileUri, REPO } from './client';
import { ruleById } from '../../server/src/service/rules';
import { longDocs } from '../../server/src/service/rules/long-docs';
import { sourcePointer } from '../../server/src/service/docs/sections';
import { wsNote } from '../../server/src/service/docs/ws-notes';
import { firstSentences, HOVER_BUDGET } from '../../server/src/service/features/hover';

const NGINX = `events {}
http {
    proxy_read_timeout 3600s;
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    upstream chat {
        least_conn;
        server 127.0.0.1:8081 weight=3;
        server 127.0.0.1:8082 backup;
    }
    server {
        listen 8080;
        location /ws {
            proxy_pass http://chat;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}
`;

const HAPROXY = `defaults base
    mode http
    timeout client 30s
    timeout server 50s
    timeout connect 5s
frontend fe
    bind :8080
    default_backend ws
backend ws
    balance leastconn
    timeout tunnel 1h
    server s1 127.0.0.1:8081 check slowstart 10s
`;

/** LSP position of the `n`-th occurrence of `needle` (+delta characters). */
function pos(text: string, needle: string, delta = 0): { line: number; character: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`marker not found: ${needle}`);
  const before = text.slice(0, i + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - (before.lastIndexOf('\n') + 1) };
}

let tmp = '';
before(function () {
  this.timeout(180_000);
  execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-hover-'));
});
after(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('language server: hover content (doHover)', function () {
  this.timeout(30_000);
  let c: TestClient;
  let nginxUri = '';
  let haproxyUri = '';

  before(async () => {
    c = new TestClient();
    await c.initialize();
    const np = path.join(tmp, 'nginx', 'nginx.conf');
    const hp = path.join(tmp, 'haproxy', 'haproxy.cfg');
    fs.mkdirSync(path.dirname(np), { recursive: true });
    fs.mkdirSync(path.dirname(hp), { recursive: true });
    fs.writeFileSync(np, NGINX);
    fs.writeFileSync(hp, HAPROXY);
    nginxUri = fileUri(np);
    haproxyUri = fileUri(hp);
    c.open(nginxUri, 'nginx', NGINX);
    c.open(haproxyUri, 'haproxy', HAPROXY);
    await c.waitDiagnostics(nginxUri);
    await c.waitDiagnostics(haproxyUri);
  });
  after(async () => c.stop());

  async function hover(uri: string, position: { line: number; character: number }): Promise<Hover | null> {
    return c.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position });
  }
  function value(h: Hover | null): string {
    assert.ok(h, 'expected a hover');
    return (h.contents as { value: string }).value;
  }

  it('proxy_pass: the effective values in the location, inherited with origin and line, and the default for nginx 1.22.1', async () => {
    const v = value(await hover(nginxUri, pos(NGINX, 'proxy_pass', 3)));
    assert.match(v, /`proxy_read_timeout` `3600s` — inherited from `http` at line 3/);
    assert.match(v, /`proxy_http_version` `1\.0` — nginx 1\.22\.1's default/);
  });

  it('an upstream name: servers, weights, flags, algorithm and the Simulate balancing link for this document', async () => {
    const h = await hover(nginxUri, pos(NGINX, 'http://chat', 9));
    const v = value(h);
    assert.match(v, /\*\*upstream `chat`\*\*/);
    assert.match(v, /`least_conn`/);
    assert.match(v, /\| `127\.0\.0\.1:8081` \| 3 \|/);
    assert.match(v, /\| `127\.0\.0\.1:8082` \| 1 \| backup \|/);
    const link = /\[Simulate balancing\]\(command:wslb\.simulate\?([^)]+)\)/.exec(v);
    assert.ok(link, v);
    assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [{ uri: nginxUri, pool: 'chat' }]);
    assert.deepEqual(h!.range, { start: pos(NGINX, 'http://chat'), end: pos(NGINX, 'http://chat', 11) });
  });

  it('$connection_upgrade: the map that defines it', async () => {
    const v = value(await hover(nginxUri, pos(NGINX, '$connection_upgrade;', 4)));
    assert.match(v, /defined by `map` at nginx\.conf:4/);
    assert.ok(v.includes('map $http_upgrade $connection_upgrade {'));
  });

  it('HAProxy: a backend name shows its pool and the timeouts taken from `defaults base`', async () => {
    const v = value(await hover(haproxyUri, pos(HAPROXY, 'default_backend ws', 17)));
    assert.match(v, /\*\*backend `ws`\*\*/);
    assert.match(v, /`timeout client` `30s` \(30 s\) — from `defaults base` at line 3/);
    assert.match(v, /`timeout tunnel` `1h` \(3600 s \(1 h\)\) — set here \(line 11\)/);
  });

  it('HAProxy: a multi-word keyword with its WebSocket note and manual link', async () => {
    const v = value(await hover(haproxyUri, pos(HAPROXY, 'timeout tunnel', 9)));
    assert.match(v, /\*\*`timeout tunnel`\*\*/);
    assert.match(v, /docs\.haproxy\.org\/2\.6\/configuration\.html#4\.2-timeout%20tunnel/);
    assert.ok(v.includes(firstSentences(wsNote('haproxy', 'timeout tunnel')!.text)));
    assert.ok(v.length <= HOVER_BUDGET, `${v.length} characters`);
  });

  it('a diagnostic range: the finding in one line with "Explain rule", whose page has the long text', async () => {
    const diags = await c.waitDiagnostics(nginxUri, (d) => d.some((x) => x.code === 'nginx/ws-http-version'));
    const d = diags.find((x) => x.code === 'nginx/ws-http-version')!;
    const v = value(await hover(nginxUri, d.range.start));
    const rule = ruleById('nginx/ws-http-version')!;
    assert.ok(
      v.startsWith(
        `**Error** \`nginx/ws-http-version\`: ${typeof d.message === 'string' ? d.message : d.message.value}`,
      ),
      v,
    );
    assert.ok(!v.includes(longDocs(rule.meta)), v);
    const link = /\[Explain rule\]\(command:wslb\.explainRule\?([^)]+)\)/.exec(v);
    assert.ok(link, v);
    const [id] = JSON.parse(decodeURIComponent(link[1])) as [string];
    const page = await c.request<{ markdown: string } | null>('wslb/explain', { id });
    assert.ok(page && page.markdown.includes(longDocs(rule.meta)));
    assert.ok(page.markdown.includes(sourcePointer(rule.meta.docs.section)));
    assert.ok(page.markdown.includes(rule.meta.versions));
    assert.equal(await c.request('wslb/explain', { id: 'nginx/no-such-rule' }), null);
  });

  it('a comment has no hover', async () => {
    const text = 'http {\n    # proxy_read_timeout 10s;\n}\n';
    const p = path.join(tmp, 'nginx', 'comment.conf');
    fs.writeFileSync(p, text);
    const uri = fileUri(p);
    c.open(uri, 'nginx', text);
    await c.waitDiagnostics(uri);
    assert.equal(await hover(uri, { line: 1, character: 10 }), null);
  });
  it('a timeout compared with a heartbeat: the hover says which heartbeat and why (protocol default, source, generic)', async () => {
    const text = `events {}
http {
    server {
        listen 8080;
        location /socket.io/ {
            proxy_pass http://127.0.0.1:3000;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 40s;
        }
        location /live {
            proxy_pass http://127.0.0.1:3001;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 40s;
        }
    }
}
`;
    const p = path.join(tmp, 'nginx', 'heartbeat.conf');
    fs.writeFileSync(p, text);
    const uri = fileUri(p);
    c.open(uri, 'nginx', text);
    await c.waitDiagnostics(uri);
    // the value 40s under /socket.io/: Socket.IO's 25 s, with its source
    const io = value(await hover(uri, pos(text, '40s;', 1)));
    assert.match(io, /Against the 25 s heartbeat \(the Socket\.IO default, by the path; \[source\]/);
    assert.ok(io.includes('(https://socket.io/docs/v4/server-options/#pinginterval)'), io);
    assert.ok(io.length <= HOVER_BUDGET, `${io.length} characters`);
    // the directive name under /live: the generic default, and why
    const live = value(await hover(uri, { line: 16, character: 16 })); // proxy_read_timeout under /live
    assert.match(live, /Against the 30 s heartbeat \(the generic default: no protocol known from the path/);
    assert.ok(live.length <= HOVER_BUDGET, `${live.length} characters`);
    // HAProxy: timeout tunnel of a backend the /socket.io/ route reaches
    const cfg = `defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind :8080
    acl io path_beg /socket.io/
    use_backend nodes if io
    default_backend web
backend web
    server w 127.0.0.1:8000
backend nodes
    timeout tunnel 80s
    server s1 127.0.0.1:8081 check
`;
    const hp = path.join(tmp, 'haproxy', 'heartbeat.cfg');
    fs.writeFileSync(hp, cfg);
    const huri = fileUri(hp);
    c.open(huri, 'haproxy', cfg);
    await c.waitDiagnostics(huri);
    const tunnel = value(await hover(huri, pos(cfg, '80s', 1)));
    assert.match(
      tunnel,
      /An idle WebSocket here is cut after 80 s \(1 min 20 s\) \(`timeout tunnel`\); against the 25 s heartbeat \(the Socket\.IO default, by the path; \[source\]/,
    );
    assert.ok(tunnel.length <= HOVER_BUDGET, `${tunnel.length} characters`);
  });

  it('the default follows the configured target version (runs last: it changes the settings)', async () => {
    c.settings = { ...c.settings, nginxVersion: '1.29.7' };
    await c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { wslb: c.settings } });
    let v = '';
    for (let i = 0; i < 50; i++) {
      v = value(await hover(nginxUri, pos(NGINX, 'proxy_pass', 3)));
      if (v.includes('nginx 1.29.7')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(v, /`proxy_http_version` `1\.1` — nginx 1\.29\.7's default/);
  });
});
