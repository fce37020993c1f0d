/**
 * Live harness: real nginx and HAProxy on loopback, WebSocket backends and clients written with `ws`.
 *
 * Everything here binds to 127.0.0.0/8 only. Every process started is tracked and stopped by
 * `stopAll()` (call it from an `after`/`afterEach` hook) and, as a last resort, by a synchronous
 * process 'exit' handler that SIGKILLs each tracked process group.
 *
 * Config texts under test may contain placeholders `@NAME@` (for example `@LISTEN@`, `@B1@`): the
 * harness substitutes them with the values given (ports, paths) before writing the file.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import WebSocket, { WebSocketServer } from 'ws';
import { locate } from '../helpers/needs';

/** A received WebSocket message as text (ws hands over a Buffer, a Buffer list or an ArrayBuffer). */
function rawText(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString();
  return Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data).toString();
}

// ---------------------------------------------------------------------------------------------
// Binaries and the gate

/**
 * Where the binaries are: `WSLB_NGINX` / `WSLB_HAPROXY` when set (a path that is not executable
 * counts as missing), else where the tests' one door (../helpers/needs) finds them.
 */
export const BINARIES: { nginx: string | undefined; haproxy: string | undefined } = {
  nginx: process.env.WSLB_NGINX !== undefined ? executable(process.env.WSLB_NGINX) : locate('nginx'),
  haproxy: process.env.WSLB_HAPROXY !== undefined ? executable(process.env.WSLB_HAPROXY) : locate('haproxy'),
};

/**
 * Runs the harness on other binaries (for instance a release built by scripts/versions.mjs) until the
 * returned function is called, which puts the previous ones back.
 */
export function useBinaries(b: Partial<Record<BinaryName, string>>): () => void {
  const saved = { ...BINARIES };
  Object.assign(BINARIES, b);
  return () => Object.assign(BINARIES, saved);
}

function executable(file: string): string | undefined {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

export type BinaryName = keyof typeof BINARIES;

const versionLines = new Map<string, string>();

/** The first line of `nginx -v` / `haproxy -v` of a binary (cached). */
export function versionLine(bin: string): string {
  let line = versionLines.get(bin);
  if (line === undefined) {
    const r = spawnSync(bin, ['-v'], { encoding: 'utf8', timeout: 3000 });
    line = `${r.stdout ?? ''}${r.stderr ?? ''}`.split('\n')[0].trim();
    versionLines.set(bin, line);
  }
  return line;
}

/** The release number a binary reports (`1.22.1`, `2.6.12-1+deb12u4` gives `2.6.12`). */
export function versionOf(bin: string): string {
  return /(?:nginx\/|version )(\d+\.\d+\.\d+)/.exec(versionLine(bin))?.[1] ?? 'unknown';
}

/** `nginx -v` / `haproxy -v` first lines of the binaries in use, for reports. */
export function binaryVersions(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, bin] of Object.entries(BINARIES)) if (bin) out[name] = versionLine(bin);
  return out;
}

const dynamicStream = new Map<string, boolean>();

/** Does the nginx in use build the stream module as a loadable module (Debian) rather than in (--with-stream)? */
function nginxStreamIsDynamic(): boolean {
  const bin = BINARIES.nginx;
  if (!bin) return true;
  let dyn = dynamicStream.get(bin);
  if (dyn === undefined) {
    const r = spawnSync(bin, ['-V'], { encoding: 'utf8', timeout: 3000 });
    const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
    dyn = !/--with-stream(\s|$)/.test(out);
    dynamicStream.set(bin, dyn);
  }
  return dyn;
}

export function missingBinaryMessage(name: string): string {
  return `${name} not found: install it with \`apt-get install nginx haproxy\` (Debian) — live tests need the real binaries`;
}

/** Decides what a suite does about missing binaries: 'run', 'skip' (with reason) or 'fail'. */
export function binaryGate(
  names: BinaryName[],
  env: NodeJS.ProcessEnv = process.env,
  found: Partial<Record<BinaryName, string | undefined>> = BINARIES,
): { action: 'run' } | { action: 'skip' | 'fail'; reason: string } {
  // the fast tier (npm run test:unit) runs nothing that needs a binary, even where it is installed
  if (env.WSLB_TIER === 'unit') return { action: 'skip', reason: 'needs the real binaries: not part of the unit tier' };
  const missing = names.filter((n) => !found[n]);
  if (missing.length === 0) return { action: 'run' };
  const reason = missing.map(missingBinaryMessage).join('; ');
  return { action: env.WSLB_REQUIRE_ALL === '1' ? 'fail' : 'skip', reason };
}

const warned = new Set<string>();

/**
 * Call inside a mocha `before(function () { requireBinaries(this, [...]) })`. Outside CI a missing
 * binary marks the suite pending (and prints why); with WSLB_REQUIRE_ALL=1 it fails the suite.
 */
