import { clipWord } from '../../words';
import { type HaproxyProxy, backendReferences, haproxyEffective, modeOffenders } from '../../model/haproxy';
import { replaceWord } from '../../fixes/haproxy';
import type { HaproxyRule } from '../rule';
import { insertSetting, proxyHeaderSpan, proxyLabel } from './common';

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
    const offender = modeOffenders(config);
    for (let i = 0; i < refs.length; i++) {
      const ref = refs[i];
      const fe = offender(i);
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
