/**
 * Which parts of a config carry WebSocket traffic. Rules about timeouts, algorithms and draining
 * apply only there, so a plain web config gets no noise. Each answer says why, so messages and
 * hovers can explain themselves.
 */
import { clipWord, clipWords } from '../words';
import type { NginxDirective, NginxNode } from '../syntax/nginx';
import type { HaproxyProxy, HaproxyConfig } from './haproxy';
import type { HaproxyStatement } from '../syntax/haproxy';
import type { LineTable } from '../syntax/haproxy/line-table';
import {
  aclsOf,
  argCount,
  argsText,
  argValue,
  backendReferences,
  conditionAcl,
  conditionRequires,
  conditionStart,
  factFirst,
  factLineCount,
  factLines,
  lineWordCount,
  onProxyReplaced,
  proxyChainShared,
  proxyMemo,
  proxyFacts,
  proxyMode,
  proxySlot,
  referenceMemo,
  sourceMayMentionWslb,
} from './haproxy';
import {
  type NginxConfig,
  type NginxContext,
  definedVariables,
  effectiveList,
  enclosing,
  findUpstream,
  nginxFootprintKept,
  parseProxyTarget,
  walkContexts,
} from './nginx';
import { fact, updateAcross } from '../host/memo';
import { contextsIn, type NginxRuleScope } from './nginx-units';
import { parseHaproxyTime } from './units';

export interface WebSocketReason {
  kind:
    | 'upgrade-header'
    | 'connection-header'
    | 'path'
    | 'upstream-name'
    | 'marker'
    | 'acl'
    | 'backend-name'
    | 'tunnel'
    | 'cookie'
    | 'comment';
  text: string;
}

/**
 * Paths that conventionally serve WebSocket endpoints: one of these words as a whole segment or
 * part of one (`/ws/`, `/xmpp-websocket`, a regex `^/.*websocket$`, `/mqtt`), whatever the match form.
 */
const WS_PATH =
  /(^|[^a-z0-9])(ws|wss|websockets?|socket\.io|sockjs|cable|hubs?|graphql-ws|subscriptions|realtime|mqtt)([^a-z0-9]|$)/i;
/** Pool names that say WebSocket. */
const WS_NAME = /(^|[^a-z])(ws|wss)([^a-z]|$)|websocket|socket[._-]?io|sockjs|actioncable|cable|realtime/i;
/** The opt-in marker comment. */
export const WS_MARKER = /^\s*wslb:\s*websocket\b/i;

export function looksLikeWebSocketPath(path: string): boolean {
  return WS_PATH.test(path);
}
export function looksLikeWebSocketName(name: string): boolean {
  return WS_NAME.test(name);
}
/**
 * False only when looksLikeWebSocketName() is false: every alternative of WS_NAME holds `ws`,
 * `sock`, `cable` or `realtime` (in any case), and this plain search is quicker than WS_NAME's
 * (asked of every backend of a config).
 */
export function mayLookLikeWebSocketName(name: string): boolean {
  return WS_NAME_HINT.test(name);
}
const WS_NAME_HINT = /ws|sock|cable|realtime/i;

function commentsBefore(nodes: NginxNode[], target: NginxDirective): string[] {
  const out: string[] = [];
  // Nodes are in source order: find the target by its offset (indexOf is linear per lookup).
  let lo = 0;
  let hi = nodes.length - 1;
  let i = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const st = nodes[mid].start;
    if (st < target.start) lo = mid + 1;
    else if (st > target.start) hi = mid - 1;
    else {
      i = nodes[mid] === target ? mid : nodes.indexOf(target);
      break;
    }
  }
  for (let j = i - 1; j >= 0; j--) {
    const n = nodes[j];
    if (n.type === 'comment') out.push(n.text);
    else if (n.type === 'directive' || n.type === 'block') break;
  }
  return out;
}

function hasNginxMarker(ctx: NginxContext): boolean {
  const d = ctx.statement?.directive;
  if (!d) return false;
  if (d.block?.items.some((c) => c.type === 'comment' && WS_MARKER.test(c.text))) return true;
  const parentNodes = d.parent.items;
  return commentsBefore(parentNodes, d).some((t) => WS_MARKER.test(t));
}

/**
 * Does this context serve only WebSocket handshakes? The one test every nginx rule uses for it: an
 * `if` block (the `if ($http_upgrade ...)` guard idiom), or a location whose match (prefix, `=`,
 * `^~`, or a regex) names a WebSocket endpoint (looksLikeWebSocketPath()) or that is marked
 * `# wslb: websocket`. A location such as `/` or `/api/` also serves plain requests.
 */
export function webSocketOnlyContext(ctx: NginxContext): boolean {
  if (ctx.kind === 'if') return true;
  if (ctx.kind !== 'location' || !ctx.statement) return false;
  const match = ctx.statement.args[ctx.statement.args.length - 1] ?? '';
  return looksLikeWebSocketPath(match) || hasNginxMarker(ctx);
}

/** The proxy_pass statement in effect in a location (not inherited: proxy_pass is per location). */
export function proxyPassOf(ctx: NginxContext) {
  return ctx.statements.find((s) => s.name === 'proxy_pass');
}

