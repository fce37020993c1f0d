/**
 * The CloudFormation reader of the AWS model: the Elastic Load Balancing v2 resources of one
 * template (YAML or JSON), with `!Ref P` / `{ "Ref": "P" }` resolved to the `Default` of parameter P.
 */
import type {
  AwsAttributeId,
  AwsFormat,
  AwsHealthCheck,
  AwsInsertAnchor,
  AwsResource,
  AwsStickiness,
  AwsValue,
  AwsWritten,
} from './aws';
import {
  isMap,
  isScalar,
  isSeq,
  nodeSpan,
  nodeSpanWithTag,
  pairOf,
  pairSpan,
  valueOf,
  type CfnFile,
} from '../syntax/aws/cfn';
import type { Node as YamlNode, Pair } from 'yaml';
import type { Span } from '../text';
import {
  coerce,
  hasMarker,
  known,
  listenerDraft,
  listenerRuleDraft,
  loadBalancerDraft,
  markerComments,
  orDefault,
  targetGroupDraft,
  unknown,
  type Draft,
  type DraftBase,
  type Kind,
  type RawRef,
  type Scalar,
  type Want,
} from './aws-draft';

const CFN_PREFIX = 'AWS::ElasticLoadBalancingV2::';
const CFN_TYPES: Record<string, AwsResource['kind']> = {
  [CFN_PREFIX + 'LoadBalancer']: 'load-balancer',
  [CFN_PREFIX + 'TargetGroup']: 'target-group',
  [CFN_PREFIX + 'Listener']: 'listener',
  [CFN_PREFIX + 'ListenerRule']: 'listener-rule',
};

// ---------------------------------------------------------------- CloudFormation

interface CfnCtx {
  path: string;
  cfn: CfnFile;
  params: Map<string, { node: YamlNode | null | undefined; keySpan: Span }>;
}

/** Reference target of `!Ref X`, `!GetAtt X.Attr`, `{Ref: X}`, `{"Fn::GetAtt": [X, Attr]}`; null when not a reference. */
function cfnRefName(n: YamlNode | null | undefined): { name: string; via: string } | null {
  if (!n) return null;
  if (isScalar(n) && n.tag === '!Ref') return { name: String(n.value), via: '!Ref' };
  if (isScalar(n) && n.tag === '!GetAtt') return { name: String(n.value).split('.')[0], via: '!GetAtt' };
  if (isSeq(n) && n.tag === '!GetAtt') {
    const first = n.items[0];
    return isScalar(first) ? { name: String(first.value), via: '!GetAtt' } : null;
  }
  if (isMap(n) && n.items.length === 1) {
    const p = n.items[0] as Pair<YamlNode, YamlNode | null>;
    const k = isScalar(p.key) ? String(p.key.value) : '';
    if (k === 'Ref' && isScalar(p.value)) return { name: String(p.value.value), via: 'Ref' };
    if (k === 'Fn::GetAtt') {
      if (isScalar(p.value)) return { name: String(p.value.value).split('.')[0], via: 'Fn::GetAtt' };
      if (isSeq(p.value) && isScalar(p.value.items[0]))
        return { name: String((p.value.items[0] as { value: unknown }).value), via: 'Fn::GetAtt' };
    }
  }
  return null;
}

function intrinsicName(n: YamlNode): string | null {
  if (n.tag && n.tag.startsWith('!')) return n.tag;
  if (isMap(n) && n.items.length === 1) {
    const p = n.items[0] as Pair<YamlNode, unknown>;
    const k = isScalar(p.key) ? String(p.key.value) : '';
    if (k === 'Ref' || k.startsWith('Fn::')) return k;
  }
  return null;
}

