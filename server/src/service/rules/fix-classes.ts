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

const suggest = (check: string): FixClass => ({ kind: 'suggestion', check });

/** Classes that several rules share: the same kind of fix, the same thing to check. */
const SAFE: FixClass = { kind: 'safe' };
const HEARTBEAT_VALUE: FixClass = suggest('the value against your heartbeat');
const NO_STICKINESS: FixClass = suggest('that no client needs stickiness');
const KEYS_MOVE: FixClass = suggest('that keys may move once at reload');
const RELOAD_10M: FixClass = suggest('that 10m suits your reloads');

export const FIX_CLASSES: Readonly<Record<string, FixClass>> = {
  // nginx: the WebSocket idiom and nginx's own required forms
  'nginx/ws-http-version': SAFE,
  'nginx/ws-not-upgraded': SAFE,
  'nginx/upstream-keepalive-http10': SAFE,
  'nginx/ws-missing-upgrade-header': SAFE,
  'nginx/ws-missing-connection-header': SAFE,
  'nginx/ws-connection-cleared': SAFE,
  'nginx/ws-connection-hardcoded': SAFE,
  'nginx/ws-connection-upgrade-undefined': SAFE,
  'nginx/ws-headers-not-inherited': SAFE,
  'nginx/ws-proxy-pass-scheme': SAFE,
  // nginx: values and algorithms picked by wslb
  'nginx/ws-read-timeout': HEARTBEAT_VALUE,
  'nginx/ws-send-timeout': HEARTBEAT_VALUE,
  'nginx/ws-no-worker-shutdown-timeout': RELOAD_10M,
  'nginx/worker-connections-low': suggest('the host file-descriptor limit'),
  'nginx/upstream-no-zone': suggest('the zone name and size'),
  'nginx/ws-round-robin': NO_STICKINESS,
  'nginx/ip-hash-nat': suggest('which balancing your clients need'),
  'nginx/hash-not-consistent': KEYS_MOVE,
  'nginx/unknown-upstream': suggest('that this is the upstream you meant'),
  // HAProxy
  'haproxy/unknown-backend': suggest('that this is the backend you meant'),
  // `15min` is read as 15m by HAProxy: writing 15m changes nothing but the warning.
  'haproxy/invalid-time-unit': SAFE,
  'haproxy/eager-health-check': suggest('that slower failure detection is acceptable'),
  'haproxy/ws-missing-timeout-tunnel': HEARTBEAT_VALUE,
  'haproxy/ws-timeout-below-heartbeat': HEARTBEAT_VALUE,
  'haproxy/missing-timeouts': suggest('the values suit your traffic'),
  'haproxy/ws-no-httpchk': suggest('that /health exists on every server'),
  'haproxy/no-hard-stop-after': RELOAD_10M,
  'haproxy/leastconn-no-slowstart': suggest('that 30s suits your servers'),
  'haproxy/no-shutdown-sessions': suggest('that clients reconnect when a server goes down'),
  'haproxy/server-no-check': suggest('that the server answers health checks'),
  'haproxy/ws-balance-roundrobin': NO_STICKINESS,
  'haproxy/source-not-consistent': KEYS_MOVE,
  'haproxy/backend-mode-mismatch': suggest('that the backend speaks HTTP'),
  'haproxy/timeout-ignored': suggest('the value suits those backends'),
  // AWS: every fix sets a value
  'aws/alb-idle-timeout': HEARTBEAT_VALUE,
  'aws/nlb-idle-timeout': HEARTBEAT_VALUE,
  'aws/ws-deregistration-delay': suggest('that deploys may take this long'),
  'aws/ws-no-slow-start': suggest('that the ramp-up suits your targets'),
  'aws/ws-stickiness': suggest('that clients do not use WebSocket only'),
};

/** The class of one fix of rule `ruleId` (an explicit kind on the fix wins; unknown: suggestion). */
export function fixClassOf(ruleId: string, explicit?: FixKind): FixClass {
  const c = FIX_CLASSES[ruleId];
  if (explicit) return { kind: explicit, check: explicit === 'suggestion' ? c?.check : undefined };
  return c ?? { kind: 'suggestion' };
}
