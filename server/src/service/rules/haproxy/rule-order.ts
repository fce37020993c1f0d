/**
 * A request rule written after a rule that HAProxy runs later: HAProxy runs the rule lists of a
 * proxy in a fixed order whatever the order of the lines (tcp-request connection, tcp-request
 * session, tcp-request content, monitor fail, http-request, redirect, use_backend, use-server) and
 * warns when a line comes after one of a later list ("a 'X' rule placed after a 'Y' rule will
 * still be processed before"). Facts: src/cfgparse-listen.c warnif_rule_after_*() and
 * warnif_misplaced_*() (called for http-request, redirect and monitor fail there, for tcp-request
 * in src/tcp_rules.c); the first later list found, in the order above, is the one named.
 */
import { clipWord } from '../../words';
import { proxiesWhere, sectionLines, type HaproxyProxy, type SectionLines } from '../../model/haproxy';
import type { HaproxyRule, RuleReport } from '../rule';
import { activeWebSocketBackends, haproxyWarns, ignoreReport, lineOf, statementSpan } from './common';

/** The rule lists in the order HAProxy runs them, with the name its warning gives each. */
const LISTS = [
  { id: 'tcp-connection', name: 'tcp-request connection' },
  { id: 'tcp-session', name: 'tcp-request session' },
  { id: 'tcp-content', name: 'tcp-request content' },
  { id: 'monitor', name: 'monitor fail' },
  { id: 'http-request', name: 'http-request' },
  { id: 'redirect', name: 'redirect' },
  { id: 'use_backend', name: 'use_backend' },
  { id: 'use-server', name: 'use-server' },
] as const;
type ListId = (typeof LISTS)[number]['id'];
const LIST_PLACE: ReadonlyMap<ListId, number> = new Map(LISTS.map((l, k) => [l.id, k]));
type Report = (r: RuleReport) => void;
const READ = new Set(['tcp-request', 'monitor', 'http-request', 'redirect', 'use_backend', 'use-server']);

function listOf(lines: SectionLines, i: number): ListId | null {
  const keyword = lines.keywordAt(i);
  if (!READ.has(keyword)) return null;
  // (the second word read only where its value decides the list)
  if (lines.wordCountAt(i) < 2) return null;
  switch (keyword) {
    case 'tcp-request':
      return lines.wordIsAt(i, 1, 'connection')
        ? 'tcp-connection'
        : lines.wordIsAt(i, 1, 'session')
          ? 'tcp-session'
          : lines.wordIsAt(i, 1, 'content')
            ? 'tcp-content'
            : null;
    case 'monitor':
      return lines.wordIsAt(i, 1, 'fail') ? 'monitor' : null;
    case 'http-request':
      return 'http-request';
    case 'redirect':
    case 'use_backend':
    case 'use-server':
      return keyword;
    default:
      return null;
  }
}

export const ruleOrder: HaproxyRule = {
  meta: {
    id: 'haproxy/rule-order',
    system: 'haproxy',
    severity: 'hint',
    versions: 'all HAProxy versions (messages as printed by 2.6)',
    fixable: false,
    docs: {
      short:
        'A request rule written after a rule HAProxy runs later (e.g. `http-request` or `redirect` after `use_backend`): it still runs first.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4-http-request',
        'https://docs.haproxy.org/2.6/configuration.html#4-use_backend',
        'HAProxy v2.8 src/cfgparse-listen.c warnif_misplaced_http_req(), warnif_misplaced_redirect(), warnif_misplaced_monitor(); src/tcp_rules.c tcp_parse_tcp_req()',
        'https://websockets.spec.whatwg.org/ (the handshake fails on a redirect)',
      ],
      proof:
        'haproxy -c (2.6.12) prints the quoted warning at the line of every finding of this rule, on the fixtures (test/rules/haproxy-binary.test.ts) and on the shared corpus (test/rules/corpus-haproxy.test.ts).',
    },
  },
  check({ config, report }) {
    const list = proxiesWhere(config, hasMisplacedRules);
    if (list.length === 0) return;
    const ws = new Set(activeWebSocketBackends(config).map((b) => b.proxy.name));
    for (const proxy of list) checkProxy(proxy, (name) => ws.has(name), report);
  },
};

