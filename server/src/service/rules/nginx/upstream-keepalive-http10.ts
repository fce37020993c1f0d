import { clipWord } from '../../words';
import { effectiveValue, findUpstream, parseProxyTarget } from '../../model/nginx';
import { webSocketLocationsIn, proxyPassOf } from '../../model/websocket';
import { insertFix, reportAtSetting } from './report-at';
import type { NginxRule } from '../rule';
import { argSpan, defaultsFor, locationLabel, originRelated, proxyAnchor, statementSpan } from './common';
import { contextsIn } from '../../model/nginx-units';

export const upstreamKeepaliveHttp10: NginxRule = {
  meta: {
    id: 'nginx/upstream-keepalive-http10',
    system: 'nginx',
    severity: 'warning',
    versions: 'all nginx versions when set to 1.0; through the default only before 1.29.7',
    fixable: true,
    scope: 'server',
    docs: {
      short:
        'A location proxies to an upstream with `keepalive` over HTTP/1.0, so the kept-alive connections are never reused.',
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive',
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version',
        'nginx src/http/modules/ngx_http_proxy_module.c (ngx_http_proxy_process_status_line: connection_close for HTTP/1.0 responses), release-1.22.1',
      ],
      proof:
        'Live test on nginx 1.22.1 (docs/live-findings.md): with `keepalive 4` and `Connection ""` but HTTP/1.0, five requests one after the other reached the backend over five TCP connections; with `proxy_http_version 1.1` over one. Without `proxy_http_version`, nginx 1.24.0 built from source did the same (five connections), while 1.30.4 and 1.31.4 sent HTTP/1.1 over one connection: the 1.29.7 default change, shown per release.',
    },
  },
  check({ config, options, report, scope }) {
    const defaults = defaultsFor(options);
    const ws = new Set(webSocketLocationsIn(config, scope).map((w) => w.location));
    for (const ctx of contextsIn(config, scope)) {
      if (
        ctx.family !== 'http' ||
        (ctx.kind !== 'location' && ctx.kind !== 'if' && ctx.kind !== 'server') ||
        ws.has(ctx)
      )
        continue;
      const pp = proxyPassOf(ctx);
      if (!pp) continue;
      const t = parseProxyTarget(pp.args[0] ?? '');
      if (t.hasVariables || (t.scheme !== 'http' && t.scheme !== 'https')) continue;
      const up = findUpstream(config, t.host, 'http');
      const keepalive = up?.statements.find((s) => s.name === 'keepalive');
      if (!up || !keepalive) continue;
      const eff = effectiveValue(ctx, 'proxy_http_version', defaults);
      if (!eff.args || eff.args[0] !== '1.0') continue;
      const related = [
        {
          path: keepalive.source.path,
          span: statementSpan(keepalive),
          message: `keepalive of upstream ${clipWord(t.host)}`,
        },
      ];
      const msg = `${locationLabel(ctx)} uses upstream ${clipWord(t.host)}'s keepalive over HTTP/1.0`;
      reportAtSetting(
        report,
        ctx,
        eff.source === 'here' ? eff.statement : undefined,
        0,
        (s) => {
          const fix = {
            title: 'Use proxy_http_version 1.1',
            edits: [{ path: s.source.path, span: argSpan(s, 0), newText: '1.1' }],
            isPreferred: true,
          };
          return {
            message: `${msg}: kept-alive connections are never reused; use 1.1`,
            related,
            fixes: () => [fix],
          };
        },
        () => ({
          message: `${msg} (${eff.source === 'default' ? 'the default' : 'inherited'}): connections are never reused; add proxy_http_version 1.1`,
          related: [...related, ...originRelated('proxy_http_version', eff)],
          fixes: () =>
            insertFix(config, ctx, ['proxy_http_version 1.1;'], proxyAnchor(ctx), 'Add proxy_http_version 1.1'),
        }),
      );
    }
  },
};
