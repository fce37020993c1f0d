import { strict as assert } from 'node:assert';
import { describeHaproxyKeyword, describeNginxDirective } from '../../server/src/service/knowledge';

describe('knowledge: summaries for hovers', () => {
  it('summarises an nginx directive for the target version', () => {
    const s = describeNginxDirective('proxy_http_version', { version: '1.22.1' })!;
    assert.equal(s.module, 'ngx_http_proxy_module');
    assert.equal(s.default?.value, '1.0');
    assert.deepEqual(s.contexts, ['http', 'http server', 'location']);
    assert.equal(s.url, 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version');
    assert.match(s.syntax.join(' '), /`1\.1`/);
    assert.equal(s.unavailable, undefined);
    assert.equal(describeNginxDirective('proxy_http_version', { version: '1.29.7' })!.default?.value, '1.1');
  });

  it('tells why a directive is unavailable to the target', () => {
    assert.equal(
      describeNginxDirective('http2', { version: '1.22.1' })!.unavailable,
      'needs nginx 1.25.1; target is 1.22.1',
    );
    assert.equal(describeNginxDirective('http2', { version: '1.26.0' })!.unavailable, undefined);
    assert.match(describeNginxDirective('health_check', { version: '1.22.1' })!.unavailable!, /NGINX Plus/);
    assert.match(
      describeNginxDirective('geoip_country', { version: '1.22.1' })!.unavailable!,
      /libnginx-mod-http-geoip/,
    );
    assert.equal(describeNginxDirective('no_such_thing', { version: '1.22.1' }), undefined);
  });

  it('picks the definition of the family at the cursor', () => {
    const stream = describeNginxDirective('proxy_timeout', { version: '1.22.1', family: 'stream' })!;
    assert.equal(stream.module, 'ngx_stream_proxy_module');
    assert.equal(stream.default?.value, '10m');
    assert.deepEqual(stream.contexts, ['stream', 'stream server']);
    const ups = describeNginxDirective('server', { version: '1.22.1', family: 'stream' })!;
    assert.ok(ups.module.startsWith('ngx_stream_'));
  });

  it('summarises HAProxy keywords: proxy (with sections), global, server option, action', () => {
    const t = describeHaproxyKeyword(['timeout', 'tunnel', '1h'], 'backend')!;
    assert.equal(t.name, 'timeout tunnel');
    assert.deepEqual(t.allowedIn, ['defaults', 'listen', 'backend']);
    assert.equal(t.url, 'https://docs.haproxy.org/2.6/configuration.html#4.2-timeout%20tunnel');
    assert.deepEqual(describeHaproxyKeyword(['acl', 'x', 'src', '1.2.3.4'], 'frontend')!.allowedIn, [
      'defaults (named only)',
      'frontend',
      'listen',
      'backend',
    ]);
    const g = describeHaproxyKeyword(['hard-stop-after', '30s'], 'global')!;
    assert.equal(g.kind, 'global');
    assert.equal(g.section, '3.1');
    const so = describeHaproxyKeyword(['server', 'a', '10.0.0.1:80', 'slowstart', '30s'], 'backend', 'slowstart')!;
    assert.equal(so.kind, 'server-option');
    assert.deepEqual(so.syntax, ['<start_time_in_ms>']);
    const act = describeHaproxyKeyword(['http-request', 'set-header', 'X', 'y'], 'frontend', 'set-header')!;
    assert.equal(act.kind, 'action');
    assert.equal(describeHaproxyKeyword(['nameserver', 'a', '1.2.3.4:53'], 'resolvers')!.kind, 'section');
    assert.equal(describeHaproxyKeyword(['frobnicate'], 'backend'), undefined);
  });
});
