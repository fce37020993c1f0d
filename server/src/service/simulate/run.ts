/**
 * The state of one simulation run: backends, clients, the event queue and the metrics, with what
 * happens on each event (connect, close, drop, scenario step, sample).
 */
import type { Balancer } from './balancer-types';
import { createBalancer } from './balancer';
import { clampNum, drawLifetimeMs, isUsablePrimary, makeAddresses, reconnectDelayMs, round } from './clients';
import { EV_ACTION, EV_CLOSE, EV_CONNECT, EV_DROP, EV_SAMPLE, EventHeap } from './event-heap';
import { Prng } from './prng';
import type { Action, Plan, SystemModel } from './scenario';
import type { ClientOptions, SimPool, SimRequest, SimSample, SimServer, SimulateOptions } from './types';

/** Minimum time before a client retries after a failed attempt (so "immediate" cannot spin). */
const FAILED_RETRY_MS = 250;

/** One balancer state: the pool as the proxy loaded it (a reload starts a new epoch). */
export interface Epoch {
  balancer: Balancer;
  /** pool index -> global backend index */
  toGlobal: number[];
  /** global backend index -> pool index (absent when not in this pool) */
  toLocal: Map<number, number>;
  pool: SimPool;
}

/** The run's options, clamped. */
interface Limits {
  durationMs: number;
  sampleMs: number;
  rampMs: number;
  heartbeatMs: number;
  maxConnects: number;
  maxEvents: number;
}

/** How long the run lasts. */
export function durationMsOf(options: SimulateOptions): number {
  return clampNum(options.durationSec, 1, 30 * 86400, 3600) * 1000;
}

function limitsOf(options: SimulateOptions, co: ClientOptions): Limits {
  const durationMs = durationMsOf(options);
  return {
    durationMs,
    sampleMs: Math.max(100, clampNum(options.sampleSec, 0.1, 86400, durationMs / 120000) * 1000),
    rampMs: Math.min(durationMs, clampNum(co.rampSec, 0, 86400, 60) * 1000),
    heartbeatMs: clampNum(co.heartbeatSec, 0.1, 86400, 30) * 1000,
    maxConnects: options.maxConnects !== undefined ? Math.max(0, Math.floor(options.maxConnects)) : Infinity,
    maxEvents: options.maxEvents !== undefined ? Math.max(0, Math.floor(options.maxEvents)) : 200_000_000,
  };
}

export class Run {
  readonly rng: Prng;
  readonly co: ClientOptions;
  readonly limits: Limits;
  readonly nClients: number;
  readonly allServers: SimServer[];
  readonly nb: number;
  readonly epochs: Epoch[] = [];
  readonly heap = new EventHeap();
  private readonly actions: Action[] = [];
  // ---- backends (global indices) ----
  readonly alive: Uint8Array;
  /** AWS: registered with the target group and healthy (takes new connections). */
  readonly inService: Uint8Array;
  readonly open: Int32Array;
  readonly peakOpen: Int32Array;
  readonly totalConnects: Float64Array;
  private readonly newInSample: Int32Array;
  private readonly secOf: Float64Array;
  private readonly secCount: Int32Array;
  readonly peakPerSec: Int32Array;
  // ---- clients ----
  private readonly requests: SimRequest[];
  private readonly nWorkers: number;
  private readonly randomWorkers: boolean;
  readonly backend: Int32Array;
  private readonly worker: Int32Array;
  private readonly epochOf: Int32Array;
  private readonly gen: Int32Array;
  private readonly attempts: Int32Array;
  /** The backend of each client at the snapshot (-1: none). */
  readonly before: Int32Array;
  // ---- metrics ----
  dropped = 0;
  cutAtDeregistration = 0;
  failedAttempts = 0;
  connects = 0;
  closes = 0;
  events = 0;
  peakImbalance = 0;
  readonly series: SimSample[] = [];
  private sampleDropped = 0;

