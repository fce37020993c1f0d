/**
 * The HAProxy config model: proxies with their defaults chain, parsed server lines, references.
 *
 * Facts (HAProxy 2.6 configuration manual, section 4 "Proxies", and src/cfgparse-listen.c):
 * a proxy takes its settings from the last `defaults` section that precedes it, or from the named
 * one given with `from`; a `defaults` section may itself inherit with `from`. `no option X` turns
 * an inherited option off. `default-server` lines set server options that later `server` lines
 * of the section (or of proxies using those defaults) start from.
 */
import { clipWord } from '../words';
import {
  parseHaproxy,
  type HaproxyFile,
  type HaproxyLine,
  type HaproxySection,
  type HaproxySectionBody,
  type HaproxyStatement,
} from '../syntax/haproxy';
import type { HaproxyLineChange } from '../syntax/haproxy/incremental';
import { parseHaproxyTime } from './units';
import type { TemplateInfo } from '../template';
import { recogniseHaproxyTemplate } from './haproxy-template';

export type ProxyKind = 'defaults' | 'frontend' | 'backend' | 'listen';

export interface HaproxySource {
  path: string;
  /** The file's text as written (placeholders included). */
  text: string;
  /** Parsed from the text with template placeholders neutralised (haproxy-template.ts), if any. */
  tree: HaproxyFile;
  /** The file's template placeholders, when it is a template. */
  template?: TemplateInfo;
}

export interface HaproxyServer {
  statement: HaproxyStatement;
  /** 'server' or 'default-server' (or 'server-template'). */
  kind: string;
  name: string;
  address: string;
  port: number | null;
  /** Options after the address, merged over the applicable default-server lines. */
  options: Map<string, { value: string | null; statement: HaproxyStatement }>;
  weight: number;
  backup: boolean;
  disabled: boolean;
  check: boolean;
  slowstartMs: number | null;
  maxconn: number | null;
  id: number | null;
}

export interface HaproxyProxy {
  kind: ProxyKind;
  name: string | null;
  section: HaproxySection;
  source: HaproxySource;
  /** The defaults section this proxy takes its settings from, if any. */
  defaults: HaproxyProxy | null;
  servers: HaproxyServer[];
}

export interface HaproxyConfig {
  sources: HaproxySource[];
  proxies: HaproxyProxy[];
  global: HaproxySection[];
  diagnostics: {
    path: string;
    start: number;
    end: number;
    code: string;
    message: string;
    severity: 'error' | 'warning' | 'information' | 'hint';
  }[];
}

const PROXY_KINDS = new Set(['defaults', 'frontend', 'backend', 'listen']);

/**
 * A line's word count and a word's value without building the line's word objects, where the
 * tree can (its lines then have `wordCount` and `wordValue(k)`); building every line's words is
 * most of what reading a large file would cost.
 */
interface WordReader {
  wordCount?: number;
  wordValue?(k: number): string;
}
export function lineWordCount(line: HaproxyLine): number {
  const n = (line as WordReader).wordCount;
  return n !== undefined ? n : line.words.length;
}
/** `line.words[k]?.value`. */
export function lineWordValue(line: HaproxyLine, k: number): string | undefined {
  const r = line as WordReader;
  if (r.wordValue !== undefined) return k < r.wordCount! ? r.wordValue(k) : undefined;
  return line.words[k]?.value;
}
/** `stmt.args[k]?.value` (the words after the keyword); through the statement when it can (no line object built). */
export function argValue(stmt: HaproxyStatement, k: number): string | undefined {
  const r = stmt as WordReader;
  if (r.wordValue !== undefined) return k + 1 < r.wordCount! ? r.wordValue(k + 1) : undefined;
  return lineWordValue(stmt.line, k + 1);
}
/** `stmt.args.slice(from).map((a) => a.value).join(' ')`, without building word objects. */
export function argsText(stmt: HaproxyStatement, from = 0): string {
  let out = '';
  for (let k = from, n = argCount(stmt); k < n; k++) out += (k > from ? ' ' : '') + argValue(stmt, k)!;
  return out;
}
/** `stmt.args.length`. */
export function argCount(stmt: HaproxyStatement): number {
  const n = (stmt as WordReader).wordCount;
  return (n !== undefined ? n : lineWordCount(stmt.line)) - 1;
}

/** Options of `server` lines that take a value (HAProxy 2.6 manual section 5.2); the rest are flags. */
const SERVER_VALUE_OPTIONS = new Set([
  'addr',
  'agent-addr',
  'agent-inter',
  'agent-port',
  'agent-send',
  'alpn',
  'ca-file',
  'check-alpn',
  'check-proto',
  'check-sni',
  'ciphers',
  'ciphersuites',
  'client-sigalgs',
  'cookie',
  'crl-file',
  'crt',
  'curves',
  'downinter',
  'error-limit',
  'fall',
  'fastinter',
  'id',
  'init-addr',
  'inter',
  'log-proto',
  'max-reuse',
  'maxconn',
  'maxqueue',
  'minconn',
  'namespace',
  'npn',
  'observe',
  'on-error',
  'on-marked-down',
  'on-marked-up',
  'pool-conn-name',
  'pool-low-conn',
  'pool-max-conn',
  'pool-purge-delay',
  'port',
  'proto',
  'redir',
  'resolve-net',
  'resolve-opts',
  'resolve-prefer',
  'resolvers',
  'rise',
  'set-proxy-v2-tlv-fmt',
  'shard',
  'sigalgs',
  'slowstart',
  'sni',
  'socks4',
  'source',
  'ssl-max-ver',
  'ssl-min-ver',
  'tcp-ut',
  'track',
  'usesrc',
  'weight',
  'ws',
  'proxy-v2-options',
  'log-bufsize',
  'check-via-socks4',
  'allow-0rtt',
]);

/**
 * What one reading of a section's own statements finds: the lines the questions asked of every
 * proxy on every analysis depend on (its mode, whether it is disabled, whether it has servers,
 * its timeouts, routes and ACLs). The keyword's first character is compared before the keyword,
 * and only `timeout` lines have a word read; nothing is built for the other lines. Kept with the
 * proxy (see proxyFacts()); the defaults chain is not included (each defaults section has its own).
 * Facts that name no statement (most backends': servers, an ACL, no mode or timeout of their own)
 * are shared by the proxies that have the same (see readFacts()): such an object is never changed.
 */
export class ProxyFacts {
  /** The last `mode` line. */
  mode: HaproxyStatement | null = null;
  /** The last `disabled` or `enabled` line. */
  onOff: HaproxyStatement | null = null;
  /** The last `timeout connect|client|server|tunnel` lines. */
  connect: HaproxyStatement | null = null;
  client: HaproxyStatement | null = null;
  server: HaproxyStatement | null = null;
  tunnel: HaproxyStatement | null = null;
  /** The last `default_backend` line. */
  defaultBackend: HaproxyStatement | null = null;
  /** Whether the section has a `server` or `server-template` line. */
  hasServers = false;
  /**
   * Where the `acl`, route (`use_backend`, `default_backend`) and `timeout` lines are: the index
   * in the section's statements of the first one (-1 when none), and how many there are.
   * factLines() lists them from there when asked (most proxies are never asked), so no list is
   * built here.
   */
  acl0 = -1;
  route0 = -1;
  timeout0 = -1;
  aclCount = 0;
  routeCount = 0;
  timeoutCount = 0;
  /** For a proxy that is not a ProxyNode: its FactLists (a ProxyNode keeps them in its memo). */
  lists: FactLists | null = null;
}