function cfnValue<T extends Scalar>(
  ctx: CfnCtx,
  id: AwsAttributeId,
  n: YamlNode | null | undefined,
  w: AwsWritten,
  want: Want,
): AwsValue<T> {
  if (!n) return unknown(id, 'no value', w);
  const ref = cfnRefName(n);
  if (ref && ref.via !== '!GetAtt' && ref.via !== 'Fn::GetAtt') {
    const p = ctx.params.get(ref.name);
    if (!p) return unknown(id, `${ref.via} ${ref.name} is not a parameter with a default in this template`, w);
    if (!p.node || !isScalar(p.node))
      return unknown(id, `parameter ${ref.name} has no Default (its value comes from outside)`, w);
    const c = coerce(p.node.value as Scalar, want);
    if (c === undefined) return unknown(id, `the Default of parameter ${ref.name} is not a ${want}`, w);
    return known(id, c as T, 'variable-default', w, { name: ref.name, path: ctx.path, span: nodeSpan(p.node)! });
  }
  const fn = intrinsicName(n);
  if (fn) return unknown(id, `computed by ${fn}, not evaluated`, w);
  if (isScalar(n) && (typeof n.value === 'string' || typeof n.value === 'number' || typeof n.value === 'boolean')) {
    const c = coerce(n.value, want);
    return c === undefined
      ? unknown(id, `not a ${want}: ${JSON.stringify(n.value)}`, w)
      : known(id, c as T, 'literal', w);
  }
  return unknown(id, 'not a plain value', w);
}

interface CfnAttrList {
  key: 'LoadBalancerAttributes' | 'TargetGroupAttributes' | 'ListenerAttributes';
  span: Span | undefined;
  entries: Map<string, { entry: YamlNode; keyNode: YamlNode; value: YamlNode | null | undefined }>;
  /** Set when the list (or an entry's Key) is computed: absent attributes are then unknown. */
  opaque: AwsWritten | null;
}

function cfnAttrList(ctx: CfnCtx, props: unknown, key: CfnAttrList['key']): CfnAttrList {
  const out: CfnAttrList = { key, span: undefined, entries: new Map(), opaque: null };
  const pair = pairOf(props, key);
  if (!pair || !pair.value) return out;
  out.span = nodeSpan(pair.value);
  const opaque = (): AwsWritten => ({
    path: ctx.path,
    key,
    keySpan: nodeSpan(pair.key)!,
    valueSpan: nodeSpanWithTag(pair.value!, ctx.cfn.text),
    span: pairSpan(pair),
  });
  if (!isSeq(pair.value) || pair.value.tag) {
    out.opaque = opaque();
    return out;
  }
  for (const item of pair.value.items as YamlNode[]) {
    const kp = pairOf(item, 'Key');
    if (!kp || !isScalar(kp.value) || kp.value.tag) {
      out.opaque = opaque();
      continue;
    }
    const k = String(kp.value.value);
    if (!out.entries.has(k)) out.entries.set(k, { entry: item, keyNode: kp.value, value: valueOf(item, 'Value') });
  }
  return out;
}

function entrySpan(text: string, entry: YamlNode): Span {
  const s = { ...nodeSpan(entry)! };
  // A block mapping's range runs over trailing comments and line breaks: end at its last value.
  if (isMap(entry) && !entry.flow) {
    let end = s.start;
    for (const p of entry.items as Pair<YamlNode, YamlNode | null>[]) {
      const k = nodeSpan(p.key);
      const v = p.value ? nodeSpan(p.value) : undefined;
      end = Math.max(end, k?.end ?? end, v?.end ?? end);
    }
    if (end > s.start) s.end = end;
  }
  // Include a block sequence's "- " indicator.
  const m = /-[ \t]*$/.exec(text.slice(Math.max(0, s.start - 40), s.start));
  return m ? { start: s.start - m[0].length, end: s.end } : s;
}

function cfnListValue<T extends Scalar>(
  ctx: CfnCtx,
  list: CfnAttrList,
  id: AwsAttributeId,
  key: string,
  want: Want,
): AwsValue<T> | null {
  const e = list.entries.get(key);
  if (e) {
    const w: AwsWritten = {
      path: ctx.path,
      key,
      keySpan: nodeSpan(e.keyNode)!,
      valueSpan: e.value ? nodeSpanWithTag(e.value, ctx.cfn.text) : nodeSpan(e.keyNode)!,
      span: entrySpan(ctx.cfn.text, e.entry),
    };
    return cfnValue<T>(ctx, id, e.value, w, want);
  }
  if (list.opaque) return unknown(id, `${list.key} is computed or has a computed entry`, list.opaque);
  return null;
}