  constructor(
    readonly pool: SimPool,
    options: SimulateOptions,
    readonly plan: Plan,
    readonly model: SystemModel,
    readonly seed: number,
  ) {
    this.rng = new Prng(seed ^ 0x5bd1e995);
    this.co = options.clients ?? { count: 0 };
    this.limits = limitsOf(options, this.co);
    this.nClients = Math.floor(clampNum(this.co.count, 0, 2_000_000, 1000));
    this.allServers = plan.allServers;
    const nb = (this.nb = this.allServers.length);
    this.alive = new Uint8Array(nb).fill(1);
    this.inService = new Uint8Array(nb).fill(1);
    this.open = new Int32Array(nb);
    this.peakOpen = new Int32Array(nb);
    this.totalConnects = new Float64Array(nb);
    this.newInSample = new Int32Array(nb);
    this.secOf = new Float64Array(nb).fill(-1);
    this.secCount = new Int32Array(nb);
    this.peakPerSec = new Int32Array(nb);
    model.start(this, plan);

    const n = this.nClients;
    this.requests = this.makeRequests(makeAddresses(this.rng, this.co, n));
    this.nWorkers = model.workers(pool);
    this.randomWorkers = options.workerDistribution === 'random' && this.nWorkers > 1;
    this.backend = new Int32Array(n).fill(-1);
    this.worker = new Int32Array(n);
    this.epochOf = new Int32Array(n);
    this.gen = new Int32Array(n);
    this.attempts = new Int32Array(n);
    this.before = new Int32Array(n).fill(-1);
    const { rampMs, durationMs, sampleMs } = this.limits;
    for (let c = 0; c < n; c++) this.heap.push(rampMs > 0 ? this.rng.next() * rampMs : 0, EV_CONNECT, c, 0);
    for (let t = 0; t <= durationMs; t += sampleMs) this.heap.push(t, EV_SAMPLE, 0, 0);
  }

  private makeRequests(addresses: string[]): SimRequest[] {
    const withData = this.model.needsRequestData(this.pool);
    const requests: SimRequest[] = [];
    for (let c = 0; c < addresses.length; c++) {
      requests.push(
        withData
          ? {
              clientIp: addresses[c],
              uri: `/ws?user=${c}`,
              headers: { Host: 'app.example', 'X-User': `u${c}`, Cookie: `sid=s${c}` },
              worker: 0,
            }
          : { clientIp: addresses[c], worker: 0 },
      );
    }
    return requests;
  }

  private requestOf(c: number): SimRequest {
    const r = this.requests[c];
    r.worker = this.randomWorkers ? this.rng.int(this.nWorkers) : undefined;
    return r;
  }

  /** A new balancer state for `servers` (the proxy loaded this pool). */
  newEpoch(servers: SimServer[]): Epoch {
    const toGlobal = servers.map((s) => this.allServers.indexOf(s));
    const toLocal = new Map<number, number>();
    toGlobal.forEach((g, l) => toLocal.set(g, l));
    const p: SimPool = { ...this.pool, servers };
    const balancer = createBalancer(p, { seed: (this.seed + this.epochs.length * 7919) >>> 0 });
    const ep = { balancer, toGlobal, toLocal, pool: p };
    this.epochs.push(ep);
    return ep;
  }

  /** A proxy reload at `t`: a new epoch where the backends that are down start down. */
  reload(servers: SimServer[], t: number): void {
    const ep = this.newEpoch(servers);
    for (let g = 0; g < this.nb; g++) {
      const l = ep.toLocal.get(g);
      if (l !== undefined && !this.alive[g]) ep.balancer.setDown(l, true, t);
    }
  }

  current(): Epoch {
    return this.epochs[this.epochs.length - 1];
  }

  /** Schedules a scenario step (ignored past the end of the run). */
  at(t: number, a: Action): void {
    if (t > this.limits.durationMs) return;
    this.actions.push(a);
    this.heap.push(t, EV_ACTION, this.actions.length - 1, 0);
  }

