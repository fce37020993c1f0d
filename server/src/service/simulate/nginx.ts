/**
 * nginx 1.22 upstream balancing, reimplemented decision for decision.
 *
 * Facts restated from the nginx 1.22.1 sources (https://github.com/nginx/nginx, tag release-1.22.1):
 * - src/http/ngx_http_upstream_round_robin.c: `ngx_http_upstream_init_round_robin` (peer lists,
 *   backup list, `single`, `total_weight`, `tries`), `ngx_http_upstream_get_round_robin_peer`
 *   (backup fallback), `ngx_http_upstream_get_peer` (smooth weighted round robin),
 *   `ngx_http_upstream_free_round_robin_peer` (failure accounting).
 * - src/http/modules/ngx_http_upstream_least_conn_module.c: `ngx_http_upstream_get_least_conn_peer`.
 * - src/http/modules/ngx_http_upstream_ip_hash_module.c: `ngx_http_upstream_get_ip_hash_peer`.
 * - src/http/modules/ngx_http_upstream_hash_module.c: `ngx_http_upstream_get_hash_peer`,
 *   `ngx_http_upstream_init_chash`, `ngx_http_upstream_find_chash_point`,
 *   `ngx_http_upstream_get_chash_peer`.
 * - src/http/modules/ngx_http_upstream_random_module.c: `ngx_http_upstream_get_random_peer`,
 *   `ngx_http_upstream_get_random2_peer`, `ngx_http_upstream_peek_random_peer`.
 * The stream module (src/stream/ngx_stream_upstream_*.c) uses the same arithmetic.
 *
 * Time: nginx compares whole seconds (`ngx_time()`); we use floor(nowMs / 1000) plus a constant
 * epoch so that "checked = 0" at start behaves as in a real process started long after 1970.
 *
 * Workers: without `zone`, every worker process has its own copy of the peer state (counts,
 * current weights, failures, random generator). Which worker accepts a connection is decided by
 * the kernel (accept mutex / reuseport); the balancer takes it from `request.worker` or, by
 * default, rotates over the workers (documented model choice).
 */
import type { Balancer, PickResult } from './balancer-types';
import { crc32, crc32Update, parseIp, utf8 } from './hashes';
import { evaluateNginxKey } from './keys';
import { Prng } from './prng';
import type { SimPool, SimRequest } from './types';
import {
  buildPeers,
  kindOf,
  type ChashPoint,
  type Ctx,
  type Kind,
  type Peer,
  type Peers,
  type WorkerState,
} from './nginx-peers';

const EPOCH_SEC = 1_000_000_000;

export class NginxBalancer implements Balancer {
  readonly pool: SimPool;
  private readonly kind: Kind;
  private readonly workers: WorkerState[];
  private readonly unreachable: boolean[];
  private readonly points: ChashPoint[] = [];
  /** `ngx_http_upstream_random_range_t`: cumulative weights of the primary peers. */
  private readonly ranges: number[] = [];
  private rotation = 0;
  private readonly empty: boolean;
  private scratch: Ctx | null = null;

  constructor(pool: SimPool, seed: number) {
    this.pool = pool;
    this.kind = kindOf(pool);
    this.unreachable = pool.servers.map(() => false);
    const nWorkers = pool.zone ? 1 : Math.max(1, Math.floor(pool.workers ?? 1));
    this.workers = [];
    this.empty = !buildPeers(pool, false);
    for (let w = 0; w < nWorkers; w++) {
      const primary = buildPeers(pool, false) ?? { peers: [], single: false, totalWeight: 0, tries: 0, next: null };
      const backup = buildPeers(pool, true);
      if (backup) {
        primary.single = false;
        backup.single = false;
        primary.next = backup;
      }
      const byIndex: (Peer | undefined)[] = pool.servers.map(() => undefined);
      for (const p of primary.peers) byIndex[p.index] = p;
      if (primary.next) for (const p of primary.next.peers) byIndex[p.index] = p;
      this.workers.push({ primary, byIndex, rng: new Prng((seed ^ Math.imul(w + 1, 0x9e3779b1)) >>> 0) });
    }
    const primary = this.workers[0].primary;
    if (this.kind === 'chash') this.buildChash(primary);
    let total = 0;
    for (const p of primary.peers) {
      this.ranges.push(total);
      total += p.weight;
    }
  }

