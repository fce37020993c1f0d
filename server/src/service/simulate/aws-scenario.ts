/**
 * AWS target groups in a scenario (a model of documented behaviour, see aws.ts). One target group
 * lives through the whole run (no reload): a target leaves by deregistration, new connections stop
 * at once and open ones continue until the application drains them or the deregistration delay
 * elapses, when what is left is cut without a close frame (ELB completes a deregistration early
 * once the target has no connections). A returning target is healthy after one passed health
 * check (registration) or `healthy threshold` checks (after a failure), then enters slow start.
 * Failures are noticed after `unhealthy threshold` x interval.
 * Sources: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay
 * and https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 */
import { awsDefault, awsRange } from '../knowledge/aws';
import { AWS_MODEL_LABEL, awsAlgorithmOf } from './aws';
import { clampNum } from './clients';
import type { At, Plan, SystemModel } from './scenario';
import type { SimPool } from './types';

/** The target group's health check and deregistration timings. */
interface AwsTiming {
  hcMs: number;
  healthy: number;
  unhealthy: number;
  delayMs: number;
}

/**
 * Defaults and the deregistration delay's range come from the fact table (knowledge/aws.ts, which
 * cites the pages). The lower clamps stay lenient (1 s, 1 check) so that odd hand-made pools run.
 */
function awsTiming(pool: SimPool): AwsTiming {
  const count = (v: number | undefined, key: Parameters<typeof awsRange>[0]): number =>
    Math.floor(clampNum(v, 1, awsRange(key).max, awsDefault<number>(key)));
  const delayRange = awsRange('tg.deregistration_delay');
  return {
    hcMs: clampNum(
      pool.aws?.healthCheckIntervalMs,
      1000,
      awsRange('tg.health_check.interval').max * 1000,
      awsDefault<number>('tg.health_check.interval') * 1000,
    ),
    healthy: count(pool.aws?.healthyThreshold, 'tg.health_check.healthy_threshold'),
    unhealthy: count(pool.aws?.unhealthyThreshold, 'tg.health_check.unhealthy_threshold'),
    delayMs: clampNum(
      pool.aws?.deregistrationDelayMs,
      delayRange.min * 1000,
      delayRange.max * 1000,
      awsDefault<number>('tg.deregistration_delay') * 1000,
    ),
  };
}

/** Deregisters `g` at t0 (drained, or cut after the delay); returns when the target is gone. */
function deregister(plan: Plan, at: At, aws: AwsTiming, g: number, t0: number): number {
  at(t0, { kind: 'markDown', server: g });
  let gone = t0 + aws.delayMs;
  if (plan.drain && aws.delayMs > 0) {
    // The application closes its WebSockets (close frame 1001) over drainSec; once none is
    // left, ELB completes the deregistration without waiting for the rest of the delay.
    const d = Math.min(plan.drainMs, aws.delayMs);
    at(t0, { kind: 'drainClose', server: g, overMs: d });
    gone = t0 + d;
  }
  at(gone, { kind: 'cut', server: g });
  return gone;
}

function awsSteps(plan: Plan, at: At, pool: SimPool): void {
  const aws = awsTiming(pool);
  const { atMs, detectMs } = plan;
  if (plan.kind === 'deploy') {
    // One target at a time: the next one is deregistered `intervalSec` after the previous one
    // started, but never before the previous one is healthy again.
    let t0 = atMs;
    for (const g of plan.primaries) {
      const gone = deregister(plan, at, aws, g, t0);
      at(gone, { kind: 'refuse', server: g });
      at(gone + plan.restartMs, { kind: 'revive', server: g });
      // Registered again: healthy after one passed health check.
      const up = gone + plan.restartMs + aws.hcMs;
      at(up, { kind: 'markUp', server: g });
      t0 = Math.max(t0 + plan.intervalMs, up);
    }
  } else if (plan.kind === 'failure') {
    const g = plan.failed;
    at(atMs, { kind: 'kill', server: g, silent: !!plan.options.silent });
    at(atMs + detectMs, { kind: 'markDown', server: g });
    if (plan.recoverAtMs !== undefined) {
      at(plan.recoverAtMs, { kind: 'revive', server: g });
      at(Math.max(plan.recoverAtMs, atMs + detectMs) + aws.healthy * aws.hcMs, { kind: 'markUp', server: g });
    }
  } else if (plan.kind === 'scale-out') {
    for (let g = plan.servers0.length; g < plan.allServers.length; g++)
      at(atMs + aws.hcMs, { kind: 'markUp', server: g });
  } else if (plan.kind === 'scale-in') {
    const removed = plan.primaries.slice(Math.max(1, plan.primaries.length - plan.scaleCount));
    for (const g of removed) at(deregister(plan, at, aws, g, atMs), { kind: 'refuse', server: g });
  } else if (plan.kind === 'storm') {
    at(atMs, { kind: 'storm' });
  }
}

export const AWS_SYSTEM: SystemModel = {
  fidelity: 'model',
  detectSec(pool) {
    const aws = awsTiming(pool);
    return (aws.unhealthy * aws.hcMs) / 1000;
  },
  needsRequestData: () => false,
  workers: () => 1,
  start(run, plan) {
    if (plan.kind !== 'scale-out') {
      run.newEpoch(plan.servers0);
      return;
    }
    // The new targets exist from the start, not yet registered.
    const ep = run.newEpoch(plan.allServers.slice());
    for (let g = plan.servers0.length; g < run.nb; g++) {
      run.inService[g] = 0;
      ep.balancer.setDown(g, true, 0);
    }
  },
  schedule: awsSteps,
  reachable: () => {},
  checked(run, g, up, t) {
    run.inService[g] = up ? 1 : 0;
    const ep = run.current();
    const l = ep.toLocal.get(g);
    if (l !== undefined) ep.balancer.setDown(l, !up, t);
  },
  // The target group keeps its state; every client reconnects at once.
  storm: (run, t) => run.dropAll(t),
  note: awsNote,
  extraMetrics: (run) => ({ cutAtDeregistration: run.cutAtDeregistration }),
};

/** The label of an AWS result, with the model's assumptions that matter for this pool. */
export function awsNote(pool: SimPool): string {
  const parts = [`${AWS_MODEL_LABEL[0].toUpperCase()}${AWS_MODEL_LABEL.slice(1)}.`];
  const alg = awsAlgorithmOf(pool);
  if (alg === 'least_outstanding_requests')
    parts.push('Assumption: an open WebSocket counts as an outstanding request while it stays open.');
  if (alg === 'weighted_random')
    parts.push('Anomaly mitigation is not modelled (the simulated targets never fail requests).');
  if (alg === 'flow_hash')
    parts.push('NLB flow hash modelled as a uniform draw per connection (each has a new client port).');
  if ((pool.aws?.slowStartMs ?? 0) > 0 && alg !== 'round_robin')
    parts.push('Slow start is not applied with this algorithm.');
  if (pool.aws?.placeholderTargets)
    parts.push(`The config does not list the targets: ${pool.servers.length} placeholder targets.`);
  if (pool.aws?.unknown?.length)
    parts.push(`Not evaluable in the config, AWS's default used: ${pool.aws.unknown.join(', ')}.`);
  return parts.join(' ');
}
