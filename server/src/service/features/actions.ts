/**
 * Editor actions that are not a rule's own fix: suppression comments and "fix all" until stable.
 * Pure: text in, edits or texts out.
 */
import { collectFixEdits, applyEdits } from '../fixes/apply';
import { LineIndex, type Range } from '../text';
import type { Finding } from '../types';
import type { CommentSyntax } from '../suppress';

/** An existing directive line: `#` comments, and in HCL also `//` and a one-line block comment. */
function directiveLine(kind: 'next-line' | 'file', syntax: CommentSyntax): RegExp {
  const open = syntax === 'hcl' ? '(?:#|\\/\\/|\\/\\*)' : '#';
  const close = syntax === 'hcl' ? '(\\s*\\*\\/\\s*)?' : '';
  return new RegExp(`^(\\s*${open}\\s*wslb-disable-${kind}\\b)([^\\n\\r]*?)(\\s--\\s.*|\\s--)?${close}$`);
}

export interface TextEditData {
  range: Range;
  newText: string;
}

export const DEFAULT_REASON = 'reason';

/**
 * Silence `ruleId` on `line` (0-based) with `# wslb-disable-next-line <rule-id> -- reason`
 * inserted above it at its indentation; when the line above is already such a comment, the id is
 * added to it instead.
 */
export function disableNextLineEdit(
  text: string,
  line: number,
  ruleId: string,
  reason = DEFAULT_REASON,
  syntax: CommentSyntax = 'hash',
): TextEditData {
  const idx = new LineIndex(text);
  const l = Math.max(0, Math.min(line, idx.lineCount - 1));
  const lineStart = idx.lineStarts[l];
  if (l > 0) {
    const prevStart = idx.lineStarts[l - 1];
    const prev = idx.lineTextAt(prevStart);
    const m = directiveLine('next-line', syntax).exec(prev);
    if (m) {
      const ids = m[2]
        .trim()
        .split(/[\s,]+/)
        .filter(Boolean);
      if (ids.length === 0 || ids.includes(ruleId))
        return { range: idx.rangeOf({ start: prevStart, end: prevStart }), newText: '' };
      const at = prevStart + m[1].length + m[2].length;
      return { range: idx.rangeOf({ start: at, end: at }), newText: `, ${ruleId}` };
    }
  }
  const indent = idx.indentAt(lineStart);
  return {
    range: idx.rangeOf({ start: lineStart, end: lineStart }),
    newText: `${indent}# wslb-disable-next-line ${ruleId} -- ${reason}${idx.eol}`,
  };
}

/** Silence `ruleId` in the whole file with `# wslb-disable-file <rule-id> -- reason` at the top. */
export function disableFileEdit(
  text: string,
  ruleId: string,
  reason = DEFAULT_REASON,
  syntax: CommentSyntax = 'hash',
): TextEditData {
  const idx = new LineIndex(text);
  // Extend an existing disable-file comment among the leading comment lines.
  for (let l = 0; l < Math.min(idx.lineCount, 50); l++) {
    const start = idx.lineStarts[l];
    const lineText = idx.lineTextAt(start);
    const t = lineText.trim();
    if (t !== '' && !t.startsWith('#') && !(syntax === 'hcl' && (t.startsWith('//') || t.startsWith('/*')))) break;
    const m = directiveLine('file', syntax).exec(lineText);
    if (m) {
      const ids = m[2]
        .trim()
        .split(/[\s,]+/)
        .filter(Boolean);
      if (ids.length === 0 || ids.includes(ruleId)) return { range: idx.rangeOf({ start, end: start }), newText: '' };
      const at = start + m[1].length + m[2].length;
      return { range: idx.rangeOf({ start: at, end: at }), newText: `, ${ruleId}` };
    }
  }
  const at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return {
    range: idx.rangeOf({ start: at, end: at }),
    newText: `# wslb-disable-file ${ruleId} -- ${reason}${idx.eol}`,
  };
}

export interface FixAllResult {
  /** The new text of every file that changed. */
  changed: Map<string, string>;
  rounds: number;
  /** True when the last round found nothing more to fix. */
  converged: boolean;
}

/**
 * Apply every safe fix (never a suggestion: rules/fix-classes.ts) for findings in `target`,
 * re-analyse, and repeat until nothing changes or
 * `maxRounds` is reached. `analyze` receives the current texts of every touched file (others are
 * read as the caller sees fit) and returns all findings.
 */
export function fixAllConverging(
  target: string,
  readText: (path: string) => string | undefined,
  analyze: (overrides: Map<string, string>) => Finding[],
  maxRounds = 8,
): FixAllResult {
  const current = new Map<string, string>();
  let rounds = 0;
  for (; rounds < maxRounds; rounds++) {
    const findings = analyze(current);
    const byFile = collectFixEdits(findings, (f) => f.file === target && f.fixes.length > 0, true);
    let progressed = false;
    for (const [file, edits] of byFile) {
      const before = current.get(file) ?? readText(file);
      if (before === undefined) continue;
      const after = applyEdits(before, edits);
      if (after !== before) {
        current.set(file, after);
        progressed = true;
      }
    }
    if (!progressed) {
      return { changed: onlyChanged(current, readText), rounds, converged: true };
    }
  }
  return { changed: onlyChanged(current, readText), rounds, converged: false };
}

function onlyChanged(
  current: Map<string, string>,
  readText: (path: string) => string | undefined,
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [p, t] of current) if (readText(p) !== t) out.set(p, t);
  return out;
}

/** One edit turning `before` into `after`: the differing middle, found by trimming common ends. */
export function minimalEdit(before: string, after: string): TextEditData {
  let s = 0;
  const max = Math.min(before.length, after.length);
  while (s < max && before.charCodeAt(s) === after.charCodeAt(s)) s++;
  let e = 0;
  while (e < max - s && before.charCodeAt(before.length - 1 - e) === after.charCodeAt(after.length - 1 - e)) e++;
  const idx = new LineIndex(before);
  return { range: idx.rangeOf({ start: s, end: before.length - e }), newText: after.slice(s, after.length - e) };
}
