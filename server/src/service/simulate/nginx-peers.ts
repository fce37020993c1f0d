/**
 * The peer state of the nginx balancer (simulate/nginx.ts), as `ngx_http_upstream_rr_peer_t` and
 * `ngx_http_upstream_rr_peers_t` hold it in src/http/ngx_http_upstream_round_robin.h (nginx
 * 1.22.1): the primary and backup lists built from a pool, each worker's copy, and the per-request
 * context of each balancing module.
 */
import type { Prng } from './prng';
import type { SimPool } from './types';

export interface Peer {
  index: number;
  /** The list (primary or backup) this peer belongs to. */
  list: Peers | null;
  server: string;
  weight: number;
  effectiveWeight: number;
  currentWeight: number;
  conns: number;
  maxConns: number;
  maxFails: number;
  failTimeout: number;
  down: boolean;
  fails: number;
  accessed: number;
  checked: number;
}

export interface Peers {
  peers: Peer[];
  single: boolean;
  totalWeight: number;
  tries: number;
  next: Peers | null;
}

export interface WorkerState {
  primary: Peers;
  byIndex: (Peer | undefined)[];
  rng: Prng;
}

export interface ChashPoint {
  hash: number;
  server: string;
}

/** Per-request state (`ngx_http_upstream_rr_peer_data_t` and the modules' extensions). */
export interface Ctx {
  peers: Peers;
  tried: Uint8Array;
  current: Peer | null;
  /** `pc->tries`: connection attempts left. */
  tries: number;
  // ip_hash
  ipAddr: number[];
  ipHash: number;
  // ip_hash / hash / random: module's own tries counter (> 20 falls back to round robin)
  modTries: number;
  // hash
  key: number[];
  hash: number;
  rehash: number;
  // chash: index of the point
  chash: number;
}

export type Kind = 'rr' | 'least_conn' | 'ip_hash' | 'hash' | 'chash' | 'random' | 'random2';

export function kindOf(pool: SimPool): Kind {
  const a = pool.algorithm.trim().toLowerCase().replace(/-/g, '_');
  if (a === 'least_conn') return 'least_conn';
  if (a === 'ip_hash') return 'ip_hash';
  if (a === 'hash') return pool.consistent ? 'chash' : 'hash';
  if (a === 'random') return pool.randomTwo ? 'random2' : 'random';
  return 'rr';
}

export function buildPeers(pool: SimPool, backup: boolean): Peers | null {
  const peers: Peer[] = [];
  let w = 0;
  let t = 0;
  pool.servers.forEach((s, index) => {
    if (s.backup !== backup) return;
    const weight = Math.max(1, Math.floor(s.weight || 1));
    peers.push({
      index,
      list: null,
      server: s.name,
      weight,
      effectiveWeight: weight,
      currentWeight: 0,
      conns: 0,
      maxConns: s.maxconn && s.maxconn > 0 ? Math.floor(s.maxconn) : 0,
      maxFails: s.maxFails === undefined ? 1 : Math.max(0, Math.floor(s.maxFails)),
      failTimeout: s.failTimeoutMs === undefined ? 10 : Math.max(0, Math.floor(s.failTimeoutMs / 1000)),
      down: !!s.down,
      fails: 0,
      accessed: 0,
      checked: 0,
    });
    w += weight;
    if (!s.down) t++;
  });
  if (peers.length === 0) return null;
  const result: Peers = { peers, single: peers.length === 1, totalWeight: w, tries: t, next: null };
  for (const p of peers) p.list = result;
  return result;
}
