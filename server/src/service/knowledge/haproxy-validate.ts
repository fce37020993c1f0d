/**
 * Diagnostics from the HAProxy 2.6 knowledge base: unknown keywords (with "did you mean"),
 * keywords in a section that refuses them, removed keywords, unknown rule actions.
 *
 * Severities follow what HAProxy 2.6 does (src/cfgparse-listen.c, src/cfgparse.c warnifnotcap()):
 * an unknown keyword, a keyword a defaults section refuses, or a named-defaults-only keyword in
 * an anonymous defaults section is fatal (error); a proxy keyword in a frontend or backend that
 * lacks the needed side is only ignored with a warning.
 *
 * Codes: haproxy/unknown-keyword, haproxy/keyword-not-allowed-here, haproxy/keyword-removed,
 * haproxy/unknown-action, haproxy/unknown-server-option, haproxy/unknown-bind-option, haproxy/invalid-value (mode, balance algorithm, filter type), haproxy/not-in-build (a keyword of a feature the Debian 12 build lacks).
 */
import { clipWord } from '../words';
import type { Span } from '../text';
import type { HaproxyCheckName } from '../checks';
import type { Severity } from '../types';
import {
  DEBIAN_12_HAPROXY_MISSING,
  DEBIAN_12_HAPROXY_MISSING_BIND,
  haproxyWarnsIfNotCap,
  HAPROXY_REMOVED,
  HAPROXY_VALUE_SETS,
  HAPROXY_REMOVED_OPTIONS,
  isProxySection,
  type HaproxyTable,
} from './haproxy';
import {
  haproxyKeywordHistory,
  haproxyTables,
  haproxyTarget,
  versionLine,
  type HaproxyKeywordKind,
} from './haproxy-tables';
import type { KnowledgeDiagnostic } from './nginx-validate';
import { closestNames } from './suggest';

// Structural views of the HAProxy syntax tree (server/src/service/syntax/haproxy/types.ts).
interface WordLike extends Span {
  value: string;
}
/**
 * A line's words; `wordCount` and `wordValue(k)` (words.length and words[k].value), when the tree
 * has them, read a word's value without building the line's word objects.
 */
interface LineLike {
  words: readonly WordLike[];
  wordCount?: number;
  wordValue?(k: number): string;
}
/** `wordCount` and `wordValue(k)`, when the tree has them, are its line's, read without building the line. */
interface StatementLike {
  /** words[0].value */
  keyword: string;
  line: LineLike;
  modifier?: 'no' | 'default';
  wordCount?: number;
  wordValue?(k: number): string;
}
interface SectionLike {
  keyword: string;
  /** The header line (its first word is the section keyword); absent in some tests' hand-made trees. */
  header?: LineLike;
  name: string | null;
  statements: readonly StatementLike[];
  /** The body by index without statement objects, when the tree has it (syntax/haproxy HaproxySectionBody). */
  readonly body?: SectionBodyLike;
}
interface SectionBodyLike {
  readonly size: number;
  keywordAt(i: number): string;
  modifierAt(i: number): 'no' | 'default' | undefined;
  wordCountAt(i: number): number;
  wordValueAt(i: number, k: number): string;
  rowAt(i: number): number;
  readonly rows: { wordCount(row: number): number; wordValue(row: number, k: number): string };
  statement(i: number): StatementLike;
}
export interface HaproxyFileLike {
  sections: readonly SectionLike[];
}

export interface ValidateHaproxyOptions {
  /**
   * Target HAProxy version, e.g. "2.6.12", "3.2". Checked against the newest keyword table not
   * newer than it (haproxy-tables.ts); a version older than the oldest table is not checked at
   * all (the caller reports that once, see haproxyTarget()).
   */
  version: string;
}

/*
 * What a statement's findings depend on. Call `words` the line's words after a `no`/`default`
 * modifier (the parser sets `modifier` from the first word alone). Then the findings are a
 * function of:
 *   - the target version (2.6 or not: severities and wording),
 *   - the section's keyword, and for `defaults` whether it has a name (named-only keywords),
 *   - words[0] and words[1] (or that there is no second word): the keyword, its matrix row, the
 *     removed keywords, `timeout`/`option` groups, the value sets (`mode`, `balance`, `filter`:
 *     their value is words[1]) and rule actions (`http-request` & co.: the action is words[1]),
 *   - for `server`, `default-server`, `server-template` and `bind` only: every later word (options).
 * Nothing else: not the section's other lines, its mode, its name (but for defaults), the `.if`
 * blocks around the line, or where the line is. So the findings of the first two words are worked
 * out once per (version, section key, words[0], words[1]) as a "plan" whose spans are word indices,
 * and each line applies its plan to its own words; the options of server/bind lines are read per line.
 * Reading a word costs more than the rest of the check, so words[1] is not even read where it
 * cannot matter (secondMatters()): then the plan is kept per words[0] and whether a second word exists.
 * Server/bind options are walked through a memo of what each option word means (optionInfo()),
 * and only a line whose walk meets an unknown or unbuilt option is read again to report it.
 * (On the 24k-line exymat file the check reads about 23,000 words — 12,500 words[1] and 10,000
 * server options — of the 31,500 a whole analysis reads; each goes through the lexer's intern
 * table. Tried on 26 Nov and measured no faster in the same run, or slower: passing over keywords
 * whose lines are always clean before reading the word count, a precomputed table of every option
 * word instead of the memo (5% slower), direct-mapped fronts before the maps (13% slower), and
 * guessing each line's head and words[1] from the lines before.)
 */

