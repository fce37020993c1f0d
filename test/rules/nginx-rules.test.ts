/**
 * nginx rules beyond the single-file fixtures: includes, fragments, third-party modules, names
 * that only DNS can settle, and "fix all" composing the fixes of several rules on one location.
 */
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles, analyzeText, fixUntilStable } from '../helpers/analyze';
import { applyEdits, collectFixEdits } from '../../server/src/service/fixes/apply';
import { NGINX_RULES } from '../../server/src/service/rules';
import { validateNginx } from '../live/harness';
import type { Finding } from '../../server/src/service/types';
import { need } from '../helpers/needs';

const NGINX_IDS = new Set(NGINX_RULES.map((r) => r.meta.id));
const only = (fs: Finding[], id: string) => fs.filter((f) => f.code === id);

/** Apply the preferred fixes of `filter` over several files until nothing changes. */
function fixFiles(
  files: Record<string, string>,
  root: string,
  filter: (f: Finding) => boolean,
): Record<string, string> {
  let cur = { ...files };
  for (let round = 0; round < 10; round++) {
    const edits = collectFixEdits(analyzeFiles(cur, root), filter);
    if (edits.size === 0) return cur;
    const next = { ...cur };
    for (const [file, es] of edits) next[file] = applyEdits(cur[file], es);
    if (JSON.stringify(next) === JSON.stringify(cur)) return cur;
    cur = next;
  }
  throw new Error('no convergence');
}

const MAP = `    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
`;

describe('nginx rules across includes', () => {
  const root = '/etc/nginx/nginx.conf';

  it('headers inherited from an included file: the message names the file, the fix copies the lines into the location', () => {
    const files = {
      [root]: `events {}\n\nhttp {\n${MAP}\n    server {\n        listen 127.0.0.1:8080;\n        include /etc/nginx/proxy.conf;\n\n        location /ws/ {\n            proxy_pass http://127.0.0.1:9001;\n            proxy_set_header X-Real-IP $remote_addr;\n        }\n    }\n}\n`,
      '/etc/nginx/proxy.conf':
        'proxy_http_version 1.1;\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection $connection_upgrade;\n',
    };
    const hits = only(analyzeFiles(files, root), 'nginx/ws-headers-not-inherited');
    assert.equal(hits.length, 1);
    assert.equal(hits[0].file, root);
    assert.match(hits[0].message, /the outer Upgrade and Connection are not sent; copy them here/);
    // where they come from: related locations in the included file
    assert.deepEqual(
      (hits[0].related ?? []).map((r) => `${r.file}:${r.range.start.line}`),
      ['/etc/nginx/proxy.conf:1', '/etc/nginx/proxy.conf:2'],
    );
    const fixed = fixFiles(files, root, (f) => f.code === 'nginx/ws-headers-not-inherited');
    assert.equal(
      fixed['/etc/nginx/proxy.conf'],
      files['/etc/nginx/proxy.conf'],
      'the shared include must not be edited',
    );
    assert.match(
      fixed[root],
      /X-Real-IP \$remote_addr;\n {12}proxy_set_header Upgrade \$http_upgrade;\n {12}proxy_set_header Connection \$connection_upgrade;\n {8}\}/,
    );
    assert.deepEqual(only(analyzeFiles(fixed, root), 'nginx/ws-headers-not-inherited'), []);
  });

  it('a location whose own lines come from an include gets the missing header after the include, not inside it', () => {
    const files = {
      [root]: `events {}\n\nhttp {\n${MAP}\n    server {\n        listen 127.0.0.1:8080;\n\n        location /socket.io/ {\n            proxy_pass http://127.0.0.1:9001;\n            proxy_http_version 1.1;\n            include /etc/nginx/proxy_params;\n        }\n    }\n}\n`,
      '/etc/nginx/proxy_params': 'proxy_set_header Host $http_host;\nproxy_set_header X-Real-IP $remote_addr;\n',
    };
    const before = analyzeFiles(files, root);
    // Both headers missing: one finding for the idiom, none for the parts.
    assert.equal(only(before, 'nginx/ws-not-upgraded').length, 1);
    assert.equal(only(before, 'nginx/ws-missing-upgrade-header').length, 0);
    assert.equal(only(before, 'nginx/ws-missing-connection-header').length, 0);
    const fixed = fixFiles(files, root, (f) => f.code === 'nginx/ws-not-upgraded');
    assert.equal(fixed['/etc/nginx/proxy_params'], files['/etc/nginx/proxy_params']);
    assert.match(
      fixed[root],
      /include \/etc\/nginx\/proxy_params;\n {12}proxy_set_header Upgrade \$http_upgrade;\n {12}proxy_set_header Connection \$connection_upgrade;\n/,
    );
    const after = analyzeFiles(fixed, root);
    assert.deepEqual(
      after.filter((f) => /header|upgraded/.test(f.code)).map((f) => f.message),
      [],
    );
  });

  it('a map defined in an included file counts as defined', () => {
    const files = {
      [root]: `events {}\n\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n\n    server {\n        listen 127.0.0.1:8080;\n\n        location /ws/ {\n            proxy_pass http://127.0.0.1:9001;\n            proxy_http_version 1.1;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n        }\n    }\n}\n`,
      '/etc/nginx/conf.d/upgrade.conf': MAP,
    };
    assert.deepEqual(only(analyzeFiles(files, root), 'nginx/ws-connection-upgrade-undefined'), []);
    delete (files as Record<string, string>)['/etc/nginx/conf.d/upgrade.conf'];
    assert.equal(
      only(analyzeFiles(files, root), 'nginx/ws-connection-upgrade-undefined').length,
      1,
      'without the file the variable is undefined',
    );
  });
});

