/**
 * HAProxy 2.6 backend balancing, reimplemented decision for decision.
 *
 * Facts restated from the HAProxy sources (https://github.com/haproxy/haproxy, tag v2.6.0; the
 * 2.6.x maintenance releases did not change these files' arithmetic):
 * - src/lb_fwrr.c (roundrobin): `fwrr_init_server_groups`, `fwrr_get_next_server`,
 *   `fwrr_get_server_from_group`, `fwrr_update_position`, `fwrr_queue_srv`, `fwrr_switch_trees`,
 *   `fwrr_set_server_status_up/down`, `fwrr_update_server_weight`.
 * - src/lb_map.c (static-rr and map-based hashing): `init_server_map` (weights divided by their
 *   GCD), `recalc_server_map`, `map_get_server_rr`, `map_get_server_hash`.
 * - src/lb_fwlc.c (leastconn): key (served+1) * SRV_EWGHT_MAX / eweight, 0 when idle;
 *   `fwlc_get_next_server`, `fwlc_srv_reposition`.
 * - src/lb_fas.c (first): servers keyed by id, first one below maxconn.
 * - src/lb_chash.c (hash-type consistent, random): eweight nodes per server at
 *   full_hash(puid * SRV_EWGHT_RANGE + n), `chash_get_server_hash` (closest of the nodes around
 *   the hash), `chash_get_next_server` (fallback walk).
 * - src/backend.c: `gen_hash`, `recount_servers`, `update_backend_weight`, `get_server_sh`
 *   (source: XOR of the address' 32-bit words, no hash function), `get_server_uh`,
 *   `get_server_ph`, `get_server_hh`, `get_server_rnd`, `assign_server`.
 * - src/server.c: `server_recalc_eweight` (slowstart: w = (wdiv * elapsed_s + slowstart_s) /
 *   slowstart_s, re-evaluated by the warmup task every second) and slowstart stored in seconds.
 * - include/import/ebtree.h: duplicate keys are appended after the existing ones, so equal keys
 *   come out first-in first-out.
 * The parts: haproxy-lb.ts (shared state, ebtrees, server counting), haproxy-trees.ts (the lookup
 * trees), haproxy-status.ts (servers down, up, warming up), haproxy-assign.ts (the hash inputs).
 * Constants: BE_WEIGHT_SCALE 16, SRV_UWGHT_RANGE 256, SRV_EWGHT_MAX = SRV_EWGHT_RANGE = 4096.
 */
import type { Balancer, PickResult } from './balancer-types';
import { assign } from './haproxy-assign';
import {
  BE_WEIGHT_SCALE,
  commit,
  recountServers,
  Tree,
  updateBackendWeight,
  type FwrrGroup,
  type HaBackend,
  type Kind,
  type Lookup,
  type Srv,
} from './haproxy-lb';
import { cbReposition } from './haproxy-trees';
import { initLookup, recalcEweight, setStatusDown, setStatusUp, warmup } from './haproxy-status';
import { crc32, djb2, sdbm, wt6 } from './hashes';
import { splitAlgorithm } from './keys';
import { Prng } from './prng';
import type { SimPool, SimRequest, SimServer } from './types';

const KINDS: Kind[] = ['roundrobin', 'static-rr', 'leastconn', 'first', 'source', 'uri', 'url_param', 'hdr', 'random'];

function hashFnOf(name: string | undefined): (b: ArrayLike<number>) => number {
  switch ((name ?? 'sdbm').toLowerCase()) {
    case 'djb2':
      return djb2;
    case 'wt6':
      return wt6;
    case 'crc32':
      return crc32;
    default:
      return sdbm;
  }
}

function lookupOf(kind: Kind, consistent: boolean): Lookup {
  switch (kind) {
    case 'static-rr':
      return 'map';
    case 'leastconn':
      return 'lctree';
    case 'first':
      return 'fstree';
    case 'random':
      return 'chtree';
    case 'source':
    case 'uri':
    case 'url_param':
    case 'hdr':
      return consistent ? 'chtree' : 'map';
    default:
      return 'rrtree';
  }
}

/** Server ids: explicit `id`, otherwise the next free id in declaration order (from 1). */
function makeServers(servers: SimServer[]): Srv[] {
  const used = new Set<number>();
  for (const s of servers) if (s.id !== undefined && s.id > 0) used.add(Math.floor(s.id));
  let nextId = 1;
  return servers.map((s, index) => {
    let puid = s.id !== undefined && s.id > 0 ? Math.floor(s.id) : 0;
    if (!puid) {
      while (used.has(nextId)) nextId++;
      puid = nextId;
      used.add(nextId);
    }
    const w =
      s.weight === undefined || !Number.isFinite(s.weight) ? 1 : Math.min(256, Math.max(0, Math.floor(s.weight)));
    return {
      index,
      puid,
      uweight: w,
      backup: !!s.backup,
      maxconn: s.maxconn && s.maxconn > 0 ? Math.floor(s.maxconn) : 0,
      slowstart: s.slowstartMs && s.slowstartMs > 0 ? Math.floor((s.slowstartMs + 999) / 1000) : 0,
      adminDown: !!s.down,
      checkDown: false,
      starting: false,
      lastChange: 0,
      warmupTicks: 0,
      curEweight: 0,
      nextEweight: 0,
      curUsable: false,
      served: 0,
      lbTree: null,
      inTree: null,
      key: 0,
      npos: 0,
      lpos: 0,
      rweight: 0,
      wscore: 0,
      nodes: [],
      nodesNow: 0,
    };
  });
}

