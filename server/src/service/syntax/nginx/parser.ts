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
import { LineIndex, type Span } from '../../text';
import type { Severity } from '../../types';
import { roomForPair } from '../pairs';
import type {
  NginxBlock,
  NginxComment,
  NginxDirective,
  NginxFile,
  NginxNode,
  NginxSyntaxDiagnostic,
  NginxToken,
  ParseNginxOptions,
} from './types';

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const SQUOTE = 39;
const RPAREN = 41;
const COMMA = 44;
const MINUS = 45;
const SEMI = 59;
const EQUALS = 61;
const LBRACKET = 91;
const BACKSLASH = 92;
const LBRACE = 123;
const RBRACE = 125;
const BOM = 0xfeff;

/** nginx's reader buffer (NGX_CONF_BUFFER, src/core/ngx_conf_file.c): longer words are refused. */
export const NGINX_CONF_BUFFER = 4096;

/**
 * Blocks nested deeper than this are kept as one unread leaf (like a Lua body): the parse is
 * iterative, but the model, the validators and the editor features walk the tree recursively.
 * Real configs nest fewer than ten levels; nginx's own reader recurses without a bound.
 */
export const NGINX_MAX_BLOCK_DEPTH = 100;

/**
 * Memory layout (a 50k-line config has about half a million leaves, and allocation is what a
 * parse costs): whitespace and the ";" of a directive are not stored. Blocks and the file keep
 * `items` (every child but whitespace); `children` and a directive's `parts` are built from
 * them on first read, filling the gaps with trivia (and, inside a directive, comments) read
 * again from the text, and are then cached. The gaps hold nothing else, so the lazy lists are
 * exactly the ones an eager parse would build.
 *
 * Moving a tree to an edited text (parseNginxIncremental) touches no node outside the re-read
 * block: every node reads its text, its file and the offset shifts of later edits through the
 * tree's TreeText, and applies those shifts when one of its offsets is next read.
 */

/**
 * What every node of a tree reads through: the current text, the current file object, and the
 * offset shifts of the edits the tree was moved through. Edit k (version k to k + 1) re-read the
 * block whose "{" was at open_k and moved every offset >= from_k by delta_k; a kept node holds no
 * offset in (open_k, from_k) (those were inside the re-read block), so one threshold per edit is
 * exact. A node remembers the version its offsets are of (`v`) and applies the shifts since then
 * when one of them is next read (`shiftOffset`).
 *
 * Typing in one place gives edits that compose into one: edits k..j act on the offsets a node of
 * version k holds as "offsets >= from_k move by delta_k + ... + delta_j" when each next threshold
 * lies above open_k and at most at from_k + (the shifts so far) (the kept offsets below and above
 * then stay on their sides). `reach[k]` is the last edit edit k composes with and `sum[k]` their
 * total, so a node applies one step per such run, however many keystrokes it spans.
 */
class TreeText {
  text: string;
  /** The file object of the current text (top-level nodes' parent). */
  file: File | null = null;
  /** Edits moved through so far. */
  version = 0;
  /** Index k - base of the arrays below is edit k; edits before base are applied everywhere (settleTree). */
  base = 0;
  from: number[] = [];
  open: number[] = [];
  reach: number[] = [];
  sum: number[] = [];

  constructor(text: string) {
    this.text = text;
  }

  /** Record an edit: offsets >= from move by delta (delta !== 0); the re-read block's "{" was at open. */
  moved(from: number, open: number, delta: number): void {
    const n = this.from.length;
    for (let i = 0; i < n; i++) {
      if (this.reach[i] === n - 1 && this.open[i] < from && from <= this.from[i] + this.sum[i]) {
        this.reach[i] = n;
        this.sum[i] += delta;
      }
    }
    this.from.push(from);
    this.open.push(open);
    this.reach.push(n);
    this.sum.push(delta);
    this.version++;
  }

  /** The most steps a node of any version applies now (each walk follows `reach`, see shiftOffset). */
  maxSteps(): number {
    const n = this.from.length;
    const steps = new Int32Array(n + 1);
    let most = 0;
    for (let i = n - 1; i >= 0; i--) {
      steps[i] = 1 + steps[this.reach[i] + 1];
      if (steps[i] > most) most = steps[i];
    }
    return most;
  }

  /** Every node is of the current version (settleTree): forget the edits. */
  restart(): void {
    this.base = this.version;
    this.from.length = this.open.length = this.reach.length = this.sum.length = 0;
  }
}

/**
 * Steps (runs of composed edits) a node of some version may have to apply before every node
 * of the tree is brought up to date (settleTree) and the record restarts: edits in different
 * places cost a node read later at most this many, and the walk over the whole tree (1-3 ms for
 * 10,000 lines) comes after that many of them. Typing in one place is one step however long it
 * goes on; the record then restarts after SHIFT_LOG_MAX edits.
 */
const SHIFT_LOG_LIMIT = 32;
const SHIFT_LOG_MAX = 1024;

/** `o`, an offset of version `v`, in the current text of `tt`. */
function shiftOffset(o: number, tt: TreeText, v: number): number {
  if (v < tt.base) throw new Error('nginx syntax node read after its tree was replaced');
  const { from, reach, sum } = tt;
  for (let i = v - tt.base; i < from.length; i = reach[i] + 1) if (o >= from[i]) o += sum[i];
  return o;
}

/** Append the trivia and comments that tile the gap [from, to) (which holds nothing else). */
function gapNodes(tt: TreeText, from: number, to: number, out: NginxNode[]): void {
  const text = tt.text;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === HASH) {
      let e = i + 1;
      while (e < to && text.charCodeAt(e) !== LF) e++;
      if (e < text.length && e > i + 1 && text.charCodeAt(e) === LF && text.charCodeAt(e - 1) === CR) e--;
      out.push(new Comment(i, e, tt));
      i = e;
    } else {
      let e = i + 1;
      while (e < to) {
        const d = text.charCodeAt(e);
        if (d === SPACE || d === TAB || d === LF || d === CR) e++;
        else break;
      }
      out.push(new Trivia(i, e, tt));
      i = e;
    }
  }
}

