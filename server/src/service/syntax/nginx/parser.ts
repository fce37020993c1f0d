/**
 * A lossless, error-recovering parser for nginx configuration files.
 *
 * Words are split exactly as nginx 1.22's reader splits them (`ngx_conf_read_token` in
 * src/core/ngx_conf_file.c, https://github.com/nginx/nginx/blob/release-1.22.1/src/core/ngx_conf_file.c):
 * - whitespace is only space, tab, CR and LF; a bare word ends at whitespace, ";" or "{";
 *   "}" and "#" inside a word are ordinary characters; "{" right after "$" stays in the
 *   word (`${var}`); a backslash makes the next character ordinary;
 * - a quote opens a string only at the start of a word; after the closing quote nginx
 *   wants whitespace, ";", "{" or ")" (a ")" then starts the next word);
 * - "#" starts a comment only where a word could start; the comment runs to the line feed;
 * - ";" or "{" with no word before it, "}" after words, a stray "}" and a word of 4096
 *   characters or more ("too long parameter") are errors.
 * When nginx would refuse the input the parser records one diagnostic, repairs the tree
 * the way the author most likely meant, and goes on. The scan is a single left-to-right pass
 * with no regular expressions and no recursion, so its time is linear in the input.
 */
import { clipWord } from '../../words';
import type { Severity } from '../../types';
import {
  NGINX_MAX_BLOCK_DEPTH,
  columnOf,
  isLuaBlockDirective,
  looksLikeDirectiveName,
  scanLuaBody,
  scanNginxBody,
  unescapeNginx,
  wordValue as wordValueOf,
} from './lexical';
import { finishFile } from './recovery';
import { NGINX_CONF_BUFFER, scanBare as scanBareWord, scanQuoted as scanQuotedWord } from './word-scan';
import { Block, Comment, Directive, File, Leaf, Trivia, TreeText, WordStore } from './nodes';
import type { NginxBlock, NginxFile, NginxNode, NginxSyntaxDiagnostic, ParseNginxOptions } from './types';

// Called for every word, so bound once here: loaded through tsx (the tests, the benchmarks) each
// read of an imported name is a getter call, which made the whole parse about 20% slower.
const scanBare = scanBareWord;
const scanQuoted = scanQuotedWord;
const wordValue = wordValueOf;

// Character codes. Each module that scans text declares the ones it reads: loaded through tsx
// (the tests, the benchmarks) an imported constant is a getter call on every read, which made the
// scan several times slower.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const SQUOTE = 39;
const SEMI = 59;
const LBRACE = 123;
const RBRACE = 125;
const BOM = 0xfeff;

/**
 * Parse an nginx configuration file. Never throws; time is linear in `text.length`.
 *
 * Recovery (each problem gives one diagnostic; the rest of the file is parsed normally):
 * - `missing-semicolon`: a directive's words run onto a new line whose first word W starts
 *   at a column no greater than the directive name's own column, and
 *   - with `options.isDirectiveName`: W is a directive name and the directive has a
 *     word after its name (or is itself a known directive name);
 *   - without it: W is a bare word that looks like a directive name and the directive
 *     has at least one argument.
 *   The directive is ended before the line break. The column guard keeps continuation
 *   lines (always indented deeper in practice, e.g. `add_header X-Frame-Options\n    deny;`)
 *   from being split. Also reported when "}" or the end of the file follows a directive's
 *   words; the span then reaches the "}" / end of file, where nginx reports it.
 * - `unexpected-close-brace`: a "}" with no open block becomes an 'error' token.
 * - `unclosed-block`: a block still open at the end of the file (span: its "{").
 * - `nesting-too-deep`: a block opened NGINX_MAX_BLOCK_DEPTH levels deep; its body is kept
 *   unread as one raw leaf (rawBody), closed at its matching "}".
 * - `unterminated-string`: a quote never closed, or closed only on a later line where
 *   nginx then refuses the next character; the string is ended at the end of its first line.
 * - `unexpected-char-after-quote`: e.g. `"left"-quote`; the character starts the next word.
 * - `unquoted-brace`: a regex quantifier `{n}`, `{n,}`, `{n,m}` glued inside a bare word
 *   (`^/id/[0-9]{6}$`): nginx opens a block at "{" and fails on the same line. The word is
 *   kept whole, as meant; the fix quotes it.
 * - `unexpected-semicolon`, `unexpected-open-brace` ("{" with no directive: an orphan block
 *   whose `owner` is null), `too-long-parameter`, `unexpected-end`, `byte-order-mark`.
 */
