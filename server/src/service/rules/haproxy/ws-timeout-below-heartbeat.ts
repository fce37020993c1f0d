import { clipWord } from '../../words';
import { describeDuration } from '../../model/units';
import type { Severity } from '../../types';
import type { HaproxyRule } from '../rule';
import {
  activeWebSocketBackends,
  describeIdleLimits,
  describeSource,
  proxyHeaderSpan,
  proxyLabel,
  statementSpan,
  threeHeartbeats,
  timeoutMs,
  tunnelEdit,
  whereIs,
} from './common';
import { TUNNEL_FIX_VALUE } from './ws-missing-timeout-tunnel';

function tier(ms: number, hb: number): { severity: Severity; why: string } | null {
  if (ms <= hb) return { severity: 'error', why: 'a connection idle between two pings is closed' };
  if (ms < 2 * hb) return { severity: 'warning', why: 'one late or lost ping is enough to close the connection' };
  return null;
}

export const wsTimeoutBelowHeartbeat: HaproxyRule = {
  meta: {
    id: 'haproxy/ws-timeout-below-heartbeat',
    system: 'haproxy',
    severity: 'error',
    versions: 'all HAProxy versions',
    fixable: true,
    docs: {
      short:
        'The inactivity timeout of an upgraded WebSocket (`timeout tunnel`, or client/server without it) is not comfortably above the heartbeat.',
      long: [
        "After the upgrade HAProxy closes a WebSocket that has been silent in both directions for `timeout tunnel`; without a tunnel timeout, for the shorter of the frontend's `timeout client` and the backend's `timeout server`. Every frame re-arms the timer, so a heartbeat (ping/pong) keeps a connection open only if its interval is below that limit.",
        'At or below the heartbeat interval the timer expires between two pings (error). Below two intervals a single late or lost ping is enough (warning). HAProxy closes the TCP connection without a WebSocket close frame, so clients see 1006 and reconnect, often all at the same moment.',
        'The rule takes the effective values: set in the backend, inherited from its `defaults` (named ones with `from` included), and for `timeout client` the value of the frontends that route to the backend. The heartbeat interval is a setting (default 30 s).',
        '**Fix:** raise `timeout tunnel` (wslb writes three heartbeats where a value was set, and `1h` where none was).',
      ].join('\n\n'),
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
    const hb = options.heartbeatMs;
    const ws = activeWebSocketBackends(config);
    const wsSet = new Set(ws.map((b) => b.proxy));
    for (const { proxy } of ws) {
      const tunnel = timeoutMs(proxy, 'tunnel');
      if (tunnel.ms !== null && tunnel.eff) {
        const t = tier(tunnel.ms, hb);
        if (!t) continue;
        const value = threeHeartbeats(hb);
        const { edit, target } = tunnelEdit(config, proxy, wsSet, value);
        const here = tunnel.eff.proxy === proxy;
        report({
          path: here ? proxy.source.path : proxy.source.path,
          span: here ? statementSpan(tunnel.eff.statement) : proxyHeaderSpan(proxy),
          severity: t.severity,
          message: `WebSocket ${proxyLabel(proxy)}: timeout tunnel is ${describeDuration(tunnel.ms)} (${describeSource(tunnel.eff, proxy)}); heartbeat is ${describeDuration(hb)}: ${t.why}`,
          fixes: [
            {
              title: `Set timeout tunnel ${value}${target === proxy ? '' : ` in ${proxyLabel(target)}`} (three heartbeats)`,
              edits: [edit],
              isPreferred: true,
            },
          ],
          related: here
            ? undefined
            : [
                {
                  path: tunnel.eff.proxy.source.path,
                  span: statementSpan(tunnel.eff.statement),
                  message: `timeout tunnel ${clipWord(tunnel.eff.values[0] ?? '')} set here (${whereIs(tunnel.eff, proxy)})`,
                },
              ],
        });
        continue;
      }
      // no tunnel timeout: the client/server timeouts stay armed on the tunnel
      const limits = describeIdleLimits(config, proxy);
      if (limits.ms === null) continue;
      const t = tier(limits.ms, hb);
      if (!t) continue;
      // the same edit as haproxy/ws-missing-timeout-tunnel, so "fix all" writes it once
      const { edit, target } = tunnelEdit(config, proxy, wsSet, TUNNEL_FIX_VALUE);
      report({
        path: proxy.source.path,
        span: proxyHeaderSpan(proxy),
        severity: t.severity,
        message: `WebSocket ${proxyLabel(proxy)} has no timeout tunnel, so ${limits.text} apply to the upgraded connection; heartbeat is ${describeDuration(hb)}: ${t.why}`,
        fixes: [
          {
            title: `Set timeout tunnel ${TUNNEL_FIX_VALUE}${target === proxy ? '' : ` in ${proxyLabel(target)}`}`,
            edits: [edit],
            isPreferred: true,
          },
        ],
      });
    }
  },
};
