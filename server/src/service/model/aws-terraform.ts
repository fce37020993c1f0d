/**
 * The Terraform reader of the AWS model: the `aws_lb*` resources of one module (the `.tf` files of
 * a directory), with `var.x` resolved to the default of `variable "x"` in that module.
 */
import type {
  AwsAttributeId,
  AwsHealthCheck,
  AwsInsertAnchor,
  AwsResource,
  AwsStickiness,
  AwsValue,
  AwsWritten,
} from './aws';
import { type HclAttribute, type HclBlock, type HclExpr, type HclFile } from '../syntax/aws/hcl';
import {
  awsDefaultValue,
  coerce,
  hasMarker,
  known,
  listenerDraft,
  listenerRuleDraft,
  loadBalancerDraft,
  markerComments,
  targetGroupDraft,
  tfBlockDefaultValue,
  unknown,
  type Draft,
  type DraftBase,
  type Kind,
  type RawRef,
  type Scalar,
  type Want,
} from './aws-draft';

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
export const canonicalTfType = (t: string) => t.replace(/^aws_alb/, 'aws_lb');

// ---------------------------------------------------------------- Terraform

export interface TfVariable {
  name: string;
  path: string;
  value: HclExpr | null;
}

export interface TfModule {
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

export function attr(b: HclBlock, name: string): HclAttribute | undefined {
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

/** Where a resource block is and how to insert into it (and into its first nested block of each type). */
function tfAnchor(text: string, b: HclBlock): AwsInsertAnchor {
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
  return {
    format: 'terraform',
    bodyStart: b.bodyStart,
    bodyEnd: b.bodyEnd,
    indent,
    attributeIndent,
    lastAttributeEnd,
    blocks,
  };
}

/** Reads an attribute of the resource block (or of a nested block); null when not written. */
type TfRead = <T extends Scalar>(id: AwsAttributeId, name: string, want: Want, blk?: HclBlock) => AwsValue<T> | null;

function tfStickiness(path: string, b: HclBlock, v: TfRead): AwsStickiness {
  const st = b.blocks.find((x) => x.type === 'stickiness');
  if (st)
    return {
      written: { path, span: st.span },
      // The Terraform provider defaults `enabled` to true inside a stickiness block.
      enabled:
        v<boolean>('tg.stickiness.enabled', 'enabled', 'boolean', st) ??
        tfBlockDefaultValue<boolean>('tg.stickiness.enabled'),
      type: v<string>('tg.stickiness.type', 'type', 'string', st),
      duration: v<number>('tg.stickiness.duration', 'cookie_duration', 'number', st),
    };
  const dynSt = b.blocks.find((x) => x.type === 'dynamic' && x.labels[0]?.value === 'stickiness');
  if (dynSt) {
    const w: AwsWritten = { path, key: 'stickiness', keySpan: dynSt.typeSpan, valueSpan: dynSt.span, span: dynSt.span };
    return {
      written: { path, span: dynSt.span },
      enabled: unknown('tg.stickiness.enabled', 'set by a dynamic block', w),
      type: null,
      duration: null,
    };
  }
  return { written: null, enabled: awsDefaultValue<boolean>('tg.stickiness.enabled'), type: null, duration: null };
}

function tfHealthCheck(path: string, b: HclBlock, v: TfRead): AwsHealthCheck {
  const hc = b.blocks.find((x) => x.type === 'health_check');
  const read = <T extends Scalar>(id: AwsAttributeId, name: string, want: Want) =>
    hc ? v<T>(id, name, want, hc) : null;
  return {
    written: hc ? { path, span: hc.span } : null,
    enabled: read<boolean>('tg.health_check.enabled', 'enabled', 'boolean'),
    path: read<string>('tg.health_check.path', 'path', 'string'),
    protocol: read<string>('tg.health_check.protocol', 'protocol', 'string'),
    interval: read<number>('tg.health_check.interval', 'interval', 'number'),
    timeout: read<number>('tg.health_check.timeout', 'timeout', 'number'),
    healthyThreshold: read<number>('tg.health_check.healthy_threshold', 'healthy_threshold', 'number'),
    unhealthyThreshold: read<number>('tg.health_check.unhealthy_threshold', 'unhealthy_threshold', 'number'),
    matcher: read<string>('tg.health_check.matcher', 'matcher', 'string'),
  };
}

/** The `path_pattern` values of a listener rule's conditions. */
function tfPathPatterns(path: string, b: HclBlock): AwsValue<string>[] {
  const pathPatterns: AwsValue<string>[] = [];
  for (const cond of b.blocks.filter((x) => x.type === 'condition')) {
    for (const pp of cond.blocks.filter((x) => x.type === 'path_pattern')) {
      const a = attr(pp, 'values');
      if (!a) continue;
      if (a.value.kind !== 'tuple') {
        pathPatterns.push(unknown('rule.path_pattern', 'the list of values is computed', tfWritten(path, a)));
        continue;
      }
      for (const item of a.value.items) {
        const w: AwsWritten = { path, key: 'values', keySpan: a.nameSpan, valueSpan: item.span, span: a.span };
        const s = hclScalar(item);
        if (typeof s === 'string') pathPatterns.push(known('rule.path_pattern', s, 'literal', w));
        else
          pathPatterns.push(
            unknown('rule.path_pattern', `computed by \`${'text' in item ? item.text : item.kind}\``, w),
          );
      }
    }
  }
  return pathPatterns;
}

/**
 * The draft of one `aws_lb*` resource block. The same fields as cfnDraft() (aws-cloudformation.ts)
 * reads, under Terraform's names; the builders are shared (aws-draft.ts).
 */
function tfDraft(mod: TfModule, path: string, kind: Kind, b: HclBlock, base: DraftBase): Draft {
  const v: TfRead = <T extends Scalar>(id: AwsAttributeId, name: string, want: Want, blk: HclBlock = b) => {
    const a = attr(blk, name);
    return a ? tfValue<T>(mod, path, id, a, want) : null;
  };
  switch (kind) {
    case 'load-balancer':
      return loadBalancerDraft(base, {
        lbType: v<string>('lb.type', 'load_balancer_type', 'string'),
        name: v<string>('lb.name', 'name', 'string'),
        idleTimeout: v<number>('lb.idle_timeout', 'idle_timeout', 'number'),
      });
    case 'target-group':
      return targetGroupDraft(base, {
        name: v<string>('tg.name', 'name', 'string'),
        protocol: v<string>('tg.protocol', 'protocol', 'string'),
        port: v<number>('tg.port', 'port', 'number'),
        targetType: v<string>('tg.target_type', 'target_type', 'string'),
        deregistrationDelay: v<number>('tg.deregistration_delay', 'deregistration_delay', 'number'),
        slowStart: v<number>('tg.slow_start', 'slow_start', 'number'),
        algorithm: v<string>('tg.algorithm', 'load_balancing_algorithm_type', 'string'),
        stickiness: tfStickiness(path, b, v),
        healthCheck: tfHealthCheck(path, b, v),
      });
    case 'listener':
      return listenerDraft(
        base,
        {
          protocol: v<string>('listener.protocol', 'protocol', 'string'),
          port: v<number>('listener.port', 'port', 'number'),
          tcpIdleTimeout: v<number>('listener.tcp_idle_timeout', 'tcp_idle_timeout_seconds', 'number'),
        },
        tfRef(path, attr(b, 'load_balancer_arn'), mod),
        tfActionTargets(
          path,
          b.blocks.filter((x) => x.type === 'default_action'),
          mod,
        ),
      );
    case 'listener-rule':
      return listenerRuleDraft(
        base,
        v<number>('rule.priority', 'priority', 'number'),
        tfPathPatterns(path, b),
        tfRef(path, attr(b, 'listener_arn'), mod),
        tfActionTargets(
          path,
          b.blocks.filter((x) => x.type === 'action'),
          mod,
        ),
      );
  }
}

export function buildTerraformModule(mod: TfModule, drafts: Draft[]): void {
  for (const { path, hcl } of mod.files) {
    const markers = markerComments(hcl.comments);
    for (const b of hcl.blocks) {
      if (b.type !== 'resource' || b.labels.length < 2) continue;
      const kind = TF_TYPES[b.labels[0].value];
      if (!kind) continue;
      const base: DraftBase = {
        path,
        format: 'terraform' as const,
        logicalName: `${b.labels[0].value}.${b.labels[1].value}`,
        type: b.labels[0].value,
        span: b.span,
        nameSpan: b.labels[1].span,
        marked: hasMarker(markers, hcl.text, b.span),
        anchor: tfAnchor(hcl.text, b),
      };
      drafts.push(tfDraft(mod, path, kind, b, base));
    }
  }
}
