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
import type { HaproxyRule } from '../rule';
import { activeWebSocketBackends, forEachLine, haproxyWarns, lineOf, statementSpan, type LineView } from './common';

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
const READ = new Set(['tcp-request', 'monitor', 'http-request', 'redirect', 'use_backend', 'use-server']);

function listOf(s: LineView): ListId | null {
  const w = s.count > 1 ? s.word(1) : undefined;
  switch (s.keyword) {
    case 'tcp-request': {
      return w === 'connection'
        ? 'tcp-connection'
        : w === 'session'
          ? 'tcp-session'
          : w === 'content'
            ? 'tcp-content'
            : null;
    }
    case 'monitor':
      return w === 'fail' ? 'monitor' : null;
    case 'http-request':
      return w !== undefined ? 'http-request' : null;
    case 'redirect':
    case 'use_backend':
    case 'use-server':
      return w !== undefined ? s.keyword : null;
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
    const ws = new Set(activeWebSocketBackends(config).map((b) => b.proxy.name));
    for (const proxy of config.proxies) {
      const path = proxy.source.path;
      const first = new Map<ListId, LineView>();
      // one finding per kind of line and rule list it follows; HAProxy's warning for each line is a related note
      const groups = new Map<string, { word: string; before: LineView; lines: LineView[]; ws: boolean }>();
      forEachLine(proxy.section, READ, (s) => {
        const list = listOf(s);
        if (list === null) return;
        const k = LISTS.findIndex((l) => l.id === list);
        // (use_backend and use-server lines themselves are never checked)
        const later =
          list === 'use_backend' || list === 'use-server' ? undefined : LISTS.slice(k + 1).find((l) => first.has(l.id));
        if (later) {
          const word = list === 'monitor' ? 'monitor fail' : s.keyword;
          const before = first.get(later.id)!;
          const target = later.id === 'use_backend' && before.count > 1 ? before.word(1) : undefined;
          const g = groups.get(`${word} ${later.id}`) ?? { word, before, lines: [], ws: false };
          g.lines.push(s);
          g.ws ||= target !== undefined && ws.has(target) && (list === 'redirect' || list === 'http-request');
          groups.set(`${word} ${later.id}`, g);
        }
        if (!first.has(list)) first.set(list, s);
      });
      for (const g of groups.values()) {
        const later = LISTS.find((l) => first.get(l.id) === g.before)!;
        const article = later.id === 'http-request' ? 'an' : 'a';
        const before = g.before.statement();
        const at = lineOf(proxy, before);
        const more = g.lines.length > 1 ? ` (and ${g.lines.length - 1} more)` : '';
        report({
          path,
          span: statementSpan(g.lines[0].statement()),
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
                statementSpan(l.statement()),
                `a '${clipWord(g.word)}' rule placed after ${article} '${later.name}' rule will still be processed before.`,
              ),
            ),
            { path, span: statementSpan(before), message: `the first ${later.name} rule, which HAProxy runs after` },
          ],
          cites: [{ path, offset: before.line.start }],
        });
      }
    }
  },
};
