/**
 * Splits one physical line into words the way HAProxy 2.6 does.
 *
 * Facts followed here (HAProxy v2.6.0 sources):
 * - src/cfgparse.c `readcfgfile()`: lines end at '\n' only; leading `isspace()` characters are
 *   skipped ('\r' included); a line whose first non-space character is '[' is a scope
 *   declaration, read by `cfg_parse_scope()` and not split into words; lines are split by
 *   `parse_line()` with env, double quotes, single quotes, backslash, '#' and word expansion
 *   enabled; at most MAX_LINE_ARGS (64, include/haproxy/defaults.h) words.
 * - src/tools.c `parse_line()`: the line stops at NUL, '\n' or '\r'; '#' outside quotes starts
 *   a comment anywhere, even inside a word; `isspace()` runs outside quotes separate words, and
 *   each run counts as a new argument (so trailing blanks count too); single quotes are
 *   literal; outside single quotes a backslash escapes ' ', '\\', '#', '\'', '"', gives a tab,
 *   LF or CR for t/n/r, a byte for xHH (error when not two hex digits), '$' only inside double
 *   quotes, and stays a plain backslash before anything else; '$' starts an environment
 *   reference only inside double quotes: `$NAME` or `${NAME}`, NAME starting with a letter,
 *   '_' or '.' (only .LINE, .FILE and .SECTION exist), then letters, digits, '_'; inside braces
 *   an optional `[*]` (word expansion) and an optional `-default` up to the '}'.
 * The first lexical error wins and HAProxy then skips the whole line; after it, the unmatched
 * quote, then "too many words". We report the same single error and still return the words,
 * read on as well as possible, so that editors keep working on the line.
 */
