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
 * - AWS target groups: deregistration, health check thresholds and slow start (aws-scenario.ts).
 * - Deterministic for a seed: one seeded generator, a heap ordered by (time, insertion order).
 * No DOM and no Node APIs: this also runs in the webview.
 *
 * The parts: scenario.ts (a scenario as timed steps, and the interface each balancer implements:
 * proxy-scenario.ts for nginx and HAProxy, aws-scenario.ts for AWS), run.ts (the run's state and
 * events), event-heap.ts, clients.ts (the clients' draws).
 */
import { awsAlgorithmOf, awsSlowStartApplies } from './aws';
import { AWS_SYSTEM } from './aws-scenario';
import { round } from './clients';
import { seedFrom } from './prng';
import { HAPROXY_SYSTEM, NGINX_SYSTEM } from './proxy-scenario';
import { durationMsOf, Run } from './run';
import { planScenario, scenarioSteps, type SystemModel } from './scenario';
import type { SimBackendResult, SimPool, SimResult, SimServer, SimulateOptions } from './types';

export { awsNote } from './aws-scenario';

function systemModel(pool: SimPool): SystemModel {
  if (pool.system === 'aws') return AWS_SYSTEM;
  return pool.system === 'haproxy' ? HAPROXY_SYSTEM : NGINX_SYSTEM;
}

/** Runs one scenario. Never throws on odd input: values are clamped, unknown kinds are steady. */
export function simulate(pool: SimPool, options: SimulateOptions): SimResult {
  const model = systemModel(pool);
  const seed = seedFrom(options.seed);
  const plan = planScenario(pool, model, options.scenario ?? { kind: 'steady' }, durationMsOf(options));
  const run = new Run(pool, options, plan, model, seed);
  for (const step of scenarioSteps(run.plan, model, pool)) run.at(step.t, step.action);
  run.loop();
  return resultOf(run);
}

function resultOf(run: Run): SimResult {
  const { pool, model, open } = run;
  const end = run.balanceStats();
  let moved = 0;
  let stayed = 0;
  for (let c = 0; c < run.nClients; c++) {
    if (run.before[c] < 0 || run.backend[c] < 0) continue;
    if (run.before[c] !== run.backend[c]) moved++;
    else stayed++;
  }
  const backends: SimBackendResult[] = run.allServers.map((s, g) => ({
    server: s.name,
    weight: s.weight,
    backup: !!s.backup,
    finalConnections: open[g],
    peakConnections: run.peakOpen[g],
    peakNewPerSecond: run.peakPerSec[g],
    totalConnects: run.totalConnects[g],
  }));
  return {
    pool: pool.name,
    system: pool.system,
    algorithm: describeAlgorithm(pool),
    fidelity: model.fidelity,
    note: model.note(pool),
    scenario: run.plan.kind,
    seed: run.seed,
    backends,
    metrics: {
      imbalance: round(end.imbalance),
      cv: round(end.cv),
      peakImbalance: round(run.peakImbalance),
      movedShare: moved + stayed ? round(moved / (moved + stayed)) : 0,
      dropped: run.dropped,
      failedAttempts: run.failedAttempts,
      peakNewPerSecond: run.peakPerSec.reduce((m, v) => Math.max(m, v), 0),
      connects: run.connects,
      closes: run.closes,
      events: run.events,
      connectedAtEnd: run.connected(),
      ...model.extraMetrics(run),
    },
    series: run.series,
  };
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
