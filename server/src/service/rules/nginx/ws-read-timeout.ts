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
