/**
 * The HAProxy model answers the questions asked of every proxy (effective values, mode, disabled,
 * servers, timeouts, routes, ACLs, WebSocket reasons) from one reading of each section
 * (model/haproxy.ts proxyFacts()) and from answers kept per defaults section and per route line.
 * These tests compare them with a plain reading that builds every word and scans the statements
 * of the proxy and of its defaults chain for each question, as the model used to: on every corpus
 * HAProxy file (the 24k-line benchmark file among them), every fixture and example, and a text
 * made of the edge cases (conditions starting with `if`, `unless !x`, `or`/`||`, inline upgrade
 * conditions, quoted words with spaces, timeouts without a value or at 0, `disabled`/`enabled`
 * through defaults, upper-case markers).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type HaproxyConfig,
  type HaproxyProxy,
  backendReferences,
  buildHaproxyConfig,
  effectiveTimeoutMs,
  findProxy,
  haproxyEffective,
  hasWslbComment,
  proxyDisabled,
  proxyHasServers,
  proxyMode,
} from '../../server/src/service/model/haproxy';
import {
  looksLikeWebSocketName,
  looksLikeWebSocketPath,
  WS_MARKER,
  type WebSocketReason,
} from '../../server/src/service/model/websocket';
import { haproxyWebSocketBackends, haproxyWebSocketReasons } from '../../server/src/service/model/websocket-haproxy';
import {
  aclFactsOf,
  aclMatchesApiRoot,
  conventionReasons,
  HOST_FETCH,
  WS_HOST,
  webSocketCommentLine,
} from '../../server/src/service/model/websocket-haproxy-signs';
import { parseHaproxyTime } from '../../server/src/service/model/units';
import { clipWord, clipWords } from '../../server/src/service/words';
import { missingTimeouts } from '../../server/src/service/rules/haproxy/missing-timeouts';
import type { HaproxyStatement } from '../../server/src/service/syntax/haproxy';
import { CORPUS, cfgFilesUnder as filesUnder, corpusRows, needCorpus } from '../helpers/corpus';
import { generateHaproxy } from '../../scripts/bench/generate';

const ROOT = path.resolve(__dirname, '../..');

const EDGE_CASES = `global
    maxconn 10

defaults base
    mode http
    timeout client 30s
    timeout server 0
    timeout connect
    acl base_ws hdr(Upgrade) -i WebSocket
    default_backend web

defaults off from base
    disabled
    timeout tunnel 1h

defaults tcpd
    mode tcp
    timeout server 10s
    timeout tunnel 2m

frontend fe from base
    bind :80
    acl is_ws hdr(upgrade) -i websocket
    acl is_path path_beg /ws /socket.io
    acl two "path with space" hdr(Connection) -i "Upgrade now"
    acl
    use_backend if is_ws
    use_backend chat unless !is_ws or !is_path || x
    use_backend chat2 if { req.hdr(upgrade) -i websocket }
    use_backend be_%[req.hdr(host)] if is_path
    use_backend nowhere if is_ws
    default_backend web
    default_backend chat

frontend fe_off from off
    bind :81
    enabled
    use_backend web if base_ws

frontend fe_off2 from off
    bind :82
    use_backend chat if is_ws
    timeout tunnel 5s
    timeout server 5s

# WSLB: websocket
backend marked
    mode
    server a 127.0.0.1:1

backend chat
    timeout connect 0
    timeout server 1m
    server a 127.0.0.1:1
    disabled
    enabled

backend chat2 from tcpd
    server-template s 2 app:80
    timeout server 0

backend web from base
    mode health
    server w 127.0.0.1:2

listen lis from base
    bind :90
    acl up hdr_beg(upgrade) -i websocket
    acl up hdr(connection) -i upgrade
    timeout client 1d
    server l 127.0.0.1:3

listen lis_tcp from tcpd
    bind :91
    timeout client 5s
    server l 127.0.0.1:3

backend realtime_pool #\twslb: websocket
    server r 127.0.0.1:4
`;

function texts(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [
    { name: 'edge cases', text: EDGE_CASES },
    // The same with more than 16 ACLs in each proxy with routes (their routes find ACLs through a map).
    {
      name: 'edge cases, many ACLs',
      text: EDGE_CASES.replace(
        /^(frontend fe.*|listen lis.*|defaults base)$/gm,
        (h) => h + Array.from({ length: 17 }, (_, k) => `\n    acl filler_${k} path /f${k}`).join(''),
      ),
    },
    { name: 'generated (one frontend routing 300 hosts)', text: generateHaproxy(2000) },
  ];
  const rows = corpusRows('haproxy');
  if (rows.length === 0 && process.env.WSLB_REQUIRE_ALL) throw new Error(`the shared corpus is missing (${CORPUS})`);
  for (const r of rows) out.push({ name: r.path, text: fs.readFileSync(path.join(CORPUS, r.path), 'utf8') });
  for (const f of [
    ...filesUnder(path.join(ROOT, 'test/rules/fixtures/haproxy')),
    ...filesUnder(path.join(ROOT, 'test/fixtures')),
    ...filesUnder(path.join(ROOT, 'examples')),
  ]) {
    out.push({ name: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') });
  }
  return out;
}

// ------------------------------------------------------------------------------------------
// The plain reading: every word built, the statements of the chain scanned for each question.

const wordCache = new WeakMap<HaproxyStatement, string[]>();
/** The values of the words after the keyword, from the word objects. */
function words(s: HaproxyStatement): string[] {
  let w = wordCache.get(s);
  if (!w) wordCache.set(s, (w = s.args.map((a) => a.value)));
  return w;
}

