/**
 * HAProxy rules beyond the single-file fixtures: settings (heartbeat, target version), configs
 * split over several files (`haproxy -f a.cfg -f b.cfg`), line endings, "fix all" composing
 * several rules, and random input (no rule may throw).
 */
import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { createLanguageService, type ServiceOptions } from '../../server/src/service';
import { applyEdits, collectFixEdits } from '../../server/src/service/fixes/apply';
import { HAPROXY_RULES } from '../../server/src/service/rules';
import type { Finding } from '../../server/src/service/types';
import { analyzeText, fixUntilStable } from '../helpers/analyze';

const IDS = new Set(HAPROXY_RULES.map((r) => r.meta.id));
const only = (fs: Finding[], id: string) => fs.filter((f) => f.code === id);

function analyzeFiles(files: Record<string, string>, options: Partial<ServiceOptions> = {}): Finding[] {
  return createLanguageService(options).analyzeHaproxy(Object.entries(files).map(([path, text]) => ({ path, text })))
    .findings;
}

function fixFiles(files: Record<string, string>, filter: (f: Finding) => boolean): Record<string, string> {
  let cur = { ...files };
  for (let round = 0; round < 10; round++) {
    const edits = collectFixEdits(analyzeFiles(cur), filter);
    if (edits.size === 0) return cur;
    const next = { ...cur };
    for (const [file, es] of edits) next[file] = applyEdits(cur[file], es);
    if (JSON.stringify(next) === JSON.stringify(cur)) return cur;
    cur = next;
  }
  throw new Error('no convergence');
}

const WS = (tunnel: string) => `defaults
    mode http
    timeout connect 5s
    timeout client 2m
    timeout server 2m
${tunnel ? `    timeout tunnel ${tunnel}\n` : ''}
frontend fe
    bind 127.0.0.1:8080
    default_backend ws_pool

backend ws_pool
    server w1 127.0.0.1:9001
`;

