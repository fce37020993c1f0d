/** What is in effect in a proxy: through its defaults chain, its mode, timeouts, ACLs, whether it is disabled. */
import type { HaproxyStatement } from '../../syntax/haproxy';
import { fact } from '../../host/memo';
import { pairIds, valueTable } from '../../host/tables';
import { parseHaproxyTime } from '../units';
import { listsOf, factLines, ownFromFacts, proxyFacts, type FactTimeout } from './facts';
import { memoOf, ProxyNode, type HaproxyConfig, type HaproxyProxy } from './node';
import { argCount, argValue, matchesKeyword } from './words';

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

/** The proxy and its defaults chain, nearest first. */
export function proxyChain(proxy: HaproxyProxy): HaproxyProxy[] {
  return chainOf(proxy).slice();
}

/** proxyChain(), kept with the proxy: the caller must not change it. */
export function proxyChainShared(proxy: HaproxyProxy): readonly HaproxyProxy[] {
  return chainOf(proxy);
}

/** proxyChain(), kept with the proxy; not to be changed. */
export function chainOf(proxy: HaproxyProxy): readonly HaproxyProxy[] {
  if (proxy instanceof ProxyNode && proxy.memo !== undefined && proxy.memo.chain !== undefined) return proxy.memo.chain;
  // (a proxy without defaults, or with defaults that have none, as a list of that size: most are)
  const d = proxy.defaults;
  const chain: HaproxyProxy[] = !d ? [proxy] : !d.defaults && d !== proxy ? [proxy, d] : [];
  if (chain.length === 0)
    for (let p: HaproxyProxy | null = proxy; p && !chain.includes(p); p = p.defaults) chain.push(p);
  if (proxy instanceof ProxyNode) memoOf(proxy).chain = chain;
  return chain;
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
const pathIds = pairIds<string, string | undefined>(4096);
function pathId(path: readonly string[]): number {
  return path.length > 2 ? -1 : pathIds(path[0], path[1]);
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
export interface OwnEffective {
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
const times = valueTable<string, number | null>(1024, 'clear');
function timeOf(value: string): number | null {
  if (value.length > 12) return parseHaproxyTime(value) ?? null;
  let ms = times.get(value);
  if (ms === undefined) {
    ms = parseHaproxyTime(value) ?? null;
    times.set(value, ms);
  }
  return ms;
}

/** aclsOf() of proxies that are not ProxyNodes (built by hand). */
const looseAcls = fact('haproxy.looseAcls', (proxy: HaproxyProxy) => readAcls(proxy));

/** ACL definitions in a proxy (and its defaults chain): name → statements. */
export function aclsOf(proxy: HaproxyProxy): Map<string, HaproxyStatement[]> {
  if (!(proxy instanceof ProxyNode)) return looseAcls(proxy);
  const m = memoOf(proxy);
  return (m.acls ??= readAcls(proxy));
}

function readAcls(proxy: HaproxyProxy): Map<string, HaproxyStatement[]> {
  const out = new Map<string, HaproxyStatement[]>();
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
