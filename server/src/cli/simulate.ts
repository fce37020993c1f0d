/**
 * `wslb simulate <config> --pool <name> [options]`: runs the balancing simulator on one pool and
 * prints the metrics as a table or as JSON. The caller (wslb.ts) loads the config and passes its
 * pools; this module only parses the options, runs the engine and formats the result.
 */
import { AWS_MODEL_LABEL, awsPlaceholderTargets } from '../service/simulate/aws';
import { withAlgorithm } from '../service/simulate/algorithm';
import { simulate } from '../service/simulate/engine';
import type { ReconnectPolicy, ScenarioKind, SimPool, SimResult, SimulateOptions } from '../service/simulate/types';

// withAlgorithm lives with the simulator (the webview uses it too); re-exported for the CLI's callers.
export { awsPlaceholderTargets, withAlgorithm };

/** What `wslb simulate --format json` prints. */
export type SimulateJson = Pick<
  SimResult,
  'pool' | 'system' | 'algorithm' | 'fidelity' | 'note' | 'scenario' | 'seed' | 'backends' | 'metrics' | 'series'
> & { clients: number };

export interface SimulateIo {
  out(s: string): void;
  err(s: string): void;
}

const SCENARIOS: ScenarioKind[] = ['steady', 'deploy', 'failure', 'scale-out', 'scale-in', 'storm'];

export const SIMULATE_USAGE = `Usage: wslb simulate <config> --pool <name> [options]

Simulates WebSocket clients balanced by one upstream (nginx), backend (HAProxy) or AWS target
group. nginx and HAProxy are reproduced exactly; AWS is ${AWS_MODEL_LABEL}.

Options:
  --pool <name>            upstream/backend to simulate (required when the config has several)
  --clients <n>            number of clients (default 1000)
  --nat-share <x>          share of clients behind NAT addresses, 0..1 (default 0)
  --nat-addresses <n>      number of NAT addresses they share (default 4)
  --subnet-share <x>       share of clients in a few shared /24 networks, 0..1 (default 0)
  --scenario <kind>        steady | deploy | failure | scale-out | scale-in | storm (default steady)
  --no-drain               deploy/scale-in: kill without close frames instead of draining
  --algorithm <spec>       try another algorithm, e.g. least_conn, "hash $remote_addr consistent",
                           leastconn, "source consistent", "hdr(X-User)", "random(2)",
                           AWS: round_robin, least_outstanding_requests, weighted_random
  --targets <n>            AWS: number of targets when the config does not list them (default 3)
  --lifetime-hours <h>     mean connection lifetime, exponential (default 1)
  --reconnect <policy>     immediate | fixed:<sec> | backoff:<base>:<max> (default immediate)
  --heartbeat <sec>        client heartbeat interval (default 30)
  --duration <sec>         simulated time (default 3600)
  --workers <n>            nginx worker_processes (default: from the config, else 1)
  --seed <s>               random seed (default 1)
  --format <text|json>     output format (default text)
`;

interface Parsed {
  pool?: string;
  clients?: number;
  natShare?: number;
  natAddresses?: number;
  subnetShare?: number;
  scenario?: ScenarioKind;
  drain?: boolean;
  algorithm?: string;
  lifetimeHours?: number;
  reconnect?: ReconnectPolicy;
  heartbeat?: number;
  duration?: number;
  workers?: number;
  targets?: number;
  seed?: string;
  format: 'text' | 'json';
  help?: boolean;
}

/** The options that take a number: the field they set, the accepted range, whole numbers only. */
type NumberField =
  | 'clients'
  | 'natShare'
  | 'natAddresses'
  | 'subnetShare'
  | 'lifetimeHours'
  | 'heartbeat'
  | 'duration'
  | 'workers'
  | 'targets';
const NUMBER_OPTIONS = new Map<string, { field: NumberField; lo: number; hi: number; whole?: boolean }>([
  ['--clients', { field: 'clients', lo: 0, hi: 2_000_000, whole: true }],
  ['--nat-share', { field: 'natShare', lo: 0, hi: 1 }],
  ['--nat-addresses', { field: 'natAddresses', lo: 1, hi: 65536, whole: true }],
  ['--subnet-share', { field: 'subnetShare', lo: 0, hi: 1 }],
  ['--lifetime-hours', { field: 'lifetimeHours', lo: 0.0001, hi: 10000 }],
  ['--heartbeat', { field: 'heartbeat', lo: 0.1, hi: 86400 }],
  ['--duration', { field: 'duration', lo: 1, hi: 30 * 86400 }],
  ['--workers', { field: 'workers', lo: 1, hi: 1024, whole: true }],
  ['--targets', { field: 'targets', lo: 1, hi: 1000, whole: true }],
]);

