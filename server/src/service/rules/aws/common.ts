/** Helpers shared by the AWS rules: heartbeat tiers, value descriptions, report spans, fixes. */
import type {
  AwsAttributeId,
  AwsConfig,
  AwsKnown,
  AwsLoadBalancer,
  AwsResource,
  AwsTargetGroup,
  AwsValue,
} from '../../model/aws';
import { awsInsertSettings, awsReplaceValue, type AwsSetting } from '../../fixes/aws';
import { AWS_DOCS_CHECKED as AWS_FACTS_CHECKED, awsFactOf, awsRange } from '../../knowledge/aws';
import type { ServiceOptions } from '../../options';
import { heartbeatTier } from '../../describe/heartbeat';
import { effectiveHeartbeat, type EffectiveHeartbeat } from '../../knowledge/protocols';
import type { Span } from '../../text';
import type { FixSpec, RuleReport } from '../rule';

/** The documentation date the AWS rules were checked against (the fact table's date). */
export const AWS_DOCS_CHECKED = `AWS documentation checked ${AWS_FACTS_CHECKED}`;
export const AWS_PROOF = 'Rests on AWS documentation, no live test (no AWS account reachable).';

export function heartbeatSeconds(options: ServiceOptions): number {
  return options.heartbeatMs / 1000;
}

