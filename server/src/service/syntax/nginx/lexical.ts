/**
 * Characters and words as nginx's reader sees them (`ngx_conf_read_token` in
 * src/core/ngx_conf_file.c): character codes, the value of a word, quoting, and the scans that
 * skip a block's body unread (a Lua body, a block nested too deep). No node types here.
 */

// Character codes, declared again in each scanning module rather than imported: see parser.ts.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const SQUOTE = 39;
const COMMA = 44;
const MINUS = 45;
const SEMI = 59;
const EQUALS = 61;
const LBRACKET = 91;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;

/**
 * Blocks nested deeper than this are kept as one unread leaf (like a Lua body): the parse is
 * iterative, but the model, the validators and the editor features walk the tree recursively.
 * Real configs nest fewer than ten levels; nginx's own reader recurses without a bound.
 */
export const NGINX_MAX_BLOCK_DEPTH = 100;

/**
 * Directive names repeat (a large config has a few dozen distinct ones): a direct-mapped cache
 * gives back the same string for the same bare word without slicing the text each time.
 */
const INTERN_SIZE = 512;
const internTable: (string | undefined)[] = new Array<string | undefined>(INTERN_SIZE);

function internedSlice(text: string, start: number, end: number): string {
  const len = end - start;
  if (len > 40) return text.slice(start, end);
  let h = len;
  for (let i = start; i < end; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
  const slot = h & (INTERN_SIZE - 1);
  const hit = internTable[slot];
  if (hit !== undefined && hit.length === len) {
    let same = true;
    for (let i = 0; i < len; i++) {
      if (hit.charCodeAt(i) !== text.charCodeAt(start + i)) {
        same = false;
        break;
      }
    }
    if (same) return hit;
  }
  // A flat copy (not a slice that would keep the whole text alive from the table).
  const fresh = (' ' + text.slice(start, end)).slice(1);
  internTable[slot] = fresh;
  return fresh;
}

/** The nginx value of the word [start, end) (see Word.value). */
export function wordValue(text: string, start: number, end: number, unterminated: boolean): string {
  const c = text.charCodeAt(start);
  if (c === DQUOTE || c === SQUOTE) return unescapeNginx(text.slice(start + 1, unterminated ? end : end - 1));
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === BACKSLASH) return unescapeNginx(text.slice(start, end));
  return internedSlice(text, start, end);
}

/** Characters from the start of the line holding `offset` to `offset`. */
export function columnOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === LF || c === CR) break;
    i--;
  }
  return offset - i;
}

export function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A word that looks like a directive name: a letter or "_", then letters, digits, "_". */
export function looksLikeDirectiveName(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    if (!letter && !(i > 0 && isDigit(c))) return false;
  }
  return true;
}

/**
 * The value nginx gives a word: `\"`, `\'`, `\\` lose the backslash, `\t` `\r` `\n` become
 * control characters, any other backslash stays (ngx_conf_read_token's copy loop).
 */
export function unescapeNginx(s: string): string {
  if (s.indexOf('\\') < 0) return s;
  let out = '';
  let from = 0;
  let i = 0;
  while (i < s.length) {
    if (s.charCodeAt(i) !== BACKSLASH || i + 1 >= s.length) {
      i++;
      continue;
    }
    const next = s.charCodeAt(i + 1);
    let rep: string | null = null;
    if (next === DQUOTE || next === SQUOTE || next === BACKSLASH) rep = s[i + 1];
    else if (next === 116 /* t */) rep = '\t';
    else if (next === 114 /* r */) rep = '\r';
    else if (next === 110 /* n */) rep = '\n';
    if (rep === null) {
      i++;
      continue;
    }
    out += s.slice(from, i) + rep;
    i += 2;
    from = i;
  }
  return out + s.slice(from);
}

/** Quote a bare word for nginx: wrap in double quotes, escaping any unescaped `"`. */
export function quoteNginxWord(raw: string): string {
  let out = '"';
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < raw.length) {
      out += raw.slice(i, i + 2);
      i++;
    } else if (c === DQUOTE) out += '\\"';
    else out += raw[i];
  }
  return out + '"';
}

/** Does `name` take a Lua body (`content_by_lua_block`, `init_by_lua_block`, ...)? */
export function isLuaBlockDirective(name: string): boolean {
  return name.endsWith('_lua_block');
}