/** A finding of a statement's first words, by index into its words (after the modifier). */
interface HeadFinding {
  from: number;
  to: number;
  severity: Severity;
  code: string;
  message: string;
}

interface Plan {
  findings: readonly HeadFinding[];
  /** For server/default-server/server-template/bind lines: where their options start, and which table. */
  options: { from: number; bind: boolean } | null;
}

/** A word of the config (or of the knowledge base) as a message quotes it: clipped and escaped. */
const q = (s: string) => '`' + clipWord(s) + '`';

/** A table entry by a key taken from the config (never from Object.prototype: `constructor`, `toString`). */
const own = <T>(table: Record<string, T>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** Rule keywords whose first argument (words[1]) is an action documented in the manual. */
/**
 * Actions HAProxy refuses outside a backend or listen section: src/stream.c
 * stream_parse_set_retries() fails with "'set-retries' only available in backend or listen section"
 * without backend capability, and in a defaults section.
 */
const BACKEND_ONLY_ACTIONS: ReadonlySet<string> = new Set(['set-retries']);
const ACTION_RULES: ReadonlySet<string> = new Set(['http-request', 'http-response', 'http-after-response']);

/** Where the options start on a line: after `server <name> <address>`, `bind <address>`, ... */
const OPTIONS_FROM: Record<string, number> = { server: 3, 'default-server': 1, 'server-template': 4, bind: 2 };

const UNKNOWN_CODES: ReadonlySet<string> = new Set([
  'unknown-keyword',
  'unknown-action',
  'unknown-server-option',
  'unknown-bind-option',
  'invalid-value',
]);
const REMOVED_TIMEOUT = /^(con|cli|srv)timeout$/;

/** How many words a keyword-table name spans ("timeout tunnel" → 2), once per row. */
const wordsOfName = new Map<string, number>();
function nameWords(name: string): number {
  let n = wordsOfName.get(name);
  if (n === undefined) wordsOfName.set(name, (n = name.split(' ').length));
  return n;
}

/** The target version's own way of reporting, and its memo of plans. */
interface VersionMemo {
  version: string;
  /** The keyword table the target is checked against. */
  table: HaproxyTable;
  /** The table is another version line's (the nearest older one): what it does not know may be new in the target. */
  otherVersion: boolean;
  /** The table is Debian 12's HAProxy 2.6 (whose build lacks some features). */
  debian: boolean;
  /** Option words → OptionInfo, for server options [0] and bind options [1] (see optionInfo()). */
  optionInfo: readonly [Map<string, OptionInfo | null>, Map<string, OptionInfo | null>];
  /** section key → words[0] → plans by words[1]. */
  sections: Map<string, Map<string, HeadPlans>>;
  plans: number;
}
interface HeadPlans {
  /** Whether words[1]'s value can change the plan (else `any` serves every line with two words or more). */
  second: boolean;
  /** The plan when words[0] is the only word. */
  alone: Plan | undefined;
  any: Plan | undefined;
  /** By words[1], when it matters. */
  next: Map<string, Plan>;
}

/** Plans kept per version at most (a config repeats a few hundred distinct heads; edits add some). */
const MAX_PLANS = 20_000;
const memos = new Map<string, VersionMemo>();

/** The memo of a target version, emptied when it has grown past MAX_PLANS (checked once per call). */
function versionMemo(version: string): VersionMemo | undefined {
  let vm = memos.get(version);
  if (!vm) {
    const made = newMemo(version);
    if (!made) return undefined;
    if (memos.size >= 8) memos.clear();
    memos.set(version, (vm = made));
  } else if (vm.plans >= MAX_PLANS) {
    vm.sections.clear();
    vm.plans = 0;
  }
  return vm;
}

function newMemo(version: string): VersionMemo | undefined {
  const t = haproxyTarget(version);
  if (!t.ok) return undefined;
  return {
    version,
    table: t.table.table,
    otherVersion: t.table.version !== versionLine(version),
    debian: t.table.version === '2.6',
    optionInfo: [new Map(), new Map()],
    sections: new Map(),
    plans: 0,
  };
}

/** The key of what a section contributes to its lines' findings; null when nothing in it is checked. */
function sectionKey(vm: VersionMemo, section: SectionLike): string | null {
  const kind = section.keyword;
  if (kind === 'defaults') return section.name ? 'defaults' : 'defaults\u0000anonymous';
  if (kind === 'global' || isProxySection(kind) || vm.table.sectionKeywords(kind)) return kind;
  return null; // a section the manual does not head (e.g. namespace_list): nothing to check
}

/** Sections every version reads without a table of their keywords. */
const UNTABLED_SECTIONS = new Set(['global', 'defaults', 'frontend', 'backend', 'listen', 'namespace_list']);

/**
 * A section the target's table lacks but another known version has (`crt-store` for 2.6, added in
 * 3.0; `program` for 3.4, last in 3.2): the header is reported and the body is not checked (the
 * target reads the header as an unknown keyword of the section before, and its body likewise).
 */
function sectionHeaderFinding(vm: VersionMemo, section: SectionLike, out: KnowledgeDiagnostic[]): void {
  if (UNTABLED_SECTIONS.has(section.keyword) || !section.header) return;
  const f = otherVersionFinding(vm, 'section', section.keyword, 0);
  if (!f) return;
  const w = section.header.words[0];
  out.push({ span: { start: w.start, end: w.end }, severity: f.severity, code: f.code, message: f.message });
}

/**
 * A copy of a word that does not keep the whole text alive: V8 keeps the string a long slice was
 * cut from, and the memo outlives the text (a 1 MB file edited would keep every version of it).
 * Concatenating first makes V8 copy the characters into a new string before slicing.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function sectionPlans(vm: VersionMemo, key: string): Map<string, HeadPlans> {
  let m = vm.sections.get(key);
  if (!m) vm.sections.set(key, (m = new Map<string, HeadPlans>()));
  return m;
}

/**
 * Can the value of words[1] change the findings of a line whose words[0] is `w0` (given that there
 * are two words or more)? In `global` and in the non-proxy sections, no: a keyword of two words
 * there is recognised only if its first word is also the start of a known keyword, which alone
 * already accepts the line (isHaproxyGlobalKeyword, haproxySectionKeyword). In a proxy section,
 * only when it picks the keyword (removed `timeout`s and `option`s, rows of two words) or is
 * checked itself (value sets, rule actions); a removed keyword is reported from words[0] alone.
 */
function secondMatters(vm: VersionMemo, kind: string, w0: string): boolean {
  if (!isProxySection(kind) || own(HAPROXY_REMOVED, w0)) return false;
  if (w0 === 'timeout' || w0 === 'option' || vm.table.longerProxyKeywords.has(w0)) return true;
  const row = vm.table.resolveProxyKeyword2(w0, undefined);
  return !!row && (own(HAPROXY_VALUE_SETS, row.name) !== undefined || ACTION_RULES.has(row.name));
}

/** The memoised plan of a line of `count` words (after the modifier, count > 0) whose words[0] is `w0`. */
function planOf(
  vm: VersionMemo,
  plans: Map<string, HeadPlans>,
  kind: string,
  named: boolean,
  w0: string,
  line: LineLike,
  i0: number,
  count: number,
): Plan {
  let h = plans.get(w0);
  if (h === undefined) {
    h = { second: secondMatters(vm, kind, w0), alone: undefined, any: undefined, next: new Map() };
    plans.set(detach(w0), h);
  }
  if (count === 1) return h.alone ?? (h.alone = newPlan(vm, kind, named, w0, undefined));
  if (!h.second) return h.any ?? (h.any = newPlan(vm, kind, named, w0, valueAt(line, i0 + 1)));
  const w1 = valueAt(line, i0 + 1);
  let plan = h.next.get(w1);
  if (plan === undefined) h.next.set(detach(w1), (plan = newPlan(vm, kind, named, w0, w1)));
  return plan;
}

function newPlan(vm: VersionMemo, kind: string, named: boolean, w0: string, w1: string | undefined): Plan {
  vm.plans++;
  return computePlan(vm, kind, named, detach(w0), w1 === undefined ? undefined : detach(w1));
}

const CLEAN: Plan = { findings: [], options: null };

export function validateHaproxy(file: HaproxyFileLike, opts: ValidateHaproxyOptions): KnowledgeDiagnostic[] {
  const out: KnowledgeDiagnostic[] = [];
  const vm = versionMemo(opts.version);
  if (!vm) return out;
  for (const section of file.sections) {
    const key = sectionKey(vm, section);
    if (key === null) {
      sectionHeaderFinding(vm, section, out);
      continue;
    }
    const plans = sectionPlans(vm, key);
    const kind = section.keyword;
    const named = !!section.name;
    const body = section.body;
    if (body !== undefined) {
      // Statement by statement through one cursor: no statement object per line (see BodyCursor).
      const size = body.size;
      const rows = body.rows;
      cursor.body = body;
      cursor.rows = rows;
      for (let i = 0; i < size; i++) {
        if (body.modifierAt(i) !== undefined) {
          checkStatement(vm, plans, kind, named, body.statement(i), out);
          continue;
        }
        const row = body.rowAt(i);
        cursor.i = i;
        cursor.row = row;
        cursor.keyword = body.keywordAt(i);
        cursor.wordCount = rows.wordCount(row);
        checkTreeStatement(vm, plans, kind, named, cursor, out);
      }
      cursor.body = undefined;
      cursor.rows = undefined;
      continue;
    }
    const stmts = section.statements;
    for (let i = 0; i < stmts.length; i++) {
      const st = stmts[i];
      if (st.wordValue !== undefined && st.modifier === undefined) {
        checkTreeStatement(vm, plans, kind, named, st as TreeStatement, out);
        continue;
      }
      checkStatement(vm, plans, kind, named, st, out);
    }
  }
  return out;
}

/** The checks of any statement (a modifier, or a tree without wordValue()). */
function checkStatement(
  vm: VersionMemo,
  plans: Map<string, HeadPlans>,
  kind: string,
  named: boolean,
  st: StatementLike,
  out: KnowledgeDiagnostic[],
): void {
  const words = wordsOf(st);
  const i0 = st.modifier ? 1 : 0;
  const n = wordCount(words) - i0;
  if (n <= 0) return;
  const plan = planOf(vm, plans, kind, named, i0 === 0 ? st.keyword : valueAt(words, i0), words, i0, n);
  if (plan !== CLEAN) applyPlan(vm, plan, st, words, i0, out);
}

/**
 * Statement i of a section body (without modifier), read as a TreeStatement: keyword and word
 * count are set per statement, word values are read from the body's rows (one call, as a tree
 * statement reads them from its table), and the line (word spans, read only for a finding) is the
 * statement's, made then. One cursor serves every call (validateHaproxy does not re-enter).
 */
class BodyCursor implements TreeStatement {
  body: SectionBodyLike | undefined = undefined;
  rows: SectionBodyLike['rows'] | undefined = undefined;
  i = 0;
  row = 0;
  keyword = '';
  wordCount = 0;
  get line(): LineLike {
    return this.body!.statement(this.i).line;
  }
  wordValue(k: number): string {
    return this.rows!.wordValue(this.row, k);
  }
}
const cursor = new BodyCursor();

/** A statement of the syntax tree (syntax/haproxy Statement): its word values are read without building its line. */
interface TreeStatement extends StatementLike {
  readonly wordCount: number;
  wordValue(k: number): string;
}

/**
 * What applyPlan() does for a statement of the tree without modifier (the common case), with
 * one call per word read: the plan by its first words, then, for server and bind lines, a walk
 * over the options through the option memo (optionInfo()); only a line with a finding among its
 * options goes through checkOptions(), which reports it.
 */
function checkTreeStatement(
  vm: VersionMemo,
  plans: Map<string, HeadPlans>,
  kind: string,
  named: boolean,
  st: TreeStatement,
  out: KnowledgeDiagnostic[],
): void {
  const n = st.wordCount;
  if (n === 0) return;
  const w0 = st.keyword;
  let h = plans.get(w0);
  if (h === undefined) {
    h = { second: secondMatters(vm, kind, w0), alone: undefined, any: undefined, next: new Map() };
    plans.set(detach(w0), h);
  }
  let plan: Plan;
  if (n === 1) plan = h.alone ?? (h.alone = newPlan(vm, kind, named, w0, undefined));
  else if (!h.second) plan = h.any ?? (h.any = newPlan(vm, kind, named, w0, st.wordValue(1)));
  else {
    const w1 = st.wordValue(1);
    const known = h.next.get(w1);
    if (known !== undefined) plan = known;
    else h.next.set(detach(w1), (plan = newPlan(vm, kind, named, w0, w1)));
  }
  if (plan === CLEAN) return;
  const findings = plan.findings;
  if (findings.length > 0) {
    const words = st.line.words;
    for (const f of findings)
      out.push({
        span: { start: words[f.from].start, end: words[f.to].end },
        severity: f.severity,
        code: f.code,
        message: f.message,
      });
  }
  const options = plan.options;
  if (options !== null && !optionsClean(vm, options.bind, st, options.from, n))
    checkOptions(vm, options.bind, st, wordsOf(st), options.from, out);
}

/** What checkOptions() reads of a word: the option's most arguments and whether the build lacks it; null: not an option. */
interface OptionInfo {
  max: number;
  notInBuild: boolean;
}

/**
 * Option words → OptionInfo, for server options and for bind options. A function of the word
 * and the version's table, so one memo per version serves every file; emptied when it holds
 * MAX_OPTION_WORDS words (arguments of multi-word options are looked up too).
 */
const MAX_OPTION_WORDS = 4096;

function optionInfo(vm: VersionMemo, isBind: boolean, w: string): OptionInfo | null {
  const memo = vm.optionInfo[isBind ? 1 : 0];
  let info = memo.get(w);
  if (info === undefined) {
    if (memo.size >= MAX_OPTION_WORDS) memo.clear();
    const opt = isBind ? vm.table.bindOption(w) : vm.table.serverOption(w);
    info = opt
      ? {
          max: opt.args ? (opt.args.max ?? Infinity) : Infinity,
          notInBuild: isBind && vm.debian && !!DEBIAN_12_HAPROXY_MISSING_BIND.get(w),
        }
      : null;
    memo.set(detach(w), info);
  }
  return info;
}

/** Whether checkOptions() finds nothing on the options of `st` from word `from` (the same walk over options and arguments). */
function optionsClean(vm: VersionMemo, isBind: boolean, st: TreeStatement, from: number, count: number): boolean {
  let i = from;
  while (i < count) {
    const opt = optionInfo(vm, isBind, st.wordValue(i));
    if (opt === null || opt.notInBuild) return false;
    i++;
    const max = opt.max;
    if (max === 0) continue;
    let taken = 0;
    while (i < count && taken < max && (taken === 0 || optionInfo(vm, isBind, st.wordValue(i)) === null)) {
      i++;
      taken++;
    }
  }
  return true;
}

/**
 * The checks of one statement of `section` (appended to `out`). A statement's findings depend
 * only on its own words, the section's keyword and whether the section is named (see above), so
 * a caller may check one changed line alone.
 */
export function validateHaproxyStatement(
  section: SectionLike,
  st: StatementLike,
  opts: ValidateHaproxyOptions,
  out: KnowledgeDiagnostic[],
): void {
  const vm = versionMemo(opts.version);
  if (!vm) return;
  const key = sectionKey(vm, section);
  if (key === null) return;
  const words = wordsOf(st);
  const i0 = st.modifier ? 1 : 0;
  const n = wordCount(words) - i0;
  if (n <= 0) return;
  const plan = planOf(
    vm,
    sectionPlans(vm, key),
    section.keyword,
    !!section.name,
    i0 === 0 ? st.keyword : valueAt(words, i0),
    words,
    i0,
    n,
  );
  if (plan !== CLEAN) applyPlan(vm, plan, st, words, i0, out);
}

/**
 * validateHaproxy() without the memo: every statement worked out from its own words. The same
 * findings by construction unless the memo's key misses something a finding depends on; tests
 * compare the two.
 */
export function validateHaproxyUnmemoised(file: HaproxyFileLike, opts: ValidateHaproxyOptions): KnowledgeDiagnostic[] {
  const out: KnowledgeDiagnostic[] = [];
  const vm = newMemo(opts.version);
  if (!vm) return out;
  for (const section of file.sections) {
    if (sectionKey(vm, section) === null) {
      sectionHeaderFinding(vm, section, out);
      continue;
    }
    for (const st of section.statements) {
      const words = st.modifier ? st.line.words.slice(1) : st.line.words;
      if (words.length === 0) continue;
      const plan = computePlan(
        vm,
        section.keyword,
        !!section.name,
        words[0].value,
        words.length > 1 ? words[1].value : undefined,
      );
      applyPlan(vm, plan, { keyword: st.keyword, line: { words } }, { words }, 0, out);
    }
  }
  return out;
}

/** Where a statement's word values are read: the statement itself when it can (no line object built), else its line. */
const wordsOf = (st: StatementLike): LineLike => (st.wordValue !== undefined ? (st as unknown as LineLike) : st.line); // (only its wordCount and wordValue are read)
const wordCount = (line: LineLike): number => (line.wordCount !== undefined ? line.wordCount : line.words.length);
const valueAt = (line: LineLike, k: number): string =>
  line.wordValue !== undefined ? line.wordValue(k) : line.words[k].value;

/** `st.line` gives the word objects (spans; read only for a finding), `values` the words' values. */
function applyPlan(
  vm: VersionMemo,
  plan: Plan,
  st: StatementLike,
  values: LineLike,
  i0: number,
  out: KnowledgeDiagnostic[],
): void {
  if (plan.findings.length > 0) {
    const words = st.line.words;
    for (const f of plan.findings) {
      out.push({
        span: { start: words[i0 + f.from].start, end: words[i0 + f.to].end },
        severity: f.severity,
        code: f.code,
        message: f.message,
      });
    }
  }
  if (plan.options) checkOptions(vm, plan.options.bind, st, values, i0 + plan.options.from, out);
}

/** A finding, with the wording and severity for a target other than 2.6 where that applies. */
/**
 * Options that only tune how HAProxy talks to one side (a packet saved, a workaround for some
 * servers), by what they do (HAProxy 2.6 manual). Written in a section that lacks the capability
 * they need, HAProxy ignores them with a warning and nothing the config relies on changes: the
 * finding that mirrors the warning is a hint.
 */
const TUNING_ONLY: Record<string, string> = {
  'option http-pretend-keepalive':
    'it only works around servers that stop using chunked encoding when HAProxy sends Connection: close',
  'option tcp-smart-connect': 'it only saves a packet when connecting to a server',
  'option tcp-smart-accept': 'it only saves a packet when accepting a client',
};

function finding(
  vm: VersionMemo,
  from: number,
  to: number,
  severity: Severity,
  code: HaproxyCheckName,
  message: string,
): HeadFinding {
  if (vm.otherVersion && UNKNOWN_CODES.has(code)) {
    severity = 'warning';
    message += ` (checked against HAProxy ${vm.table.version}'s keywords; target is ${vm.version})`;
  }
  return { from, to, severity, code: 'haproxy/' + code, message };
}

/**
 * The finding for a keyword the target's table lacks but another known version has: "not in
 * HAProxy 2.6 (added in 2.8)" or "not in HAProxy 3.2 (removed in 3.0; last in 2.8)". Undefined
 * when no known version has it (then it is an unknown keyword).
 */
function otherVersionFinding(
  vm: VersionMemo,
  kind: HaproxyKeywordKind,
  name: string,
  to: number,
  where?: string,
): HeadFinding | undefined {
  const h = haproxyKeywordHistory(vm.table.version, kind, name, where);
  const what =
    kind === 'bind'
      ? 'bind option '
      : kind === 'server'
        ? 'server option '
        : kind === 'action'
          ? `${where} action `
          : kind === 'section' && where === undefined
            ? 'section '
            : '';
  if (vm.otherVersion && (h.addedIn || h.lastIn)) {
    // between two tables: what the older one says, and which known version has it
    return {
      from: kind === 'action' ? to : 0,
      to,
      severity: 'warning',
      code: h.addedIn ? 'haproxy/keyword-too-new' : 'haproxy/keyword-removed',
      message:
        `${what}${q(name)} is not in HAProxy ${vm.table.version} (the nearest keyword table to ${vm.version})` +
        (h.addedIn ? `; ${h.addedIn} has it` : `; ${h.lastIn} had it`),
    };
  }
  const target = vm.version;
  if (h.addedIn) {
    return {
      from: kind === 'action' ? to : 0,
      to,
      severity: 'error',
      code: 'haproxy/keyword-too-new',
      message: `${what}${q(name)} is not in HAProxy ${target}: it was added in ${h.addedIn}`,
    };
  }
  if (h.lastIn) {
    return {
      from: kind === 'action' ? to : 0,
      to,
      severity: 'error',
      code: 'haproxy/keyword-removed',
      message: `${what}${q(name)} is not in HAProxy ${target}: it was removed after ${h.lastIn}`,
    };
  }
  return undefined;
}

/** The findings of a head (words[0], words[1]) in a section, and whether options follow. */
function computePlan(vm: VersionMemo, kind: string, named: boolean, w0: string, w1: string | undefined): Plan {
  const found: HeadFinding[] = [];
  let options: Plan['options'] = null;
  if (kind === 'global') {
    const missing = vm.debian ? DEBIAN_12_HAPROXY_MISSING.get(w0) : undefined;
    if (missing) {
      found.push(
        finding(
          vm,
          0,
          0,
          'warning',
          'not-in-build',
          `${q(w0)} needs ${missing}, which Debian 12's HAProxy 2.6 package is built without`,
        ),
      );
    } else if (!vm.table.isGlobalKeyword(w0, w1)) {
      const other = otherVersionFinding(vm, 'global', w0, 0);
      const best = closestNames(w0, vm.table.globalKeywordNames(), 1);
      if (other) found.push(other);
      else
        found.push(
          finding(
            vm,
            0,
            0,
            'error',
            'unknown-keyword',
            `unknown keyword ${q(w0)} in ${q('global')} section` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
          ),
        );
    }
  } else if (isProxySection(kind)) {
    options = checkProxyHead(vm, kind, named, w0, w1, found);
  } else {
    const known = vm.table.sectionKeywords(kind);
    if (known && !vm.table.sectionKeyword(kind, w1 === undefined ? [w0] : [w0, w1])) {
      const best = closestNames(
        w0,
        known.map((k) => k.name.split(' ')[0]),
        1,
      );
      found.push(
        finding(
          vm,
          0,
          0,
          'error',
          'unknown-keyword',
          `unknown keyword ${q(w0)} in ${q(kind)} section` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
        ),
      );
    }
  }
  return found.length === 0 && options === null ? CLEAN : { findings: found, options };
}

/**
 * Server and bind options: each must be a documented option (the first unknown one ends the
 * check of the line, as it ends HAProxy's reading of it); an option's arguments are the words
 * that follow it (at least one when it takes any, then more while they are not options
 * themselves, up to what its syntax line allows).
 */
function checkOptions(
  vm: VersionMemo,
  isBind: boolean,
  st: StatementLike,
  values: LineLike,
  from: number,
  out: KnowledgeDiagnostic[],
): void {
  const lookup = (w: string) => (isBind ? vm.table.bindOption(w) : vm.table.serverOption(w));
  const missing = isBind && vm.debian ? DEBIAN_12_HAPROXY_MISSING_BIND : undefined;
  const count = wordCount(values);
  let i = from;
  while (i < count) {
    const w = valueAt(values, i);
    const opt = lookup(w);
    if (!opt) {
      const names = (isBind ? vm.table.bindOptions() : vm.table.serverOptions()).map((o) => o.name);
      const best = closestNames(w, names, 1);
      const f =
        otherVersionFinding(vm, isBind ? 'bind' : 'server', w, i) ??
        finding(
          vm,
          i,
          i,
          'error',
          isBind ? 'unknown-bind-option' : 'unknown-server-option',
          `unknown ${isBind ? 'bind' : 'server'} option ${q(w)}` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
        );
      const at = st.line.words[i];
      out.push({ span: { start: at.start, end: at.end }, severity: f.severity, code: f.code, message: f.message });
      // HAProxy stops reading the line at the first unknown option; so do we (its arguments are unknown).
      return;
    }
    const why = missing?.get(w);
    if (why)
      out.push({
        span: { start: st.line.words[i].start, end: st.line.words[i].end },
        severity: 'warning',
        code: 'haproxy/not-in-build',
        message: `${q(w)} needs ${why}, which Debian 12's HAProxy 2.6 package is built without`,
      });
    i++;
    const max = opt.args ? (opt.args.max ?? Infinity) : Infinity;
    if (max === 0) continue;
    let taken = 0;
    while (i < count && taken < max && (taken === 0 || !lookup(valueAt(values, i)))) {
      i++;
      taken++;
    }
  }
}

/** The head checks of a proxy statement (into `found`); returns where options start on server/bind lines. */
function checkProxyHead(
  vm: VersionMemo,
  kind: string,
  named: boolean,
  w0: string,
  w1: string | undefined,
  found: HeadFinding[],
): Plan['options'] {
  // the span of the first two words (or of the only one)
  const two = w1 === undefined ? 0 : 1;
  const removed = own(HAPROXY_REMOVED, w0);
  if (removed) {
    found.push(
      finding(
        vm,
        0,
        0,
        'error',
        'keyword-removed',
        `${q(w0)} is not supported since HAProxy ${removed.since}: ${removed.advice}`,
      ),
    );
    return null;
  }
  if (w0 === 'timeout' && w1 !== undefined && REMOVED_TIMEOUT.test(w1)) {
    const r = own(HAPROXY_REMOVED, w1)!;
    found.push(
      finding(
        vm,
        0,
        two,
        'error',
        'keyword-removed',
        `${q(w1)} is not supported since HAProxy ${r.since}: ${r.advice}`,
      ),
    );
    return null;
  }
  const removedOption = w0 === 'option' && w1 !== undefined ? own(HAPROXY_REMOVED_OPTIONS, w1) : undefined;
  if (removedOption) {
    const r = removedOption;
    found.push(
      finding(
        vm,
        0,
        two,
        'error',
        'keyword-removed',
        `option ${q(w1!)} is not supported since HAProxy ${r.since}: ${r.advice}`,
      ),
    );
    return null;
  }
  const row = vm.table.resolveProxyKeyword2(w0, w1);
  if (!row) {
    // two words when some version has a row of both ("option forwarded"), else the first alone
    const pair = w1 !== undefined && haproxyTables().some((t) => !!t.table.proxyKeyword(`${w0} ${w1}`));
    const other =
      (pair ? otherVersionFinding(vm, 'proxy', `${w0} ${w1}`, two) : undefined) ??
      otherVersionFinding(vm, 'proxy', w0, 0);
    if (other) {
      found.push(other);
      return null;
    }
    if (vm.table.proxyKeywordGroups.has(w0)) {
      const members = vm.table.proxyGroupMembers(w0);
      if (w1 === undefined) {
        found.push(
          finding(
            vm,
            0,
            0,
            'error',
            'unknown-keyword',
            `${q(w0)} needs one of: ${members.slice(0, 12).join(', ')}${members.length > 12 ? ', ...' : ''}`,
          ),
        );
        return null;
      }
      const best = closestNames(w1, members, 1);
      found.push(
        finding(
          vm,
          0,
          two,
          'error',
          'unknown-keyword',
          `unknown ${clipWord(w0)} ${q(w1)}` +
            (best.length ? `; did you mean ${'`' + clipWord(w0) + ' ' + clipWord(best[0]) + '`'}?` : ''),
        ),
      );
      return null;
    }
    const candidates = vm.table.proxyKeywords().map((p) => p.name.split(' ')[0]);
    const best = closestNames(w0, candidates, 1);
    found.push(
      finding(
        vm,
        0,
        0,
        'error',
        'unknown-keyword',
        `unknown keyword ${q(w0)} in ${q(kind)} section` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
      ),
    );
    return null;
  }
  // the keyword's own words: one or two (a row is found by its first one or two words)
  const kwTo = Math.min(nameWords(row.name), w1 === undefined ? 1 : 2) - 1;
  const cell =
    kind === 'defaults'
      ? row.defaults
      : kind === 'frontend'
        ? row.frontend
        : kind === 'backend'
          ? row.backend
          : row.listen;
  if (kind === 'defaults') {
    if (cell === 'no') {
      found.push(
        finding(
          vm,
          0,
          kwTo,
          'error',
          'keyword-not-allowed-here',
          `${q(row.name)} is not allowed in a ${q('defaults')} section`,
        ),
      );
      return null;
    }
    if (cell === 'named' && !named) {
      found.push(
        finding(
          vm,
          0,
          kwTo,
          'error',
          'keyword-not-allowed-here',
          `${q(row.name)} is allowed only in a named ${q('defaults')} section, not an anonymous one`,
        ),
      );
      return null;
    }
  } else if (cell === 'no' && haproxyWarnsIfNotCap(row.name)) {
    const lacks = kind === 'frontend' ? 'backend' : 'frontend';
    const tuning = own(TUNING_ONLY, row.name);
    found.push(
      finding(
        vm,
        0,
        kwTo,
        tuning ? 'hint' : 'warning',
        'keyword-not-allowed-here',
        `${q(row.name)} is ignored in a ${kind}: it needs ${lacks} capability (use it in a ${lacks} or listen section)` +
          (tuning ? `; harmless otherwise: ${tuning}` : ''),
      ),
    );
    return null;
  }
  const values = own(HAPROXY_VALUE_SETS, row.name);
  if (values && w1 !== undefined && !w1.startsWith('$')) {
    const v = w1.replace(/\(.*$/, '');
    if (values.values.length > 0 && !values.values.includes(v)) {
      const best = closestNames(v, values.values, 1);
      found.push(
        finding(
          vm,
          1,
          1,
          'error',
          'invalid-value',
          `unknown ${values.what} ${q(w1)}; expected ${values.values.join(', ')}` +
            (best.length ? ` (did you mean ${q(best[0])}?)` : ''),
        ),
      );
    }
  }
  if (ACTION_RULES.has(row.name) && w1 !== undefined) {
    const action = w1.replace(/\(.*$/, '');
    const ok =
      action.startsWith('lua.') ||
      vm.table.actions(row.name).length === 0 ||
      !!vm.table.action(row.name, action) ||
      !!vm.table.action(row.name, w1);
    const other = ok ? undefined : otherVersionFinding(vm, 'action', action, 1, row.name);
    if (other) found.push(other);
    else if (ok && BACKEND_ONLY_ACTIONS.has(action) && (kind === 'frontend' || kind === 'defaults'))
      found.push(
        finding(
          vm,
          1,
          1,
          'error',
          'keyword-not-allowed-here',
          `${q(action)} is only available in a backend or listen section, not in a ${kind}`,
        ),
      );
    else if (!ok) {
      const best = closestNames(
        action,
        vm.table.actions(row.name).map((a) => a.name),
        1,
      );
      found.push(
        finding(
          vm,
          1,
          1,
          'error',
          'unknown-action',
          `unknown ${row.name} action ${q(action)}` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
        ),
      );
    }
  }
  const from = own(OPTIONS_FROM, row.name);
  return from === undefined ? null : { from, bind: row.name === 'bind' };
}
