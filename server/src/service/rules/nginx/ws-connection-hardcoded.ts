import { clipWord } from '../../words';
import type { NginxStatement } from '../../model/nginx';
import { looksLikeWebSocketPath, nginxWebSocketReasons } from '../../model/websocket';
import { ensureConnectionUpgradeMap, replaceArg } from '../../fixes/nginx';
import type { NginxRule } from '../rule';
import { argSpan, locationLabel } from './common';
import { connectionKind, connectionVariable } from './headers';
import { definedVariables } from '../../model/nginx';
import { statementsIn } from '../../model/nginx-units';

/** Is the context a location that serves only WebSocket handshakes (a WebSocket path, or marked)? */
function dedicatedWebSocketLocation(stmt: NginxStatement, reasons: { kind: string }[]): boolean {
  const ctx = stmt.context;
  if (ctx.kind === 'if') return true; // `if ($http_upgrade ...)`-style guards: only upgrades get here
  if (ctx.kind !== 'location' || !ctx.statement) return false;
  const path = ctx.statement.args[ctx.statement.args.length - 1] ?? '';
  return looksLikeWebSocketPath(path) || reasons.some((r) => r.kind === 'marker');
}

export const wsConnectionHardcoded: NginxRule = {
  meta: {
    id: 'nginx/ws-connection-hardcoded',
    system: 'nginx',
    severity: 'warning',
    versions: 'all nginx versions',
    fixable: true,
    scope: 'server',
    docs: {
      short:
        '`Connection "upgrade"` is hard-coded where ordinary HTTP requests pass too: every request asks the backend to upgrade.',
      long: [
        'nginx\'s WebSocket page shows the short form `proxy_set_header Connection "upgrade";` for a location that only ever sees WebSocket handshakes. Set at `server`/`http` level or in a location such as `/` that also proxies pages and API calls, it sends `Connection: upgrade` with **every** request. Ordinary requests then lose `Connection: close`/keep-alive semantics, some backends and intermediate proxies reject or mis-handle them, and upstream `keepalive` cannot reuse those connections.',
        'The `map $http_upgrade $connection_upgrade` form sends `upgrade` only when the client asked for one.',
        '**Fix:** `proxy_set_header Connection $connection_upgrade;` with the canonical map at `http` level.',
      ].join('\n\n'),
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://nginx.org/en/docs/http/websocket.html',
        'https://nginx.org/en/docs/http/ngx_http_map_module.html',
      ],
      proof:
        'Live test on nginx 1.22.1 (docs/live-findings.md): through a `location /` with `Connection "upgrade"`, a plain GET reached the backend with `Connection: upgrade` (and no `Upgrade`); with the map, the same request arrived with `Connection: close` and a WebSocket through the location still got 101.',
    },
  },
  check({ config, report, scope }) {
    let vars: ReturnType<typeof definedVariables> | undefined;
    for (const s of statementsIn(config, scope)) {
      if (s.name !== 'proxy_set_header' || s.context.family !== 'http') continue;
      if (s.args[0]?.toLowerCase() !== 'connection' || connectionKind(s.args[1]) !== 'upgrade-literal') continue;
      const ctx = s.context;
      const reasons = ctx.kind === 'location' ? nginxWebSocketReasons(config, ctx) : [];
      if (dedicatedWebSocketLocation(s, reasons)) continue;
      vars ??= definedVariables(config);
      const v = connectionVariable(config);
      const edits = [replaceArg(s, 1, `$${v}`)];
      const m = v === 'connection_upgrade' ? ensureConnectionUpgradeMap(config, ctx, vars) : null;
      if (m) edits.push(m);
      const scope =
        ctx.kind === 'location'
          ? `in ${locationLabel(ctx)}, which is not a WebSocket-only path: every request there`
          : `at ${locationLabel(ctx)} level: every request of the locations that inherit it`;
      report({
        path: s.source.path,
        span: argSpan(s, 1),
        message: `Connection is hard-coded to "${clipWord(s.args[1])}" ${scope} asks the backend to upgrade; forward only real upgrades with $${v}`,
        fixes: [{ title: `Use $${v} (upgrade only when the client asks)`, edits, isPreferred: true }],
      });
    }
  },
};
