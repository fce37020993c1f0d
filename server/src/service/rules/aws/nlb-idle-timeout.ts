import type { AwsListener, AwsTargetGroup } from '../../model/aws';
import { AWS_DOC_PAGES, awsFactOf } from '../../knowledge/aws';
import type { AwsRule } from '../rule';
import {
  AWS_DOCS_CHECKED,
  AWS_PROOF,
  describeKnown,
  relatedOrNone,
  valueOrigin,
  forwardsWebSocketTo,
  fmtSeconds,
  heartbeatSeconds,
  idleTier,
  label,
  idleTimeoutFix,
  spanFor,
} from './common';

/** What the fix writes (wslb's choice; AWS's default, range and TLS value are in knowledge/aws.ts). */
export const NLB_IDLE_FIX = 3600;

/** NLB TCP listener idle timeout: default, range and fixed TLS value from the fact table. */
const NLB = awsFactOf('listener.tcp_idle_timeout');

function carriesWebSocket(l: AwsListener): AwsTargetGroup[] {
  const groups: AwsTargetGroup[] = [];
  for (const ref of l.targetGroupRefs) if (ref.target?.websocket.carries) groups.push(ref.target);
  return groups;
}

export const nlbIdleTimeout: AwsRule = {
  meta: {
    id: 'aws/nlb-idle-timeout',
    system: 'aws',
    severity: 'error',
    versions: AWS_DOCS_CHECKED,
    fixable: true,
    docs: {
      short: `A Network Load Balancer listener that carries WebSocket closes idle TCP flows at or near the heartbeat interval (${NLB.default} s by default).`,
      section: 'L4 vs L7 for WebSocket',
      values: {
        default: NLB.default,
        min: NLB.range?.min,
        max: NLB.range?.max,
        tls: NLB.fixed?.value,
        fix: NLB_IDLE_FIX,
      },
      references: [
        AWS_DOC_PAGES.nlbIdleTimeout,
        AWS_DOC_PAGES.nlbOverview,
        AWS_DOC_PAGES.tfListener,
        AWS_DOC_PAGES.cfnListener,
      ],
      proof: AWS_PROOF,
    },
  },
  check({ config, options, report }) {
    const hb = heartbeatSeconds(options);
    const fixedTls = awsFactOf('listener.tcp_idle_timeout').fixed;
    for (const l of config.listeners) {
      const lbType = l.loadBalancer?.lbType;
      const isNlb = lbType?.known && lbType.value === 'network';
      const protocol = l.protocol?.known ? l.protocol.value.toUpperCase() : null;
      const ws = carriesWebSocket(l);
      if (!ws.length && !l.marked) continue;
      const related = forwardsWebSocketTo(ws);
      if (isNlb && fixedTls && protocol === fixedTls.when) {
        const tier = idleTier(fixedTls.value, hb);
        if (!tier) continue;
        report({
          path: l.path,
          span: l.nameSpan,
          severity: tier,
          message: `NLB TLS listener ${label(l)} closes idle connections after ${fixedTls.value} s (fixed for ${fixedTls.when} listeners), ${tier === 'error' ? 'not above' : 'below twice'} the ${fmtSeconds(hb)} heartbeat; ping more often`,
          related: relatedOrNone(related),
        });
        continue;
      }
      const v = l.tcpIdleTimeout;
      if (!v || !v.known) continue;
      const tier = idleTier(v.value, hb);
      if (!tier) continue;
      report({
        ...spanFor(l, v),
        severity: tier,
        message: `NLB listener ${label(l)} TCP idle timeout ${describeKnown(v, ' s')} is ${tier === 'error' ? 'not above' : 'below twice'} the ${fmtSeconds(hb)} heartbeat: idle WebSockets can be cut; raise it`,
        related: relatedOrNone(valueOrigin(v), related),
        fixes: () => idleTimeoutFix(config, l, v, 'listener.tcp_idle_timeout', NLB_IDLE_FIX, hb, 'TCP idle timeout'),
      });
    }
  },
};
