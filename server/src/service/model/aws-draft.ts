/**
 * What the Terraform and CloudFormation readers of the AWS model share: the draft resources they
 * produce (references still unresolved) and how each kind is built from its written values, how a
 * written, defaulted or unknown value is made, and the `wslb: websocket` marker comments.
 */
import type {
  AwsAttributeId,
  AwsHealthCheck,
  AwsListener,
  AwsListenerRule,
  AwsLoadBalancer,
  AwsResource,
  AwsResourceBase,
  AwsStickiness,
  AwsTargetGroup,
  AwsValue,
  AwsWritten,
} from './aws';
import { WS_MARKER } from './websocket';
import type { Span } from '../text';
import { awsDefault, awsFactOf } from '../knowledge/aws';

export type Kind = AwsResource['kind'];

export interface Draft {
  resource: AwsResource;
  /** Unresolved references, filled in resolve(). */
  lbRef?: RawRef;
  listenerRef?: RawRef;
  tgRefs: RawRef[];
}

export interface RawRef {
  text: string;
  path: string;
  span: Span;
  /** Terraform: "aws_lb.main" (canonical type); CloudFormation: the logical id. */
  key: string | null;
}

// ---------------------------------------------------------------- values

export function known<T>(
  id: AwsAttributeId,
  value: T,
  origin: 'literal' | 'variable-default' | 'aws-default',
  written?: AwsWritten,
  variable?: { name: string; path: string; span: Span },
): AwsValue<T> {
  const v: AwsValue<T> = { known: true, id, value, origin };
  if (written) v.written = written;
  if (variable) v.variable = variable;
  return v;
}

export function unknown<T>(id: AwsAttributeId, reason: string, written: AwsWritten): AwsValue<T> {
  return { known: false, id, reason, written };
}

export type Scalar = string | number | boolean;
export type Want = 'number' | 'string' | 'boolean';

/** AWS's default for an attribute that is not written (from knowledge/aws.ts). */
export function awsDefaultValue<T extends Scalar>(id: AwsAttributeId): AwsValue<T> {
  return known(id, awsDefault<T>(id), 'aws-default');
}

/** An argument left out of its written Terraform block: the provider's `blockDefault` (knowledge/aws.ts), else AWS's default. */
export function tfBlockDefaultValue<T extends Scalar>(id: AwsAttributeId): AwsValue<T> {
  const d = awsFactOf(id).terraform?.blockDefault;
  return d === undefined ? awsDefaultValue<T>(id) : known(id, d as T, 'aws-default');
}

/** The value written, else AWS's default. */
export function orDefault<T extends Scalar>(x: AwsValue<T> | null, id: AwsAttributeId): AwsValue<T> {
  return x ?? awsDefaultValue<T>(id);
}

/** Coerce a literal into the wanted type (AWS takes attribute values as strings: "30", "true"). */
export function coerce(v: Scalar, want: Want): Scalar | undefined {
  if (want === 'string') return typeof v === 'string' ? v : String(v);
  if (want === 'number') {
    if (typeof v === 'number') return v;
    if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
    return undefined;
  }
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === 'true';
  return undefined;
}

