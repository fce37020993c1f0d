import { nginxWebSocketLocations } from '../../server/src/service/model/websocket';
import { strict as assert } from 'node:assert';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import {
  buildNginxConfig,
  contextsOfKind,
  definedVariables,
  effectiveList,
  effectiveProxyHeader,
  effectiveValue,
  findUpstream,
  walkStatements,
} from '../../server/src/service/model/nginx';
import { defaultsFor } from '../../server/src/service/rules/nginx/common';
import { withDefaults } from '../../server/src/service/options';

function build(files: Record<string, string>, root = '/etc/nginx/nginx.conf') {
  return buildNginxConfig(root, new MemoryFileSystem(files));
}

const location = (cfg: ReturnType<typeof build>, path: string) => {
  const l = contextsOfKind(cfg, 'location').find((c) => c.statement?.args.includes(path));
  assert.ok(l, `location ${path} not found`);
  return l;
};

describe('nginx model: inheritance', () => {
  const cfg = build({
    '/etc/nginx/nginx.conf': `events {}
http {
    proxy_read_timeout 120s;
    proxy_set_header Host $host;
    proxy_set_header Upgrade $http_upgrade;
    server {
        listen 80;
        location /a { proxy_pass http://x; }
        location /b {
            proxy_read_timeout 5s;
            proxy_set_header X-Real-IP $remote_addr;
            location /b/inner { proxy_pass http://x; }
        }
    }
}
`,
  });

  it('a scalar comes from the nearest enclosing level, with its statement', () => {
    const a = effectiveValue(location(cfg, '/a'), 'proxy_read_timeout');
    assert.deepEqual(a.args, ['120s']);
    assert.equal(a.source, 'inherited');
    assert.equal(a.statement?.context.kind, 'http');
    const b = effectiveValue(location(cfg, '/b'), 'proxy_read_timeout');
    assert.equal(b.source, 'here');
    assert.deepEqual(b.args, ['5s']);
    const inner = effectiveValue(location(cfg, '/b/inner'), 'proxy_read_timeout');
    assert.deepEqual(inner.args, ['5s'], 'nested location inherits from the outer location');
  });

  it('an unset scalar falls back to the default of the target version', () => {
    const old = effectiveValue(
      location(cfg, '/a'),
      'proxy_http_version',
      defaultsFor(withDefaults({ nginxVersion: '1.22.1' })),
    );
    assert.deepEqual(old.args, ['1.0']);
    assert.equal(old.source, 'default');
    assert.match(old.defaultNote ?? '', /1\.22\.1/);
    const modern = effectiveValue(
      location(cfg, '/a'),
      'proxy_http_version',
      defaultsFor(withDefaults({ nginxVersion: '1.29.7' })),
    );
    assert.deepEqual(modern.args, ['1.1']);
    const before = effectiveValue(
      location(cfg, '/a'),
      'proxy_http_version',
      defaultsFor(withDefaults({ nginxVersion: '1.29.6' })),
    );
    assert.deepEqual(before.args, ['1.0']);
  });

  it('proxy_set_header is inherited whole, and only when the level defines none', () => {
    const a = effectiveList(location(cfg, '/a'), 'proxy_set_header');
    assert.equal(a.source, 'inherited');
    assert.deepEqual(
      a.statements.map((s) => s.args[0]),
      ['Host', 'Upgrade'],
    );
    const b = effectiveList(location(cfg, '/b'), 'proxy_set_header');
    assert.equal(b.source, 'here');
    assert.deepEqual(
      b.statements.map((s) => s.args[0]),
      ['X-Real-IP'],
    );
    assert.equal(effectiveProxyHeader(location(cfg, '/b'), 'upgrade').value, null, 'Upgrade is lost in /b');
    assert.equal(effectiveProxyHeader(location(cfg, '/b/inner'), 'x-real-ip').value, '$remote_addr');
    assert.equal(effectiveProxyHeader(location(cfg, '/a'), 'UPGRADE').value, '$http_upgrade');
  });
});

describe('nginx model: includes', () => {
  it('expands globs relative to the main config directory, in sorted order, into the including context', () => {
    const cfg = build({
      '/etc/nginx/nginx.conf': 'events {}\nhttp {\n    include conf.d/*.conf;\n}\n',
      '/etc/nginx/conf.d/b.conf': 'server { listen 81; location /ws { proxy_pass http://chat; } }\n',
      '/etc/nginx/conf.d/a.conf': 'upstream chat { server 127.0.0.1:9000; }\n',
      '/etc/nginx/conf.d/skip.txt': 'garbage {\n',
    });
    assert.deepEqual(
      [...cfg.sources.keys()],
      ['/etc/nginx/nginx.conf', '/etc/nginx/conf.d/a.conf', '/etc/nginx/conf.d/b.conf'],
    );
    const up = findUpstream(cfg, 'chat', 'http');
    assert.ok(up, 'upstream from an included file is found');
    const loc = location(cfg, '/ws');
    assert.equal(loc.parent?.parent?.kind, 'http');
    assert.equal(loc.statement?.includedVia[0].name, 'include');
    assert.equal(cfg.diagnostics.length, 0);
  });

  it('reports a missing include and a cycle, and never hangs', () => {
    const cfg = build({
      '/etc/nginx/nginx.conf': 'events {}\nhttp {\n    include missing.conf;\n    include a.conf;\n}\n',
      '/etc/nginx/a.conf': 'include b.conf;\n',
      '/etc/nginx/b.conf': 'include a.conf;\n',
    });
    const codes = cfg.diagnostics.map((d) => d.code).sort();
    assert.deepEqual(codes, ['nginx/include-cycle', 'nginx/include-not-found']);
    const cycle = cfg.diagnostics.find((d) => d.code === 'nginx/include-cycle')!;
    assert.equal(cycle.path, '/etc/nginx/b.conf');
    assert.match(cycle.message, /a\.conf → b\.conf → a\.conf/);
  });

  it('falls back to the including file directory for fragments', () => {
    const cfg = build(
      {
        '/srv/site/main.conf': 'location /x { include snippets/ws.conf; proxy_pass http://b; }\n',
        '/srv/site/snippets/ws.conf': 'proxy_set_header Upgrade $http_upgrade;\n',
      },
      '/srv/site/main.conf',
    );
    assert.equal(cfg.diagnostics.length, 0);
    assert.deepEqual(cfg.assumedContext, ['http', 'server']);
    const stmts = [...walkStatements(cfg.root)].map((s) => s.name);
    assert.ok(stmts.includes('proxy_set_header'));
  });
});

