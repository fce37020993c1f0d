import { clipWord } from '../../words';
import { nginxWebSocketUpstreams } from '../../model/websocket';
import type { NginxRule } from '../rule';
import { contextSpan } from './common';
import { insertFix } from './report-at';
import { primaryServers, upstreamInfo } from './upstreams';

export const wsRoundRobin: NginxRule = {
  meta: {
    id: 'nginx/ws-round-robin',
    system: 'nginx',
    severity: 'warning',
    versions: 'all nginx versions',
    fixable: true,
    docs: {
      short:
        'A WebSocket upstream uses the default round robin: reconnecting clients scatter, and load ignores how many connections each server holds.',
      section: 'Sticky sessions and balancing algorithms',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#least_conn',
        'https://nginx.org/en/docs/http/load_balancing.html',
      ],
      proof:
        'Live test on nginx 1.22.1 (docs/live-findings.md): two backends, four clients, the two on one backend leave and two new ones arrive: round robin ends at 1/3 open connections, `least_conn` at 2/2.',
    },
  },
  check({ config, report }) {
    for (const [up] of nginxWebSocketUpstreams(config)) {
      const info = upstreamInfo(up);
      if (info.method) continue;
      if (primaryServers(info).length < 2) continue;
      const at = contextSpan(up);
      if (!at) continue;
      // balancing methods must come before keepalive (ngx_http_upstream_module docs): insert first
      report({
        path: at.path,
        span: at.span,
        message: `WebSocket upstream ${clipWord(info.name)} uses round robin: long-lived connections pile up unevenly; use least_conn`,
        fixes: () => insertFix(config, up, ['least_conn;'], 'start', 'Balance by least_conn'),
      });
    }
  },
};
