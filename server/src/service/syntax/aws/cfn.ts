/**
 * CloudFormation templates (YAML or JSON) through the `yaml` package's document API, which keeps
 * the range of every node. CloudFormation's short-form intrinsic functions (`!Ref`, `!GetAtt`,
 * `!Sub`...) are accepted as tags on scalars and sequences (and maps); their values are not
 * evaluated here.
 *
 * The package is loaded on first use: a run that reads no YAML or JSON template does not pay for it.
 */
import type { Document, Node as YamlNode, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';

/** CloudFormation's intrinsic function short forms (AWS CloudFormation User Guide, "Intrinsic function reference"). */
export const CFN_TAGS = [
  '!Ref',
  '!GetAtt',
  '!Sub',
  '!Join',
  '!If',
  '!Select',
  '!FindInMap',
  '!ImportValue',
  '!Base64',
  '!Cidr',
  '!GetAZs',
  '!Split',
  '!Equals',
  '!And',
  '!Or',
  '!Not',
  '!Condition',
  '!Transform',
  '!Length',
  '!ToJsonString',
] as const;

type YamlLib = typeof import('yaml');
let lib: { yaml: YamlLib; customTags: unknown[] } | undefined;

function yaml(): { yaml: YamlLib; customTags: unknown[] } {
  if (!lib) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const y = require('yaml') as YamlLib;
    const customTags = CFN_TAGS.flatMap((tag) => [
      { tag, resolve: (s: string) => s },
      { tag, collection: 'seq' as const, nodeClass: y.YAMLSeq, resolve: (s: unknown) => s },
      { tag, collection: 'map' as const, nodeClass: y.YAMLMap, resolve: (s: unknown) => s },
    ]);
    lib = { yaml: y, customTags };
  }
  return lib;
}

export function isMap(n: unknown): n is YAMLMap {
  return yaml().yaml.isMap(n);
}

export function isSeq(n: unknown): n is YAMLSeq {
  return yaml().yaml.isSeq(n);
}

export function isScalar(n: unknown): n is Scalar {
  return yaml().yaml.isScalar(n);
}

export interface CfnFile {
  text: string;
  json: boolean;
  doc: Document.Parsed;
  diagnostics: SyntaxDiagnostic[];
}

export function parseCfn(text: string, json: boolean): CfnFile {
  const diagnostics: SyntaxDiagnostic[] = [];
  const { yaml: y, customTags } = yaml();
  const doc = y.parseDocument(text, {
    customTags: customTags as never,
    prettyErrors: false,
    uniqueKeys: false,
    strict: false,
  });
  for (const e of doc.errors) {
    const [start, end] = e.pos;
    diagnostics.push({
      start,
      end: Math.max(start, end),
      code: e.code.toLowerCase(),
      message: `${json ? 'JSON' : 'YAML'} syntax error: ${e.message.split('\n')[0]}`,
      severity: 'error',
    });
  }
  return { text, json, doc, diagnostics };
}

/** [start, end) of a node's value (the tag, if any, is not included; see `nodeSpanWithTag`). */
export function nodeSpan(n: YamlNode | null | undefined): Span | undefined {
  if (!n || !n.range) return undefined;
  return { start: n.range[0], end: n.range[1] };
}

/** The node's span including a leading `!Tag` written before it. */
export function nodeSpanWithTag(n: YamlNode, text: string): Span {
  const s = nodeSpan(n)!;
  if (!n.tag) return s;
  const before = text.slice(Math.max(0, s.start - 200), s.start);
  const m = /!([A-Za-z:]+)[ \t]*$/.exec(before);
  return m ? { start: s.start - m[0].length, end: s.end } : s;
}

/** A map's pair by key name (first match). */
export function pairOf(map: unknown, key: string): Pair<YamlNode, YamlNode | null> | undefined {
  if (!isMap(map)) return undefined;
  return (map.items as Pair<YamlNode, YamlNode | null>[]).find((p) => isScalar(p.key) && String(p.key.value) === key);
}

export function valueOf(map: unknown, key: string): YamlNode | null | undefined {
  return pairOf(map, key)?.value;
}

export function pairSpan(p: Pair<YamlNode, YamlNode | null>): Span {
  const k = nodeSpan(p.key)!;
  const v = p.value ? nodeSpan(p.value) : undefined;
  return { start: k.start, end: v ? v.end : k.end };
}
