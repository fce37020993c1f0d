/**
 * The built CLI loads only what a run needs (issue 21): dist/cli/wslb.js (the executable, which
 * keeps V8's compiled code between runs: Node's compile cache, or its own on Node 20),
 * wslb-main.js and the knowledge tables (JSON files, each read on its first lookup) check nginx and
 * HAProxy files on their own; the nginx documentation text, YAML, web-tree-sitter, the `simulate`
 * command and the rules' long explanations are files of their own next to them (scripts/build.mjs),
 * required only by the runs that need them (the AWS examples in aws-cli.test.ts run through those).
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as nodeModule from 'node:module';
import * as path from 'node:path';
import { REPO, tmpdirWith } from '../helpers/cli';
import { expandCommands, type CompactCommands } from '../../scripts/cli-tables.cjs';

const DIST = path.join(REPO, 'dist/cli');
const LAZY = ['nginx-reference.js', 'yaml.js', 'web-tree-sitter.js', 'wslb-simulate.js', 'rule-docs.json'];
const TABLES = ['nginx-commands.json', 'nginx-reference.json', 'haproxy-2.6.json', 'haproxy-versions.json'];

interface RefLib {
  Format: { Markdown: unknown };
  getDirectives(f: unknown): { name: string; module: string; description: string }[];
}

function built(): void {
  if (!['wslb.js', 'wslb-main.js', ...LAZY, ...TABLES].every((f) => fs.existsSync(path.join(DIST, f))))
    spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO, stdio: 'ignore' });
}

describe('the CLI bundle', function () {
  this.timeout(120_000);

  it('checks nginx and HAProxy files with dist/cli/wslb.js, wslb-main.js and the tables alone, as with the files beside them', () => {
    built();
    const configs = tmpdirWith({
      'nginx.conf': `events {}\nhttp {\n    server {\n        listen 8080;\n        location /ws {\n            proxy_pass http://127.0.0.1:9000;\n            proxy_set_header Upgrade $http_upgrade;\n            proxy_set_header Connection $connection_upgrade;\n            proxy_ssl_conf_command Options x;\n            proxy_read_timeoutt 1h;\n        }\n    }\n}\n`,
      'haproxy.cfg': `defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\nfrontend fe\n    bind :8080\n    use_backend chat if { hdr(Upgrade) -i websocket }\nbackend chat\n    server a 127.0.0.1:9000\n`,
    });
    const alone = tmpdirWith({}, 'wslb-bundle-');
    try {
      for (const f of ['wslb.js', 'wslb-main.js']) fs.copyFileSync(path.join(DIST, f), path.join(alone, f));
      // a run that looks nothing up reads no table
      const version = spawnSync(process.execPath, [path.join(alone, 'wslb.js'), '--version'], { encoding: 'utf8' });
      assert.equal(version.status, 0, version.stderr);
      assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
      for (const f of TABLES) fs.copyFileSync(path.join(DIST, f), path.join(alone, f));
      for (const format of ['text', 'json']) {
        const args = ['check', '--format', format, configs];
        const full = spawnSync(process.execPath, [path.join(DIST, 'wslb.js'), ...args], { encoding: 'utf8' });
        const only = spawnSync(process.execPath, [path.join(alone, 'wslb.js'), ...args], { encoding: 'utf8' });
        assert.equal(only.status, full.status, only.stderr);
        assert.equal(only.stdout, full.stdout);
        assert.equal(only.stderr, full.stderr);
        // the findings a check of these files has (unknown directive with its suggestion, the
        // Connection header's undefined variable, a WebSocket backend without a tunnel timeout)
        assert.match(full.stdout, /proxy_read_timeoutt/);
        assert.match(full.stdout, /nginx\/ws-connection-upgrade-undefined/);
        assert.match(full.stdout, /haproxy\/ws-missing-timeout-tunnel/);
      }
    } finally {
      fs.rmSync(alone, { recursive: true, force: true });
      fs.rmSync(configs, { recursive: true, force: true });
    }
  });

  it('keeps the documentation text, YAML, web-tree-sitter, the simulator and the tables out of wslb-main.js, in files of their own', () => {
    built();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require('@nginx/reference-lib') as RefLib;
    const description = lib
      .getDirectives(lib.Format.Markdown)
      .find((d) => d.name === 'proxy_read_timeout')!
      .description.split('\n')[0];
    assert.ok(description.length > 40, description);
    const main = fs.readFileSync(path.join(DIST, 'wslb-main.js'), 'utf8');
    assert.ok(!main.includes(JSON.stringify(description).slice(1, -1)), 'a description in wslb-main.js');
    // ASCII: bin.ts reads it as Latin-1
    assert.ok(!/[\u0080-\uffff]/.test(main), 'a character beyond ASCII in wslb-main.js');
    for (const f of [...LAZY, ...TABLES])
      assert.match(main, new RegExp(`require\\("\\./${f.replace(/\./g, '\\.')}"\\)`), f);
    assert.ok(!main.includes('51degrees-property-name-list'), "a HAProxy keyword's row in wslb-main.js");
    assert.ok(!main.includes('ngx_http_upstream_keepalive_module'), "an nginx command's row in wslb-main.js");
    assert.ok(!main.includes('runSimulateCommand'), 'the simulate command in wslb-main.js');
    // the file of the documentation gives the same text as the package
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const chunk = require(path.join(DIST, 'nginx-reference.js')) as RefLib;
    const fromChunk = chunk.getDirectives(chunk.Format.Markdown).find((d) => d.name === 'proxy_read_timeout');
    assert.equal(fromChunk?.description.split('\n')[0], description);
  });

  it("gives back nginx's command table from the compact form of the CLI's file, as the sources read it", () => {
    built();
    const compact = JSON.parse(fs.readFileSync(path.join(DIST, 'nginx-commands.json'), 'utf8')) as CompactCommands;
    const generated = fs.readFileSync(
      path.join(REPO, 'server/src/service/knowledge/generated/nginx-commands.json'),
      'utf8',
    );
    // the same values, and the same keys in the same order
    assert.deepEqual(expandCommands(compact), JSON.parse(generated));
    assert.equal(JSON.stringify(expandCommands(compact)), JSON.stringify(JSON.parse(generated)));
    // wslb-main.js expands the file (with that function, scripts/build.mjs)
    const main = fs.readFileSync(path.join(DIST, 'wslb-main.js'), 'utf8');
    assert.match(main, /\(function\(t\)\{[^]*?\}\)\(require\("\.\/nginx-commands\.json"\)\)/);
  });

  it("turns on Node's compile cache before loading the code, where Node has one", () => {
    built();
    const configs = tmpdirWith({ 'nginx.conf': 'events {}\nhttp {}\n' });
    try {
      // Node 20 has no module.enableCompileCache: a preloaded script stands in for it and says
      // when it is called, and whether the code was loaded by then.
      const fake = path.join(configs, 'fake-cache.cjs');
      fs.writeFileSync(
        fake,
        `const m = require('node:module');
const loaded = () => Object.keys(require.cache).some((f) => f.endsWith('wslb-main.js'));
m.enableCompileCache = () => { process.stderr.write('compile cache on; code loaded: ' + loaded() + '\\n'); return {}; };
`,
      );
      const args = [path.join(DIST, 'wslb.js'), 'check', '--format', 'json', path.join(configs, 'nginx.conf')];
      const plain = spawnSync(process.execPath, args, { encoding: 'utf8' });
      const cached = spawnSync(process.execPath, ['--require', fake, ...args], { encoding: 'utf8' });
      assert.equal(cached.stderr, 'compile cache on; code loaded: false\n');
      assert.equal(cached.status, plain.status);
      assert.equal(cached.stdout, plain.stdout);
      assert.equal(plain.stdout, '[]\n');
    } finally {
      fs.rmSync(configs, { recursive: true, force: true });
    }
  });

  it("keeps V8's code between runs in a folder of the user's own where Node has no compile cache", function () {
    if (typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function') this.skip(); // Node's own cache is used there (above)
    built();
    const tmp = tmpdirWith({ 'nginx.conf': 'events {}\nhttp {}\n' });
    try {
      const env = { ...process.env, TMPDIR: tmp };
      const args = [path.join(DIST, 'wslb.js'), 'check', '--format', 'json', path.join(tmp, 'nginx.conf')];
      const run = () => spawnSync(process.execPath, args, { encoding: 'utf8', env });
      const first = run();
      const dir = path.join(tmp, `wslb-compile-cache-${process.getuid!()}`);
      assert.equal(fs.statSync(dir).mode & 0o777, 0o700);
      const caches = fs.readdirSync(dir);
      assert.equal(caches.length, 1, caches.join(', '));
      assert.match(caches[0], new RegExp(`^wslb-main-${process.version.replace(/\./g, '\\.')}-\\d+-\\d+-check\\.bin$`));
      const again = run();
      // a damaged cache is refused by V8 and written anew
      fs.writeFileSync(path.join(dir, caches[0]), 'not a code cache');
      const damaged = run();
      for (const r of [first, again, damaged]) {
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.equal(r.stdout, '[]\n');
      }
      assert.ok(fs.statSync(path.join(dir, caches[0])).size > 1000);
      // the other commands keep a cache of their own beside it
      const version = spawnSync(process.execPath, [path.join(DIST, 'wslb.js'), '--version'], { encoding: 'utf8', env });
      assert.equal(version.status, 0, version.stderr);
      assert.deepEqual(
        fs
          .readdirSync(dir)
          .map((f) => f.replace(/^.*-/, ''))
          .sort(),
        ['check.bin', 'other.bin'],
      );
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
