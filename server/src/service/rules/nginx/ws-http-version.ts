import { effectiveValue } from '../../model/nginx';
import { webSocketLocationsIn } from '../../model/websocket';
import { replaceArg } from '../../fixes/nginx';
import { insertFix, reportAtSetting } from './report-at';
import type { NginxRule } from '../rule';
import { notUpgraded } from './ws-not-upgraded';
import { defaultsFor, locationLabel, originRelated, proxyAnchor } from './common';

export const wsHttpVersion: NginxRule = {
  meta: {
    id: 'nginx/ws-http-version',
    system: 'nginx',
    severity: 'error',
    versions:
      'all nginx versions when set to 1.0; through the default only before 1.29.7 (the default became 1.1 in 1.29.7)',
    fixable: true,
    scope: 'server',
    docs: {
      short:
        'A WebSocket location proxies with HTTP/1.0: the upgrade handshake reaches the backend as an HTTP/1.0 request, which RFC 6455 does not allow and strict servers refuse.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version',
        'https://nginx.org/en/docs/http/websocket.html',
        'https://www.rfc-editor.org/rfc/rfc6455#section-4.1',
      ],
      proof:
        "Live test on nginx 1.22.1: an RFC-strict backend received `HTTP/1.0` and answered 400, the client never got 101; with 1.1, 101 and an echo. Node's `ws` 8.x accepts the HTTP/1.0 handshake. The same config without `proxy_http_version` on nginx 1.24.0 built from source: 400 likewise; on 1.30.4 and 1.31.4: the backend saw HTTP/1.1 and the client got 101, as the 1.29.7 default change says (docs/live-findings.md, per release).",
    },
  },
  check({ config, options, report, scope }) {
    const defaults = defaultsFor(options);
    for (const { location } of webSocketLocationsIn(config, scope)) {
      const eff = effectiveValue(location, 'proxy_http_version', defaults);
      if (!eff.args || eff.args[0] !== '1.0') continue;
      if (notUpgraded(config, location, options)) continue; // the whole idiom is missing: one finding there
      const where = locationLabel(location);
      reportAtSetting(
        report,
        location,
        eff.source === 'here' ? eff.statement : undefined,
        0,
        (s) => ({
          message: `WebSocket ${where} proxies with HTTP/1.0: the upgrade needs HTTP/1.1; set proxy_http_version 1.1`,
          fixes: () => [{ title: 'Use proxy_http_version 1.1', edits: [replaceArg(s, 0, '1.1')], isPreferred: true }],
        }),
        () => ({
          message: `WebSocket ${where} proxies with HTTP/1.0 ${eff.source === 'default' ? `(${eff.defaultNote ?? 'the default'})` : '(inherited)'}; add proxy_http_version 1.1`,
          related: originRelated('proxy_http_version', eff),
          fixes: () =>
            insertFix(
              config,
              location,
              ['proxy_http_version 1.1;'],
              proxyAnchor(location),
              'Add proxy_http_version 1.1',
            ),
        }),
      );
    }
  },
};
