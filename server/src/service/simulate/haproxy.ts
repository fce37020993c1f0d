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
 * Constants: BE_WEIGHT_SCALE 16, SRV_UWGHT_RANGE 256, SRV_EWGHT_MAX = SRV_EWGHT_RANGE = 4096.
 */
import type { Balancer, PickResult } from './balancer-types';
import { crc32, djb2, fullHash, parseIp, sdbm, utf8, wt6 } from './hashes';
import { headerValue, splitAlgorithm } from './keys';
import { Prng } from './prng';
import type { SimPool, SimRequest } from './types';

const BE_WEIGHT_SCALE = 16;
const SRV_UWGHT_RANGE = 256;
const SRV_EWGHT_MAX = 256 * BE_WEIGHT_SCALE;
const SRV_EWGHT_RANGE = SRV_EWGHT_MAX;

/** An ebtree with 32-bit keys where duplicates keep their insertion order. */
class Tree<T> {
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

interface ChashNode {
  key: number;
  srv: Srv;
}

interface Srv {
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

interface FwrrGroup {
  currPos: number;
  currWeight: number;
  nextWeight: number;
  curr: Tree<Srv>;
  init: Tree<Srv>;
  next: Tree<Srv>;
}

type Lookup = 'rrtree' | 'lctree' | 'fstree' | 'map' | 'chtree';
type Kind = 'roundrobin' | 'static-rr' | 'leastconn' | 'first' | 'source' | 'uri' | 'url_param' | 'hdr' | 'random';

/** C's truncating signed division. */
function cdiv(a: number, b: number): number {
  return Math.trunc(a / b);
}

export class HaproxyBalancer implements Balancer {
  readonly pool: SimPool;
  private readonly kind: Kind;
  private readonly lookup: Lookup;
  private readonly dynamic: boolean;
  private readonly srvs: Srv[];
  private readonly rng: Prng;
  private readonly param: string;
  private readonly draws: number;
  private readonly hashFn: (b: ArrayLike<number>) => number;
  private readonly avalanche: boolean;
  private readonly allBackups: boolean;
  private readonly wdiv: number;
  private readonly wmult: number;
  // lbprm
  private srvAct = 0;
  private srvBck = 0;
  private totWact = 0;
  private totWbck = 0;
  private totWeight = 0;
  private totUsed = 0;
  private fbck: Srv | null = null;
  // fwrr
  private act!: FwrrGroup;
  private bck!: FwrrGroup;
  // fwlc / fas
  private treeAct = new Tree<Srv>();
  private treeBck = new Tree<Srv>();
  // map
  private map: (Srv | null)[] = [];
  private rrIdx = 0;
  // chash
  private chAct = new Tree<ChashNode>();
  private chBck = new Tree<ChashNode>();
  private chLast: ChashNode | null = null;