export function requireBinaries(ctx: Mocha.Context, names: BinaryName[]): void {
  const gate = binaryGate(names);
  if (gate.action === 'run') return;
  if (gate.action === 'fail') throw new Error(`${gate.reason} (WSLB_REQUIRE_ALL=1 makes this a failure)`);
  if (process.env.WSLB_TIER !== 'unit' && !warned.has(gate.reason)) console.warn(`  [live] skipped: ${gate.reason}`);
  warned.add(gate.reason);
  ctx.skip();
}

// ---------------------------------------------------------------------------------------------
// Timing helpers (conditions, not sleeps)

export const now = (): number => performance.now();

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the promise's value, or rejects after `ms` with a message naming `label`. */
export function withTimeout<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${label}`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Polls `cond` until it returns a truthy value (returned) or `timeoutMs` passes (throws). */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  opts: { timeoutMs?: number; intervalMs?: number; label?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = now() + (opts.timeoutMs ?? 3000);
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (now() > deadline)
      throw new Error(`timed out after ${opts.timeoutMs ?? 3000} ms waiting for ${opts.label ?? 'condition'}`);
    await delay(opts.intervalMs ?? 20);
  }
}

// ---------------------------------------------------------------------------------------------
// Ports and temp dirs

const handedOut = new Set<number>();

/** A free TCP port on 127.0.0.1, found by binding port 0 (never handed out twice per process). */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.unref();
      srv.on('error', reject);
      srv.listen({ host, port: 0, exclusive: true }, () => {
        const addr = srv.address() as net.AddressInfo;
        srv.close(() => resolve(addr.port));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error('could not find a fresh free port');
}

export async function freePorts(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await freePort());
  return out;
}

const tempDirs = new Set<string>();

export function makeTempDir(tag: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `wslb-live-${tag}-`));
  // nginx workers drop to `nobody` when the master runs as root: let them traverse the prefix.
  fs.chmodSync(dir, 0o755);
  tempDirs.add(dir);
  return dir;
}

/** Replaces every `@NAME@` with vars[NAME]; throws if a placeholder has no value. */
export function substitute(text: string, vars: Record<string, string | number>): string {
  return text.replace(/@([A-Z][A-Z0-9_]*)@/g, (m, name: string) => {
    if (!(name in vars)) throw new Error(`no value for placeholder ${m}`);
    return String(vars[name]);
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

interface Tracked {
  child: ChildProcess;
  label: string;
  exited: Promise<number | null>;
}

const tracked = new Set<Tracked>();

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      /* already gone */
    }
  }
}

function cleanupSync(): void {
  for (const t of tracked) killGroup(t.child.pid, 'SIGKILL');
  if (!process.env.WSLB_LIVE_KEEP) {
    for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.clear();
  }
}

process.on('exit', cleanupSync);
// A test run stopped from outside (Ctrl-C, `timeout`, CI cancel) must not leave balancers behind:
// they run in their own process groups, so nothing else would stop them.
const SIGNAL_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 };
for (const sig of Object.keys(SIGNAL_CODES) as NodeJS.Signals[]) {
  process.once(sig, () => {
    cleanupSync();
    process.exit(128 + (SIGNAL_CODES[sig] ?? 0));
  });
}

// Prefixes left by runs that were SIGKILLed (no handler can run then): remove those over an hour old.
try {
  const cutoff = Date.now() - 3600_000;
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (!name.startsWith('wslb-live-')) continue;
    const dir = path.join(os.tmpdir(), name);
    if (fs.statSync(dir).mtimeMs < cutoff) fs.rmSync(dir, { recursive: true, force: true });
  }
} catch {
  /* best effort */
}

function startProcess(cmd: string, args: string[], label: string): { t: Tracked; output: () => string } {
  const child = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(-1));
  });
  const t: Tracked = { child, label, exited };
  tracked.add(t);
  void exited.then(() => tracked.delete(t));
  return { t, output: () => out };
}

async function stopTracked(t: Tracked): Promise<void> {
  if (t.child.exitCode !== null || t.child.signalCode !== null) return;
  killGroup(t.child.pid, 'SIGTERM');
  const done = await Promise.race([t.exited.then(() => true), delay(2000).then(() => false)]);
  if (!done) {
    killGroup(t.child.pid, 'SIGKILL');
    await Promise.race([t.exited, delay(1000)]);
  }
}

/** Resolves once something accepts TCP connections on host:port. */
export async function waitForPort(
  port: number,
  host = '127.0.0.1',
  timeoutMs = 3000,
  alive?: () => boolean,
): Promise<void> {
  await waitFor(
    async () => {
      if (alive && !alive()) throw new Error(`process exited before ${host}:${port} accepted connections`);
      return new Promise<boolean>((resolve) => {
        const s = net.connect({ host, port });
        s.once('connect', () => {
          s.destroy();
          resolve(true);
        });
        s.once('error', () => resolve(false));
      });
    },
    { timeoutMs, intervalMs: 15, label: `${host}:${port} to accept connections` },
  );
}

export interface Balancer {
  system: 'nginx' | 'haproxy';
  dir: string;
  configPath: string;
  config: string;
  /** pid of the process started (nginx master / HAProxy), also its process group id. */
  pid: number;
  /** stdout+stderr of the process so far, plus the error log for nginx. */
  output(): string;
  stop(): Promise<void>;
}

export interface ValidateResult {
  ok: boolean;
  output: string;
  status: number | null;
}

// nginx -------------------------------------------------------------------------------------------

/**
 * Turns a config text into one that runs under a private prefix: load the stream module only when a
 * `stream {}` block is present and the binary has it as a dynamic module (Debian's; the releases
 * built by scripts/versions.mjs have it built in), and point the temp paths that
 * Debian compiled under /var/lib/nginx, and the access log, into the prefix.
 */
export function prepareNginxConfig(text: string, dir: string, streamIsDynamic = nginxStreamIsDynamic()): string {
  let out = text;
  if (streamIsDynamic && /^\s*stream\s*\{/m.test(out) && !/load_module\s+\S*ngx_stream_module/.test(out)) {
    out = `load_module /usr/lib/nginx/modules/ngx_stream_module.so;\n${out}`;
  }
  const httpPaths = [
    `client_body_temp_path ${dir}/client_body;`,
    `proxy_temp_path ${dir}/proxy;`,
    `fastcgi_temp_path ${dir}/fastcgi;`,
    `uwsgi_temp_path ${dir}/uwsgi;`,
    `scgi_temp_path ${dir}/scgi;`,
    `access_log ${dir}/access.log;`,
  ].join(' ');
  out = out.replace(/^(\s*http\s*\{)/m, `$1 ${httpPaths}`);
  return out;
}

function nginxGlobals(dir: string): string {
  return `daemon off; pid ${dir}/nginx.pid; error_log ${dir}/error.log info; lock_file ${dir}/nginx.lock;`;
}

function writeNginx(configText: string, vars: Record<string, string | number>, tag: string) {
  const dir = makeTempDir(tag);
  const config = prepareNginxConfig(substitute(configText, { PREFIX: dir, ...vars }), dir);
  const configPath = path.join(dir, 'nginx.conf');
  fs.writeFileSync(configPath, config);
  return { dir, config, configPath };
}

function readIf(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

export function validateNginx(configText: string, vars: Record<string, string | number> = {}): ValidateResult {
  if (!BINARIES.nginx) throw new Error(missingBinaryMessage('nginx'));
  // A container's config logs to /dev/stdout and sets `daemon off` itself. Under `nginx -t` here
  // stdout is a socket (libuv's stdio), which nginx cannot open (ENXIO), and a second `daemon`
  // from -g is a duplicate: both are artifacts of the test, not of the config.
  const text = configText.replace(/\/dev\/std(out|err)\b/g, '@PREFIX@/std$1.log');
  const { dir, configPath } = writeNginx(text, vars, 'nginx-t');
  let globals = nginxGlobals(dir);
  if (/^\s*daemon\s/m.test(text)) globals = globals.replace('daemon off; ', '');
  const r = spawnSync(BINARIES.nginx, ['-t', '-q', '-p', dir, '-c', configPath, '-g', globals], {
    encoding: 'utf8',
    timeout: 5000,
  });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.replaceAll(dir, '<prefix>').trim();
  return { ok: r.status === 0, output, status: r.status };
}

export async function startNginx(
  configText: string,
  vars: Record<string, string | number>,
  readyPorts: number[],
): Promise<Balancer> {
  if (!BINARIES.nginx) throw new Error(missingBinaryMessage('nginx'));
  const { dir, config, configPath } = writeNginx(configText, vars, 'nginx');
  const { t, output } = startProcess(BINARIES.nginx, ['-p', dir, '-c', configPath, '-g', nginxGlobals(dir)], 'nginx');
  const allOutput = () => `${output()}${readIf(path.join(dir, 'error.log'))}`;
  const bal: Balancer = {
    system: 'nginx',
    dir,
    configPath,
    config,
    pid: t.child.pid ?? 0,
    output: allOutput,
    stop: () => stopTracked(t),
  };
  try {
    for (const p of readyPorts) await waitForPort(p, '127.0.0.1', 3000, () => t.child.exitCode === null);
    // nginx listens (in its cycle set-up) before it writes its pid file: ready means both.
    const pidFile = path.join(dir, 'nginx.pid');
    await waitFor(
      () => {
        if (t.child.exitCode !== null) throw new Error('nginx exited before writing its pid file');
        return readIf(pidFile).trim() !== '';
      },
      { timeoutMs: 3000, label: 'the nginx pid file' },
    );
  } catch (e) {
    await bal.stop();
    throw new Error(`nginx did not start: ${(e as Error).message}\n${allOutput()}`, { cause: e });
  }
  started.push(bal);
  return bal;
}

// HAProxy -----------------------------------------------------------------------------------------

function writeHaproxy(configText: string, vars: Record<string, string | number>, tag: string) {
  const dir = makeTempDir(tag);
  const config = substitute(configText, { PREFIX: dir, ...vars });
  const configPath = path.join(dir, 'haproxy.cfg');
  fs.writeFileSync(configPath, config);
  return { dir, config, configPath };
}

export function validateHaproxy(configText: string, vars: Record<string, string | number> = {}): ValidateResult {
  if (!BINARIES.haproxy) throw new Error(missingBinaryMessage('haproxy'));
  const { dir, configPath } = writeHaproxy(configText, vars, 'haproxy-c');
  const r = spawnSync(BINARIES.haproxy, ['-c', '-f', configPath], { encoding: 'utf8', timeout: 5000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}`.replaceAll(dir, '<prefix>').trim();
  return { ok: r.status === 0, output, status: r.status };
}

