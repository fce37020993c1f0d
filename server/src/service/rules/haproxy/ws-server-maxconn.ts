import { clipWord } from '../../words';
import { haproxyEffective, proxyMode } from '../../model/haproxy';
import type { HaproxyRule } from '../rule';
import { activeWebSocketBackends, liveServers, proxyLabel, statementSpan } from './common';

/**
 * A server `maxconn` on a WebSocket backend. HAProxy counts a connection against its server's
 * maxconn for as long as it is open (src/stream.c, sess_change_server(): `served` drops only when
 * the stream ends), and an upgraded WebSocket is one stream until it closes. Once a server holds
 * `maxconn` WebSockets, each new request for it waits in the backend's queue and, after
 * `timeout queue` (else `timeout connect`), gets 503 (HAProxy 2.6 manual, "maxconn" server
 * option and "timeout queue").
 */
export const wsServerMaxconn: HaproxyRule = {
  meta: {
    id: 'haproxy/ws-server-maxconn',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions',
    fixable: false,
    docs: {
      short:
        'A WebSocket backend whose servers have `maxconn`: each open WebSocket holds one slot for its whole life, so once the slots are taken every further request (plain HTTP included) queues and then fails with 503.',
      section: 'Health checks and connection draining',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#5.2-maxconn',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20queue',
      ],
      proof:
        'Live test on HAProxy 2.6.12 (test/live/cases.ts): with `maxconn 2` on the server and two WebSockets open, a plain GET to the same backend waited for `timeout queue` (1 s) and got 503 without reaching the server; with the WebSockets routed to a backend of their own (the API backend keeping `maxconn 2`) it got 200.',
    },
  },
  check({ config, report }) {
    for (const { proxy } of activeWebSocketBackends(config)) {
      if (proxyMode(proxy) !== 'http') continue;
      const capped = liveServers(proxy).filter(
        (s) => s.kind === 'server' && s.maxconn !== null && s.maxconn > 0 && !s.backup,
      );
      if (capped.length === 0) continue;
      const first = capped[0];
      const where = first.options.get('maxconn')?.statement ?? first.statement;
      const limits = [...new Set(capped.map((s) => s.maxconn))];
      const queue = haproxyEffective(proxy, ['timeout', 'queue']);
      const wait =
        queue && !queue.negated && queue.values[0] ? `timeout queue ${clipWord(queue.values[0])}` : 'timeout connect';
      const names =
        capped.length <= 2 ? capped.map((s) => clipWord(s.name, 24)).join(', ') : `its ${capped.length} servers`;
      report({
        path: proxy.source.path,
        span: statementSpan(where),
        message: `${proxyLabel(proxy)}: WebSockets hold the maxconn ${limits.join('/')} slots of ${names} until they close; later requests queue (${wait}), then 503`,
      });
    }
  },
};
