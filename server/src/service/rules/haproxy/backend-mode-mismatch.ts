import { clipWord } from '../../words';
import {
  type BackendReference,
  type HaproxyConfig,
  type HaproxyProxy,
  backendReferences,
  effectiveDefaultBackend,
  haproxyEffective,
  onProxyReplaced,
  proxiesUsingDefaults,
  proxyDisabled,
  proxyMode,
} from '../../model/haproxy';
import { replaceWord } from '../../fixes/haproxy';
import type { HaproxyRule } from '../rule';
import { insertSetting, proxyHeaderSpan, proxyLabel } from './common';

/**
 * The http frontend (or listen) that a reference makes use a tcp backend, or null. It depends on
 * the reference's own proxy, its target and, for a `default_backend` of a defaults section, the
 * proxies using that section — all proxy objects, which an edit replaces when it changes them.
 */
function offender(config: HaproxyConfig, ref: BackendReference): HaproxyProxy | null {
  const target = ref.target;
  if (!target) return null;
  if (ref.from.kind === 'defaults') {
    if (ref.statement.keyword !== 'default_backend') return null;
    const froms = proxiesUsingDefaults(config, ref.from).filter(
      (p) => (p.kind === 'frontend' || p.kind === 'listen') && effectiveDefaultBackend(p) === ref.statement,
    );
    return froms.find((p) => offends(p, target)) ?? null;
  }
  // (the common case, read without building anything)
  if (ref.statement.keyword === 'default_backend' && effectiveDefaultBackend(ref.from) !== ref.statement) return null;
  return offends(ref.from, target) ? ref.from : null;
}

/**
 * An http frontend (or listen) handing its streams to a tcp backend. (The target's mode is asked
 * first: most backends take theirs from a defaults section, whose answer is kept, while most
 * frontends write their own, which is a word to read.)
 */
function offends(p: HaproxyProxy, target: HaproxyProxy): boolean {
  return p !== target && proxyMode(target) === 'tcp' && !proxyDisabled(p) && proxyMode(p) === 'http';
}

/**
 * offender() per reference of a config, by the reference's index in backendReferences() (the
 * list judged is kept with the answers), kept while the config is edited (see the hook below). A
 * list, not a map keyed by the references: nothing to hash.
 */
const offenders = new WeakMap<
  HaproxyConfig,
  { refs: BackendReference[]; judged: (HaproxyProxy | null | undefined)[] }
>();

// An edit replaced one proxy (model/haproxy.ts updateHaproxyConfig): the references it is part of
// are judged again, and those of defaults sections (they depend on every proxy using them). When
// a route or ACL line changed, the references are new objects: start again.
onProxyReplaced((config, _old, proxy, routesChanged) => {
  const known = offenders.get(config);
  if (!known) return;
  if (routesChanged) {
    offenders.delete(config);
    return;
  }
  const { refs, judged } = known;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i];
    if (ref.from === proxy || ref.target === proxy || ref.from.kind === 'defaults') judged[i] = undefined;
  }
});

/** HAProxy's proxy_type_str(): a listen section is a "proxy". */
function typeWord(p: HaproxyProxy): string {
  return p.kind === 'listen' ? 'proxy' : p.kind;
}

export const backendModeMismatch: HaproxyRule = {
  meta: {
    id: 'haproxy/backend-mode-mismatch',
    system: 'haproxy',
    severity: 'error',
    versions: 'all HAProxy versions (checked against 2.6)',
    fixable: true,
    docs: {
      short:
        'An HTTP-mode frontend routes to a `mode tcp` backend (often a WebSocket backend switched to tcp "for WebSocket"): HAProxy refuses the configuration.',
      long: [
        "A frontend in `mode http` can only hand its streams to backends in `mode http`: HAProxy has already parsed the request as HTTP. A `use_backend` or `default_backend` that names a `mode tcp` backend is a fatal error (\"http frontend 'fe' … tries to use incompatible tcp backend 'ws' …\"). The other direction is allowed: a tcp frontend may pass connections to an http backend, which upgrades them.",
        'It often comes from the belief that WebSocket needs `mode tcp`. It does not: in `mode http` HAProxy sees the `Upgrade` handshake, forwards it, and switches the connection to a tunnel after the 101 — with `timeout tunnel` as its idle limit. `mode tcp` is only needed when the whole listener is passed through at layer 4.',
        '**Fix:** put the backend in `mode http`.',
      ].join('\n\n'),
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4.2-mode',
        'HAProxy v2.6.0 src/cfgparse.c, check_config_validity() ("tries to use incompatible %s %s \'%s\'")',
      ],
      proof:
        '`haproxy -c` (2.6.12) refuses the live fixture and the rule fixture with the alert this rule quotes ("tries to use incompatible tcp backend"); with the backend in `mode http` the config is valid and a WebSocket gets 101 and echoes (docs/live-findings.md, test/rules/haproxy-binary.test.ts).',
    },
  },
  check({ config, report }) {
    const refs = backendReferences(config);
    let known = offenders.get(config);
    if (!known || known.refs !== refs)
      offenders.set(
        config,
        (known = { refs, judged: new Array<HaproxyProxy | null | undefined>(refs.length).fill(undefined) }),
      );
    const judged = known.judged;
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      let fe = judged[i];
      if (fe === undefined) judged[i] = fe = offender(config, ref);
      if (fe === null) continue;
      const target = ref.target!;
      const how = ref.statement.keyword === 'use_backend' ? "in a 'use_backend' rule" : 'as its default backend';
      const quote = `http ${typeWord(fe)} '${clipWord(fe.name ?? '')}' (…) tries to use incompatible tcp ${typeWord(target)} '${clipWord(target.name ?? '')}' (…) ${how} (see 'mode')`;
      const modeEff = haproxyEffective(target, ['mode']);
      report({
        path: ref.from.source.path,
        span: { start: ref.word.start, end: ref.word.end },
        message: `${proxyLabel(fe)} (mode http) sends to ${proxyLabel(target)} in mode tcp: HAProxy refuses this; WebSocket works in mode http`,
        related: [
          { path: target.source.path, span: proxyHeaderSpan(target), message: `haproxy -c refuses it (${quote})` },
        ],
        fixes: () => {
          const fix =
            modeEff && modeEff.proxy === target
              ? replaceWord(target.source.path, modeEff.statement, 1, 'http')
              : insertSetting(target, 'mode http');
          return [{ title: `Put ${proxyLabel(target)} in mode http`, edits: [fix], isPreferred: true }];
        },
      });
    }
  },
};
