/**
 * The nginx config model: one logical tree of contexts across all included files (nginx-tree.ts,
 * built by nginx-build.ts), and the questions rules ask of it (effective values with their origin,
 * upstream lookups, variables).
 *
 * Inheritance follows nginx's merge functions (e.g. ngx_http_proxy_merge_loc_conf in
 * src/http/modules/ngx_http_proxy_module.c): a scalar takes the nearest enclosing level that sets
 * it, else the default; an array directive such as proxy_set_header is taken from the nearest
 * level that sets ANY of it, as a whole (https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header).
 */
import { fact, keepAcross } from '../host/memo';
import { clipWord } from '../words';
import { NGINX_DATA_BLOCKS } from '../knowledge/nginx-blocks';
import {
  argsMayHold,
  contextsOfKind,
  firstNamed,
  nginxFootprintKept,
  statementsNamed,
  walkStatements,
  type NginxConfig,
  type NginxContext,
  type NginxContextKind,
  type NginxFamily,
  type NginxStatement,
} from './nginx-tree';

export {
  argsMayHold,
  configSeenWhole,
  contextsOfKind,
  firstNamed,
  namedIn,
  nginxFootprintKept,
  rebuildNginxBlock,
  statementsNamed,
  UNREAD_INCLUDE_CODES,
  walkContexts,
  walkStatements,
  type NginxConfig,
  type NginxContext,
  type NginxContextKind,
  type NginxFamily,
  type NginxSource,
  type NginxStatement,
} from './nginx-tree';
export { buildNginxConfig, defaultParse, type BuildOptions } from './nginx-build';
export { guessFragmentContext, inCopyOfInstallPrefix, shippedWithNginx } from './nginx-includes';

/** The chain of contexts nginx merges from, innermost first: location → outer locations → server → http. */
export function inheritanceChain(ctx: NginxContext): NginxContext[] {
  const chain: NginxContext[] = [];
  for (let c: NginxContext | null = ctx; c; c = inheritsFrom(c)) chain.push(c);
  return chain;
}

/** The next context of the chain above `c` (inheritanceChain), or null where it ends. */
function inheritsFrom(c: NginxContext): NginxContext | null {
  return c.kind === 'upstream' || c.kind === 'events' || NGINX_DATA_BLOCKS.has(c.kind) ? null : c.parent;
}

export function findStatements(ctx: NginxContext, name: string): NginxStatement[] {
  return statementsNamed(ctx, name).slice();
}

export interface EffectiveValue {
  /** The arguments in effect, or null when nothing sets it and no default is known. */
  args: string[] | null;
  source: 'here' | 'inherited' | 'default';
  statement?: NginxStatement;
  /** Human text for the default ("nginx 1.22 default"). */
  defaultNote?: string;
}

export type DefaultLookup = (name: string, family: NginxFamily) => { value: string; note: string } | undefined;

/** The effective value of a scalar directive at `ctx`, following nginx's inheritance. */
export function effectiveValue(ctx: NginxContext, name: string, defaults?: DefaultLookup): EffectiveValue {
  for (let c: NginxContext | null = ctx; c; c = inheritsFrom(c)) {
    const found = firstNamed(c, name);
    if (found) return { args: found.args, source: c === ctx ? 'here' : 'inherited', statement: found };
  }
  const d = defaults?.(name, ctx.family);
  if (d) return { args: wordsOf(d.value), source: 'default', defaultNote: d.note };
  return { args: null, source: 'default' };
}

/** The blank-separated words of `s` (most defaults are one word). */
function wordsOf(s: string): string[] {
  return /\s/.test(s) ? s.split(/\s+/).filter(Boolean) : s ? [s] : [];
}

export interface EffectiveList {
  /** The context's own list (shared: do not modify). */
  statements: readonly NginxStatement[];
  /** Where the list comes from; null when nothing in the chain sets it (nginx's built-in default applies). */
  from: NginxContext | null;
  source: 'here' | 'inherited' | 'default';
}

/** An array directive (proxy_set_header, add_header...) is inherited whole, only when this level sets none. */
export function effectiveList(ctx: NginxContext, name: string): EffectiveList {
  for (let c: NginxContext | null = ctx; c; c = inheritsFrom(c)) {
    if (!firstNamed(c, name)) continue;
    return { statements: statementsNamed(c, name), from: c, source: c === ctx ? 'here' : 'inherited' };
  }
  return { statements: [], from: null, source: 'default' };
}