import { clipWord } from '../../words';
import type { Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';
import type { HaproxyConditional, HaproxyLine, HaproxySection, HaproxyStatement, HaproxyWord } from './types';
import { roomForPair } from '../pairs';

/** include/haproxy/defaults.h (v2.6): `#define MAX_LINE_ARGS 64`. */
export const MAX_LINE_ARGS = 64;

/** What lexLine() found besides the line itself (one shared object, overwritten by each call). */
export interface LexInfo {
  /** Where a NUL byte stopped the line, or -1. */
  nulAt: number;
  /** Where a stray carriage return stopped the line, or -1. */
  crAt: number;
  /** The line's lexical error, if any (HAProxy reports only the first one of a line). */
  error: SyntaxDiagnostic | null;
}

export const lexInfo: LexInfo = { nulAt: -1, crAt: -1, error: null };

/** Shared by every line without words (most blank and comment lines); frozen. */
const NO_WORDS = Object.freeze([]) as unknown as HaproxyWord[];

/** C `isspace()` in the C locale: space, \t, \n, \v, \f, \r. */
export function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

function err(code: string, message: string, start: number, end: number): SyntaxDiagnostic {
  return { code, message, severity: 'error', start, end: Math.max(end, start) };
}

const INTERNAL_VARS = new Set(['.LINE', '.FILE', '.SECTION']);

/**
 * Memory layout. A large file has tens of thousands of lines and over a hundred thousand words,
 * and a parse used to spend most of its time allocating word objects and their strings (and the
 * garbage collector most of the rest, copying them: they live as long as the tree). So the words
 * of a parse are kept as offsets in one typed array, and a line builds its word objects only
 * when `words` is first read (then cached: the same objects on every read). A plain word's raw
 * text is its value; only words with quotes, escapes or environment references have their value
 * (worked out by the lexer) stored aside. Lines likewise are rows of numbers in a LineTable (below)
 * until a line object is asked for; statements, which the parser needs as objects anyway, read
 * their keyword from the table without building their line or any word.
 */
export class WordStore {
  /**
   * Word k spans [data[2k], data[2k + 1]) of `text`; the end is stored as ~end (negative) for a
   * word whose value is not its raw text or that refers to environment variables.
   */
  data: Int32Array;
  count = 0;
  /** The text the offsets index (the text lexed; lines moved by later edits add their shift). */
  readonly text: string;
  /** Value and environment references of the words whose value is not their raw text, by index. */
  special: Map<number, SpecialWord> | undefined = undefined;

  constructor(text: string, capacity = 8) {
    this.text = text;
    this.data = new Int32Array(Math.max(16, capacity * 2));
  }

  push(start: number, end: number): number {
    const k = this.count++;
    const data = (this.data = roomForPair(this.data, k));
    data[2 * k] = start;
    data[2 * k + 1] = end;
    return k;
  }

  setSpecial(k: number, value: string, envRefs: string[] | null): void {
    (this.special ??= new Map()).set(k, { value, envRefs });
    this.data[2 * k + 1] = ~this.data[2 * k + 1];
  }

  /** The value of word k (its raw text unless stored aside; short words shared, see internSlice()). */
  value(k: number): string {
    const end = this.data[2 * k + 1];
    return end >= 0 ? internSlice(this.text, this.data[2 * k], end) : this.special!.get(k)!.value;
  }

  /**
   * The value of word k as a string of its own, not shared through internSlice() (for words read
   * once and kept by the tree, such as section names: interning a unique word costs a copy).
   */
  valueOnce(k: number): string {
    const end = this.data[2 * k + 1];
    return end >= 0 ? this.text.slice(this.data[2 * k], end) : this.special!.get(k)!.value;
  }

  /** The word object of word k, its offsets moved by `shift`. */
  word(k: number, shift: number): HaproxyWord {
    const start = this.data[2 * k];
    const end = this.data[2 * k + 1];
    if (end >= 0) {
      const raw = internSlice(this.text, start, end);
      return { start: start + shift, end: end + shift, raw, value: raw };
    }
    const sp = this.special!.get(k)!;
    const w: HaproxyWord = {
      start: start + shift,
      end: ~end + shift,
      raw: this.text.slice(start, ~end),
      value: sp.value,
    };
    if (sp.envRefs) w.envRefs = sp.envRefs;
    return w;
  }
}

interface SpecialWord {
  value: string;
  envRefs: string[] | null;
}

/** What few lines have: a shift (edits before the line moved it), an ignored tail, a scope, an error. */
interface LineExtra {
  shift: number;
  ignored: Span | undefined;
  scope: Span | undefined;
  invalid: boolean | undefined;
}

/**
 * A line of the tree: its words live in a WordStore (see above) until `words` is read. The indent
 * and line-break spans are read again from the text when asked for, and what few lines have is
 * kept in one side object: a large file has tens of thousands of lines, and every field of a
 * line is memory the garbage collector copies while the tree is young.
 */
export class Line implements HaproxyLine {
  declare readonly type: 'line';
  start: number;
  end: number;
  comment: Span | null;
  #store: WordStore;
  /** Index of the first word in the store, and how many there are. */
  #first: number;
  #count: number;
  #words: HaproxyWord[] | undefined = undefined;
  /** `words.slice(1)`, for the statement of this line (see argsOf()). */
  #args: HaproxyWord[] | undefined = undefined;
  #x: LineExtra | undefined = undefined;

  constructor(store: WordStore, start: number, end: number, comment: Span | null, first: number, count: number) {
    this.start = start;
    this.end = end;
    this.comment = comment;
    this.#store = store;
    this.#first = first;
    this.#count = count;
  }

  #extra(): LineExtra {
    return (this.#x ??= { shift: 0, ignored: undefined, scope: undefined, invalid: undefined });
  }

  get words(): HaproxyWord[] {
    let words = this.#words;
    if (words === undefined) {
      const n = this.#count;
      if (n === 0) words = NO_WORDS;
      else {
        const shift = this.#x === undefined ? 0 : this.#x.shift;
        words = new Array<HaproxyWord>(n);
        for (let k = 0; k < n; k++) words[k] = this.#store.word(this.#first + k, shift);
      }
      this.#words = words;
    }
    return words;
  }

  /** `words.length`, without building the words. */
  get wordCount(): number {
    return this.#count;
  }

  /** `words[k].value` (k < wordCount), without building the words. */
  wordValue(k: number): string {
    return this.#words !== undefined ? this.#words[k].value : this.#store.value(this.#first + k);
  }

  get ignored(): Span | undefined {
    return this.#x === undefined ? undefined : this.#x.ignored;
  }

  set ignored(span: Span | undefined) {
    this.#extra().ignored = span;
  }

  get scope(): Span | undefined {
    return this.#x === undefined ? undefined : this.#x.scope;
  }

  set scope(span: Span | undefined) {
    this.#extra().scope = span;
  }

  get invalid(): boolean | undefined {
    return this.#x === undefined ? undefined : this.#x.invalid;
  }

  set invalid(flag: boolean | undefined) {
    this.#extra().invalid = flag;
  }

  /** The leading blanks (every `isspace()` character, as readcfgfile() skips them). */
  get indent(): Span {
    const shift = this.#x === undefined ? 0 : this.#x.shift;
    const text = this.#store.text;
    const end = this.end - shift;
    let i = this.start - shift;
    while (i < end && isSpaceCode(text.charCodeAt(i))) i++;
    return { start: this.start, end: i + shift };
  }

  /** The line break: "\r\n" or "\n" after the line, or nothing at the end of the text. */
  get eol(): Span {
    const shift = this.#x === undefined ? 0 : this.#x.shift;
    const c = this.#store.text.charCodeAt(this.end - shift);
    return { start: this.end, end: this.end + (c === 13 ? 2 : c === 10 ? 1 : 0) };
  }

  /** The words after the first, built on first request (then the same array). */
  static args(l: Line): HaproxyWord[] {
    return (l.#args ??= l.words.slice(1));
  }

  /** Sets the shift of a line just built from stored words that edits have moved since. */
  static setShift(l: Line, shift: number): void {
    l.#extra().shift = shift;
  }

  /** Moves the line and everything in it by `delta` code units (an edit earlier in the file). */
  static shift(l: Line, delta: number): void {
    l.start += delta;
    l.end += delta;
    l.#extra().shift += delta;
    const words = l.#words;
    if (words !== undefined) {
      for (let i = 0; i < words.length; i++) {
        const w = words[i];
        w.start += delta;
        w.end += delta;
      }
    }
    if (l.comment) shiftSpan(l.comment, delta);
    const x = l.#x!;
    if (x.ignored) shiftSpan(x.ignored, delta);
    if (x.scope) shiftSpan(x.scope, delta);
  }

  /** Plain data for JSON.stringify (most fields are getters). */
  toJSON(): object {
    return {
      type: this.type,
      start: this.start,
      end: this.end,
      words: this.words,
      comment: this.comment,
      indent: this.indent,
      eol: this.eol,
      ignored: this.ignored,
      scope: this.scope,
      invalid: this.invalid,
    };
  }
}
Object.defineProperty(Line.prototype, 'type', { value: 'line', enumerable: true });

/** A statement's `args`: the words of its line after the first (the same array on every read). */
export function argsOf(line: HaproxyLine): HaproxyWord[] {
  return Line.args(line as Line);
}

/** Moves a line and everything in it by `delta` code units (an edit earlier in the file). */
export function shiftLine(line: HaproxyLine, delta: number): void {
  Line.shift(line as Line, delta);
}

export function shiftSpan(span: Span, delta: number): void {
  span.start += delta;
  span.end += delta;
}

/**
 * Short plain words (keywords, common arguments) repeat all over a configuration: sharing one
 * string per distinct word keeps the tree small and the garbage collector idle. Bounded.
 */
const INTERN_MAX_LENGTH = 48;
/**
 * A direct-mapped cache (one string per slot, the last one wins): no growth. The slot comes from
 * the length and four characters (hashing every character cost more than it saved); a hit is
 * confirmed by comparing the whole word with startsWith(), which the engine does natively.
 */
const INTERN_SLOTS = 1 << 13;
const internTable: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

/** text.slice(start, end), shared with earlier equal slices when short. */
export function internSlice(text: string, start: number, end: number): string {
  const len = end - start;
  if (len > INTERN_MAX_LENGTH || len === 0) return text.slice(start, end);
  const h =
    len * 0x3c6ef372 +
    text.charCodeAt(start) * 0x1b873593 +
    text.charCodeAt(start + (len >> 1)) * 0xcc9e2d51 +
    text.charCodeAt(end - 1) * 0x85ebca6b +
    text.charCodeAt(start + (len > 1 ? 1 : 0));
  const slot = (Math.imul(h | 0, 0x9e3779b1) >>> 19) & (INTERN_SLOTS - 1);
  const hit = internTable[slot];
  if (hit !== undefined && hit.length === len && text.startsWith(hit, start)) return hit;
  // A slice of 13 characters or more may point into the whole text and keep it alive: keep a copy.
  const s = len >= 13 ? (' ' + text.slice(start, end)).slice(1) : text.slice(start, end);
  internTable[slot] = s;
  return s;
}

/**
 * Keywords read from bytes (LineTable.keywordSlot()). The first word of a statement is one of a
 * few dozen keywords, over and over: a direct-mapped table (slot from the length and three
 * bytes) keeps each keyword's string and bytes, and a word equal byte for byte to a slot's bytes
 * is that slot's string. Bounded and process-wide; it only maps byte strings to equal strings, so
 * whatever it holds, a parse reads the same keywords.
 */
const KW_SLOTS = 1 << 10;
const KW_MAX = 32;
/** The keyword string of each slot (undefined while the slot is empty). */
export const keywordStrings: (string | undefined)[] = new Array<string | undefined>(KW_SLOTS).fill(undefined);
const keywordBytes = new Uint8Array(KW_SLOTS * KW_MAX);
/** keywordBytes read four bytes at a time, in the platform order (DataView.getInt32() reads the text in the same order). */
const keywordWords = new Int32Array(keywordBytes.buffer);
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const keywordLengths = new Uint8Array(KW_SLOTS);

/** The slot holding the word bytes[start, end) (text[start, end) as a string), or -1 when it is too long. */
function keywordSlot(bytes: Uint8Array, text: string, start: number, end: number): number {
  const len = end - start;
  if (len > KW_MAX) return -1;
  const h =
    len * 0x3c6ef372 + bytes[start] * 0x1b873593 + bytes[start + (len >> 1)] * 0xcc9e2d51 + bytes[end - 1] * 0x85ebca6b;
  const slot = (Math.imul(h | 0, 0x9e3779b1) >>> 22) & (KW_SLOTS - 1);
  const at = slot * KW_MAX;
  if (keywordLengths[slot] === len) {
    // four bytes at a time, then the rest one by one
    const view = bytes === scratchBytes ? scratchView : new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let j = 0;
    while (j + 4 <= len && view.getInt32(start + j, littleEndian) === keywordWords[(at + j) >> 2]) j += 4;
    if (j + 4 > len) while (j < len && keywordBytes[at + j] === bytes[start + j]) j++;
    if (j === len) return slot;
  }
  keywordStrings[slot] = internSlice(text, start, end);
  keywordBytes.set(bytes.subarray(start, end), at);
  keywordLengths[slot] = len;
  return slot;
}

/** Where scanPlainLine() found a comment, or -1 (module-level: no object per line). */
let scanComment = -1;

/** The first offset in [i, end) that is not a blank HAProxy skips before a word (space, tab, VT, FF), or end. */
function skipBlanks(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 11 || c === 12) i++;
    else break;
  }
  return i;
}

