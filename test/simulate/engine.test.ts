import { strict as assert } from 'node:assert';
import { simulate } from '../../server/src/service/simulate';
import type { SimulateOptions } from '../../server/src/service/simulate';
import { pool } from './helpers';

const base = (
  more: Partial<SimulateOptions> = {},
  clients: Partial<SimulateOptions['clients']> = {},
): SimulateOptions => ({
  seed: 7,
  durationSec: 3600,
  ...more,
  clients: { count: 1000, lifetime: { kind: 'exponential', meanHours: 0.1 }, ...clients },
});

describe('simulate: scenario engine', () => {
  it('is deterministic under a seed and changes with the seed', () => {
    const p = pool('nginx', 'least_conn', [1, 1, 1]);
    const a = simulate(
      p,
      base({ scenario: { kind: 'deploy' } }, { reconnect: { kind: 'backoff', baseSec: 1, maxSec: 30 } }),
    );
    const b = simulate(
      p,
      base({ scenario: { kind: 'deploy' } }, { reconnect: { kind: 'backoff', baseSec: 1, maxSec: 30 } }),
    );
    assert.deepEqual(a, b);
    const c = simulate(
      p,
      base({ seed: 8, scenario: { kind: 'deploy' } }, { reconnect: { kind: 'backoff', baseSec: 1, maxSec: 30 } }),
    );
    assert.notDeepEqual(a.series, c.series);
  });

  it('steady state: every client connected, balanced backends, consistent series', () => {
    const r = simulate(pool('nginx', 'round_robin', [1, 1, 1, 1]), base({ sampleSec: 60 }));
    assert.equal(r.metrics.connectedAtEnd, 1000);
    assert.ok(r.metrics.imbalance < 1.15, `imbalance ${r.metrics.imbalance}`);
    assert.equal(r.metrics.dropped, 0);
    assert.equal(r.series.length, 61);
    for (const s of r.series)
      assert.equal(
        s.connections.reduce((x, y) => x + y, 0),
        s.connected,
      );
    assert.equal(
      r.backends.reduce((x, b) => x + b.finalConnections, 0),
      1000,
    );
    // natural reconnects: about duration / lifetime connections per client
    assert.ok(r.metrics.connects > 1000 * 5, `connects ${r.metrics.connects}`);
  });

  it('clients behind one NAT address pile onto one backend with ip_hash, not with least_conn', () => {
    const nat = { natShare: 0.8, natAddresses: 1 };
    const ip = simulate(pool('nginx', 'ip_hash', [1, 1, 1, 1]), base({}, nat));
    const lc = simulate(pool('nginx', 'least_conn', [1, 1, 1, 1]), base({}, nat));
    assert.ok(ip.metrics.imbalance > 3, `ip_hash imbalance ${ip.metrics.imbalance}`);
    assert.ok(Math.max(...ip.backends.map((b) => b.finalConnections)) >= 800);
    assert.ok(lc.metrics.imbalance < 1.05, `least_conn imbalance ${lc.metrics.imbalance}`);
    const src = simulate(pool('haproxy', 'source', [1, 1, 1, 1]), base({}, nat));
    assert.ok(src.metrics.imbalance > 3, `source imbalance ${src.metrics.imbalance}`);
  });

  it('a backend failure drops its connections; the others absorb them', () => {
    const r = simulate(
      pool('nginx', 'round_robin', [1, 1, 1, 1]),
      base({ scenario: { kind: 'failure', server: 2, atSec: 1800 } }),
    );
    assert.equal(r.backends[2].finalConnections, 0);
    assert.ok(r.metrics.dropped > 150 && r.metrics.dropped < 350, `dropped ${r.metrics.dropped}`);
    assert.equal(r.metrics.connectedAtEnd, 1000);
    const h = simulate(
      pool('haproxy', 'roundrobin', [1, 1, 1, 1]),
      base({ scenario: { kind: 'failure', server: 2, atSec: 1800 } }),
    );
    // HAProxy keeps choosing the dead server until health checks mark it down
    assert.ok(h.metrics.failedAttempts > 0);
    assert.equal(h.backends[2].finalConnections, 0);
  });

  it('a silent failure is noticed only on heartbeats', () => {
    const loud = simulate(
      pool('nginx', 'round_robin', [1, 1]),
      base({ scenario: { kind: 'failure', atSec: 600 } }, { heartbeatSec: 30 }),
    );
    const silent = simulate(
      pool('nginx', 'round_robin', [1, 1]),
      base({ scenario: { kind: 'failure', atSec: 600, silent: true } }, { heartbeatSec: 30 }),
    );
    const at = (r: typeof loud, t: number) => r.series.find((s) => s.tSec >= t)!;
    assert.equal(at(loud, 610).connections[0], 0);
    assert.ok(at(silent, 610).connections[0] > 0, 'silent failure noticed before any heartbeat');
    assert.equal(at(silent, 700).connections[0], 0);
  });

  it('a reconnect storm: immediate reconnects make a thundering herd, backoff with jitter spreads it', () => {
    const p = pool('nginx', 'least_conn', [1, 1, 1, 1]);
    const now = simulate(
      p,
      base({ scenario: { kind: 'storm', atSec: 1800 } }, { lifetime: { kind: 'exponential', meanHours: 10 } }),
    );
    const spread = simulate(
      p,
      base(
        { scenario: { kind: 'storm', atSec: 1800 } },
        { lifetime: { kind: 'exponential', meanHours: 10 }, reconnect: { kind: 'backoff', baseSec: 30, maxSec: 120 } },
      ),
    );
    assert.equal(now.metrics.dropped, 1000);
    assert.equal(now.metrics.peakNewPerSecond, 250);
    assert.ok(spread.metrics.peakNewPerSecond < 60, `backoff peak ${spread.metrics.peakNewPerSecond}`);
  });

  it('deploy: SIGKILL without close code makes a bigger herd than a drained rolling restart', () => {
    const p = pool('haproxy', 'roundrobin', [1, 1, 1, 1]);
    const opts = (drain: boolean) =>
      base({ scenario: { kind: 'deploy', drain, drainSec: 60 } }, { lifetime: { kind: 'exponential', meanHours: 5 } });
    const kill = simulate(p, opts(false));
    const drained = simulate(p, opts(true));
    assert.ok(kill.metrics.dropped > 500, `dropped ${kill.metrics.dropped}`);
    assert.ok(
      kill.metrics.peakNewPerSecond > 3 * drained.metrics.peakNewPerSecond,
      `${kill.metrics.peakNewPerSecond} vs ${drained.metrics.peakNewPerSecond}`,
    );
  });

  it('nginx deploy: a server that failed gets one probe connection per fail_timeout until a connection to it closes', () => {
    // WebSocket connections end late, so the `fails` counter of a restarted server is reset late
    // (ngx_http_upstream_free_round_robin_peer runs at the end of the connection): after a
    // SIGKILL restart, the restarted server stays nearly empty while its neighbours fill up.
    const opts = () =>
      base(
        { scenario: { kind: 'deploy', drain: false, atSec: 600, intervalSec: 300, restartSec: 20 } },
        { lifetime: { kind: 'exponential', meanHours: 10 } },
      );
    const strict = simulate(
      pool('nginx', 'round_robin', [1, 1, 1, 1], {}, [
        { maxFails: 1 },
        { maxFails: 1 },
        { maxFails: 1 },
        { maxFails: 1 },
      ]),
      opts(),
    );
    const off = simulate(
      pool('nginx', 'round_robin', [1, 1, 1, 1], {}, [
        { maxFails: 0 },
        { maxFails: 0 },
        { maxFails: 0 },
        { maxFails: 0 },
      ]),
      opts(),
    );
    const afterFirst = (r: typeof strict) => r.series.find((s) => s.tSec >= 850)!.connections[0];
    assert.ok(afterFirst(strict) < 40, `restarted server holds ${afterFirst(strict)}`);
    assert.ok(afterFirst(off) > afterFirst(strict), `${afterFirst(off)} vs ${afterFirst(strict)}`);
  });

  it('scale-out: consistent hash keeps most clients, plain hash moves most of them', () => {
    const run = (consistent: boolean) =>
      simulate(
        pool('nginx', 'hash', [1, 1, 1, 1], { hashKey: '$remote_addr', consistent }),
        base({ scenario: { kind: 'scale-out', atSec: 600 } }),
      );
    const c = run(true);
    const m = run(false);
    assert.equal(c.backends.length, 5);
    assert.ok(c.backends[4].finalConnections > 100, 'the new server got no clients');
    assert.ok(c.metrics.movedShare > 0.08 && c.metrics.movedShare < 0.35, `consistent moved ${c.metrics.movedShare}`);
    assert.ok(m.metrics.movedShare > 0.6, `hash moved ${m.metrics.movedShare}`);
  });

  it('scale-in: the removed server ends empty and its clients are dropped and reconnected', () => {
    const r = simulate(
      pool('haproxy', 'leastconn', [1, 1, 1, 1]),
      base({ scenario: { kind: 'scale-in', atSec: 600 } }),
    );
    assert.equal(r.backends[3].finalConnections, 0);
    assert.ok(r.metrics.dropped > 150);
    assert.equal(r.metrics.connectedAtEnd, 1000);
  });

  it('never throws on odd options', () => {
    const p = pool('nginx', 'round_robin', [1, 1]);
    const odd: SimulateOptions[] = [
      { clients: { count: 0 } },
      { clients: { count: -5 }, durationSec: -1 },
      {
        clients: { count: 10, natShare: 7, subnetShare: -1, lifetime: { kind: 'fixed', hours: NaN } },
        durationSec: NaN,
      },
      {
        clients: { count: 10, reconnect: { kind: 'backoff', baseSec: -1, maxSec: NaN } },
        scenario: { kind: 'nonsense' as never },
      },
      { clients: { count: 10 }, scenario: { kind: 'failure', server: 99 } },
    ];
    for (const o of odd) {
      const r = simulate(p, o);
      assert.ok(Array.isArray(r.series));
      assert.ok(Number.isFinite(r.metrics.imbalance));
    }
    const empty = simulate(
      { system: 'haproxy', name: 'e', algorithm: 'roundrobin', servers: [] },
      { clients: { count: 5 }, durationSec: 60 },
    );
    assert.equal(empty.metrics.connectedAtEnd, 0);
    assert.ok(empty.metrics.failedAttempts > 0);
  });
});
