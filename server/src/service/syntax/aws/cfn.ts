/**
 * CloudFormation templates (YAML or JSON) through the `yaml` package's document API, which keeps
 * the range of every node. CloudFormation's short-form intrinsic functions (`!Ref`, `!GetAtt`,
 * `!Sub`...) are accepted as tags on scalars and sequences (and maps); their values are not
 * evaluated here.
 */
import {
  isMap,
  isScalar,
  isSeq,
  parseDocument,
  YAMLMap,
  YAMLSeq,
  type Document,
  type Node as YamlNode,
  type Pair,
} from 'yaml';
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

const customTags = CFN_TAGS.flatMap((tag) => [
  { tag, resolve: (s: string) => s },
  { tag, collection: 'seq' as const, nodeClass: YAMLSeq, resolve: (s: unknown) => s },
  { tag, collection: 'map' as const, nodeClass: YAMLMap, resolve: (s: unknown) => s },
]);

export interface CfnFile {
  text: string;
  json: boolean;
  doc: Document.Parsed;
  diagnostics: SyntaxDiagnostic[];
}

export function parseCfn(text: string, json: boolean): CfnFile {
  const diagnostics: SyntaxDiagnostic[] = [];
  const doc = parseDocument(text, {
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

export { isMap, isScalar, isSeq };
