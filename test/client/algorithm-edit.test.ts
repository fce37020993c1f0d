import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildNginxConfig } from '../../server/src/service/model/nginx';
import { buildHaproxyConfig } from '../../server/src/service/model/haproxy';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { nginxPools, haproxyPools, type PoolInfo } from '../../server/src/service/features/pools';
import {
  applySpanEdits,
  buildAlgorithmEdit,
  haproxyAlgorithmLines,
  nginxAlgorithmDirective,
} from '../../server/src/service/features/algorithm-edit';
import { binary, need } from '../helpers/needs';

function nginxPool(text: string, name: string): PoolInfo {
  const p = nginxPools(buildNginxConfig('/t/nginx.conf', new MemoryFileSystem({ '/t/nginx.conf': text }))).find(
    (x) => x.pool.name === name,
  );
  assert.ok(p, `pool ${name}`);
  return p;
}
function haproxyPool(text: string, name: string): PoolInfo {
  const p = haproxyPools(buildHaproxyConfig([{ path: '/t/haproxy.cfg', text }])).find((x) => x.pool.name === name);
  assert.ok(p, `pool ${name}`);
  return p;
}
function edit(text: string, info: PoolInfo, spec: string): string {
  const r = buildAlgorithmEdit(
    text,
    { system: info.pool.system, span: info.span, nameSpan: info.nameSpan, algorithmSpan: info.algorithmSpan },
    spec,
  );
  assert.ok(!('error' in r), 'error' in r ? r.error : '');
  return applySpanEdits(text, r.edits);
}

const NGINX = `http {
    upstream chat {
        least_conn;   # fewest open sockets
        server 10.0.0.1:8080;
        server 10.0.0.2:8080 weight=2;
    }
    upstream plain {
        server 10.0.0.3:8080;
    }
    server { listen 80; location / { proxy_pass http://chat; } }
}
`;

