/**
 * WebSocket notes for the directives and keywords that matter to long-lived connections: what goes
 * wrong, why, what to do. Our own words; the facts come from the nginx and HAProxy documentation
 * (https://nginx.org/en/docs/, https://docs.haproxy.org/2.6/configuration.html), the nginx 1.22.1 /
 * HAProxy 2.6 sources, and what the live suite observed (docs/live-findings.md). Where the source
 * material is imprecise, the note says what the binaries actually do.
 *
 * Hovers, completion details and the notes test all read this table (one source of truth). A note
 * that states a default lists it in `defaults`, and test/docs/notes.test.ts checks each against the
 * knowledge base for that version.
 *
 * Keys: nginx directives by name ("proxy_read_timeout"); nginx upstream `server` parameters as
 * "server:<param>" ("server:max_fails"); HAProxy keywords as the manual names them ("timeout
 * tunnel", "option httpchk"); balance algorithms as "balance <algorithm>"; HAProxy server options
 * as "server:<option>".
 */
import type { SourceSection } from './sections';

export interface WsNote {
  system: 'nginx' | 'haproxy';
  key: string;
  /** Markdown: what goes wrong, why, what to do. The hover appends "Source: <section>". */
  text: string;
  section: SourceSection;
  /** Defaults the text states, per target version (checked against the knowledge base). */
  defaults?: { version: string; value: string; family?: 'http' | 'stream' | 'main' }[];
}

const L4L7: SourceSection = 'L4 vs L7 for WebSocket';
const STICKY: SourceSection = 'Sticky sessions and balancing algorithms';
const DRAIN: SourceSection = 'Health checks and connection draining';
const PROD: SourceSection = 'Production config: nginx + AWS ALB';

const n = (key: string, section: SourceSection, text: string, defaults?: WsNote['defaults']): WsNote => ({
  system: 'nginx',
  key,
  text,
  section,
  defaults,
});
const h = (key: string, section: SourceSection, text: string): WsNote => ({ system: 'haproxy', key, text, section });