/**
 * The fast path of the lexer, for the common line: only blanks (space, tab, \v, \f), plain word
 * characters and an unquoted '#'. Pushes the words into the store and returns true; returns
 * false (leaving store.count to the caller to restore) as soon as the line holds anything else —
 * a quote, a backslash, a NUL, a carriage return, another control character, a leading '[' — or
 * as many blank runs as HAProxy refuses: lexSlow() then reads it. '$' is a plain character
 * outside double quotes, and '#' starts a comment anywhere outside quotes, even inside a word.
 */
function scanPlainLine(store: WordStore, text: string, start: number, end: number): boolean {
  let i = skipBlanks(text, start, end);
  let c = i < end ? text.charCodeAt(i) : 0;
  scanComment = -1;
  if (i < end && c === 91 /* [ */) return false;
  let separators = 0;
  while (i < end) {
    // i is at the first character of a word (or of a comment).
    c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      scanComment = i;
      return true;
    }
    if (c < 33 || c === 34 || c === 39 || c === 92) return false;
    const wordStart = i;
    while (++i < end) {
      c = text.charCodeAt(i);
      if (c > 39) {
        if (c === 92) break;
      } else if (c < 33 || c === 34 || c === 35 || c === 39) break;
    }
    store.push(wordStart, i);
    if (i >= end) return true;
    if (c === 35) {
      scanComment = i;
      return true;
    }
    if (c !== 32 && c !== 9 && c !== 11 && c !== 12) return false;
    // A run of blanks: one more separator, as in parse_line().
    while (++i < end) {
      c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 11 && c !== 12) break;
    }
    if (++separators >= MAX_LINE_ARGS) return false;
  }
  return true;
}

