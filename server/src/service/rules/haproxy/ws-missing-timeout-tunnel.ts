import type { HaproxyRule } from '../rule';
import { describeDuration } from '../../model/units';
import {
  describeIdleLimits,
  proxyHeaderSpan,
  heartbeatTier,
  proxyLabel,
  statementSpan,
  threeHeartbeats,
} from './common';
import { heartbeatBackends, tunnelFix, tunnelSetHere } from './websocket-backends';

/** What the fix writes: long enough for any sane heartbeat, short enough to reap dead peers within the hour. */
export const TUNNEL_FIX_VALUE = '1h';
const TUNNEL_FIX_MS = 3_600_000;

export const wsMissingTimeoutTunnel: HaproxyRule = {
  meta: {
    id: 'haproxy/ws-missing-timeout-tunnel',
    system: 'haproxy',
    severity: 'warning',
    versions: 'HAProxy 1.5 and later (timeout tunnel appeared in 1.5)',
    fixable: true,
    docs: {
      short:
        'A WebSocket backend has no `timeout tunnel`, and the client/server timeouts that then apply to upgraded connections are shorter than two heartbeats.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20tunnel',
        "HAProxy v2.6.0 src/stream.c (stream_new: client side armed with the frontend's timeout client; tunnel timeout from the backend)",
      ],
      proof:
        'Live test on HAProxy 2.6.12: with `timeout client 1s`/`timeout server 1s` and no tunnel timeout an idle WebSocket was cut with 1006 after 1000 ms; with `timeout tunnel 3s` it was still open after 2 s. `timeout tunnel 0` behaved like no tunnel timeout. HAProxy 2.8.0 and 3.0.0 built from source cut it the same way (docs/live-findings.md, per release).',
    },
  },
  check({ config, options, report }) {
    const { list, wsSet } = heartbeatBackends(config, options);
    for (const { proxy, heartbeat, tunnel } of list) {
      const hb = heartbeat.ms;
      if (tunnel.ms !== null) continue;
      // Without a tunnel timeout the client/server timeouts stay armed on the upgraded connection
      // (src/stream.c). That is a problem only when they are too short for the heartbeat: long
      // ones (say 4 min with a 30 s heartbeat) serve as the tunnel's idle limit as well. Missing
      // ones (never expire) are haproxy/missing-timeouts' finding, not a second one here.
      const limits = describeIdleLimits(config, proxy);
      if (limits.ms === null) continue;
      const t = heartbeatTier(limits.ms, hb);
      if (!t) continue;
      const zero = tunnel.eff && !tunnel.eff.negated ? ` (its 0 means unset)` : '';
      // 1h, unless the heartbeat is over 30 min: then three heartbeats, which
      // ws-timeout-below-heartbeat accepts too (the fix is not followed by another finding).
      const value = heartbeatTier(TUNNEL_FIX_MS, hb) ? threeHeartbeats(hb) : TUNNEL_FIX_VALUE;
      report({
        path: proxy.source.path,
        span: proxyHeaderSpan(proxy),
        severity: t.severity,
        message: `WebSocket ${proxyLabel(proxy)} has no timeout tunnel${zero}: idle WebSockets are cut after ${describeDuration(limits.ms)}; set one`,
        fixes: () => tunnelFix(config, proxy, wsSet, value),
        related: [
          ...(tunnel.eff && tunnel.eff.proxy !== proxy ? tunnelSetHere(tunnel, proxy, '0') : []),
          ...limits.sources.map((s) => ({
            path: s.eff.proxy.source.path,
            span: statementSpan(s.eff.statement),
            message: s.text,
          })),
        ],
      });
    }
  },
};
