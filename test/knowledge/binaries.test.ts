/**
 * The knowledge bases checked against the real binaries of Debian 12 (nginx 1.22.1 with the
 * stream and mail modules, HAProxy 2.6.12), installed by .ci/run. Every directive the nginx KB
 * says exists in 1.22.1 (in the Debian build) must be known to `nginx -t` in the context the KB
 * gives; every directive the KB calls too new or NGINX Plus only must be unknown to it. Likewise
 * for HAProxy keywords with `haproxy -c`. Each probe is one small config file; nothing listens.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEBIAN_12,
  DEBIAN_12_HAPROXY_MISSING,
  commandExistsIn,
  haproxyGlobalKeyword,
  haproxyGlobalKeywordNames,
  haproxyProxyKeywords,
  haproxyServerOptions,
  haproxyBindOptions,
  DEBIAN_12_HAPROXY_MISSING_BIND,
  isStrictFlag,
  nginxCommands,
  nginxDocs,
  variantAt,
  type NginxBlockType,
  type NginxCommand,
} from '../../server/src/service/knowledge';
import { inContext } from '../helpers/nginx-contexts';
import commandsJson from '../../server/src/service/knowledge/generated/nginx-commands.json';
import { binary, need } from '../helpers/needs';

const VERSION = '1.22.1';

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20000, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (err && (err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new Error(`${cmd} is not installed (.ci/run installs it)`);
      resolve(String(stdout) + String(stderr));
    });
  });
}

/** Run `probe` over `items` with a few at a time; collect the failures it returns. */
async function pool<T>(
  items: T[],
  width: number,
  probe: (x: T, i: number) => Promise<string | null>,
): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        const f = await probe(items[i], i);
        if (f) failures.push(f);
      }
    }),
  );
  return failures.sort();
}

/** A config that puts `line` in a block of type `t`. */
function nginxConfig(dir: string, t: NginxBlockType, line: string): string {
  return [
    'load_module /usr/lib/nginx/modules/ngx_stream_module.so;',
    'load_module /usr/lib/nginx/modules/ngx_mail_module.so;',
    `pid ${join(dir, 'nginx.pid')};`,
    t === 'EVENT' ? '' : 'events { }',
    inContext(t, line),
    '',
  ].join('\n');
}

