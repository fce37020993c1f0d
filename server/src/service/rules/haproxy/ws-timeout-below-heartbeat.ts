import { clipWord } from '../../words';
import { describeDuration } from '../../model/units';
import type { HaproxyRule } from '../rule';
import { heartbeatLabel } from '../../knowledge/protocols';
import { heartbeatTier, proxyHeaderSpan, proxyLabel, statementSpan, threeHeartbeats } from './common';
import { heartbeatBackends, tunnelFix, tunnelSetHere } from './websocket-backends';

export const wsTimeoutBelowHeartbeat: HaproxyRule = {
  meta: {
    id: 'haproxy/ws-timeout-below-heartbeat',
    system: 'haproxy',
    severity: 'error',
    versions: 'all HAProxy versions',
    fixable: true,
    docs: {
      short: 'The `timeout tunnel` of a WebSocket backend is not comfortably above the heartbeat.',
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20tunnel',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20client',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20server',
      ],
      proof:
        'Live test on HAProxy 2.6.12: `timeout tunnel 1s` with a ping every 1.5 s cut the WebSocket after 1000 ms; with `timeout tunnel 3s` it stayed open and echoed across pings (docs/live-findings.md).',
    },
  },
  check({ config, options, report }) {
    const { list, wsSet } = heartbeatBackends(config, options);
    for (const { proxy, heartbeat, tunnel } of list) {
      const hb = heartbeat.ms;
      if (tunnel.ms !== null && tunnel.eff) {
        const t = heartbeatTier(tunnel.ms, hb);
        if (!t) continue;
        const value = threeHeartbeats(hb);
        const here = tunnel.eff.proxy === proxy;
        report({
          path: proxy.source.path,
          span: here ? statementSpan(tunnel.eff.statement) : proxyHeaderSpan(proxy),
          severity: t.severity,
          message: `WebSocket ${proxyLabel(proxy)}: timeout tunnel ${describeDuration(tunnel.ms)}${here ? '' : ' (inherited)'} vs ${heartbeatLabel(heartbeat)} heartbeat: ${t.severity === 'error' ? 'idle connections close between pings' : 'one late ping closes the connection'}; raise it`,
          fixes: () => tunnelFix(config, proxy, wsSet, value, ' (three heartbeats)'),
          related: here ? undefined : tunnelSetHere(tunnel, proxy, clipWord(tunnel.eff.values[0] ?? '')),
        });
      }
      // No tunnel timeout (or 0): the client/server timeouts apply, which is
      // haproxy/ws-missing-timeout-tunnel's finding (one finding per cause).
    }
  },
};