/** Why a location carries WebSocket traffic, or an empty list when it does not look like it does. */
export function nginxWebSocketReasons(config: NginxConfig, ctx: NginxContext): WebSocketReason[] {
  const reasons: WebSocketReason[] = [];
  const headers = effectiveList(ctx, 'proxy_set_header');
  const vars = definedVariables(config);
  for (const s of headers.statements) {
    const h = s.args[0]?.toLowerCase();
    const v = s.args[1] ?? '';
    if (h === 'upgrade' && /\$http_upgrade\b|websocket/i.test(v))
      reasons.push({ kind: 'upgrade-header', text: `forwards Upgrade (${clipWord(v)})` });
    if (h === 'connection') {
      const lower = v.toLowerCase();
      const mapVar = /^\$([A-Za-z0-9_]+)$/.exec(v);
      const fromUpgradeMap =
        mapVar && vars.get(mapVar[1])?.name === 'map' && /http_upgrade/.test(vars.get(mapVar[1])!.args[0] ?? '');
      if (lower === 'upgrade' || fromUpgradeMap || /connection_upgrade/.test(lower))
        reasons.push({ kind: 'connection-header', text: `sets Connection to ${clipWord(v)}` });
    }
  }
  if (ctx.kind === 'location' && ctx.statement) {
    const path = ctx.statement.args[ctx.statement.args.length - 1] ?? '';
    if (looksLikeWebSocketPath(path))
      reasons.push({ kind: 'path', text: `path ${clipWord(path)} looks like a WebSocket endpoint` });
  }
  const pp = proxyPassOf(ctx);
  if (pp) {
    const t = parseProxyTarget(pp.args[0] ?? '');
    if (t.scheme === 'ws' || t.scheme === 'wss')
      reasons.push({ kind: 'path', text: `proxies to a ${clipWord(t.scheme)}:// URL` });
    const up = findUpstream(config, t.host, ctx.family);
    if (up && looksLikeWebSocketName(t.host))
      reasons.push({ kind: 'upstream-name', text: `upstream ${clipWord(t.host)} is named like a WebSocket pool` });
    if (up && hasNginxMarker(up))
      reasons.push({ kind: 'marker', text: `upstream ${clipWord(t.host)} is marked "# wslb: websocket"` });
  }
  for (let c: NginxContext | null = ctx; c && c.kind !== 'http'; c = c.parent) {
    if (hasNginxMarker(c)) {
      reasons.push({ kind: 'marker', text: 'marked "# wslb: websocket"' });
      break;
    }
  }
  return reasons;
}

export interface WebSocketLocation {
  location: NginxContext;
  reasons: WebSocketReason[];
}

/**
 * The WebSocket verdict of each proxying context of a config, filled as contexts are asked about.
 * Across an incremental update (nginxFootprintKept) the verdicts of the contexts outside the
 * rebuilt server block hold: what they are judged on (their own chain, variables, upstreams) is
 * unchanged.
 */
const verdicts = fact(
  'nginx.webSocketVerdicts',
  (_config: NginxConfig) => new Map<NginxContext, WebSocketLocation | null>(),
  updateAcross(nginxFootprintKept, (table, { old }) => {
    for (const c of walkContexts(old)) table.delete(c);
    return table;
  }),
);

function webSocketLocationAt(config: NginxConfig, ctx: NginxContext): WebSocketLocation | null {
  if (ctx.family !== 'http') return null;
  if (ctx.kind !== 'location' && ctx.kind !== 'server' && ctx.kind !== 'if') return null;
  const table = verdicts(config);
  let hit = table.get(ctx);
  if (hit === undefined) {
    hit = null;
    if (proxyPassOf(ctx)) {
      const reasons = nginxWebSocketReasons(config, ctx);
      if (reasons.length) hit = { location: ctx, reasons };
    }
    table.set(ctx, hit);
  }
  return hit;
}

/** Every location (or server without locations, in stream/http) that proxies and carries WebSocket. (Once per config.) */
export const nginxWebSocketLocations = fact('nginx.webSocketLocations', (config: NginxConfig): WebSocketLocation[] => {
  const out: WebSocketLocation[] = [];
  for (const ctx of walkContexts(config.root)) {
    const wl = webSocketLocationAt(config, ctx);
    if (wl) out.push(wl);
  }
  return out;
});

/** The WebSocket locations of one part of the config (model/nginx-units.ts), or of all of it. */
export function webSocketLocationsIn(config: NginxConfig, scope?: NginxRuleScope): WebSocketLocation[] {
  if (!scope) return nginxWebSocketLocations(config);
  const out: WebSocketLocation[] = [];
  for (const ctx of contextsIn(config, scope)) {
    const wl = webSocketLocationAt(config, ctx);
    if (wl) out.push(wl);
  }
  return out;
}

