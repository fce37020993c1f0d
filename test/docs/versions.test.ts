/**
 * Hover and completion per target version (issue 22): the same text hovered / completed for HAProxy
 * 2.6 and 3.2, nginx 1.22.1 and 1.30.0; each entry names the version its fact holds for and what
 * changes in the other known versions, within the hover budget.
 */
import assert from 'node:assert/strict';
import { HOVER_BUDGET } from '../../server/src/service/features/hover';
import {
  haproxyCompletionTable,
  haproxyCompletions,
  haproxySectionsFor,
} from '../../server/src/service/features/completion';
import { parseHaproxy } from '../../server/src/service/syntax/haproxy';
import { at, hoverHaproxy, hoverNginx } from './util';

const HAP = [
  'crt-store web',
  '    crt-base /etc/ssl/certs',
  'program api',
  '    command /usr/bin/api',
  'defaults',
  '    mode http',
  '    timeout client-hs 5s',
  '    timeout tunnel 1h',
  'backend b',
  '    hash-preserve-affinity always',
  '    server s 127.0.0.1:80 init-state up',
  '',
].join('\n');

function hover(text: string, needle: string, version: string, withFindings = true): string {
  const r = hoverHaproxy(text, at(text, needle), { haproxyVersion: version }, undefined, withFindings);
  const m = r?.markdown ?? '';
  assert.ok(m.length <= HOVER_BUDGET, `${needle} (${version}): ${m.length} characters:\n${m}`);
  return m;
}