function parseNumber(flag: string, v: string | undefined, lo: number, hi: number): number | string {
  if (v === undefined) return `${flag} needs a value`;
  const n = Number(v);
  if (!Number.isFinite(n) || n < lo || n > hi) return `${flag}: expected a number between ${lo} and ${hi}, got "${v}"`;
  return n;
}

function parseReconnect(v: string): ReconnectPolicy | string {
  const parts = v.split(':');
  if (parts[0] === 'immediate' && parts.length === 1) return { kind: 'immediate' };
  if (parts[0] === 'fixed' && parts.length === 2 && Number.isFinite(Number(parts[1])) && Number(parts[1]) >= 0)
    return { kind: 'fixed', delaySec: Number(parts[1]) };
  if (
    parts[0] === 'backoff' &&
    parts.length === 3 &&
    parts.slice(1).every((x) => Number.isFinite(Number(x)) && Number(x) >= 0)
  )
    return { kind: 'backoff', baseSec: Number(parts[1]), maxSec: Number(parts[2]), jitter: 'full' };
  return `--reconnect: expected immediate, fixed:<sec> or backoff:<base>:<max>, got "${v}"`;
}

/** Applies one option that is not a number to `p`; a string is an error. */
function parseOption(p: Parsed, flag: string, a: string, value: () => string | undefined): string | undefined {
  switch (flag) {
    case '-h':
    case '--help':
      p.help = true;
      break;
    case '--pool':
      p.pool = value();
      if (p.pool === undefined) return '--pool needs a value';
      break;
    case '--scenario': {
      const v = value();
      if (!v || !(SCENARIOS as string[]).includes(v))
        return `--scenario: expected one of ${SCENARIOS.join(', ')}, got "${v ?? ''}"`;
      p.scenario = v as ScenarioKind;
      break;
    }
    case '--drain':
    case '--no-drain':
      p.drain = flag === '--drain';
      break;
    case '--algorithm':
      p.algorithm = value();
      if (!p.algorithm) return '--algorithm needs a value';
      break;
    case '--reconnect': {
      const r = parseReconnect(value() ?? '');
      if (typeof r === 'string') return r;
      p.reconnect = r;
      break;
    }
    case '--seed':
      p.seed = value();
      if (p.seed === undefined) return '--seed needs a value';
      break;
    case '--format': {
      const v = value();
      if (v !== 'text' && v !== 'json') return `--format: expected text or json, got "${v ?? ''}"`;
      p.format = v;
      break;
    }
    default:
      if (a.startsWith('-')) return `unknown option "${a}"`;
    // positional: the config path, handled by the caller
  }
  return undefined;
}

function parseArgs(args: string[]): Parsed | string {
  const p: Parsed = { format: 'text' };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const inline = eq > 0 ? a.slice(eq + 1) : undefined;
    const value = (): string | undefined => (inline !== undefined ? inline : args[++i]);
    const numeric = NUMBER_OPTIONS.get(flag);
    if (numeric) {
      const r = parseNumber(flag, value(), numeric.lo, numeric.hi);
      if (typeof r === 'string') return r;
      p[numeric.field] = numeric.whole ? Math.floor(r) : r;
      continue;
    }
    const error = parseOption(p, flag, a, value);
    if (error !== undefined) return error;
  }
  return p;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function pad(s: string, n: number, right = false): string {
  return right ? s.padStart(n) : s.padEnd(n);
}