describe('knowledge: checked against the real binaries', function () {
  this.timeout(300000);
  let dir = '';
  before(function () {
    need(this, 'nginx', 'haproxy');
    dir = mkdtempSync(join(tmpdir(), 'wslb-kb-bin-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function nginxSays(t: NginxBlockType, line: string, i: number): Promise<string> {
    const file = join(dir, `n${i}.conf`);
    writeFileSync(file, nginxConfig(dir, t, line));
    return run(binary('nginx'), ['-t', '-q', '-c', file, '-p', dir + '/', '-e', 'stderr']);
  }

  it('nginx 1.22.1 knows every directive the KB places in the Debian build, in the context the KB gives', async () => {
    const all = (commandsJson as unknown as { directives: NginxCommand[] }).directives;
    const present = all.filter(
      (c) => commandExistsIn(c, VERSION) && !DEBIAN_12.missing.has(c.module) && c.family !== 'any',
    );
    assert.ok(present.length > 600, `only ${present.length} directives`);
    present.push(...((DEBIAN_12.backports ?? []) as NginxCommand[]));
    const failures = await pool(present, 4, async (c, i) => {
      const v = variantAt(c, VERSION);
      const t = (v.contexts.find((x) => x !== 'ANY') ?? 'MAIN') as NginxBlockType;
      const out = await nginxSays(t, v.block ? `${c.name} {}` : `${c.name};`, i);
      if (out.includes(`unknown directive "${c.name}"`) || out.includes(`"${c.name}" directive is not allowed here`)) {
        return `${c.family} ${c.name} in ${t}: ${out.trim().split('\n')[0]}`;
      }
      return null;
    });
    assert.deepEqual(failures, []);
  });

  it('nginx 1.22.1 refuses any value but on/off for every directive the KB calls a flag', async () => {
    const all = (commandsJson as unknown as { directives: NginxCommand[] }).directives;
    const flags = all.filter(
      (c) => commandExistsIn(c, VERSION) && !DEBIAN_12.missing.has(c.module) && isStrictFlag(c, VERSION),
    );
    assert.ok(flags.length > 100, `only ${flags.length} flags`);
    const failures = await pool(flags, 4, async (c, i) => {
      const t = variantAt(c, VERSION).contexts[0] as NginxBlockType;
      const out = await nginxSays(t, `${c.name} maybe;`, 5000 + i);
      return out.includes(`invalid value "maybe" in "${c.name}" directive, it must be "on" or "off"`)
        ? null
        : `${c.name}: ${out.trim().split('\n')[0]}`;
    });
    assert.deepEqual(failures, []);
  });

  it('nginx 1.22.1 takes proxy_http_version 1.0 and 1.1, but not 2 (a 1.29.4 value)', async () => {
    const [v10, v11, v2] = await Promise.all(
      ['1.0', '1.1', '2'].map((v, k) => nginxSays('HTTP_LOC', `proxy_http_version ${v};`, 9000 + k)),
    );
    assert.ok(!/emerg/.test(v10) && !/emerg/.test(v11), v10 + v11);
    assert.match(v2, /invalid value "2"/);
  });

  it('nginx 1.22.1 does not know the directives the KB calls too new or NGINX Plus only', async () => {
    const names = new Set<string>();
    for (const c of (commandsJson as unknown as { directives: NginxCommand[] }).directives) {
      const same = nginxCommands(c.name);
      const backported = (DEBIAN_12.backports ?? []).some((b) => b.name === c.name);
      if (same.every((x) => !commandExistsIn(x, VERSION)) && !backported) names.add(c.name);
    }
    const newer = [...names].filter((n) =>
      nginxCommands(n).some((c) => c.since.localeCompare(VERSION, undefined, { numeric: true }) > 0),
    );
    const plus = [
      'health_check',
      'sticky_cookie_insert',
      'keyval_zone',
      'api',
      'zone_sync',
      'auth_jwt',
      'status_zone',
      'hls',
      'f4f',
    ].filter((n) => nginxDocs(n).length > 0 && nginxCommands(n).every((c) => !commandExistsIn(c, VERSION)));
    assert.ok(newer.includes('http2') && newer.length > 40, `too-new list looks wrong: ${newer.length}`);
    const failures = await pool([...newer, ...plus], 4, async (name, i) => {
      const out = await nginxSays('HTTP_LOC', `${name};`, 10000 + i);
      return out.includes(`unknown directive "${name}"`) ? null : `${name}: ${out.trim().split('\n')[0]}`;
    });
    assert.deepEqual(failures, []);
  });

  async function haproxySays(text: string, i: number): Promise<string> {
    const file = join(dir, `h${i}.cfg`);
    writeFileSync(file, text);
    return run(binary('haproxy'), ['-c', '-f', file]);
  }

  /**
   * HAProxy reports every bad line of a file (it gives up after a few dozen alerts), so one run
   * checks a batch of keywords: `header` then one keyword per line; returns each keyword's alerts.
   */
  async function haproxyAlerts(header: string, keywords: string[]): Promise<string[]> {
    const batches: string[][] = [];
    for (let k = 0; k < keywords.length; k += 8) batches.push(keywords.slice(k, k + 8));
    const result: string[] = new Array<string>(keywords.length).fill('');
    await pool(batches, 4, async (batch, b) => {
      const out = await haproxySays([header, ...batch.map((n) => `    ${n}`)].join('\n') + '\n', b);
      for (const m of out.matchAll(/\[[^\]]*?:(\d+)\]\s*:?\s*(.*)/g)) {
        const line = Number(m[1]);
        if (line >= 2) result[b * 8 + line - 2] += m[2] + '\n';
      }
      return null;
    });
    return result;
  }

  it('HAProxy 2.6 knows every documented global keyword, except those the Debian build lacks', async () => {
    const names = haproxyGlobalKeywordNames().filter((n) => haproxyGlobalKeyword(n) || !n.includes(' '));
    assert.ok(names.length > 150);
    const alerts = await haproxyAlerts('global', names);
    const failures: string[] = [];
    names.forEach((name, k) => {
      const unknown = /unknown keyword/.test(alerts[k]);
      if (DEBIAN_12_HAPROXY_MISSING.has(name)) {
        if (!unknown) failures.push(`${name}: expected unknown in the Debian build`);
      } else if (unknown) failures.push(`${name}: ${alerts[k]}`);
    });
    assert.deepEqual(failures, []);
  });

  it('HAProxy 2.6 knows every proxy keyword of the 4.1 matrix, and refuses misspelt ones', async () => {
    const rows = haproxyProxyKeywords();
    const alerts = await haproxyAlerts('listen l', [
      ...rows.map((r) => r.name),
      'option notreal',
      'timeoutt client 1s',
    ]);
    const failures: string[] = [];
    rows.forEach((row, k) => {
      if (/unknown keyword|unknown option|'timeout' supports/.test(alerts[k]))
        failures.push(`${row.name}: ${alerts[k]}`);
    });
    assert.deepEqual(failures, []);
    assert.match(alerts[rows.length], /unknown option 'notreal'/);
    assert.match(alerts[rows.length + 1], /unknown keyword 'timeoutt'/);
  });

  it('HAProxy 2.6 knows every documented server and bind option (QUIC ones aside in the Debian build)', async () => {
    const server = haproxyServerOptions().map((o) => o.name);
    const bind = haproxyBindOptions()
      .map((o) => o.name)
      .filter((n) => !n.includes(' '));
    assert.ok(server.length > 80 && bind.length > 50);
    const sAlerts = await haproxyAlerts(
      'backend b',
      server.map((n, k) => `server s${k} 127.0.0.1:80 ${n}`),
    );
    const bAlerts = await haproxyAlerts(
      'frontend f',
      bind.map((n) => `bind 127.0.0.1:8443 ${n}`),
    );
    const failures: string[] = [];
    server.forEach((n, k) => {
      if (/unknown keyword/.test(sAlerts[k])) failures.push(`server ${n}: ${sAlerts[k]}`);
    });
    bind.forEach((n, k) => {
      const unknown = /unknown keyword/.test(bAlerts[k]);
      if (DEBIAN_12_HAPROXY_MISSING_BIND.has(n) ? !unknown : unknown)
        failures.push(`bind ${n}: ${bAlerts[k] || 'known'}`);
    });
    assert.deepEqual(failures, []);
    const bad = await haproxyAlerts('backend b', [
      'server s 127.0.0.1:80 wieght 3',
      'server t 127.0.0.1:80 no-verifyhost',
    ]);
    assert.match(bad[0], /unknown keyword 'wieght'/);
    assert.match(bad[1], /unknown keyword 'no-verifyhost'/);
  });
});
