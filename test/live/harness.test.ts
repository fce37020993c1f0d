/**
 * The harness itself: gate, placeholders, private prefix, ports, identity backends, source-address
 * binding, and that every process started is stopped (also when the test process just exits).
 */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as net from 'node:net';
import * as http from 'node:http';
import {
  BINARIES,
  LiveClient,
  binaryGate,
  freePort,
  freePorts,
  missingBinaryMessage,
  openWs,
  openWsOk,
  prepareNginxConfig,
  processGroup,
  requireBinaries,
  runningProcesses,
  startBackend,
  startHaproxy,
  startNginx,
  stopAll,
  substitute,
  validateNginx,
  waitFor,
  withTimeout,
} from './harness';
import { recordNote, writeReport } from './report';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const groupMembers = processGroup;

const simpleNginx = `events {}
http {
  server {
    listen 127.0.0.1:@LISTEN@;
    location /ws {
      proxy_pass http://127.0.0.1:@B1@;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection "upgrade";
      proxy_set_header X-Real-IP $remote_addr;
    }
  }
}
`;

describe('live harness: pure helpers', () => {
  it('gate: runs when binaries exist, skips with the install hint outside CI, fails under WSLB_REQUIRE_ALL=1', () => {
    const found = { nginx: '/usr/sbin/nginx', haproxy: '/usr/sbin/haproxy' };
    assert.deepEqual(binaryGate(['nginx', 'haproxy'], {}, found), { action: 'run' });
    const missing = { nginx: undefined, haproxy: '/usr/sbin/haproxy' };
    const skip = binaryGate(['nginx', 'haproxy'], {}, missing);
    assert.equal(skip.action, 'skip');
    assert.equal('reason' in skip && skip.reason, missingBinaryMessage('nginx'));
    assert.match(
      missingBinaryMessage('nginx'),
      /^nginx not found: install it with `apt-get install nginx haproxy` \(Debian\)/,
    );
    assert.equal(binaryGate(['nginx'], { WSLB_REQUIRE_ALL: '1' }, missing).action, 'fail');
    assert.equal(
      binaryGate(['haproxy'], { WSLB_REQUIRE_ALL: '1' }, missing).action,
      'run',
      'only the binaries asked for count',
    );
  });

  it('requireBinaries marks the suite pending outside CI and throws under WSLB_REQUIRE_ALL=1', () => {
    // Exercise the real function against a fake mocha context with a binary name that cannot exist.
    const saved = { ...BINARIES };
    const env = process.env.WSLB_REQUIRE_ALL;
    const b = BINARIES as Record<string, string | undefined>;
    let skipped = false;
    const ctx = { skip: () => ((skipped = true), undefined) } as unknown as Mocha.Context;
    const warn = console.warn;
    try {
      b.nginx = undefined;
      delete process.env.WSLB_REQUIRE_ALL;
      console.warn = () => undefined;
      requireBinaries(ctx, ['nginx']);
      assert.equal(skipped, true);
      process.env.WSLB_REQUIRE_ALL = '1';
      assert.throws(
        () => requireBinaries(ctx, ['nginx']),
        /nginx not found: install it with `apt-get install nginx haproxy`/,
      );
    } finally {
      console.warn = warn;
      b.nginx = saved.nginx;
      if (env === undefined) delete process.env.WSLB_REQUIRE_ALL;
      else process.env.WSLB_REQUIRE_ALL = env;
    }
  });

  it('substitutes @NAME@ placeholders and refuses an unknown one', () => {
    assert.equal(
      substitute('listen 127.0.0.1:@LISTEN@; # @B1@', { LISTEN: 8080, B1: 'x' }),
      'listen 127.0.0.1:8080; # x',
    );
    assert.throws(() => substitute('server @B2@;', { B1: 1 }), /no value for placeholder @B2@/);
    assert.equal(substitute('email user@example.com', {}), 'email user@example.com', 'lower-case text is left alone');
  });

  it('points every nginx path into the prefix and loads the stream module only for stream blocks', () => {
    const http = prepareNginxConfig('events {}\nhttp {\n}\n', '/tmp/p', true);
    assert.match(http, /proxy_temp_path \/tmp\/p\/proxy;/);
    assert.match(http, /client_body_temp_path \/tmp\/p\/client_body;/);
    assert.match(http, /access_log \/tmp\/p\/access.log;/);
    assert.doesNotMatch(http, /load_module/);
    const stream = prepareNginxConfig('events {}\nstream {\n}\n', '/tmp/p', true);
    assert.match(stream, /^load_module \/usr\/lib\/nginx\/modules\/ngx_stream_module\.so;/);
    // a binary with the stream module built in (scripts/versions.mjs builds --with-stream) loads nothing
    assert.doesNotMatch(prepareNginxConfig('events {}\nstream {\n}\n', '/tmp/p', false), /load_module/);
  });

  it('hands out distinct free loopback ports', async () => {
    const ports = await freePorts(20);
    assert.equal(new Set(ports).size, 20);
    for (const p of ports.slice(0, 3)) {
      await new Promise<void>((resolve, reject) => {
        const s = net.createServer().listen(p, '127.0.0.1', () => s.close(() => resolve()));
        s.on('error', reject);
      });
    }
  });
});

