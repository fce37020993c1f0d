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
import { haproxyTarget } from './haproxy-tables';
import type { KnowledgeDiagnostic } from './nginx-validate';
import { CLEAN, computePlan, otherVersionFinding, type Plan } from './haproxy-validate-head';
import { checkOptions, optionsClean } from './haproxy-validate-options';
import {
  newMemo,
  planOf,
  sectionKey,
  sectionPlans,
  versionMemo,
  type HeadPlans,
  type VersionMemo,
} from './haproxy-validate-memo';
import {
  valueAt,
  wordCount,
  wordsOf,
  type HaproxyFileLike,
  type LineLike,
  type SectionBodyLike,
  type SectionLike,
  type StatementLike,
  type TreeStatement,
  type ValidateHaproxyOptions,
} from './haproxy-validate-tree';

export type { HaproxyFileLike, ValidateHaproxyOptions } from './haproxy-validate-tree';

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

export function validateHaproxy(file: HaproxyFileLike, opts: ValidateHaproxyOptions): KnowledgeDiagnostic[] {
  const out: KnowledgeDiagnostic[] = [];
  const vm = versionMemo(opts.version);
  if (!vm) return out;
  const cursor = new BodyCursor();
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
 * statement's, made then. One cursor serves a whole call.
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
  const plan = planOf(vm, plans, kind, named, st.keyword, wordsOf(st), 0, n);
  if (plan === CLEAN) return;
  if (plan.findings.length > 0) pushFindings(plan, st, 0, out);
  const options = plan.options;
  if (options !== null && !optionsClean(vm, options.bind, st, options.from, n))
    checkOptions(vm, options.bind, st, wordsOf(st), options.from, out);
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
  const target = haproxyTarget(opts.version);
  if (!target.ok) return out;
  const vm = newMemo(target);
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

/** `st.line` gives the word objects (spans; read only for a finding), `values` the words' values. */
function applyPlan(
  vm: VersionMemo,
  plan: Plan,
  st: StatementLike,
  values: LineLike,
  i0: number,
  out: KnowledgeDiagnostic[],
): void {
  if (plan.findings.length > 0) pushFindings(plan, st, i0, out);
  if (plan.options) checkOptions(vm, plan.options.bind, st, values, i0 + plan.options.from, out);
}

/** The plan's findings on the words of `st` (the first `i0` words are a modifier). */
function pushFindings(plan: Plan, st: StatementLike, i0: number, out: KnowledgeDiagnostic[]): void {
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
