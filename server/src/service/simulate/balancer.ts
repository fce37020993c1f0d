/**
 * `createBalancer(pool, { seed })`: the exact, stateful picker for one pool. nginx pools get the
 * nginx 1.22 arithmetic, HAProxy pools the HAProxy 2.6 arithmetic (see nginx.ts, haproxy.ts).
 */
import type { Balancer } from './balancer-types';
import { HaproxyBalancer } from './haproxy';
import { NginxBalancer } from './nginx';
import { seedFrom } from './prng';
import type { SimPool } from './types';

export interface BalancerOptions {
  seed?: number | string;
}

export function createBalancer(pool: SimPool, options: BalancerOptions = {}): Balancer {
  const seed = seedFrom(options.seed);
  return pool.system === 'haproxy' ? new HaproxyBalancer(pool, seed) : new NginxBalancer(pool, seed);
}
