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
import * as chars from './chars';
import { Line, WordStore } from './line';
import type { HaproxyLine } from './types';

// Used for every character of a line the general lexer reads, so bound once here: loaded through
// tsx (the tests, the benchmarks) each read of an imported name is a getter call.
const { isAlpha, isDigit, isHex, isNameCode, isSpaceCode } = chars;

export { isSpaceCode, invalidNameChar, invalidNameCharIn, isNameCode } from './chars';

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

function err(code: string, message: string, start: number, end: number): SyntaxDiagnostic {
  return { code, message, severity: 'error', start, end: Math.max(end, start) };
}

const INTERNAL_VARS = new Set(['.LINE', '.FILE', '.SECTION']);

/** What scanPlainLine() and LineTable's quickest path return for a line they do not read. */
export const NOT_PLAIN = -2;

/** The first offset in [i, end) that is not a blank HAProxy skips before a word (space, tab, VT, FF), or end. */
export function skipBlanks(text: string, i: number, end: number): number {
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 11 || c === 12) i++;
    else break;
  }
  return i;
}

/**
 * The fast path of the lexer, for the common line: only blanks (space, tab, \v, \f), plain word
 * characters and an unquoted '#'. Pushes the words into the store and returns where the comment
 * starts, or -1; returns NOT_PLAIN (leaving store.count to the caller to restore) as soon as the
 * line holds anything else —
 * a quote, a backslash, a NUL, a carriage return, another control character, a leading '[' — or
 * as many blank runs as HAProxy refuses: lexSlow() then reads it. '$' is a plain character
 * outside double quotes, and '#' starts a comment anywhere outside quotes, even inside a word.
 */
export function scanPlainLine(store: WordStore, text: string, start: number, end: number): number {
  let i = skipBlanks(text, start, end);
  let c = i < end ? text.charCodeAt(i) : 0;
  if (i < end && c === 91 /* [ */) return NOT_PLAIN;
  let separators = 0;
  while (i < end) {
    // i is at the first character of a word (or of a comment).
    c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      return i;
    }
    if (c < 33 || c === 34 || c === 39 || c === 92) return NOT_PLAIN;
    const wordStart = i;
    while (++i < end) {
      c = text.charCodeAt(i);
      if (c > 39) {
        if (c === 92) break;
      } else if (c < 33 || c === 34 || c === 35 || c === 39) break;
    }
    store.push(wordStart, i);
    if (i >= end) return -1;
    if (c === 35) {
      return i;
    }
    if (c !== 32 && c !== 9 && c !== 11 && c !== 12) return NOT_PLAIN;
    // A run of blanks: one more separator, as in parse_line().
    while (++i < end) {
      c = text.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 11 && c !== 12) break;
    }
    if (++separators >= MAX_LINE_ARGS) return NOT_PLAIN;
  }
  return -1;
}

/**
 * Lexes the line text[start, end) (its line break, if any, follows it in the text) into `store`.
 * Side results go to lexInfo.
 */
export function lexInto(store: WordStore, text: string, start: number, end: number): Line {
  const first = store.count;
  const comment = scanPlainLine(store, text, start, end);
  if (comment !== NOT_PLAIN) {
    lexInfo.nulAt = -1;
    lexInfo.crAt = -1;
    lexInfo.error = null;
    return new Line(store, start, end, comment < 0 ? null : { start: comment, end }, first, store.count - first);
  }
  store.count = first;
  return lexSlow(store, text, start, end);
}

/**
 * Lexes the line text[start, end) (its line break, if any, follows it in the text) as a line of
 * its own, with its own word store. Side results go to lexInfo.
 */
export function lexLine(text: string, start: number, end: number): HaproxyLine {
  return lexInto(new WordStore(text), text, start, end);
}

/** A backslash escape at text[i] (outside single quotes), as parse_line() decodes it. */
interface Escape {
  /** What it stands for in the word's value. */
  out: string;
  /** How many characters it takes. */
  len: number;
  error: SyntaxDiagnostic | null;
}

function readEscape(text: string, i: number, end: number, dquote: boolean): Escape {
  let error: SyntaxDiagnostic | null = null;
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
        error = err(
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
  return { out, len, error };
}

/** The general lexer: any line (quotes, escapes, environment references, errors, scopes). */
export function lexSlow(store: WordStore, text: string, start: number, end: number): Line {
  let i = start;
  // Leading white space: readcfgfile() skips every isspace() character, '\r' included.
  while (i < end && isSpaceCode(text.charCodeAt(i))) i++;
  if (i < end && text.charCodeAt(i) === 91 /* [ */) return lexScope(store, text, start, i, end);

  const first = store.count;
  const scan = scanWords(store, text, i, end);
  const { comment, ignored } = scan;
  const stop = comment ? comment.start : ignored ? ignored.start : end;
  lexInfo.nulAt = scan.nulAt;
  lexInfo.crAt = scan.crAt;
  lexInfo.error = lineError(text, scan, stop, end);
  const line = new Line(store, start, end, comment, first, store.count - first);
  if (ignored) line.ignored = ignored;
  return line;
}

/** What scanWords() found on a line besides its words. */
interface WordScan {
  comment: Span | null;
  ignored: Span | null;
  nulAt: number;
  crAt: number;
  firstError: SyntaxDiagnostic | null;
  /** Where the blank run that made one word too many starts, or -1. */
  tooManyAt: number;
  /** The quote left open at the end of the line, or -1. */
  quoteAt: number;
}

/** Splits text[i, end) into words (into `store`), the way parse_line() does. */
function scanWords(store: WordStore, text: string, i: number, end: number): WordScan {
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
    if ((c === 34 /* " */ && !squote) || (c === 39 /* ' */ && !dquote)) {
      if (wordStart < 0) wordStart = segStart = i;
      value += text.slice(segStart, i);
      if (c === 34) dquote = !dquote;
      else squote = !squote;
      quoteAt = dquote || squote ? i : -1;
      i++;
      segStart = i;
      continue;
    }
    if (c === 92 /* \ */ && !squote) {
      if (wordStart < 0) wordStart = segStart = i;
      value += text.slice(segStart, i);
      const escape = readEscape(text, i, end, dquote);
      if (escape.error) firstError ??= escape.error;
      value += escape.out;
      i += escape.len;
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
  return { comment, ignored, nulAt, crAt, firstError, tooManyAt, quoteAt };
}

/** The line's error: HAProxy reports the first lexical error, then an unmatched quote, then too many words. */
function lineError(text: string, scan: WordScan, stop: number, end: number): SyntaxDiagnostic | null {
  const { quoteAt, tooManyAt } = scan;
  let error: SyntaxDiagnostic | null = scan.firstError;
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
  return error;
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