  /** `ngx_http_upstream_init_chash`: 160 points per weight unit, crc32(host \0 port prev_hash). */
  private buildChash(peers: Peers): void {
    const points: ChashPoint[] = [];
    for (const peer of peers.peers) {
      const server = peer.server;
      let host = server;
      let port = '';
      if (server.length >= 5 && server.slice(0, 5).toLowerCase() === 'unix:') {
        host = server.slice(5);
      } else {
        for (let j = 0; j < server.length; j++) {
          const c = server[server.length - j - 1];
          if (c === ':') {
            host = server.slice(0, server.length - j - 1);
            port = server.slice(server.length - j);
            break;
          }
          if (c < '0' || c > '9') break;
        }
      }
      let base = crc32Update(0xffffffff, utf8(host));
      base = crc32Update(base, [0]);
      base = crc32Update(base, utf8(port));
      let prev = 0;
      const n = peer.weight * 160;
      for (let j = 0; j < n; j++) {
        // prev_hash is hashed as its 4 bytes in little-endian order (x86 memory layout).
        let h = crc32Update(base, [prev & 0xff, (prev >>> 8) & 0xff, (prev >>> 16) & 0xff, (prev >>> 24) & 0xff]);
        h = (h ^ 0xffffffff) >>> 0;
        points.push({ hash: h, server });
        prev = h;
      }
    }
    // ngx_qsort (glibc qsort: a merge sort, stable) by hash, then drop repeated hashes.
    points.sort((a, b) => (a.hash < b.hash ? -1 : a.hash > b.hash ? 1 : 0));
    for (const p of points) {
      if (this.points.length === 0 || this.points[this.points.length - 1].hash !== p.hash) this.points.push(p);
    }
  }

  /** `ngx_http_upstream_find_chash_point`: first point >= hash (may equal points.length). */
  private findChashPoint(hash: number): number {
    let i = 0;
    let j = this.points.length;
    while (i < j) {
      const k = (i + j) >>> 1;
      const ph = this.points[k].hash;
      if (hash > ph) i = k + 1;
      else if (hash < ph) j = k;
      else return k;
    }
    return i;
  }

  private nowSec(nowMs: number): number {
    return Math.floor(nowMs / 1000) + EPOCH_SEC;
  }

  private worker(req: SimRequest): number {
    const n = this.workers.length;
    if (n === 1) return 0;
    if (req.worker !== undefined && Number.isFinite(req.worker)) return ((Math.floor(req.worker) % n) + n) % n;
    const w = this.rotation % n;
    this.rotation = (this.rotation + 1) % n;
    return w;
  }

  pick(request: SimRequest, nowMs = 0): number {
    return this.pickDetailed(request, nowMs).server;
  }

  pickDetailed(request: SimRequest, nowMs = 0): PickResult {
    const w = this.worker(request);
    const result: PickResult = { server: -1, worker: w, failedAttempts: [] };
    if (this.empty) return result;
    const ws = this.workers[w];
    const now = this.nowSec(nowMs);
    const ctx = this.initPeer(ws, request);
    // ngx_http_upstream_connect / ngx_http_upstream_next: try peers until one accepts the
    // connection or `tries` runs out (proxy_next_upstream error, proxy_next_upstream_tries 0).
    for (let guard = 0; guard < 10000; guard++) {
      const peer = this.get(ws, ctx, now);
      if (!peer) return result;
      if (!this.unreachable[peer.index]) {
        result.server = peer.index;
        return result;
      }
      result.failedAttempts.push(peer.index);
      this.free(ctx.peers, peer, true, now);
      if (ctx.peers.single) ctx.tries = 0;
      else if (ctx.tries > 0) ctx.tries--;
      if (ctx.tries === 0) return result;
    }
    return result;
  }