describe('hover: HAProxy facts per target version', () => {
  it('a 3.x section header is described from the target table, with the version it was added in', () => {
    const m = hover(HAP, 'crt-store', '3.2');
    assert.match(m, /\*\*`crt-store`\*\* — HAProxy 3\.2 section · `crt-store \[<name>\]`/);
    assert.match(m, /In HAProxy 3\.0 to 3\.4 \(added in 3\.0\)/);
    assert.match(
      m,
      /\[HAProxy 3\.2 manual, 12\.7\]\(https:\/\/docs\.haproxy\.org\/3\.2\/configuration\.html#12\.7-crt-store\)/,
    );
    // 2.6 has no such section: the finding says so, and no 3.2 entry is shown as if 2.6 had it
    const old = hover(HAP, 'crt-store', '2.6');
    assert.match(old, /`haproxy\/keyword-too-new`: section `crt-store` is not in HAProxy 2\.6/);
    assert.doesNotMatch(old, /HAProxy 2\.6 section/);
  });

  it('a keyword of a 3.x section names the version and when it appeared', () => {
    const m = hover(HAP, 'crt-base', '3.2');
    assert.match(m, /\*\*`crt-base`\*\* — HAProxy 3\.2 keyword/);
    assert.match(m, /added in 3\.0/);
  });

  it('a proxy keyword: named for the target version; for 2.6 (findings off) it says which versions have it', () => {
    const m = hover(HAP, 'timeout client-hs', '3.2');
    assert.match(m, /\*\*`timeout client-hs`\*\* — HAProxy 3\.2 keyword/);
    assert.match(m, /In HAProxy 3\.0 to 3\.4 \(added in 3\.0\)/);
    const old = hover(HAP, 'client-hs', '2.6', false);
    assert.match(old, /\*\*`timeout client-hs`\*\* — not in HAProxy 2\.6: known in HAProxy 3\.0 to 3\.4/);
    assert.match(old, /\[HAProxy 3\.4 manual, 4\.2\]/);
    // an argument of the unknown keyword gets nothing
    assert.equal(hoverHaproxy(HAP, at(HAP, '5s'), { haproxyVersion: '2.6' }, undefined, false), null);
    // with the finding on, the finding says it and the hover does not repeat it
    const withFinding = hover(HAP, 'client-hs', '2.6');
    assert.match(withFinding, /keyword-too-new/);
    assert.doesNotMatch(withFinding, /known in HAProxy 3\.0/);
  });

  it('a server option unknown to the target says where it is known', () => {
    const m = hover(HAP, 'init-state', '2.8', false);
    assert.match(m, /\*\*`init-state`\*\* — not in HAProxy 2\.8: known in HAProxy 3\.2 to 3\.4/);
    assert.match(hover(HAP, 'init-state', '3.2'), /HAProxy 3\.2 server option[^]*added in 3\.2/);
  });

  it('a section a newer known version removed says so (program: gone in 3.4)', () => {
    const m = hover(HAP, 'program', '3.2');
    assert.match(m, /\*\*`program`\*\* — HAProxy 3\.2 section/);
    assert.match(m, /In HAProxy 2\.6 to 3\.2 \(removed in 3\.4, newer than this target\)/);
    assert.match(hover(HAP, 'program', '3.4', false), /not in HAProxy 3\.4: known in HAProxy 2\.6 to 3\.2/);
  });

  it("the file's `# wslb: haproxy` comment picks the version named", () => {
    const c = '# wslb: haproxy 3.0\n' + HAP;
    assert.match(hover(c, 'crt-store', '2.6'), /HAProxy 3\.0 section/);
  });
});

describe('hover: nginx facts per target version', () => {
  const NG = '/etc/nginx/nginx.conf';
  const conf = [
    'events {}',
    'http {',
    '  server {',
    '    listen 80;',
    '    location / {',
    '      proxy_pass http://127.0.0.1:8080;',
    '      proxy_http_version 1.1;',
    '      proxy_pass_trailers on;',
    '      proxy_read_timeout 60s;',
    '    }',
    '  }',
    '}',
    '',
  ].join('\n');
  const h = (text: string, needle: string, version?: string) => {
    const r = hoverNginx({ [NG]: text }, NG, NG, at(text, needle), version ? { nginxVersion: version } : {});
    const m = r?.markdown ?? '';
    assert.ok(m.length <= HOVER_BUDGET, `${needle}: ${m.length} characters`);
    return m;
  };

  it('a default that changed is named with the change, both sides of 1.29.7', () => {
    assert.match(
      h(conf, 'proxy_http_version', '1.22.1'),
      /default \(nginx 1\.22\.1\): `proxy_http_version 1\.0;` \(`1\.1` from 1\.29\.7\)/,
    );
    assert.match(
      h(conf, 'proxy_http_version', '1.30.0'),
      /default \(nginx 1\.30\.0\): `proxy_http_version 1\.1;` \(`1\.0` before 1\.29\.7\)/,
    );
    // a default that never changed has no such note
    assert.match(h(conf, 'proxy_read_timeout', '1.30.0'), /default \(nginx 1\.30\.0\): `proxy_read_timeout 60s;` ·/);
  });

  it('a directive younger than the oldest offered release says since when', () => {
    assert.match(h(conf, 'proxy_pass_trailers', '1.30.0'), /ngx_http_proxy_module · since nginx 1\.27\.2 · default/);
    // too new for the target: the warning says it (once)
    const old = h(conf, 'proxy_pass_trailers', '1.22.1');
    assert.match(old, /needs nginx 1\.27\.2; target is 1\.22\.1/);
    assert.doesNotMatch(old, /since nginx 1\.27\.2/);
    // directives as old as the oldest offered release: no "since"
    assert.doesNotMatch(h(conf, 'proxy_read_timeout', '1.30.0'), /since nginx/);
  });

  it("the root file's `# wslb: nginx` comment picks the version named", () => {
    const c = '# wslb: nginx 1.30.0\n' + conf;
    assert.match(h(c, 'proxy_http_version'), /default \(nginx 1\.30\.0\): `proxy_http_version 1\.1;`/);
  });
});

describe('completion: HAProxy keywords per target version', () => {
  const labels = (text: string, offset: number, version: string) =>
    haproxyCompletions(
      null,
      parseHaproxy(text),
      offset,
      haproxyCompletionTable(text, { haproxyVersion: version }),
    ).items.map((i) => i.label);

  it('offers the sections the target knows', () => {
    const text = 'global\n';
    const v26 = labels(text, text.length, '2.6');
    const v32 = labels(text, text.length, '3.2');
    const v34 = labels(text, text.length, '3.4');
    for (const l of [v26, v32, v34])
      for (const s of ['global', 'defaults', 'frontend', 'backend', 'listen']) assert.ok(l.includes(s), s);
    assert.ok(!v26.includes('crt-store') && v32.includes('crt-store'));
    assert.ok(!v26.includes('log-profile') && v32.includes('log-profile'));
    assert.ok(v32.includes('program') && !v34.includes('program'));
    // sections no table documents stay offered
    assert.ok(haproxySectionsFor().includes('namespace_list'));
  });

  it('offers the keywords, sub-keywords and server options the target knows', () => {
    const kw = 'defaults\n    mode http\nbackend b\n    ';
    assert.ok(labels(kw, kw.length, '3.2').includes('hash-preserve-affinity'));
    assert.ok(!labels(kw, kw.length, '2.6').includes('hash-preserve-affinity'));
    const sub = 'defaults\n    timeout ';
    assert.ok(labels(sub, sub.length, '3.2').includes('client-hs'));
    assert.ok(!labels(sub, sub.length, '2.6').includes('client-hs'));
    assert.ok(labels(sub, sub.length, '2.6').includes('tunnel'));
    const srv = 'backend b\n    server s 127.0.0.1:80 ';
    assert.ok(labels(srv, srv.length, '3.2').includes('init-state'));
    assert.ok(!labels(srv, srv.length, '2.6').includes('init-state'));
    // the documentation names the version's manual
    const items = haproxyCompletions(
      null,
      parseHaproxy(srv),
      srv.length,
      haproxyCompletionTable(srv, { haproxyVersion: '3.2' }),
    ).items;
    assert.match(items.find((i) => i.label === 'init-state')!.documentation!, /HAProxy 3\.2 manual/);
  });

  it("the file's `# wslb: haproxy` comment picks the table", () => {
    const text = '# wslb: haproxy 3.2\ndefaults\n    timeout ';
    assert.ok(labels(text, text.length, '2.6').includes('client-hs'));
  });
});