/** If `text[i]` opens a Lua long bracket (`[[`, `[==[`), its level (number of "="), else -1. */
function longBracketLevel(text: string, i: number): number {
  if (text.charCodeAt(i) !== LBRACKET) return -1;
  let j = i + 1;
  while (text.charCodeAt(j) === EQUALS) j++;
  return text.charCodeAt(j) === LBRACKET ? j - i - 1 : -1;
}

/** Offset just past the long bracket closing `]==]` of `level`, searching from `from`; n if none. */
function skipLongBracket(text: string, from: number, level: number): number {
  const close = ']' + '='.repeat(level) + ']';
  const at = text.indexOf(close, from);
  return at < 0 ? text.length : at + close.length;
}

/**
 * Offset of the "}" that closes a Lua body starting at `from` (just after "{"), or -1.
 * Braces inside Lua strings ('...', "...", [[...]], [==[...]==]) and comments
 * (`--` to end of line, `--[[...]]`) do not count.
 */
/**
 * The offset of the "}" that closes a block whose body starts at `from`, read the way nginx
 * splits words (quotes, backslashes, "#" comments where a word starts), or -1 at the end of the text.
 */
export function scanNginxBody(text: string, from: number): number {
  const n = text.length;
  let depth = 1;
  let i = from;
  let wordStart = true;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === SPACE || c === TAB || c === LF || c === CR || c === SEMI) {
      wordStart = true;
      i++;
    } else if (c === BACKSLASH) {
      wordStart = false;
      i += 2;
    } else if (wordStart && c === HASH) {
      while (i < n && text.charCodeAt(i) !== LF) i++;
    } else if (wordStart && (c === DQUOTE || c === SQUOTE)) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === c) break;
        else i++;
      }
      i++;
      wordStart = false;
    } else if (c === LBRACE) {
      depth++;
      wordStart = true;
      i++;
    } else if (c === RBRACE && wordStart) {
      if (--depth === 0) return i;
      i++;
    } else {
      // "{" after "$" and "}" inside a word are part of the word (see the module comment).
      if (c === DOLLAR && text.charCodeAt(i + 1) === LBRACE) i++;
      wordStart = false;
      i++;
    }
  }
  return -1;
}

export function scanLuaBody(text: string, from: number): number {
  const n = text.length;
  let depth = 1;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === MINUS && text.charCodeAt(i + 1) === MINUS) {
      i += 2;
      const level = longBracketLevel(text, i);
      if (level >= 0) {
        i = skipLongBracket(text, i + level + 2, level);
      } else {
        while (i < n && text.charCodeAt(i) !== LF) i++;
      }
      continue;
    }
    if (c === DQUOTE || c === SQUOTE) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if (d === BACKSLASH) i += 2;
        else if (d === c) {
          i++;
          break;
        } else if (d === LF)
          break; // an unfinished short string ends at the line's end
        else i++;
      }
      continue;
    }
    if (c === LBRACKET) {
      const level = longBracketLevel(text, i);
      if (level >= 0) {
        i = skipLongBracket(text, i + level + 2, level);
        continue;
      }
    } else if (c === LBRACE) {
      depth++;
    } else if (c === RBRACE) {
      depth--;
      if (depth === 0) return i;
    }
    i++;
  }
  return -1;
}

/** Length of a regex quantifier `{n}`, `{n,}`, `{n,m}` starting at `i` (a "{"), else 0. */
export function quantifierLength(text: string, i: number): number {
  let j = i + 1;
  const digitsStart = j;
  while (isDigit(text.charCodeAt(j))) j++;
  if (j === digitsStart) return 0;
  if (text.charCodeAt(j) === COMMA) {
    j++;
    while (isDigit(text.charCodeAt(j))) j++;
  }
  return text.charCodeAt(j) === RBRACE ? j + 1 - i : 0;
}

export function describeChar(text: string, at: number): string {
  const c = text.charCodeAt(at);
  if (c >= 0xd800 && c <= 0xdbff && at + 1 < text.length) return text.slice(at, at + 2);
  if (c < 32 || c === 127) return '\\x' + c.toString(16).padStart(2, '0');
  return text[at];
}

export function charWidth(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c >= 0xd800 && c <= 0xdbff && at + 1 < text.length) {
    const d = text.charCodeAt(at + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

export function endOfLine(text: string, from: number): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) break;
    i++;
  }
  return i;
}
