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
      long: [
        `A Network Load Balancer tracks each TCP flow and closes it when neither side has sent data for the listener's idle timeout. AWS documents the default for TCP flows as ${NLB.default} seconds; on TCP listeners it can be changed from ${NLB.range?.min} to ${NLB.range?.max} seconds with the listener attribute \`tcp.idle_timeout.seconds\` (\`tcp_idle_timeout_seconds\` on \`aws_lb_listener\` in Terraform). On TLS listeners it is ${NLB.fixed?.value} seconds and cannot be changed.`,
        `A WebSocket that carries no data for longer than that is cut, however long the backend is willing to wait. Most heartbeats are far shorter than ${NLB.default} s, so this mostly matters for applications that ping rarely (or not at all), or after someone lowered the attribute. wslb compares the listener's effective value with the heartbeat (\`wslb.heartbeat\`, 30 s by default): an **error** when it is not above it, a **warning** below twice it. Only listeners that forward to a target group carrying WebSocket are checked, and unknown values are left alone.`,
        `**Fix:** on a TCP listener, raise \`tcp.idle_timeout.seconds\` (wslb writes ${NLB_IDLE_FIX} s). On a TLS listener the ${NLB.fixed?.value} s limit is fixed: send pings more often than that.`,
      ].join('\n\n'),
      section: 'L4 vs L7 for WebSocket',
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
