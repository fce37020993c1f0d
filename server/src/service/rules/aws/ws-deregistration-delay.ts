import type { AwsRule } from '../rule';
import { AWS_DOC_PAGES, awsFactOf, awsRange } from '../../knowledge/aws';
import { heartbeatLabel } from '../../knowledge/protocols';
import {
  AWS_DOCS_CHECKED,
  AWS_PROOF,
  describeKnown,
  relatedOrNone,
  valueOrigin,
  label,
  settingFix,
  settingOf,
  spanFor,
  targetGroupHeartbeat,
} from './common';

/** Deregistration delay: default and range from the fact table; the fix writes two heartbeats. */
const DEREG = awsFactOf('tg.deregistration_delay');

export const wsDeregistrationDelay: AwsRule = {
  meta: {
    id: 'aws/ws-deregistration-delay',
    system: 'aws',
    severity: 'warning',
    versions: AWS_DOCS_CHECKED,
    fixable: true,
    docs: {
      short: `A WebSocket target group's deregistration delay is shorter than two heartbeats: at a deploy or scale-in its connections are cut before the application can close them and clients notice.`,
      section: 'Health checks and connection draining',
      values: { default: DEREG.default, max: DEREG.range?.max },
      references: [
        AWS_DOC_PAGES.deregistrationDelay,
        AWS_DOC_PAGES.nlbDeregistration,
        AWS_DOC_PAGES.tfTargetGroup,
        AWS_DOC_PAGES.cfnTargetGroup,
      ],
      proof: AWS_PROOF,
    },
  },
  check({ config, options, report }) {
    for (const tg of config.targetGroups) {
      if (!tg.websocket.carries) continue;
      const v = tg.deregistrationDelay;
      if (!v.known) continue;
      const heartbeat = targetGroupHeartbeat(tg, options);
      const hbS = heartbeat.ms / 1000;
      // at AWS's maximum the delay cannot be longer: nothing to act on here (issue 23: the fix
      // would otherwise be offered again after it is applied, for a heartbeat over 30 min)
      const target = drainWindow(hbS);
      if (v.value >= 2 * hbS || v.value >= target) continue;
      const why =
        target < 2 * hbS ? "AWS's maximum; two heartbeats would need more" : 'two heartbeats to close with 1001';
      report({
        ...spanFor(tg, v),
        message: `Target group ${label(tg)} drains for ${describeKnown(v, ' s')}, under two ${heartbeatLabel(heartbeat)} heartbeats: a deploy cuts its WebSockets; raise it`,
        related: relatedOrNone(valueOrigin(v)),
        fixes: () =>
          settingFix(
            config,
            tg,
            v,
            settingOf('tg.deregistration_delay', target),
            `Set the deregistration delay to ${target} s (${why})`,
          ),
      });
    }
  },
};

/** Two heartbeats, rounded up to 10 s, within AWS's range. */
export function drainWindow(heartbeatS: number): number {
  const range = awsRange('tg.deregistration_delay');
  return Math.min(range.max, Math.max(range.min, Math.ceil((2 * heartbeatS) / 10) * 10));
}
