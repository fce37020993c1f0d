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
