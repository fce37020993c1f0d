/**
 * scripts/versions.mjs, the builder of the nginx/HAProxy releases, run on a stand-in archive (a
 * tarball whose `auto/configure` and `make` only write a script that prints the version): it builds
 * once, keeps a current build, leaves no temporary folder or lock behind, shares the work between
 * two concurrent runs, takes over a lock whose owner died, and says what is missing.
 */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { builtVersions, gate, knownVersions, REPO } from '../helpers/needs';

const SCRIPT = path.join(REPO, 'scripts', 'versions.mjs');

interface Sandbox {
  root: string;
  env: NodeJS.ProcessEnv;
  cache: string;
}

/** A shared folder with a stand-in nginx-1.24.0 archive, a cache, and a PATH whose cc and make are fakes. */
function sandbox(): Sandbox {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-versions-'));
  const bin = path.join(root, 'bin');
  const pkg = path.join(root, 'pkg', 'nginx-1.24.0');
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(path.join(pkg, 'auto'), { recursive: true });
  fs.mkdirSync(path.join(pkg, 'conf'));
  fs.writeFileSync(path.join(pkg, 'conf', 'mime.types'), 'types {}\n');
  fs.writeFileSync(path.join(pkg, 'auto', 'configure'), 'echo "configure $*" > configured\n');
  const script = (name: string, body: string) =>
    fs.writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  // cc: the header probe passes; make: takes a moment, then "builds" objs/nginx
  script('cc', 'cat >/dev/null; exit 0');
  script(
    'make',
    'sleep 1; mkdir -p objs; printf \'#!/bin/sh\\necho "nginx version: nginx/1.24.0" >&2\\n\' > objs/nginx; chmod +x objs/nginx; echo "make $*" >> made',
  );
  const shared = path.join(root, 'shared', 'src');
  fs.mkdirSync(shared, { recursive: true });
  const tar = spawnSync('tar', [
    '-czf',
    path.join(shared, 'nginx-1.24.0.tar.gz'),
    '-C',
    path.dirname(pkg),
    'nginx-1.24.0',
  ]);
  assert.equal(tar.status, 0, String(tar.stderr));
  const cache = path.join(root, 'cache');
  const env = {
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    HOME: root,
    WSLB_SHARED_DIR: path.join(root, 'shared'),
    WSLB_VERSIONS_CACHE: cache,
  };
  return { root, env, cache };
}

function runScript(s: Sandbox, ...args: string[]) {
  const r = spawnSync(process.execPath, [SCRIPT, ...args], { env: s.env, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function runAsync(s: Sandbox, ...args: string[]): Promise<{ status: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [SCRIPT, ...args], { env: s.env });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', (status) => resolve({ status, out }));
  });
}

const leftovers = (s: Sandbox) =>
  fs.readdirSync(s.cache).filter((f) => f.startsWith('.tmp-') || f.startsWith('.lock-'));