describe('HAProxy rules: settings', () => {
  it('ws-timeout-below-heartbeat follows the heartbeat setting (error at or below, warning below two)', () => {
    const text = WS('45s');
    assert.deepEqual(
      only(analyzeText('haproxy', text, { heartbeatMs: 60_000 }), 'haproxy/ws-timeout-below-heartbeat').map(
        (f) => f.severity,
      ),
      ['error'],
    );
    assert.deepEqual(
      only(analyzeText('haproxy', text, { heartbeatMs: 30_000 }), 'haproxy/ws-timeout-below-heartbeat').map(
        (f) => f.severity,
      ),
      ['warning'],
    );
    assert.deepEqual(
      only(analyzeText('haproxy', text, { heartbeatMs: 20_000 }), 'haproxy/ws-timeout-below-heartbeat'),
      [],
    );
    const hit = only(analyzeText('haproxy', text, { heartbeatMs: 60_000 }), 'haproxy/ws-timeout-below-heartbeat')[0];
    assert.match(hit.message, /timeout tunnel 45 s \(inherited\) vs 60 s \(1 min\) heartbeat/);
    // where the value comes from: a related location, not prose
    assert.match(hit.related?.[0]?.message ?? '', /timeout tunnel 45s set here \(line 6\)/);
  });

  it('the fix writes three heartbeats, in the backend when the defaults serve a non-WebSocket backend too', () => {
    const text = WS('10s').replace(
      '\nbackend ws_pool',
      '\nbackend web\n    server x 127.0.0.1:9009\n\nbackend ws_pool',
    );
    const fixed = fixUntilStable('haproxy', text, (f) => f.code === 'haproxy/ws-timeout-below-heartbeat', {
      heartbeatMs: 20_000,
    }).text;
    assert.match(fixed, /backend ws_pool\n {4}timeout tunnel 1m\n {4}server w1 127\.0\.0\.1:9001\n/);
    assert.match(fixed, /timeout tunnel 10s/, 'the defaults line stays for the other backend');
  });

  it('no-hard-stop-after mentions close-spread-time only for targets that have it (2.6 and later)', () => {
    const text = `global\n    maxconn 100\n\n${WS('1h')}`;
    const on26 = only(analyzeText('haproxy', text, { haproxyVersion: '2.6.12' }), 'haproxy/no-hard-stop-after');
    const on24 = only(analyzeText('haproxy', text, { haproxyVersion: '2.4.22' }), 'haproxy/no-hard-stop-after');
    assert.equal(on26.length, 1);
    assert.equal(on24.length, 1);
    assert.match(on26[0].message, /close-spread-time does not end them/);
    assert.doesNotMatch(on24[0].message, /close-spread-time/);
  });

  it('a rule turned off in the settings reports nothing', () => {
    const short = WS('').replace('timeout client 2m', 'timeout client 30s');
    assert.deepEqual(
      only(
        analyzeText('haproxy', short, { ruleSeverity: { 'haproxy/ws-missing-timeout-tunnel': 'off' } }),
        'haproxy/ws-missing-timeout-tunnel',
      ),
      [],
    );
    assert.equal(only(analyzeText('haproxy', short), 'haproxy/ws-missing-timeout-tunnel').length, 1);
  });

  it('ws-missing-timeout-tunnel fires only when the client/server timeouts that apply are too short', () => {
    const tunnelHits = (text: string, heartbeatMs = 30_000) =>
      only(analyzeText('haproxy', text, { heartbeatMs }), 'haproxy/ws-missing-timeout-tunnel').map((f) => f.severity);
    // 2 min client and server: four heartbeats of 30 s, nothing to report
    assert.deepEqual(tunnelHits(WS('')), []);
    // the same 2 min against a 90 s heartbeat: one late ping closes it
    assert.deepEqual(tunnelHits(WS(''), 90_000), ['warning']);
    // against a 2 min heartbeat: closed between two pings
    assert.deepEqual(tunnelHits(WS(''), 120_000), ['error']);
    // the shorter side counts: a 40 s server timeout in the backend itself
    assert.deepEqual(tunnelHits(WS('').replace('server w1', 'timeout server 40s\n    server w1')), ['warning']);
    // tcp mode with 240 s (the issue's example): no finding
    assert.deepEqual(tunnelHits(WS('').replace('mode http', 'mode tcp').replace(/2m/g, '240s')), []);
    // unset client and server: haproxy/missing-timeouts' finding, not this rule's
    const unset = WS('').replace('    timeout client 2m\n    timeout server 2m\n', '');
    assert.deepEqual(tunnelHits(unset), []);
    assert.equal(only(analyzeText('haproxy', unset), 'haproxy/missing-timeouts').length, 2);
  });
});

