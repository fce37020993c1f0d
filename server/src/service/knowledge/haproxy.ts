/**
 * The HAProxy knowledge base: keywords of every section, where proxy keywords are allowed (the
 * manual's 4.1 keyword matrix), bind and server options, rule actions, and the manual's anchors
 * for documentation links. One `HaproxyTable` per HAProxy version wslb knows:
 * generated/haproxy-2.6.json (scripts/gen-haproxy-kb.mjs, from Debian's HTML manual) here, the
 * later versions in haproxy-tables.ts. The functions exported alone answer for 2.6, the default
 * target. Hand-kept facts below come from the HAProxy 2.6 sources (src/cfgparse-listen.c,
 * src/proxy.c at tag v2.6.0).
 */
import unlistedJson from './haproxy-unlisted-proxy.json';
import { indexTable, type HaproxyTableIndex } from './haproxy-index';

export interface HaproxyArgShape {
  min: number;
  /** null = unbounded. */
  max: number | null;
}

export interface HaproxyKeywordDoc {
  name: string;
  /** Manual section number, e.g. "3.1", "4.2", "5.2". */
  section: string;
  /** Anchor in the manual, e.g. "4.2-timeout%20tunnel". */
  anchor: string;
  /** The syntax lines that follow the keyword in the manual. */
  syntax: string[];
  args?: HaproxyArgShape;
  negatable?: boolean;
}

/** In the 4.1 matrix: 'yes', 'no', or 'named' (named defaults sections only); other text as written. */
export type MatrixCell = string;

export interface HaproxyProxyKeyword {
  name: string;
  defaults: MatrixCell;
  frontend: MatrixCell;
  listen: MatrixCell;
  backend: MatrixCell;
  negatable?: boolean;
  deprecated?: boolean;
  anchor: string;
  syntax: string[];
  args?: HaproxyArgShape;
}

export interface HaproxyKbData {
  manualVersion: string;
  docBase: string;
  global: HaproxyKeywordDoc[];
  proxy: HaproxyProxyKeyword[];
  actions: Record<string, HaproxyKeywordDoc[]>;
  bindOptions: HaproxyKeywordDoc[];
  serverOptions: HaproxyKeywordDoc[];
  filters: HaproxyKeywordDoc[];
  sections: Record<string, { header: HaproxyKeywordDoc; keywords: HaproxyKeywordDoc[] }>;
}

/**
 * The 2.6 table (170 KB), read on its first lookup: a run that checks only nginx files never
 * parses it (the CLI's bundle keeps it in a file of its own, scripts/build.mjs).
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kb26 = (): HaproxyKbData => require('./generated/haproxy-2.6.json') as HaproxyKbData;

const PROXY_SECTIONS = new Set(['defaults', 'frontend', 'listen', 'backend']);
export function isProxySection(section: string): boolean {
  return PROXY_SECTIONS.has(section);
}

/**
 * Proxy keywords HAProxy 2.6 parses that the 2.6 manual's keyword headings do not give: `stats
 * show-modules` (src/cfgparse-listen.c, `strcmp(args[1], "show-modules")`, since 2.3; headed in
 * the 2.8 manual, section 4.2, with the same matrix as `stats show-node`). `haproxy -c` 2.6.12
 * accepts it (haproxy/haproxy's examples/basic-config-edge.cfg, in the real-world corpus).
 */
