import { strict as assert } from 'node:assert';
import {
  argCountFromBits,
  argCountFromSyntax,
  argCountOf,
  blockTypeOfPath,
  compareVersions,
  contextsAllowed,
  DEBIAN_12,
  isNginxDirectiveName,
  nginxCommands,
  nginxDefault,
  nginxDirective,
  nginxDirectivesForContext,
  nginxDocs,
} from '../../server/src/service/knowledge';

describe('knowledge: nginx data', () => {
  it('knows proxy_read_timeout: default 60s, allowed in http/server/location, one argument', () => {
    assert.deepEqual(nginxDefault('proxy_read_timeout', '1.22.1'), { value: '60s' });
    assert.deepEqual(
      contextsAllowed('proxy_read_timeout', '1.22.1').sort(),
      ['http', 'http server', 'location'].sort(),
    );
    assert.deepEqual(argCountOf('proxy_read_timeout', 'http', '1.22.1'), { min: 1, max: 1 });
    const [info] = nginxDirective('proxy_read_timeout', 'http', '1.22.1');
    assert.equal(info.module, 'ngx_http_proxy_module');
    assert.equal(info.doc?.url, 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_read_timeout');
    assert.match(info.doc.description, /proxied server/);
  });

  it('gives the proxy_http_version default by version: 1.0 before 1.29.7, 1.1 from it', () => {
    assert.equal(nginxDefault('proxy_http_version', '1.22.1')?.value, '1.0');
    assert.equal(nginxDefault('proxy_http_version', '1.29.6')?.value, '1.0');
    const newer = nginxDefault('proxy_http_version', '1.29.7');
    assert.equal(newer?.value, '1.1');
    assert.equal(newer?.since, '1.29.7');
    assert.equal(nginxDefault('keepalive', '1.22.1')?.value, undefined);
    assert.equal(nginxDefault('keepalive', '1.30.0')?.value, '32 local');
    assert.equal(nginxDefault('ssl_protocols', '1.22.1')?.value, 'TLSv1 TLSv1.1 TLSv1.2');
    assert.equal(nginxDefault('ssl_protocols', '1.24.0')?.value, 'TLSv1.2 TLSv1.3');
    assert.equal(nginxDefault('constructor', '1.22.1'), undefined);
    assert.equal(nginxDefault('toString', '1.22.1'), undefined);
  });

  it('records first versions from the release command tables', () => {
    const http2 = nginxCommands('http2');
    assert.equal(http2.length, 1);
    assert.equal(http2[0].since, '1.25.1');
    const ssl = nginxCommands('ssl').find((c) => c.family === 'http');
    assert.equal(ssl?.removed, '1.25.1');
    // resolver inside upstream: OSS since 1.27.3 (before, the http/stream core resolver only)
    const upsResolver = nginxCommands('resolver').find((c) => c.module === 'ngx_http_upstream_module');
    assert.equal(upsResolver?.since, '1.27.3');
    assert.ok(compareVersions('1.22.1', '1.9.5') > 0);
    assert.equal(compareVersions('1.22', '1.22.0'), 0);
  });

  it('keeps families apart: server, upstream and proxy_pass differ between http and stream', () => {
    const upstreamServerHttp = nginxDirective('server', 'http').find((d) => d.contexts.includes('HTTP_UPS' as never));
    const upstreamServerStream = nginxDirective('server', 'stream').find((d) =>
      d.contexts.includes('STREAM_UPS' as never),
    );
    assert.ok(upstreamServerHttp && upstreamServerStream);
    assert.equal(upstreamServerHttp.module, 'ngx_http_upstream_module');
    assert.equal(upstreamServerStream.module, 'ngx_stream_upstream_module');
    assert.ok(nginxDirectivesForContext(['stream', 'server'], '1.22.1').includes('proxy_timeout'));
    assert.ok(!nginxDirectivesForContext(['http', 'server', 'location'], '1.22.1').includes('proxy_timeout'));
    assert.ok(nginxDirectivesForContext(['http', 'server', 'location'], '1.22.1').includes('proxy_pass'));
    assert.ok(nginxDirectivesForContext(['main', 'stream', 'server'], '1.22.1').includes('proxy_pass'));
    assert.ok(!nginxDirectivesForContext(['http', 'server'], '1.22.1').includes('proxy_pass'));
    assert.equal(blockTypeOfPath(['main', 'http', 'server', 'location', 'if']), 'HTTP_LIF');
    assert.equal(blockTypeOfPath(['http', 'server', 'if in location']), null);
    assert.equal(blockTypeOfPath(['stream', 'upstream']), 'STREAM_UPS');
    assert.equal(blockTypeOfPath(['http', 'location']), null);
  });

  it('derives argument counts from nginx argument bits and from documentation syntax', () => {
    assert.deepEqual(argCountFromBits(['TAKE12']), { min: 1, max: 2 });
    assert.deepEqual(argCountFromBits(['TAKE13']), { min: 1, max: 3, allowed: [1, 3] });
    assert.deepEqual(argCountFromBits(['FLAG']), { min: 1, max: 1 });
    assert.deepEqual(argCountFromBits(['1MORE']), { min: 1, max: Infinity });
    assert.deepEqual(argCountFromBits(['NOARGS']), { min: 0, max: 0 });
    assert.deepEqual(argCountFromSyntax('`1.0` | `1.1` | `2`'), { min: 1, max: 1 });
    assert.deepEqual(argCountFromSyntax('*`address`* ... [`valid`=*`time`*] [`ipv4`=`on`|`off`]'), {
      min: 1,
      max: Infinity,
    });
    assert.deepEqual(argCountFromSyntax('[ `=` | `~` | `~*` | `^~` ] *`uri`* `{...}`'), { min: 1, max: 2 });
    assert.deepEqual(argCountFromSyntax('*`name`* [*`size`*]'), { min: 1, max: 2 });
    assert.deepEqual(argCountFromSyntax(' `{...}`'), { min: 0, max: 0 });
    assert.deepEqual(argCountOf('user', 'main', '1.22.1'), { min: 1, max: 2 });
  });

  it('marks NGINX Plus-only and separately distributed directives', () => {
    const hc = nginxDirective('health_check');
    assert.ok(hc.length > 0 && hc.every((d) => d.plusOnly));
    const js = nginxDirective('js_import', 'http');
    assert.ok(js.length > 0 && js.every((d) => !d.plusOnly && d.separateModule?.startsWith('njs')));
    assert.ok(nginxDirective('proxy_pass', 'http').every((d) => !d.plusOnly));
  });

  it('describes the Debian 12 build: stream and mail present, geoip and perl not loaded', () => {
    assert.ok(!DEBIAN_12.missing.has('ngx_stream_proxy_module'));
    assert.ok(!DEBIAN_12.missing.has('ngx_mail_proxy_module'));
    assert.ok(DEBIAN_12.missing.has('ngx_http_geoip_module'));
    assert.equal(DEBIAN_12.loadable.get('ngx_http_perl_module'), 'ngx_http_perl_module.so');
    assert.ok(!nginxDirectivesForContext(['http'], '1.22.1').includes('geoip_country'));
    assert.ok(nginxDirectivesForContext(['http'], '1.22.1').includes('gzip_static'));
  });

  it('answers isNginxDirectiveName for every version and for NGINX Plus, and nothing else', () => {
    for (const n of ['proxy_pass', 'http2', 'ssl', 'health_check', 'spdy_chunk_size', 'include'])
      assert.ok(isNginxDirectiveName(n), n);
    for (const n of ['proxy_passs', '', 'location_', 'content_by_lua_block']) assert.ok(!isNginxDirectiveName(n), n);
  });

  it('shows reference-lib documentation for every directive of the Debian build', () => {
    const missingDocs: string[] = [];
    for (const ctx of [
      ['main'],
      ['events'],
      ['http'],
      ['http', 'server'],
      ['http', 'server', 'location'],
      ['http', 'upstream'],
      ['stream'],
      ['stream', 'server'],
      ['stream', 'upstream'],
      ['mail'],
      ['mail', 'server'],
    ]) {
      for (const n of nginxDirectivesForContext(ctx, '1.22.1')) if (nginxDocs(n).length === 0) missingDocs.push(n);
    }
    // Directives nginx 1.22.1 accepts that the documentation does not describe (undocumented or
    // obsolete ones): the source tables still know them, so configurations using them stay valid.
    assert.deepEqual([...new Set(missingDocs)].sort(), [
      'epoll_events',
      'gzip_hash',
      'gzip_no_buffer',
      'gzip_window',
      'http2_pool_size',
      'http2_streams_index_size',
      'open_file_cache_events',
      'post_action',
      'postpone_gzipping',
      'proxy_downstream_buffer',
      'proxy_upstream_buffer',
      'ssi_ignore_recycled_buffers',
      'uwsgi_string',
    ]);
  });
});
