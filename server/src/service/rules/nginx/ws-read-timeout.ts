import type { NginxRule } from '../rule';
import { heartbeatTier } from '../../describe/heartbeat';
import { checkTimeout } from './timeouts';

export const wsReadTimeout: NginxRule = {
  meta: {
    id: 'nginx/ws-read-timeout',
    system: 'nginx',
    severity: 'error',
    versions: 'all nginx versions (default 60s)',
    fixable: true,
    scope: 'server',
    docs: {
      short:
        'The effective `proxy_read_timeout` of a WebSocket location is not comfortably above the heartbeat, so quiet connections are cut.',
      long: [
        'Once a WebSocket is upgraded, nginx relays bytes between client and backend and keeps one timer on the backend side: `proxy_read_timeout` (default **60s**). It is re-armed every time data moves in either direction; when it expires nginx closes both connections without a WebSocket close frame, and clients see code 1006 and reconnect.',
        'A heartbeat (ping/pong) keeps the connection alive only if its interval is below the timeout. At or below the heartbeat interval the timeout fires between two pings (error); below two intervals, a single late or lost ping is enough (warning).',
        "The rule compares the effective value — set in the location, inherited from `server`/`http`, or nginx's default — with the heartbeat interval setting (default 30 s).",
        '**Fix:** raise `proxy_read_timeout` in the WebSocket location, for example to three heartbeats. Very long values (hours) also work but keep dead connections around when a peer vanished without closing.',
      ].join('\n\n'),
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout',
        'https://nginx.org/en/docs/http/websocket.html',
        'nginx src/http/ngx_http_upstream.c (ngx_http_upstream_process_upgraded), release-1.22.1',
      ],
      proof:
        'Live test on nginx 1.22.1: with `proxy_read_timeout 1s` and a 1.5 s client ping the connection was cut with 1006 after 1000 ms; with 3s it was still open and echoing after 3.2 s. Traffic in either direction re-arms the timer (docs/live-findings.md).',
    },
  },
  check({ config, options, report, scope }) {
    checkTimeout('proxy_read_timeout', config, options, report, heartbeatTier, scope);
  },
};