/** Upstreams that receive WebSocket traffic, with the locations that send it. (Once per config.) */
export const nginxWebSocketUpstreams = fact(
  'nginx.webSocketUpstreams',
  (config: NginxConfig): Map<NginxContext, WebSocketLocation[]> => {
    const out = new Map<NginxContext, WebSocketLocation[]>();
    for (const wl of nginxWebSocketLocations(config)) {
      const pp = proxyPassOf(wl.location);
      if (!pp) continue;
      const up = findUpstream(config, parseProxyTarget(pp.args[0] ?? '').host, 'http');
      if (!up) continue;
      const list = out.get(up) ?? [];
      list.push(wl);
      out.set(up, list);
    }
    for (const ctx of walkContexts(config.root)) {
      if (ctx.kind === 'upstream' && ctx.family === 'http' && !out.has(ctx)) {
        const name = ctx.statement?.args[0] ?? '';
        if (hasNginxMarker(ctx) || looksLikeWebSocketName(name)) out.set(ctx, []);
      }
    }
    return out;
  },
);

/** Does anything in this config carry WebSocket (for config-wide rules such as worker_shutdown_timeout)? */
export function nginxCarriesWebSocket(config: NginxConfig): boolean {
  return nginxWebSocketLocations(config).length > 0 || nginxWebSocketUpstreams(config).size > 0;
}

export function serverOf(ctx: NginxContext): NginxContext | null {
  return enclosing(ctx, 'server');
}

// ---------------------------------------------------------------------------------------------
// HAProxy

const WS_ACL = /\bhdr(_[a-z]+)?\(\s*(upgrade|connection)\s*\)|\breq\.hdr\(\s*(upgrade|connection)\s*\)/i;

function hasHaproxyMarker(proxy: HaproxyProxy): boolean {
  if (!sourceMayMentionWslb(proxy.source)) return false;
  const table = (proxy.source.tree as { lineTable?: LineTable }).lineTable;
  if (table) {
    const found = markerInTable(proxy, table);
    if (found !== undefined) return found;
  }
  const lines = proxy.source.tree.lines;
  const header = proxy.section.header;
  // the header's index by binary search on the line starts (lines.indexOf made this quadratic)
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= header.start) lo = mid;
    else hi = mid - 1;
  }
  const idx = lines[lo] === header ? lo : lines.indexOf(header);
  // the header line's own comment, comments on the lines just above it, and comment lines inside
  // (a line's words are read only when it has a comment: building them is what costs)
  const check = (i: number) => {
    const l = lines[i];
    return !!l?.comment && WS_MARKER.test(proxy.source.text.slice(l.comment.start + 1, l.comment.end));
  };
  if (check(idx)) return true;
  for (let i = idx - 1; i >= 0 && lines[i].comment && lineWordCount(lines[i]) === 0; i--) if (check(i)) return true;
  for (let i = idx + 1; i < lines.length && lines[i].start < proxy.section.end; i++)
    if (lines[i].comment && lineWordCount(lines[i]) === 0 && check(i)) return true;
  return false;
}

/**
 * hasHaproxyMarker() read from the tree's line table while its line objects were never all built
 * (a text with a marker would otherwise build them all, for a few comment lines): the same rows,
 * with a line object built only for a row that has a comment. Undefined when the header is not
 * where the table says (then the lines are read).
 */
function markerInTable(proxy: HaproxyProxy, table: LineTable): boolean | undefined {
  const header = proxy.section.header;
  const idx = table.rowAt(header.start);
  if (idx < 0 || table.line(idx) !== header) return undefined;
  const text = proxy.source.text;
  const check = (i: number) => {
    if (!table.hasComment(i)) return false;
    const c = table.line(i).comment!;
    return WS_MARKER.test(text.slice(c.start + 1, c.end));
  };
  if (check(idx)) return true;
  for (let i = idx - 1; i >= 0 && table.hasComment(i) && table.wordCount(i) === 0; i--) if (check(i)) return true;
  for (let i = idx + 1; i < table.count && table.start(i) < proxy.section.end; i++)
    if (table.wordCount(i) === 0 && check(i)) return true;
  return false;
}

const refsByTarget = new WeakMap<HaproxyConfig, Map<HaproxyProxy, ReturnType<typeof backendReferences>>>();

function referencesTo(config: HaproxyConfig, proxy: HaproxyProxy): ReturnType<typeof backendReferences> {
  let m = refsByTarget.get(config);
  if (!m) {
    m = new Map();
    for (const r of backendReferences(config)) {
      if (!r.target) continue;
      const list = m.get(r.target);
      if (list) list.push(r);
      else m.set(r.target, [r]);
    }
    refsByTarget.set(config, m);
  }
  return m.get(proxy) ?? NO_REFERENCES;
}
const NO_REFERENCES: ReturnType<typeof backendReferences> = [];

// A proxy replaced after an edit that left its routes alone is still the target of the same
// references (their objects were updated in place); otherwise this is computed again.
onProxyReplaced((config, old, proxy, routesChanged) => {
  const m = refsByTarget.get(config);
  if (!m) return;
  if (routesChanged) {
    refsByTarget.delete(config);
    return;
  }
  const list = m.get(old);
  if (list) {
    m.delete(old);
    m.set(proxy, list);
  }
});

/**
 * What a proxy says about itself (its name, a marker comment) and, for a listen, its own ACLs;
 * a listen's kept per proxy object, which never changes once built.
 */
const OWN_REASONS = proxySlot<OwnReasons>();

interface OwnReasons {
  before: WebSocketReason[];
  after: WebSocketReason[];
}
/** What most proxies say of themselves (shared: never changed). */
const NO_REASONS: WebSocketReason[] = [];
const NO_OWN_REASONS: OwnReasons = { before: NO_REASONS, after: NO_REASONS };

