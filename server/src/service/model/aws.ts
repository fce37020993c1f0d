/**
 * The AWS load-balancer model: Elastic Load Balancing v2 resources (ALB, NLB) declared in
 * Terraform (`*.tf`) or CloudFormation (YAML or JSON templates), with the attributes that matter
 * for WebSocket traffic and the references between the resources.
 *
 * Principles:
 * - Every attribute is either KNOWN (a literal, the default of a variable/parameter declared in the
 *   same module/template, or AWS's documented default when the attribute is absent) or UNKNOWN
 *   (any other expression: a variable without default, a function call, `!Sub`, `!GetAtt`...).
 *   An unknown value is never guessed and rules never fire on it.
 * - Offsets are UTF-16 offsets into the file's text (`Span`, as everywhere in the service).
 * - Seconds are seconds (AWS's unit for all these attributes), not milliseconds.
 *
 * The shapes below are a contract with the hover, the simulator and the language-server wiring:
 * add fields if needed, do not rename or remove them.
 */
import type { Span } from '../text';
import type { ModelDiagnostic } from '../types';
import { fact } from '../host/memo';

/** How a file declares its resources. */
export type AwsFormat = 'terraform' | 'cloudformation-yaml' | 'cloudformation-json';

/** One analysed file. */
export interface AwsSourceFile {
  path: string;
  text: string;
  format: AwsFormat;
}

/** A place in a file. */
export interface AwsLocation {
  path: string;
  span: Span;
}

/**
 * Where an attribute is written in a file.
 * - Terraform: `key` is the attribute name (`idle_timeout`); `span` is the whole `key = value`
 *   (a fix that replaces the value uses `valueSpan`).
 * - CloudFormation attribute lists (`TargetGroupAttributes` ...): `key` is the attribute Key
 *   (`deregistration_delay.timeout_seconds`), `keySpan` the span of the Key's string, `valueSpan`
 *   the span of the Value node, `span` the whole list entry. Plain properties (`Protocol`,
 *   `LoadBalancerArn`) have `key` = property name and `span` = the `Key: value` pair.
 */
export interface AwsWritten {
  path: string;
  key: string;
  keySpan: Span;
  valueSpan: Span;
  span: Span;
}

/**
 * Canonical id of an attribute, shared by hover, rules and fixes. `lb.*` load balancer,
 * `tg.*` target group, `listener.*`, `rule.*` listener rule.
 */
export type AwsAttributeId =
  | 'lb.type'
  | 'lb.name'
  | 'lb.idle_timeout'
  | 'tg.name'
  | 'tg.protocol'
  | 'tg.port'
  | 'tg.target_type'
  | 'tg.deregistration_delay'
  | 'tg.slow_start'
  | 'tg.algorithm'
  | 'tg.stickiness.enabled'
  | 'tg.stickiness.type'
  | 'tg.stickiness.duration'
  | 'tg.health_check.enabled'
  | 'tg.health_check.path'
  | 'tg.health_check.protocol'
  | 'tg.health_check.interval'
  | 'tg.health_check.timeout'
  | 'tg.health_check.healthy_threshold'
  | 'tg.health_check.unhealthy_threshold'
  | 'tg.health_check.matcher'
  | 'listener.protocol'
  | 'listener.port'
  | 'listener.tcp_idle_timeout'
  | 'rule.priority'
  | 'rule.path_pattern';

/** Where a known value came from. */
export type AwsOrigin =
  /** Written as a literal at the attribute itself. */
  | 'literal'
  /** The default of a Terraform `variable` (same directory) or a CloudFormation `Parameter`. */
  | 'variable-default'
  /** Not written: AWS's documented default (knowledge/aws.ts, which cites the page), or inside a written Terraform block the provider's default for a left-out argument. */
  | 'aws-default';

export interface AwsKnown<T> {
  known: true;
  id: AwsAttributeId;
  value: T;
  origin: AwsOrigin;
  /** Where it is written; absent when origin is 'aws-default'. */
  written?: AwsWritten;
  /** For 'variable-default': the variable/parameter and the span of its default value. */
  variable?: { name: string; path: string; span: Span };
}

export interface AwsUnknown {
  known: false;
  id: AwsAttributeId;
  /** Why it is unknown, for hovers: "set from var.timeout, which has no default", "!GetAtt ...". */
  reason: string;
  /** Where the expression is written (always present: an absent attribute is an AWS default or absent). */
  written: AwsWritten;
}

/** A known or unknown attribute value. */
export type AwsValue<T> = AwsKnown<T> | AwsUnknown;

