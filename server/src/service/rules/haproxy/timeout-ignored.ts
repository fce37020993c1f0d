import { clipWord } from '../../words';
import {
  type HaproxyConfig,
  type HaproxyProxy,
  argCount,
  argValue,
  backendReferences,
  haproxyEffective,
  proxiesRoutingTo,
  proxiesWhere,
  factLines,
  proxyDisabled,
  proxyFacts,
  proxyMemo,
  proxySlot,
} from '../../model/haproxy';
import { insertInProxy, removeStatementLine } from '../../fixes/haproxy';
import type { EditSpec, HaproxyRule } from '../rule';
import type { HaproxyStatement } from '../../syntax/haproxy';
import { proxyLabel, statementSpan, timeoutMs } from './common';
import { firstNames } from '../name-list';

/**
 * Which side each timeout belongs to (HAProxy v2.6.0 src/proxy.c, proxy_parse_timeout()): a
 * frontend has only the frontend capability, a backend only the backend one; listen and defaults
 * have both.
 */
const BACKEND_ONLY = new Set(['server', 'connect', 'check', 'queue', 'tunnel', 'server-fin']);
const FRONTEND_ONLY = new Set(['client', 'client-fin']);

/** The backends/listens a frontend routes to (use_backend and its effective default_backend). */
function targetsOf(config: HaproxyConfig, fe: HaproxyProxy): HaproxyProxy[] {
  const out = new Set<HaproxyProxy>();
  const def = haproxyEffective(fe, ['default_backend']);
  for (const ref of backendReferences(config)) {
    if (!ref.target) continue;
    if (ref.from === fe && ref.statement.keyword === 'use_backend') out.add(ref.target);
    if (def && ref.statement === def.statement) out.add(ref.target);
  }
  return [...out];
}

/** A proxy's timeout lines of the other side (kept per proxy object, which never changes once built). */
const FOREIGN = proxySlot<HaproxyStatement[]>();

function foreignTimeouts(proxy: HaproxyProxy): HaproxyStatement[] {
  return proxyMemo(proxy, FOREIGN, computeForeign);
}

/** No foreign timeout (shared: never changed). */
const NONE: HaproxyStatement[] = [];

/** From the proxy's `timeout` lines (model/haproxy.ts proxyFacts()), not from all its statements. */
function computeForeign(proxy: HaproxyProxy): HaproxyStatement[] {
  const timeouts = factLines(proxy, 'timeout');
  let list: HaproxyStatement[] | null = null;
  const foreign = proxy.kind === 'frontend' ? BACKEND_ONLY : FRONTEND_ONLY;
  for (const s of timeouts) {
    if (argCount(s) < 2 || !foreign.has(argValue(s, 0)!)) continue;
    (list ??= []).push(s);
  }
  return list ?? NONE;
}

/** Asked of every proxy: only those with `timeout` lines (few) are looked at further, and nothing is kept for the others. */
function hasForeignTimeouts(proxy: HaproxyProxy): boolean {
  return (
    (proxy.kind === 'frontend' || proxy.kind === 'backend') &&
    proxyFacts(proxy).timeout0 >= 0 &&
    foreignTimeouts(proxy).length > 0
  );
}

export const timeoutIgnored: HaproxyRule = {
  meta: {
    id: 'haproxy/timeout-ignored',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions (checked against 2.6)',
    fixable: true,
    docs: {
      short:
        'A timeout is written in a section where HAProxy ignores it (`timeout tunnel` or `timeout server` in a frontend, `timeout client` in a backend).',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20tunnel',
        'HAProxy v2.6.0 src/proxy.c, proxy_parse_timeout() (capability of each timeout; "will be ignored because ... has no ... capability")',
        'HAProxy v2.6.0 src/stream.c (client side armed from the frontend; tunnel timeout from the backend)',
      ],
      proof:
        'Live test on HAProxy 2.6.12 (docs/live-findings.md): with `timeout tunnel 3s` in the frontend and 1s client/server timeouts an idle WebSocket was cut with 1006 after 1000 ms; with the line moved to the backend it was still open and echoing after 2 s. `haproxy -c` prints the warning this rule quotes (test/rules/haproxy-binary.test.ts).',
    },
  },
  check({ config, report }) {
    for (const proxy of proxiesWhere(config, hasForeignTimeouts)) {
      if ((proxy.kind !== 'frontend' && proxy.kind !== 'backend') || proxyDisabled(proxy)) continue;
      for (const s of foreignTimeouts(proxy)) {
        const which = s.args[0].value;
        const lacks = proxy.kind === 'frontend' ? 'backend' : 'frontend';
        const quote = `'timeout ${clipWord(which)}' will be ignored because ${proxy.kind} '${clipWord(proxy.name ?? '')}' has no ${lacks} capability`;
        const others = (
          proxy.kind === 'frontend'
            ? targetsOf(config, proxy)
            : proxiesRoutingTo(config, proxy).filter((p) => p.kind === 'frontend')
        ).filter((p) => !proxyDisabled(p));
        const receivers = others.filter((p) => timeoutMs(p, which).ms === null);
        // A trailing `# comment` moves with the line (the removal below takes it away).
        const comment = s.line.comment;
        const line =
          s.line.words
            .slice(0, 3)
            .map((w) => w.raw)
            .join(' ') + (comment ? ' ' + proxy.source.text.slice(comment.start, comment.end) : '');
        const where = receivers.length ? `move it to ${firstNames(receivers, 3, proxyLabel)}` : 'remove it';
        report({
          path: proxy.source.path,
          span: statementSpan(s),
          message: `timeout ${clipWord(which)} has no effect in a ${proxy.kind}${which === 'tunnel' ? ': idle WebSockets are still cut at the client/server timeouts' : ''}; ${where}`,
          related: [{ path: proxy.source.path, span: statementSpan(s), message: `haproxy -c warns: ${quote}` }],
          fixes: () => {
            const edits: EditSpec[] = [
              ...receivers.map((p) => insertInProxy(p, line)),
              removeStatementLine(proxy.source.path, s),
            ];
            return [
              {
                title: receivers.length
                  ? `Move timeout ${clipWord(which)} to ${receivers.map(proxyLabel).join(', ')}`
                  : `Remove the ignored timeout ${clipWord(which)}`,
                // Removing a line with no effect changes nothing; moving it makes its value count.
                kind: receivers.length ? 'suggestion' : 'safe',
                edits,
                isPreferred: true,
              },
            ];
          },
        });
      }
    }
  },
};
