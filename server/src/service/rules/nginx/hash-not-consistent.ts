import { clipWord } from '../../words';
import { nginxWebSocketUpstreams } from '../../model/websocket';
import type { NginxRule } from '../rule';
import { statementSpan } from './common';
import { upstreamInfo, wsUpstreamLabel } from './upstreams';

export const hashNotConsistent: NginxRule = {
  meta: {
    id: 'nginx/hash-not-consistent',
    system: 'nginx',
    severity: 'warning',
    versions: 'all nginx versions with the hash directive (1.7.2+)',
    fixable: true,
    docs: {
      short:
        '`hash` without `consistent` on a WebSocket upstream: adding or removing a server remaps most clients, a reconnect storm.',
      section: 'Sticky sessions and balancing algorithms',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#hash',
        'nginx src/http/modules/ngx_http_upstream_hash_module.c',
      ],
      proof:
        'Live test on nginx 1.22.1 (docs/live-findings.md): adding a fourth server to `hash $remote_addr` moved most of 40 clients, many of them between the old servers; with `consistent` only about a quarter moved, all to the new server.',
    },
  },
  check({ config, report }) {
    for (const [up, locations] of nginxWebSocketUpstreams(config)) {
      const info = upstreamInfo(up);
      const stmt = info.method;
      if (stmt?.name !== 'hash' || stmt.args.length === 0 || stmt.args.includes('consistent')) continue;
      const last = stmt.directive.args[stmt.directive.args.length - 1];
      report({
        path: stmt.source.path,
        span: statementSpan(stmt),
        message: `${wsUpstreamLabel(info.name, locations)} hashes ${clipWord(stmt.args[0])} without consistent: a server change remaps most clients; add consistent`,
        fixes: () => [
          {
            title: 'Add consistent',
            edits: [{ path: stmt.source.path, span: { start: last.end, end: last.end }, newText: ' consistent' }],
            isPreferred: true,
          },
        ],
      });
    }
  },
};