/**
 * Lexes the line text[start, end) (its line break, if any, follows it in the text) into `store`.
 * Side results go to lexInfo.
 */
export function lexInto(store: WordStore, text: string, start: number, end: number): Line {
  const first = store.count;
  if (scanPlainLine(store, text, start, end)) {
    lexInfo.nulAt = -1;
    lexInfo.crAt = -1;
    lexInfo.error = null;
    return new Line(
      store,
      start,
      end,
      scanComment < 0 ? null : { start: scanComment, end },
      first,
      store.count - first,
    );
  }
  store.count = first;
  return lexSlow(store, text, start, end);
}

/**
 * The bytes of an ASCII-only text, for LineTable.lexAllBytes(): one byte per UTF-16 code unit, so
 * byte offsets are the text's offsets, followed by a '\n' sentinel at bytes[text.length] (the
 * scanner needs no bound check). Null when the text holds any other character (the lexer then
 * reads the text itself). The buffer is scratch space, overwritten by the next call and holding
 * no result of any parse: texts of up to SCRATCH_KEEP characters share one; a larger text gets
 * a buffer of its own, let go at the next call.
 */
export function asciiBytes(text: string): Uint8Array | null {
  const len = text.length;
  let bytes = scratch;
  if (bytes.length < len + 1) {
    bytes = new Uint8Array(len < SCRATCH_KEEP ? Math.min(SCRATCH_KEEP, len + (len >> 3)) + 1 : len + 1);
    if (len < SCRATCH_KEEP) scratch = bytes;
  }
  // encodeInto() reads as many characters as fit; all of them in as many bytes means all ASCII.
  const res = textEncoder.encodeInto(text, bytes.subarray(0, len));
  if (res.read !== len || res.written !== len) return null;
  bytes[len] = 10;
  if (bytes !== scratchBytes) {
    scratchBytes = bytes;
    scratchView = new DataView(bytes.buffer);
  }
  return bytes;
}

