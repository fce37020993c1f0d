import type { AwsRule } from '../rule';
import { AWS_DOC_PAGES, awsDefault, awsFactOf, awsRange } from '../../knowledge/aws';
import { AWS_DOCS_CHECKED, AWS_PROOF, describeKnown, label, settingFix, settingOf, spanFor } from './common';

/** Deregistration delay: default and range from the fact table; the fix writes the maximum. */
const DEREG = awsFactOf('tg.deregistration_delay');

export const wsDeregistrationDelay: AwsRule = {
  meta: {
    id: 'aws/ws-deregistration-delay',
    system: 'aws',
    severity: 'warning',
    versions: AWS_DOCS_CHECKED,
    fixable: true,
    docs: {
      short: `A WebSocket target group keeps the default (${DEREG.default} s) or a shorter deregistration delay: at every deploy or scale-in, connections still open when it ends die with the stopped target.`,
      long: [
        `When a target leaves a target group (a deploy replaces it, an Auto Scaling group scales in, someone deregisters it), Elastic Load Balancing stops sending it new requests and puts it in the *draining* state for the deregistration delay: ${DEREG.default} seconds unless you set it, at most ${DEREG.range?.max}. When the delay has elapsed the deregistration completes and, as AWS's page puts it, a target that is part of an Auto Scaling group can be terminated and replaced — which is what deploys and scale-ins (Auto Scaling, ECS) then do. HTTP requests finish in milliseconds and never notice. WebSocket connections routinely live for hours: the ones still open when the old target is stopped die with it, without a WebSocket close frame, unless the application closed them first.`,
        'There are two remedies, and they combine well:',
        `- **Raise the delay** toward the typical lifetime of a connection (\`deregistration_delay\` in Terraform, \`deregistration_delay.timeout_seconds\` in \`TargetGroupAttributes\`; maximum ${DEREG.range?.max} s), so most connections end on their own. Deploys and scale-ins then take longer to finish.\n- **Drain in the application:** when the target is told to stop (SIGTERM, a failing health check), close its WebSockets with code 1001 ("going away") before the delay ends, so clients reconnect cleanly — spread over time so they do not all come back at once.`,
        `wslb reports WebSocket target groups (a listener rule routes a WebSocket-looking path to it, its name says so, or a \`# wslb: websocket\` comment marks it) whose delay is known to be ${DEREG.default} s or less. If the application already drains (second remedy), say so with \`# wslb-disable-next-line aws/ws-deregistration-delay -- drains with 1001\` (Terraform and YAML; JSON templates have no comments, so there turn the rule off with \`--rule aws/ws-deregistration-delay=off\` or the \`wslb.rules\` setting).`,
        `**Fix:** wslb sets the delay to ${DEREG.range?.max} s.`,
      ].join('\n\n'),
      section: 'Health checks and connection draining',
      references: [
        AWS_DOC_PAGES.deregistrationDelay,
        AWS_DOC_PAGES.nlbDeregistration,
        AWS_DOC_PAGES.tfTargetGroup,
        AWS_DOC_PAGES.cfnTargetGroup,
      ],
      proof: AWS_PROOF,
    },
  },
  check({ config, report }) {
    const byDefault = awsDefault<number>('tg.deregistration_delay');
    const max = awsRange('tg.deregistration_delay').max;
    for (const tg of config.targetGroups) {
      if (!tg.websocket.carries) continue;
      const v = tg.deregistrationDelay;
      if (!v.known || v.value > byDefault) continue;
      report({
        ...spanFor(tg, v),
        message: `WebSocket target group ${label(tg)} (${tg.websocket.reasons[0]}) has a deregistration delay of ${describeKnown(v, ' s')}: at every deploy or scale-in, connections still open after ${v.value} s die with the stopped target, without a close frame; raise it toward the connection lifetime (max ${max} s) or close them with 1001 from the application before it ends`,
        fixes: settingFix(
          config,
          tg,
          v,
          settingOf('tg.deregistration_delay', max),
          `Set the deregistration delay to ${max} s`,
        ),
      });
    }
  },
};
