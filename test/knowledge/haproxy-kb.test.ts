import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  haproxyAction,
  haproxyBindOption,
  haproxyDocUrl,
  haproxyGlobalKeyword,
  haproxyProxyKeyword,
  haproxySectionKeyword,
  haproxyServerOption,
  HAPROXY_26,
  resolveProxyKeyword,
} from '../../server/src/service/knowledge';
import { need } from '../helpers/needs';

const repo = join(__dirname, '..', '..');
const generator = join(repo, 'scripts', 'gen-haproxy-kb.mjs');
const jsonPath = join(repo, 'server', 'src', 'service', 'knowledge', 'generated', 'haproxy-2.6.json');

describe('knowledge: HAProxy 2.6 data', () => {
  it('comes from the 2.6 manual', () => {
    assert.match(HAPROXY_26.data.manualVersion, /^2\.6\.\d+$/);
  });

  it('knows where timeout tunnel, balance and friends are allowed (4.1 matrix)', () => {
    const tunnel = haproxyProxyKeyword('timeout tunnel')!;
    assert.deepEqual([tunnel.defaults, tunnel.frontend, tunnel.listen, tunnel.backend], ['yes', 'no', 'yes', 'yes']);
    assert.deepEqual(tunnel.syntax, ['<timeout>']);
    assert.deepEqual(tunnel.args, { min: 1, max: 1 });
    assert.equal(haproxyDocUrl(tunnel.anchor), 'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20tunnel');
    const balance = haproxyProxyKeyword('balance')!;
    assert.equal(balance.frontend, 'no');
    assert.equal(balance.backend, 'yes');
    const clientFin = haproxyProxyKeyword('timeout client-fin')!;
    assert.deepEqual([clientFin.frontend, clientFin.backend], ['yes', 'no']);
    const bind = haproxyProxyKeyword('bind')!;
    assert.deepEqual([bind.defaults, bind.frontend, bind.backend], ['no', 'yes', 'no']);
    assert.equal(haproxyProxyKeyword('acl')!.defaults, 'named');
    assert.equal(haproxyProxyKeyword('http-request')!.defaults, 'named');
    assert.equal(haproxyProxyKeyword('option http-server-close')!.negatable, true);
    assert.ok(haproxyProxyKeyword('stick on'));
    assert.ok(haproxyProxyKeyword('option httpchk'));
    assert.deepEqual(haproxyProxyKeyword('option httpchk')!.args, { min: 0, max: 3 });
    assert.equal(resolveProxyKeyword(['timeout', 'tunnel', '1h'])?.name, 'timeout tunnel');
    assert.equal(resolveProxyKeyword(['balance', 'roundrobin'])?.name, 'balance');
    assert.equal(resolveProxyKeyword(['frobnicate']), undefined);
  });

  it('knows global keywords, other sections, bind/server options and rule actions', () => {
    assert.equal(haproxyGlobalKeyword('hard-stop-after')?.section, '3.1');
    assert.equal(haproxyGlobalKeyword('close-spread-time')?.anchor, '3.1-close-spread-time');
    assert.ok(haproxyGlobalKeyword('tune.ssl.default-dh-param') === undefined || haproxyGlobalKeyword('maxconn'));
    assert.ok(haproxyGlobalKeyword('maxconn'));
    assert.ok(haproxySectionKeyword('resolvers', ['nameserver', 'dns1', '10.0.0.1:53']));
    assert.ok(haproxySectionKeyword('peers', ['peer', 'a', '10.0.0.1:1024']));
    assert.ok(haproxySectionKeyword('userlist', ['user', 'bob']));
    assert.ok(haproxySectionKeyword('cache', ['total-max-size', '4']));
    assert.ok(haproxySectionKeyword('ring', ['timeout', 'connect', '5s']));
    assert.equal(haproxySectionKeyword('cache', ['bind', ':80']), undefined);
    assert.deepEqual(haproxyServerOption('slowstart')?.args, { min: 1, max: 1 });
    assert.ok(haproxyServerOption('check') && haproxyServerOption('on-marked-down') && haproxyServerOption('weight'));
    assert.ok(haproxyBindOption('ssl') && haproxyBindOption('crt'));
    assert.ok(haproxyAction('http-request', 'set-header') && haproxyAction('http-request', 'deny'));
    assert.ok(haproxyAction('http-response', 'del-header'));
    assert.equal(haproxyAction('http-request', 'frobnicate'), undefined);
  });

  it('keeps facts, not the manual prose: every syntax line is one short line', () => {
    const data = JSON.parse(readFileSync(jsonPath, 'utf8')) as unknown;
    const lines: string[] = [];
    const visit = (x: unknown) => {
      if (Array.isArray(x)) x.forEach(visit);
      else if (x && typeof x === 'object')
        for (const [k, v] of Object.entries(x)) {
          if (k === 'syntax') lines.push(...(v as string[]));
          else visit(v);
        }
    };
    visit(data);
    assert.ok(lines.length > 300);
    for (const l of lines) {
      assert.ok(!l.includes('\n'), l);
      assert.ok(l.length <= 400, l);
    }
  });

  it('the committed JSON is what the generator makes from the manual (--check)', function () {
    need(this, 'haproxy-doc');
    this.timeout(60000);
    const r = spawnSync(process.execPath, [generator, '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /up to date/);
  });

  it('--check fails when the committed JSON differs, and the generator explains a missing manual', function () {
    need(this, 'haproxy-doc');
    this.timeout(60000);
    // Run a copy of the generator from a scratch tree whose JSON was altered.
    const dir = mkdtempSync(join(tmpdir(), 'wslb-kb-'));
    try {
      const scripts = join(dir, 'scripts');
      const gen = join(dir, 'server', 'src', 'service', 'knowledge', 'generated');
      spawnSync('mkdir', ['-p', scripts, gen]);
      copyFileSync(generator, join(scripts, 'gen-haproxy-kb.mjs'));
      copyFileSync(join(repo, 'scripts', 'haproxy-arg-shape.mjs'), join(scripts, 'haproxy-arg-shape.mjs'));
      writeFileSync(
        join(gen, 'haproxy-2.6.json'),
        readFileSync(jsonPath, 'utf8').replace('"timeout tunnel"', '"timeout tunnle"'),
      );
      const r = spawnSync(process.execPath, [join(scripts, 'gen-haproxy-kb.mjs'), '--check'], { encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /differs/);
      const missing = spawnSync(
        process.execPath,
        [join(scripts, 'gen-haproxy-kb.mjs'), '--check', '--manual', join(dir, 'nope.html')],
        { encoding: 'utf8' },
      );
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /haproxy-doc/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
