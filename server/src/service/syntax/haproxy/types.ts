/**
 * The lossless HAProxy 2.6 syntax tree.
 *
 * A file is a list of physical lines; every line owns its text and its line break, so the
 * lines tile the file and printing them back gives the input byte for byte. On top of the
 * lines sit statements (keyword lines), conditional directives (`.if` ...) and sections.
 */
import type { LineIndex, Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';
import type { CondNode } from './conditions';

/** One word of a line as HAProxy's `parse_line()` splits it. */
export interface HaproxyWord extends Span {
  /** The word exactly as written, quotes and escapes included. */
  raw: string;
  /**
   * The word after HAProxy 2.6 unquoting and unescaping. Environment references
   * (`"${VAR}"`, `"$VAR"`, `"${VAR-default}"`, `"${VAR[*]}"`) are kept literally, since
   * their value depends on the machine HAProxy runs on.
   */
  value: string;
  /** Names of the environment variables the word refers to (only inside double quotes). */
  envRefs?: string[];
}

/** One physical line WITHOUT its line break. Lines and their breaks tile the file. */
export interface HaproxyLine extends Span {
  type: 'line';
  /** Built on first read (then the same array and objects on every read). */
  words: HaproxyWord[];
  /** `words.length`, without building the word objects. */
  readonly wordCount: number;
  /** `words[k].value` for k < wordCount, without building the word objects. */
  wordValue(k: number): string;
  /** From an unquoted `#` to the end of the line. */
  comment: Span | null;
  /** Leading white space (HAProxy skips any `isspace()` character here, `\r` included). */
  indent: Span;
  /** The `\n`, the `\r\n`, or an empty span at the end of the file. */
  eol: Span;
  /**
   * Text HAProxy never reads: what follows a stray carriage return or a NUL byte inside the
   * line (its line reader stops there).
   */
  ignored?: Span;
  /** For a `[name]` scope line: the span of the name between the brackets. */
  scope?: Span;
  /** Set when the line has a lexical error; HAProxy skips such a line entirely. */
  invalid?: boolean;
}

export type HaproxyDirective = '.if' | '.elif' | '.else' | '.endif' | '.diag' | '.notice' | '.warning' | '.alert';

export interface HaproxyConditional {
  type: 'conditional';
  line: HaproxyLine;
  directive: HaproxyDirective;
  /**
   * For `.if`/`.elif`: the parsed condition (null when empty, unparsable, or made of
   * environment references that only HAProxy can expand).
   */
  condition?: CondNode | null;
  /** For `.elif`/`.else`/`.endif`: the branch before it in the same `.if` chain. */
  previous?: HaproxyConditional;
}

export interface HaproxyStatement {
  type: 'statement';
  line: HaproxyLine;
  /** words[0].value */
  keyword: string;
  /** The words after the first (built on first read). */
  args: HaproxyWord[];
  /** `line.wordCount` and `line.wordValue(k)` (keyword included), without building the line or its words. */
  readonly wordCount: number;
  wordValue(k: number): string;
  /**
   * The enclosing conditional blocks, outermost first. For each level this is the directive
   * that opened the branch the statement is in: the `.if`, or the later `.elif`/`.else`.
   */
  conditions: HaproxyConditional[];
  section: HaproxySection | null;
  /** `no` or `default` when the keyword is one of HAProxy's keyword modifiers. */
  modifier?: 'no' | 'default';
}

export interface HaproxySection extends Span {
  type: 'section';
  /** global, defaults, frontend, backend, listen, peers, resolvers, ... (see SECTION_KEYWORDS). */
  keyword: string;
  name: string | null;
  nameSpan: Span | null;
  /** `defaults [name] from other`, `frontend|backend|listen name from other`. */
  from: string | null;
  fromSpan: Span | null;
  header: HaproxyLine;
  /** The header line read as a statement (keyword = the section keyword). */
  headerStatement: HaproxyStatement;
  /** The body: statements after the header up to the next section (header excluded). */
  statements: HaproxyStatement[];
  /**
   * The body read by index without making statement objects: set on a parse's section while its
   * `statements` have not been read (then undefined). Reads what `statements[i]` would give.
   */
  readonly body?: HaproxySectionBody;
}

/** Word counts and values by row (a parse's line table). */
export interface HaproxyRows {
  wordCount(row: number): number;
  wordValue(row: number, k: number): string;
}

/** A section's body statements by index (see HaproxySection.body). */
export interface HaproxySectionBody {
  /** statements.length */
  readonly size: number;
  /** statements[i].keyword */
  keywordAt(i: number): string;
  /** statements[i].modifier */
  modifierAt(i: number): 'no' | 'default' | undefined;
  /** statements[i].wordCount */
  wordCountAt(i: number): number;
  /** statements[i].wordValue(k) */
  wordValueAt(i: number, k: number): string;
  /** statements[i].wordValue(k) === s (no string made for the word) */
  wordIsAt(i: number, k: number, s: string): boolean;
  /** Where statement i's words are: `rows.wordCount(rowAt(i))` and `rows.wordValue(rowAt(i), k)` are wordCountAt(i) and wordValueAt(i, k). */
  rowAt(i: number): number;
  readonly rows: HaproxyRows;
  /** statements[i].line.start */
  lineStartAt(i: number): number;
  /** statements[i] (the same object the list holds once made). */
  statement(i: number): HaproxyStatement;
}

export interface HaproxyFile {
  type: 'file';
  text: string;
  lines: HaproxyLine[];
  sections: HaproxySection[];
  /** Statements before any section (HAProxy refuses them). */
  topLevel: HaproxyStatement[];
  /** Every statement in file order, section headers included. */
  statements: HaproxyStatement[];
  /** Every `.if/.elif/.else/.endif/.diag/.notice/.warning/.alert` line, in file order. */
  conditionals: HaproxyConditional[];
  diagnostics: SyntaxDiagnostic[];
  lineIndex: LineIndex;
}
