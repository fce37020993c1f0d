import { namedIn } from '../../model/nginx';
import { clipWord } from '../../words';
import type { NginxRule } from '../rule';
import { statementsIn } from '../../model/nginx-units';

export const wsProxyPassScheme: NginxRule = {
  meta: {
    id: 'nginx/ws-proxy-pass-scheme',
    system: 'nginx',
    severity: 'error',
    versions: 'all nginx versions',
    fixable: true,
    scope: 'server',
    docs: {
      short: '`proxy_pass ws://` or `wss://`: nginx only accepts http:// and https:// and refuses to start.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass',
        'https://nginx.org/en/docs/http/websocket.html',
      ],
      proof:
        'nginx 1.22.1 `nginx -t` on the fixture: `[emerg] invalid URL prefix in …` (docs/live-findings.md, test/rules/nginx-binary.test.ts).',
    },
  },
  check({ config, report, scope }) {
    const statements = namedIn(statementsIn(config, scope), 'proxy_pass');
    for (let si = 0; si < statements.length; si++) {
      const s = statements[si];
      if (s.name !== 'proxy_pass' || s.context.family !== 'http') continue;
      const arg = s.directive.args[0];
      const m = arg && /^(["']?)(wss?):\/\//i.exec(arg.raw);
      if (!arg || !m) continue;
      const start = arg.start + m[1].length;
      const scheme = m[2];
      const replacement = scheme.toLowerCase() === 'wss' ? 'https' : 'http';
      report({
        path: s.source.path,
        span: { start, end: start + scheme.length + 3 },
        message: `proxy_pass does not take ${clipWord(scheme)}:// (nginx refuses to start: invalid URL prefix); the WebSocket handshake is proxied over ${replacement}://`,
        fixes: () => [
          {
            title: `Use ${replacement}://`,
            edits: [{ path: s.source.path, span: { start, end: start + scheme.length }, newText: replacement }],
            isPreferred: true,
          },
        ],
      });
    }
  },
};