/**
 * factLines() answers, and for a defaults section effectiveTimeoutMs() by FactTimeout index
 * (`ms`), once asked (the proxies using the section ask for its values over and over).
 */
interface FactLists {
  acl?: HaproxyStatement[];
  route?: HaproxyStatement[];
  timeout?: HaproxyStatement[];
  ms?: (number | null | undefined)[];
}

/** Answers kept with a proxy that few proxies are asked for (see ProxyNode.memo). */
interface NodeMemo {
  servers: HaproxyServer[] | undefined;
  /** The proxy and its defaults chain, nearest first. */
  chain: readonly HaproxyProxy[] | undefined;
  /** haproxyEffective() by pathId(). */
  effective: (HaproxyEffective | null)[] | undefined;
  /** ownEffective() by pathId() (what the section itself says, chain left out). */
  own: (OwnEffective | null)[] | undefined;
  acls: Map<string, HaproxyStatement[]> | undefined;
  /** Other modules' answers, by proxySlot() index. */
  slots: unknown[] | undefined;
  lists: FactLists | undefined;
}

/**
 * A proxy, with its facts (see ProxyFacts; read when first asked for) and the answers kept with
 * it: a proxy object and its defaults chain never change once built (an edited section gets a new
 * object), and rules ask the same questions of every proxy. Its servers are parsed when first
 * asked for (most rules never look at the servers of most proxies, and a large file has thousands
 * of them). What a full check asks of every proxy (facts, mode, disabled, routes) has a field of
 * its own; the rest waits in `memo`, made only for the proxies that are asked more.
 */
class ProxyNode implements HaproxyProxy {
  /** proxyFacts(), once read (possibly shared with other proxies: never changed). */
  facts: ProxyFacts | undefined = undefined;
  /** proxyMode() and proxyDisabled() answers. */
  modeAnswer: string | undefined = undefined;
  disabledAnswer: boolean | undefined = undefined;
  references: Reference[] | undefined = undefined;
  memo: NodeMemo | undefined = undefined;
  constructor(
    public kind: ProxyKind,
    public name: string | null,
    public section: HaproxySection,
    public source: HaproxySource,
    public defaults: HaproxyProxy | null,
  ) {}
  get servers(): HaproxyServer[] {
    const m = memoOf(this);
    return (m.servers ??= parseServers(this));
  }
  set servers(list: HaproxyServer[]) {
    memoOf(this).servers = list;
  }
}

function memoOf(node: ProxyNode): NodeMemo {
  return (node.memo ??= {
    servers: undefined,
    chain: undefined,
    effective: undefined,
    own: undefined,
    acls: undefined,
    slots: undefined,
    lists: undefined,
  });
}

export function buildHaproxyConfig(files: { path: string; text: string; tree?: HaproxyFile }[]): HaproxyConfig {
  const sources = files.map((f) => haproxySource(f.path, f.text, f.tree));
  const proxies: HaproxyProxy[] = [];
  const global: HaproxySection[] = [];
  const diagnostics: HaproxyConfig['diagnostics'] = [];
  let lastDefaults: HaproxyProxy | null = null;
  const named = new Map<string, HaproxyProxy>();

  for (const src of sources) {
    for (const section of src.tree.sections) {
      if (section.keyword === 'global') {
        global.push(section);
        continue;
      }
      if (!PROXY_KINDS.has(section.keyword)) continue;
      const kind = section.keyword as ProxyKind;
      // Only frontends, backends and listens take the previous defaults section; a defaults section
      // inherits nothing unless it says `from` (src/cfgparse-listen.c, cfg_parse_listen(), v2.6.0:
      // "only regular proxies inherit from the previous defaults section").
      let defaults: HaproxyProxy | null = kind === 'defaults' ? null : lastDefaults;
      if (section.from) {
        defaults = named.get(section.from) ?? null;
        if (!defaults) {
          const span = section.fromSpan ?? section.header;
          diagnostics.push({
            path: src.path,
            start: span.start,
            end: span.end,
            code: 'haproxy/unknown-defaults',
            message: `defaults section '${clipWord(section.from)}' not found for ${kind} '${clipWord(section.name ?? '')}' (it must be declared before)`,
            severity: 'error',
          });
        }
      }
      const proxy: HaproxyProxy = new ProxyNode(kind, section.name, section, src, defaults);
      proxies.push(proxy);
      if (kind === 'defaults') {
        lastDefaults = proxy;
        if (section.name) named.set(section.name, proxy);
      }
    }
  }
  return { sources, proxies, global, diagnostics };
}

/**
 * One file of a config. A template (haproxy-template.ts) is parsed with its placeholders
 * neutralised, as if rendered; `tree`, when given, must have been parsed from that text
 * (haproxyParseText).
 */
export function haproxySource(path: string, text: string, tree?: HaproxyFile): HaproxySource {
  const template = recogniseHaproxyTemplate(text) ?? undefined;
  return { path, text, tree: tree ?? parseHaproxy(template?.text ?? text), template };
}

/** The text to parse for a file: the file's, with template placeholders neutralised. */
export function haproxyParseText(text: string): string {
  return recogniseHaproxyTemplate(text)?.text ?? text;
}

/**
 * The config after an edit inside one line of `path` (syntax/haproxy/incremental.ts): the edited
 * proxy is rebuilt, every other proxy object is kept (with what is remembered about it), and the
 * shared source now holds the new text and tree. Returns null when the config must be built again:
 * an edit in a `defaults` section changes what the proxies using it inherit.
 */
export function updateHaproxyConfig(
  config: HaproxyConfig,
  path: string,
  change: HaproxyLineChange,
): HaproxyConfig | null {
  const src = config.sources.find((s) => s.path === path);
  const section = change.section;
  if (!src || section.keyword === 'defaults' || src.template) return null;
  // A `wslb` comment (a WebSocket marker, in any case) may mark the proxy below it, not only the
  // one it belongs to: such a line is edited by building the config again. Nothing else can
  // bring one in or take one out (sourceMayMentionWslb() stays true of the text).
  if (
    WSLB.test(src.text.slice(change.lineStart, change.oldLineEnd)) ||
    WSLB.test(change.tree.text.slice(change.lineStart, change.oldLineEnd + change.delta))
  )
    return null;
  src.text = change.tree.text;
  src.tree = change.tree;
  if (change.delta !== 0) {
    for (const d of config.diagnostics) {
      if (d.path !== path || d.start < change.oldLineEnd) continue;
      d.start += change.delta;
      d.end += change.delta;
    }
  }
  if (!PROXY_KINDS.has(section.keyword)) return config; // global, peers, ...: no proxy changed
  const i = indexOfSection(config.proxies, section);
  if (i < 0) return null;
  const old = config.proxies[i];
  const proxy: HaproxyProxy = new ProxyNode(old.kind, old.name, section, src, old.defaults);
  // The config object is updated in place (the caller drops the old state), so what is known
  // about the whole config follows the one proxy that changed instead of being computed again.
  config.proxies[i] = proxy;
  const both = proxyIndex.get(config);
  for (const index of [both?.be, both?.all]) {
    const named = old.name !== null ? index?.get(old.name) : undefined;
    if (named === old) index!.set(old.name!, proxy);
    else if (Array.isArray(named)) named[named.indexOf(old)] = proxy;
  }
  // Unless the line is (or was) a route or an ACL, the proxy's routes are the same statements.
  const routes = (s: HaproxyStatement | null) =>
    !!s && (s.keyword === 'use_backend' || s.keyword === 'default_backend' || s.keyword === 'acl');
  const routesChanged = routes(change.removed) || routes(change.added);
  const refs = referenceCache.get(config);
  if (refs) {
    if (routesChanged) referenceCache.delete(config);
    else {
      for (const r of refs) {
        if (r.target === old) r.target = proxy;
        if (r.from === old) r.from = proxy;
      }
    }
  }
  const lists = filtered.get(config);
  if (lists) {
    for (const [test, list] of lists) {
      const k = indexOfSection(list, section);
      if (k >= 0) list.splice(k, 1);
      if (!test(proxy)) continue;
      // lists are in config order, which is file order for the single file edited here
      list.splice(firstAfter(list, section.start), 0, proxy);
    }
  }
  usersOfDefaults.delete(config);
  if (refs) referencesByTarget.delete(refs); // their targets may have changed in place
  for (const hook of replacedHooks) hook(config, old, proxy, routesChanged);
  return config;
}

