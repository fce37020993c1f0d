/**
 * What the HAProxy keyword check reads of a syntax tree: structural views of its sections,
 * statements and words (server/src/service/syntax/haproxy/types.ts), and the readers of a word's
 * value that build no word objects where the tree can avoid it. The views repeat part of the
 * syntax types on purpose: knowledge/ does not import syntax/, and tests hand-make such trees.
 */
import type { Span } from '../text';

export interface WordLike extends Span {
  value: string;
}
/**
 * A line's words; `wordCount` and `wordValue(k)` (words.length and words[k].value), when the tree
 * has them, read a word's value without building the line's word objects.
 */
export interface LineLike {
  words: readonly WordLike[];
  wordCount?: number;
  wordValue?(k: number): string;
}
/** `wordCount` and `wordValue(k)`, when the tree has them, are its line's, read without building the line. */
export interface StatementLike {
  /** words[0].value */
  keyword: string;
  line: LineLike;
  modifier?: 'no' | 'default';
  wordCount?: number;
  wordValue?(k: number): string;
}
export interface SectionLike {
  keyword: string;
  /** The header line (its first word is the section keyword); absent in some tests' hand-made trees. */
  header?: LineLike;
  name: string | null;
  statements: readonly StatementLike[];
  /** The body by index without statement objects, when the tree has it (syntax/haproxy HaproxySectionBody). */
  readonly body?: SectionBodyLike;
}
export interface SectionBodyLike {
  readonly size: number;
  keywordAt(i: number): string;
  modifierAt(i: number): 'no' | 'default' | undefined;
  wordCountAt(i: number): number;
  wordValueAt(i: number, k: number): string;
  rowAt(i: number): number;
  readonly rows: { wordCount(row: number): number; wordValue(row: number, k: number): string };
  statement(i: number): StatementLike;
}
export interface HaproxyFileLike {
  sections: readonly SectionLike[];
}

export interface ValidateHaproxyOptions {
  /**
   * Target HAProxy version, e.g. "2.6.12", "3.2". Checked against the newest keyword table not
   * newer than it (haproxy-tables.ts); a version older than the oldest table is not checked at
   * all (the caller reports that once, see haproxyTarget()).
   */
  version: string;
}

/** Where a statement's word values are read: the statement itself when it can (no line object built), else its line. */
export const wordsOf = (st: StatementLike): LineLike =>
  st.wordValue !== undefined ? (st as unknown as LineLike) : st.line; // (only its wordCount and wordValue are read)
export const wordCount = (line: LineLike): number =>
  line.wordCount !== undefined ? line.wordCount : line.words.length;
export const valueAt = (line: LineLike, k: number): string =>
  line.wordValue !== undefined ? line.wordValue(k) : line.words[k].value;

/** A statement of the syntax tree (syntax/haproxy Statement): its word values are read without building its line. */
export interface TreeStatement extends StatementLike {
  readonly wordCount: number;
  wordValue(k: number): string;
}

/**
 * A copy of a word that does not keep the whole text alive: V8 keeps the string a long slice was
 * cut from, and the memo outlives the text (a 1 MB file edited would keep every version of it).
 * Concatenating first makes V8 copy the characters into a new string before slicing.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}
