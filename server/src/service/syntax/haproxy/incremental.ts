/**
 * Incremental re-parse of a HAProxy file after an edit inside one line.
 *
 * HAProxy reads its configuration one line at a time (src/cfgparse.c `readcfgfile()`), so an edit
 * that stays inside a line and keeps it a plain keyword line (or a comment or blank line) changes
 * that line's words and statement, and moves everything after it by the length difference —
 * nothing else. Whatever could change more is left to a full parse (the caller gets null):
 * line breaks, carriage returns or NUL bytes in the edit or the line, section headers, `.if`
 * blocks anywhere in the file, `[scope]` lines, the last line (the final line feed check), a
 * statement before any section, a line turning blank or non-blank (the section's end moves),
 * and `wslb` comments (suppressions and WebSocket markers are read from the text).
 *
 * The old tree's arrays and nodes are updated in place and handed over to a new tree object; the
 * old tree object must not be used afterwards.
 */
import { linesHold, sliceNear, type TextEdit } from '../../text';
import type { SyntaxDiagnostic } from '../../types';
import { lexInfo, lexLine } from './lexer';
import { shiftLine, shiftSpan, type Line } from './line';
import type { LineTable } from './line-table';
import { HaproxyTree, Statement } from './nodes';
import { badModifier, MODIFIABLE_KEYWORDS, SECTION_RULES } from './sections';
import { lastAtOrBefore } from './tree';
import type { HaproxyFile, HaproxyLine, HaproxySection, HaproxyStatement } from './types';

export interface HaproxyLineChange {
  /** The updated tree (a new object over the old tree's updated arrays). */
  tree: HaproxyFile;
  /** The section holding the edited line. */
  section: HaproxySection;
  /** The statement the line was before the edit, and what it is now (null: not a statement). */
  removed: HaproxyStatement | null;
  added: HaproxyStatement | null;
  /** Where the edited line starts, and where its line break ended before the edit. */
  lineStart: number;
  oldLineEnd: number;
  /** Length difference: everything from oldLineEnd on moved by this much. */
  delta: number;
  /** The line with its line break, before the edit ([lineStart, oldLineEnd)) and after it. */
  oldText: string;
  newText: string;
}

type LineKind = 'blank' | 'content' | 'statement' | 'other';

function kindOf(line: HaproxyLine): LineKind {
  if (line.scope) return 'other';
  const words = line.words;
  if (words.length > 0 && words[0].value !== '') {
    const keyword = words[0].value;
    if (keyword.charCodeAt(0) === 46 /* . */) return 'other';
    if (SECTION_RULES.has(keyword)) return 'other'; // `no`/`default` are no section keywords
    return 'statement';
  }
  return words.length > 0 || line.comment !== null || line.ignored !== undefined ? 'content' : 'blank';
}

/** Whether text[from, to) holds a line feed, a carriage return or a NUL byte. */
function hasBreakOrNul(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0) return true;
  }
  return false;
}