const EXTRA_PROXY_26: HaproxyProxyKeyword[] = [
  // Parsed by 2.6 (src/cfgparse-listen.c) but left out of its 4.1 matrix; in later matrices, with
  // these cells. `haproxy -c` 2.6.12 answers about their arguments, not "unknown keyword"
  // (test/knowledge/haproxy-versions-binaries.test.ts).
  {
    name: 'hash-balance-factor',
    defaults: 'yes',
    frontend: 'no',
    listen: 'yes',
    backend: 'yes',
    anchor: '4.2-hash-balance-factor',
    syntax: ['<factor>'],
    args: { min: 1, max: 1 },
  },
  {
    name: 'dynamic-cookie-key',
    defaults: 'yes',
    frontend: 'no',
    listen: 'yes',
    backend: 'yes',
    anchor: '4.2-dynamic-cookie-key',
    syntax: ['<string>'],
    args: { min: 1, max: 1 },
  },
  // max-session-srv-conns: 2.8's manual lacks its row too; the row is kept once, for both tables
  ...(unlistedJson.proxy as HaproxyProxyKeyword[]),
  {
    name: 'stats show-modules',
    defaults: 'yes',
    frontend: 'yes',
    listen: 'yes',
    backend: 'yes',
    anchor: '4.2-stats%20show-modules',
    syntax: [],
    args: { min: 0, max: 0 },
  },
];

/** Keywords removed before 2.6, with HAProxy's own advice (src/cfgparse-listen.c, src/proxy.c, v2.6.0). */
export const HAPROXY_REMOVED: Record<string, { since: string; advice: string }> = {
  block: { since: '2.1', advice: "use 'http-request deny', which takes the same syntax" },
  redispatch: { since: '2.1', advice: "use 'option redispatch'" },
  redisp: { since: '2.1', advice: "use 'option redispatch'" },
  contimeout: { since: '2.1', advice: "use 'timeout connect'" },
  clitimeout: { since: '2.1', advice: "use 'timeout client'" },
  srvtimeout: { since: '2.1', advice: "use 'timeout server'" },
  grace: { since: '2.5', advice: 'remove it' },
  appsession: { since: '1.6', advice: "use 'stick-table' and 'stick on' or 'cookie'" },
  'monitor-net': { since: '2.4', advice: "use 'http-request return status 200 if { src <net> }'" },
  ...Object.fromEntries(
    [
      'reqrep',
      'reqirep',
      'reqdel',
      'reqidel',
      'reqdeny',
      'reqideny',
      'reqpass',
      'reqipass',
      'reqallow',
      'reqiallow',
      'reqtarpit',
      'reqitarpit',
      'reqadd',
      'cliexp',
    ].map((k) => [
      k,
      {
        since: '2.1',
        advice:
          "use 'http-request' rules (replace-header, replace-uri, replace-path, del-header, deny, allow, tarpit, add-header)",
      },
    ]),
  ),
  ...Object.fromEntries(
    ['rsprep', 'rspirep', 'rspdel', 'rspidel', 'rspdeny', 'rspideny', 'rspadd', 'srvexp'].map((k) => [
      k,
      {
        since: '2.1',
        advice: "use 'http-response' rules (replace-header, replace-value, del-header, deny, add-header)",
      },
    ]),
  ),
};

/** Options removed before 2.6 (src/cfgparse-listen.c, v2.6.0). */
export const HAPROXY_REMOVED_OPTIONS: Record<string, { since: string; advice: string }> = {
  forceclose: { since: '2.0', advice: "remove it, or use 'option httpclose' if really needed" },
  'http-tunnel': { since: '2.1', advice: 'remove it; it is not needed' },
  http_proxy: {
    since: '2.5',
    advice: "use 'http-request set-dst' with 'http-request set-uri' (and 'http-request do-resolve')",
  },
};

/**
 * Proxy keywords for which HAProxy 2.6 warns "'X' ignored because frontend 'f' has no backend
 * capability" (warnifnotcap() calls in src/cfgparse-listen.c, src/tcpcheck.c, src/http_htx.c and
 * the timeouts of src/proxy.c, v2.6.0). Every `option`, `timeout`, `http-check` and `tcp-check`
 * keyword also warns. Other keywords the 4.1 matrix marks as not applying are silently ignored.
 */
