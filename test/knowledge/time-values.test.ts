/**
 * Time values nginx and HAProxy refuse get the finding the binary gives (issue 23,
 * reliability-probe.md F7): nginx's ngx_parse_time ("invalid value") and HAProxy's parse_time_err
 * ("timer overflow", "unexpected character"). The expectations below were read from nginx 1.22.1
 * and HAProxy 2.6.12; the last two cases ask the binaries again when they are installed.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeText } from '../helpers/analyze';
import { binary, need } from '../helpers/needs';
import { haproxyTimeError, nginxParseTime } from '../../server/src/service/model/units';

/** nginx: value → accepted for a millisecond directive (proxy_read_timeout)? */
const NGINX_MSEC: [string, boolean][] = [
  ['60s', true],
  ['1h30m', true],
  ['1h 30m', true],
  ['500ms', true],
  ['106751991167d', true],
  ['9223372036854775s', true],
  ['9223372036854775807ms', true],
  ['99999999999999999999d', false],
  ['9223372036854776s', false],
  ['9223372036854775808ms', false],
  ['-5s', false],
  ['1e309s', false],
  ['1M', false],
  ['1y', false],
  ['30s1m', false],
  ['5s5s', false],
  ['', false],
];

/** HAProxy: `timeout client <value>` → refused? */
const HAPROXY: [string, boolean][] = [
  ['24d', false],
  ['2147483647', false],
  ['2147483647ms', false],
  ['596h', false],
  ['10us', false],
  ['0', false],
  // 2^64 wraps to 0 in HAProxy's unsigned 64-bit accumulator, which it then accepts.
  ['18446744073709551616', false],
  ['99999999999999999999d', true],
  ['25d', true],
  ['597h', true],
  ['2147483648', true],
  ['4294967296', true],
  ['1e400', true],
  ['-5s', true],
];

describe('time values nginx and HAProxy refuse', function () {
  this.timeout(120_000);

  it('nginx: ngx_parse_time as ported accepts and refuses what nginx does', () => {
    for (const [v, ok] of NGINX_MSEC) assert.equal(nginxParseTime(v, false) !== undefined, ok, v);
    // In seconds (ssl_session_timeout): y and M are allowed, ms is not.
    assert.equal(nginxParseTime('1y', true), 365n * 86400n);
    assert.equal(nginxParseTime('10ms', true), undefined);
    assert.equal(nginxParseTime('1h30m', false), 5_400_000n);
  });

  it('nginx: a refused time is an invalid-value error at the value', () => {
    const conf = (v: string) => `http {\n  server {\n    location / {\n      proxy_read_timeout ${v};\n    }\n  }\n}\n`;
    for (const v of ['99999999999999999999d', '-5s', '1e309s']) {
      const f = analyzeText('nginx', conf(v)).filter((x) => x.code === 'nginx/invalid-value');
      assert.equal(f.length, 1, v);
      assert.deepEqual(f[0].range.start, { line: 3, character: 25 });
      assert.match(f[0].message, /nginx refuses .* as the time of `proxy_read_timeout` \("invalid value"\)/);
    }
    assert.ok(!analyzeText('nginx', conf('3600s')).some((x) => x.code === 'nginx/invalid-value'));
    // keepalive_timeout: milliseconds, then seconds for the header.
    const ka = analyzeText('nginx', 'http {\n  keepalive_timeout 75s 1y;\n  keepalive_timeout 1y;\n}\n');
    assert.deepEqual(
      ka.filter((x) => x.code === 'nginx/invalid-value').map((x) => x.range.start),
      [{ line: 2, character: 20 }],
    );
  });

  it('HAProxy: parse_time_err as ported refuses what HAProxy does', () => {
    for (const [v, refused] of HAPROXY) assert.equal(haproxyTimeError(v) !== undefined, refused, v);
  });

  it("HAProxy: timer overflow and a bad character are errors with HAProxy's words", () => {
    const cfg =
      'defaults\n    mode http\n    timeout connect 5s\n    timeout client 99999999999999999999d\n' +
      '    timeout server 30s\n    timeout tunnel 1e400\n';
    const f = analyzeText('haproxy', cfg).filter((x) => x.code === 'haproxy/invalid-value');
    assert.deepEqual(
      f.map((x) => [x.range.start.line, x.message.replace(/:.*/, '')]),
      [
        [
          3,
          "timer overflow in argument '99999999999999999999d' to 'timeout client' (maximum value is 2147483647 ms or ~24.8 days)",
        ],
        [5, "unexpected character 'e' in 'timeout tunnel'"],
      ],
    );
  });

  it('the real nginx refuses exactly the values wslb reports', function () {
    need(this, 'nginx');
    const dir = mkdtempSync(join(tmpdir(), 'wslb-times-'));
    try {
      for (const [v, ok] of NGINX_MSEC.filter(([x]) => x !== '')) {
        const conf = join(dir, 'n.conf');
        writeFileSync(
          conf,
          `pid ${dir}/pid;\nerror_log ${dir}/err;\nevents {}\nhttp {\n  access_log off;\n  proxy_temp_path ${dir};\n` +
            `  client_body_temp_path ${dir};\n  fastcgi_temp_path ${dir};\n  uwsgi_temp_path ${dir};\n  scgi_temp_path ${dir};\n` +
            `  proxy_read_timeout "${v}";\n}\n`,
        );
        const r = spawnSync(binary('nginx'), ['-t', '-c', conf], { encoding: 'utf8', timeout: 20_000 });
        assert.equal(!/invalid value/.test(r.stderr), ok, `${v}: ${r.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the real HAProxy refuses exactly the values wslb reports', function () {
    need(this, 'haproxy');
    const dir = mkdtempSync(join(tmpdir(), 'wslb-times-'));
    try {
      for (const [v, refused] of HAPROXY) {
        const cfg = join(dir, 'h.cfg');
        writeFileSync(
          cfg,
          `defaults\n    mode http\n    timeout connect 5s\n    timeout client ${v}\n    timeout server 5s\n` +
            'frontend f\n    bind 127.0.0.1:18080\n    default_backend b\nbackend b\n    server s 127.0.0.1:1\n',
        );
        const r = spawnSync(binary('haproxy'), ['-c', '-f', cfg], { encoding: 'utf8', timeout: 20_000 });
        assert.equal(/ALERT/.test(r.stdout + r.stderr), refused, `${v}: ${r.stdout}${r.stderr}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