describe('scripts/versions.mjs: building the releases into the versions cache', function () {
  this.timeout(60_000);
  let s: Sandbox;
  beforeEach(() => (s = sandbox()));
  afterEach(() => fs.rmSync(s.root, { recursive: true, force: true }));

  it('builds a release once into <cache>/<name>-<version>, then keeps it; the needs gate finds it', () => {
    const first = runScript(s, '--only', 'nginx@1.24');
    assert.equal(first.status, 0, first.out);
    assert.match(first.out, /built nginx@1\.24\.0/);
    const dir = path.join(s.cache, 'nginx-1.24.0');
    assert.ok(fs.existsSync(path.join(dir, 'sbin', 'nginx')));
    assert.ok(fs.existsSync(path.join(dir, 'conf', 'mime.types')), 'conf/ is copied beside the binary');
    const stamp = JSON.parse(fs.readFileSync(path.join(dir, 'wslb-build.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(stamp.version, '1.24.0');
    assert.deepEqual(stamp.flags, ['--with-http_ssl_module', '--with-stream', '--with-http_v2_module']);
    assert.deepEqual(leftovers(s), []);

    const again = runScript(s, '--only', 'nginx@1.24');
    assert.equal(again.status, 0, again.out);
    assert.doesNotMatch(again.out, /building/);
    assert.match(again.out, /already built: nginx@1\.24\.0/);

    assert.deepEqual(
      builtVersions('nginx', s.env).map((v) => v.id),
      ['nginx@1.24.0'],
    );
    assert.equal(knownVersions(s.env).find((v) => v.id === 'nginx@1.30.4')?.binary, undefined);
    const list = runScript(s, '--list');
    assert.equal(list.out.trim(), `nginx 1.24.0 ${path.join(dir, 'sbin', 'nginx')}`);
  });

  it('rebuilds when the stamp names other flags, swapping the folder in whole', () => {
    assert.equal(runScript(s, '--only', 'nginx@1.24').status, 0);
    const stampFile = path.join(s.cache, 'nginx-1.24.0', 'wslb-build.json');
    const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { flags: string[] };
    fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, flags: ['--old'] }));
    assert.equal(builtVersions('nginx', s.env).length, 0, 'a build with other flags does not count');
    const r = runScript(s, '--only', 'nginx@1.24');
    assert.match(r.out, /built nginx@1\.24\.0/);
    assert.deepEqual((JSON.parse(fs.readFileSync(stampFile, 'utf8')) as { flags: string[] }).flags, stamp.flags);
    assert.deepEqual(
      fs.readdirSync(s.cache).filter((f) => f.startsWith('nginx-1.24.0')),
      ['nginx-1.24.0'],
    );
  });

  it('two concurrent runs build a release once, and leave no lock behind', async () => {
    const [a, b] = await Promise.all([runAsync(s, '--only', 'nginx@1.24'), runAsync(s, '--only', 'nginx@1.24')]);
    assert.equal(a.status, 0, a.out);
    assert.equal(b.status, 0, b.out);
    const builds = [a, b].filter((r) => /built nginx@1\.24\.0/.test(r.out));
    assert.equal(builds.length, 1, `exactly one run builds:\n${a.out}\n---\n${b.out}`);
    assert.deepEqual(leftovers(s), []);
  });

  it('takes over a lock whose owner has died', () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    const lock = path.join(s.cache, '.lock-nginx-1.24.0');
    fs.mkdirSync(lock, { recursive: true });
    fs.writeFileSync(path.join(lock, 'owner.json'), JSON.stringify({ pid: dead, host: os.hostname() }));
    const r = runScript(s, '--only', 'nginx@1.24');
    assert.equal(r.status, 0, r.out);
    assert.match(r.out, new RegExp(`taking over the lock left by pid ${dead}`));
    assert.match(r.out, /built nginx@1\.24\.0/);
  });

  it('says which archive is missing, and --check builds nothing', () => {
    const r = runScript(s, '--only', 'haproxy@3.2');
    assert.equal(r.status, 1);
    assert.match(r.out, /missing: the source archive .*haproxy-3\.2\.0\.tar\.gz/);
    const check = runScript(s, '--check', '--only', 'nginx@1.24');
    assert.equal(check.status, 1);
    assert.match(check.out, /nginx@1\.24\.0: not built yet/);
    assert.ok(!fs.existsSync(path.join(s.cache, 'nginx-1.24.0')));
  });

  it('a test needing a release runs, skips or fails through the one gate', () => {
    assert.deepEqual(
      gate(['nginx@1.31'], {}, () => '/built'),
      { action: 'run' },
    );
    const g = gate(['nginx@1.31'], {}, () => undefined);
    assert.equal(g.action, 'skip');
    assert.ok('reason' in g && /nginx@1\.31 is missing \(node scripts\/versions\.mjs builds it/.test(g.reason));
    assert.equal(gate(['haproxy@3.2'], { WSLB_REQUIRE_ALL: '1' }, () => undefined).action, 'fail');
  });
});
