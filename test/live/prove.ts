/**
 * Shared steps of the live proofs: start a case's config with one identity backend, and show that a
 * config works (valid, 101, hello, echo; for timeout cases: survives idle past the old limit).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import {
  LiveClient,
  delay,
  freePort,
  haproxyServers,
  now,
  openWs,
  openWsOk,
  processGroup,
  softReloadHaproxy,
  startBackend,
  startRawBackend,
  startStuckServer,
  startBalancer,
  validate,
  waitFor,
  type Backend,
  type Balancer,
  type Identity,
} from './harness';
import type { LiveCase } from './cases';

export interface Running {
  /** The backend behind @B1@. */
  backend: Backend;
  /** Backends behind @B1@, @B2@, ... in order. */
  backends: Backend[];
  balancer: Balancer;
  port: number;
  url: string;
}

/** Number of @Bn@ backends a config text refers to. */
export function backendCount(text: string): number {
  let n = 0;
  for (const m of text.matchAll(/@B(\d)@/g)) n = Math.max(n, Number(m[1]));
  return Math.max(n, 1);
}

/** Starts identity backends for @B1@..@Bn@ (or reuses `backends`) and the balancer with `text`. */
export async function run(c: LiveCase, text: string, tag: string, backends?: Backend[]): Promise<Running> {
  const bs = backends ?? [];
  for (let i = bs.length; i < backendCount(text); i++) bs.push(await startBackend({ name: `${tag}-b${i + 1}` }));
  const port = await freePort();
  const vars: Record<string, number> = { LISTEN: port };
  bs.forEach((b, i) => (vars[`B${i + 1}`] = b.port));
  const balancer = await startBalancer(c.system, text, vars, [port]);
  return { backend: bs[0], backends: bs, balancer, port, url: `ws://127.0.0.1:${port}/ws` };
}

const indexOf = (r: Running, id: Identity) => r.backends.findIndex((b) => b.name === id.backend);

// ---- measurements for the distribution / lifecycle cases -------------------------------------

export interface Measurement {
  /** One line saying what was observed. */
  observed: string;
  /** True when the observation shows the harm the rule describes. */
  harmful: boolean;
  value?: number;
  /** remap-on-add: clients that moved from one old server to another. */
  betweenOld?: number;
}

async function measureSubnetSkew(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'subnet-skew' }>;
  const r = await run(c, text, tag);
  const counts = r.backends.map(() => 0);
  const clients = await Promise.all(
    Array.from({ length: e.clients }, async (_, i) => {
      const client = await openWsOk(r.url, { localAddress: `${e.subnet}.${10 + i * 7}` });
      counts[indexOf(r, await client.waitIdentity())]++;
      return client;
    }),
  );
  clients.forEach((cl) => cl.close());
  const used = counts.filter((n) => n > 0).length;
  return {
    observed: `${e.clients} clients from ${e.subnet}.0/24 spread over backends as ${counts.join('/')}`,
    harmful: used === 1,
    value: used,
  };
}

/** Source addresses spread over many /24s of 127/8. */
function spreadAddr(i: number): string {
  const x = Math.imul(i + 11, 2654435761) >>> 0;
  return `127.${1 + (x % 200)}.${(x >>> 8) & 255}.${1 + ((x >>> 16) % 250)}`;
}

async function assignments(r: Running, addrs: string[]): Promise<number[]> {
  const out: number[] = new Array<number>(addrs.length).fill(-1);
  for (let k = 0; k < addrs.length; k += 10) {
    await Promise.all(
      addrs.slice(k, k + 10).map(async (addr, j) => {
        const client = await openWsOk(r.url, { localAddress: addr });
        out[k + j] = indexOf(r, await client.waitIdentity());
        client.close();
      }),
    );
  }
  return out;
}

