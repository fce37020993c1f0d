import { clipWord } from '../../words';
import { haproxyEffective } from '../../model/haproxy';
import { balanceOf } from './balance';
import { replaceWord } from '../../fixes/haproxy';
import type { HaproxyRule } from '../rule';
import {
  activeWebSocketBackends,
  describeSource,
  insertSetting,
  liveServers,
  proxyHeaderSpan,
  proxyLabel,
  statementSpan,
} from './common';

/**
 * Balance algorithms that hash a key and so depend on hash-type (HAProxy 2.6 manual, "balance":
 * source, uri, url_param, hdr(), rdp-cookie, hash). `random` always uses the consistent tree.
 */
export function isHashBalance(algo: string): boolean {
  return /^(source|uri|url_param|hash|hdr\(|rdp-cookie)/.test(algo);
}

export const sourceNotConsistent: HaproxyRule = {
  meta: {
    id: 'haproxy/source-not-consistent',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions (hash-type consistent since 1.5)',
    fixable: true,
    docs: {
      short:
        'A WebSocket backend balances by a hash (`balance source`, `hdr()`, `uri`, ...) without `hash-type consistent`: one server going down or up remaps most clients.',
      section: 'Sticky sessions and balancing algorithms',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4.2-hash-type',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-balance',
      ],
      proof:
        'Live test on HAProxy 2.6.12 (docs/live-findings.md): adding a fourth server to `balance source` moved 63% of 40 clients, 13 of them between the old servers; with `hash-type consistent` 43% moved, all to the new server.',
    },
  },
  check({ config, report }) {
    for (const { proxy } of activeWebSocketBackends(config)) {
      const { eff: bal, algo } = balanceOf(proxy);
      if (!bal || !isHashBalance(algo)) continue;
      const active = liveServers(proxy).filter((s) => !s.backup);
      if (active.length < 2) continue;
      const ht = haproxyEffective(proxy, ['hash-type']);
      const method = ht?.values[0] ?? 'map-based';
      if (method === 'consistent') continue;
      const here = bal.proxy === proxy;
      report({
        path: proxy.source.path,
        span: here ? statementSpan(bal.statement) : proxyHeaderSpan(proxy),
        message: `WebSocket ${proxyLabel(proxy)} hashes ${bal.values.map((v) => clipWord(v, 24)).join(' ')} ${ht ? `with hash-type ${clipWord(method)}` : 'map-based (default)'}: a server change remaps most clients; use consistent`,
        related: [
          ...(here
            ? []
            : [
                {
                  path: bal.proxy.source.path,
                  span: statementSpan(bal.statement),
                  message: `balance ${describeSource(bal, proxy)}`,
                },
              ]),
          ...(ht && ht.proxy !== proxy
            ? [
                {
                  path: ht.proxy.source.path,
                  span: statementSpan(ht.statement),
                  message: `hash-type ${describeSource(ht, proxy)}`,
                },
              ]
            : []),
        ],
        fixes: () => {
          const fix =
            ht && ht.proxy === proxy
              ? replaceWord(proxy.source.path, ht.statement, 1, 'consistent')
              : insertSetting(proxy, 'hash-type consistent');
          return [{ title: 'Use hash-type consistent', edits: [fix], isPreferred: true }];
        },
      });
    }
  },
};