export function parseNginx(text: string, options: ParseNginxOptions = {}): NginxFile {
  flatten(text);
  return parseCore(new TreeText(text), options, null).file;
}

/**
 * Make `text` a flat string in place. A string built by concatenation (an edited document, a
 * generated config) is a rope, and reading it character by character then takes V8's slow path:
 * the scan is about twice as slow. ToNumber flattens its argument (the trick of the flatstr package).
 */
export function flatten(text: string): void {
  void Number(text);
}

/**
 * A block closed by a "}" that starts a line left of the block's own opening line: that "}"
 * probably belongs to an enclosing block (see `guessMissingClose`).
 */
interface Misaligned {
  block: Block;
  closeLineStart: number;
  openIndentStart: number;
  openIndent: number;
}

/**
 * The parser. With `sub`, it reads only the body of `sub.block` (a fresh block whose "{" is at
 * `sub.block.open` in `text`) as if the rest of the file were as before, and stops at the "}" that
 * closes it: `closeAt` is then that offset, or -1 when the file ended first. The incremental
 * parser uses this to re-read one block.
 */
export function parseCore(
  tt: TreeText,
  options: ParseNginxOptions,
  sub: { block: Block } | null,
): { file: File; closeAt: number } {
  const reader = new Reader(tt, options, sub);
  reader.read();
  if (!sub) finishFile(reader);
  return { file: reader.file, closeAt: reader.closeAt };
}

/**
 * One left-to-right scan. `read` dispatches on the character at the current offset; each branch
 * takes an offset and returns where the scan goes on.
 */
export class Reader {
  readonly text: string;
  readonly n: number;
  readonly tt: TreeText;
  readonly isDirectiveName: ParseNginxOptions['isDirectiveName'];
  readonly maxDiagnostics: number;
  readonly sub: { block: Block } | null;
  /** With `sub`, a scratch file that only collects the diagnostics of the block. */
  readonly file: File;
  readonly diagnostics: NginxSyntaxDiagnostic[];
  truncated = false;

  /** The `items` of the container being filled. */
  children: NginxNode[];
  container: NginxBlock | NginxFile;
  closeAt = -1;
  /** Open blocks, innermost last. A block's parent is the container its "}" returns to. */
  readonly stack: Block[] = [];
  /** Start and indentation of the line that opened each open block (parallel to `stack`). */
  readonly stackLineStart: number[] = [];
  readonly stackIndent: number[] = [];

  // Line tracking, for the missing-"}" guess: start of the current line (updated by line
  // breaks in whitespace, where directives start), and whether only whitespace precedes `pos` on it.
  lineStart = 0;
  atLineStart = true;
  indentCacheAt = -1;
  indentCache = 0;
  /** Blocks closed by a misaligned "}" (see Misaligned), in source order. */
  readonly misaligned: Misaligned[] = [];
  readonly misalignedSet = new Set<NginxBlock>();

  /** The directive being read (no ";" or block yet). */
  dir: Directive | null = null;
  /** Its words, as offsets (see WordStore). */
  readonly store: WordStore;
  argsCount = 0;
  /** Was one of its words an unterminated string (repaired, so a missing ";" is not reported again)? */
  dirRecovered = false;
  /** Column of its name, computed on demand (-1 = not yet). */
  dirColumn = -1;
  /** Start of the line holding its name. */
  dirLineStart = 0;
  /** Last word of `dir` (start, end; lastStart < 0: none). */
  lastStart = -1;
  lastEnd = -1;
  /**
   * Comments read after `lastWord`: they belong to `dir` only if it continues (then its lazy
   * `parts` reads them again), else they go to the enclosing items.
   * A reused buffer: `pending[0..pendingCount)` is live (cheaper than resizing an array).
   */
  readonly pending: NginxNode[] = [];
  pendingCount = 0;
  /** Did the whitespace after `lastWord` contain a line break? */
  pendingNewline = false;

  /** The word just scanned ends here (`scanQuoted` / `scanBare`), and was a string cut at its line's end. */
  wEnd = 0;
  unterminated = false;

