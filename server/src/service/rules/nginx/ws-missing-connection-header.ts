import { clipWord } from '../../words';
import { webSocketLocationsIn } from '../../model/websocket';
import type { NginxRule } from '../rule';
import { argSpan, contextSpan, locationLabel, whereStatement } from './common';
import { headerState, planTitle, planWsHeaders } from './headers';

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
      long: [
        'An upgrade request must carry both `Upgrade: websocket` and `Connection: Upgrade`. `Connection` is hop-by-hop like `Upgrade`, and nginx replaces it on every proxied request: its built-in default is `proxy_set_header Connection close;`. A backend that sees `Upgrade` but `Connection: close` treats the request as an ordinary one.',
        'The usual form is a `map` at `http` level that yields `upgrade` when the client asked for one and `close` otherwise, used as `proxy_set_header Connection $connection_upgrade;`. Unlike a hard-coded `"upgrade"`, it does not tell the backend to upgrade ordinary requests that share the location.',
        "**Fix:** `proxy_set_header Connection $connection_upgrade;` in the location, plus the map when the config does not have one:\n\n```nginx\nmap $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n```",
      ].join('\n\n'),
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://nginx.org/en/docs/http/websocket.html',
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
        'https://nginx.org/en/docs/http/ngx_http_map_module.html',
      ],
      proof:
        'Live test on nginx 1.22.1: the backend saw `Upgrade: websocket` with `Connection: close` and the client got 426; with the map, 101 and an echo (docs/live-findings.md).',
    },
  },
  check({ config, report, scope }) {
    for (const { location } of webSocketLocationsIn(config, scope)) {
      const plan = planWsHeaders(config, location);
      if (!plan || !plan.needConnection) continue;
      const st = headerState(location);
      if (st.connection_kind === 'cleared') continue; // nginx/ws-connection-cleared says it better
      const fixes = [{ title: planTitle(plan), edits: plan.edits, isPreferred: true }];
      if (st.connection && st.list.source === 'here' && st.connection.context === location) {
        report({
          path: st.connection.source.path,
          span: argSpan(st.connection, 1),
          message: `WebSocket ${locationLabel(location)} sets Connection to "${clipWord(st.connection.args[1] ?? '')}", which does not ask the backend to upgrade`,
          fixes,
        });
        continue;
      }
      const at = contextSpan(location);
      if (!at) continue;
      let detail = 'nginx then sends its default "Connection: close"';
      if (st.connection)
        detail = `Connection is "${clipWord(st.connection.args[1] ?? '')}" (${whereStatement(st.connection, at.path)}), which does not ask for an upgrade`;
      else if (st.list.source === 'inherited')
        detail = `its proxy_set_header lines are inherited from ${locationLabel(st.list.from!)} and none sets Connection, so nginx sends "Connection: close"`;
      report({
        path: at.path,
        span: at.span,
        message: `WebSocket ${locationLabel(location)} does not set Connection to upgrade: ${detail}`,
        fixes,
      });
    }
  },
};
