/**
 * Discrete-event simulation of WebSocket clients balanced by one pool over time.
 *
 * Model (documented choices):
 * - A WebSocket is one long upstream connection: the balancer runs once per connection, at the
 *   upgrade. A connection lives for a drawn lifetime, then the client reconnects (after the
 *   reconnect policy's first delay), so the population stays constant.
 * - Backends that die: nginx tries the next peer at once (connect refused, `proxy_next_upstream
 *   error`, failure accounting by `max_fails`/`fail_timeout`); HAProxy keeps sending to the dead
 *   server until its health checks mark it down (`detectSec`, default inter 2s x fall 3), and
 *   those attempts fail (the client then applies its reconnect policy).
 * - Connections cut by a scenario (deploy, failure, scale-in, storm) are "dropped"; clients
 *   reconnect with the policy (immediate, fixed delay, exponential backoff with jitter). A host
 *   that vanishes silently is only noticed on a missed heartbeat (between 1 and 2 intervals).
 * - Scale-out / scale-in / storm reload the proxy: new balancer state (new nginx workers, new
 *   HAProxy process) while established connections stay where they are.
 * - AWS target groups (a model of documented behaviour, see aws.ts): a target leaves the pool
 *   by deregistration — no new connections at once; open ones continue until the application
 *   drains them (drain) or the deregistration delay elapses, when what is left is cut without a
 *   close frame (ELB completes a deregistration early once the target has no connections). A
 *   returning target is healthy after one passed health check (registration) or `healthy
 *   threshold` checks (after a failure) and then enters slow start. Failures are noticed after
 *   `unhealthy threshold` × interval. Scale-out registers targets; scale-in deregisters them.
 *   Sources: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/edit-target-group-attributes.html#deregistration-delay
 *   and https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
 * - Deterministic for a seed: one seeded generator, a heap ordered by (time, insertion order).
 * No DOM and no Node APIs: this also runs in the webview.
 */
import type { Balancer } from './balancer-types';
import { createBalancer } from './balancer';
import { AWS_MODEL_LABEL, awsAlgorithmOf, awsSlowStartApplies } from './aws';
import { awsDefault, awsRange } from '../knowledge/aws';
import { Prng, seedFrom } from './prng';
import type {
  ClientOptions,
  LifetimeDistribution,
  ReconnectPolicy,
  ScenarioKind,
  SimBackendResult,
  SimPool,
  SimRequest,
  SimResult,
  SimSample,
  SimServer,
  SimulateOptions,
} from './types';

const EV_CONNECT = 0;
const EV_CLOSE = 1;
const EV_ACTION = 2;
const EV_SAMPLE = 3;
const EV_DROP = 4;

/** Minimum time before a client retries after a failed attempt (so "immediate" cannot spin). */
const FAILED_RETRY_MS = 250;

/** Binary min-heap on (time, seq) with struct-of-arrays storage. */
class EventHeap {
  private time = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  size = 0;
  private counter = 0;

  push(t: number, kind: number, a: number, b: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    const s = this.counter++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.time[p] < t || (this.time[p] === t && this.seq[p] < s)) break;
      this.move(p, i);
      i = p;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.kind[i] = kind;
    this.a[i] = a;
    this.b[i] = b;
  }

  /** Pops the top event into `out` ([time, kind, a, b]); false when empty. */
  pop(out: number[]): boolean {
    if (this.size === 0) return false;
    out[0] = this.time[0];
    out[1] = this.kind[0];
    out[2] = this.a[0];
    out[3] = this.b[0];
    const last = --this.size;
    if (last === 0) return true;
    const t = this.time[last];
    const s = this.seq[last];
    const k = this.kind[last];
    const va = this.a[last];
    const vb = this.b[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last && (this.time[r] < this.time[c] || (this.time[r] === this.time[c] && this.seq[r] < this.seq[c])))
        c = r;
      if (t < this.time[c] || (t === this.time[c] && s < this.seq[c])) break;
      this.move(c, i);
      i = c;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.kind[i] = k;
    this.a[i] = va;
    this.b[i] = vb;
    return true;
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from];
    this.seq[to] = this.seq[from];
    this.kind[to] = this.kind[from];
    this.a[to] = this.a[from];
    this.b[to] = this.b[from];
  }

  private grow(): void {
    const n = this.time.length * 2;
    const t = new Float64Array(n);
    t.set(this.time);
    this.time = t;
    const s = new Float64Array(n);
    s.set(this.seq);
    this.seq = s;
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    const a = new Int32Array(n);
    a.set(this.a);
    this.a = a;
    const b = new Int32Array(n);
    b.set(this.b);
    this.b = b;
  }
}

