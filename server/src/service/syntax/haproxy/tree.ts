/**
 * Reading a HAProxy tree: printing it back, finding what is at an offset, and which
 * conditional branches are taken.
 */
import { evaluateCondition, type ConditionContext } from './conditions';
import type {
  HaproxyConditional,
  HaproxyFile,
  HaproxyLine,
  HaproxySection,
  HaproxyStatement,
  HaproxyWord,
} from './types';

/**
 * Prints the tree back. Each line is rebuilt from its pieces (indent, words, the blanks between
 * them, comment, ignored tail, line break), so an exact round trip shows that the pieces cover
 * every character of the file.
 */
export function printHaproxy(file: HaproxyFile): string {
  const text = file.text;
  const out: string[] = [];
  for (const line of file.lines) {
    out.push(text.slice(line.indent.start, line.indent.end));
    let at = line.indent.end;
    for (const w of line.words) {
      if (w.start > at) out.push(text.slice(at, w.start));
      out.push(w.raw);
      at = w.end;
    }
    const tail = line.comment ?? line.ignored;
    if (tail) {
      if (tail.start > at) out.push(text.slice(at, tail.start));
      out.push(text.slice(tail.start, tail.end));
      at = tail.end;
    }
    if (line.end > at) out.push(text.slice(at, line.end));
    out.push(text.slice(line.eol.start, line.eol.end));
  }
  return out.join('');
}

/** Index of the last item (sorted by key) whose key is <= offset, or -1. */
export function lastAtOrBefore<T>(items: readonly T[], offset: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The line holding `offset` (its line break included). */
export function lineAt(file: HaproxyFile, offset: number): HaproxyLine | undefined {
  const k = lastAtOrBefore(file.lines, offset, (l) => l.start);
  if (k < 0) return undefined;
  const line = file.lines[k];
  return offset <= line.eol.end ? line : undefined;
}

/** The statement (section headers included) whose line holds `offset`. */
export function statementAt(file: HaproxyFile, offset: number): HaproxyStatement | undefined {
  const k = lastAtOrBefore(file.statements, offset, (s) => s.line.start);
  if (k < 0) return undefined;
  const stmt = file.statements[k];
  return offset <= stmt.line.end ? stmt : undefined;
}

/** The word under `offset` (its end included, as a cursor right after a word is "on" it). */
export function wordAt(file: HaproxyFile, offset: number): HaproxyWord | undefined {
  const line = lineAt(file, offset);
  if (!line) return undefined;
  for (const w of line.words) if (offset >= w.start && offset <= w.end) return w;
  return undefined;
}

/** The section whose range holds `offset`. */
export function sectionAt(file: HaproxyFile, offset: number): HaproxySection | undefined {
  const k = lastAtOrBefore(file.sections, offset, (s) => s.start);
  if (k < 0) return undefined;
  const s = file.sections[k];
  return offset <= s.end ? s : undefined;
}

/** Sections with this keyword (and name, when given), in file order. */
export function findSections(file: HaproxyFile, keyword: string, name?: string): HaproxySection[] {
  return file.sections.filter((s) => s.keyword === keyword && (name === undefined || s.name === name));
}

/** Whether the branch opened by this `.if`/`.elif`/`.else` is the one HAProxy takes. */
export function branchTaken(branch: HaproxyConditional, ctx: ConditionContext = {}): boolean | undefined {
  let unknown = false;
  for (let p = branch.previous; p; p = p.previous) {
    const v = evaluateCondition(p.condition ?? null, ctx);
    if (v === true) return false;
    if (v === undefined || (p.condition === null && p.line.words.length > 1)) unknown = true;
  }
  let own: boolean | undefined = true;
  if (branch.directive === '.if' || branch.directive === '.elif') {
    own =
      branch.condition === null && branch.line.words.length > 1
        ? undefined
        : evaluateCondition(branch.condition ?? null, ctx);
  }
  if (own === false) return false;
  return unknown || own === undefined ? undefined : true;
}

/**
 * Whether HAProxy reads this statement, given its enclosing conditional blocks: true, false, or
 * undefined when a condition depends on something the context does not say.
 */
export function isActive(node: { conditions: HaproxyConditional[] }, ctx: ConditionContext = {}): boolean | undefined {
  let unknown = false;
  for (const c of node.conditions) {
    const v = branchTaken(c, ctx);
    if (v === false) return false;
    if (v === undefined) unknown = true;
  }
  return unknown ? undefined : true;
}
