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
import type { Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';
import type { HaproxyLine, HaproxyWord } from './types';

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
const wordScratch: HaproxyWord[] = [];

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
 * Lexes the line text[start, end) whose line break ends at eolEnd. Side results go to lexInfo.
 */
export function lexLine(text: string, start: number, end: number, eolEnd: number): HaproxyLine {
  let i = start;
  // Leading white space: readcfgfile() skips every isspace() character, '\r' included.
  while (i < end && isSpaceCode(text.charCodeAt(i))) i++;
  const indentEnd = i;
  if (i < end && text.charCodeAt(i) === 91 /* [ */) return lexScope(text, start, indentEnd, i, end, eolEnd);

  // Words are collected in a shared scratch array and copied out at their exact count: a literal
  // [] grown by push() would keep room for 17 elements on every line of the tree.
  const scratch = wordScratch;
  let count = 0;
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
  let hash = 0; // of a plain word, for interning

  while (i < end) {
    const c = text.charCodeAt(i);
    if (c >= 45 && c !== 92) {
      // The common case: letters, digits, '-', '.', '/', ':' ... and any non-ASCII character.
      if (wordStart < 0) wordStart = segStart = i;
      let h = (Math.imul(hash, 31) + c) | 0;
      while (++i < end) {
        const d = text.charCodeAt(i);
        if (d < 45 || d === 92) break;
        h = (Math.imul(h, 31) + d) | 0;
      }
      hash = h;
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
        case 32: case 92: out = String.fromCharCode(n); len = 2; break;
        case 116: out = '\t'; len = 2; break; // t
        case 110: out = '\n'; len = 2; break; // n
        case 114: out = '\r'; len = 2; break; // r
        case 35: out = '#'; len = 2; break;
        case 39: out = "'"; len = 2; break;
        case 34: out = '"'; len = 2; break;
        case 36: if (dquote) { out = '$'; len = 2; } break;
        case 120: { // x
          const h1 = i + 2 < end ? text.charCodeAt(i + 2) : 0;
          const h2 = i + 3 < end ? text.charCodeAt(i + 3) : 0;
          if (isHex(h1) && isHex(h2)) {
            out = String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
            len = 4;
          } else {
            const stop = isHex(h1) ? i + 3 : i + 2;
            firstError ??= (err('bad-escape', 'truncated or invalid hexadecimal sequence: "\\x" must be followed by two hexadecimal digits', i, stop));
          }
          break;
        }
        default: break;
      }
      value += out;
      i += len;
      segStart = i;
      continue;
    }
    if (!squote && !dquote && isSpaceCode(c)) {
      if (wordStart >= 0) {
        scratch[count++] = makeWord(text, wordStart, i, segStart, value, envRefs, hash);
        wordStart = -1;
        hash = 0;
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
    hash = (Math.imul(hash, 31) + c) | 0;
    i++;
  }
  const stop = comment ? comment.start : ignored ? ignored.start : end;
  if (wordStart >= 0) scratch[count++] = makeWord(text, wordStart, stop, segStart, value, envRefs, hash);
  let words = NO_WORDS;
  if (count > 0) {
    words = new Array<HaproxyWord>(count);
    for (let k = 0; k < count; k++) words[k] = scratch[k];
  }

  let error: SyntaxDiagnostic | null = firstError;
  if (!error && quoteAt >= 0) {
    const q = text[quoteAt];
    error = err('unterminated-quote', `unmatched ${q === '"' ? 'double' : 'single'} quote: the line ends before the closing ${q}`, quoteAt, end);
  }
  if (!error && tooManyAt >= 0) {
    error = err('too-many-words', `too many words: HAProxy reads at most ${MAX_LINE_ARGS} words per line (blanks at the end of the line count as a separator too)`, tooManyAt, stop);
    if (error.end === error.start) error.end = Math.min(end, error.start + 1);
  }
  lexInfo.nulAt = nulAt;
  lexInfo.crAt = crAt;
  lexInfo.error = error;
  const line = new Line(start, end, words, comment, indentEnd, eolEnd);
  if (ignored) line.ignored = ignored;
  return line;
}

/**
 * A line of the tree. The indent and line-break spans are derived from two numbers on demand
 * (a large file has tens of thousands of lines: two objects fewer per line is a good part of the
 * parse time, most of it spent by the garbage collector on objects that live as long as the tree).
 * Every optional field is present from the start, so all lines share one shape.
 */
class Line implements HaproxyLine {
  readonly type = 'line' as const;
  ignored?: Span = undefined;
  scope?: Span = undefined;
  invalid?: boolean = undefined;
  constructor(
    public start: number,
    public end: number,
    public words: HaproxyWord[],
    public comment: Span | null,
    /** Where the indent ends. */
    public indentEnd: number,
    /** Where the line break ends. */
    public eolEnd: number,
  ) {}
  get indent(): Span {
    return { start: this.start, end: this.indentEnd };
  }
  get eol(): Span {
    return { start: this.end, end: this.eolEnd };
  }
}

/** Moves a line and everything in it by `delta` code units (an edit earlier in the file). */
export function shiftLine(line: HaproxyLine, delta: number): void {
  const l = line as Line;
  l.start += delta;
  l.end += delta;
  l.indentEnd += delta;
  l.eolEnd += delta;
  const words = l.words;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    w.start += delta;
    w.end += delta;
  }
  if (l.comment) shiftSpan(l.comment, delta);
  if (l.ignored) shiftSpan(l.ignored, delta);
  if (l.scope) shiftSpan(l.scope, delta);
}

export function shiftSpan(span: Span, delta: number): void {
  span.start += delta;
  span.end += delta;
}

/**
 * Short plain words (keywords, common arguments) repeat all over a configuration: sharing one
 * string per distinct word keeps the tree small and the garbage collector idle, which is most
 * of the parse time on large files. Bounded; cleared when full.
 */
const INTERN_MAX_LENGTH = 48;
/** A direct-mapped cache (one string per slot, the last one wins): no hashing of keys, no growth. */
const INTERN_SLOTS = 1 << 13;
const internTable: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

function intern(text: string, start: number, end: number, hash: number): string {
  const len = end - start;
  if (len > INTERN_MAX_LENGTH) return text.slice(start, end);
  const slot = (Math.imul(hash ^ len, 0x9e3779b1) >>> 19) & (INTERN_SLOTS - 1);
  const hit = internTable[slot];
  if (hit !== undefined && hit.length === len && text.startsWith(hit, start)) return hit;
  const s = text.slice(start, end);
  internTable[slot] = s;
  return s;
}

function makeWord(text: string, start: number, end: number, segStart: number, value: string, envRefs: string[] | null, hash: number): HaproxyWord {
  const raw = segStart === start ? intern(text, start, end, hash) : text.slice(start, end);
  const w: HaproxyWord = { start, end, raw, value: segStart === start ? raw : value + text.slice(segStart, end) };
  if (envRefs) w.envRefs = envRefs;
  return w;
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
      name: '', next: j,
      error: err('bad-env-name', 'forbidden first character in environment variable name (write \\$ for a literal dollar sign inside double quotes)', at, j),
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
    return { name, next: j, error: err('bad-env-name', `unknown internal variable '${name}' (HAProxy 2.6 knows .LINE, .FILE and .SECTION)`, nameStart, j) };
  }
  if (brace >= 0 && j < end && text.charCodeAt(j) === 91 /* [ */) {
    if (text.charCodeAt(j + 1) === 42 && text.charCodeAt(j + 2) === 93 && j + 2 < end) j += 3;
    else return { name, next: j, error: err('bad-word-expansion', 'truncated or invalid word expansion: expected "[*]"', j, Math.min(end, j + 3)) };
  }
  if (brace >= 0) {
    if (j < end && text.charCodeAt(j) === 45 /* - */) {
      // The default value is taken verbatim up to the closing brace.
      let k = j;
      while (k < end && text.charCodeAt(k) !== 125 && text.charCodeAt(k) !== 0) k++;
      if (k >= end || text.charCodeAt(k) !== 125) {
        return { name, next: j, error: err('unmatched-brace', 'unmatched brace in environment variable reference: missing "}"', at, k) };
      }
      j = k;
    } else if (j >= end || text.charCodeAt(j) !== 125) {
      return { name, next: j, error: err('unmatched-brace', 'unmatched brace in environment variable reference: missing "}"', at, j) };
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
function lexScope(text: string, start: number, indentEnd: number, open: number, end: number, eolEnd: number): HaproxyLine {
  let close = -1;
  let nulAt = -1;
  let stopAt = end;
  for (let k = open + 1; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === 0) { nulAt = k; stopAt = k; break; }
    if (c === 93) { close = k; break; }
  }
  const res = new Line(start, end, [], null, indentEnd, eolEnd);
  lexInfo.nulAt = nulAt;
  lexInfo.crAt = -1;
  lexInfo.error = null;
  if (close < 0) {
    const raw = text.slice(open, stopAt);
    res.words.push({ start: open, end: stopAt, raw, value: raw });
    if (nulAt >= 0) res.ignored = { start: nulAt, end };
    res.scope = { start: Math.min(open + 1, stopAt), end: stopAt };
    lexInfo.error = err('empty-scope', "scope declaration without its closing ']'", open, stopAt);
    return res;
  }
  const raw = text.slice(open, close + 1);
  res.words.push({ start: open, end: close + 1, raw, value: raw });
  res.scope = { start: open + 1, end: close };
  if (close === open + 1) {
    lexInfo.error = err('empty-scope', 'empty scope name', open, close + 1);
  } else {
    for (let k = open + 1; k < close; k++) {
      if (!isNameCode(text.charCodeAt(k))) {
        lexInfo.error = err('invalid-name', `character '${text[k]}' is not permitted in a scope name`, k, k + 1);
        break;
      }
    }
  }
  let k = close + 1;
  while (k < end && isSpaceCode(text.charCodeAt(k))) k++;
  if (k < end) {
    const c = text.charCodeAt(k);
    if (c === 35) res.comment = { start: k, end };
    else if (c === 0) { lexInfo.nulAt = k; res.ignored = { start: k, end }; }
    else {
      // HAProxy refuses the line; keep the rest as text it does not read.
      res.ignored = { start: k, end };
      if (!lexInfo.error) lexInfo.error = err('scope-trailing', `character '${text[k]}' is not permitted after a scope declaration`, k, end);
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
  if (name.length === 0) return 0;
  for (let k = 0; k < name.length; k++) if (!isNameCode(name.charCodeAt(k))) return k;
  return -1;
}