async function measureRemap(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'remap-on-add' }>;
  const before = text
    .split('\n')
    .filter((l) => !l.includes('# live: added later'))
    .join('\n');
  assert.notEqual(before, text, 'the config marks the server added later');
  const addrs = Array.from({ length: e.clients }, (_, i) => spreadAddr(i));
  const r1 = await run(c, before, tag);
  const first = await assignments(r1, addrs);
  await r1.balancer.stop();
  const r2 = await run(c, text, tag, r1.backends);
  const second = await assignments(r2, addrs);
  const movedCount = first.filter((b, i) => b !== second[i]).length;
  const moved = movedCount / addrs.length;
  const toNew = second.filter((b, i) => b !== first[i] && b === r2.backends.length - 1).length;
  // Consistent hashing only hands the new server its share: nobody moves between old servers.
  const betweenOld = movedCount - toNew;
  return {
    observed: `after adding a server, ${(moved * 100).toFixed(0)}% of ${e.clients} clients changed backend: ${toNew} to the new server, ${betweenOld} between the old ones`,
    harmful: moved > e.badAbove && betweenOld > 0,
    value: moved,
    betweenOld,
  };
}

async function measureLoadBlind(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const r = await run(c, text, tag);
  const open: { client: LiveClient; b: number; conn: number }[] = [];
  const connect = async () => {
    const client = await openWsOk(r.url);
    const b = indexOf(r, await client.waitIdentity());
    open.push({ client, b, conn: r.backends[b].connections.length - 1 });
  };
  for (let i = 0; i < 4; i++) await connect();
  const target = open[0].b;
  for (const o of open.filter((x) => x.b === target)) {
    o.client.close();
    await waitFor(() => r.backends[o.b].connections[o.conn].closed, {
      timeoutMs: 2000,
      label: 'backend sees the close',
    });
  }
  const remaining = open.filter((x) => x.b !== target);
  const before = r.backends.map((_, i) => remaining.filter((x) => x.b === i).length);
  for (let i = 0; i < 2; i++) await connect();
  const after = r.backends.map(
    (_, i) => open.filter((x) => x.b === i && !x.client.closed && !(x.b === target && open.indexOf(x) < 4)).length,
  );
  open.forEach((o) => o.client.close());
  const spread = Math.max(...after) - Math.min(...after);
  return {
    observed: `open connections per backend ${before.join('/')} → after 2 new clients ${after.join('/')}`,
    harmful: spread >= 2,
    value: spread,
  };
}

async function measureReload(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'reload-lingers' }>;
  const r = await run(c, text, tag);
  const client = await openWsOk(r.url);
  await client.waitIdentity();
  let oldPids: number[];
  let stillAlive: () => number[];
  if (c.system === 'nginx') {
    const master = r.balancer.pid;
    oldPids = processGroup(master).filter((p) => p !== master);
    assert.ok(oldPids.length > 0, 'found the worker holding the WebSocket');
    process.kill(master, 'SIGHUP'); // nginx: reload the configuration, start new workers
    await waitFor(() => processGroup(master).some((p) => p !== master && !oldPids.includes(p)), {
      timeoutMs: 3000,
      label: 'new worker after reload',
    });
    stillAlive = () => oldPids.filter((p) => processGroup(master).includes(p));
  } else {
    // HAProxy: a new process takes over with -sf (soft stop of the old one). (A master-worker reload
    // by SIGUSR2 was tried first: the master sometimes runs with signals blocked and no handler for
    // seconds after "Loading success", and a SIGUSR2 sent then was lost.)
    const old = r.balancer.pid;
    oldPids = [old];
    const next = softReloadHaproxy(r.balancer);
    await waitFor(() => /Proxy fe stopped/.test(r.balancer.output()), {
      timeoutMs: 5000,
      label: 'old HAProxy process soft-stopping',
    });
    assert.ok(processGroup(next.pid).includes(next.pid), 'the new HAProxy process runs');
    stillAlive = () => processGroup(old).filter((p) => p === old);
  }
  const t0 = now();
  // The new configuration serves new WebSockets.
  const fresh = await openWsOk(r.url);
  await fresh.waitIdentity();
  fresh.close();
  await delay(e.afterMs - (now() - t0));
  const alive = stillAlive();
  const closed = client.closed;
  let echo = false;
  if (!closed) {
    client.send('after-reload');
    echo = (await client.waitMessages(2, 1000)).at(-1) === 'after-reload';
  }
  client.close();
  const who = c.system === 'nginx' ? 'old worker' : 'old process';
  const observed = closed
    ? `${Math.round(now() - t0)} ms after the reload (new ${c.system === 'nginx' ? 'workers' : 'process'} serving): ${who} ${alive.length ? 'still running' : 'gone'}, WebSocket closed (code ${closed.code}, ${Math.round(closed.at - t0)} ms after the reload)`
    : `${e.afterMs} ms after the reload (new ${c.system === 'nginx' ? 'workers' : 'process'} serving): ${who} ${alive.length ? 'still running' : 'gone'}, WebSocket still open${echo ? ' and echoing' : ''}`;
  return { observed, harmful: alive.length > 0 && !closed };
}