function plainChain(p: HaproxyProxy): HaproxyProxy[] {
  const chain: HaproxyProxy[] = [];
  for (let c: HaproxyProxy | null = p; c && !chain.includes(c); c = c.defaults) chain.push(c);
  return chain;
}

interface PlainEffective {
  statement: HaproxyStatement;
  proxy: HaproxyProxy;
  source: 'here' | 'defaults';
  values: string[];
  negated: boolean;
}

function plainEffective(proxy: HaproxyProxy, keys: readonly string[]): PlainEffective | null {
  for (const p of plainChain(proxy)) {
    const stmts = p.section.statements;
    for (let i = stmts.length - 1; i >= 0; i--) {
      const s = stmts[i];
      const a = words(s);
      if (s.keyword === keys[0] && keys.slice(1).every((k, j) => a[j] === k)) {
        return {
          statement: s,
          proxy: p,
          source: p === proxy ? 'here' : 'defaults',
          values: a.slice(keys.length - 1),
          negated: false,
        };
      }
      if (s.keyword === 'no' && keys[0] === 'option' && a[0] === 'option' && a[1] === keys[1])
        return { statement: s, proxy: p, source: p === proxy ? 'here' : 'defaults', values: [], negated: true };
    }
  }
  return null;
}

function plainTimeoutMs(p: HaproxyProxy, which: string): number | null {
  const e = plainEffective(p, ['timeout', which]);
  if (!e || e.negated || e.values[0] === undefined) return null;
  return parseHaproxyTime(e.values[0]) ?? null;
}

const plainMode = (p: HaproxyProxy): string => plainEffective(p, ['mode'])?.values[0] ?? 'tcp';

function plainDisabled(p: HaproxyProxy): boolean {
  for (const c of plainChain(p)) {
    const stmts = c.section.statements;
    for (let i = stmts.length - 1; i >= 0; i--) {
      if (stmts[i].keyword === 'disabled') return true;
      if (stmts[i].keyword === 'enabled') return false;
    }
  }
  return false;
}

const plainHasServers = (p: HaproxyProxy): boolean =>
  p.section.statements.some((s) => s.keyword === 'server' || s.keyword === 'server-template');

function plainMissing(p: HaproxyProxy): string[] {
  if (p.kind === 'defaults' || plainDisabled(p)) return [];
  const mode = plainMode(p);
  if (mode !== 'http' && mode !== 'tcp') return [];
  const set = (w: string) => {
    const ms = plainTimeoutMs(p, w);
    return ms !== null && ms > 0;
  };
  const fe = p.kind === 'frontend' || p.kind === 'listen';
  const be = (p.kind === 'backend' || p.kind === 'listen') && plainHasServers(p);
  const out: string[] = [];
  if (be && !set('connect')) out.push('connect');
  if (fe && !set('client')) out.push('client');
  if (be && !set('server') && (mode === 'http' || !set('tunnel'))) out.push('server');
  return out;
}

const ACL_NAME = /^[A-Za-z0-9_.:-]+$/;

