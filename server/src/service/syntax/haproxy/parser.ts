/**
 * Line-oriented, lossless, error-tolerant parser for HAProxy 2.6 configuration files.
 *
 * It follows HAProxy's own reader, src/cfgparse.c `readcfgfile()` (v2.6.0): one physical line
 * at a time (only '\n' ends a line), words split by `parse_line()` (see lexer.ts), empty lines
 * and lines whose first word is empty skipped, `.if/.elif/.else/.endif` and
 * `.diag/.notice/.warning/.alert` handled before anything else, `no`/`default` modifiers, then
 * a new section whenever the first word is a section keyword. Each problem HAProxy would refuse
 * at that level gives exactly one diagnostic; the rest of the file is parsed anyway.
 */
import { clipWord } from '../../words';
import { LineIndex, type Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';
import { evaluateCondition, parseCondition, type ConditionContext } from './conditions';
import { asciiBytes, keywordStrings } from './intern';
import { invalidNameChar, invalidNameCharIn } from './chars';
import { lexInfo } from './lexer';
import { argsOf, WordStore, type Line } from './line';
import { LineTable, ROW, type StatementInfo } from './line-table';
import { MAX_NESTED_CONDITIONS, MODIFIABLE_KEYWORDS, SECTION_RULES } from './sections';
import type {
  HaproxyConditional,
  HaproxyDirective,
  HaproxyFile,
  HaproxyLine,
  HaproxySection,
  HaproxySectionBody,
  HaproxyStatement,
  HaproxyWord,
} from './types';

const DIRECTIVES: ReadonlySet<string> = new Set([
  '.if',
  '.elif',
  '.else',
  '.endif',
  '.diag',
  '.notice',
  '.warning',
  '.alert',
]);

interface CondLevel {
  opener: HaproxyConditional;
  branch: HaproxyConditional;
  seenElse: boolean;
}

function diag(
  code: string,
  message: string,
  span: Span,
  severity: SyntaxDiagnostic['severity'] = 'error',
): SyntaxDiagnostic {
  return { code, message, severity, start: span.start, end: span.end };
}

/** The value of word k, or '' when absent (HAProxy's `*args[k]` test). */
function argv(words: HaproxyWord[], k: number): string {
  return k < words.length ? words[k].value : '';
}

/** Section and conditions of the statements made from a line of their own (by the incremental parser). */
const ownInfo = new WeakMap<Statement, { section: HaproxySection | null; conditions: HaproxyConditional[] }>();
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
  /** The line, or the table holding it at row #row. */
  #src: HaproxyLine | LineTable;
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
    this.#src = src;
    this.#row = row;
    if (row < 0) ownInfo.set(this, { section, conditions });
  }

  /** Records the `.if` stack of row `row` of a parse's table (kept only when not empty). */
  static keepConditions(info: StatementInfo, row: number, conditions: HaproxyConditional[]): void {
    if (conditions.length > 0) (info.conditions ??= new Map()).set(row, conditions);
  }

  get section(): HaproxySection | null {
    if (this.#row < 0) return ownInfo.get(this)!.section;
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
    if (this.#row < 0) return ownInfo.get(this)!.conditions;
    const byRow = (this.#src as LineTable).statementInfo!.conditions;
    return (byRow !== undefined ? byRow.get(this.#row) : undefined) ?? NO_CONDITIONS;
  }

  get line(): HaproxyLine {
    return this.#row >= 0 ? (this.#src as LineTable).line(this.#row) : (this.#src as HaproxyLine);
  }

  get args(): HaproxyWord[] {
    // kept by the line (built on first read, then the same array): one field fewer per statement
    return argsOf(this.line);
  }

  get wordCount(): number {
    return this.#row >= 0 ? (this.#src as LineTable).wordCount(this.#row) : (this.#src as HaproxyLine).wordCount;
  }

  wordValue(k: number): string {
    return this.#row >= 0 ? (this.#src as LineTable).wordValue(this.#row, k) : (this.#src as HaproxyLine).wordValue(k);
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
    if (lines instanceof LineTable) this.#table = lines;
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

/**
 * Whether a statement with this keyword is a plain one: not a section header, a directive or a
 * keyword modifier. Cached by keyword table slot (plainKeys holds the keyword each flag is for).
 */
function isPlainKeyword(keyword: string): boolean {
  return (
    keyword !== '' &&
    keyword.charCodeAt(0) !== 46 &&
    keyword !== 'no' &&
    keyword !== 'default' &&
    !SECTION_RULES.has(keyword)
  );
}
const plainKeys: (string | undefined)[] = new Array<string | undefined>(keywordStrings.length).fill(undefined);
const plainFlags = new Uint8Array(keywordStrings.length);

/**
 * How parseHaproxy() reads lines: 'bytes' reads an ASCII text as bytes (LineTable.lexAllBytes(),
 * the default; any other text is read as 'text'), 'text' reads each line of the string with the
 * lexer's quick paths (LineTable.lexAllText()), 'general' reads every line with the general lexer only.
 * All three give the same tree; tests compare them.
 */
export type HaproxyLexMode = 'bytes' | 'text' | 'general';
let lexMode: HaproxyLexMode = 'bytes';

/** For tests: sets how parseHaproxy() reads lines; returns the previous mode. */
export function setHaproxyLexMode(mode: HaproxyLexMode): HaproxyLexMode {
  const was = lexMode;
  lexMode = mode;
  return was;
}

export function parseHaproxy(text: string): HaproxyFile {
  flatten(text);
  const sections: HaproxySection[] = [];
  const topLevel: HaproxyStatement[] = [];
  const conditionals: HaproxyConditional[] = [];
  const diagnostics: SyntaxDiagnostic[] = [];

  const condStack: CondLevel[] = [];
  let conditions: HaproxyConditional[] = [];
  let current: HaproxySection | null = null;
  let lastContentEnd = -1;
  let sawNul = false;

  // The sections' body statements as rows and keywords (see Section): the open section's start at
  // `bodyFirst`.
  let bodyFirst = 0;
  const closeSection = (): void => {
    if (current) {
      current.end = Math.max(Section.headerEnd(current as Section), lastContentEnd);
      Section.close(current as Section, info.count - bodyFirst);
    }
  };
  /** Adds row `row` to the open section's body. */
  const addBody = (row: number, keyword: string, modifier: 'no' | 'default' | undefined): void => {
    const n = info.count;
    if (n === info.rows.length) {
      const grown = new Int32Array(n * 2);
      grown.set(info.rows);
      info.rows = grown;
    }
    info.rows[n] = row;
    info.keywords[n] = keyword;
    info.count = n + 1;
    Statement.keepConditions(info, row, currentConditions());
    if (modifier !== undefined) (info.modifiers ??= new Map()).set(row, modifier);
  };
  // Rebuilt lazily, when a statement needs it, and at most MAX_NESTED_CONDITIONS deep (HAProxy
  // refuses deeper nesting), so that pathological inputs stay linear.
  let conditionsDirty = false;
  const refreshConditions = (): void => {
    conditionsDirty = true;
  };
  const currentConditions = (): HaproxyConditional[] => {
    if (conditionsDirty) {
      const n = Math.min(condStack.length, MAX_NESTED_CONDITIONS);
      conditions = new Array<HaproxyConditional>(n);
      for (let k = 0; k < n; k++) conditions[k] = condStack[k].branch;
      conditionsDirty = false;
    }
    return conditions;
  };

  const len = text.length;
  // About one word every 8 characters and one line every 40 in real configurations; both grow
  // when needed.
  const store = new WordStore(text, len >> 3);
  const table = new LineTable(store, len >> 5);
  const info: StatementInfo = {
    sections,
    conditions: undefined,
    rows: new Int32Array(Math.max(16, len >> 5)),
    keywords: [],
    count: 0,
    modifiers: undefined,
    made: undefined,
  };
  table.statementInfo = info;
  // An ASCII text is read as bytes (one pass, no call into the engine per word); any other text
  // line by line as a string (see HaproxyLexMode).
  const bytes = lexMode === 'bytes' ? asciiBytes(text) : null;
  // First every line into the table's rows, then the rows in order.
  if (bytes !== null) table.lexAllBytes(bytes, text, len);
  else table.lexAllText(text, lexMode === 'general');
  const rowCount = table.count;
  // (the rows are final: read them directly)
  const rows = table.rows;
  let nextGeneral = table.nextGeneral();
  for (let row = 0; row < rowCount; row++) {
    const r = row * ROW;
    const contentEnd = rows[r + 1];
    // Set only for lines the general path read (the others are plain: no scope, no error).
    let built: Line | undefined;
    if (row === nextGeneral) {
      built = table.takeGeneral(row);
      nextGeneral = table.nextGeneral();
    }

    if (built !== undefined) {
      if (lexInfo.nulAt >= 0 && !sawNul) {
        sawNul = true;
        diagnostics.push(
          diag('nul-character', 'NUL character: HAProxy 2.6 stops reading the file here ("Stray NUL character")', {
            start: lexInfo.nulAt,
            end: lexInfo.nulAt + 1,
          }),
        );
      }
      if (lexInfo.crAt >= 0) {
        diagnostics.push(
          diag(
            'stray-carriage-return',
            'carriage return inside the line: HAProxy stops reading the line here and ignores the rest of it',
            { start: lexInfo.crAt, end: contentEnd },
            'warning',
          ),
        );
      }
      if (lexInfo.error) {
        built.invalid = true;
        diagnostics.push(lexInfo.error);
      }
    }

    const wordCount = rows[r + 4];
    if (wordCount > 0 && (built === undefined || !built.scope)) {
      let keyword: string;
      let plain = false;
      if (bytes !== null && built === undefined) {
        const slot = table.keywordSlot(row, bytes);
        if (slot >= 0) {
          keyword = keywordStrings[slot]!;
          if (plainKeys[slot] !== keyword) {
            plainKeys[slot] = keyword;
            plainFlags[slot] = isPlainKeyword(keyword) ? 1 : 0;
          }
          plain = plainFlags[slot] === 1;
        } else keyword = table.wordValue(row, 0);
      } else keyword = table.wordValue(row, 0);
      // (handleStatement() sets `current`, which TypeScript does not see)
      const section = current as HaproxySection | null;
      if (plain && section !== null) {
        // The common line: a keyword that is no section, directive or modifier, in a section,
        // read without error (what handleStatement() does for it).
        addBody(row, keyword, undefined);
      } else if (keyword === '') {
        // an empty first word ("" or ''): HAProxy skips the line
      } else if (keyword.charCodeAt(0) === 46 /* . */) {
        handleDirective(table.line(row), keyword);
      } else {
        handleStatement(row, keyword, built !== undefined && built.invalid === true);
      }
    }

    if (wordCount > 0 || rows[r + 2] >= 0 || (built !== undefined && built.ignored !== undefined))
      lastContentEnd = contentEnd;
  }
  closeSection();
  table.finish();

  for (const level of condStack) {
    const w = level.opener.line.words[0];
    diagnostics.push(diag('unterminated-if', "'.if' block never closed: add '.endif'", w));
  }
  if (len > 0 && text.charCodeAt(len - 1) !== 10) {
    const last = table.count - 1;
    diagnostics.push(
      diag(
        'missing-final-newline',
        'missing line feed at the end of the file: HAProxy 2.6 refuses the file ("Missing LF on last line")',
        { start: table.start(last), end: table.end(last) },
      ),
    );
  }
  diagnostics.sort((a, b) => a.start - b.start || a.end - b.end);

  return new HaproxyTree(text, table, sections, topLevel, undefined, conditionals, diagnostics);

  function handleDirective(line: HaproxyLine, keyword: string): void {
    const words = line.words;
    const quiet = line.invalid === true; // one diagnostic per line
    if (!DIRECTIVES.has(keyword)) {
      if (!quiet)
        diagnostics.push(
          diag(
            'unknown-directive',
            `unknown directive '${clipWord(keyword)}' (HAProxy 2.6 knows .if, .elif, .else, .endif, .diag, .notice, .warning and .alert)`,
            words[0],
          ),
        );
      return;
    }
    const cond: HaproxyConditional = { type: 'conditional', line, directive: keyword as HaproxyDirective };
    conditionals.push(cond);
    if (keyword === '.if' || keyword === '.elif') readCondition(cond, quiet);
    const top = condStack.length ? condStack[condStack.length - 1] : null;
    switch (keyword) {
      case '.if':
        if (condStack.length + 1 >= MAX_NESTED_CONDITIONS && !quiet) {
          diagnostics.push(
            diag(
              'too-many-nested-conditions',
              `too many nested '.if' blocks: HAProxy 2.6 allows at most ${MAX_NESTED_CONDITIONS - 1}`,
              words[0],
            ),
          );
        }
        condStack.push({ opener: cond, branch: cond, seenElse: false });
        refreshConditions();
        return;
      case '.elif':
        if (!top) {
          if (!quiet) diagnostics.push(diag('lone-conditional', "'.elif' without a matching '.if'", words[0]));
          return;
        }
        if (top.seenElse && !quiet)
          diagnostics.push(diag('conditional-order', "'.elif' after '.else' is not permitted", words[0]));
        cond.previous = top.branch;
        top.branch = cond;
        refreshConditions();
        return;
      case '.else':
      case '.endif': {
        let reported = quiet;
        if (argv(words, 1) !== '' && !reported) {
          reported = true;
          diagnostics.push(
            diag('unexpected-argument', `'${clipWord(keyword)}' takes no argument`, spanOf(words.slice(1))),
          );
        }
        if (!top) {
          if (!reported)
            diagnostics.push(diag('lone-conditional', `'${clipWord(keyword)}' without a matching '.if'`, words[0]));
          return;
        }
        cond.previous = top.branch;
        if (keyword === '.endif') {
          condStack.pop();
        } else {
          if (top.seenElse && !reported)
            diagnostics.push(diag('conditional-order', "'.else' after '.else' is not permitted", words[0]));
          top.branch = cond;
          top.seenElse = true;
        }
        refreshConditions();
        return;
      }
      default:
        // .diag / .notice / .warning / .alert take one message word.
        if (argv(words, 2) !== '' && !quiet) {
          diagnostics.push(
            diag(
              'unexpected-argument',
              `'${clipWord(keyword)}' takes a single message: put quotes around a message with spaces`,
              spanOf(words.slice(2)),
            ),
          );
        }
        return;
    }
  }

  /** Parses the condition of `.if`/`.elif` (words after the directive, joined by spaces). */
  function readCondition(cond: HaproxyConditional, quiet: boolean): void {
    const words = cond.line.words.slice(1);
    const text = words.map((w) => w.value).join(' ');
    const parsed = parseCondition(text);
    if (words.some((w) => w.envRefs)) {
      // HAProxy expands the references first; we cannot tell what it would read.
      cond.condition = null;
      return;
    }
    cond.condition = parsed.expr;
    if (parsed.error && !quiet) {
      // Point at the word holding the error.
      let acc = 0;
      let at = words[words.length - 1];
      for (const w of words) {
        if (parsed.error.at < acc + w.value.length + 1) {
          at = w;
          break;
        }
        acc += w.value.length + 1;
      }
      diagnostics.push(diag('bad-condition', `${parsed.error.message} in '${clipWord(cond.directive)}'`, at));
    }
  }

  /** The statement on line `row` of the table; `quiet`: the line already has its diagnostic. */
  function handleStatement(row: number, keyword: string, quiet: boolean): void {
    let reported = quiet;
    let modifier: 'no' | 'default' | undefined;
    let effective = keyword;
    if (keyword === 'no' || keyword === 'default') {
      modifier = keyword;
      if (table.wordCount(row) > 1 && table.wordValue(row, 1) !== '') effective = table.wordValue(row, 1);
      if (!MODIFIABLE_KEYWORDS.has(effective) && !reported) {
        reported = true;
        diagnostics.push(
          diag(
            'bad-modifier',
            `'${clipWord(keyword)}' applies only to option, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping`,
            spanOf(table.line(row).words.slice(0, 2)),
          ),
        );
      }
    }

    const rule = modifier ? undefined : SECTION_RULES.get(keyword);
    if (rule) {
      closeSection();
      const section = new Section(table, row, keyword);
      bodyFirst = info.count;
      // (the header statement is made when read: see Section; a section keyword never has a modifier)
      Statement.keepConditions(info, row, currentConditions());
      const problem = readHeader(table, section, row, bytes);
      if (problem !== null && !reported) diagnostics.push(problem);
      sections.push(section);
      current = section;
      lastContentEnd = section.end;
      return;
    }

    if (current) {
      addBody(row, keyword, modifier);
    } else {
      topLevel.push(makeStatement(row, keyword, null, modifier));
      if (!reported)
        diagnostics.push(
          diag(
            'outside-section',
            `unknown keyword '${clipWord(effective)}' out of section: start a section (global, defaults, frontend, backend, listen, ...) first`,
            table.line(row).words[0],
          ),
        );
    }
  }

  function makeStatement(
    row: number,
    keyword: string,
    section: HaproxySection | null,
    modifier: 'no' | 'default' | undefined,
  ): HaproxyStatement {
    const stmt = new Statement(table, row, keyword, currentConditions(), section);
    Statement.keepConditions(info, row, currentConditions());
    if (modifier) stmt.modifier = modifier;
    return stmt;
  }
}

/** The value of row `row`'s word k (of n), or '' when absent (HAProxy's `*args[k]` test). */
function argAt(table: LineTable, row: number, n: number, k: number): string {
  // (not interned: a header's words are mostly unique names, read once here)
  return k < n ? table.wordValueOnce(row, k) : '';
}

/**
 * Name and `from` of a section header line (row `row` of the table), and the first problem with
 * its words, or null. Word values and spans are read from the table; the header's word objects
 * are built only for a diagnostic.
 */
function readHeader(
  table: LineTable,
  section: HaproxySection,
  row: number,
  bytes: Uint8Array | null,
): SyntaxDiagnostic | null {
  const n = table.wordCount(row);
  const kw = section.keyword;
  const rule = SECTION_RULES.get(kw)!;

  if (kw === 'defaults') {
    // `defaults [<name>] [from <defaults>]`; `defaults from <x>` has no name
    // (src/cfgparse-listen.c, cfg_parse_listen()).
    let fromAt = 2;
    if (argAt(table, row, n, 1) === 'from' && argAt(table, row, n, 2) !== '' && argAt(table, row, n, 3) === '')
      fromAt = 1;
    else if (argAt(table, row, n, 1) !== '') setName(table, section, row, 1);
    if (argAt(table, row, n, fromAt) === 'from') {
      if (argAt(table, row, n, fromAt + 1) !== '') setFrom(table, section, row, fromAt + 1);
      else
        return diag(
          'section-header-args',
          "'from' expects the name of a defaults section",
          section.header.words[fromAt],
        );
    }
    return null;
  }

  if (rule.needsName && argAt(table, row, n, 1) === '') {
    return diag('missing-section-name', `'${clipWord(kw)}' expects a name`, section.header.words[0]);
  }
  if (rule.needsName || argAt(table, row, n, 1) !== '') {
    if (kw !== 'global' && kw !== 'namespace_list') setName(table, section, row, 1);
  }

  if (rule.from) {
    // frontend/backend/listen: `<name> [from <defaults>]` and nothing else.
    if (argAt(table, row, n, 2) === 'from' && argAt(table, row, n, 3) !== '') setFrom(table, section, row, 3);
  }
  let problem: SyntaxDiagnostic | null = null;
  if (rule.checkName && section.name !== null) {
    // (a plain name is checked in the text itself, or its bytes: a name of 13 characters or more
    // is a slice of the text, slower to read character by character)
    const span = section.nameSpan!;
    const k = !table.wordIsPlain(row, 1)
      ? invalidNameChar(section.name)
      : bytes !== null
        ? invalidNameCharIn(bytes, span.start, span.end)
        : invalidNameCharIn(table.store.text, span.start, span.end);
    if (k >= 0) {
      const ch = section.name[k];
      problem = diag(
        'invalid-name',
        `character '${clipWord(ch)}' is not permitted in '${clipWord(kw)}' name '${clipWord(section.name)}': use only letters, digits, '-', '_', '.' and ':'`,
        section.nameSpan!,
      );
    }
  }
  if (rule.from) {
    const a2 = argAt(table, row, n, 2);
    const bad = (a2 !== '' && (argAt(table, row, n, 3) === '' || a2 !== 'from')) || argAt(table, row, n, 4) !== '';
    if (bad) {
      const extra = spanOf(section.header.words.slice(2));
      if (kw === 'backend')
        problem ??= diag(
          'section-header-args',
          `a backend header takes only a name and an optional 'from <defaults>'; HAProxy ignores this header`,
          extra,
        );
      else
        problem ??= diag(
          'section-header-args',
          `'${clipWord(kw)}' takes only a name and an optional 'from <defaults>': use the 'bind' keyword for listening addresses`,
          extra,
        );
    }
  } else if (n > rule.maxArgs + 1 && argAt(table, row, n, rule.maxArgs + 1) !== '') {
    const words = section.header.words;
    const extra = words[rule.maxArgs + 1];
    problem ??= diag(
      'section-header-args',
      `'${clipWord(kw)}' cannot handle unexpected argument '${clipWord(extra.value)}'`,
      spanOf(words.slice(rule.maxArgs + 1)),
    );
  }
  return problem;
}

function setName(table: LineTable, section: HaproxySection, row: number, k: number): void {
  section.name = table.wordValueOnce(row, k);
  section.nameSpan = table.wordSpan(row, k);
}

function setFrom(table: LineTable, section: HaproxySection, row: number, k: number): void {
  section.from = table.wordValueOnce(row, k);
  section.fromSpan = table.wordSpan(row, k);
}

/**
 * Makes `text` a flat string in place. A string built by concatenation (an edited document, a
 * generated config) is a rope, and reading it character by character then takes V8's slow path.
 * ToNumber flattens its argument (as the nginx parser does).
 */
function flatten(text: string): void {
  void Number(text);
}

function spanOf(words: HaproxyWord[]): Span {
  return { start: words[0].start, end: words[words.length - 1].end };
}

/**
 * Prints the tree back. Each line is rebuilt from its pieces (indent, words, the blanks between
 * them, comment, ignored tail, line break), so an exact round trip shows that the pieces cover
 * every character of the file.
 */
export function printHaproxy(file: HaproxyFile): string {
  const text = file.text;
  const out: string[] = [];
  for (const line of file.lines) {
    out.push(text.slice(line.indent.start, line.indent.end));
    let at = line.indent.end;
    for (const w of line.words) {
      if (w.start > at) out.push(text.slice(at, w.start));
      out.push(w.raw);
      at = w.end;
    }
    const tail = line.comment ?? line.ignored;
    if (tail) {
      if (tail.start > at) out.push(text.slice(at, tail.start));
      out.push(text.slice(tail.start, tail.end));
      at = tail.end;
    }
    if (line.end > at) out.push(text.slice(at, line.end));
    out.push(text.slice(line.eol.start, line.eol.end));
  }
  return out.join('');
}

/** Index of the last element whose start is <= offset, or -1. */
function lastStartingAtOrBefore<T>(items: T[], offset: number, startOf: (t: T) => number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (startOf(items[mid]) <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The line holding `offset` (its line break included). */
export function lineAt(file: HaproxyFile, offset: number): HaproxyLine | undefined {
  const k = lastStartingAtOrBefore(file.lines, offset, (l) => l.start);
  if (k < 0) return undefined;
  const line = file.lines[k];
  return offset <= line.eol.end ? line : undefined;
}

/** The statement (section headers included) whose line holds `offset`. */
export function statementAt(file: HaproxyFile, offset: number): HaproxyStatement | undefined {
  const k = lastStartingAtOrBefore(file.statements, offset, (s) => s.line.start);
  if (k < 0) return undefined;
  const stmt = file.statements[k];
  return offset <= stmt.line.end ? stmt : undefined;
}

/** The word under `offset` (its end included, as a cursor right after a word is "on" it). */
export function wordAt(file: HaproxyFile, offset: number): HaproxyWord | undefined {
  const line = lineAt(file, offset);
  if (!line) return undefined;
  for (const w of line.words) if (offset >= w.start && offset <= w.end) return w;
  return undefined;
}

/** The section whose range holds `offset`. */
export function sectionAt(file: HaproxyFile, offset: number): HaproxySection | undefined {
  const k = lastStartingAtOrBefore(file.sections, offset, (s) => s.start);
  if (k < 0) return undefined;
  const s = file.sections[k];
  return offset <= s.end ? s : undefined;
}

/** Sections with this keyword (and name, when given), in file order. */
export function findSections(file: HaproxyFile, keyword: string, name?: string): HaproxySection[] {
  return file.sections.filter((s) => s.keyword === keyword && (name === undefined || s.name === name));
}

/** Whether the branch opened by this `.if`/`.elif`/`.else` is the one HAProxy takes. */
export function branchTaken(branch: HaproxyConditional, ctx: ConditionContext = {}): boolean | undefined {
  let unknown = false;
  for (let p = branch.previous; p; p = p.previous) {
    const v = evaluateCondition(p.condition ?? null, ctx);
    if (v === true) return false;
    if (v === undefined || (p.condition === null && p.line.words.length > 1)) unknown = true;
  }
  let own: boolean | undefined = true;
  if (branch.directive === '.if' || branch.directive === '.elif') {
    own =
      branch.condition === null && branch.line.words.length > 1
        ? undefined
        : evaluateCondition(branch.condition ?? null, ctx);
  }
  if (own === false) return false;
  return unknown || own === undefined ? undefined : true;
}

/**
 * Whether HAProxy reads this statement, given its enclosing conditional blocks: true, false, or
 * undefined when a condition depends on something the context does not say.
 */
export function isActive(node: { conditions: HaproxyConditional[] }, ctx: ConditionContext = {}): boolean | undefined {
  let unknown = false;
  for (const c of node.conditions) {
    const v = branchTaken(c, ctx);
    if (v === false) return false;
    if (v === undefined) unknown = true;
  }
  return unknown ? undefined : true;
}
