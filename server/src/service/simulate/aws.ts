/**
 * A MODEL of AWS Elastic Load Balancing target groups (ALB/NLB) choosing a target for each new
 * WebSocket. Unlike nginx.ts and haproxy.ts, which reproduce the source code decision for
 * decision, this follows AWS's documented behaviour only: AWS's implementation is not public, so
 * every result is "what the documentation implies", not "what AWS does".
 *
 * Documented behaviour used (pages read 2026-11-25, see knowledge/aws.ts AWS_DOC_PAGES):
 * - Routing algorithm, https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#modify-routing-algorithm
 *   `round_robin` (default) routes to targets in turn; `least_outstanding_requests` to the target
 *   with the fewest in-progress requests — "when you use least outstanding requests with
 *   WebSockets, the target is selected using least outstanding requests" and all messages then
 *   use that connection; `weighted_random` picks targets at random, with optional anomaly
 *   mitigation (Automatic Target Weights), which lowers the weight of targets returning errors.
 * - Slow start, same page #slow-start-mode: a target enters slow start when it becomes healthy
 *   (only if at least one healthy target is not in slow start), the load balancer "linearly
 *   increases" what it sends it over the duration, then the target gets a full share; leaving
 *   slow start when it becomes unhealthy or is deregistered. Slow start cannot be combined with
 *   `least_outstanding_requests`.
 * - Network Load Balancer: a target is chosen per TCP flow by a flow hash over protocol, source
 *   and destination address and port, and TCP sequence number,
 *   https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#routing-algorithm
 *
 * Model choices (not documented by AWS; said wherever results are shown):
 * - least_outstanding_requests counts an open WebSocket as an outstanding request for as long as
 *   it stays open; ties go to the next target in turn after the previous pick.
 * - round_robin with slow start: smooth weighted turns where a target in slow start gets the
 *   fraction (elapsed / duration) of a fair share, so its share of new connections grows linearly
 *   from 0 to 1/N over the duration.
 * - weighted_random: uniform over healthy targets (targets of one target group have no
 *   configurable weights, and anomaly mitigation is left out: the simulated targets never return
 *   errors). Slow start is not applied to it (the pages above do not describe the combination).
 * - NLB flow hash: every connection has a fresh client port, so the flow hash is modelled as a
 *   uniform draw per connection.
 * - No healthy target: the attempt fails (AWS's "fail open" to unhealthy targets is left out).
 */
import type { Balancer, PickResult } from './balancer-types';
import { Prng } from './prng';
import type { SimPool, SimRequest, SimServer } from './types';

export type AwsAlgorithm = 'round_robin' | 'least_outstanding_requests' | 'weighted_random' | 'flow_hash';

export const AWS_ALGORITHMS: readonly AwsAlgorithm[] = [
  'round_robin',
  'least_outstanding_requests',
  'weighted_random',
  'flow_hash',
];

/** The label every AWS result carries. */
export const AWS_MODEL_LABEL = "a model of documented AWS behaviour; AWS's implementation is not public";

/** How many stand-in targets a target group gets when its config does not list them. */
export const AWS_DEFAULT_PLACEHOLDER_TARGETS = 3;

/** `n` stand-in targets for an AWS target group whose config does not list its targets. */
export function awsPlaceholderTargets(n = AWS_DEFAULT_PLACEHOLDER_TARGETS, port = 80): SimServer[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `target-${i + 1}`,
    address: `10.0.${(i >> 8) & 255}.${(i & 255) + 10}`,
    port,
    weight: 1,
    backup: false,
    down: false,
  }));
}

export function awsAlgorithmOf(pool: SimPool): AwsAlgorithm {
  const a = pool.algorithm.trim().toLowerCase();
  return (AWS_ALGORITHMS as readonly string[]).includes(a) ? (a as AwsAlgorithm) : 'round_robin';
}

/** Does slow start shape this algorithm's choices in the model? */
export function awsSlowStartApplies(pool: SimPool): boolean {
  return awsAlgorithmOf(pool) === 'round_robin' && (pool.aws?.slowStartMs ?? 0) > 0;
}

export class AwsBalancer implements Balancer {
  readonly pool: SimPool;
  private readonly algorithm: AwsAlgorithm;
  private readonly n: number;
  private readonly conns: Int32Array;
  private readonly down: Uint8Array;
  /** When the target entered slow start (ms), or NaN when it is not in slow start. */
  private readonly slowSince: Float64Array;
  private readonly slowMs: number;
  /** Smooth weighted round robin state. */
  private readonly current: Float64Array;
  private readonly weight: Float64Array;
  private readonly rng: Prng;
  /** Next index in turn (least_outstanding_requests tie-break). */
  private turn = 0;

