import { strict as assert } from 'node:assert';
import { isNginxDirectiveName, validateNginx, type ValidateNginxOptions } from '../../server/src/service/knowledge';
import { parseNginx } from '../../server/src/service/syntax/nginx';

/** Diagnostics as "line:code" plus the full objects, for compact assertions. */
function check(text: string, opts: Partial<ValidateNginxOptions> = {}) {
  const file = parseNginx(text, { isDirectiveName: isNginxDirectiveName });
  const ds = validateNginx(file, { version: '1.22.1', ...opts });
  return {
    ds,
    codes: ds.map((d) => `${file.lineIndex.positionAt(d.span.start).line + 1}:${d.code}`),
    textOf: (i: number) => text.slice(ds[i].span.start, ds[i].span.end),
  };
}

describe('knowledge: validateNginx', () => {
  it('accepts a typical WebSocket proxy config', () => {
    const r = check(`events { worker_connections 1024; }
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream app { least_conn; server 127.0.0.1:8080 max_fails=3 fail_timeout=10s; keepalive 16; }
    server {
        listen 80 default_server;
        location /ws {
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 3600s;
            if ($request_method = POST) { return 405; }
            limit_except GET { deny all; }
        }
    }
}
stream { upstream tcp { hash $remote_addr consistent; server 10.0.0.1:5000; } server { listen 5000; proxy_pass tcp; proxy_timeout 10m; } }
`);
    assert.deepEqual(r.codes, []);
  });

  it('reports an unknown directive with a "did you mean" on its name only', () => {
    const r = check('http { server { location / { proxy_passs http://x; } } }');
    assert.deepEqual(r.codes, ['1:nginx/unknown-directive']);
    assert.equal(r.textOf(0), 'proxy_passs');
    assert.equal(r.ds[0].severity, 'error');
    assert.match(r.ds[0].message, /did you mean `proxy_pass`\?/);
  });

  it('reports a directive in the wrong block, respecting http/stream families', () => {
    let r = check('http { proxy_pass http://x; }');
    assert.deepEqual(r.codes, ['1:nginx/directive-not-allowed-here']);
    assert.match(r.ds[0].message, /not allowed in http; it belongs in location, if in location, limit_except$/);
    // proxy_timeout exists only in stream and mail: in http it is "not allowed here" (nginx says the same)
    r = check('http {\n  server {\n    proxy_timeout 10s;\n  }\n}');
    assert.deepEqual(r.codes, ['3:nginx/directive-not-allowed-here']);
    assert.match(r.ds[0].message, /mail\/stream directive|stream\/mail directive/);
    // server inside stream upstream takes a stream upstream server; keepalive is http-only
    r = check('stream { upstream u { server 10.0.0.1:1; keepalive 4; } }');
    assert.deepEqual(r.codes, ['1:nginx/directive-not-allowed-here']);
    assert.equal(r.textOf(0), 'keepalive');
    // a location in an upstream, and events directives at the top level
    r = check('worker_connections 10;\nhttp { upstream u { location / {} } }');
    assert.deepEqual(r.codes, ['1:nginx/directive-not-allowed-here', '2:nginx/directive-not-allowed-here']);
    // server-level if refuses proxy_pass; location-level if accepts it
    r = check('http { server { if ($x) { proxy_pass http://a; } location / { if ($x) { proxy_pass http://a; } } } }');
    assert.deepEqual(r.codes, ['1:nginx/directive-not-allowed-here']);
  });

  it('reports wrong argument counts over the arguments, and block/no-block mistakes', () => {
    let r = check('user;\nworker_processes 1 2;\nhttp { proxy_read_timeout; }');
    assert.deepEqual(r.codes, [
      '1:nginx/wrong-argument-count',
      '2:nginx/wrong-argument-count',
      '3:nginx/wrong-argument-count',
    ]);
    assert.match(r.ds[0].message, /`user` takes 1 or 2 arguments; found 0/);
    assert.equal(r.textOf(1), '1 2');
    r = check('http;\nevents { }\nhttp { gzip on { } }');
    assert.deepEqual(r.codes, ['1:nginx/block-expected', '3:nginx/unexpected-block']);
    r = check(
      'events { } http { server { listen 80 ssl http2; location / { gzip maybe; gzip_vary ON; proxy_buffering "off"; } } }',
    );
    assert.deepEqual(r.codes, ['1:nginx/invalid-flag-value']);
    assert.equal(r.textOf(0), 'maybe');
    assert.match(r.ds[0].message, /`gzip` takes `on` or `off`; found `maybe`/);
  });

  it('reports directives and parameters that need a newer nginx, against the target version', () => {
    let r = check('http { server { http2 on; } }');
    assert.deepEqual(r.codes, ['1:nginx/directive-too-new']);
    assert.equal(r.ds[0].message, '`http2` needs nginx 1.25.1; target is 1.22.1');
    assert.deepEqual(check('http { server { http2 on; } }', { version: '1.25.1' }).codes, []);
    r = check('http { upstream u { zone z 64k; server app.internal:80 resolve; resolver 127.0.0.1; } }');
    assert.deepEqual(r.codes, ['1:nginx/parameter-too-new', '1:nginx/directive-too-new']);
    assert.equal(r.textOf(0), 'resolve');
    assert.match(r.ds[0].message, /needs nginx 1\.27\.3; target is 1\.22\.1/);
    assert.match(r.ds[1].message, /`resolver` inside http upstream needs nginx 1\.27\.3/);
    assert.deepEqual(
      check('http { upstream u { zone z 64k; server app.internal:80 resolve; resolver 127.0.0.1; } }', {
        version: '1.27.3',
      }).codes,
      [],
    );
    // enum values that arrived later
    r = check('http { proxy_http_version 2; proxy_http_version 1.2; proxy_http_version 1.1; }');
    assert.deepEqual(r.codes, ['1:nginx/parameter-too-new', '1:nginx/invalid-value']);
    assert.equal(r.ds[0].message, '`proxy_http_version 2` needs nginx 1.29.4; target is 1.22.1');
    assert.equal(r.textOf(1), '1.2');
    assert.deepEqual(check('http { proxy_http_version 2; }', { version: '1.29.4' }).codes, []);
    // removed directives
    r = check('http { server { ssl on; } }', { version: '1.26.0' });
    assert.deepEqual(r.codes, ['1:nginx/directive-removed']);
    assert.deepEqual(check('http { server { ssl on; } }').codes, []);
    // listen ... http2 is deprecated from 1.25.1 on
    r = check('http { server { listen 443 ssl http2; } }', { version: '1.25.1' });
    assert.deepEqual(r.codes, ['1:nginx/deprecated-parameter']);
    assert.equal(r.ds[0].severity, 'warning');
  });

  it('separates NGINX Plus, separately distributed modules, modules missing from the build, and third-party modules', () => {
    let r = check(
      'http { upstream u { server a:1 slow_start=30s; sticky cookie srv; } server { location / { health_check; js_content f; } } }',
    );
    assert.deepEqual(r.codes, [
      '1:nginx/nginx-plus-only',
      '1:nginx/directive-too-new',
      '1:nginx/nginx-plus-only',
      '1:nginx/module-not-in-build',
    ]);
    r = check('http { geoip_country /usr/share/GeoIP/GeoIP.dat; }');
    assert.deepEqual(r.codes, ['1:nginx/module-not-in-build']);
    assert.match(r.ds[0].message, /load_module modules\/ngx_http_geoip_module\.so;/);
    assert.deepEqual(
      check('load_module modules/ngx_http_geoip_module.so;\nhttp { geoip_country /usr/share/GeoIP/GeoIP.dat; }').codes,
      [],
    );
    assert.deepEqual(check('http { geoip_country /x; }', { build: 'full' }).codes, []);
    r = check('http { lua_shared_dict d 1m; server { location / { content_by_lua_block { ngx.say("}") } } } }');
    // one hint per module and file, at its first directive
    assert.deepEqual(r.codes, ['1:nginx/third-party-directive']);
    assert.ok(r.ds.every((d) => d.severity === 'hint'));
    assert.match(
      r.ds[0].message,
      /^`lua_shared_dict` and 1 more directive of this file come from the third-party module lua-nginx-module/,
    );
    // Kaltura's vod and secure-token modules (Frigate's nginx.conf): two modules, two hints, no error
    r = check(
      'http { server { vod_mode mapped; vod_segment_duration 10000; location /vod/ { vod hls; secure_token $args; secure_token_types text/plain; } } }',
    );
    assert.deepEqual(r.codes, ['1:nginx/third-party-directive', '1:nginx/third-party-directive']);
    assert.match(
      r.ds[0].message,
      /^`vod_mode` and 2 more directives of this file come from the third-party module nginx-vod-module,/,
    );
    assert.match(
      r.ds[1].message,
      /^`secure_token` and 1 more directive of this file come from .*nginx-secure-token-module/,
    );
  });

  it('does not check the bodies of data blocks, and checks an included fragment in its context', () => {
    assert.deepEqual(
      check(
        'http { types { text/html html; } map $a $b { default 1; hostnames; } geo $g { default 0; 10.0.0.0/8 1; } split_clients $x $y { 50% a; * b; } }',
      ).codes,
      [],
    );
    const fragment = 'location /api { proxy_pass http://b; }\nlisten 8080;';
    assert.deepEqual(check(fragment, { rootContext: ['main', 'http', 'server'] }).codes, []);
    assert.deepEqual(check(fragment).codes, [
      '1:nginx/directive-not-allowed-here',
      '2:nginx/directive-not-allowed-here',
    ]);
    assert.deepEqual(check('server { listen 80; }', { rootContext: ['http'] }).codes, []);
    assert.deepEqual(check('server { listen 5000; proxy_pass a:1; }', { rootContext: ['stream'] }).codes, []);
    // a file included in a data block holds data: `map $a $b { include pairs.conf; }`
    assert.deepEqual(check('default 0;\n~^/x 1;\nhostnames;', { rootContext: ['http', 'map'] }).codes, []);
    assert.deepEqual(check('text/html html;', { rootContext: ['http', 'types'] }).codes, []);
  });

  it('treats names of Object.prototype as the unknown words they are', () => {
    const r = check('constructor;\nhttp { toString x; __proto__ y; hasOwnProperty; }', { build: 'constructor' });
    assert.deepEqual(r.codes, [
      '1:nginx/unknown-directive',
      '2:nginx/unknown-directive',
      '2:nginx/unknown-directive',
      '2:nginx/unknown-directive',
    ]);
  });

  it('never throws on broken input', () => {
    for (const t of [
      'http {',
      '}',
      'location',
      '"unterminated',
      'http { server { location { } } } } }',
      ';;;',
      '\u0000{',
      'if (',
      'map { }',
    ]) {
      const file = parseNginx(t, { isDirectiveName: isNginxDirectiveName });
      assert.doesNotThrow(() => validateNginx(file, { version: '1.22.1' }));
      assert.doesNotThrow(() => validateNginx(file, { version: 'garbage', rootContext: ['nowhere'] }));
      assert.doesNotThrow(() => validateNginx(file, { version: '1.22.1', rootContext: ['http', 'constructor'] }));
    }
  });
});
