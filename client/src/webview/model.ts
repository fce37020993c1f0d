/**
 * The simulator panel's logic without the DOM: which algorithms a pool's system offers, the
 * spec written in the config, controls → engine options, runs, CSV export. Node tests use it
 * directly; the webview bundles it with the engine.
 */
import { simulate } from '../../../server/src/service/simulate/engine';
import type {
  ReconnectPolicy,
  ScenarioKind,
  SimPool,
  SimResult,
  SimulateOptions,
} from '../../../server/src/service/simulate/types';
import { withAlgorithm } from '../../../server/src/service/simulate/algorithm';
import { AWS_MODEL_LABEL, awsAlgorithmOf } from '../../../server/src/service/simulate/aws';
import { awsNote } from '../../../server/src/service/simulate/engine';
import type { Controls, WebviewState } from './protocol';

export interface AlgorithmChoice {
  spec: string;
  label: string;
}

export const SCENARIOS: { kind: ScenarioKind; label: string }[] = [
  { kind: 'steady', label: 'Steady state' },
  { kind: 'deploy', label: 'Deploy (rolling restart)' },
  { kind: 'failure', label: 'Backend failure' },
  { kind: 'scale-out', label: 'Scale out (+1 server)' },
  { kind: 'scale-in', label: 'Scale in (−1 server)' },
  { kind: 'storm', label: 'Reconnect storm' },
];

/** Engine work is bounded so a pathological combination cannot freeze the panel. */
export const MAX_EVENTS = 2_000_000;
export const MAX_CLIENTS = 20_000;

const HASH_FN = /^(sdbm|djb2|wt6|crc32)$/;

/** The spec (CLI spelling) of the algorithm a pool uses as written in its config. */
export function specOf(pool: SimPool): string {
  const a = pool.algorithm;
  if (pool.system === 'aws') return awsAlgorithmOf(pool);
  if (pool.system === 'nginx') {
    if (a === 'hash') return `hash ${pool.hashKey || '$remote_addr'}${pool.consistent ? ' consistent' : ''}`;
    if (a === 'random')
      return pool.randomTwo ? `random two${pool.randomTwoMethod === 'least_conn' ? ' least_conn' : ''}` : 'random';
    return a;
  }
  const hdr = /^hdr\((.*)\)$/.exec(a);
  let head: string | undefined;
  if (hdr || a === 'hdr') head = `hdr(${hdr ? hdr[1] : (pool.hashKey ?? 'X-User')})`;
  else if (a === 'url_param') head = `url_param ${pool.hashKey ?? 'user'}`;
  else if (a === 'source' || a === 'uri') head = a;
  if (head) {
    const fn = pool.hashFunction && HASH_FN.test(pool.hashFunction) ? ` ${pool.hashFunction}` : '';
    return `${head} ${pool.consistent ? 'consistent' : 'map-based'}${fn}${pool.avalanche ? ' avalanche' : ''}`;
  }
  if (/^random/.test(a)) return `random(${pool.draws ?? /^random\((\d+)\)$/.exec(a)?.[1] ?? '2'})`;
  return a;
}