/** Index of the first item whose key is >= offset (items.length when none). */
function firstAtOrAfter<T>(items: readonly T[], offset: number, key: (t: T) => number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (key(items[mid]) < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const lineStartOf = (l: HaproxyLine): number => l.start;
const stmtStartOf = (s: HaproxyStatement): number => s.line.start;
const diagStartOf = (d: SyntaxDiagnostic): number => d.start;

/** The edited line, read again: what reparseHaproxyLine() learns before it changes anything. */
interface EditedLine {
  /** The tree's line table while no line object was read, else its line list. */
  table: LineTable | undefined;
  lines: HaproxyLine[] | null;
  /** The line's row or index, the line before the edit and after it. */
  k: number;
  /** The line's text with its line break, before the edit and after it. */
  oldText: string;
  newText: string;
  line: HaproxyLine;
  fresh: HaproxyLine;
  lexError: SyntaxDiagnostic | null;
  oldKind: LineKind;
  newKind: LineKind;
}

/**
 * Applies `edit` (which turns tree.text into `text`) to the tree, or returns null when the edit
 * needs a full parse (see the module comment). Nothing is changed when null is returned.
 */
export function reparseHaproxyLine(tree: HaproxyFile, text: string, edit: TextEdit): HaproxyLineChange | null {
  const edited = readEditedLine(tree, text, edit);
  if (edited === null) return null;
  const { line, fresh } = edited;
  // The section the parser attaches the line to: the last one whose header comes before it.
  const sections = tree.sections;
  const si = lastAtOrBefore(sections, line.start, (s) => s.start); // (a section starts at its header)
  if (si < 0) return null;
  const section = sections[si];
  const found = findStatement(tree, section, edited);
  if (found === null) return null;
  const { added, diags } = readStatement(edited, section, found.removed);

  // Everything is known to fit: update in place.
  const delta = edit.inserted.length - edit.deleted;
  const oldEolEnd = line.eol.end;
  moveLines(edited, sections, si, delta);
  replaceStatement(found, added, fresh.start);
  replaceDiagnostics(tree.diagnostics, line.start, oldEolEnd, delta, diags);

  const { table, lines } = edited;
  const next = new HaproxyTree(
    text,
    table ?? lines!,
    sections,
    tree.topLevel,
    found.statements,
    tree.conditionals,
    tree.diagnostics,
  );
  const built = (tree as HaproxyTree).builtIndex;
  if (built) {
    // Line starts after the edit move; an edit without line breaks adds or removes none. The new
    // index records the shift instead of copying every line start (LineIndex.shifted).
    next.builtIndex = built.shifted(text, built.positionAt(edit.offset).line, delta);
  }
  const removed = found.removed;
  const { oldText, newText } = edited;
  return { tree: next, section, removed, added, lineStart: line.start, oldLineEnd: oldEolEnd, delta, oldText, newText };
}

/** The edited line before and after the edit, or null when the edit is not one line's business. */
function readEditedLine(tree: HaproxyFile, text: string, edit: TextEdit): EditedLine | null {
  const old = tree.text;
  const { offset, deleted, inserted } = edit;
  const delta = inserted.length - deleted;
  if (offset < 0 || deleted < 0 || offset + deleted > old.length || text.length !== old.length + delta) return null;
  if (tree.conditionals.length > 0) return null;
  if (hasBreakOrNul(inserted, 0, inserted.length)) return null;
  // While nobody has read the tree's line objects, the edit moves rows of its line table instead.
  const table = tree instanceof HaproxyTree ? tree.lineTable : undefined;
  const lines = table === undefined ? tree.lines : null;
  const count = table !== undefined ? table.count : lines!.length;
  const k = table !== undefined ? table.rowAt(offset) : lastAtOrBefore(lines!, offset, lineStartOf);
  if (k < 0 || k === count - 1) return null;
  const line = table !== undefined ? table.line(k) : lines![k];
  if (offset + deleted > line.end) return null; // reaches into the line break
  // the line with its line break ("\n" or "\r\n", which the edit does not reach)
  const eol = line.eol.end - line.end;
  const oldText = sliceNear(old, edit.lines, 'before', line.start, line.end + eol);
  if (hasBreakOrNul(oldText, 0, oldText.length - eol)) return null; // stray carriage return or NUL
  const newEnd = line.end + delta;
  const newText = sliceNear(text, edit.lines, 'after', line.start, newEnd + eol);
  if (hasBreakOrNul(newText, 0, newText.length - eol)) return null;
  // Suppression comments and WebSocket markers are read from the text itself.
  if (oldText.includes('wslb') || newText.includes('wslb')) return null;

  // From the edit's lines: lexed from the line's own text, then moved to its place (its words
  // read that text, not the whole one).
  const own = linesHold(edit.lines, 'after', line.start, newEnd + eol);
  const fresh = own ? lexLine(newText, 0, newEnd - line.start) : lexLine(text, line.start, newEnd);
  if (own && line.start !== 0) shiftLine(fresh, line.start);
  const lexError = lexInfo.error;
  if (own && lexError) shiftSpan(lexError, line.start);
  if (lexInfo.nulAt >= 0 || lexInfo.crAt >= 0) return null;

  const oldKind = kindOf(line);
  const newKind = kindOf(fresh);
  if (oldKind === 'other' || newKind === 'other') return null;
  if ((oldKind === 'blank') !== (newKind === 'blank')) return null;
  return { table, lines, k, oldText, newText, line, fresh, lexError, oldKind, newKind };
}

/** Where the edited line's statement (if any) sits in the section's list and the file's. */
interface FoundStatement {
  /** The file's statement list only when it was made. */
  statements: HaproxyStatement[] | undefined;
  own: HaproxyStatement[];
  removed: HaproxyStatement | null;
  at: number;
  ownAt: number;
}

/** The statement the edited line was, found in both lists, or null when the lists disagree. */
function findStatement(tree: HaproxyFile, section: HaproxySection, edited: EditedLine): FoundStatement | null {
  // (a parse's tree makes its list on first read; until then an edit updates the sections' lists
  // it is made from, so typing never makes it)
  const statements = tree instanceof HaproxyTree ? tree.builtStatements : tree.statements;
  const own = section.statements;
  const line = edited.line;
  let removed: HaproxyStatement | null = null;
  let at = -1;
  let ownAt = -1;
  if (edited.oldKind === 'statement') {
    ownAt = lastAtOrBefore(own, line.start, stmtStartOf);
    if (ownAt < 0 || own[ownAt].line !== line) return null;
    removed = own[ownAt];
    if (statements !== undefined) {
      at = lastAtOrBefore(statements, line.start, stmtStartOf);
      if (at < 0 || statements[at] !== removed) return null;
    }
  }
  return { statements, own, removed, at, ownAt };
}

/** The new line's statement (null: none) and its diagnostics, as parseHaproxy() gives them. */
function readStatement(
  edited: EditedLine,
  section: HaproxySection,
  removed: HaproxyStatement | null,
): { added: HaproxyStatement | null; diags: SyntaxDiagnostic[] } {
  const { fresh, lexError } = edited;
  const diags: SyntaxDiagnostic[] = [];
  if (lexError) {
    fresh.invalid = true;
    diags.push(lexError);
  }
  if (edited.newKind !== 'statement') return { added: null, diags };
  const words = fresh.words;
  const keyword = words[0].value;
  // (no `.if` block in the file: see readEditedLine())
  const conditions = removed?.conditions ?? section.headerStatement.conditions;
  const added = new Statement(fresh, -1, keyword, conditions, section);
  if (keyword === 'no' || keyword === 'default') {
    added.modifier = keyword;
    const effective = words.length > 1 && words[1].value !== '' ? words[1].value : keyword;
    if (!MODIFIABLE_KEYWORDS.has(effective) && !fresh.invalid) {
      diags.push(badModifier(keyword, { start: words[0].start, end: words[Math.min(1, words.length - 1)].end }));
    }
  }
  return { added, diags };
}

/** Puts the new line in its row and moves the later lines and sections by `delta`. */
function moveLines(edited: EditedLine, sections: HaproxySection[], si: number, delta: number): void {
  const { table, lines, k, fresh } = edited;
  if (table !== undefined) table.replace(k, fresh as Line, delta);
  else lines![k] = fresh;
  if (delta === 0) return;
  if (lines) for (let i = k + 1; i < lines.length; i++) shiftLine(lines[i], delta);
  for (let i = si + 1; i < sections.length; i++) {
    const s = sections[i];
    s.start += delta;
    s.end += delta;
    if (s.nameSpan) shiftSpan(s.nameSpan, delta);
    if (s.fromSpan) shiftSpan(s.fromSpan, delta);
  }
  sections[si].end += delta; // the line has content before and after, up to or before the section's end
}

/** Statements: `added` replaces the removed one in the section's list and, when made, in the file's. */
function replaceStatement(found: FoundStatement, added: HaproxyStatement | null, lineStart: number): void {
  const { statements, own, removed, at, ownAt } = found;
  if (removed && added) {
    if (statements !== undefined) statements[at] = added;
    own[ownAt] = added;
  } else if (removed) {
    if (statements !== undefined) statements.splice(at, 1);
    own.splice(ownAt, 1);
  } else if (added) {
    if (statements !== undefined) statements.splice(firstAtOrAfter(statements, lineStart, stmtStartOf), 0, added);
    own.splice(firstAtOrAfter(own, lineStart, stmtStartOf), 0, added);
  }
}

/** Syntax diagnostics: those of the line [start, eolEnd) become `diags`, the later ones move. */
function replaceDiagnostics(
  all: SyntaxDiagnostic[],
  start: number,
  eolEnd: number,
  delta: number,
  diags: SyntaxDiagnostic[],
): void {
  const from = firstAtOrAfter(all, start, diagStartOf);
  const to = firstAtOrAfter(all, eolEnd, diagStartOf);
  if (delta !== 0) for (let i = to; i < all.length; i++) shiftSpan(all[i], delta);
  all.splice(from, to - from, ...diags);
}