async function measureDownKeepsSessions(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'down-keeps-sessions' }>;
  const r = await run(c, text, tag);
  const client = await openWsOk(r.url);
  const b = indexOf(r, await client.waitIdentity());
  // The server stops accepting: HAProxy's connect checks fail and it is marked down.
  await r.backends[b].stopListening();
  const t0 = now();
  await client.waitClose(e.afterMs);
  const closed = client.closed;
  let echo = false;
  if (!closed) {
    client.send('still-attached');
    echo = (await client.waitMessages(2, 1000)).at(-1) === 'still-attached';
  }
  client.close();
  const observed = closed
    ? `server marked down: the WebSocket was closed ${Math.round(closed.at - t0)} ms later (code ${closed.code})`
    : `server marked down: the WebSocket was still open ${e.afterMs} ms later${echo ? ' and still echoing from the server marked down' : ''}`;
  return { observed, harmful: !closed };
}

async function measureBriefOutage(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'brief-outage' }>;
  const r = await run(c, text, tag);
  const client = await openWsOk(r.url);
  await client.waitIdentity();
  // The server's listener goes away for a moment (a restart of the acceptor, a stalled event
  // loop): the connect checks fail meanwhile, then it listens again.
  await r.backends[0].stopListening();
  await delay(e.outageMs);
  await r.backends[0].resumeListening();
  const t0 = now();
  await client.waitClose(e.afterMs);
  const closed = client.closed;
  let echo = false;
  if (!closed) {
    client.send('still-here');
    echo = (await client.waitMessages(2, 1000)).at(-1) === 'still-here';
  }
  client.close();
  const observed = closed
    ? `listener gone for ${e.outageMs} ms: the WebSocket was closed (code ${closed.code}), ${Math.max(0, Math.round(closed.at - t0))} ms after the listener was back`
    : `listener gone for ${e.outageMs} ms: the WebSocket was still open ${e.afterMs} ms after it came back${echo ? ' and echoing' : ''}`;
  return { observed, harmful: !!closed || !echo };
}

/** Waits until HAProxy's runtime API reports `server` of backend `ws` with a status matching `re`. */
async function waitServerStatus(r: Running, server: string, re: RegExp, label: string): Promise<void> {
  const sock = path.join(r.balancer.dir, 'admin.sock');
  await waitFor(async () => re.test((await haproxyServers(sock, 'ws'))[server]?.status ?? ''), {
    timeoutMs: 3000,
    intervalMs: 30,
    label,
  });
}

async function measureSlowstartBurst(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'slowstart-burst' }>;
  const r = await run(c, text, tag);
  await waitServerStatus(r, 's3', /^UP/, 's3 up at start');
  // s3's application dies: nothing listens on its port any more; the checks mark it down.
  const port3 = r.backends[2].port;
  await r.backends[2].stop();
  await waitServerStatus(r, 's3', /^DOWN/, 's3 marked down');
  const open: LiveClient[] = [];
  const counts = [0, 0, 0];
  const before = 2 * e.burst;
  for (let i = 0; i < before; i++) {
    const client = await openWsOk(r.url);
    counts[indexOf(r, await client.waitIdentity())]++;
    open.push(client);
  }
  // s3 comes back on the same port; the checks mark it up.
  r.backends[2] = await startBackend({ name: `${tag}-b3`, port: port3 });
  await waitServerStatus(r, 's3', /^UP/, 's3 back up');
  const t0 = now();
  const burst = [0, 0, 0];
  for (let i = 0; i < e.burst; i++) {
    const client = await openWsOk(r.url);
    burst[indexOf(r, await client.waitIdentity())]++;
    open.push(client);
  }
  const ms = Math.round(now() - t0);
  const stat = (await haproxyServers(path.join(r.balancer.dir, 'admin.sock'), 'ws')).s3;
  open.forEach((cl) => cl.close());
  return {
    observed: `${before} clients on s1/s2 while s3 was down (${counts.join('/')}); s3 back up, burst of ${e.burst} new clients in ${ms} ms went ${burst.join('/')} (s1/s2/s3); s3 weight right after: ${stat?.weight ?? '?'} of 100`,
    harmful: burst[2] === e.burst,
    value: burst[2],
  };
}