  pos = 0;
  /** Blocks open around the re-read block (see NGINX_MAX_BLOCK_DEPTH). */
  baseDepth = 0;

  constructor(tt: TreeText, options: ParseNginxOptions, sub: { block: Block } | null) {
    this.tt = tt;
    this.text = tt.text;
    this.n = this.text.length;
    this.isDirectiveName = options.isDirectiveName;
    this.maxDiagnostics = options.maxDiagnostics ?? 1000;
    this.sub = sub;
    this.file = new File(tt);
    if (!sub) tt.file = this.file;
    this.diagnostics = this.file.diagnostics;
    this.children = sub ? sub.block.items : this.file.items;
    this.container = sub ? sub.block : this.file;
    this.store = new WordStore();
    if (sub) this.enterSub(sub.block);
    else if (this.n > 0 && this.text.charCodeAt(0) === BOM) this.byteOrderMark();
  }

  report(
    code: string,
    start: number,
    end: number,
    message: string,
    fix?: NginxSyntaxDiagnostic['fix'],
    severity: Severity = 'error',
  ): void {
    const diagnostics = this.diagnostics;
    const maxDiagnostics = this.maxDiagnostics;
    if (diagnostics.length >= maxDiagnostics) {
      if (!this.truncated) {
        this.truncated = true;
        diagnostics.push({
          code: 'too-many-errors',
          start,
          end,
          severity: 'information',
          message: `more than ${maxDiagnostics} syntax problems; the rest are not listed`,
        });
      }
      return;
    }
    const d: NginxSyntaxDiagnostic = { code, start, end, message, severity };
    if (fix) d.fix = fix;
    diagnostics.push(d);
  }