interface Epoch {
  balancer: Balancer;
  /** pool index -> global backend index */
  toGlobal: number[];
  /** global backend index -> pool index (-1 when absent) */
  toLocal: Map<number, number>;
  pool: SimPool;
}

type Action =
  | { kind: 'snapshot' }
  | { kind: 'kill'; server: number; silent: boolean }
  | { kind: 'refuse'; server: number }
  | { kind: 'drainClose'; server: number; overMs: number }
  | { kind: 'markDown'; server: number }
  | { kind: 'revive'; server: number }
  | { kind: 'markUp'; server: number }
  | { kind: 'reload'; servers: SimServer[]; closeRemoved: number[]; overMs: number }
  | { kind: 'storm' }
  /** AWS: the deregistration delay of `server` elapsed: what is still open is cut. */
  | { kind: 'cut'; server: number };

function clampNum(v: unknown, lo: number, hi: number, dflt: number): number {
  const n = typeof v === 'number' && Number.isFinite(v) ? v : dflt;
  return Math.min(hi, Math.max(lo, n));
}

function drawLifetimeMs(rng: Prng, d: LifetimeDistribution | undefined): number {
  const H = 3_600_000;
  let ms: number;
  if (!d) ms = rng.exponential(H);
  else if (d.kind === 'fixed') ms = clampNum(d.hours, 0, 1e4, 1) * H;
  else if (d.kind === 'uniform') {
    const lo = clampNum(d.minHours, 0, 1e4, 0.5);
    const hi = Math.max(lo, clampNum(d.maxHours, 0, 1e4, 2));
    ms = (lo + rng.next() * (hi - lo)) * H;
  } else if (d.kind === 'lognormal') {
    const median = clampNum(d.medianHours, 1e-6, 1e4, 1);
    const sigma = clampNum(d.sigma, 0, 5, 1);
    ms = median * Math.exp(sigma * rng.normal()) * H;
  } else ms = rng.exponential(clampNum(d.meanHours, 1e-6, 1e4, 1) * H);
  return Math.max(1, ms);
}

function reconnectDelayMs(rng: Prng, p: ReconnectPolicy | undefined, attempt: number): number {
  if (!p || p.kind === 'immediate') return 0;
  if (p.kind === 'fixed') return clampNum(p.delaySec, 0, 86400, 1) * 1000;
  const base = clampNum(p.baseSec, 0, 86400, 1);
  const max = Math.max(base, clampNum(p.maxSec, 0, 86400, 60));
  const cap = Math.min(max, base * Math.pow(2, Math.min(attempt, 40))) * 1000;
  switch (p.jitter ?? 'full') {
    case 'none':
      return cap;
    case 'equal':
      return cap / 2 + rng.next() * (cap / 2);
    default:
      return rng.next() * cap;
  }
}

function hex4(n: number): string {
  return (n & 0xffff).toString(16);
}

/** Client addresses: NAT groups, shared /24s, or individual (IPv4 or IPv6). */
function makeAddresses(rng: Prng, c: ClientOptions, n: number): string[] {
  const natShare = clampNum(c.natShare, 0, 1, 0);
  const subnetShare = clampNum(c.subnetShare, 0, 1 - natShare, 0);
  const natN = Math.floor(clampNum(c.natAddresses, 1, 65536, 4));
  const subN = Math.floor(clampNum(c.subnets, 1, 65536, 8));
  const v6 = clampNum(c.ipv6Share, 0, 1, 0);
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < natShare) {
      const k = rng.int(natN);
      out[i] = `100.${64 + ((k >> 16) & 63)}.${(k >> 8) & 255}.${k & 255}`;
    } else if (r < natShare + subnetShare) {
      const k = rng.int(subN);
      // The /24 198.(18|19).k.0: the host byte varies, the first three octets are shared.
      out[i] = `198.${18 + ((k >> 8) & 1)}.${k & 255}.${1 + rng.int(254)}`;
    } else if (rng.next() < v6) {
      const x = rng.nextU32();
      const y = rng.nextU32();
      out[i] = `2001:db8:${hex4(x >>> 16)}:${hex4(x)}::${hex4(y >>> 16)}:${hex4(y)}`;
    } else {
      const x = rng.nextU32();
      out[i] = `${1 + ((x >>> 24) % 223)}.${(x >>> 16) & 255}.${(x >>> 8) & 255}.${x & 255}`;
    }
  }
  return out;
}

function isUsablePrimary(s: SimServer): boolean {
  return !s.backup && !s.down && (s.weight === undefined || s.weight > 0);
}