function plainRoute(s: HaproxyStatement): { name: string; conditionAcls: string[]; requiredAcls: string[] } {
  const args = words(s);
  const ifIdx = args.findIndex((v) => v === 'if' || v === 'unless');
  const cond = ifIdx >= 0 ? args.slice(ifIdx + 1) : [];
  const unless = ifIdx >= 0 && args[ifIdx] === 'unless';
  const strip = (v: string) => v.replace(/^!/, '');
  const keep = (v: string) => ACL_NAME.test(v) && v !== 'or' && v !== '||';
  return {
    name: args[0],
    conditionAcls: cond.map(strip).filter(keep),
    requiredAcls: cond
      .filter((v) => (unless ? v.startsWith('!') : !v.startsWith('!')))
      .map(strip)
      .filter(keep),
  };
}

function plainAcls(p: HaproxyProxy): Map<string, HaproxyStatement[]> {
  const out = new Map<string, HaproxyStatement[]>();
  const chain = plainChain(p);
  for (let c = chain.length - 1; c >= 0; c--) {
    for (const s of chain[c].section.statements) {
      if (s.keyword !== 'acl' || !words(s)[0]) continue;
      out.set(words(s)[0], [...(out.get(words(s)[0]) ?? []), s]);
    }
  }
  return out;
}

const WS_ACL = /\bhdr(_[a-z]+)?\(\s*(upgrade|connection)\s*\)|\breq\.hdr\(\s*(upgrade|connection)\s*\)/i;

function plainAclFacts(def: HaproxyStatement): { text: string; upgrade: boolean; path: boolean } {
  const text = words(def).slice(1).join(' ');
  const upgrade = WS_ACL.test(text) && /websocket|upgrade/i.test(text);
  const pathFact =
    !upgrade && /\bpath(_beg|_reg|_dir|_sub)?\b/.test(text) && looksLikeWebSocketPath(words(def).slice(2).join(' '));
  const w = words(def);
  const hostFact =
    !upgrade && w.length >= 3 && HOST_FETCH.test(w[1]) && w.slice(2).some((v) => !v.startsWith('-') && WS_HOST.test(v));
  return { text, upgrade, path: pathFact || hostFact };
}

function plainMarker(p: HaproxyProxy): boolean {
  const lines = p.source.tree.lines;
  const idx = lines.indexOf(p.section.header);
  const check = (i: number) =>
    !!lines[i]?.comment && WS_MARKER.test(p.source.text.slice(lines[i].comment.start + 1, lines[i].comment.end));
  if (check(idx)) return true;
  for (let i = idx - 1; i >= 0 && lines[i].comment && lines[i].words.length === 0; i--) if (check(i)) return true;
  for (let i = idx + 1; i < lines.length && lines[i].start < p.section.end; i++)
    if (lines[i].comment && lines[i].words.length === 0 && check(i)) return true;
  return false;
}

function plainTarget(config: HaproxyConfig, name: string): HaproxyProxy | undefined {
  return name.includes('%[')
    ? undefined
    : config.proxies.find((p) => p.name === name && (p.kind === 'backend' || p.kind === 'listen'));
}

interface PlainUse {
  from: HaproxyProxy;
  s: HaproxyStatement;
  r: ReturnType<typeof plainRoute>;
  target: HaproxyProxy | undefined;
}

/** Every use_backend line of the config, resolved. */
function plainUses(config: HaproxyConfig): PlainUse[] {
  const out: PlainUse[] = [];
  for (const from of config.proxies) {
    if (from.kind !== 'frontend' && from.kind !== 'listen' && from.kind !== 'defaults') continue;
    for (const s of from.section.statements) {
      if (s.keyword !== 'use_backend' || s.args.length < 1) continue;
      const r = plainRoute(s);
      out.push({ from, s, r, target: plainTarget(config, r.name) });
    }
  }
  return out;
}