describe('live harness: processes, backends and clients', function () {
  this.timeout(15000);

  before(function () {
    const gate = binaryGate(['nginx', 'haproxy']);
    if (gate.action !== 'run') recordNote(`harness live checks not run: ${gate.reason}`);
    requireBinaries(this, ['nginx', 'haproxy']);
  });
  afterEach(stopAll);
  after(async () => {
    await stopAll();
    writeReport();
  });

  it('backends report their identity and echo; clients bind any 127.x.y.z source address', async () => {
    const b = await startBackend({ name: 'alpha' });
    const c = await openWsOk(`ws://127.0.0.1:${b.port}/`, { localAddress: '127.3.4.5' });
    assert.deepEqual(await c.waitIdentity(), { backend: 'alpha', port: b.port });
    assert.equal(b.connections[0].remoteAddress, '127.3.4.5');
    c.send('hello');
    assert.deepEqual(await c.waitMessages(2, 1000), [JSON.stringify({ backend: 'alpha', port: b.port }), 'hello']);
  });

  it('through nginx, each client reaches a backend that names itself and nginx sees the bound source address', async () => {
    const b = await startBackend({ name: 'beta' });
    const port = await freePort();
    const bal = await startNginx(simpleNginx, { LISTEN: port, B1: b.port }, [port]);
    assert.doesNotMatch(bal.config, /\/var\/|\/run\//, 'no path outside the private prefix');
    for (const addr of ['127.0.10.1', '127.0.20.2']) {
      const c = await openWsOk(`ws://127.0.0.1:${port}/ws`, { localAddress: addr });
      assert.equal((await c.waitIdentity()).backend, 'beta');
    }
    assert.deepEqual(
      b.connections.map((c) => c.headers['x-real-ip']),
      ['127.0.10.1', '127.0.20.2'],
    );
    assert.ok(fs.existsSync(path.join(bal.dir, 'nginx.pid')), 'pid file in the prefix');
    assert.ok(fs.existsSync(path.join(bal.dir, 'error.log')), 'error log in the prefix');
  });

  it('nginx stream (L4) configs load the dynamic stream module and pass WebSockets without any header setup', async () => {
    const b = await startBackend({ name: 'l4' });
    const port = await freePort();
    const bal = await startNginx(
      `events {}\nstream {\n  server {\n    listen 127.0.0.1:@LISTEN@;\n    proxy_pass 127.0.0.1:@B1@;\n  }\n}\n`,
      { LISTEN: port, B1: b.port },
      [port],
    );
    assert.match(bal.config, /^load_module \/usr\/lib\/nginx\/modules\/ngx_stream_module\.so;/);
    const c = await openWsOk(`ws://127.0.0.1:${port}/ws`);
    assert.equal((await c.waitIdentity()).backend, 'l4');
    c.send('through-l4');
    assert.equal((await c.waitMessages(2, 1000))[1], 'through-l4');
    assert.equal(b.connections[0].headers.upgrade, 'websocket', 'the client handshake reached the backend untouched');
  });

  it('backend close() and kill() are seen by the client as 1001 and 1006', async () => {
    const b = await startBackend({ name: 'gamma' });
    const c1 = await openWsOk(`ws://127.0.0.1:${b.port}/`);
    await c1.waitIdentity();
    b.closeAll(1001, 'going away');
    assert.equal((await c1.waitClose(1000))?.code, 1001);
    const c2 = await openWsOk(`ws://127.0.0.1:${b.port}/`);
    await c2.waitIdentity();
    b.terminateAll();
    assert.equal((await c2.waitClose(1000))?.code, 1006);
  });

  it('a refused handshake is reported with its status and body, never thrown', async () => {
    const srv = http.createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'text/plain' });
      res.end('go away');
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', () => resolve()));
    try {
      const r = await openWs(`ws://127.0.0.1:${(srv.address() as net.AddressInfo).port}/`);
      assert.ok(!(r instanceof LiveClient));
      assert.deepEqual(r.kind === 'refused' && [r.status, r.body], [403, 'go away']);
    } finally {
      srv.closeAllConnections();
      srv.close();
    }
    const closedPort = await freePort();
    const e = await openWs(`ws://127.0.0.1:${closedPort}/`);
    assert.equal(e.kind, 'error');
  });

  it("a config nginx refuses makes startNginx reject with nginx's message, quickly, leaving no process", async () => {
    const port = await freePort();
    const t0 = Date.now();
    await assert.rejects(
      startNginx('events {}\nhttp { server { listen 127.0.0.1:@LISTEN@; bogus_directive on; } }\n', { LISTEN: port }, [
        port,
      ]),
      /unknown directive "bogus_directive"/,
    );
    assert.ok(Date.now() - t0 < 4000);
    assert.equal(runningProcesses(), 0);
    const v = validateNginx(simpleNginx, { LISTEN: port, B1: 1 });
    assert.equal(v.ok, true, v.output);
  });

  it('stopAll stops nginx (master and workers) and HAProxy', async () => {
    const b = await startBackend({ name: 'eps' });
    const [pn, ph] = await freePorts(2);
    const n = await startNginx(
      simpleNginx.replace('events {}', 'worker_processes 2;\nevents {}'),
      { LISTEN: pn, B1: b.port },
      [pn],
    );
    const h = await startHaproxy(
      `defaults\n  mode http\n  timeout connect 1s\n  timeout client 5s\n  timeout server 5s\nfrontend fe\n  bind 127.0.0.1:@LISTEN@\n  default_backend be\nbackend be\n  server b1 127.0.0.1:@B1@\n`,
      { LISTEN: ph, B1: b.port },
      [ph],
    );
    const nginxPid = Number(fs.readFileSync(path.join(n.dir, 'nginx.pid'), 'utf8'));
    await waitFor(() => groupMembers(nginxPid).length >= 3, { label: 'nginx master and two workers' });
    assert.equal(nginxPid, n.pid, 'the pid file names the process the harness started');
    const haproxyPid = h.pid;
    assert.ok(alive(haproxyPid));
    assert.equal(runningProcesses(), 2);
    await stopAll();
    assert.equal(runningProcesses(), 0);
    await waitFor(() => groupMembers(nginxPid).length === 0 && !alive(haproxyPid), { label: 'all gone' });
  });

  /** Runs a child test process that starts nginx, then exits ('exit') or waits to be SIGTERMed. */
  async function orphanCheck(mode: 'exit' | 'sigterm'): Promise<{ pid: number; prefix: string; code: number | null }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-live-child-'));
    const script = path.join(dir, 'leave-running.ts');
    fs.writeFileSync(
      script,
      `import { startNginx, freePort, startBackend } from ${JSON.stringify(path.join(__dirname, 'harness'))};
(async () => {
  const b = await startBackend({ name: 'orphan' });
  const port = await freePort();
  const n = await startNginx(${JSON.stringify(simpleNginx)}, { LISTEN: port, B1: b.port }, [port]);
  const fs = require('node:fs');
  console.log(fs.readFileSync(n.dir + '/nginx.pid', 'utf8').trim() + ' ' + n.dir);
  if (${JSON.stringify(mode)} === 'exit') process.exit(0); // no cleanup: only the exit handler can stop nginx now
  setInterval(() => undefined, 1000); // wait to be killed
})();
`,
    );
    try {
      const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), script], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      let closed = false;
      child.on('close', () => (closed = true));
      try {
        await waitFor(
          () => {
            if (/^\d+ \S+\n/.test(out)) return true;
            if (closed) throw new Error(`the child exited with ${child.exitCode} before starting nginx`);
            return false;
          },
          { timeoutMs: 12000, label: 'child to start nginx' },
        );
      } catch (e) {
        child.kill('SIGKILL');
        // stderr as it is now (a label built before the wait would always show it empty)
        throw new Error(`${(e as Error).message} (stderr: ${err})`, { cause: e });
      }
      if (mode === 'sigterm') child.kill('SIGTERM');
      const code = await withTimeout(exited, 5000, 'child exit');
      const [pid, prefix] = out.trim().split(' ');
      return { pid: Number(pid), prefix, code };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  for (const mode of ['exit', 'sigterm'] as const) {
    it(`balancers left running are killed and their prefix removed when the test process ${mode === 'exit' ? 'exits' : 'gets SIGTERM'}`, async function () {
      this.timeout(20000);
      const r = await orphanCheck(mode);
      assert.ok(r.pid > 0);
      if (mode === 'sigterm') assert.equal(r.code, 128 + 15, 'the child exits with the signal status');
      await waitFor(() => groupMembers(r.pid).length === 0, {
        timeoutMs: 3000,
        label: 'nginx master and workers gone',
      });
      assert.equal(fs.existsSync(r.prefix), false, 'the private prefix was removed');
    });
  }
});