/** Runs one scenario. Never throws on odd input: values are clamped, unknown kinds are steady. */
export function simulate(pool: SimPool, options: SimulateOptions): SimResult {
  const seed = seedFrom(options.seed);
  const rng = new Prng(seed ^ 0x5bd1e995);
  const durationMs = clampNum(options.durationSec, 1, 30 * 86400, 3600) * 1000;
  const sampleMs = Math.max(100, clampNum(options.sampleSec, 0.1, 86400, durationMs / 120000) * 1000);
  const co: ClientOptions = options.clients ?? { count: 0 };
  const nClients = Math.floor(clampNum(co.count, 0, 2_000_000, 1000));
  const rampMs = Math.min(durationMs, clampNum(co.rampSec, 0, 86400, 60) * 1000);
  const heartbeatMs = clampNum(co.heartbeatSec, 0.1, 86400, 30) * 1000;
  const maxConnects = options.maxConnects !== undefined ? Math.max(0, Math.floor(options.maxConnects)) : Infinity;
  const scenario = options.scenario ?? { kind: 'steady' as ScenarioKind };
  const kind: ScenarioKind = (['steady', 'deploy', 'failure', 'scale-out', 'scale-in', 'storm'] as const).includes(
    scenario.kind,
  )
    ? scenario.kind
    : 'steady';
  const atMs = clampNum(scenario.atSec, 0, durationMs / 1000, (durationMs / 1000) * 0.4) * 1000;
  const isHaproxy = pool.system === 'haproxy';
  const isAws = pool.system === 'aws';
  // AWS defaults and the deregistration delay's range from the fact table (knowledge/aws.ts, which
  // cites the pages); a target needs one passed check after registration. The lower clamps stay
  // lenient (1 s, 1 check) so that odd hand-made pools still run.
  const awsHcMs = clampNum(
    pool.aws?.healthCheckIntervalMs,
    1000,
    awsRange('tg.health_check.interval').max * 1000,
    awsDefault<number>('tg.health_check.interval') * 1000,
  );
  const awsHealthy = Math.floor(
    clampNum(
      pool.aws?.healthyThreshold,
      1,
      awsRange('tg.health_check.healthy_threshold').max,
      awsDefault<number>('tg.health_check.healthy_threshold'),
    ),
  );
  const awsUnhealthy = Math.floor(
    clampNum(
      pool.aws?.unhealthyThreshold,
      1,
      awsRange('tg.health_check.unhealthy_threshold').max,
      awsDefault<number>('tg.health_check.unhealthy_threshold'),
    ),
  );
  const awsDelayRange = awsRange('tg.deregistration_delay');
  const awsDelayMs = clampNum(
    pool.aws?.deregistrationDelayMs,
    awsDelayRange.min * 1000,
    awsDelayRange.max * 1000,
    awsDefault<number>('tg.deregistration_delay') * 1000,
  );
  const detectMs = clampNum(scenario.detectSec, 0, 3600, isAws ? (awsUnhealthy * awsHcMs) / 1000 : 6) * 1000;

  // ---- backends (global indices; scale-out appends) ----
  const allServers: SimServer[] = pool.servers.map((s) => ({ ...s }));
  const servers0 = allServers.slice();
  const scaleCount = Math.floor(clampNum(scenario.count, 1, 1000, 1));
  if (kind === 'scale-out') {
    const template = pool.servers.find(isUsablePrimary) ?? pool.servers[0];
    for (let k = 0; k < scaleCount; k++) {
      const n = allServers.length + 1;
      const port = template?.port ?? 8080;
      const address = `10.255.${(n >> 8) & 255}.${n & 255}`;
      allServers.push({
        name: `${address}:${port}`,
        address,
        port,
        weight: template?.weight ?? 1,
        backup: false,
        down: false,
        maxFails: template?.maxFails,
        failTimeoutMs: template?.failTimeoutMs,
        slowstartMs: template?.slowstartMs,
        maxconn: template?.maxconn,
      });
    }
  }
  const nb = allServers.length;
  const alive = new Uint8Array(nb).fill(1);
  /** AWS: registered with the target group and healthy (takes new connections). */
  const inService = new Uint8Array(nb).fill(1);
  const open = new Int32Array(nb);
  const peakOpen = new Int32Array(nb);
  const totalConnects = new Float64Array(nb);
  const newInSample = new Int32Array(nb);
  const secOf = new Float64Array(nb).fill(-1);
  const secCount = new Int32Array(nb);
  const peakPerSec = new Int32Array(nb);
  const inPool = new Uint8Array(nb);

  const epochs: Epoch[] = [];
  const makeEpoch = (servers: SimServer[]): Epoch => {
    const toGlobal = servers.map((s) => allServers.indexOf(s));
    const toLocal = new Map<number, number>();
    toGlobal.forEach((g, l) => toLocal.set(g, l));
    const p: SimPool = { ...pool, servers };
    const balancer = createBalancer(p, { seed: (seed + epochs.length * 7919) >>> 0 });
    inPool.fill(0);
    for (const g of toGlobal) inPool[g] = 1;
    return { balancer, toGlobal, toLocal, pool: p };
  };
  if (isAws && kind === 'scale-out') {
    // AWS keeps one target group: the new targets exist from the start, not yet registered.
    epochs.push(makeEpoch(allServers.slice()));
    for (let g = servers0.length; g < nb; g++) {
      inService[g] = 0;
      epochs[0].balancer.setDown(g, true, 0);
    }
  } else epochs.push(makeEpoch(servers0));

  // ---- clients ----
  const addresses = makeAddresses(rng, co, nClients);
  const backend = new Int32Array(nClients).fill(-1);
  const worker = new Int32Array(nClients);
  const epochOf = new Int32Array(nClients);
  const gen = new Int32Array(nClients);
  const attempts = new Int32Array(nClients);
  const before = new Int32Array(nClients).fill(-1);
  const needsRequestData =
    (pool.system === 'nginx' && pool.algorithm.includes('hash') && pool.algorithm !== 'ip_hash') ||
    (isHaproxy && /^(uri|hdr|url_param)/.test(pool.algorithm));
  const nWorkers =
    pool.system === 'nginx' && !pool.zone ? Math.max(1, Math.floor(clampNum(pool.workers, 1, 1024, 1))) : 1;
  const randomWorkers = options.workerDistribution === 'random' && nWorkers > 1;
  const requests: SimRequest[] = [];
  for (let c = 0; c < nClients; c++) {
    requests.push(
      needsRequestData
        ? {
            clientIp: addresses[c],
            uri: `/ws?user=${c}`,
            headers: { Host: 'app.example', 'X-User': `u${c}`, Cookie: `sid=s${c}` },
            worker: 0,
          }
        : { clientIp: addresses[c], worker: 0 },
    );
  }
  const requestOf = (c: number): SimRequest => {
    const r = requests[c];
    r.worker = randomWorkers ? rng.int(nWorkers) : undefined;
    return r;
  };

  const heap = new EventHeap();
  for (let c = 0; c < nClients; c++) heap.push(rampMs > 0 ? rng.next() * rampMs : 0, EV_CONNECT, c, 0);
  for (let t = 0; t <= durationMs; t += sampleMs) heap.push(t, EV_SAMPLE, 0, 0);

  // ---- scenario actions ----
  const actions: Action[] = [];
  const at = (t: number, a: Action): void => {
    if (t > durationMs) return;
    actions.push(a);
    heap.push(t, EV_ACTION, actions.length - 1, 0);
  };
  at(atMs, { kind: 'snapshot' });
  const primaries = servers0.map((s, i) => (isUsablePrimary(s) ? i : -1)).filter((i) => i >= 0);
  const drain = scenario.drain !== false;
  const drainMs = clampNum(scenario.drainSec, 0, 86400, 30) * 1000;
  const restartMs = clampNum(scenario.restartSec, 0, 86400, 20) * 1000;
  const upDetectMs = (detectMs * 2) / 3; // rise 2 vs fall 3 checks
  /** AWS: deregister `g` at t0 (drain or cut after the delay); returns when the target is gone. */
  const awsDeregister = (g: number, t0: number): number => {
    at(t0, { kind: 'markDown', server: g });
    let gone = t0 + awsDelayMs;
    if (drain && awsDelayMs > 0) {
      // The application closes its WebSockets (close frame 1001) over drainSec; once none is
      // left, ELB completes the deregistration without waiting for the rest of the delay.
      const d = Math.min(drainMs, awsDelayMs);
      at(t0, { kind: 'drainClose', server: g, overMs: d });
      gone = t0 + d;
    }
    at(gone, { kind: 'cut', server: g });
    return gone;
  };
  if (isAws && kind === 'deploy') {
    // One target at a time: the next one is deregistered `intervalSec` after the previous one
    // started, but never before the previous one is healthy again.
    const interval = clampNum(scenario.intervalSec, 0, 86400, 60) * 1000;
    let t0 = atMs;
    for (const g of primaries) {
      const gone = awsDeregister(g, t0);
      at(gone, { kind: 'refuse', server: g });
      at(gone + restartMs, { kind: 'revive', server: g });
      // Registered again: healthy after one passed health check.
      const up = gone + restartMs + awsHcMs;
      at(up, { kind: 'markUp', server: g });
      t0 = Math.max(t0 + interval, up);
    }
  } else if (isAws && kind === 'failure') {
    const g = Math.floor(clampNum(scenario.server, 0, Math.max(0, servers0.length - 1), primaries[0] ?? 0));
    at(atMs, { kind: 'kill', server: g, silent: !!scenario.silent });
    at(atMs + detectMs, { kind: 'markDown', server: g });
    if (scenario.recoverSec !== undefined && Number.isFinite(scenario.recoverSec)) {
      const back = atMs + clampNum(scenario.recoverSec, 0, 86400 * 30, 60) * 1000;
      at(back, { kind: 'revive', server: g });
      at(Math.max(back, atMs + detectMs) + awsHealthy * awsHcMs, { kind: 'markUp', server: g });
    }
  } else if (isAws && kind === 'scale-out') {
    for (let g = servers0.length; g < nb; g++) at(atMs + awsHcMs, { kind: 'markUp', server: g });
  } else if (isAws && kind === 'scale-in') {
    const removed = primaries.slice(Math.max(1, primaries.length - scaleCount));
    for (const g of removed) at(awsDeregister(g, atMs), { kind: 'refuse', server: g });
  } else if (kind === 'deploy') {
    const interval = clampNum(scenario.intervalSec, 0, 86400, 60) * 1000;
    primaries.forEach((g, k) => {
      const t0 = atMs + k * interval;
      if (drain) {
        // Graceful: the server stops taking new connections (HAProxy: set to drain/maint by the
        // deploy tool; nginx: the app stops listening) and closes its sockets over drainSec.
        at(t0, { kind: 'refuse', server: g });
        if (isHaproxy) at(t0, { kind: 'markDown', server: g });
        at(t0, { kind: 'drainClose', server: g, overMs: drainMs });
        at(t0 + drainMs + restartMs, { kind: 'revive', server: g });
        at(t0 + drainMs + restartMs + (isHaproxy ? upDetectMs : 0), { kind: 'markUp', server: g });
      } else {
        at(t0, { kind: 'kill', server: g, silent: false });
        if (isHaproxy) at(t0 + detectMs, { kind: 'markDown', server: g });
        at(t0 + restartMs, { kind: 'revive', server: g });
        at(t0 + restartMs + (isHaproxy ? upDetectMs : 0), { kind: 'markUp', server: g });
      }
    });
  } else if (kind === 'failure') {
    const g = Math.floor(clampNum(scenario.server, 0, Math.max(0, servers0.length - 1), primaries[0] ?? 0));
    at(atMs, { kind: 'kill', server: g, silent: !!scenario.silent });
    if (isHaproxy) at(atMs + detectMs, { kind: 'markDown', server: g });
    if (scenario.recoverSec !== undefined && Number.isFinite(scenario.recoverSec)) {
      const back = atMs + clampNum(scenario.recoverSec, 0, 86400 * 30, 60) * 1000;
      at(back, { kind: 'revive', server: g });
      at(back + (isHaproxy ? upDetectMs : 0), { kind: 'markUp', server: g });
    }
  } else if (kind === 'scale-out') {
    at(atMs, { kind: 'reload', servers: allServers.slice(), closeRemoved: [], overMs: 0 });
  } else if (kind === 'scale-in') {
    const removed = primaries.slice(Math.max(1, primaries.length - scaleCount));
    const keep = servers0.filter((_, i) => !removed.includes(i));
    at(atMs, { kind: 'reload', servers: keep, closeRemoved: removed, overMs: drain ? drainMs : 0 });
  } else if (kind === 'storm') {
    at(atMs, { kind: 'storm' });
  }

  // ---- metrics state ----
  let dropped = 0;
  let cutAtDeregistration = 0;
  let failedAttempts = 0;
  let connects = 0;
  let closes = 0;
  let events = 0;
  let peakImbalance = 0;
  const series: SimSample[] = [];
  let sampleDropped = 0;
  /** Clients currently connected to backend g (scans are rare: only scenario actions). */
  const clientsOn = (g: number): number[] => {
    const out: number[] = [];
    for (let c = 0; c < nClients; c++) if (backend[c] === g) out.push(c);
    return out;
  };

  const current = (): Epoch => epochs[epochs.length - 1];

  const recordNew = (g: number, t: number): void => {
    const sec = Math.floor(t / 1000);
    if (secOf[g] !== sec) {
      secOf[g] = sec;
      secCount[g] = 0;
    }
    secCount[g]++;
    if (secCount[g] > peakPerSec[g]) peakPerSec[g] = secCount[g];
    newInSample[g]++;
    totalConnects[g]++;
  };

  const scheduleReconnect = (c: number, t: number, attempt: number): void => {
    heap.push(t + reconnectDelayMs(rng, co.reconnect, attempt), EV_CONNECT, c, 0);
  };
  /** After a failed attempt the client waits at least FAILED_RETRY_MS (a failed upgrade's round trip). */
  const retryAfterFailure = (c: number, t: number): void => {
    attempts[c]++;
    heap.push(t + Math.max(FAILED_RETRY_MS, reconnectDelayMs(rng, co.reconnect, attempts[c])), EV_CONNECT, c, 0);
  };

  const disconnect = (c: number, t: number): number => {
    const g = backend[c];
    if (g < 0) return -1;
    const ep = epochs[epochOf[c]];
    const local = ep.toLocal.get(g);
    if (local !== undefined) ep.balancer.release(local, t, worker[c]);
    open[g]--;
    closes++;
    backend[c] = -1;
    gen[c]++;
    return g;
  };

  /** A scenario cut an established connection; the client reconnects with its policy. */
  const dropClient = (c: number, t: number): void => {
    if (disconnect(c, t) < 0) return;
    dropped++;
    sampleDropped++;
    attempts[c] = 0;
    scheduleReconnect(c, t, 0);
  };

  const connect = (c: number, t: number): void => {
    if (backend[c] >= 0) return;
    connects++;
    const ep = current();
    const res = ep.balancer.pickDetailed(requestOf(c), t);
    failedAttempts += res.failedAttempts.length;
    if (res.server < 0) {
      failedAttempts++;
      retryAfterFailure(c, t);
      return;
    }
    const g = ep.toGlobal[res.server];
    if (!alive[g]) {
      // HAProxy has not noticed yet: the connection attempt fails.
      ep.balancer.fail(res.server, t, res.worker);
      failedAttempts++;
      retryAfterFailure(c, t);
      return;
    }
    backend[c] = g;
    worker[c] = res.worker;
    epochOf[c] = epochs.length - 1;
    attempts[c] = 0;
    open[g]++;
    if (open[g] > peakOpen[g]) peakOpen[g] = open[g];
    recordNew(g, t);
    heap.push(t + drawLifetimeMs(rng, co.lifetime), EV_CLOSE, c, gen[c]);
  };

  const setReachable = (g: number, up: boolean, t: number): void => {
    // nginx: reachability is what the balancer sees (connects fail at once).
    if (isHaproxy || isAws) return;
    for (const ep of epochs) {
      const l = ep.toLocal.get(g);
      if (l !== undefined) ep.balancer.setDown(l, !up, t);
    }
  };
  const setChecked = (g: number, up: boolean, t: number): void => {
    if (!isHaproxy && !isAws) return;
    if (isAws) inService[g] = up ? 1 : 0;
    const ep = current();
    const l = ep.toLocal.get(g);
    if (l !== undefined) ep.balancer.setDown(l, !up, t);
  };

  const runAction = (a: Action, t: number): void => {
    switch (a.kind) {
      case 'snapshot':
        for (let c = 0; c < nClients; c++) before[c] = backend[c];
        break;
      case 'kill': {
        alive[a.server] = 0;
        setReachable(a.server, false, t);
        const victims = clientsOn(a.server);
        for (const c of victims) {
          if (a.silent) heap.push(t + heartbeatMs * (1 + rng.next()), EV_DROP, c, gen[c]);
          else dropClient(c, t);
        }
        break;
      }
      case 'refuse':
        alive[a.server] = 0;
        setReachable(a.server, false, t);
        break;
      case 'drainClose': {
        const victims = clientsOn(a.server);
        for (const c of victims) heap.push(t + rng.next() * a.overMs, EV_DROP, c, gen[c]);
        break;
      }
      case 'markDown':
        setChecked(a.server, false, t);
        break;
      case 'revive':
        alive[a.server] = 1;
        setReachable(a.server, true, t);
        break;
      case 'markUp':
        setChecked(a.server, true, t);
        break;
      case 'reload': {
        const ep = makeEpoch(a.servers);
        epochs.push(ep);
        for (let g = 0; g < nb; g++) {
          const l = ep.toLocal.get(g);
          if (l !== undefined && !alive[g]) ep.balancer.setDown(l, true, t);
        }
        for (const g of a.closeRemoved) {
          const victims = clientsOn(g);
          for (const c of victims) {
            if (a.overMs > 0) heap.push(t + rng.next() * a.overMs, EV_DROP, c, gen[c]);
            else dropClient(c, t);
          }
        }
        break;
      }
      case 'cut': {
        for (const c of clientsOn(a.server)) {
          dropClient(c, t);
          cutAtDeregistration++;
        }
        break;
      }
      case 'storm': {
        if (isAws) {
          // The target group keeps its state; every client reconnects at once.
          for (let c = 0; c < nClients; c++) if (backend[c] >= 0) dropClient(c, t);
          break;
        }
        const ep = makeEpoch(current().pool.servers);
        epochs.push(ep);
        for (let g = 0; g < nb; g++) {
          const l = ep.toLocal.get(g);
          if (l !== undefined && !alive[g]) ep.balancer.setDown(l, true, t);
        }
        for (let c = 0; c < nClients; c++) if (backend[c] >= 0) dropClient(c, t);
        break;
      }
    }
  };

  const balanceStats = (): { imbalance: number; cv: number; usable: number[] } => {
    const usable: number[] = [];
    const ep = current();
    ep.toGlobal.forEach((g, l) => {
      if (isUsablePrimary(ep.pool.servers[l]) && alive[g] && inService[g]) usable.push(g);
    });
    if (usable.length === 0) return { imbalance: 0, cv: 0, usable };
    let sum = 0;
    let max = 0;
    for (const g of usable) {
      sum += open[g];
      if (open[g] > max) max = open[g];
    }
    const mean = sum / usable.length;
    if (mean === 0) return { imbalance: 0, cv: 0, usable };
    let v = 0;
    for (const g of usable) v += (open[g] - mean) * (open[g] - mean);
    return { imbalance: max / mean, cv: Math.sqrt(v / usable.length) / mean, usable };
  };

  const takeSample = (t: number): void => {
    const st = balanceStats();
    let connected = 0;
    for (let g = 0; g < nb; g++) connected += open[g];
    series.push({
      tSec: Math.round(t) / 1000,
      connections: Array.from(open),
      newConnections: Array.from(newInSample),
      imbalance: round(st.imbalance),
      cv: round(st.cv),
      dropped: sampleDropped,
      connected,
    });
    if (t >= rampMs && st.imbalance > peakImbalance) peakImbalance = st.imbalance;
    newInSample.fill(0);
    sampleDropped = 0;
  };

  // ---- main loop ----
  const ev = [0, 0, 0, 0];
  const maxEvents = options.maxEvents !== undefined ? Math.max(0, Math.floor(options.maxEvents)) : 200_000_000;
  while (heap.pop(ev)) {
    const t = ev[0];
    if (t > durationMs) break;
    if (++events > maxEvents) {
      events--;
      break;
    }
    const k = ev[1];
    const a = ev[2];
    if (k === EV_CONNECT) {
      if (connects >= maxConnects) break;
      connect(a, t);
    } else if (k === EV_CLOSE) {
      if (gen[a] !== ev[3] || backend[a] < 0) continue;
      disconnect(a, t);
      attempts[a] = 0;
      const delay = reconnectDelayMs(rng, co.reconnect, 0);
      // A zero delay reconnects in place (same instant; saves a heap round trip).
      if (delay === 0) {
        if (connects >= maxConnects) break;
        connect(a, t);
      } else heap.push(t + delay, EV_CONNECT, a, 0);
    } else if (k === EV_DROP) {
      if (gen[a] !== ev[3] || backend[a] < 0) continue;
      dropClient(a, t);
    } else if (k === EV_ACTION) {
      runAction(actions[a], t);
    } else if (k === EV_SAMPLE) {
      takeSample(t);
    }
  }

  // ---- results ----
  const end = balanceStats();
  let moved = 0;
  let stayed = 0;
  for (let c = 0; c < nClients; c++) {
    if (before[c] < 0 || backend[c] < 0) continue;
    if (before[c] !== backend[c]) moved++;
    else stayed++;
  }
  let connectedAtEnd = 0;
  for (let g = 0; g < nb; g++) connectedAtEnd += open[g];
  const backends: SimBackendResult[] = allServers.map((s, g) => ({
    server: s.name,
    weight: s.weight,
    backup: !!s.backup,
    finalConnections: open[g],
    peakConnections: peakOpen[g],
    peakNewPerSecond: peakPerSec[g],
    totalConnects: totalConnects[g],
  }));
  return {
    pool: pool.name,
    system: pool.system,
    algorithm: describeAlgorithm(pool),
    fidelity: isAws ? 'model' : 'exact',
    note: isAws ? awsNote(pool) : undefined,
    scenario: kind,
    seed,
    backends,
    metrics: {
      imbalance: round(end.imbalance),
      cv: round(end.cv),
      peakImbalance: round(peakImbalance),
      movedShare: moved + stayed ? round(moved / (moved + stayed)) : 0,
      dropped,
      failedAttempts,
      peakNewPerSecond: peakPerSec.reduce((m, v) => Math.max(m, v), 0),
      connects,
      closes,
      events,
      connectedAtEnd,
      ...(isAws ? { cutAtDeregistration } : {}),
    },
    series,
  };
}