export function formatText(r: SimResult, clients: number): string {
  const lines: string[] = [];
  lines.push(
    `pool ${r.pool} (${r.system}, ${r.algorithm}), scenario ${r.scenario}, ${clients} clients, seed ${r.seed}`,
  );
  if (r.fidelity === 'model' && r.note) lines.push(r.note);
  const w = Math.max(6, ...r.backends.map((b) => b.server.length));
  lines.push(
    `${pad('server', w)}  ${pad('weight', 6, true)}  ${pad('final', 7, true)}  ${pad('peak', 7, true)}  ${pad('new/s max', 9, true)}  ${pad('connects', 9, true)}`,
  );
  for (const b of r.backends) {
    lines.push(
      `${pad(b.server + (b.backup ? ' (backup)' : ''), w)}  ${pad(String(b.weight), 6, true)}  ${pad(String(b.finalConnections), 7, true)}  ${pad(String(b.peakConnections), 7, true)}  ${pad(String(b.peakNewPerSecond), 9, true)}  ${pad(String(b.totalConnects), 9, true)}`,
    );
  }
  const m = r.metrics;
  lines.push('');
  lines.push(
    `imbalance (max/mean) ${m.imbalance.toFixed(2)} (worst ${m.peakImbalance.toFixed(2)}), cv ${m.cv.toFixed(3)}`,
  );
  lines.push(
    `clients that changed backend ${pct(m.movedShare)}, dropped connections ${m.dropped}, failed attempts ${m.failedAttempts}`,
  );
  lines.push(`peak new connections on one backend ${m.peakNewPerSecond}/s, connected at end ${m.connectedAtEnd}`);
  if (m.cutAtDeregistration !== undefined)
    lines.push(`connections cut when a deregistration delay elapsed (no close frame) ${m.cutAtDeregistration}`);
  return lines.join('\n') + '\n';
}

/** The pool the options name (or the only one), with the options' changes; a number is an exit code. */
function choosePool(parsed: Parsed, pools: SimPool[], io: SimulateIo): SimPool | number {
  if (pools.length === 0) {
    io.err('wslb simulate: no upstream or backend with servers found in the config\n');
    return 1;
  }
  let pool: SimPool | undefined;
  if (parsed.pool !== undefined) {
    pool = pools.find((p) => p.name === parsed.pool);
    if (!pool) {
      io.err(`wslb simulate: no pool named "${parsed.pool}"; available: ${pools.map((p) => p.name).join(', ')}\n`);
      return 1;
    }
  } else if (pools.length === 1) {
    pool = pools[0];
  } else {
    io.err(`wslb simulate: several pools, choose one with --pool: ${pools.map((p) => p.name).join(', ')}\n`);
    return 2;
  }
  if (pool.servers.length === 0) {
    io.err(`wslb simulate: pool "${pool.name}" has no servers\n`);
    return 1;
  }
  if (parsed.algorithm) {
    const changed = withAlgorithm(pool, parsed.algorithm);
    if (typeof changed === 'string') {
      io.err(`wslb simulate: ${changed}\n`);
      return 2;
    }
    pool = changed;
  }
  if (parsed.workers !== undefined) pool = { ...pool, workers: parsed.workers };
  if (parsed.targets !== undefined && pool.system === 'aws' && pool.aws?.placeholderTargets)
    pool = { ...pool, servers: awsPlaceholderTargets(parsed.targets) };
  return pool;
}

function simulateOptions(parsed: Parsed): SimulateOptions {
  return {
    seed: parsed.seed ?? 1,
    durationSec: parsed.duration ?? 3600,
    clients: {
      count: parsed.clients ?? 1000,
      natShare: parsed.natShare,
      natAddresses: parsed.natAddresses,
      subnetShare: parsed.subnetShare,
      lifetime: { kind: 'exponential', meanHours: parsed.lifetimeHours ?? 1 },
      reconnect: parsed.reconnect ?? { kind: 'immediate' },
      heartbeatSec: parsed.heartbeat,
    },
    scenario: { kind: parsed.scenario ?? 'steady', drain: parsed.drain },
  };
}

function formatJson(result: SimResult, clients: number): string {
  const json: SimulateJson = {
    pool: result.pool,
    system: result.system,
    algorithm: result.algorithm,
    fidelity: result.fidelity,
    ...(result.note ? { note: result.note } : {}),
    scenario: result.scenario,
    seed: result.seed,
    clients,
    backends: result.backends,
    metrics: result.metrics,
    series: result.series,
  };
  return JSON.stringify(json, null, 2) + '\n';
}

export function runSimulateCommand(args: string[], pools: SimPool[], io: SimulateIo): number {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    io.err(`wslb simulate: ${parsed}\n\n${SIMULATE_USAGE}`);
    return 2;
  }
  if (parsed.help) {
    io.out(SIMULATE_USAGE);
    return 0;
  }
  const pool = choosePool(parsed, pools, io);
  if (typeof pool === 'number') return pool;
  const options = simulateOptions(parsed);
  let result: SimResult;
  try {
    result = simulate(pool, options);
  } catch (e) {
    io.err(`wslb simulate: simulation failed: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const clients = options.clients?.count ?? 1000;
  io.out(parsed.format === 'json' ? formatJson(result, clients) : formatText(result, clients));
  return 0;
}
