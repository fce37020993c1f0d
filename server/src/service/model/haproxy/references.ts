/** Backend references (use_backend, default_backend), resolved, and who routes to whom. */
import type { HaproxyStatement } from '../../syntax/haproxy';
import { fact, updateAcross } from '../../host/memo';
import { routeCondition, type RouteCondition } from './conditions';
import { chainOf, haproxyEffective } from './effective';
import { proxyFacts } from './facts';
import { findProxy } from './names';
import { dropOnReplace, ProxyNode, proxyReplaced, type HaproxyConfig, type HaproxyProxy } from './node';
import { argCount, argValue } from './words';

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

/**
 * A use_backend/default_backend line of a proxy: what it says by itself (its ACLs read when first
 * asked for), the proxy its name resolves to (set by backendReferences()), and one answer about
 * the line kept for referenceMemo(). The word naming the backend is built when asked for (most
 * never are).
 */
export class Reference implements BackendReference {
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
    return (this.condition ??= routeCondition(this.statement)).conditionAcls;
  }
  get requiredAcls(): string[] {
    return (this.condition ??= routeCondition(this.statement)).requiredAcls;
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

/**
 * use_backend / default_backend references, resolved (dynamic names with %[...] are left
 * unresolved but not reported). A replaced proxy leaves the references as they are unless a route
 * or ACL line changed: they follow it in place.
 */
export const backendReferences: (config: HaproxyConfig) => BackendReference[] = fact(
  'haproxy.backendReferences',
  (config: HaproxyConfig) => {
    const out: BackendReference[] = [];
    for (const p of config.proxies) {
      if (p.kind !== 'frontend' && p.kind !== 'listen' && p.kind !== 'defaults') continue;
      for (const r of referencesOf(p)) {
        r.target = r.name.includes('%[') ? undefined : findProxy(config, r.name);
        out.push(r);
      }
    }
    return out;
  },
  updateAcross(proxyReplaced, (refs, { old, proxy, routesChanged }) => {
    if (routesChanged) return undefined;
    for (const r of refs) {
      if (r.target === old) r.target = proxy;
      if (r.from === old) r.from = proxy;
    }
    return refs;
  }),
);

/**
 * Who uses which defaults section and who routes to which backend: one pass over the proxies (or
 * references) answers every later question, where a scan per question made the rules and fixes
 * quadratic in the number of proxies (issue 23).
 */
const usersOfDefaults = fact(
  'haproxy.usersOfDefaults',
  (config: HaproxyConfig) => {
    const users = new Map<HaproxyProxy, HaproxyProxy[]>();
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
    return users;
  },
  dropOnReplace(),
);

/** A replaced proxy is the target of the same references, unless a route or ACL line changed. */
const referencesByTarget = fact(
  'haproxy.referencesByTarget',
  (config: HaproxyConfig) => {
    const index = new Map<HaproxyProxy, BackendReference[]>();
    for (const ref of backendReferences(config)) {
      if (!ref.target) continue;
      const list = index.get(ref.target);
      if (list) list.push(ref);
      else index.set(ref.target, [ref]);
    }
    return index;
  },
  updateAcross(proxyReplaced, (index, { old, proxy, routesChanged }) => {
    if (routesChanged) return undefined;
    const list = index.get(old);
    if (list) {
      index.delete(old);
      index.set(proxy, list);
    }
    return index;
  }),
);

/** The proxies (not defaults) whose defaults chain includes `defaults`, in config order; not to be changed. */
export function proxiesUsingDefaults(config: HaproxyConfig, defaults: HaproxyProxy): readonly HaproxyProxy[] {
  return usersOfDefaults(config).get(defaults) ?? NO_PROXIES;
}

/** The references whose target is `backend`, in config order; not to be changed. */
export function referencesTo(config: HaproxyConfig, backend: HaproxyProxy): readonly BackendReference[] {
  return referencesByTarget(config).get(backend) ?? NO_REFERENCES;
}

const NO_PROXIES: readonly HaproxyProxy[] = [];

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