/**
 * Whether a source's text may hold a `wslb` comment (any case; WebSocket markers and suppressions
 * start so): when it holds none, nothing needs to look for one. Kept per source object, which an
 * edit updates in place (updateHaproxyConfig, which leaves lines with `wslb` to a new build), so
 * it is found once per text opened, not per edit.
 */
export function sourceMayMentionWslb(src: HaproxySource): boolean {
  let v = wslbSeen.get(src);
  if (v === undefined) wslbSeen.set(src, (v = hasWslbComment(src.text)));
  return v;
}
/** `wslb` markers, and comments about WebSocket (model/websocket.ts reads those near a section's header). */
const WSLB = /wslb|web-?socket|socket\.io|sockjs/i;

/**
 * Whether some `#` in the text is followed, after white space, by `wslb` in any case: every
 * comment a marker or a suppression can be in (the comment's text must start so) has one. Looking
 * from each `#` is much quicker than a case-insensitive search of the whole text. (It may say yes
 * for a `#` that starts no comment, or white space across a line break: "may".)
 */
export function hasWslbComment(text: string): boolean {
  const n = text.length;
  for (let i = text.indexOf('#'); i >= 0; i = text.indexOf('#', i + 1)) {
    let j = i + 1;
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    // `| 32` lowers an ASCII letter and leaves no other character on w, s, l or b (/i does not
    // fold non-ASCII letters onto ASCII ones without the u flag)
    if (
      j + 4 <= n &&
      (text.charCodeAt(j) | 32) === 119 &&
      (text.charCodeAt(j + 1) | 32) === 115 &&
      (text.charCodeAt(j + 2) | 32) === 108 &&
      (text.charCodeAt(j + 3) | 32) === 98
    )
      return true;
  }
  return false;
}

/** What `\s` matches. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c >= 128 && SPACE.test(String.fromCharCode(c));
}
const SPACE = /\s/;
const wslbSeen = new WeakMap<HaproxySource, boolean>();

/**
 * Where the proxy of `section` is in `list`, or -1. The lists updateHaproxyConfig() updates are
 * in file order (one file), so a binary search on where sections start finds it; a linear search
 * checks anything else.
 */
function indexOfSection(list: readonly HaproxyProxy[], section: HaproxySection): number {
  const k = firstAfter(list, section.start - 1);
  if (k < list.length && list[k].section === section) return k;
  return list.findIndex((p) => p.section === section);
}

