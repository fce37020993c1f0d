/**
 * The lines of a HAProxy parse as rows of numbers (LineTable), lexed in one pass over the text or
 * its bytes; a line object is built only when a line is asked for.
 */
import type { Span } from '../../text';
import { roomForPair } from '../pairs';
import * as intern from './intern';
import * as lexer from './lexer';
import type { LexInfo } from './lexer';
import { Line, type WordStore } from './line';
import type { HaproxyConditional, HaproxySection, HaproxyStatement } from './types';

// Used for every line, so bound once here: loaded through tsx (the tests, the
// benchmarks) each read of an imported name is a getter call.
const { MAX_LINE_ARGS, NOT_PLAIN, lexInfo, lexSlow, scanPlainLine, skipBlanks } = lexer;
const keywordSlot = intern.keywordSlot;

/** What keeps a line off LineTable's quickest path: quotes, backslash, NUL, CR and blanks other than space. */
const SPECIAL_CHARS = ['"', "'", '\\', '\0', '\r', '\t', '\v', '\f'];

/** Numbers per row of a LineTable: start, end, comment start (or -1), first word, word count. */
export const ROW = 5;

/**
 * What the statements of a parse read through their table (see parser.ts, Statement and Section).
 * The sections' body statements are kept as numbers until a section's list is first read: the
 * body rows of every section, in file order (`rows`, the first `count` entries), their keywords
 * (`keywords`), and the `no`/`default` modifiers by row.
 */
export interface StatementInfo {
  sections: HaproxySection[];
  /** The non-empty `.if` stacks by row. */
  conditions: Map<number, HaproxyConditional[]> | undefined;
  rows: Int32Array;
  keywords: string[];
  count: number;
  modifiers: Map<number, 'no' | 'default'> | undefined;
  /** The statements made by index before their section's list (Section.statement()), by entry. */
  made: Map<number, HaproxyStatement> | undefined;
}

/** Where `k` is in the ascending list `rows`, or -1. */
function indexIn(rows: readonly number[], k: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = rows[mid];
    if (r === k) return mid;
    if (r < k) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The lines of a parse as numbers, row k being line k (see the memory note above: a line object
 * is about a hundred bytes, and most lines of a large file are only ever read through their
 * statement). A line's object is built when it is first asked for and then kept, so the same
 * object comes back on every read; lines read by the lexer's general path (quotes, escapes,
 * errors, scopes) are built at once.
 */
export class LineTable {
  rows: Int32Array;
  count = 0;
  readonly store: WordStore;
  /**
   * What the statements and sections of the parse read through their table (see parser.ts,
   * Statement and Section, and StatementInfo above).
   */
  statementInfo: StatementInfo | undefined = undefined;
  /**
   * Line objects built so far: during the parse the rows (ascending) and their lines in two
   * lists, and the lines asked for by row after it in a map (a few, for findings); then, once an
   * edit or a walk of every line needs one, an array indexed by row (see #table()). An array of
   * every row of a large file is costly to make, and a check that reads a few lines needs none.
   */
  #builtRows: number[] | undefined = [];
  #builtLines: Line[] | undefined = [];
  #later: Map<number, Line> | undefined = undefined;
  #objs: Line[] | undefined = undefined;
  #all = false;
  /**
   * After edits (moveFrom(), replace()): how far each row moved since its words were stored, and
   * the rows whose line was replaced by one lexed on its own (its words are no longer the store's).
   */
  #shifts: Int32Array | undefined = undefined;
  #replaced: Set<number> | undefined = undefined;

  constructor(store: WordStore, capacity = 16) {
    this.store = store;
    this.rows = new Int32Array(Math.max(16, capacity) * ROW);
  }

