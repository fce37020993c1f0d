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
import type { Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';
import { parseCondition } from './conditions';
import { invalidNameChar, invalidNameCharIn } from './chars';
import * as intern from './intern';
import * as lexer from './lexer';
import { WordStore, type Line } from './line';
import * as lineTable from './line-table';
import type { LineTable, StatementInfo } from './line-table';
import * as nodes from './nodes';
import type { Section } from './nodes';
import { badModifier, MAX_NESTED_CONDITIONS, MODIFIABLE_KEYWORDS, SECTION_RULES } from './sections';
import type {
  HaproxyConditional,
  HaproxyDirective,
  HaproxyFile,
  HaproxyLine,
  HaproxySection,
  HaproxyStatement,
  HaproxyWord,
} from './types';

// Read for every line, so bound once here: loaded through tsx (the tests, the benchmarks) each
// read of an imported name is a getter call, which made the parse twice as slow.
const { asciiBytes, keywordPlain, keywordStrings } = intern;
const { lexInfo } = lexer;
const { LineTable: Table, ROW } = lineTable;
const { HaproxyTree, Section: SectionNode, Statement } = nodes;

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

/**
 * How parseHaproxy() reads lines: 'bytes' reads an ASCII text as bytes (LineTable.lexAllBytes(),
 * the default; any other text is read as 'text'), 'text' reads each line of the string with the
 * lexer's quick paths (LineTable.lexAllText()), 'general' reads every line with the general lexer only.
 * All three give the same tree; tests compare them.
 */
export type HaproxyLexMode = 'bytes' | 'text' | 'general';

export interface HaproxyParseOptions {
  /** How lines are read (default 'bytes'). */
  lexMode?: HaproxyLexMode;
}

export function parseHaproxy(text: string, options?: HaproxyParseOptions): HaproxyFile {
  flatten(text);
  return new HaproxyParse(text, options?.lexMode ?? 'bytes').run();
}

/** One parse of one text: the tree's parts while they are built, and the open section and `.if` blocks. */
class HaproxyParse {
  readonly sections: HaproxySection[] = [];
  readonly topLevel: HaproxyStatement[] = [];
  readonly conditionals: HaproxyConditional[] = [];
  readonly diagnostics: SyntaxDiagnostic[] = [];
  readonly table: LineTable;
  /** The sections' body statements as rows and keywords (see Section): the open section's start at `bodyFirst`. */
  readonly info: StatementInfo;
  /** The text's bytes when it is read as bytes (see HaproxyLexMode), and a DataView of them. */
  readonly bytes: Uint8Array | null;
  readonly view: DataView | null;

  readonly condStack: CondLevel[] = [];
  /**
   * The branches the next statement is in: rebuilt lazily, when a statement needs it, and at most
   * MAX_NESTED_CONDITIONS deep (HAProxy refuses deeper nesting), so that pathological inputs stay linear.
   */
  conditions: HaproxyConditional[] = [];
  conditionsDirty = false;
  current: HaproxySection | null = null;
  bodyFirst = 0;
  lastContentEnd = -1;
  sawNul = false;

  constructor(
    readonly text: string,
    readonly lexMode: HaproxyLexMode,
  ) {
    const len = text.length;
    // About one word every 8 characters and one line every 40 in real configurations; both grow
    // when needed.
    const store = new WordStore(text, len >> 3);
    this.table = new Table(store, len >> 5);
    this.info = {
      sections: this.sections,
      conditions: undefined,
      rows: new Int32Array(Math.max(16, len >> 5)),
      keywords: [],
      count: 0,
      modifiers: undefined,
      made: undefined,
    };
    this.table.statementInfo = this.info;
    // An ASCII text is read as bytes (one pass, no call into the engine per word); any other text
    // line by line as a string (see HaproxyLexMode).
    this.bytes = lexMode === 'bytes' ? asciiBytes(text) : null;
    this.view = this.bytes !== null ? new DataView(this.bytes.buffer) : null;
  }

  run(): HaproxyFile {
    const { text, table, bytes } = this;
    // First every line into the table's rows, then the rows in order.
    if (bytes !== null) table.lexAllBytes(bytes, text, text.length);
    else table.lexAllText(text, this.lexMode === 'general');
    this.readRows();
    this.closeSection();
    table.finish();
    this.endOfFile();
    return new HaproxyTree(text, table, this.sections, this.topLevel, undefined, this.conditionals, this.diagnostics);
  }

  /** Reads the lexed rows in order: each line's diagnostics, then its statement or directive. */
  readRows(): void {
    const { table, bytes } = this;
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
        if (built !== undefined) this.lexDiagnostics(built, contentEnd);
      }

      const wordCount = rows[r + 4];
      if (wordCount > 0 && (built === undefined || !built.scope)) {
        let keyword: string;
        let plain = false;
        if (bytes !== null && built === undefined) {
          const slot = table.keywordSlot(row, bytes, this.view!);
          if (slot >= 0) {
            keyword = keywordStrings[slot]!;
            plain = keywordPlain[slot] === 1;
          } else keyword = table.wordValue(row, 0);
        } else keyword = table.wordValue(row, 0);
        if (plain && this.current !== null) {
          // The common line: a keyword that is no section, directive or modifier, in a section,
          // read without error (what handleStatement() does for it).
          this.addBody(row, keyword, undefined);
        } else if (keyword === '') {
          // an empty first word ("" or ''): HAProxy skips the line
        } else if (keyword.charCodeAt(0) === 46 /* . */) {
          this.handleDirective(table.line(row), keyword);
        } else {
          this.handleStatement(row, keyword, built !== undefined && built.invalid === true);
        }
      }

      if (wordCount > 0 || rows[r + 2] >= 0 || (built !== undefined && built.ignored !== undefined))
        this.lastContentEnd = contentEnd;
    }
  }

  /** The lexer's findings on a line the general path read (lexInfo describes it). */
  lexDiagnostics(built: Line, contentEnd: number): void {
    const diagnostics = this.diagnostics;
    if (lexInfo.nulAt >= 0 && !this.sawNul) {
      this.sawNul = true;
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

  /** What is wrong at the end of the file: open `.if` blocks, no final line feed; then all diagnostics sorted. */
  endOfFile(): void {
    const { text, table, diagnostics } = this;
    for (const level of this.condStack) {
      const w = level.opener.line.words[0];
      diagnostics.push(diag('unterminated-if', "'.if' block never closed: add '.endif'", w));
    }
    const len = text.length;
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
  }

  closeSection(): void {
    const current = this.current;
    if (current) {
      current.end = Math.max(SectionNode.headerEnd(current as Section), this.lastContentEnd);
      SectionNode.close(current as Section, this.info.count - this.bodyFirst);
    }
  }

  /** Adds row `row` to the open section's body. */
  addBody(row: number, keyword: string, modifier: 'no' | 'default' | undefined): void {
    const info = this.info;
    const n = info.count;
    if (n === info.rows.length) {
      const grown = new Int32Array(n * 2);
      grown.set(info.rows);
      info.rows = grown;
    }
    info.rows[n] = row;
    info.keywords[n] = keyword;
    info.count = n + 1;
    Statement.keepConditions(info, row, this.currentConditions());
    if (modifier !== undefined) (info.modifiers ??= new Map()).set(row, modifier);
  }

  refreshConditions(): void {
    this.conditionsDirty = true;
  }

  currentConditions(): HaproxyConditional[] {
    if (this.conditionsDirty) {
      const condStack = this.condStack;
      const n = Math.min(condStack.length, MAX_NESTED_CONDITIONS);
      const conditions = new Array<HaproxyConditional>(n);
      for (let k = 0; k < n; k++) conditions[k] = condStack[k].branch;
      this.conditions = conditions;
      this.conditionsDirty = false;
    }
    return this.conditions;
  }

  handleDirective(line: HaproxyLine, keyword: string): void {
    const { condStack, diagnostics } = this;
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
    this.conditionals.push(cond);
    if (keyword === '.if' || keyword === '.elif') this.readCondition(cond, quiet);
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
        this.refreshConditions();
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
        this.refreshConditions();
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
        this.refreshConditions();
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
  readCondition(cond: HaproxyConditional, quiet: boolean): void {
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
      this.diagnostics.push(diag('bad-condition', `${parsed.error.message} in '${clipWord(cond.directive)}'`, at));
    }
  }

  /** The statement on line `row` of the this.table; `quiet`: the line already has its diagnostic. */
  handleStatement(row: number, keyword: string, quiet: boolean): void {
    const { table, diagnostics } = this;
    let reported = quiet;
    let modifier: 'no' | 'default' | undefined;
    let effective = keyword;
    if (keyword === 'no' || keyword === 'default') {
      modifier = keyword;
      if (table.wordCount(row) > 1 && table.wordValue(row, 1) !== '') effective = table.wordValue(row, 1);
      if (!MODIFIABLE_KEYWORDS.has(effective) && !reported) {
        reported = true;
        diagnostics.push(badModifier(keyword, spanOf(table.line(row).words.slice(0, 2))));
      }
    }

    const rule = modifier ? undefined : SECTION_RULES.get(keyword);
    if (rule) {
      this.closeSection();
      const section = new SectionNode(table, row, keyword);
      this.bodyFirst = this.info.count;
      // (the header statement is made when read: see Section; a section keyword never has a modifier)
      Statement.keepConditions(this.info, row, this.currentConditions());
      const problem = readHeader(table, section, row, this.bytes);
      if (problem !== null && !reported) diagnostics.push(problem);
      this.sections.push(section);
      this.current = section;
      this.lastContentEnd = section.end;
      return;
    }

    if (this.current) {
      this.addBody(row, keyword, modifier);
    } else {
      this.topLevel.push(this.makeStatement(row, keyword, null, modifier));
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

  makeStatement(
    row: number,
    keyword: string,
    section: HaproxySection | null,
    modifier: 'no' | 'default' | undefined,
  ): HaproxyStatement {
    const { table, info } = this;
    const stmt = new Statement(table, row, keyword, this.currentConditions(), section);
    Statement.keepConditions(info, row, this.currentConditions());
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
