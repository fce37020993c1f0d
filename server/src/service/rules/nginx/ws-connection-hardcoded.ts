import { clipWord } from '../../words';
import type { NginxContext, NginxStatement } from '../../model/nginx';
import { effectiveList, namedIn, walkContexts } from '../../model/nginx';
import { proxyPassOf, webSocketOnlyContext } from '../../model/websocket';
import { replaceArg } from '../../fixes/nginx';
import type { NginxRule } from '../rule';
import { argSpan, headerSpan, locationLabel } from './common';
import { connectionKind } from './headers';
import { statementsIn } from '../../model/nginx-units';

/** The last `proxy_set_header Upgrade` of the list the statement belongs to. */
function upgradeBeside(stmt: NginxStatement): NginxStatement | undefined {
  const list = effectiveList(stmt.context, 'proxy_set_header').statements;
  for (let i = list.length - 1; i >= 0; i--) if (list[i].args[0]?.toLowerCase() === 'upgrade') return list[i];
  return undefined;
}

/**
 * The proxying contexts that send the header list defined at `ctx` (their own, or inherited from
 * it because they define none) and also serve plain requests.
 */
function mixedUsers(ctx: NginxContext): NginxContext[] {
  return walkContexts(ctx).filter(
    (c) =>
      c.family === 'http' &&
      proxyPassOf(c) !== undefined &&
      !webSocketOnlyContext(c) &&
      effectiveList(c, 'proxy_set_header').from === ctx,
  );
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
        '`Connection "upgrade"` and a fixed `Upgrade` value are sent with every request of a location that also serves plain HTTP: each plain request reaches the backend as a WebSocket handshake.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://nginx.org/en/docs/http/websocket.html',
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
        'https://github.com/dotnet/aspnetcore/issues/17081',
      ],
      proof:
        'Live test on nginx 1.22.1 (test/live, docs/live-findings.md): through a `location /` with `Upgrade websocket` and `Connection "upgrade"`, a plain GET reached the Node.js backend as an upgrade request and came back 400 (no `Sec-WebSocket-Key`); with `Upgrade $http_upgrade` the same GET got 200 and a WebSocket through the location still got 101. With `Upgrade $http_upgrade` and upstream `keepalive`, 5 plain requests went over one upstream connection, as with `Connection ""`.',
    },
  },
  check({ config, report, scope }) {
    const statements = namedIn(statementsIn(config, scope), 'proxy_set_header');
    for (let si = 0; si < statements.length; si++) {
      const s = statements[si];
      if (s.name !== 'proxy_set_header' || s.context.family !== 'http') continue;
      if (s.args[0]?.toLowerCase() !== 'connection' || connectionKind(s.args[1]) !== 'upgrade-literal') continue;
      const ctx = s.context;
      if (webSocketOnlyContext(ctx)) continue;
      // Harm only when a plain request is turned into an upgrade request: Upgrade is a fixed word.
      // (An empty value is not sent: ngx_http_proxy_create_request skips headers whose value is empty.)
      const upgrade = upgradeBeside(s);
      const value = upgrade?.args[1];
      if (!upgrade || !value || value.includes('$')) continue;
      const users = mixedUsers(ctx);
      if (users.length === 0) continue;
      report({
        path: s.source.path,
        span: argSpan(s, 1),
        message: `Upgrade "${clipWord(value)}" with Connection "${clipWord(s.args[1])}" turns plain requests into WebSocket handshakes (400); use Upgrade $http_upgrade`,
        related: [
          ...(upgrade.directive.start !== s.directive.start
            ? [{ path: upgrade.source.path, span: argSpan(upgrade, 1), message: 'the fixed Upgrade value' }]
            : []),
          ...users.slice(0, 3).flatMap((u) =>
            u.statement
              ? [
                  {
                    path: u.statement.source.path,
                    span: headerSpan(u.statement),
                    message: `${locationLabel(u)} also serves plain requests`,
                  },
                ]
              : [],
          ),
        ],
        fixes: () => [
          {
            title: 'Use Upgrade $http_upgrade (sent only when the client asks to upgrade)',
            edits: [replaceArg(upgrade, 1, '$http_upgrade')],
            isPreferred: true,
          },
        ],
      });
    }
  },
};