function plainReasons(config: HaproxyConfig, uses: PlainUse[], proxy: HaproxyProxy): WebSocketReason[] {
  if (proxy.kind !== 'backend' && proxy.kind !== 'listen') return [];
  const reasons: WebSocketReason[] = [];
  if (proxy.name && looksLikeWebSocketName(proxy.name))
    reasons.push({ kind: 'backend-name', text: `${proxy.kind} ${proxy.name} is named like a WebSocket pool` });
  if (plainMarker(proxy)) reasons.push({ kind: 'marker', text: 'marked "# wslb: websocket"' });
  {
    for (const { from, s, r, target } of uses) {
      if (target !== proxy) continue;
      const acls = plainAcls(from);
      for (const name of r.requiredAcls) {
        for (const def of acls.get(name) ?? []) {
          const acl = plainAclFacts(def);
          if (acl.upgrade)
            reasons.push({
              kind: 'acl',
              text: `${from.kind} ${from.name} routes WebSocket upgrades here (acl ${name} ${acl.text})`,
            });
          else if (acl.path) reasons.push({ kind: 'path', text: `${from.kind} ${from.name} routes ${acl.text} here` });
        }
      }
      const inline = words(s).join(' ');
      if (WS_ACL.test(inline) && /websocket|upgrade/i.test(inline))
        reasons.push({ kind: 'acl', text: `${from.kind} ${from.name} routes WebSocket upgrades here` });
    }
  }
  for (const from of config.proxies) {
    if (from.kind !== 'frontend' && from.kind !== 'listen') continue;
    for (const s of from.section.statements) {
      if (s.keyword !== 'default_backend' || s.args.length < 1 || plainTarget(config, words(s)[0]) !== proxy) continue;
      reasons.push(...plainDefaultReasons(from));
    }
  }
  if (proxy.kind === 'listen') {
    for (const [name, defs] of plainAcls(proxy)) {
      for (const def of defs)
        if (plainAclFacts(def).upgrade) reasons.push({ kind: 'acl', text: `acl ${name} matches WebSocket upgrades` });
    }
  }
  reasons.push(...conventionReasons(proxy));
  reasons.push(...plainApiRootReasons(uses, proxy));
  return reasons;
}

/**
 * The API-root reason, read plainly (model/websocket.ts apiRootReasons): a backend in mode http whose
 * http defaults set a timeout tunnel above 0, and the first use_backend line routing here on a
 * required ACL that matches the API root.
 */
function plainApiRootReasons(uses: PlainUse[], proxy: HaproxyProxy): WebSocketReason[] {
  const d = proxy.defaults;
  if (proxy.kind !== 'backend' || !d || d.kind !== 'defaults') return [];
  const tunnel = plainEffective(d, ['timeout', 'tunnel'])?.values[0];
  const ms = tunnel === undefined ? undefined : parseHaproxyTime(tunnel);
  if (!tunnel || !ms || ms <= 0 || plainMode(d) !== 'http' || plainMode(proxy) !== 'http') return [];
  for (const { from, s, r, target } of uses) {
    if (target !== proxy || s.keyword !== 'use_backend') continue;
    const acls = plainAcls(from);
    for (const name of r.requiredAcls) {
      const def = acls.get(name)?.find(aclMatchesApiRoot);
      if (!def) continue;
      const label = (p: HaproxyProxy) => (p.name ? `${p.kind} ${clipWord(p.name)}` : p.kind);
      return [
        {
          kind: 'path',
          text: `${label(from)} routes the API root here (acl ${clipWord(name)} ${clipWords(words(def).slice(1).join(' '))}) and ${label(d)} sets timeout tunnel ${tunnel} for upgraded connections: WebSocket endpoints of web applications live under the API root`,
        },
      ];
    }
  }
  return [];
}

/** What a default_backend line of `from` says of its target (see defaultRouteReasons() in model/websocket.ts). */
function plainDefaultReasons(from: HaproxyProxy): WebSocketReason[] {
  const label = `${from.kind} ${from.name ?? ''}`;
  const upgrade = [...plainAcls(from)].filter(([, defs]) => defs.some((d) => plainAclFacts(d).upgrade)).map(([n]) => n);
  if (upgrade.length > 0) {
    const routed = from.section.statements.some(
      (s) => s.keyword === 'use_backend' && plainRoute(s).conditionAcls.some((n) => upgrade.includes(n)),
    );
    if (!routed)
      return [
        {
          kind: 'acl',
          text: `${label} matches WebSocket upgrades (acl ${upgrade.join(', ')}) and sends them here by default_backend`,
        },
      ];
  }
  // a use_backend that routes WebSocket upgrades or paths elsewhere: only the rest comes here
  const acls = plainAcls(from);
  const elsewhere = from.section.statements.some(
    (s) =>
      s.keyword === 'use_backend' &&
      plainRoute(s).conditionAcls.some((n) =>
        (acls.get(n) ?? []).some((d) => plainAclFacts(d).upgrade || plainAclFacts(d).path),
      ),
  );
  const c = webSocketCommentLine(from);
  return c >= 0 && !elsewhere
    ? [
        {
          kind: 'comment',
          text: `${label} sends its traffic here and its comment at line ${c + 1} speaks of WebSocket`,
        },
      ]
    : [];
}