/** The first index whose section starts after `offset` (list.length when none), for a list in file order. */
function firstAfter(list: readonly HaproxyProxy[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].section.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const filtered = new WeakMap<HaproxyConfig, Map<(p: HaproxyProxy) => boolean, HaproxyProxy[]>>();

/**
 * The proxies for which `test` holds, in config order; kept per config (and followed through
 * proxy replacements), so a rule that concerns few proxies does not walk them all on every edit.
 * `test` must be a module-level function of the proxy object alone.
 */
export function proxiesWhere(config: HaproxyConfig, test: (p: HaproxyProxy) => boolean): HaproxyProxy[] {
  let lists = filtered.get(config);
  if (!lists) filtered.set(config, (lists = new Map<(p: HaproxyProxy) => boolean, HaproxyProxy[]>()));
  let list = lists.get(test);
  if (!list) lists.set(test, (list = config.proxies.filter(test)));
  return list;
}

/** `routesChanged`: the edited line is or was a use_backend, default_backend or acl line. */
type ProxyReplaced = (config: HaproxyConfig, old: HaproxyProxy, proxy: HaproxyProxy, routesChanged: boolean) => void;
const replacedHooks: ProxyReplaced[] = [];

/**
 * Lets a cache kept per config follow a proxy that updateHaproxyConfig() replaced (called after
 * the config's own indexes were updated, in registration order).
 */
export function onProxyReplaced(hook: ProxyReplaced): void {
  replacedHooks.push(hook);
}

function defaultServerChain(proxy: HaproxyProxy): HaproxyStatement[] {
  const chain: HaproxyStatement[] = [];
  const defs: HaproxyProxy[] = [];
  for (let d = proxy.defaults; d && !defs.includes(d); d = d.defaults) defs.unshift(d);
  for (const d of defs) chain.push(...d.section.statements.filter((s) => s.keyword === 'default-server'));
  return chain;
}

function parseOptions(stmt: HaproxyStatement, startIndex: number, into: HaproxyServer['options']): void {
  const a = stmt.args;
  for (let i = startIndex; i < a.length; i++) {
    const key = a[i].value;
    if (SERVER_VALUE_OPTIONS.has(key) && i + 1 < a.length) {
      into.set(key, { value: a[i + 1].value, statement: stmt });
      i++;
    } else if (key.startsWith('no-') && into.has(key.slice(3))) {
      into.delete(key.slice(3));
    } else {
      into.set(key, { value: null, statement: stmt });
    }
  }
}

function parseServers(proxy: HaproxyProxy): HaproxyServer[] {
  if (proxy.kind === 'defaults' || proxy.kind === 'frontend') return [];
  const out: HaproxyServer[] = [];
  const defaults = new Map<string, { value: string | null; statement: HaproxyStatement }>();
  for (const d of defaultServerChain(proxy)) parseOptions(d, 0, defaults);
  let order = 0;
  for (const s of proxy.section.statements) {
    if (s.keyword === 'default-server') {
      parseOptions(s, 0, defaults);
      continue;
    }
    if (s.keyword !== 'server' || s.args.length < 2) continue;
    order++;
    const options = new Map(defaults);
    parseOptions(s, 2, options);
    const addr = s.args[1].value;
    const m = /^(.*):(\d+)$/.exec(addr);
    const num = (k: string) => {
      const v = options.get(k)?.value;
      return v != null && /^\d+$/.test(v) ? Number(v) : null;
    };
    const ss = options.get('slowstart')?.value;
    out.push({
      statement: s,
      kind: 'server',
      name: s.args[0].value,
      address: m ? m[1] : addr,
      port: m ? Number(m[2]) : null,
      options,
      weight: num('weight') ?? 1,
      backup: options.has('backup'),
      disabled: options.has('disabled'),
      check: options.has('check'),
      slowstartMs: ss != null ? (parseHaproxyTime(ss) ?? null) : null,
      maxconn: num('maxconn'),
      id: num('id') ?? order,
    });
  }
  return out;
}

/** The timeouts ProxyFacts keeps by name. */
export type FactTimeout = 'connect' | 'client' | 'server' | 'tunnel';

/** proxyFacts() of proxies that are not ProxyNodes (built by hand), once per object. */
const looseFacts = new WeakMap<HaproxyProxy, ProxyFacts>();

/** What the proxy's own section says (see ProxyFacts); read once per proxy object. */
export function proxyFacts(proxy: HaproxyProxy): ProxyFacts {
  if (proxy instanceof ProxyNode) return (proxy.facts ??= shared(readSectionFacts(proxy.section, clear(scratch))));
  let f = looseFacts.get(proxy);
  if (!f) looseFacts.set(proxy, (f = readSectionFacts(proxy.section, new ProxyFacts())));
  return f;
}

/** Where a ProxyNode's facts are read, before shared() keeps them (no object made for facts already held). */
const scratch = new ProxyFacts();

function clear(f: ProxyFacts): ProxyFacts {
  f.mode = f.onOff = f.connect = f.client = f.server = f.tunnel = f.defaultBackend = null;
  f.hasServers = false;
  f.acl0 = f.route0 = f.timeout0 = -1;
  f.aclCount = f.routeCount = f.timeoutCount = 0;
  return f;
}

/** A new object with the facts of `f` (its FactLists left out). */
function copyOf(f: ProxyFacts): ProxyFacts {
  const c = new ProxyFacts();
  c.mode = f.mode;
  c.onOff = f.onOff;
  c.connect = f.connect;
  c.client = f.client;
  c.server = f.server;
  c.tunnel = f.tunnel;
  c.defaultBackend = f.defaultBackend;
  c.hasServers = f.hasServers;
  c.acl0 = f.acl0;
  c.route0 = f.route0;
  c.timeout0 = f.timeout0;
  c.aclCount = f.aclCount;
  c.routeCount = f.routeCount;
  c.timeoutCount = f.timeoutCount;
  return c;
}

/** What one facts object of each shape that names no statement stands for (see shared()). */
const sharedFacts = new Map<number, ProxyFacts>();

/**
 * A copy of `f` (read into the scratch object), or an equal one already made when `f` names no
 * statement and its numbers are small (most
 * backends of a large config have the same: servers, an ACL or two at the same place): one object
 * for all of them instead of one each. Only ProxyNodes' facts are shared (they keep their
 * FactLists in their memo); a shared object is never changed. Process-wide and bounded: it maps
 * a shape to equal facts, so whatever it holds, every proxy reads the same answers.
 */
function shared(f: ProxyFacts): ProxyFacts {
  if (
    f.mode !== null ||
    f.onOff !== null ||
    f.connect !== null ||
    f.client !== null ||
    f.server !== null ||
    f.tunnel !== null ||
    f.defaultBackend !== null
  )
    return copyOf(f);
  // (firsts up to 61 and counts up to 7: 1 + 3 * (6 + 3) = 28 bits, a small integer key)
  if (f.acl0 >= 62 || f.route0 >= 62 || f.timeout0 >= 62 || f.aclCount > 7 || f.routeCount > 7 || f.timeoutCount > 7)
    return copyOf(f);
  const key =
    (f.hasServers ? 1 : 0) |
    ((f.acl0 + 1) << 1) |
    (f.aclCount << 7) |
    ((f.route0 + 1) << 10) |
    (f.routeCount << 16) |
    ((f.timeout0 + 1) << 19) |
    (f.timeoutCount << 25);
  const had = sharedFacts.get(key);
  if (had !== undefined) return had;
  const c = copyOf(f);
  if (sharedFacts.size < 4096) sharedFacts.set(key, c);
  return c;
}

/** Fills `f` (cleared) with the facts of the section's statements: through its body when it has one (no statement object per line). */
function readSectionFacts(section: HaproxySection, f: ProxyFacts): ProxyFacts {
  const body = section.body;
  return readFacts(body ?? statementsAsBody(section.statements), f);
}

/** The part of HaproxySectionBody that readFacts() reads. */
type FactSource = Pick<HaproxySectionBody, 'size' | 'keywordAt' | 'wordCountAt' | 'wordValueAt' | 'statement'>;

/** A section without a body (built by hand) read through the same interface. */
function statementsAsBody(stmts: readonly HaproxyStatement[]): FactSource {
  return {
    size: stmts.length,
    keywordAt: (i) => stmts[i].keyword,
    wordCountAt: (i) => stmts[i].wordCount,
    wordValueAt: (i, k) => stmts[i].wordValue(k),
    statement: (i) => stmts[i],
  };
}

/**
 * Fills `f` (cleared) with the facts of a section's statements, walked by index: only the
 * statements the facts name are made (the last of each kind, once the walk is over).
 */
function readFacts(body: FactSource, f: ProxyFacts): ProxyFacts {
  let mode = -1;
  let onOff = -1;
  let connect = -1;
  let client = -1;
  let server = -1;
  let tunnel = -1;
  let defaultBackend = -1;
  const n = body.size;
  for (let i = 0; i < n; i++) {
    const kw = body.keywordAt(i);
    switch (kw.charCodeAt(0)) {
      case 97 /* a */:
        if (kw === 'acl') {
          if (f.acl0 < 0) f.acl0 = i;
          f.aclCount++;
        }
        break;
      case 100 /* d */:
        if (kw === 'default_backend') {
          defaultBackend = i;
          if (f.route0 < 0) f.route0 = i;
          f.routeCount++;
        } else if (kw === 'disabled') onOff = i;
        break;
      case 101 /* e */:
        if (kw === 'enabled') onOff = i;
        break;
      case 109 /* m */:
        if (kw === 'mode') mode = i;
        break;
      case 115 /* s */:
        if (kw === 'server' || kw === 'server-template') f.hasServers = true;
        break;
      case 116 /* t */:
        if (kw === 'timeout') {
          if (f.timeout0 < 0) f.timeout0 = i;
          f.timeoutCount++;
          const which = body.wordCountAt(i) > 1 ? body.wordValueAt(i, 1) : undefined;
          if (which === 'connect') connect = i;
          else if (which === 'client') client = i;
          else if (which === 'server') server = i;
          else if (which === 'tunnel') tunnel = i;
        }
        break;
      case 117 /* u */:
        if (kw === 'use_backend') {
          if (f.route0 < 0) f.route0 = i;
          f.routeCount++;
        }
        break;
    }
  }
  if (mode >= 0) f.mode = body.statement(mode);
  if (onOff >= 0) f.onOff = body.statement(onOff);
  if (connect >= 0) f.connect = body.statement(connect);
  if (client >= 0) f.client = body.statement(client);
  if (server >= 0) f.server = body.statement(server);
  if (tunnel >= 0) f.tunnel = body.statement(tunnel);
  if (defaultBackend >= 0) f.defaultBackend = body.statement(defaultBackend);
  return f;
}

/** Which lines factLines() lists. */
export type FactLines = 'acl' | 'route' | 'timeout';

/**
 * The section's own `acl` lines, route lines (`use_backend` and `default_backend`) or `timeout`
 * lines, in order; kept with its facts. Not to be changed. (factFirst() and factLineCount() walk
 * them without a list.)
 */
export function factLines(proxy: HaproxyProxy, which: FactLines): readonly HaproxyStatement[] {
  const f = proxyFacts(proxy);
  const from = which === 'acl' ? f.acl0 : which === 'route' ? f.route0 : f.timeout0;
  if (from < 0) return NO_STATEMENTS;
  const lists = listsOf(proxy, f);
  let list = lists[which];
  if (list) return list;
  const count = which === 'acl' ? f.aclCount : which === 'route' ? f.routeCount : f.timeoutCount;
  const stmts = proxy.section.statements;
  if (count === 1) return (lists[which] = [stmts[from]]);
  list = [];
  // (the last one found ends the walk: the lines after it are not looked at)
  for (let i = from; list.length < count; i++) if (isFactLine(stmts[i].keyword, which)) list.push(stmts[i]);
  return (lists[which] = list);
}

/** Where a proxy keeps its FactLists: in its memo for a ProxyNode (its facts may be shared), else with its facts. */
function listsOf(proxy: HaproxyProxy, f: ProxyFacts): FactLists {
  if (proxy instanceof ProxyNode) return (memoOf(proxy).lists ??= {});
  return (f.lists ??= {});
}

/** How many `which` lines the section itself has (factLines(proxy, which).length, without a list). */
export function factLineCount(proxy: HaproxyProxy, which: FactLines): number {
  const f = proxyFacts(proxy);
  return which === 'acl' ? f.aclCount : which === 'route' ? f.routeCount : f.timeoutCount;
}

/**
 * The index in the section's statements of its first `which` line (-1 when none). With
 * factLineCount(), walks factLines() without making the list:
 * `for (let i = factFirst(p, 'acl'), left = factLineCount(p, 'acl'); left > 0; i++) if (stmts[i].keyword === 'acl') { left--; ... }`.
 */
export function factFirst(proxy: HaproxyProxy, which: FactLines): number {
  const f = proxyFacts(proxy);
  return which === 'acl' ? f.acl0 : which === 'route' ? f.route0 : f.timeout0;
}

function isFactLine(kw: string, which: FactLines): boolean {
  return which === 'acl'
    ? kw === 'acl'
    : which === 'route'
      ? kw === 'use_backend' || kw === 'default_backend'
      : kw === 'timeout';
}

/** The defaults chain is at most this long when walked without chainOf() (a longer one is read through chainOf()). */
const WALK_LIMIT = 64;

/**
 * The effective `timeout <which>` in milliseconds as haproxyTimeout() gives it (0 included; null
 * when unset, without a value or unreadable), from the facts of the proxy and its defaults chain,
 * without building an HaproxyEffective.
 */
export function effectiveTimeoutMs(proxy: HaproxyProxy, which: FactTimeout): number | null {
  if (!(proxy instanceof ProxyNode)) return haproxyTimeout(proxy, which).ms;
  return nodeTimeoutMs(proxy, which, 0);
}

/** The index of a timeout in FactLists.ms. */
function msIndex(which: FactTimeout): number {
  return which === 'connect' ? 0 : which === 'client' ? 1 : which === 'server' ? 2 : 3;
}

/** effectiveTimeoutMs() of a ProxyNode; a defaults section keeps its answers (see FactLists). */
function nodeTimeoutMs(proxy: ProxyNode, which: FactTimeout, depth: number): number | null {
  const f = proxyFacts(proxy);
  // (a comparison of constants, not a look-up by a variable key)
  const s = which === 'connect' ? f.connect : which === 'client' ? f.client : which === 'server' ? f.server : f.tunnel;
  if (s) {
    const v = argValue(s, 1);
    return v !== undefined ? timeOf(v) : null;
  }
  const keep = proxy.kind === 'defaults';
  const kept = keep && proxy.memo !== undefined && proxy.memo.lists !== undefined ? proxy.memo.lists.ms : undefined;
  if (kept !== undefined) {
    const known = kept[msIndex(which)];
    if (known !== undefined) return known;
  }
  const d = proxy.defaults;
  let ms: number | null;
  if (!d) ms = null;
  // (a chain this long is a cycle, which buildHaproxyConfig() cannot make: read it as haproxyTimeout() does)
  else if (!(d instanceof ProxyNode) || depth >= WALK_LIMIT) ms = haproxyTimeout(proxy, which).ms;
  else ms = nodeTimeoutMs(d, which, depth + 1);
  if (keep) (listsOf(proxy, f).ms ??= [undefined, undefined, undefined, undefined])[msIndex(which)] = ms;
  return ms;
}

/** haproxyEffective(proxy, ['default_backend'])?.statement, from the facts of the chain (nothing built). */
export function effectiveDefaultBackend(proxy: HaproxyProxy): HaproxyStatement | null {
  let n = 0;
  for (let p: HaproxyProxy | null = proxy; p; p = p.defaults) {
    if (++n > WALK_LIMIT) return haproxyEffective(proxy, ['default_backend'])?.statement ?? null;
    const s = proxyFacts(p).defaultBackend;
    if (s) return s;
  }
  return null;
}

/** Whether the proxy's own section has a `server` or `server-template` line. */
export function proxyHasServers(proxy: HaproxyProxy): boolean {
  return proxyFacts(proxy).hasServers;
}

/**
 * The last statement of the section itself for a keyword path that ProxyFacts keeps (`mode`,
 * `default_backend`, `timeout connect|client|server|tunnel`): null when the section has none,
 * undefined when the facts do not cover the path.
 */
function ownFromFacts(p: HaproxyProxy, path: readonly string[]): HaproxyStatement | null | undefined {
  if (path.length === 1) {
    if (path[0] === 'mode') return proxyFacts(p).mode;
    if (path[0] === 'default_backend') return proxyFacts(p).defaultBackend;
    return undefined;
  }
  if (path.length === 2 && path[0] === 'timeout') {
    const w = path[1];
    if (w === 'connect' || w === 'client' || w === 'server' || w === 'tunnel') return proxyFacts(p)[w];
  }
  return undefined;
}

/** A place on every proxy object for one answer of another module (see proxyMemo()). */
export interface ProxySlot<T> {
  readonly index: number;
  /** (the type of the answer) */
  readonly answer?: T;
}
let slotCount = 0;
/** A new slot; made once, at module level. */
export function proxySlot<T>(): ProxySlot<T> {
  return { index: slotCount++ };
}

/**
 * `compute(proxy)`, kept with the proxy object in `slot` (a proxy never changes once built: an
 * edited section gets a new object). Cheaper than a WeakMap keyed by proxies, which thousands of
 * proxies make slow to fill and to collect. `compute` must not return undefined.
 */
export function proxyMemo<T>(proxy: HaproxyProxy, slot: ProxySlot<T>, compute: (proxy: HaproxyProxy) => T): T {
  if (!(proxy instanceof ProxyNode)) return compute(proxy);
  const slots = (memoOf(proxy).slots ??= []);
  let v = slots[slot.index] as T | undefined;
  if (v === undefined) slots[slot.index] = v = compute(proxy);
  return v;
}

/** The proxy and its defaults chain, nearest first. */
export function proxyChain(proxy: HaproxyProxy): HaproxyProxy[] {
  return chainOf(proxy).slice();
}

/** proxyChain(), kept with the proxy: the caller must not change it. */
export function proxyChainShared(proxy: HaproxyProxy): readonly HaproxyProxy[] {
  return chainOf(proxy);
}

/** proxyChain(), kept with the proxy; not to be changed. */
function chainOf(proxy: HaproxyProxy): readonly HaproxyProxy[] {
  if (proxy instanceof ProxyNode && proxy.memo !== undefined && proxy.memo.chain !== undefined) return proxy.memo.chain;
  // (a proxy without defaults, or with defaults that have none, as a list of that size: most are)
  const d = proxy.defaults;
  const chain: HaproxyProxy[] = !d ? [proxy] : !d.defaults && d !== proxy ? [proxy, d] : [];
  if (chain.length === 0)
    for (let p: HaproxyProxy | null = proxy; p && !chain.includes(p); p = p.defaults) chain.push(p);
  if (proxy instanceof ProxyNode) memoOf(proxy).chain = chain;
  return chain;
}

/** Does `stmt` match a keyword path such as ['timeout','tunnel'] or ['option','httpchk']? */
export function matchesKeyword(stmt: HaproxyStatement, path: readonly string[]): boolean {
  if (stmt.keyword !== path[0]) return false;
  for (let i = 1; i < path.length; i++) if (argValue(stmt, i - 1) !== path[i]) return false;
  return true;
}

export interface HaproxyEffective {
  statement: HaproxyStatement;
  proxy: HaproxyProxy;
  source: 'here' | 'defaults';
  /** Value words after the keyword path. */
  values: string[];
  /** True when a `no option X` turned it off. */
  negated: boolean;
}

/**
 * The statement in effect for a keyword path in a proxy, looking through its defaults chain.
 * The last occurrence within a section wins (HAProxy applies lines in order). `no option X`
 * counts as an effective "off".
 */
export function haproxyEffective(proxy: HaproxyProxy, path: readonly string[]): HaproxyEffective | null {
  // A proxy and its defaults chain never change once built (an edited section gets new objects),
  // so each answer is kept with the proxy: rules ask the same questions of every proxy many times.
  // What a defaults section itself says is also kept with it, so the proxies using it do not read
  // it again.
  const id = pathId(path);
  if (!(proxy instanceof ProxyNode) || id < 0) return computeEffective(proxy, path);
  const memo = (memoOf(proxy).effective ??= []);
  let hit = memo[id];
  if (hit === undefined) memo[id] = hit = computeEffective(proxy, path);
  return hit;
}

/** A small number for each keyword path of one or two words asked about (a few dozen), or -1. */
const pathIds = new Map<string, Map<string | undefined, number>>();
let pathCount = 0;
const MAX_PATHS = 4096;
function pathId(path: readonly string[]): number {
  if (path.length > 2) return -1;
  let m = pathIds.get(path[0]);
  if (!m) {
    if (pathCount >= MAX_PATHS) return -1;
    pathIds.set(path[0], (m = new Map<string | undefined, number>()));
  }
  let id = m.get(path[1]);
  if (id === undefined) {
    if (pathCount >= MAX_PATHS) return -1;
    m.set(path[1], (id = pathCount++));
  }
  return id;
}

function computeEffective(proxy: HaproxyProxy, path: readonly string[]): HaproxyEffective | null {
  const chain = chainOf(proxy);
  for (let c = 0; c < chain.length; c++) {
    const p = chain[c];
    const o = ownEffective(p, path);
    if (o)
      return {
        statement: o.statement,
        proxy: p,
        source: p === proxy ? 'here' : 'defaults',
        values: o.values,
        negated: o.negated,
      };
  }
  return null;
}

/** The last statement of a section itself for a keyword path (or its `no option X`). */
interface OwnEffective {
  statement: HaproxyStatement;
  values: string[];
  negated: boolean;
}

function ownEffective(p: HaproxyProxy, path: readonly string[]): OwnEffective | null {
  const id = pathId(path);
  if (!(p instanceof ProxyNode) || id < 0) return scanOwn(p, path);
  const memo = (memoOf(p).own ??= []);
  let hit = memo[id];
  if (hit === undefined) memo[id] = hit = scanOwn(p, path);
  return hit;
}

function scanOwn(p: HaproxyProxy, path: readonly string[]): OwnEffective | null {
  const known = ownFromFacts(p, path);
  if (known !== undefined) {
    if (known === null) return null;
    const values: string[] = [];
    for (let k = path.length - 1, n = argCount(known); k < n; k++) values.push(argValue(known, k)!);
    return { statement: known, values, negated: false };
  }
  const stmts = p.section.statements;
  for (let i = stmts.length - 1; i >= 0; i--) {
    const s = stmts[i];
    if (matchesKeyword(s, path)) {
      // the words after the keyword path (read without building the line's word objects)
      const values: string[] = [];
      for (let k = path.length - 1, n = argCount(s); k < n; k++) values.push(argValue(s, k)!);
      return { statement: s, values, negated: false };
    }
    if (s.keyword === 'no' && path[0] === 'option' && argValue(s, 0) === 'option' && argValue(s, 1) === path[1]) {
      return { statement: s, values: [], negated: true };
    }
  }
  return null;
}

/** An effective timeout in milliseconds, with its origin. */
export function haproxyTimeout(
  proxy: HaproxyProxy,
  which: string,
): { ms: number | null; eff: HaproxyEffective | null } {
  const eff = haproxyEffective(proxy, ['timeout', which]);
  if (!eff || eff.negated) return { ms: null, eff };
  const ms = eff.values[0] !== undefined ? timeOf(eff.values[0]) : null;
  return { ms, eff };
}

/**
 * parseHaproxyTime(), once per distinct value (a config repeats a few: `30s`, `1m`, `1h`...).
 * Long values are not kept (a long word may be a slice that keeps the whole text alive).
 */
const times = new Map<string, number | null>();
function timeOf(value: string): number | null {
  if (value.length > 12) return parseHaproxyTime(value) ?? null;
  let ms = times.get(value);
  if (ms === undefined) {
    ms = parseHaproxyTime(value) ?? null;
    if (times.size >= 1024) times.clear();
    times.set(value, ms);
  }
  return ms;
}

/**
 * A name index of a config's proxies: a name held by one proxy maps to it (an array only for the
 * few shared names). An open-addressing table of the names' own hash (FNV-1a over the UTF-16 code
 * units) in a typed array: a Map of thousands of fresh strings costs several times more to fill,
 * and its tables are heap objects the young-generation collector copies. Its size is fixed when
 * made (the names to hold are known); `set()` only replaces what a name maps to.
 * test/model/haproxy-facts.test.ts compares findProxy() with a plain search.
 */
export class NameIndex {
  /** 1 + the entry's index, by hash slot (0: empty). */
  private readonly slots: Int32Array;
  /** The names and what they map to, by entry (made at their full size: no growth). */
  private readonly keys: string[];
  private readonly values: (HaproxyProxy | HaproxyProxy[])[];
  private count = 0;
  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.slots = new Int32Array(size);
    this.keys = new Array<string>(size >> 1);
    this.values = new Array<HaproxyProxy | HaproxyProxy[]>(size >> 1);
  }
  get size(): number {
    return this.count;
  }
  get(name: string): HaproxyProxy | HaproxyProxy[] | undefined {
    const k = this.slots[this.slotOf(name)];
    return k === 0 ? undefined : this.values[k - 1];
  }
  /** Adds `p` under its name (after the proxies already there, as an array once there are two). */
  add(name: string, p: HaproxyProxy): void {
    const i = this.slotOf(name);
    const k = this.slots[i];
    if (k === 0) {
      if (this.count >= this.keys.length) throw new Error('NameIndex: more names than its capacity');
      this.keys[this.count] = name;
      this.values[this.count] = p;
      this.slots[i] = ++this.count;
      return;
    }
    const had = this.values[k - 1];
    if (Array.isArray(had)) had.push(p);
    else this.values[k - 1] = [had, p];
  }
  /** Replaces what `name` maps to (a name already held). */
  set(name: string, v: HaproxyProxy | HaproxyProxy[]): void {
    const k = this.slots[this.slotOf(name)];
    if (k === 0) throw new Error(`NameIndex: '${name}' is not held`);
    this.values[k - 1] = v;
  }
  /** The slot holding `name`, or the empty one where it would go. */
  private slotOf(name: string): number {
    let h = 0x811c9dc5 ^ name.length;
    for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193);
    const slots = this.slots;
    const mask = slots.length - 1;
    // (the low bits of an FNV hash mix poorly: fold the high ones in)
    for (let i = (h ^ (h >>> 15)) & mask; ; i = (i + 1) & mask) {
      const k = slots[i];
      if (k === 0 || this.keys[k - 1] === name) return i;
    }
  }
}
/** Per config: the index of its backends and listens (what findProxy() looks for by default), and of all its proxies. */
const proxyIndex = new WeakMap<HaproxyConfig, { be?: NameIndex; all?: NameIndex }>();

