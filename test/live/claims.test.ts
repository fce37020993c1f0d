/**
 * Claims settled with the real binaries (nginx 1.22, HAProxy 2.6). Each test asserts what was
 * observed; docs/live-findings.md states the same results in prose with the figures.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import {
  LiveClient,
  binaryGate,
  delay,
  freePort,
  now,
  openWs,
  openWsOk,
  rawWsConnect,
  requireBinaries,
  startBackend,
  startHaproxy,
  startNginx,
  startRawBackend,
  stopAll,
  validateHaproxy,
  waitFor,
  type Balancer,
} from './harness';
import { recordClaim, recordNote, writeReport } from './report';

const map = `map $http_upgrade $connection_upgrade { default upgrade; '' close; }`;

function nginxWs(locationExtra: string, serverExtra = ''): string {
  return `events {}
http {
  ${map}
  server {
    listen 127.0.0.1:@LISTEN@;
    ${serverExtra}
    location /ws {
      proxy_pass http://127.0.0.1:@B1@;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      ${locationExtra}
    }
  }
}
`;
}

function haproxyWs(timeouts: string, mode: 'http' | 'tcp' = 'http'): string {
  return `global
  log stderr format raw local0 info
defaults
  mode ${mode}
  log global
  option ${mode === 'http' ? 'httplog' : 'tcplog'}
  timeout connect 1s
${timeouts
  .split(';')
  .map((t) => t.trim())
  .filter(Boolean)
  .map((t) => `  timeout ${t}`)
  .join('\n')}
frontend fe
  bind 127.0.0.1:@LISTEN@
  default_backend be
backend be
  server b1 127.0.0.1:@B1@
`;
}

async function nginxWith(
  text: string,
  backend: { port: number },
): Promise<{ bal: Balancer; url: string; port: number }> {
  const port = await freePort();
  const bal = await startNginx(text, { LISTEN: port, B1: backend.port }, [port]);
  return { bal, port, url: `ws://127.0.0.1:${port}/ws` };
}

async function haproxyWith(
  text: string,
  backend: { port: number },
): Promise<{ bal: Balancer; url: string; port: number }> {
  const port = await freePort();
  const bal = await startHaproxy(text, { LISTEN: port, B1: backend.port }, [port]);
  return { bal, port, url: `ws://127.0.0.1:${port}/ws` };
}

/** HAProxy's log line for the (single) proxied request, once the stream has ended. */
async function haproxyLogLine(
  bal: Balancer,
  timeoutMs = 2000,
): Promise<{ line: string; totalMs: number; flags: string }> {
  const m = await waitFor(
    () =>
      /\] fe be\/b1 (?:\S+\/)*(-?\d+) (?:\d{3} )?\d+ (?:\S+ \S+ )?([-\w]{2})/.exec(
        bal
          .output()
          .split('\n')
          .find((l) => / 101 |"GET /.test(l) && l.includes('be/b1')) ?? '',
      ),
    {
      timeoutMs,
      label: 'HAProxy log line',
    },
  );
  return { line: m.input.trim(), totalMs: Number(m[1]), flags: m[2] };
}

const round = (n: number) => Math.round(n);

/** Status of a plain GET on loopback (no agent: a fresh client connection each time). */
function httpGet(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 3000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('plain request timed out')));
    req.on('error', reject);
  });
}

