import { clipWord } from '../../words';
import { haproxyEffective, proxyChainShared, proxyMode, type HaproxyProxy } from '../../model/haproxy';
import type { HaproxyRule } from '../rule';
import { activeWebSocketBackends, insertSetting, liveServers, proxyHeaderSpan, proxyLabel } from './common';
import { firstNames } from '../name-list';

/** The `option`s that choose a health-check protocol (HAProxy 2.6 manual, section 4.2): any of them replaces the plain TCP connect. */
const CHECK_OPTIONS = [
  'httpchk',
  'tcp-check',
  'ssl-hello-chk',
  'smtpchk',
  'mysql-check',
  'pgsql-check',
  'redis-check',
  'ldap-check',
  'spop-check',
  'external-check',
];

export const HEALTH_PATH = '/health';

export const wsNoHttpchk: HaproxyRule = {
  meta: {
    id: 'haproxy/ws-no-httpchk',
    system: 'haproxy',
    severity: 'information',
    versions: 'all HAProxy versions',
    fixable: true,
    docs: {
      short:
        'An HTTP-mode WebSocket backend checks its servers with a bare TCP connect: a server whose application is stuck still counts as up.',
      section: 'Health checks and connection draining',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4.2-option%20httpchk',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-http-check%20send',
      ],
      proof:
        'Live test on HAProxy 2.6.12 (docs/live-findings.md): a server that accepts TCP but never answers stayed UP under the connect-only check and 3 of 6 handshakes failed with 504 after `timeout server`; with `option httpchk GET /health` it was marked down and all 6 got 101.',
    },
  },
  check({ config, report }) {
    for (const { proxy } of activeWebSocketBackends(config)) {
      if (proxyMode(proxy) !== 'http') continue;
      const checked = liveServers(proxy).filter((s) => s.check);
      if (checked.length === 0) continue;
      // (HAProxy 2.6 refuses `no option httpchk`: "negation/default is not supported")
      const chosen = CHECK_OPTIONS.find((o) => {
        const eff = haproxyEffective(proxy, ['option', o]);
        return eff && !eff.negated;
      });
      if (chosen !== undefined && (chosen !== 'tcp-check' || hasTcpCheckRules(proxy))) continue;
      report({
        path: proxy.source.path,
        span: proxyHeaderSpan(proxy),
        message: `WebSocket ${proxyLabel(proxy)} checks ${firstNames(checked, 3, (s) => clipWord(s.name))} by TCP connect only${chosen === 'tcp-check' ? ' (tcp-check without rules)' : ''}: a stuck app stays in the pool; use option httpchk`,
        fixes: () => [
          {
            title: `Add option httpchk GET ${HEALTH_PATH}`,
            edits: [insertSetting(proxy, `option httpchk GET ${HEALTH_PATH}`)],
            isPreferred: true,
          },
        ],
      });
    }
  },
};

/**
 * Does the proxy or its defaults chain have `tcp-check` rules? Without any, `option tcp-check`
 * only opens a connection (HAProxy 2.6 manual, "option tcp-check": "no tcp-check directive: the
 * health check only consists in a connection attempt, which remains the default mode"). With
 * rules the check sequence is the user's deliberate choice, not reported.
 */
function hasTcpCheckRules(proxy: HaproxyProxy): boolean {
  return proxyChainShared(proxy).some((p) =>
    p.section.statements.some((s) => s.keyword === 'tcp-check' && s.modifier === undefined),
  );
}
