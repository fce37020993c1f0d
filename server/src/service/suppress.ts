/**
 * Suppression comments, honoured by the server and the CLI alike:
 *   # wslb-disable-next-line <rule-id>[, <rule-id>...] -- <reason>
 *   # wslb-disable-line <rule-id> -- <reason>          (at the end of the offending line)
 *   # wslb-disable-file <rule-id>[, ...] -- <reason>
 * With no rule id the comment silences every rule. The reason is for humans and is kept.
 * The same `#` comments work in Terraform (HCL) and CloudFormation YAML; JSON has no comments,
 * so JSON templates can only turn a rule off through settings (`--rule id=off`, `wslb.rules`).
 */
import { LineIndex } from './text';
import type { Finding } from './types';

const DIRECTIVE = /#\s*wslb-disable-(next-line|line|file)\b([^\n\r]*)/g;

export interface Suppressions {
  file: Set<string> | 'all' | null;
  /** 0-based line → rule ids (or 'all') silenced on that line. */
  lines: Map<number, Set<string> | 'all'>;
}

function parseIds(rest: string): Set<string> | 'all' {
  const idsPart = rest.split(/\s--\s|\s--$/)[0];
  const ids = idsPart.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean);
  return ids.length ? new Set(ids) : 'all';
}

function merge(a: Set<string> | 'all' | null | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}

export function parseSuppressions(text: string, lineIndex?: LineIndex): Suppressions {
  const result: Suppressions = { file: null, lines: new Map() };
  if (!text.includes('wslb-disable')) return result;
  // built only when there is a directive: indexing a large file costs more than the search
  const index = lineIndex ?? new LineIndex(text);
  for (const m of text.matchAll(DIRECTIVE)) {
    const ids = parseIds(m[2]);
    const line = index.positionAt(m.index ?? 0).line;
    if (m[1] === 'file') result.file = merge(result.file, ids);
    else if (m[1] === 'line') result.lines.set(line, merge(result.lines.get(line), ids));
    else result.lines.set(line + 1, merge(result.lines.get(line + 1), ids));
  }
  return result;
}

function silences(set: Set<string> | 'all' | null | undefined, code: string): boolean {
  if (!set) return false;
  return set === 'all' || set.has(code);
}

/** Drop findings silenced by comments in their own file. Syntax errors are never silenced. */
export function applySuppressions(findings: Finding[], textOf: (file: string) => string | undefined): Finding[] {
  const cache = new Map<string, Suppressions>();
  return findings.filter((f) => {
    if (f.code.endsWith('/syntax')) return true;
    let sup = cache.get(f.file);
    if (!sup) {
      const text = textOf(f.file);
      sup = text === undefined ? { file: null, lines: new Map() } : parseSuppressions(text);
      cache.set(f.file, sup);
    }
    if (silences(sup.file, f.code)) return false;
    return !silences(sup.lines.get(f.range.start.line), f.code);
  });
}