  constructor(pool: SimPool, seed: number) {
    this.pool = pool;
    const { name, arg } = splitAlgorithm(pool.algorithm || 'roundrobin');
    const known: Kind[] = [
      'roundrobin',
      'static-rr',
      'leastconn',
      'first',
      'source',
      'uri',
      'url_param',
      'hdr',
      'random',
    ];
    this.kind = (known as string[]).includes(name) ? (name as Kind) : 'roundrobin';
    this.param = (this.kind === 'hdr' || this.kind === 'url_param' ? (arg ?? pool.hashKey) : pool.hashKey) ?? '';
    const d = this.kind === 'random' ? Number(arg ?? pool.draws ?? 2) : 2;
    this.draws = Number.isFinite(d) && d >= 1 ? Math.floor(d) : 2;
    this.rng = new Prng(seed);
    // `hash-type consistent` without a function means sdbm + avalanche (cfgparse-listen.c,
    // "hash-type"); a function written explicitly needs `avalanche` spelled out.
    this.avalanche = !!pool.avalanche || (!!pool.consistent && !pool.hashFunction);
    this.allBackups = !!pool.allBackups;
    switch ((pool.hashFunction ?? 'sdbm').toLowerCase()) {
      case 'djb2':
        this.hashFn = djb2;
        break;
      case 'wt6':
        this.hashFn = wt6;
        break;
      case 'crc32':
        this.hashFn = crc32;
        break;
      default:
        this.hashFn = sdbm;
    }
    switch (this.kind) {
      case 'static-rr':
        this.lookup = 'map';
        break;
      case 'leastconn':
        this.lookup = 'lctree';
        break;
      case 'first':
        this.lookup = 'fstree';
        break;
      case 'random':
        this.lookup = 'chtree';
        break;
      case 'source':
      case 'uri':
      case 'url_param':
      case 'hdr':
        this.lookup = pool.consistent ? 'chtree' : 'map';
        break;
      default:
        this.lookup = 'rrtree';
    }
    this.dynamic = this.lookup !== 'map';

    // Server ids: explicit `id`, otherwise the next free id in declaration order (from 1).
    const used = new Set<number>();
    for (const s of pool.servers) if (s.id !== undefined && s.id > 0) used.add(Math.floor(s.id));
    let nextId = 1;
    this.srvs = pool.servers.map((s, index) => {
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

    // Weight scale: map-based algorithms divide user weights by their GCD (wdiv 1);
    // the dynamic ones multiply them by BE_WEIGHT_SCALE (wmult 1).
    if (this.lookup === 'map') {
      this.wdiv = 1;
      let pgcd = 1;
      const nz = this.srvs.filter((s) => s.uweight > 0);
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
      this.wmult = pgcd;
    } else {
      this.wdiv = BE_WEIGHT_SCALE;
      this.wmult = 1;
    }
    for (const s of this.srvs) {
      s.nextEweight = Math.floor((s.uweight * this.wdiv + this.wmult - 1) / this.wmult);
      this.commit(s);
    }
    this.recountServers();
    this.updateBackendWeight();
    this.initLookup();
  }

  // ---- server state helpers -------------------------------------------------------------

  private willbeUsable(s: Srv): boolean {
    return !s.adminDown && !s.checkDown && s.nextEweight > 0;
  }

  private commit(s: Srv): void {
    s.curEweight = s.nextEweight;
    s.curUsable = this.willbeUsable(s);
  }

  /** `recount_servers` (backend.c). */
  private recountServers(): void {
    this.srvAct = this.srvBck = 0;
    this.totWact = this.totWbck = 0;
    this.fbck = null;
    for (const s of this.srvs) {
      if (!this.willbeUsable(s)) continue;
      if (s.backup) {
        if (!this.srvBck && !this.allBackups) this.fbck = s;
        this.srvBck++;
        this.totWbck += s.nextEweight;
      } else {
        this.srvAct++;
        this.totWact += s.nextEweight;
      }
    }
  }

  /** `update_backend_weight` (backend.c). */
  private updateBackendWeight(): void {
    if (this.srvAct) {
      this.totWeight = this.totWact;
      this.totUsed = this.srvAct;
    } else if (this.fbck) {
      this.totWeight = this.fbck.nextEweight;
      this.totUsed = 1;
    } else {
      this.totWeight = this.totWbck;
      this.totUsed = this.srvBck;
    }
  }

  private initLookup(): void {
    switch (this.lookup) {
      case 'rrtree': {
        const mk = (w: number): FwrrGroup => ({
          currPos: w,
          currWeight: w,
          nextWeight: w,
          curr: new Tree(),
          init: new Tree(),
          next: new Tree(),
        });
        this.act = mk(this.totWact);
        this.bck = mk(this.totWbck);
        for (const s of this.srvs) {
          if (!s.curUsable) continue;
          this.fwrrQueueByWeight(s.backup ? this.bck.init : this.act.init, s);
        }
        break;
      }
      case 'lctree':
      case 'fstree':
        for (const s of this.srvs) {
          if (!s.curUsable) continue;
          s.lbTree = s.backup ? this.treeBck : this.treeAct;
          this.cbQueue(s, s.nextEweight);
        }
        break;
      case 'map':
        this.map = new Array<Srv | null>(Math.max(1, this.totWact, this.totWbck)).fill(null);
        this.recalcServerMap();
        break;
      case 'chtree':
        for (const s of this.srvs) {
          const tot = s.uweight * BE_WEIGHT_SCALE;
          for (let n = 0; n < tot; n++) s.nodes.push({ key: fullHash((s.puid * SRV_EWGHT_RANGE + n) >>> 0), srv: s });
          if (s.curUsable) this.chashQueueDequeue(s);
        }
        break;
    }
  }

  // ---- tree helpers -----------------------------------------------------------------------

  private dequeue(s: Srv): void {
    if (s.inTree) {
      s.inTree.remove(s);
      s.inTree = null;
    }
  }

  private insert(tree: Tree<Srv>, s: Srv, key: number): void {
    s.key = key >>> 0;
    tree.insert(s.key, s);
    s.inTree = tree;
  }

  // ---- fwrr (roundrobin) --------------------------------------------------------------------

  private grpOf(s: Srv): FwrrGroup {
    return s.backup ? this.bck : this.act;
  }

  private fwrrQueueByWeight(root: Tree<Srv>, s: Srv): void {
    this.insert(root, s, SRV_EWGHT_MAX - s.nextEweight);
    s.lbTree = root;
  }

  private fwrrQueueSrv(s: Srv): void {
    const grp = this.grpOf(s);
    if (!this.willbeUsable(s)) {
      s.lbTree = null;
    } else if (s.nextEweight <= 0 || s.npos >= 2 * grp.currWeight || s.npos >= grp.currWeight + grp.nextWeight) {
      s.npos -= grp.currWeight;
      this.fwrrQueueByWeight(grp.next, s);
    } else {
      const key =
        SRV_UWGHT_RANGE * s.npos + Math.floor(((SRV_EWGHT_MAX + s.rweight - s.nextEweight) >>> 0) / BE_WEIGHT_SCALE);
      this.insert(grp.curr, s, key);
      s.lbTree = grp.curr;
    }
  }

  private fwrrGetSrv(s: Srv): void {
    const grp = this.grpOf(s);
    if (s.lbTree === grp.init) {
      s.npos = s.rweight = 0;
    } else if (s.lbTree === grp.next) {
      s.npos += grp.currWeight;
    } else if (s.lbTree === null) {
      s.npos = grp.currPos;
    }
  }

  private fwrrGetServerFromGroup(grp: FwrrGroup): Srv | null {
    let s1: Srv | null = null;
    if (grp.curr.size) {
      s1 = grp.curr.items[0];
      if (s1.curEweight && s1.npos <= grp.currPos) return s1;
    }
    if (grp.init.size) {
      const s2 = grp.init.items[0];
      if (s2.curEweight) {
        s2.npos = s2.rweight = 0;
        return s2;
      }
    }
    return s1;
  }

  private fwrrUpdatePosition(grp: FwrrGroup, s: Srv): void {
    const eweight = s.curEweight;
    if (!eweight) return;
    if (!s.npos) s.npos = grp.currPos;
    s.lpos = s.npos;
    s.npos += cdiv(grp.nextWeight, eweight);
    s.rweight += grp.nextWeight % eweight;
    if (s.rweight >= eweight) {
      s.rweight -= eweight;
      s.npos++;
    }
  }

  private fwrrGetNextServer(): Srv | null {
    let grp: FwrrGroup;
    if (this.srvAct) grp = this.act;
    else if (this.fbck) return this.fbck;
    else if (this.srvBck) grp = this.bck;
    else return null;

    let switched = false;
    const full: Srv[] = [];
    let srv: Srv | null = null;
    for (let guard = 0; guard < 100000; guard++) {
      if (!grp.currWeight) grp.currPos = grp.currWeight = grp.nextWeight;
      for (;;) {
        srv = this.fwrrGetServerFromGroup(grp);
        if (srv) break;
        if (switched) break;
        switched = true;
        // fwrr_switch_trees
        const swap = grp.init;
        grp.init = grp.next;
        grp.next = swap;
        grp.currWeight = grp.nextWeight;
        grp.currPos = grp.currWeight;
      }
      if (!srv) break; // requeue_servers with no server
      this.fwrrUpdatePosition(grp, srv);
      this.dequeue(srv);
      grp.currPos++;
      if (!srv.maxconn || srv.served < srv.maxconn) break;
      full.push(srv);
      srv = null;
    }
    if (srv) this.fwrrQueueSrv(srv);
    // Requeue saturated servers, most recently extracted first (the C code chains them LIFO).
    for (let i = full.length - 1; i >= 0; i--) {
      const f = full[i];
      if (f === srv) continue;
      if (switched) this.fwrrQueueByWeight(grp.init, f);
      else this.fwrrQueueSrv(f);
    }
    return srv;
  }

  // ---- fwlc (leastconn) and fas (first) ---------------------------------------------------

  private cbKey(s: Srv, eweight: number): number {
    if (this.lookup === 'fstree') return s.puid;
    const inflight = s.served;
    return inflight ? Math.floor((((inflight + 1) * SRV_EWGHT_MAX) >>> 0) / (eweight || 1)) : 0;
  }

  private cbQueue(s: Srv, eweight: number): void {
    if (s.lbTree) this.insert(s.lbTree, s, this.cbKey(s, eweight));
  }

  /** `fwlc_srv_reposition` / `fas_srv_reposition`, after a connection is taken or dropped. */
  private cbReposition(s: Srv): void {
    if (this.lookup === 'fstree') {
      if (s.lbTree) {
        this.dequeue(s);
        this.cbQueue(s, s.curEweight);
      }
      return;
    }
    if (this.lookup !== 'lctree') return;
    const newKey = this.cbKey(s, s.curEweight);
    if (s.inTree && s.curEweight && s.key === newKey) return;
    if (s.lbTree && (!s.inTree || s.key !== newKey)) {
      this.dequeue(s);
      this.insert(s.lbTree, s, newKey);
    }
  }

  private cbGetNextServer(): Srv | null {
    let tree: Tree<Srv>;
    if (this.srvAct) tree = this.treeAct;
    else if (this.fbck) return this.fbck;
    else if (this.srvBck) tree = this.treeBck;
    else return null;
    for (const s of tree.items) {
      if (!s.maxconn || s.served < s.maxconn) return s;
    }
    return null;
  }

  // ---- map (static-rr, map-based hash) ----------------------------------------------------

  private recalcServerMap(): void {
    if (this.totUsed === 0) return;
    const tot = this.totWeight;
    const wantBackup = !this.srvAct;
    for (const s of this.srvs) s.wscore = 0;
    if (this.map.length < tot) this.map.length = tot;
    for (let o = 0; o < tot; o++) {
      let max = 0;
      let best: Srv | null = null;
      for (const cur of this.srvs) {
        if (cur.backup !== wantBackup || !this.willbeUsable(cur)) continue;
        if (tot === 1) {
          best = cur;
          break;
        }
        cur.wscore += cur.nextEweight;
        const v = cdiv(cur.wscore + tot, tot);
        if (best === null || v > max) {
          max = v;
          best = cur;
        }
      }
      this.map[o] = best;
      if (best) best.wscore -= tot;
    }
  }

  private mapGetServerRr(): Srv | null {
    if (this.totWeight === 0) return null;
    if (this.rrIdx < 0 || this.rrIdx >= this.totWeight) this.rrIdx = 0;
    let newidx = this.rrIdx;
    do {
      const srv = this.map[newidx++];
      if (srv && (!srv.maxconn || srv.served < srv.maxconn)) {
        this.rrIdx = newidx;
        return srv;
      }
      if (newidx === this.totWeight) newidx = 0;
    } while (newidx !== this.rrIdx);
    return null;
  }

  private mapGetServerHash(hash: number): Srv | null {
    if (!this.totWeight) return null;
    return this.map[(hash >>> 0) % this.totWeight] ?? null;
  }

  // ---- chash (consistent hashing, random) -------------------------------------------------

  private chRoot(s: Srv): Tree<ChashNode> {
    return s.backup ? this.chBck : this.chAct;
  }

  private chashSkipNode(root: Tree<ChashNode>, node: ChashNode | null): ChashNode | null {
    if (!node) return null;
    const i = root.items.indexOf(node);
    let n: ChashNode | undefined = i >= 0 ? root.items[i + 1] : undefined;
    if (!n) n = root.items[0];
    if (n === node || !n) return null;
    return n;
  }

  private chashRemoveNode(s: Srv): void {
    s.nodesNow--;
    const node = s.nodes[s.nodesNow];
    const root = this.chRoot(s);
    if (this.chLast === node) this.chLast = this.chashSkipNode(root, this.chLast);
    root.remove(node);
  }

  private chashQueueDequeue(s: Srv): void {
    while (s.nodesNow > s.nextEweight) this.chashRemoveNode(s);
    while (s.nodesNow < s.nextEweight && s.nodesNow < s.nodes.length) {
      const node = s.nodes[s.nodesNow];
      const root = this.chRoot(s);
      if (this.chLast === node) this.chLast = this.chashSkipNode(root, this.chLast);
      root.insert(node.key, node);
      s.nodesNow++;
    }
  }

  private chashDequeueSrv(s: Srv): void {
    while (s.nodesNow > 0) this.chashRemoveNode(s);
  }

  private chashGetServerHash(hash: number): Srv | null {
    let root: Tree<ChashNode>;
    if (this.srvAct) root = this.chAct;
    else if (this.fbck) return this.fbck;
    else if (this.srvBck) root = this.chBck;
    else return null;
    const n = root.size;
    if (!n) return null;
    hash = hash >>> 0;
    let ni = root.lowerBound(hash);
    if (ni >= n) ni = 0;
    const pi = ni > 0 ? ni - 1 : n - 1;
    const next = root.items[ni];
    const prev = root.items[pi];
    const dp = (hash - prev.key) >>> 0;
    const dn = (next.key - hash) >>> 0;
    return dp <= dn ? prev.srv : next.srv;
  }

  /** `chash_get_next_server`: walk the ring from the last node used, skipping full servers. */
  private chashGetNextServer(): Srv | null {
    let root: Tree<ChashNode>;
    if (this.srvAct) root = this.chAct;
    else if (this.fbck) return this.fbck;
    else if (this.srvBck) root = this.chBck;
    else return null;
    let node: ChashNode | null = this.chLast;
    let stop: ChashNode | null = node;
    for (let guard = 0; guard <= root.size + 1; guard++) {
      if (node) {
        const i = root.items.indexOf(node);
        node = i >= 0 ? (root.items[i + 1] ?? null) : null;
      }
      if (!node) node = root.items[0] ?? null;
      this.chLast = node;
      if (!node) return null;
      if (!stop) stop = node;
      const s = node.srv;
      if (!s.maxconn || s.served < s.maxconn) return s;
      if (node === stop) break;
    }
    return null;
  }

  private getServerRnd(): Srv | null {
    if (this.totWeight === 0) return null;
    let curr: Srv | null = null;
    let draws = this.draws;
    do {
      const prev: Srv | null = curr;
      const hash = this.rng.nextU32();
      curr = this.chashGetServerHash(hash);
      if (!curr) break;
      if (prev && prev !== curr && curr.served * prev.curEweight > prev.served * curr.curEweight) curr = prev;
    } while (--draws > 0);
    if (curr && curr.maxconn && curr.served >= curr.maxconn) curr = null;
    return curr;
  }

  // ---- hashing inputs ---------------------------------------------------------------------

  private lookupHash(hash: number): Srv | null {
    return this.lookup === 'chtree' ? this.chashGetServerHash(hash) : this.mapGetServerHash(hash);
  }

  private finish(hash: number): number {
    return this.avalanche ? fullHash(hash) : hash >>> 0;
  }

  private getServerSh(req: SimRequest): Srv | null {
    if (this.totWeight === 0) return null;
    let h = 0;
    if (this.totUsed !== 1) {
      const bytes = parseIp(req.clientIp);
      if (!bytes) return null;
      for (let l = 0; l + 4 <= bytes.length; l += 4) {
        h = (h ^ ((bytes[l] << 24) | (bytes[l + 1] << 16) | (bytes[l + 2] << 8) | bytes[l + 3])) >>> 0;
      }
      h = this.finish(h);
    }
    return this.lookupHash(h);
  }

  private getServerUh(req: SimRequest): Srv | null {
    if (this.totWeight === 0) return null;
    let hash = 0;
    if (this.totUsed !== 1) {
      const opts = this.pool.uriOptions ?? {};
      let uri = req.uri ?? '/';
      if (opts.pathOnly) {
        const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(uri);
        if (m) uri = uri.slice(m[0].length);
        else if (uri === '*') uri = '';
      }
      const bytes = utf8(uri);
      let len = bytes.length;
      if (opts.len && opts.len > 0) len = Math.min(len, Math.floor(opts.len));
      const depthEnd = opts.depth && opts.depth > 0 ? Math.floor(opts.depth) + 1 : 0;
      let slashes = 0;
      let end = 0;
      while (len--) {
        const c = bytes[end];
        if (c === 0x2f) {
          slashes++;
          if (slashes === depthEnd) break;
        } else if (c === 0x3f && !opts.whole) break;
        end++;
      }
      hash = this.finish(this.hashFn(bytes.slice(0, end)));
    }
    return this.lookupHash(hash);
  }

  private getServerPh(req: SimRequest): Srv | null {
    if (this.totWeight === 0) return null;
    const uri = req.uri ?? '/';
    const q = uri.indexOf('?');
    if (q < 0 || !this.param) return null;
    for (const part of uri.slice(q + 1).split('&')) {
      if (part.length > this.param.length && part[this.param.length] === '=' && part.startsWith(this.param)) {
        const value = part.slice(this.param.length + 1);
        return this.lookupHash(this.finish(this.hashFn(utf8(value))));
      }
    }
    return null;
  }

  private getServerHh(req: SimRequest): Srv | null {
    if (this.totWeight === 0) return null;
    let hash = 0;
    if (this.totUsed !== 1) {
      const raw = req.hashKeyValue ?? headerValue(req, this.param);
      // http_find_header(..., full=0) yields the first comma-separated value, trimmed.
      const value = raw === undefined ? '' : raw.split(',')[0].trim();
      if (!value) return null;
      hash = this.finish(this.hashFn(utf8(value)));
    }
    return this.lookupHash(hash);
  }

  // ---- public API -------------------------------------------------------------------------

  private warmup(nowMs: number): void {
    const nowSec = Math.floor(nowMs / 1000);
    for (const s of this.srvs) {
      if (!s.starting) continue;
      // The warmup task runs every second after the server came up.
      while (s.starting && s.lastChange + s.warmupTicks + 1 <= nowSec) {
        s.warmupTicks++;
        this.recalcEweight(s, s.lastChange + s.warmupTicks);
        this.updateServerWeight(s);
      }
    }
  }

  /** `server_recalc_eweight`. */
  private recalcEweight(s: Srv, nowSec: number): void {
    if (s.starting && (nowSec < s.lastChange || nowSec >= s.lastChange + s.slowstart)) s.starting = false;
    let w: number;
    if (s.starting && this.dynamic) w = Math.floor((this.wdiv * (nowSec - s.lastChange) + s.slowstart) / s.slowstart);
    else w = this.wdiv;
    s.nextEweight = Math.floor((s.uweight * w + this.wmult - 1) / this.wmult);
  }

  private statusChanged(s: Srv): boolean {
    return s.curEweight !== s.nextEweight || s.curUsable !== this.willbeUsable(s);
  }

  private setStatusDown(s: Srv): void {
    if (!this.statusChanged(s)) return;
    if (this.willbeUsable(s)) return this.commit(s);
    if (this.lookup === 'map') {
      this.recountServers();
      this.updateBackendWeight();
      this.recalcServerMap();
      return this.commit(s);
    }
    if (s.curUsable) {
      if (this.lookup === 'rrtree') {
        const grp = this.grpOf(s);
        grp.nextWeight -= s.curEweight;
      }
      if (s.backup) {
        if (this.lookup === 'rrtree') this.totWbck = this.bck.nextWeight;
        else this.totWbck -= s.curEweight;
        this.srvBck--;
        if (s === this.fbck) {
          let i = s.index + 1;
          while (i < this.srvs.length && !(this.srvs[i].backup && this.willbeUsable(this.srvs[i]))) i++;
          this.fbck = i < this.srvs.length ? this.srvs[i] : null;
        }
      } else {
        if (this.lookup === 'rrtree') this.totWact = this.act.nextWeight;
        else this.totWact -= s.curEweight;
        this.srvAct--;
      }
      if (this.lookup === 'chtree') this.chashDequeueSrv(s);
      else {
        this.dequeue(s);
        s.lbTree = null;
      }
    }
    this.updateBackendWeight();
    this.commit(s);
  }

  private setStatusUp(s: Srv): void {
    if (!this.statusChanged(s)) return;
    if (!this.willbeUsable(s)) return this.commit(s);
    if (this.lookup === 'map') {
      this.recountServers();
      this.updateBackendWeight();
      this.recalcServerMap();
      return this.commit(s);
    }
    if (!s.curUsable) {
      const grp = this.lookup === 'rrtree' ? this.grpOf(s) : null;
      if (grp) grp.nextWeight += s.nextEweight;
      if (s.backup) {
        if (grp) this.totWbck = grp.nextWeight;
        else this.totWbck += s.nextEweight;
        this.srvBck++;
        if (!this.allBackups) {
          if (!this.fbck) this.fbck = s;
          else if (this.fbck.index > s.index) this.fbck = s;
        }
      } else {
        if (grp) this.totWact = grp.nextWeight;
        else this.totWact += s.nextEweight;
        this.srvAct++;
      }
      if (grp) {
        this.fwrrGetSrv(s);
        s.npos = grp.currPos + cdiv(grp.nextWeight + grp.currWeight - grp.currPos, s.nextEweight);
        this.fwrrQueueSrv(s);
      } else if (this.lookup === 'chtree') {
        this.chashQueueDequeue(s);
      } else {
        s.lbTree = s.backup ? this.treeBck : this.treeAct;
        this.cbQueue(s, s.nextEweight);
      }
    }
    this.updateBackendWeight();
    this.commit(s);
  }

  /** `lbprm.update_server_eweight` of each algorithm (slowstart steps). */
  private updateServerWeight(s: Srv): void {
    if (!this.statusChanged(s)) return;
    const oldState = s.curUsable;
    const newState = this.willbeUsable(s);
    if (!oldState && !newState) return this.commit(s);
    if (!oldState && newState) return this.setStatusUp(s);
    if (oldState && !newState) return this.setStatusDown(s);
    switch (this.lookup) {
      case 'map':
        return this.commit(s); // update_server_eweight is NULL for map-based algorithms
      case 'rrtree': {
        const grp = this.grpOf(s);
        grp.nextWeight = grp.nextWeight - s.curEweight + s.nextEweight;
        this.totWact = this.act.nextWeight;
        this.totWbck = this.bck.nextWeight;
        if (s.lbTree === grp.init) {
          this.dequeue(s);
          this.fwrrQueueByWeight(grp.init, s);
        } else if (!s.lbTree) {
          this.dequeue(s);
          this.fwrrGetSrv(s);
          s.npos = grp.currPos + cdiv(grp.nextWeight + grp.currWeight - grp.currPos, s.nextEweight);
          this.fwrrQueueSrv(s);
        } else {
          this.fwrrGetSrv(s);
          if (s.nextEweight > 0) {
            const prevNext = s.npos;
            const step = cdiv(grp.nextWeight, s.nextEweight);
            s.npos = s.lpos + step;
            s.rweight = 0;
            if (s.npos > prevNext) s.npos = prevNext;
            if (s.npos < grp.currPos + 2) s.npos = grp.currPos + step;
          } else {
            s.npos = grp.currPos + grp.currWeight;
          }
          this.dequeue(s);
          this.fwrrQueueSrv(s);
        }
        break;
      }
      case 'lctree':
      case 'fstree':
        this.dequeue(s);
        if (s.backup) {
          this.totWbck += s.nextEweight - s.curEweight;
          s.lbTree = this.treeBck;
        } else {
          this.totWact += s.nextEweight - s.curEweight;
          s.lbTree = this.treeAct;
        }
        this.cbQueue(s, s.nextEweight);
        break;
      case 'chtree':
        this.chashQueueDequeue(s);
        if (s.backup) this.totWbck += s.nextEweight - s.curEweight;
        else this.totWact += s.nextEweight - s.curEweight;
        break;
    }
    this.updateBackendWeight();
    this.commit(s);
  }

  private assign(req: SimRequest): Srv | null {
    if (!this.totWeight) return null;
    switch (this.lookup) {
      case 'rrtree':
        return this.fwrrGetNextServer();
      case 'lctree':
      case 'fstree':
        return this.cbGetNextServer();
    }
    if (this.kind === 'random') return this.getServerRnd();
    if (this.kind === 'static-rr') return this.mapGetServerRr();
    let srv: Srv | null = null;
    switch (this.kind) {
      case 'source':
        srv = this.getServerSh(req);
        break;
      case 'uri':
        srv = this.getServerUh(req);
        break;
      case 'url_param':
        srv = this.getServerPh(req);
        break;
      case 'hdr':
        srv = this.getServerHh(req);
        break;
    }
    // Hash input missing: fall back to round robin on the map or the tree.
    if (!srv) srv = this.lookup === 'chtree' ? this.chashGetNextServer() : this.mapGetServerRr();
    return srv;
  }

  pick(request: SimRequest, nowMs = 0): number {
    return this.pickDetailed(request, nowMs).server;
  }

  pickDetailed(request: SimRequest, nowMs = 0): PickResult {
    this.warmup(nowMs);
    const srv = this.assign(request);
    if (!srv) return { server: -1, worker: 0, failedAttempts: [] };
    srv.served++;
    this.cbReposition(srv);
    return { server: srv.index, worker: 0, failedAttempts: [] };
  }

  release(i: number, nowMs?: number): void {
    const s = this.srvs[i];
    if (!s || s.served <= 0) return;
    if (nowMs !== undefined) this.warmup(nowMs);
    s.served--;
    this.cbReposition(s);
  }

  fail(i: number, nowMs: number): void {
    this.release(i, nowMs);
  }

  setDown(i: number, down: boolean, nowMs = 0): void {
    const s = this.srvs[i];
    if (!s) return;
    this.warmup(nowMs);
    if (down) {
      if (s.checkDown) return;
      s.checkDown = true;
      s.starting = false;
      s.lastChange = Math.floor(nowMs / 1000);
      this.setStatusDown(s);
    } else {
      if (!s.checkDown) return;
      s.checkDown = false;
      s.lastChange = Math.floor(nowMs / 1000);
      s.warmupTicks = 0;
      s.starting = s.slowstart > 0;
      this.recalcEweight(s, s.lastChange);
      this.setStatusUp(s);
    }
  }

  isDown(i: number): boolean {
    const s = this.srvs[i];
    return !s || !s.curUsable;
  }

  connections(i: number): number {
    return this.srvs[i]?.served ?? 0;
  }

  effectiveWeight(i: number, nowMs?: number): number {
    if (nowMs !== undefined) this.warmup(nowMs);
    return this.srvs[i]?.curEweight ?? 0;
  }
}
