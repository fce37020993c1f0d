import { clipWord } from '../../words';
import { protocolOfPath } from '../../knowledge/protocols';
import type { HaproxyRule } from '../rule';
import {
  activeWebSocketBackends,
  liveServers,
  proxyHeaderSpan,
  proxyLabel,
  serverOptionEdits,
  statementSpan,
} from './common';
import { firstNames } from '../name-list';

export const noShutdownSessions: HaproxyRule = {
  meta: {
    id: 'haproxy/no-shutdown-sessions',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions (on-marked-down since 1.5)',
    fixable: true,
    docs: {
      short:
        'Health-checked servers of a WebSocket backend lack `on-marked-down shutdown-sessions`: when a server is marked down, its WebSockets stay attached to it.',
      section: 'Health checks and connection draining',
      references: ['https://docs.haproxy.org/2.6/configuration.html#5.2-on-marked-down'],
      proof:
        'Live test on HAProxy 2.6.12 (docs/live-findings.md): a server stopped accepting and checks (`inter 100ms fall 1`) marked it down; its WebSocket was still open and echoing 1.2 s later. With `on-marked-down shutdown-sessions` it was closed (1006) 50–105 ms after.',
    },
  },
  check({ config, report }) {
    for (const { proxy, reasons } of activeWebSocketBackends(config)) {
      // a protocol whose client notices a silent server and reconnects on its own (knowledge/protocols.ts)
      if (reasons.some((r) => protocolOfPath(r.text)?.clientNotices)) continue;
      const live = liveServers(proxy);
      if (live.length < 2) continue;
      const checked = live.filter((s) => s.check);
      const lacking = checked.filter((s) => s.options.get('on-marked-down')?.value !== 'shutdown-sessions');
      if (lacking.length === 0) continue;
      const names = lacking.map((s) => clipWord(s.name));
      report({
        path: proxy.source.path,
        span: proxyHeaderSpan(proxy),
        message: `WebSocket ${proxyLabel(proxy)}: ${lacking.length === checked.length ? 'no checked server has' : `${firstNames(names, 3)} ${lacking.length === 1 ? 'has' : 'have'} no`} on-marked-down shutdown-sessions: WebSockets stay on a down server; add it`,
        fixes: () => [
          {
            title: 'Add on-marked-down shutdown-sessions to the servers (default-server)',
            edits: serverOptionEdits(proxy, lacking, 'on-marked-down', 'shutdown-sessions'),
            isPreferred: true,
          },
        ],
        related: lacking.slice(0, 10).map((s) => ({
          path: proxy.source.path,
          span: statementSpan(s.statement),
          message: `server ${clipWord(s.name)}: no on-marked-down shutdown-sessions`,
        })),
      });
    }
  },
};
