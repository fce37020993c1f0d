/** The simulated clients' draws (lifetimes, reconnect delays, addresses) and the input clamps. */
import type { Prng } from './prng';
import type { ClientOptions, LifetimeDistribution, ReconnectPolicy, SimServer } from './types';

/** `v` when it is a finite number, else `dflt`; then clamped to [lo, hi]. */
export function clampNum(v: unknown, lo: number, hi: number, dflt: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? v : dflt;
  return Math.min(hi, Math.max(lo, n));
}

/** How long a connection lives, drawn from the clients' lifetime distribution. */
export function drawLifetimeMs(rng: Prng, d: LifetimeDistribution | undefined): number {
  const H = 3_600_000;
  let ms: number;
  if (!d) ms = rng.exponential(H);
  else if (d.kind === 'fixed') ms = clampNum(d.hours, 0, 1e4, 1) * H;
  else if (d.kind === 'uniform') {
    const lo = clampNum(d.minHours, 0, 1e4, 0.5);
    const hi = Math.max(lo, clampNum(d.maxHours, 0, 1e4, 2));
    ms = (lo + rng.next() * (hi - lo)) * H;
  } else if (d.kind === 'lognormal') {
    const median = clampNum(d.medianHours, 1e-6, 1e4, 1);
    const sigma = clampNum(d.sigma, 0, 5, 1);
    ms = median * Math.exp(sigma * rng.normal()) * H;
  } else ms = rng.exponential(clampNum(d.meanHours, 1e-6, 1e4, 1) * H);
  return Math.max(1, ms);
}

/** How long a client waits before its reconnect `attempt` (0 = first). */
export function reconnectDelayMs(rng: Prng, p: ReconnectPolicy | undefined, attempt: number): number {
  if (!p || p.kind === 'immediate') return 0;
  if (p.kind === 'fixed') return clampNum(p.delaySec, 0, 86400, 1) * 1000;
  const base = clampNum(p.baseSec, 0, 86400, 1);
  const max = Math.max(base, clampNum(p.maxSec, 0, 86400, 60));
  const cap = Math.min(max, base * Math.pow(2, Math.min(attempt, 40))) * 1000;
  switch (p.jitter ?? 'full') {
    case 'none':
      return cap;
    case 'equal':
      return cap / 2 + rng.next() * (cap / 2);
    default:
      return rng.next() * cap;
  }
}

function hex4(n: number): string {
  return (n & 0xffff).toString(16);
}

/** Client addresses: NAT groups, shared /24s, or individual (IPv4 or IPv6). */
export function makeAddresses(rng: Prng, c: ClientOptions, n: number): string[] {
  const natShare = clampNum(c.natShare, 0, 1, 0);
  const subnetShare = clampNum(c.subnetShare, 0, 1 - natShare, 0);
  const natN = Math.floor(clampNum(c.natAddresses, 1, 65536, 4));
  const subN = Math.floor(clampNum(c.subnets, 1, 65536, 8));
  const v6 = clampNum(c.ipv6Share, 0, 1, 0);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < natShare) {
      const k = rng.int(natN);
      out[i] = `100.${64 + ((k >> 16) & 63)}.${(k >> 8) & 255}.${k & 255}`;
    } else if (r < natShare + subnetShare) {
      const k = rng.int(subN);
      // The /24 198.(18|19).k.0: the host byte varies, the first three octets are shared.
      out[i] = `198.${18 + ((k >> 8) & 1)}.${k & 255}.${1 + rng.int(254)}`;
    } else if (rng.next() < v6) {
      const x = rng.nextU32();
      const y = rng.nextU32();
      out[i] = `2001:db8:${hex4(x >>> 16)}:${hex4(x)}::${hex4(y >>> 16)}:${hex4(y)}`;
    } else {
      const x = rng.nextU32();
      out[i] = `${1 + ((x >>> 24) % 223)}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
    }
  }
  return out;
}

/** A primary server that takes connections at the start (not backup, not down, weight > 0). */
export function isUsablePrimary(s: SimServer): boolean {
  return !s.backup && !s.down && (s.weight === undefined || s.weight > 0);
}

/** Rounded to 4 decimals, as results report ratios. */
export function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