  constructor(pool: SimPool, seed: number) {
    this.pool = pool;
    this.algorithm = awsAlgorithmOf(pool);
    this.n = pool.servers.length;
    this.conns = new Int32Array(this.n);
    this.down = new Uint8Array(this.n);
    pool.servers.forEach((s, i) => {
      if (s.down) this.down[i] = 1;
    });
    this.slowSince = new Float64Array(this.n).fill(NaN);
    this.slowMs = awsSlowStartApplies(pool) ? Math.max(0, pool.aws?.slowStartMs ?? 0) : 0;
    this.current = new Float64Array(this.n);
    this.weight = new Float64Array(this.n);
    this.rng = new Prng(seed ^ 0x2545f491);
  }

  /** Fraction of a full share a target may take now: 1 outside slow start, elapsed/duration inside. */
  slowStartFactor(i: number, nowMs = 0): number {
    const since = this.slowSince[i];
    if (this.slowMs <= 0 || Number.isNaN(since)) return 1;
    const f = (nowMs - since) / this.slowMs;
    if (f >= 1) {
      this.slowSince[i] = NaN;
      return 1;
    }
    return Math.max(0, f);
  }

  isInSlowStart(i: number, nowMs = 0): boolean {
    return this.slowStartFactor(i, nowMs) < 1;
  }

  pick(request: SimRequest, nowMs = 0): number {
    return this.pickDetailed(request, nowMs).server;
  }

  pickDetailed(_request: SimRequest, nowMs = 0): PickResult {
    const i = this.choose(nowMs);
    if (i >= 0) this.conns[i]++;
    return { server: i, worker: 0, failedAttempts: [] };
  }

  private choose(nowMs: number): number {
    const n = this.n;
    let healthy = 0;
    for (let i = 0; i < n; i++) if (!this.down[i]) healthy++;
    if (healthy === 0) return -1;
    switch (this.algorithm) {
      case 'least_outstanding_requests': {
        // Fewest open connections; ties: the first in turn from `this.turn`.
        let best = -1;
        for (let k = 0; k < n; k++) {
          const i = (this.turn + k) % n;
          if (this.down[i]) continue;
          if (best < 0 || this.conns[i] < this.conns[best]) best = i;
        }
        this.turn = (best + 1) % n;
        return best;
      }
      case 'weighted_random':
      case 'flow_hash': {
        let r = this.rng.int(healthy);
        for (let i = 0; i < n; i++) {
          if (this.down[i]) continue;
          if (r-- === 0) return i;
        }
        return -1;
      }
      default:
        return this.roundRobin(nowMs, healthy);
    }
  }

  /**
   * Smooth weighted turns. Without slow start every healthy target has weight 1: a strict
   * rotation. A target in slow start has weight f/N of the total (f = elapsed/duration, N = healthy
   * targets); the full targets share the rest equally, so its share of picks is f × 1/N.
   */
  private roundRobin(nowMs: number, healthy: number): number {
    const n = this.n;
    let slowShare = 0;
    let full = 0;
    for (let i = 0; i < n; i++) {
      if (this.down[i]) continue;
      const f = this.slowStartFactor(i, nowMs);
      if (f < 1) {
        this.weight[i] = f / healthy;
        slowShare += this.weight[i];
      } else {
        this.weight[i] = -1;
        full++;
      }
    }
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (this.down[i]) continue;
      if (this.weight[i] < 0) this.weight[i] = full > 0 ? (1 - slowShare) / full : 0;
      total += this.weight[i];
    }
    if (total <= 0) {
      // Only targets at the very start of slow start: AWS puts none in slow start without a full
      // healthy peer, but one may have failed since; fall back to plain turns.
      for (let i = 0; i < n; i++) if (!this.down[i]) this.weight[i] = 1;
      total = healthy;
    }
    let best = -1;
    for (let i = 0; i < n; i++) {
      if (this.down[i]) continue;
      this.current[i] += this.weight[i];
      if (best < 0 || this.current[i] > this.current[best] + 1e-12) best = i;
    }
    this.current[best] -= total;
    return best;
  }

  release(i: number): void {
    if (i >= 0 && i < this.n && this.conns[i] > 0) this.conns[i]--;
  }

  fail(i: number): void {
    this.release(i);
  }

  /**
   * `down = true`: the target is unhealthy or deregistered (no new connections; it leaves slow
   * start). `down = false`: it is healthy again and enters slow start when another healthy target
   * is not in slow start.
   */
  setDown(i: number, down: boolean, nowMs = 0): void {
    if (i < 0 || i >= this.n) return;
    if (down) {
      this.down[i] = 1;
      this.slowSince[i] = NaN;
      this.current[i] = 0;
      return;
    }
    if (!this.down[i]) return;
    this.down[i] = 0;
    this.current[i] = 0;
    if (this.slowMs > 0) {
      let fullPeer = false;
      for (let k = 0; k < this.n; k++) if (k !== i && !this.down[k] && !this.isInSlowStart(k, nowMs)) fullPeer = true;
      if (fullPeer) this.slowSince[i] = nowMs;
    }
  }

  isDown(i: number): boolean {
    return !!this.down[i];
  }

  connections(i: number): number {
    return this.conns[i] ?? 0;
  }

  effectiveWeight(i: number, nowMs = 0): number {
    return this.down[i] ? 0 : this.slowStartFactor(i, nowMs);
  }
}
