import { strict as assert } from 'node:assert';
import type { SimPool } from '../../server/src/service/simulate/types';
import {
  algorithmChoices,
  defaultControls,
  runOne,
  safeFileName,
  sanitizeControls,
  sanitizeState,
  seriesCsv,
  simulateOptions,
  specOf,
  metricRows,
  fidelityText,
  isPool,
} from '../../client/src/webview/model';
import { withAlgorithm } from '../../server/src/service/simulate/algorithm';

const server = (i: number, weight = 1) => ({
  name: `10.0.0.${i}:8080`,
  address: `10.0.0.${i}`,
  port: 8080,
  weight,
  backup: false,
  down: false,
});
const NGINX: SimPool = {
  system: 'nginx',
  name: 'chat',
  algorithm: 'round_robin',
  servers: [server(1), server(2), server(3, 2)],
};
const HAPROXY: SimPool = {
  system: 'haproxy',
  name: 'be_chat',
  algorithm: 'source',
  consistent: true,
  hashFunction: 'crc32',
  servers: [server(1), server(2)],
};

describe('webview model', () => {
  it('spells the configured algorithm like the CLI, and offers it', () => {
    assert.equal(specOf(NGINX), 'round_robin');
    assert.equal(
      specOf({ ...NGINX, algorithm: 'hash', hashKey: '$arg_room', consistent: true }),
      'hash $arg_room consistent',
    );
    assert.equal(
      specOf({ ...NGINX, algorithm: 'random', randomTwo: true, randomTwoMethod: 'least_conn' }),
      'random two least_conn',
    );
    assert.equal(specOf(HAPROXY), 'source consistent crc32');
    assert.equal(
      specOf({ ...HAPROXY, algorithm: 'hdr(X-Room)', consistent: false, hashFunction: undefined }),
      'hdr(X-Room) map-based',
    );
    assert.equal(specOf({ ...HAPROXY, algorithm: 'random', draws: 3 }), 'random(3)');
    for (const pool of [
      NGINX,
      HAPROXY,
      { ...NGINX, algorithm: 'hash', hashKey: '$arg_room' },
      { ...HAPROXY, algorithm: 'url_param', hashKey: 'room' },
    ]) {
      const choices = algorithmChoices(pool);
      assert.ok(
        choices.some((c) => c.spec === specOf(pool)),
        `${specOf(pool)} offered`,
      );
      for (const c of choices)
        assert.notEqual(typeof withAlgorithm(pool, c.spec), 'string', `${c.spec} understood by the engine`);
    }
  });

  it('AWS target groups: their own algorithms, a model label, the deregistration metric', () => {
    const AWS: SimPool = {
      system: 'aws',
      name: 'chat-ws',
      algorithm: 'least_outstanding_requests',
      servers: [server(1), server(2)],
      aws: { placeholderTargets: true },
    };
    assert.ok(isPool(AWS));
    assert.equal(specOf(AWS), 'least_outstanding_requests');
    const choices = algorithmChoices(AWS).map((c) => c.spec);
    assert.deepEqual(choices, ['round_robin', 'least_outstanding_requests', 'weighted_random']);
    for (const c of choices) assert.notEqual(typeof withAlgorithm(AWS, c), 'string', c);
    assert.deepEqual(
      algorithmChoices({ ...AWS, algorithm: 'flow_hash', aws: { lbType: 'network' } }).map((c) => c.spec),
      ['flow_hash'],
    );
    assert.match(fidelityText(AWS), /model of documented AWS behaviour; AWS's implementation is not public/);
    assert.match(fidelityText(AWS), /an open WebSocket counts as an outstanding request/);
    assert.match(fidelityText(NGINX), /^Exact/);
    assert.ok(metricRows(AWS).some((m) => m.key === 'cutAtDeregistration'));
    assert.ok(!metricRows(NGINX).some((m) => m.key === 'cutAtDeregistration'));
    const s = sanitizeState({ version: 1, pool: AWS, controls: { algorithm: 'leastconn' } });
    assert.equal(s?.controls.algorithm, 'least_outstanding_requests');
  });

  it('offers every algorithm of the system', () => {
    const n = algorithmChoices(NGINX).map((c) => c.spec);
    for (const s of ['round_robin', 'least_conn', 'ip_hash', 'hash $remote_addr consistent', 'random two least_conn'])
      assert.ok(n.includes(s), s);
    const h = algorithmChoices({
      ...HAPROXY,
      algorithm: 'roundrobin',
      consistent: undefined,
      hashFunction: undefined,
    }).map((c) => c.spec);
    for (const s of [
      'roundrobin',
      'static-rr',
      'leastconn',
      'first',
      'source consistent',
      'uri map-based',
      'random(2)',
    ])
      assert.ok(h.includes(s), s);
    assert.ok(!h.includes('least_conn'));
  });

  it('sanitises restored state and form input', () => {
    assert.equal(sanitizeState(null), undefined);
    assert.equal(sanitizeState({ version: 2 }), undefined);
    const s = sanitizeState({
      version: 1,
      pool: NGINX,
      controls: {
        clients: 1e9,
        natShare: -3,
        algorithm: 'leastconn',
        reconnect: 'sometimes',
        scenario: 'deploy',
        seed: 'x',
      },
    });
    assert.ok(s);
    assert.equal(s.controls.clients, 20000);
    assert.equal(s.controls.natShare, 0);
    assert.equal(s.controls.algorithm, 'round_robin', 'an algorithm of another system falls back to the config');
    assert.equal(s.controls.reconnect, 'immediate');
    assert.equal(s.controls.scenario, 'deploy');
    assert.equal(s.controls.seed, 1);
    assert.equal(
      sanitizeState({ version: 1, pool: { system: 'iis', name: 'x', algorithm: 'a', servers: [] } })?.pool,
      undefined,
    );
    const c = sanitizeControls({ clients: '2500', natShare: 0.5, compareWith: 'least_conn' }, NGINX);
    assert.equal(c.clients, 2500);
    assert.equal(c.compareWith, 'least_conn');
  });

  it('maps controls to engine options', () => {
    const o = simulateOptions({
      ...defaultControls(NGINX),
      reconnect: 'backoff',
      natShare: 0.3,
      natAddresses: 7,
      scenario: 'failure',
    });
    assert.deepEqual(o.clients.reconnect, { kind: 'backoff', baseSec: 1, maxSec: 60, jitter: 'full' });
    assert.equal(o.clients.natShare, 0.3);
    assert.equal(o.clients.natAddresses, 7);
    assert.equal(o.scenario?.kind, 'failure');
    assert.ok(o.maxEvents && o.maxEvents > 0);
  });

  it('runs deterministically; algorithm and client count change the result', () => {
    const c = { ...defaultControls(NGINX), clients: 300, durationSec: 900 };
    const a1 = runOne(NGINX, 'round_robin', c);
    const a2 = runOne(NGINX, 'round_robin', c);
    assert.ok(a1.result && a2.result);
    assert.deepEqual(a1.result.backends, a2.result.backends);
    const b = runOne(NGINX, 'ip_hash', c);
    assert.notDeepEqual(
      b.result!.backends.map((x) => x.finalConnections),
      a1.result.backends.map((x) => x.finalConnections),
    );
    const more = runOne(NGINX, 'round_robin', { ...c, clients: 600 });
    assert.ok(more.result!.metrics.connectedAtEnd > a1.result.metrics.connectedAtEnd);
    const bad = runOne(NGINX, 'fair', c);
    assert.ok(bad.error && !bad.result);
  });

  it('writes the series as CSV', () => {
    const c = { ...defaultControls(NGINX), clients: 200, durationSec: 600 };
    const runs = [runOne(NGINX, 'round_robin', c), runOne(NGINX, 'least_conn', c)];
    const csv = seriesCsv(runs).trimEnd().split('\n');
    assert.equal(
      csv[0],
      'algorithm,t_sec,open:10.0.0.1:8080,open:10.0.0.2:8080,open:10.0.0.3:8080,new:10.0.0.1:8080,new:10.0.0.2:8080,new:10.0.0.3:8080,imbalance,cv,dropped,connected',
    );
    assert.equal(csv.length, 1 + runs[0].result!.series.length + runs[1].result!.series.length);
    const last = csv[runs[0].result!.series.length].split(',');
    assert.equal(last[0], 'round_robin');
    const s = runs[0].result!.series.at(-1)!;
    assert.deepEqual(last.slice(2, 5).map(Number), s.connections);
    assert.equal(
      seriesCsv([{ spec: 'x', error: 'e', ms: 0 }])
        .trim()
        .split('\n').length,
      1,
    );
    assert.equal(safeFileName('../a b/c'), 'a_b_c');
  });
});