export function fmtSeconds(s: number): string {
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** error: idle ≤ heartbeat (an idle connection can be cut between two pings); warning: below twice the heartbeat. */
export function idleTier(idleS: number, heartbeatS: number): 'error' | 'warning' | null {
  const tier = heartbeatTier(idleS, heartbeatS)?.severity;
  return tier === 'error' || tier === 'warning' ? tier : null;
}

/**
 * "60 s" (written: the finding sits on it), "300 s (AWS default, not set)", "30 s (var.dd)" (the
 * variable's default: valueOrigin() points at it).
 */
export function describeKnown(v: AwsKnown<number | string | boolean>, unit = ''): string {
  const shown = `${v.value}${unit}`;
  if (v.origin === 'aws-default') return `${shown} (AWS default, not set)`;
  if (v.origin === 'variable-default') return `${shown} (${v.variable?.name ?? 'a variable'})`;
  return shown;
}

/** A related note at the default of the variable or parameter a value comes from, if it does. */
export function valueOrigin(v: AwsKnown<unknown>): NonNullable<RuleReport['related']> {
  if (v.origin !== 'variable-default' || !v.variable) return [];
  return [
    { path: v.variable.path, span: v.variable.span, message: `the default of ${v.variable.name}: ${String(v.value)}` },
  ];
}

/** The related notes of a report, or undefined when there are none. */
export function relatedOrNone(...lists: NonNullable<RuleReport['related']>[]): RuleReport['related'] {
  const all = lists.flat();
  return all.length ? all : undefined;
}

/** Where to report: the written value, else the resource's name. */
export function spanFor(resource: AwsResource, v: AwsValue<unknown> | null | undefined): { path: string; span: Span } {
  const w = v ? (v.known ? v.written : v.written) : undefined;
  return w ? { path: w.path, span: w.span } : { path: resource.path, span: resource.nameSpan };
}

/** A fix's setting of attribute `id`: its Terraform and CloudFormation spellings from the fact table. */
export function settingOf(id: AwsAttributeId, value: AwsSetting['value']): AwsSetting {
  const f = awsFactOf(id);
  const tf = f.terraform ? (f.terraform.block ? `${f.terraform.block}.${f.terraform.key}` : f.terraform.key) : '';
  return { tf, cfn: f.cloudformation?.attributeKey ?? f.cloudformation?.property ?? '', value };
}

/** Set an attribute: replace its written value, or add it to the resource. */
export function settingFix(
  config: AwsConfig,
  resource: AwsResource,
  v: AwsValue<unknown> | null,
  setting: AwsSetting,
  title: string,
): FixSpec[] {
  const edit =
    v && (v.known ? v.written : v.written)
      ? awsReplaceValue(config, v, setting.value)
      : awsInsertSettings(config, resource, [setting]);
  const viaVariable =
    v?.known && v.origin === 'variable-default' && v.variable ? ` (default of ${v.variable.name})` : '';
  return edit ? [{ title: title + viaVariable, edits: [edit], isPreferred: true }] : [];
}

/**
 * The fix for an idle timeout below two heartbeats: `fixS` seconds, or just over two heartbeats
 * when that is more; none when that is beyond AWS's maximum for the attribute.
 */
export function idleTimeoutFix(
  config: AwsConfig,
  resource: AwsResource,
  v: AwsValue<unknown>,
  id: AwsAttributeId,
  fixS: number,
  heartbeatS: number,
  what: string,
): FixSpec[] {
  const target = Math.max(fixS, Math.ceil(2 * heartbeatS) + 1);
  if (target > awsRange(id).max) return [];
  return settingFix(config, resource, v, settingOf(id, target), `Set the ${what} to ${target} s`);
}

/**
 * The heartbeat for a target group: the user's, else the documented one of the protocol its
 * routed paths show (knowledge/protocols.ts), else the generic default.
 */
export function targetGroupHeartbeat(tg: AwsTargetGroup, options: ServiceOptions): EffectiveHeartbeat {
  return effectiveHeartbeat(options, tg.websocket.reasons);
}

/** A load balancer's idle timeout must outlast the longest heartbeat among the WebSocket groups behind it. */
export function loadBalancerHeartbeat(groups: AwsTargetGroup[], options: ServiceOptions): EffectiveHeartbeat {
  let best = effectiveHeartbeat(options, []);
  for (const tg of groups) {
    const h = targetGroupHeartbeat(tg, options);
    if (h.origin === 'protocol' && (best.origin !== 'protocol' || h.ms > best.ms)) best = h;
  }
  return best;
}

/** Does this load balancer carry WebSocket: a listener forwards to a WebSocket target group, or it is marked. */
export function lbWebSocketGroups(config: AwsConfig, lb: AwsLoadBalancer): AwsTargetGroup[] {
  // One pass over the target groups per config answers every load balancer (a scan per load
  // balancer was quadratic, issue 23); a config is not changed after it is built.
  let byLb = wsGroupsByLb.get(config);
  if (!byLb) {
    byLb = new Map();
    for (const tg of config.targetGroups) {
      if (!tg.websocket.carries) continue;
      for (const l of tg.loadBalancers) {
        const list = byLb.get(l);
        if (list) {
          if (list[list.length - 1] !== tg) list.push(tg);
        } else byLb.set(l, [tg]);
      }
    }
    wsGroupsByLb.set(config, byLb);
  }
  return (byLb.get(lb) ?? []).slice();
}

const wsGroupsByLb = new WeakMap<AwsConfig, Map<AwsLoadBalancer, AwsTargetGroup[]>>();

/** An Application Load Balancer (HTTP/HTTPS) target group: by its protocol, else by the load balancers in front of it. */
export function isAlbTargetGroup(tg: AwsTargetGroup): boolean {
  if (tg.protocol) return tg.protocol.known && /^HTTPS?$/i.test(tg.protocol.value);
  return (
    tg.loadBalancers.length > 0 && tg.loadBalancers.every((lb) => lb.lbType.known && lb.lbType.value === 'application')
  );
}

export function label(r: AwsResource): string {
  return r.logicalName;
}

/** Related notes: the WebSocket target groups a load balancer or listener forwards to, and why wslb thinks so. */
export function forwardsWebSocketTo(groups: AwsTargetGroup[]): NonNullable<RuleReport['related']> {
  return groups.slice(0, 10).map((tg) => ({
    path: tg.path,
    span: tg.nameSpan,
    message: `forwards WebSocket to ${label(tg)}${tg.websocket.reasons.length ? ` (${tg.websocket.reasons[0]})` : ''}`,
  }));
}
