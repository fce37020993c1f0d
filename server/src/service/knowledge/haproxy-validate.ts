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
import type { Span } from '../text';
import type { Severity } from '../types';
import {
  haproxyAction,
  haproxyActions,
  haproxyGlobalKeywordNames,
  haproxyProxyKeywords,
  haproxySectionKeyword,
  haproxySectionKeywords,
  DEBIAN_12_HAPROXY_MISSING,
  DEBIAN_12_HAPROXY_MISSING_BIND,
  haproxyBindOption,
  haproxyBindOptions,
  haproxyServerOption,
  haproxyServerOptions,
  haproxyWarnsIfNotCap,
  HAPROXY_REMOVED,
  HAPROXY_VALUE_SETS,
  HAPROXY_REMOVED_OPTIONS,
  isHaproxyGlobalKeyword,
  isProxySection,
  proxyGroupMembers,
  PROXY_KEYWORD_GROUPS,
  resolveProxyKeyword2,
} from './haproxy';
import type { KnowledgeDiagnostic } from './nginx-validate';
import { closestNames } from './suggest';

// Structural views of the HAProxy syntax tree (server/src/service/syntax/haproxy/types.ts).
interface WordLike extends Span {
  value: string;
}
interface StatementLike {
  keyword: string;
  line: { words: readonly WordLike[] };
  modifier?: 'no' | 'default';
}
interface SectionLike {
  keyword: string;
  name: string | null;
  statements: readonly StatementLike[];
}
export interface HaproxyFileLike {
  sections: readonly SectionLike[];
}

export interface ValidateHaproxyOptions {
  /** Target HAProxy version, e.g. "2.6.12". The keyword table is HAProxy 2.6's. */
  version: string;
}

const q = (s: string) => '`' + s + '`';

/** A table entry by a key taken from the config (never from Object.prototype: `constructor`, `toString`). */
const own = <T>(table: Record<string, T>, key: string): T | undefined => (Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined);

/** Rule keywords whose first argument is an action documented in the manual. */
const ACTION_RULES: Record<string, number> = {
  'http-request': 1,
  'http-response': 1,
  'http-after-response': 1,
};

/** Where the options start on a line: after `server <name> <address>`, `bind <address>`, ... */
const OPTIONS_FROM: Record<string, number> = { server: 3, 'default-server': 1, 'server-template': 4, bind: 2 };

const UNKNOWN_CODES: ReadonlySet<string> = new Set(['unknown-keyword', 'unknown-action', 'unknown-server-option', 'unknown-bind-option', 'invalid-value']);
const REMOVED_TIMEOUT = /^(con|cli|srv)timeout$/;
const otherVersionCache = new Map<string, boolean>();

/** How many words a keyword-table name spans ("timeout tunnel" → 2), once per row. */
const wordsOfName = new Map<string, number>();
function nameWords(name: string): number {
  let n = wordsOfName.get(name);
  if (n === undefined) wordsOfName.set(name, (n = name.split(' ').length));
  return n;
}

/** Whether a rule action (as written, e.g. `set-var(txn.x)`) is documented, once per distinct word. */
const actionKnown = new Map<string, Map<string, boolean>>();

export function validateHaproxy(file: HaproxyFileLike, opts: ValidateHaproxyOptions): KnowledgeDiagnostic[] {
  const out: KnowledgeDiagnostic[] = [];
  for (const section of file.sections) {
    for (const st of section.statements) validateHaproxyStatement(section, st, opts, out);
  }
  return out;
}

/**
 * The checks of one statement of `section` (appended to `out`). A statement's findings depend
 * only on its own words, the section's keyword and whether the section is named, so a caller
 * may check one changed line alone.
 */