const WARN_IF_NOT_CAP = new Set([
  'bind',
  'monitor-uri',
  'dynamic-cookie-key',
  'cookie',
  'load-server-state-from-file',
  'server-state-file-name',
  'max-session-srv-conns',
  'capture',
  'retries',
  'http-send-name-header',
  'use_backend',
  'use-server',
  'stick',
  'default_backend',
  'http-reuse',
  'monitor',
  'maxconn',
  'backlog',
  'fullconn',
  'dispatch',
  'balance',
  'hash-type',
  'source',
  'errorfile',
  'errorfiles',
  'errorloc',
  'errorloc302',
  'errorloc303',
  'http-error',
]);

/** Does HAProxy warn when this matrix keyword sits in a proxy that lacks the needed side? */
export function haproxyWarnsIfNotCap(keyword: string): boolean {
  const first = keyword.split(' ')[0];
  return (
    WARN_IF_NOT_CAP.has(first) ||
    first === 'option' ||
    first === 'timeout' ||
    first === 'http-check' ||
    first === 'tcp-check'
  );
}

/**
 * Keywords the manual documents that Debian 12's HAProxy 2.6.12 build lacks (it answers "unknown
 * keyword"): built without DeviceAtlas, WURFL, QUIC, zlib (it uses libslz), OpenSSL engines and
 * memory profiling. Checked with `haproxy -c` on that package (test/knowledge/haproxy-binary.test.ts).
 */
export const DEBIAN_12_HAPROXY_MISSING: ReadonlyMap<string, string> = new Map([
  ...['deviceatlas-json-file', 'deviceatlas-log-level', 'deviceatlas-properties-cookie', 'deviceatlas-separator'].map(
    (k) => [k, 'DeviceAtlas support (USE_DEVICEATLAS)'] as [string, string],
  ),
  ...[
    'wurfl-cache-size',
    'wurfl-data-file',
    'wurfl-information-list',
    'wurfl-information-list-separator',
    'wurfl-patch-file',
  ].map((k) => [k, 'WURFL support (USE_WURFL)'] as [string, string]),
  ...[
    'tune.quic.frontend.conn-tx-buffers.limit',
    'tune.quic.frontend.max-idle-timeout',
    'tune.quic.frontend.max-streams-bidi',
    'tune.quic.retry-threshold',
  ].map((k) => [k, 'QUIC support (USE_QUIC)'] as [string, string]),
  ['tune.zlib.memlevel', 'zlib (Debian builds with libslz instead)'],
  ['tune.zlib.windowsize', 'zlib (Debian builds with libslz instead)'],
  ['ssl-engine', 'OpenSSL engine support'],
  ['profiling.memory', 'memory profiling (USE_MEMORY_PROFILING)'],
]);

/**
 * Closed sets of values the 2.6 manual gives for a proxy keyword's first argument (parenthesised
 * parameters such as `hdr(<name>)` are stripped before comparing): `mode { tcp|http }` (4.2 mode),
 * the `balance` algorithms (4.2 balance), and the filter types that have their own chapter (9.x).
 */
export const HAPROXY_VALUE_SETS: Record<string, { what: string; values: readonly string[] }> = {
  mode: { what: 'proxy mode', values: ['tcp', 'http'] },
  balance: {
    what: 'balance algorithm',
    values: [
      'roundrobin',
      'static-rr',
      'leastconn',
      'first',
      'source',
      'uri',
      'url_param',
      'hdr',
      'random',
      'rdp-cookie',
    ],
  },
  filter: {
    what: 'filter type',
    get values() {
      return HAPROXY_26.filterNames;
    },
  },
};

/** Bind options of features the Debian 12 build lacks (QUIC); checked like the global ones. */
export const DEBIAN_12_HAPROXY_MISSING_BIND: ReadonlyMap<string, string> = new Map([
  ['quic-cc-algo', 'QUIC support (USE_QUIC)'],
  ['quic-force-retry', 'QUIC support (USE_QUIC)'],
]);