  /** `init_peer` of each module. */
  private initPeer(ws: WorkerState, req: SimRequest): Ctx {
    const primary = ws.primary;
    const n = Math.max(primary.peers.length, primary.next ? primary.next.peers.length : 0);
    // One request is balanced at a time: reuse the per-request record instead of allocating.
    let ctx = this.scratch;
    if (!ctx || ctx.tried.length !== n) {
      ctx = {
        peers: primary,
        tried: new Uint8Array(n),
        current: null,
        tries: 0,
        ipAddr: [],
        ipHash: 89,
        modTries: 0,
        key: [],
        hash: 0,
        rehash: 0,
        chash: 0,
      };
      this.scratch = ctx;
    }
    ctx.peers = primary;
    ctx.tried.fill(0);
    ctx.current = null;
    ctx.tries = primary.tries + (primary.next ? primary.next.tries : 0);
    ctx.ipHash = 89;
    ctx.modTries = 0;
    ctx.hash = 0;
    ctx.rehash = 0;
    ctx.chash = 0;
    if (this.kind === 'ip_hash') {
      const bytes = parseIp(req.clientIp);
      // AF_INET: first 3 bytes; AF_INET6: all 16; anything else: 3 zero bytes (pseudo address).
      if (bytes && bytes.length === 4) ctx.ipAddr = bytes.slice(0, 3);
      else if (bytes && bytes.length === 16) ctx.ipAddr = bytes;
      else ctx.ipAddr = [0, 0, 0];
    } else if (this.kind === 'hash' || this.kind === 'chash') {
      if (req.hashKeyValue !== undefined) ctx.key = utf8(req.hashKeyValue);
      else ctx.key = evaluateNginxKey(this.pool.hashKey ?? '', req);
      if (this.kind === 'chash' && this.points.length > 0) ctx.chash = this.findChashPoint(crc32(ctx.key));
    }
    return ctx;
  }

  private get(ws: WorkerState, ctx: Ctx, now: number): Peer | null {
    switch (this.kind) {
      case 'least_conn':
        return this.getLeastConn(ctx, now);
      case 'ip_hash':
        return this.getIpHash(ctx, now);
      case 'hash':
        return this.getHash(ctx, now);
      case 'chash':
        return this.getChash(ctx, now);
      case 'random':
        return this.getRandom(ws, ctx, now);
      case 'random2':
        return this.getRandom2(ws, ctx, now);
      default:
        return this.getRoundRobin(ctx, now);
    }
  }

  /** The peer a hash or weight loop settled on: counted, marked tried, its fail window restarted if over. */
  private static take(ctx: Ctx, p: number, peer: Peer, now: number): Peer {
    ctx.current = peer;
    peer.conns++;
    if (now - peer.checked > peer.failTimeout) peer.checked = now;
    ctx.tried[p] = 1;
    return peer;
  }

  private static unavailable(peer: Peer, now: number): boolean {
    if (peer.down) return true;
    if (peer.maxFails && peer.fails >= peer.maxFails && now - peer.checked <= peer.failTimeout) return true;
    if (peer.maxConns && peer.conns >= peer.maxConns) return true;
    return false;
  }

  /** `ngx_http_upstream_get_round_robin_peer`. */
  private getRoundRobin(ctx: Ctx, now: number): Peer | null {
    const peers = ctx.peers;
    let peer: Peer | null = null;
    if (peers.single) {
      const p = peers.peers[0];
      if (!p.down && !(p.maxConns && p.conns >= p.maxConns)) peer = p;
      if (peer) ctx.current = peer;
    } else {
      peer = this.getPeer(ctx, now);
    }
    if (peer) {
      peer.conns++;
      return peer;
    }
    if (peers.next) {
      ctx.peers = peers.next;
      ctx.tried.fill(0);
      return this.getRoundRobin(ctx, now);
    }
    return null;
  }