// ------------------------------------------------------------------------------------------

/** The keyword paths asked about: the model's own and every keyword (and keyword + first word) of the file. */
function pathsOf(config: HaproxyConfig): string[][] {
  const seen = new Map<string, string[]>();
  const add = (p: string[]) => seen.set(p.join(' '), p);
  for (const w of ['connect', 'client', 'server', 'tunnel', 'queue', 'check']) add(['timeout', w]);
  for (const p of [
    ['mode'],
    ['default_backend'],
    ['balance'],
    ['hash-type'],
    ['option', 'httpchk'],
    ['option', 'httplog'],
  ])
    add(p);
  // (every keyword with its first word too, but for the large files only those the model asks with one)
  const pairs = config.proxies.length < 200;
  for (const p of config.proxies) {
    for (const s of p.section.statements) {
      add([s.keyword]);
      if (s.args.length && (pairs || s.keyword === 'timeout' || s.keyword === 'option')) add([s.keyword, words(s)[0]]);
    }
  }
  return [...seen.values()];
}

function compareConfig(name: string, config: HaproxyConfig): number {
  let checks = 0;
  const paths = pathsOf(config);
  const uses = plainUses(config);
  for (const p of config.proxies) {
    const at = `${name}: ${p.kind} ${p.name ?? ''}`;
    for (const keys of paths) {
      const got = haproxyEffective(p, keys);
      const want = plainEffective(p, keys);
      assert.equal(got?.statement, want?.statement, `${at} [${keys.join(' ')}] statement`);
      if (got && want) assert.deepEqual({ ...got }, { ...want }, `${at} [${keys.join(' ')}]`);
      checks++;
    }
    for (const w of ['connect', 'client', 'server', 'tunnel'] as const)
      assert.equal(effectiveTimeoutMs(p, w), plainTimeoutMs(p, w), `${at} timeout ${w}`);
    assert.equal(proxyMode(p), plainMode(p), `${at} mode`);
    assert.equal(proxyDisabled(p), plainDisabled(p), `${at} disabled`);
    assert.equal(proxyHasServers(p), plainHasServers(p), `${at} servers`);
    assert.deepEqual(missingTimeouts(p), plainMissing(p), `${at} missing timeouts`);
    for (const s of p.section.statements)
      if (s.keyword === 'acl')
        assert.deepEqual(pick(aclFactsOf(s)), pick(plainAclFacts(s)), `${at} acl line ${s.line.start}`);
    assert.deepEqual(haproxyWebSocketReasons(config, p), plainReasons(config, uses, p), `${at} WebSocket reasons`);
    checks += 10;
  }
  const refs = backendReferences(config).map((r) => ({
    statement: r.statement,
    from: r.from,
    target: r.target,
    conditionAcls: r.conditionAcls,
    requiredAcls: r.requiredAcls,
  }));
  const plainRefs = config.proxies
    .filter((p) => p.kind === 'frontend' || p.kind === 'listen' || p.kind === 'defaults')
    .flatMap((p) =>
      p.section.statements
        .filter((s) => (s.keyword === 'use_backend' || s.keyword === 'default_backend') && s.args.length >= 1)
        .map((s) => {
          const r = plainRoute(s);
          return {
            statement: s,
            from: p,
            target: plainTarget(config, r.name),
            conditionAcls: r.conditionAcls,
            requiredAcls: r.requiredAcls,
          };
        }),
    );
  assert.deepEqual(refs, plainRefs, `${name}: backend references`);
  for (const r of plainRefs)
    assert.equal(
      findProxy(config, plainRoute(r.statement).name, ['frontend']),
      config.proxies.find((p) => p.name === plainRoute(r.statement).name && p.kind === 'frontend'),
      `${name}: findProxy frontend`,
    );
  assert.deepEqual(
    haproxyWebSocketBackends(config).map((b) => [b.proxy, b.reasons]),
    config.proxies
      .map((p) => [p, plainReasons(config, uses, p)])
      .filter(([, r]) => (r as WebSocketReason[]).length > 0),
    `${name}: WebSocket backends`,
  );
  return checks + refs.length;
}

/** What aclFactsOf() promises: upgrade, path, and the text when one of them holds (it is not read otherwise). */
function pick(f: { text: string; upgrade: boolean; path: boolean }): { text: string; upgrade: boolean; path: boolean } {
  return { text: f.upgrade || f.path ? f.text : '', upgrade: f.upgrade, path: f.path };
}