/** `items` with the whitespace gaps of [from, to) filled in as trivia. */
function withTrivia(tt: TreeText, items: readonly NginxNode[], from: number, to: number): NginxNode[] {
  const out: NginxNode[] = [];
  let at = from;
  for (const node of items) {
    if (node.start > at) gapNodes(tt, at, node.start, out);
    out.push(node);
    at = node.end;
  }
  if (to > at) gapNodes(tt, at, to, out);
  return out;
}

/**
 * A node whose offsets follow the edits of its tree lazily: it holds them as of version `#v` of its
 * TreeText and applies the shifts recorded since then when one of them is next read or written
 * (settle()). A subclass with more offsets shifts them in shiftMore().
 */
abstract class Moving {
  #start: number;
  #end: number;
  #tt: TreeText;
  #v: number;

  constructor(start: number, end: number, tt: TreeText) {
    this.#start = start;
    this.#end = end;
    this.#tt = tt;
    this.#v = tt.version;
  }

  /** The tree's text and edits (a getter, so that it is no own property of the node). */
  protected get tt(): TreeText {
    return this.#tt;
  }

  /** Apply the shifts of the edits since the offsets were last read or written. */
  settle(): void {
    const tt = this.#tt;
    const v = this.#v;
    if (v === tt.version) return;
    const s = shiftOffset(this.#start, tt, v);
    this.shiftMore(tt, v, s - this.#start);
    this.#start = s;
    this.#end = shiftOffset(this.#end, tt, v);
    this.#v = tt.version;
  }

  /** Shift the subclass's other offsets from version `v` (`startDelta`: how far the start moves). */
  protected shiftMore(_tt: TreeText, _v: number, _startDelta: number): void {}

  get start(): number {
    if (this.#v !== this.#tt.version) this.settle();
    return this.#start;
  }

  set start(v: number) {
    if (this.#v !== this.#tt.version) this.settle();
    this.#start = v;
  }

  get end(): number {
    if (this.#v !== this.#tt.version) this.settle();
    return this.#end;
  }

  set end(v: number) {
    if (this.#v !== this.#tt.version) this.settle();
    this.#end = v;
  }
}

class Comment extends Moving implements NginxComment {
  declare readonly type: 'comment';
  /** The comment's text without the "#" (read again from the file when the comment is made). */
  text: string;

  constructor(start: number, end: number, tt: TreeText) {
    super(start, end, tt);
    this.text = tt.text.slice(start + 1, end);
  }

  toJSON(): object {
    return { type: this.type, start: this.start, end: this.end, text: this.text };
  }
}
Object.defineProperty(Comment.prototype, 'type', { value: 'comment', enumerable: true });

/**
 * The words of a parse, as offsets: word k spans [data[2k], data[2k+1]) (the end is stored as
 * ~end for a string cut at the end of its line). Directives read their words from here and
 * build Word objects only when `nameToken`, `args` or `parts` is first read: the model looks
 * directives up by name, so most words of a large file are never materialised.
 */
class WordStore {
  data = new Int32Array(1024);
  count = 0;
  /** The tree's text (the words' offsets are of the version their directive was made at). */
  readonly tt: TreeText;

  constructor(tt: TreeText) {
    this.tt = tt;
  }

  get text(): string {
    return this.tt.text;
  }

  push(start: number, end: number, unterminated: boolean): number {
    const k = this.count++;
    const data = (this.data = roomForPair(this.data, k));
    data[2 * k] = start;
    data[2 * k + 1] = unterminated ? ~end : end;
    return k;
  }
}

/** What a directive builds on first read (kept apart: most directives never need it). */
interface DirectiveExtra {
  nameToken: Word | undefined;
  args: Word[] | undefined;
  parts: NginxNode[] | undefined;
}

class Directive extends Moving implements NginxDirective {
  declare readonly type: 'directive';
  name: string;
  block: NginxBlock | null = null;
  /** Number of arguments (words after the name). */
  argCount = 0;
  /**
   * Added to the stored word offsets: the edits the directive was moved through (its words lie
   * before its block, so they move exactly when its start does).
   */
  #wordDelta = 0;
  /** The enclosing block, or null at top level (then the parent is the tree's current file). */
  #parent: NginxBlock | null;
  #store: WordStore;
  /** Index of the name word in the store. */
  #at: number;
  #extra: DirectiveExtra | undefined = undefined;

  constructor(name: string, store: WordStore, at: number, parent: NginxBlock | NginxFile) {
    const e = store.data[2 * at + 1];
    super(store.data[2 * at], e < 0 ? ~e : e, store.tt);
    this.name = name;
    this.#store = store;
    this.#at = at;
    this.#parent = parent.type === 'file' ? null : parent;
  }

  protected override shiftMore(_tt: TreeText, _v: number, startDelta: number): void {
    this.#wordDelta += startDelta;
  }

  /** See #wordDelta. */
  get wordDelta(): number {
    this.settle();
    return this.#wordDelta;
  }

  #x(): DirectiveExtra {
    return (this.#extra ??= { nameToken: undefined, args: undefined, parts: undefined });
  }

  #word(k: number): Word {
    const e = this.#store.data[2 * k + 1];
    if (e >= 0) return new Word(this, this.#store, k);
    const text = this.#store.text;
    const delta = this.wordDelta;
    const start = this.#store.data[2 * k] + delta;
    return new Word(this, this.#store, k, unescapeNginx(text.slice(start + 1, ~e + delta)));
  }

  /** Offset of the terminating ";", or -1: the directive ends with a ";" after its last word. */
  get semicolon(): number {
    const end = this.end;
    if (this.block !== null || this.#store.text.charCodeAt(end - 1) !== SEMI) return -1;
    const e = this.#store.data[2 * (this.#at + this.argCount) + 1];
    const lastEnd = (e < 0 ? ~e : e) + this.#wordDelta;
    return lastEnd < end ? end - 1 : -1;
  }

  get nameToken(): NginxToken {
    const x = this.#x();
    if (x.nameToken === undefined) {
      const w = this.#word(this.#at);
      w.setValue(this.name);
      x.nameToken = w;
    }
    return x.nameToken;
  }

  get args(): NginxToken[] {
    const x = this.#x();
    let args = x.args;
    if (args === undefined) {
      const n = this.argCount;
      if (n === 0) args = NO_ARGS as Word[];
      else {
        args = new Array<Word>(n);
        for (let i = 0; i < n; i++) args[i] = this.#word(this.#at + 1 + i);
      }
      x.args = args;
    }
    return args;
  }

  get nameSpan(): Span {
    return this.nameToken;
  }

  get parent(): NginxBlock | NginxFile {
    return this.#parent ?? this.tt.file!;
  }

  /** The source text (the directive's offsets index it). */
  get text(): string {
    return this.#store.text;
  }

  /** The cached parts, if built (settleTree brings their trivia up to date). */
  cachedParts(): NginxNode[] | undefined {
    return this.#extra?.parts;
  }

  /** Forget the parts (the directive's block was re-read: its last part is another block). */
  dropParts(): void {
    const x = this.#extra;
    if (x) x.parts = undefined;
  }

  /** Built on first read (see the memory layout note above). */
  get parts(): NginxNode[] {
    const x = this.#x();
    if (x.parts === undefined) {
      const tt = this.tt;
      const name = this.nameToken;
      const out: NginxNode[] = [name];
      let at = name.end;
      for (const a of this.args) {
        if (a.start > at) gapNodes(tt, at, a.start, out);
        out.push(a);
        at = a.end;
      }
      const semicolon = this.semicolon;
      const last: NginxNode | null =
        this.block ?? (semicolon >= 0 ? new Leaf('token', semicolon, semicolon + 1, tt) : null);
      if (last) {
        if (last.start > at) gapNodes(tt, at, last.start, out);
        out.push(last);
      }
      x.parts = out;
    }
    return x.parts;
  }

  toJSON(): object {
    return {
      type: this.type,
      name: this.name,
      start: this.start,
      end: this.end,
      nameToken: this.nameToken,
      args: this.args,
      block: this.block,
      semicolon: this.semicolon,
      parts: this.parts,
    };
  }
}
Object.defineProperty(Directive.prototype, 'type', { value: 'directive', enumerable: true });

/** Shared empty argument list (never mutated). */
const NO_ARGS: NginxToken[] = [];

class Block extends Moving implements NginxBlock {
  declare readonly type: 'block';
  /** Every child but whitespace trivia, in order. */
  items: NginxNode[] = [];
  rawBody = false;
  #open: number;
  #close = -1;
  #owner: NginxDirective | null;
  /** The enclosing block, or null at top level (then the parent is the tree's current file). */
  #parent: NginxBlock | null;
  #children: NginxNode[] | undefined = undefined;

  constructor(open: number, owner: NginxDirective | null, parent: NginxBlock | NginxFile, tt: TreeText) {
    super(open, open + 1, tt);
    this.#open = open;
    this.#owner = owner;
    this.#parent = parent.type === 'file' ? null : parent;
  }

  protected override shiftMore(tt: TreeText, v: number): void {
    this.#open = shiftOffset(this.#open, tt, v);
    if (this.#close >= 0) this.#close = shiftOffset(this.#close, tt, v);
  }

  get open(): number {
    this.settle();
    return this.#open;
  }

  set open(v: number) {
    this.settle();
    this.#open = v;
  }

  get close(): number {
    this.settle();
    return this.#close;
  }

  set close(v: number) {
    this.settle();
    this.#close = v;
  }

  get owner(): NginxDirective | null {
    return this.#owner;
  }

  get parent(): NginxBlock | NginxFile {
    return this.#parent ?? this.tt.file!;
  }

  /** The cached children, if built (settleTree brings their trivia up to date). */
  cachedChildren(): NginxNode[] | undefined {
    return this.#children;
  }

  /** Forget the children (the block holds the re-read block, or one of its items was replaced). */
  dropChildren(): void {
    this.#children = undefined;
  }

  /** Built on first read: `items` with whitespace trivia between them. */
  get children(): NginxNode[] {
    if (this.#children === undefined)
      this.#children = withTrivia(this.tt, this.items, this.open + 1, this.close >= 0 ? this.close : this.end);
    return this.#children;
  }

  toJSON(): object {
    return {
      type: this.type,
      start: this.start,
      end: this.end,
      open: this.open,
      close: this.close,
      items: this.items,
      rawBody: this.rawBody,
      children: this.children,
    };
  }
}
Object.defineProperty(Block.prototype, 'type', { value: 'block', enumerable: true });

/**
 * A word (directive name or argument). Its text (`raw`) and nginx value (`value`) are sliced
 * from the file only when first read; `value` is then cached.
 */
class Word implements NginxToken {
  declare readonly type: 'token';
  /** The directive the word belongs to (its offset shift) and the store holding its offsets. */
  #owner: Directive;
  #store: WordStore;
  #k: number;
  #value: string | undefined;

  /** `unterminatedValue`: the value of a string cut at the end of its line (no closing quote). */
  constructor(owner: Directive, store: WordStore, k: number, unterminatedValue?: string) {
    this.#owner = owner;
    this.#store = store;
    this.#k = k;
    this.#value = unterminatedValue;
  }

  get start(): number {
    return this.#store.data[2 * this.#k] + this.#owner.wordDelta;
  }

  get end(): number {
    const e = this.#store.data[2 * this.#k + 1];
    return (e < 0 ? ~e : e) + this.#owner.wordDelta;
  }

  get #text(): string {
    return this.#store.text;
  }

  /** Preset the value (a directive's name is computed once, when it is read). */
  setValue(v: string): void {
    this.#value = v;
  }

  get quote(): '"' | "'" | null {
    const c = this.#text.charCodeAt(this.start);
    return c === DQUOTE ? '"' : c === SQUOTE ? "'" : null;
  }

  get raw(): string {
    return this.#text.slice(this.start, this.end);
  }

  get value(): string {
    if (this.#value === undefined) {
      const c = this.#text.charCodeAt(this.start);
      if (c !== DQUOTE && c !== SQUOTE) this.#value = unescapeNginx(this.raw);
      else this.#value = unescapeNginx(this.#text.slice(this.start + 1, this.end - 1));
    }
    return this.#value;
  }

  toJSON(): object {
    return { type: this.type, start: this.start, end: this.end, raw: this.raw, value: this.value, quote: this.quote };
  }
}
Object.defineProperty(Word.prototype, 'type', { value: 'token', enumerable: true });

/** A token that reads its text from the file's text by offsets (punctuation, raw bodies, errors, whitespace). */
abstract class TextLeaf extends Moving implements NginxToken {
  abstract readonly type: NginxToken['type'];

  get raw(): string {
    return this.tt.text.slice(this.start, this.end);
  }

  get value(): string {
    return this.raw;
  }

  get quote(): null {
    return null;
  }

  /** Plain data for JSON.stringify (raw and value are getters). */
  toJSON(): object {
    return { type: this.type, start: this.start, end: this.end, raw: this.raw, value: this.raw, quote: null };
  }
}

/** Any other leaf: ";", an error character, a raw Lua body (`value === raw`, no quote). */
class Leaf extends TextLeaf {
  type: NginxToken['type'];

  constructor(type: NginxToken['type'], start: number, end: number, tt: TreeText) {
    super(start, end, tt);
    this.type = type;
  }
}

/** Whitespace: built only when `children`/`parts` are read; its type lives on the prototype. */
class Trivia extends TextLeaf {
  declare readonly type: 'trivia';
}
Object.defineProperty(Trivia.prototype, 'type', { value: 'trivia', enumerable: true });

class File implements NginxFile {
  declare readonly type: 'file';
  text: string;
  /** Every top-level node but whitespace trivia, in order. */
  items: NginxNode[] = [];
  diagnostics: NginxSyntaxDiagnostic[] = [];
  #tt: TreeText;
  #lineIndex: LineIndex | undefined = undefined;
  #children: NginxNode[] | undefined = undefined;

  /** A file of `tt.text`; it becomes the parent of the top-level nodes when `tt.file` is set to it. */
  constructor(tt: TreeText) {
    this.text = tt.text;
    this.#tt = tt;
  }

  static treeText(f: File): TreeText {
    return f.#tt;
  }

  /** Built on first use. */
  get lineIndex(): LineIndex {
    if (this.#lineIndex === undefined) this.#lineIndex = new LineIndex(this.text);
    return this.#lineIndex;
  }

  /** The line index if it was built (the incremental parser updates it rather than building one). */
  static builtLineIndex(f: File): LineIndex | undefined {
    return f.#lineIndex;
  }

  /** Set by the incremental parser (an index updated from the previous one). */
  setLineIndex(index: LineIndex): void {
    this.#lineIndex = index;
  }

  /** Built on first read: `items` with whitespace trivia between them. */
  get children(): NginxNode[] {
    if (this.#children === undefined) this.#children = withTrivia(this.#tt, this.items, 0, this.text.length);
    return this.#children;
  }

  toJSON(): object {
    return { type: this.type, text: this.text, children: this.children, diagnostics: this.diagnostics };
  }
}
Object.defineProperty(File.prototype, 'type', { value: 'file', enumerable: true });

type Settles = { settle(): void };

/**
 * Bring every node of `file` (and the trivia of every cached `children` and `parts` list) up to
 * the current version, so the shift log can restart. An explicit stack: junk nested thousands
 * deep does not overflow.
 */
function settleTree(file: File): void {
  const stack: NginxNode[] = [];
  for (let i = file.items.length - 1; i >= 0; i--) stack.push(file.items[i]);
  const cached = (list: NginxNode[] | undefined): void => {
    if (list)
      for (const n of list)
        if (!(n instanceof Directive || n instanceof Block || n instanceof Word)) (n as unknown as Settles).settle();
  };
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node instanceof Directive) {
      node.settle();
      cached(node.cachedParts());
      if (node.block) stack.push(node.block);
    } else if (node instanceof Block) {
      node.settle();
      cached(node.cachedChildren());
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (!(node instanceof Word)) (node as unknown as Settles).settle();
  }
}

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
function wordValue(text: string, start: number, end: number, unterminated: boolean): string {
  const c = text.charCodeAt(start);
  if (c === DQUOTE || c === SQUOTE) return unescapeNginx(text.slice(start + 1, unterminated ? end : end - 1));
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === BACKSLASH) return unescapeNginx(text.slice(start, end));
  return internedSlice(text, start, end);
}

/** Characters from the start of the line holding `offset` to `offset`. */
function columnOf(text: string, offset: number): number {
  let i = offset;
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === LF || c === CR) break;
    i--;
  }
  return offset - i;
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** A word that looks like a directive name: a letter or "_", then letters, digits, "_". */
function looksLikeDirectiveName(s: string): boolean {
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
function scanNginxBody(text: string, from: number): number {
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

function scanLuaBody(text: string, from: number): number {
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
function quantifierLength(text: string, i: number): number {
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

function describeChar(text: string, at: number): string {
  const c = text.charCodeAt(at);
  if (c >= 0xd800 && c <= 0xdbff && at + 1 < text.length) return text.slice(at, at + 2);
  if (c < 32 || c === 127) return '\\x' + c.toString(16).padStart(2, '0');
  return text[at];
}

function charWidth(text: string, at: number): number {
  const c = text.charCodeAt(at);
  if (c >= 0xd800 && c <= 0xdbff && at + 1 < text.length) {
    const d = text.charCodeAt(at + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

function endOfLine(text: string, from: number): number {
  const n = text.length;
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) break;
    i++;
  }
  return i;
}

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
function flatten(text: string): void {
  void Number(text);
}

/**
 * The parser. With `sub`, it reads only the body of `sub.block` (a fresh block whose "{" is at
 * `sub.block.open` in `text`) as if the rest of the file were as before, and stops at the "}" that
 * closes it: `closeAt` is then that offset, or -1 when the file ended first. The incremental
 * parser uses this to re-read one block.
 */
function parseCore(
  tt: TreeText,
  options: ParseNginxOptions,
  sub: { block: Block } | null,
): { file: File; closeAt: number } {
  const text = tt.text;
  const n = text.length;
  const isDirectiveName = options.isDirectiveName;
  const maxDiagnostics = options.maxDiagnostics ?? 1000;
  // With `sub`, a scratch file that only collects the diagnostics of the block.
  const file = new File(tt);
  if (!sub) tt.file = file;
  const diagnostics = file.diagnostics;

  let truncated = false;
  const report = (
    code: string,
    start: number,
    end: number,
    message: string,
    fix?: NginxSyntaxDiagnostic['fix'],
    severity: Severity = 'error',
  ): void => {
    if (diagnostics.length >= maxDiagnostics) {
      if (!truncated) {
        truncated = true;
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
  };

  /** The `items` of the container being filled. */
  let children: NginxNode[] = sub ? sub.block.items : file.items;
  let container: NginxBlock | NginxFile = sub ? sub.block : file;
  let closeAt = -1;
  /** Open blocks, innermost last. A block's parent is the container its "}" returns to. */
  const stack: Block[] = [];
  /** Start and indentation of the line that opened each open block (parallel to `stack`). */
  const stackLineStart: number[] = [];
  const stackIndent: number[] = [];

  // Line tracking, for the missing-"}" guess: start of the current line (updated by line
  // breaks in whitespace, where directives start), and whether only whitespace precedes `pos` on it.
  let lineStart = 0;
  let atLineStart = true;
  let indentCacheAt = -1;
  let indentCache = 0;
  /** Spaces and tabs at the start of the line starting at `ls` (cached: many blocks share a line). */
  const indentOf = (ls: number): number => {
    if (ls !== indentCacheAt) {
      let i = ls;
      while (i < n && (text.charCodeAt(i) === SPACE || text.charCodeAt(i) === TAB)) i++;
      indentCacheAt = ls;
      indentCache = i - ls;
    }
    return indentCache;
  };
  /**
   * Blocks closed by a "}" that starts a line left of the block's own opening line: that "}"
   * probably belongs to an enclosing block. In source order, with where the "}" line starts.
   */
  const misaligned: { block: Block; closeLineStart: number; openIndentStart: number; openIndent: number }[] = [];
  const misalignedSet = new Set<NginxBlock>();

  /** The directive being read (no ";" or block yet). */
  let dir: Directive | null = null;
  /** Its words, as offsets (see WordStore). */
  const store = new WordStore(tt);
  let argsCount = 0;
  /** Was one of its words an unterminated string (repaired, so a missing ";" is not reported again)? */
  let dirRecovered = false;
  /** Column of its name, computed on demand (-1 = not yet). */
  let dirColumn = -1;
  /** Start of the line holding its name. */
  let dirLineStart = 0;
  /** Last word of `dir` (start, end; lastStart < 0: none). */
  let lastStart = -1;
  let lastEnd = -1;
  /**
   * Comments read after `lastWord`: they belong to `dir` only if it continues (then its lazy
   * `parts` reads them again), else they go to the enclosing items.
   * A reused buffer: `pending[0..pendingCount)` is live (cheaper than resizing an array).
   */
  const pending: NginxNode[] = [];
  let pendingCount = 0;
  /** Did the whitespace after `lastWord` contain a line break? */
  let pendingNewline = false;

  const flushPendingInto = (list: NginxNode[]): void => {
    for (let k = 0; k < pendingCount; k++) list.push(pending[k]);
    pendingCount = 0;
    pendingNewline = false;
  };
  const flushPendingIntoParts = (): void => {
    pendingCount = 0;
    pendingNewline = false;
  };
  /** Give `dir` its final argument count. */
  const sealDirective = (d: Directive): void => {
    d.argCount = argsCount;
  };

  /** End `dir` without ";" or block: it stops after its last word; pending trivia goes outside. */
  const abandonDirective = (): void => {
    if (!dir) return;
    dir.end = lastEnd;
    sealDirective(dir);
    flushPendingInto(children);
    dir = null;
    lastStart = -1;
  };

  let pos = 0;
  /** Blocks open around the re-read block (see NGINX_MAX_BLOCK_DEPTH). */
  let baseDepth = 0;
  if (sub) {
    for (let p = sub.block.parent; p.type === 'block'; p = p.parent) baseDepth++;
    // Start inside the block: its "{" is open, the line tracking starts at the "{"'s line.
    pos = sub.block.open + 1;
    let ls = sub.block.open;
    while (ls > 0 && text.charCodeAt(ls - 1) !== LF && text.charCodeAt(ls - 1) !== CR) ls--;
    lineStart = ls;
    atLineStart = false;
    stack.push(sub.block);
    stackLineStart.push(ls);
    stackIndent.push(indentOf(ls));
  } else if (n > 0 && text.charCodeAt(0) === BOM) {
    children.push(new Trivia(0, 1, tt));
    report(
      'byte-order-mark',
      0,
      1,
      'the file starts with a UTF-8 byte order mark, which nginx reads as part of the first directive name; save the file without it',
      { start: 0, end: 1, newText: '' },
    );
    pos = 1;
  }

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
        lineStart = afterBreak;
        atLineStart = true;
      }
      if (dir && newline) pendingNewline = true;
      pos = e;
      continue;
    }

    const firstOnLine = atLineStart;
    atLineStart = false;

    // Comment: to the line feed (a CR right before it stays outside, in the trivia).
    if (c === HASH) {
      let e = pos + 1;
      while (e < n && text.charCodeAt(e) !== LF) e++;
      if (e < n && e > pos + 1 && text.charCodeAt(e - 1) === CR) e--;
      const c = new Comment(pos, e, tt);
      if (e - pos >= NGINX_CONF_BUFFER && e < n) {
        report(
          'too-long-parameter',
          pos,
          e,
          `nginx refuses a comment of ${NGINX_CONF_BUFFER} characters or more ("too long parameter"); split it`,
        );
      }
      if (dir) pending[pendingCount++] = c;
      else children.push(c);
      pos = e;
      continue;
    }

    if (c === SEMI) {
      if (dir) {
        flushPendingIntoParts();
        dir.end = pos + 1;
        sealDirective(dir);
        dir = null;
        lastStart = -1;
      } else {
        children.push(new Leaf('error', pos, pos + 1, tt));
        report('unexpected-semicolon', pos, pos + 1, 'unexpected ";": there is no directive to end here', {
          start: pos,
          end: pos + 1,
          newText: '',
        });
      }
      pos++;
      continue;
    }

    if (c === LBRACE) {
      const owner: Directive | null = dir;
      const block: Block = new Block(pos, owner, container, tt);
      if (owner) {
        flushPendingIntoParts();
        sealDirective(owner);
        owner.block = block;
        dir = null;
        lastStart = -1;
      } else {
        children.push(block);
        report('unexpected-open-brace', pos, pos + 1, 'unexpected "{": a block must follow a directive name');
      }

      if (stack.length + baseDepth >= NGINX_MAX_BLOCK_DEPTH) {
        // Too deep to walk: keep the body as one unread leaf, with a finding at its "{".
        block.rawBody = true;
        const close = scanNginxBody(text, pos + 1);
        const bodyEnd = close < 0 ? n : close;
        block.items.push(new Leaf('raw', pos + 1, bodyEnd, tt));
        report(
          'nesting-too-deep',
          pos,
          pos + 1,
          `blocks nested deeper than ${NGINX_MAX_BLOCK_DEPTH} levels: wslb does not read this block's contents, so nothing inside it is checked`,
        );
        const end = close < 0 ? n : close + 1;
        if (close >= 0) block.close = close;
        block.end = end;
        if (owner) owner.end = end;
        pos = end;
        continue;
      }

      if (owner && isLuaBlockDirective(owner.name)) {
        // The body is Lua, read by the Lua module's own reader: keep it as one raw leaf.
        block.rawBody = true;
        const close = scanLuaBody(text, pos + 1);
        const bodyEnd = close < 0 ? n : close;
        block.items.push(new Leaf('raw', pos + 1, bodyEnd, tt));
        if (close < 0) {
          block.end = n;
          owner.end = n;
          report('unclosed-block', pos, pos + 1, `the Lua block of "${clipWord(owner.name)}" has no closing "}"`, {
            start: n,
            end: n,
            newText: '}',
          });
          pos = n;
        } else {
          block.close = close;
          block.end = close + 1;
          owner.end = close + 1;
          pos = close + 1;
        }
        continue;
      }

      stack.push(block);
      const openLineStart = owner ? dirLineStart : lineStart;
      stackLineStart.push(openLineStart);
      stackIndent.push(indentOf(openLineStart));
      children = block.items;
      container = block;
      pos++;
      continue;
    }

    if (c === RBRACE) {
      if (dir) {
        const d: Directive = dir;
        if (!dirRecovered)
          report(
            'missing-semicolon',
            lastStart,
            pos + 1,
            `directive "${clipWord(d.name)}" is not terminated by ";" (unexpected "}")`,
            { start: lastEnd, end: lastEnd, newText: ';' },
          );
        abandonDirective();
      }
      if (stack.length === 0) {
        children.push(new Leaf('error', pos, pos + 1, tt));
        report('unexpected-close-brace', pos, pos + 1, 'unexpected "}": no block is open here', {
          start: pos,
          end: pos + 1,
          newText: '',
        });
      } else {
        const top = stack.pop()!;
        const openIndent = stackIndent.pop()!;
        const openLineStart = stackLineStart.pop()!;
        if (firstOnLine && pos - lineStart < openIndent) {
          misaligned.push({ block: top, closeLineStart: lineStart, openIndentStart: openLineStart, openIndent });
          misalignedSet.add(top);
        }
        top.close = pos;
        top.end = pos + 1;
        const owner = top.owner;
        if (owner) owner.end = pos + 1;
        if (sub && stack.length === 0) {
          closeAt = pos;
          break;
        }
        container = top.parent;
        children = container.type === 'file' ? (container as File).items : (container as Block).items;
      }
      pos++;
      continue;
    }

    // A word: [pos, wEnd).
    let wEnd: number;
    let next: number;
    let unterminated = false;
    if (c === DQUOTE || c === SQUOTE) {
      // Quoted string: ends at the same unescaped quote; may span lines.
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
        report(
          'unterminated-string',
          pos,
          pos + 1,
          closed
            ? `the string opened here is closed only on a later line, and nginx then refuses "${clipWord(describeChar(text, i + 1))}"; add the missing ${quoteChar}`
            : `unterminated string: missing closing ${quoteChar}`,
          { start: eol, end: eol, newText: quoteChar },
        );
        wEnd = eol;
        next = eol;
        unterminated = true;
      } else {
        const end = i + 1;
        wEnd = end;
        next = end;
        if (end - pos - 1 >= NGINX_CONF_BUFFER) {
          report(
            'too-long-parameter',
            pos,
            end,
            `nginx refuses a parameter of ${NGINX_CONF_BUFFER} characters or more ("too long parameter")`,
          );
        }
        if (badAfter && after !== RBRACE) {
          // "}" right after a quote is reported as a missing ";" by the "}" branch.
          const width = charWidth(text, i + 1);
          report(
            'unexpected-char-after-quote',
            i + 1,
            i + 1 + width,
            `unexpected "${clipWord(describeChar(text, i + 1))}" after the closing quote: nginx wants a space, ";" or "{" there`,
            { start: i + 1, end: i + 1, newText: ' ' },
          );
        }
      }
    } else {
      // Bare word, as ngx_conf_read_token reads it.
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
      wEnd = i;
      next = i;
      if (quantifierAt >= 0) {
        const raw = text.slice(pos, i);
        const q = quantifierLength(text, quantifierAt);
        report(
          'unquoted-brace',
          quantifierAt,
          quantifierAt + q,
          `nginx reads "{" in the unquoted parameter "${clipWord(raw)}" as the start of a block; put the parameter in quotes`,
          { start: pos, end: i, newText: quoteNginxWord(raw) },
        );
      }
      if (i - pos >= NGINX_CONF_BUFFER) {
        report(
          'too-long-parameter',
          pos,
          i,
          `nginx refuses a parameter of ${NGINX_CONF_BUFFER} characters or more ("too long parameter")`,
        );
      }
    }

    if (dir && pendingNewline && c !== DQUOTE && c !== SQUOTE) {
      // Words running onto a new line: is this word really the next directive?
      const d: Directive = dir;
      if (dirColumn < 0) dirColumn = columnOf(text, d.start);
      if (columnOf(text, pos) <= dirColumn) {
        const raw = text.slice(pos, wEnd);
        const split = isDirectiveName
          ? isDirectiveName(unescapeNginx(raw)) && (argsCount > 0 || isDirectiveName(d.name))
          : argsCount > 0 && looksLikeDirectiveName(raw);
        if (split) {
          if (!dirRecovered)
            report(
              'missing-semicolon',
              lastStart,
              lastEnd,
              `directive "${clipWord(d.name)}" is not terminated by ";"`,
              {
                start: lastEnd,
                end: lastEnd,
                newText: ';',
              },
            );
          abandonDirective();
        }
      }
    }

    if (dir) {
      flushPendingIntoParts();
      store.push(pos, wEnd, unterminated);
      argsCount++;
      dir.end = wEnd;
      if (unterminated) dirRecovered = true;
    } else {
      const at = store.push(pos, wEnd, unterminated);
      dir = new Directive(wordValue(text, pos, wEnd, unterminated), store, at, container);
      children.push(dir);
      argsCount = 0;
      dirRecovered = unterminated;
      dirColumn = -1;
      dirLineStart = lineStart;
    }
    lastStart = pos;
    lastEnd = wEnd;
    pos = next;
  }

  if (sub) return { file, closeAt };

  if (dir) {
    const d: Directive = dir;
    if (!dirRecovered)
      report(
        'unexpected-end',
        lastStart,
        n,
        `unexpected end of file: directive "${clipWord(d.name)}" needs ";" or "{"`,
        {
          start: lastEnd,
          end: lastEnd,
          newText: ';',
        },
      );
    abandonDirective();
  }

  // One block left open: if "}"s were shifted (a block closed by a "}" indented like an
  // enclosing block, and so on up to the open one), the missing "}" most likely belongs to
  // the innermost shifted block. Report it there, with a fix that inserts its "}".
  if (stack.length === 1 && misaligned.length > 0) {
    const open = stack[0];
    const culprit = misaligned.find((m) => {
      let p: NginxBlock | NginxFile = m.block.parent;
      while (p !== open) {
        if (p.type !== 'block' || !misalignedSet.has(p)) return false;
        p = p.parent;
      }
      return true;
    });
    if (culprit) {
      open.end = n;
      if (open.owner) open.owner.end = n;
      const owner = culprit.block.owner;
      const what = owner ? `the block of "${clipWord(owner.name)}"` : 'this block';
      const closeLine = file.lineIndex.positionAt(culprit.block.close).line + 1;
      const nl = text.indexOf('\n');
      const eol = nl > 0 && text.charCodeAt(nl - 1) === CR ? '\r\n' : '\n';
      const indent = text.slice(culprit.openIndentStart, culprit.openIndentStart + culprit.openIndent);
      report(
        'unclosed-block',
        culprit.block.open,
        culprit.block.open + 1,
        `${what} has no closing "}": the "}" on line ${closeLine}, indented like an enclosing block, closes it instead, and the file ends with a block still open`,
        { start: culprit.closeLineStart, end: culprit.closeLineStart, newText: indent + '}' + eol },
      );
      stack.length = 0;
    }
  }

  // Blocks left open: each ends at the end of the file.
  for (let k = stack.length - 1; k >= 0; k--) {
    const block = stack[k];
    const owner = block.owner;
    block.end = n;
    if (owner) owner.end = n;
    const what = owner ? `the block of "${clipWord(owner.name)}"` : 'this block';
    report('unclosed-block', block.open, block.open + 1, `unexpected end of file: ${what} has no closing "}"`, {
      start: n,
      end: n,
      newText: '}',
    });
  }

  return { file, closeAt };
}

// ---------------------------------------------------------------------------------------------
// Incremental re-parse

/** One change of a text: `deleted` code units at `offset` replaced by `inserted` (applied in order). */
export interface NginxTextEdit {
  offset: number;
  deleted: number;
  inserted: string;
}

/**
 * Parse `text`, which is `old.text` after `edits`, reusing `old`: only the body of the innermost
 * block that holds every change is read again; the directives and blocks around it are the same
 * objects, moved to their new offsets (each when one of its offsets is next read: see TreeText).
 * The result equals `parseNginx(text, options)` (same
 * nodes, diagnostics and re-print); when that cannot be guaranteed this simply calls parseNginx:
 * a change that touches a block's braces or reaches past its body (the re-read block must close
 * at the same "}"), a file with an unclosed block or too many errors, a string left open before
 * the edit (its reading scanned ahead for a quote), or edits that do not lead
 * from `old.text` to `text`. `old` must not be used afterwards (its nodes now belong to the result;
 * once the re-read block is found they read the new text, even when this then falls back).
 */
export function parseNginxIncremental(
  old: NginxFile,
  text: string,
  edits: readonly NginxTextEdit[],
  options: ParseNginxOptions = {},
): NginxFile {
  flatten(text);
  const result = reparse(old, text, edits, options);
  if (result) nginxIncrementalStats.reused++;
  else nginxIncrementalStats.full++;
  return result ?? parseNginx(text, options);
}

/**
 * The block a tree from parseNginxIncremental re-read (every node outside it is a node of the old
 * tree, moved); undefined for a tree parsed whole.
 */
export function nginxReparsedBlock(file: NginxFile): NginxBlock | undefined {
  return reparsedBlocks.get(file);
}
const reparsedBlocks = new WeakMap<NginxFile, NginxBlock>();

/**
 * How often parseNginxIncremental re-read one block (`reused`) or parsed the whole text (`full`),
 * and brought a whole tree's offsets up to date (`settled`: after SHIFT_LOG_LIMIT edits in different
 * places, or SHIFT_LOG_MAX in one).
 */
export const nginxIncrementalStats = { reused: 0, full: 0, settled: 0 };

function reparse(
  old: NginxFile,
  text: string,
  edits: readonly NginxTextEdit[],
  options: ParseNginxOptions,
): NginxFile | null {
  if (!(old instanceof File)) return null;
  if (edits.length === 0 && text === old.text) return old;
  const tt = File.treeText(old);
  if (tt.file !== old) return null;
  // The changed region: [lo, hiOld) of the old text became [lo, hiNew) of the new one.
  let lo = Infinity;
  let suffix = Infinity;
  let len = old.text.length;
  for (const e of edits) {
    if (e.offset < 0 || e.deleted < 0 || e.offset + e.deleted > len) return null;
    lo = Math.min(lo, e.offset);
    len += e.inserted.length - e.deleted;
    suffix = Math.min(suffix, len - (e.offset + e.inserted.length));
  }
  if (len !== text.length || edits.length === 0) return null;
  const hiOld = old.text.length - suffix;
  const hiNew = text.length - suffix;
  const delta = hiNew - hiOld;
  const maxDiagnostics = options.maxDiagnostics ?? 1000;
  for (const d of old.diagnostics) {
    if (d.code === 'unclosed-block' || d.code === 'too-many-errors') return null;
    // A string left open before the edit was read by scanning ahead for its quote, past `lo`.
    if (d.code === 'unterminated-string' && d.start < lo) return null;
  }

  // The innermost closed, non-raw block whose body holds the whole region, and the nodes on the
  // way to it (each holds the region; the last one is the target or its directive).
  let target: Block | null = null;
  const path: NginxNode[] = [];
  let list: NginxNode[] = old.items;
  for (;;) {
    let found: Block | null = null;
    let l = 0;
    let h = list.length - 1;
    while (l <= h) {
      const mid = (l + h) >> 1;
      const node = list[mid];
      if (node.end < hiOld) l = mid + 1;
      else if (node.start >= lo) h = mid - 1;
      else {
        const b = node.type === 'directive' ? node.block : node.type === 'block' ? node : null;
        if (b instanceof Block && !b.rawBody && b.close >= 0 && b.open < lo && hiOld <= b.close) {
          found = b;
          path.push(node);
        }
        break;
      }
    }
    if (!found) break;
    target = found;
    list = found.items;
  }
  if (!target) return null;

  // Move the old tree into the new text. Every offset a kept node holds is at most tOpen (before
  // the target, or the start of a block around it) or above tClose (after it, or the end of a
  // block around it): offsets from tClose + 1 on move by delta, when next read (TreeText).
  // From here `old` is the new tree's past: it must not be used again, even if this fails.
  const tOpen = target.open;
  const tClose = target.close;
  if (delta !== 0) tt.moved(tClose + 1, tOpen, delta);
  tt.text = text;
  const file = new File(tt);
  tt.file = file;
  const fresh = new Block(tOpen, target.owner, target.parent, tt);
  const { file: scratch, closeAt } = parseCore(tt, options, { block: fresh });
  if (closeAt !== tClose + delta) return null;
  const before: NginxSyntaxDiagnostic[] = [];
  const after: NginxSyntaxDiagnostic[] = [];
  for (const d of old.diagnostics) {
    if (d.start <= tOpen) before.push(d);
    else if (d.start > tClose) after.push(d);
  }
  if (before.length + scratch.diagnostics.length + after.length >= maxDiagnostics) return null;

  // The nodes on the path: their cached lists are out of date; the target is replaced.
  file.items = old.items;
  let items = file.items;
  for (const node of path) {
    if (node instanceof Directive) {
      node.dropParts();
      const b = node.block as Block;
      if (b === target) node.block = fresh;
      else {
        b.dropChildren();
        items = b.items;
      }
    } else if (node instanceof Block) {
      if (node === target) items[items.indexOf(node)] = fresh;
      else {
        node.dropChildren();
        items = node.items;
      }
    }
  }

  const shift = (d: NginxSyntaxDiagnostic): NginxSyntaxDiagnostic => {
    const out: NginxSyntaxDiagnostic = { ...d, start: d.start + delta, end: d.end + delta };
    if (d.fix) out.fix = { ...d.fix, start: d.fix.start + delta, end: d.fix.end + delta };
    return out;
  };
  file.diagnostics = before.concat(scratch.diagnostics, after.map(shift));
  const oldIndex = File.builtLineIndex(old);
  if (oldIndex) file.setLineIndex(editedLineIndex(oldIndex, text, lo, hiOld, hiNew));
  reparsedBlocks.set(file, fresh);
  if (delta !== 0 && (tt.from.length >= SHIFT_LOG_MAX || tt.maxSteps() >= SHIFT_LOG_LIMIT)) {
    settleTree(file);
    tt.restart();
    nginxIncrementalStats.settled++;
  }
  return file;
}

/** The line index of `text` from the one of the text before the edit [lo, hiOld) → [lo, hiNew). */
function editedLineIndex(old: LineIndex, text: string, lo: number, hiOld: number, hiNew: number): LineIndex {
  // No line break taken out or put in, and not between a CR and its LF (which would split or join
  // a break): the same lines, those after the edited one shifted (no copy of the line starts).
  if (
    !hasBreak(old.text, lo, hiOld) &&
    !hasBreak(text, lo, hiNew) &&
    !(text.charCodeAt(lo - 1) === CR && text.charCodeAt(hiNew) === LF)
  ) {
    return old.shifted(text, old.positionAt(lo).line, hiNew - hiOld);
  }
  const starts = old.lineStarts;
  // Line starts before lo are unchanged (the break before each, and a following LF, lie before lo).
  let k = 0;
  let h = starts.length;
  while (k < h) {
    const mid = (k + h) >> 1;
    if (starts[mid] < lo) k = mid + 1;
    else h = mid;
  }
  const out = starts.slice(0, k);
  const n = text.length;
  let i = Math.max(0, lo - 1);
  const stop = Math.min(n, hiNew + 1);
  for (; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      if (i + 1 >= lo) out.push(i + 1);
    } else if (c === CR) {
      if (text.charCodeAt(i + 1) === LF) i++;
      if (i + 1 >= lo) out.push(i + 1);
    }
  }
  // From i on the new text is the old text's tail: its line starts, shifted.
  const delta = hiNew - hiOld;
  let j = k;
  while (j < starts.length && starts[j] <= i - delta) j++;
  for (; j < starts.length; j++) out.push(starts[j] + delta);
  return LineIndex.fromLineStarts(text, out);
}

function hasBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return true;
  }
  return false;
}
