/**
 * Routes that make an http frontend (or listen) hand its streams to a tcp backend, which HAProxy
 * refuses (src/cfgparse.c check_config_validity(): "tries to use incompatible tcp backend").
 */
import { fact, updateAcross } from '../../host/memo';
import { effectiveDefaultBackend, proxyDisabled, proxyMode } from './effective';
import { proxyReplaced, type HaproxyConfig, type HaproxyProxy } from './node';
import { backendReferences, proxiesUsingDefaults, type BackendReference } from './references';

/**
 * The http frontend (or listen) that a reference makes use a tcp backend, or null. It depends on
 * the reference's own proxy, its target and, for a `default_backend` of a defaults section, the
 * proxies using that section — all proxy objects, which an edit replaces when it changes them.
 */
function offender(config: HaproxyConfig, ref: BackendReference): HaproxyProxy | null {
  const target = ref.target;
  if (!target) return null;
  if (ref.from.kind === 'defaults') {
    if (ref.statement.keyword !== 'default_backend') return null;
    const froms = proxiesUsingDefaults(config, ref.from).filter(
      (p) => (p.kind === 'frontend' || p.kind === 'listen') && effectiveDefaultBackend(p) === ref.statement,
    );
    return froms.find((p) => offends(p, target)) ?? null;
  }
  // (the common case, read without building anything)
  if (ref.statement.keyword === 'default_backend' && effectiveDefaultBackend(ref.from) !== ref.statement) return null;
  return offends(ref.from, target) ? ref.from : null;
}

/**
 * An http frontend (or listen) handing its streams to a tcp backend. (The target's mode is asked
 * first: most backends take theirs from a defaults section, whose answer is kept, while most
 * frontends write their own, which is a word to read.)
 */
function offends(p: HaproxyProxy, target: HaproxyProxy): boolean {
  return p !== target && proxyMode(target) === 'tcp' && !proxyDisabled(p) && proxyMode(p) === 'http';
}

/**
 * offender() per reference, by the reference's index in `refs` (the list judged), filled as
 * asked. A list, not a map keyed by the references: nothing to hash. After an edit replaced one
 * proxy, the references it is part of are judged again, and those of defaults sections (they
 * depend on every proxy using them); when a route or ACL line changed, the references are new
 * objects: start again.
 */
interface Judged {
  refs: BackendReference[];
  judged: (HaproxyProxy | null | undefined)[];
}
const judgedRoutes = fact(
  'haproxy.modeOffenders',
  (config: HaproxyConfig): Judged => {
    const refs = backendReferences(config);
    return { refs, judged: new Array<HaproxyProxy | null | undefined>(refs.length).fill(undefined) };
  },
  updateAcross(proxyReplaced, (known, { proxy, routesChanged }) => {
    if (routesChanged) return undefined;
    const { refs, judged } = known;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      if (ref.from === proxy || ref.target === proxy || ref.from.kind === 'defaults') judged[i] = undefined;
    }
    return known;
  }),
);

/**
 * For the check of a config: the http frontend or listen that backendReferences(config)[i] makes
 * use a tcp backend, or null, by `i`.
 */
export function modeOffenders(config: HaproxyConfig): (i: number) => HaproxyProxy | null {
  const refs = backendReferences(config);
  let known = judgedRoutes(config);
  if (known.refs !== refs) {
    judgedRoutes.forget(config);
    known = judgedRoutes(config);
  }
  const { judged } = known;
  return (i) => {
    let fe = judged[i];
    if (fe === undefined) judged[i] = fe = offender(config, refs[i]);
    return fe;
  };
}
