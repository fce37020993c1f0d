/**
 * The node classes of a HAProxy tree: Statement, Section and the file (HaproxyTree). They read
 * their lines and words from the parse's LineTable and build objects only when asked.
 */
import { LineIndex, type Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';
import { argsOf } from './line';
import * as lineTable from './line-table';
import type { LineTable, StatementInfo } from './line-table';
import type {
  HaproxyConditional,
  HaproxyFile,
  HaproxyLine,
  HaproxySection,
  HaproxySectionBody,
  HaproxyStatement,
  HaproxyWord,
} from './types';

const Table = lineTable.LineTable;

/** A statement made from a line of its own (by the incremental parser): the line, its section and `.if` stack. */
interface OwnLine {
  line: HaproxyLine;
  section: HaproxySection | null;
  conditions: HaproxyConditional[];
}
/** The `.if` stack of a statement outside any conditional block (shared, so frozen). */
const NO_CONDITIONS = Object.freeze([]) as unknown as HaproxyConditional[];

/**
 * A statement. Its line object and its `args` are built on first read (the parser itself needs
 * only the keyword, read from the line table without building the line or any word).
 *
 * A statement of a parse holds only its keyword, its table and its row: its section is the last
 * one whose header starts at or before its line (as the parser assigned it: a header opens a
 * section for every line up to the next header), found by binary search, and its `.if` stack is
 * kept by row only when not empty. Once the sections' lists are read, tens of thousands of
 * statements live as long as the tree, and each field is memory the garbage collector copies
 * while the tree is young (a full check makes only the few it keeps: see Section).
 */
export class Statement implements HaproxyStatement {
  // `type` lives on the prototype, and `modifier` is set only on the few statements that have one:
  // two fields fewer on every statement (see the memory note in lexer.ts).
  declare readonly type: 'statement';
  declare modifier?: 'no' | 'default';
  keyword: string;
  /** The line with what the statement knows of it, or the table holding it at row #row. */
  #src: OwnLine | LineTable;
  /** The row in the table, or -1 for a statement made from a line of its own (a Smi test, cheaper than instanceof). */
  #row: number;

  /**
   * `src` is a table (a parse's own, see LineTable.statementInfo) and `row` its row, or a line of
   * its own and `row` -1. For a table, `section` must be the one the rule above gives and the
   * parser keeps a non-empty `conditions` by row itself (Statement.keepConditions()).
   */
  constructor(
    src: HaproxyLine | LineTable,
    row: number,
    keyword: string,
    conditions: HaproxyConditional[],
    section: HaproxySection | null,
  ) {
    this.keyword = keyword;
    this.#src = row < 0 ? { line: src as HaproxyLine, section, conditions } : (src as LineTable);
    this.#row = row;
  }

  /** Records the `.if` stack of row `row` of a parse's table (kept only when not empty). */
  static keepConditions(info: StatementInfo, row: number, conditions: HaproxyConditional[]): void {
    if (conditions.length > 0) (info.conditions ??= new Map()).set(row, conditions);
  }

  get section(): HaproxySection | null {
    if (this.#row < 0) return (this.#src as OwnLine).section;
    const src = this.#src as LineTable;
    const sections = src.statementInfo!.sections;
    const start = src.lineStart(this.#row);
    let lo = 0;
    let hi = sections.length - 1;
    let found: HaproxySection | null = null;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (sections[mid].start <= start) {
        found = sections[mid];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  get conditions(): HaproxyConditional[] {
    if (this.#row < 0) return (this.#src as OwnLine).conditions;
    const byRow = (this.#src as LineTable).statementInfo!.conditions;
    return (byRow !== undefined ? byRow.get(this.#row) : undefined) ?? NO_CONDITIONS;
  }

  get line(): HaproxyLine {
    return this.#row >= 0 ? (this.#src as LineTable).line(this.#row) : (this.#src as OwnLine).line;
  }

  get args(): HaproxyWord[] {
    // kept by the line (built on first read, then the same array): one field fewer per statement
    return argsOf(this.line);
  }

  get wordCount(): number {
    return this.#row >= 0 ? (this.#src as LineTable).wordCount(this.#row) : (this.#src as OwnLine).line.wordCount;
  }

  wordValue(k: number): string {
    return this.#row >= 0 ? (this.#src as LineTable).wordValue(this.#row, k) : (this.#src as OwnLine).line.wordValue(k);
  }
}
Object.defineProperty(Statement.prototype, 'type', { value: 'statement', enumerable: true });

/**
 * A section of a parse. Its header line object and its header statement are made when first read
 * (the line from the table's row, then the same object as `lines` holds): a full check reads a
 * header's words only to report something, and a large file has thousands of headers. `start` is
 * always the header's start (edits move both alike), so statements find their section by it.
 *
 * Its body statements are rows of the parse (StatementInfo: row and keyword, entries
 * [first, first + size) of the parse's lists) until `statements` is first read; `body` reads them
 * by index without making a statement object per line. A full check of the 24k-line benchmark
 * file reads every line: its 19,600 body and 1,782 header statements (48 bytes each) and the
 * lists holding them were about half of the 2.1 MB an analysis kept, which the young-generation
 * garbage collector copies (1.2 MB kept without them, 26 Nov). A statement asked for by index is
 * kept (StatementInfo.made), and the list made later holds that same object.
 */
export class Section implements HaproxySection, HaproxySectionBody {
  declare readonly type: 'section';
  keyword: string;
  name: string | null = null;
  nameSpan: Span | null = null;
  from: string | null = null;
  fromSpan: Span | null = null;
  /** The header statement, once read (made then: a full check of a large file reads few of them). */
  #headerStatement: HaproxyStatement | undefined = undefined;
  start: number;
  end: number;
  #table: LineTable;
  #row: number;
  /** The table's StatementInfo. */
  #info: StatementInfo;
  /** The body: entries [#first, #first + size) of the parse's StatementInfo (size set when the section closes). */
  #first: number;
  #size = 0;
  /** The list, once made (or set). */
  #list: HaproxyStatement[] | undefined = undefined;

  constructor(table: LineTable, row: number, keyword: string) {
    this.keyword = keyword;
    this.start = table.start(row);
    this.end = table.end(row);
    this.#table = table;
    this.#row = row;
    this.#info = table.statementInfo!;
    this.#first = this.#info.count;
  }

  get statements(): HaproxyStatement[] {
    let list = this.#list;
    if (list === undefined) {
      const n = this.#size;
      const made = this.#info.made;
      list = new Array<HaproxyStatement>(n);
      for (let i = 0; i < n; i++)
        list[i] = (made !== undefined ? made.get(this.#first + i) : undefined) ?? this.#make(i);
      this.#list = list;
    }
    return list;
  }

  set statements(list: HaproxyStatement[]) {
    this.#list = list;
  }

  /** The body read by index (this section itself) while its list has not been made; then undefined. */
  get body(): HaproxySectionBody | undefined {
    return this.#list === undefined ? this : undefined;
  }

  /** statements.length. */
  get size(): number {
    return this.#list !== undefined ? this.#list.length : this.#size;
  }

  /** Closes the body: it holds the `size` entries of the parse's lists from where it started. */
  static close(s: Section, size: number): void {
    s.#size = size;
  }

  keywordAt(i: number): string {
    return this.#info.keywords[this.#first + i];
  }

  modifierAt(i: number): 'no' | 'default' | undefined {
    const info = this.#info;
    return info.modifiers === undefined ? undefined : info.modifiers.get(info.rows[this.#first + i]);
  }

  wordCountAt(i: number): number {
    return this.#table.wordCount(this.#info.rows[this.#first + i]);
  }

  rowAt(i: number): number {
    return this.#info.rows[this.#first + i];
  }

  get rows(): LineTable {
    return this.#table;
  }

  wordValueAt(i: number, k: number): string {
    return this.#table.wordValue(this.#info.rows[this.#first + i], k);
  }

  wordIsAt(i: number, k: number, s: string): boolean {
    return this.#table.wordIs(this.#info.rows[this.#first + i], k, s);
  }

  /** Where statement i's line starts. */
  lineStartAt(i: number): number {
    return this.#table.start(this.#info.rows[this.#first + i]);
  }

  /** statements[i], made at most once. */
  statement(i: number): HaproxyStatement {
    if (this.#list !== undefined) return this.#list[i];
    const info = this.#info;
    let st = info.made !== undefined ? info.made.get(this.#first + i) : undefined;
    if (st === undefined) (info.made ??= new Map()).set(this.#first + i, (st = this.#make(i)));
    return st;
  }

  #make(i: number): HaproxyStatement {
    const info = this.#info;
    const row = info.rows[this.#first + i];
    const st = new Statement(this.#table, row, info.keywords[this.#first + i], NO_CONDITIONS, this);
    const modifier = info.modifiers === undefined ? undefined : info.modifiers.get(row);
    if (modifier !== undefined) st.modifier = modifier;
    return st;
  }

  get header(): HaproxyLine {
    return this.#table.line(this.#row);
  }

  /** The header line read as a statement (its `.if` stack is kept by row, as for any statement of the parse). */
  get headerStatement(): HaproxyStatement {
    return (this.#headerStatement ??= new Statement(this.#table, this.#row, this.keyword, NO_CONDITIONS, this));
  }

  set headerStatement(st: HaproxyStatement) {
    this.#headerStatement = st;
  }

  /** Where the header line ends, while the parse runs (read from its row, without building the line). */
  static headerEnd(s: Section): number {
    return s.#table.end(s.#row);
  }

  /** Plain data for JSON.stringify (the header is a getter). */
  toJSON(): object {
    return {
      type: this.type,
      keyword: this.keyword,
      name: this.name,
      nameSpan: this.nameSpan,
      from: this.from,
      fromSpan: this.fromSpan,
      header: this.header,
      headerStatement: this.headerStatement,
      statements: this.statements,
      start: this.start,
      end: this.end,
    };
  }
}
Object.defineProperty(Section.prototype, 'type', { value: 'section', enumerable: true });

/**
 * A parsed file. Its line objects (from the parse's line table) and its line index are built on
 * first use: most callers only need statements and offsets.
 */
export class HaproxyTree implements HaproxyFile {
  readonly type = 'file' as const;
  /** The line index, once somebody asked for it (an incremental update shifts it). */
  builtIndex: LineIndex | null = null;
  #lines: HaproxyLine[] | undefined;
  #table: LineTable | undefined;
  #statements: HaproxyStatement[] | undefined;
  /** `statements` undefined: the list is made on first read from topLevel and the sections (see below). */
  constructor(
    public text: string,
    lines: HaproxyLine[] | LineTable,
    public sections: HaproxySection[],
    public topLevel: HaproxyStatement[],
    statements: HaproxyStatement[] | undefined,
    public conditionals: HaproxyConditional[],
    public diagnostics: SyntaxDiagnostic[],
  ) {
    if (lines instanceof Table) this.#table = lines;
    else this.#lines = lines;
    this.#statements = statements;
  }
  get lines(): HaproxyLine[] {
    return (this.#lines ??= this.#table!.all());
  }
  /**
   * Every statement in file order. The parser lists statements by section only; this list is made
   * when first read (then the same array): the statements before any section (the parser makes one
   * only while no section is open, so they all come first), then each section's header statement
   * and body.
   */
  get statements(): HaproxyStatement[] {
    let all = this.#statements;
    if (all === undefined) {
      all = this.topLevel.slice();
      for (const s of this.sections) {
        all.push(s.headerStatement);
        const body = s.statements;
        for (let j = 0; j < body.length; j++) all.push(body[j]);
      }
      this.#statements = all;
    }
    return all;
  }
  /** The file's statement list if it was made (or given), else undefined (see `statements`). */
  get builtStatements(): HaproxyStatement[] | undefined {
    return this.#statements;
  }
  /** The line table, while `lines` has not been read (an edit can then move rows, not objects). */
  get lineTable(): LineTable | undefined {
    return this.#lines === undefined ? this.#table : undefined;
  }
  get lineIndex(): LineIndex {
    // Without any carriage return the parsed lines are exactly the index's lines (a lone '\r'
    // ends a line for LSP but not for HAProxy): take their starts instead of scanning the text.
    if (this.builtIndex === null) {
      const starts = this.#lines === undefined ? this.#table!.starts() : this.#lines.map((l) => l.start);
      this.builtIndex =
        this.text.indexOf('\r') < 0 ? LineIndex.fromLineStarts(this.text, starts) : new LineIndex(this.text);
    }
    return this.builtIndex;
  }
}
