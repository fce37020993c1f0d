import type { NginxRule } from '../rule';
import { checkTimeout } from './timeouts';

export const wsSendTimeout: NginxRule = {
  meta: {
    id: 'nginx/ws-send-timeout',
    system: 'nginx',
    severity: 'warning',
    versions: 'all nginx versions (default 60s)',
    fixable: true,
    scope: 'server',
    docs: {
      short:
        'The effective `proxy_send_timeout` of a WebSocket location is at or below the heartbeat: a backend that stalls that long loses its connections.',
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_send_timeout',
        'nginx src/http/ngx_http_upstream.c (ngx_http_upstream_process_upgraded: the upstream write timer is set only while the write is blocked), release-1.22.1',
      ],
      proof:
        'Live test on nginx 1.22.1 (docs/live-findings.md): a backend stopped reading for 3 s while the client kept sending; with `proxy_send_timeout 1s` nginx closed the WebSocket (1006) about 1.1 s into the stall; with 90s it stayed open and the backend read the queued 12 MiB after the stall. An idle WebSocket never starts this timer.',
    },
  },
  check({ config, options, report, scope }) {
    checkTimeout(
      'proxy_send_timeout',
      config,
      options,
      report,
      (ms, hb) => {
        if (ms <= hb)
          return {
            severity: 'warning',
            why: 'a backend that stops reading this long gets cut',
          };
        return null;
      },
      scope,
    );
  },
};
