/**
 * `capture cookie <name> len <n>` longer than HAProxy keeps: the captured value is cut to
 * `tune.http.cookielen` bytes (63 by default) and haproxy -c warns "truncating capture length to
 * 63 bytes for frontend 'X'." (src/cfgparse.c check_config_validity(): capture_len >=
 * global.tune.cookie_len, which is tune.http.cookielen + 1, CAPTURE_LEN = 64 when unset;
 * src/cfgparse-listen.c keeps the last `capture cookie` line of a proxy; disabled proxies are not
 * checked).
 */
import { clipWord } from '../../words';
import { argValue, globalStatements, proxiesWhere, proxyDisabled, type HaproxyProxy } from '../../model/haproxy';
import type { HaproxyStatement } from '../../syntax/haproxy';
import type { HaproxyRule } from '../rule';
import { haproxyTypeWord, haproxyWarns, statementSpan, statementsWith } from './common';

const CAPTURE = new Set(['capture']);

/** atol(): the leading digits of a word (0 when none). */
function atol(word: string | undefined): number {
  const m = /^\s*[+-]?\d+/.exec(word ?? '');
  return m ? parseInt(m[0], 10) : 0;
}

export const captureTruncated: HaproxyRule = {
  meta: {
    id: 'haproxy/capture-truncated',
    system: 'haproxy',
    severity: 'hint',
    versions: 'all HAProxy versions (message as printed by 2.6)',
    fixable: false,
    docs: {
      short:
        '`capture cookie ... len N` asks for more than HAProxy keeps (63 bytes unless `tune.http.cookielen` says more).',
      section: 'Sticky sessions and balancing algorithms',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4-capture%20cookie',
        'https://docs.haproxy.org/2.6/configuration.html#3.2-tune.http.cookielen',
        'HAProxy v2.8 src/cfgparse.c check_config_validity()',
      ],
      proof:
        'haproxy -c (2.6.12) prints the quoted warning for every finding of this rule, on the fixtures (test/rules/haproxy-binary.test.ts) and on the shared corpus (test/rules/corpus-haproxy.test.ts).',
    },
  },
  check({ config, report }) {
    const tune = globalStatements(config, 'tune.http.cookielen').filter((s) => s.modifier === undefined);
    const cookieLen = tune.length ? atol(argValue(tune[tune.length - 1], 0)) + 1 : 64;
    if (cookieLen <= 1) return; // a value HAProxy refuses: another finding's business
    for (const proxy of proxiesWhere(config, capturesCookie)) {
      const last = lastCookieCapture(proxy)!;
      const len = atol(argValue(last, 3));
      if (len < cookieLen) continue;
      report({
        path: proxy.source.path,
        span: statementSpan(last),
        message: `capture cookie ${clipWord(argValue(last, 1) ?? '')} len ${len} is cut to ${cookieLen - 1} bytes: raise tune.http.cookielen or ask for less`,
        related: [
          haproxyWarns(
            proxy.source.path,
            statementSpan(last),
            `truncating capture length to ${cookieLen - 1} bytes for ${haproxyTypeWord(proxy)} '${clipWord(proxy.name ?? '')}'.`,
          ),
        ],
      });
    }
  },
};

/** The last `capture cookie <name> len <n>` line of a proxy HAProxy checks, or null. */
function lastCookieCapture(proxy: HaproxyProxy): HaproxyStatement | null {
  if (proxy.kind === 'defaults' || proxyDisabled(proxy)) return null;
  let last: HaproxyStatement | null = null;
  for (const s of statementsWith(proxy.section, CAPTURE))
    if (
      s.keyword === 'capture' &&
      s.modifier === undefined &&
      argValue(s, 0) === 'cookie' &&
      argValue(s, 3) !== undefined
    )
      last = s;
  return last;
}

/** The proxies the rule reads (kept by proxiesWhere() across edits of other proxies). */
function capturesCookie(proxy: HaproxyProxy): boolean {
  return lastCookieCapture(proxy) !== null;
}
