/** Helpers shared by the AWS rules: heartbeat tiers, value descriptions, report spans, fixes. */
import type { AwsConfig, AwsKnown, AwsLoadBalancer, AwsResource, AwsTargetGroup, AwsValue } from '../../model/aws';
import { awsInsertSettings, awsReplaceValue, type AwsSetting } from '../../fixes/aws';
import type { ServiceOptions } from '../../options';
import type { Span } from '../../text';
import type { FixSpec } from '../rule';

/** The documentation date the AWS rules were checked against. */
export const AWS_DOCS_CHECKED = 'AWS documentation checked 2026-11';
export const AWS_PROOF = 'Rests on AWS documentation, no live test (no AWS account reachable).';

export const AWS_DOCS = {
  albIdle: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/application-load-balancers.html#connection-idle-timeout',
  nlbIdle: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/update-idle-timeout.html',
  nlbOverview: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html',
  deregistration: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#deregistration-delay',
  nlbDeregistration: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-target-groups.html#deregistration-delay',
  slowStart: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-target-groups.html#slow-start-mode',
  sticky: 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/sticky-sessions.html',
  tfLb: 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb',
  tfTargetGroup: 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_target_group',
  tfListener: 'https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/lb_listener',
  cfnLb: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-loadbalancer-loadbalancerattribute.html',
  cfnTargetGroup: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-targetgroup-targetgroupattribute.html',
  cfnListener: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-elasticloadbalancingv2-listener-listenerattribute.html',
} as const;

export function heartbeatSeconds(options: ServiceOptions): number {
  return options.heartbeatMs / 1000;
}

export function fmtSeconds(s: number): string {
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** error: idle ≤ heartbeat (an idle connection can be cut between two pings); warning: below twice the heartbeat. */
export function idleTier(idleS: number, heartbeatS: number): 'error' | 'warning' | null {
  if (idleS <= heartbeatS) return 'error';
  if (idleS < 2 * heartbeatS) return 'warning';
  return null;
}

/** "60 s (idle_timeout)", "300 s (AWS default, not set)", "30 s (default of var.dd)". */
export function describeKnown(v: AwsKnown<number | string | boolean>, unit = ''): string {
  const shown = `${v.value}${unit}`;
  if (v.origin === 'aws-default') return `${shown} (AWS default, not set)`;
  if (v.origin === 'variable-default') return `${shown} (default of ${v.variable?.name ?? 'a variable'})`;
  return `${shown} (${v.written?.key ?? 'set'})`;
}

/** Where to report: the written value, else the resource's name. */
export function spanFor(resource: AwsResource, v: AwsValue<unknown> | null | undefined): { path: string; span: Span } {
  const w = v ? (v.known ? v.written : v.written) : undefined;
  return w ? { path: w.path, span: w.span } : { path: resource.path, span: resource.nameSpan };
}

/** Set an attribute: replace its written value, or add it to the resource. */
export function settingFix(config: AwsConfig, resource: AwsResource, v: AwsValue<unknown> | null, setting: AwsSetting, title: string): FixSpec[] {
  const edit = v && (v.known ? v.written : v.written) ? awsReplaceValue(config, v, setting.value) : awsInsertSettings(config, resource, [setting]);
  return edit ? [{ title, edits: [edit], isPreferred: true }] : [];
}

/** Does this load balancer carry WebSocket: a listener forwards to a WebSocket target group, or it is marked. */
export function lbWebSocketGroups(config: AwsConfig, lb: AwsLoadBalancer): AwsTargetGroup[] {
  return config.targetGroups.filter((tg) => tg.websocket.carries && tg.loadBalancers.includes(lb));
}

export function label(r: AwsResource): string {
  return r.logicalName;
}
