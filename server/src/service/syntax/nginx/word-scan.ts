/**
 * Scanning one word of an nginx file, as `ngx_conf_read_token` (src/core/ngx_conf_file.c) reads
 * it: a quoted string or a bare word. Each function returns where the scan goes on and leaves the
 * word's end (and whether it is a string cut at the end of its line) on the reader.
 */
import { clipWord } from '../../words';
import { charWidth, describeChar, endOfLine, isSpace, quantifierLength, quoteNginxWord } from './lexical';
import type { Reader } from './parser';

/** nginx's reader buffer (NGX_CONF_BUFFER, src/core/ngx_conf_file.c): longer words are refused. */
export const NGINX_CONF_BUFFER = 4096;

// Character codes. Each module that scans text declares the ones it reads: loaded through tsx
// (the tests, the benchmarks) an imported constant is a getter call on every read, which made the
// scan several times slower.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const DOLLAR = 36;
const RPAREN = 41;
const SEMI = 59;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;

/** Quoted string: ends at the same unescaped quote; may span lines. Sets wEnd, unterminated. */
export function scanQuoted(r: Reader, c: number, pos: number): number {
  const text = r.text;
  const n = r.n;
  let i = pos + 1;
  let multiline = false;
  while (i < n) {
    const d = text.charCodeAt(i);
    if (d === BACKSLASH) i += 2;
    else if (d === c) break;
    else {
      if (d === LF || d === CR) multiline = true;
      i++;
    }
  }
  const closed = i < n;
  const after = closed ? text.charCodeAt(i + 1) : -1;
  const badAfter = closed && i + 1 < n && !isSpace(after) && after !== SEMI && after !== LBRACE && after !== RPAREN;
  if (!closed || (multiline && badAfter)) {
    // Unterminated: end the string at the end of its first line.
    const eol = endOfLine(text, pos + 1);
    const quoteChar = c === DQUOTE ? '"' : "'";
    r.report(
      'unterminated-string',
      pos,
      pos + 1,
      closed
        ? `the string opened here is closed only on a later line, and nginx then refuses "${clipWord(describeChar(text, i + 1))}"; add the missing ${quoteChar}`
        : `unterminated string: missing closing ${quoteChar}`,
      { start: eol, end: eol, newText: quoteChar },
    );
    r.wEnd = eol;
    r.unterminated = true;
    return eol;
  }
  const end = i + 1;
  r.wEnd = end;
  r.unterminated = false;
  if (end - pos - 1 >= NGINX_CONF_BUFFER) {
    r.report(
      'too-long-parameter',
      pos,
      end,
      `nginx refuses a parameter of ${NGINX_CONF_BUFFER} characters or more ("too long parameter")`,
    );
  }
  if (badAfter && after !== RBRACE) {
    // "}" right after a quote is reported as a missing ";" by the "}" branch.
    const width = charWidth(text, i + 1);
    r.report(
      'unexpected-char-after-quote',
      i + 1,
      i + 1 + width,
      `unexpected "${clipWord(describeChar(text, i + 1))}" after the closing quote: nginx wants a space, ";" or "{" there`,
      { start: i + 1, end: i + 1, newText: ' ' },
    );
  }
  return end;
}

/** Bare word, as ngx_conf_read_token reads it. Sets wEnd, unterminated. */
export function scanBare(r: Reader, c: number, pos: number): number {
  const text = r.text;
  const n = r.n;
  let i = pos;
  let variable = false;
  let quantifierAt = -1;
  if (c === BACKSLASH) i += 2;
  else {
    variable = c === DOLLAR;
    i++;
  }
  while (i < n) {
    const d = text.charCodeAt(i);
    if (d === LBRACE && variable) {
      i++;
      continue;
    }
    variable = false;
    if (d === BACKSLASH) {
      i += 2;
      continue;
    }
    if (d === DOLLAR) {
      variable = true;
      i++;
      continue;
    }
    if (d === SPACE || d === TAB || d === LF || d === CR || d === SEMI) break;
    if (d === LBRACE) {
      const q = quantifierLength(text, i);
      if (q === 0) break;
      if (quantifierAt < 0) quantifierAt = i;
      i += q;
      continue;
    }
    i++;
  }
  if (i > n) i = n;
  r.wEnd = i;
  r.unterminated = false;
  if (quantifierAt >= 0) {
    const raw = text.slice(pos, i);
    const q = quantifierLength(text, quantifierAt);
    r.report(
      'unquoted-brace',
      quantifierAt,
      quantifierAt + q,
      `nginx reads "{" in the unquoted parameter "${clipWord(raw)}" as the start of a block; put the parameter in quotes`,
      { start: pos, end: i, newText: quoteNginxWord(raw) },
    );
  }
  if (i - pos >= NGINX_CONF_BUFFER) {
    r.report(
      'too-long-parameter',
      pos,
      i,
      `nginx refuses a parameter of ${NGINX_CONF_BUFFER} characters or more ("too long parameter")`,
    );
  }
  return i;
}
