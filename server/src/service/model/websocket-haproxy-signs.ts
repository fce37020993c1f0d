/**
 * Signs of WebSocket in a HAProxy proxy beyond its name, marker and routes: its `acl` lines, an
 * API root routed to defaults that expect tunnels, comments, a tunnel timeout, Socket.IO's cookie
 * (websocket-haproxy.ts puts them together).
 */
import { clipWord, clipWords } from '../words';
import type { HaproxyStatement } from '../syntax/haproxy';
import { fact } from '../host/memo';
import {
  type BackendReference,
  type HaproxyConfig,
  type HaproxyProxy,
  type HaproxySource,
  aclsOf,
  argCount,
  argsText,
  argValue,
  conditionAcl,
  conditionRequires,
  conditionStart,
  factLineCount,
  factLines,
  lineWordCount,
  proxyChainShared,
  proxyFacts,
  proxyMemo,
  proxyMode,
  proxySlot,
  referenceMemo,
  referencesTo,
  sectionLines,
  type SectionLines,
} from './haproxy';
import { parseHaproxyTime } from './units';
import { looksLikeWebSocketPath, WS_MARKER, type WebSocketReason } from './websocket';

/** What most proxies and routes say (shared: never changed). */
export const NO_REASONS: WebSocketReason[] = [];

export const WS_ACL = /\bhdr(_[a-z]+)?\(\s*(upgrade|connection)\s*\)|\breq\.hdr\(\s*(upgrade|connection)\s*\)/i;

/** Whether an `acl` line of the proxy or of its defaults chain matches WebSocket upgrades. */
export function chainHasUpgradeAcl(proxy: HaproxyProxy): boolean {
  if (chainAclCount(proxy) === 0) return false;
  for (const p of proxyChainShared(proxy)) {
    for (const def of factLines(p, 'acl')) if (argValue(def, 0) && aclFactsOf(def).upgrade) return true;
  }
  return false;
}

/** How many `acl` lines the proxy and its defaults chain have. */
export function chainAclCount(proxy: HaproxyProxy): number {
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
export const UPGRADE_WORD = /websocket|upgrade/i;
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
/** Whether a source's text may hold a comment about WebSocket (an edit of such a line builds the config again). */
const mayHaveWebSocketComment = fact('haproxy.mayHaveWebSocketComment', (src: HaproxySource) =>
  mayHoldWebSocketComment(src.text),
);

/**
 * Whether a `#` is followed on its line by one of WS_COMMENT's words: the rest of each line from
 * its first `#` is tested (a later `#` of the line sees less of it).
 */
function mayHoldWebSocketComment(text: string): boolean {
  for (let i = text.indexOf('#'); i >= 0;) {
    let eol = text.indexOf('\n', i);
    if (eol < 0) eol = text.length;
    if (WS_COMMENT.test(text.slice(i + 1, eol))) return true;
    i = text.indexOf('#', eol);
  }
  return false;
}

/**
 * The line (0-based) of the first comment about WebSocket on the proxy's header, on the comment
 * lines just above it, or on any line of the section (trailing comments included), or -1.
 */
/** The index of a proxy's header among its file's lines, by binary search on the line starts (-1 if absent). */
export function headerLineIndex(proxy: HaproxyProxy): number {
  const lines = proxy.source.tree.lines;
  const header = proxy.section.header;
  let lo = 0;
  let hi = lines.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lines[mid].start <= header.start) lo = mid;
    else hi = mid - 1;
  }
  return lines[lo] === header ? lo : lines.indexOf(header);
}

export function webSocketCommentLine(proxy: HaproxyProxy): number {
  const src = proxy.source;
  if (!mayHaveWebSocketComment(src)) return -1;
  const lines = src.tree.lines;
  const idx = headerLineIndex(proxy);
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

/** Whether a word after the keyword holds `cookie(` (any case), which SOCKET_IO_COOKIE needs (it has no space before the parenthesis). */
function mayNameIoCookie(lines: SectionLines, i: number): boolean {
  for (let k = 1, n = lines.wordCountAt(i); k < n; k++) {
    const w = lines.wordValueAt(i, k);
    if (w.length >= 7 && COOKIE_CALL.test(w)) return true;
  }
  return false;
}
const COOKIE_CALL = /cookie\(/i;

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
  const lines = sectionLines(proxy.section);
  for (let i = 0, n = lines.size; i < n; i++) {
    const kw = lines.keywordAt(i);
    if (kw !== 'cookie' && kw !== 'stick') continue;
    // (the words first: a statement only for a line that may say it)
    if (kw === 'cookie' ? !(lines.wordCountAt(i) > 1 && lines.wordValueAt(i, 1) === 'io') : !mayNameIoCookie(lines, i))
      continue;
    const s = lines.statement(i);
    if (s.modifier !== undefined) continue;
    if (kw === 'cookie' || SOCKET_IO_COOKIE.test(argsText(s))) {
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
export function defaultRouteReasons(ref: BackendReference): WebSocketReason[] {
  if (ref.from.kind !== 'frontend' && ref.from.kind !== 'listen') return NO_REASONS;
  return referenceMemo(ref, computeDefaultRouteReasons);
}

function computeDefaultRouteReasons(ref: BackendReference): WebSocketReason[] {
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