/** `effectiveList(ctx, name).statements` (shared: do not modify). */
export function effectiveStatements(ctx: NginxContext, name: string): readonly NginxStatement[] {
  for (let c: NginxContext | null = ctx; c; c = inheritsFrom(c))
    if (firstNamed(c, name)) return statementsNamed(c, name);
  return found0;
}
const found0: readonly NginxStatement[] = Object.freeze([]);

/** The effective proxy_set_header value for a header (case-insensitive), with its statement. */
export function effectiveProxyHeader(
  ctx: NginxContext,
  header: string,
): { value: string | null; statement?: NginxStatement; list: EffectiveList } {
  const list = effectiveList(ctx, 'proxy_set_header');
  const h = header.toLowerCase();
  for (let i = list.statements.length - 1; i >= 0; i--) {
    const s = list.statements[i];
    if (s.args[0]?.toLowerCase() === h) return { value: s.args[1] ?? '', statement: s, list };
  }
  return { value: null, list };
}

/** Block kinds from the top down to `ctx` (main excluded), e.g. ['http','server','location']. */
export function contextPath(ctx: NginxContext): NginxContextKind[] {
  const out: NginxContextKind[] = [];
  for (let c: NginxContext | null = ctx; c && c.kind !== 'main'; c = c.parent) out.unshift(c.kind);
  return out;
}

export function enclosing(ctx: NginxContext, kind: NginxContextKind): NginxContext | null {
  for (let c: NginxContext | null = ctx; c; c = c.parent) if (c.kind === kind) return c;
  return null;
}

/** The upstreams by family, then by name (the first one declared of each). */
const upstreamIndex = fact(
  'nginx.upstreamIndex',
  (config: NginxConfig) => {
    const index = new Map<NginxFamily, Map<string, NginxContext>>();
    for (const u of contextsOfKind(config, 'upstream')) {
      let byName = index.get(u.family);
      if (!byName) index.set(u.family, (byName = new Map<string, NginxContext>()));
      const name = u.statement?.args[0] ?? '';
      if (!byName.has(name)) byName.set(name, u);
    }
    return index;
  },
  keepAcross(nginxFootprintKept),
);

/** The `upstream` named `name` in the same family (http or stream), if any (the first one declared). */
export function findUpstream(config: NginxConfig, name: string, family: NginxFamily): NginxContext | undefined {
  return upstreamIndex(config).get(family)?.get(name);
}

/** Parse `proxy_pass` / `grpc_pass` targets: scheme and host (upstream name or address). */
export function parseProxyTarget(url: string): ProxyTarget {
  // `scheme://host:port rest`, the scheme a letter then letters, digits, "+", ".", "-"; the host
  // runs to "/", ":" or "?", the port to "/" or "?"; the rest holds no line break
  const n = url.length;
  let i = 0;
  while (i < n && (isLetter(url.charCodeAt(i)) || (i > 0 && isSchemeChar(url.charCodeAt(i))))) i++;
  const hasVariables = url.includes('$');
  if (i === 0 || !url.startsWith('://', i)) return { scheme: null, host: url, port: null, rest: '', hasVariables };
  const hostStart = i + 3;
  let e = hostStart;
  while (e < n && !endsHost(url.charCodeAt(e))) e++;
  let port: string | null = null;
  let r = e;
  if (url.charCodeAt(e) === COLON) {
    r++;
    while (r < n && !endsPort(url.charCodeAt(r))) r++;
    port = url.slice(e + 1, r);
  }
  const rest = url.slice(r);
  if (LINE_BREAK.test(rest)) return { scheme: null, host: url, port: null, rest: '', hasVariables };
  return { scheme: url.slice(0, i).toLowerCase(), host: url.slice(hostStart, e), port, rest, hasVariables };
}

export interface ProxyTarget {
  scheme: string | null;
  host: string;
  port: string | null;
  rest: string;
  hasVariables: boolean;
}

