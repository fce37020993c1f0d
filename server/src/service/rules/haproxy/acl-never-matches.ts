/**
 * An ACL used where its fetches give no value: HAProxy keeps the rule and warns "acl 'X' will
 * never match because it only involves keywords that are incompatible with 'frontend
 * http-response header rule'" (src/cfgparse.c warnif_cond_conflicts(), src/acl.c
 * acl_cond_conflicts(): the first ACL of the condition valid at none of the rule's check places);
 * when only some of an ACL's expressions are out of place, "acl 'X' involves keywords 'kw' which
 * is incompatible with ..." (acl_cond_kw_conflicts()). The tcp-request/tcp-response rules say the
 * same with "in 'tcp-request connection'" (src/tcp_rules.c). The rule's check places come from the
 * keyword and the proxy's capabilities (src/cfgparse-listen.c cfg_parse_listen(),
 * src/tcp_rules.c); where each fetch works, from knowledge/haproxy-fetch-places.ts. ACLs are those
 * of the proxy's own section written before the rule (a proxy does not see its defaults' ACLs),
 * and the predefined ones.
 */
import { clipWord } from '../../words';
import { proxiesWhere, sectionLines, type HaproxyProxy, type SectionLines } from '../../model/haproxy';
import {
  ALL_PLACES,
  PLACE,
  fetchKeyword,
  keywordPlaces,
  placeName,
  predefinedAclPlaces,
} from '../../knowledge/haproxy-fetch-places';
import type { HaproxyRule, RuleReport } from '../rule';
import { haproxyWarns, ignoreReport, statementSpan } from './common';

type Report = (r: RuleReport) => void;

interface AclInfo {
  places: number;
  exprs: { kw: string; places: number }[];
  /**
   * Does it look at the WebSocket handshake (Upgrade/Connection headers)? For a proxy's own ACL,
   * read from its `acl` lines (rows) when a finding needs it.
   */
  websocket: boolean;
  rows?: number[];
}