export function validateHaproxyStatement(section: SectionLike, st: StatementLike, opts: ValidateHaproxyOptions, out: KnowledgeDiagnostic[]): void {
  // The table is HAProxy 2.6's. For another target, what 2.6 does not know may be new there: such
  // findings become warnings that say so.
  let otherVersion = otherVersionCache.get(opts.version);
  if (otherVersion === undefined) otherVersionCache.set(opts.version, (otherVersion = !/^2\.6(\.|$)/.test(opts.version)));
  // The helpers below report into these (module-level, so a check allocates no closures).
  curOut = out;
  curOtherVersion = otherVersion;
  curVersion = opts.version;

  const kind = section.keyword;
  const all = st.line.words;
  const words = st.modifier ? all.slice(1) : all;
  if (words.length === 0) return;
  const w0 = words[0].value;
  if (kind === 'global') {
    const missing = DEBIAN_12_HAPROXY_MISSING.get(w0);
    if (missing) {
      report(words[0], 'warning', 'not-in-build', `${q(w0)} needs ${missing}, which Debian 12's HAProxy 2.6 package is built without`);
    } else if (!isHaproxyGlobalKeyword(w0, words.length > 1 ? words[1].value : undefined)) {
      const best = closestNames(w0, haproxyGlobalKeywordNames(), 1);
      report(
        words[0],
        'error',
        'unknown-keyword',
        `unknown keyword ${q(w0)} in ${q('global')} section` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
      );
    }
    return;
  }
  if (isProxySection(kind)) {
    checkProxyStatement(kind, section.name, words);
    return;
  }
  const known = haproxySectionKeywords(kind);
  if (!known) return; // a section the manual does not head (e.g. namespace_list): nothing to check
  const w = words.map((x) => x.value);
  if (!haproxySectionKeyword(kind, w)) {
    const best = closestNames(w0, known.map((k) => k.name.split(' ')[0]), 1);
    report(
      words[0],
      'error',
      'unknown-keyword',
      `unknown keyword ${q(w0)} in ${q(kind)} section` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
    );
  }
  return;
}

let curOut: KnowledgeDiagnostic[] = [];
let curOtherVersion = false;
let curVersion = '';

function report(span: Span, severity: Severity, code: string, message: string): void {
  if (curOtherVersion && UNKNOWN_CODES.has(code)) {
    severity = 'warning';
    message += ` (checked against HAProxy 2.6's keywords; target is ${curVersion})`;
  }
  curOut.push({ span: { start: span.start, end: span.end }, severity, code: 'haproxy/' + code, message });
}

function spanOf(ws: readonly WordLike[]): Span {
  return { start: ws[0].start, end: ws[ws.length - 1].end };
}

/**
 * Server and bind options: each must be a documented option (the first unknown one ends the
 * check of the line, as it ends HAProxy's reading of it); an option's arguments are the words
 * that follow it (at least one when it takes any, then more while they are not options
 * themselves, up to what its syntax line allows).
 */
function checkOptions(keyword: string, words: readonly WordLike[]) {
  const isBind = keyword === 'bind';
  const lookup = isBind ? haproxyBindOption : haproxyServerOption;
  const missing = isBind ? DEBIAN_12_HAPROXY_MISSING_BIND : undefined;
  let i = OPTIONS_FROM[keyword];
  while (i < words.length) {
    const w = words[i].value;
    const opt = lookup(w);
    if (!opt) {
      const names = (isBind ? haproxyBindOptions() : haproxyServerOptions()).map((o) => o.name);
      const best = closestNames(w, names, 1);
      report(
        words[i],
        'error',
        isBind ? 'unknown-bind-option' : 'unknown-server-option',
        `unknown ${isBind ? 'bind' : 'server'} option ${q(w)}` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
      );
      // HAProxy stops reading the line at the first unknown option; so do we (its arguments are unknown).
      return;
    }
    const why = missing?.get(w);
    if (why) report(words[i], 'warning', 'not-in-build', `${q(w)} needs ${why}, which Debian 12's HAProxy 2.6 package is built without`);
    i++;
    const max = opt.args ? (opt.args.max ?? Infinity) : Infinity;
    if (max === 0) continue;
    let taken = 0;
    while (i < words.length && taken < max && (taken === 0 || !lookup(words[i].value))) {
      i++;
      taken++;
    }
  }
}

