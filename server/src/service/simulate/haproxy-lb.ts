/**
 * The state HAProxy's load-balancing algorithms share (see haproxy.ts for the sources): ebtrees,
 * servers, the backend's `lbprm`, and the server counting of src/backend.c.
 */
import type { Prng } from './prng';
import type { SimPool } from './types';

export const BE_WEIGHT_SCALE = 16;
export const SRV_UWGHT_RANGE = 256;
export const SRV_EWGHT_MAX = 256 * BE_WEIGHT_SCALE;
export const SRV_EWGHT_RANGE = SRV_EWGHT_MAX;

/** An ebtree with 32-bit keys where duplicates keep their insertion order. */
export class Tree<T> {
  keys: number[] = [];
  items: T[] = [];

  insert(key: number, item: T): void {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] <= key) lo = mid + 1;
      else hi = mid;
    }
    this.keys.splice(lo, 0, key);
    this.items.splice(lo, 0, item);
  }

  remove(item: T): boolean {
    const i = this.items.indexOf(item);
    if (i < 0) return false;
    this.keys.splice(i, 1);
    this.items.splice(i, 1);
    return true;
  }

  /** Index of the first entry with key >= k (or length). */
  lowerBound(k: number): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid] < k) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  get size(): number {
    return this.items.length;
  }
}

export interface ChashNode {
  key: number;
  srv: Srv;
}

/** One server as the load-balancing algorithms see it (`struct server`). */
export interface Srv {
  index: number;
  puid: number;
  uweight: number;
  backup: boolean;
  maxconn: number;
  slowstart: number; // seconds
  adminDown: boolean;
  checkDown: boolean;
  starting: boolean;
  lastChange: number; // seconds
  warmupTicks: number;
  curEweight: number;
  nextEweight: number;
  curUsable: boolean;
  served: number;
  // tree membership
  lbTree: Tree<Srv> | null;
  inTree: Tree<Srv> | null;
  key: number;
  // fwrr
  npos: number;
  lpos: number;
  rweight: number;
  // map
  wscore: number;
  // chash
  nodes: ChashNode[];
  nodesNow: number;
}

export interface FwrrGroup {
  currPos: number;
  currWeight: number;
  nextWeight: number;
  curr: Tree<Srv>;
  init: Tree<Srv>;
  next: Tree<Srv>;
}

export type Lookup = 'rrtree' | 'lctree' | 'fstree' | 'map' | 'chtree';
export type Kind =
  'roundrobin' | 'static-rr' | 'leastconn' | 'first' | 'source' | 'uri' | 'url_param' | 'hdr' | 'random';

/** C's truncating signed division. */
export function cdiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

/** A backend's balancing state (`struct proxy`'s `lbprm` and the algorithm's trees). */
export interface HaBackend {
  readonly pool: SimPool;
  readonly kind: Kind;
  readonly lookup: Lookup;
  /** The algorithm follows weight changes (not map-based). */
  readonly dynamic: boolean;
  readonly srvs: Srv[];
  readonly rng: Prng;
  /** hdr / url_param: the header or parameter name. */
  readonly param: string;
  readonly draws: number;
  readonly hashFn: (b: ArrayLike<number>) => number;
  readonly avalanche: boolean;
  readonly allBackups: boolean;
  readonly wdiv: number;
  readonly wmult: number;
  // lbprm
  srvAct: number;
  srvBck: number;
  totWact: number;
  totWbck: number;
  totWeight: number;
  totUsed: number;
  fbck: Srv | null;
  // fwrr
  act: FwrrGroup;
  bck: FwrrGroup;
  // fwlc / fas
  treeAct: Tree<Srv>;
  treeBck: Tree<Srv>;
  // map
  map: (Srv | null)[];
  rrIdx: number;
  // chash
  chAct: Tree<ChashNode>;
  chBck: Tree<ChashNode>;
  chLast: ChashNode | null;
}

export function willbeUsable(s: Srv): boolean {
  return !s.adminDown && !s.checkDown && s.nextEweight > 0;
}

export function commit(s: Srv): void {
  s.curEweight = s.nextEweight;
  s.curUsable = willbeUsable(s);
}

/** `recount_servers` (backend.c). */
export function recountServers(be: HaBackend): void {
  be.srvAct = be.srvBck = 0;
  be.totWact = be.totWbck = 0;
  be.fbck = null;
  for (const s of be.srvs) {
    if (!willbeUsable(s)) continue;
    if (s.backup) {
      if (!be.srvBck && !be.allBackups) be.fbck = s;
      be.srvBck++;
      be.totWbck += s.nextEweight;
    } else {
      be.srvAct++;
      be.totWact += s.nextEweight;
    }
  }
}

/** `update_backend_weight` (backend.c). */
export function updateBackendWeight(be: HaBackend): void {
  if (be.srvAct) {
    be.totWeight = be.totWact;
    be.totUsed = be.srvAct;
  } else if (be.fbck) {
    be.totWeight = be.fbck.nextEweight;
    be.totUsed = 1;
  } else {
    be.totWeight = be.totWbck;
    be.totUsed = be.srvBck;
  }
}

export function dequeue(s: Srv): void {
  if (s.inTree) {
    s.inTree.remove(s);
    s.inTree = null;
  }
}

export function insert(tree: Tree<Srv>, s: Srv, key: number): void {
  s.key = key >>> 0;
  tree.insert(s.key, s);
  s.inTree = tree;
}