describe('HAProxy model: the per-proxy facts give what a plain reading of the statements gives', function () {
  this.timeout(300_000);
  const all = texts();

  it('on the edge cases, every corpus file (the 24k-line benchmark file included), fixture and example', function () {
    needCorpus(this, 'haproxy');
    let checks = 0;
    let ws = 0;
    for (const f of all) {
      const config = buildHaproxyConfig([{ path: `/${f.name}`, text: f.text }]);
      checks += compareConfig(f.name, config);
      ws += haproxyWebSocketBackends(config).length;
    }
    assert.ok(
      all.some((f) => f.name.endsWith('exymat/bench/fixtures/large-valid.cfg')) || !process.env.WSLB_REQUIRE_ALL,
      'the benchmark file is compared',
    );
    assert.ok(checks > 50_000, `${checks} comparisons`);
    assert.ok(ws > 20, `${ws} WebSocket backends among the files`);
  });

  it('the edge cases reach each kind of answer (so the comparison above means something)', () => {
    const config = buildHaproxyConfig([{ path: '/edge.cfg', text: EDGE_CASES }]);
    const byName = (n: string) => config.proxies.find((p) => p.name === n)!;
    assert.deepEqual(missingTimeouts(byName('chat2')), ['connect']);
    assert.deepEqual(missingTimeouts(byName('fe')), []);
    assert.equal(proxyDisabled(byName('fe_off')), false);
    assert.equal(proxyDisabled(byName('fe_off2')), true);
    assert.equal(proxyMode(byName('marked')), 'tcp');
    assert.equal(proxyMode(byName('web')), 'health');
    assert.equal(effectiveTimeoutMs(byName('chat'), 'server'), 60_000);
    assert.equal(effectiveTimeoutMs(byName('web'), 'server'), 0);
    assert.equal(effectiveTimeoutMs(byName('web'), 'connect'), null);
    const reasons = (n: string) => haproxyWebSocketReasons(config, byName(n)).map((r) => r.kind);
    assert.deepEqual(reasons('chat'), ['acl', 'path']);
    assert.deepEqual(reasons('chat2'), ['acl']);
    assert.deepEqual(reasons('marked'), ['marker']);
    assert.deepEqual(reasons('realtime_pool'), ['backend-name', 'marker']);
    assert.deepEqual(reasons('lis'), ['acl', 'acl', 'acl']);
    assert.deepEqual(reasons('web'), ['acl']);
    const route = backendReferences(config).find(
      (r) => r.statement.args[0]?.value === 'chat' && r.statement.keyword === 'use_backend',
    )!;
    assert.deepEqual(
      [route.conditionAcls, route.requiredAcls],
      [
        ['is_ws', 'is_path', 'x'],
        ['is_ws', 'is_path'],
      ],
    );
  });

  it('markers read from the line table (lines never all built) are those read from the lines', () => {
    let marked = 0;
    for (const f of all) {
      if (!hasWslbComment(f.text)) continue;
      const viaTable = buildHaproxyConfig([{ path: '/t.cfg', text: f.text }]);
      assert.ok(
        (viaTable.sources[0].tree as { lineTable?: unknown }).lineTable,
        `${f.name}: the lines were not built yet`,
      );
      const a = haproxyWebSocketBackends(viaTable).map((b) => [b.proxy.name, b.reasons]);
      const viaLines = buildHaproxyConfig([{ path: '/t.cfg', text: f.text }]);
      assert.ok(viaLines.sources[0].tree.lines.length > 0);
      const b = haproxyWebSocketBackends(viaLines).map((x) => [x.proxy.name, x.reasons]);
      assert.deepEqual(a, b, f.name);
      marked += a.filter(([, r]) => (r as WebSocketReason[]).some((x) => x.kind === 'marker')).length;
    }
    assert.ok(marked >= 2, `${marked} marked backends`);
  });

  it('the marker scan finds every comment that starts with wslb, in any case', () => {
    for (const f of texts()) {
      if (hasWslbComment(f.text)) continue;
      assert.ok(!/#\s*wslb/i.test(f.text), f.name);
    }
    assert.equal(hasWslbComment('backend b # \t WsLb: websocket\n'), true);
    assert.equal(hasWslbComment('backend b #\u00a0wslb\n'), true);
    assert.equal(hasWslbComment('backend wslb # no marker\n'), false);
    assert.equal(hasWslbComment('# ws lb\n#'), false);
  });
});