/** Every algorithm of the pool's system (the config's own spelling first when it is unusual). */
export function algorithmChoices(pool: SimPool): AlgorithmChoice[] {
  const out: AlgorithmChoice[] = [];
  if (pool.system === 'aws') {
    // An NLB target group has no routing algorithm attribute: its flow hash is all there is.
    if (pool.aws?.lbType === 'network') return [{ spec: 'flow_hash', label: 'flow hash (Network Load Balancer)' }];
    return [
      { spec: 'round_robin', label: 'round_robin (default)' },
      { spec: 'least_outstanding_requests', label: 'least_outstanding_requests' },
      { spec: 'weighted_random', label: 'weighted_random' },
    ];
  }
  if (pool.system === 'nginx') {
    const key = pool.algorithm === 'hash' && pool.hashKey ? pool.hashKey : '$remote_addr';
    out.push(
      { spec: 'round_robin', label: 'round robin (default, smooth weighted)' },
      { spec: 'least_conn', label: 'least_conn' },
      { spec: 'ip_hash', label: 'ip_hash' },
      { spec: `hash ${key}`, label: `hash ${key}` },
      { spec: `hash ${key} consistent`, label: `hash ${key} consistent` },
      { spec: 'random', label: 'random' },
      { spec: 'random two', label: 'random two' },
      { spec: 'random two least_conn', label: 'random two least_conn' },
    );
  } else {
    const header =
      /^hdr\((.+)\)$/.exec(pool.algorithm)?.[1] ?? (pool.algorithm === 'hdr' && pool.hashKey ? pool.hashKey : 'X-User');
    const param = pool.algorithm === 'url_param' && pool.hashKey ? pool.hashKey : 'user';
    out.push(
      { spec: 'roundrobin', label: 'roundrobin (default)' },
      { spec: 'static-rr', label: 'static-rr' },
      { spec: 'leastconn', label: 'leastconn' },
      { spec: 'first', label: 'first' },
      { spec: 'source map-based', label: 'source (hash-type map-based)' },
      { spec: 'source consistent', label: 'source (hash-type consistent)' },
      { spec: 'uri map-based', label: 'uri (hash-type map-based)' },
      { spec: 'uri consistent', label: 'uri (hash-type consistent)' },
      { spec: `hdr(${header}) map-based`, label: `hdr(${header}) (map-based)` },
      { spec: `hdr(${header}) consistent`, label: `hdr(${header}) (consistent)` },
      { spec: `url_param ${param} map-based`, label: `url_param ${param} (map-based)` },
      { spec: `url_param ${param} consistent`, label: `url_param ${param} (consistent)` },
      { spec: 'random(2)', label: 'random(2) (power of two choices)' },
    );
  }
  const own = specOf(pool);
  if (!out.some((c) => c.spec === own)) out.unshift({ spec: own, label: `${own} (from config)` });
  return out;
}

export function defaultControls(pool?: SimPool): Controls {
  return {
    algorithm: pool ? specOf(pool) : '',
    compareWith: '',
    clients: 1000,
    natShare: 0,
    natAddresses: 4,
    reconnect: 'immediate',
    scenario: 'steady',
    drain: true,
    seed: 1,
    lifetimeHours: 1,
    heartbeatSec: 30,
    durationSec: 3600,
  };
}

function num(v: unknown, lo: number, hi: number, d: number): number {
  const n =
    typeof v === 'number' && Number.isFinite(v)
      ? v
      : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))
        ? Number(v)
        : d;
  return Math.min(hi, Math.max(lo, n));
}

/** Controls from untrusted input (restored state, form fields): every value clamped. */
export function sanitizeControls(raw: unknown, pool?: SimPool): Controls {
  const d = defaultControls(pool);
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const choices = pool ? algorithmChoices(pool).map((c) => c.spec) : [];
  const alg = typeof r.algorithm === 'string' && choices.includes(r.algorithm) ? r.algorithm : d.algorithm;
  const cmp = typeof r.compareWith === 'string' && choices.includes(r.compareWith) ? r.compareWith : '';
  return {
    algorithm: alg,
    compareWith: cmp,
    clients: Math.round(num(r.clients, 1, MAX_CLIENTS, d.clients)),
    natShare: num(r.natShare, 0, 1, d.natShare),
    natAddresses: Math.round(num(r.natAddresses, 1, 1000, d.natAddresses)),
    reconnect: r.reconnect === 'fixed' || r.reconnect === 'backoff' ? r.reconnect : 'immediate',
    scenario: SCENARIOS.some((s) => s.kind === r.scenario) ? (r.scenario as ScenarioKind) : d.scenario,
    drain: typeof r.drain === 'boolean' ? r.drain : d.drain,
    seed: Math.round(num(r.seed, 0, 2 ** 31 - 1, d.seed)),
    lifetimeHours: num(r.lifetimeHours, 0.01, 48, d.lifetimeHours),
    heartbeatSec: num(r.heartbeatSec, 1, 600, d.heartbeatSec),
    durationSec: Math.round(num(r.durationSec, 60, 6 * 3600, d.durationSec)),
  };
}

