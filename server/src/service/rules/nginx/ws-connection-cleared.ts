import { clipWord } from '../../words';
import { webSocketLocationsIn } from '../../model/websocket';
import type { NginxRule } from '../rule';
import { argSpan, locationLabel } from './common';
import { reportAtSetting } from './report-at';
import { headerState, planTitle, planWsHeaders } from './headers';

export const wsConnectionCleared: NginxRule = {
  meta: {
    id: 'nginx/ws-connection-cleared',
    system: 'nginx',
    severity: 'error',
    versions: 'all nginx versions',
    fixable: true,
    scope: 'server',
    docs: {
      short: 'A WebSocket location sends `Connection ""` or `Connection close` upstream, so the upgrade cannot happen.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://nginx.org/en/docs/http/websocket.html',
        'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive',
      ],
      proof:
        'Live test on nginx 1.22.1: with `Connection ""` the backend saw `Upgrade` and no `Connection` header at all and the client got 426; with the map, 101 and an echo (docs/live-findings.md).',
    },
  },
  check({ config, report, scope }) {
    for (const { location } of webSocketLocationsIn(config, scope)) {
      const st = headerState(location);
      if (st.connection_kind !== 'cleared' || !st.connection) continue;
      const plan = planWsHeaders(config, location);
      const fixes = () => (plan ? [{ title: planTitle(plan), edits: plan.edits(), isPreferred: true }] : []);
      const value = st.connection.args[1] === '' ? '""' : `"${clipWord(st.connection.args[1])}"`;
      const conn = st.connection;
      reportAtSetting(
        report,
        location,
        st.list.source === 'here' && conn.context === location ? conn : undefined,
        1,
        () => ({
          message: `WebSocket ${locationLabel(location)} sends Connection ${value}: the backend never sees the upgrade; use $connection_upgrade`,
          fixes,
        }),
        () => ({
          message: `WebSocket ${locationLabel(location)} inherits Connection ${value}: the backend never sees the upgrade; set $connection_upgrade`,
          fixes,
          related: [
            {
              path: conn.source.path,
              span: argSpan(conn, 1),
              message: `Connection ${value} set in ${locationLabel(conn.context)}`,
            },
          ],
        }),
      );
    }
  },
};
