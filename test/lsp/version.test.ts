/**
 * wslb/version: the nginx or HAProxy version a document is checked for and where it comes from,
 * as the VS Code status bar shows it (a file comment, the setting, a pinned container image, the
 * default), with the versions the picker offers.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient, fileUri } from './client';

interface VersionInfo {
  product: string;
  version: string;
  source: string;
  from: string;
  note?: string;
  known: string[];
}

const HAPROXY = fs.readFileSync(path.join(__dirname, '..', 'fixtures', 'versions', 'haproxy-3.0-keyword.cfg'), 'utf8');

const NGINX = `events {}
http {
    server {
        listen 8080;
        location / { return 200; }
    }
}
`;

describe('language server: wslb/version', function () {
  this.timeout(30_000);
  let tmp = '';
  let c: TestClient;
  const write = (rel: string, text: string) => {
    const p = path.join(tmp, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
    return p;
  };
  const version = (uri: string) => c.request<VersionInfo | null>('wslb/version', { uri });
  const codes = async (uri: string) =>
    (await c.waitDiagnostics(uri)).map((d) => String(d.code)).filter((x) => x.startsWith('haproxy/keyword'));

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-lsp-version-'));
    c = new TestClient();
    await c.initialize();
  });
  after(async () => {
    await c.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('says the default applies to a HAProxy file with nothing else, and offers every keyword table', async () => {
    const uri = fileUri(write('plain/haproxy.cfg', HAPROXY));
    c.open(uri, 'haproxy', HAPROXY);
    assert.deepEqual(await codes(uri), ['haproxy/keyword-too-new']); // timeout client-hs is 3.0's
    const v = await version(uri);
    assert.deepEqual(
      { product: v?.product, version: v?.version, source: v?.source, known: v?.known },
      { product: 'haproxy', version: '2.6.12', source: 'default', known: ['2.6', '2.8', '3.0', '3.2', '3.4'] },
    );
    assert.match(v!.from, /default of wslb\.haproxyVersion/);
  });

  it('follows a `# wslb: haproxy` comment as the checks do, and says the table used between two', async () => {
    const text = '# wslb: haproxy 3.1\n' + HAPROXY;
    const uri = fileUri(write('comment/haproxy.cfg', text));
    c.open(uri, 'haproxy', text);
    assert.deepEqual(await codes(uri), []);
    const v = (await version(uri))!;
    assert.equal(v.version, '3.1');
    assert.equal(v.source, 'comment');
    assert.match(v.from, /`# wslb: haproxy 3\.1` comment/);
    assert.match(v.note ?? '', /nearest older one/);
  });

  it('reads a docker-compose.yml pin beside the file, and the setting beats the pin', async () => {
    write('compose/docker-compose.yml', 'services:\n  lb:\n    image: haproxy:3.0-alpine\n');
    const uri = fileUri(write('compose/haproxy.cfg', HAPROXY));
    c.open(uri, 'haproxy', HAPROXY);
    await c.waitDiagnostics(uri);
    const v = (await version(uri))!;
    assert.deepEqual([v.version, v.source], ['3.0', 'image']);
    assert.match(v.from, /docker-compose\.yml pins the image haproxy:3\.0/);

    c.settings = { ...c.settings, haproxyVersion: '2.8' };
    void c.conn.sendNotification('workspace/didChangeConfiguration', { settings: { wslb: c.settings } });
    let s: VersionInfo | null = null;
    for (let i = 0; i < 100 && s?.source !== 'setting'; i++) {
      await new Promise((r) => setTimeout(r, 50));
      s = await version(uri);
    }
    assert.deepEqual([s?.version, s?.source, s?.from], ['2.8', 'setting', 'the setting wslb.haproxyVersion']);
  });

  it('answers for nginx with the newest release of each line, and null for other documents', async () => {
    const text = '# wslb: nginx 1.26\n' + NGINX;
    const uri = fileUri(write('nginx/nginx.conf', text));
    c.open(uri, 'nginx', text);
    await c.waitDiagnostics(uri);
    const v = (await version(uri))!;
    assert.deepEqual([v.product, v.version, v.source], ['nginx', '1.26', 'comment']);
    assert.ok(v.known.includes('1.22.1') && v.known.includes('1.26.3'), v.known.join(' '));
    assert.ok(!v.known.some((k) => k.startsWith('1.26.') && k !== '1.26.3'), 'one release per line');
    assert.equal(await version(fileUri(path.join(tmp, 'nothing.txt'))), null);
  });
});