export async function startHaproxy(
  configText: string,
  vars: Record<string, string | number>,
  readyPorts: number[],
): Promise<Balancer> {
  if (!BINARIES.haproxy) throw new Error(missingBinaryMessage('haproxy'));
  const { dir, config, configPath } = writeHaproxy(configText, vars, 'haproxy');
  // -db: stay in the foreground (no daemon) so the process group can be stopped.
  const { t, output } = startProcess(BINARIES.haproxy, ['-db', '-f', configPath], 'haproxy');
  const bal: Balancer = {
    system: 'haproxy',
    dir,
    configPath,
    config,
    pid: t.child.pid ?? 0,
    output,
    stop: () => stopTracked(t),
  };
  try {
    for (const p of readyPorts) await waitForPort(p, '127.0.0.1', 3000, () => t.child.exitCode === null);
  } catch (e) {
    await bal.stop();
    throw new Error(`haproxy did not start: ${(e as Error).message}\n${output()}`, { cause: e });
  }
  started.push(bal);
  return bal;
}

/**
 * HAProxy's soft reload without master-worker: a new process on the same config binds the same
 * listeners and then sends the old one (`-sf <pid>`) SIGUSR1 — soft stop: stop listening, finish the
 * open connections, exit. The new process is tracked and stopped like the first.
 */
