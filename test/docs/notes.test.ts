/**
 * One source of truth: every WebSocket-relevant directive/keyword named in issue 6 and every rule of
 * the registry has a note / long text whose source section is a real `## ` heading of the source
 * material, and the defaults the notes state agree with the knowledge base.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { allWsNotes, wsNote } from '../../server/src/service/docs/ws-notes';
import { SOURCE_SECTIONS, sourcePointer } from '../../server/src/service/docs/sections';
import { explainRule, ruleExplanationMarkdown } from '../../server/src/service/docs/explain';
import { ALL_RULES } from '../../server/src/service/rules';
import { longDocs } from '../../server/src/service/rules/long-docs';
import { nginxDefault } from '../../server/src/service/knowledge/nginx-facts';
import { describeHaproxyKeyword, describeNginxDirective } from '../../server/src/service/knowledge/describe';
import { need, sharedPath } from '../helpers/needs';

const SOURCE = sharedPath('source-material.md');

function headings(): Set<string> {
  if (!existsSync(SOURCE))
    throw new Error(
      `source material not found at ${SOURCE} (expected ../shared/source-material.md beside the repository)`,
    );
  const out = new Set<string>();
  for (const line of readFileSync(SOURCE, 'utf8').split(/\r?\n/))
    if (line.startsWith('## ')) out.add(line.slice(3).trim());
  return out;
}

const NGINX_REQUIRED = [
  'proxy_http_version',
  'proxy_set_header',
  'proxy_read_timeout',
  'proxy_send_timeout',
  'proxy_connect_timeout',
  'proxy_buffering',
  'proxy_pass',
  'map',
  'upstream',
  'least_conn',
  'ip_hash',
  'hash',
  'random',
  'keepalive',
  'zone',
  'server',
  'server:weight',
  'server:max_fails',
  'server:fail_timeout',
  'server:backup',
  'server:down',
  'server:max_conns',
  'worker_connections',
  'worker_rlimit_nofile',
  'worker_shutdown_timeout',
];
const HAPROXY_REQUIRED = [
  'mode',
  'balance',
  'balance roundrobin',
  'balance static-rr',
  'balance leastconn',
  'balance first',
  'balance source',
  'balance uri',
  'balance url_param',
  'balance hdr',
  'balance random',
  'balance rdp-cookie',
  'hash-type',
  'timeout tunnel',
  'timeout client',
  'timeout server',
  'timeout connect',
  'timeout client-fin',
  'timeout server-fin',
  'timeout http-keep-alive',
  'option httpchk',
  'http-check',
  'server:check',
  'server:slowstart',
  'server:weight',
  'server:maxconn',
  'server:backup',
  'server:on-marked-down',
  'hard-stop-after',
  'close-spread-time',
  'option http-server-close',
  'option forwardfor',
  'stick-table',
  'stick on',
  'cookie',
  'default-server',
];

describe('WebSocket notes and rule docs: one source of truth', () => {
  it('the source material has the sections the docs point to', function () {
    need(this, 'shared');
    const titles = headings();
    for (const s of SOURCE_SECTIONS) assert.ok(titles.has(s), `"${s}" is not a "## " heading of ${SOURCE}`);
  });

  it('every required nginx directive / parameter has a note', () => {
    for (const k of NGINX_REQUIRED) assert.ok(wsNote('nginx', k), `no WebSocket note for nginx "${k}"`);
  });

  it('every required HAProxy keyword / algorithm / server option has a note', () => {
    for (const k of HAPROXY_REQUIRED) assert.ok(wsNote('haproxy', k), `no WebSocket note for HAProxy "${k}"`);
  });

  it('every note has substance and a source section that exists verbatim in the source material', function () {
    need(this, 'shared');
    const titles = headings();
    const seen = new Set<string>();
    for (const n of allWsNotes()) {
      const id = `${n.system} ${n.key}`;
      assert.ok(!seen.has(id), `duplicate note ${id}`);
      seen.add(id);
      assert.ok(n.text.length >= 80, `${id}: note too short`);
      assert.ok(titles.has(n.section), `${id}: section "${n.section}" not found in the source material`);
      assert.equal(sourcePointer(n.section), `From the guide *Load balancing WebSocket*, section “${n.section}”`);
    }
  });

  it('every note names something the knowledge base knows', () => {
    for (const n of allWsNotes()) {
      if (n.system === 'nginx') {
        const name = n.key.startsWith('server:') ? 'server' : n.key;
        assert.ok(
          describeNginxDirective(name, { version: '1.22.1' }),
          `nginx note "${n.key}": the KB does not know ${name}`,
        );
        continue;
      }
      let d;
      if (n.key.startsWith('server:'))
        d = describeHaproxyKeyword(['server', 's', '127.0.0.1:80'], 'backend', n.key.slice(7));
      else if (n.key.startsWith('balance ')) d = describeHaproxyKeyword(['balance'], 'backend');
      else if (['hard-stop-after', 'close-spread-time'].includes(n.key)) d = describeHaproxyKeyword([n.key], 'global');
      else if (n.key === 'http-check') d = describeHaproxyKeyword(['http-check', 'expect'], 'backend');
      else
        d = describeHaproxyKeyword(n.key.split(' '), 'backend') ?? describeHaproxyKeyword(n.key.split(' '), 'frontend');
      assert.ok(d, `HAProxy note "${n.key}": the KB does not know it`);
      if (!n.key.startsWith('balance ')) {
        const want = n.key.startsWith('server:') ? n.key.slice(7) : n.key;
        assert.ok(d.name === want || d.name.startsWith(want + ' '), `HAProxy note "${n.key}" resolves to ${d.name}`);
      }
    }
  });

  it('the defaults a note states agree with the knowledge base for that version', () => {
    let checked = 0;
    for (const n of allWsNotes()) {
      // a note that says "default" for an nginx directive must declare which, so it can be checked
      if (
        n.system === 'nginx' &&
        !n.key.startsWith('server') &&
        /\bdefault\b/i.test(n.text) &&
        /default (is )?`/.test(n.text)
      ) {
        assert.ok(n.defaults?.length, `nginx note "${n.key}" states a default but declares none to check`);
      }
      for (const d of n.defaults ?? []) {
        const kb = nginxDefault(n.key, d.version, d.family ?? 'http');
        assert.equal(
          kb?.value,
          d.value,
          `note "${n.key}" says the default in nginx ${d.version} is ${d.value}; the KB says ${kb?.value}`,
        );
        assert.ok(
          n.text.includes(`\`${d.value}\``),
          `note "${n.key}" declares default ${d.value} but its text does not state it`,
        );
        checked++;
      }
    }
    assert.ok(checked >= 7, `only ${checked} default claims checked`);
  });

  it('proxy_http_version: the note gives both version-dependent defaults, as the KB has them', () => {
    assert.equal(nginxDefault('proxy_http_version', '1.22.1')?.value, '1.0');
    assert.equal(nginxDefault('proxy_http_version', '1.29.7')?.value, '1.1');
    const note = wsNote('nginx', 'proxy_http_version')!;
    assert.match(note.text, /`1\.0` up to nginx 1\.29\.6 and `1\.1` from 1\.29\.7/);
  });

  it('the proxy_buffering note corrects the source material with the live finding', () => {
    const text = wsNote('nginx', 'proxy_buffering')!.text;
    assert.match(text, /does not/);
    assert.match(text, /proxy_buffer_size/);
  });

  it('every rule has long docs, a real source section, and the same text in `wslb explain` and its hover', function () {
    need(this, 'shared');
    const titles = headings();
    assert.ok(ALL_RULES.length > 0);
    for (const r of ALL_RULES) {
      const d = r.meta.docs;
      const long = longDocs(r.meta);
      assert.ok(long.length >= 80, `${r.meta.id}: long text too short`);
      assert.ok(titles.has(d.section), `${r.meta.id}: section "${d.section}" not found in the source material`);
      const cli = explainRule(r.meta.id)!;
      const md = ruleExplanationMarkdown(r.meta.id)!;
      for (const [s, markdown] of [
        [cli, false],
        [md, true],
      ] as const) {
        assert.ok(s.includes(long), `${r.meta.id}: long text missing`);
        assert.ok(s.includes(sourcePointer(d.section, markdown)), `${r.meta.id}: source pointer missing`);
      }
    }
    assert.equal(explainRule('no/such-rule'), undefined);
  });
});