function ownReasonsOf(proxy: HaproxyProxy): OwnReasons {
  // a backend's own reasons (its name, a marker) cost less than a slot written on each of them,
  // and so do those of a listen without ACLs
  return proxy.kind === 'listen' && chainAclCount(proxy) > 0
    ? proxyMemo(proxy, OWN_REASONS, computeOwnReasons)
    : computeOwnReasons(proxy);
}

function computeOwnReasons(proxy: HaproxyProxy): OwnReasons {
  let before = NO_REASONS;
  let after = NO_REASONS;
  if (proxy.name && mayLookLikeWebSocketName(proxy.name) && looksLikeWebSocketName(proxy.name))
    before = [{ kind: 'backend-name', text: `${proxy.kind} ${clipWord(proxy.name)} is named like a WebSocket pool` }];
  if (hasHaproxyMarker(proxy))
    (before === NO_REASONS ? (before = []) : before).push({ kind: 'marker', text: 'marked "# wslb: websocket"' });
  // the ACLs grouped by name (aclsOf()) only when one of them matches upgrades
  if (proxy.kind === 'listen' && chainHasUpgradeAcl(proxy)) {
    after = [];
    for (const [name, defs] of aclsOf(proxy)) {
      for (const def of defs) {
        if (aclFactsOf(def).upgrade)
          after.push({ kind: 'acl', text: `acl ${clipWord(name)} matches WebSocket upgrades` });
      }
    }
  }
  return before === NO_REASONS && after === NO_REASONS ? NO_OWN_REASONS : { before, after };
}

/** Whether an `acl` line of the proxy or of its defaults chain matches WebSocket upgrades. */
function chainHasUpgradeAcl(proxy: HaproxyProxy): boolean {
  if (chainAclCount(proxy) === 0) return false;
  for (const p of proxyChainShared(proxy)) {
    for (const def of factLines(p, 'acl')) if (argValue(def, 0) && aclFactsOf(def).upgrade) return true;
  }
  return false;
}

/** How many `acl` lines the proxy and its defaults chain have. */
function chainAclCount(proxy: HaproxyProxy): number {
  const d = proxy.defaults;
  if (d === null) return factLineCount(proxy, 'acl');
  if (d.defaults === null && d !== proxy) return factLineCount(proxy, 'acl') + factLineCount(d, 'acl');
  let count = 0;
  for (const p of proxyChainShared(proxy)) count += factLineCount(p, 'acl');
  return count;
}

interface AclFacts {
  text: string;
  upgrade: boolean;
  path: boolean;
}
/** What most `acl` lines match (shared). `text` is the words after the name, given only when upgrade or path is true. */
const PLAIN_ACL: AclFacts = { text: '', upgrade: false, path: false };

/** Any case of `websocket` or `upgrade`. */
const UPGRADE_WORD = /websocket|upgrade/i;
/** A path fetch (path, path_beg, ...). */
const PATH_FETCH = /\bpath(_beg|_reg|_dir|_sub)?\b/;

/**
 * What an `acl` line matches, as far as WebSocket detection goes: an upgrade when its words after
 * the name match WS_ACL and say websocket or upgrade, a WebSocket path when a path fetch tests
 * paths that look like one. The words are looked at one by one first: neither pattern holds a
 * space, so each matches the words joined by spaces only where it matches one of the words, and
 * most lines have neither (then nothing is built). test/model/haproxy-facts.test.ts compares it
 * with the reading of the joined text.
 */
export function aclFactsOf(def: HaproxyStatement): AclFacts {
  let up = false;
  let path = false;
  for (let k = 1, n = argCount(def); k < n; k++) {
    const w = argValue(def, k)!;
    // (a word shorter than `upgrade` holds neither word, one shorter than `path` no path fetch)
    if (!up && w.length >= 7 && UPGRADE_WORD.test(w)) up = true;
    if (!path && w.length >= 4 && PATH_FETCH.test(w)) path = true;
  }
  if (!up && !path) return hostAclFacts(def);
  if (!up) {
    // a path fetch: the text is needed only when the paths look like WebSocket ones
    return looksLikeWebSocketPath(argsText(def, 2))
      ? { text: argsText(def, 1), upgrade: false, path: true }
      : hostAclFacts(def);
  }
  const text = argsText(def, 1);
  const upgrade = WS_ACL.test(text);
  return { text, upgrade, path: !upgrade && path && looksLikeWebSocketPath(argsText(def, 2)) };
}

/** A Host header fetch (hdr(host), hdr_beg(host), req.hdr(host), ...). */
export const HOST_FETCH = /^(req\.)?hdr(_beg|_dom|_end|_reg|_sub|_str)?\(\s*host\s*(,[^)]*)?\)$/i;
/** A host name, or its start, that says WebSocket: `ws`, `ws.example.com`, `wss-eu.example.com`, `websocket.example.com`. */
export const WS_HOST = /^(ws|wss|websockets?|socket|sockjs|realtime)([.-]|$)/i;