export function softReloadHaproxy(old: Balancer): Balancer {
  if (!BINARIES.haproxy) throw new Error(missingBinaryMessage('haproxy'));
  const { t, output } = startProcess(
    BINARIES.haproxy,
    ['-db', '-f', old.configPath, '-sf', String(old.pid)],
    'haproxy (reload)',
  );
  const bal: Balancer = {
    system: 'haproxy',
    dir: old.dir,
    configPath: old.configPath,
    config: old.config,
    pid: t.child.pid ?? 0,
    output,
    stop: () => stopTracked(t),
  };
  started.push(bal);
  return bal;
}

export function validate(
  system: 'nginx' | 'haproxy',
  configText: string,
  vars: Record<string, string | number> = {},
): ValidateResult {
  return system === 'nginx' ? validateNginx(configText, vars) : validateHaproxy(configText, vars);
}

export function startBalancer(
  system: 'nginx' | 'haproxy',
  configText: string,
  vars: Record<string, string | number>,
  readyPorts: number[],
): Promise<Balancer> {
  return system === 'nginx' ? startNginx(configText, vars, readyPorts) : startHaproxy(configText, vars, readyPorts);
}

/**
 * Sends one command to HAProxy's runtime API on a unix socket (`stats socket <path> level admin` in
 * `global`) and returns the whole answer (the non-interactive CLI closes after one command).
 */
export async function haproxyCli(socketPath: string, command: string, timeoutMs = 2000): Promise<string> {
  // The socket was seen missing (ENOENT) once while the frontend already accepted connections:
  // retry a missing or refusing socket for a short while.
  const deadline = now() + timeoutMs;
  for (;;) {
    try {
      return await haproxyCliOnce(socketPath, command, Math.max(100, deadline - now()));
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || now() > deadline) throw e;
      await delay(25);
    }
  }
}

function haproxyCliOnce(socketPath: string, command: string, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ path: socketPath });
    let out = '';
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`timed out after ${timeoutMs} ms: haproxy CLI "${command}"`));
    }, timeoutMs);
    s.on('connect', () => s.write(`${command}\n`));
    s.on('data', (d: Buffer) => (out += d.toString()));
    s.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    s.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
  });
}

