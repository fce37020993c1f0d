/**
 * Hover content for AWS load balancers declared in Terraform or CloudFormation: on an attribute,
 * AWS's default and allowed range, what it means for WebSockets, the value this config ends up
 * with (literal, variable/parameter default, AWS default or unknown) compared with the heartbeat,
 * the AWS documentation page and the source-material section; on a resource name, a summary
 * (and for a target group, the simulator link). The facts come from ONE table, knowledge/aws.ts.
 *
 * Pure: no LSP types.
 */
import type { AwsConfig, AwsListener, AwsLoadBalancer, AwsResource, AwsTargetGroup, AwsValue } from '../../model/aws';
import { awsResources } from '../../model/aws';
import { awsDefaultText, awsFact, awsRangeText, type AwsAttributeFact, AWS_DOC_PAGES } from '../../knowledge/aws';
import { awsTargetGroupPool } from '../aws-pools';
import { AWS_MODEL_LABEL } from '../../simulate/aws';
import { LineIndex, type Span } from '../../text';
import { sourcePointer } from '../../docs/sections';
import { explainFindingsAt, fileUri, RULE, simulateLink, type HoverInput, type HoverResult } from './common';
import { heartbeatText } from './heartbeat';
import { whereLine } from '../../describe/where';

function within(span: Span | undefined, offset: number): boolean {
  return !!span && span.start <= offset && offset <= span.end;
}

/** Every attribute value a resource carries (known or unknown), for finding the one under the cursor. */
function valuesOf(r: AwsResource): AwsValue<unknown>[] {
  const out: (AwsValue<unknown> | null | undefined)[] = [];
  switch (r.kind) {
    case 'load-balancer':
      out.push(r.lbType, r.name, r.idleTimeout);
      break;
    case 'target-group':
      out.push(r.name, r.protocol, r.port, r.targetType, r.deregistrationDelay, r.slowStart, r.algorithm);
      out.push(r.stickiness.enabled, r.stickiness.type, r.stickiness.duration);
      out.push(
        ...Object.values(r.healthCheck).filter(
          (v): v is AwsValue<unknown> => !!v && typeof v === 'object' && 'known' in v,
        ),
      );
      break;
    case 'listener':
      out.push(r.protocol, r.port, r.tcpIdleTimeout);
      break;
    case 'listener-rule':
      out.push(r.priority, ...r.pathPatterns);
      break;
  }
  return out.filter((v): v is AwsValue<unknown> => !!v);
}

function lineOf(config: AwsConfig, path: string, offset: number): number {
  const f = config.files.find((x) => x.path === path);
  return f ? new LineIndex(f.text).positionAt(offset).line + 1 : 0;
}

