/**
 * Bad/good config pairs for the rules whose harm can be shown with the real binaries.
 *
 * `bad` and `good` are file names in test/fixtures/live/. Placeholders: `@LISTEN@` (the balancer's
 * port) and `@B1@` (the backend's port); the harness fills them in. Every location/route under test
 * is `/ws`.
 *
 * Today `good` is a hand-written fixture. The plan is to produce it instead by applying wslb's own
 * quick fix for `id` to `bad` (see `goodText` below, the single place to switch).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const FIXTURES = path.join(__dirname, '..', 'fixtures', 'live');

export type Expectation =
  /** The validator (`nginx -t` / `haproxy -c`) refuses the bad config with this message. */
  | { kind: 'refused-by-validator'; message: RegExp }
  /** The validator accepts the bad config but warns with this message; the good one has no warning. */
  | { kind: 'validator-warns'; message: RegExp }
  /** The bad config starts, but the WebSocket handshake gets this HTTP status instead of 101. */
  | { kind: 'no-upgrade'; status: number; backendSaw: 'plain-request' | 'http10-upgrade' }
  /**
   * The bad config cuts the WebSocket after `cutAfterMs` without traffic (the client sends a ping
   * every `heartbeatMs` when set); the good one keeps it open for `survivesMs` with the same client.
   */
  | { kind: 'idle-cut'; cutAfterMs: number; heartbeatMs?: number; survivesMs: number }
  /**
   * `clients` clients from one /24 (`subnet`, e.g. "127.77.7", standing for an office NAT or a CDN
   * range) all land on one backend with the bad config, and on at least two with the good one.
   */
  | { kind: 'subnet-skew'; subnet: string; clients: number }
  /**
   * `clients` clients from distinct addresses connect, then a server is added (the config's lines
   * containing `# live: added later` appear) and they reconnect: with the bad config more than
   * `badAbove` of them change backend, some between old servers; with the good one clients move only
   * to the new server (and fewer than `goodBelow` of them: a loose sanity bound, the new server's share).
   */
  | { kind: 'remap-on-add'; clients: number; badAbove: number; goodBelow: number }
  /**
   * Two backends; 4 clients connect, the 2 on the first client's backend leave, 2 new clients come:
   * the bad config ends with 1/3 connections per backend (blind to counts), the good one with 2/2.
   */
  | { kind: 'load-blind' }
  /**
   * A WebSocket is open, nginx is reloaded: with the bad config the old worker is still alive and
   * the WebSocket open `afterMs` later; with the good one the old worker is gone and the WebSocket closed.
   */
  | { kind: 'reload-lingers'; afterMs: number }
  /**
   * A WebSocket is open on the backend behind @B1@; that backend stops accepting connections, so
   * health checks mark it down: with the bad config the WebSocket stays attached to the server
   * marked down (`afterMs` later), with the good one HAProxy closes it so the client can reconnect.
   */
  | { kind: 'down-keeps-sessions'; afterMs: number }
  /**
   * A WebSocket is open on the server behind @B1@; its listener disappears for `outageMs` (health
   * checks fail meanwhile) and comes back: with the bad config the server is marked down at once
   * and `on-marked-down shutdown-sessions` closes the WebSocket; with the good one it stays open
   * and echoes `afterMs` after the listener is back.
   */
  | { kind: 'brief-outage'; outageMs: number; afterMs: number }
  /**
   * `balance leastconn` over @B1@..@B3@ with health checks: @B3@'s server dies and is marked down,
   * `2 × burst` clients connect (`burst` on each of the other two), @B3@ comes back and is marked up,
   * then `burst` new clients connect one after the other: with the bad config the returning server
   * takes all of them, with the good one (slowstart) at most `goodAtMost`.
   */
  | { kind: 'slowstart-burst'; burst: number; goodAtMost: number }
  /**
   * Two servers in round robin, the one behind @B2@ is dead (nothing listens): `clients` concurrent
   * handshakes; with the bad config some fail (HTTP 503), with the good one every one succeeds.
   */
  | { kind: 'dead-server'; clients: number }
  /**
   * A plain HTTP request (no Upgrade) through a location that serves pages and WebSockets: with the
   * bad config the backend takes it as a WebSocket handshake and answers 400, with the good one it
   * is served (200); a WebSocket still upgrades.
   */
  | { kind: 'plain-request-connection' }
  /**
   * nginx with 2 workers, round robin with `max_fails=1` over a dead server (@B2@, listed first) and a
   * live one: clients connect one after the other until both workers have proxied one (at most
   * `maxClients`); with the bad config (no zone) the dead server was tried once per worker, with the
   * good one (zone) once in all.
   */
  | { kind: 'per-worker-failures'; maxClients: number }
  /**
   * `requests` plain requests one after the other through a location whose upstream has `keepalive`
   * (backend answers 200): with the bad config each one opens its own TCP connection to the backend,
   * with the good one they share one.
   */
  | { kind: 'keepalive-reuse'; requests: number }
  /**
   * `clients` WebSockets opened one after the other and kept open: with the bad config (a small
   * worker_connections) the later ones fail and nginx logs "worker_connections are not enough"; with
   * the good one all open.
   */
  | { kind: 'connection-cap'; clients: number }
  /**
   * Two servers in round robin with health checks; the one behind @B2@ is replaced by an application
   * that accepts TCP but never answers. `clients` concurrent handshakes: with the bad config (TCP
   * checks) the server stays up and its share fails (HTTP 504 after `timeout server`), with the good
   * one (HTTP checks on /health) it is marked down and every handshake succeeds.
   */
  | { kind: 'stuck-server'; clients: number }
  /**
   * The backend stops reading for `stallMs` right after the handshake while the client keeps sending:
   * with the bad config nginx closes the WebSocket during the stall, with the good one it survives and
   * the backend reads the queued data after the stall.
   */
  | { kind: 'backend-stall'; stallMs: number }
  /**
   * One backend serves plain requests and WebSockets (answers 200 and upgrades): `websockets`
   * WebSockets are opened and kept open, then a plain GET goes to the same backend: with the bad
   * config (server maxconn equal to the WebSockets held) it waits for `timeout queue` and gets 503,
   * with the good one it gets 200.
   */
  | { kind: 'maxconn-queue'; websockets: number };