/**
 * Server options the manuals list that HAProxy does not register: it answers "unknown keyword"
 * for them (checked with haproxy -c 2.6.12, test/knowledge/binaries.test.ts; no 2.8 to 3.4 source
 * registers `no-verifyhost` in src/cfgparse-ssl.c either).
 */
export const HAPROXY_SERVER_OPTIONS_NOT_REGISTERED: ReadonlySet<string> = new Set(['no-verifyhost']);

/** What a version's table adds to its manual: keywords the binary parses that the manual does not head. */
export interface HaproxyTableExtras {
  proxy?: HaproxyProxyKeyword[];
  global?: string[];
  /** Server options the manual lists that the binary does not register. */
  serverNotRegistered?: ReadonlySet<string>;
}

/** The keyword table of one HAProxy version (its manual, plus the extras its binary shows). */
export class HaproxyTable {
  private readonly source: HaproxyKbData | (() => HaproxyKbData);
  private loaded: HaproxyKbData | undefined = undefined;
  private readonly extras: HaproxyTableExtras;
  private readonly extraGlobal: readonly string[];
  private readonly serverNotRegistered: ReadonlySet<string>;
  private index: HaproxyTableIndex | undefined = undefined;
  private filters: readonly string[] | undefined = undefined;

  /** `data`, or a function that reads it on the table's first use. */
  constructor(data: HaproxyKbData | (() => HaproxyKbData), extras: HaproxyTableExtras = {}) {
    this.source = data;
    this.extras = extras;
    this.extraGlobal = extras.global ?? [];
    this.serverNotRegistered = extras.serverNotRegistered ?? new Set();
  }

  get data(): HaproxyKbData {
    return (this.loaded ??= typeof this.source === 'function' ? this.source() : this.source);
  }

  /** "2.6", "3.2": the version whose manual this is. */
  get version(): string {
    const v = this.data.manualVersion;
    return /^\d+\.\d+/.exec(v)?.[0] ?? v;
  }

  get docBase(): string {
    return this.data.docBase;
  }

  /** The filter types of chapter 9. */
  get filterNames(): readonly string[] {
    return (this.filters ??= this.data.filters.map((f) => f.name));
  }

  private get ix(): HaproxyTableIndex {
    return (this.index ??= indexTable(this.data, this.extras));
  }

  /** First words of multi-word proxy keywords ("option", "timeout", "stats", ...) that are not keywords alone. */
  get proxyKeywordGroups(): ReadonlySet<string> {
    return this.ix.proxyKeywordGroups;
  }

  /** First words of the proxy keywords of two words or more. */
  get longerProxyKeywords(): ReadonlySet<string> {
    return this.ix.longerProxyKeywords;
  }

  /** The manual's URL for an anchor. */
  docUrl(anchor: string): string {
    return `${this.docBase}#${anchor}`;
  }

  globalKeyword(name: string): HaproxyKeywordDoc | undefined {
    return this.ix.globalMap.get(name);
  }

  globalKeywordNames(): string[] {
    return [...this.ix.globalMap.keys(), ...this.extraGlobal];
  }

  isGlobalKeyword(first: string, second?: string): boolean {
    if (this.ix.globalMap.has(first) || this.extraGlobal.includes(first)) return true;
    if (second !== undefined && this.ix.globalMap.has(`${first} ${second}`)) return true;
    for (const k of this.ix.globalMap.keys()) if (k.startsWith(first + ' ')) return true;
    return false;
  }

  /** Matrix row of a proxy keyword: "balance", "timeout tunnel", "option httpchk". */
  proxyKeyword(name: string): HaproxyProxyKeyword | undefined {
    return this.ix.proxyMap.get(name);
  }

  proxyKeywords(): HaproxyProxyKeyword[] {
    return this.data.proxy;
  }