/**
 * An `acl` line matching a Host header that names a WebSocket host, such as the
 * `acl is_websocket hdr_beg(host) -i ws` that many Socket.IO-era configs carry: reported as a
 * WebSocket "path" (what the route sends there), with the words after the name as its text.
 */
function hostAclFacts(def: HaproxyStatement): AclFacts {
  const n = argCount(def);
  if (n < 3 || !HOST_FETCH.test(argValue(def, 1)!)) return PLAIN_ACL;
  for (let k = 2; k < n; k++) {
    const w = argValue(def, k)!;
    if (w.startsWith('-')) continue;
    if (WS_HOST.test(w)) return { text: argsText(def, 1), upgrade: false, path: true };
  }
  return PLAIN_ACL;
}

/**
 * What one use_backend line says about its target, kept with the line's reading in its proxy
 * (model/haproxy.ts referenceMemo(): its proxy's ACLs come with it).
 */
function routeReasonsOf(ref: ReturnType<typeof backendReferences>[number]): WebSocketReason[] {
  return referenceMemo(ref, computeRouteReasons);
}

function computeRouteReasons(ref: ReturnType<typeof backendReferences>[number]): WebSocketReason[] {
  let reasons = NO_REASONS;
  // The required ACLs (ref.requiredAcls) read from the words themselves, no list made: each
  // one's definitions in the proxy and its defaults chain, farthest defaults first, in line order
  // (as aclsOf() lists them). The words are also looked at for an inline upgrade condition.
  // (each word read once: the condition starts after the first `if` or `unless`)
  const s = ref.statement;
  const n = argCount(s);
  let upgradeWord = false;
  let inCondition = false;
  let unless = false;
  for (let k = 0; k < n; k++) {
    const v = argValue(s, k)!;
    // (a word shorter than `upgrade` holds neither word)
    if (!upgradeWord && v.length >= 7 && UPGRADE_WORD.test(v)) upgradeWord = true;
    if (!inCondition) {
      if (v === 'if' || v === 'unless') {
        inCondition = true;
        unless = v === 'unless';
      }
      continue;
    }
    const name = conditionAcl(v);
    if (name === null || !conditionRequires(v, unless)) continue;
    reasons = requiredAclReasons(ref, name, reasons);
  }
  // inline conditions: use_backend ws if { hdr(upgrade) -i websocket } (words looked at first, as in aclFactsOf())
  if (upgradeWord && WS_ACL.test(argsText(s)))
    (reasons === NO_REASONS ? (reasons = []) : reasons).push({
      kind: 'acl',
      text: `${ref.from.kind}${ref.from.name ? ` ${clipWord(ref.from.name)}` : ''} routes WebSocket upgrades here`,
    });
  return reasons;
}

/**
 * `reasons` with those of the definitions of the ACL `name` in the route's proxy and its defaults
 * chain (farthest defaults first, in line order). A proxy with many ACLs (one per routed host,
 * say) is read through aclsOf()'s map by name, so N routes over N ACLs cost N lookups, not N * N
 * comparisons; otherwise the `acl` lines are walked where they are (nothing is built).
 */
function requiredAclReasons(
  ref: ReturnType<typeof backendReferences>[number],
  name: string,
  reasons: WebSocketReason[],
): WebSocketReason[] {
  const from = ref.from;
  const d = from.defaults;
  // (the chain [from] or [from, d], the common ones, without chainOf()'s list)
  const short = d === null || (d.defaults === null && d !== from);
  const chain = short ? null : proxyChainShared(from);
  let count = factLineCount(from, 'acl');
  if (short) {
    if (d !== null) count += factLineCount(d, 'acl');
  } else for (let c = 1; c < chain!.length; c++) count += factLineCount(chain![c], 'acl');
  if (count === 0) return reasons;
  if (count > MANY_ACLS) {
    const defs = aclsOf(from).get(name);
    if (defs) for (const def of defs) reasons = aclReason(ref, name, def, reasons);
    return reasons;
  }
  if (short) {
    if (d !== null) reasons = aclLinesReasons(ref, d, name, reasons);
    return aclLinesReasons(ref, from, name, reasons);
  }
  for (let c = chain!.length - 1; c >= 0; c--) reasons = aclLinesReasons(ref, chain![c], name, reasons);
  return reasons;
}

/** `reasons` with those of the `acl` lines of `p` itself named `name`, in line order. */
function aclLinesReasons(
  ref: ReturnType<typeof backendReferences>[number],
  p: HaproxyProxy,
  name: string,
  reasons: WebSocketReason[],
): WebSocketReason[] {
  const body = p.section.body;
  if (body !== undefined) {
    // (through the section's body: a statement object only for an ACL of that name)
    const n = body.size;
    for (let i = factFirst(p, 'acl'), left = factLineCount(p, 'acl'); left > 0 && i < n; i++) {
      if (body.keywordAt(i) !== 'acl') continue;
      left--;
      if (body.wordCountAt(i) > 1 && body.wordValueAt(i, 1) === name)
        reasons = aclReason(ref, name, body.statement(i), reasons);
    }
    return reasons;
  }
  const stmts = p.section.statements;
  for (let i = factFirst(p, 'acl'), left = factLineCount(p, 'acl'); left > 0; i++) {
    const def = stmts[i];
    if (def.keyword !== 'acl') continue;
    left--;
    if (argValue(def, 0) === name) reasons = aclReason(ref, name, def, reasons);
  }
  return reasons;
}

