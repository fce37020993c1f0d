/**
 * The node classes of an nginx tree (they implement the interfaces of types.ts). Words are kept
 * as offsets in a WordStore and become objects only when read; a block's `children` and a
 * directive's `parts` are built on first read from `items`, with the whitespace between them read
 * again from the text.
 *
 * Memory layout (a 50k-line config has about half a million leaves, and allocation is what a
 * parse costs): whitespace and the ";" of a directive are not stored. Blocks and the file keep
 * `items` (every child but whitespace); `children` and a directive's `parts` are built from them
 * on first read, filling the gaps with trivia (and, inside a directive, comments) read again from
 * the text, and are then cached. The gaps hold nothing else, so the lazy lists are exactly the
 * ones an eager parse would build.
 *
 * A tree is a value: once parsed, no node's offsets, text or contents change (what is built on
 * first read is a cache of what the node already says). An incremental parse (incremental.ts) makes a
 * new tree whose nodes outside the re-read block are copies of the old ones at their new offsets
 * (`shiftedCopy`); a copied block makes the copies of its items when they are first read, and a
 * copy shares what the offsets do not change (its words, names, comment texts).
 */
import { LineIndex, type Span } from '../../text';
import { roomForPair } from '../pairs';
import { unescapeNginx as unescape, wordValue as wordValueOf } from './lexical';
import type {
  NginxBlock,
  NginxComment,
  NginxDirective,
  NginxFile,
  NginxNode,
  NginxSyntaxDiagnostic,
  NginxToken,
} from './types';

// Called for every word read, so bound once here: loaded through tsx (the tests, the benchmarks)
// each read of an imported name is a getter call.
const unescapeNginx = unescape;
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

/** What the nodes of one tree read through: its text and its file (the top-level nodes' parent). */
export class TreeText {
  readonly text: string;
  file: File | null = null;

  constructor(text: string) {
    this.text = text;
  }
}

/** A node with offsets in its tree's text (set by the parser while it reads, then fixed). */
export abstract class NodeBase {
  start: number;
  end: number;
  #tt: TreeText;

  constructor(start: number, end: number, tt: TreeText) {
    this.start = start;
    this.end = end;
    this.#tt = tt;
  }

  /** The tree's text and file (a getter, so that it is no own property of the node). */
  protected get tt(): TreeText {
    return this.#tt;
  }
}

