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
      section: 'Production config: nginx + AWS ALB',
      values: { default: IDLE.default, min: IDLE.range?.min, max: IDLE.range?.max, fix: ALB_IDLE_FIX },
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
