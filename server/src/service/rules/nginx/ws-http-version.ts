import { effectiveValue } from '../../model/nginx';
import { nginxWebSocketLocations, proxyPassOf } from '../../model/websocket';
import { insertInContext, replaceArg } from '../../fixes/nginx';
import type { NginxRule } from '../rule';
import { contextSpan, defaultsFor, describeOrigin, locationLabel } from './common';

export const wsHttpVersion: NginxRule = {
  meta: {
    id: 'nginx/ws-http-version',
    system: 'nginx',
    severity: 'error',
    versions: 'all nginx versions when set to 1.0; through the default only before 1.29.7 (the default became 1.1 in 1.29.7)',
    fixable: true,
    docs: {
      short: 'A WebSocket location proxies with HTTP/1.0, so the upgrade handshake cannot reach the backend.',
      long: [
        'The WebSocket handshake is an HTTP/1.1 feature: the client asks to switch protocols with `Upgrade: websocket` and `Connection: Upgrade`, and the server answers `101 Switching Protocols`. HTTP/1.0 has no such mechanism.',
        'nginx talks to upstreams with the version set by `proxy_http_version`. Up to nginx 1.29.6 the default is 1.0, so unless a location (or an enclosing `server`/`http` block) says `proxy_http_version 1.1;`, nginx sends the handshake to the backend as an HTTP/1.0 request. The backend then cannot switch protocols and the client gets an ordinary response instead of `101`: the WebSocket never opens.',
        'From nginx 1.29.7 the default is 1.1, so the line is only needed on older versions — or wherever a config sets 1.0 explicitly.',
        '**Fix:** add `proxy_http_version 1.1;` to the location (or to the `server`/`http` block so every location inherits it).',
      ].join('\n\n'),
      section: 'L4 vs L7 for WebSocket',
      references: ['https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version', 'https://nginx.org/en/docs/http/websocket.html'],
    },
  },
  check({ config, options, report }) {
    const defaults = defaultsFor(options);
    for (const { location } of nginxWebSocketLocations(config)) {
      const eff = effectiveValue(location, 'proxy_http_version', defaults);
      if (!eff.args || eff.args[0] !== '1.0') continue;
      const where = locationLabel(location);
      if (eff.source === 'here' && eff.statement) {
        report({
          path: eff.statement.source.path,
          span: { start: eff.statement.directive.args[0].start, end: eff.statement.directive.args[0].end },
          message: `WebSocket ${where} proxies with HTTP/1.0 (proxy_http_version 1.0); the upgrade needs 1.1`,
          fixes: [{ title: 'Use proxy_http_version 1.1', edits: [replaceArg(eff.statement, 0, '1.1')], isPreferred: true }],
        });
        continue;
      }
      const at = contextSpan(location);
      if (!at) continue;
      const pp = proxyPassOf(location);
      const edit = insertInContext(config, location, ['proxy_http_version 1.1;'], pp && pp.includedVia.length === (location.statement?.includedVia.length ?? 0) ? pp : 'end');
      report({
        path: at.path,
        span: at.span,
        message: `WebSocket ${where} proxies with HTTP/1.0: ${describeOrigin('proxy_http_version', eff, location)}; the upgrade needs 1.1`,
        fixes: edit ? [{ title: 'Add proxy_http_version 1.1', edits: [edit], isPreferred: true }] : [],
      });
    }
  },
};