/** A comment's text without its delimiters: `#`, `//`, or `/* ... *\/` (with `*` line decorations). */
export function commentBody(text: string): string {
  if (!text.startsWith('/*')) return text.replace(/^(#|\/\/)/, '');
  return text
    .replace(/^\/\*+/, '')
    .replace(/\*+\/$/, '')
    .replace(/^[ \t]*\*+/gm, '');
}

/** The `wslb: websocket` marker comments (`#`, `//` or block) among a file's comments (computed once per file). */
export function markerComments(comments: { text: string; span: Span }[]): { text: string; span: Span }[] {
  return comments.filter((c) => c.text.includes('wslb') && WS_MARKER.test(commentBody(c.text)));
}

export function hasMarker(markers: { text: string; span: Span }[], text: string, span: Span): boolean {
  for (const c of markers) {
    if (c.span.start >= span.start && c.span.end <= span.end) return true;
    if (c.span.end <= span.start && span.start - c.span.end < 2000) {
      // Only whitespace and other comment lines between the comment and the resource.
      const gap = text.slice(c.span.end, span.start);
      if (
        /^\s*$/.test(gap.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\n)[ \t]*(#|\/\/)[^\n]*/g, '$1')) &&
        gap.split('\n').length <= 3
      )
        return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- drafts

/** Where a resource is written and how to edit it: what every draft starts from. */
export type DraftBase = Omit<AwsResourceBase, 'kind'>;

/** A load balancer; the idle timeout applies to ALBs only (AWS's default when not written). */
export function loadBalancerDraft(
  base: DraftBase,
  written: { lbType: AwsValue<string> | null; name: AwsValue<string> | null; idleTimeout: AwsValue<number> | null },
): Draft {
  const lbType = orDefault(written.lbType, 'lb.type');
  const lb: AwsLoadBalancer = {
    ...base,
    kind: 'load-balancer',
    lbType,
    name: written.name,
    idleTimeout:
      lbType.known && lbType.value !== 'application'
        ? null
        : (written.idleTimeout ?? awsDefaultValue<number>('lb.idle_timeout')),
    listeners: [],
  };
  return { resource: lb, tgRefs: [] };
}

/** The values of a target group as written (null: not written, AWS's default applies). */
export interface TargetGroupValues {
  name: AwsValue<string> | null;
  protocol: AwsValue<string> | null;
  port: AwsValue<number> | null;
  targetType: AwsValue<string> | null;
  deregistrationDelay: AwsValue<number> | null;
  slowStart: AwsValue<number> | null;
  algorithm: AwsValue<string> | null;
  stickiness: AwsStickiness;
  healthCheck: AwsHealthCheck;
}

export function targetGroupDraft(base: DraftBase, v: TargetGroupValues): Draft {
  const tg: AwsTargetGroup = {
    ...base,
    kind: 'target-group',
    name: v.name,
    protocol: v.protocol,
    port: v.port,
    targetType: orDefault(v.targetType, 'tg.target_type'),
    deregistrationDelay: orDefault(v.deregistrationDelay, 'tg.deregistration_delay'),
    slowStart: orDefault(v.slowStart, 'tg.slow_start'),
    algorithm: orDefault(v.algorithm, 'tg.algorithm'),
    stickiness: v.stickiness,
    healthCheck: v.healthCheck,
    websocket: { carries: false, reasons: [] },
    listeners: [],
    rules: [],
    loadBalancers: [],
  };
  return { resource: tg, tgRefs: [] };
}

/** A listener, with its load balancer and the target groups of its default actions (unresolved). */
export function listenerDraft(
  base: DraftBase,
  v: { protocol: AwsValue<string> | null; port: AwsValue<number> | null; tcpIdleTimeout: AwsValue<number> | null },
  lbRef: RawRef | undefined,
  tgRefs: RawRef[],
): Draft {
  const l: AwsListener = {
    ...base,
    kind: 'listener',
    protocol: v.protocol,
    port: v.port,
    tcpIdleTimeout: v.tcpIdleTimeout,
    loadBalancerRef: null,
    loadBalancer: null,
    targetGroupRefs: [],
    rules: [],
  };
  return { resource: l, lbRef, tgRefs };
}

/** A listener rule, with its listener and the target groups of its actions (unresolved). */
export function listenerRuleDraft(
  base: DraftBase,
  priority: AwsValue<number> | null,
  pathPatterns: AwsValue<string>[],
  listenerRef: RawRef | undefined,
  tgRefs: RawRef[],
): Draft {
  const r: AwsListenerRule = {
    ...base,
    kind: 'listener-rule',
    priority,
    pathPatterns,
    listenerRef: null,
    listener: null,
    targetGroupRefs: [],
  };
  return { resource: r, listenerRef, tgRefs };
}
