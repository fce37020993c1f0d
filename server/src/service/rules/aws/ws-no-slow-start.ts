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
      section: 'Health checks and connection draining',
      values: { default: SLOW.default, min: SLOW.range?.min, max: SLOW.range?.max, fix: SLOW_START_FIX },
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
