import { nginxWebSocketUpstreams } from '../../model/websocket';
import { replaceStatement } from '../../fixes/nginx';
import type { NginxRule } from '../rule';
import { statementSpan } from './common';
import { upstreamInfo, wsUpstreamLabel } from './upstreams';

export const ipHashNat: NginxRule = {
  meta: {
    id: 'nginx/ip-hash-nat',
    system: 'nginx',
    severity: 'warning',
    versions: 'all nginx versions',
    fixable: true,
    docs: {
      short:
        '`ip_hash` on a WebSocket upstream: every client behind one NAT or CDN address — and for IPv4 every client of one /24 — lands on the same server.',
      section: 'Sticky sessions and balancing algorithms',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#ip_hash',
        'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#hash',
        'nginx src/http/modules/ngx_http_upstream_ip_hash_module.c',
      ],
      proof:
        'Live test on nginx 1.22.1 (docs/live-findings.md): 12 clients from one /24 (127.77.7.x) all landed on one of 3 backends with `ip_hash`, and spread over all three with `hash $remote_addr consistent`. A real NAT population cannot be reproduced on one machine; which backend each source address maps to is also checked client by client by the simulator-fidelity tests.',
    },
  },
  check({ config, report }) {
    for (const [up, locations] of nginxWebSocketUpstreams(config)) {
      const info = upstreamInfo(up);
      if (info.method?.name !== 'ip_hash') continue;
      const stmt = info.method;
      report({
        path: stmt.source.path,
        span: statementSpan(stmt),
        message: `${wsUpstreamLabel(info.name, locations)} uses ip_hash: clients behind one NAT, or one /24, all land on one server; use a full-address hash`,
        fixes: () => [
          {
            title: 'Use hash $remote_addr consistent (full address, consistent remapping)',
            edits: [replaceStatement(stmt, ['hash $remote_addr consistent;'])],
            isPreferred: true,
          },
          {
            title: 'Use least_conn (no stickiness; balance by held connections)',
            edits: [replaceStatement(stmt, ['least_conn;'])],
          },
        ],
      });
    }
  },
};