async function measureDeadServer(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'dead-server' }>;
  const r = await run(c, text, tag);
  // The server behind @B2@ dies: nothing listens on its port.
  await r.backends[1].stop();
  // Give health checks (when configured) time to notice: with check the runtime API says DOWN;
  // without, it says "no check" and the server stays in the pool.
  const sock = path.join(r.balancer.dir, 'admin.sock');
  await waitFor(async () => /^(DOWN|no check)/.test((await haproxyServers(sock, 'ws')).s2?.status ?? ''), {
    timeoutMs: 3000,
    intervalMs: 30,
    label: 's2 down or unchecked',
  });
  const status = (await haproxyServers(sock, 'ws')).s2?.status;
  const results = await Promise.all(
    Array.from({ length: e.clients }, () => openWs(r.url, { handshakeTimeoutMs: 5000 })),
  );
  let ok = 0;
  const failures: string[] = [];
  for (const res of results) {
    if (res instanceof LiveClient) {
      ok++;
      res.close();
    } else failures.push(res.kind === 'refused' ? String(res.status) : res.error);
  }
  const summary = [...new Set(failures)]
    .map((f) => `${failures.filter((x) => x === f).length}× ${/^\d+$/.test(f) ? `HTTP ${f}` : f}`)
    .join(', ');
  return {
    observed: `s2 dead (runtime API: "${status}"): ${e.clients} concurrent handshakes, ${ok} got 101${failures.length ? `, ${failures.length} failed (${summary})` : ''}`,
    harmful: failures.length > 0,
    value: failures.length,
  };
}

/** A plain GET (no Upgrade) through the balancer; resolves with the status. */
function plainGet(port: number, urlPath: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: urlPath, agent: false, timeout: 3000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('plain request timed out')));
    req.on('error', reject);
  });
}

async function measurePlainRequest(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  // A backend that serves plain requests (200) and WebSockets on every path, as an app behind `location /` does.
  const backend = await startBackend({ name: `${tag}-b1`, plain: 'ok' });
  const r = await run(c, text, tag, [backend]);
  const status = await plainGet(r.port, '/api/status');
  const served = backend.plainRequests.length === 1;
  const seen = backend.plainRequests[0];
  // The WebSocket through the same location still upgrades.
  const client = await openWsOk(r.url);
  await client.waitIdentity();
  client.close();
  const how = served
    ? `served as a plain request (Connection: ${String(seen.headers.connection ?? '(none)')}, Upgrade: ${String(seen.headers.upgrade ?? '(none)')})`
    : 'taken by the backend as a WebSocket handshake';
  return {
    observed: `plain GET /api/status answered ${status}, ${how}; a WebSocket through the same location got 101`,
    harmful: status !== 200 || !served,
  };
}

