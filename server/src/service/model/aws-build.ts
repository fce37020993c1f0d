/**
 * Builds the AWS model (model/aws.ts) from Terraform modules and CloudFormation templates.
 *
 * Terraform: the `.tf` files of one directory form a module; `var.x` resolves to the default of
 * `variable "x"` declared in that module. CloudFormation: each template alone; `!Ref P` / `{ "Ref": "P" }`
 * resolves to the `Default` of parameter P. Anything else is unknown.
 *
 * AWS's default for an absent attribute comes from the fact table, knowledge/aws.ts (the AWS page
 * for each is cited there); nothing here repeats a default.
 */
import { CFN_RESOURCE_RE, TF_RESOURCE_RE } from '../aws-detect';
import { dirname } from './fs';
import type {
  AwsAttributeId,
  AwsConfig,
  AwsDiagnostic,
  AwsFormat,
  AwsHealthCheck,
  AwsInsertAnchor,
  AwsListener,
  AwsListenerRule,
  AwsLoadBalancer,
  AwsReference,
  AwsResource,
  AwsSourceFile,
  AwsStickiness,
  AwsTargetGroup,
  AwsValue,
  AwsWritten,
} from './aws';
import { parseHcl, type HclAttribute, type HclBlock, type HclExpr, type HclFile } from '../syntax/aws/hcl';
import {
  isMap,
  isScalar,
  isSeq,
  nodeSpan,
  nodeSpanWithTag,
  pairOf,
  pairSpan,
  parseCfn,
  valueOf,
  type CfnFile,
} from '../syntax/aws/cfn';
import type { Node as YamlNode, Pair } from 'yaml';
import { looksLikeWebSocketName, looksLikeWebSocketPath, WS_MARKER } from './websocket';
import type { Span } from '../text';
import { awsDefault, awsFactOf } from '../knowledge/aws';

const TF_TYPES: Record<string, AwsResource['kind']> = {
  aws_lb: 'load-balancer',
  aws_alb: 'load-balancer',
  aws_lb_target_group: 'target-group',
  aws_alb_target_group: 'target-group',
  aws_lb_listener: 'listener',
  aws_alb_listener: 'listener',
  aws_lb_listener_rule: 'listener-rule',
  aws_alb_listener_rule: 'listener-rule',
};
/** aws_alb* are the older names of the same resources. */
const canonicalTfType = (t: string) => t.replace(/^aws_alb/, 'aws_lb');

const CFN_PREFIX = 'AWS::ElasticLoadBalancingV2::';
const CFN_TYPES: Record<string, AwsResource['kind']> = {
  [CFN_PREFIX + 'LoadBalancer']: 'load-balancer',
  [CFN_PREFIX + 'TargetGroup']: 'target-group',
  [CFN_PREFIX + 'Listener']: 'listener',
  [CFN_PREFIX + 'ListenerRule']: 'listener-rule',
};

// The quick tests "does this Terraform / CloudFormation text declare one of our resources?" live in
// aws-detect.ts, which the VS Code client imports without the parsers.
export { CFN_RESOURCE_RE, TF_RESOURCE_RE };