/** A reference from one resource to another (`aws_lb.main.arn`, `!Ref MainLoadBalancer`). */
export interface AwsReference<R> {
  /** The reference as written. */
  text: string;
  location: AwsLocation;
  /** The resource it names, or null when it names something outside the analysed files/unknown. */
  target: R | null;
}

/**
 * Internal to the fixes (fixes/aws.ts): where a new attribute can be inserted into a resource.
 * Its shape may change; other code should not depend on it.
 */
export type AwsInsertAnchor =
  | {
      format: 'terraform';
      /** Offset just after the `{` that opens the resource body. */
      bodyStart: number;
      /** Offset of the `}` that closes the resource body. */
      bodyEnd: number;
      /** Indentation of the resource's own line and of its attributes (guessed from the body). */
      indent: string;
      attributeIndent: string;
      /** End offset of the last top-level attribute (`key = value`), when there is one. */
      lastAttributeEnd?: number;
      /** Nested blocks by name (`stickiness`, `health_check`), with their own body offsets. */
      blocks: Record<string, { bodyStart: number; bodyEnd: number; attributeIndent: string } | undefined>;
    }
  | {
      format: 'cloudformation-yaml' | 'cloudformation-json';
      /** Span of the `Properties` mapping (absent when the resource has no Properties). */
      properties?: Span;
      /** Span of the resource mapping itself (the value of the logical id). */
      resource: Span;
      /** Span of the attribute list (`TargetGroupAttributes` ...) value, when present. */
      attributeList?: Span;
      /** The list's property name for this resource type. */
      attributeListKey: 'LoadBalancerAttributes' | 'TargetGroupAttributes' | 'ListenerAttributes' | null;
    };

export type AwsResourceKind = 'load-balancer' | 'target-group' | 'listener' | 'listener-rule';

export interface AwsResourceBase {
  kind: AwsResourceKind;
  path: string;
  format: AwsFormat;
  /** Terraform: `aws_lb_target_group.ws` (type.name); CloudFormation: the logical id (`WsTargetGroup`). */
  logicalName: string;
  /** The resource type as written: `aws_lb_target_group`, `AWS::ElasticLoadBalancingV2::TargetGroup`. */
  type: string;
  /** The whole resource (Terraform block; CloudFormation `LogicalId: {...}` pair). */
  span: Span;
  /** The resource's name (Terraform: the second label incl. quotes; CloudFormation: the logical id key). */
  nameSpan: Span;
  /** A `# wslb: websocket` comment inside the resource or on the lines right above it. */
  marked: boolean;
  /** Internal, for fixes. */
  anchor: AwsInsertAnchor;
}

export interface AwsLoadBalancer extends AwsResourceBase {
  kind: 'load-balancer';
  /** `load_balancer_type` / `Type`: 'application' (AWS default), 'network', 'gateway'. */
  lbType: AwsValue<string>;
  /** `name` / `Name`, when written. */
  name: AwsValue<string> | null;
  /** ALB only: `idle_timeout` / `idle_timeout.timeout_seconds` (AWS default in knowledge/aws.ts). Null for NLB/GWLB. */
  idleTimeout: AwsValue<number> | null;
  /** Listeners whose load balancer reference resolves to this one. */
  listeners: AwsListener[];
}

export interface AwsStickiness {
  /** The `stickiness {}` block / the first `stickiness.*` entry, when written. */
  written: AwsLocation | null;
  /** `enabled` / `stickiness.enabled` (AWS default false). */
  enabled: AwsValue<boolean>;
  /** `type` / `stickiness.type`: 'lb_cookie', 'app_cookie', 'source_ip'... (unknown when absent and not derivable). */
  type: AwsValue<string> | null;
  /** `cookie_duration` / `stickiness.lb_cookie.duration_seconds` (AWS default in knowledge/aws.ts). */
  duration: AwsValue<number> | null;
}

export interface AwsHealthCheck {
  written: AwsLocation | null;
  enabled: AwsValue<boolean> | null;
  path: AwsValue<string> | null;
  protocol: AwsValue<string> | null;
  interval: AwsValue<number> | null;
  timeout: AwsValue<number> | null;
  healthyThreshold: AwsValue<number> | null;
  unhealthyThreshold: AwsValue<number> | null;
  matcher: AwsValue<string> | null;
}