export interface HaproxyServerStat {
  /** `UP`, `DOWN`, `MAINT`, `no check`, ... (the `status` column of `show stat`). */
  status: string;
  /** Current effective weight as `show stat` reports it (ramps during slowstart). */
  weight: number;
  /** Current sessions. */
  scur: number;
}

/** `show stat` for the servers of one backend, by server name. */
export async function haproxyServers(socketPath: string, backend: string): Promise<Record<string, HaproxyServerStat>> {
  const csv = await haproxyCli(socketPath, 'show stat');
  const [head, ...rows] = csv.split('\n').filter((l) => l.trim());
  const cols = head.replace(/^#\s*/, '').split(',');
  const at = (name: string) => cols.indexOf(name);
  const out: Record<string, HaproxyServerStat> = {};
  for (const row of rows) {
    const f = row.split(',');
    if (f[at('pxname')] !== backend || f[at('svname')] === 'BACKEND' || f[at('svname')] === 'FRONTEND') continue;
    out[f[at('svname')]] = { status: f[at('status')], weight: Number(f[at('weight')]), scur: Number(f[at('scur')]) };
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Backends

export interface Identity {
  backend: string;
  port: number;
}

export interface BackendConnection {
  ws: WebSocket;
  remoteAddress: string;
  remotePort: number;
  httpVersion: string;
  headers: http.IncomingHttpHeaders;
  received: string[];
  closed?: { code: number; at: number };
}

export interface PlainRequest {
  method: string;
  url: string;
  httpVersion: string;
  headers: http.IncomingHttpHeaders;
}

export interface BackendOptions {
  name: string;
  /** 'echo' sends every text message back; 'silent' never writes after the hello. Default 'echo'. */
  mode?: 'echo' | 'silent';
  /** Send `{backend, port}` as the first message on every connection (default true). */
  hello?: boolean;
  /**
   * RFC 6455 §4.2.1: the opening handshake is an HTTP/1.1 (or higher) GET. When true (default) the
   * backend refuses an upgrade request made with HTTP/1.0 (400), as strict servers do.
   */
  requireHttp11?: boolean;
  /**
   * How a plain (non-upgrade) HTTP request is answered: 'upgrade-required' (default) with 426 and
   * `Connection: close`, as a WebSocket-only endpoint does; 'ok' with a 200 that leaves the
   * connection's persistence to HTTP (Node keeps HTTP/1.1 connections alive, closes HTTP/1.0 ones).
   */
  plain?: 'upgrade-required' | 'ok';
  /** A path answered 200 whatever `plain` says (a health endpoint for `option httpchk`). */
  healthPath?: string;
  port?: number;
}

export interface Backend {
  name: string;
  port: number;
  connections: BackendConnection[];
  plainRequests: PlainRequest[];
  refusedUpgrades: PlainRequest[];
  /** TCP connections accepted so far (plain, upgrade and health-check connections alike). */
  tcpConnections(): number;
  /** Send a text message to every open connection. */
  broadcast(data: string | Buffer): void;
  closeAll(code?: number, reason?: string): void;
  terminateAll(): void;
  /** Stop accepting new connections (health checks then fail) but keep the open WebSockets. */
  stopListening(): Promise<void>;
  /** Accept new connections again on the same port, after stopListening(). */
  resumeListening(): Promise<void>;
  stop(): Promise<void>;
}

const backends = new Set<Backend>();
const started: Balancer[] = [];

export async function startBackend(opts: BackendOptions): Promise<Backend> {
  const port = opts.port ?? (await freePort());
  const connections: BackendConnection[] = [];
  const plainRequests: PlainRequest[] = [];
  const refusedUpgrades: PlainRequest[] = [];
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
  const describe = (req: http.IncomingMessage): PlainRequest => ({
    method: req.method ?? '',
    url: req.url ?? '',
    httpVersion: req.httpVersion,
    headers: req.headers,
  });
  const server = http.createServer((req, res) => {
    // Not an upgrade as far as HTTP is concerned (Node reports an upgrade only when both
    // `Connection: upgrade` and `Upgrade` arrive): answer as a WebSocket-only endpoint would.
    if (opts.healthPath !== undefined && req.url === opts.healthPath) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
      return;
    }
    plainRequests.push(describe(req));
    if (opts.plain === 'ok') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ backend: opts.name, port, ...describe(req) }));
      return;
    }
    const body = JSON.stringify({ backend: opts.name, port, error: 'upgrade required', ...describe(req) });
    res.writeHead(426, { 'content-type': 'application/json', upgrade: 'websocket', connection: 'close' });
    res.end(body);
  });
  let tcp = 0;
  server.on('connection', () => tcp++);
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    if ((opts.requireHttp11 ?? true) && req.httpVersion === '1.0') {
      refusedUpgrades.push(describe(req));
      socket.end(
        'HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 36\r\n\r\nWebSocket handshake needs HTTP/1.1\r\n',
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn: BackendConnection = {
        ws,
        remoteAddress: socket.remoteAddress ?? '',
        remotePort: socket.remotePort ?? 0,
        httpVersion: req.httpVersion,
        headers: req.headers,
        received: [],
      };
      connections.push(conn);
      ws.on('error', () => undefined);
      ws.on('close', (code) => (conn.closed = { code, at: now() }));
      ws.on('message', (data, isBinary) => {
        conn.received.push(isBinary ? `<binary ${(data as Buffer).length}>` : rawText(data));
        if ((opts.mode ?? 'echo') === 'echo') ws.send(data, { binary: isBinary });
      });
      if (opts.hello ?? true) ws.send(JSON.stringify({ backend: opts.name, port } satisfies Identity));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const b: Backend = {
    name: opts.name,
    port,
    connections,
    plainRequests,
    refusedUpgrades,
    tcpConnections: () => tcp,
    broadcast(data) {
      for (const c of connections) if (c.ws.readyState === WebSocket.OPEN) c.ws.send(data);
    },
    closeAll(code = 1001, reason = 'backend closing') {
      for (const c of connections) if (c.ws.readyState === WebSocket.OPEN) c.ws.close(code, reason);
    },
    terminateAll() {
      for (const c of connections) c.ws.terminate();
    },
    stopListening() {
      // Stops accepting at once; open WebSockets are kept. (close()'s callback would wait for
      // them to end, so it is not awaited here.)
      if (server.listening) server.close();
      server.closeIdleConnections();
      return Promise.resolve();
    },
    resumeListening() {
      if (server.listening) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      });
    },
    async stop() {
      backends.delete(b);
      for (const c of connections) c.ws.terminate();
      server.closeAllConnections();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  backends.add(b);
  return b;
}

/**
 * A backend that performs the WebSocket handshake by hand and then keeps full control of the TCP
 * socket, so it can half-close (send FIN but keep reading) or ignore a FIN from the proxy — which a
 * `ws` server never does (it ends its side as soon as it reads a FIN).
 */
export interface RawBackend {
  name: string;
  port: number;
  sockets: { socket: net.Socket; gotFinAt?: number; closedAt?: number; bytesRead: number; resumedAt?: number }[];
  stop(): Promise<void>;
}

export async function startRawBackend(opts: {
  name: string;
  onFin: 'ignore' | 'close';
  halfCloseAfterMs?: number;
  /** Stop reading right after the handshake, so the proxy's writes to this backend eventually block. */
  stopReading?: boolean;
  /** With stopReading: start reading again this long after the handshake (a stall, not a hang). */
  resumeAfterMs?: number;
}): Promise<RawBackend> {
  const port = await freePort();
  const sockets: RawBackend['sockets'] = [];
  const server = http.createServer((_req, res) => {
    res.writeHead(426);
    res.end();
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    const entry: RawBackend['sockets'][number] = { socket, bytesRead: 0 };
    sockets.push(entry);
    socket.allowHalfOpen = true;
    socket.on('error', () => undefined);
    socket.on('end', () => {
      entry.gotFinAt = now();
      if (opts.onFin === 'close') socket.end();
    });
    socket.on('close', () => (entry.closedAt = now()));
    const accept = acceptKey(String(req.headers['sec-websocket-key'] ?? ''));
    socket.write(
      `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    socket.write(encodeFrame(JSON.stringify({ backend: opts.name, port }), false));
    socket.on('data', (d: Buffer) => (entry.bytesRead += d.length));
    if (opts.stopReading) {
      socket.pause();
      if (opts.resumeAfterMs !== undefined) {
        setTimeout(() => {
          entry.resumedAt = now();
          if (!socket.destroyed) socket.resume();
        }, opts.resumeAfterMs);
      }
    }
    if (opts.halfCloseAfterMs !== undefined) {
      setTimeout(() => {
        if (!socket.destroyed) socket.end();
      }, opts.halfCloseAfterMs);
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const rb: RawBackend = {
    name: opts.name,
    port,
    sockets,
    async stop() {
      rawBackends.delete(rb);
      for (const s of sockets) s.socket.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  rawBackends.add(rb);
  return rb;
}

const rawBackends = new Set<RawBackend>();

/**
 * An application that is stuck: it accepts TCP connections on `port` (so a connect-only health check
 * passes) but never reads or answers anything.
 */
export interface StuckServer {
  port: number;
  stop(): Promise<void>;
}

export async function startStuckServer(port: number): Promise<StuckServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.pause();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const st: StuckServer = {
    port,
    async stop() {
      stuckServers.delete(st);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  stuckServers.add(st);
  return st;
}

const stuckServers = new Set<StuckServer>();

/** RFC 6455 §4.2.2: base64(SHA-1(key + GUID)). */
export function acceptKey(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

/** Encodes one unfragmented text frame (masked when sent by a client, RFC 6455 §5.3). */
export function encodeFrame(text: string, masked: boolean, opcode = 0x1): Buffer {
  const payload = Buffer.from(text);
  const len = payload.length;
  const header: number[] = [0x80 | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (len < 126) header.push(maskBit | len);
  else if (len < 65536) header.push(maskBit | 126, len >> 8, len & 0xff);
  else throw new Error('frame too large for this helper');
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const mask = randomBytes(4);
  const body = Buffer.alloc(len);
  for (let i = 0; i < len; i++) body[i] = payload[i] ^ mask[i % 4];
  return Buffer.concat([Buffer.from(header), mask, body]);
}

// ---------------------------------------------------------------------------------------------
// Clients

export interface ClientOptions {
  /** Source address to bind, anywhere in 127.0.0.0/8 (Linux routes the whole block on lo). */
  localAddress?: string;
  headers?: Record<string, string>;
  /** Bound on the whole opening handshake (default 3000 ms). */
  handshakeTimeoutMs?: number;
}

export type Refusal = { kind: 'refused'; status: number; body: string; headers: http.IncomingHttpHeaders };
export type Failure = { kind: 'error'; error: string };

export class LiveClient {
  readonly kind = 'open' as const;
  readonly messages: { data: string; at: number }[] = [];
  identity?: Identity;
  lastActivity: number;
  closed?: { code: number; reason: string; at: number; sinceLastActivityMs: number };
  private readonly closeWaiters: (() => void)[] = [];
  private readonly messageWaiters: (() => void)[] = [];
  private heartbeat?: NodeJS.Timeout;

  constructor(
    readonly ws: WebSocket,
    readonly openedAt: number,
  ) {
    this.lastActivity = openedAt;
    ws.on('message', (data) => {
      const text = rawText(data);
      this.messages.push({ data: text, at: now() });
      this.lastActivity = now();
      if (!this.identity) {
        try {
          const v = JSON.parse(text) as Identity;
          if (typeof v.backend === 'string') this.identity = v;
        } catch {
          /* not the hello */
        }
      }
      this.messageWaiters.splice(0).forEach((w) => w());
    });
    ws.on('pong', () => (this.lastActivity = now()));
    ws.on('close', (code, reason) => {
      const at = now();
      this.stopHeartbeat();
      this.closed = { code, reason: reason.toString(), at, sinceLastActivityMs: at - this.lastActivity };
      this.closeWaiters.splice(0).forEach((w) => w());
      this.messageWaiters.splice(0).forEach((w) => w());
    });
    ws.on('error', () => undefined);
  }

  send(data: string | Buffer): void {
    this.ws.send(data);
    this.lastActivity = now();
  }

  /** Sends a ping every `intervalMs` (the backend's `ws` answers with a pong). */
  startHeartbeat(intervalMs: number): void {
    this.stopHeartbeat();
    this.heartbeat = setInterval(() => {
      if (this.ws.readyState === WebSocket.OPEN) {
        this.ws.ping();
        this.lastActivity = now();
      }
    }, intervalMs);
  }

  stopHeartbeat(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }

  /** Waits for the connection to close; resolves with undefined if still open after `ms`. */
  async waitClose(ms: number): Promise<LiveClient['closed']> {
    if (!this.closed) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        this.closeWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.closed;
  }

  /** Waits until `count` messages have arrived (or the connection closed / `ms` passed). */
  async waitMessages(count: number, ms: number): Promise<string[]> {
    const deadline = now() + ms;
    while (this.messages.length < count && !this.closed && now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - now()));
        this.messageWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages.map((m) => m.data);
  }

  /** Waits (event-driven) for the backend's `{backend, port}` hello. */
  async waitIdentity(ms = 2000): Promise<Identity> {
    const deadline = now() + ms;
    while (!this.identity && !this.closed && now() < deadline)
      await this.waitMessages(this.messages.length + 1, deadline - now());
    if (this.identity) return this.identity;
    if (this.closed) throw new Error(`connection closed before the backend hello (code ${this.closed.code})`);
    throw new Error(`timed out after ${ms} ms waiting for the backend hello`);
  }

  close(): void {
    this.stopHeartbeat();
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}

const clients = new Set<LiveClient>();

/** Opens a WebSocket; never throws: returns the open client, the refusal (status, body) or the error. */
export function openWs(url: string, opts: ClientOptions = {}): Promise<LiveClient | Refusal | Failure> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (v: LiveClient | Refusal | Failure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(v);
    };
    const ws = new WebSocket(url, {
      localAddress: opts.localAddress,
      headers: opts.headers,
      perMessageDeflate: false,
      handshakeTimeout: opts.handshakeTimeoutMs ?? 3000,
      maxPayload: 64 * 1024 * 1024,
    });
    const timer = setTimeout(
      () => {
        ws.terminate();
        done({ kind: 'error', error: 'handshake timed out' });
      },
      (opts.handshakeTimeoutMs ?? 3000) + 500,
    );
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      const finish = () => done({ kind: 'refused', status: res.statusCode ?? 0, body, headers: res.headers });
      res.on('end', finish);
      res.on('error', finish);
      res.on('close', finish);
      setTimeout(finish, 500);
    });
    ws.on('error', (err) => done({ kind: 'error', error: err.message }));
    ws.on('open', () => {
      const c = new LiveClient(ws, now());
      clients.add(c);
      done(c);
    });
  });
}

/** Like openWs but throws unless the handshake succeeds. */
export async function openWsOk(url: string, opts: ClientOptions = {}): Promise<LiveClient> {
  const r = await openWs(url, opts);
  if (r instanceof LiveClient) return r;
  throw new Error(
    r.kind === 'refused'
      ? `handshake refused: HTTP ${r.status} ${r.body.slice(0, 200)}`
      : `handshake failed: ${r.error}`,
  );
}

/**
 * A WebSocket client on a bare TCP socket (allowHalfOpen), for tests that need to half-close or to
 * see exactly when the proxy closes the TCP connection.
 */
export interface RawClient {
  socket: net.Socket;
  status: number;
  received: Buffer;
  gotFinAt?: number;
  closedAt?: number;
  waitEnd(ms: number): Promise<boolean>;
}

export function rawWsConnect(
  port: number,
  opts: { path?: string; localAddress?: string; timeoutMs?: number } = {},
): Promise<RawClient> {
  return withTimeout(
    new Promise<RawClient>((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port, localAddress: opts.localAddress, allowHalfOpen: true });
      const key = randomBytes(16).toString('base64');
      let buf = Buffer.alloc(0);
      let client: RawClient | undefined;
      const endWaiters: (() => void)[] = [];
      socket.on('error', (e) => {
        if (!client) reject(e);
      });
      socket.on('connect', () => {
        socket.write(
          `GET ${opts.path ?? '/'} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      socket.on('data', (d: Buffer) => {
        if (client) {
          client.received = Buffer.concat([client.received, d]);
          return;
        }
        buf = Buffer.concat([buf, d]);
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = buf.subarray(0, end).toString();
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1] ?? 0);
        client = {
          socket,
          status,
          received: buf.subarray(end + 4),
          waitEnd(ms: number) {
            if (this.gotFinAt !== undefined || this.closedAt !== undefined) return Promise.resolve(true);
            return new Promise<boolean>((res) => {
              const timer = setTimeout(() => res(false), ms);
              endWaiters.push(() => {
                clearTimeout(timer);
                res(true);
              });
            });
          },
        };
        rawClients.add(client);
        resolve(client);
      });
      socket.on('end', () => {
        if (client) client.gotFinAt = now();
        endWaiters.splice(0).forEach((w) => w());
      });
      socket.on('close', () => {
        if (client) client.closedAt = now();
        endWaiters.splice(0).forEach((w) => w());
        if (!client) reject(new Error('closed before the handshake answer'));
      });
    }),
    opts.timeoutMs ?? 3000,
    'raw WebSocket handshake',
  );
}

const rawClients = new Set<RawClient>();

// ---------------------------------------------------------------------------------------------
// Cleanup

/** Stops every client, backend and balancer started so far. Safe to call repeatedly. */
export async function stopAll(): Promise<void> {
  for (const c of clients) c.close();
  clients.clear();
  for (const c of rawClients) c.socket.destroy();
  rawClients.clear();
  await Promise.all(started.splice(0).map((b) => b.stop()));
  await Promise.all([...backends].map((b) => b.stop()));
  await Promise.all([...rawBackends].map((b) => b.stop()));
  await Promise.all([...stuckServers].map((b) => b.stop()));
  for (const t of [...tracked]) await stopTracked(t);
}

/** Live (non-zombie) pids whose process group is `pgid` (nginx master + workers), read from /proc. */
export function processGroup(pgid: number): number[] {
  const out: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // fields after the ")" that ends the command name: state ppid pgrp ...
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') out.push(Number(entry));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

/** Number of balancer processes still running (tests assert it drops to zero). */
export function runningProcesses(): number {
  return [...tracked].filter((t) => t.child.exitCode === null && t.child.signalCode === null).length;
}
