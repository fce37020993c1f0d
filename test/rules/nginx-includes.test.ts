/**
 * nginx includes as nginx resolves them (issue 19): against the configuration prefix, never the
 * including file's folder; a fragment checked alone takes the nearest folder above it holding
 * nginx.conf; the files nginx packages ship are known when missing. Debian's stock /etc/nginx
 * (test/fixtures/debian-stock, copied from the nginx 1.22.1-9+deb12u12 package, licence in its
 * `copyright`) checks clean.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles } from '../helpers/analyze';
import { runCli } from '../helpers/cli';
import { createLanguageService } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { checkWorkspace } from '../../server/src/service/host/roots';

const STOCK = path.join(__dirname, '..', 'fixtures', 'debian-stock', 'nginx');

/** The stock folder's files as /etc/nginx/... */
function stockFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out[`/etc/nginx/${path.relative(STOCK, p)}`] = fs.readFileSync(p, 'utf8');
    }
  };
  walk(STOCK);
  return out;
}

describe('nginx includes (issue 19)', () => {
  it("resolve against the prefix, not the including file's folder (crossplane includes-regular)", () => {
    const files = {
      '/c/nginx.conf': 'events {}\nhttp {\n    include conf.d/server.conf;\n}\n',
      '/c/conf.d/server.conf':
        'server {\n    listen 127.0.0.1:8080;\n    include foo.conf;\n    include bar.conf;\n}\n',
      '/c/conf.d/foo.conf': '# this file should never be included\nasdfasdf\n',
      '/c/conf.d/bar.conf': '# this file should never be included\nasdfasdf\n',
      '/c/foo.conf': "location /foo {\n    return 200 'foo';\n}\n",
    };
    const fs1 = analyzeFiles(files, '/c/nginx.conf');
    assert.deepEqual(
      fs1.map((f) => `${f.file}:${f.range.start.line + 1} ${f.code} ${f.message}`),
      ['/c/conf.d/server.conf:4 nginx/include-not-found include: "bar.conf" was not found (looked in /c)'],
    );
    // the fragment alone: the prefix is the folder above it that holds nginx.conf
    const alone = analyzeFiles(files, '/c/conf.d/server.conf');
    assert.deepEqual(
      alone.map((f) => `${f.code} ${f.message}`),
      ['nginx/include-not-found include: "bar.conf" was not found (looked in /c)'],
    );
  });

  it('the files nginx packages ship are known when missing; other missing files are not', () => {
    const site = `server {
    listen 80;
    include snippets/snakeoil.conf;
    location ~ \\.php$ {
        include snippets/fastcgi-php.conf;
        include /etc/nginx/fastcgi_params;
        fastcgi_pass unix:/run/php/php-fpm.sock;
    }
    location / {
        include proxy_params;
        include uwsgi_params;
        proxy_pass http://127.0.0.1:8000;
    }
    include snippets/my-own.conf;
}
`;
    const found = analyzeFiles({ '/srv/site.conf': site }, '/srv/site.conf');
    assert.deepEqual(
      found.map((f) => `${f.code} ${f.message}`),
      ['nginx/include-not-found include: "snippets/my-own.conf" was not found (looked in /srv/snippets)'],
    );
  });

  describe("Debian's stock /etc/nginx", () => {
    it('has no finding as a folder, nor its site file or snippet alone (in memory at /etc/nginx)', () => {
      const files = stockFiles();
      assert.ok(files['/etc/nginx/snippets/fastcgi-php.conf']?.includes('include fastcgi.conf;'));
      const service = createLanguageService();
      const mem = new MemoryFileSystem(files);
      const all = checkWorkspace(service, mem, Object.keys(files).sort());
      assert.deepEqual(all.findings, []);
      for (const p of ['/etc/nginx/sites-available/default', '/etc/nginx/snippets/fastcgi-php.conf'])
        assert.deepEqual(service.analyzeNginx(p, mem).findings, [], p);
    });

    it('has no finding with the CLI, on the copied folder and on the site file alone', () => {
      for (const target of [STOCK, path.join(STOCK, 'sites-available', 'default')]) {
        const r = runCli(['check', target]);
        assert.equal(r.code, 0, r.out + r.err);
        assert.match(r.out, /^0 problems/m, r.out);
      }
    });
  });
});