/** A restored state, or undefined when it is not ours / unusable. */
export function sanitizeState(raw: unknown): WebviewState | undefined {
  if (!raw || typeof raw !== 'object') return undefined;
  const r = raw as Record<string, unknown>;
  if (r.version !== 1) return undefined;
  const pool = isPool(r.pool) ? r.pool : undefined;
  return {
    version: 1,
    uri: typeof r.uri === 'string' ? r.uri : undefined,
    pool,
    configSpec: typeof r.configSpec === 'string' ? r.configSpec : pool ? specOf(pool) : undefined,
    controls: sanitizeControls(r.controls, pool),
  };
}

export function isPool(p: unknown): p is SimPool {
  if (!p || typeof p !== 'object') return false;
  const x = p as Record<string, unknown>;
  return (
    (x.system === 'nginx' || x.system === 'haproxy' || x.system === 'aws') &&
    typeof x.name === 'string' &&
    typeof x.algorithm === 'string' &&
    Array.isArray(x.servers) &&
    x.servers.every((s) => !!s && typeof s === 'object' && typeof (s as { name?: unknown }).name === 'string')
  );
}

export function reconnectPolicy(c: Controls): ReconnectPolicy {
  if (c.reconnect === 'fixed') return { kind: 'fixed', delaySec: 5 };
  if (c.reconnect === 'backoff') return { kind: 'backoff', baseSec: 1, maxSec: 60, jitter: 'full' };
  return { kind: 'immediate' };
}

export function simulateOptions(c: Controls): SimulateOptions {
  return {
    seed: c.seed,
    durationSec: c.durationSec,
    maxEvents: MAX_EVENTS,
    clients: {
      count: c.clients,
      natShare: c.natShare,
      natAddresses: c.natAddresses,
      lifetime: { kind: 'exponential', meanHours: c.lifetimeHours },
      heartbeatSec: c.heartbeatSec,
      reconnect: reconnectPolicy(c),
    },
    scenario: { kind: c.scenario, drain: c.drain },
  };
}

export interface Run {
  spec: string;
  result?: SimResult;
  error?: string;
  /** The run hit MAX_EVENTS and stopped before the end of the timeline. */
  truncated?: boolean;
  ms: number;
}

/** One simulation of `pool` with the algorithm `spec`. Never throws. */
export function runOne(pool: SimPool, spec: string, c: Controls, now: () => number = Date.now): Run {
  const t0 = now();
  try {
    const p = withAlgorithm(pool, spec);
    if (typeof p === 'string') return { spec, error: p, ms: now() - t0 };
    const result = simulate(p, simulateOptions(c));
    return { spec, result, truncated: result.metrics.events >= MAX_EVENTS, ms: now() - t0 };
  } catch (e) {
    return { spec, error: e instanceof Error ? e.message : String(e), ms: now() - t0 };
  }
}

