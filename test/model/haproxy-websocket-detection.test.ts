/**
 * Which HAProxy backends carry WebSocket, on configs shaped like real ones (test/fixtures/
 * haproxy-websocket/, each citing where its shape comes from): the Socket.IO documentation's
 * example (its `io` cookie), frontends that match upgrades or WebSocket hosts without routing on
 * them, Host and MQTT routes, a backend's own tunnel timeout in mode http, comments; and near
 * misses that must stay plain (a tunnel timeout in defaults or in mode tcp, negated comments,
 * upgrades routed to another backend).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildHaproxyConfig } from '../../server/src/service/model/haproxy';
import { haproxyWebSocketBackends } from '../../server/src/service/model/websocket-haproxy';
import { analyzeText } from '../helpers/analyze';

const DIR = path.join(__dirname, '..', 'fixtures', 'haproxy-websocket');

function detected(file: string): Record<string, string[]> {
  const text = fs.readFileSync(path.join(DIR, file), 'utf8');
  const config = buildHaproxyConfig([{ path: `/${file}`, text }]);
  return Object.fromEntries(
    haproxyWebSocketBackends(config).map((b) => [b.proxy.name ?? '', b.reasons.map((r) => r.kind)]),
  );
}

describe('HAProxy WebSocket detection on real shapes', () => {
  it('the Socket.IO documentation example: the io cookie', () => {
    assert.deepEqual(detected('socketio-docs.cfg'), { nodes: ['cookie'] });
  });

  it('the Socket.IO example gets the drain and balance findings', () => {
    // (no-hard-stop-after is not among them since issue 19: the example has no global section, so
    // it is a snippet, not the config a reloaded HAProxy runs)
    const text = fs.readFileSync(path.join(DIR, 'socketio-docs.cfg'), 'utf8');
    const codes = analyzeText('haproxy', text).map((f) => f.code);
    for (const code of ['haproxy/no-shutdown-sessions', 'haproxy/ws-balance-roundrobin'])
      assert.ok(codes.includes(code), `${code} in ${codes.join(', ')}`);
  });

  it('a frontend matching upgrades without routing on them sends them to its default backend', () => {
    assert.deepEqual(detected('host-acl-unrouted.cfg'), { node_backend: ['acl'] });
  });

  it('routes on a WebSocket host name or an MQTT path', () => {
    assert.deepEqual(detected('routed-host.cfg'), { live: ['path'], broker: ['path'] });
  });

  it("a backend's own tunnel timeout in mode http, and a comment inside a backend", () => {
    assert.deepEqual(detected('tunnel-comment.cfg'), { app: ['tunnel'], events: ['comment'] });
  });

  it('near misses stay plain: defaults-level or tcp-mode tunnel timeouts, negated comments, upgrades routed elsewhere', () => {
    assert.deepEqual(detected('not-websocket.cfg'), { nowhere: ['acl'] });
  });
});
