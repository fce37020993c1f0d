/**
 * One finding per cause (issue 20, point 3): a WebSocket location missing the whole idiom gets
 * nginx/ws-not-upgraded and one fix writing all of it; a location missing one part still gets one
 * finding per part; users' settings and comments for the part codes keep their meaning.
 */
import { strict as assert } from 'node:assert';
import { analyzeText, fixUntilStable } from '../helpers/analyze';
import { collectFixEdits, applyEdits } from '../../server/src/service/fixes/apply';
import type { Finding } from '../../server/src/service/types';
import type { ServiceOptions } from '../../server/src/service/options';
import { need } from '../helpers/needs';
import { validateNginx } from '../live/harness';

const IDIOM = 'nginx/ws-not-upgraded';
const PARTS = ['nginx/ws-http-version', 'nginx/ws-missing-upgrade-header', 'nginx/ws-missing-connection-header'];
const idiomCodes = (fs: Finding[]) =>
  fs
    .filter((f) => f.code === IDIOM || PARTS.includes(f.code))
    .map((f) => `${f.range.start.line}:${f.code}`)
    .sort();

const BARE = `events {}

http {
    server {
        listen 127.0.0.1:8080;

        location /ws/ {
            proxy_pass http://127.0.0.1:9001;
            proxy_read_timeout 20s;
        }
    }
}
`;

function run(text: string, options: Partial<ServiceOptions> = {}): Finding[] {
  return analyzeText('nginx', text, options);
}

