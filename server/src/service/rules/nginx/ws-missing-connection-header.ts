import type { NginxStatement } from '../../model/nginx';
import { clipWord } from '../../words';
import { webSocketLocationsIn } from '../../model/websocket';
import type { NginxRule } from '../rule';
import { notUpgraded } from './ws-not-upgraded';
import { argSpan, citeOf, locationLabel, whereStatement } from './common';
import { reportAtSetting } from './report-at';
import { headerState, planTitle, planWsHeaders } from './headers';
import { removeStatement } from '../../fixes/nginx';

export const wsMissingConnectionHeader: NginxRule = {
  meta: {
    id: 'nginx/ws-missing-connection-header',
    system: 'nginx',
    severity: 'error',
    versions: 'all nginx versions (nginx sends `Connection: close` upstream unless told otherwise)',
    fixable: true,
    scope: 'server',
    docs: {
      short:
        'A WebSocket location does not set `Connection` to upgrade, so nginx sends `Connection: close` and the backend refuses the upgrade.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://nginx.org/en/docs/http/websocket.html',
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
        'https://nginx.org/en/docs/http/ngx_http_map_module.html',
      ],
      proof:
        'Live test on nginx 1.22.1: the backend saw `Upgrade: websocket` with `Connection: close` and the client got 426; with the map, 101 and an echo (docs/live-findings.md). With a second `Connection “”` line the backend got both headers (`upgrade, “”`) and the WebSocket still upgraded (claims.test.ts, "nginx-duplicate-connection-header").',
    },
  },
  check({ config, options, report, scope }) {
    const reported = new Set<NginxStatement>(); // a stray line inherited by several locations: once
    for (const { location } of webSocketLocationsIn(config, scope)) {
      const st0 = headerState(location);
      if (st0.connection_kind === 'upgrade-literal' || st0.connection_kind === 'variable') {
        // The upgrade is asked for; a second Connection line is sent too (nginx sends every line).
        for (const extra of st0.extraConnections) {
          if (reported.has(extra)) continue;
          reported.add(extra);
          const value = extra.args[1] ?? '';
          const pasted = /[\u201c\u201d\u2018\u2019\u00ab\u00bb]/.test(value) ? ' (typographic quotes, not empty)' : '';
          report({
            path: extra.source.path,
            span: argSpan(extra, 1),
            message: `WebSocket ${locationLabel(location)} has a second Connection header "${clipWord(value)}"${pasted} besides ${whereStatement(st0.connection!, extra.source.path)}; delete the stray line`,
            cites: [citeOf(st0.connection!)],
            severity: 'warning',
            fixes: () => [
              { title: 'Delete the stray Connection line', edits: [removeStatement(extra)], isPreferred: true },
            ],
          });
        }
      }
      const plan = planWsHeaders(config, location);
      if (!plan || !plan.needConnection) continue;
      if (notUpgraded(config, location, options)) continue; // the whole idiom is missing: one finding there
      const st = headerState(location);
      if (st.connection_kind === 'cleared') continue; // nginx/ws-connection-cleared says it better
      const fixes = () => [{ title: planTitle(plan), edits: plan.edits(), isPreferred: true }];
      reportAtSetting(
        report,
        location,
        st.connection && st.list.source === 'here' && st.connection.context === location ? st.connection : undefined,
        1,
        (conn) => ({
          message: `WebSocket ${locationLabel(location)} sets Connection to "${clipWord(conn.args[1] ?? '')}", which asks for no upgrade; use $connection_upgrade`,
          fixes,
        }),
        (at) => {
          let detail = 'nginx sends "Connection: close"';
          const cites = st.connection ? [citeOf(st.connection)] : [];
          if (st.connection)
            detail = `it is "${clipWord(st.connection.args[1] ?? '')}" (${whereStatement(st.connection, at.path)})`;
          else if (st.list.source === 'inherited')
            detail = `the header list inherited from ${locationLabel(st.list.from!)} lacks it`;
          return {
            message: `WebSocket ${locationLabel(location)} does not set Connection to upgrade: ${detail}; use $connection_upgrade`,
            fixes,
            cites,
          };
        },
      );
    }
  },
};