async function measurePerWorkerFailures(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'per-worker-failures' }>;
  const r = await run(c, text, tag);
  const live = r.backends[0];
  const dead = r.backends[1];
  await dead.stop(); // nothing listens on @B2@ any more: connecting to it is refused at once
  const workers = new Map<string, number>();
  let n = 0;
  // One after the other (no race between workers), until both workers have proxied a connection.
  while (n < e.maxClients && (workers.size < 2 || n < 6)) {
    const client = await openWsOk(r.url);
    await client.waitIdentity();
    const pid = String(live.connections.at(-1)?.headers['x-worker-pid'] ?? '?');
    workers.set(pid, (workers.get(pid) ?? 0) + 1);
    client.close();
    n++;
  }
  assert.equal(
    workers.size,
    2,
    `both workers proxied connections within ${e.maxClients} clients (got ${[...workers.keys()].join(', ')})`,
  );
  // Every attempt on the dead server is logged by the worker that made it: "<pid>#<tid>: *N connect() failed (111: ...".
  const log = fs.readFileSync(path.join(r.balancer.dir, 'error.log'), 'utf8');
  const tries = log
    .split('\n')
    .filter((l) => /connect\(\) failed \(111/.test(l) && l.includes(`127.0.0.1:${dead.port}`));
  const byPid = new Map<string, number>();
  for (const l of tries) {
    const pid = /\] (\d+)#\d+:/.exec(l)?.[1] ?? '?';
    byPid.set(pid, (byPid.get(pid) ?? 0) + 1);
  }
  return {
    observed: `${n} WebSockets, one after the other, all served by the live server through 2 workers (${[...workers.values()].join('+')}); the dead server was tried ${tries.length} time${tries.length === 1 ? '' : 's'}, by ${byPid.size} worker${byPid.size === 1 ? '' : 's'}`,
    harmful: byPid.size > 1,
    value: tries.length,
  };
}

async function measureKeepaliveReuse(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'keepalive-reuse' }>;
  const backend = await startBackend({ name: `${tag}-b1`, plain: 'ok' });
  const r = await run(c, text, tag, [backend]);
  for (let i = 0; i < e.requests; i++)
    assert.equal(await plainGet(r.port, `/api/item/${i}`), 200, 'the plain request is served');
  const versions = [...new Set(backend.plainRequests.map((q) => q.httpVersion))].join(', ');
  const tcp = backend.tcpConnections();
  return {
    observed: `${e.requests} requests one after the other: the backend received them as HTTP/${versions} over ${tcp} TCP connection${tcp === 1 ? '' : 's'}`,
    harmful: tcp === e.requests,
    value: tcp,
  };
}

async function measureConnectionCap(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'connection-cap' }>;
  const r = await run(c, text, tag);
  const open: LiveClient[] = [];
  const failures: string[] = [];
  for (let i = 0; i < e.clients; i++) {
    const res = await openWs(r.url, { handshakeTimeoutMs: 1500 });
    if (
      res instanceof LiveClient &&
      (await res.waitIdentity().then(
        () => true,
        () => false,
      ))
    )
      open.push(res);
    else
      failures.push(
        res instanceof LiveClient
          ? 'closed before the hello'
          : res.kind === 'refused'
            ? `HTTP ${res.status}`
            : res.error,
      );
  }
  const log = fs.readFileSync(path.join(r.balancer.dir, 'error.log'), 'utf8');
  const notEnough = /(\d+) worker_connections are not enough/.exec(log);
  open.forEach((cl) => cl.close());
  const kinds = [...new Set(failures)].map((f) => `${failures.filter((x) => x === f).length}× ${f}`).join(', ');
  return {
    observed: `${e.clients} WebSockets opened one after the other and kept open: ${open.length} open${failures.length ? `, the rest failed (${kinds})` : ''}${notEnough ? `; error log: "${notEnough[0]}"` : ''}`,
    harmful: failures.length > 0 && notEnough !== null,
    value: open.length,
  };
}

