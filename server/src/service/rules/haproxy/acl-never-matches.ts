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
import type { HaproxyProxy } from '../../model/haproxy';
import {
  ALL_PLACES,
  PLACE,
  fetchKeyword,
  keywordPlaces,
  placeName,
  predefinedAclPlaces,
} from '../../knowledge/haproxy-fetch-places';
import type { HaproxyRule } from '../rule';
import { forEachLine, haproxyWarns, statementSpan, type LineView } from './common';

interface AclInfo {
  places: number;
  exprs: { kw: string; places: number }[];
  /** Does it look at the WebSocket handshake (Upgrade/Connection headers)? */
  websocket: boolean;
}

interface Term {
  name: string | null;
  acl: AclInfo;
}

/** Where a rule's condition is evaluated (0: not a rule this checks), and how HAProxy names the rule in tcp warnings. */
function placesOf(s: LineView, proxy: HaproxyProxy): { where: number; tcp: string | null } {
  const fe = proxy.kind !== 'backend';
  const be = proxy.kind !== 'frontend';
  const both = (f: number, b: number) => (fe ? f : 0) | (be ? b : 0);
  switch (s.keyword) {
    case 'http-request':
    case 'redirect':
      return { where: both(PLACE.FE_HRQ_HDR, PLACE.BE_HRQ_HDR), tcp: null };
    case 'http-response':
    case 'http-after-response':
      return { where: both(PLACE.FE_HRS_HDR, PLACE.BE_HRS_HDR), tcp: null };
    case 'use_backend':
      return { where: PLACE.FE_SET_BCK, tcp: null };
    case 'use-server':
      return { where: PLACE.BE_SET_SRV, tcp: null };
    case 'force-persist':
    case 'ignore-persist':
      return { where: PLACE.BE_REQ_CNT, tcp: null };
    case 'stick':
      return { where: s.word(1) === 'store-response' ? PLACE.BE_STO_RUL : PLACE.BE_SET_SRV, tcp: null };
    case 'tcp-request': {
      const w = s.count > 1 ? s.word(1) : undefined;
      if (w === 'connection') return { where: fe ? PLACE.FE_CON_ACC : 0, tcp: 'tcp-request connection' };
      if (w === 'session') return { where: fe ? PLACE.FE_SES_ACC : 0, tcp: 'tcp-request session' };
      if (w === 'content') return { where: both(PLACE.FE_REQ_CNT, PLACE.BE_REQ_CNT), tcp: 'tcp-request content' };
      return { where: 0, tcp: null };
    }
    case 'tcp-response':
      return s.count > 1 && s.word(1) === 'content'
        ? { where: both(PLACE.FE_RES_CNT, PLACE.BE_RES_CNT), tcp: 'tcp-response content' }
        : { where: 0, tcp: null };
    default:
      return { where: 0, tcp: null };
  }
}

const HANDSHAKE = /upgrade|websocket/i;
const CONDITION = /\b(if|unless)\b/;

/** The keywords this rule reads: `acl` and the rules with a condition it checks (placesOf()). */
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

/** The terms of a rule's condition (words after `if`/`unless`), each with its ACL; unknown names are left out. */
function termsOf(s: LineView, acls: Map<string, AclInfo>): Term[] {
  // most rule lines have no condition: the line's text says so without reading its words
  if (s.text && !CONDITION.test(s.text())) return [];
  const n = s.count;
  let from = -1;
  for (let k = 1; k < n && from < 0; k++) {
    const v = s.word(k);
    if (v === 'if' || v === 'unless') from = k + 1;
  }
  if (from < 0) return [];
  const out: Term[] = [];
  for (let k = from; k < n; k++) {
    let w = s.word(k);
    if (w === 'or' || w === '||') continue;
    if (w.startsWith('!')) w = w.slice(1);
    if (w === '{') {
      const fetch = k + 1 < n ? s.word(k + 1) : undefined;
      let end = k + 1;
      while (end < n && s.word(end) !== '}') end++;
      if (fetch !== undefined && fetch !== '}') {
        const kw = fetchKeyword(fetch);
        const places = keywordPlaces(kw);
        let text = '';
        for (let j = k + 1; j < end; j++) text += s.word(j) + ' ';
        out.push({ name: null, acl: { places, exprs: [{ kw, places }], websocket: HANDSHAKE.test(text) } });
      }
      k = end;
      continue;
    }
    const own = acls.get(w);
    if (own) {
      out.push({ name: w, acl: own });
      continue;
    }
    const pre = predefinedAclPlaces(w);
    if (pre !== null) out.push({ name: w, acl: { places: pre, exprs: [{ kw: w, places: pre }], websocket: false } });
  }
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
    for (const proxy of config.proxies) {
      const acls = new Map<string, AclInfo>();
      const path = proxy.source.path;
      forEachLine(
        proxy.section,
        READ,
        (s) => {
          if (s.keyword === 'acl') {
            if (s.count < 3) return;
            const name = s.word(1);
            const fetch = s.word(2);
            const kw = fetchKeyword(fetch);
            const places = keywordPlaces(kw);
            const info = acls.get(name) ?? { places: 0, exprs: [], websocket: false };
            info.places |= places;
            info.exprs.push({ kw, places });
            for (let k = 2; k < s.count && !info.websocket; k++) info.websocket = HANDSHAKE.test(s.word(k));
            acls.set(name, info);
            return;
          }
          const { where, tcp } = placesOf(s, proxy);
          if (where === 0) return;
          const terms = termsOf(s, acls);
          if (terms.length === 0) return;
          const place = placeName(where);
          const tcpIn = tcp ? ` in '${tcp}'` : '';
          const span = () => statementSpan(s.statement());
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
              message: `${what} never matches here: ${clipWord(kw)} has no value in a ${place}${full.acl.websocket ? ', so WebSocket upgrades are never recognised' : ''}`,
              related: [haproxyWarns(path, span(), warning)],
            });
            return;
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
            break;
          }
        },
        proxy.source.tree.text,
      );
    }
  },
};
