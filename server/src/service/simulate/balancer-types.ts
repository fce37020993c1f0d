import type { SimPool, SimRequest } from './types';

/** Result of one balancing decision. */
export interface PickResult {
  /** Index into `pool.servers`, or -1 when no server could take the connection (502/503). */
  server: number;
  /** nginx worker that handled the connection (0 for HAProxy and for nginx with `zone`). */
  worker: number;
  /** Servers tried and found unreachable before `server` (nginx `proxy_next_upstream`). */
  failedAttempts: number[];
}

/**
 * A stateful balancer reproducing one nginx upstream or HAProxy backend. Connection counts grow
 * on `pick` and shrink on `release`/`fail`; `setDown` marks a server unreachable (nginx: its
 * connects fail and nginx moves to the next peer; HAProxy: health checks marked it down).
 */
export interface Balancer {
  readonly pool: SimPool;
  /** Picks a server for a new connection at `nowMs` (default 0) and counts the connection. */
  pick(request: SimRequest, nowMs?: number): number;
  /** Like `pick` with details (worker, failed attempts). */
  pickDetailed(request: SimRequest, nowMs?: number): PickResult;
  /** A connection to server `i` closed normally. `worker`: nginx worker that held it. */
  release(i: number, nowMs?: number, worker?: number): void;
  /** A connection attempt/connection to server `i` failed (nginx `NGX_PEER_FAILED` accounting). */
  fail(i: number, nowMs: number, worker?: number): void;
  /** Server `i` becomes unreachable (`down = true`) or reachable again. */
  setDown(i: number, down: boolean, nowMs?: number): void;
  isDown(i: number): boolean;
  /** Open connections on server `i` as the balancer counts them (summed over nginx workers). */
  connections(i: number): number;
  /** Current effective weight of server `i` (HAProxy eweight / nginx effective_weight of worker 0). */
  effectiveWeight(i: number, nowMs?: number): number;
}
