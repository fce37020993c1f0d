/**
 * `createBalancer(pool, { seed })`: the stateful picker for one pool. nginx pools get the exact
 * nginx 1.22 arithmetic, HAProxy pools the exact HAProxy 2.6 arithmetic (see nginx.ts, haproxy.ts);
 * AWS target groups get a model of AWS's documented behaviour (aws.ts), not an exact one.
 */
import { AwsBalancer } from './aws';
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
  if (pool.system === 'aws') return new AwsBalancer(pool, seed);
  return pool.system === 'haproxy' ? new HaproxyBalancer(pool, seed) : new NginxBalancer(pool, seed);
}