/** The label of an AWS result, with the model's assumptions that matter for this pool. */
export function awsNote(pool: SimPool): string {
  const parts = [`${AWS_MODEL_LABEL[0].toUpperCase()}${AWS_MODEL_LABEL.slice(1)}.`];
  const alg = awsAlgorithmOf(pool);
  if (alg === 'least_outstanding_requests')
    parts.push('Assumption: an open WebSocket counts as an outstanding request while it stays open.');
  if (alg === 'weighted_random')
    parts.push('Anomaly mitigation is not modelled (the simulated targets never fail requests).');
  if (alg === 'flow_hash')
    parts.push('NLB flow hash modelled as a uniform draw per connection (each has a new client port).');
  if ((pool.aws?.slowStartMs ?? 0) > 0 && alg !== 'round_robin')
    parts.push('Slow start is not applied with this algorithm.');
  if (pool.aws?.placeholderTargets)
    parts.push(`The config does not list the targets: ${pool.servers.length} placeholder targets.`);
  if (pool.aws?.unknown?.length)
    parts.push(`Not evaluable in the config, AWS's default used: ${pool.aws.unknown.join(', ')}.`);
  return parts.join(' ');
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}

/** Human-readable algorithm line, e.g. "hash $remote_addr consistent", "source (consistent, sdbm)". */
export function describeAlgorithm(pool: SimPool): string {
  const a = pool.algorithm;
  if (pool.system === 'aws') {
    const alg = awsAlgorithmOf(pool);
    return alg === 'round_robin' && awsSlowStartApplies(pool)
      ? `round_robin, slow start ${Math.round((pool.aws?.slowStartMs ?? 0) / 1000)} s`
      : alg;
  }
  if (pool.system === 'nginx') {
    if (a === 'hash')
      return `hash ${pool.hashKey ?? ''}${pool.consistent ? ' consistent' : ''}`.replace(/\s+/g, ' ').trim();
    if (a === 'random')
      return pool.randomTwo ? `random two${pool.randomTwoMethod ? ' ' + pool.randomTwoMethod : ''}` : 'random';
    return a;
  }
  if (/^(source|uri|hdr|url_param)/.test(a)) {
    const name =
      a === 'hdr' && pool.hashKey
        ? `hdr(${pool.hashKey})`
        : a === 'url_param' && pool.hashKey
          ? `url_param ${pool.hashKey}`
          : a;
    const fn = pool.hashFunction ?? 'sdbm';
    return `${name} (hash-type ${pool.consistent ? 'consistent' : 'map-based'} ${fn}${pool.avalanche ? ' avalanche' : ''})`;
  }
  if (a === 'random' && pool.draws) return `random(${pool.draws})`;
  return a;
}

/**
 * Benchmark: 1,000,000 connection events (about 510,000 opens and 490,000 closes) across 50
 * weighted backends with nginx smooth weighted round robin: 20,000 clients with short lifetimes
 * reconnecting. Returns the connection events, the connects among them and the elapsed ms.
 */
export function benchSimulate(): { events: number; connects: number; ms: number } {
  const servers: SimServer[] = Array.from({ length: 50 }, (_, i) => ({
    name: `10.1.${i >> 8}.${i & 255}:8080`,
    address: `10.1.${i >> 8}.${i & 255}`,
    port: 8080,
    weight: 1 + (i % 3),
    backup: false,
    down: false,
  }));
  const pool: SimPool = { system: 'nginx', name: 'bench', algorithm: 'round_robin', servers };
  const clock = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now());
  const t0 = clock();
  const r = simulate(pool, {
    seed: 1,
    durationSec: 3600,
    sampleSec: 60,
    clients: { count: 20000, lifetime: { kind: 'exponential', meanHours: 0.02 }, rampSec: 10 },
    maxConnects: 510_000,
  });
  return { events: r.metrics.connects + r.metrics.closes, connects: r.metrics.connects, ms: clock() - t0 };
}