const SCRATCH_KEEP = 1 << 22;
let scratch = new Uint8Array(0);
/** The last buffer asciiBytes() returned, and a DataView of it (see keywordSlot()). */
let scratchBytes = scratch;
let scratchView = new DataView(scratch.buffer);
const textEncoder = new TextEncoder();

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
   * Line objects built so far: during the parse and until a line is asked for by row afterwards,
   * the rows (ascending) and their lines in two lists; then an array indexed by row (see #table()).
   */
  #builtRows: number[] | undefined = [];
  #builtLines: Line[] | undefined = [];
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
    if (this.#spaced(text, start, end) || ((store.count = first), scanPlainLine(store, text, start, end))) {
      rows[r + 2] = scanComment;
      rows[r + 4] = store.count - first;
      return;
    }
    store.count = first;
    this.#general(k, text, start, end);
  }

  /**
   * The keywordStrings slot of row k's first word, for a row lexAllBytes() read without the
   * general lexer (its first word is plain: its value is its text), or -1 when the word is too long.
   */
  keywordSlot(k: number, bytes: Uint8Array): number {
    const w = this.rows[k * ROW + 3];
    const data = this.store.data;
    return keywordSlot(bytes, this.store.text, data[2 * w], data[2 * w + 1]);
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
   * whole parse stays linear. Returns false, leaving store.count to the caller to restore, when
   * the line is not such a line (or has as many blank runs as HAProxy refuses).
   */
  #spaced(text: string, start: number, end: number): boolean {
    let i = skipBlanks(text, start, end);
    const c = i < end ? text.charCodeAt(i) : 0;
    scanComment = -1;
    if (i >= end) return true;
    if (c === 91 /* [ */) return false;
    if (this.#special < i) this.#special = this.#nextSpecial(text, i);
    if (this.#hash < i) {
      const h = text.indexOf('#', i);
      this.#hash = h < 0 ? text.length : h;
    }
    let stop = end;
    if (this.#hash < end) stop = scanComment = this.#hash;
    if (this.#special < stop) return false;
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
      if (++separators >= MAX_LINE_ARGS) return false;
    }
    return true;
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
    let objs = this.#objs;
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
      objs = this.#table();
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
      this.#objs = objs;
      this.#builtRows = this.#builtLines = undefined;
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

/**
 * Lexes the line text[start, end) (its line break, if any, follows it in the text) as a line of
 * its own, with its own word store. Side results go to lexInfo.
 */
export function lexLine(text: string, start: number, end: number): HaproxyLine {
  return lexInto(new WordStore(text), text, start, end);
}

/** The general lexer: any line (quotes, escapes, environment references, errors, scopes). */
function lexSlow(store: WordStore, text: string, start: number, end: number): Line {
  let i = start;
  // Leading white space: readcfgfile() skips every isspace() character, '\r' included.
  while (i < end && isSpaceCode(text.charCodeAt(i))) i++;
  if (i < end && text.charCodeAt(i) === 91 /* [ */) return lexScope(store, text, start, i, end);

  const first = store.count;
  let comment: Span | null = null;
  let ignored: Span | null = null;
  let nulAt = -1;
  let crAt = -1;
  let firstError: SyntaxDiagnostic | null = null;
  let tooManyAt = -1;
  let separators = 0;

  let squote = false;
  let dquote = false;
  let quoteAt = -1;
  let wordStart = -1;
  let segStart = -1; // start of the pending run copied verbatim into the value
  let value = '';
  let envRefs: string[] | null = null;

  while (i < end) {
    const c = text.charCodeAt(i);
    if (c >= 45 && c !== 92) {
      // The common case: letters, digits, '-', '.', '/', ':' ... and any non-ASCII character.
      if (wordStart < 0) wordStart = segStart = i;
      while (++i < end) {
        const d = text.charCodeAt(i);
        if (d < 45 || d === 92) break;
      }
      continue;
    }
    if (c === 0 || c === 13 || c === 10) {
      if (c === 0) nulAt = i;
      else crAt = i;
      ignored = { start: i, end };
      break;
    }
    if (c === 35 /* # */ && !squote && !dquote) {
      comment = { start: i, end };
      break;
    }
    if (c === 34 /* " */ && !squote) {
      if (wordStart < 0) wordStart = segStart = i;
      value += text.slice(segStart, i);
      dquote = !dquote;
      quoteAt = dquote ? i : -1;
      i++;
      segStart = i;
      continue;
    }
    if (c === 39 /* ' */ && !dquote) {
      if (wordStart < 0) wordStart = segStart = i;
      value += text.slice(segStart, i);
      squote = !squote;
      quoteAt = squote ? i : -1;
      i++;
      segStart = i;
      continue;
    }
    if (c === 92 /* \ */ && !squote) {
      if (wordStart < 0) wordStart = segStart = i;
      value += text.slice(segStart, i);
      const n = i + 1 < end ? text.charCodeAt(i + 1) : 0;
      let out = '\\';
      let len = 1;
      switch (n) {
        case 32:
        case 92:
          out = String.fromCharCode(n);
          len = 2;
          break;
        case 116:
          out = '\t';
          len = 2;
          break; // t
        case 110:
          out = '\n';
          len = 2;
          break; // n
        case 114:
          out = '\r';
          len = 2;
          break; // r
        case 35:
          out = '#';
          len = 2;
          break;
        case 39:
          out = "'";
          len = 2;
          break;
        case 34:
          out = '"';
          len = 2;
          break;
        case 36:
          if (dquote) {
            out = '$';
            len = 2;
          }
          break;
        case 120: {
          // x
          const h1 = i + 2 < end ? text.charCodeAt(i + 2) : 0;
          const h2 = i + 3 < end ? text.charCodeAt(i + 3) : 0;
          if (isHex(h1) && isHex(h2)) {
            out = String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
            len = 4;
          } else {
            const stop = isHex(h1) ? i + 3 : i + 2;
            firstError ??= err(
              'bad-escape',
              'truncated or invalid hexadecimal sequence: "\\x" must be followed by two hexadecimal digits',
              i,
              stop,
            );
          }
          break;
        }
        default:
          break;
      }
      value += out;
      i += len;
      segStart = i;
      continue;
    }
    if (!squote && !dquote && isSpaceCode(c)) {
      if (wordStart >= 0) {
        pushWord(store, text, wordStart, i, segStart, value, envRefs);
        wordStart = -1;
        value = '';
        envRefs = null;
      }
      const runStart = i;
      while (i < end && isSpaceCode(text.charCodeAt(i))) i++; // '\r' included, as in parse_line()
      separators++;
      if (separators >= MAX_LINE_ARGS && tooManyAt < 0) tooManyAt = runStart;
      continue;
    }
    if (c === 36 /* $ */ && dquote) {
      if (wordStart < 0) wordStart = segStart = i;
      const r = readEnvRef(text, i, end);
      if (r.error) {
        firstError ??= r.error;
        i++; // read on with the '$' as a plain character
        continue;
      }
      (envRefs ??= []).push(r.name);
      i = r.next; // kept literally in the value
      continue;
    }
    // Any other character is part of the word.
    if (wordStart < 0) wordStart = segStart = i;
    i++;
  }
  const stop = comment ? comment.start : ignored ? ignored.start : end;
  if (wordStart >= 0) pushWord(store, text, wordStart, stop, segStart, value, envRefs);

  let error: SyntaxDiagnostic | null = firstError;
  if (!error && quoteAt >= 0) {
    const q = text[quoteAt];
    error = err(
      'unterminated-quote',
      `unmatched ${q === '"' ? 'double' : 'single'} quote: the line ends before the closing ${q}`,
      quoteAt,
      end,
    );
  }
  if (!error && tooManyAt >= 0) {
    error = err(
      'too-many-words',
      `too many words: HAProxy reads at most ${MAX_LINE_ARGS} words per line (blanks at the end of the line count as a separator too)`,
      tooManyAt,
      stop,
    );
    if (error.end === error.start) error.end = Math.min(end, error.start + 1);
  }
  lexInfo.nulAt = nulAt;
  lexInfo.crAt = crAt;
  lexInfo.error = error;
  const line = new Line(store, start, end, comment, first, store.count - first);
  if (ignored) line.ignored = ignored;
  return line;
}

/** Stores the word [start, end); its value is its raw text unless quotes or escapes were met (segStart moved). */
function pushWord(
  store: WordStore,
  text: string,
  start: number,
  end: number,
  segStart: number,
  value: string,
  envRefs: string[] | null,
): void {
  const k = store.push(start, end);
  if (segStart !== start || envRefs)
    store.setSpecial(k, segStart === start ? text.slice(start, end) : value + text.slice(segStart, end), envRefs);
}

interface EnvRef {
  name: string;
  next: number;
  error: SyntaxDiagnostic | null;
}

/** Reads `$NAME` or `${NAME...}` at text[at] === '$' (inside double quotes). */
function readEnvRef(text: string, at: number, end: number): EnvRef {
  let j = at + 1;
  let brace = -1;
  if (j < end && text.charCodeAt(j) === 123 /* { */) brace = j++;
  const c0 = j < end ? text.charCodeAt(j) : 0;
  if (!isAlpha(c0) && c0 !== 95 && c0 !== 46) {
    return {
      name: '',
      next: j,
      error: err(
        'bad-env-name',
        'forbidden first character in environment variable name (write \\$ for a literal dollar sign inside double quotes)',
        at,
        j,
      ),
    };
  }
  const nameStart = j;
  if (c0 === 46) j++;
  while (j < end) {
    const c = text.charCodeAt(j);
    if (isAlpha(c) || isDigit(c) || c === 95) j++;
    else break;
  }
  const name = text.slice(nameStart, j);
  if (c0 === 46 && !INTERNAL_VARS.has(name)) {
    return {
      name,
      next: j,
      error: err(
        'bad-env-name',
        `unknown internal variable '${clipWord(name)}' (HAProxy 2.6 knows .LINE, .FILE and .SECTION)`,
        nameStart,
        j,
      ),
    };
  }
  if (brace >= 0 && j < end && text.charCodeAt(j) === 91 /* [ */) {
    if (text.charCodeAt(j + 1) === 42 && text.charCodeAt(j + 2) === 93 && j + 2 < end) j += 3;
    else
      return {
        name,
        next: j,
        error: err(
          'bad-word-expansion',
          'truncated or invalid word expansion: expected "[*]"',
          j,
          Math.min(end, j + 3),
        ),
      };
  }
  if (brace >= 0) {
    if (j < end && text.charCodeAt(j) === 45 /* - */) {
      // The default value is taken verbatim up to the closing brace.
      let k = j;
      while (k < end && text.charCodeAt(k) !== 125 && text.charCodeAt(k) !== 0) k++;
      if (k >= end || text.charCodeAt(k) !== 125) {
        return {
          name,
          next: j,
          error: err('unmatched-brace', 'unmatched brace in environment variable reference: missing "}"', at, k),
        };
      }
      j = k;
    } else if (j >= end || text.charCodeAt(j) !== 125) {
      return {
        name,
        next: j,
        error: err('unmatched-brace', 'unmatched brace in environment variable reference: missing "}"', at, j),
      };
    }
    j++;
  }
  return { name, next: j, error: null };
}

/**
 * A `[name]` scope line (src/cfgparse.c `cfg_parse_scope()`): the name runs to the first ']'
 * on the line, must be non-empty and made of [A-Za-z0-9_:.-]; only blanks or a comment may
 * follow.
 */
function lexScope(store: WordStore, text: string, start: number, open: number, end: number): Line {
  let close = -1;
  let nulAt = -1;
  let stopAt = end;
  for (let k = open + 1; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 0) {
      nulAt = k;
      stopAt = k;
      break;
    }
    if (c === 93) {
      close = k;
      break;
    }
  }
  // The whole `[name]` is the line's one word (its value is its raw text).
  const res = new Line(store, start, end, null, store.push(open, close < 0 ? stopAt : close + 1), 1);
  lexInfo.nulAt = nulAt;
  lexInfo.crAt = -1;
  lexInfo.error = null;
  if (close < 0) {
    if (nulAt >= 0) res.ignored = { start: nulAt, end };
    res.scope = { start: Math.min(open + 1, stopAt), end: stopAt };
    lexInfo.error = err('empty-scope', "scope declaration without its closing ']'", open, stopAt);
    return res;
  }
  res.scope = { start: open + 1, end: close };
  if (close === open + 1) {
    lexInfo.error = err('empty-scope', 'empty scope name', open, close + 1);
  } else {
    for (let k = open + 1; k < close; k++) {
      if (!isNameCode(text.charCodeAt(k))) {
        lexInfo.error = err(
          'invalid-name',
          `character '${clipWord(text[k])}' is not permitted in a scope name`,
          k,
          k + 1,
        );
        break;
      }
    }
  }
  let k = close + 1;
  while (k < end && isSpaceCode(text.charCodeAt(k))) k++;
  if (k < end) {
    const c = text.charCodeAt(k);
    if (c === 35) res.comment = { start: k, end };
    else if (c === 0) {
      lexInfo.nulAt = k;
      res.ignored = { start: k, end };
    } else {
      // HAProxy refuses the line; keep the rest as text it does not read.
      res.ignored = { start: k, end };
      if (!lexInfo.error)
        lexInfo.error = err(
          'scope-trailing',
          `character '${clipWord(text[k])}' is not permitted after a scope declaration`,
          k,
          end,
        );
    }
  }
  return res;
}

/** src/tools.c `invalid_char()`: names accept [A-Za-z0-9_:.-] only. */
export function isNameCode(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 46 || c === 58 || c === 95 || c === 45;
}

/** Index of the first character `invalid_char()` refuses in `name` (0 for an empty name), or -1. */
export function invalidNameChar(name: string): number {
  return invalidNameCharIn(name, 0, name.length);
}

/**
 * invalidNameChar(text.slice(start, end)), without the slice (an offset from start, or -1); or
 * the same over the bytes of an ASCII text (see asciiBytes()).
 */
export function invalidNameCharIn(text: string | Uint8Array, start: number, end: number): number {
  if (end <= start) return 0;
  if (typeof text !== 'string') {
    for (let k = start; k < end; k++) if (!isNameCode(text[k])) return k - start;
    return -1;
  }
  for (let k = start; k < end; k++) if (!isNameCode(text.charCodeAt(k))) return k - start;
  return -1;
}