const SLASH = 47;
const COLON = 58;
const QUESTION = 63;
/** What a regex "." does not match. */
const LINE_BREAK = /[\n\r\u2028\u2029]/;
const endsPort = (c: number) => c === SLASH || c === QUESTION;
const endsHost = (c: number) => c === COLON || endsPort(c);
const isLetter = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isSchemeChar = (c: number) => isLetter(c) || (c >= 48 && c <= 57) || c === 43 || c === 46 || c === 45;

/**
 * Variables defined by the config: map/geo/split_clients targets, set, and module-provided setters
 * (computed once per config; callers must not modify the map).
 */
export const definedVariables = fact('nginx.definedVariables', variablesOf, keepAcross(nginxFootprintKept));

function variablesOf(config: NginxConfig): Map<string, NginxStatement> {
  const out = new Map<string, NginxStatement>();
  const statements = walkStatements(config.root);
  for (let si = 0; si < statements.length; si++) {
    const s = statements[si];
    let v: string | undefined;
    switch (s.name) {
      case 'map':
      case 'split_clients':
        v = s.args[1];
        break;
      case 'geo':
        v = s.args.length >= 2 ? s.args[1] : s.args[0];
        break;
      case 'set':
      case 'perl_set':
      case 'js_set':
      case 'set_real_ip_from':
        v = s.name === 'set_real_ip_from' ? undefined : s.args[0];
        break;
      case 'auth_request_set':
        v = s.args[0];
        break;
    }
    if (v && v.startsWith('$')) {
      const name = v.slice(1).replace(/^\{(.*)\}$/, '$1');
      if (!out.has(name)) out.set(name, s);
    }
  }
  // Named captures in location/if/map regexes define variables too: (?<name>...) and (?P<name>...),
  // including the regex keys inside a map's body (data, so not statements of the model).
  const captures = (s: NginxStatement, a: string) => {
    if (a.indexOf('(?') < 0) return; // most words have no group at all
    for (const m of a.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)) if (!out.has(m[1])) out.set(m[1], s);
  };
  const mayHoldGroup = argsMayHold('(?');
  for (let si = 0; si < statements.length; si++) {
    const s = statements[si];
    if (mayHoldGroup(s)) for (const a of s.args) captures(s, a);
    if (s.name === 'map' && s.directive.block)
      for (const c of s.directive.block.items) if (c.type === 'directive') captures(s, c.name);
  }
  return out;
}

/** `$name` / `${name}` references in an argument, with offsets relative to the argument value. */
export function variableRefs(arg: string): { name: string; index: number; length: number }[] {
  const out: { name: string; index: number; length: number }[] = [];
  const n = arg.length;
  for (let i = arg.indexOf('$'); i >= 0; i = arg.indexOf('$', i)) {
    // `${name}` (letters, digits, "_") or `$name` (not starting with a digit)
    let e = i + 1;
    const braced = arg.charCodeAt(e) === LBRACE;
    if (braced) e++;
    const from = e;
    while (e < n && isNameChar(arg.charCodeAt(e))) e++;
    if (braced ? e > from && arg.charCodeAt(e) === RBRACE : e > from && !isDigit(arg.charCodeAt(from))) {
      out.push({ name: arg.slice(from, e), index: i, length: e + (braced ? 1 : 0) - i });
      i = braced ? e + 1 : e;
    } else i++;
  }
  return out;
}
const LBRACE = 123;
const RBRACE = 125;
const isDigit = (c: number) => c >= 48 && c <= 57;
const isNameChar = (c: number) => isLetter(c) || isDigit(c) || c === 95;

/** Short label for a context: "location /ws", "server (listen 80)", "upstream backend". */
export function describeContext(ctx: NginxContext): string {
  if (!ctx.statement) return ctx.kind === 'main' ? 'main context' : `${ctx.kind} (assumed: the file is a fragment)`;
  const s = ctx.statement;
  if (ctx.kind === 'server') {
    const sn = findStatements(ctx, 'server_name')[0];
    const listen = findStatements(ctx, 'listen')[0];
    return `server${sn ? ' ' + sn.args.map((a) => clipWord(a)).join(' ') : listen ? ' (listen ' + clipWord(listen.args[0]) + ')' : ''}`;
  }
  return [s.name, ...s.args].map((a) => clipWord(a)).join(' ');
}
