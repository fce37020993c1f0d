import { balanceOf } from './balance';
import { replaceWords } from '../../fixes/haproxy';
import type { HaproxyRule } from '../rule';
import {
  activeWebSocketBackends,
  describeSource,
  insertSetting,
  liveServers,
  proxyHeaderSpan,
  proxyLabel,
  statementSpan,
} from './common';

export const wsBalanceRoundrobin: HaproxyRule = {
  meta: {
    id: 'haproxy/ws-balance-roundrobin',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions',
    fixable: true,
    docs: {
      short:
        "A WebSocket backend is balanced by round robin (HAProxy's default): the load ignores how many connections each server holds, and reconnects scatter.",
      section: 'Sticky sessions and balancing algorithms',
      references: ['https://docs.haproxy.org/2.6/configuration.html#4.2-balance'],
      proof:
        'Live test on HAProxy 2.6.12 (docs/live-findings.md): two servers, four clients, the two on one server leave and two new ones arrive: round robin ends at 1/3, `balance leastconn` at 2/2.',
    },
  },
  check({ config, report }) {
    for (const { proxy } of activeWebSocketBackends(config)) {
      const active = liveServers(proxy).filter((s) => !s.backup);
      if (active.length < 2) continue;
      const { eff, algo } = balanceOf(proxy);
      if (algo !== 'roundrobin' && algo !== 'static-rr') continue;
      const origin = eff
        ? `${algo}${eff.proxy === proxy ? '' : ` (${describeSource(eff, proxy)})`}`
        : 'roundrobin (the default)';
      const here = eff && eff.proxy === proxy;
      report({
        path: proxy.source.path,
        span: here ? statementSpan(eff.statement) : proxyHeaderSpan(proxy),
        message: `WebSocket ${proxyLabel(proxy)} is balanced by ${eff ? algo : 'roundrobin (default)'}: long-lived connections pile up unevenly; use balance leastconn`,
        related:
          eff && !here
            ? [{ path: eff.proxy.source.path, span: statementSpan(eff.statement), message: `balance ${origin}` }]
            : undefined,
        fixes: () => [
          {
            title: 'Balance by leastconn',
            edits: [
              here
                ? replaceWords(proxy.source.path, eff.statement, 1, 'leastconn')
                : insertSetting(proxy, 'balance leastconn'),
            ],
            isPreferred: true,
          },
        ],
      });
    }
  },
};
