/**
 * Concrete syntax tree of an nginx configuration file.
 *
 * The tree is lossless: every UTF-16 code unit of the input belongs to exactly one leaf.
 * Leaves are tokens (words, ";", error tokens, trivia, raw Lua bodies), comments and the
 * two braces of a block. `printNginx` concatenates the leaves and gives back the input.
 *
 * Tiling rules (checked by the tests on every corpus file):
 * - `NginxFile.children` tile [0, text.length).
 * - `NginxDirective.parts` tile [directive.start, directive.end): name token, trivia and
 *   comments between words, argument tokens, then the ";" token or the block.
 * - An `NginxBlock` spans from its "{" to its "}" (or to the end of the file when the
 *   "}" is missing); its leaves are the "{", its `children`, then the "}" if present.
 *   Whitespace and comments before a directive belong to the enclosing children list,
 *   never to the directive.
 *
 * Whitespace is not stored: `items` (file and blocks) hold every child but trivia; `children`
 * and `parts` are built from them on first read and cached. Code that needs only directives
 * and comments should read `items`, which costs nothing.
 */
import type { LineIndex, Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';

/** One word of a directive (its name or an argument), as nginx's reader splits them. */
export interface NginxArg extends Span {
  /** The source text, quotes and backslashes included. */
  raw: string;
  /** What nginx passes to the directive: quotes removed, \" \' \\ \n \t \r resolved. */
  value: string;
  /** The quote that opened the word, or null for a bare word. */
  quote: '"' | "'" | null;
}

/**
 * A leaf. `token`: a word (then it is also the NginxArg in `args`) or ";".
 * `trivia`: a run of spaces, tabs and line breaks (and a leading byte order mark).
 * `raw`: the body of a `*_lua_block`. `error`: a character nginx refuses here (a stray "}" or ";").
 * Every leaf carries `raw` (its exact text); `value`/`quote` are meaningful for words only
 * (`value === raw`, `quote === null` otherwise).
 */
export interface NginxToken extends Span, NginxArg {
  type: 'token' | 'trivia' | 'raw' | 'error';
}

export interface NginxComment extends Span {
  type: 'comment';
  /** The comment's text without the leading "#" (and without the line break). */
  text: string;
}

export interface NginxBlock extends Span {
  type: 'block';
  /** Offset of "{". */
  open: number;
  /** Offset of "}", or -1 when the file ended first. */
  close: number;
  /** The children without whitespace trivia (directives, comments, orphan blocks, error and raw tokens). */
  items: NginxNode[];
  /** Every child, trivia included (built on first read). */
  readonly children: NginxNode[];
  /** True for `*_lua_block` bodies: then `children` is exactly one 'raw' token. */
  rawBody: boolean;
  /**
   * The directive that opened the block, or null for a "{" nginx refuses (no directive
   * before it). Non-enumerable (a getter), so trees can be JSON-serialised and deep-compared.
   */
  readonly owner: NginxDirective | null;
  /** Enclosing block or file. Non-enumerable (a getter). */
  readonly parent: NginxBlock | NginxFile;
}

export interface NginxDirective extends Span {
  type: 'directive';
  /** The name's value (unquoted, escapes resolved: `"rewrite_by_lua_block"` names rewrite_by_lua_block). */
  name: string;
  /** Span of the name token (the token itself, so it also has raw/value/quote). */
  nameSpan: Span;
  /** The name token (also `parts[0]`; built on first read). */
  readonly nameToken: NginxToken;
  /** The argument words (built on first read). */
  readonly args: NginxToken[];
  /** Their values, `args[i].value`, without building the words (shared: do not modify). */
  readonly argValues: readonly string[];
  block: NginxBlock | null;
  /** Offset of the terminating ";", or -1 (block directive, or ";" missing). */
  readonly semicolon: number;
  /** Name, trivia, comments, arguments, then ";" or the block (built on first read). */
  readonly parts: NginxNode[];
  /** Enclosing block or file. Non-enumerable (a getter), so trees can be JSON-serialised. */
  readonly parent: NginxBlock | NginxFile;
}

export type NginxNode = NginxDirective | NginxBlock | NginxComment | NginxToken;

/**
 * A syntax diagnostic, with an optional machine-usable repair in offsets: replace
 * [fix.start, fix.end) by fix.newText (e.g. insert ";" after the last word).
 */
export interface NginxSyntaxDiagnostic extends SyntaxDiagnostic {
  fix?: Span & { newText: string };
}

export interface NginxFile {
  type: 'file';
  text: string;
  /** The top-level nodes without whitespace trivia. */
  items: NginxNode[];
  /** Every top-level node, trivia included (built on first read). */
  readonly children: NginxNode[];
  diagnostics: NginxSyntaxDiagnostic[];
  lineIndex: LineIndex;
}

export interface ParseNginxOptions {
  /**
   * Is `name` a directive nginx knows (from the knowledge base)? Used only to find a
   * missing ";" when a directive's words run onto the next line. Without it, a word at the
   * start of a line counts as the next directive when it looks like a directive name.
   * See `parseNginx` for the full rule.
   */
  isDirectiveName?: (name: string) => boolean;
  /** Stop recording diagnostics after this many (one extra 'too-many-errors' note is added). Default 1000. */
  maxDiagnostics?: number;
}
