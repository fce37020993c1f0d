/**
 * Shared steps of the live proofs: start a case's config with one identity backend, and show that a
 * config works (valid, 101, hello, echo; for timeout cases: survives idle past the old limit).
 */
import { strict as assert } from 'node:assert';
import { freePort, openWsOk, startBackend, startBalancer, validate, type Backend } from './harness';
import type { LiveCase } from './cases';

export interface Running {
  backend: Backend;
  port: number;
  url: string;
}

export async function run(c: LiveCase, text: string, tag: string): Promise<Running> {
  const backend = await startBackend({ name: `${tag}-b1` });
  const port = await freePort();
  await startBalancer(c.system, text, { LISTEN: port, B1: backend.port }, [port]);
  return { backend, port, url: `ws://127.0.0.1:${port}/ws` };
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
  const v = validate(c.system, text, { LISTEN: 1, B1: 2 });
  assert.equal(v.ok, true, `the fixed config should pass the validator; said:\n${v.output}`);
  if (c.expect.kind === 'validator-warns') assert.doesNotMatch(v.output, /WARNING/, 'the fixed config has no warning');
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
  }
}