  /** `ngx_http_upstream_get_peer`: smooth weighted round robin over untried, available peers. */
  private getPeer(ctx: Ctx, now: number): Peer | null {
    let best: Peer | null = null;
    let p = 0;
    let total = 0;
    const list = ctx.peers.peers;
    const tried = ctx.tried;
    for (let i = 0, n = list.length; i < n; i++) {
      if (tried[i]) continue;
      const peer = list[i];
      if (peer.down) continue;
      if (peer.maxFails && peer.fails >= peer.maxFails && now - peer.checked <= peer.failTimeout) continue;
      if (peer.maxConns && peer.conns >= peer.maxConns) continue;
      const ew = peer.effectiveWeight;
      const cw = peer.currentWeight + ew;
      peer.currentWeight = cw;
      total += ew;
      if (ew < peer.weight) peer.effectiveWeight = ew + 1;
      if (best === null || cw > best.currentWeight) {
        best = peer;
        p = i;
      }
    }
    if (best === null) return null;
    ctx.current = best;
    tried[p] = 1;
    best.currentWeight -= total;
    if (now - best.checked > best.failTimeout) best.checked = now;
    return best;
  }

  /** `ngx_http_upstream_get_least_conn_peer`. */
  private getLeastConn(ctx: Ctx, now: number): Peer | null {
    if (ctx.peers.single) return this.getRoundRobin(ctx, now);
    const peers = ctx.peers;
    const list = peers.peers;
    let best: Peer | null = null;
    let many = false;
    let p = 0;
    for (let i = 0; i < list.length; i++) {
      const peer = list[i];
      if (ctx.tried[i]) continue;
      if (NginxBalancer.unavailable(peer, now)) continue;
      if (best === null || peer.conns * best.weight < best.conns * peer.weight) {
        best = peer;
        many = false;
        p = i;
      } else if (peer.conns * best.weight === best.conns * peer.weight) {
        many = true;
      }
    }
    if (best === null) {
      if (peers.next) {
        ctx.peers = peers.next;
        ctx.tried.fill(0);
        return this.getLeastConn(ctx, now);
      }
      return null;
    }
    let total = 0;
    if (many) {
      // Ties: smooth weighted round robin among the tied peers, starting at the first of them.
      for (let i = p; i < list.length; i++) {
        const peer = list[i];
        if (ctx.tried[i]) continue;
        if (peer.down) continue;
        if (peer.conns * best.weight !== best.conns * peer.weight) continue;
        if (peer.maxFails && peer.fails >= peer.maxFails && now - peer.checked <= peer.failTimeout) continue;
        if (peer.maxConns && peer.conns >= peer.maxConns) continue;
        peer.currentWeight += peer.effectiveWeight;
        total += peer.effectiveWeight;
        if (peer.effectiveWeight < peer.weight) peer.effectiveWeight++;
        if (peer.currentWeight > best.currentWeight) {
          best = peer;
          p = i;
        }
      }
    }
    best.currentWeight -= total;
    return NginxBalancer.take(ctx, p, best, now);
  }

  /** Weighted walk shared by ip_hash and hash: `w = hash % total_weight`, then subtract weights. */
  private static walk(peers: Peers, hash: number): number {
    let w = hash % peers.totalWeight;
    let p = 0;
    while (w >= peers.peers[p].weight) {
      w -= peers.peers[p].weight;
      p++;
    }
    return p;
  }