export function findProxy(config: HaproxyConfig, name: string, kinds?: ProxyKind[]): HaproxyProxy | undefined {
  let both = proxyIndex.get(config);
  if (!both) proxyIndex.set(config, (both = {}));
  // the default look-up indexes only backends and listens (the names of the others are not read)
  const index = kinds === undefined ? (both.be ??= nameIndex(config, true)) : (both.all ??= nameIndex(config, false));
  const hit = index.get(name);
  if (hit === undefined) return undefined;
  if (!Array.isArray(hit)) return isOfKind(hit, kinds) ? hit : undefined;
  for (const p of hit) if (isOfKind(p, kinds)) return p;
  return undefined;
}

function nameIndex(config: HaproxyConfig, backendsOnly: boolean): NameIndex {
  const index = new NameIndex(config.proxies.length);
  for (const p of config.proxies) {
    if (p.name === null || (backendsOnly && p.kind !== 'backend' && p.kind !== 'listen')) continue;
    index.add(p.name, p);
  }
  return index;
}

/** `p.kind` is one of `kinds` (by default backend and listen). */
function isOfKind(p: HaproxyProxy, kinds: ProxyKind[] | undefined): boolean {
  return kinds === undefined ? p.kind === 'backend' || p.kind === 'listen' : kinds.includes(p.kind);
}

