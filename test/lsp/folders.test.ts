/**
 * Multi-root workspaces: `wslb.nginxVersion` and `wslb.haproxyVersion` are resource-scoped, so each
 * workspace folder may set its own. The server asks for them per folder (`workspace/configuration`
 * with the folder as scope) and checks each folder's files, and answers wslb/version, for that
 * folder's versions; a change of one folder's settings re-checks its files.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient, fileUri } from './client';

/** `timeout client-hs` is HAProxy 3.0's: too new for 2.6, the window's default. */
const HAPROXY = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'versions', 'haproxy-3.0-keyword.cfg'), 'utf8');

/** No proxy_http_version: HTTP/1.0 to the backend before nginx 1.29.7, HTTP/1.1 from it on. */
const NGINX = `events {}
http {
    server {
        listen 8080;
        location /ws/ {
            proxy_pass http://127.0.0.1:9000;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 1h;
        }
    }
}
`;

interface VersionInfo {
  version: string;
  source: string;
}

describe('language server: versions per workspace folder (multi-root)', function () {
  this.timeout(30_000);
  let tmp = '';
  let c: TestClient;
  let newer = '';
  let older = '';
  const uris = { newerHa: '', olderHa: '', newerNg: '', olderNg: '' };
  const codes = async (uri: string) =>
    (await c.waitDiagnostics(uri))
      .map((d) => String(d.code))
      .filter((x) => x === 'haproxy/keyword-too-new' || x === 'nginx/ws-http-version');
  const version = async (uri: string) => {
    const v = await c.request<VersionInfo | null>('wslb/version', { uri });
    return v && `${v.version} (${v.source})`;
  };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-lsp-folders-'));
    newer = path.join(tmp, 'newer');
    older = path.join(tmp, 'older');
    for (const dir of [newer, older]) {
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'haproxy.cfg'), HAPROXY);
      fs.writeFileSync(path.join(dir, 'nginx.conf'), NGINX);
    }
    c = new TestClient({ workspaceFolders: [newer, older] });
    // the window sets nothing; the folder "newer" sets both versions
    c.folderSettings.set(newer, { haproxyVersion: '3.2', nginxVersion: '1.31.4' });
    await c.initialize();
    uris.newerHa = fileUri(path.join(newer, 'haproxy.cfg'));
    uris.olderHa = fileUri(path.join(older, 'haproxy.cfg'));
    uris.newerNg = fileUri(path.join(newer, 'nginx.conf'));
    uris.olderNg = fileUri(path.join(older, 'nginx.conf'));
    // (wait until the server has read the settings: a document checked before is checked again)
    for (let i = 0; i < 100 && c.configurationRequests < 1; i++) await new Promise((r) => setTimeout(r, 20));
  });
  after(async () => {
    await c.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("checks the same HAProxy file for each folder's own version, and says so in wslb/version", async () => {
    c.open(uris.newerHa, 'haproxy', HAPROXY);
    c.open(uris.olderHa, 'haproxy', HAPROXY);
    assert.deepEqual(await codes(uris.newerHa), []);
    assert.deepEqual(await codes(uris.olderHa), ['haproxy/keyword-too-new']);
    assert.equal(await version(uris.newerHa), '3.2 (setting)');
    assert.equal(await version(uris.olderHa), '2.6.12 (default)');
  });

  it("checks the same nginx file for each folder's own version (HTTP/1.1 upstream default from 1.29.7)", async () => {
    c.open(uris.newerNg, 'nginx', NGINX);
    c.open(uris.olderNg, 'nginx', NGINX);
    assert.deepEqual(await codes(uris.newerNg), []);
    assert.deepEqual(await codes(uris.olderNg), ['nginx/ws-http-version']);
    assert.equal(await version(uris.newerNg), '1.31.4 (setting)');
    assert.equal(await version(uris.olderNg), '1.22.1 (default)');
  });

  it("re-checks a folder's files when its own settings change", async () => {
    c.folderSettings.set(older, { haproxyVersion: '3.4' });
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    let got: string[] = ['?'];
    for (let i = 0; i < 100 && got.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      got = (c.diagnostics.get(uris.olderHa)?.diagnostics ?? [{ code: '?' }])
        .map((d) => String(d.code))
        .filter((x) => x === 'haproxy/keyword-too-new' || x === '?');
    }
    assert.deepEqual(got, []);
    assert.equal(await version(uris.olderHa), '3.4 (setting)');
    // the other folder and the nginx files keep theirs
    assert.equal(await version(uris.newerHa), '3.2 (setting)');
    assert.deepEqual(await codes(uris.olderNg), ['nginx/ws-http-version']);
  });
});

describe('language server: nothing published before the settings are read', function () {
  this.timeout(30_000);
  it("a file opened while a slow client still answers for its folder's settings is first shown with them", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-lsp-slow-settings-'));
    const file = path.join(tmp, 'haproxy.cfg');
    fs.writeFileSync(file, HAPROXY);
    const c = new TestClient({ workspaceFolders: [tmp], configurationDelayMs: 600 });
    c.folderSettings.set(tmp, { haproxyVersion: '3.2' });
    try {
      await c.initialize();
      const uri = fileUri(file);
      c.open(uri, 'haproxy', HAPROXY);
      // the first diagnostics the client sees are the folder's (3.2: the 3.0 keyword is known)
      const first = await c.waitDiagnostics(uri);
      assert.ok(c.configurationRequests >= 2, 'the server asked for the window and the folder settings');
      assert.deepEqual(
        first.map((d) => String(d.code)).filter((x) => x === 'haproxy/keyword-too-new'),
        [],
      );
      assert.equal(
        c.publishes.filter((p) => p.uri === uri).length,
        1,
        'one publication: none with the default version before it',
      );
    } finally {
      await c.stop();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