  /** `ngx_http_upstream_get_ip_hash_peer`. */
  private getIpHash(ctx: Ctx, now: number): Peer | null {
    if (ctx.modTries > 20 || ctx.peers.single) return this.getRoundRobin(ctx, now);
    let hash = ctx.ipHash;
    for (;;) {
      for (const b of ctx.ipAddr) hash = (hash * 113 + b) % 6271;
      const p = NginxBalancer.walk(ctx.peers, hash);
      const peer = ctx.peers.peers[p];
      if (!ctx.tried[p] && !NginxBalancer.unavailable(peer, now)) {
        ctx.ipHash = hash;
        return NginxBalancer.take(ctx, p, peer, now);
      }
      if (++ctx.modTries > 20) return this.getRoundRobin(ctx, now);
    }
  }

  /** `ngx_http_upstream_get_hash_peer`: ((crc32([rehash] key) >> 16) & 0x7fff) accumulated. */
  private getHash(ctx: Ctx, now: number): Peer | null {
    if (ctx.modTries > 20 || ctx.peers.single || ctx.key.length === 0) return this.getRoundRobin(ctx, now);
    for (;;) {
      let crc = 0xffffffff;
      if (ctx.rehash > 0) crc = crc32Update(crc, utf8(String(ctx.rehash)));
      crc = crc32Update(crc, ctx.key);
      crc = (crc ^ 0xffffffff) >>> 0;
      const h = (crc >>> 16) & 0x7fff;
      ctx.hash = (ctx.hash + h) >>> 0; // hp->hash is a uint32_t
      ctx.rehash++;
      const p = NginxBalancer.walk(ctx.peers, ctx.hash);
      const peer = ctx.peers.peers[p];
      if (!ctx.tried[p] && !NginxBalancer.unavailable(peer, now)) return NginxBalancer.take(ctx, p, peer, now);
      if (++ctx.modTries > 20) return this.getRoundRobin(ctx, now);
    }
  }

  /** `ngx_http_upstream_get_chash_peer`. */
  private getChash(ctx: Ctx, now: number): Peer | null {
    if (ctx.modTries > 20 || ctx.peers.single || ctx.key.length === 0 || this.points.length === 0) {
      return this.getRoundRobin(ctx, now);
    }
    const list = ctx.peers.peers;
    for (;;) {
      const server = this.points[ctx.chash % this.points.length].server;
      let best: Peer | null = null;
      let bestI = 0;
      let total = 0;
      for (let i = 0; i < list.length; i++) {
        const peer = list[i];
        if (ctx.tried[i]) continue;
        if (NginxBalancer.unavailable(peer, now)) continue;
        if (peer.server !== server) continue;
        peer.currentWeight += peer.effectiveWeight;
        total += peer.effectiveWeight;
        if (peer.effectiveWeight < peer.weight) peer.effectiveWeight++;
        if (best === null || peer.currentWeight > best.currentWeight) {
          best = peer;
          bestI = i;
        }
      }
      if (best) {
        best.currentWeight -= total;
        return NginxBalancer.take(ctx, bestI, best, now);
      }
      ctx.chash++;
      ctx.modTries++;
      if (ctx.modTries > 20) return this.getRoundRobin(ctx, now);
    }
  }

  /** `ngx_http_upstream_peek_random_peer`: x = random() % total_weight, binary search of ranges. */
  private peekRandom(ws: WorkerState, peers: Peers): number {
    const x = ws.rng.random31() % peers.totalWeight;
    let i = 0;
    let j = peers.peers.length;
    while (j - i > 1) {
      const k = (i + j) >>> 1;
      if (x < this.ranges[k]) j = k;
      else i = k;
    }
    return i;
  }

  /** `ngx_http_upstream_get_random_peer`. */
  private getRandom(ws: WorkerState, ctx: Ctx, now: number): Peer | null {
    if (ctx.modTries > 20 || ctx.peers.single) return this.getRoundRobin(ctx, now);
    for (;;) {
      const i = this.peekRandom(ws, ctx.peers);
      const peer = ctx.peers.peers[i];
      if (!ctx.tried[i] && !NginxBalancer.unavailable(peer, now)) {
        ctx.current = peer;
        if (now - peer.checked > peer.failTimeout) peer.checked = now;
        peer.conns++;
        ctx.tried[i] = 1;
        return peer;
      }
      if (++ctx.modTries > 20) return this.getRoundRobin(ctx, now);
    }
  }