export function awsFormatOf(path: string, text: string): AwsFormat | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.tf')) return TF_RESOURCE_RE.test(text) ? 'terraform' : undefined;
  if (/\.(ya?ml|json|template)$/.test(lower)) {
    if (!CFN_RESOURCE_RE.test(text)) return undefined;
    return /^\s*[{[]/.test(text) ? 'cloudformation-json' : 'cloudformation-yaml';
  }
  return undefined;
}

type Kind = AwsResource['kind'];

interface Draft {
  resource: AwsResource;
  /** Unresolved references, filled in resolve(). */
  lbRef?: RawRef;
  listenerRef?: RawRef;
  tgRefs: RawRef[];
}

interface RawRef {
  text: string;
  path: string;
  span: Span;
  /** Terraform: "aws_lb.main" (canonical type); CloudFormation: the logical id. */
  key: string | null;
}

// ---------------------------------------------------------------- values

function known<T>(
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

function unknown<T>(id: AwsAttributeId, reason: string, written: AwsWritten): AwsValue<T> {
  return { known: false, id, reason, written };
}

type Scalar = string | number | boolean;
type Want = 'number' | 'string' | 'boolean';

/** AWS's default for an attribute that is not written (from knowledge/aws.ts). */
function awsDefaultValue<T extends Scalar>(id: AwsAttributeId): AwsValue<T> {
  return known(id, awsDefault<T>(id), 'aws-default');
}

/** An argument left out of its written Terraform block: the provider's `blockDefault` (knowledge/aws.ts), else AWS's default. */
function tfBlockDefaultValue<T extends Scalar>(id: AwsAttributeId): AwsValue<T> {
  const d = awsFactOf(id).terraform?.blockDefault;
  return d === undefined ? awsDefaultValue<T>(id) : known(id, d as T, 'aws-default');
}

/** The value written, else AWS's default. */
function orDefault<T extends Scalar>(x: AwsValue<T> | null, id: AwsAttributeId): AwsValue<T> {
  return x ?? awsDefaultValue<T>(id);
}

/** Coerce a literal into the wanted type (AWS takes attribute values as strings: "30", "true"). */
function coerce(v: Scalar, want: Want): Scalar | undefined {
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

// ---------------------------------------------------------------- Terraform

interface TfVariable {
  name: string;
  path: string;
  value: HclExpr | null;
}

interface TfModule {
  dir: string;
  files: { path: string; hcl: HclFile }[];
  variables: Map<string, TfVariable>;
}

function hclScalar(e: HclExpr): Scalar | undefined {
  if (e.kind === 'string' || e.kind === 'number' || e.kind === 'bool') return e.value;
  return undefined;
}

function tfWritten(path: string, a: HclAttribute): AwsWritten {
  return { path, key: a.name, keySpan: a.nameSpan, valueSpan: a.value.span, span: a.span };
}

function tfValue<T extends Scalar>(
  mod: TfModule,
  path: string,
  id: AwsAttributeId,
  a: HclAttribute,
  want: Want,
): AwsValue<T> {
  const w = tfWritten(path, a);
  const e = a.value;
  const lit = hclScalar(e);
  if (lit !== undefined) {
    const c = coerce(lit, want);
    return c === undefined
      ? unknown(id, `\`${a.name}\` is not a ${want}: ${JSON.stringify(lit)}`, w)
      : known(id, c as T, 'literal', w);
  }
  if (e.kind === 'traversal' && e.parts[0] === 'var' && e.parts.length === 2) {
    const v = mod.variables.get(e.parts[1]);
    if (!v) return unknown(id, `set from ${e.text}, which is not declared in this module`, w);
    if (!v.value) return unknown(id, `set from ${e.text}, which has no default (its value comes from outside)`, w);
    const d = hclScalar(v.value);
    const c = d === undefined ? undefined : coerce(d, want);
    if (c === undefined) return unknown(id, `set from ${e.text}, whose default is not a plain ${want}`, w);
    return known(id, c as T, 'variable-default', w, { name: e.text, path: v.path, span: v.value.span });
  }
  return unknown(
    id,
    `computed by \`${e.kind === 'other' || e.kind === 'traversal' ? e.text : e.kind}\`, not evaluated`,
    w,
  );
}

function attr(b: HclBlock, name: string): HclAttribute | undefined {
  return b.attributes.find((a) => a.name === name);
}

function indentAt(text: string, offset: number): string {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

function bodyIndent(text: string, b: HclBlock, outer: string): string {
  const first = b.attributes[0] ?? undefined;
  const firstBlock = b.blocks[0];
  const at =
    first && (!firstBlock || first.span.start < firstBlock.span.start) ? first.span.start : firstBlock?.span.start;
  if (at !== undefined) return indentAt(text, at);
  return outer + (outer.includes('\t') ? '\t' : '  ');
}

/** A comment's text without its delimiters: `#`, `//`, or `/* ... *\/` (with `*` line decorations). */
function commentBody(text: string): string {
  if (!text.startsWith('/*')) return text.replace(/^(#|\/\/)/, '');
  return text
    .replace(/^\/\*+/, '')
    .replace(/\*+\/$/, '')
    .replace(/^[ \t]*\*+/gm, '');
}

/** The `wslb: websocket` marker comments (`#`, `//` or block) among a file's comments (computed once per file). */
function markerComments(comments: { text: string; span: Span }[]): { text: string; span: Span }[] {
  return comments.filter((c) => c.text.includes('wslb') && WS_MARKER.test(commentBody(c.text)));
}

function hasMarker(markers: { text: string; span: Span }[], text: string, span: Span): boolean {
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

function tfRef(path: string, a: HclAttribute | undefined, mod: TfModule): RawRef | undefined {
  if (!a) return undefined;
  const e = a.value;
  if (e.kind === 'traversal' && e.parts.length >= 2 && TF_TYPES[e.parts[0]]) {
    return { text: e.text, path, span: e.span, key: `${canonicalTfType(e.parts[0])}.${e.parts[1]}` };
  }
  void mod;
  return {
    text: e.kind === 'string' ? JSON.stringify(e.value) : 'text' in e ? e.text : '',
    path,
    span: e.span,
    key: null,
  };
}

/** target_group_arn of forward actions, also inside `forward { target_group { arn } }`. */
function tfActionTargets(path: string, blocks: HclBlock[], mod: TfModule): RawRef[] {
  const out: RawRef[] = [];
  for (const act of blocks) {
    const tg = tfRef(path, attr(act, 'target_group_arn'), mod);
    if (tg) out.push(tg);
    for (const fw of act.blocks.filter((b) => b.type === 'forward')) {
      for (const t of fw.blocks.filter((b) => b.type === 'target_group')) {
        const r = tfRef(path, attr(t, 'arn'), mod);
        if (r) out.push(r);
      }
    }
  }
  return out;
}

function buildTerraformModule(mod: TfModule, drafts: Draft[]): void {
  for (const { path, hcl } of mod.files) {
    const markers = markerComments(hcl.comments);
    for (const b of hcl.blocks) {
      if (b.type !== 'resource' || b.labels.length < 2) continue;
      const kind = TF_TYPES[b.labels[0].value];
      if (!kind) continue;
      const text = hcl.text;
      const indent = indentAt(text, b.span.start);
      const attributeIndent = bodyIndent(text, b, indent);
      const blocks: Record<string, { bodyStart: number; bodyEnd: number; attributeIndent: string } | undefined> = {};
      for (const nb of b.blocks) {
        if (blocks[nb.type]) continue;
        blocks[nb.type] = {
          bodyStart: nb.bodyStart,
          bodyEnd: nb.bodyEnd,
          attributeIndent: bodyIndent(text, nb, indentAt(text, nb.span.start)),
        };
      }
      const lastAttributeEnd = b.attributes.length ? Math.max(...b.attributes.map((x) => x.span.end)) : undefined;
      const anchor: AwsInsertAnchor = {
        format: 'terraform',
        bodyStart: b.bodyStart,
        bodyEnd: b.bodyEnd,
        indent,
        attributeIndent,
        lastAttributeEnd,
        blocks,
      };
      const base = {
        path,
        format: 'terraform' as const,
        logicalName: `${b.labels[0].value}.${b.labels[1].value}`,
        type: b.labels[0].value,
        span: b.span,
        nameSpan: b.labels[1].span,
        marked: hasMarker(markers, text, b.span),
        anchor,
      };
      const v = <T extends Scalar>(
        id: AwsAttributeId,
        name: string,
        want: Want,
        blk: HclBlock = b,
      ): AwsValue<T> | null => {
        const a = attr(blk, name);
        return a ? tfValue<T>(mod, path, id, a, want) : null;
      };
      if (kind === 'load-balancer') {
        const lbType = orDefault(v<string>('lb.type', 'load_balancer_type', 'string'), 'lb.type');
        const isAlb = !lbType.known || lbType.value === 'application';
        const idle = v<number>('lb.idle_timeout', 'idle_timeout', 'number');
        const lb: AwsLoadBalancer = {
          ...base,
          kind,
          lbType,
          name: v<string>('lb.name', 'name', 'string'),
          idleTimeout:
            lbType.known && lbType.value !== 'application'
              ? null
              : (idle ?? (isAlb ? awsDefaultValue<number>('lb.idle_timeout') : null)),
          listeners: [],
        };
        drafts.push({ resource: lb, tgRefs: [] });
      } else if (kind === 'target-group') {
        const st = b.blocks.find((x) => x.type === 'stickiness');
        const dynSt = b.blocks.find((x) => x.type === 'dynamic' && x.labels[0]?.value === 'stickiness');
        let stickiness: AwsStickiness;
        if (st) {
          stickiness = {
            written: { path, span: st.span },
            // The Terraform provider defaults `enabled` to true inside a stickiness block.
            enabled:
              v<boolean>('tg.stickiness.enabled', 'enabled', 'boolean', st) ??
              tfBlockDefaultValue<boolean>('tg.stickiness.enabled'),
            type: v<string>('tg.stickiness.type', 'type', 'string', st),
            duration: v<number>('tg.stickiness.duration', 'cookie_duration', 'number', st),
          };
        } else if (dynSt) {
          const w: AwsWritten = {
            path,
            key: 'stickiness',
            keySpan: dynSt.typeSpan,
            valueSpan: dynSt.span,
            span: dynSt.span,
          };
          stickiness = {
            written: { path, span: dynSt.span },
            enabled: unknown('tg.stickiness.enabled', 'set by a dynamic block', w),
            type: null,
            duration: null,
          };
        } else {
          stickiness = {
            written: null,
            enabled: awsDefaultValue<boolean>('tg.stickiness.enabled'),
            type: null,
            duration: null,
          };
        }
        const hc = b.blocks.find((x) => x.type === 'health_check');
        const healthCheck: AwsHealthCheck = {
          written: hc ? { path, span: hc.span } : null,
          enabled: hc ? v<boolean>('tg.health_check.enabled', 'enabled', 'boolean', hc) : null,
          path: hc ? v<string>('tg.health_check.path', 'path', 'string', hc) : null,
          protocol: hc ? v<string>('tg.health_check.protocol', 'protocol', 'string', hc) : null,
          interval: hc ? v<number>('tg.health_check.interval', 'interval', 'number', hc) : null,
          timeout: hc ? v<number>('tg.health_check.timeout', 'timeout', 'number', hc) : null,
          healthyThreshold: hc
            ? v<number>('tg.health_check.healthy_threshold', 'healthy_threshold', 'number', hc)
            : null,
          unhealthyThreshold: hc
            ? v<number>('tg.health_check.unhealthy_threshold', 'unhealthy_threshold', 'number', hc)
            : null,
          matcher: hc ? v<string>('tg.health_check.matcher', 'matcher', 'string', hc) : null,
        };
        const tg: AwsTargetGroup = {
          ...base,
          kind,
          name: v<string>('tg.name', 'name', 'string'),
          protocol: v<string>('tg.protocol', 'protocol', 'string'),
          port: v<number>('tg.port', 'port', 'number'),
          targetType: orDefault(v<string>('tg.target_type', 'target_type', 'string'), 'tg.target_type'),
          deregistrationDelay: orDefault(
            v<number>('tg.deregistration_delay', 'deregistration_delay', 'number'),
            'tg.deregistration_delay',
          ),
          slowStart: orDefault(v<number>('tg.slow_start', 'slow_start', 'number'), 'tg.slow_start'),
          algorithm: orDefault(v<string>('tg.algorithm', 'load_balancing_algorithm_type', 'string'), 'tg.algorithm'),
          stickiness,
          healthCheck,
          websocket: { carries: false, reasons: [] },
          listeners: [],
          rules: [],
          loadBalancers: [],
        };
        drafts.push({ resource: tg, tgRefs: [] });
      } else if (kind === 'listener') {
        const l: AwsListener = {
          ...base,
          kind,
          protocol: v<string>('listener.protocol', 'protocol', 'string'),
          port: v<number>('listener.port', 'port', 'number'),
          tcpIdleTimeout: v<number>('listener.tcp_idle_timeout', 'tcp_idle_timeout_seconds', 'number'),
          loadBalancerRef: null,
          loadBalancer: null,
          targetGroupRefs: [],
          rules: [],
        };
        drafts.push({
          resource: l,
          lbRef: tfRef(path, attr(b, 'load_balancer_arn'), mod),
          tgRefs: tfActionTargets(
            path,
            b.blocks.filter((x) => x.type === 'default_action'),
            mod,
          ),
        });
      } else {
        const pathPatterns: AwsValue<string>[] = [];
        for (const cond of b.blocks.filter((x) => x.type === 'condition')) {
          for (const pp of cond.blocks.filter((x) => x.type === 'path_pattern')) {
            const a = attr(pp, 'values');
            if (!a) continue;
            if (a.value.kind === 'tuple') {
              for (const item of a.value.items) {
                const w: AwsWritten = { path, key: 'values', keySpan: a.nameSpan, valueSpan: item.span, span: a.span };
                const s = hclScalar(item);
                if (typeof s === 'string') pathPatterns.push(known('rule.path_pattern', s, 'literal', w));
                else
                  pathPatterns.push(
                    unknown('rule.path_pattern', `computed by \`${'text' in item ? item.text : item.kind}\``, w),
                  );
              }
            } else {
              pathPatterns.push(unknown('rule.path_pattern', 'the list of values is computed', tfWritten(path, a)));
            }
          }
        }
        const r: AwsListenerRule = {
          ...base,
          kind,
          priority: v<number>('rule.priority', 'priority', 'number'),
          pathPatterns,
          listenerRef: null,
          listener: null,
          targetGroupRefs: [],
        };
        drafts.push({
          resource: r,
          listenerRef: tfRef(path, attr(b, 'listener_arn'), mod),
          tgRefs: tfActionTargets(
            path,
            b.blocks.filter((x) => x.type === 'action'),
            mod,
          ),
        });
      }
    }
  }
}

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

function buildCloudFormation(path: string, cfn: CfnFile, drafts: Draft[]): void {
  const root = cfn.doc.contents as YamlNode | null;
  const format: AwsFormat = cfn.json ? 'cloudformation-json' : 'cloudformation-yaml';
  const params = new Map<string, { node: YamlNode | null | undefined; keySpan: Span }>();
  const paramMap = valueOf(root, 'Parameters');
  if (isMap(paramMap))
    for (const p of paramMap.items as Pair<YamlNode, YamlNode | null>[]) {
      if (isScalar(p.key))
        params.set(String(p.key.value), { node: valueOf(p.value, 'Default'), keySpan: nodeSpan(p.key)! });
    }
  const ctx: CfnCtx = { path, cfn, params };
  const resources = valueOf(root, 'Resources');
  if (!isMap(resources)) return;
  const comments = markerComments(cfnComments(cfn.text, cfn.json));
  for (const pair of resources.items as Pair<YamlNode, YamlNode | null>[]) {
    if (!isScalar(pair.key) || !pair.value) continue;
    const typeNode = valueOf(pair.value, 'Type');
    const type = isScalar(typeNode) ? String(typeNode.value) : '';
    const kind: Kind | undefined = CFN_TYPES[type];
    if (!kind) continue;
    const logicalName = String(pair.key.value);
    const span = pairSpan(pair);
    const props = valueOf(pair.value, 'Properties');
    const listKey =
      kind === 'load-balancer'
        ? 'LoadBalancerAttributes'
        : kind === 'target-group'
          ? 'TargetGroupAttributes'
          : kind === 'listener'
            ? 'ListenerAttributes'
            : null;
    const list = listKey ? cfnAttrList(ctx, props, listKey) : null;
    const anchor: AwsInsertAnchor = {
      format,
      properties: isMap(props) ? nodeSpan(props) : undefined,
      resource: nodeSpan(pair.value)!,
      attributeList: list?.span && !list.opaque ? list.span : undefined,
      attributeListKey: listKey,
    };
    const base = {
      path,
      format,
      logicalName,
      type,
      span,
      nameSpan: nodeSpan(pair.key)!,
      marked: hasMarker(comments, cfn.text, span),
      anchor,
    };
    const lv = <T extends Scalar>(id: AwsAttributeId, key: string, want: Want) =>
      list ? cfnListValue<T>(ctx, list, id, key, want) : null;
    const pv = <T extends Scalar>(id: AwsAttributeId, key: string, want: Want) => cfnProp<T>(ctx, props, id, key, want);
    if (kind === 'load-balancer') {
      const lbType = orDefault(pv<string>('lb.type', 'Type', 'string'), 'lb.type');
      const idle = lv<number>('lb.idle_timeout', 'idle_timeout.timeout_seconds', 'number');
      const lb: AwsLoadBalancer = {
        ...base,
        kind,
        lbType,
        name: pv<string>('lb.name', 'Name', 'string'),
        idleTimeout:
          lbType.known && lbType.value !== 'application' ? null : (idle ?? awsDefaultValue<number>('lb.idle_timeout')),
        listeners: [],
      };
      drafts.push({ resource: lb, tgRefs: [] });
    } else if (kind === 'target-group') {
      const enabled = lv<boolean>('tg.stickiness.enabled', 'stickiness.enabled', 'boolean');
      const firstSticky = [...(list?.entries.entries() ?? [])].find(([k]) => k.startsWith('stickiness.'));
      const tg: AwsTargetGroup = {
        ...base,
        kind,
        name: pv<string>('tg.name', 'Name', 'string'),
        protocol: pv<string>('tg.protocol', 'Protocol', 'string'),
        port: pv<number>('tg.port', 'Port', 'number'),
        targetType: orDefault(pv<string>('tg.target_type', 'TargetType', 'string'), 'tg.target_type'),
        deregistrationDelay: orDefault(
          lv<number>('tg.deregistration_delay', 'deregistration_delay.timeout_seconds', 'number'),
          'tg.deregistration_delay',
        ),
        slowStart: orDefault(lv<number>('tg.slow_start', 'slow_start.duration_seconds', 'number'), 'tg.slow_start'),
        algorithm: orDefault(lv<string>('tg.algorithm', 'load_balancing.algorithm.type', 'string'), 'tg.algorithm'),
        stickiness: {
          written: firstSticky ? { path, span: entrySpan(cfn.text, firstSticky[1].entry) } : null,
          enabled: orDefault(enabled, 'tg.stickiness.enabled'),
          type: lv<string>('tg.stickiness.type', 'stickiness.type', 'string'),
          duration: lv<number>('tg.stickiness.duration', 'stickiness.lb_cookie.duration_seconds', 'number'),
        },
        healthCheck: {
          written: null,
          enabled: pv<boolean>('tg.health_check.enabled', 'HealthCheckEnabled', 'boolean'),
          path: pv<string>('tg.health_check.path', 'HealthCheckPath', 'string'),
          protocol: pv<string>('tg.health_check.protocol', 'HealthCheckProtocol', 'string'),
          interval: pv<number>('tg.health_check.interval', 'HealthCheckIntervalSeconds', 'number'),
          timeout: pv<number>('tg.health_check.timeout', 'HealthCheckTimeoutSeconds', 'number'),
          healthyThreshold: pv<number>('tg.health_check.healthy_threshold', 'HealthyThresholdCount', 'number'),
          unhealthyThreshold: pv<number>('tg.health_check.unhealthy_threshold', 'UnhealthyThresholdCount', 'number'),
          matcher: null,
        },
        websocket: { carries: false, reasons: [] },
        listeners: [],
        rules: [],
        loadBalancers: [],
      };
      const hcKeys = [
        'HealthCheckEnabled',
        'HealthCheckPath',
        'HealthCheckProtocol',
        'HealthCheckIntervalSeconds',
        'HealthCheckTimeoutSeconds',
        'HealthyThresholdCount',
        'UnhealthyThresholdCount',
        'Matcher',
      ];
      const firstHc = hcKeys.map((k) => pairOf(props, k)).find((p) => p);
      if (firstHc) tg.healthCheck.written = { path, span: pairSpan(firstHc) };
      const matcher = valueOf(props, 'Matcher');
      if (matcher) {
        const mp = pairOf(matcher, 'HttpCode') ?? pairOf(matcher, 'GrpcCode');
        if (mp)
          tg.healthCheck.matcher = cfnValue<string>(
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
      }
      drafts.push({ resource: tg, tgRefs: [] });
    } else if (kind === 'listener') {
      const l: AwsListener = {
        ...base,
        kind,
        protocol: pv<string>('listener.protocol', 'Protocol', 'string'),
        port: pv<number>('listener.port', 'Port', 'number'),
        tcpIdleTimeout: lv<number>('listener.tcp_idle_timeout', 'tcp.idle_timeout.seconds', 'number'),
        loadBalancerRef: null,
        loadBalancer: null,
        targetGroupRefs: [],
        rules: [],
      };
      drafts.push({
        resource: l,
        lbRef: cfnRef(ctx, valueOf(props, 'LoadBalancerArn')),
        tgRefs: cfnActionTargets(ctx, valueOf(props, 'DefaultActions')),
      });
    } else {
      const pathPatterns: AwsValue<string>[] = [];
      const conds = valueOf(props, 'Conditions');
      if (isSeq(conds))
        for (const c of conds.items as YamlNode[]) {
          const field = valueOf(c, 'Field');
          if (!isScalar(field) || String(field.value) !== 'path-pattern') continue;
          const valuesPair = pairOf(valueOf(c, 'PathPatternConfig'), 'Values') ?? pairOf(c, 'Values');
          if (!valuesPair || !valuesPair.value) continue;
          const vs = valuesPair.value;
          const wOf = (n: YamlNode): AwsWritten => ({
            path,
            key: 'Values',
            keySpan: nodeSpan(valuesPair.key)!,
            valueSpan: nodeSpanWithTag(n, cfn.text),
            span: pairSpan(valuesPair),
          });
          if (isSeq(vs) && !vs.tag)
            for (const item of vs.items as YamlNode[])
              pathPatterns.push(cfnValue<string>(ctx, 'rule.path_pattern', item, wOf(item), 'string'));
          else pathPatterns.push(unknown('rule.path_pattern', 'the list of values is computed', wOf(vs)));
        }
      const r: AwsListenerRule = {
        ...base,
        kind,
        priority: pv<number>('rule.priority', 'Priority', 'number'),
        pathPatterns,
        listenerRef: null,
        listener: null,
        targetGroupRefs: [],
      };
      drafts.push({
        resource: r,
        listenerRef: cfnRef(ctx, valueOf(props, 'ListenerArn')),
        tgRefs: cfnActionTargets(ctx, valueOf(props, 'Actions')),
      });
    }
  }
}

// ---------------------------------------------------------------- references and WebSocket

/** Split CamelCase and snake_case so "WsTargetGroup" reads as "ws target group". */
function words(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]/g, ' ');
}

function resolve(drafts: Draft[], scopeOf: (d: Draft) => string, keyOf: (r: AwsResource) => string): void {
  const byKey = new Map<string, AwsResource>();
  for (const d of drafts) byKey.set(scopeOf(d) + '\0' + keyOf(d.resource), d.resource);
  const find = <R extends AwsResource>(d: Draft, raw: RawRef | undefined, kind: Kind): AwsReference<R> | null => {
    if (!raw) return null;
    const hit = raw.key ? byKey.get(scopeOf(d) + '\0' + raw.key) : undefined;
    return {
      text: raw.text,
      location: { path: raw.path, span: raw.span },
      target: hit && hit.kind === kind ? (hit as R) : null,
    };
  };
  for (const d of drafts) {
    const r = d.resource;
    if (r.kind === 'listener') {
      r.loadBalancerRef = find<AwsLoadBalancer>(d, d.lbRef, 'load-balancer');
      r.loadBalancer = r.loadBalancerRef?.target ?? null;
      r.loadBalancer?.listeners.push(r);
      r.targetGroupRefs = d.tgRefs.map((t) => find<AwsTargetGroup>(d, t, 'target-group')!);
    } else if (r.kind === 'listener-rule') {
      r.listenerRef = find<AwsListener>(d, d.listenerRef, 'listener');
      r.listener = r.listenerRef?.target ?? null;
      r.listener?.rules.push(r);
      r.targetGroupRefs = d.tgRefs.map((t) => find<AwsTargetGroup>(d, t, 'target-group')!);
    }
  }
  for (const d of drafts) {
    const r = d.resource;
    if (r.kind !== 'listener' && r.kind !== 'listener-rule') continue;
    for (const ref of r.targetGroupRefs) {
      const tg = ref.target;
      if (!tg) continue;
      const lb = r.kind === 'listener' ? r.loadBalancer : (r.listener?.loadBalancer ?? null);
      if (r.kind === 'listener' && !tg.listeners.includes(r)) tg.listeners.push(r);
      if (r.kind === 'listener-rule' && !tg.rules.includes(r)) tg.rules.push(r);
      if (lb && !tg.loadBalancers.includes(lb)) tg.loadBalancers.push(lb);
    }
  }
  // NLB TCP listeners: AWS's default idle timeout applies when the attribute is absent.
  for (const d of drafts) {
    const r = d.resource;
    if (r.kind !== 'listener' || r.tcpIdleTimeout) continue;
    const lbType = r.loadBalancer?.lbType;
    if (lbType?.known && lbType.value === 'network' && r.protocol?.known && r.protocol.value.toUpperCase() === 'TCP') {
      r.tcpIdleTimeout = awsDefaultValue<number>('listener.tcp_idle_timeout');
    }
  }
  for (const d of drafts) {
    const tg = d.resource;
    if (tg.kind !== 'target-group') continue;
    const reasons: string[] = [];
    if (tg.marked) reasons.push('marked with `# wslb: websocket`');
    for (const rule of tg.rules) {
      const ws = rule.pathPatterns.filter((p) => p.known && looksLikeWebSocketPath(p.value.replace(/\*/g, '')));
      if (ws.length)
        reasons.push(
          `listener rule ${rule.logicalName} routes ${ws.map((p) => (p.known ? p.value : '')).join(', ')} here`,
        );
    }
    const says = (n: string) => looksLikeWebSocketName(n) || looksLikeWebSocketName(words(n));
    if (tg.name?.known && says(tg.name.value)) reasons.push(`its name ${JSON.stringify(tg.name.value)} says WebSocket`);
    const ownName = tg.logicalName.includes('.') ? tg.logicalName.split('.').slice(1).join('.') : tg.logicalName;
    if (says(ownName)) reasons.push(`its resource name ${ownName} says WebSocket`);
    tg.websocket = { carries: reasons.length > 0, reasons };
  }
}

// ---------------------------------------------------------------- entry point

export interface AwsInputFile {
  path: string;
  text: string;
}

/**
 * Build the model of the given files. Terraform files (`.tf`) are grouped by directory into modules;
 * other files are CloudFormation templates. Files that declare none of the resources still count for
 * Terraform variables. Requires `initAwsParsers()` to have completed (for Terraform).
 */
export function buildAwsConfig(input: AwsInputFile[]): AwsConfig {
  const files: AwsSourceFile[] = [];
  const diagnostics: AwsDiagnostic[] = [];
  const drafts: Draft[] = [];
  const scope = new Map<Draft, string>();
  const modules = new Map<string, TfModule>();
  for (const f of input) {
    const isTf = f.path.toLowerCase().endsWith('.tf');
    if (isTf) {
      const hcl = parseHcl(f.text);
      files.push({ path: f.path, text: f.text, format: 'terraform' });
      for (const d of hcl.diagnostics) diagnostics.push({ ...d, path: f.path, code: 'aws/syntax' });
      const dir = dirname(f.path);
      let mod = modules.get(dir);
      if (!mod) modules.set(dir, (mod = { dir, files: [], variables: new Map() }));
      mod.files.push({ path: f.path, hcl });
      for (const b of hcl.blocks) {
        if (b.type !== 'variable' || !b.labels[0]) continue;
        const def = attr(b, 'default');
        mod.variables.set(b.labels[0].value, { name: b.labels[0].value, path: f.path, value: def ? def.value : null });
      }
    } else {
      const json = /^\s*[{[]/.test(f.text);
      const cfn = parseCfn(f.text, json);
      files.push({ path: f.path, text: f.text, format: json ? 'cloudformation-json' : 'cloudformation-yaml' });
      for (const d of cfn.diagnostics) diagnostics.push({ ...d, path: f.path, code: 'aws/syntax' });
      const before = drafts.length;
      buildCloudFormation(f.path, cfn, drafts);
      for (const d of drafts.slice(before)) scope.set(d, 'cfn:' + f.path);
    }
  }
  for (const mod of modules.values()) {
    const before = drafts.length;
    buildTerraformModule(mod, drafts);
    for (const d of drafts.slice(before)) scope.set(d, 'tf:' + mod.dir);
  }
  resolve(
    drafts,
    (d) => scope.get(d) ?? '',
    (r) =>
      r.format === 'terraform'
        ? `${canonicalTfType(r.type)}.${r.logicalName.split('.').slice(1).join('.')}`
        : r.logicalName,
  );
  const byKind = <K extends Kind>(k: K) =>
    drafts.map((d) => d.resource).filter((r): r is Extract<AwsResource, { kind: K }> => r.kind === k);
  return {
    files,
    loadBalancers: byKind('load-balancer'),
    targetGroups: byKind('target-group'),
    listeners: byKind('listener'),
    listenerRules: byKind('listener-rule'),
    diagnostics,
  };
}
