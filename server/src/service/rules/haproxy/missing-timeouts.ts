import { clipWord } from '../../words';
import {
  type HaproxyProxy,
  effectiveTimeoutMs,
  haproxyEffective,
  proxiesWhere,
  proxyDisabled,
  proxyHasServers,
  proxyMemo,
  proxyMode,
  proxySlot,
} from '../../model/haproxy';
import { formatTime } from '../../model/units';
import { insertLinesInProxy, replaceWord } from '../../fixes/haproxy';
import type { EditSpec, HaproxyRule } from '../rule';
import type { ServiceOptions } from '../../options';
import { haproxyTypeWord, proxyHeaderSpan, proxyLabel, timeoutMs } from './common';

type Which = 'client' | 'connect' | 'server';
const ORDER: Which[] = ['connect', 'client', 'server'];

/**
 * The timeouts whose absence makes HAProxy 2.6 warn "missing timeouts for <type> '<name>'"
 * (src/cfgparse.c, check_config_validity(), v2.6.0): only proxies in mode tcp or http, not
 * disabled ones (they are skipped before), and
 * - with frontend capability (frontend, listen): `timeout client`;
 * - with backend capability (backend, listen) AND at least one server: `timeout connect`, and
 *   `timeout server` — except in mode tcp when `timeout tunnel` is set.
 * A timeout of 0 counts as missing (HAProxy stores 0 as "eternity").
 */
export function missingTimeouts(proxy: HaproxyProxy): Which[] {
  // A proxy object never changes once built (an edited section gets a new one): once per proxy.
  return proxyMemo(proxy, MISSING, computeMissing);
}

const MISSING = proxySlot<Which[]>();

/** No timeout missing (shared: never changed). */
const NONE: Which[] = [];

/**
 * Read from the proxy's facts (model/haproxy.ts proxyFacts()) and those of its defaults chain,
 * with nothing built unless a timeout is missing; test/model/haproxy-facts.test.ts compares it
 * with a plain reading of the statements.
 */
function computeMissing(proxy: HaproxyProxy): Which[] {
  if (proxy.kind === 'defaults') return NONE;
  if (proxyDisabled(proxy)) return NONE;
  const fe = proxy.kind === 'frontend' || proxy.kind === 'listen';
  const be = (proxy.kind === 'backend' || proxy.kind === 'listen') && proxyHasServers(proxy);
  const connect = be && !counts(effectiveTimeoutMs(proxy, 'connect'));
  const client = fe && !counts(effectiveTimeoutMs(proxy, 'client'));
  const noServer = be && !counts(effectiveTimeoutMs(proxy, 'server'));
  // The mode is read only when a timeout is missing (with all of them set, no mode makes one
  // missing): most proxies set it in their own section, and reading it is reading a word.
  if (!connect && !client && !noServer) return NONE;
  const mode = proxyMode(proxy);
  if (mode !== 'http' && mode !== 'tcp') return NONE;
  const server = noServer && (mode === 'http' || !counts(effectiveTimeoutMs(proxy, 'tunnel')));
  if (!connect && !client && !server) return NONE;
  const missing: Which[] = [];
  if (connect && !templated(proxy, 'connect')) missing.push('connect');
  if (client && !templated(proxy, 'client')) missing.push('client');
  if (server && !templated(proxy, 'server')) missing.push('server');
  return missing.length ? missing : NONE;
}

/**
 * Is the timeout set by a template placeholder (`timeout client {{ client_timeout }}`,
 * model/haproxy-template.ts)? Its value is the rendered file's: set, not missing.
 */
function templated(proxy: HaproxyProxy, which: Which): boolean {
  const eff = haproxyEffective(proxy, ['timeout', which]);
  if (!eff || eff.negated) return false;
  const template = eff.proxy.source.template;
  const value = eff.statement.line.words[2];
  if (!template || !value) return false;
  return template.placeholders.some((p) => p.start < value.end && p.end > value.start);
}

/** A timeout that counts: set and not 0 (as timeoutMs() in common.ts). */
function counts(ms: number | null): boolean {
  return ms !== null && ms > 0;
}

/**
 * computeMissing() itself, not its memo: this is asked of every proxy, and a slot written on each
 * of them costs more than the answer (read from the facts); the memo serves the few listed ones.
 */
function hasMissingTimeouts(proxy: HaproxyProxy): boolean {
  return computeMissing(proxy) !== NONE;
}

export function timeoutValue(which: Which, options: ServiceOptions): string {
  // connect: the usual few seconds; client/server: one minute, or three heartbeats when longer
  if (which === 'connect') return '5s';
  return formatTime(Math.max(60_000, Math.max(options.heartbeatMs, 1000) * 3));
}