describe('nginx model: variables and fragments', () => {
  it('finds variables defined by map, geo, set, split_clients and named captures', () => {
    const cfg = build({
      '/etc/nginx/nginx.conf': `events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    geo $is_office { default 0; 10.0.0.0/8 1; }
    split_clients "\${remote_addr}" $variant { 50% a; * b; }
    server {
        location ~ ^/u/(?<user>[a-z]+)$ { set $target "u"; proxy_pass http://x; }
    }
}
`,
    });
    const vars = [...definedVariables(cfg).keys()].sort();
    assert.deepEqual(vars, ['connection_upgrade', 'is_office', 'target', 'user', 'variant']);
  });

  it('analyses a sites-enabled fragment as if inside http', () => {
    const cfg = build(
      { '/etc/nginx/sites-enabled/app': 'server { listen 80; location / { proxy_pass http://a; } }\n' },
      '/etc/nginx/sites-enabled/app',
    );
    assert.deepEqual(cfg.assumedContext, ['http']);
    const loc = contextsOfKind(cfg, 'location')[0];
    assert.equal(loc.family, 'http');
  });
});

describe('nginx model: the block a fragment stands in', () => {
  const assumed = (text: string) => build({ '/srv/snippets/f.conf': text }, '/srv/snippets/f.conf').assumedContext;

  it('takes a snippet of set and if for a server body (nginx refuses both in http)', () => {
    // Nginx Proxy Manager's conf.d/include/force-ssl.conf, shortened
    assert.deepEqual(
      assumed(
        'set $test "";\nif ($scheme = "http") {\n\tset $test "H";\n}\nif ($test = H) {\n\treturn 301 https://$host$request_uri;\n}\n',
      ),
      ['http', 'server'],
    );
    assert.deepEqual(assumed('set $a 1;\nif ($a) { set $b 2; }\n'), ['http', 'server']);
  });

  it('resolves the includes of an include-only snippet against the folder holding nginx.conf, in the block they need', () => {
    // H5BP: h5bp/basic.conf holds only includes, and server blocks include it
    const files = {
      '/srv/h5bp-site/nginx.conf': 'events {}\nhttp { server { listen 80; include h5bp/basic.conf; } }\n',
      '/srv/h5bp-site/h5bp/basic.conf':
        'include h5bp/security/x-frame-options.conf;\ninclude h5bp/location/files.conf;\n',
      '/srv/h5bp-site/h5bp/security/x-frame-options.conf': 'add_header X-Frame-Options DENY always;\n',
      '/srv/h5bp-site/h5bp/location/files.conf': 'location ~* /\\.git { deny all; }\n',
    };
    const cfg = build(files, '/srv/h5bp-site/h5bp/basic.conf');
    assert.deepEqual(cfg.diagnostics, []);
    assert.deepEqual(cfg.assumedContext, ['http', 'server']);
    assert.equal(contextsOfKind(cfg, 'location').length, 1);
    // a main config of includes only, or one with no nginx.conf above, stays as it was
    assert.equal(build(files, '/srv/h5bp-site/nginx.conf').assumedContext, null);
    const alone = build(
      { '/srv/x/all.conf': 'include a.conf;\n', '/srv/x/a.conf': 'add_header A b;\n' },
      '/srv/x/all.conf',
    );
    assert.equal(alone.assumedContext, null);
  });

  it('keeps http for directives http accepts, and ignores unknown names', () => {
    assert.deepEqual(assumed('gzip on;\ngzip_types text/css;\n'), ['http']);
    assert.deepEqual(assumed('gzip on;\nvod_mode mapped;\n'), ['http']);
  });
});

describe('nginx model: scale', () => {
  it('WebSocket detection over 2000 locations stays linear (cached per config)', () => {
    const parts = ['events {}', 'http {', "map $http_upgrade $connection_upgrade { default upgrade; '' close; }"];
    for (let i = 0; i < 2000; i++)
      parts.push(
        `upstream u${i} { server 127.0.0.1:${1000 + i}; }`,
        `server { listen ${2000 + i}; location /ws { proxy_pass http://u${i}; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade; } }`,
      );
    parts.push('}');
    const cfg = build({ '/etc/nginx/nginx.conf': parts.join('\n') });
    const t = Date.now();
    assert.equal(nginxWebSocketLocations(cfg).length, 2000);
    // quadratic work here took minutes; linear work takes well under a second even on a loaded machine
    assert.ok(Date.now() - t < 5000, `took ${Date.now() - t} ms`);
  });
});
