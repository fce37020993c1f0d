/**
 * Shared steps of the live proofs: start a case's config with one identity backend, and show that a
 * config works (valid, 101, hello, echo; for timeout cases: survives idle past the old limit).
 */
import { strict as assert } from 'node:assert';
import { delay, freePort, now, openWsOk, processGroup, startBackend, startBalancer, validate, waitFor, type Backend, type Balancer, type Identity, type LiveClient } from './harness';
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
  return { observed: `${e.clients} clients from ${e.subnet}.0/24 spread over backends as ${counts.join('/')}`, harmful: used === 1, value: used };
}

/** Source addresses spread over many /24s of 127/8. */
function spreadAddr(i: number): string {
  const x = Math.imul(i + 11, 2654435761) >>> 0;
  return `127.${1 + (x % 200)}.${(x >>> 8) & 255}.${1 + ((x >>> 16) % 250)}`;
}

async function assignments(r: Running, addrs: string[]): Promise<number[]> {
  const out: number[] = new Array(addrs.length).fill(-1);
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
    await waitFor(() => r.backends[o.b].connections[o.conn].closed, { timeoutMs: 2000, label: 'backend sees the close' });
  }
  const remaining = open.filter((x) => x.b !== target);
  const before = r.backends.map((_, i) => remaining.filter((x) => x.b === i).length);
  for (let i = 0; i < 2; i++) await connect();
  const after = r.backends.map((_, i) => open.filter((x) => x.b === i && !x.client.closed && !(x.b === target && open.indexOf(x) < 4)).length);
  open.forEach((o) => o.client.close());
  const spread = Math.max(...after) - Math.min(...after);
  return { observed: `open connections per backend ${before.join('/')} → after 2 new clients ${after.join('/')}`, harmful: spread >= 2, value: spread };
}

async function measureReload(c: LiveCase, text: string, tag: string): Promise<Measurement> {
  const e = c.expect as Extract<LiveCase['expect'], { kind: 'reload-lingers' }>;
  const r = await run(c, text, tag);
  const client = await openWsOk(r.url);
  await client.waitIdentity();
  const master = r.balancer.pid;
  const oldWorkers = processGroup(master).filter((p) => p !== master);
  assert.ok(oldWorkers.length > 0, 'found the worker holding the WebSocket');
  process.kill(master, 'SIGHUP'); // nginx: reload the configuration, start new workers
  await waitFor(() => processGroup(master).some((p) => p !== master && !oldWorkers.includes(p)), { timeoutMs: 3000, label: 'new worker after reload' });
  const t0 = now();
  await delay(e.afterMs);
  const alive = oldWorkers.filter((p) => processGroup(master).includes(p));
  const closed = client.closed;
  let echo = false;
  if (!closed) {
    client.send('after-reload');
    echo = (await client.waitMessages(2, 1000)).at(-1) === 'after-reload';
  }
  client.close();
  const observed = closed
    ? `${Math.round(now() - t0)} ms after the reload: old worker ${alive.length ? 'still running' : 'gone'}, WebSocket closed (code ${closed.code}, ${Math.round(closed.at - t0)} ms after the reload)`
    : `${e.afterMs} ms after the reload: old worker ${alive.length ? 'still running' : 'gone'}, WebSocket still open${echo ? ' and echoing' : ''}`;
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
    default:
      throw new Error(`no measurement for ${c.expect.kind}`);
  }
}

export const MEASURED_KINDS: ReadonlySet<string> = new Set(['subnet-skew', 'remap-on-add', 'load-blind', 'reload-lingers', 'down-keeps-sessions']);

/** Asserts that a measurement of a fixed config shows no harm (with the kind's own threshold). */
export function assertFixed(c: LiveCase, m: Measurement): void {
  if (c.expect.kind === 'remap-on-add') {
    assert.equal(m.betweenOld, 0, `fixed config: only moves to the new server expected; ${m.observed}`);
    assert.ok((m.value ?? 1) < c.expect.goodBelow, `fixed config: ${m.observed}`);
  }
  assert.equal(m.harmful, false, `the fixed config should not show the harm: ${m.observed}`);
}

/** A WebSocket through the running config gets 101, the backend's hello and an echo. */
export async function showWorks(r: Running): Promise<string> {
  const client = await openWsOk(r.url);
  const id = await client.waitIdentity();
  assert.deepEqual(id, { backend: r.backend.name, port: r.backend.port }, 'the hello comes from the configured backend');
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
  assert.equal(closed, undefined, `the config should keep the connection for ${e.survivesMs} ms (closed with ${closed?.code})`);
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
  }
}
