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