  /** A new row at the end (the table grows by doubling); returns its index. */
  #addRow(): number {
    const k = this.count++;
    if ((k + 1) * ROW > this.rows.length) {
      const grown = new Int32Array(this.rows.length * 2);
      grown.set(this.rows);
      this.rows = grown;
    }
    return k;
  }

  /**
   * Lexes every line of `text` into rows, line by line as a string: with the quick paths, or
   * (`general`) with the general lexer alone. Lines the general lexer read wait for the parser
   * (takeGeneral()).
   */
  lexAllText(text: string, general: boolean): void {
    const len = text.length;
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      const contentEnd = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl < 0 ? len : nl;
      if (general) this.#lexGeneral(text, pos, contentEnd);
      else this.#lex(text, pos, contentEnd);
      if (nl < 0) break;
      pos = nl + 1;
    }
  }

  /** Lexes text[start, end) as the next row. */
  #lex(text: string, start: number, end: number): void {
    const k = this.#addRow();
    const store = this.store;
    const rows = this.rows;
    const first = store.count;
    const r = k * ROW;
    rows[r] = start;
    rows[r + 1] = end;
    rows[r + 3] = first;
    let comment = this.#spaced(text, start, end);
    if (comment === NOT_PLAIN) {
      store.count = first;
      comment = scanPlainLine(store, text, start, end);
    }
    if (comment !== NOT_PLAIN) {
      rows[r + 2] = comment;
      rows[r + 4] = store.count - first;
      return;
    }
    store.count = first;
    this.#general(k, text, start, end);
  }

  /**
   * The keywordStrings slot of row k's first word, for a row lexAllBytes() read without the
   * general lexer (its first word is plain: its value is its text), or -1 when the word is too long;
   * `view` is a DataView of `bytes`.
   */
  keywordSlot(k: number, bytes: Uint8Array, view: DataView): number {
    const w = this.rows[k * ROW + 3];
    const data = this.store.data;
    return keywordSlot(bytes, view, this.store.text, data[2 * w], data[2 * w + 1]);
  }

  /** Lexes text[start, end) as the next row with the general lexer only (tests compare it with the others). */
  #lexGeneral(text: string, start: number, end: number): void {
    const k = this.#addRow();
    const r = k * ROW;
    this.rows[r] = start;
    this.rows[r + 1] = end;
    this.rows[r + 3] = this.store.count;
    this.#general(k, text, start, end);
  }

  /**
   * Row k (start, end and first word set) read by lexSlow(). Its line object and what lexInfo
   * said about it wait for the parser (takeGeneral()), which keeps the line.
   */
  #general(k: number, text: string, start: number, end: number): void {
    const line = lexSlow(this.store, text, start, end);
    const r = k * ROW;
    this.rows[r + 2] = line.comment ? line.comment.start : -1;
    this.rows[r + 4] = line.wordCount;
    this.#genRows.push(k);
    this.#genLines.push(line);
    this.#genInfo.push({ nulAt: lexInfo.nulAt, crAt: lexInfo.crAt, error: lexInfo.error });
  }

  /** Rows the general lexer read (ascending), their lines and lexInfo, until the parser takes them. */
  #genRows: number[] = [];
  #genLines: Line[] = [];
  #genInfo: LexInfo[] = [];
  #genNext = 0;

  /** The next row the general lexer read that the parser has not taken yet, or -1. */
  nextGeneral(): number {
    const g = this.#genNext;
    return g < this.#genRows.length ? this.#genRows[g] : -1;
  }

  /**
   * For the parser, reading rows in order: when the general lexer read row k, its line (now kept
   * by the table) with its side results in lexInfo; otherwise undefined (a plain line: no scope,
   * no error, nothing ignored).
   */
  takeGeneral(k: number): Line | undefined {
    const g = this.#genNext;
    if (g >= this.#genRows.length || this.#genRows[g] !== k) return undefined;
    this.#genNext = g + 1;
    const line = this.#genLines[g];
    const info = this.#genInfo[g];
    lexInfo.nulAt = info.nulAt;
    lexInfo.crAt = info.crAt;
    lexInfo.error = info.error;
    this.#keep(k, line);
    return line;
  }

  /**
   * Lexes every line of an ASCII text into rows, reading its bytes (see asciiBytes(): one byte per
   * character, and bytes[len] is a '\n' sentinel), in one loop. A row's end excludes a "\r"
   * before the "\n", as the line split of lexAllText() does. Plain lines — blanks, word
   * characters, an unquoted '#' — are read here without calling into the engine; any other line
   * (a quote, a backslash, a control character, a stray carriage return, a leading '[', as many
   * blank runs as HAProxy refuses) is handed to the general lexer, so all ways give the same rows.
   */
  lexAllBytes(bytes: Uint8Array, text: string, len: number): void {
    const store = this.store;
    let rows = this.rows;
    let data = store.data;
    let n = store.count;
    let k = this.count;
    let start = 0;
    for (;;) {
      if ((k + 1) * ROW > rows.length) {
        const grown = new Int32Array(rows.length * 2);
        grown.set(rows);
        rows = this.rows = grown;
      }
      const first = n;
      const r = k * ROW;
      rows[r] = start;
      rows[r + 3] = first;
      let i = start;
      let c = bytes[i];
      // The indent: space, tab, VT, FF ('\r' and '\n' end the scan below).
      while (c === 32 || c === 9 || c === 11 || c === 12) c = bytes[++i];
      let comment = -1;
      let end = -1;
      let separators = 0;
      if (c !== 91 /* [ */) {
        for (;;) {
          // i is at the first character of a word, or at what ends the line's words.
          if (c > 39 ? c === 92 : c !== 33 && (c < 36 || c > 38)) {
            if (c === 35 /* # */) comment = i;
            else if (c === 10) end = i;
            else if (c === 13 && i + 1 < len && bytes[i + 1] === 10) end = i;
            break;
          }
          const wordStart = i;
          for (;;) {
            c = bytes[++i];
            if (c > 39) {
              if (c === 92) break;
            } else if (c !== 33 && (c < 36 || c > 38)) break;
          }
          if (2 * n + 2 > data.length) data = store.data = roomForPair(data, n);
          data[2 * n] = wordStart;
          data[2 * n + 1] = i;
          n++;
          if (c === 32 || c === 9 || c === 11 || c === 12) {
            // a run of blanks: one more separator, as in parse_line()
            do c = bytes[++i];
            while (c === 32 || c === 9 || c === 11 || c === 12);
            if (++separators >= MAX_LINE_ARGS) break;
          }
        }
      }
      let nl: number;
      if (comment >= 0) {
        // The comment runs to the line's end, whatever it holds.
        nl = i + 1 < len ? bytes.indexOf(10, i + 1) : -1;
        if (nl >= len) nl = -1;
        end = nl < 0 ? len : bytes[nl - 1] === 13 ? nl - 1 : nl;
      } else if (end >= 0) {
        nl = end === len ? -1 : bytes[end] === 13 ? end + 1 : end;
      } else {
        // Not a plain line: the general lexer reads it.
        nl = text.indexOf('\n', i);
        const contentEnd = nl < 0 ? len : nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        store.count = first;
        rows[r + 1] = contentEnd;
        this.count = k + 1;
        this.#general(k, text, start, contentEnd);
        n = store.count;
        data = store.data;
        k++;
        if (nl < 0) break;
        start = nl + 1;
        continue;
      }
      rows[r + 1] = end;
      rows[r + 2] = comment;
      rows[r + 4] = n - first;
      k++;
      if (nl < 0) break;
      start = nl + 1;
    }
    store.count = n;
    this.count = k;
  }

  /** Where the next character of SPECIAL_CHARS is, each (the text's length when there is none). */
  #specialAt = new Int32Array(SPECIAL_CHARS.length).fill(-1);
  /** The smallest of them, and where the next '#' and the next space are. */
  #special = -1;
  #hash = -1;
  #space = -1;

  /**
   * The quickest path, for lines whose words are separated by spaces only: no tab, quote,
   * backslash, NUL or carriage return after the indent (up to a '#', which starts a comment
   * anywhere outside quotes) and no leading '['. Words are found with indexOf() (the engine's
   * own search) rather than one character at a time. Where the next special character, '#' and
   * space are is remembered across lines, so each is searched for once per occurrence and the
   * whole parse stays linear. Returns where the comment starts (or -1); NOT_PLAIN, leaving
   * store.count to the caller to restore, when the line is not such a line (or has as many blank
   * runs as HAProxy refuses).
   */
  #spaced(text: string, start: number, end: number): number {
    let i = skipBlanks(text, start, end);
    const c = i < end ? text.charCodeAt(i) : 0;
    if (i >= end) return -1;
    if (c === 91 /* [ */) return NOT_PLAIN;
    if (this.#special < i) this.#special = this.#nextSpecial(text, i);
    if (this.#hash < i) {
      const h = text.indexOf('#', i);
      this.#hash = h < 0 ? text.length : h;
    }
    let stop = end;
    let comment = -1;
    if (this.#hash < end) stop = comment = this.#hash;
    if (this.#special < stop) return NOT_PLAIN;
    const store = this.store;
    let separators = 0;
    while (i < stop) {
      // i is at the first character of a word
      if (this.#space < i) {
        const sp = text.indexOf(' ', i);
        this.#space = sp < 0 ? text.length : sp;
      }
      const e = this.#space < stop ? this.#space : stop;
      store.push(i, e);
      if (e >= stop) break;
      // a run of spaces: one more separator, as in parse_line()
      i = e + 1;
      while (i < stop && text.charCodeAt(i) === 32) i++;
      if (++separators >= MAX_LINE_ARGS) return NOT_PLAIN;
    }
    return comment;
  }

  #nextSpecial(text: string, from: number): number {
    const at = this.#specialAt;
    let min = text.length;
    for (let k = 0; k < SPECIAL_CHARS.length; k++) {
      let p = at[k];
      if (p < from) {
        p = text.indexOf(SPECIAL_CHARS[k], from);
        at[k] = p = p < 0 ? text.length : p;
      }
      if (p < min) min = p;
    }
    return min;
  }

  /** Row k's words.length / words[j].value / comment, without building its line. */
  wordCount(k: number): number {
    if (this.#replaced !== undefined && this.#replaced.has(k)) return this.#objs![k].wordCount;
    return this.rows[k * ROW + 4];
  }

  wordValue(k: number, j: number): string {
    if (this.#replaced !== undefined && this.#replaced.has(k)) return this.#objs![k].wordValue(j);
    return this.store.value(this.rows[k * ROW + 3] + j);
  }

  /** wordValue(k, j) === s, without making the word's string. */
  wordIs(k: number, j: number, s: string): boolean {
    if (this.#replaced !== undefined && this.#replaced.has(k)) return this.#objs![k].wordValue(j) === s;
    return this.store.is(this.rows[k * ROW + 3] + j, s);
  }

  /** Whether row k's word j is plain (its value is its text), for a row of this parse's own store. */
  wordIsPlain(k: number, j: number): boolean {
    if (this.#replaced !== undefined && this.#replaced.has(k)) return false;
    return this.store.data[2 * (this.rows[k * ROW + 3] + j) + 1] >= 0;
  }

  /** wordValue(k, j) as a string of its own (see WordStore.valueOnce()). */
  wordValueOnce(k: number, j: number): string {
    if (this.#replaced !== undefined && this.#replaced.has(k)) return this.#objs![k].wordValue(j);
    return this.store.valueOnce(this.rows[k * ROW + 3] + j);
  }

  /** `{ start, end }` of row k's word j, as its word object has them, without building the line. */
  wordSpan(k: number, j: number): Span {
    if (this.#replaced !== undefined && this.#replaced.has(k)) {
      const w = this.#objs![k].words[j];
      return { start: w.start, end: w.end };
    }
    const w = this.rows[k * ROW + 3] + j;
    const data = this.store.data;
    const shift = this.#shifts !== undefined ? this.#shifts[k] : 0;
    const end = data[2 * w + 1];
    return { start: data[2 * w] + shift, end: (end >= 0 ? end : ~end) + shift };
  }

  hasComment(k: number): boolean {
    return this.rows[k * ROW + 2] >= 0;
  }

  start(k: number): number {
    return this.rows[k * ROW];
  }

  /**
   * Where row k's line starts now: its object's start once built (edits move built lines, also
   * when the tree's lines were all read and edits no longer move rows), else the row's.
   */
  lineStart(k: number): number {
    const objs = this.#objs;
    const built = objs !== undefined ? objs[k] : undefined;
    return built !== undefined ? built.start : this.rows[k * ROW];
  }

  end(k: number): number {
    return this.rows[k * ROW + 1];
  }

  /** The line object of row k (built on first request, then the same object). */
  line(k: number): Line {
    const objs = this.#objs;
    if (objs === undefined) {
      const rows = this.#builtRows!;
      const last = rows.length - 1;
      // While the parse runs, the lines asked for are those of the newest rows.
      if (last >= 0 && rows[last] === k) return this.#builtLines![last];
      if (this.#parsing && (last < 0 || rows[last] < k)) {
        const line = this.#make(k);
        this.#keep(k, line);
        return line;
      }
      const j = indexIn(rows, k);
      if (j >= 0) return this.#builtLines![j];
      const later = (this.#later ??= new Map<number, Line>());
      let line = later.get(k);
      if (line === undefined) later.set(k, (line = this.#make(k)));
      return line;
    }
    return objs[k] ?? (objs[k] = this.#make(k));
  }

  /** Keeps the line built for row k during the parse (rows come in ascending order). */
  #keep(k: number, line: Line): void {
    if (this.#objs !== undefined) this.#objs[k] = line;
    else {
      this.#builtRows!.push(k);
      this.#builtLines!.push(line);
    }
  }

  /** The line objects by row (built lines in place, holes elsewhere), made on first need. */
  #table(): Line[] {
    let objs = this.#objs;
    if (objs === undefined) {
      objs = new Array<Line>(this.count);
      const rows = this.#builtRows!;
      const lines = this.#builtLines!;
      for (let j = 0; j < rows.length; j++) objs[rows[j]] = lines[j];
      if (this.#later !== undefined) for (const [k, line] of this.#later) objs[k] = line;
      this.#objs = objs;
      this.#builtRows = this.#builtLines = this.#later = undefined;
    }
    return objs;
  }

  #make(k: number): Line {
    const rows = this.rows;
    const r = k * ROW;
    const end = rows[r + 1];
    const comment = rows[r + 2];
    const line = new Line(
      this.store,
      rows[r],
      end,
      comment < 0 ? null : { start: comment, end },
      rows[r + 3],
      rows[r + 4],
    );
    if (this.#shifts !== undefined && this.#shifts[k] !== 0) Line.setShift(line, this.#shifts[k]);
    return line;
  }

  /** The last row starting at or before `offset`, or -1. */
  rowAt(offset: number): number {
    const rows = this.rows;
    let lo = 0;
    let hi = this.count - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (rows[mid * ROW] <= offset) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  /**
   * An edit inside row k's line (after the parse): `line`, lexed on its own, replaces it, and rows
   * from `k + 1` on move by `delta` (the objects built so far with them).
   */
  replace(k: number, line: Line, delta: number): void {
    const objs = this.#table();
    objs[k] = line;
    (this.#replaced ??= new Set()).add(k);
    const r = k * ROW;
    this.rows[r + 1] = line.end;
    this.rows[r + 2] = line.comment ? line.comment.start : -1;
    if (delta === 0) return;
    const rows = this.rows;
    const shifts = (this.#shifts ??= new Int32Array(this.count));
    for (let j = k + 1; j < this.count; j++) {
      const q = j * ROW;
      rows[q] += delta;
      rows[q + 1] += delta;
      if (rows[q + 2] >= 0) rows[q + 2] += delta;
      shifts[j] += delta;
      const built = objs[j];
      if (built !== undefined) Line.shift(built, delta);
    }
  }

  /** The parse is over: every row is known. */
  finish(): void {
    this.#parsing = false;
    this.#genRows = [];
    this.#genLines = [];
    this.#genInfo = [];
  }

  #parsing = true;

  /** Every line object, in order (built now where needed); the array is the table's own. */
  all(): Line[] {
    const objs = this.#table();
    if (!this.#all) {
      for (let k = 0; k < this.count; k++) if (objs[k] === undefined) objs[k] = this.#make(k);
      this.#all = true;
    }
    return objs;
  }

  /** Where each line starts. */
  starts(): number[] {
    const out = new Array<number>(this.count);
    for (let k = 0; k < this.count; k++) out[k] = this.rows[k * ROW];
    return out;
  }
}
