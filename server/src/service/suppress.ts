/**
 * Suppression comments, honoured by the server and the CLI alike:
 *   # wslb-disable-next-line <rule-id>[, <rule-id>...] -- <reason>
 *   # wslb-disable-line <rule-id> -- <reason>          (at the end of the offending line)
 *   # wslb-disable-file <rule-id>[, ...] -- <reason>
 * With no rule id the comment silences every rule. The reason is for humans and is kept.
 * The same `#` comments work in Terraform (HCL) and CloudFormation YAML; JSON has no comments,
 * so JSON templates can only turn a rule off through settings (`--rule id=off`, `wslb.rules`).
 * Terraform also has `//` line comments and `/* ... *\/` block comments, and they carry the same
 * directives in `.tf` files; a `wslb-disable-next-line` in a block comment silences the line
 * after the one the comment ends on.
 */
import { LineIndex } from './text';
import type { Finding } from './types';

const DIRECTIVE = /#\s*wslb-disable-(next-line|line|file)\b([^\n\r]*)/g;
/** HCL: `#`, `//` or `/*` before the directive (group 1 is the comment opener). */
const DIRECTIVE_HCL = /(#|\/\/|\/\*)\s*wslb-disable-(next-line|line|file)\b([^\n\r]*)/g;

/** Comment syntax of a file: `hash` (nginx, HAProxy, YAML) or `hcl` (Terraform: also `//` and block comments). */
export type CommentSyntax = 'hash' | 'hcl';

/** The comment syntax of a file, by its name (Terraform files are `.tf`). */
export function commentSyntaxOf(file: string): CommentSyntax {
  return /\.tf$/i.test(file) ? 'hcl' : 'hash';
}

export interface Suppressions {
  file: Set<string> | 'all' | null;
  /** 0-based line → rule ids (or 'all') silenced on that line. */
  lines: Map<number, Set<string> | 'all'>;
}

function parseIds(rest: string): Set<string> | 'all' {
  const idsPart = rest.split(/\s--\s|\s--$/)[0];
  const ids = idsPart
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return ids.length ? new Set(ids) : 'all';
}

function merge(a: Set<string> | 'all' | null | undefined, b: Set<string> | 'all'): Set<string> | 'all' {
  if (a === 'all' || b === 'all') return 'all';
  return new Set([...(a ?? []), ...b]);
}

export function parseSuppressions(text: string, lineIndex?: LineIndex, syntax: CommentSyntax = 'hash'): Suppressions {
  const result: Suppressions = { file: null, lines: new Map() };
  if (!text.includes('wslb-disable')) return result;
  // built only when there is a directive: indexing a large file costs more than the search
  const index = lineIndex ?? new LineIndex(text);
  const hcl = syntax === 'hcl';
  for (const m of text.matchAll(hcl ? DIRECTIVE_HCL : DIRECTIVE)) {
    const at = m.index ?? 0;
    const kind = hcl ? m[2] : m[1];
    let rest = hcl ? m[3] : m[2];
    let line = index.positionAt(at).line;
    if (hcl && m[1] === '/*') {
      // The block comment's text ends at `*/`; "next line" is the line after the comment.
      const close = text.indexOf('*/', at + 2);
      const onLine = rest.indexOf('*/');
      if (onLine >= 0) rest = rest.slice(0, onLine);
      if (kind === 'next-line' && close >= 0) line = index.positionAt(close).line;
    }
    const ids = parseIds(rest);
    if (kind === 'file') result.file = merge(result.file, ids);
    else if (kind === 'line') result.lines.set(line, merge(result.lines.get(line), ids));
    else result.lines.set(line + 1, merge(result.lines.get(line + 1), ids));
  }
  return result;
}

function silences(set: Set<string> | 'all' | null | undefined, code: string): boolean {
  if (!set) return false;
  return set === 'all' || set.has(code);
}

/**
 * Drop findings silenced by comments in their own file. Syntax errors are never silenced.
 * `cache`: the comments already read, by file (filled with those read here).
 */
export function applySuppressions(
  findings: Finding[],
  textOf: (file: string) => string | undefined,
  cache = new Map<string, Suppressions>(),
): Finding[] {
  return findings.filter((f) => {
    if (f.code.endsWith('/syntax')) return true;
    let sup = cache.get(f.file);
    if (!sup) {
      const text = textOf(f.file);
      sup =
        text === undefined
          ? { file: null, lines: new Map() }
          : parseSuppressions(text, undefined, commentSyntaxOf(f.file));
      cache.set(f.file, sup);
    }
    const line = sup.lines.get(f.range.start.line);
    const silenced = (code: string) => silences(sup.file, code) || silences(line, code);
    if (silenced(f.code)) return false;
    // A finding standing for several codes (nginx/ws-not-upgraded) is silenced by comments that
    // silence all of them, as they silenced the separate findings it replaces.
    return !(f.covers?.length && f.covers.every(silenced));
  });
}