describe('nginx/ws-not-upgraded: one finding for a missing idiom', () => {
  it('replaces the three part findings with one, whose one fix writes the idiom', () => {
    const fs = run(BARE);
    assert.deepEqual(idiomCodes(fs), [`6:${IDIOM}`]);
    const f = fs.find((x) => x.code === IDIOM)!;
    assert.equal(f.severity, 'error');
    assert.equal(f.fixes.length, 1);
    assert.equal(f.fixes[0].title, 'Make /ws/ WebSocket-ready');
    assert.equal(f.fixes[0].kind, 'safe');
    const fixed = applyEdits(
      BARE,
      f.fixes[0].edits.map((e) => ({ range: e.range, newText: e.newText })),
    );
    assert.match(
      fixed,
      /proxy_pass http:\/\/127\.0\.0\.1:9001;\n {12}proxy_http_version 1\.1;\n {12}proxy_set_header Upgrade \$http_upgrade;\n {12}proxy_set_header Connection \$connection_upgrade;\n {12}proxy_read_timeout 20s;/,
    );
    assert.match(
      fixed,
      /http \{\n {4}map \$http_upgrade \$connection_upgrade \{\n {8}default upgrade;\n {8}'' {6}close;\n {4}\}\n\n {4}server \{/,
    );
    assert.deepEqual(idiomCodes(run(fixed)), []);
  });

  it('from nginx 1.29.7 (HTTP/1.1 by default) it asks for the two headers only', () => {
    const old = run(BARE, { nginxVersion: '1.29.6' }).find((x) => x.code === IDIOM)!;
    assert.match(old.message, /HTTP\/1\.1/);
    assert.ok(old.fixes[0].edits.some((e) => e.newText.includes('proxy_http_version 1.1;')));
    const fs = run(BARE, { nginxVersion: '1.29.7' });
    assert.deepEqual(idiomCodes(fs), [`6:${IDIOM}`]);
    const f = fs.find((x) => x.code === IDIOM)!;
    assert.match(f.message, /no Upgrade or Connection header; add both/);
    assert.ok(f.fixes[0].edits.every((e) => !e.newText.includes('proxy_http_version')));
  });

  it("a location missing one part gets that part's finding, not this one", () => {
    const onlyUpgrade = BARE.replace('proxy_read_timeout 20s;', 'proxy_set_header Upgrade $http_upgrade;');
    assert.deepEqual(idiomCodes(run(onlyUpgrade)), ['6:nginx/ws-http-version', '6:nginx/ws-missing-connection-header']);
    const headersOnly = BARE.replace(
      'proxy_read_timeout 20s;',
      'proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection "upgrade";',
    );
    assert.deepEqual(idiomCodes(run(headersOnly)), ['6:nginx/ws-http-version']);
    // HTTP/1.0 written in the location: the part rule names that line.
    const explicit10 = BARE.replace('proxy_read_timeout 20s;', 'proxy_http_version 1.0;');
    assert.deepEqual(idiomCodes(run(explicit10)), [
      '6:nginx/ws-missing-connection-header',
      '6:nginx/ws-missing-upgrade-header',
      '8:nginx/ws-http-version',
    ]);
  });

  it("keeps users' settings for the part codes (wslb.rules / --rule)", () => {
    const allOff = Object.fromEntries(PARTS.map((c) => [c, 'off' as const]));
    assert.deepEqual(idiomCodes(run(BARE, { ruleSeverity: allOff })), [], 'the three parts off: nothing');
    assert.deepEqual(idiomCodes(run(BARE, { ruleSeverity: { 'nginx/ws-http-version': 'off' } })), [
      '6:nginx/ws-missing-connection-header',
      '6:nginx/ws-missing-upgrade-header',
    ]);
    const warn = run(BARE, { ruleSeverity: { 'nginx/ws-missing-upgrade-header': 'warning' } });
    assert.deepEqual(idiomCodes(warn), [
      '6:nginx/ws-http-version',
      '6:nginx/ws-missing-connection-header',
      '6:nginx/ws-missing-upgrade-header',
    ]);
    assert.equal(warn.find((f) => f.code === 'nginx/ws-missing-upgrade-header')!.severity, 'warning');
    // This rule off: the parts report, as before it existed.
    assert.equal(idiomCodes(run(BARE, { ruleSeverity: { [IDIOM]: 'off' } })).length, 3);
    assert.equal(
      run(BARE, { ruleSeverity: { [IDIOM]: 'warning' } }).find((f) => f.code === IDIOM)!.severity,
      'warning',
    );
  });

  it('suppression comments naming all three part codes silence it; naming one does not', () => {
    const above = (ids: string) =>
      BARE.replace(
        '        location /ws/ {',
        `        # wslb-disable-next-line ${ids} -- old backend\n        location /ws/ {`,
      );
    assert.deepEqual(idiomCodes(run(above(PARTS.join(', ')))), []);
    assert.deepEqual(idiomCodes(run(`# wslb-disable-file ${PARTS.join(' ')}\n${BARE}`)), []);
    assert.deepEqual(idiomCodes(run(above(IDIOM))), []);
    assert.deepEqual(idiomCodes(run(above('nginx/ws-http-version'))), [`7:${IDIOM}`]);
  });

  it('composes with the other fixes: every line once, one map for two locations, comments kept', () => {
    const two = `events {}

http {
    # upgrade handling lives in the locations
    server {
        listen 127.0.0.1:8080;
        proxy_set_header Host $host;

        location /ws/ {
            proxy_pass http://127.0.0.1:9001; # chat
            proxy_read_timeout 20s;
        }

        location /socket.io/ {
            proxy_pass http://127.0.0.1:9002;
        }
    }
}
`;
    const fixed = fixUntilStable('nginx', two, () => true).text;
    assert.equal((fixed.match(/map \$http_upgrade/g) ?? []).length, 1);
    for (const line of [
      'proxy_http_version 1.1;',
      'proxy_set_header Upgrade $http_upgrade;',
      'proxy_set_header Host $host;',
    ])
      assert.equal(fixed.split(line).length - 1, line.includes('Host') ? 3 : 2, `${line}\n${fixed}`);
    assert.match(fixed, /proxy_pass http:\/\/127\.0\.0\.1:9001; # chat\n {12}proxy_http_version 1\.1;/);
    assert.match(fixed, /# upgrade handling lives in the locations\n {4}server \{/);
    assert.equal((fixed.match(/proxy_read_timeout/g) ?? []).length, 1, fixed);
    assert.deepEqual(idiomCodes(run(fixed)), []);
    // Fix-all's picking (safe fixes only) converges to the same idiom.
    const edits = collectFixEdits(run(two), undefined, true);
    assert.ok([...edits.values()].flat().some((e) => e.newText.includes('proxy_set_header Upgrade $http_upgrade;')));
  });

  it('the fixed config passes the real nginx -t', function () {
    need(this, 'nginx');
    const fixed = fixUntilStable('nginx', BARE, (f) => f.code === IDIOM).text;
    const r = validateNginx(fixed);
    assert.ok(r.ok, `${r.output}\n${fixed}`);
  });
});

describe('HAProxy: no timeout tunnel is one finding', () => {
  it('a WebSocket backend without timeout tunnel gets one finding on its line, one "Set timeout tunnel" action', () => {
    const cfg = `global
    maxconn 1000
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind :8080
    acl is_ws path_beg /ws
    acl up hdr(Upgrade) -i websocket
    use_backend be_chat_ws if is_ws up
    default_backend be_web
backend be_web
    server w1 127.0.0.1:9001 check
backend be_chat_ws
    balance roundrobin
    server c1 127.0.0.1:9002 check
    server c2 127.0.0.1:9003 check
`;
    const fs = analyzeText('haproxy', cfg);
    const tunnel = fs.filter((f) => /tunnel/.test(f.message) || /tunnel/.test(f.code));
    assert.deepEqual(
      tunnel.map((f) => `${f.range.start.line}:${f.code}:${f.severity}`),
      ['15:haproxy/ws-missing-timeout-tunnel:error'],
    );
    const titles = fs.flatMap((f) => f.fixes.map((x) => x.title)).filter((t) => /timeout tunnel/.test(t));
    assert.equal(titles.length, 1, titles.join('\n'));
  });
});