/**
 * Edits that set the missing timeouts. When the proxy uses a `defaults` section, they go there —
 * all of client/connect/server that the defaults lack, so every proxy using it gets the same
 * edit (written once by "fix all") and no line is ever written twice; a proxy's own `timeout X 0`
 * is rewritten in place. Without defaults, the proxy gets the lines itself.
 */
function plan(
  proxy: HaproxyProxy,
  missing: Which[],
  options: ServiceOptions,
): { edits: EditSpec[]; inDefaults: boolean } {
  const edits: EditSpec[] = [];
  const toDefaults: Which[] = [];
  for (const w of missing) {
    const eff = haproxyEffective(proxy, ['timeout', w]);
    if (eff && eff.proxy === proxy)
      edits.push(replaceWord(proxy.source.path, eff.statement, 2, timeoutValue(w, options)));
    else toDefaults.push(w);
  }
  if (toDefaults.length === 0) return { edits, inDefaults: false };
  const d = proxy.defaults;
  if (!d) {
    edits.push(
      insertLinesInProxy(
        proxy,
        ORDER.filter((w) => toDefaults.includes(w)).map((w) => `timeout ${w} ${timeoutValue(w, options)}`),
      ),
    );
    return { edits, inDefaults: false };
  }
  const inserts: string[] = [];
  for (const w of ORDER) {
    if (timeoutMs(d, w).ms !== null) continue;
    const eff = haproxyEffective(d, ['timeout', w]);
    if (eff && eff.proxy === d) edits.push(replaceWord(d.source.path, eff.statement, 2, timeoutValue(w, options)));
    else inserts.push(`timeout ${w} ${timeoutValue(w, options)}`);
  }
  if (inserts.length) edits.push(insertLinesInProxy(d, inserts));
  return { edits, inDefaults: true };
}

export const missingTimeoutsRule: HaproxyRule = {
  meta: {
    id: 'haproxy/missing-timeouts',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions (the warning as of 1.x; checked against 2.6)',
    fixable: true,
    docs: {
      short:
        'A frontend lacks `timeout client`, or a backend with servers lacks `timeout connect`/`timeout server`: HAProxy warns and such connections may never expire.',
      section: 'Health checks and connection draining',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20client',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20connect',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20server',
        'HAProxy v2.6.0 src/cfgparse.c, check_config_validity() ("missing timeouts for %s \'%s\'")',
      ],
      proof:
        '`haproxy -c` (2.6.12) on the fixtures and on the corpus: the warning is printed for exactly the proxies this rule reports (test/rules/haproxy-binary.test.ts, test/rules/corpus-haproxy.test.ts); the live case shows the warning on the bad config and none on the fixed one (docs/live-findings.md).',
    },
  },
  check({ config, options, report }) {
    for (const proxy of proxiesWhere(config, hasMissingTimeouts)) {
      if (!proxy.defaults && saysExtract(proxy.source)) continue;
      const missing = missingTimeouts(proxy);
      const list = missing.map((w) => `timeout ${w}`).join(', ');
      report({
        path: proxy.source.path,
        span: proxyHeaderSpan(proxy),
        message: `${proxyLabel(proxy)} has no ${list} (0 means never): its connections may never expire; set ${missing.length > 1 ? 'them' : 'it'}`,
        related: [
          {
            path: proxy.source.path,
            span: proxyHeaderSpan(proxy),
            message: `haproxy -c warns "missing timeouts for ${haproxyTypeWord(proxy)} '${clipWord(proxy.name ?? '')}'"`,
          },
        ],
        fixes: () => {
          const { edits, inDefaults } = plan(proxy, missing, options);
          return edits.length
            ? [
                {
                  title: `Set ${list}${inDefaults && proxy.defaults ? ` in ${proxyLabel(proxy.defaults)}` : ''}`,
                  edits,
                  isPreferred: true,
                },
              ]
            : [];
        },
      });
    }
  },
};

/**
 * A file without `defaults` whose opening comment says it is an extract of a larger config
 * ("### Extract for the TCP CR generated frontend and backends", haproxytech's ingress docs): the
 * timeouts are in the part left out, so none is missing.
 */
function saysExtract(source: HaproxyProxy['source']): boolean {
  if (source.tree.sections.some((s) => s.keyword === 'defaults')) return false;
  const first = source.tree.sections[0];
  const head = source.text.slice(0, first ? first.header.start : source.text.length);
  return /^\s*#.*\b(extract|excerpt|fragment|snippet|partial)\b/im.test(head.slice(0, 4000));
}
