import { haproxyWebSocketBackends } from '../../server/src/service/model/websocket-haproxy';
import { strict as assert } from 'node:assert';
import {
  backendReferences,
  buildHaproxyConfig,
  findProxy,
  haproxyEffective,
  haproxyTimeout,
  proxyMode,
} from '../../server/src/service/model/haproxy';

const cfgText = `global
    maxconn 100

defaults base
    mode http
    timeout client 30s
    timeout server 30000
    option httplog
    default-server inter 2s fall 3 slowstart 10s

defaults ws from base
    timeout tunnel 1h

frontend fe from base
    bind :80
    no option httplog
    acl is_ws hdr(upgrade) -i websocket
    use_backend chat if is_ws
    use_backend missing if !is_ws
    default_backend web

backend chat
    balance leastconn
    server a 127.0.0.1:9001 check weight 3
    server b 127.0.0.1:9002 backup no-check
    default-server maxconn 50
    server c [::1]:9003 disabled

backend web from base
    server w 127.0.0.1:9100
`;

describe('HAProxy model', () => {
  const cfg = buildHaproxyConfig([{ path: '/h.cfg', text: cfgText }]);

  it('a proxy without `from` takes the last defaults section before it, named or not', () => {
    const chat = findProxy(cfg, 'chat')!;
    assert.equal(chat.defaults?.name, 'ws');
    const t = haproxyTimeout(chat, 'tunnel');
    assert.equal(t.ms, 3_600_000);
    assert.equal(t.eff?.source, 'defaults');
    // through the chain: ws from base
    assert.equal(haproxyTimeout(chat, 'client').ms, 30_000);
    assert.equal(haproxyTimeout(chat, 'server').ms, 30_000, 'a bare number is milliseconds');
    assert.equal(proxyMode(chat), 'http');
  });

  it('`from` picks a named defaults section; `no option` turns an inherited option off', () => {
    const web = findProxy(cfg, 'web')!;
    assert.equal(web.defaults?.name, 'base');
    assert.equal(haproxyTimeout(web, 'tunnel').ms, null);
    const fe = cfg.proxies.find((p) => p.name === 'fe')!;
    assert.equal(haproxyEffective(fe, ['option', 'httplog'])?.negated, true);
    assert.equal(haproxyEffective(web, ['option', 'httplog'])?.negated, false);
  });

  it('parses server lines over default-server lines from defaults and the section', () => {
    const chat = findProxy(cfg, 'chat')!;
    const [a, b, c] = chat.servers;
    assert.deepEqual(
      [a.name, a.address, a.port, a.weight, a.check, a.backup, a.slowstartMs],
      ['a', '127.0.0.1', 9001, 3, true, false, 10_000],
    );
    assert.deepEqual([b.backup, b.check, b.maxconn], [true, false, null]);
    assert.deepEqual([c.address, c.port, c.disabled, c.maxconn, c.id], ['[::1]', 9003, true, 50, 3]);
  });

  it('resolves use_backend/default_backend and keeps unresolved names', () => {
    const refs = backendReferences(cfg).map((r) => [
      r.statement.keyword,
      r.word.value,
      r.target?.name ?? null,
      r.conditionAcls.join(','),
    ]);
    assert.deepEqual(refs, [
      ['use_backend', 'chat', 'chat', 'is_ws'],
      ['use_backend', 'missing', null, 'is_ws'],
      ['default_backend', 'web', 'web', ''],
    ]);
  });

  it('reports `from` naming an unknown defaults section', () => {
    const bad = buildHaproxyConfig([{ path: '/b.cfg', text: 'backend x from nope\n    server a 1.2.3.4:80\n' }]);
    assert.equal(bad.diagnostics[0]?.code, 'haproxy/unknown-defaults');
  });
});

describe('HAProxy model: WebSocket routes', () => {
  it('a backend reached only when the WebSocket ACL does NOT match is not a WebSocket backend', () => {
    const text = `frontend fe
    bind :80
    acl is_ws hdr(Upgrade) -i websocket
    acl api path_beg /api
    use_backend web if api !is_ws
    use_backend web2 unless is_ws
    use_backend chat if is_ws
    use_backend chat2 unless !is_ws
backend web
    server a 127.0.0.1:1
backend web2
    server a 127.0.0.1:1
backend chat
    server a 127.0.0.1:1
backend chat2
    server a 127.0.0.1:1
`;
    const cfg = buildHaproxyConfig([{ path: '/h.cfg', text }]);
    assert.deepEqual(
      haproxyWebSocketBackends(cfg).map((b) => b.proxy.name),
      ['chat', 'chat2'],
    );
  });
});
