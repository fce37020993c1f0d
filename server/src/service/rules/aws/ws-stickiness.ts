import type { AwsTargetGroup } from '../../model/aws';
import { awsInsertSettings, awsReplaceValue } from '../../fixes/aws';
import { AWS_DOC_PAGES } from '../../knowledge/aws';
import type { AwsRule, FixSpec } from '../rule';
import { AWS_DOCS_CHECKED, AWS_PROOF, isAlbTargetGroup, label, settingOf, spanFor } from './common';
import type { AwsConfig } from '../../model/aws';

function enableFix(config: AwsConfig, tg: AwsTargetGroup): FixSpec[] {
  const st = tg.stickiness;
  const title = 'Enable lb_cookie stickiness (only if session state lives in process memory)';
  if (st.enabled.known && st.enabled.written) {
    // The block / entry exists with enabled = false: flip it (and keep its type).
    const e = awsReplaceValue(config, st.enabled, true);
    return e ? [{ title, edits: [e] }] : [];
  }
  if (tg.format === 'terraform' && st.written) return []; // a stickiness block without `enabled` is already on
  const e = awsInsertSettings(config, tg, [
    settingOf('tg.stickiness.type', 'lb_cookie'),
    settingOf('tg.stickiness.enabled', true),
  ]);
  return e ? [{ title, edits: [e] }] : [];
}

export const wsStickiness: AwsRule = {
  meta: {
    id: 'aws/ws-stickiness',
    system: 'aws',
    severity: 'information',
    versions: AWS_DOCS_CHECKED,
    fixable: true,
    docs: {
      short:
        'A WebSocket target group without stickiness: a reconnecting client can land on any target — fine when state is shared, not when it lives in process memory.',
      long: [
        'An open WebSocket stays on the target it was opened on; balancing only decides where a *new* connection goes. So the question stickiness answers is: where does a client land when it reconnects (after a network change, a deploy, an idle timeout)?',
        "Application Load Balancer stickiness works with cookies: with duration-based stickiness (`lb_cookie`) the load balancer issues its own cookie (`AWSALB`), with application-based stickiness (`app_cookie`) it follows a cookie of your application. The WebSocket opening handshake is an ordinary HTTP request, so a client that sends the cookie on the handshake is routed to the same target as before, as long as that target is registered and healthy. Browsers send the site's cookies with the WebSocket handshake; other clients do so only if they keep cookies.",
        'Whether that matters depends on where the state lives (see "Sticky sessions and balancing algorithms"): if rooms, subscriptions or buffers live in the memory of one process, a client that reconnects elsewhere starts from nothing; if the state is in a shared store (Redis pub/sub, a database), any target will do and stickiness only narrows balancing. This is information, not a defect: wslb reports HTTP/HTTPS WebSocket target groups whose stickiness is known to be off, so the choice is deliberate.',
        '**Fix (only when state is per process):** enable `lb_cookie` stickiness. Otherwise silence it with `# wslb-disable-next-line aws/ws-stickiness -- state is in Redis` (JSON templates have no comments: use `--rule aws/ws-stickiness=off` or the `wslb.rules` setting).',
      ].join('\n\n'),
      section: 'Sticky sessions and balancing algorithms',
      references: [AWS_DOC_PAGES.stickiness, AWS_DOC_PAGES.tfTargetGroup, AWS_DOC_PAGES.cfnTargetGroup],
      proof: AWS_PROOF,
    },
  },
  check({ config, report }) {
    for (const tg of config.targetGroups) {
      if (!tg.websocket.carries || !isAlbTargetGroup(tg)) continue;
      const v = tg.stickiness.enabled;
      if (!v.known || v.value) continue;
      report({
        ...spanFor(tg, v.written ? v : null),
        message: `WebSocket target group ${label(tg)} has no stickiness: a reconnecting client can land on any target; fine if its state is shared (e.g. Redis), lost if it lives in one process's memory`,
        fixes: enableFix(config, tg),
      });
    }
  },
};
