/**
 * AWS target groups as the simulator's pools (SimPool with `system: 'aws'`), with where they are
 * written, like pools.ts does for nginx upstreams and HAProxy backends. The simulator then runs
 * its MODEL of AWS's documented behaviour (simulate/aws.ts), not an exact reproduction.
 *
 * Known attribute values are used; an unknown value (a variable without default, a function...)
 * falls back to AWS's documented default and the pool says so in `unknown`. The targets are not
 * part of the target group resource (they come from attachments, Auto Scaling or ECS), so the pool
 * gets placeholder targets.
 */
import type { AwsConfig, AwsTargetGroup, AwsValue } from '../model/aws';
import { awsDefault } from '../knowledge/aws';
import { awsPlaceholderTargets } from '../simulate/aws';
import type { SimPool } from '../simulate/types';
import type { PoolInfo } from './pools';

export interface AwsPoolInfo extends PoolInfo {
  targetGroup: AwsTargetGroup;
  /** Attributes whose value is unknown in the config (the simulation uses AWS's default for them). */
  unknown: string[];
}

function num(v: AwsValue<number> | null | undefined): number | undefined {
  return v && v.known && Number.isFinite(v.value) ? v.value : undefined;
}

const L4_PROTOCOLS = new Set(['TCP', 'TLS', 'UDP', 'TCP_UDP']);

/** The name a target group is known by: its `name` when literal, else its logical name. */
export function awsPoolName(tg: AwsTargetGroup): string {
  return tg.name && tg.name.known && tg.name.value ? tg.name.value : tg.logicalName;
}

export function awsTargetGroupPool(tg: AwsTargetGroup): AwsPoolInfo {
  const unknown: string[] = [];
  const note = (v: AwsValue<unknown> | null | undefined, label: string) => {
    if (v && !v.known) unknown.push(label);
  };
  note(tg.algorithm, 'routing algorithm');
  note(tg.deregistrationDelay, 'deregistration delay');
  note(tg.slowStart, 'slow start');
  const protocol = tg.protocol && tg.protocol.known ? tg.protocol.value.toUpperCase() : undefined;
  const lbTypes = tg.loadBalancers.map((lb) => (lb.lbType.known ? lb.lbType.value : undefined));
  const network = (protocol !== undefined && L4_PROTOCOLS.has(protocol)) || lbTypes.includes('network');
  const algorithm = network
    ? 'flow_hash'
    : tg.algorithm.known
      ? tg.algorithm.value
      : awsDefault<string>('tg.algorithm');
  const s = (v: number | undefined) => (v === undefined ? undefined : v * 1000);
  const port = num(tg.port);
  const pool: SimPool = {
    system: 'aws',
    name: awsPoolName(tg),
    algorithm,
    servers: awsPlaceholderTargets(undefined, port ?? 80),
    aws: {
      lbType: network ? 'network' : 'application',
      deregistrationDelayMs: s(num(tg.deregistrationDelay)),
      slowStartMs: network ? undefined : s(num(tg.slowStart)),
      healthCheckIntervalMs: s(num(tg.healthCheck.interval)),
      healthyThreshold: num(tg.healthCheck.healthyThreshold),
      unhealthyThreshold: num(tg.healthCheck.unhealthyThreshold),
      placeholderTargets: true,
      ...(unknown.length ? { unknown } : {}),
    },
  };
  return {
    pool,
    path: tg.path,
    span: tg.span,
    nameSpan: tg.nameSpan,
    algorithmSpan: tg.algorithm.known ? tg.algorithm.written?.span : tg.algorithm.written.span,
    targetGroup: tg,
    unknown,
    webSocket: tg.websocket.carries,
  };
}

/** Every target group of the config (optionally only those written in `path`). */
export function awsPools(config: AwsConfig, path?: string): AwsPoolInfo[] {
  return config.targetGroups.filter((tg) => !path || tg.path === path).map(awsTargetGroupPool);
}