  /** Spaces and tabs at the start of the line starting at `ls` (cached: many blocks share a line). */
  indentOf(ls: number): number {
    if (ls !== this.indentCacheAt) {
      const text = this.text;
      const n = this.n;
      let i = ls;
      while (i < n && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
      this.indentCacheAt = ls;
      this.indentCache = i - ls;
    }
    return this.indentCache;
  }

  flushPendingInto(list: NginxNode[]): void {
    for (let k = 0; k < this.pendingCount; k++) list.push(this.pending[k]);
    this.pendingCount = 0;
    this.pendingNewline = false;
  }

  flushPendingIntoParts(): void {
    this.pendingCount = 0;
    this.pendingNewline = false;
  }

  /** Give `dir` its final argument count. */
  sealDirective(d: Directive): void {
    d.argCount = this.argsCount;
  }

  /** End `dir` without ";" or block: it stops after its last word; pending trivia goes outside. */
  abandonDirective(): void {
    const dir = this.dir;
    if (!dir) return;
    dir.end = this.lastEnd;
    this.sealDirective(dir);
    this.flushPendingInto(this.children);
    this.dir = null;
    this.lastStart = -1;
  }

  /** Start inside the block: its "{" is open, the line tracking starts at the "{"'s line. */
  enterSub(block: Block): void {
    const text = this.text;
    for (let p = block.parent; p.type === 'block'; p = p.parent) this.baseDepth++;
    this.pos = block.open + 1;
    let ls = block.open;
    while (ls > 0 && text.charCodeAt(ls - 1) !== LF && text.charCodeAt(ls - 1) !== CR) ls--;
    this.lineStart = ls;
    this.atLineStart = false;
    this.stack.push(block);
    this.stackLineStart.push(ls);
    this.stackIndent.push(this.indentOf(ls));
  }

  byteOrderMark(): void {
    this.children.push(new Trivia(0, 1, this.tt));
    this.report(
      'byte-order-mark',
      0,
      1,
      'the file starts with a UTF-8 byte order mark, which nginx reads as part of the first directive name; save the file without it',
      { start: 0, end: 1, newText: '' },
    );
    this.pos = 1;
  }

  /** Read up to the end of the text (or, with `sub`, to the "}" closing the block). */
  read(): void {
    const text = this.text;
    const n = this.n;
    let pos = this.pos;
    while (pos < n) {
      const c = text.charCodeAt(pos);

      // Whitespace run.
      if (c === SPACE || c === TAB || c === LF || c === CR) {
        let e = pos + 1;
        let newline = c === LF || c === CR;
        let afterBreak = newline ? e : -1;
        while (e < n) {
          const d = text.charCodeAt(e);
          if (d === SPACE || d === TAB) e++;
          else if (d === LF || d === CR) {
            newline = true;
            e++;
            afterBreak = e;
          } else break;
        }
        if (newline) {
          this.lineStart = afterBreak;
          this.atLineStart = true;
          if (this.dir) this.pendingNewline = true;
        }
        pos = e;
        continue;
      }

      const firstOnLine = this.atLineStart;
      this.atLineStart = false;
      if (c === HASH) pos = this.comment(pos);
      else if (c === SEMI) pos = this.semicolon(pos);
      else if (c === LBRACE) pos = this.openBrace(pos);
      else if (c === RBRACE) {
        pos = this.closeBrace(pos, firstOnLine);
        if (pos < 0) break;
      } else pos = this.word(c, pos);
    }
    this.pos = pos;
  }

  /** Comment: to the line feed (a CR right before it stays outside, in the trivia). */
  comment(pos: number): number {
    const text = this.text;
    const n = this.n;
    let e = pos + 1;
    while (e < n && text.charCodeAt(e) !== LF) e++;
    if (e < n && e > pos + 1 && text.charCodeAt(e - 1) === CR) e--;
    const c = new Comment(pos, e, this.tt);
    if (e - pos >= NGINX_CONF_BUFFER && e < n) {
      this.report(
        'too-long-parameter',
        pos,
        e,
        `nginx refuses a comment of ${NGINX_CONF_BUFFER} characters or more ("too long parameter"); split it`,
      );
    }
    if (this.dir) this.pending[this.pendingCount++] = c;
    else this.children.push(c);
    return e;
  }

  semicolon(pos: number): number {
    const dir = this.dir;
    if (dir) {
      this.flushPendingIntoParts();
      dir.end = pos + 1;
      this.sealDirective(dir);
      this.dir = null;
      this.lastStart = -1;
    } else {
      this.children.push(new Leaf('error', pos, pos + 1, this.tt));
      this.report('unexpected-semicolon', pos, pos + 1, 'unexpected ";": there is no directive to end here', {
        start: pos,
        end: pos + 1,
        newText: '',
      });
    }
    return pos + 1;
  }

  openBrace(pos: number): number {
    const owner: Directive | null = this.dir;
    const block: Block = new Block(pos, owner, this.container, this.tt);
    if (owner) {
      this.flushPendingIntoParts();
      this.sealDirective(owner);
      owner.block = block;
      this.dir = null;
      this.lastStart = -1;
    } else {
      this.children.push(block);
      this.report('unexpected-open-brace', pos, pos + 1, 'unexpected "{": a block must follow a directive name');
    }
    if (this.stack.length + this.baseDepth >= NGINX_MAX_BLOCK_DEPTH) return this.tooDeep(block, owner, pos);
    if (owner && isLuaBlockDirective(owner.name)) return this.luaBody(block, owner, pos);

    this.stack.push(block);
    const openLineStart = owner ? this.dirLineStart : this.lineStart;
    this.stackLineStart.push(openLineStart);
    this.stackIndent.push(this.indentOf(openLineStart));
    this.children = block.items;
    this.container = block;
    return pos + 1;
  }

  /** Too deep to walk: keep the body as one unread leaf, with a finding at its "{". */
  tooDeep(block: Block, owner: Directive | null, pos: number): number {
    const n = this.n;
    block.rawBody = true;
    const close = scanNginxBody(this.text, pos + 1);
    const bodyEnd = close < 0 ? n : close;
    block.items.push(new Leaf('raw', pos + 1, bodyEnd, this.tt));
    this.report(
      'nesting-too-deep',
      pos,
      pos + 1,
      `blocks nested deeper than ${NGINX_MAX_BLOCK_DEPTH} levels: wslb does not read this block's contents, so nothing inside it is checked`,
    );
    const end = close < 0 ? n : close + 1;
    if (close >= 0) block.close = close;
    block.end = end;
    if (owner) owner.end = end;
    return end;
  }

  /** The body is Lua, read by the Lua module's own reader: keep it as one raw leaf. */
  luaBody(block: Block, owner: Directive, pos: number): number {
    const n = this.n;
    block.rawBody = true;
    const close = scanLuaBody(this.text, pos + 1);
    const bodyEnd = close < 0 ? n : close;
    block.items.push(new Leaf('raw', pos + 1, bodyEnd, this.tt));
    if (close < 0) {
      block.end = n;
      owner.end = n;
      this.report('unclosed-block', pos, pos + 1, `the Lua block of "${clipWord(owner.name)}" has no closing "}"`, {
        start: n,
        end: n,
        newText: '}',
      });
      return n;
    }
    block.close = close;
    block.end = close + 1;
    owner.end = close + 1;
    return close + 1;
  }

  /** A "}": where the scan goes on, or -1 when it closed the re-read block (`sub`). */
  closeBrace(pos: number, firstOnLine: boolean): number {
    if (this.dir) {
      const d: Directive = this.dir;
      if (!this.dirRecovered)
        this.report(
          'missing-semicolon',
          this.lastStart,
          pos + 1,
          `directive "${clipWord(d.name)}" is not terminated by ";" (unexpected "}")`,
          { start: this.lastEnd, end: this.lastEnd, newText: ';' },
        );
      this.abandonDirective();
    }
    const stack = this.stack;
    if (stack.length === 0) {
      this.children.push(new Leaf('error', pos, pos + 1, this.tt));
      this.report('unexpected-close-brace', pos, pos + 1, 'unexpected "}": no block is open here', {
        start: pos,
        end: pos + 1,
        newText: '',
      });
      return pos + 1;
    }
    const top = stack.pop()!;
    const openIndent = this.stackIndent.pop()!;
    const openLineStart = this.stackLineStart.pop()!;
    if (firstOnLine && pos - this.lineStart < openIndent) {
      this.misaligned.push({ block: top, closeLineStart: this.lineStart, openIndentStart: openLineStart, openIndent });
      this.misalignedSet.add(top);
    }
    top.close = pos;
    top.end = pos + 1;
    const owner = top.owner;
    if (owner) owner.end = pos + 1;
    if (this.sub && stack.length === 0) {
      this.closeAt = pos;
      return -1;
    }
    const container = top.parent;
    this.container = container;
    this.children = container.type === 'file' ? (container as File).items : (container as Block).items;
    return pos + 1;
  }

  /** A word at `pos` (first character `c`): where the scan goes on. */
  word(c: number, pos: number): number {
    const next = c === DQUOTE || c === SQUOTE ? scanQuoted(this, c, pos) : scanBare(this, c, pos);
    const wEnd = this.wEnd;
    const unterminated = this.unterminated;
    if (this.dir && this.pendingNewline && c !== DQUOTE && c !== SQUOTE) this.splitIfNextDirective(pos, wEnd);

    const dir = this.dir;
    if (dir) {
      this.flushPendingIntoParts();
      this.store.push(pos, wEnd, unterminated);
      this.argsCount++;
      dir.end = wEnd;
      if (unterminated) this.dirRecovered = true;
    } else {
      const at = this.store.push(pos, wEnd, unterminated);
      const d = new Directive(wordValue(this.text, pos, wEnd, unterminated), this.store, at, this.container, this.tt);
      this.dir = d;
      this.children.push(d);
      this.argsCount = 0;
      this.dirRecovered = unterminated;
      this.dirColumn = -1;
      this.dirLineStart = this.lineStart;
    }
    this.lastStart = pos;
    this.lastEnd = wEnd;
    return next;
  }

  /** Words running onto a new line: is the word [pos, wEnd) really the next directive? */
  splitIfNextDirective(pos: number, wEnd: number): void {
    const text = this.text;
    const d: Directive = this.dir!;
    if (this.dirColumn < 0) this.dirColumn = columnOf(text, d.start);
    if (columnOf(text, pos) > this.dirColumn) return;
    const raw = text.slice(pos, wEnd);
    const isDirectiveName = this.isDirectiveName;
    const split = isDirectiveName
      ? isDirectiveName(unescapeNginx(raw)) && (this.argsCount > 0 || isDirectiveName(d.name))
      : this.argsCount > 0 && looksLikeDirectiveName(raw);
    if (!split) return;
    if (!this.dirRecovered)
      this.report(
        'missing-semicolon',
        this.lastStart,
        this.lastEnd,
        `directive "${clipWord(d.name)}" is not terminated by ";"`,
        {
          start: this.lastEnd,
          end: this.lastEnd,
          newText: ';',
        },
      );
    this.abandonDirective();
  }
}