describe('HAProxy rules: several files', () => {
  const files = {
    '/etc/haproxy/00-global.cfg':
      'global\n    hard-stop-after 5m\n\ndefaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n',
    '/etc/haproxy/10-frontends.cfg':
      'frontend fe\n    bind 127.0.0.1:8080\n    use_backend chat_ws if { hdr(upgrade) -i websocket }\n    default_backend web\n',
    '/etc/haproxy/20-backends.cfg':
      'backend chat_ws\n    balance leastconn\n    server c1 127.0.0.1:9001 check slowstart 30s on-marked-down shutdown-sessions\n    server c2 127.0.0.1:9002 check slowstart 30s on-marked-down shutdown-sessions\n    option httpchk GET /health\n\nbackend web\n    server w1 127.0.0.1:9003\n',
  };

  it('defaults, global and backends in different files are read together', () => {
    const all = analyzeFiles(files).filter((f) => IDS.has(f.code));
    // global in another file has hard-stop-after; timeouts come from the defaults of the first file
    // (30 s client/server with a 30 s heartbeat and no tunnel timeout: one finding for that cause)
    assert.deepEqual(
      all.map((f) => `${f.code} ${f.file}`),
      ['haproxy/ws-missing-timeout-tunnel /etc/haproxy/20-backends.cfg'],
    );
    assert.match(all[0].message, /idle WebSockets are cut after 30 s/);
    assert.deepEqual(
      (all[0].related ?? []).map((r) => `${r.file.replace(/.*\//, '')}:${r.range.start.line} ${r.message}`),
      [
        '00-global.cfg:6 cuts idle WebSockets: timeout client 30 s (frontend fe)',
        '00-global.cfg:7 cuts idle WebSockets: timeout server 30 s',
      ],
    );
  });

  it('the fix edits the backend file only (the defaults also serve a plain web backend)', () => {
    const fixed = fixFiles(files, (f) => f.code === 'haproxy/ws-missing-timeout-tunnel');
    assert.equal(fixed['/etc/haproxy/00-global.cfg'], files['/etc/haproxy/00-global.cfg']);
    assert.match(fixed['/etc/haproxy/20-backends.cfg'], /balance leastconn\n {4}timeout tunnel 1h\n {4}server c1 /);
  });

  it('a backend defined in another file is no unknown backend; a missing one is', () => {
    assert.deepEqual(only(analyzeFiles(files), 'haproxy/unknown-backend'), []);
    const alone = only(
      analyzeFiles({ '/etc/haproxy/10-frontends.cfg': files['/etc/haproxy/10-frontends.cfg'] }),
      'haproxy/unknown-backend',
    );
    assert.deepEqual(
      alone.map((f) => f.related?.[0].message.match(/unable to find required \w+: '[^']*'/)?.[0]),
      ["unable to find required use_backend: 'chat_ws'", "unable to find required default_backend: 'web'"],
    );
  });

  it('missing-timeouts puts the timeouts into the defaults file when the proxy uses those defaults', () => {
    const split = {
      '/a.cfg': 'defaults\n    mode http\n',
      '/b.cfg':
        'frontend fe\n    bind 127.0.0.1:8080\n    default_backend app\n\nbackend app\n    server a 127.0.0.1:9001\n',
    };
    const fixed = fixFiles(split, (f) => f.code === 'haproxy/missing-timeouts');
    assert.equal(fixed['/b.cfg'], split['/b.cfg']);
    assert.equal(
      fixed['/a.cfg'],
      'defaults\n    mode http\n    timeout connect 5s\n    timeout client 90s\n    timeout server 90s\n',
    );
  });
});

describe('HAProxy rules: text forms', () => {
  it('CRLF files get CRLF lines, and a file without a final line break is extended cleanly', () => {
    const crlf = WS('').replace('timeout client 2m', 'timeout client 30s').replace(/\n/g, '\r\n');
    const fixed = fixUntilStable('haproxy', crlf, (f) => f.code === 'haproxy/ws-missing-timeout-tunnel').text;
    assert.ok(
      fixed.includes('    timeout tunnel 1h\r\n    server w1 127.0.0.1:9001\r\n'),
      JSON.stringify(fixed.slice(-80)),
    );
    assert.ok(!/[^\r]\n/.test(fixed), 'no bare LF');
    const noEol = WS('').replace('timeout client 2m', 'timeout client 30s').replace(/\n$/, '');
    const fixed2 = fixUntilStable('haproxy', noEol, (f) => f.code === 'haproxy/ws-missing-timeout-tunnel').text;
    assert.ok(
      fixed2.endsWith('    timeout tunnel 1h\n    server w1 127.0.0.1:9001'),
      JSON.stringify(fixed2.slice(-60)),
    );
  });

  it('tab-indented sections get tab-indented lines; trailing comments stay on their line', () => {
    const text =
      'defaults\n\tmode http\n\ttimeout connect 5s\n\ttimeout client 30s\n\ttimeout server 30s\n\nfrontend fe\n\tbind 127.0.0.1:8080\n\tdefault_backend ws\n\nbackend ws\n\tserver a 127.0.0.1:9001 # first\n\tserver b 127.0.0.1:9002 # second\n';
    const fixed = fixUntilStable('haproxy', text, (f) => IDS.has(f.code)).text;
    assert.match(fixed, /\tserver a 127\.0\.0\.1:9001 check # first\n/);
    assert.match(fixed, /\ttimeout tunnel 1h\n/);
    assert.match(
      fixed,
      /\tbalance leastconn\n\ttimeout tunnel 1h\n\toption httpchk GET \/health\n\tdefault-server (slowstart 30s on-marked-down shutdown-sessions|on-marked-down shutdown-sessions slowstart 30s)\n\tserver a/,
    );
  });
});

describe('HAProxy rules: fix all', () => {
  it('a short client timeout without tunnel timeout is one finding, and fix all writes one timeout tunnel line', () => {
    const text = WS('').replace('timeout client 2m', 'timeout client 10s');
    const hits = analyzeText('haproxy', text).filter(
      (f) => f.code === 'haproxy/ws-missing-timeout-tunnel' || f.code === 'haproxy/ws-timeout-below-heartbeat',
    );
    assert.deepEqual(
      hits.map((f) => `${f.code} ${f.severity}`),
      ['haproxy/ws-missing-timeout-tunnel error'],
    );
    const fixed = fixUntilStable('haproxy', text, (f) => IDS.has(f.code)).text;
    assert.equal(fixed.match(/timeout tunnel/g)?.length, 1, fixed);
  });

  it('slowstart and shutdown-sessions end up on one default-server line', () => {
    const text = WS('1h').replace(
      '    server w1 127.0.0.1:9001\n',
      '    balance leastconn\n    option httpchk GET /health\n    server w1 127.0.0.1:9001 check\n    server w2 127.0.0.1:9002 check\n',
    );
    const fixed = fixUntilStable(
      'haproxy',
      text,
      (f) => f.code === 'haproxy/leastconn-no-slowstart' || f.code === 'haproxy/no-shutdown-sessions',
    ).text;
    assert.equal(fixed.match(/default-server/g)?.length, 1, fixed);
    assert.match(
      fixed,
      /default-server (slowstart 30s on-marked-down shutdown-sessions|on-marked-down shutdown-sessions slowstart 30s)\n {4}server w1/,
    );
  });

  it('the tunnel timeout goes to the shared defaults only when every backend using them carries WebSocket', () => {
    const two =
      'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\nfrontend fe\n    bind 127.0.0.1:8080\n    use_backend ws_a if { path_beg /a }\n    default_backend ws_b\n\nbackend ws_a\n    server a 127.0.0.1:9001\n\nbackend ws_b\n    server b 127.0.0.1:9002\n';
    const fixed = fixUntilStable('haproxy', two, (f) => f.code === 'haproxy/ws-missing-timeout-tunnel').text;
    assert.match(fixed, /timeout server 30s\n {4}timeout tunnel 1h\n\nfrontend/);
    assert.equal(fixed.match(/timeout tunnel/g)?.length, 1);
    const mixed = two.replace('\nbackend ws_b', '\nbackend plain\n    server p 127.0.0.1:9003\n\nbackend ws_b');
    const fixed2 = fixUntilStable('haproxy', mixed, (f) => f.code === 'haproxy/ws-missing-timeout-tunnel').text;
    assert.doesNotMatch(fixed2, /timeout server 30s\n {4}timeout tunnel/);
    assert.equal(fixed2.match(/timeout tunnel 1h/g)?.length, 2);
  });
});

describe('HAProxy rules: any input', () => {
  const words = [
    'global',
    'defaults',
    'frontend',
    'backend',
    'listen',
    'from',
    'fe',
    'ws',
    'web',
    'mode',
    'http',
    'tcp',
    'timeout',
    'tunnel',
    'client',
    'server',
    'connect',
    '0',
    '1s',
    '30s',
    'balance',
    'leastconn',
    'source',
    'hash-type',
    'consistent',
    'use_backend',
    'default_backend',
    'if',
    '{',
    '}',
    'hdr(upgrade)',
    '-i',
    'websocket',
    'default-server',
    'check',
    'no-check',
    'slowstart',
    'on-marked-down',
    'shutdown-sessions',
    'track',
    'ws/a',
    'disabled',
    'option',
    'httpchk',
    'no',
    'bind',
    '127.0.0.1:80',
    'a',
    '127.0.0.1:1',
    'hard-stop-after',
    '#',
    '"',
    '\\',
    '.if',
    '.endif',
    '%[x]',
  ];
  const line = fc
    .tuple(fc.constantFrom('', '    ', '\t'), fc.array(fc.constantFrom(...words), { maxLength: 6 }))
    .map(([i, ws]) => i + ws.join(' '));
  const config = fc.array(line, { maxLength: 40 }).map((ls) => ls.join('\n'));

  it('never throws, never reports an internal failure, and every fix applies and converges', () => {
    fc.assert(
      fc.property(config, (text) => {
        const findings = analyzeText('haproxy', text);
        assert.deepEqual(
          findings.filter((f) => f.code === 'wslb/internal').map((f) => f.message),
          [],
        );
        fixUntilStable('haproxy', text, (f) => IDS.has(f.code));
      }),
      { numRuns: 300 },
    );
  });
});