async function measureStuckServer(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'stuck-server' }>;
  const live = await startBackend({ name: `${tag}-b1`, healthPath: '/health' });
  const port2 = await freePort();
  // s2's application is stuck: it accepts TCP connections but never answers.
  await startStuckServer(port2);
  const stuckBackend = { name: `${tag}-stuck`, port: port2 } as Backend;
  const r = await run(c, text, tag, [live, stuckBackend]);
  const sock = path.join(r.balancer.dir, 'admin.sock');
  // Let the checks (every 100 ms, fall 1) run several times: s2 is then down if they can see it is stuck.
  await delay(500);
  await waitFor(async () => /^UP/.test((await haproxyServers(sock, 'ws')).s1?.status ?? ''), {
    timeoutMs: 2000,
    intervalMs: 30,
    label: 's1 up',
  });
  const status = (await haproxyServers(sock, 'ws')).s2?.status;
  const t0 = now();
  const results = await Promise.all(
    Array.from({ length: e.clients }, () => openWs(r.url, { handshakeTimeoutMs: 4000 })),
  );
  const ms = Math.round(now() - t0);
  let ok = 0;
  const failures: string[] = [];
  for (const res of results) {
    if (res instanceof LiveClient) {
      ok++;
      res.close();
    } else failures.push(res.kind === 'refused' ? `HTTP ${res.status}` : res.error);
  }
  const kinds = [...new Set(failures)].map((f) => `${failures.filter((x) => x === f).length}× ${f}`).join(', ');
  return {
    observed: `s2 accepts TCP but never answers (runtime API: "${status}"): ${e.clients} concurrent handshakes, ${ok} got 101${failures.length ? `, ${failures.length} failed after ${ms} ms (${kinds})` : ''}`,
    harmful: failures.length > 0,
    value: failures.length,
  };
}

async function measureMaxconnQueue(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'maxconn-queue' }>;
  // A backend that serves plain requests (200) and WebSockets on every path, as an API backend does.
  const backend = await startBackend({ name: `${tag}-b1`, plain: 'ok' });
  const r = await run(c, text, tag, [backend]);
  const open: LiveClient[] = [];
  for (let i = 0; i < e.websockets; i++) {
    const client = await openWsOk(r.url);
    await client.waitIdentity();
    open.push(client);
  }
  const t0 = now();
  const status = await plainGet(r.port, '/api/status');
  const ms = Math.round(now() - t0);
  open.forEach((cl) => cl.close());
  return {
    observed: `${e.websockets} WebSockets open on the server, then a plain GET /api/status to the same backend: HTTP ${status} after ${ms} ms (backend saw ${backend.plainRequests.length} plain request${backend.plainRequests.length === 1 ? '' : 's'})`,
    harmful: status === 503 && backend.plainRequests.length === 0,
    value: status,
  };
}

async function measureBackendStall(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'backend-stall' }>;
  const raw = await startRawBackend({
    name: `${tag}-b1`,
    onFin: 'ignore',
    stopReading: true,
    resumeAfterMs: e.stallMs,
  });
  const r = await run(c, text, tag, [{ name: raw.name, port: raw.port } as Backend]);
  const client = await openWsOk(r.url);
  await client.waitIdentity();
  const t0 = now();
  const chunk = 'z'.repeat(1 << 20);
  let sentMiB = 0;
  // The client keeps sending (at most 4 MiB queued locally, 24 MiB in all) until the stall ends.
  const timer = setInterval(() => {
    if (client.ws.readyState === 1 && client.ws.bufferedAmount < 4 << 20 && sentMiB < 24 && now() - t0 < e.stallMs) {
      client.send(chunk);
      sentMiB++;
    }
  }, 5);
  try {
    const closed = await client.waitClose(e.stallMs + 1000);
    const entry = raw.sockets[0];
    if (closed) {
      return {
        observed: `backend stopped reading for ${e.stallMs} ms while the client sent ${sentMiB} MiB: WebSocket closed with ${closed.code} ${Math.round(closed.at - t0)} ms into the stall`,
        harmful: true,
        value: closed.at - t0,
      };
    }
    const read = await waitFor(() => (entry && entry.bytesRead >= 2 << 20 ? entry.bytesRead : 0), {
      timeoutMs: 2000,
      label: 'backend reads after the stall',
    });
    return {
      observed: `backend stopped reading for ${e.stallMs} ms while the client sent ${sentMiB} MiB: WebSocket still open ${e.stallMs + 1000} ms after, the backend then read ${(read / (1 << 20)).toFixed(0)} MiB`,
      harmful: false,
    };
  } finally {
    clearInterval(timer);
  }
}