describe('algorithm-edit: nginx', () => {
  it('replaces the balancing directive and the model reads the new algorithm', () => {
    const out = edit(NGINX, nginxPool(NGINX, 'chat'), 'hash $remote_addr consistent');
    assert.match(out, /^ {8}hash \$remote_addr consistent; {3}# fewest open sockets$/m);
    assert.doesNotMatch(out, /least_conn/);
    const p = nginxPool(out, 'chat').pool;
    assert.equal(p.algorithm, 'hash');
    assert.equal(p.hashKey, '$remote_addr');
    assert.equal(p.consistent, true);
    assert.equal(p.servers.length, 2);
  });

  it('removes the directive line for round robin', () => {
    const out = edit(NGINX, nginxPool(NGINX, 'chat'), 'round_robin');
    assert.equal(out, NGINX.replace('        least_conn;   # fewest open sockets\n', ''));
    assert.equal(nginxPool(out, 'chat').pool.algorithm, 'round_robin');
  });

  it('inserts a directive at the block indentation when there is none', () => {
    const out = edit(NGINX, nginxPool(NGINX, 'plain'), 'ip_hash');
    assert.match(out, /upstream plain \{\n {8}ip_hash;\n {8}server 10\.0\.0\.3:8080;/);
    assert.equal(nginxPool(out, 'plain').pool.algorithm, 'ip_hash');
    assert.equal(nginxPool(out, 'chat').pool.algorithm, 'least_conn', 'other upstream untouched');
  });

  it('inserts inline in a one-line block, keeps CRLF line ends', () => {
    const one = 'upstream u { server a:1; server b:1; }\n';
    const o1 = edit(one, nginxPool(one, 'u'), 'random two least_conn');
    assert.equal(o1, 'upstream u { random two least_conn; server a:1; server b:1; }\n');
    const crlf = 'upstream u {\r\n\tserver a:1;\r\n}\r\n';
    const o2 = edit(crlf, nginxPool(crlf, 'u'), 'least_conn');
    assert.equal(o2, 'upstream u {\r\n\tleast_conn;\r\n\tserver a:1;\r\n}\r\n');
  });

  it('is a no-op when the block already says it, and round robin on a plain block', () => {
    const info = nginxPool(NGINX, 'chat');
    const r = buildAlgorithmEdit(
      NGINX,
      { system: 'nginx', span: info.span, nameSpan: info.nameSpan, algorithmSpan: info.algorithmSpan },
      'least_conn',
    );
    assert.deepEqual(r, { edits: [] });
    const p = nginxPool(NGINX, 'plain');
    assert.deepEqual(
      buildAlgorithmEdit(NGINX, { system: 'nginx', span: p.span, nameSpan: p.nameSpan }, 'round_robin'),
      { edits: [] },
    );
  });

  it('rejects unknown or malformed specs without throwing', () => {
    for (const bad of ['', 'fair', 'hash', 'hash consistent', 'random three', 'least_conn x', 'hash $a b c']) {
      assert.ok('error' in nginxAlgorithmDirective(bad), bad);
    }
    const info = nginxPool(NGINX, 'chat');
    assert.ok(
      'error' in buildAlgorithmEdit(NGINX, { system: 'nginx', span: info.span, nameSpan: info.nameSpan }, 'sticky'),
    );
    assert.ok(
      'error' in
        buildAlgorithmEdit(
          '',
          { system: 'nginx', span: { start: 50, end: 10 }, nameSpan: { start: 0, end: 0 } },
          'least_conn',
        ),
    );
  });
});

const HAPROXY = `defaults
    mode http
    balance source
    timeout connect 5s

backend be_chat
    server s1 10.0.0.1:8080 check
    server s2 10.0.0.2:8080 check

backend be_api
    balance leastconn # fewest
    hash-type map-based
    server a1 10.0.1.1:80
`;

describe('algorithm-edit: HAProxy', () => {
  it('rewrites the balance line, keeping indentation and comment', () => {
    const out = edit(HAPROXY, haproxyPool(HAPROXY, 'be_api'), 'roundrobin');
    assert.match(out, /^ {4}balance roundrobin # fewest$/m);
    assert.equal(haproxyPool(out, 'be_api').pool.algorithm, 'roundrobin');
  });

  it('inserts an explicit balance line when the backend inherits one from defaults', () => {
    const info = haproxyPool(HAPROXY, 'be_chat');
    assert.equal(info.pool.algorithm, 'source');
    assert.equal(info.algorithmSpan, undefined);
    const out = edit(HAPROXY, info, 'roundrobin');
    assert.match(out, /backend be_chat\n {4}balance roundrobin\n {4}server s1/);
    assert.equal(haproxyPool(out, 'be_chat').pool.algorithm, 'roundrobin');
  });

  it('writes hash-type: replaces the existing line or adds one after balance', () => {
    const o1 = edit(HAPROXY, haproxyPool(HAPROXY, 'be_api'), 'hdr(X-User) consistent');
    assert.match(o1, /balance hdr\(X-User\) # fewest\n {4}hash-type consistent\n/);
    const p1 = haproxyPool(o1, 'be_api').pool;
    assert.equal(p1.algorithm, 'hdr(X-User)');
    assert.equal(p1.consistent, true);
    const o2 = edit(HAPROXY, haproxyPool(HAPROXY, 'be_chat'), 'source consistent crc32 avalanche');
    assert.match(o2, /backend be_chat\n {4}balance source\n {4}hash-type consistent crc32 avalanche\n {4}server s1/);
    const p2 = haproxyPool(o2, 'be_chat').pool;
    assert.equal(p2.consistent, true);
    assert.equal(p2.hashFunction, 'crc32');
    assert.equal(p2.avalanche, true);
  });

  it('parses specs like the CLI', () => {
    assert.deepEqual(haproxyAlgorithmLines('random(3)'), { balance: 'random(3)' });
    assert.deepEqual(haproxyAlgorithmLines('url_param room map-based'), {
      balance: 'url_param room',
      hashType: 'map-based',
    });
    assert.deepEqual(haproxyAlgorithmLines('uri djb2'), { balance: 'uri', hashType: 'map-based djb2' });
    for (const bad of [
      '',
      'hdr()',
      'hdr(a b)',
      'random(0)',
      'leastconn consistent',
      'source bogus',
      'url_param',
      'least_conn',
    ]) {
      assert.ok('error' in haproxyAlgorithmLines(bad), bad);
    }
  });

  it('never throws on arbitrary spans and specs', () => {
    const specs = ['roundrobin', 'source consistent', 'least_conn', 'hash $x', '((', 'random(2)'];
    for (let i = 0; i < 300; i++) {
      const a = (i * 7919) % (HAPROXY.length + 20);
      const b = (i * 104729) % (HAPROXY.length + 20);
      for (const system of ['nginx', 'haproxy'] as const) {
        const r = buildAlgorithmEdit(
          HAPROXY,
          {
            system,
            span: { start: Math.min(a, b), end: Math.max(a, b) },
            nameSpan: { start: a, end: a + 3 },
            algorithmSpan: i % 2 ? { start: b, end: b + 4 } : undefined,
          },
          specs[i % specs.length],
        );
        if (!('error' in r)) applySpanEdits(HAPROXY, r.edits);
      }
    }
  });
});

// The edited configs are accepted by the real programs (when installed).
describe('algorithm-edit: real nginx -t / haproxy -c accept the result', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-algedit-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('nginx -t', function () {
    need(this, 'nginx');
    const base = `pid ${tmp}/nginx.pid;\nerror_log ${tmp}/error.log;\nevents {}\n${NGINX.replace('http {', `http {\n    access_log off;\n    client_body_temp_path ${tmp};\n    proxy_temp_path ${tmp};\n    fastcgi_temp_path ${tmp};\n    uwsgi_temp_path ${tmp};\n    scgi_temp_path ${tmp};`).replace('listen 80', 'listen 127.0.0.1:18099')}`;
    for (const spec of ['round_robin', 'ip_hash', 'hash $remote_addr consistent', 'random two least_conn']) {
      const out = edit(base, nginxPool(base, 'chat'), spec);
      const file = path.join(tmp, 'nginx.conf');
      fs.writeFileSync(file, out);
      const r = spawnSync(binary('nginx'), ['-t', '-q', '-c', file, '-p', tmp], { encoding: 'utf8', timeout: 20000 });
      assert.equal(r.status, 0, `${spec}: ${r.stderr}\n${out}`);
    }
  });

  it('haproxy -c', function () {
    need(this, 'haproxy');
    for (const spec of [
      'roundrobin',
      'hdr(X-User) consistent',
      'source consistent crc32 avalanche',
      'random(3)',
      'url_param room',
    ]) {
      const base =
        HAPROXY.replace('timeout connect 5s', 'timeout connect 5s\n    timeout client 30s\n    timeout server 30s') +
        'frontend fe\n    bind 127.0.0.1:18098\n    default_backend be_api\n';
      const out = edit(base, haproxyPool(base, 'be_api'), spec);
      const file = path.join(tmp, 'haproxy.cfg');
      fs.writeFileSync(file, out);
      const r = spawnSync(binary('haproxy'), ['-c', '-q', '-f', file], { encoding: 'utf8', timeout: 20000 });
      assert.equal(r.status, 0, `${spec}: ${r.stderr}\n${out}`);
    }
  });
});
