/**
 * Which fixes may be applied without asking (as in ESLint: fixes versus suggestions).
 *
 * - 'safe': the fix guesses no behaviour and needs no value the user must choose: it writes the
 *   one form nginx/HAProxy need (`proxy_http_version 1.1`, the Upgrade/Connection headers, the
 *   canonical `map $http_upgrade`, `http://` for `ws://`), or copies lines the user wrote.
 *   Only safe fixes take part in "fix all" (the CLI's --fix, `source.fixAll.wslb`, fix-on-save).
 * - 'suggestion': the fix picks a value (a timeout, a health-check path, a delay, a cookie), a
 *   balancing algorithm, or a name: it is offered one by one, and its title says what to check.
 *
 * Every rule that offers a fix is listed here (test/rules/fix-classes.test.ts); a rule's fix may override
 * its class with FixSpec.kind (HAProxy's timeout-ignored: removing a line with no effect is
 * safe, moving it to the backends is not). A fix with no class at all counts as a suggestion.
 */
import type { FixKind } from './rule';

export interface FixClass {
  kind: FixKind;
  /** Suggestions: what the user should check before applying, appended to the title after "— check". */
  check?: string;
}

export const FIX_CLASSES: Readonly<Record<string, FixClass>> = {
  // nginx: the WebSocket idiom and nginx's own required forms
  'nginx/ws-http-version': { kind: 'safe' },
  'nginx/ws-not-upgraded': { kind: 'safe' },
  'nginx/upstream-keepalive-http10': { kind: 'safe' },
  'nginx/ws-missing-upgrade-header': { kind: 'safe' },
  'nginx/ws-missing-connection-header': { kind: 'safe' },
  'nginx/ws-connection-cleared': { kind: 'safe' },
  'nginx/ws-connection-hardcoded': { kind: 'safe' },
  'nginx/ws-connection-upgrade-undefined': { kind: 'safe' },
  'nginx/ws-headers-not-inherited': { kind: 'safe' },
  'nginx/ws-proxy-pass-scheme': { kind: 'safe' },
  // nginx: values and algorithms picked by wslb
  'nginx/ws-read-timeout': { kind: 'suggestion', check: 'the value against your heartbeat' },
  'nginx/ws-send-timeout': { kind: 'suggestion', check: 'the value against your heartbeat' },
  'nginx/ws-no-worker-shutdown-timeout': {
    kind: 'suggestion',
    check: 'that 10m suits your reloads',
  },
  'nginx/worker-connections-low': { kind: 'suggestion', check: 'the host file-descriptor limit' },
  'nginx/upstream-no-zone': { kind: 'suggestion', check: 'the zone name and size' },
  'nginx/ws-round-robin': { kind: 'suggestion', check: 'that no client needs stickiness' },
  'nginx/ip-hash-nat': { kind: 'suggestion', check: 'which balancing your clients need' },
  'nginx/hash-not-consistent': { kind: 'suggestion', check: 'that keys may move once at reload' },
  'nginx/unknown-upstream': { kind: 'suggestion', check: 'that this is the upstream you meant' },
  // HAProxy
  'haproxy/unknown-backend': { kind: 'suggestion', check: 'that this is the backend you meant' },
  // `15min` is read as 15m by HAProxy: writing 15m changes nothing but the warning.
  'haproxy/invalid-time-unit': { kind: 'safe' },
  'haproxy/eager-health-check': { kind: 'suggestion', check: 'that slower failure detection is acceptable' },
  'haproxy/ws-missing-timeout-tunnel': { kind: 'suggestion', check: 'the value against your heartbeat' },
  'haproxy/ws-timeout-below-heartbeat': { kind: 'suggestion', check: 'the value against your heartbeat' },
  'haproxy/missing-timeouts': { kind: 'suggestion', check: 'the values suit your traffic' },
  'haproxy/ws-no-httpchk': { kind: 'suggestion', check: 'that /health exists on every server' },
  'haproxy/no-hard-stop-after': { kind: 'suggestion', check: 'that 10m suits your reloads' },
  'haproxy/leastconn-no-slowstart': { kind: 'suggestion', check: 'that 30s suits your servers' },
  'haproxy/no-shutdown-sessions': {
    kind: 'suggestion',
    check: 'that clients reconnect when a server goes down',
  },
  'haproxy/server-no-check': { kind: 'suggestion', check: 'that the server answers health checks' },
  'haproxy/ws-balance-roundrobin': { kind: 'suggestion', check: 'that no client needs stickiness' },
  'haproxy/source-not-consistent': { kind: 'suggestion', check: 'that keys may move once at reload' },
  'haproxy/backend-mode-mismatch': { kind: 'suggestion', check: 'that the backend speaks HTTP' },
  'haproxy/timeout-ignored': { kind: 'suggestion', check: 'the value suits those backends' },
  // AWS: every fix sets a value
  'aws/alb-idle-timeout': { kind: 'suggestion', check: 'the value against your heartbeat' },
  'aws/nlb-idle-timeout': { kind: 'suggestion', check: 'the value against your heartbeat' },
  'aws/ws-deregistration-delay': { kind: 'suggestion', check: 'that deploys may take this long' },
  'aws/ws-no-slow-start': { kind: 'suggestion', check: 'that the ramp-up suits your targets' },
  'aws/ws-stickiness': { kind: 'suggestion', check: 'that clients do not use WebSocket only' },
};

/** The class of one fix of rule `ruleId` (an explicit kind on the fix wins; unknown: suggestion). */
export function fixClassOf(ruleId: string, explicit?: FixKind): FixClass {
  const c = FIX_CLASSES[ruleId];
  if (explicit) return { kind: explicit, check: explicit === 'suggestion' ? c?.check : undefined };
  return c ?? { kind: 'suggestion' };
}