export interface MetricRow {
  key: string;
  label: string;
  format(r: SimResult): string;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export const METRIC_ROWS: MetricRow[] = [
  { key: 'imbalance', label: 'Imbalance (max / mean)', format: (r) => r.metrics.imbalance.toFixed(2) },
  { key: 'peakImbalance', label: 'Worst imbalance', format: (r) => r.metrics.peakImbalance.toFixed(2) },
  { key: 'cv', label: 'Coefficient of variation', format: (r) => r.metrics.cv.toFixed(3) },
  { key: 'movedShare', label: 'Clients that changed backend', format: (r) => pct(r.metrics.movedShare) },
  { key: 'dropped', label: 'Dropped connections', format: (r) => String(r.metrics.dropped) },
  { key: 'failedAttempts', label: 'Failed attempts', format: (r) => String(r.metrics.failedAttempts) },
  {
    key: 'peakNewPerSecond',
    label: 'Peak new connections/s on one backend',
    format: (r) => String(r.metrics.peakNewPerSecond),
  },
  { key: 'connectedAtEnd', label: 'Connected at the end', format: (r) => String(r.metrics.connectedAtEnd) },
];

/** Rows shown only for AWS target groups. */
export const AWS_METRIC_ROWS: MetricRow[] = [
  {
    key: 'cutAtDeregistration',
    label: 'Cut when the deregistration delay elapsed (no close frame)',
    format: (r) => String(r.metrics.cutAtDeregistration ?? 0),
  },
];

/** The metric rows for a pool's system. */
export function metricRows(pool: SimPool | undefined): MetricRow[] {
  return pool?.system === 'aws' ? [...METRIC_ROWS, ...AWS_METRIC_ROWS] : METRIC_ROWS;
}

/** "nginx upstream", "HAProxy backend", "AWS target group". */
export function poolKind(pool: SimPool): string {
  return pool.system === 'nginx'
    ? 'nginx upstream'
    : pool.system === 'haproxy'
      ? 'HAProxy backend'
      : pool.aws?.lbType === 'network'
        ? 'AWS target group (NLB)'
        : 'AWS target group';
}

/**
 * How faithful the simulation is: nginx and HAProxy are exact reimplementations; an AWS target
 * group is a model of documented behaviour (with the assumptions that matter for this pool).
 */
export function fidelityText(pool: SimPool): string {
  if (pool.system === 'aws') return awsNote(pool);
  return `Exact: the ${pool.system === 'nginx' ? 'nginx 1.22' : 'HAProxy 2.6'} balancing arithmetic, checked against the real binary.`;
}

export { AWS_MODEL_LABEL };

function csvCell(s: string | number): string {
  const t = String(s);
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/**
 * The series as CSV: one row per (algorithm, sample time), columns: open connections and new
 * connections per backend, imbalance, cv, dropped, connected, then the `extra` columns (the run's
 * parameters) repeated on every row, so that each row stands on its own.
 */
export function seriesCsv(runs: Run[], extra: [string, string | number | boolean][] = []): string {
  const ok = runs.filter((r): r is Run & { result: SimResult } => !!r.result);
  const width = Math.max(0, ...ok.map((r) => r.result.backends.length));
  const names = (r: SimResult, i: number) => r.backends[i]?.server ?? `server${i + 1}`;
  const first = ok[0]?.result;
  const head = ['algorithm', 't_sec'];
  for (let i = 0; i < width; i++) head.push(`open:${first ? names(first, i) : i + 1}`);
  for (let i = 0; i < width; i++) head.push(`new:${first ? names(first, i) : i + 1}`);
  head.push('imbalance', 'cv', 'dropped', 'connected', ...extra.map(([k]) => k));
  const tail = extra.map(([, v]) => String(v));
  const lines = [head.map(csvCell).join(',')];
  for (const r of ok) {
    for (const s of r.result.series) {
      const row: (string | number)[] = [r.spec, s.tSec];
      for (let i = 0; i < width; i++) row.push(s.connections[i] ?? 0);
      for (let i = 0; i < width; i++) row.push(s.newConnections[i] ?? 0);
      row.push(s.imbalance, s.cv, s.dropped, s.connected, ...tail);
      lines.push(row.map(csvCell).join(','));
    }
  }
  return lines.join('\n') + '\n';
}

/** A file name fragment from a pool name (no path separators or odd characters). */
export function safeFileName(s: string): string {
  return (
    s
      .replace(/[^A-Za-z0-9._-]+/g, '_')
      .replace(/^[._]+/, '')
      .slice(0, 80) || 'pool'
  );
}