export interface BackendReference {
  statement: HaproxyStatement;
  from: HaproxyProxy;
  /** The word naming the backend. */
  word: HaproxyStatement['args'][number];
  target: HaproxyProxy | undefined;
  /** ACL names in the `if`/`unless` condition, when there is one. */
  conditionAcls: string[];
  /** ACLs that must match for the route to be taken (`if x`, `unless !x`); negated ones are left out. */
  requiredAcls: string[];
}

const referenceCache = new WeakMap<HaproxyConfig, BackendReference[]>();

/** The ACL names of a route's `if`/`unless` condition (see BackendReference). */
interface RouteCondition {
  conditionAcls: string[];
  requiredAcls: string[];
}

function referencesOf(p: HaproxyProxy): Reference[] {
  // A ProxyNode keeps its references (with what is remembered of them: their condition, a
  // referenceMemo() answer) for as long as it lives; another proxy gets new ones each time.
  const node = p instanceof ProxyNode ? p : null;
  if (node !== null && node.references !== undefined) return node.references;
  const f = proxyFacts(p);
  let count = f.routeCount;
  // (a list of the lines' number, cut short if a line has no argument: pushes would make room for 17)
  const out: Reference[] = count > 0 ? new Array<Reference>(count) : NO_REFERENCES;
  // (through the section's body when it has one: only the route lines get a statement object)
  const body = p.section.body;
  const stmts = body === undefined ? p.section.statements : undefined;
  const n = body !== undefined ? body.size : stmts!.length;
  let k = 0;
  for (let i = f.route0; count > 0 && i < n; i++) {
    if (body !== undefined) {
      const kw = body.keywordAt(i);
      if (kw !== 'use_backend' && kw !== 'default_backend') continue;
    }
    const s = stmts !== undefined ? stmts[i] : body!.statement(i);
    const kw = s.keyword;
    if (kw !== 'use_backend' && kw !== 'default_backend') continue;
    count--;
    // (the value read without building the line's word objects)
    if (argCount(s) >= 1) out[k++] = new Reference(s, p, argValue(s, 0)!);
  }
  if (k < out.length) out.length = k;
  if (node !== null) node.references = out;
  return out;
}

