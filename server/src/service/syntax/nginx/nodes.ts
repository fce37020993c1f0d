/**
 * The node classes of an nginx tree (they implement the interfaces of types.ts). Words are kept
 * as offsets in a WordStore and become objects only when read; a block's `children` and a
 * directive's `parts` are built on first read from `items`, with the whitespace between them read
 * again from the text. settleTree brings every node of a tree up to date with its text's edits.
 */
import { LineIndex, type Span } from '../../text';
import { roomForPair } from '../pairs';
import { unescapeNginx as unescape } from './lexical';
import { Moving, shiftOffset as shiftOffsetOf, type TreeText } from './tree-text';
import type {
  NginxBlock,
  NginxComment,
  NginxDirective,
  NginxFile,
  NginxNode,
  NginxSyntaxDiagnostic,
  NginxToken,
} from './types';

// Called for every word read and every moved block, so bound once here: loaded through tsx (the
// tests, the benchmarks) each read of an imported name is a getter call.
const unescapeNginx = unescape;
const shiftOffset = shiftOffsetOf;

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

export class Comment extends Moving implements NginxComment {
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
export class WordStore {
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

export class Directive extends Moving implements NginxDirective {
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

export class Block extends Moving implements NginxBlock {
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
export abstract class TextLeaf extends Moving implements NginxToken {
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
export function settleTree(file: File): void {
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