export function measure(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  switch (c.expect.kind) {
    case 'subnet-skew':
      return measureSubnetSkew(c, text, tag);
    case 'remap-on-add':
      return measureRemap(c, text, tag);
    case 'load-blind':
      return measureLoadBlind(c, text, tag);
    case 'reload-lingers':
      return measureReload(c, text, tag);
    case 'down-keeps-sessions':
      return measureDownKeepsSessions(c, text, tag);
    case 'brief-outage':
      return measureBriefOutage(c, text, tag);
    case 'slowstart-burst':
      return measureSlowstartBurst(c, text, tag);
    case 'dead-server':
      return measureDeadServer(c, text, tag);
    case 'plain-request-connection':
      return measurePlainRequest(c, text, tag);
    case 'per-worker-failures':
      return measurePerWorkerFailures(c, text, tag);
    case 'keepalive-reuse':
      return measureKeepaliveReuse(c, text, tag);
    case 'connection-cap':
      return measureConnectionCap(c, text, tag);
    case 'stuck-server':
      return measureStuckServer(c, text, tag);
    case 'backend-stall':
      return measureBackendStall(c, text, tag);
    case 'maxconn-queue':
      return measureMaxconnQueue(c, text, tag);
    default:
      throw new Error(`no measurement for ${c.expect.kind}`);
  }
}

export const MEASURED_KINDS: ReadonlySet<string> = new Set([
  'subnet-skew',
  'remap-on-add',
  'load-blind',
  'reload-lingers',
  'down-keeps-sessions',
  'brief-outage',
  'slowstart-burst',
  'dead-server',
  'plain-request-connection',
  'per-worker-failures',
  'keepalive-reuse',
  'connection-cap',
  'stuck-server',
  'backend-stall',
  'maxconn-queue',
]);

/** Asserts that a measurement of a fixed config shows no harm (with the kind's own threshold). */
export function assertFixed(c: LiveCase, m: Measurement): void {
  if (c.expect.kind === 'remap-on-add') {
    assert.equal(m.betweenOld, 0, `fixed config: only moves to the new server expected; ${m.observed}`);
    assert.ok((m.value ?? 1) < c.expect.goodBelow, `fixed config: ${m.observed}`);
  }
  if (c.expect.kind === 'slowstart-burst') {
    assert.ok(
      (m.value ?? Infinity) <= c.expect.goodAtMost,
      `fixed config: the returning server takes at most ${c.expect.goodAtMost} of the burst; ${m.observed}`,
    );
  }
  if (c.expect.kind === 'per-worker-failures')
    assert.equal(m.value, 1, `fixed config: the dead server is tried once in all; ${m.observed}`);
  if (c.expect.kind === 'keepalive-reuse')
    assert.equal(m.value, 1, `fixed config: one kept-alive connection for all requests; ${m.observed}`);
  if (c.expect.kind === 'maxconn-queue')
    assert.equal(m.value, 200, `fixed config: the plain request is served; ${m.observed}`);
  if (c.expect.kind === 'connection-cap')
    assert.equal(m.value, c.expect.clients, `fixed config: every WebSocket opens; ${m.observed}`);
  assert.equal(m.harmful, false, `the fixed config should not show the harm: ${m.observed}`);
}

/** A WebSocket through the running config gets 101, the backend's hello and an echo. */
export async function showWorks(r: Running): Promise<string> {
  const client = await openWsOk(r.url);
  const id = await client.waitIdentity();
  assert.deepEqual(
    id,
    { backend: r.backend.name, port: r.backend.port },
    'the hello comes from the configured backend',
  );
  client.send('ping-through-proxy');
  const msgs = await client.waitMessages(2, 2000);
  assert.equal(msgs[1], 'ping-through-proxy', 'the backend echo comes back through the proxy');
  client.close();
  return `101, hello from ${id.backend}, echo received`;
}

/** For idle-cut cases: the connection stays open for `survivesMs` (with the case's heartbeat) and still echoes. */
export async function showSurvives(c: LiveCase, r: Running): Promise<string> {
  const e = c.expect;
  if (e.kind !== 'idle-cut') throw new Error('showSurvives is for idle-cut cases');
  const client = await openWsOk(r.url);
  await client.waitIdentity();
  if (e.heartbeatMs) client.startHeartbeat(e.heartbeatMs);
  const closed = await client.waitClose(e.survivesMs);
  assert.equal(
    closed,
    undefined,
    `the config should keep the connection for ${e.survivesMs} ms (closed with ${closed?.code})`,
  );
  client.send('still-here');
  const msgs = await client.waitMessages(2, 1500);
  assert.equal(msgs.at(-1), 'still-here', 'the connection still echoes after the old limit');
  client.close();
  return `open and echoing after ${e.survivesMs} ms${e.heartbeatMs ? ` with a ping every ${e.heartbeatMs} ms` : ' without traffic'}`;
}

