/**
 * The HAProxy config model's objects: a config, its sources, its proxies (ProxyNode, with the
 * answers kept on it) and what one reading of a proxy's section finds (ProxyFacts).
 *
 * Facts (HAProxy 2.6 configuration manual, section 4 "Proxies", and src/cfgparse-listen.c):
 * a proxy takes its settings from the last `defaults` section that precedes it, or from the named
 * one given with `from`; a `defaults` section may itself inherit with `from`. `no option X` turns
 * an inherited option off. `default-server` lines set server options that later `server` lines
 * of the section (or of proxies using those defaults) start from.
 */
import type { HaproxyFile, HaproxySection, HaproxyStatement } from '../../syntax/haproxy';
import type { TemplateInfo } from '../../template';
import type { ModelDiagnostic } from '../../types';
import { change, updateAcross, type CarryPolicy } from '../../host/memo';
import type { HaproxyEffective, OwnEffective } from './effective';
import type { Reference } from './references';
import { parseServers } from './servers';

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
  diagnostics: ModelDiagnostic[];
}

export const PROXY_KINDS = new Set(['defaults', 'frontend', 'backend', 'listen']);

/**
 * An edit replaced `old` with `proxy` in a config (updateHaproxyConfig, which changes the config
 * in place). `routesChanged`: the edited line is or was a use_backend, default_backend or acl line.
 * The config stays the same object, so a fact of a config without a policy for this change would
 * keep a stale value: each declares how it follows (`updateAcross`, or dropOnReplace()).
 */
export interface ProxyReplacement {
  old: HaproxyProxy;
  proxy: HaproxyProxy;
  routesChanged: boolean;
}
export const proxyReplaced = change<ProxyReplacement>('haproxy.proxyReplaced');

/** The policy of a fact of a config that is computed again after a proxy was replaced. */
export function dropOnReplace<V>(): CarryPolicy<HaproxyConfig, V> {
  return updateAcross<HaproxyConfig, V, ProxyReplacement>(proxyReplaced, () => undefined);
}

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
export interface FactLists {
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
  /** Other modules' answers: each proxySlot() followed by its answer. */
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
export class ProxyNode implements HaproxyProxy {
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

export function memoOf(node: ProxyNode): NodeMemo {
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

/** A place on every proxy object for one answer of another module (see proxyMemo()). */
export interface ProxySlot<T> {
  /** (the type of the answer; a slot is known by its identity) */
  readonly answer?: T;
}
/** A new slot; made once, at module level. */
export function proxySlot<T>(): ProxySlot<T> {
  return {};
}

/**
 * `compute(proxy)`, kept with the proxy object in `slot` (a proxy never changes once built: an
 * edited section gets a new object). Cheaper than a fact kept in a WeakMap keyed by proxies, which
 * thousands of proxies make slow to fill and to collect; a proxy holds a few slots, found by a
 * walk. `compute` must not return undefined.
 */
export function proxyMemo<T>(proxy: HaproxyProxy, slot: ProxySlot<T>, compute: (proxy: HaproxyProxy) => T): T {
  if (!(proxy instanceof ProxyNode)) return compute(proxy);
  const m = memoOf(proxy);
  const slots = m.slots;
  if (slots !== undefined) for (let i = 0; i < slots.length; i += 2) if (slots[i] === slot) return slots[i + 1] as T;
  const v = compute(proxy);
  // (a list made with its first pair: most proxies hold one or two answers; read again, as
  // `compute` may have kept an answer of its own)
  const now = m.slots;
  if (now === undefined) m.slots = [slot, v];
  else now.push(slot, v);
  return v;
}

/**
 * Where the proxy of `section` is in `list`, or -1. The lists updateHaproxyConfig() updates are
 * in file order (one file), so a binary search on where sections start finds it; a linear search
 * checks anything else.
 */
export function indexOfSection(list: readonly HaproxyProxy[], section: HaproxySection): number {
  const k = firstAfter(list, section.start - 1);
  if (k < list.length && list[k].section === section) return k;
  return list.findIndex((p) => p.section === section);
}

/** The first index whose section starts after `offset` (list.length when none), for a list in file order. */
export function firstAfter(list: readonly HaproxyProxy[], offset: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].section.start <= offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
