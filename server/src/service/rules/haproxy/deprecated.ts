/**
 * Settings HAProxy 2.6 still reads but calls deprecated, with the warning `haproxy -c` prints at
 * their line:
 * - `tune.ssl.capture-cipherlist-size` in `global`: an old name of `tune.ssl.capture-buffer-size`
 *   (src/cfgparse-ssl.c ssl_parse_global_capture_buffer(); the warning is still there in 2.8.0);
 * - `option httpchk <method> <uri> <version>` whose version word hides request headers or a body
 *   after a CR LF (`HTTP/1.1\r\nHost:\ example.com`): src/tcpcheck.c proxy_parse_httpchk_req()
 *   warns in 2.6 and refuses it from 2.8 ("... is unsupported"), pointing to `http-check send`.
 */
import { proxiesWhere, sectionLines, type HaproxyProxy } from '../../model/haproxy';
import type { HaproxyStatement } from '../../syntax/haproxy';
import type { HaproxyRule } from '../rule';
import { haproxyWarns, statementSpan, statementsWith } from './common';

const TUNE = new Set(['tune.ssl.capture-cipherlist-size']);

export const deprecatedSetting: HaproxyRule = {
  meta: {
    id: 'haproxy/deprecated',
    system: 'haproxy',
    severity: 'warning',
    versions: 'HAProxy 2.6 (later versions refuse the httpchk form)',
    fixable: false,
    docs: {
      short:
        'A setting HAProxy 2.6 calls deprecated: `tune.ssl.capture-cipherlist-size`, or headers hidden in the version of `option httpchk`.',
      section: 'Health checks and connection draining',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4-option%20httpchk',
        'https://docs.haproxy.org/2.6/configuration.html#4-http-check%20send',
        'https://docs.haproxy.org/2.6/configuration.html#3.2-tune.ssl.capture-buffer-size',
        'HAProxy v2.8 src/tcpcheck.c proxy_parse_httpchk_req(); src/cfgparse-ssl.c ssl_parse_global_capture_buffer()',
      ],
      proof:
        'haproxy -c (2.6.12) prints the quoted warning at the line of every finding of this rule, on the fixtures (test/rules/haproxy-binary.test.ts) and on the shared corpus (test/rules/corpus-haproxy.test.ts).',
    },
  },
  check({ config, report }) {
    for (const { path, tree } of config.sources)
      for (const section of tree.sections) {
        if (section.keyword !== 'global') continue;
        for (const s of statementsWith(section, TUNE)) {
          if (s.keyword !== 'tune.ssl.capture-cipherlist-size' || s.modifier !== undefined) continue;
          report({
            path,
            span: statementSpan(s),
            message:
              'tune.ssl.capture-cipherlist-size is deprecated (HAProxy 2.7 meant to drop it): use tune.ssl.capture-buffer-size',
            related: [
              haproxyWarns(
                path,
                statementSpan(s),
                "'tune.ssl.capture-cipherlist-size' is deprecated and will be removed in version 2.7. Please use 'tune.ssl.capture-buffer-size' instead.",
              ),
            ],
          });
        }
      }
    for (const proxy of proxiesWhere(config, hidesHeaders)) {
      const path = proxy.source.path;
      for (const s of hiddenHeaders(proxy))
        report({
          path,
          span: statementSpan(s),
          message:
            'option httpchk hides headers in its version word: deprecated, refused from HAProxy 2.8; send them with http-check send',
          related: [
            haproxyWarns(
              path,
              statementSpan(s),
              "'option httpchk' : hiding headers or body at the end of the version string is deprecated. Please, consider to use 'http-check send' directive instead.",
            ),
          ],
        });
    }
  },
};

/**
 * The `option httpchk <method> <uri> <version>` lines of a proxy whose version word holds a CR LF
 * (read by index: a statement is made only for such a line).
 */
function hiddenHeaders(proxy: HaproxyProxy): HaproxyStatement[] {
  let out: HaproxyStatement[] = NONE;
  const lines = sectionLines(proxy.section);
  for (let i = 0, n = lines.size; i < n; i++) {
    if (lines.keywordAt(i) !== 'option' || lines.wordCountAt(i) < 5) continue;
    if (lines.wordValueAt(i, 1) !== 'httpchk' || !lines.wordValueAt(i, 4).includes('\r\n')) continue;
    const s = lines.statement(i);
    if (s.modifier === undefined) (out === NONE ? (out = []) : out).push(s);
  }
  return out;
}
const NONE: HaproxyStatement[] = [];

/** The proxies the rule reports (kept by proxiesWhere() across edits of other proxies). */
function hidesHeaders(proxy: HaproxyProxy): boolean {
  return hiddenHeaders(proxy).length > 0;
}