export interface LiveCase {
  /** The wslb rule id whose harm this pair demonstrates. */
  id: string;
  system: 'nginx' | 'haproxy';
  bad: string;
  good: string;
  expect: Expectation;
  /** One sentence: what goes wrong with the bad config. */
  harm: string;
  /**
   * For fixes whose value is realistic but too long to wait for in a test (e.g. a 10m shutdown
   * timeout): rewrite that value in wslb's fixed output to one the test can observe. The test checks
   * that the pattern matched, and the report says the value was scaled.
   */
  scaleFix?: { pattern: RegExp; replacement: string };
}

export const CASES: LiveCase[] = [
  {
    id: 'nginx/ws-not-upgraded',
    system: 'nginx',
    bad: 'nginx-not-upgraded.bad.conf',
    good: 'nginx-ws-good.conf',
    expect: { kind: 'no-upgrade', status: 426, backendSaw: 'plain-request' },
    harm: 'A location with only proxy_pass sends the handshake as a plain HTTP/1.0 GET: no Upgrade, "Connection: close"; the backend never switches protocols.',
  },
  {
    id: 'nginx/ws-missing-upgrade-header',
    system: 'nginx',
    bad: 'nginx-missing-upgrade.bad.conf',
    good: 'nginx-ws-good.conf',
    expect: { kind: 'no-upgrade', status: 426, backendSaw: 'plain-request' },
    harm: 'Upgrade and Connection are hop-by-hop, so without proxy_set_header the backend receives a plain GET and never switches protocols.',
  },
  {
    id: 'nginx/ws-missing-connection-header',
    system: 'nginx',
    bad: 'nginx-missing-connection.bad.conf',
    good: 'nginx-ws-good.conf',
    expect: { kind: 'no-upgrade', status: 426, backendSaw: 'plain-request' },
    harm: 'Upgrade alone is not an upgrade request: nginx adds its default "Connection: close" and the backend answers as for a plain GET.',
  },
  {
    id: 'nginx/ws-http-version',
    system: 'nginx',
    bad: 'nginx-http10.bad.conf',
    good: 'nginx-ws-good.conf',
    expect: { kind: 'no-upgrade', status: 400, backendSaw: 'http10-upgrade' },
    harm: 'With nginx 1.22 the upstream request is HTTP/1.0 unless proxy_http_version 1.1 is set; a backend that follows RFC 6455 (handshake must be HTTP/1.1) refuses the upgrade.',
  },
  {
    id: 'nginx/ws-connection-cleared',
    system: 'nginx',
    bad: 'nginx-connection-cleared.bad.conf',
    good: 'nginx-ws-good.conf',
    expect: { kind: 'no-upgrade', status: 426, backendSaw: 'plain-request' },
    harm: 'Connection "" removes the header, so the backend sees Upgrade without the upgrade token and answers as for a plain GET.',
  },
  {
    id: 'nginx/ws-headers-not-inherited',
    system: 'nginx',
    bad: 'nginx-not-inherited.bad.conf',
    good: 'nginx-not-inherited.good.conf',
    expect: { kind: 'no-upgrade', status: 426, backendSaw: 'plain-request' },
    harm: 'One proxy_set_header in the location discards every proxy_set_header of the server level, including Upgrade and Connection.',
  },
  {
    id: 'nginx/ws-read-timeout',
    system: 'nginx',
    bad: 'nginx-read-timeout.bad.conf',
    good: 'nginx-read-timeout.good.conf',
    expect: { kind: 'idle-cut', cutAfterMs: 1000, heartbeatMs: 1500, survivesMs: 2400 },
    harm: 'proxy_read_timeout below the heartbeat interval: nginx closes the upgraded connection before the next ping can reset the timer.',
  },
  {
    id: 'nginx/ws-proxy-pass-scheme',
    system: 'nginx',
    bad: 'nginx-ws-scheme.bad.conf',
    good: 'nginx-ws-good.conf',
    expect: { kind: 'refused-by-validator', message: /invalid URL prefix/ },
    harm: 'nginx does not know the ws:// scheme in proxy_pass and refuses to start.',
  },
  {
    id: 'nginx/ws-connection-upgrade-undefined',
    system: 'nginx',
    bad: 'nginx-undefined-map.bad.conf',
    good: 'nginx-ws-good.conf',
    expect: { kind: 'refused-by-validator', message: /unknown "connection_upgrade" variable/ },
    harm: '$connection_upgrade is not built in; without the map nginx refuses to start.',
  },
  {
    id: 'nginx/unknown-upstream',
    system: 'nginx',
    bad: 'nginx-unknown-upstream.bad.conf',
    good: 'nginx-unknown-upstream.good.conf',
    expect: { kind: 'refused-by-validator', message: /host not found in upstream "wsbackend"/ },
    harm: 'A proxy_pass host that is neither an upstream block nor resolvable stops nginx from starting.',
  },
  {
    id: 'haproxy/ws-missing-timeout-tunnel',
    system: 'haproxy',
    bad: 'haproxy-no-tunnel.bad.cfg',
    good: 'haproxy-no-tunnel.good.cfg',
    expect: { kind: 'idle-cut', cutAfterMs: 1000, survivesMs: 2000 },
    harm: 'Without timeout tunnel the upgraded connection keeps the short client/server timeouts and an idle WebSocket is cut after 1s.',
  },
  {
    id: 'haproxy/ws-timeout-below-heartbeat',
    system: 'haproxy',
    bad: 'haproxy-tunnel-below-heartbeat.bad.cfg',
    good: 'haproxy-tunnel-below-heartbeat.good.cfg',
    expect: { kind: 'idle-cut', cutAfterMs: 1000, heartbeatMs: 1500, survivesMs: 2400 },
    harm: 'timeout tunnel below the heartbeat interval: HAProxy cuts the tunnel before the next ping.',
  },
  {
    id: 'haproxy/unknown-backend',
    system: 'haproxy',
    bad: 'haproxy-unknown-backend.bad.cfg',
    good: 'haproxy-unknown-backend.good.cfg',
    expect: { kind: 'refused-by-validator', message: /unable to find required use_backend: 'websockets'/ },
    harm: 'use_backend naming a backend that does not exist: HAProxy refuses the configuration.',
  },
  {
    id: 'haproxy/missing-timeouts',
    system: 'haproxy',
    bad: 'haproxy-missing-timeouts.bad.cfg',
    good: 'haproxy-missing-timeouts.good.cfg',
    expect: { kind: 'validator-warns', message: /missing timeouts for (frontend|backend)/ },
    harm: 'Without client/server/connect timeouts haproxy -c warns and connections never expire (idle or half-dead WebSockets pile up).',
  },
  {
    id: 'nginx/ip-hash-nat',
    system: 'nginx',
    bad: 'nginx-ip-hash.bad.conf',
    good: 'nginx-ip-hash.good.conf',
    expect: { kind: 'subnet-skew', subnet: '127.77.7', clients: 12 },
    harm: 'ip_hash keys IPv4 clients on their first three octets: a whole /24 (an office, a NAT pool, a CDN range) lands on one backend.',
  },
  {
    id: 'nginx/hash-not-consistent',
    system: 'nginx',
    bad: 'nginx-hash-map.bad.conf',
    good: 'nginx-hash-map.good.conf',
    expect: { kind: 'remap-on-add', clients: 40, badAbove: 0.5, goodBelow: 0.6 },
    harm: 'hash without consistent: adding one server moves most clients to another backend, so most WebSockets reconnect elsewhere.',
  },
  {
    id: 'nginx/ws-round-robin',
    system: 'nginx',
    bad: 'nginx-round-robin.bad.conf',
    good: 'nginx-round-robin.good.conf',
    expect: { kind: 'load-blind' },
    harm: 'Round robin ignores how many long-lived connections each backend holds: new WebSockets keep alternating even when one backend is nearly empty.',
  },
  {
    id: 'nginx/ws-no-worker-shutdown-timeout',
    system: 'nginx',
    bad: 'nginx-reload.bad.conf',
    good: 'nginx-reload.good.conf',
    expect: { kind: 'reload-lingers', afterMs: 1800 },
    scaleFix: { pattern: /worker_shutdown_timeout\s+[^;\s]+;/, replacement: 'worker_shutdown_timeout 1s;' },
    harm: 'Without worker_shutdown_timeout an nginx reload leaves the old worker running for as long as any WebSocket it holds stays open.',
  },
  {
    id: 'haproxy/ws-balance-roundrobin',
    system: 'haproxy',
    bad: 'haproxy-roundrobin.bad.cfg',
    good: 'haproxy-roundrobin.good.cfg',
    expect: { kind: 'load-blind' },
    harm: 'roundrobin ignores how many long-lived connections each server holds: new WebSockets keep alternating even when one server is nearly empty.',
  },
  {
    id: 'haproxy/source-not-consistent',
    system: 'haproxy',
    bad: 'haproxy-source-map.bad.cfg',
    good: 'haproxy-source-map.good.cfg',
    expect: { kind: 'remap-on-add', clients: 40, badAbove: 0.5, goodBelow: 0.6 },
    harm: 'balance source with the default map-based hash: adding one server moves most clients to another server.',
  },
  {
    id: 'haproxy/no-shutdown-sessions',
    system: 'haproxy',
    bad: 'haproxy-shutdown-sessions.bad.cfg',
    good: 'haproxy-shutdown-sessions.good.cfg',
    expect: { kind: 'down-keeps-sessions', afterMs: 1200 },
    harm: 'When health checks mark a server down, its established WebSockets stay attached to it unless on-marked-down shutdown-sessions is set.',
  },
  {
    id: 'haproxy/eager-health-check',
    system: 'haproxy',
    bad: 'haproxy-eager-check.bad.cfg',
    good: 'haproxy-eager-check.good.cfg',
    expect: { kind: 'brief-outage', outageMs: 500, afterMs: 600 },
    harm: 'With fall 1 and on-marked-down shutdown-sessions, one failed health check closes every WebSocket of a server that is only briefly unreachable.',
  },
  {
    id: 'haproxy/invalid-time-unit',
    system: 'haproxy',
    bad: 'haproxy-time-unit.bad.cfg',
    good: 'haproxy-time-unit.good.cfg',
    expect: { kind: 'validator-warns', message: /unexpected character 'i' after the timer value '15min'/ },
    harm: 'HAProxy reads 15min as 15m but warns that such values will be refused by later versions.',
  },
  {
    id: 'haproxy/no-hard-stop-after',
    system: 'haproxy',
    bad: 'haproxy-hard-stop.bad.cfg',
    good: 'haproxy-hard-stop.good.cfg',
    expect: { kind: 'reload-lingers', afterMs: 1800 },
    scaleFix: { pattern: /^(\s*)hard-stop-after\s+\S+$/m, replacement: '$1hard-stop-after 1s' },
    harm: 'Without hard-stop-after a reload leaves the old HAProxy process running for as long as any WebSocket it holds stays open.',
  },
  {
    id: 'haproxy/leastconn-no-slowstart',
    system: 'haproxy',
    bad: 'haproxy-slowstart.bad.cfg',
    good: 'haproxy-slowstart.good.cfg',
    expect: { kind: 'slowstart-burst', burst: 5, goodAtMost: 2 },
    harm: 'With leastconn a server that comes back holds no connection, so it takes every new connection until it has caught up with the others.',
  },
  {
    id: 'haproxy/server-no-check',
    system: 'haproxy',
    bad: 'haproxy-server-check.bad.cfg',
    good: 'haproxy-server-check.good.cfg',
    expect: { kind: 'dead-server', clients: 6 },
    harm: 'A server without check is never marked down: its share of new WebSocket handshakes keeps failing while it is dead.',
  },
  {
    id: 'nginx/ws-connection-hardcoded',
    system: 'nginx',
    bad: 'nginx-connection-hardcoded.bad.conf',
    good: 'nginx-connection-hardcoded.good.conf',
    expect: { kind: 'plain-request-connection' },
    harm: 'Upgrade and Connection both hard-coded in a location that also serves plain requests: every plain request reaches the backend as a WebSocket handshake and is refused (400).',
  },
  {
    id: 'nginx/upstream-no-zone',
    system: 'nginx',
    bad: 'nginx-no-zone.bad.conf',
    good: 'nginx-no-zone.good.conf',
    expect: { kind: 'per-worker-failures', maxClients: 40 },
    harm: 'Without zone each worker keeps its own copy of the upstream state (round-robin position, connection counts, failures): a dead server is discovered, and hit, by every worker separately.',
  },
  {
    id: 'haproxy/timeout-ignored',
    system: 'haproxy',
    bad: 'haproxy-timeout-ignored.bad.cfg',
    good: 'haproxy-timeout-ignored.good.cfg',
    expect: { kind: 'idle-cut', cutAfterMs: 1000, survivesMs: 2000 },
    harm: '`timeout tunnel` in a frontend is ignored: idle WebSockets are still cut at the 1s client/server timeouts.',
  },
  {
    id: 'haproxy/http-setting-in-tcp-mode',
    system: 'haproxy',
    bad: 'haproxy-http-setting-in-tcp-mode.bad.cfg',
    good: 'haproxy-http-setting-in-tcp-mode.good.cfg',
    expect: { kind: 'validator-warns', message: /cookie will be ignored for backend 'ws' \(needs 'mode http'\)/ },
    harm: 'In mode tcp HAProxy drops the `cookie` line with a warning: no stickiness, so the polling requests of one Socket.IO client are spread over the servers.',
  },
  {
    id: 'haproxy/rule-order',
    system: 'haproxy',
    bad: 'haproxy-rule-order.bad.cfg',
    good: 'haproxy-rule-order.good.cfg',
    expect: {
      kind: 'validator-warns',
      message: /a 'http-request' rule placed after a 'use_backend' rule will still be processed before/,
    },
    harm: 'HAProxy runs every http-request rule before any use_backend whatever the file order: a rule written after the routing also acts on the requests (and WebSocket upgrades) routed above it.',
  },
  {
    id: 'haproxy/acl-never-matches',
    system: 'haproxy',
    bad: 'haproxy-acl-never-matches.bad.cfg',
    good: 'haproxy-acl-never-matches.good.cfg',
    expect: {
      kind: 'validator-warns',
      message:
        /acl 'is_ws' will never match because it only involves keywords that are incompatible with 'frontend http-response header rule'/,
    },
    harm: "The request's Upgrade header is not available to an http-response rule: the acl never matches, so the response header meant for WebSocket upgrades is never set.",
  },
  {
    id: 'haproxy/frontend-no-bind',
    system: 'haproxy',
    bad: 'haproxy-frontend-no-bind.bad.cfg',
    good: 'haproxy-frontend-no-bind.good.cfg',
    expect: { kind: 'validator-warns', message: /frontend 'admin' has no 'bind' directive/ },
    harm: 'A frontend without bind listens nowhere: no client ever reaches it.',
  },
  {
    id: 'haproxy/log-format-ignored',
    system: 'haproxy',
    bad: 'haproxy-log-format-ignored.bad.cfg',
    good: 'haproxy-log-format-ignored.good.cfg',
    expect: { kind: 'validator-warns', message: /log format ignored for frontend 'fe' since it has no log address/ },
    harm: 'log global finds no log line in global: the httplog format is set, yet no request or WebSocket session is logged.',
  },
  {
    id: 'haproxy/capture-truncated',
    system: 'haproxy',
    bad: 'haproxy-capture-truncated.bad.cfg',
    good: 'haproxy-capture-truncated.good.cfg',
    expect: { kind: 'validator-warns', message: /truncating capture length to 63 bytes for frontend 'fe'/ },
    harm: 'A cookie capture longer than 63 bytes is cut to 63: the logged cookie is truncated.',
  },
  {
    id: 'haproxy/deprecated',
    system: 'haproxy',
    bad: 'haproxy-deprecated.bad.cfg',
    good: 'haproxy-deprecated.good.cfg',
    expect: {
      kind: 'validator-warns',
      message: /'option httpchk' : hiding headers or body at the end of the version string is deprecated/,
    },
    harm: 'A Host header hidden in the version word of option httpchk: 2.6 warns, 2.8 and later refuse to start.',
  },
  {
    id: 'haproxy/backend-mode-mismatch',
    system: 'haproxy',
    bad: 'haproxy-mode-mismatch.bad.cfg',
    good: 'haproxy-mode-mismatch.good.cfg',
    expect: { kind: 'refused-by-validator', message: /tries to use incompatible tcp backend 'ws'/ },
    harm: 'An HTTP frontend cannot hand its streams to a mode tcp backend: HAProxy refuses the configuration.',
  },
  {
    id: 'haproxy/ws-no-httpchk',
    system: 'haproxy',
    bad: 'haproxy-httpchk.bad.cfg',
    good: 'haproxy-httpchk.good.cfg',
    expect: { kind: 'stuck-server', clients: 6 },
    harm: 'A connect-only health check passes for an application that accepts TCP but no longer answers, so its share of new WebSockets fails.',
  },
  {
    id: 'nginx/upstream-keepalive-http10',
    system: 'nginx',
    bad: 'nginx-keepalive-http10.bad.conf',
    good: 'nginx-keepalive-http10.good.conf',
    expect: { kind: 'keepalive-reuse', requests: 5 },
    harm: 'keepalive in the upstream over HTTP/1.0: the backend closes after every response, so every request opens a new connection.',
  },
  {
    id: 'nginx/worker-connections-low',
    system: 'nginx',
    bad: 'nginx-worker-connections.bad.conf',
    good: 'nginx-worker-connections.good.conf',
    expect: { kind: 'connection-cap', clients: 12 },
    harm: "Each proxied WebSocket holds two of the worker's connections (client and upstream) for its whole life, so worker_connections caps open WebSockets at about half its value.",
  },
  {
    id: 'nginx/ws-send-timeout',
    system: 'nginx',
    bad: 'nginx-send-timeout.bad.conf',
    good: 'nginx-send-timeout.good.conf',
    expect: { kind: 'backend-stall', stallMs: 3000 },
    harm: 'A backend that stops reading for longer than proxy_send_timeout while the client sends loses its WebSockets (closed without a close frame).',
  },
  {
    id: 'haproxy/ws-server-maxconn',
    system: 'haproxy',
    bad: 'haproxy-server-maxconn.bad.cfg',
    good: 'haproxy-server-maxconn.good.cfg',
    expect: { kind: 'maxconn-queue', websockets: 2 },
    harm: "Each open WebSocket holds one of its server's maxconn slots for its whole life: once they are taken, a plain request to the same backend waits in the queue and gets 503.",
  },
];

/**
 * Rules of the registry with no live case, and why. Every nginx and HAProxy rule is either in CASES
 * or here (test/live/coverage.test.ts checks it); the report lists both.
 */
export interface NotLive {
  id: string;
  /** Why there is no bad/fixed pair to run, in one or two sentences. */
  reason: string;
  /** The key of the live claim (claims.test.ts, `claims` in the report) that settles what the rule says. */
  claim?: string;
}

export const NOT_LIVE: NotLive[] = [];

/** Why rules for AWS load balancers have no live case. */
export const AWS_NOT_LIVE =
  'AWS ALB/NLB are managed services: they cannot be started on loopback, so no harm can be shown on one machine; the rules rest on AWS documentation and the simulator models it.';

export function fixtureText(file: string): string {
  return fs.readFileSync(path.join(FIXTURES, file), 'utf8');
}

export function badText(c: LiveCase): string {
  return fixtureText(c.bad);
}

/** The config after the fix. Switch point: later `applyWslbFix(badText(c), c.id)`. */
export function goodText(c: LiveCase): string {
  return fixtureText(c.good);
}
