import type { AwsTargetGroup } from '../../model/aws';
import type { AwsRule } from '../rule';
import { AWS_DOCS, AWS_DOCS_CHECKED, AWS_PROOF, label, settingFix, spanFor } from './common';

/** Slow start: 30-900 s, 0 = off (default) (load-balancer-target-groups.html#slow-start-mode). */
export const SLOW_START_FIX = 60;

/** Slow start is an Application Load Balancer target group feature (HTTP/HTTPS target groups). */
function isAlbGroup(tg: AwsTargetGroup): boolean {
  if (tg.protocol) return tg.protocol.known && /^HTTPS?$/i.test(tg.protocol.value);
  return tg.loadBalancers.length > 0 && tg.loadBalancers.every((lb) => lb.lbType.known && lb.lbType.value === 'application');
}

export const wsNoSlowStart: AwsRule = {
  meta: {
    id: 'aws/ws-no-slow-start',
    system: 'aws',
    severity: 'warning',
    versions: AWS_DOCS_CHECKED,
    fixable: true,
    docs: {
      short: 'A WebSocket target group has no slow start: a target added during a reconnect storm takes its full share of new connections at once.',
      long: [
        'With slow start, an Application Load Balancer ramps up the share of requests it sends to a newly registered (healthy) target over the slow start duration, instead of giving it its full share at once. It is off by default (0); when on, the duration is 30 to 900 seconds (`slow_start` in Terraform, `slow_start.duration_seconds` in `TargetGroupAttributes`).',
        'A WebSocket handshake is an HTTP request, so the ramp applies to new WebSocket connections. That matters precisely when targets are added under pressure: a deploy or a scale-out while thousands of clients reconnect after an outage. Without slow start the fresh target — cold caches, JIT not warmed up, connection pools empty — takes its full share of the storm immediately. Slow start does not move connections that are already open; it only shapes where new ones go.',
        'wslb reports HTTP/HTTPS target groups that carry WebSocket (listener rule path, name, or `# wslb: websocket`) with slow start known to be off and the `round_robin` or `least_outstanding_requests` algorithm. It says nothing about other algorithms.',
        '**Fix:** wslb sets slow start to 60 s; choose the time your service needs to warm up (30-900 s).',
      ].join('\n\n'),
      section: 'Health checks and connection draining',
      references: [AWS_DOCS.slowStart, AWS_DOCS.tfTargetGroup, AWS_DOCS.cfnTargetGroup],
      proof: AWS_PROOF,
    },
  },
  check({ config, report }) {
    for (const tg of config.targetGroups) {
      if (!tg.websocket.carries || !isAlbGroup(tg)) continue;
      const v = tg.slowStart;
      if (!v.known || v.value !== 0) continue;
      if (!tg.algorithm.known || !['round_robin', 'least_outstanding_requests'].includes(tg.algorithm.value)) continue;
      report({
        ...spanFor(tg, v),
        message: `WebSocket target group ${label(tg)} has slow start off (${v.origin === 'aws-default' ? 'not set; off by default' : v.origin === 'variable-default' ? `0 from the default of ${v.variable?.name}` : `${v.written?.key} = 0`}): a target added during a reconnect storm takes its full share of new connections at once`,
        fixes: settingFix(config, tg, v, { tf: 'slow_start', cfn: 'slow_start.duration_seconds', value: SLOW_START_FIX }, `Set slow start to ${SLOW_START_FIX} s`),
      });
    }
  },
};