describe('nginx rules on fragments and configs we cannot see whole', () => {
  it('a server fragment may use $connection_upgrade and upstreams defined by the file that includes it', () => {
    const fragment = `server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://wsbackend;\n        proxy_http_version 1.1;\n        proxy_set_header Upgrade $http_upgrade;\n        proxy_set_header Connection $connection_upgrade;\n    }\n}\n`;
    const fs = analyzeText('nginx', fragment, {}, '/etc/nginx/sites-enabled/app');
    assert.deepEqual(only(fs, 'nginx/ws-connection-upgrade-undefined'), []);
    assert.deepEqual(only(fs, 'nginx/unknown-upstream'), []);
    assert.deepEqual(only(fs, 'nginx/ws-no-worker-shutdown-timeout'), []);
    assert.deepEqual(only(fs, 'nginx/worker-connections-low'), []);
    // but what the fragment itself shows is still checked
    assert.deepEqual(only(fs, 'nginx/ws-missing-upgrade-header'), []);
    assert.equal(
      only(
        analyzeText(
          'nginx',
          fragment.replace('proxy_set_header Upgrade $http_upgrade;', ''),
          {},
          '/etc/nginx/sites-enabled/app',
        ),
        'nginx/ws-missing-upgrade-header',
      ).length,
      1,
    );
  });

  it('an include that is not found silences the rules that need the whole config', () => {
    const text = `events {}\nhttp {\n    include /nowhere/upstreams.conf;\n    server {\n        listen 127.0.0.1:8080;\n        location /ws/ { proxy_pass http://wsbackend; proxy_set_header Connection $connection_upgrade; }\n    }\n}\n`;
    const fs = analyzeText('nginx', text);
    assert.deepEqual(only(fs, 'nginx/unknown-upstream'), []);
    assert.deepEqual(only(fs, 'nginx/ws-connection-upgrade-undefined'), []);
  });
});