  /** Names in a proxy keyword group, e.g. the options after `option`. */
  proxyGroupMembers(group: string): string[] {
    return this.data.proxy.filter((p) => p.name.startsWith(group + ' ')).map((p) => p.name.slice(group.length + 1));
  }

  /**
   * The matrix row a proxy statement's words name: two words first ("timeout tunnel"), then one.
   * `words` are the words after any `no`/`default` modifier.
   */
  resolveProxyKeyword(words: readonly string[]): HaproxyProxyKeyword | undefined {
    if (words.length >= 2) {
      const two = this.ix.proxyMap.get(`${words[0]} ${words[1]}`);
      if (two) return two;
    }
    return this.ix.proxyMap.get(words[0]);
  }

  /**
   * resolveProxyKeyword() on the first two words, without building the two-word key each time:
   * answers are kept per pair of words (a configuration repeats a few hundred distinct pairs).
   */
  private readonly resolved = new Map<string, Map<string, HaproxyProxyKeyword | null>>();
  resolveProxyKeyword2(first: string, second: string | undefined): HaproxyProxyKeyword | undefined {
    let m = this.resolved.get(first);
    if (!m) {
      if (this.resolved.size >= 4096) this.resolved.clear();
      this.resolved.set(first, (m = new Map<string, HaproxyProxyKeyword | null>()));
    }
    const key = second ?? NO_SECOND;
    let row = m.get(key);
    if (row === undefined) {
      row = this.resolveProxyKeyword(second === undefined ? [first] : [first, second]) ?? null;
      if (m.size < 4096) m.set(key, row);
    }
    return row ?? undefined;
  }

  /** Keywords of a non-proxy section (peers, resolvers, userlist, mailers, program, http-errors, ring, log-forward, cache, fcgi-app, ...). */
  sectionKeywords(section: string): readonly HaproxyKeywordDoc[] | undefined {
    return Object.prototype.hasOwnProperty.call(this.data.sections, section)
      ? this.data.sections[section].keywords
      : undefined;
  }

  sectionKeyword(section: string, words: readonly string[]): HaproxyKeywordDoc | undefined {
    const m = this.ix.sectionMaps.get(section);
    if (!m) return undefined;
    if (words.length >= 2) {
      const two = m.get(`${words[0]} ${words[1]}`);
      if (two) return two;
    }
    const one = m.get(words[0]);
    if (one) return one;
    // "timeout <event>" style headings: accept the group when the section documents one.
    for (const k of m.keys()) if (k === words[0] || k.startsWith(words[0] + ' ')) return m.get(k);
    return undefined;
  }

  bindOption(name: string): HaproxyKeywordDoc | undefined {
    return this.ix.bindMap.get(name);
  }

  serverOption(name: string): HaproxyKeywordDoc | undefined {
    return this.serverNotRegistered.has(name) ? undefined : this.ix.serverMap.get(name);
  }

  bindOptions(): HaproxyKeywordDoc[] {
    return this.data.bindOptions;
  }

  serverOptions(): HaproxyKeywordDoc[] {
    return this.data.serverOptions.filter((o) => !this.serverNotRegistered.has(o.name));
  }

  /** Actions documented for a rule keyword ("http-request", "tcp-request content", ...). */
  actions(rule: string): readonly HaproxyKeywordDoc[] {
    return Object.prototype.hasOwnProperty.call(this.data.actions, rule) ? this.data.actions[rule] : [];
  }

  action(rule: string, action: string): HaproxyKeywordDoc | undefined {
    return this.ix.actionMaps.get(rule)?.get(action);
  }

  /** Sections this version knows, with their documentation anchor where the manual heads them. */
  sectionDoc(section: string): HaproxyKeywordDoc | undefined {
    return Object.prototype.hasOwnProperty.call(this.data.sections, section)
      ? this.data.sections[section].header
      : undefined;
  }
}
const NO_SECOND = '\u0000';