  /** Clients currently connected to backend g (scans are rare: only scenario actions). */
  private clientsOn(g: number): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.nClients; c++) if (this.backend[c] === g) out.push(c);
    return out;
  }

  private recordNew(g: number, t: number): void {
    const sec = Math.floor(t / 1000);
    if (this.secOf[g] !== sec) {
      this.secOf[g] = sec;
      this.secCount[g] = 0;
    }
    this.secCount[g]++;
    if (this.secCount[g] > this.peakPerSec[g]) this.peakPerSec[g] = this.secCount[g];
    this.newInSample[g]++;
    this.totalConnects[g]++;
  }

  private scheduleReconnect(c: number, t: number, attempt: number): void {
    this.heap.push(t + reconnectDelayMs(this.rng, this.co.reconnect, attempt), EV_CONNECT, c, 0);
  }

  /** After a failed attempt the client waits at least FAILED_RETRY_MS (a failed upgrade's round trip). */
  private retryAfterFailure(c: number, t: number): void {
    const n = ++this.attempts[c];
    this.heap.push(t + Math.max(FAILED_RETRY_MS, reconnectDelayMs(this.rng, this.co.reconnect, n)), EV_CONNECT, c, 0);
  }

  private disconnect(c: number, t: number): number {
    const g = this.backend[c];
    if (g < 0) return -1;
    const ep = this.epochs[this.epochOf[c]];
    const local = ep.toLocal.get(g);
    if (local !== undefined) ep.balancer.release(local, t, this.worker[c]);
    this.open[g]--;
    this.closes++;
    this.backend[c] = -1;
    this.gen[c]++;
    return g;
  }

  /** A scenario cut an established connection; the client reconnects with its policy. */
  dropClient(c: number, t: number): void {
    if (this.disconnect(c, t) < 0) return;
    this.dropped++;
    this.sampleDropped++;
    this.attempts[c] = 0;
    this.scheduleReconnect(c, t, 0);
  }

  /** Every connected client is cut at `t`. */
  dropAll(t: number): void {
    for (let c = 0; c < this.nClients; c++) if (this.backend[c] >= 0) this.dropClient(c, t);
  }

  private connect(c: number, t: number): void {
    if (this.backend[c] >= 0) return;
    this.connects++;
    const ep = this.current();
    const res = ep.balancer.pickDetailed(this.requestOf(c), t);
    this.failedAttempts += res.failedAttempts.length;
    if (res.server < 0) {
      this.failedAttempts++;
      this.retryAfterFailure(c, t);
      return;
    }
    const g = ep.toGlobal[res.server];
    if (!this.alive[g]) {
      // HAProxy has not noticed yet: the connection attempt fails.
      ep.balancer.fail(res.server, t, res.worker);
      this.failedAttempts++;
      this.retryAfterFailure(c, t);
      return;
    }
    this.backend[c] = g;
    this.worker[c] = res.worker;
    this.epochOf[c] = this.epochs.length - 1;
    this.attempts[c] = 0;
    this.open[g]++;
    if (this.open[g] > this.peakOpen[g]) this.peakOpen[g] = this.open[g];
    this.recordNew(g, t);
    this.heap.push(t + drawLifetimeMs(this.rng, this.co.lifetime), EV_CLOSE, c, this.gen[c]);
  }

  /** The clients on `g` are cut at `t`, or over `overMs` after it. */
  private dropFrom(g: number, t: number, overMs: number): void {
    for (const c of this.clientsOn(g)) {
      if (overMs > 0) this.heap.push(t + this.rng.next() * overMs, EV_DROP, c, this.gen[c]);
      else this.dropClient(c, t);
    }
  }

  private runAction(a: Action, t: number): void {
    switch (a.kind) {
      case 'snapshot':
        this.before.set(this.backend);
        break;
      case 'kill':
        this.alive[a.server] = 0;
        this.model.reachable(this, a.server, false, t);
        for (const c of this.clientsOn(a.server)) {
          if (a.silent) this.heap.push(t + this.limits.heartbeatMs * (1 + this.rng.next()), EV_DROP, c, this.gen[c]);
          else this.dropClient(c, t);
        }
        break;
      case 'refuse':
        this.alive[a.server] = 0;
        this.model.reachable(this, a.server, false, t);
        break;
      case 'drainClose':
        for (const c of this.clientsOn(a.server))
          this.heap.push(t + this.rng.next() * a.overMs, EV_DROP, c, this.gen[c]);
        break;
      case 'markDown':
        this.model.checked(this, a.server, false, t);
        break;
      case 'revive':
        this.alive[a.server] = 1;
        this.model.reachable(this, a.server, true, t);
        break;
      case 'markUp':
        this.model.checked(this, a.server, true, t);
        break;
      case 'reload':
        this.reload(a.servers, t);
        for (const g of a.closeRemoved) this.dropFrom(g, t, a.overMs);
        break;
      case 'cut':
        for (const c of this.clientsOn(a.server)) {
          this.dropClient(c, t);
          this.cutAtDeregistration++;
        }
        break;
      case 'storm':
        this.model.storm(this, t);
        break;
    }
  }

  /** Imbalance (max / mean) and coefficient of variation of the open connections on usable backends. */
  balanceStats(): { imbalance: number; cv: number } {
    const usable: number[] = [];
    const ep = this.current();
    ep.toGlobal.forEach((g, l) => {
      if (isUsablePrimary(ep.pool.servers[l]) && this.alive[g] && this.inService[g]) usable.push(g);
    });
    if (usable.length === 0) return { imbalance: 0, cv: 0 };
    const open = this.open;
    let sum = 0;
    let max = 0;
    for (const g of usable) {
      sum += open[g];
      if (open[g] > max) max = open[g];
    }
    const mean = sum / usable.length;
    if (mean === 0) return { imbalance: 0, cv: 0 };
    let v = 0;
    for (const g of usable) v += (open[g] - mean) * (open[g] - mean);
    return { imbalance: max / mean, cv: Math.sqrt(v / usable.length) / mean };
  }

  private takeSample(t: number): void {
    const st = this.balanceStats();
    this.series.push({
      tSec: Math.round(t) / 1000,
      connections: Array.from(this.open),
      newConnections: Array.from(this.newInSample),
      imbalance: round(st.imbalance),
      cv: round(st.cv),
      dropped: this.sampleDropped,
      connected: this.connected(),
    });
    if (t >= this.limits.rampMs && st.imbalance > this.peakImbalance) this.peakImbalance = st.imbalance;
    this.newInSample.fill(0);
    this.sampleDropped = 0;
  }

  /** Open connections over all backends. */
  connected(): number {
    let n = 0;
    for (let g = 0; g < this.nb; g++) n += this.open[g];
    return n;
  }

  /** Runs the events until the end of the run or a limit. */
  loop(): void {
    const { durationMs, maxConnects, maxEvents } = this.limits;
    const { heap, gen, backend } = this;
    const ev = [0, 0, 0, 0];
    while (heap.pop(ev)) {
      const t = ev[0];
      if (t > durationMs) break;
      if (++this.events > maxEvents) {
        this.events--;
        break;
      }
      const k = ev[1];
      const a = ev[2];
      if (k === EV_CONNECT) {
        if (this.connects >= maxConnects) break;
        this.connect(a, t);
      } else if (k === EV_CLOSE) {
        if (gen[a] !== ev[3] || backend[a] < 0) continue;
        this.disconnect(a, t);
        this.attempts[a] = 0;
        const delay = reconnectDelayMs(this.rng, this.co.reconnect, 0);
        // A zero delay reconnects in place (same instant; saves a heap round trip).
        if (delay === 0) {
          if (this.connects >= maxConnects) break;
          this.connect(a, t);
        } else heap.push(t + delay, EV_CONNECT, a, 0);
      } else if (k === EV_DROP) {
        if (gen[a] !== ev[3] || backend[a] < 0) continue;
        this.dropClient(a, t);
      } else if (k === EV_ACTION) {
        this.runAction(this.actions[a], t);
      } else if (k === EV_SAMPLE) {
        this.takeSample(t);
      }
    }
  }
}