/** `reasons` with what the `acl` line `def` (named `name`) says of the route. */
function aclReason(
  ref: ReturnType<typeof backendReferences>[number],
  name: string,
  def: HaproxyStatement,
  reasons: WebSocketReason[],
): WebSocketReason[] {
  const acl = aclFactsOf(def);
  if (acl.upgrade)
    (reasons === NO_REASONS ? (reasons = []) : reasons).push({
      kind: 'acl',
      text: `${ref.from.kind}${ref.from.name ? ` ${clipWord(ref.from.name)}` : ''} routes WebSocket upgrades here (acl ${clipWord(name)} ${clipWords(acl.text)})`,
    });
  else if (acl.path)
    (reasons === NO_REASONS ? (reasons = []) : reasons).push({
      kind: 'path',
      text: `${ref.from.kind}${ref.from.name ? ` ${clipWord(ref.from.name)}` : ''} routes ${clipWords(acl.text)} here`,
    });
  return reasons;
}

/** Above this many `acl` lines in a proxy and its defaults, routes find their ACLs through a map. */
const MANY_ACLS = 16;

/** Why a backend/listen carries WebSocket, or an empty list. */
export function haproxyWebSocketReasons(config: HaproxyConfig, proxy: HaproxyProxy): WebSocketReason[] {
  if (proxy.kind !== 'backend' && proxy.kind !== 'listen') return [];
  const own = ownReasonsOf(proxy);
  const reasons: WebSocketReason[] = own.before.slice();
  const refs = referencesTo(config, proxy);
  for (const ref of refs)
    if (ref.statement.keyword === 'use_backend') for (const r of routeReasonsOf(ref)) reasons.push(r);
  for (const ref of refs)
    if (ref.statement.keyword === 'default_backend') for (const r of defaultRouteReasons(ref)) reasons.push(r);
  for (const r of own.after) reasons.push(r);
  for (const r of conventionReasons(proxy)) reasons.push(r);
  for (const r of apiRootReasons(config, proxy)) reasons.push(r);
  return reasons;
}

// ---------------------------------------------------------------------------------------------
// The API root of a config that expects upgraded connections. A `defaults` section in mode http
// that sets `timeout tunnel` says the proxies using it expect upgraded (WebSocket) or CONNECT
// tunnels (the timeout applies to nothing else there: HAProxy 2.6 manual, "timeout tunnel"). The
// config rarely says which route carries them; when a frontend routes the API root (`path_beg
// /api/`, the prefix and nothing deeper) to an HTTP backend using those defaults, that backend is
// where they go: web applications serve their WebSocket endpoints under the API root
// (ThingsBoard /api/ws, Home Assistant /api/websocket, Jupyter /api/kernels/…/channels, Grafana
// /api/live/ws, Portainer /api/websocket), while the static UI (a default_backend) and deeper API
// prefixes routed elsewhere (/api/v1/, /api/images/) do not. Only `use_backend` lines count, with
// an ACL the condition requires (not negated).

/** A path ACL value that is the API root: `/api`, `/api/` (any case). */
const API_ROOT = /^\/api\/?$/i;

/**
 * Whether an `acl` line matches the API root by prefix: `path_beg /api/`, `path_dir /api`, or
 * `path -m beg /api/` / `path -m dir /api` (flags such as `-i` skipped).
 */
export function aclMatchesApiRoot(def: HaproxyStatement): boolean {
  const n = argCount(def);
  if (n < 3) return false;
  const fetch = argValue(def, 1)!;
  let prefix = fetch === 'path_beg' || fetch === 'path_dir';
  const plain = fetch === 'path';
  if (!prefix && !plain) return false;
  for (let k = 2; k < n; k++) {
    const w = argValue(def, k)!;
    if (w === '-m') {
      const m = argValue(def, ++k);
      if (plain) prefix = m === 'beg' || m === 'dir';
      continue;
    }
    if (w === '-f' || w === '-M') return false; // values from a file: unknown here
    if (w.startsWith('-')) continue;
    if (prefix && API_ROOT.test(w)) return true;
  }
  return false;
}

/** The defaults section's tunnel timeout when it says upgraded connections are expected (mode http, above 0), else null. */
function defaultsTunnel(d: HaproxyProxy | null): string | null {
  if (d === null || d.kind !== 'defaults') return null;
  const tunnel = proxyFacts(d).tunnel;
  if (!tunnel || tunnel.modifier !== undefined || proxyMode(d) !== 'http') return null;
  const v = argValue(tunnel, 1);
  const ms = v !== undefined ? parseHaproxyTime(v) : undefined;
  return ms !== undefined && ms > 0 ? v! : null;
}

/**
 * The API-root reason of a backend (see above), or none. Read from the target's defaults, mode and
 * the routes to it, so it is not kept with a route (referenceMemo() answers depend on the route's
 * own proxy only).
 */
