/**
 * A frontend or listen section without a `bind` line: it accepts no connection. HAProxy loads it
 * and warns "frontend 'X' has no 'bind' directive. Please declare it as a backend if this was
 * intended." (src/cfgparse.c check_config_validity(): a proxy with the frontend capability and an
 * empty listener list; disabled proxies are skipped before).
 */
import { clipWord } from '../../words';
import { proxiesWhere, proxyDisabled, type HaproxyProxy } from '../../model/haproxy';
import type { HaproxyRule } from '../rule';
import { haproxyTypeWord, haproxyWarns, hasLineWith, proxyHeaderSpan, proxyLabel } from './common';

const BIND = new Set(['bind']);

export const frontendNoBind: HaproxyRule = {
  meta: {
    id: 'haproxy/frontend-no-bind',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions (message as printed by 2.6)',
    fixable: false,
    docs: {
      short: 'A `frontend` or `listen` section without a `bind` line: it listens nowhere, so no client reaches it.',
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4-bind',
        'HAProxy v2.8 src/cfgparse.c check_config_validity()',
      ],
      proof:
        'haproxy -c (2.6.12) prints the quoted warning for every finding of this rule, on the fixtures (test/rules/haproxy-binary.test.ts) and on the shared corpus (test/rules/corpus-haproxy.test.ts).',
    },
  },
  check({ config, report }) {
    const without = proxiesWhere(config, isUnboundFront);
    if (without.length === 0) return;
    const warning = (p: HaproxyProxy) =>
      haproxyWarns(
        p.source.path,
        proxyHeaderSpan(p),
        `${haproxyTypeWord(p)} '${clipWord(p.name ?? '')}' has no 'bind' directive. Please declare it as a backend if this was intended.`,
      );
    if (proxiesWhere(config, isBoundFront).length > 0) {
      // other frontends listen: this one was forgotten
      for (const p of without)
        report({
          path: p.source.path,
          span: proxyHeaderSpan(p),
          message: `${proxyLabel(p)} has no bind line: it accepts no connections (declare it as a backend if that was meant)`,
          related: [warning(p)],
        });
      return;
    }
    // No frontend binds at all: a base that a controller or another file completes. One hint.
    const p = without[0];
    report({
      path: p.source.path,
      span: proxyHeaderSpan(p),
      severity: 'hint',
      message: `no frontend here has a bind line (${without.length}): unless another file or a controller adds them, none accepts connections`,
      related: without.map(warning),
    });
  },
};

/** A frontend or listen HAProxy checks (not disabled). */
function isFront(p: HaproxyProxy): boolean {
  return (p.kind === 'frontend' || p.kind === 'listen') && !proxyDisabled(p);
}

function binds(p: HaproxyProxy): boolean {
  return hasLineWith(p.section, BIND);
}

/** `frontend www 0.0.0.0:80`: the old address on the header, which HAProxy refuses (a syntax finding says so). */
function addressInHeader(p: HaproxyProxy): boolean {
  const w = p.section.header.words;
  return w.length > 2 && w[2].value !== 'from';
}

/** The fronts the rule is about (kept by proxiesWhere() across edits of other proxies). */
function isUnboundFront(p: HaproxyProxy): boolean {
  return isFront(p) && !binds(p) && !addressInHeader(p);
}

function isBoundFront(p: HaproxyProxy): boolean {
  return isFront(p) && binds(p);
}