function checkProxyStatement(kind: string, name: string | null, words: readonly WordLike[]) {
  const w0 = words[0].value;
  const w1 = words.length > 1 ? words[1].value : undefined;
  const removed = own(HAPROXY_REMOVED, w0);
  if (removed) {
    report(words[0], 'error', 'keyword-removed', `${q(w0)} is not supported since HAProxy ${removed.since}: ${removed.advice}`);
    return;
  }
  if (w0 === 'timeout' && w1 !== undefined && REMOVED_TIMEOUT.test(w1)) {
    const r = own(HAPROXY_REMOVED, w1)!;
    report(spanOf(words.slice(0, 2)), 'error', 'keyword-removed', `${q(w1)} is not supported since HAProxy ${r.since}: ${r.advice}`);
    return;
  }
  const removedOption = w0 === 'option' && w1 !== undefined ? own(HAPROXY_REMOVED_OPTIONS, w1) : undefined;
  if (removedOption) {
    const r = removedOption;
    report(spanOf(words.slice(0, 2)), 'error', 'keyword-removed', `option ${q(w1!)} is not supported since HAProxy ${r.since}: ${r.advice}`);
    return;
  }
  const row = resolveProxyKeyword2(w0, w1);
  if (!row) {
    if (PROXY_KEYWORD_GROUPS.has(w0)) {
      const members = proxyGroupMembers(w0);
      if (w1 === undefined) {
        report(words[0], 'error', 'unknown-keyword', `${q(w0)} needs one of: ${members.slice(0, 12).join(', ')}${members.length > 12 ? ', ...' : ''}`);
        return;
      }
      const best = closestNames(w1, members, 1);
      report(
        spanOf(words.slice(0, 2)),
        'error',
        'unknown-keyword',
        `unknown ${w0} ${q(w1)}` + (best.length ? `; did you mean ${q(w0 + ' ' + best[0])}?` : ''),
      );
      return;
    }
    const candidates = haproxyProxyKeywords().map((p) => p.name.split(' ')[0]);
    const best = closestNames(w0, candidates, 1);
    report(
      words[0],
      'error',
      'unknown-keyword',
      `unknown keyword ${q(w0)} in ${q(kind)} section` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
    );
    return;
  }
  const used = nameWords(row.name);
  const kwSpan = spanOf(words.slice(0, Math.min(used, words.length)));
  const cell = kind === 'defaults' ? row.defaults : kind === 'frontend' ? row.frontend : kind === 'backend' ? row.backend : row.listen;
  if (kind === 'defaults') {
    if (cell === 'no') {
      report(kwSpan, 'error', 'keyword-not-allowed-here', `${q(row.name)} is not allowed in a ${q('defaults')} section`);
      return;
    }
    if (cell === 'named' && !name) {
      report(kwSpan, 'error', 'keyword-not-allowed-here', `${q(row.name)} is allowed only in a named ${q('defaults')} section, not an anonymous one`);
      return;
    }
  } else if (cell === 'no' && haproxyWarnsIfNotCap(row.name)) {
    const lacks = kind === 'frontend' ? 'backend' : 'frontend';
    report(kwSpan, 'warning', 'keyword-not-allowed-here', `${q(row.name)} is ignored in a ${kind}: it needs ${lacks} capability (use it in a ${lacks} or listen section)`);
    return;
  }
  if (row.name === 'server' || row.name === 'default-server' || row.name === 'server-template' || row.name === 'bind') {
    checkOptions(row.name, words);
  }
  const values = own(HAPROXY_VALUE_SETS, row.name);
  if (values && w1 !== undefined && !w1.startsWith('$')) {
    const v = w1.replace(/\(.*$/, '');
    if (values.values.length > 0 && !values.values.includes(v)) {
      const best = closestNames(v, values.values, 1);
      report(words[1], 'error', 'invalid-value', `unknown ${values.what} ${q(w1)}; expected ${values.values.join(', ')}` + (best.length ? ` (did you mean ${q(best[0])}?)` : ''));
    }
  }
  const actionIndex = own(ACTION_RULES, row.name);
  if (actionIndex !== undefined && words.length > actionIndex) {
    const raw = words[actionIndex].value;
    let known = actionKnown.get(row.name);
    if (!known) actionKnown.set(row.name, (known = new Map()));
    let ok = known.get(raw);
    if (ok === undefined) {
      const action = raw.replace(/\(.*$/, '');
      ok = action.startsWith('lua.') || haproxyActions(row.name).length === 0 || !!haproxyAction(row.name, action) || !!haproxyAction(row.name, raw);
      if (known.size < 4096) known.set(raw, ok);
    }
    if (!ok) {
      const action = raw.replace(/\(.*$/, '');
      const best = closestNames(action, haproxyActions(row.name).map((a) => a.name), 1);
      report(
        words[actionIndex],
        'error',
        'unknown-action',
        `unknown ${row.name} action ${q(action)}` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
      );
    }
  }
}