/**
 * The rule's reports for one proxy: its own rule lines are all it reads; `isWebSocket` (is the
 * backend of that name a WebSocket one?) only decides the severity and wording.
 */
function checkProxy(proxy: HaproxyProxy, isWebSocket: (backend: string) => boolean, report: Report): boolean {
  const path = proxy.source.path;
  const lines = sectionLines(proxy.section);
  // the first line of each list (by its place in LISTS), by its index in the section; -1: none yet
  const first = [-1, -1, -1, -1, -1, -1, -1, -1]; // one per entry of LISTS
  // one finding per kind of line and rule list it follows; HAProxy's warning for each line is a
  // related note (the map made at the first such line: most proxies have none)
  let groups: Map<string, { word: string; before: number; lines: number[]; ws: boolean }> | null = null;
  for (let i = 0, n = lines.size; i < n; i++) {
    const list = listOf(lines, i);
    if (list === null) continue;
    const at = LIST_PLACE.get(list)!;
    if (first[at] < 0) first[at] = i;
    // (use_backend and use-server lines themselves are never checked)
    if (list === 'use_backend' || list === 'use-server') continue;
    let k = at + 1;
    while (k < LISTS.length && first[k] < 0) k++;
    if (k === LISTS.length) continue;
    const later = LISTS[k];
    const word = list === 'monitor' ? 'monitor fail' : lines.keywordAt(i);
    const before = first[k];
    const target =
      later.id === 'use_backend' && lines.wordCountAt(before) > 1 ? lines.wordValueAt(before, 1) : undefined;
    groups ??= new Map();
    const g = groups.get(`${word} ${later.id}`) ?? { word, before, lines: [], ws: false };
    g.lines.push(i);
    g.ws ||= target !== undefined && isWebSocket(target) && (list === 'redirect' || list === 'http-request');
    groups.set(`${word} ${later.id}`, g);
  }
  if (groups === null) return false;
  for (const g of groups.values()) {
    const later = LISTS.find((_, k) => first[k] === g.before)!;
    const article = later.id === 'http-request' ? 'an' : 'a';
    const before = lines.statement(g.before);
    const at = lineOf(proxy, before);
    const more = g.lines.length > 1 ? ` (and ${g.lines.length - 1} more)` : '';
    report({
      path,
      span: statementSpan(lines.statement(g.lines[0])),
      // HAProxy runs the rules in its own order whatever the file says: a hint, unless the
      // line also acts on the WebSocket upgrades the earlier use_backend routes
      severity: g.ws ? 'warning' : 'hint',
      message: g.ws
        ? `${g.word} written after use_backend (line ${at}) runs before it: it also acts on the WebSocket upgrades routed there`
        : `${g.word}${more} written after ${later.name} (line ${at}) still runs before it: HAProxy runs rule lists in a fixed order`,
      related: [
        ...g.lines.map((l) =>
          haproxyWarns(
            path,
            statementSpan(lines.statement(l)),
            `a '${clipWord(g.word)}' rule placed after ${article} '${later.name}' rule will still be processed before.`,
          ),
        ),
        { path, span: statementSpan(before), message: `the first ${later.name} rule, which HAProxy runs after` },
      ],
      cites: [{ path, offset: before.line.start }],
    });
  }
  return true;
}

/** The proxies the rule reports (a test of proxiesWhere()): each group of lines is a finding. */
function hasMisplacedRules(proxy: HaproxyProxy): boolean {
  return checkProxy(proxy, notWebSocket, ignoreReport);
}

function notWebSocket(): boolean {
  return false;
}
