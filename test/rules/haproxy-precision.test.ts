/**
 * Precision on real deployments (issue 19), HAProxy part: templates, one finding per broken
 * statement, recovery that keeps the rest of the analysis, and the `haproxy -c` facts the
 * real-world corpus showed wslb getting wrong.
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeText } from '../helpers/analyze';
import { createLanguageService } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { checkWorkspace } from '../../server/src/service/host/roots';
import { HaproxyIncremental } from '../../server/src/service/host/haproxy';
import { buildHaproxyConfig } from '../../server/src/service/model/haproxy';
import { haproxyWebSocketBackends } from '../../server/src/service/model/websocket-haproxy';
import { detectLanguage } from '../../server/src/service/detect';
import { recogniseHaproxyTemplate } from '../../server/src/service/model/haproxy-template';
import { parseHaproxyTime, haproxyTimeTrailing } from '../../server/src/service/model/units';
import type { Finding } from '../../server/src/service/types';

const REAL = join(__dirname, '../fixtures/real-world/haproxy');
const real = (p: string) => readFileSync(join(REAL, p), 'utf8');
const codes = (fs: Finding[]) => fs.map((f) => f.code);
const at = (fs: Finding[], line: number) => fs.filter((f) => f.range.start.line === line - 1);

describe('HAProxy templates (issue 19)', () => {
  it('neutralises Jinja2 placeholders, keeps every offset, and leaves HAProxy`s own ${VAR} alone', () => {
    const text = [
      'global',
      '    log "${LOCAL_SYSLOG-127.0.0.1}:514" local0',
      'defaults',
      '    timeout client {{ client_timeout }}',
      '{% if ha %}',
      'frontend fe',
      '    bind *:${PORT}',
      '    bind ${ADDR}:{{ port }}',
      '    maxconn ${MAXCONN}',
      '{% endif %}',
    ].join('\n');
    const t = recogniseHaproxyTemplate(text)!;
    assert.equal(t.text.length, text.length);
    assert.deepEqual(
      t.text.split('\n').map((l) => l.length),
      text.split('\n').map((l) => l.length),
    );
    const lines = t.text.split('\n');
    // double quotes: HAProxy expands it (manual 2.3); an address: str2sa_range() expands it
    assert.equal(lines[1], text.split('\n')[1]);
    assert.equal(lines[6], '    bind *:${PORT}');
    assert.match(lines[7], /^ {4}bind \$\{ADDR\}:1+$/);
    // elsewhere a bare ${VAR} is left as is by HAProxy: a placeholder for envsubst
    assert.match(lines[8], /^ {4}maxconn x+$/);
    assert.equal(lines[4].trim(), '');
    assert.deepEqual(
      [...t.lines].sort((a, b) => a - b),
      [3, 4, 7, 8, 9],
    );
    assert.deepEqual(t.syntaxes, ['{{ }}', '{% %}', '${VAR}']);
  });

  it('an else branch stays blank, HAProxy`s own "${VAR}" in it included', () => {
    const text = 'frontend fe\n{% if a %}\n    bind "${ADDR}:80"\n{% else %}\n    bind "${ADDR}:81"\n{% endif %}\n';
    const t = recogniseHaproxyTemplate(text)!;
    const lines = t.text.split('\n');
    assert.equal(lines[2], '    bind "${ADDR}:80"');
    assert.equal(lines[4].trim(), '');
    assert.ok(t.lines.has(4));
  });

  it('a file whose only $ are HAProxy`s is no template', () => {
    assert.equal(recogniseHaproxyTemplate('frontend fe\n    bind "${ADDR}:80"\n    bind :${PORT}\n'), null);
    const fs = analyzeText('haproxy', 'frontend fe\n    bind "${ADDR}:80"\n    timeout client 5s\n');
    assert.ok(!codes(fs).includes('haproxy/template'), JSON.stringify(fs));
  });

  it('kubespray`s haproxy.cfg.j2: one template note, no cascade, no "missing timeouts" from a placeholder value', () => {
    const fs = analyzeText('haproxy', real('kubernetes-sigs-kubespray/haproxy.cfg.j2'));
    assert.deepEqual(codes(fs), ['haproxy/template'], JSON.stringify(fs, null, 1));
    assert.equal(fs[0].severity, 'information');
    assert.match(fs[0].message, /template \(`\{\{ \}\}`, `\{% %\}`: \d+ placeholders\)/);
  });

  it('a missing timeout is still reported in a template when no placeholder sets it', () => {
    const text =
      'defaults\n    mode http\n    timeout connect {{ t }}\n    timeout server 5s\nfrontend fe\n    bind :80\n';
    const fs = analyzeText('haproxy', text);
    assert.deepEqual(codes(fs).sort(), ['haproxy/missing-timeouts', 'haproxy/template']);
    assert.match(fs.find((f) => f.code === 'haproxy/missing-timeouts')!.message, /no timeout client/);
  });

  it('Jinja2 HAProxy files (kolla-ansible, openstack-ansible) are detected as HAProxy, not nginx', () => {
    for (const p of [
      'openstack-kolla-ansible/haproxy_main.cfg.j2',
      'openstack-kolla-ansible/haproxy_single_service_split.cfg.j2',
      'openstack-openstack-ansible-haproxy_server/haproxy.cfg.j2',
      'ansible-awx/haproxy.cfg.j2',
      'kubernetes-sigs-kubespray/haproxy.cfg.j2',
    ])
      assert.equal(detectLanguage(join(REAL, p), real(p)), 'haproxy', p);
  });

  it('kolla-ansible`s main template gives the template note and nothing else', () => {
    const fs = analyzeText('haproxy', real('openstack-kolla-ansible/haproxy_main.cfg.j2'));
    assert.deepEqual(codes(fs), ['haproxy/template'], JSON.stringify(fs, null, 1));
  });
});

describe('HAProxy: one broken statement, one finding (issue 19)', () => {
  it('timeout tunnel in a frontend: the rule`s finding (with its fix), not keyword-not-allowed-here too', () => {
    const text = [
      'defaults',
      '    mode http',
      '    timeout connect 5s',
      '    timeout client 30s',
      '    timeout server 30s',
      'frontend fe',
      '    bind :8080',
      '    timeout tunnel 1h',
      '    default_backend be',
      'backend be',
      '    server s1 127.0.0.1:9000',
    ].join('\n');
    const fs = at(analyzeText('haproxy', text), 8);
    assert.deepEqual(codes(fs), ['haproxy/timeout-ignored'], JSON.stringify(fs, null, 1));
    // with the rule off, the check still says it
    const off = at(analyzeText('haproxy', text, { ruleSeverity: { 'haproxy/timeout-ignored': 'off' } }), 8);
    assert.deepEqual(codes(off), ['haproxy/keyword-not-allowed-here']);
  });

  it('a line with a syntax error gets no further check finding', () => {
    const text = 'frontend fe "unclosed\n    bind :80\n    timeout client 5s\n';
    const fs = analyzeText('haproxy', text);
    assert.equal(at(fs, 1).length, 1, JSON.stringify(fs, null, 1));
    assert.equal(at(fs, 1)[0].code, 'haproxy/syntax');
  });
});

describe('HAProxy: a broken line does not silence the rest (issue 19)', () => {
  const base = [
    'global',
    '    daemon',
    'defaults',
    '    mode http',
    '    timeout connect 5s',
    '    timeout client 1h',
    '    timeout server 1h',
    'frontend fe',
    '    bind :80',
    '    default_backend ws',
    'backend ws',
    '    balance leastconn',
    '    timeout tunnel 1h',
    '    option httpchk GET /health',
    '    server a 127.0.0.1:9001 check slowstart 30s on-marked-down shutdown-sessions',
    '    server b 127.0.0.1:9002 check slowstart 30s on-marked-down shutdown-sessions',
  ];
  const whole = (fs: Finding[]) => codes(fs).filter((c) => c === 'haproxy/no-hard-stop-after');

  it('no-hard-stop-after is reported with and without an unrelated broken line', () => {
    assert.deepEqual(whole(analyzeText('haproxy', base.join('\n'))), ['haproxy/no-hard-stop-after']);
    for (const broken of [
      '    foo bar',
      '    bind :81 nosuchoption',
      '    http-request frobnicate',
      '    acl x "open',
    ]) {
      const text = [...base.slice(0, 9), broken, ...base.slice(9)].join('\n');
      const fs = analyzeText('haproxy', text);
      assert.ok(
        fs.some((f) => f.severity === 'error'),
        broken,
      );
      assert.deepEqual(whole(fs), ['haproxy/no-hard-stop-after'], broken);
    }
  });

  it('a frontend that listens through its header (HAProxy 1.x syntax, refused by 2.x) still counts as listening', () => {
    // sockjs-node's example: `frontend all 0.0.0.0:8888`; the rest of the config is analysed as
    // if the address had been a bind line (what its author meant)
    const text = [
      'global',
      '    daemon',
      'defaults',
      '    mode http',
      '    timeout connect 5s',
      '    timeout client 1h',
      '    timeout server 1h',
      'frontend fe 0.0.0.0:8080',
      '    default_backend ws',
      'backend ws',
      '    timeout tunnel 1h',
      '    server a 127.0.0.1:9001',
      '    server b 127.0.0.1:9002',
    ].join('\n');
    const fs = analyzeText('haproxy', text);
    assert.ok(codes(fs).includes('haproxy/syntax'));
    assert.ok(codes(fs).includes('haproxy/no-hard-stop-after'), JSON.stringify(codes(fs)));
  });
});

describe('HAProxy facts from haproxy -c on the real-world corpus (issue 19)', () => {
  it('reads time values as parse_time_err() does: 15min is 15 minutes (with a warning)', () => {
    assert.equal(parseHaproxyTime('15min'), 15 * 60_000);
    assert.equal(parseHaproxyTime('30sec'), 30_000);
    assert.equal(parseHaproxyTime('100500'), 100500);
    assert.equal(parseHaproxyTime('15x'), undefined);
    assert.equal(parseHaproxyTime('abc'), undefined);
    assert.equal(haproxyTimeTrailing('15min'), 'in');
    assert.equal(haproxyTimeTrailing('15m'), undefined);
    assert.equal(haproxyTimeTrailing('500ms'), undefined);
    assert.equal(haproxyTimeTrailing('5mss'), 's');
  });

  it('OctoPi`s haproxy.1.x.cfg: timeouts of 15min are set, not missing; the unit gets haproxy -c`s warning', () => {
    const fs = analyzeText('haproxy', real('guysoft-OctoPi/haproxy.1.x.cfg'));
    assert.ok(!codes(fs).includes('haproxy/missing-timeouts'), JSON.stringify(fs, null, 1));
    const unit = fs.filter((f) => f.code === 'haproxy/invalid-time-unit');
    assert.deepEqual(
      unit.map((f) => f.range.start.line + 1),
      [20, 21],
    );
    assert.match(unit[0].related![0].message, /unexpected character 'i' after the timer value '15min'/);
    assert.match(unit[0].message, /as 15m \(900 s \(15 min\)\).*; write 15m$/);
  });

  it('capture request header and stats show-modules are accepted (haproxy -c 2.6.12 does)', () => {
    const fs = analyzeText('haproxy', real('centrifugal-centrifuge/http2_haproxy/haproxy.cfg'));
    assert.deepEqual(
      fs.filter((f) => f.code === 'haproxy/unknown-keyword'),
      [],
    );
    const edge = analyzeText('haproxy', real('haproxy-haproxy/basic-config-edge.cfg'));
    assert.deepEqual(
      edge.filter((f) => f.code === 'haproxy/unknown-keyword'),
      [],
    );
  });
});

describe('HAProxy configs split over files of one folder (issue 19)', () => {
  const dir = 'percona-percona-xtradb-cluster-operator';
  const files = {
    [`/p/${dir}/haproxy-global.cfg`]: real(`${dir}/haproxy-global.cfg`),
    [`/p/${dir}/haproxy.cfg`]: real(`${dir}/haproxy.cfg`),
  };

  it('a file routing to backends of a sibling .cfg is checked with it (haproxy -f a.cfg -f b.cfg)', () => {
    const service = createLanguageService();
    const fs = new MemoryFileSystem(files);
    const alone = service.analyzeHaproxy([
      { path: `/p/${dir}/haproxy-global.cfg`, text: files[`/p/${dir}/haproxy-global.cfg`] },
    ]);
    assert.equal(alone.findings.filter((f) => f.code === 'haproxy/unknown-backend').length, 4);
    const one = checkWorkspace(service, fs, [`/p/${dir}/haproxy-global.cfg`]);
    assert.deepEqual(one.findings, []);
    const both = checkWorkspace(service, fs, Object.keys(files));
    assert.deepEqual(both.findings, []);
    assert.equal(both.analyses.length, 1, 'the two files are one configuration');
  });

  it('a route to a backend no sibling defines is still reported, and unrelated siblings are not merged', () => {
    const service = createLanguageService();
    const fs = new MemoryFileSystem({
      '/q/a.cfg': 'frontend f\n    bind :80\n    timeout client 5s\n    default_backend nope\n',
      '/q/b.cfg': 'backend other\n    server s 127.0.0.1:1\n',
    });
    const r = checkWorkspace(service, fs, ['/q/a.cfg']);
    assert.deepEqual(codes(r.findings), ['haproxy/unknown-backend']);
  });
});

describe('HAProxy fragments and templates: what the rendered or whole config decides (issue 19)', () => {
  it('missing-timeouts is silent on a file that says it is an extract and has no defaults', () => {
    const fs = analyzeText('haproxy', real('haproxytech-kubernetes-ingress/tcp-cr-full-example/haproxy.cfg'));
    assert.deepEqual(
      fs.filter((f) => f.code === 'haproxy/missing-timeouts'),
      [],
    );
    // the same proxies without the comment are judged as a whole config (haproxy -c warns)
    const text =
      'frontend fe\n    mode tcp\n    bind :80\n    default_backend be\nbackend be\n    mode tcp\n    server s 127.0.0.1:1\n';
    assert.equal(analyzeText('haproxy', text).filter((f) => f.code === 'haproxy/missing-timeouts').length, 2);
    assert.equal(
      analyzeText('haproxy', `### Extract of the generated config\n${text}`).filter(
        (f) => f.code === 'haproxy/missing-timeouts',
      ).length,
      0,
    );
  });

  it('unknown-backend is silent in a template that names backends by placeholders (CloudFoundry`s ERB)', () => {
    const fs = analyzeText('haproxy', real('cloudfoundry-haproxy-boshrelease/haproxy.config.erb'));
    assert.deepEqual(
      fs.filter((f) => f.code === 'haproxy/unknown-backend'),
      [],
    );
    const plain =
      'frontend fe\n    bind :80\n    timeout client 5s\n    default_backend {{ be }}x\n    use_backend nope if { path /x }\n';
    assert.equal(analyzeText('haproxy', plain).filter((f) => f.code === 'haproxy/unknown-backend').length, 1);
  });
});

describe('HAProxy WebSocket detection: a default backend behind explicit WebSocket routes (issue 19)', () => {
  it('Centrifuge: the frontend comment speaks of WebSocket, but its WebSocket path goes elsewhere', () => {
    const text = real('centrifugal-centrifuge/http2_haproxy_h2c/haproxy.cfg');
    const ws = haproxyWebSocketBackends(buildHaproxyConfig([{ path: '/c.cfg', text }])).map((b) => b.proxy.name);
    assert.deepEqual(ws, ['websocket_backend']);
    // without the use_backend line the comment still sends WebSocket to the default backend
    const alone = text.replace('use_backend websocket_backend if is_websocket_path', '');
    const ws2 = haproxyWebSocketBackends(buildHaproxyConfig([{ path: '/c.cfg', text: alone }])).map(
      (b) => b.proxy.name,
    );
    assert.ok(ws2.includes('static_backend'), ws2.join(', '));
  });
});

describe('HAProxy WebSocket detection: the API root of a config that expects upgraded connections (issue 19)', () => {
  const cfg = (o: { tunnel?: string; mode?: string; acl?: string; route?: string; beMode?: string } = {}) =>
    [
      'defaults',
      `    mode ${o.mode ?? 'http'}`,
      '    timeout connect 5s',
      '    timeout client 50s',
      '    timeout server 50s',
      o.tunnel === '' ? '' : `    timeout tunnel ${o.tunnel ?? '1h'}`,
      'frontend fe',
      '    bind :80',
      '    mode http',
      `    acl api ${o.acl ?? 'path_beg /api/'}`,
      '    acl v1 path_beg /api/v1/',
      '    use_backend rest if v1',
      `    ${o.route ?? 'use_backend api if api'}`,
      '    default_backend web',
      'backend web',
      '    mode http',
      '    server w1 10.0.0.1:80',
      'backend rest',
      '    mode http',
      '    server r1 10.0.0.2:80',
      'backend api',
      `    mode ${o.beMode ?? 'http'}`,
      '    server a1 10.0.0.3:80',
    ].join('\n');
  const ws = (text: string) =>
    haproxyWebSocketBackends(buildHaproxyConfig([{ path: '/h.cfg', text }])).map((b) => b.proxy.name);

  it('ThingsBoard: only tb-api-backend (the /api/ route) carries WebSocket, with the reason spelled out', () => {
    const text = real('thingsboard-thingsboard/haproxy.cfg');
    const found = haproxyWebSocketBackends(buildHaproxyConfig([{ path: '/t.cfg', text }]));
    assert.deepEqual(
      found.map((b) => b.proxy.name),
      ['tb-api-backend'],
    );
    const why = found[0].reasons.map((r) => r.text).join(' | ');
    assert.match(why, /routes the API root here \(acl tb_api_acl path_beg \/api\//);
    assert.match(why, /defaults sets timeout tunnel 1h/);
    // ... and its pitfalls are reported there
    const fs = analyzeText('haproxy', text);
    for (const [code, line] of [
      ['haproxy/ws-server-maxconn', 181],
      ['haproxy/source-not-consistent', 169],
      ['haproxy/ws-no-httpchk', 167],
    ] as const)
      assert.ok(
        at(fs, line).some((f) => f.code === code),
        `${code} at ${line}: ${codes(fs).join(', ')}`,
      );
  });

  it('the API root backend, not the deeper prefix routed elsewhere nor the default backend', () => {
    assert.deepEqual(ws(cfg()), ['api']);
    assert.deepEqual(ws(cfg({ acl: 'path -i -m beg /API' })), ['api']);
    assert.deepEqual(ws(cfg({ acl: 'path_dir /api' })), ['api']);
  });

  it('needs a tunnel timeout in an http-mode defaults, an http backend and a required API-root ACL', () => {
    assert.deepEqual(ws(cfg({ tunnel: '' })), []);
    assert.deepEqual(ws(cfg({ tunnel: '0' })), []);
    assert.deepEqual(ws(cfg({ mode: 'tcp' })), []);
    assert.deepEqual(ws(cfg({ beMode: 'tcp' })), []);
    assert.deepEqual(ws(cfg({ acl: 'path_beg /api/v2/' })), []);
    assert.deepEqual(ws(cfg({ acl: 'path /api/' })), []); // exact match: only the path /api/ itself
    assert.deepEqual(ws(cfg({ acl: 'path_beg -f /etc/haproxy/api.lst' })), []);
    assert.deepEqual(ws(cfg({ route: 'use_backend api if !api' })), []);
    assert.deepEqual(ws(cfg({ route: 'use_backend api unless api' })), []);
  });
});

describe('HAProxy no-shutdown-sessions and protocols whose clients notice a silent server (issue 19)', () => {
  const cfg = (path: string) =>
    [
      'defaults',
      '    mode http',
      '    timeout connect 5s',
      '    timeout client 1h',
      '    timeout server 1h',
      '    timeout tunnel 1h',
      'frontend fe',
      '    bind :80',
      `    acl rt path_beg ${path}`,
      '    use_backend rt if rt',
      '    default_backend web',
      'backend web',
      '    server w1 10.0.0.1:80',
      'backend rt',
      '    balance leastconn',
      '    server a 10.0.0.2:80 check',
      '    server b 10.0.0.3:80 check',
    ].join('\n');
  const fired = (path: string) =>
    analyzeText('haproxy', cfg(path)).filter((f) => f.code === 'haproxy/no-shutdown-sessions').length;

  it('is quiet for Centrifuge and Socket.IO paths, whose clients reconnect when the pings stop', () => {
    assert.equal(fired('/connection/websocket'), 0);
    assert.equal(fired('/socket.io/'), 0);
  });

  it('still fires for a WebSocket path of no such protocol', () => {
    assert.equal(fired('/ws'), 1);
    assert.equal(fired('/sockjs/'), 1);
  });

  it('Centrifuge`s h2c example is quiet; its other findings stay', () => {
    const fs = analyzeText('haproxy', real('centrifugal-centrifuge/http2_haproxy_h2c/haproxy.cfg'));
    assert.ok(!codes(fs).includes('haproxy/no-shutdown-sessions'), codes(fs).join(', '));
    assert.ok(codes(fs).includes('haproxy/ws-balance-roundrobin'), codes(fs).join(', '));
  });
});

describe('HAProxy http-setting-in-tcp-mode: options a TCP proxy inherits from HTTP defaults (issue 19)', () => {
  const cfg = (extra: string, own = '') =>
    [
      'defaults',
      '    mode http',
      '    option httplog',
      `    ${extra}`,
      '    timeout connect 5s',
      '    timeout client 1m',
      '    timeout server 1m',
      'frontend tls',
      '    mode tcp',
      '    bind :443',
      `    ${own}`,
      '    default_backend tls_nodes',
      'backend tls_nodes',
      '    mode tcp',
      '    server a 10.0.0.1:443',
    ].join('\n');
  const found = (text: string) =>
    analyzeText('haproxy', text).filter((f) => f.code === 'haproxy/http-setting-in-tcp-mode');

  it('AWX: the inherited httplog is a hint that still quotes haproxy -c and says why it is harmless', () => {
    const fs = found(real('ansible-awx/haproxy.cfg.j2'));
    assert.deepEqual(
      fs.map((f) => [f.range.start.line + 1, f.severity]),
      [[20, 'hint']],
    );
    assert.ok(
      fs[0].related!.some((r) => /Falling back to 'option tcplog'/.test(r.message)),
      JSON.stringify(fs[0].related),
    );
    assert.match(fs[0].message, /harmless if meant for the HTTP proxies$/);
  });

  it('an inherited forwardfor shared by several TCP proxies: one hint at the defaults line', () => {
    const fs = found(cfg('option forwardfor'));
    const ff = fs.filter((f) => /forwardfor/.test(f.message));
    assert.deepEqual(
      ff.map((f) => [f.range.start.line + 1, f.severity]),
      [[4, 'hint']],
    );
    assert.equal(ff[0].related?.length, 2);
  });

  it('inherited cookie persistence and HTTP balancing stay warnings; the proxy`s own options too', () => {
    const cookie = found(cfg('cookie SRV insert indirect nocache'));
    assert.ok(cookie.some((f) => /ignores cookie persistence/.test(f.message) && f.severity === 'warning'));
    const balance = found(cfg('balance uri'));
    assert.ok(balance.some((f) => /balance uri/.test(f.message) && f.severity === 'warning'));
    const own = found(cfg('', 'option forwardfor'));
    assert.ok(
      own.some((f) => /forwardfor/.test(f.message) && f.severity === 'warning'),
      JSON.stringify(own),
    );
  });
});

describe('HAProxy: a tuning option ignored for the section`s capability (issue 19)', () => {
  const frontend = (line: string) =>
    analyzeText(
      'haproxy',
      `defaults\n    mode http\n    timeout connect 5s\n    timeout client 5s\n    timeout server 5s\nfrontend fe\n    bind :80\n    ${line}\n    default_backend b\nbackend b\n    server s 10.0.0.1:80\n`,
    ).filter((f) => f.code === 'haproxy/keyword-not-allowed-here');

  it('SockJS`s option http-pretend-keepalive in a frontend is a hint that mirrors haproxy -c and says why it is harmless', () => {
    const fs = at(analyzeText('haproxy', real('sockjs-sockjs-node/haproxy.cfg')), 16);
    assert.deepEqual(
      fs.map((f) => [f.code, f.severity]),
      [['haproxy/keyword-not-allowed-here', 'hint']],
    );
    assert.match(fs[0].message, /ignored in a frontend: it needs backend capability/);
    assert.match(fs[0].message, /chunked encoding/);
    assert.equal(frontend('option tcp-smart-connect')[0]?.severity, 'hint');
  });

  it('an ignored option that changes what the proxy does stays a warning', () => {
    for (const line of ['option httpchk GET /health', 'option redispatch', 'option allbackups'])
      assert.equal(frontend(line)[0]?.severity, 'warning', line);
  });
});

describe('HAProxy templates while editing (issue 19)', () => {
  it('typing that makes or unmakes a placeholder gives what a fresh analysis gives', () => {
    const service = createLanguageService();
    const inc = new HaproxyIncremental();
    const path = '/etc/haproxy/haproxy.cfg';
    let text =
      'frontend fe\n    bind :80\n    timeout client %%%%\n    default_backend be\nbackend be\n    server s 127.0.0.1:1\n';
    inc.analyze(service, path, text);
    const at = text.indexOf('%%%%') + 2;
    const steps: { offset: number; deleted: number; inserted: string }[] = [
      { offset: at, deleted: 0, inserted: 'T' },
      { offset: at + 1, deleted: 0, inserted: 'O' },
      { offset: at, deleted: 2, inserted: '' },
      { offset: text.indexOf('fe\n'), deleted: 0, inserted: 'x' },
    ];
    for (const e of steps) {
      text = text.slice(0, e.offset) + e.inserted + text.slice(e.offset + e.deleted);
      const got = inc.analyze(service, path, text, [e]).findings.map((f) => `${f.range.start.line}:${f.code}`);
      const fresh = service.analyzeHaproxy([{ path, text }]).findings.map((f) => `${f.range.start.line}:${f.code}`);
      assert.deepEqual(got, fresh, JSON.stringify(e));
    }
    assert.ok(
      service
        .analyzeHaproxy([{ path, text: text.replace('%%%%', '%%TO%%') }])
        .findings.some((f) => f.code === 'haproxy/template'),
    );
  });
});