export interface AwsTargetGroup extends AwsResourceBase {
  kind: 'target-group';
  /** `name` / `Name`, when written (also used to decide whether it carries WebSocket). */
  name: AwsValue<string> | null;
  /** `protocol` / `Protocol` (HTTP, HTTPS, TCP, TLS, UDP, TCP_UDP, GENEVE); null when absent (lambda targets). */
  protocol: AwsValue<string> | null;
  port: AwsValue<number> | null;
  targetType: AwsValue<string>;
  /** `deregistration_delay` / `deregistration_delay.timeout_seconds` (AWS default in knowledge/aws.ts). */
  deregistrationDelay: AwsValue<number>;
  /** `slow_start` / `slow_start.duration_seconds` (AWS default in knowledge/aws.ts; 0 = off). */
  slowStart: AwsValue<number>;
  /** `load_balancing_algorithm_type` / `load_balancing.algorithm.type` (AWS default in knowledge/aws.ts). */
  algorithm: AwsValue<string>;
  stickiness: AwsStickiness;
  healthCheck: AwsHealthCheck;
  /** Does it carry WebSocket, and why (human-readable reasons: "listener rule X routes /ws/* here"). */
  websocket: { carries: boolean; reasons: string[] };
  /** Listeners whose default action forwards here, and listener rules that forward here. */
  listeners: AwsListener[];
  rules: AwsListenerRule[];
  /** Load balancers that reach it through those listeners (deduplicated). */
  loadBalancers: AwsLoadBalancer[];
}

export interface AwsListener extends AwsResourceBase {
  kind: 'listener';
  protocol: AwsValue<string> | null;
  port: AwsValue<number> | null;
  /**
   * NLB TCP listeners: `tcp_idle_timeout_seconds` / `tcp.idle_timeout.seconds` (AWS default in knowledge/aws.ts).
   * Null when it does not apply (ALB listeners, and TLS/UDP listeners, whose timeout is fixed).
   */
  tcpIdleTimeout: AwsValue<number> | null;
  loadBalancerRef: AwsReference<AwsLoadBalancer> | null;
  /** Resolved `loadBalancerRef.target`. */
  loadBalancer: AwsLoadBalancer | null;
  /** Target groups of the default action(s) (`forward`, also weighted forward). */
  targetGroupRefs: AwsReference<AwsTargetGroup>[];
  rules: AwsListenerRule[];
}

export interface AwsListenerRule extends AwsResourceBase {
  kind: 'listener-rule';
  priority: AwsValue<number> | null;
  /** Every path-pattern value, each known or unknown (a whole unknown list gives one unknown). */
  pathPatterns: AwsValue<string>[];
  listenerRef: AwsReference<AwsListener> | null;
  listener: AwsListener | null;
  targetGroupRefs: AwsReference<AwsTargetGroup>[];
}

export type AwsResource = AwsLoadBalancer | AwsTargetGroup | AwsListener | AwsListenerRule;

/** Its code: `aws/syntax` for parse errors; other `aws/...` codes for model problems. */
export type AwsDiagnostic = ModelDiagnostic;

export interface AwsConfig {
  /** Files analysed (only those declaring at least one of these resources, plus their variable files). */
  files: AwsSourceFile[];
  loadBalancers: AwsLoadBalancer[];
  targetGroups: AwsTargetGroup[];
  listeners: AwsListener[];
  listenerRules: AwsListenerRule[];
  /** Syntax errors (with positions) and model problems. */
  diagnostics: AwsDiagnostic[];
}

/** Every resource of a config, in file order. */
export function awsResources(config: AwsConfig): AwsResource[] {
  const all: AwsResource[] = [
    ...config.loadBalancers,
    ...config.targetGroups,
    ...config.listeners,
    ...config.listenerRules,
  ];
  return all.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.span.start - b.span.start));
}

/**
 * The WebSocket target groups behind each load balancer, in config order: one pass over the
 * target groups answers every load balancer (a scan per load balancer was quadratic, issue 23).
 * A config is not changed after it is built.
 */
const webSocketGroupsByLb = fact('aws.webSocketGroupsByLb', (config: AwsConfig) => {
  const byLb = new Map<AwsLoadBalancer, AwsTargetGroup[]>();
  for (const tg of config.targetGroups) {
    if (!tg.websocket.carries) continue;
    for (const l of tg.loadBalancers) {
      const list = byLb.get(l);
      if (list) {
        if (list[list.length - 1] !== tg) list.push(tg);
      } else byLb.set(l, [tg]);
    }
  }
  return byLb;
});

/** Does this load balancer carry WebSocket: the WebSocket target groups it forwards to (a new list). */
export function lbWebSocketGroups(config: AwsConfig, lb: AwsLoadBalancer): AwsTargetGroup[] {
  return (webSocketGroupsByLb(config).get(lb) ?? []).slice();
}
