/**
 * The words and lines of a HAProxy parse: a WordStore keeps every word as offsets, a Line builds
 * its word objects on first read.
 */
import type { Span } from '../../text';
import { roomForPair } from '../pairs';
import { internSlice as intern } from './intern';
import { isSpaceCode } from './chars';
import type { HaproxyLine, HaproxyWord } from './types';

// Called for every word read, so bound once here: loaded through tsx (the tests, the benchmarks)
// each read of an imported name is a getter call.
const internSlice = intern;

/** Shared by every line without words (most blank and comment lines); frozen. */
const NO_WORDS = Object.freeze([]) as unknown as HaproxyWord[];

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

  /** Whether value(k) is `s`, without making the word's string. */
  is(k: number, s: string): boolean {
    const end = this.data[2 * k + 1];
    if (end < 0) return this.special!.get(k)!.value === s;
    const start = this.data[2 * k];
    return end - start === s.length && this.text.startsWith(s, start);
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
