import { clipWord } from '../../words';
import { balanceOf } from './balance';
import type { HaproxyRule } from '../rule';
import {
  activeWebSocketBackends,
  describeSource,
  liveServers,
  proxyHeaderSpan,
  proxyLabel,
  serverOptionEdits,
  statementSpan,
} from './common';
import { firstNames } from '../name-list';

export const SLOWSTART_FIX_VALUE = '30s';

export const leastconnNoSlowstart: HaproxyRule = {
  meta: {
    id: 'haproxy/leastconn-no-slowstart',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions',
    fixable: true,
    docs: {
      short:
        'A `leastconn` WebSocket backend has servers without `slowstart`: a server that comes back receives every new connection at once.',
      section: 'Sticky sessions and balancing algorithms',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#5.2-slowstart',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-balance',
      ],
      proof:
        'Live test on HAProxy 2.6.12 (docs/live-findings.md): three servers with checks, one down while 10 clients connect (5/5/0); when it came back, the next 5 clients all went to it (0/0/5). With `slowstart 30s` the same burst went 2/2/1 and the runtime API showed its weight at 7 of 100.',
    },
  },
  check({ config, report }) {
    for (const { proxy } of activeWebSocketBackends(config)) {
      const { eff: bal, algo } = balanceOf(proxy);
      if (!bal || algo !== 'leastconn') continue;
      const live = liveServers(proxy);
      if (live.filter((s) => !s.backup).length < 2) continue;
      // slowstart acts only on a server HAProxy has seen fail, which takes health checks: a server
      // without `check` is server-no-check's finding, slowstart could not help it.
      const lacking = live.filter((s) => !s.slowstartMs && s.check);
      if (lacking.length === 0) continue;
      const names = lacking.map((s) => clipWord(s.name));
      const here = bal.proxy === proxy;
      const all = lacking.length === live.length;
      report({
        path: proxy.source.path,
        span: here ? statementSpan(bal.statement) : proxyHeaderSpan(proxy),
        message: `WebSocket ${proxyLabel(proxy)} (leastconn): ${all ? 'no server has' : `${firstNames(names, 3)} ${lacking.length === 1 ? 'has' : 'have'} no`} slowstart; a returning server takes every new connection; add it`,
        fixes: () => [
          {
            title: `Add slowstart ${SLOWSTART_FIX_VALUE} to the servers (default-server)`,
            edits: serverOptionEdits(proxy, lacking, 'slowstart', SLOWSTART_FIX_VALUE),
            isPreferred: true,
          },
        ],
        related: [
          ...(here
            ? []
            : [
                {
                  path: bal.proxy.source.path,
                  span: statementSpan(bal.statement),
                  message: `balance leastconn ${describeSource(bal, proxy)}`,
                },
              ]),
          ...lacking.slice(0, 10).map((s) => ({
            path: proxy.source.path,
            span: statementSpan(s.statement),
            message: `server ${clipWord(s.name)}: no slowstart`,
          })),
        ],
      });
    }
  },
};