/** Append the trivia and comments that tile the gap [from, to) (which holds nothing else). */
export function gapNodes(tt: TreeText, from: number, to: number, out: NginxNode[]): void {
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
export function withTrivia(tt: TreeText, items: readonly NginxNode[], from: number, to: number): NginxNode[] {
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

export class Comment extends NodeBase implements NginxComment {
  declare readonly type: 'comment';
  /** The comment's text without the "#" (read again from the file when the comment is made). */
  text: string;

  constructor(start: number, end: number, tt: TreeText, text?: string) {
    super(start, end, tt);
    this.text = text ?? tt.text.slice(start + 1, end);
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
export class WordStore {
  data = new Int32Array(1024);
  count = 0;

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
  values: string[] | undefined;
}

export class Directive extends NodeBase implements NginxDirective {
  declare readonly type: 'directive';
  name: string;
  block: NginxBlock | null = null;
  /** Number of arguments (words after the name). */
  argCount = 0;
  /**
   * Added to the stored word offsets: how far the copies this directive comes from moved it (its
   * words lie before its block, so they move exactly when its start does).
   */
  #wordDelta = 0;
  /** The enclosing block, or null at top level (then the parent is the tree's file). */
  #parent: NginxBlock | null;
  #store: WordStore;
  /** Index of the name word in the store. */
  #at: number;
  #extra: DirectiveExtra | undefined = undefined;

  constructor(name: string, store: WordStore, at: number, parent: NginxBlock | NginxFile, tt: TreeText) {
    const e = store.data[2 * at + 1];
    super(store.data[2 * at], e < 0 ? ~e : e, tt);
    this.name = name;
    this.#store = store;
    this.#at = at;
    this.#parent = parent.type === 'file' ? null : parent;
  }

  /**
   * A copy of `d` in another tree: its start moved by `startDelta`, its end by `endDelta`, its
   * block not copied (the caller sets `block`).
   */
  static copy(
    d: Directive,
    startDelta: number,
    endDelta: number,
    parent: NginxBlock | NginxFile,
    tt: TreeText,
  ): Directive {
    const c = new Directive(d.name, d.#store, d.#at, parent, tt);
    c.start = d.start + startDelta;
    c.end = d.end + endDelta;
    c.argCount = d.argCount;
    c.#wordDelta = d.#wordDelta + startDelta;
    return c;
  }

  /** See #wordDelta. */
  get wordDelta(): number {
    return this.#wordDelta;
  }

  #x(): DirectiveExtra {
    return (this.#extra ??= { nameToken: undefined, args: undefined, parts: undefined, values: undefined });
  }

  #word(k: number): Word {
    const e = this.#store.data[2 * k + 1];
    if (e >= 0) return new Word(this, this.#store, k);
    const text = this.tt.text;
    const delta = this.wordDelta;
    const start = this.#store.data[2 * k] + delta;
    return new Word(this, this.#store, k, unescapeNginx(text.slice(start + 1, ~e + delta)));
  }

  /** Offset of the terminating ";", or -1: the directive ends with a ";" after its last word. */
  get semicolon(): number {
    const end = this.end;
    if (this.block !== null || this.tt.text.charCodeAt(end - 1) !== SEMI) return -1;
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

  /**
   * The arguments' values (`args[i].value`), read from the stored offsets without making the
   * words (built on first read; shared: do not modify).
   */
  get argValues(): string[] {
    const x = this.#x();
    if (x.values === undefined) {
      const n = this.argCount;
      const data = this.#store.data;
      const text = this.tt.text,
        delta = this.#wordDelta;
      const values = n === 0 ? NO_VALUES : new Array<string>(n);
      for (let i = 0, k = 2 * (this.#at + 1); i < n; i++, k += 2) {
        const e = data[k + 1];
        values[i] = wordValue(text, data[k] + delta, (e < 0 ? ~e : e) + delta, e < 0);
      }
      x.values = values;
    }
    return x.values;
  }

  get nameSpan(): Span {
    return this.nameToken;
  }

  get parent(): NginxBlock | NginxFile {
    return this.#parent ?? this.tt.file!;
  }

  /** The source text (the directive's offsets index it). */
  get text(): string {
    return this.tt.text;
  }

  /** Built on first read (see the memory layout note at the top). */
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

/** Shared empty argument lists (never mutated). */
const NO_ARGS: NginxToken[] = [];
const NO_VALUES: string[] = [];

export class Block extends NodeBase implements NginxBlock {
  declare readonly type: 'block';
  rawBody = false;
  open: number;
  close = -1;
  #items: NginxNode[] = [];
  /**
   * A copy whose items are not made yet: they are those of `#from` (a block of an older tree, kept
   * alive until then), moved by `#delta`.
   */
  #from: Block | null = null;
  #delta = 0;
  #owner: NginxDirective | null;
  /** The enclosing block, or null at top level (then the parent is the tree's file). */
  #parent: NginxBlock | null;
  #children: NginxNode[] | undefined = undefined;

  constructor(open: number, owner: NginxDirective | null, parent: NginxBlock | NginxFile, tt: TreeText) {
    super(open, open + 1, tt);
    this.open = open;
    this.#owner = owner;
    this.#parent = parent.type === 'file' ? null : parent;
  }

  /**
   * A copy of `b` in another tree: its "{" moved by `openDelta`, its "}" and end by `closeDelta`.
   * With `items` its items are those given (the caller fills the list); without, they are `b`'s
   * moved by `openDelta` (then equal to `closeDelta`), made when first read.
   */
  static copy(
    b: Block,
    openDelta: number,
    closeDelta: number,
    owner: NginxDirective | null,
    parent: NginxBlock | NginxFile,
    tt: TreeText,
    items?: NginxNode[],
  ): Block {
    const c = new Block(b.open + openDelta, owner, parent, tt);
    c.start = b.start + openDelta;
    c.end = b.end + closeDelta;
    if (b.close >= 0) c.close = b.close + closeDelta;
    c.rawBody = b.rawBody;
    if (items) c.#items = items;
    else if (b.#from) {
      // `b`'s own items are not made yet: copy from where they would come from.
      c.#from = b.#from;
      c.#delta = b.#delta + openDelta;
    } else {
      c.#from = b;
      c.#delta = openDelta;
    }
    return c;
  }

  /** Every child but whitespace trivia, in order. */
  get items(): NginxNode[] {
    const from = this.#from;
    if (from !== null) {
      const delta = this.#delta;
      const tt = this.tt;
      this.#items = from.items.map((n) => shiftedCopy(n, delta, this, tt));
      this.#from = null;
    }
    return this.#items;
  }

  set items(list: NginxNode[]) {
    this.#from = null;
    this.#items = list;
  }

  get owner(): NginxDirective | null {
    return this.#owner;
  }

  get parent(): NginxBlock | NginxFile {
    return this.#parent ?? this.tt.file!;
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
export class Word implements NginxToken {
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

  get #text(): string {
    return this.#owner.text;
  }

  get end(): number {
    const e = this.#store.data[2 * this.#k + 1];
    return (e < 0 ? ~e : e) + this.#owner.wordDelta;
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
export abstract class TextLeaf extends NodeBase implements NginxToken {
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
export class Leaf extends TextLeaf {
  type: NginxToken['type'];

  constructor(type: NginxToken['type'], start: number, end: number, tt: TreeText) {
    super(start, end, tt);
    this.type = type;
  }
}

/** Whitespace: built only when `children`/`parts` are read; its type lives on the prototype. */
export class Trivia extends TextLeaf {
  declare readonly type: 'trivia';
}
Object.defineProperty(Trivia.prototype, 'type', { value: 'trivia', enumerable: true });

export class File implements NginxFile {
  declare readonly type: 'file';
  text: string;
  /** Every top-level node but whitespace trivia, in order. */
  items: NginxNode[] = [];
  diagnostics: NginxSyntaxDiagnostic[] = [];
  /** The block an incremental parse re-read to make this tree (nginxReparsedBlock). */
  reparsed: NginxBlock | undefined = undefined;
  #tt: TreeText;
  #lineIndex: LineIndex | undefined = undefined;
  #children: NginxNode[] | undefined = undefined;

  /** A file of `tt.text`; it becomes the parent of the top-level nodes when `tt.file` is set to it. */
  constructor(tt: TreeText) {
    this.text = tt.text;
    this.#tt = tt;
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

/**
 * `node` (not a Word: those hang off their directive) as a node of another tree whose text has it
 * `delta` code units further on, under `parent`. Its block or items are copied when first read.
 */
export function shiftedCopy(node: NginxNode, delta: number, parent: NginxBlock | NginxFile, tt: TreeText): NginxNode {
  if (node instanceof Directive) {
    const d = Directive.copy(node, delta, delta, parent, tt);
    if (node.block) d.block = Block.copy(node.block as Block, delta, delta, d, parent, tt);
    return d;
  }
  if (node instanceof Block) return Block.copy(node, delta, delta, null, parent, tt);
  if (node instanceof Comment) return new Comment(node.start + delta, node.end + delta, tt, node.text);
  if (node instanceof Leaf) return new Leaf(node.type, node.start + delta, node.end + delta, tt);
  if (node instanceof Trivia) return new Trivia(node.start + delta, node.end + delta, tt);
  throw new Error(`nginx syntax: cannot copy a ${node.type} node`);
}