function where(config: AwsConfig, path: string, offset: number, herePath: string): string {
  return whereLine(path, lineOf(config, path, offset), herePath);
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** "`120` — from the default of `var.delay` (variables.tf:3)". */
function origin(config: AwsConfig, v: AwsValue<unknown>, herePath: string): string {
  if (!v.known) return `unknown — ${v.reason}; wslb does not guess it, and no rule judges it`;
  const val = `\`${show(v.value)}\``;
  if (v.origin === 'aws-default') return `${val} — not written, AWS's default`;
  if (v.origin === 'variable-default' && v.variable)
    return `${val} — the default of \`${v.variable.name}\` (${where(config, v.variable.path, v.variable.span.start, herePath)})`;
  return `${val} — written here`;
}

/** Is a known numeric value outside the documented range? (slow start also allows 0 = off). */
function outOfRange(f: AwsAttributeFact, n: number): boolean {
  if (!f.range) return false;
  if (f.id === 'tg.slow_start' && n === 0) return false;
  return n < f.range.min || n > f.range.max;
}

/** What the value means here, in one or two sentences (heartbeat comparison for idle limits). */
function meaning(f: AwsAttributeFact, v: AwsValue<unknown>, input: HoverInput): string[] {
  if (!v.known) return [];
  const out: string[] = [];
  const n =
    typeof v.value === 'number'
      ? v.value
      : typeof v.value === 'string' && /^\d+$/.test(v.value)
        ? Number(v.value)
        : undefined;
  if (n !== undefined && outOfRange(f, n))
    out.push(`⚠️ ${n} is outside the allowed range (${awsRangeText(f)}); AWS rejects it.`);
  if (f.values && f.range === undefined && typeof v.value === 'string' && !f.values.includes(v.value))
    out.push(`⚠️ \`${v.value}\` is not one of ${awsRangeText(f)}.`);
  if (n === undefined) return out;
  if (f.idleLimit)
    out.push(`Against the ${n === 0 ? '' : ''}heartbeat: ${heartbeatText(n * 1000, input.options.heartbeatMs)}.`);
  if (f.id === 'tg.deregistration_delay') {
    out.push(
      n === 0
        ? 'With 0, a deregistered target is dropped at once: every WebSocket on it ends without a close frame at each deploy or scale-in.'
        : `After a deregistration, open WebSockets on the target get ${n} s (${(n / 60).toFixed(n % 60 ? 1 : 0)} min) before the target is released; any connection living longer is cut then unless the application closes it first.`,
    );
  }
  if (f.id === 'tg.slow_start')
    out.push(
      n === 0
        ? 'Slow start is off: a target that becomes healthy takes its full share of new connections at once.'
        : `A target that becomes healthy reaches its full share of new connections after ${n} s.`,
    );
  return out;
}

function attributeMarkdown(
  config: AwsConfig,
  r: AwsResource,
  v: AwsValue<unknown>,
  input: HoverInput,
): string | undefined {
  const f = awsFact(v.id);
  if (!f) return undefined;
  const key = v.written?.key ?? f.terraform?.key ?? v.id;
  const parts: string[] = [];
  parts.push(`### \`${key}\` — ${f.title}`);
  const range = awsRangeText(f);
  parts.push(`**AWS default:** ${awsDefaultText(f)}${range ? ` · **Allowed:** ${range}` : ''}`);
  parts.push(`**WebSocket:** ${f.websocket}`);
  if (f.note) parts.push(`> ${f.note}`);
  const here = [`**In \`${r.logicalName}\`:** ${origin(config, v, input.path)}.`, ...meaning(f, v, input)];
  if (r.kind === 'target-group' && (f.id === 'tg.slow_start' || f.id === 'tg.algorithm')) {
    const alg = r.algorithm.known ? r.algorithm.value : undefined;
    const slow = r.slowStart.known ? r.slowStart.value : undefined;
    if (alg === 'least_outstanding_requests' && slow !== undefined && slow > 0)
      here.push('⚠️ AWS does not allow slow start together with `least_outstanding_requests`.');
  }
  parts.push(here.join(' '));
  parts.push(`[AWS documentation](${f.doc})`);
  parts.push(sourcePointer(f.section));
  return parts.join('\n\n');
}

function valueLine(
  config: AwsConfig,
  label: string,
  v: AwsValue<unknown> | null | undefined,
  herePath: string,
): string | undefined {
  if (!v) return undefined;
  return `- ${label}: ${origin(config, v, herePath)}`;
}

function targetGroupSummary(config: AwsConfig, tg: AwsTargetGroup, input: HoverInput): string {
  const info = awsTargetGroupPool(tg);
  const lines: string[] = [
    `**Target group \`${info.pool.name}\`** (\`${tg.logicalName}\`, ${where(config, tg.path, tg.span.start, input.path)})`,
  ];
  lines.push(
    tg.websocket.carries
      ? `Carries WebSocket: ${tg.websocket.reasons.join('; ')}.`
      : 'Nothing marks it as carrying WebSocket (no WebSocket-looking path, name or `# wslb: websocket` comment).',
  );
  const rows = [
    valueLine(config, '`deregistration_delay`', tg.deregistrationDelay, input.path),
    valueLine(config, '`slow_start`', tg.slowStart, input.path),
    valueLine(config, 'routing algorithm', tg.algorithm, input.path),
    valueLine(config, 'stickiness', tg.stickiness.enabled, input.path),
  ].filter((x): x is string => !!x);
  lines.push(rows.join('\n'));
  const via = [
    ...tg.listeners.map((l) => `listener \`${l.logicalName}\``),
    ...tg.rules.map((r) => `rule \`${r.logicalName}\``),
  ];
  if (via.length)
    lines.push(
      `Reached through ${via.join(', ')}${tg.loadBalancers.length ? ` of ${tg.loadBalancers.map((lb) => `\`${lb.logicalName}\``).join(', ')}` : ''}.`,
    );
  lines.push(`${simulateLink(input.uri ?? fileUri(tg.path), info.pool.name)} — ${AWS_MODEL_LABEL}.`);
  return lines.join('\n\n');
}

function loadBalancerSummary(config: AwsConfig, lb: AwsLoadBalancer, input: HoverInput): string {
  const type = lb.lbType.known ? lb.lbType.value : undefined;
  const lines: string[] = [
    `**Load balancer \`${lb.logicalName}\`** (${type ?? 'type unknown'}, ${where(config, lb.path, lb.span.start, input.path)})`,
  ];
  const rows: string[] = [];
  if (lb.idleTimeout) {
    rows.push(valueLine(config, '`idle_timeout`', lb.idleTimeout, input.path)!);
    if (lb.idleTimeout.known) rows.push(`  - ${heartbeatText(lb.idleTimeout.value * 1000, input.options.heartbeatMs)}`);
  }
  for (const l of lb.listeners) rows.push(listenerLine(config, l, input));
  if (rows.length) lines.push(rows.join('\n'));
  lines.push(
    `[AWS documentation](${type === 'network' ? AWS_DOC_PAGES.nlbIdleTimeout : AWS_DOC_PAGES.albIdleTimeout})`,
  );
  return lines.join('\n\n');
}

function listenerLine(config: AwsConfig, l: AwsListener, input: HoverInput): string {
  const proto = l.protocol?.known ? l.protocol.value : '?';
  const port = l.port?.known ? String(l.port.value) : '?';
  let s = `- listener \`${l.logicalName}\` ${proto}:${port}`;
  if (l.tcpIdleTimeout) {
    s += ` — TCP idle timeout ${origin(config, l.tcpIdleTimeout, input.path)}`;
    if (l.tcpIdleTimeout.known) s += `; ${heartbeatText(l.tcpIdleTimeout.value * 1000, input.options.heartbeatMs)}`;
  }
  return s;
}

function resourceSummary(config: AwsConfig, r: AwsResource, input: HoverInput): string | undefined {
  if (r.kind === 'target-group') return targetGroupSummary(config, r, input);
  if (r.kind === 'load-balancer') return loadBalancerSummary(config, r, input);
  if (r.kind === 'listener') {
    const tgs = r.targetGroupRefs.map((x) =>
      x.target ? `\`${x.target.logicalName}\`` : `\`${x.text}\` (not in the analysed files)`,
    );
    return [
      `**Listener \`${r.logicalName}\`**`,
      listenerLine(config, r, input),
      tgs.length ? `Forwards to ${tgs.join(', ')}.` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
  }
  const paths = r.pathPatterns.map((p) => (p.known ? `\`${p.value}\`` : 'unknown')).join(', ');
  const tgs = r.targetGroupRefs.map((x) => `\`${x.target?.logicalName ?? x.text}\``).join(', ');
  return `**Listener rule \`${r.logicalName}\`**${paths ? ` — path patterns ${paths}` : ''}${tgs ? `, forwards to ${tgs}` : ''}.`;
}

export function awsHover(input: HoverInput): HoverResult | null {
  const config = input.aws;
  if (!config) return null;
  const offset = input.offset;
  const findings = explainFindingsAt(input);
  const resources = awsResources(config).filter((r) => r.path === input.path && within(r.span, offset));
  // innermost resource (they do not nest, but be safe)
  const r = resources.sort((a, b) => b.span.start - a.span.start)[0];
  let parts: string[] = [];
  let span: Span | undefined;
  if (r) {
    const hit = valuesOf(r)
      .filter((v) => v.written && v.written.path === input.path && within(v.written.span, offset))
      .sort((a, b) => a.written!.span.end - a.written!.span.start - (b.written!.span.end - b.written!.span.start))[0];
    if (hit) {
      const md = attributeMarkdown(config, r, hit, input);
      if (md) {
        parts.push(md);
        span = hit.written!.span;
      }
    } else if (within(r.nameSpan, offset)) {
      const md = resourceSummary(config, r, input);
      if (md) {
        parts.push(md);
        span = r.nameSpan;
      }
    }
  }
  parts = [...findings.parts, ...parts];
  if (parts.length === 0) return null;
  return { markdown: parts.join(RULE), span: span ?? findings.span ?? { start: offset, end: offset } };
}
