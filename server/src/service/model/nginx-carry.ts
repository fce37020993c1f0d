/**
 * Facts computed over a whole nginx config (its variables, upstream names...) that an incremental
 * update may hand from the old config object to the new one. nginx-incremental.ts updates a config
 * only when the edited server block contributes the same to every such fact before and after the
 * edit (its "footprint"), so the facts of the old config are those of the new. Each module that
 * keeps such a fact registers how to hand it over.
 */
import type { NginxConfig } from './nginx';

type Carrier = (from: NginxConfig, to: NginxConfig) => void;
const carriers: Carrier[] = [];

export function registerNginxCarry(carry: Carrier): void {
  carriers.push(carry);
}

export function carryNginxFacts(from: NginxConfig, to: NginxConfig): void {
  for (const c of carriers) c(from, to);
}

/** A cache of one whole-config fact, handed over by carryNginxFacts. */
export function configFact<T>(compute: (config: NginxConfig) => T): (config: NginxConfig) => T {
  const cache = new WeakMap<NginxConfig, T>();
  registerNginxCarry((from, to) => {
    const v = cache.get(from);
    if (v !== undefined) cache.set(to, v);
  });
  return (config) => {
    let v = cache.get(config);
    if (v === undefined) cache.set(config, (v = compute(config)));
    return v;
  };
}