describe('nginx includes outside the checked configuration (issue 19)', () => {
  it('a missing absolute include under the prefix is reported; one elsewhere (the deployment host) is not', () => {
    const found = analyzeFiles(
      {
        '/etc/nginx/nginx.conf':
          'events {}\nhttp {\n    include /etc/nginx/conf.d/*.conf;\n    include /etc/nginx/ssl.conf;\n    include /config/nginx/proxy.conf;\n}\n',
      },
      '/etc/nginx/nginx.conf',
    );
    assert.deepEqual(
      found.map((f) => `${f.range.start.line + 1} ${f.code}`),
      ['4 nginx/include-not-found'],
    );
  });

  it('an unseen include elsewhere still keeps the whole-config rules quiet (it may define upstreams)', () => {
    const text = `events {}\nhttp {\n    include /deploy/upstreams.conf;\n    server {\n        listen 80;\n        location /ws/ { proxy_pass http://wsbackend; proxy_set_header Connection $connection_upgrade; }\n    }\n}\n`;
    const codes = analyzeFiles({ '/etc/nginx/nginx.conf': text }, '/etc/nginx/nginx.conf').map((f) => f.code);
    assert.ok(!codes.includes('nginx/include-not-found'), codes.join(', '));
    assert.ok(!codes.includes('nginx/unknown-upstream'), codes.join(', '));
    assert.ok(!codes.includes('nginx/ws-connection-upgrade-undefined'), codes.join(', '));
  });
});

describe('nginx includes written from a template at deploy time (issue 19)', () => {
  const main =
    'events {}\nhttp {\n    server {\n        include listen.conf;\n        include conf.d/site.conf;\n    }\n}\n';
  const notFound = (files: Record<string, string>, options = {}) =>
    analyzeFiles(files, '/app/nginx/conf/nginx.conf', options)
      .filter((f) => f.code === 'nginx/include-not-found')
      .map((f) => f.message.replace(/ \(looked in .*\)$/, ''));

  it('is no missing file when a template of that name is kept beside it or in a templates folder', () => {
    assert.deepEqual(
      notFound({
        '/app/nginx/conf/nginx.conf': main,
        // Frigate: templates/listen.gotmpl, rendered by tempio into conf/listen.conf
        '/app/nginx/templates/listen.gotmpl': 'listen {{ .listen.internal }};\n',
        // the nginx image's envsubst convention: templates/<name>.template
        '/app/nginx/conf/templates/conf.d/site.conf.template': 'location / { return 204; }\n',
      }),
      ['include: "conf.d/site.conf" was not found'],
    );
    assert.deepEqual(
      notFound({
        '/app/nginx/conf/nginx.conf': main,
        '/app/nginx/conf/listen.conf.j2': 'listen {{ port }};\n',
        '/app/nginx/conf/conf.d/site.conf.template': 'location / { return 204; }\n',
      }),
      [],
    );
    // the official image: /etc/nginx/templates/default.conf.template becomes conf.d/default.conf
    assert.deepEqual(
      analyzeFiles(
        {
          '/etc/nginx/nginx.conf': 'events {}\nhttp {\n    include conf.d/default.conf;\n}\n',
          '/etc/nginx/templates/default.conf.template': 'server { listen ${PORT}; }\n',
        },
        '/etc/nginx/nginx.conf',
      ).filter((f) => f.code === 'nginx/include-not-found'),
      [],
    );
  });

  it('still reports an include with no such template, and a template of another name does not count', () => {
    assert.deepEqual(notFound({ '/app/nginx/conf/nginx.conf': main, '/app/nginx/templates/other.gotmpl': '' }), [
      'include: "listen.conf" was not found',
      'include: "conf.d/site.conf" was not found',
    ]);
  });

  it('Frigate`s nginx.conf: listen.conf and base_path.conf come from its templates, no include-not-found', () => {
    const dir = path.join(__dirname, '..', 'fixtures', 'real-world', 'nginx', 'blakeblackshear-frigate');
    const files: Record<string, string> = {};
    for (const sub of ['conf', 'templates'])
      for (const f of fs.readdirSync(path.join(dir, sub)))
        files[`/f/${sub}/${f}`] = fs.readFileSync(path.join(dir, sub, f), 'utf8');
    const found = analyzeFiles(files, '/f/conf/nginx.conf');
    assert.deepEqual(
      found.filter((f) => f.code === 'nginx/include-not-found').map((f) => f.message),
      [],
    );
    delete files['/f/templates/listen.gotmpl'];
    assert.deepEqual(
      analyzeFiles(files, '/f/conf/nginx.conf')
        .filter((f) => f.code === 'nginx/include-not-found')
        .map((f) => f.message.replace(/ \(looked in .*\)$/, '')),
      ['include: "listen.conf" was not found'],
    );
  });
});