  /** `ngx_http_upstream_get_random2_peer`: two distinct draws, keep the less loaded (by weight). */
  private getRandom2(ws: WorkerState, ctx: Ctx, now: number): Peer | null {
    if (ctx.modTries > 20 || ctx.peers.single) return this.getRoundRobin(ctx, now);
    let prev: Peer | null = null;
    let p = 0;
    for (;;) {
      const i = this.peekRandom(ws, ctx.peers);
      let peer = ctx.peers.peers[i];
      if (peer !== prev && !ctx.tried[i] && !NginxBalancer.unavailable(peer, now)) {
        if (prev) {
          let chosen = i;
          if (peer.conns * prev.weight > prev.conns * peer.weight) {
            peer = prev;
            chosen = p;
          }
          ctx.current = peer;
          if (now - peer.checked > peer.failTimeout) peer.checked = now;
          peer.conns++;
          ctx.tried[chosen] = 1;
          return peer;
        }
        prev = peer;
        p = i;
      }
      if (++ctx.modTries > 20) return this.getRoundRobin(ctx, now);
    }
  }

  /** `ngx_http_upstream_free_round_robin_peer`. */
  private free(peers: Peers, peer: Peer, failed: boolean, now: number): void {
    if (peers.single) {
      peer.conns = Math.max(0, peer.conns - 1);
      return;
    }
    if (failed) {
      peer.fails++;
      peer.accessed = now;
      peer.checked = now;
      if (peer.maxFails) peer.effectiveWeight -= Math.floor(peer.weight / peer.maxFails);
      if (peer.effectiveWeight < 0) peer.effectiveWeight = 0;
    } else if (peer.accessed < peer.checked) {
      peer.fails = 0;
    }
    peer.conns = Math.max(0, peer.conns - 1);
  }

  private peerOf(i: number, worker?: number): Peer | undefined {
    if (worker !== undefined && this.workers[worker]) return this.workers[worker].byIndex[i];
    // No worker given: the first worker that holds a connection to this server.
    for (const ws of this.workers) {
      const peer = ws.byIndex[i];
      if (peer && peer.conns > 0) return peer;
    }
    return this.workers[0].byIndex[i];
  }

  release(i: number, nowMs = 0, worker?: number): void {
    const peer = this.peerOf(i, worker);
    if (peer && peer.list) this.free(peer.list, peer, false, this.nowSec(nowMs));
  }

  fail(i: number, nowMs: number, worker?: number): void {
    const peer = this.peerOf(i, worker);
    if (peer && peer.list) this.free(peer.list, peer, true, this.nowSec(nowMs));
  }

  setDown(i: number, down: boolean): void {
    if (i >= 0 && i < this.unreachable.length) this.unreachable[i] = down;
  }

  isDown(i: number): boolean {
    return !!this.unreachable[i] || !!this.pool.servers[i]?.down;
  }

  connections(i: number): number {
    let n = 0;
    for (const ws of this.workers) n += ws.byIndex[i]?.conns ?? 0;
    return n;
  }

  effectiveWeight(i: number): number {
    return this.workers[0].byIndex[i]?.effectiveWeight ?? 0;
  }

  /** Peer state of one worker, for tests and the webview's inspector. */
  peerState(
    i: number,
    worker = 0,
  ): { currentWeight: number; effectiveWeight: number; fails: number; conns: number } | null {
    const p = this.workers[worker]?.byIndex[i];
    return p
      ? { currentWeight: p.currentWeight, effectiveWeight: p.effectiveWeight, fails: p.fails, conns: p.conns }
      : null;
  }

  /** The consistent-hash ring (sorted point hashes and their server), for tests and display. */
  ring(): ReadonlyArray<{ hash: number; server: string }> {
    return this.points;
  }
}