describe('live: claims settled with nginx 1.22 and HAProxy 2.6', function () {
  this.timeout(15000);

  before(function () {
    const gate = binaryGate(['nginx', 'haproxy']);
    if (gate.action !== 'run') recordNote(`claims not settled: ${gate.reason}`);
    requireBinaries(this, ['nginx', 'haproxy']);
  });
  afterEach(stopAll);
  after(async () => {
    await stopAll();
    writeReport();
  });

  describe('nginx: proxy_buffering on an upgraded connection', () => {
    it('changes nothing: small messages arrive at once and 1 MiB frames pass both ways, with buffering on or off', async () => {
      const figures: Record<string, number | boolean> = {};
      for (const setting of ['on', 'off'] as const) {
        const backend = await startBackend({ name: `buf-${setting}` });
        // proxy_buffer_size 4k: the upgraded tunnel relays through buffers of this size (see findings).
        const { url } = await nginxWith(nginxWs(`proxy_buffering ${setting}; proxy_buffer_size 4k;`), backend);
        const client = await openWsOk(url);
        await client.waitIdentity();
        // 5 small server-initiated messages, 50 ms apart: measure send→receive latency.
        const latencies: number[] = [];
        for (let i = 0; i < 5; i++) {
          const before = client.messages.length;
          const sentAt = now();
          backend.broadcast(`tick-${i}`);
          await client.waitMessages(before + 1, 1000);
          const got = client.messages[before];
          assert.ok(got && got.data === `tick-${i}`, `tick-${i} delivered with proxy_buffering ${setting}`);
          latencies.push(got.at - sentAt);
          await delay(50);
        }
        // 1 MiB frame from the backend, and 1 MiB from the client echoed back.
        const big = 'x'.repeat(1024 * 1024 - 8) + 'end-mark';
        const digest = createHash('sha1').update(big).digest('hex');
        let before = client.messages.length;
        let t = now();
        backend.broadcast(big);
        await client.waitMessages(before + 1, 3000);
        const down = client.messages[before];
        assert.ok(down, `1 MiB backend→client frame delivered (buffering ${setting})`);
        assert.equal(createHash('sha1').update(down.data).digest('hex'), digest, 'frame intact');
        const downMs = down.at - t;
        before = client.messages.length;
        t = now();
        client.send(big);
        await client.waitMessages(before + 1, 3000);
        const echoed = client.messages[before];
        assert.ok(echoed, `1 MiB client→backend frame echoed (buffering ${setting})`);
        assert.equal(echoed.data.length, big.length);
        const maxLatency = Math.max(...latencies);
        assert.ok(
          maxLatency < 100,
          `small messages are not held back (max ${maxLatency.toFixed(1)} ms, buffering ${setting})`,
        );
        figures[`buffering_${setting}_max_small_latency_ms`] = Number(maxLatency.toFixed(2));
        figures[`buffering_${setting}_1MiB_down_ms`] = round(downMs);
        figures[`buffering_${setting}_1MiB_roundtrip_ms`] = round(echoed.at - t);
        client.close();
        await stopAll();
      }
      recordClaim('nginx-proxy-buffering', {
        claim: 'Does proxy_buffering on/off change anything for an upgraded WebSocket in nginx 1.22?',
        system: 'nginx',
        observed:
          'No: with proxy_buffering on and off alike, backend messages reach the client at once and 1 MiB frames pass intact in both directions through a 4k proxy_buffer_size.',
        figures,
      });
    });
  });

  describe('nginx: Connection "upgrade" hard-coded beside Upgrade $http_upgrade, with upstream keepalive', () => {
    it("plain requests still share one upstream connection; the canonical map ('' close) opens one per request", async () => {
      const figures: Record<string, number> = {};
      const variants = {
        hardcoded: 'proxy_set_header Connection "upgrade";',
        map_close: 'proxy_set_header Connection $connection_upgrade;',
      };
      for (const [name, line] of Object.entries(variants)) {
        const backend = await startBackend({ name: `ka-${name}`, plain: 'ok' });
        const text = `events {}
http {
  ${map}
  upstream app { server 127.0.0.1:@B1@; keepalive 4; }
  server {
    listen 127.0.0.1:@LISTEN@;
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      ${line}
    }
  }
}
`;
        const { port, url } = await nginxWith(text, backend);
        for (let i = 0; i < 5; i++)
          assert.equal(await httpGet(port, `/api/${i}`), 200, `plain request ${i} served (${name})`);
        const seen = backend.plainRequests.map((q) => String(q.headers.connection ?? '(none)'));
        assert.equal(seen.length, 5);
        figures[`${name}_upstream_connections_for_5_requests`] = backend.tcpConnections();
        if (name === 'hardcoded')
          assert.deepEqual([...new Set(seen)], ['upgrade'], 'the backend saw Connection: upgrade');
        const client = await openWsOk(url);
        await client.waitIdentity();
        client.close();
        await stopAll();
      }
      assert.equal(
        figures.hardcoded_upstream_connections_for_5_requests,
        1,
        'keep-alive works with the hard-coded value',
      );
      assert.equal(figures.map_close_upstream_connections_for_5_requests, 5, "the map's close defeats keep-alive");
      recordClaim('nginx-connection-upgrade-keepalive', {
        claim:
          'Does a hard-coded Connection "upgrade" (with Upgrade $http_upgrade) defeat upstream keepalive for plain requests?',
        system: 'nginx',
        observed:
          "No: 5 plain requests reached the backend with Connection: upgrade over one upstream connection (nginx decides reuse from the response). The canonical map's '' close value opened one connection per request; a WebSocket upgraded in both.",
        figures,
      });
    });
  });

  describe('nginx: two proxy_set_header Connection lines in one location', () => {
    it('sends both headers: the stray pasted value rides along and the WebSocket still upgrades', async () => {
      const backend = await startBackend({ name: 'dup-connection', plain: 'ok' });
      const { url, port } = await nginxWith(nginxWs('proxy_set_header Connection “”;'), backend);
      const client = await openWsOk(url);
      await client.waitIdentity();
      client.close();
      const upgrade = String(backend.connections[0].headers.connection);
      assert.equal(await httpGet(port, '/ws/page'), 200);
      const plain = String(backend.plainRequests[0].headers.connection);
      // Node joins repeated Connection headers with ", "; the typographic quotes arrive as UTF-8 bytes read as latin1
      assert.match(upgrade, /^upgrade, \S+$/);
      assert.match(plain, /^close, \S+$/);
      recordClaim('nginx-duplicate-connection-header', {
        claim:
          'What does nginx send when a location has `Connection $connection_upgrade` and a second `Connection “”` line?',
        system: 'nginx',
        observed: `Both headers, in line order: the handshake reached the backend with Connection "${upgrade}" and upgraded (101); a plain request with Connection "${plain}".`,
        figures: {},
      });
    });
  });

  describe('nginx: proxy_read_timeout on an upgraded connection', () => {
    it('closes both sides with a plain TCP close (1006, no close frame) after the timeout of silence', async () => {
      const backend = await startBackend({ name: 'silent', mode: 'silent' });
      const { bal, url } = await nginxWith(nginxWs('proxy_read_timeout 1s;'), backend);
      const client = await openWsOk(url);
      await client.waitIdentity();
      const closed = await client.waitClose(2500);
      assert.ok(closed, 'closed by nginx');
      assert.equal(closed.code, 1006, 'no WebSocket close frame reached the client');
      // nginx re-arms a timer only when it moves by 300 ms or more (NGX_TIMER_LAZY_DELAY,
      // src/event/ngx_event_timer.h), so the close can come up to 300 ms before timeout-after-last-byte.
      assert.ok(
        closed.sinceLastActivityMs > 650 && closed.sinceLastActivityMs < 1800,
        `after ${round(closed.sinceLastActivityMs)} ms`,
      );
      const conn = backend.connections[0];
      await waitFor(() => conn.closed, { timeoutMs: 1000, label: 'backend side closed' });
      assert.equal(conn.closed!.code, 1006, 'the backend side is closed too, also without a close frame');
      const logLine = await waitFor(
        () =>
          bal
            .output()
            .split('\n')
            .find((l) => l.includes('while proxying upgraded connection')),
        {
          timeoutMs: 1000,
          label: 'error log line',
        },
      );
      assert.match(logLine, /upstream timed out \(110: Connection timed out\) while proxying upgraded connection/);
      recordClaim('nginx-read-timeout-close', {
        claim: 'What exactly does nginx 1.22 do when proxy_read_timeout expires on an upgraded connection?',
        system: 'nginx',
        observed:
          'It closes the client and the upstream connections with no WebSocket close frame (both ends see 1006) and logs "upstream timed out (110: Connection timed out) while proxying upgraded connection" at info level.',
        figures: {
          proxy_read_timeout_ms: 1000,
          client_closed_after_idle_ms: round(closed.sinceLastActivityMs),
          client_close_code: closed.code,
          backend_close_code: conn.closed!.code,
          backend_closed_after_client_ms: round(conn.closed!.at - closed.at),
        },
      });
    });

    it('is reset by traffic in either direction: client→server only or server→client only both keep it open', async () => {
      const backend = await startBackend({ name: 'silent', mode: 'silent' });
      const { url } = await nginxWith(nginxWs('proxy_read_timeout 1s;'), backend);
      const up = await openWsOk(url);
      const down = await openWsOk(url);
      const idle = await openWsOk(url);
      await Promise.all([up.waitIdentity(), down.waitIdentity(), idle.waitIdentity()]);
      // Opened one after the other, each awaited to 101: the backend saw them in the same order.
      const downConn = backend.connections[1];
      assert.equal(backend.connections.length, 3);
      // up: client sends every 300 ms, the silent backend never answers.
      const upTimer = setInterval(() => up.ws.readyState === 1 && up.send('from-client'), 300);
      // down: backend sends every 300 ms, the client never writes.
      const downTimer = setInterval(() => downConn.ws.readyState === 1 && downConn.ws.send('from-backend'), 300);
      try {
        const [cu, cd, ci] = await Promise.all([up.waitClose(2200), down.waitClose(2200), idle.waitClose(2200)]);
        assert.ok(ci, 'the control connection with no traffic was cut');
        assert.equal(
          cu,
          undefined,
          'client→server traffic alone keeps the upgraded connection open past proxy_read_timeout',
        );
        assert.equal(cd, undefined, 'server→client traffic alone keeps it open');
        const received = backend.connections[0].received.length;
        assert.ok(received >= 6, `the backend received the client's messages (${received})`);
        recordClaim('nginx-read-timeout-reset', {
          claim: 'Does traffic in one direction only reset proxy_read_timeout on an upgraded connection?',
          system: 'nginx',
          observed:
            'Yes, in either direction: the timer is re-armed whenever nginx relays data one way or the other, so client→server messages alone (silent backend) keep the connection open, and so do server→client messages alone.',
          figures: {
            proxy_read_timeout_ms: 1000,
            observed_for_ms: 2200,
            message_interval_ms: 300,
            idle_control_closed_after_ms: round(ci.sinceLastActivityMs),
          },
        });
      } finally {
        clearInterval(upTimer);
        clearInterval(downTimer);
      }
    });
  });

  describe('nginx: proxy_send_timeout on an upgraded connection', () => {
    it('never cuts an idle WebSocket; it fires only when the backend stops reading and nginx cannot write', async () => {
      const silent = await startBackend({ name: 'silent', mode: 'silent' });
      const stuck = await startRawBackend({ name: 'stuck', onFin: 'ignore', stopReading: true });
      const text = nginxWs('proxy_send_timeout 1s; proxy_read_timeout 10s;');
      const [idleRun, stuckRun] = await Promise.all([nginxWith(text, silent), nginxWith(text, stuck)]);
      const idle = await openWsOk(idleRun.url);
      const pushing = await openWsOk(stuckRun.url);
      await Promise.all([idle.waitIdentity(), pushing.waitIdentity()]);
      const chunk = 'y'.repeat(1 << 20);
      let sentMiB = 0;
      const t0 = now();
      // Keep at most 4 MiB queued in the client so the test's own memory stays bounded.
      const timer = setInterval(() => {
        if (pushing.ws.readyState === 1 && pushing.ws.bufferedAmount < 4 << 20 && sentMiB < 64) {
          pushing.send(chunk);
          sentMiB++;
        }
      }, 5);
      try {
        const [idleClosed, stuckClosed] = await Promise.all([idle.waitClose(2200), pushing.waitClose(6000)]);
        assert.equal(idleClosed, undefined, 'proxy_send_timeout 1s did not close a connection idle for 2.2 s');
        assert.ok(stuckClosed, 'the connection whose backend stopped reading was closed');
        assert.equal(stuckClosed.code, 1006);
        const log = await waitFor(
          () =>
            stuckRun.bal
              .output()
              .split('\n')
              .find((l) => l.includes('timed out')),
          { timeoutMs: 1000, label: 'log' },
        );
        assert.match(log, /upstream timed out .* while proxying upgraded connection/);
        recordClaim('nginx-send-timeout', {
          claim: 'Does proxy_send_timeout cut an idle upgraded connection?',
          system: 'nginx',
          observed:
            'No. The send timer is armed only while a write to the backend is blocked, so an idle WebSocket never hits it; it fired (same "upstream timed out" log line, 1006 at the client) only after the backend stopped reading and the socket buffers filled.',
          figures: {
            proxy_send_timeout_ms: 1000,
            idle_observed_ms: 2200,
            stuck_backend_closed_after_ms: round(stuckClosed.at - t0),
            mib_sent_before_close: sentMiB,
          },
        });
      } finally {
        clearInterval(timer);
      }
    });
  });

  describe('nginx: half-closed upgraded connection', () => {
    it('a FIN from either side ends the whole upgraded connection at once (no half-open state to time out)', async () => {
      const figures: Record<string, number> = {};
      // Client half-closes; the backend ignores the FIN.
      {
        const rb = await startRawBackend({ name: 'stubborn', onFin: 'ignore' });
        const { port } = await nginxWith(nginxWs('proxy_read_timeout 3s;'), rb);
        const c = await rawWsConnect(port, { path: '/ws' });
        assert.equal(c.status, 101);
        await waitFor(() => rb.sockets[0], { label: 'backend connection' });
        const t0 = now();
        c.socket.end();
        assert.ok(await c.waitEnd(2000), 'nginx closes the client side');
        await waitFor(() => rb.sockets[0].gotFinAt, { timeoutMs: 2000, label: 'backend sees FIN' });
        figures.client_halfclose_client_closed_ms = round(c.gotFinAt! - t0);
        figures.client_halfclose_backend_fin_ms = round(rb.sockets[0].gotFinAt! - t0);
        assert.ok(
          figures.client_halfclose_client_closed_ms < 500,
          `closed after ${figures.client_halfclose_client_closed_ms} ms, not after the 3s read timeout`,
        );
      }
      // Backend half-closes; the client stays silent.
      {
        const rb = await startRawBackend({ name: 'half', onFin: 'ignore', halfCloseAfterMs: 100 });
        const { port } = await nginxWith(nginxWs('proxy_read_timeout 3s;'), rb);
        const c = await rawWsConnect(port, { path: '/ws' });
        const t0 = now();
        assert.ok(await c.waitEnd(2000), 'the client gets the FIN');
        await waitFor(() => rb.sockets[0]?.gotFinAt, { timeoutMs: 2000, label: 'nginx closes the backend side' });
        figures.backend_halfclose_client_fin_ms = round(c.gotFinAt! - t0);
        figures.backend_halfclose_backend_side_closed_ms = round(rb.sockets[0].gotFinAt! - t0);
        assert.ok(figures.backend_halfclose_backend_side_closed_ms < 600);
      }
      recordClaim('nginx-half-close', {
        claim: 'Does nginx 1.22 keep an upgraded connection half-open?',
        system: 'nginx',
        observed:
          'No: as soon as either side sends a FIN (and nothing is left to relay) nginx closes both connections, so there is no half-closed phase and no timeout for it.',
        figures,
      });
    });
  });

  describe('nginx: proxy_http_version 1.0 (the 1.22 default)', () => {
    it('sends the upgrade as HTTP/1.0; a strict backend refuses it, a lenient one (Node ws) still gets a working WebSocket', async () => {
      const text = `events {}
http {
  ${map}
  server {
    listen 127.0.0.1:@LISTEN@;
    location /ws {
      proxy_pass http://127.0.0.1:@B1@;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
    }
  }
}
`;
      const strict = await startBackend({ name: 'strict', requireHttp11: true });
      const lenient = await startBackend({ name: 'lenient', requireHttp11: false });
      const s = await nginxWith(text, strict);
      const l = await nginxWith(text, lenient);
      const rs = await openWs(s.url);
      assert.ok(!(rs instanceof LiveClient) && rs.kind === 'refused' && rs.status === 400, 'strict backend refuses');
      assert.equal(strict.refusedUpgrades[0]?.httpVersion, '1.0', 'nginx sent the upgrade request as HTTP/1.0');
      const cl = await openWsOk(l.url);
      await cl.waitIdentity();
      cl.send('echo-over-1.0');
      const msgs = await cl.waitMessages(2, 1500);
      assert.equal(msgs[1], 'echo-over-1.0');
      assert.equal(lenient.connections[0].httpVersion, '1.0');
      recordClaim('nginx-http10-upgrade', {
        claim: 'Does proxy_http_version 1.0 always prevent the upgrade in nginx 1.22?',
        system: 'nginx',
        observed:
          'No, it depends on the backend: nginx forwards Upgrade/Connection in an HTTP/1.0 request and relays a 101 if the backend sends one. Node ws accepts such a request; a backend that enforces RFC 6455 (HTTP/1.1 or higher) refuses it.',
        figures: { strict_status: rs.kind === 'refused' ? rs.status : 0, lenient_upgraded: true },
      });
    });
  });

  describe('HAProxy: timeouts on an idle upgraded connection', () => {
    it('without timeout tunnel the shorter of timeout client/server cuts it; timeout tunnel replaces both, even when longer', async () => {
      const backend = await startBackend({ name: 'silent', mode: 'silent' });
      const variants = [
        { key: 'client1_server3', timeouts: 'client 1s; server 3s', expectMs: 1000, flags: 'cD' },
        { key: 'client3_server1', timeouts: 'client 3s; server 1s', expectMs: 1000, flags: 'sD' },
        { key: 'client1_server1_tunnel2', timeouts: 'client 1s; server 1s; tunnel 2s', expectMs: 2000, flags: 'cD' },
      ];
      const runs = await Promise.all(
        variants.map(async (v) => {
          const h = await haproxyWith(haproxyWs(v.timeouts), backend);
          const c = await openWsOk(h.url);
          await c.waitIdentity();
          return { v, h, c };
        }),
      );
      const figures: Record<string, number | string> = {};
      await Promise.all(
        runs.map(async ({ v, h, c }) => {
          const closed = await c.waitClose(v.expectMs + 1500);
          assert.ok(closed, `${v.timeouts}: cut`);
          assert.equal(closed.code, 1006, `${v.timeouts}: no close frame`);
          assert.ok(
            closed.sinceLastActivityMs > v.expectMs - 200 && closed.sinceLastActivityMs < v.expectMs + 800,
            `${v.timeouts}: cut after ${round(closed.sinceLastActivityMs)} ms, expected ~${v.expectMs}`,
          );
          const log = await haproxyLogLine(h.bal);
          figures[`${v.key}_cut_after_ms`] = round(closed.sinceLastActivityMs);
          figures[`${v.key}_termination_flags`] = log.flags;
          // flags: first letter says which side's timeout fired (c client, s server), D = data phase
          // (HAProxy configuration manual, "Session state at disconnection").
          if (v.expectMs === 1000)
            assert.equal(log.flags, v.flags, `${v.timeouts}: termination flags in "${log.line}"`);
        }),
      );
      recordClaim('haproxy-idle-tunnel', {
        claim: 'Which timeout cuts an idle upgraded connection in HAProxy 2.6?',
        system: 'haproxy',
        observed:
          'Without timeout tunnel, whichever of timeout client / timeout server is shorter (log flags cD or sD). With timeout tunnel set, it alone applies: a 2s tunnel outlives 1s client/server timeouts.',
        figures,
      });
    });

    it('timeout tunnel 0 is accepted silently by haproxy -c and means "not set": the client/server timeouts apply', async () => {
      const backend = await startBackend({ name: 'silent', mode: 'silent' });
      const text = haproxyWs('client 1s; server 1s; tunnel 0');
      const v = validateHaproxy(text, { LISTEN: 1, B1: 2 });
      assert.equal(v.ok, true);
      assert.doesNotMatch(v.output, /WARNING|ALERT/, 'no warning about tunnel 0');
      const zeroClient = validateHaproxy(haproxyWs('client 0; server 1s'), { LISTEN: 1, B1: 2 });
      assert.match(zeroClient.output, /missing timeouts for frontend 'fe'/, '`timeout client 0` counts as missing');
      const h = await haproxyWith(text, backend);
      const c = await openWsOk(h.url);
      await c.waitIdentity();
      const closed = await c.waitClose(2500);
      assert.ok(closed, 'cut despite tunnel 0');
      assert.ok(
        closed.sinceLastActivityMs > 800 && closed.sinceLastActivityMs < 1800,
        `cut after ${round(closed.sinceLastActivityMs)} ms`,
      );
      recordClaim('haproxy-tunnel-zero', {
        claim: 'HAProxy 2.6 `timeout tunnel 0`: no timeout, or fallback?',
        system: 'haproxy',
        observed:
          'Fallback. haproxy -c accepts it without a word, but 0 means unset: the idle WebSocket is cut by the 1s client/server timeouts. (`timeout client 0` likewise triggers the "missing timeouts" warning.)',
        figures: {
          cut_after_ms: round(closed.sinceLastActivityMs),
          haproxy_c_ok: v.ok,
          haproxy_c_output: v.output.replace(/\s+/g, ' '),
        },
      });
    });
  });

  describe('HAProxy: balance random', () => {
    it('repeats the same sequence after a restart (fixed-seed PRNG), with one thread', async () => {
      const backends = [
        await startBackend({ name: 'b0' }),
        await startBackend({ name: 'b1' }),
        await startBackend({ name: 'b2' }),
      ];
      const text = `global
  nbthread 1
defaults
  mode http
  timeout connect 1s
  timeout client 10s
  timeout server 10s
frontend fe
  bind 127.0.0.1:@LISTEN@
  default_backend ws
backend ws
  balance random(1)
  server s0 127.0.0.1:@B0@ weight 1
  server s1 127.0.0.1:@B1@ weight 2
  server s2 127.0.0.1:@B2@ weight 3
`;
      const sequences: string[] = [];
      for (let run = 0; run < 2; run++) {
        const port = await freePort();
        const bal = await startHaproxy(
          text,
          { LISTEN: port, B0: backends[0].port, B1: backends[1].port, B2: backends[2].port },
          [port],
        );
        let seq = '';
        for (let i = 0; i < 20; i++) {
          const c = await openWsOk(`ws://127.0.0.1:${port}/ws`);
          seq += (await c.waitIdentity()).backend.slice(1);
          c.close();
        }
        sequences.push(seq);
        await bal.stop();
      }
      assert.equal(new Set(sequences[0]).size, 3, `all three servers were drawn (${sequences[0]})`);
      assert.equal(sequences[1], sequences[0], 'the second process drew the same servers in the same order');
      recordClaim('haproxy-random-deterministic', {
        claim: 'Is HAProxy 2.6 `balance random` random across restarts?',
        system: 'haproxy',
        observed:
          'No: two fresh processes drew the same 20 servers in the same order. The draws come from a xorshift32 generator whose per-thread state starts from a constant (src/tools.c, statistical_prng; used by get_server_rnd in src/backend.c), not from the boot seed.',
        figures: { sequence_run1: sequences[0], sequence_run2: sequences[1] },
      });
    });
  });

  describe('HAProxy: timeout client-fin / server-fin on a half-closed WebSocket', () => {
    it('mode http: a backend half-close ends the whole stream at once; a client half-close is bounded by server-fin, not client-fin', async () => {
      // Backend half-closes 200 ms after the handshake and keeps reading; the client stays silent.
      const figures: Record<string, number | string | null> = {};
      const serverHalf = await Promise.all(
        ['', 'client-fin 1s'].map(async (fin) => {
          const rb = await startRawBackend({ name: 'half', onFin: 'ignore', halfCloseAfterMs: 200 });
          const h = await haproxyWith(haproxyWs(`client 2s; server 2s; tunnel 2s; ${fin}`), rb);
          const c = await rawWsConnect(h.port);
          assert.equal(c.status, 101);
          const t0 = now();
          const ended = await c.waitEnd(2000);
          await waitFor(() => rb.sockets[0]?.gotFinAt, { timeoutMs: 2000, label: 'backend sees FIN' });
          const log = await haproxyLogLine(h.bal);
          return { fin, ended, clientFinMs: (c.gotFinAt ?? NaN) - t0, backendFinMs: rb.sockets[0].gotFinAt! - t0, log };
        }),
      );
      for (const r of serverHalf) {
        assert.ok(r.ended, `client receives the FIN (${r.fin || 'no client-fin'})`);
        assert.ok(r.clientFinMs < 600, `FIN forwarded at once: ${round(r.clientFinMs)} ms`);
        assert.ok(r.backendFinMs < 600, `HAProxy closes the backend side at once too: ${round(r.backendFinMs)} ms`);
        assert.ok(r.log.totalMs < 700, `stream ended at ${r.log.totalMs} ms (${r.log.line})`);
        figures[`http_server_halfclose_${r.fin ? 'clientfin1s' : 'nofin'}_stream_total_ms`] = r.log.totalMs;
      }
      // Client half-closes; the backend ignores the FIN and keeps its side open.
      const clientHalf = await Promise.all(
        ['', 'client-fin 1s', 'server-fin 1s'].map(async (fin) => {
          const rb = await startRawBackend({ name: 'stubborn', onFin: 'ignore' });
          const h = await haproxyWith(haproxyWs(`client 2s; server 2s; tunnel 2s; ${fin}`), rb);
          const c = await rawWsConnect(h.port);
          await waitFor(() => rb.sockets[0], { label: 'backend connection' });
          await delay(50);
          const t0 = now();
          c.socket.end();
          await c.waitEnd(3500);
          return { fin, closedAfterMs: (c.gotFinAt ?? NaN) - t0, backendFinMs: (rb.sockets[0].gotFinAt ?? NaN) - t0 };
        }),
      );
      const byFin = Object.fromEntries(clientHalf.map((r) => [r.fin || 'none', r]));
      for (const r of clientHalf)
        assert.ok(r.backendFinMs < 300, `the client's FIN reaches the backend at once (${r.fin || 'none'})`);
      assert.ok(
        byFin['none'].closedAfterMs > 1600 && byFin['none'].closedAfterMs < 2900,
        `no *-fin: tunnel timeout (${round(byFin['none'].closedAfterMs)} ms)`,
      );
      assert.ok(
        byFin['client-fin 1s'].closedAfterMs > 1600 && byFin['client-fin 1s'].closedAfterMs < 2900,
        `client-fin has no effect here (${round(byFin['client-fin 1s'].closedAfterMs)} ms)`,
      );
      assert.ok(
        byFin['server-fin 1s'].closedAfterMs > 800 && byFin['server-fin 1s'].closedAfterMs < 1500,
        `server-fin bounds it (${round(byFin['server-fin 1s'].closedAfterMs)} ms)`,
      );
      for (const r of clientHalf)
        figures[`http_client_halfclose_${r.fin.replace(/\W/g, '') || 'nofin'}_closed_after_ms`] = round(
          r.closedAfterMs,
        );
      recordClaim('haproxy-fin-http', {
        claim: 'How does timeout client-fin interact with a half-closed WebSocket (mode http)?',
        system: 'haproxy',
        observed:
          'In mode http HAProxy 2.6 does not keep an upgraded stream half-open when the backend shuts its side: it closes both connections at once, so client-fin never comes into play. When the client half-closes, HAProxy forwards the FIN and waits for the backend: timeout server-fin bounds that wait; client-fin has no effect; without server-fin the tunnel timeout applies.',
        figures,
      });
    });

    it('mode tcp: after a backend half-close, client-fin bounds how long HAProxy waits for a silent client', async () => {
      const runs = await Promise.all(
        ['', 'client-fin 1s'].map(async (fin) => {
          const rb = await startRawBackend({ name: 'half', onFin: 'ignore', halfCloseAfterMs: 200 });
          const h = await haproxyWith(haproxyWs(`client 2s; server 2s; tunnel 2s; ${fin}`, 'tcp'), rb);
          const c = await rawWsConnect(h.port);
          assert.equal(c.status, 101);
          await waitFor(() => rb.sockets[0], { label: 'backend connection' });
          const s = rb.sockets[0];
          await c.waitEnd(1000);
          const halfAt = c.gotFinAt ?? now();
          await waitFor(() => s.gotFinAt, { timeoutMs: 3500, label: 'HAProxy releases the backend side' });
          return { fin, releasedAfterMs: s.gotFinAt! - halfAt };
        }),
      );
      const none = runs.find((r) => !r.fin)!;
      const withFin = runs.find((r) => r.fin)!;
      assert.ok(
        withFin.releasedAfterMs > 800 && withFin.releasedAfterMs < 1500,
        `client-fin 1s: released after ${round(withFin.releasedAfterMs)} ms`,
      );
      assert.ok(
        none.releasedAfterMs > 1500,
        `without client-fin: held until the tunnel timeout (${round(none.releasedAfterMs)} ms)`,
      );
      recordClaim('haproxy-fin-tcp', {
        claim: 'Does timeout client-fin matter for WebSocket in mode tcp?',
        system: 'haproxy',
        observed:
          'Yes: in mode tcp the half-closed stream is kept; when the backend has shut its side and the client stays silent, client-fin (1s) ends it, otherwise the tunnel timeout (2s) does.',
        figures: {
          tcp_clientfin1s_released_after_ms: round(withFin.releasedAfterMs),
          tcp_nofin_released_after_ms: round(none.releasedAfterMs),
        },
      });
    });
  });
});
