import type { SimPool, SimServer } from '../../server/src/service/simulate';

export function servers(weights: number[], extra: Partial<SimServer>[] = []): SimServer[] {
  return weights.map((w, i) => ({
    name: `10.0.0.${i + 1}:8080`,
    address: `10.0.0.${i + 1}`,
    port: 8080,
    weight: w,
    backup: false,
    down: false,
    ...(extra[i] ?? {}),
  }));
}

export function pool(
  system: 'nginx' | 'haproxy',
  algorithm: string,
  weights: number[],
  more: Partial<SimPool> = {},
  extra: Partial<SimServer>[] = [],
): SimPool {
  return { system, name: 'ws', algorithm, servers: servers(weights, extra), ...more };
}

/** Letters for server indexes, -1 as "-". */
export function letters(seq: number[]): string {
  return seq.map((i) => (i < 0 ? '-' : 'abcdefghijklmnopqrstuvwxyz'[i])).join('');
}

export function counts(seq: number[], n: number): number[] {
  const c = new Array<number>(n).fill(0);
  for (const i of seq) if (i >= 0) c[i]++;
  return c;
}

/** Deterministic spread of IPv4 addresses over many /24s (no PRNG, so tests stay readable). */
export function addr(i: number): string {
  const x = (Math.imul(i + 1, 2654435761) >>> 0) ^ (i << 7);
  return `${11 + ((x >>> 24) % 200)}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
}
