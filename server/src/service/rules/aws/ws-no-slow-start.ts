import type { AwsRule } from '../rule';
import { AWS_DOC_PAGES, awsDefault, awsFactOf, awsRange } from '../../knowledge/aws';
import {
  AWS_DOCS_CHECKED,
  AWS_PROOF,
  isAlbTargetGroup,
  label,
  relatedOrNone,
  settingFix,
  settingOf,
  spanFor,
  valueOrigin,
} from './common';

/** What the fix writes (wslb's choice), kept inside AWS's range (knowledge/aws.ts). */
export const SLOW_START_FIX = 60;

/** Slow start: default (off) and range from the fact table. */
const SLOW = awsFactOf('tg.slow_start');

export const wsNoSlowStart: AwsRule = {
  meta: {
    id: 'aws/ws-no-slow-start',
    system: 'aws',
    severity: 'information',
    versions: AWS_DOCS_CHECKED,
    fixable: true,
    docs: {
      short:
        'A WebSocket target group has no slow start: a target added during a reconnect storm takes its full share of new connections at once.',
      long: [
        `With slow start, an Application Load Balancer ramps up the share of requests it sends to a newly registered (healthy) target over the slow start duration, instead of giving it its full share at once. It is off by default (${SLOW.default}); when on, the duration is ${SLOW.range?.min} to ${SLOW.range?.max} seconds (\`slow_start\` in Terraform, \`slow_start.duration_seconds\` in \`TargetGroupAttributes\`).`,
        'A WebSocket handshake is an HTTP request, so the ramp applies to new WebSocket connections. That matters precisely when targets are added under pressure: a deploy or a scale-out while thousands of clients reconnect after an outage. Without slow start the fresh target — cold caches, JIT not warmed up, connection pools empty — takes its full share of the storm immediately. Slow start does not move connections that are already open; it only shapes where new ones go.',
        'Slow start only exists with the `round_robin` algorithm (the default): AWS refuses to enable it together with `least_outstanding_requests` (the target-group attributes page says the two cannot both be enabled) or with `weighted_random` (the API answers `InvalidConfigurationRequest: You cannot enable both slow start and weighted random algorithm on a target group`). This is information, not a defect (nothing in a file shows that targets are cold at start): wslb therefore reports, as information, only HTTP/HTTPS target groups that carry WebSocket (listener rule path, name, or `# wslb: websocket`), use `round_robin`, and have slow start known to be off; with another algorithm a slow start fix would be refused, so the rule stays silent.',
        `**Fix:** wslb sets slow start to ${SLOW_START_FIX} s; choose the time your service needs to warm up (${SLOW.range?.min}-${SLOW.range?.max} s).`,
      ].join('\n\n'),
      section: 'Health checks and connection draining',
      references: [AWS_DOC_PAGES.slowStart, AWS_DOC_PAGES.tfTargetGroup, AWS_DOC_PAGES.cfnTargetGroup],
      proof: AWS_PROOF,
    },
  },
  check({ config, report }) {
    // Slow start is an Application Load Balancer target group feature (HTTP/HTTPS target groups).
    const off = awsDefault<number>('tg.slow_start');
    const range = awsRange('tg.slow_start');
    const fix = Math.min(Math.max(SLOW_START_FIX, range.min), range.max);
    for (const tg of config.targetGroups) {
      if (!tg.websocket.carries || !isAlbTargetGroup(tg)) continue;
      const v = tg.slowStart;
      if (!v.known || v.value !== off) continue;
      // AWS refuses slow start with least_outstanding_requests and with weighted_random
      // (edit-target-group-attributes.html#slow-start-mode; API error InvalidConfigurationRequest).
      if (!tg.algorithm.known || tg.algorithm.value !== 'round_robin') continue;
      report({
        ...spanFor(tg, v),
        message: `Target group ${label(tg)} has no slow start${v.origin === 'variable-default' ? ` (${v.variable?.name})` : ''}: a new target gets its full share of a reconnect storm at once; set one`,
        related: relatedOrNone(valueOrigin(v)),
        fixes: () =>
          settingFix(
            config,
            tg,
            v,
            settingOf('tg.slow_start', fix),
            `Set slow start to ${fix} s (a guess: use the time your service needs to warm up)`,
          ),
      });
    }
  },
};