/** A proxy's own ACLs by name: the first name held as it is, a map made at the second (most proxies have one). */
class Acls {
  #firstName = '';
  #first: AclInfo | undefined = undefined;
  #more: Map<string, AclInfo> | null = null;
  get(name: string): AclInfo | undefined {
    if (this.#first !== undefined && name === this.#firstName) return this.#first;
    return this.#more?.get(name);
  }
  /** (for a name get() does not know) */
  add(name: string, info: AclInfo): void {
    if (this.#first === undefined) {
      this.#firstName = name;
      this.#first = info;
    } else (this.#more ??= new Map()).set(name, info);
  }
}

interface Term {
  name: string | null;
  acl: AclInfo;
}

/** Where a rule's condition is evaluated (0: not a rule this checks). */
function whereOf(lines: SectionLines, i: number, proxy: HaproxyProxy): number {
  const fe = proxy.kind !== 'backend';
  const be = proxy.kind !== 'frontend';
  switch (lines.keywordAt(i)) {
    case 'http-request':
    case 'redirect':
      return (fe ? PLACE.FE_HRQ_HDR : 0) | (be ? PLACE.BE_HRQ_HDR : 0);
    case 'http-response':
    case 'http-after-response':
      return (fe ? PLACE.FE_HRS_HDR : 0) | (be ? PLACE.BE_HRS_HDR : 0);
    case 'use_backend':
      return PLACE.FE_SET_BCK;
    case 'use-server':
      return PLACE.BE_SET_SRV;
    case 'force-persist':
    case 'ignore-persist':
      return PLACE.BE_REQ_CNT;
    case 'stick':
      return lines.wordCountAt(i) > 1 && lines.wordIsAt(i, 1, 'store-response') ? PLACE.BE_STO_RUL : PLACE.BE_SET_SRV;
    case 'tcp-request': {
      const w = word1(lines, i);
      if (w === 'connection') return fe ? PLACE.FE_CON_ACC : 0;
      if (w === 'session') return fe ? PLACE.FE_SES_ACC : 0;
      if (w === 'content') return (fe ? PLACE.FE_REQ_CNT : 0) | (be ? PLACE.BE_REQ_CNT : 0);
      return 0;
    }
    case 'tcp-response':
      return word1(lines, i) === 'content' ? (fe ? PLACE.FE_RES_CNT : 0) | (be ? PLACE.BE_RES_CNT : 0) : 0;
    default:
      return 0;
  }
}

function word1(lines: SectionLines, i: number): string | undefined {
  return lines.wordCountAt(i) > 1 ? lines.wordValueAt(i, 1) : undefined;
}

/** How HAProxy names a tcp rule that whereOf() checks in its warnings ('tcp-request connection'...), or null. */
function tcpRuleName(lines: SectionLines, i: number): string | null {
  const keyword = lines.keywordAt(i);
  return keyword === 'tcp-request' || keyword === 'tcp-response' ? `${keyword} ${word1(lines, i)}` : null;
}

const HANDSHAKE = /upgrade|websocket/i;

/** The keywords this rule reads: `acl` and the rules with a condition it checks (whereOf()). */
const READ = new Set([
  'acl',
  'http-request',
  'redirect',
  'http-response',
  'http-after-response',
  'use_backend',
  'use-server',
  'force-persist',
  'ignore-persist',
  'stick',
  'tcp-request',
  'tcp-response',
]);

/**
 * Where a rule's condition starts (the word after `if`/`unless`), or -1 when it has none. (Its
 * words are read without building the line.)
 */
function conditionStart(lines: SectionLines, i: number): number {
  for (let k = 1, n = lines.wordCountAt(i); k < n; k++)
    if (lines.wordIsAt(i, k, 'if') || lines.wordIsAt(i, k, 'unless')) return k + 1;
  return -1;
}

/**
 * Calls `fn` for each term of the condition that starts at word `from`: `name` is the ACL named
 * there, or null for an anonymous one, whose words (in braces) are [first, end). Stops when `fn`
 * returns true.
 */
function eachTerm(
  lines: SectionLines,
  i: number,
  from: number,
  fn: (name: string | null, first: number, end: number) => boolean,
): void {
  const n = lines.wordCountAt(i);
  for (let k = from; k < n; k++) {
    let w = lines.wordValueAt(i, k);
    if (w === 'or' || w === '||') continue;
    if (w.startsWith('!')) w = w.slice(1);
    if (w === '{') {
      let end = k + 1;
      while (end < n && lines.wordValueAt(i, end) !== '}') end++;
      if (end > k + 1 && fn(null, k + 1, end)) return;
      k = end;
      continue;
    }
    if (fn(w, k, k + 1)) return;
  }
}

/**
 * Whether a fetch of some term of the condition has no value at `where`: when none has, the
 * line has nothing to report (termsOf() is not needed). The terms are walked as eachTerm() does,
 * written out without its callback: this runs on every condition line of a full check, eachTerm()
 * only on the few lines that report, and a closure per line was a measurable share of the check.
 */
function someOutOfPlace(lines: SectionLines, i: number, from: number, where: number, acls: Acls | null): boolean {
  const n = lines.wordCountAt(i);
  for (let k = from; k < n; k++) {
    let w = lines.wordValueAt(i, k);
    if (w === 'or' || w === '||') continue;
    if (w.startsWith('!')) w = w.slice(1);
    if (w === '{') {
      let end = k + 1;
      while (end < n && !lines.wordIsAt(i, end, '}')) end++;
      if (end > k + 1 && (keywordPlaces(fetchKeyword(lines.wordValueAt(i, k + 1))) & where) === 0) return true;
      k = end;
      continue;
    }
    const own = acls?.get(w);
    if (own !== undefined) {
      if (someExprOutOf(own, where)) return true;
      continue;
    }
    const pre = predefinedAclPlaces(w);
    if (pre !== null && (pre & where) === 0) return true;
  }
  return false;
}

function someExprOutOf(acl: AclInfo, where: number): boolean {
  for (const e of acl.exprs) if ((e.places & where) === 0) return true;
  return false;
}

/** The terms of the condition that starts at word `from`, each with its ACL; unknown names are left out. */
function termsOf(lines: SectionLines, i: number, from: number, acls: Acls | null): Term[] {
  const out: Term[] = [];
  eachTerm(lines, i, from, (name, first, end) => {
    if (name === null) {
      const kw = fetchKeyword(lines.wordValueAt(i, first));
      const places = keywordPlaces(kw);
      let inside = '';
      for (let j = first; j < end; j++) inside += lines.wordValueAt(i, j) + ' ';
      out.push({ name: null, acl: { places, exprs: [{ kw, places }], websocket: HANDSHAKE.test(inside) } });
      return false;
    }
    const own = acls?.get(name);
    const pre = own ? null : predefinedAclPlaces(name);
    if (own) out.push({ name, acl: own });
    else if (pre !== null)
      out.push({ name, acl: { places: pre, exprs: [{ kw: name, places: pre }], websocket: false } });
    return false;
  });
  return out;
}

export const aclNeverMatches: HaproxyRule = {
  meta: {
    id: 'haproxy/acl-never-matches',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions (messages as printed by 2.6)',
    fixable: false,
    docs: {
      short:
        'An ACL used in a rule where its fetches have no value (e.g. `path` or `hdr()` in an `http-response` rule): the condition never matches.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#7.3',
        'https://docs.haproxy.org/2.6/configuration.html#7.3.6',
        'HAProxy v2.8 src/cfgparse.c warnif_cond_conflicts(); src/acl.c acl_cond_conflicts(), acl_cond_kw_conflicts(); src/sample.c fetch_cap[]; src/tcp_rules.c',
      ],
      proof:
        'haproxy -c (2.6.12) prints the quoted warning at the line of every finding of this rule, on the fixtures (test/rules/haproxy-binary.test.ts) and on the shared corpus (test/rules/corpus-haproxy.test.ts).',
    },
  },
  check({ config, report }) {
    for (const proxy of proxiesWhere(config, hasConflicts)) checkProxy(proxy, report);
  },
};

/** The rule's reports for one proxy: its own ACLs and rule lines are all it reads. Returns whether it reported. */
function checkProxy(proxy: HaproxyProxy, report: Report): boolean {
  let reported = false;
  // (made at the first `acl` line: most proxies have none)
  let acls: Acls | null = null;
  const lines = sectionLines(proxy.section);
  for (let i = 0, n = lines.size; i < n; i++) {
    const keyword = lines.keywordAt(i);
    if (!READ.has(keyword)) continue;
    if (keyword === 'acl') {
      readAcl(lines, i, (acls ??= new Acls()));
      continue;
    }
    const where = whereOf(lines, i, proxy);
    if (where === 0) continue;
    const from = conditionStart(lines, i);
    if (from < 0 || !someOutOfPlace(lines, i, from, where, acls)) continue;
    if (reportLine(proxy, lines, i, from, where, acls, report)) reported = true;
  }
  return reported;
}

/** The finding of rule line i, whose condition (from word `from`) has a term out of place at `where`; whether there is one. */
function reportLine(
  proxy: HaproxyProxy,
  lines: SectionLines,
  i: number,
  from: number,
  where: number,
  acls: Acls | null,
  report: Report,
): boolean {
  const path = proxy.source.path;
  const tcp = tcpRuleName(lines, i);
  const terms = termsOf(lines, i, from, acls);
  const place = placeName(where);
  const tcpIn = tcp ? ` in '${tcp}'` : '';
  const span = () => statementSpan(lines.statement(i));
  const full = terms.find((t) => (t.acl.places & where) === 0 && t.acl.places !== ALL_PLACES);
  if (full) {
    const kw = full.acl.exprs[0].kw;
    const warning = full.name
      ? `acl '${clipWord(full.name)}' will never match${tcpIn} because it only involves keywords that are incompatible with '${place}'`
      : `anonymous acl will never match${tcpIn} because it uses keyword '${clipWord(kw)}' which is incompatible with '${place}'`;
    const what = full.name ? `acl ${clipWord(full.name)}` : `{ ${clipWord(kw)} }`;
    report({
      path,
      span: span(),
      message: `${what} never matches here: ${clipWord(kw)} has no value in a ${place}${looksAtHandshake(lines, full.acl) ? ', so WebSocket upgrades are never recognised' : ''}`,
      related: [haproxyWarns(path, span(), warning)],
    });
    return true;
  }
  for (const t of terms) {
    const bad = t.acl.exprs.find((e) => (e.places & where) === 0);
    if (!bad) continue;
    const warning = t.name
      ? `acl '${clipWord(t.name)}' involves ${tcp ? 'keyword' : 'keywords'} '${clipWord(bad.kw)}' which is incompatible with '${place}'`
      : `anonymous acl involves keyword '${clipWord(bad.kw)}' which is incompatible with '${place}'`;
    report({
      path,
      span: span(),
      severity: 'hint',
      message: `acl ${clipWord(t.name ?? '')} can match here only through its other tests: ${clipWord(bad.kw)} has no value in a ${place}`,
      related: [haproxyWarns(path, span(), warning)],
    });
    return true;
  }
  return false;
}

/** An `acl <name> <fetch> ...` line: where its fetch gives a value, added to what the name has. */
function readAcl(lines: SectionLines, i: number, acls: Acls): void {
  const count = lines.wordCountAt(i);
  if (count < 3) return;
  const name = lines.wordValueAt(i, 1);
  const kw = fetchKeyword(lines.wordValueAt(i, 2));
  const places = keywordPlaces(kw);
  const info = acls.get(name);
  // (lists made with their first entry: most names have one line)
  if (info === undefined) acls.add(name, { places, exprs: [{ kw, places }], websocket: false, rows: [i] });
  else {
    info.places |= places;
    info.exprs.push({ kw, places });
    info.rows!.push(i);
  }
}

/** Whether the ACL looks at the handshake: for an own ACL, whether a word after its name on one of its lines read so far does. */
function looksAtHandshake(lines: SectionLines, acl: AclInfo): boolean {
  if (acl.rows === undefined) return acl.websocket;
  for (const i of acl.rows)
    for (let k = 2, count = lines.wordCountAt(i); k < count; k++)
      if (HANDSHAKE.test(lines.wordValueAt(i, k))) return true;
  return false;
}

/** The proxies the rule reports (a test of proxiesWhere()). */
function hasConflicts(proxy: HaproxyProxy): boolean {
  return checkProxy(proxy, ignoreReport);
}
