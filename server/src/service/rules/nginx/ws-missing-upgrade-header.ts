import { clipWord } from '../../words';
import { webSocketLocationsIn } from '../../model/websocket';
import type { NginxRule } from '../rule';
import { notUpgraded } from './ws-not-upgraded';
import { locationLabel } from './common';
import { reportAtSetting } from './report-at';
import { headerState, planTitle, planWsHeaders } from './headers';

export const wsMissingUpgradeHeader: NginxRule = {
  meta: {
    id: 'nginx/ws-missing-upgrade-header',
    system: 'nginx',
    severity: 'error',
    versions: 'all nginx versions (Upgrade is hop-by-hop; nginx never forwards it on its own)',
    fixable: true,
    scope: 'server',
    docs: {
      short:
        "A WebSocket location does not pass the client's `Upgrade` header to the backend, so the handshake arrives as a plain GET.",
      long: [
        '`Upgrade` is a hop-by-hop header: a proxy is not supposed to pass it on, and nginx does not. The backend therefore only sees the WebSocket request as an upgrade when the location sets the header again itself, normally with `proxy_set_header Upgrade $http_upgrade;` (the value the client sent, empty for ordinary requests — nginx leaves out a header whose value is empty).',
        'Without it the backend receives an ordinary `GET`, answers it like one (often `400` or `426 Upgrade Required`), and the browser reports that the WebSocket could not be opened.',
        'Remember the inheritance rule of `proxy_set_header`: a location inherits the lines of the enclosing `server`/`http` only when it has none of its own. The fix therefore copies the inherited lines into the location when it has to add one there.',
        '**Fix:** `proxy_set_header Upgrade $http_upgrade;` in the location (together with `Connection` and `proxy_http_version 1.1`).',
      ].join('\n\n'),
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://nginx.org/en/docs/http/websocket.html',
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
      ],
      proof:
        'Live test on nginx 1.22.1: without the header the client got 426 and the backend saw a plain GET with `Connection: close` and no `Upgrade`; with it, 101 and an echo (docs/live-findings.md).',
    },
  },
  check({ config, options, report, scope }) {
    for (const { location } of webSocketLocationsIn(config, scope)) {
      const plan = planWsHeaders(config, location);
      if (!plan || !plan.needUpgrade) continue;
      if (notUpgraded(config, location, options)) continue; // the whole idiom is missing: one finding there
      const st = headerState(location);
      const fixes = () => [{ title: planTitle(plan), edits: plan.edits(), isPreferred: true }];
      reportAtSetting(
        report,
        location,
        st.upgrade && st.list.source === 'here' && st.upgrade.context === location ? st.upgrade : undefined,
        1,
        (upgrade) => ({
          message: `WebSocket ${locationLabel(location)} sets Upgrade to "${clipWord(upgrade.args[1] ?? '')}": use the client's $http_upgrade`,
          fixes,
        }),
        () => ({
          message: `WebSocket ${locationLabel(location)} does not forward the Upgrade header${st.list.source === 'inherited' ? ' (inherited header list)' : ''}; add proxy_set_header Upgrade $http_upgrade`,
          related:
            st.list.source === 'inherited' && st.list.statements[0]
              ? [
                  {
                    path: st.list.statements[0].source.path,
                    span: { start: st.list.statements[0].directive.start, end: st.list.statements[0].directive.end },
                    message: `proxy_set_header lines inherited from ${locationLabel(st.list.from!)}: none sets Upgrade`,
                  },
                ]
              : undefined,
          fixes,
        }),
      );
    }
  },
};