/**
 * Global keywords HAProxy registers that the manual's chapter 3 does not head on their own
 * (src/cfgparse-global.c and module keyword tables of 2.6). Kept short; each is a real keyword.
 */
export const HAPROXY_EXTRA_GLOBAL = [
  'stats',
  'tune.ssl.default-dh-param',
  'ssl-server-verify',
  'ssl-mode-async',
  'ssl-dh-param-file',
];

/** HAProxy 2.6's table (Debian 12's 2.6.12), the default target. */
export const HAPROXY_26 = new HaproxyTable(kb26, {
  proxy: EXTRA_PROXY_26,
  global: HAPROXY_EXTRA_GLOBAL,
  serverNotRegistered: HAPROXY_SERVER_OPTIONS_NOT_REGISTERED,
});

/** The manual's URL for an anchor (2.6). */
export function haproxyDocUrl(anchor: string): string {
  return HAPROXY_26.docUrl(anchor);
}

/** The global keyword documentation, or undefined (2.6). */
export function haproxyGlobalKeyword(name: string): HaproxyKeywordDoc | undefined {
  return HAPROXY_26.globalKeyword(name);
}

export function haproxyGlobalKeywordNames(): string[] {
  return HAPROXY_26.globalKeywordNames();
}

export function isHaproxyGlobalKeyword(first: string, second?: string): boolean {
  return HAPROXY_26.isGlobalKeyword(first, second);
}

/** Matrix row of a proxy keyword (2.6): "balance", "timeout tunnel", "option httpchk". */
export function haproxyProxyKeyword(name: string): HaproxyProxyKeyword | undefined {
  return HAPROXY_26.proxyKeyword(name);
}

export function haproxyProxyKeywords(): HaproxyProxyKeyword[] {
  return HAPROXY_26.proxyKeywords();
}

/** Names in a proxy keyword group, e.g. the options after `option` (2.6). */
export function proxyGroupMembers(group: string): string[] {
  return HAPROXY_26.proxyGroupMembers(group);
}

/** HaproxyTable.resolveProxyKeyword() of 2.6. */
export function resolveProxyKeyword(words: readonly string[]): HaproxyProxyKeyword | undefined {
  return HAPROXY_26.resolveProxyKeyword(words);
}

/** HaproxyTable.resolveProxyKeyword2() of 2.6. */
export function resolveProxyKeyword2(first: string, second: string | undefined): HaproxyProxyKeyword | undefined {
  return HAPROXY_26.resolveProxyKeyword2(first, second);
}

export function haproxySectionKeywords(section: string): readonly HaproxyKeywordDoc[] | undefined {
  return HAPROXY_26.sectionKeywords(section);
}

export function haproxySectionKeyword(section: string, words: readonly string[]): HaproxyKeywordDoc | undefined {
  return HAPROXY_26.sectionKeyword(section, words);
}

export function haproxyBindOption(name: string): HaproxyKeywordDoc | undefined {
  return HAPROXY_26.bindOption(name);
}

export function haproxyServerOption(name: string): HaproxyKeywordDoc | undefined {
  return HAPROXY_26.serverOption(name);
}

export function haproxyBindOptions(): HaproxyKeywordDoc[] {
  return HAPROXY_26.bindOptions();
}

export function haproxyServerOptions(): HaproxyKeywordDoc[] {
  return HAPROXY_26.serverOptions();
}

/** Actions documented for a rule keyword ("http-request", "tcp-request content", ...) in 2.6. */
export function haproxyActions(rule: string): readonly HaproxyKeywordDoc[] {
  return HAPROXY_26.actions(rule);
}

export function haproxyAction(rule: string, action: string): HaproxyKeywordDoc | undefined {
  return HAPROXY_26.action(rule, action);
}

/** Sections HAProxy 2.6 knows, with their documentation anchor where the manual heads them. */
export function haproxySectionDoc(section: string): HaproxyKeywordDoc | undefined {
  return HAPROXY_26.sectionDoc(section);
}