/** The references of a proxy without route lines (shared: never changed). */
const NO_REFERENCES: Reference[] = [];

/** The ACL names of a route without a condition (shared: never changed). */
const NO_NAMES: string[] = [];

/**
 * The words of the condition after `if`/`unless` that can name an ACL (a leading `!` removed;
 * `or`, `||` and the braces of anonymous ACLs left out), and those among them that must match for
 * the route to be taken (without a leading `!` for `if`, with one for `unless`).
 */
function routeCondition(own: Reference): RouteCondition {
  if (own.condition !== undefined) return own.condition;
  const s = own.statement;
  const n = argCount(s);
  let k = conditionStart(s, n);
  let acls: string[] = NO_NAMES;
  let required: string[] = NO_NAMES;
  if (k > 0) {
    const unless = argValue(s, k - 1) === 'unless';
    for (; k < n; k++) {
      const v = argValue(s, k)!;
      const name = conditionAcl(v);
      if (name === null) continue;
      // (a list of one is made as such: most conditions name one ACL)
      if (acls === NO_NAMES) acls = [name];
      else acls.push(name);
      if ((v.charCodeAt(0) === 33) /* ! */ === unless) {
        if (required === NO_NAMES) required = [name];
        else required.push(name);
      }
    }
  }
  return (own.condition = { conditionAcls: acls, requiredAcls: required });
}

/** The index of the first argument after the first `if`/`unless` of a route line with `n` arguments (-1 when none). */
export function conditionStart(s: HaproxyStatement, n: number): number {
  for (let k = 0; k < n; k++) {
    const v = argValue(s, k)!;
    if (v === 'if' || v === 'unless') return k + 1;
  }
  return -1;
}

/**
 * The ACL a word of a condition names (a leading `!` removed), or null when it names none (`or`,
 * `||`, braces, fetches of anonymous ACLs: a word that is not made of letters, digits and `_.:-`).
 */
export function conditionAcl(v: string): string | null {
  const from = v.charCodeAt(0) === 33 /* ! */ ? 1 : 0;
  const n = v.length;
  if (n === from) return null;
  for (let i = from; i < n; i++) {
    const c = v.charCodeAt(i);
    // A-Z a-z 0-9 _ . : -
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45))
      return null;
  }
  if (from === 0) return v === 'or' ? null : v;
  const name = v.slice(1);
  return name === 'or' ? null : name;
}

/** Whether a word of a condition that names an ACL requires it (see conditionAcl()): `x` after `if`, `!x` after `unless`. */
export function conditionRequires(v: string, unless: boolean): boolean {
  return (v.charCodeAt(0) === 33) /* ! */ === unless;
}

/**
 * A use_backend/default_backend line of a proxy: what it says by itself (its ACLs read when first
 * asked for), the proxy its name resolves to (set by backendReferences()), and one answer about
 * the line kept for referenceMemo(). The word naming the backend is built when asked for (most
 * never are).
 */
class Reference implements BackendReference {
  target: HaproxyProxy | undefined = undefined;
  /** routeCondition() of the statement, once asked. */
  condition: RouteCondition | undefined = undefined;
  /** referenceMemo(): an answer about the line in its proxy, and the proxy it was made for. */
  memo: unknown = undefined;
  memoFrom: HaproxyProxy | null = null;
  constructor(
    public statement: HaproxyStatement,
    public from: HaproxyProxy,
    /** The backend's name as written (its first argument's value; read once, resolved on each resolution). */
    public name: string,
  ) {}
  get conditionAcls(): string[] {
    return routeCondition(this).conditionAcls;
  }
  get requiredAcls(): string[] {
    return routeCondition(this).requiredAcls;
  }
  get word(): HaproxyStatement['args'][number] {
    return this.statement.args[0];
  }
}