function cfnProp<T extends Scalar>(
  ctx: CfnCtx,
  props: unknown,
  id: AwsAttributeId,
  key: string,
  want: Want,
): AwsValue<T> | null {
  const p = pairOf(props, key);
  if (!p) return null;
  const w: AwsWritten = {
    path: ctx.path,
    key,
    keySpan: nodeSpan(p.key)!,
    valueSpan: p.value ? nodeSpanWithTag(p.value, ctx.cfn.text) : nodeSpan(p.key)!,
    span: pairSpan(p),
  };
  return cfnValue<T>(ctx, id, p.value, w, want);
}

function cfnRef(ctx: CfnCtx, n: YamlNode | null | undefined): RawRef | undefined {
  if (!n) return undefined;
  const span = nodeSpanWithTag(n, ctx.cfn.text);
  const ref = cfnRefName(n);
  return {
    text: ctx.cfn.text.slice(span.start, span.end),
    path: ctx.path,
    span,
    key: ref && !ctx.params.has(ref.name) ? ref.name : null,
  };
}

function cfnActionTargets(ctx: CfnCtx, actions: YamlNode | null | undefined): RawRef[] {
  const out: RawRef[] = [];
  if (!isSeq(actions)) return out;
  for (const a of actions.items as YamlNode[]) {
    const r = cfnRef(ctx, valueOf(a, 'TargetGroupArn'));
    if (r) out.push(r);
    const groups = valueOf(valueOf(a, 'ForwardConfig'), 'TargetGroups');
    if (isSeq(groups))
      for (const g of groups.items as YamlNode[]) {
        const gr = cfnRef(ctx, valueOf(g, 'TargetGroupArn'));
        if (gr) out.push(gr);
      }
  }
  return out;
}

