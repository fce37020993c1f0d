/**
 * A scenario as a list of timed steps (kill, drain, reload, ...) and the interface that hides what
 * differs between nginx, HAProxy and AWS: how a scenario is scheduled, and how a backend that stops,
 * restarts or fails its health checks reaches the balancer.
 */
import { clampNum, isUsablePrimary } from './clients';
import type { Run } from './run';
import type { ScenarioKind, ScenarioOptions, SimPool, SimServer } from './types';

export type Action =
  | { kind: 'snapshot' }
  | { kind: 'kill'; server: number; silent: boolean }
  | { kind: 'refuse'; server: number }
  | { kind: 'drainClose'; server: number; overMs: number }
  | { kind: 'markDown'; server: number }
  | { kind: 'revive'; server: number }
  | { kind: 'markUp'; server: number }
  | { kind: 'reload'; servers: SimServer[]; closeRemoved: number[]; overMs: number }
  | { kind: 'storm' }
  /** AWS: the deregistration delay of `server` elapsed: what is still open is cut. */
  | { kind: 'cut'; server: number };

export interface Step {
  t: number;
  action: Action;
}

/** Adds the step `a` at time `t`. */
export type At = (t: number, a: Action) => void;

/** A scenario's options, clamped, with the backends it acts on (global indices). */
export interface Plan {
  kind: ScenarioKind;
  options: ScenarioOptions;
  atMs: number;
  /** How long health checks take to notice a dead backend. */
  detectMs: number;
  drain: boolean;
  drainMs: number;
  restartMs: number;
  /** deploy: from one backend's restart to the next one's. */
  intervalMs: number;
  /** scale-out / scale-in: backends added or removed. */
  scaleCount: number;
  /** The backends at the start; scale-out appends to `allServers` after them. */
  servers0: SimServer[];
  allServers: SimServer[];
  /** Indices of the usable primaries at the start. */
  primaries: number[];
  /** failure: the backend that fails, and when it comes back (undefined: it does not). */
  failed: number;
  recoverAtMs: number | undefined;
}

/** What differs between the balancers; one implementation per system (nginx, HAProxy, AWS). */
export interface SystemModel {
  readonly fidelity: 'exact' | 'model';
  /** The failure detection delay when the scenario gives none, in seconds. */
  detectSec(pool: SimPool): number;
  /** The algorithm hashes the URI or headers: clients need them. */
  needsRequestData(pool: SimPool): boolean;
  /** Independent balancer states per proxy (nginx workers without a shared zone). */
  workers(pool: SimPool): number;
  /** Creates the first balancer epoch. */
  start(run: Run, plan: Plan): void;
  /** Schedules the scenario's steps (after the snapshot at `atMs`). */
  schedule(plan: Plan, at: At, pool: SimPool): void;
  /** A backend's process stopped or came back: connects fail at once or succeed again. */
  reachable(run: Run, g: number, up: boolean, t: number): void;
  /** Health checks (or deregistration) took a backend out of the pool or back in. */
  checked(run: Run, g: number, up: boolean, t: number): void;
  /** A reconnect storm: the proxy reloads and every client reconnects. */
  storm(run: Run, t: number): void;
  /** Assumptions worth printing with the result. */
  note(pool: SimPool): string | undefined;
  /** Metrics only this system reports. */
  extraMetrics(run: Run): { cutAtDeregistration?: number };
}

const KINDS: readonly ScenarioKind[] = ['steady', 'deploy', 'failure', 'scale-out', 'scale-in', 'storm'];

/** Clamps the scenario's options; unknown kinds are steady. */
export function planScenario(pool: SimPool, model: SystemModel, options: ScenarioOptions, durationMs: number): Plan {
  const kind: ScenarioKind = KINDS.includes(options.kind) ? options.kind : 'steady';
  const atMs = clampNum(options.atSec, 0, durationMs / 1000, (durationMs / 1000) * 0.4) * 1000;
  const allServers: SimServer[] = pool.servers.map((s) => ({ ...s }));
  const servers0 = allServers.slice();
  const scaleCount = Math.floor(clampNum(options.count, 1, 1000, 1));
  if (kind === 'scale-out') allServers.push(...scaleOutServers(pool, allServers.length, scaleCount));
  const primaries = servers0.map((s, i) => (isUsablePrimary(s) ? i : -1)).filter((i) => i >= 0);
  const recover = options.recoverSec;
  return {
    kind,
    options,
    atMs,
    detectMs: clampNum(options.detectSec, 0, 3600, model.detectSec(pool)) * 1000,
    drain: options.drain !== false,
    drainMs: clampNum(options.drainSec, 0, 86400, 30) * 1000,
    restartMs: clampNum(options.restartSec, 0, 86400, 20) * 1000,
    intervalMs: clampNum(options.intervalSec, 0, 86400, 60) * 1000,
    scaleCount,
    servers0,
    allServers,
    primaries,
    failed: Math.floor(clampNum(options.server, 0, Math.max(0, servers0.length - 1), primaries[0] ?? 0)),
    recoverAtMs:
      recover !== undefined && Number.isFinite(recover)
        ? atMs + clampNum(recover, 0, 86400 * 30, 60) * 1000
        : undefined,
  };
}

/** The `count` backends a scale-out adds, copies of the first usable primary. */
function scaleOutServers(pool: SimPool, existing: number, count: number): SimServer[] {
  const template = pool.servers.find(isUsablePrimary) ?? pool.servers[0];
  const out: SimServer[] = [];
  for (let k = 0; k < count; k++) {
    const n = existing + k + 1;
    const port = template?.port ?? 8080;
    const address = `10.255.${(n >> 8) & 255}.${n & 255}`;
    out.push({
      name: `${address}:${port}`,
      address,
      port,
      weight: template?.weight ?? 1,
      backup: false,
      down: false,
      maxFails: template?.maxFails,
      failTimeoutMs: template?.failTimeoutMs,
      slowstartMs: template?.slowstartMs,
      maxconn: template?.maxconn,
    });
  }
  return out;
}

/** The scenario's steps in the order they are scheduled: the snapshot, then the system's. */
export function scenarioSteps(plan: Plan, model: SystemModel, pool: SimPool): Step[] {
  const steps: Step[] = [{ t: plan.atMs, action: { kind: 'snapshot' } }];
  model.schedule(plan, (t, action) => steps.push({ t, action }), pool);
  return steps;
}