export function apiRootReasons(config: HaproxyConfig, proxy: HaproxyProxy): WebSocketReason[] {
  if (proxy.kind !== 'backend') return NO_REASONS;
  const tunnel = defaultsTunnel(proxy.defaults);
  if (tunnel === null || proxyMode(proxy) !== 'http') return NO_REASONS;
  for (const ref of referencesTo(config, proxy)) {
    const s = ref.statement;
    if (s.keyword !== 'use_backend') continue;
    const n = argCount(s);
    const start = conditionStart(s, n);
    if (start < 0) continue;
    const unless = argValue(s, start - 1) === 'unless';
    const acls = aclsOf(ref.from);
    for (let k = start; k < n; k++) {
      const v = argValue(s, k)!;
      const name = conditionAcl(v);
      if (name === null || !conditionRequires(v, unless)) continue;
      const def = acls.get(name)?.find(aclMatchesApiRoot);
      if (!def) continue;
      return [
        {
          kind: 'path',
          text: `${ref.from.kind}${ref.from.name ? ` ${clipWord(ref.from.name)}` : ''} routes the API root here (acl ${clipWord(name)} ${clipWords(argsText(def, 1))}) and ${proxyLabelOf(proxy.defaults!)} sets timeout tunnel ${tunnel} for upgraded connections: WebSocket endpoints of web applications live under the API root`,
        },
      ];
    }
  }
  return NO_REASONS;
}

function proxyLabelOf(p: HaproxyProxy): string {
  return p.name ? `${p.kind} ${clipWord(p.name)}` : p.kind;
}

// ---------------------------------------------------------------------------------------------
// Signs of WebSocket that real configs carry without upgrade ACLs or WebSocket-like names (the
// official Socket.IO example, SockJS and MQTT-over-WebSocket setups, configs of the HAProxy 1.4
// era). Each is read from the proxy's own lines (and the comments around its header).

/** A comment that talks about WebSocket (not a `wslb:` marker: see WS_MARKER). */
const WS_COMMENT = /web-?sockets?\b|socket\.io|sockjs/i;
/** A comment that says the opposite: "no WebSocket here", "not a websocket backend", "non-WebSocket traffic". */
const WS_COMMENT_NEGATED = /\b(no|not|non|without)[- ](a |any )?(web-?sockets?|socket\.io|sockjs)/i;
/** Whether a text may hold such a comment: a `#` before one of those words on a line. */
const WS_COMMENT_IN_TEXT = /#[^\n]*?(web-?sockets?\b|socket\.io|sockjs)/i;
const commentSeen = new WeakMap<object, boolean>();

/**
 * The line (0-based) of the first comment about WebSocket on the proxy's header, on the comment
 * lines just above it, or on any line of the section (trailing comments included), or -1.
 */
export function webSocketCommentLine(proxy: HaproxyProxy): number {
  const src = proxy.source;
  let may = commentSeen.get(src);
  if (may === undefined) commentSeen.set(src, (may = WS_COMMENT_IN_TEXT.test(src.text)));
  if (!may) return -1;
  const lines = src.tree.lines;
  const header = proxy.section.header;
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= header.start) lo = mid;
    else hi = mid - 1;
  }
  const idx = lines[lo] === header ? lo : lines.indexOf(header);
  if (idx < 0) return -1;
  const says = (i: number) => {
    const c = lines[i]?.comment;
    if (!c) return false;
    const t = src.text.slice(c.start + 1, c.end);
    return WS_COMMENT.test(t) && !WS_MARKER.test(t) && !WS_COMMENT_NEGATED.test(t);
  };
  for (let i = idx - 1; i >= 0 && lines[i].comment && lineWordCount(lines[i]) === 0; i--) if (says(i)) return i;
  for (let i = idx; i < lines.length && (i === idx || lines[i].start < proxy.section.end); i++) if (says(i)) return i;
  return -1;
}

/** Socket.IO's session cookie: engine.io sets `io` at the handshake (server option `cookie`, name "io"). */
const SOCKET_IO_COOKIE = /(^|[^a-z0-9_])cookie\(\s*io\s*\)/i;

const CONVENTION = proxySlot<WebSocketReason[]>();

/** What a backend/listen's own lines say of WebSocket beyond its name and marker (kept per proxy object). */
export function conventionReasons(proxy: HaproxyProxy): WebSocketReason[] {
  if (proxy.kind !== 'backend' && proxy.kind !== 'listen') return NO_REASONS;
  return proxyMemo(proxy, CONVENTION, computeConventionReasons);
}