export const WS_NOTES: readonly WsNote[] = [
  // ---------------------------------------------------------------- nginx: the proxied request
  n(
    'proxy_http_version',
    L4L7,
    'nginx talks HTTP/1.0 to the backend unless told otherwise: the default is `1.0` up to nginx 1.29.6 and `1.1` from 1.29.7. ' +
      'A WebSocket handshake must be an HTTP/1.1 GET (RFC 6455 §4.1), so with 1.0 a strict backend refuses the upgrade (400) while lenient ones such as Node `ws` accept it; ' +
      'HTTP/1.0 also rules out upstream `keepalive`. Set `proxy_http_version 1.1;` in every location that proxies WebSockets.',
    [
      { version: '1.22.1', value: '1.0', family: 'http' },
      { version: '1.29.7', value: '1.1', family: 'http' },
    ],
  ),
  n(
    'proxy_set_header',
    L4L7,
    'nginx does not pass the hop-by-hop `Upgrade` and `Connection` headers to the backend on its own: it sends `Connection: close` and drops `Upgrade`, so the backend sees a plain GET (the live suite got 426). ' +
      'Forward them with `proxy_set_header Upgrade $http_upgrade;` and `proxy_set_header Connection $connection_upgrade;` (a `map` on `$http_upgrade`). ' +
      'Beware inheritance: a level that sets any `proxy_set_header` discards every one inherited from outer levels, so a location adding `X-Forwarded-For` loses the server-level `Upgrade`/`Connection`.',
  ),
  n(
    'proxy_read_timeout',
    PROD,
    'On an upgraded connection this is the idle timeout: nginx closes both sides, without a WebSocket close frame (clients see 1006), once nothing has moved in either direction for this long. ' +
      'The default is `60s`. Traffic in either direction re-arms it, so a heartbeat from the client or the server keeps the connection open as long as its interval is below this value; ' +
      'leave room for a late or lost ping (nginx may also fire up to 300 ms early). The close is logged only at `info` level.',
    [{ version: '1.22.1', value: '60s', family: 'http' }],
  ),
  n(
    'proxy_send_timeout',
    PROD,
    'Despite the name it does not cut idle WebSockets: on an upgraded connection the timer runs only while a write to the backend is blocked (the backend stopped reading). ' +
      'The default `60s` is usually fine; the idle limit that must exceed the heartbeat is `proxy_read_timeout`.',
    [{ version: '1.22.1', value: '60s', family: 'http' }],
  ),
  n(
    'proxy_connect_timeout',
    DRAIN,
    'Bounds only the TCP connect to a backend (default `60s`); it plays no part once a WebSocket is open. ' +
      'During a deploy or a backend crash a long value makes each new handshake wait that long before nginx tries the next server; a few seconds is typical.',
    [{ version: '1.22.1', value: '60s' }],
  ),
  n(
    'proxy_buffering',
    PROD,
    'The source material says `proxy_buffering off` matters for WebSocket; in nginx it does not. After the 101 response nginx relays bytes itself with one `proxy_buffer_size` buffer per direction and never uses response buffering (the live suite measured no difference, and 1 MiB frames pass either way). ' +
      'The default `on` only affects ordinary HTTP responses of the same location. Keep `off` where the location also serves server-sent events, long polling (the Socket.IO and SockJS fallbacks) or other streamed responses: they need it to reach the client at once. It costs the WebSocket nothing either way.',
    [{ version: '1.22.1', value: 'on', family: 'http' }],
  ),
  n(
    'proxy_pass',
    L4L7,
    'Sends the request to a backend or an `upstream` group. For WebSockets use the `http://` (or `https://`) scheme — `ws://` is rejected by `nginx -t` — and pair it with `proxy_http_version 1.1` and the `Upgrade`/`Connection` headers. ' +
      "The upgraded connection stays on the server chosen at handshake time for its whole life, so the upstream's balancing method decides where long-lived load lands.",
  ),
  n(
    'map',
    L4L7,
    "The usual companion of WebSocket proxying: `map $http_upgrade $connection_upgrade { default upgrade; '' close; }` sends `Connection: upgrade` only for upgrade requests and `close` otherwise. " +
      'Using `$connection_upgrade` without defining it makes `nginx -t` fail with `unknown "connection_upgrade" variable`; hard-coding `Connection "upgrade"` instead also marks plain HTTP requests as upgrades. `map` belongs in `http`.',
  ),
  // ---------------------------------------------------------------- nginx: upstream groups
  n(
    'upstream',
    STICKY,
    'A group of backends. A WebSocket is balanced once, at the handshake, and then stays on that server for hours, so the method here (round robin by default) decides how long-lived load spreads and where a reconnecting client lands. ' +
      'Round robin suits only stateless backends; prefer `least_conn` with shared state (e.g. Redis pub/sub), or a hash when clients must return to the same server. Add `zone` when nginx runs several workers.',
  ),
  n(
    'least_conn',
    STICKY,
    'Sends each new connection to the server with the fewest active ones (weights considered). For WebSockets this evens out long-lived connections that round robin would pile up, but a reconnecting client may land anywhere, so session state must live outside the process. ' +
      'Without a `zone`, every worker counts only its own connections.',
  ),
  n(
    'ip_hash',
    STICKY,
    'Pins clients to a server by the first three octets of their IPv4 address (the whole IPv6 address). Simple stickiness, but everyone behind one NAT, corporate proxy or CDN — often thousands of WebSocket clients — shares a /24 and lands on one server. ' +
      "Removing a server remaps clients; mark it `down` instead to keep the others' mapping. Consider `hash ... consistent` on a better key, or `least_conn` with shared state.",
  ),
  n(
    'hash',
    STICKY,
    'Chooses the server from a hash of the key (e.g. `$remote_addr`, `$arg_room`). Without `consistent` nginx takes the hash modulo the total weight, so adding or removing one server remaps most clients — after a deploy most WebSocket clients reconnect to a server without their state. ' +
      'Add `consistent` (ketama) so only about 1/N of the keys move.',
  ),
  n(
    'random',
    STICKY,
    'Picks a server at random (weighted); `random two least_conn` picks two and takes the less loaded, which balances long-lived WebSockets well across many workers or balancers. It gives no stickiness, and nginx seeds it per worker so picks are not reproducible. ' +
      'Use it with a `zone` when nginx runs several workers.',
  ),
  n(
    'keepalive',
    PROD,
    'Keeps idle connections to the backends open for reuse by ordinary HTTP requests (before nginx 1.29.7 there is no cache unless this is set). It needs `proxy_http_version 1.1` and a cleared `Connection` header for those requests. ' +
      'It does not apply to WebSockets: an upgraded connection is never returned to the cache, and it does not count against this limit.',
  ),
  n(
    'zone',
    STICKY,
    "Puts the group's state in shared memory so every worker sees the same connection counts, failures and round-robin position. Without it each worker balances alone: with several workers `least_conn` and round robin can stack long-lived WebSockets on one server, " +
      'and `max_fails` is counted per worker.',
  ),
  n(
    'server',
    DRAIN,
    'In an `upstream`: one backend and its parameters — `weight=` (default 1), `max_fails=` (default 1), `fail_timeout=` (default 10s), `backup`, `down`, `max_conns=`. Open-source nginx has no active health checks and no `slow_start` (NGINX Plus only): it learns a server is bad only when real requests fail. ' +
      'To drain a server for a deploy, mark it `down` and reload; existing WebSockets stay with the old workers until they close or `worker_shutdown_timeout` ends them.',
  ),
  n(
    'server:weight',
    STICKY,
    'Relative share of new connections (default 1). With WebSockets the weight applies to connections, not to traffic: a server with weight 2 gets twice as many long-lived sockets, whatever they carry.',
  ),
  n(
    'server:max_fails',
    DRAIN,
    'How many failed attempts within `fail_timeout` mark the server unavailable for `fail_timeout` (default 1; `0` disables the accounting). Failures are counted from real requests — there is no active health check in open-source nginx — and per worker unless the upstream has a `zone`. ' +
      'A server that accepts TCP but refuses new WebSockets is not detected this way.',
  ),
  n(
    'server:fail_timeout',
    DRAIN,
    'Both the window in which `max_fails` failures are counted and how long the server is then skipped (default 10s). After it nginx tries the server again with live traffic; with many reconnecting WebSocket clients that probe can be a burst.',
  ),
  n(
    'server:backup',
    DRAIN,
    'Receives connections only when every primary server is unavailable. WebSockets that failed over to a backup stay there after the primaries recover, until they reconnect. Not allowed with `hash`, `ip_hash` and `random`.',
  ),
  n(
    'server:down',
    DRAIN,
    "Marks the server permanently unavailable — the way to drain it before a deploy: new connections go elsewhere after a reload, while WebSockets already open keep running in the old worker processes until they end (see `worker_shutdown_timeout`). With `ip_hash` it keeps the other clients' mapping intact.",
  ),
  n(
    'server:max_conns',
    DRAIN,
    'Caps the active connections to the server (default 0, no limit). Each WebSocket holds one for its whole life, so the cap is reached by idle sockets; without a `zone` it applies per worker.',
  ),
  // ---------------------------------------------------------------- nginx: process limits
  n(
    'worker_connections',
    PROD,
    'Maximum simultaneous connections per worker, counting both the client side and the backend side: each proxied WebSocket uses two. The default `512` therefore allows about 256 WebSockets per worker. ' +
      'Raise it (and `worker_rlimit_nofile` / the system file limit) to the number of sockets you expect.',
    [{ version: '1.22.1', value: '512', family: 'main' }],
  ),
  n(
    'worker_rlimit_nofile',
    PROD,
    'Raises the open-file limit of the worker processes. Every WebSocket costs two descriptors (client and backend), so `worker_connections` above the process\'s file limit fails with "Too many open files" under load. Set it to at least twice the expected WebSockets per worker.',
  ),
  n(
    'worker_shutdown_timeout',
    DRAIN,
    'After a reload or graceful stop, old workers keep serving their open connections; WebSockets rarely end on their own, so without this setting (the default) old workers can live for days, holding memory and the old configuration. ' +
      'Set it so the old workers close the remaining connections after a bounded time, and let clients reconnect with backoff and jitter.',
  ),
  // ---------------------------------------------------------------- HAProxy: proxies and modes
  h(
    'mode',
    L4L7,
    "`mode http` understands the upgrade: HAProxy forwards the handshake, then switches the connection to a tunnel governed by `timeout tunnel`. `mode tcp` (HAProxy's default when nothing sets a mode) passes the WebSocket at layer 4: no routing by path or header, and the idle limits are `timeout client`/`server` unless `timeout tunnel` is set. " +
      'Frontend and backend must use the same mode.',
  ),
  h(
    'balance',
    STICKY,
    'The algorithm applies once per WebSocket, at the handshake; afterwards the connection stays on that server. The default `roundrobin` spreads connections but not their lifetimes, so long-lived sockets pile up unevenly; prefer `leastconn`, or a hash (`source`, `uri`, `hdr(...)`) with `hash-type consistent` when a client must return to the same server.',
  ),
  h(
    'balance roundrobin',
    STICKY,
    'Dynamic weighted round robin, the default. Fine for short HTTP requests, poor for WebSockets: connections are counted, not their lifetimes, and a reconnecting client lands on any server. Use `leastconn` for long sessions.',
  ),
  h(
    'balance static-rr',
    STICKY,
    'Round robin with weights fixed at start-up (no slow start, weights cannot change at run time). Same drawback as `roundrobin` for long-lived WebSockets.',
  ),
  h(
    'balance leastconn',
    STICKY,
    "Picks the server with the fewest current connections — HAProxy's recommendation for long sessions, and a good default for WebSockets when state is shared outside the process. Pair it with `slowstart` so a server that comes back up is not flooded by every reconnecting client at once.",
  ),
  h(
    'balance first',
    STICKY,
    'Fills the first server up to its `maxconn`, then the next. With WebSockets servers stay full for hours; it suits saving machines, not spreading load, and needs `maxconn` on each server.',
  ),
  h(
    'balance source',
    STICKY,
    'Hashes the client address: the HAProxy counterpart of nginx `ip_hash`, with the same NAT problem (many clients behind one address land on one server). By default the hash is map-based, so a server change remaps most clients; add `hash-type consistent`.',
  ),
  h(
    'balance uri',
    STICKY,
    'Hashes the request URI (or part of it): sticky per path, e.g. one WebSocket room per URI. Add `hash-type consistent` so a server change moves few rooms.',
  ),
  h(
    'balance url_param',
    STICKY,
    'Hashes a query-string parameter (e.g. a user or room id) — stickiness by identity rather than address. Falls back to round robin when the parameter is missing; add `hash-type consistent`.',
  ),
  h(
    'balance hdr',
    STICKY,
    'Hashes a request header (e.g. `hdr(X-User)`): stickiness by identity even behind NAT. Falls back to round robin when the header is missing; add `hash-type consistent`.',
  ),
  h(
    'balance random',
    STICKY,
    'Weighted random choice; `random(2)` (the default draw count) picks two servers and keeps the less loaded one, which balances long-lived connections well. In HAProxy 2.6 the generator starts from a fixed state, so a fresh process draws the same sequence.',
  ),
  h('balance rdp-cookie', STICKY, 'Hashes an RDP cookie; meant for Remote Desktop in `mode tcp`, not for WebSockets.'),
  h(
    'hash-type',
    STICKY,
    'How hash-based algorithms map keys to servers. The default `map-based` takes the hash modulo the total weight: adding, removing or losing one server remaps most clients, so many WebSockets reconnect to servers without their state. ' +
      '`consistent` moves only about 1/N of the keys (in 2.6, `consistent` with no function also applies the avalanche modifier).',
  ),
  // ---------------------------------------------------------------- HAProxy: timeouts
  h(
    'timeout tunnel',
    PROD,
    'The idle timeout of an established WebSocket (after the 101, or any tunnel): once set it replaces `timeout client` and `timeout server`, even when it is longer. Without it the shorter of those two cuts idle WebSockets (clients see 1006). ' +
      'It has no default, and `0` means unset, not infinite. Set it above the heartbeat with margin, e.g. `timeout tunnel 1h`.',
  ),
  h(
    'timeout client',
    PROD,
    'Client-side inactivity timeout. Until `timeout tunnel` is set it also applies to established WebSockets, together with `timeout server` — the shorter wins. Keep it short for HTTP and set `timeout tunnel` for WebSockets. Leaving it unset makes `haproxy -c` warn.',
  ),
  h(
    'timeout server',
    PROD,
    'Server-side inactivity timeout. Until `timeout tunnel` is set it also bounds established WebSockets (the shorter of `client` and `server` wins). Set `timeout tunnel` rather than stretching this one, which would also delay detection of stuck HTTP responses.',
  ),
  h(
    'timeout connect',
    DRAIN,
    'Maximum time to establish the TCP connection to a server. It plays no part once a WebSocket is open; with health checks and `option redispatch` a short value (a few seconds) moves handshakes away from a dead server quickly.',
  ),
  h(
    'timeout client-fin',
    PROD,
    'Inactivity timeout on the client side once one direction is closed (half-closed connection); it can override `timeout tunnel`. In `mode tcp` it frees connections of clients that vanished after the server closed, which would otherwise live for the whole tunnel timeout. ' +
      "In `mode http` the live suite saw no effect on upgraded WebSockets (HAProxy ends the stream at the server's FIN); there, `timeout server-fin` is the useful one.",
  ),
  h(
    'timeout server-fin',
    PROD,
    'Inactivity timeout on the server side once one direction is closed. For an upgraded WebSocket in `mode http` this is what ends a connection whose client sent FIN while the backend ignores it; without it the tunnel timeout applies.',
  ),
  h(
    'timeout http-keep-alive',
    L4L7,
    'How long an idle keep-alive HTTP connection waits for the next request (falls back to `timeout http-request` when unset). It does not apply after a WebSocket upgrade: from then on `timeout tunnel` (or client/server) rules.',
  ),
  // ---------------------------------------------------------------- HAProxy: health checks and draining
  h(
    'option httpchk',
    DRAIN,
    'Turns `check` into an HTTP request (e.g. `GET /health`). Without it a check is only a TCP connect, which passes while the application is overloaded or refusing WebSockets. Point it at an endpoint that fails when the server should take no new connections — e.g. a health page that returns 503 while the server drains.',
  ),
  h(
    'http-check',
    DRAIN,
    'Details of the HTTP health check (`http-check send`, `http-check expect status 200`). Make the check reflect whether the server can take new WebSockets (memory, descriptors, draining), not only whether its port answers.',
  ),
  h(
    'server:check',
    DRAIN,
    'Enables health checks (every 2s by default, 3 failures to mark down, 2 successes to mark up). Without it HAProxy keeps sending handshakes to a dead server. Marking a server down does not close its established WebSockets unless `on-marked-down shutdown-sessions` is set.',
  ),
  h(
    'server:slowstart',
    DRAIN,
    'After a server comes back up, its weight and connection limit grow linearly over this time instead of jumping to 100%. With `leastconn` a recovered, empty server would otherwise take every reconnecting WebSocket client at once. It never applies when HAProxy starts, only after the server was seen down; keep `inter` well below it.',
  ),
  h(
    'server:weight',
    STICKY,
    'Relative share of new connections (default 1, 0 to 256). For WebSockets it shares sockets, not traffic; with `slowstart` the effective weight ramps up after recovery.',
  ),
  h(
    'server:maxconn',
    DRAIN,
    'Caps concurrent connections to the server; excess ones queue in the backend. Every WebSocket holds a slot for its whole life, so idle sockets can fill it and handshakes then wait in the queue until `timeout queue`. Size it to the sockets a server can hold.',
  ),
  h(
    'server:backup',
    DRAIN,
    'Used only when no primary server is up (all backups with `option allbackups`). WebSockets that failed over stay on the backup after the primaries recover, unless the primaries use `on-marked-up shutdown-backup-sessions`.',
  ),
  h(
    'server:on-marked-down',
    DRAIN,
    '`on-marked-down shutdown-sessions` closes every connection to a server as soon as health checks mark it down. By default established WebSockets keep talking to a server that fails its checks. Use it so clients reconnect to healthy servers quickly — with client-side backoff and jitter, since they all reconnect at once.',
  ),
  h(
    'hard-stop-after',
    DRAIN,
    'Caps how long an old process may live after a reload (soft stop). Without it (the default) old processes keep running as long as any WebSocket stays open — possibly days — holding memory and the old configuration. Set it to the drain time you accept; clients then reconnect.',
  ),
  h(
    'close-spread-time',
    DRAIN,
    'During a soft stop, spreads the closing of idle and active HTTP connections over this window instead of doing it at once, avoiding a reconnect storm. Keep it below `hard-stop-after`; established WebSockets are still ended by `hard-stop-after`.',
  ),
  h(
    'option http-server-close',
    L4L7,
    'Closes the server-side connection after each HTTP response, keeping the client side alive. It does not break WebSockets — after a 101 HAProxy switches to a tunnel — but it prevents server-side connection reuse for ordinary requests; it is rarely needed since HAProxy 2.x.',
  ),
  h(
    'option forwardfor',
    STICKY,
    'Adds `X-Forwarded-For` with the client address to requests, including the WebSocket handshake, so backends see the real client (useful for logging and for application-level stickiness). HAProxy itself still balances on what it sees; behind a CDN or another balancer `balance source` sees only that hop.',
  ),
  h(
    'stick-table',
    STICKY,
    'Memory table for stickiness or rate tracking. With `stick on src` a client returns to the server it used before — for WebSockets, across reconnects — unlike a cookie, it works for non-browser clients too. Entries expire after `expire`; keep it longer than the typical reconnect gap.',
  ),
  h(
    'stick on',
    STICKY,
    'Records and matches the server chosen for a key (e.g. `stick on src`) in a `stick-table`, so reconnecting WebSocket clients return to the same server. Behind NAT it shares one server among many clients, like `balance source`.',
  ),
  h(
    'cookie',
    STICKY,
    'Cookie-based stickiness: HAProxy sets or reads a cookie naming the server. Browsers send it with the WebSocket handshake, so a reconnect lands on the same server while it is up; non-browser clients must keep the cookie themselves.',
  ),
  h(
    'default-server',
    DRAIN,
    'Options every later `server` line of the section (or of proxies using these defaults) starts from. A good place for the WebSocket-friendly trio `check inter 2s slowstart 30s` and, where wanted, `on-marked-down shutdown-sessions`.',
  ),
];

const index = new Map<string, WsNote>();
for (const note of WS_NOTES) index.set(`${note.system}\0${note.key}`, note);

export function wsNote(system: 'nginx' | 'haproxy', key: string): WsNote | undefined {
  return index.get(`${system}\0${key}`);
}
