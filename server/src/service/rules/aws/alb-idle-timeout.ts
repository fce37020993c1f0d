import type { AwsRule } from '../rule';
import { heartbeatLabel } from '../../knowledge/protocols';
import { AWS_DOC_PAGES, awsFactOf } from '../../knowledge/aws';
import {
  AWS_DOCS_CHECKED,
  AWS_PROOF,
  describeKnown,
  relatedOrNone,
  valueOrigin,
  forwardsWebSocketTo,
  loadBalancerHeartbeat,
  idleTier,
  label,
  lbWebSocketGroups,
  idleTimeoutFix,
  spanFor,
} from './common';

/** What the fix writes when twice the heartbeat fits under it (wslb's choice; AWS's range is in knowledge/aws.ts). */
export const ALB_IDLE_FIX = 3600;

/** ALB idle timeout: default and range from the fact table. */
const IDLE = awsFactOf('lb.idle_timeout');

export const albIdleTimeout: AwsRule = {
  meta: {
    id: 'aws/alb-idle-timeout',
    system: 'aws',
    severity: 'error',
    versions: AWS_DOCS_CHECKED,
    fixable: true,
    docs: {
      short: `An Application Load Balancer that carries WebSocket closes idle connections at or near the heartbeat interval (\`idle_timeout\`, ${IDLE.default} s by default).`,
      long: [
        `An Application Load Balancer closes a connection on which no data has moved for the length of its connection idle timeout. That includes upgraded WebSocket connections: a chat that is silent between two pings is "idle" for the ALB. The timeout is a load-balancer attribute (\`idle_timeout\` in Terraform, \`idle_timeout.timeout_seconds\` in \`LoadBalancerAttributes\`); when it is not set it is ${IDLE.default} seconds, and it can be set from ${IDLE.range?.min} to ${IDLE.range?.max} seconds.`,
        `With the timeout at or below the application's heartbeat, an idle WebSocket can be closed before the next ping arrives, and clients see abnormal closes and reconnect. With the timeout between one and two heartbeats there is only one ping of margin: a ping delayed by a busy event loop or a slow network is enough. A server that pings every ${IDLE.default} s behind the default ${IDLE.default} s timeout is the classic case.`,
        'wslb reports an **error** when the idle timeout is not above the heartbeat (setting `wslb.heartbeat` / `--heartbeat`, 30 s by default) and a **warning** when it is below twice the heartbeat. It checks only load balancers whose listeners forward to a target group that carries WebSocket (a WebSocket-looking path in a listener rule, a name that says so, or a `# wslb: websocket` comment); values it cannot evaluate (variables without default, functions, `!Sub`...) are left alone.',
        `**Fix:** raise the idle timeout (wslb writes ${ALB_IDLE_FIX} s), or make the heartbeat shorter than half of it.`,
      ].join('\n\n'),
      section: 'Production config: nginx + AWS ALB',
      references: [AWS_DOC_PAGES.albIdleTimeout, AWS_DOC_PAGES.tfLb, AWS_DOC_PAGES.cfnLb],
      proof: AWS_PROOF,
    },
  },
  check({ config, options, report }) {
    for (const lb of config.loadBalancers) {
      const v = lb.idleTimeout;
      if (!v || !v.known) continue;
      const ws = lbWebSocketGroups(config, lb);
      if (!ws.length && !lb.marked) continue;
      const heartbeat = loadBalancerHeartbeat(ws, options);
      const hb = heartbeat.ms / 1000;
      const tier = idleTier(v.value, hb);
      if (!tier) continue;
      const why =
        tier === 'error'
          ? `is not above the ${heartbeatLabel(heartbeat)} heartbeat: idle WebSockets are cut between pings`
          : `is below twice the ${heartbeatLabel(heartbeat)} heartbeat: one late ping cuts an idle WebSocket`;
      const where = spanFor(lb, v);
      report({
        ...where,
        severity: tier,
        message: `ALB ${label(lb)} idle timeout ${describeKnown(v, ' s')} ${why}; raise it`,
        related: relatedOrNone(valueOrigin(v), forwardsWebSocketTo(ws)),
        fixes: () => idleTimeoutFix(config, lb, v, 'lb.idle_timeout', ALB_IDLE_FIX, hb, 'ALB idle timeout'),
      });
    }
  },
};