describe('nginx/ws-connection-upgrade-undefined beyond $connection_upgrade', () => {
  const conf = (line: string, pre = '') =>
    `${pre}events {}\nhttp {\n${MAP}    server {\n        listen 127.0.0.1:8080;\n        location / {\n            ${line}\n        }\n    }\n}\n`;

  it('reports a misspelt variable at its exact range, without a fix', () => {
    const text = conf('return 200 "$remote_adr\\n";');
    const h = only(analyzeText('nginx', text), 'nginx/ws-connection-upgrade-undefined');
    assert.equal(h.length, 1);
    assert.match(h[0].message, /unknown "remote_adr" variable/);
    const line = text.split('\n')[h[0].range.start.line];
    assert.equal(line.slice(h[0].range.start.character, h[0].range.end.character), '$remote_adr');
    assert.deepEqual(h[0].fixes, []);
  });

  it('accepts ${name} forms, prefixes, captures and set/map/geo targets', () => {
    for (const line of [
      'return 200 "${host}x$http_x_custom$arg_a$cookie_b$sent_http_c$upstream_http_d";',
      'set $a 1; return 200 $a;',
      'rewrite ^/(.*)$ /x/$1 last;',
    ]) {
      assert.deepEqual(
        only(analyzeText('nginx', conf(line)), 'nginx/ws-connection-upgrade-undefined').map((h) => h.message),
        [],
        line,
      );
    }
  });

  it('with third-party modules only $connection_upgrade is reported (a module may define the others)', () => {
    const pre = 'load_module modules/ngx_http_lua_module.so;\n';
    assert.deepEqual(
      only(analyzeText('nginx', conf('return 200 $lua_thing;', pre)), 'nginx/ws-connection-upgrade-undefined'),
      [],
    );
    const text = conf(
      'proxy_pass http://127.0.0.1:9001; proxy_set_header Connection $connection_upgrade;',
      pre,
    ).replace(MAP, '');
    assert.equal(only(analyzeText('nginx', text), 'nginx/ws-connection-upgrade-undefined').length, 1);
  });

  it('a third-party setter defines its variable', () => {
    const text = conf('mruby_set $backend /etc/nginx/pick.rb; proxy_pass http://$backend;');
    assert.deepEqual(only(analyzeText('nginx', text), 'nginx/ws-connection-upgrade-undefined'), []);
  });
});

describe('nginx/unknown-upstream and names only DNS can settle', () => {
  const conf = (target: string, upstreams = '') =>
    `events {}\nhttp {\n${upstreams}    server {\n        listen 127.0.0.1:8080;\n        location / { proxy_pass ${target}; }\n    }\n}\n`;
  it('leaves host names with a dot or a port alone (Docker service names come with a port)', () => {
    for (const t of [
      'http://app:3000',
      'http://backend.internal',
      'http://api.example.com/x',
      'http://127.0.0.1',
      'http://localhost',
      'http://[::1]:80',
      'http://$upstream_var',
      'http://unix:/run/app.sock',
    ]) {
      assert.deepEqual(only(analyzeText('nginx', conf(t)), 'nginx/unknown-upstream'), [], t);
    }
  });
  it('a bare name is a warning without upstreams and an error with them, with a typo fix when one is close', () => {
    const warn = only(analyzeText('nginx', conf('http://app')), 'nginx/unknown-upstream');
    assert.equal(warn.length, 1);
    assert.equal(warn[0].severity, 'warning');
    const ups = '    upstream backend_pool { server 127.0.0.1:9001; }\n';
    const err = only(analyzeText('nginx', conf('http://backend_pol', ups)), 'nginx/unknown-upstream');
    assert.equal(err[0].severity, 'error');
    assert.equal(err[0].fixes[0].edits[0].newText, 'backend_pool');
    const far = only(analyzeText('nginx', conf('http://frontend', ups)), 'nginx/unknown-upstream');
    assert.deepEqual(far[0].fixes, []);
    assert.match(far[0].message, /upstreams here: backend_pool/);
  });
});