/** Everything a fixed config must show: validator ok (no warning for warning cases), then live. */
export async function proveFixed(c: LiveCase, text: string, tag: string): Promise<string> {
  const v = validate(c.system, text, { LISTEN: 1, B1: 2, B2: 3, B3: 4, B4: 5, B5: 6 });
  assert.equal(v.ok, true, `the fixed config should pass the validator; said:\n${v.output}`);
  if (c.expect.kind === 'validator-warns') assert.doesNotMatch(v.output, /WARNING/, 'the fixed config has no warning');
  if (MEASURED_KINDS.has(c.expect.kind)) {
    const m = await measure(c, text, tag);
    assertFixed(c, m);
    return `validator ok; ${m.observed}`;
  }
  const r = await run(c, text, tag);
  const live = c.expect.kind === 'idle-cut' ? await showSurvives(c, r) : await showWorks(r);
  return `validator ok; ${live}`;
}

export function describeExpect(c: LiveCase): string {
  const e = c.expect;
  switch (e.kind) {
    case 'refused-by-validator':
      return `validator refuses: ${e.message.source}`;
    case 'validator-warns':
      return `validator warns: ${e.message.source}`;
    case 'no-upgrade':
      return `handshake answered ${e.status} instead of 101`;
    case 'idle-cut':
      return `closed after ~${e.cutAfterMs} ms without traffic${e.heartbeatMs ? ` (heartbeat every ${e.heartbeatMs} ms)` : ''}; fixed config survives ${e.survivesMs} ms`;
    case 'subnet-skew':
      return `${e.clients} clients of one /24 all land on one backend; fixed config spreads them`;
    case 'remap-on-add':
      return `adding a server moves > ${e.badAbove * 100}% of clients, also between old servers; fixed config moves clients only to the new server`;
    case 'load-blind':
      return 'new connections ignore open-connection counts (1/3 split); fixed config evens them (2/2)';
    case 'reload-lingers':
      return `after a reload the old worker and its WebSocket live on (${e.afterMs} ms); fixed config ends them`;
    case 'down-keeps-sessions':
      return `a WebSocket stays on a server marked down (${e.afterMs} ms); fixed config closes it`;
    case 'brief-outage':
      return `the server's listener is gone for ${e.outageMs} ms: its WebSocket is closed; fixed config keeps it open`;
    case 'slowstart-burst':
      return `leastconn: a server back from down takes all of a burst of ${e.burst}; with slowstart at most ${e.goodAtMost}`;
    case 'dead-server':
      return `round robin keeps sending handshakes to a dead server (some of ${e.clients} fail); fixed config sends them all to the live one`;
    case 'plain-request-connection':
      return 'a plain request reaches the backend as a WebSocket handshake and fails (400); fixed config serves it (200) and still upgrades WebSockets';
    case 'per-worker-failures':
      return '2 workers: a dead server is tried once per worker without zone; once in all with zone';
    case 'keepalive-reuse':
      return `${e.requests} plain requests open ${e.requests} upstream connections; fixed config reuses one`;
    case 'connection-cap':
      return `of ${e.clients} WebSockets the later ones fail (worker_connections are not enough); fixed config opens all`;
    case 'stuck-server':
      return `a server that accepts TCP but never answers stays up and its share of ${e.clients} handshakes fails; fixed config marks it down`;
    case 'backend-stall':
      return `a backend that stops reading for ${e.stallMs} ms loses its WebSocket; fixed config keeps it`;
    case 'maxconn-queue':
      return `${e.websockets} open WebSockets take every maxconn slot: a plain request queues and gets 503; fixed config serves it (200)`;
  }
}