/**
 * `compute(ref)`, kept with the reference as long as it comes from the same proxy object: an
 * answer that depends only on the line and on its proxy (and that proxy's defaults) survives the
 * references being resolved again after an edit elsewhere (a proxy keeps its reference objects,
 * see referencesOf()). One answer per line.
 */
export function referenceMemo<T>(ref: BackendReference, compute: (ref: BackendReference) => T): T {
  if (!(ref instanceof Reference)) return compute(ref);
  if (ref.memoFrom !== ref.from) {
    ref.memo = compute(ref);
    ref.memoFrom = ref.from;
  }
  return ref.memo as T;
}

/** use_backend / default_backend references, resolved (dynamic names with %[...] are left unresolved but not reported). */
export function backendReferences(config: HaproxyConfig): BackendReference[] {
  const cached = referenceCache.get(config);
  if (cached) return cached;
  const out: BackendReference[] = [];
  referenceCache.set(config, out);
  for (const p of config.proxies) {
    if (p.kind !== 'frontend' && p.kind !== 'listen' && p.kind !== 'defaults') continue;
    for (const r of referencesOf(p)) {
      r.target = r.name.includes('%[') ? undefined : findProxy(config, r.name);
      out.push(r);
    }
  }
  return out;
}

const aclCache = new WeakMap<HaproxyProxy, Map<string, HaproxyStatement[]>>();

/** ACL definitions in a proxy (and its defaults chain): name → statements. */
export function aclsOf(proxy: HaproxyProxy): Map<string, HaproxyStatement[]> {
  const node = proxy instanceof ProxyNode ? proxy : null;
  const cached = node ? node.memo?.acls : aclCache.get(proxy);
  if (cached) return cached;
  const out = new Map<string, HaproxyStatement[]>();
  if (node) memoOf(node).acls = out;
  else aclCache.set(proxy, out);
  const chain = chainOf(proxy);
  for (let c = chain.length - 1; c >= 0; c--) {
    for (const s of factLines(chain[c], 'acl')) {
      const name = argValue(s, 0);
      if (!name) continue;
      const list = out.get(name);
      if (list) list.push(s);
      else out.set(name, [s]);
    }
  }
  return out;
}

/** The effective `mode` ('tcp', 'http', or other text as written) of a proxy; HAProxy's default is tcp. */
export function proxyMode(proxy: HaproxyProxy): string {
  if (proxy instanceof ProxyNode) return (proxy.modeAnswer ??= computeMode(proxy));
  return computeMode(proxy);
}

/**
 * haproxyEffective(proxy, ['mode'])?.values[0] ?? 'tcp', from the proxy's facts, else its
 * defaults' answer (kept with them: read once per defaults section).
 */
function computeMode(proxy: HaproxyProxy, depth = 0): string {
  const s = proxyFacts(proxy).mode;
  if (s) return argValue(s, 0) ?? 'tcp';
  const d = proxy.defaults;
  if (!d) return 'tcp';
  if (!(d instanceof ProxyNode) || depth >= WALK_LIMIT) return haproxyEffective(proxy, ['mode'])?.values[0] ?? 'tcp';
  return (d.modeAnswer ??= computeMode(d, depth + 1));
}

const NO_STATEMENTS: readonly HaproxyStatement[] = [];

export function globalStatements(config: HaproxyConfig, keyword: string): HaproxyStatement[] {
  return config.global.flatMap((g) => g.statements.filter((s) => s.keyword === keyword));
}

/**
 * Is the proxy turned off with `disabled` (directly or through its defaults; `enabled` turns it
 * back on)? HAProxy 2.6 skips the checks of such proxies (src/proxy.c: a new proxy inherits only
 * the disabled flag from its defaults; src/cfgparse.c check_config_validity() `continue`s on it).
 */
export function proxyDisabled(proxy: HaproxyProxy): boolean {
  if (proxy instanceof ProxyNode) return (proxy.disabledAnswer ??= computeDisabled(proxy));
  return computeDisabled(proxy);
}

/** From the proxy's facts, else its defaults' answer (kept with them: read once per defaults section). */
function computeDisabled(proxy: HaproxyProxy, depth = 0): boolean {
  const s = proxyFacts(proxy).onOff;
  if (s) return s.keyword === 'disabled';
  const d = proxy.defaults;
  if (!d) return false;
  if (!(d instanceof ProxyNode) || depth >= WALK_LIMIT) {
    // (a chain this long is a cycle, which buildHaproxyConfig() cannot make: read it through chainOf())
    for (const c of chainOf(proxy)) {
      const o = proxyFacts(c).onOff;
      if (o) return o.keyword === 'disabled';
    }
    return false;
  }
  return (d.disabledAnswer ??= computeDisabled(d, depth + 1));
}

/**
 * What is known per config about who uses which defaults section and who routes to which backend:
 * one pass over the proxies (or references) answers every later question, where a scan per question
 * made the rules and fixes quadratic in the number of proxies (issue 23). Dropped when a proxy is
 * replaced (updateHaproxyConfig) and built again on the next question.
 */
const usersOfDefaults = new WeakMap<HaproxyConfig, Map<HaproxyProxy, HaproxyProxy[]>>();
const referencesByTarget = new WeakMap<readonly BackendReference[], Map<HaproxyProxy, BackendReference[]>>();

/** The proxies (not defaults) whose defaults chain includes `defaults`, in config order; not to be changed. */
export function proxiesUsingDefaults(config: HaproxyConfig, defaults: HaproxyProxy): readonly HaproxyProxy[] {
  let users = usersOfDefaults.get(config);
  if (!users) {
    users = new Map();
    for (const p of config.proxies) {
      if (p.kind === 'defaults') continue;
      for (const d of chainOf(p)) {
        if (d === p) continue;
        const list = users.get(d);
        if (list) {
          if (list[list.length - 1] !== p) list.push(p);
        } else users.set(d, [p]);
      }
    }
    usersOfDefaults.set(config, users);
  }
  return users.get(defaults) ?? [];
}

function referencesTo(config: HaproxyConfig, backend: HaproxyProxy): readonly BackendReference[] {
  const refs = backendReferences(config);
  let index = referencesByTarget.get(refs);
  if (!index) {
    index = new Map();
    for (const ref of refs) {
      if (!ref.target) continue;
      const list = index.get(ref.target);
      if (list) list.push(ref);
      else index.set(ref.target, [ref]);
    }
    referencesByTarget.set(refs, index);
  }
  return index.get(backend) ?? [];
}

/**
 * The frontends/listens whose traffic can reach `backend`: those naming it in `use_backend` or
 * `default_backend` (a `default_backend` in a defaults section counts for every frontend/listen
 * using that defaults and not setting its own).
 */
export function proxiesRoutingTo(config: HaproxyConfig, backend: HaproxyProxy): HaproxyProxy[] {
  const out = new Set<HaproxyProxy>();
  for (const ref of referencesTo(config, backend)) {
    if (ref.from.kind !== 'defaults') {
      out.add(ref.from);
      continue;
    }
    for (const p of proxiesUsingDefaults(config, ref.from)) {
      if (p.kind !== 'frontend' && p.kind !== 'listen') continue;
      if (haproxyEffective(p, ['default_backend'])?.statement === ref.statement) out.add(p);
    }
  }
  return [...out];
}