describe('fix all: the fixes of several rules compose', () => {
  const bare = `events {}

http {
    server {
        listen 127.0.0.1:8080;
        proxy_set_header Host $host;

        location /ws/ {
            proxy_pass http://127.0.0.1:9001;
        }
    }
}
`;
  const expected = `worker_rlimit_nofile 8192;
worker_shutdown_timeout 10m;
events { worker_connections 4096; }

http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }

    server {
        listen 127.0.0.1:8080;
        proxy_set_header Host $host;

        location /ws/ {
            proxy_pass http://127.0.0.1:9001;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}
`;

  it('a location missing everything becomes one clean block in one round', () => {
    const before = analyzeText('nginx', bare).filter((f) => NGINX_IDS.has(f.code));
    for (const id of ['nginx/ws-http-version', 'nginx/ws-missing-upgrade-header', 'nginx/ws-missing-connection-header'])
      assert.ok(!before.some((f) => f.code === id), `${id}: the whole idiom is missing, one finding says so`);
    for (const id of ['nginx/ws-not-upgraded', 'nginx/ws-no-worker-shutdown-timeout', 'nginx/worker-connections-low']) {
      assert.ok(
        before.some((f) => f.code === id),
        `${id} should fire on the bare location`,
      );
    }
    const fixed = fixUntilStable('nginx', bare, (f) => NGINX_IDS.has(f.code));
    assert.equal(fixed.text, expected);
    assert.equal(fixed.rounds, 1);
    assert.deepEqual(
      analyzeText('nginx', fixed.text)
        .filter((f) => NGINX_IDS.has(f.code))
        .map((f) => `${f.code} ${f.message}`),
      [],
    );
  });

  const upstreamCase = `worker_processes auto;

events {}

http {
    upstream chat_ws {
        server 127.0.0.1:9001;
        server 127.0.0.1:9002;
        keepalive 16;
    }

    server {
        listen 127.0.0.1:8080;
        proxy_set_header Connection "";

        location /chat/ {
            proxy_pass http://chat_ws;
            proxy_read_timeout 20s;
        }
    }
}
`;

  it('an upstream with every balancing problem converges, and no rule fires again', () => {
    const fixed = fixUntilStable('nginx', upstreamCase, (f) => NGINX_IDS.has(f.code));
    assert.ok(fixed.rounds <= 3, `took ${fixed.rounds} rounds`);
    assert.deepEqual(
      analyzeText('nginx', fixed.text)
        .filter((f) => NGINX_IDS.has(f.code))
        .map((f) => `${f.code} ${f.message}`),
      [],
    );
    assert.match(
      fixed.text,
      /upstream chat_ws \{\n {8}least_conn;\n {8}server 127\.0\.0\.1:9001;\n {8}server 127\.0\.0\.1:9002;\n {8}keepalive 16;\n {8}zone chat_ws 64k;\n {4}\}/,
    );
    assert.match(fixed.text, /proxy_set_header Connection \$connection_upgrade;/);
    assert.equal((fixed.text.match(/map \$http_upgrade/g) ?? []).length, 1);
  });

  it('the fixed configs pass the real nginx -t', function () {
    need(this, 'nginx');
    for (const text of [expected, fixUntilStable('nginx', upstreamCase, (f) => NGINX_IDS.has(f.code)).text]) {
      const r = validateNginx(text);
      assert.ok(r.ok, `${r.output}\n${text}`);
    }
    // and the inputs were accepted too: the fixes repair WebSocket behaviour, not syntax
    assert.ok(validateNginx(bare).ok && validateNginx(upstreamCase).ok);
  });
});

describe('nginx rules on broken input', () => {
  it('never fail internally on truncated or spliced fixtures', function () {
    this.timeout(120_000);
    const dir = join(__dirname, 'fixtures', 'nginx');
    const texts: string[] = [];
    for (const d of readdirSync(dir))
      for (const f of readdirSync(join(dir, d)))
        if (/^fire[^.]*\.conf$/.test(f)) texts.push(readFileSync(join(dir, d, f), 'utf8'));
    let runs = 0;
    for (const t of texts) {
      for (let cut = 0; cut < t.length; cut += 89) {
        for (const variant of [
          t.slice(0, cut),
          t.slice(cut),
          t.slice(0, cut) + '{' + t.slice(cut),
          t.slice(0, cut) + '}' + t.slice(cut + 1),
        ]) {
          const internal = analyzeText('nginx', variant).filter((f) => f.code === 'wslb/internal');
          assert.deepEqual(
            internal.map((f) => f.message),
            [],
            variant,
          );
          runs++;
        }
      }
    }
    assert.ok(runs > 300, `only ${runs} variants`);
  });
});