function computeConventionReasons(proxy: HaproxyProxy): WebSocketReason[] {
  let out = NO_REASONS;
  const add = (r: WebSocketReason) => (out === NO_REASONS ? (out = [r]) : out.push(r));
  const label = `${proxy.kind} ${proxy.name ?? ''}`;
  // In mode http a tunnel timeout of the proxy's own applies only to upgraded (WebSocket) and
  // CONNECT tunnels: setting it there says such connections are expected (HAProxy 2.6 manual,
  // "timeout tunnel"). In mode tcp it is the idle limit of every connection, so no sign.
  const tunnel = proxyFacts(proxy).tunnel;
  if (tunnel && tunnel.modifier === undefined && proxyMode(proxy) === 'http') {
    const v = argValue(tunnel, 1);
    const ms = v !== undefined ? parseHaproxyTime(v) : undefined;
    if (ms !== undefined && ms > 0)
      add({ kind: 'tunnel', text: `${label} sets timeout tunnel ${v}, which applies to upgraded connections` });
  }
  const body = proxy.section.body;
  const n = body !== undefined ? body.size : proxy.section.statements.length;
  for (let i = 0; i < n; i++) {
    const kw = body !== undefined ? body.keywordAt(i) : proxy.section.statements[i].keyword;
    if (kw !== 'cookie' && kw !== 'stick') continue;
    const s = body !== undefined ? body.statement(i) : proxy.section.statements[i];
    if (s.modifier !== undefined) continue;
    if (kw === 'cookie' ? argValue(s, 0) === 'io' : SOCKET_IO_COOKIE.test(argsText(s))) {
      add({
        kind: 'cookie',
        text: `${label} keeps clients on a server by the "io" cookie that Socket.IO sets at its handshake`,
      });
      break;
    }
  }
  const c = webSocketCommentLine(proxy);
  if (c >= 0) add({ kind: 'comment', text: `${label}: the comment at line ${c + 1} speaks of WebSocket` });
  return out;
}

/**
 * What a `default_backend` line says of its target: the frontend (or listen) receives WebSocket
 * upgrades that no use_backend line takes elsewhere, when it defines an ACL matching upgrades
 * that none of its use_backend lines requires (many configs define `acl is_websocket
 * hdr(Upgrade) -i WebSocket` and send everything to one backend), or when its comments speak of
 * WebSocket.
 */
function defaultRouteReasons(ref: ReturnType<typeof backendReferences>[number]): WebSocketReason[] {
  if (ref.from.kind !== 'frontend' && ref.from.kind !== 'listen') return NO_REASONS;
  return referenceMemo(ref, computeDefaultRouteReasons);
}

function computeDefaultRouteReasons(ref: ReturnType<typeof backendReferences>[number]): WebSocketReason[] {
  const from = ref.from;
  const label = `${from.kind} ${from.name ?? ''}`;
  if (chainHasUpgradeAcl(from)) {
    const upgrade = new Set<string>();
    for (const [name, defs] of aclsOf(from)) if (defs.some((d) => aclFactsOf(d).upgrade)) upgrade.add(name);
    let routed = false;
    for (const s of factLines(from, 'route')) {
      if (s.keyword !== 'use_backend') continue;
      const n = argCount(s);
      for (let k = conditionStart(s, n); k > 0 && k < n; k++) {
        const name = conditionAcl(argValue(s, k)!);
        if (name !== null && upgrade.has(name)) routed = true;
      }
    }
    if (!routed)
      return [
        {
          kind: 'acl',
          text: `${label} matches WebSocket upgrades (acl ${[...upgrade].join(', ')}) and sends them here by default_backend`,
        },
      ];
  }
  // A frontend whose comments speak of WebSocket but that routes its WebSocket paths elsewhere
  // with a use_backend line (Centrifuge's `use_backend websocket_backend if is_websocket_path`)
  // sends only the rest here.
  const c = webSocketCommentLine(from);
  if (c >= 0 && !routesWebSocketElsewhere(from))
    return [
      { kind: 'comment', text: `${label} sends its traffic here and its comment at line ${c + 1} speaks of WebSocket` },
    ];
  return NO_REASONS;
}

/** Does a use_backend line of `from` require an ACL matching WebSocket upgrades or paths? */
function routesWebSocketElsewhere(from: HaproxyProxy): boolean {
  const acls = aclsOf(from);
  for (const s of factLines(from, 'route')) {
    if (s.keyword !== 'use_backend') continue;
    const n = argCount(s);
    for (let k = conditionStart(s, n); k > 0 && k < n; k++) {
      const name = conditionAcl(argValue(s, k)!);
      const defs = name !== null ? acls.get(name) : undefined;
      if (defs?.some((d) => aclFactsOf(d).upgrade || aclFactsOf(d).path)) return true;
    }
  }
  return false;
}

export function haproxyWebSocketBackends(config: HaproxyConfig): { proxy: HaproxyProxy; reasons: WebSocketReason[] }[] {
  // The backends some use_backend line gives a reason for, found from the lines (no map of the
  // references by target is made unless a backend has reasons); then each backend/listen in
  // config order, its reasons listed only when it has some (most have none: nothing is built).
  let routed: Set<HaproxyProxy> | null = null;
  for (const ref of backendReferences(config)) {
    if (
      ref.target &&
      !routed?.has(ref.target) &&
      (ref.statement.keyword === 'use_backend' ? routeReasonsOf(ref) : defaultRouteReasons(ref)).length > 0
    )
      (routed ??= new Set()).add(ref.target);
  }
  const out: { proxy: HaproxyProxy; reasons: WebSocketReason[] }[] = [];
  for (const p of config.proxies) {
    if (p.kind !== 'backend' && p.kind !== 'listen') continue;
    const own = ownReasonsOf(p);
    if (
      own.before.length > 0 ||
      own.after.length > 0 ||
      routed?.has(p) ||
      conventionReasons(p).length > 0 ||
      apiRootReasons(config, p).length > 0
    )
      out.push({ proxy: p, reasons: haproxyWebSocketReasons(config, p) });
  }
  return out;
}
