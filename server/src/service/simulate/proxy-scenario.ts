/**
 * nginx and HAProxy in a scenario. Both reload into a new balancer state on scale-out, scale-in
 * and storms. They differ in how a dead backend reaches the balancer: nginx sees its connects
 * refused at once (and tries the next peer); HAProxy keeps sending to it until its health checks
 * mark it down (`detectMs`), and marks it up again after `rise` checks.
 */
import { clampNum } from './clients';
import type { Run } from './run';
import type { At, Plan, SystemModel } from './scenario';
import type { SimPool } from './types';

/** Schedules a scenario for a proxy; `checks`: health checks decide (HAProxy), not connects (nginx). */
function proxySteps(plan: Plan, at: At, checks: boolean): void {
  const { atMs, detectMs, drainMs, restartMs } = plan;
  const upDetectMs = checks ? (detectMs * 2) / 3 : 0; // rise 2 vs fall 3 checks
  if (plan.kind === 'deploy') {
    plan.primaries.forEach((g, k) => {
      const t0 = atMs + k * plan.intervalMs;
      if (plan.drain) {
        // Graceful: the server stops taking new connections (HAProxy: set to drain/maint by the
        // deploy tool; nginx: the app stops listening) and closes its sockets over drainSec.
        at(t0, { kind: 'refuse', server: g });
        if (checks) at(t0, { kind: 'markDown', server: g });
        at(t0, { kind: 'drainClose', server: g, overMs: drainMs });
        at(t0 + drainMs + restartMs, { kind: 'revive', server: g });
        at(t0 + drainMs + restartMs + upDetectMs, { kind: 'markUp', server: g });
      } else {
        at(t0, { kind: 'kill', server: g, silent: false });
        if (checks) at(t0 + detectMs, { kind: 'markDown', server: g });
        at(t0 + restartMs, { kind: 'revive', server: g });
        at(t0 + restartMs + upDetectMs, { kind: 'markUp', server: g });
      }
    });
  } else if (plan.kind === 'failure') {
    const g = plan.failed;
    at(atMs, { kind: 'kill', server: g, silent: !!plan.options.silent });
    if (checks) at(atMs + detectMs, { kind: 'markDown', server: g });
    if (plan.recoverAtMs !== undefined) {
      at(plan.recoverAtMs, { kind: 'revive', server: g });
      at(plan.recoverAtMs + upDetectMs, { kind: 'markUp', server: g });
    }
  } else if (plan.kind === 'scale-out') {
    at(atMs, { kind: 'reload', servers: plan.allServers.slice(), closeRemoved: [], overMs: 0 });
  } else if (plan.kind === 'scale-in') {
    const removed = plan.primaries.slice(Math.max(1, plan.primaries.length - plan.scaleCount));
    const keep = plan.servers0.filter((_, i) => !removed.includes(i));
    at(atMs, { kind: 'reload', servers: keep, closeRemoved: removed, overMs: plan.drain ? drainMs : 0 });
  } else if (plan.kind === 'storm') {
    at(atMs, { kind: 'storm' });
  }
}

/** The parts nginx and HAProxy share. */
const PROXY = {
  fidelity: 'exact',
  start(run: Run, plan: Plan): void {
    run.newEpoch(plan.servers0);
  },
  storm(run: Run, t: number): void {
    run.reload(run.current().pool.servers, t);
    run.dropAll(t);
  },
  note: (): undefined => undefined,
  extraMetrics: () => ({}),
} as const;

export const NGINX_SYSTEM: SystemModel = {
  ...PROXY,
  detectSec: () => 6,
  needsRequestData: (pool: SimPool) => pool.algorithm.includes('hash') && pool.algorithm !== 'ip_hash',
  workers: (pool: SimPool) => (pool.zone ? 1 : Math.max(1, Math.floor(clampNum(pool.workers, 1, 1024, 1)))),
  schedule: (plan, at) => proxySteps(plan, at, false),
  // The balancer sees reachability itself (connects fail at once), in every epoch still in use.
  reachable(run, g, up, t) {
    for (const ep of run.epochs) {
      const l = ep.toLocal.get(g);
      if (l !== undefined) ep.balancer.setDown(l, !up, t);
    }
  },
  checked: () => {},
};

export const HAPROXY_SYSTEM: SystemModel = {
  ...PROXY,
  detectSec: () => 6,
  needsRequestData: (pool: SimPool) => /^(uri|hdr|url_param)/.test(pool.algorithm),
  workers: () => 1,
  schedule: (plan, at) => proxySteps(plan, at, true),
  reachable: () => {},
  // Health checks mark the server down or up in the running process.
  checked(run, g, up, t) {
    const ep = run.current();
    const l = ep.toLocal.get(g);
    if (l !== undefined) ep.balancer.setDown(l, !up, t);
  },
};
