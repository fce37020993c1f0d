/**
 * What every hover shares: its input and result, the separator between its parts, command links
 * (simulator, rule page), and the findings under the cursor, one line each.
 */
import type { NginxConfig } from '../../model/nginx';
import type { HaproxyConfig } from '../../model/haproxy';
import type { AwsConfig } from '../../model/aws';
import type { ServiceOptions } from '../../options';
import { LineIndex, type Position, type Span } from '../../text';
import type { Finding } from '../../types';
import { ruleExplanationMarkdown } from '../../docs/explain';

export interface HoverInput {
  language: 'nginx' | 'haproxy' | 'aws';
  /** The document's path (model paths are absolute "/"-separated). */
  path: string;
  /** Cursor offset in that document's text. */
  offset: number;
  /** The analysed config containing the document (its root may be another file that includes it). */
  nginx?: NginxConfig;
  haproxy?: HaproxyConfig;
  /** AWS: the model of the Terraform module / CloudFormation template (aws.ts). */
  aws?: AwsConfig;
  /** The findings of that analysis, to explain the rules whose ranges cover the cursor. */
  findings: Finding[];
  options: ServiceOptions;
  /** The document's URI for command links; default: a file URI built from `path`. */
  uri?: string;
}

export interface HoverResult {
  markdown: string;
  span: Span;
}

/** The simulator command the extension registers (see server/src/lsp/protocol.ts). */
export const SIMULATE_COMMAND_ID = 'wslb.simulate';

export const RULE = '\n\n---\n\n';

export function fileUri(path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return 'file://' + p.split('/').map(encodeURIComponent).join('/');
}

export function simulateLink(uri: string, pool: string): string {
  return `[Simulate balancing](command:${SIMULATE_COMMAND_ID}?${encodeURIComponent(JSON.stringify([{ uri, pool }]))})`;
}

/** The command the extension registers to show a rule's page (server/src/lsp/protocol.ts EXPLAIN_COMMAND). */
export const EXPLAIN_COMMAND_ID = 'wslb.explainRule';

export function explainLink(code: string, label = 'Explain rule'): string {
  return `[${label}](command:${EXPLAIN_COMMAND_ID}?${encodeURIComponent(JSON.stringify([code]))})`;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function positionIn(range: { start: Position; end: Position }, pos: Position): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(range.start, pos) && before(pos, range.end);
}

const SEVERITY_LABEL: Record<Finding['severity'], string> = {
  error: 'Error',
  warning: 'Warning',
  information: 'Note',
  hint: 'Hint',
};

/**
 * The findings of `path` whose range holds the cursor, one line each (one per rule): what is
 * wrong and a link to the rule's page. The long explanation is that click away.
 */
export function findingParts(input: HoverInput, pos: Position): { parts: string[] } {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const f of input.findings) {
    if (f.file !== input.path || !positionIn(f.range, pos) || seen.has(f.code)) continue;
    seen.add(f.code);
    const explain = ruleExplanationMarkdown(f.code) ? ` ${explainLink(f.code)}` : '';
    lines.push(`**${SEVERITY_LABEL[f.severity]}** \`${f.code}\`: ${f.message}${explain}`);
  }
  return { parts: lines.length ? [lines.join('\n\n')] : [] };
}

/** "30 s", "1.5 s", "250 ms": a compact duration for comparisons. */
export function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(3))} s`;
}

/** Rule explanations of the findings under the cursor in an AWS file, and the first one's span. */
export function explainFindingsAt(input: HoverInput): { parts: string[]; span?: Span } {
  const text = input.aws?.files.find((f) => f.path === input.path)?.text;
  if (text === undefined) return { parts: [] };
  const idx = new LineIndex(text);
  const pos = idx.positionAt(input.offset);
  const { parts } = findingParts(input, pos);
  const first = input.findings.find((f) => f.file === input.path && positionIn(f.range, pos));
  return {
    parts,
    span: first ? { start: idx.offsetAt(first.range.start), end: idx.offsetAt(first.range.end) } : undefined,
  };
}

export function codeBlock(text: string, lang = ''): string {
  const fence = text.includes('```') ? '~~~' : '```';
  return `${fence}${lang}\n${text}\n${fence}`;
}

export function linksLine(links: (string | undefined)[]): string | undefined {
  const l = links.filter((x): x is string => !!x);
  return l.length ? l.join(' · ') : undefined;
}