function cfnComments(text: string, json: boolean): { text: string; span: Span }[] {
  if (json) return [];
  const out: { text: string; span: Span }[] = [];
  // A '#' starts a YAML comment at the start of a line or after whitespace.
  const re = /(^|[ \t])(#[^\r\n]*)/gm;
  for (const m of text.matchAll(re)) {
    const start = (m.index ?? 0) + m[1].length;
    out.push({ text: m[2], span: { start, end: start + m[2].length } });
  }
  return out;
}

/** The template's parameters with their `Default`s (what `!Ref P` resolves to). */
function cfnParams(root: YamlNode | null): CfnCtx['params'] {
  const params: CfnCtx['params'] = new Map();
  const paramMap = valueOf(root, 'Parameters');
  if (isMap(paramMap))
    for (const p of paramMap.items as Pair<YamlNode, YamlNode | null>[]) {
      if (isScalar(p.key))
        params.set(String(p.key.value), { node: valueOf(p.value, 'Default'), keySpan: nodeSpan(p.key)! });
    }
  return params;
}

/** Reads a property, or an entry of the resource's attribute list; null when not written. */
type CfnRead = <T extends Scalar>(id: AwsAttributeId, key: string, want: Want) => AwsValue<T> | null;

const HEALTH_CHECK_KEYS = [
  'HealthCheckEnabled',
  'HealthCheckPath',
  'HealthCheckProtocol',
  'HealthCheckIntervalSeconds',
  'HealthCheckTimeoutSeconds',
  'HealthyThresholdCount',
  'UnhealthyThresholdCount',
  'Matcher',
];

function cfnHealthCheck(ctx: CfnCtx, props: YamlNode | null | undefined, pv: CfnRead): AwsHealthCheck {
  const { path, cfn } = ctx;
  const firstHc = HEALTH_CHECK_KEYS.map((k) => pairOf(props, k)).find((p) => p);
  const healthCheck: AwsHealthCheck = {
    written: firstHc ? { path, span: pairSpan(firstHc) } : null,
    enabled: pv<boolean>('tg.health_check.enabled', 'HealthCheckEnabled', 'boolean'),
    path: pv<string>('tg.health_check.path', 'HealthCheckPath', 'string'),
    protocol: pv<string>('tg.health_check.protocol', 'HealthCheckProtocol', 'string'),
    interval: pv<number>('tg.health_check.interval', 'HealthCheckIntervalSeconds', 'number'),
    timeout: pv<number>('tg.health_check.timeout', 'HealthCheckTimeoutSeconds', 'number'),
    healthyThreshold: pv<number>('tg.health_check.healthy_threshold', 'HealthyThresholdCount', 'number'),
    unhealthyThreshold: pv<number>('tg.health_check.unhealthy_threshold', 'UnhealthyThresholdCount', 'number'),
    matcher: null,
  };
  const matcher = valueOf(props, 'Matcher');
  const mp = matcher ? (pairOf(matcher, 'HttpCode') ?? pairOf(matcher, 'GrpcCode')) : undefined;
  if (mp)
    healthCheck.matcher = cfnValue<string>(
      ctx,
      'tg.health_check.matcher',
      mp.value,
      {
        path,
        key: String((mp.key as { value: unknown }).value),
        keySpan: nodeSpan(mp.key)!,
        valueSpan: mp.value ? nodeSpanWithTag(mp.value, cfn.text) : nodeSpan(mp.key)!,
        span: pairSpan(mp),
      },
      'string',
    );
  return healthCheck;
}

function cfnStickiness(ctx: CfnCtx, list: CfnAttrList | null, lv: CfnRead): AwsStickiness {
  const firstSticky = [...(list?.entries.entries() ?? [])].find(([k]) => k.startsWith('stickiness.'));
  return {
    written: firstSticky ? { path: ctx.path, span: entrySpan(ctx.cfn.text, firstSticky[1].entry) } : null,
    enabled: orDefault(lv<boolean>('tg.stickiness.enabled', 'stickiness.enabled', 'boolean'), 'tg.stickiness.enabled'),
    type: lv<string>('tg.stickiness.type', 'stickiness.type', 'string'),
    duration: lv<number>('tg.stickiness.duration', 'stickiness.lb_cookie.duration_seconds', 'number'),
  };
}

/** The path-pattern values of a listener rule's `Conditions`. */
function cfnPathPatterns(ctx: CfnCtx, props: YamlNode | null | undefined): AwsValue<string>[] {
  const pathPatterns: AwsValue<string>[] = [];
  const conds = valueOf(props, 'Conditions');
  if (!isSeq(conds)) return pathPatterns;
  for (const c of conds.items as YamlNode[]) {
    const field = valueOf(c, 'Field');
    if (!isScalar(field) || String(field.value) !== 'path-pattern') continue;
    const valuesPair = pairOf(valueOf(c, 'PathPatternConfig'), 'Values') ?? pairOf(c, 'Values');
    if (!valuesPair || !valuesPair.value) continue;
    const vs = valuesPair.value;
    const wOf = (n: YamlNode): AwsWritten => ({
      path: ctx.path,
      key: 'Values',
      keySpan: nodeSpan(valuesPair.key)!,
      valueSpan: nodeSpanWithTag(n, ctx.cfn.text),
      span: pairSpan(valuesPair),
    });
    if (isSeq(vs) && !vs.tag)
      for (const item of vs.items as YamlNode[])
        pathPatterns.push(cfnValue<string>(ctx, 'rule.path_pattern', item, wOf(item), 'string'));
    else pathPatterns.push(unknown('rule.path_pattern', 'the list of values is computed', wOf(vs)));
  }
  return pathPatterns;
}

/** The attribute list each kind keeps its attributes in. */
const ATTRIBUTE_LIST: Record<Kind, CfnAttrList['key'] | null> = {
  'load-balancer': 'LoadBalancerAttributes',
  'target-group': 'TargetGroupAttributes',
  listener: 'ListenerAttributes',
  'listener-rule': null,
};

/**
 * The draft of one resource: `props` its Properties, `list` its attribute list. The same fields as
 * tfDraft() (aws-terraform.ts) reads, under CloudFormation's names; the builders are shared.
 */
function cfnDraft(
  ctx: CfnCtx,
  kind: Kind,
  base: DraftBase,
  props: YamlNode | null | undefined,
  list: CfnAttrList | null,
): Draft {
  const lv: CfnRead = <T extends Scalar>(id: AwsAttributeId, key: string, want: Want) =>
    list ? cfnListValue<T>(ctx, list, id, key, want) : null;
  const pv: CfnRead = <T extends Scalar>(id: AwsAttributeId, key: string, want: Want) =>
    cfnProp<T>(ctx, props, id, key, want);
  switch (kind) {
    case 'load-balancer':
      return loadBalancerDraft(base, {
        lbType: pv<string>('lb.type', 'Type', 'string'),
        name: pv<string>('lb.name', 'Name', 'string'),
        idleTimeout: lv<number>('lb.idle_timeout', 'idle_timeout.timeout_seconds', 'number'),
      });
    case 'target-group':
      return targetGroupDraft(base, {
        name: pv<string>('tg.name', 'Name', 'string'),
        protocol: pv<string>('tg.protocol', 'Protocol', 'string'),
        port: pv<number>('tg.port', 'Port', 'number'),
        targetType: pv<string>('tg.target_type', 'TargetType', 'string'),
        deregistrationDelay: lv<number>('tg.deregistration_delay', 'deregistration_delay.timeout_seconds', 'number'),
        slowStart: lv<number>('tg.slow_start', 'slow_start.duration_seconds', 'number'),
        algorithm: lv<string>('tg.algorithm', 'load_balancing.algorithm.type', 'string'),
        stickiness: cfnStickiness(ctx, list, lv),
        healthCheck: cfnHealthCheck(ctx, props, pv),
      });
    case 'listener':
      return listenerDraft(
        base,
        {
          protocol: pv<string>('listener.protocol', 'Protocol', 'string'),
          port: pv<number>('listener.port', 'Port', 'number'),
          tcpIdleTimeout: lv<number>('listener.tcp_idle_timeout', 'tcp.idle_timeout.seconds', 'number'),
        },
        cfnRef(ctx, valueOf(props, 'LoadBalancerArn')),
        cfnActionTargets(ctx, valueOf(props, 'DefaultActions')),
      );
    case 'listener-rule':
      return listenerRuleDraft(
        base,
        pv<number>('rule.priority', 'Priority', 'number'),
        cfnPathPatterns(ctx, props),
        cfnRef(ctx, valueOf(props, 'ListenerArn')),
        cfnActionTargets(ctx, valueOf(props, 'Actions')),
      );
  }
}

export function buildCloudFormation(path: string, cfn: CfnFile, drafts: Draft[]): void {
  const root = cfn.doc.contents as YamlNode | null;
  const format: AwsFormat = cfn.json ? 'cloudformation-json' : 'cloudformation-yaml';
  const ctx: CfnCtx = { path, cfn, params: cfnParams(root) };
  const resources = valueOf(root, 'Resources');
  if (!isMap(resources)) return;
  const comments = markerComments(cfnComments(cfn.text, cfn.json));
  for (const pair of resources.items as Pair<YamlNode, YamlNode | null>[]) {
    if (!isScalar(pair.key) || !pair.value) continue;
    const typeNode = valueOf(pair.value, 'Type');
    const type = isScalar(typeNode) ? String(typeNode.value) : '';
    const kind: Kind | undefined = CFN_TYPES[type];
    if (!kind) continue;
    const span = pairSpan(pair);
    const props = valueOf(pair.value, 'Properties');
    const listKey = ATTRIBUTE_LIST[kind];
    const list = listKey ? cfnAttrList(ctx, props, listKey) : null;
    const anchor: AwsInsertAnchor = {
      format,
      properties: isMap(props) ? nodeSpan(props) : undefined,
      resource: nodeSpan(pair.value)!,
      attributeList: list?.span && !list.opaque ? list.span : undefined,
      attributeListKey: listKey,
    };
    const base: DraftBase = {
      path,
      format,
      logicalName: String(pair.key.value),
      type,
      span,
      nameSpan: nodeSpan(pair.key)!,
      marked: hasMarker(comments, cfn.text, span),
      anchor,
    };
    drafts.push(cfnDraft(ctx, kind, base, props, list));
  }
}