/**
 * Weight scale: map-based algorithms divide user weights by their GCD (wdiv 1); the dynamic ones
 * multiply them by BE_WEIGHT_SCALE (wmult 1).
 */
function weightScale(lookup: Lookup, srvs: Srv[]): { wdiv: number; wmult: number } {
  if (lookup !== 'map') return { wdiv: BE_WEIGHT_SCALE, wmult: 1 };
  let pgcd = 1;
  const nz = srvs.filter((s) => s.uweight > 0);
  if (nz.length) {
    pgcd = nz[0].uweight;
    for (let i = 1; i < nz.length && pgcd > 1; i++) {
      let w = nz[i].uweight;
      while (w) {
        const t = pgcd % w;
        pgcd = w;
        w = t;
      }
    }
  }
  return { wdiv: 1, wmult: pgcd };
}

const emptyGroup = (): FwrrGroup => ({
  currPos: 0,
  currWeight: 0,
  nextWeight: 0,
  curr: new Tree(),
  init: new Tree(),
  next: new Tree(),
});

/** A backend's balancing state before its servers are counted and queued. */
function newBackend(pool: SimPool, seed: number): HaBackend {
  const { name, arg } = splitAlgorithm(pool.algorithm || 'roundrobin');
  const kind = (KINDS as string[]).includes(name) ? (name as Kind) : 'roundrobin';
  const d = kind === 'random' ? Number(arg ?? pool.draws ?? 2) : 2;
  const lookup = lookupOf(kind, !!pool.consistent);
  const srvs = makeServers(pool.servers);
  const { wdiv, wmult } = weightScale(lookup, srvs);
  return {
    pool,
    kind,
    lookup,
    dynamic: lookup !== 'map',
    srvs,
    rng: new Prng(seed),
    param: (kind === 'hdr' || kind === 'url_param' ? (arg ?? pool.hashKey) : pool.hashKey) ?? '',
    draws: Number.isFinite(d) && d >= 1 ? Math.floor(d) : 2,
    hashFn: hashFnOf(pool.hashFunction),
    // `hash-type consistent` without a function means sdbm + avalanche (cfgparse-listen.c,
    // "hash-type"); a function written explicitly needs `avalanche` spelled out.
    avalanche: !!pool.avalanche || (!!pool.consistent && !pool.hashFunction),
    allBackups: !!pool.allBackups,
    wdiv,
    wmult,
    srvAct: 0,
    srvBck: 0,
    totWact: 0,
    totWbck: 0,
    totWeight: 0,
    totUsed: 0,
    fbck: null,
    act: emptyGroup(),
    bck: emptyGroup(),
    treeAct: new Tree<Srv>(),
    treeBck: new Tree<Srv>(),
    map: [],
    rrIdx: 0,
    chAct: new Tree(),
    chBck: new Tree(),
    chLast: null,
  };
}

export class HaproxyBalancer implements Balancer {
  readonly pool: SimPool;
  private readonly be: HaBackend;

  constructor(pool: SimPool, seed: number) {
    this.pool = pool;
    const be = (this.be = newBackend(pool, seed));
    for (const s of be.srvs) {
      s.nextEweight = Math.floor((s.uweight * be.wdiv + be.wmult - 1) / be.wmult);
      commit(s);
    }
    recountServers(be);
    updateBackendWeight(be);
    initLookup(be);
  }

  pick(request: SimRequest, nowMs = 0): number {
    return this.pickDetailed(request, nowMs).server;
  }

  pickDetailed(request: SimRequest, nowMs = 0): PickResult {
    warmup(this.be, nowMs);
    const srv = assign(this.be, request);
    if (!srv) return { server: -1, worker: 0, failedAttempts: [] };
    srv.served++;
    cbReposition(this.be, srv);
    return { server: srv.index, worker: 0, failedAttempts: [] };
  }

  release(i: number, nowMs?: number): void {
    const s = this.be.srvs[i];
    if (!s || s.served <= 0) return;
    if (nowMs !== undefined) warmup(this.be, nowMs);
    s.served--;
    cbReposition(this.be, s);
  }

  fail(i: number, nowMs: number): void {
    this.release(i, nowMs);
  }

  setDown(i: number, down: boolean, nowMs = 0): void {
    const s = this.be.srvs[i];
    if (!s) return;
    warmup(this.be, nowMs);
    if (down) {
      if (s.checkDown) return;
      s.checkDown = true;
      s.starting = false;
      s.lastChange = Math.floor(nowMs / 1000);
      setStatusDown(this.be, s);
    } else {
      if (!s.checkDown) return;
      s.checkDown = false;
      s.lastChange = Math.floor(nowMs / 1000);
      s.warmupTicks = 0;
      s.starting = s.slowstart > 0;
      recalcEweight(this.be, s, s.lastChange);
      setStatusUp(this.be, s);
    }
  }

  isDown(i: number): boolean {
    const s = this.be.srvs[i];
    return !s || !s.curUsable;
  }

  connections(i: number): number {
    return this.be.srvs[i]?.served ?? 0;
  }

  effectiveWeight(i: number, nowMs?: number): number {
    if (nowMs !== undefined) warmup(this.be, nowMs);
    return this.be.srvs[i]?.curEweight ?? 0;
  }
}
