import { clipWord } from '../../words';
import { webSocketLocationsIn } from '../../model/websocket';
import { insertInContext } from '../../fixes/nginx';
import type { NginxRule } from '../rule';
import { anchorInBlock, contextSpan, locationLabel, statementSpan, statementText } from './common';
import { headerState, lostOuterHeaders } from './headers';

export const wsHeadersNotInherited: NginxRule = {
  meta: {
    id: 'nginx/ws-headers-not-inherited',
    system: 'nginx',
    severity: 'error',
    versions: 'all nginx versions (array directives are inherited all-or-nothing)',
    fixable: true,
    scope: 'server',
    docs: {
      short:
        'Upgrade/Connection are set at an outer level, but this WebSocket location defines its own `proxy_set_header` lines and so inherits none of them.',
      section: 'L4 vs L7 for WebSocket',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header'],
      proof:
        'Live test on nginx 1.22.1: a location-level `proxy_set_header X-Forwarded-For` discarded the server-level Upgrade/Connection and the client got 426; with the lines copied, 101 and an echo (docs/live-findings.md).',
    },
  },
  check({ config, report, scope }) {
    for (const { location } of webSocketLocationsIn(config, scope)) {
      const lost = lostOuterHeaders(location);
      if (!lost || lost.lost.length === 0) continue;
      const st = headerState(location);
      const first = st.list.statements[0];
      const last = st.list.statements[st.list.statements.length - 1];
      const anchor = anchorInBlock(location, last) ?? 'end';
      const names = lost.lost.map((s) => s.args[0]).filter((h) => /^(upgrade|connection)$/i.test(h ?? ''));
      const firstIn = anchorInBlock(location, first);
      const at =
        firstIn && firstIn.source === location.statement?.source
          ? { path: firstIn.source.path, span: statementSpan(firstIn) }
          : contextSpan(location);
      if (!at) continue;
      report({
        path: at.path,
        span: at.span,
        message: `WebSocket ${locationLabel(location)} has its own proxy_set_header lines, so the outer ${names.map((n) => clipWord(n)).join(' and ')} ${names.length > 1 ? 'are' : 'is'} not sent; copy ${names.length > 1 ? 'them' : 'it'} here`,
        fixes: () => {
          const edit = insertInContext(config, location, lost.lost.map(statementText), anchor);
          return edit
            ? [
                {
                  title: `Copy the ${lost.lost.length} inherited proxy_set_header line${lost.lost.length > 1 ? 's' : ''} into the location`,
                  edits: [edit],
                  isPreferred: true,
                },
              ]
            : [];
        },
        related: lost.lost
          .filter((s) => /^(upgrade|connection)$/i.test(s.args[0] ?? ''))
          .map((s) => ({
            path: s.source.path,
            span: statementSpan(s),
            message: `set in ${locationLabel(lost.outer.list.from!)}, not inherited by ${locationLabel(location)}`,
          })),
      });
    }
  },
};
