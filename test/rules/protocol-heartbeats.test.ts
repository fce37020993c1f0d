/**
 * Protocol heartbeats: a WebSocket location whose path shows the protocol is compared with that
 * protocol's documented heartbeat when the user has not set one (knowledge/protocols.ts).
 */
import { strict as assert } from 'node:assert';
import { PROTOCOL_HEARTBEATS, effectiveHeartbeat } from '../../server/src/service/knowledge/protocols';
import { withDefaults } from '../../server/src/service/options';
import { analyzeText } from '../helpers/analyze';

const PATHS: Record<string, string> = {
  'socket.io': '/socket.io/',
  sockjs: '/sockjs/',
  centrifuge: '/connection/websocket',
  signalr: '/hubs/chat',
  phoenix: '/socket/websocket',
  actioncable: '/cable',
  mqtt: '/mqtt',
  'graphql-ws': '/graphql',
};

function nginx(path: string, timeout: string): string {
  return `events {}
http {
    server {
        listen 80;
        location ${path} {
            proxy_pass http://127.0.0.1:9000;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout ${timeout};
        }
    }
}
`;
}

const readTimeout = (text: string, opts = {}) =>
  analyzeText('nginx', text, opts).filter((f) => f.code === 'nginx/ws-read-timeout');

describe('protocol heartbeats', () => {
  it('every protocol has a path test, a source and a sample path here', () => {
    for (const p of PROTOCOL_HEARTBEATS) {
      assert.ok(PATHS[p.id], p.id);
      assert.ok(p.path.test(PATHS[p.id]), `${p.id} does not match ${PATHS[p.id]}`);
      assert.match(p.source, /^https:\/\//);
    }
  });

  for (const p of PROTOCOL_HEARTBEATS) {
    if (p.intervalMs === null) continue;
    const s = p.intervalMs / 1000;
    it(`${p.name}: a read timeout equal to its ${s} s heartbeat fires, three heartbeats pass`, () => {
      const fire = readTimeout(nginx(PATHS[p.id], `${s}s`));
      assert.equal(fire.length, 1, `${p.id}: ${JSON.stringify(fire)}`);
      assert.match(fire[0].message, new RegExp(`${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} default`));
      assert.equal(readTimeout(nginx(PATHS[p.id], `${3 * s}s`)).length, 0);
    });
  }

  it("MQTT's 60 s keep-alive against nginx's default 60 s read timeout is an error; the user's heartbeat wins", () => {
    const text = nginx('/mqtt', '60s').replace('            proxy_read_timeout 60s;\n', '');
    const f = readTimeout(text);
    assert.equal(f.length, 1);
    assert.equal(f[0].severity, 'error');
    assert.equal(readTimeout(text, { heartbeatMs: 20_000, heartbeatSet: true }).length, 0);
    // the same location without a protocol path: the generic 30 s heartbeat, 60 s is enough
    assert.equal(readTimeout(text.replace('/mqtt', '/live')).length, 0);
  });

  it('graphql-ws sends no heartbeat by default: the generic heartbeat is used and the reason says so', () => {
    const h = effectiveHeartbeat(withDefaults(), ['/graphql']);
    assert.equal(h.origin, 'default');
    assert.equal(h.ms, 30_000);
    assert.match(h.why, /no ping by default/);
    assert.match(h.why, /graphql-ws/);
  });

  it('HAProxy: a Socket.IO backend with timeout tunnel 25s is compared with the Socket.IO heartbeat', () => {
    const cfg = (tunnel: string) => `defaults
    mode http
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout tunnel ${tunnel}
frontend fe
    bind :80
    acl io path_beg /socket.io
    use_backend io if io
backend io
    server a 127.0.0.1:9000 check
`;
    const fire = analyzeText('haproxy', cfg('40s')).filter((f) => f.code === 'haproxy/ws-timeout-below-heartbeat');
    assert.equal(fire.length, 1, JSON.stringify(fire));
    assert.match(fire[0].message, /Socket\.IO default/);
    assert.equal(
      analyzeText('haproxy', cfg('75s')).filter((f) => f.code === 'haproxy/ws-timeout-below-heartbeat').length,
      0,
    );
  });
});
