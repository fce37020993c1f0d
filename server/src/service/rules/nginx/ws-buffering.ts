import { webSocketLocationsIn } from '../../model/websocket';
import type { NginxRule } from '../rule';
import { statementSpan } from './common';

export const wsBuffering: NginxRule = {
  meta: {
    id: 'nginx/ws-buffering',
    system: 'nginx',
    severity: 'information',
    versions: 'all nginx versions with WebSocket proxying (1.3.13+); verified on 1.22.1',
    fixable: false,
    scope: 'server',
    docs: {
      short:
        '`proxy_buffering off` does not change how nginx relays an upgraded WebSocket; it only affects plain HTTP responses of the location.',
      long: [
        'A common tip says WebSocket locations need `proxy_buffering off`. For the WebSocket itself it makes no difference: after the `101` response nginx stops using the response-buffering machinery and relays bytes between the two sockets as they arrive, with one buffer of `proxy_buffer_size` per direction (`ngx_http_upstream_process_upgraded`). Frames larger than that buffer pass through intact.',
        'The setting still applies to ordinary HTTP responses served by the same location — for example the long-polling fallback of Socket.IO or SockJS, where `off` does help a streaming response reach the client at once.',
        'So the line is harmless; keep it if the location also serves streaming or long-polling responses, and do not count on it for WebSocket latency or memory.',
      ].join('\n\n'),
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_buffering',
        'nginx src/http/ngx_http_upstream.c (ngx_http_upstream_process_upgraded), release-1.22.1',
      ],
      proof:
        'Not shown live as a harm: this information rule says that nothing breaks. What it states is tested live on nginx 1.22.1 with `proxy_buffer_size 4k`: small messages and 1 MiB frames passed in both directions with buffering on and off, nothing held back (docs/live-findings.md).',
    },
  },
  check({ config, report, scope }) {
    for (const { location } of webSocketLocationsIn(config, scope)) {
      const stmt = location.statements.find((s) => s.name === 'proxy_buffering');
      if (!stmt || stmt.args[0] !== 'off') continue;
      report({
        path: stmt.source.path,
        span: statementSpan(stmt),
        message:
          'proxy_buffering off does not affect the upgraded WebSocket (nginx relays it unbuffered either way); it only changes plain HTTP responses of this location, such as long-polling fallbacks',
      });
    }
  },
};
