import type { AwsTargetGroup } from '../../model/aws';
import { awsInsertSettings, awsReplaceValue } from '../../fixes/aws';
import { AWS_DOC_PAGES } from '../../knowledge/aws';
import { protocolOfPath } from '../../knowledge/protocols';
import type { AwsRule, FixSpec } from '../rule';
import { AWS_DOCS_CHECKED, AWS_PROOF, isAlbTargetGroup, label, settingOf, spanFor } from './common';
import type { AwsConfig } from '../../model/aws';

/** Protocols whose sessions start with HTTP long polling and need every request on one target. */
const STICKY_PROTOCOLS = new Set(['socket.io', 'sockjs']);

function enableFix(config: AwsConfig, tg: AwsTargetGroup): FixSpec[] {
  const st = tg.stickiness;
  const title = 'Enable lb_cookie stickiness';
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
    severity: 'warning',
    versions: AWS_DOCS_CHECKED,
    fixable: true,
    docs: {
      short:
        'A Socket.IO or SockJS target group without stickiness: the HTTP requests of one session (the long-polling handshake before the upgrade) land on different targets and fail.',
      long: [
        'An open WebSocket stays on the target it was opened on; balancing only decides where a *new* connection goes. So the question stickiness answers is: where does a client land when it reconnects (after a network change, a deploy, an idle timeout)?',
        "Application Load Balancer stickiness works with cookies: with duration-based stickiness (`lb_cookie`) the load balancer issues its own cookie (`AWSALB`), with application-based stickiness (`app_cookie`) it follows a cookie of your application. The WebSocket opening handshake is an ordinary HTTP request, so a client that sends the cookie on the handshake is routed to the same target as before, as long as that target is registered and healthy. Browsers send the site's cookies with the WebSocket handshake; other clients do so only if they keep cookies.",
        'Whether that matters depends on where the state lives (see "Sticky sessions and balancing algorithms"): if rooms, subscriptions or buffers live in the memory of one process, a client that reconnects elsewhere starts from nothing; if the state is in a shared store (Redis pub/sub, a database), any target will do and stickiness only narrows balancing. For a plain WebSocket that is a choice, not a defect, and wslb says nothing. It reports a target group when its routed path shows **Socket.IO** (`/socket.io/`) or **SockJS** (`/sockjs`): both open a session with HTTP requests (long polling) before upgrading, and every request of the session must reach the process that created it; the Socket.IO documentation says sticky sessions are then required with more than one server (https://socket.io/docs/v4/using-multiple-nodes/). Without stickiness, sessions fail with "Session ID unknown" errors or fall back to reconnect loops. (A client restricted to `transports: ["websocket"]` does not need it; silence the finding then.)',
        '**Fix:** enable `lb_cookie` stickiness. Otherwise silence it with `# wslb-disable-next-line aws/ws-stickiness -- state is in Redis` (JSON templates have no comments: use `--rule aws/ws-stickiness=off` or the `wslb.rules` setting).',
      ].join('\n\n'),
      section: 'Sticky sessions and balancing algorithms',
      references: [
        'https://socket.io/docs/v4/using-multiple-nodes/',
        AWS_DOC_PAGES.stickiness,
        AWS_DOC_PAGES.tfTargetGroup,
        AWS_DOC_PAGES.cfnTargetGroup,
      ],
      proof: AWS_PROOF,
    },
  },
  check({ config, report }) {
    for (const tg of config.targetGroups) {
      if (!tg.websocket.carries || !isAlbTargetGroup(tg)) continue;
      const v = tg.stickiness.enabled;
      if (!v.known || v.value) continue;
      // Only a protocol that needs every request of a session on one target is evidence of harm.
      const protocol = tg.websocket.reasons.map(protocolOfPath).find((p) => p && STICKY_PROTOCOLS.has(p.id));
      if (!protocol) continue;
      report({
        ...spanFor(tg, v.written ? v : null),
        message: `${protocol.name} target group ${label(tg)} has no stickiness: a session's polling requests can reach other targets and fail; enable it`,
        fixes: () => enableFix(config, tg),
      });
    }
  },
};
