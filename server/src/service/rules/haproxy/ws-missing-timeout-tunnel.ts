import { haproxyTimeout, proxyMode } from '../../model/haproxy';
import { describeDuration } from '../../model/units';
import { haproxyWebSocketBackends } from '../../model/websocket';
import { insertInProxy } from '../../fixes/haproxy';
import type { HaproxyRule } from '../rule';

export const wsMissingTimeoutTunnel: HaproxyRule = {
  meta: {
    id: 'haproxy/ws-missing-timeout-tunnel',
    system: 'haproxy',
    severity: 'warning',
    versions: 'HAProxy 1.5 and later (timeout tunnel appeared in 1.5)',
    fixable: true,
    docs: {
      short: 'A WebSocket backend has no `timeout tunnel`, so idle WebSockets are cut at the short client/server timeouts.',
      long: [
        'When HAProxy sees a successful upgrade in `mode http`, the connection becomes a tunnel. From then on the inactivity limit is `timeout tunnel` — but only if it is set. It has no default: without it HAProxy keeps applying `timeout client` and `timeout server`, which are usually tuned for HTTP requests (tens of seconds).',
        'A chat or dashboard WebSocket that is quiet for longer than those timeouts is closed by HAProxy without a WebSocket close frame, and every client reconnects.',
        '**Fix:** set `timeout tunnel` (for example `1h`) in the backend, or in the `defaults` section it uses, comfortably above the application heartbeat.',
      ].join('\n\n'),
      section: 'L4 vs L7 for WebSocket',
      references: ['https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20tunnel'],
    },
  },
  check({ config, options, report }) {
    for (const { proxy } of haproxyWebSocketBackends(config)) {
      const tunnel = haproxyTimeout(proxy, 'tunnel');
      if (tunnel.eff) continue;
      const client = haproxyTimeout(proxy, 'client').ms;
      const server = haproxyTimeout(proxy, 'server').ms;
      const limits = [client != null ? `timeout client ${describeDuration(client)}` : null, server != null ? `timeout server ${describeDuration(server)}` : null].filter(Boolean);
      const mode = proxyMode(proxy);
      report({
        path: proxy.source.path,
        span: { start: proxy.section.header.words[0].start, end: proxy.section.header.words[Math.min(1, proxy.section.header.words.length - 1)].end },
        message: `WebSocket ${proxy.kind} ${proxy.name ?? ''} has no timeout tunnel: idle WebSockets are cut at ${limits.length ? limits.join(' / ') : 'the client/server timeouts'}${mode !== 'http' ? ` (mode ${mode})` : ''}; heartbeat is ${describeDuration(options.heartbeatMs)}`,
        fixes: [{ title: 'Add timeout tunnel 1h', edits: [insertInProxy(proxy, 'timeout tunnel 1h')], isPreferred: true }],
      });
    }
  },
};
