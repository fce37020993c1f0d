/**
 * Which parts of a config carry WebSocket traffic. Rules about timeouts, algorithms and draining
 * apply only there, so a plain web config gets no noise. Each answer says why, so messages and
 * hovers can explain themselves.
 */
import { clipWord } from '../words';
import type { NginxDirective, NginxNode } from '../syntax/nginx';
import {
  type NginxConfig,
  type NginxContext,
  definedVariables,
  effectiveStatements,
  enclosing,
  findUpstream,
  firstNamed,
  nginxFootprintKept,
  parseProxyTarget,
  walkContexts,
} from './nginx';
import { fact, updateAcross } from '../host/memo';
import { contextsIn, type NginxRuleScope } from './nginx-units';

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
  const items = d.block?.items;
  if (items)
    for (let i = 0; i < items.length; i++) {
      const c = items[i];
      if (c.type === 'comment' && WS_MARKER.test(c.text)) return true;
    }
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
  return firstNamed(ctx, 'proxy_pass');
}

/**
 * Whether a comment of the config may be a marker (WS_MARKER): its files' texts hold `wslb:` in
 * some case. Most configs have none, and then no comment needs to be looked at.
 */
const mayHoldMarker = fact('nginx.mayHoldWebSocketMarker', (config: NginxConfig): boolean => {
  for (const src of config.sources.values()) if (/wslb:/i.test(src.tree.text)) return true;
  return false;
});

/** A reason whose text is made when read: a config has thousands, and only hovers print them. */
class Reason implements WebSocketReason {
  constructor(
    readonly kind: WebSocketReason['kind'],
    private readonly say: (word: string) => string,
    private readonly word: string,
  ) {}

  get text(): string {
    return this.say(clipWord(this.word));
  }

  toJSON(): WebSocketReason {
    return { kind: this.kind, text: this.text };
  }
}

const FORWARDS_UPGRADE = (v: string) => `forwards Upgrade (${v})`;
const SETS_CONNECTION = (v: string) => `sets Connection to ${v}`;
const WS_LIKE_PATH = (path: string) => `path ${path} looks like a WebSocket endpoint`;
const WS_SCHEME = (scheme: string) => `proxies to a ${scheme}:// URL`;
const WS_LIKE_POOL = (host: string) => `upstream ${host} is named like a WebSocket pool`;
const MARKED_POOL = (host: string) => `upstream ${host} is marked "# wslb: websocket"`;
const MARKED = () => 'marked "# wslb: websocket"';

/** Is `s` equal to `lower` (lower case) in any case? */
function sameIgnoringCase(s: string | undefined, lower: string): boolean {
  return s !== undefined && s.length === lower.length && (s === lower || s.toLowerCase() === lower);
}

/** Why a location carries WebSocket traffic, or an empty list when it does not look like it does. */
export function nginxWebSocketReasons(config: NginxConfig, ctx: NginxContext): WebSocketReason[] {
  const reasons: WebSocketReason[] = [];
  const headers = effectiveStatements(ctx, 'proxy_set_header');
  for (let i = 0; i < headers.length; i++) {
    const args = headers[i].args;
    const v = args[1] ?? '';
    if (sameIgnoringCase(args[0], 'upgrade') && /\$http_upgrade\b|websocket/i.test(v))
      reasons.push(new Reason('upgrade-header', FORWARDS_UPGRADE, v));
    if (sameIgnoringCase(args[0], 'connection')) {
      const lower = v.toLowerCase();
      const mapVar = /^\$([A-Za-z0-9_]+)$/.exec(v);
      const vars = mapVar && definedVariables(config);
      const fromUpgradeMap =
        mapVar && vars!.get(mapVar[1])?.name === 'map' && /http_upgrade/.test(vars!.get(mapVar[1])!.args[0] ?? '');
      if (lower === 'upgrade' || fromUpgradeMap || /connection_upgrade/.test(lower))
        reasons.push(new Reason('connection-header', SETS_CONNECTION, v));
    }
  }
  if (ctx.kind === 'location' && ctx.statement) {
    const path = ctx.statement.args[ctx.statement.args.length - 1] ?? '';
    if (looksLikeWebSocketPath(path)) reasons.push(new Reason('path', WS_LIKE_PATH, path));
  }
  const marked = mayHoldMarker(config);
  const pp = proxyPassOf(ctx);
  if (pp) {
    const t = parseProxyTarget(pp.args[0] ?? '');
    if (t.scheme === 'ws' || t.scheme === 'wss') reasons.push(new Reason('path', WS_SCHEME, t.scheme));
    const named = mayLookLikeWebSocketName(t.host) && looksLikeWebSocketName(t.host);
    const up = named || marked ? findUpstream(config, t.host, ctx.family) : undefined;
    if (up && named) reasons.push(new Reason('upstream-name', WS_LIKE_POOL, t.host));
    if (up && marked && hasNginxMarker(up)) reasons.push(new Reason('marker', MARKED_POOL, t.host));
  }
  for (let c: NginxContext | null = marked ? ctx : null; c && c.kind !== 'http'; c = c.parent) {
    if (hasNginxMarker(c)) {
      reasons.push(new Reason('marker', MARKED, ''));
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

function webSocketLocationAt(
  config: NginxConfig,
  ctx: NginxContext,
  table: Map<NginxContext, WebSocketLocation | null>,
): WebSocketLocation | null {
  if (ctx.family !== 'http') return null;
  if (ctx.kind !== 'location' && ctx.kind !== 'server' && ctx.kind !== 'if') return null;
  if (!proxyPassOf(ctx)) return null;
  let hit = table.get(ctx);
  if (hit === undefined) {
    const reasons = nginxWebSocketReasons(config, ctx);
    hit = reasons.length ? { location: ctx, reasons } : null;
    table.set(ctx, hit);
  }
  return hit;
}

/** The WebSocket locations among `contexts`. */
function webSocketLocationsAmong(config: NginxConfig, contexts: readonly NginxContext[]): WebSocketLocation[] {
  const table = verdicts(config);
  const out: WebSocketLocation[] = [];
  for (let ci = 0; ci < contexts.length; ci++) {
    const wl = webSocketLocationAt(config, contexts[ci], table);
    if (wl) out.push(wl);
  }
  return out;
}

/** Every location (or server without locations, in stream/http) that proxies and carries WebSocket. (Once per config.) */
export const nginxWebSocketLocations = fact('nginx.webSocketLocations', (config: NginxConfig) =>
  webSocketLocationsAmong(config, walkContexts(config.root)),
);

/** The WebSocket locations of one part of the config (model/nginx-units.ts), or of all of it. */
export function webSocketLocationsIn(config: NginxConfig, scope?: NginxRuleScope): WebSocketLocation[] {
  return scope ? webSocketLocationsAmong(config, contextsIn(config, scope)) : nginxWebSocketLocations(config);
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
    const contexts = walkContexts(config.root);
    for (let ci = 0; ci < contexts.length; ci++) {
      const ctx = contexts[ci];
      if (ctx.kind === 'upstream' && ctx.family === 'http' && !out.has(ctx)) {
        const name = ctx.statement?.args[0] ?? '';
        if ((mayHoldMarker(config) && hasNginxMarker(ctx)) || looksLikeWebSocketName(name)) out.set(ctx, []);
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
