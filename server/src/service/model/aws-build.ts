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
  AwsConfig,
  AwsDiagnostic,
  AwsFormat,
  AwsListener,
  AwsLoadBalancer,
  AwsReference,
  AwsResource,
  AwsSourceFile,
  AwsTargetGroup,
} from './aws';
import { parseHcl } from '../syntax/aws/hcl';
import { parseCfn } from '../syntax/aws/cfn';
import { looksLikeWebSocketName, looksLikeWebSocketPath } from './websocket';
import { awsDefaultValue, type Draft, type Kind, type RawRef } from './aws-draft';
import { buildCloudFormation } from './aws-cloudformation';
import { attr, buildTerraformModule, canonicalTfType, type TfModule } from './aws-terraform';

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
