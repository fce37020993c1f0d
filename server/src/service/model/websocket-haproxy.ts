/**
 * Which HAProxy backends and listens carry WebSocket traffic, and why (see websocket.ts for the
 * reasons' shape and the nginx side).
 */
import { clipWord, clipWords } from '../words';
import type { HaproxyStatement } from '../syntax/haproxy';
import type { LineTable } from '../syntax/haproxy/line-table';
import { fact, updateAcross } from '../host/memo';
import {
  type BackendReference,
  type HaproxyConfig,
  type HaproxyProxy,
  aclsOf,
  argCount,
  argsText,
  argValue,
  backendReferences,
  conditionAcl,
  conditionRequires,
  dropOnReplace,
  factFirst,
  factLineCount,
  lineWordCount,
  proxiesUsingDefaults,
  proxyChainShared,
  proxyDisabled,
  proxyMemo,
  proxyReplaced,
  proxySlot,
  referenceMemo,
  referencesTo,
  sourceMayMentionWslb,
} from './haproxy';
import { looksLikeWebSocketName, mayLookLikeWebSocketName, WS_MARKER, type WebSocketReason } from './websocket';
import {
  aclFactsOf,
  apiRootReasons,
  chainAclCount,
  chainHasUpgradeAcl,
  conventionReasons,
  defaultRouteReasons,
  headerLineIndex,
  NO_REASONS,
  UPGRADE_WORD,
  WS_ACL,
} from './websocket-haproxy-signs';

function hasHaproxyMarker(proxy: HaproxyProxy): boolean {
  if (!sourceMayMentionWslb(proxy.source)) return false;
  const table = (proxy.source.tree as { lineTable?: LineTable }).lineTable;
  if (table) {
    const found = markerInTable(proxy, table);
    if (found !== undefined) return found;
  }
  const lines = proxy.source.tree.lines;
  const idx = headerLineIndex(proxy);
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

/**
 * What a proxy says about itself (its name, a marker comment) and, for a listen, its own ACLs;
 * a listen's kept per proxy object, which never changes once built.
 */
const OWN_REASONS = proxySlot<OwnReasons>();

interface OwnReasons {
  before: WebSocketReason[];
  after: WebSocketReason[];
}
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

/**
 * What one use_backend line says about its target, kept with the line's reading in its proxy
 * (model/haproxy.ts referenceMemo(): its proxy's ACLs come with it).
 */
function routeReasonsOf(ref: BackendReference): WebSocketReason[] {
  return referenceMemo(ref, computeRouteReasons);
}

function computeRouteReasons(ref: BackendReference): WebSocketReason[] {
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
function requiredAclReasons(ref: BackendReference, name: string, reasons: WebSocketReason[]): WebSocketReason[] {
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
  ref: BackendReference,
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
  ref: BackendReference,
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

/** A WebSocket backend or listen, with why. */
export interface WebSocketBackend {
  proxy: HaproxyProxy;
  reasons: WebSocketReason[];
}

/**
 * The WebSocket backends/listens that HAProxy actually uses (not `disabled`), in config order.
 * After an edit that replaced one proxy without touching routes or ACLs, only its own entry can
 * change: the other backends' reasons come from routes and ACLs.
 */
export const activeWebSocketBackends: (config: HaproxyConfig) => WebSocketBackend[] = fact(
  'haproxy.activeWebSocketBackends',
  (config: HaproxyConfig) => haproxyWebSocketBackends(config).filter((b) => !proxyDisabled(b.proxy)),
  updateAcross(proxyReplaced, (list, { old, proxy, routesChanged }, config) => {
    if (routesChanged) return undefined;
    if (proxy.kind !== 'backend' && proxy.kind !== 'listen') return list;
    const reasons = haproxyWebSocketReasons(config, proxy);
    const keep = reasons.length > 0 && !proxyDisabled(proxy);
    const k = list.findIndex((b) => b.proxy === old);
    if (k >= 0) {
      if (keep) list[k] = { proxy, reasons };
      else list.splice(k, 1);
    } else if (keep) {
      // the list is in config order, which is file order for the single file this applies to
      let at = list.findIndex((b) => b.proxy.section.start > proxy.section.start);
      if (at < 0) at = list.length;
      list.splice(at, 0, { proxy, reasons });
    }
    return list;
  }),
);

/** activeWebSocketBackends() as a set of proxies (a new set after each edit). */
export const activeWebSocketSet = fact(
  'haproxy.activeWebSocketSet',
  (config: HaproxyConfig): ReadonlySet<HaproxyProxy> => new Set(activeWebSocketBackends(config).map((b) => b.proxy)),
  dropOnReplace(),
);

/** allUsersWebSocket() answers for activeWebSocketSet(), by defaults section. */
const webSocketOnlyDefaults = fact(
  'haproxy.webSocketOnlyDefaults',
  (_config: HaproxyConfig) => new Map<HaproxyProxy, boolean>(),
  dropOnReplace(),
);

/**
 * Is every backend/listen using the defaults section `d` (at least two) one of `ws`? Kept per
 * config for the config's active WebSocket backends: every WebSocket backend of a large config
 * asks about the same section (asking per backend was quadratic, issue 23).
 */
export function allUsersWebSocket(config: HaproxyConfig, d: HaproxyProxy, ws: ReadonlySet<HaproxyProxy>): boolean {
  // (a set from before an edit, kept by a fix built later, is answered without keeping the answer)
  if (ws !== activeWebSocketSet.peek(config)) return computeAllUsersWebSocket(config, d, ws);
  const answers = webSocketOnlyDefaults(config);
  let all = answers.get(d);
  if (all === undefined) answers.set(d, (all = computeAllUsersWebSocket(config, d, ws)));
  return all;
}

function computeAllUsersWebSocket(config: HaproxyConfig, d: HaproxyProxy, ws: ReadonlySet<HaproxyProxy>): boolean {
  const users = proxiesUsingDefaults(config, d).filter((p) => p.kind === 'backend' || p.kind === 'listen');
  return users.length >= 2 && users.every((u) => ws.has(u));
}
