import { strict as assert } from 'node:assert';
import { runSimulateCommand, withAlgorithm, type SimulateJson } from '../../server/src/cli/simulate';
import { parseJson } from '../helpers/json';
import { pool } from './helpers';

function run(args: string[], pools = [pool('nginx', 'least_conn', [1, 2, 1])]) {
  let out = '';
  let err = '';
  const code = runSimulateCommand(args, pools, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe('simulate: wslb simulate command', () => {
  it('prints the JSON shape with backends, metrics and series', () => {
    const r = run([
      'nginx.conf',
      '--pool',
      'ws',
      '--clients',
      '300',
      '--scenario',
      'failure',
      '--seed',
      '4',
      '--format',
      'json',
      '--duration',
      '1200',
    ]);
    assert.equal(r.code, 0, r.err);
    const j = parseJson<SimulateJson>(r.out);
    assert.equal(j.pool, 'ws');
    assert.equal(j.algorithm, 'least_conn');
    assert.equal(j.backends.length, 3);
    for (const b of j.backends) {
      assert.equal(typeof b.server, 'string');
      assert.equal(typeof b.weight, 'number');
      assert.equal(typeof b.finalConnections, 'number');
      assert.equal(typeof b.peakNewPerSecond, 'number');
    }
    assert.equal(
      j.backends.reduce((s, b) => s + b.finalConnections, 0),
      300,
    );
    for (const k of ['imbalance', 'cv', 'movedShare', 'dropped'] as const)
      assert.equal(typeof j.metrics[k], 'number', k);
    assert.ok(j.metrics.dropped > 0);
    assert.ok(Array.isArray(j.series) && j.series.length > 10);
    // same seed, same output
    assert.equal(
      run([
        'nginx.conf',
        '--pool',
        'ws',
        '--clients',
        '300',
        '--scenario',
        'failure',
        '--seed',
        '4',
        '--format',
        'json',
        '--duration',
        '1200',
      ]).out,
      r.out,
    );
  });
  it('prints a text table naming every server', () => {
    const r = run(['x.conf', '--clients=200', '--nat-share', '0.5', '--algorithm', 'ip_hash']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /pool ws \(nginx, ip_hash\)/);
    for (const s of ['10.0.0.1:8080', '10.0.0.2:8080', '10.0.0.3:8080']) assert.ok(r.out.includes(s));
    assert.match(r.out, /imbalance \(max\/mean\)/);
  });
  it('applies algorithm specs for both systems and rejects unknown ones', () => {
    const ng = pool('nginx', 'round_robin', [1, 1]);
    const h = withAlgorithm(ng, 'hash $request_uri consistent');
    assert.ok(typeof h !== 'string' && h.algorithm === 'hash' && h.hashKey === '$request_uri' && h.consistent === true);
    const r2 = withAlgorithm(ng, 'random two least_conn');
    assert.ok(typeof r2 !== 'string' && r2.randomTwo && r2.randomTwoMethod === 'least_conn');
    assert.equal(typeof withAlgorithm(ng, 'leastconn'), 'string');
    const hp = pool('haproxy', 'roundrobin', [1, 1]);
    const hh = withAlgorithm(hp, 'hdr(X-User) consistent');
    assert.ok(typeof hh !== 'string' && hh.algorithm === 'hdr' && hh.hashKey === 'X-User' && hh.consistent === true);
    const rnd = withAlgorithm(hp, 'random(3)');
    assert.ok(typeof rnd !== 'string' && rnd.draws === 3);
    assert.equal(typeof withAlgorithm(hp, 'random(0)'), 'string');
    assert.equal(typeof withAlgorithm(hp, 'least_conn'), 'string');
  });
  it('reports usage errors with exit code 2 and unknown pools with 1', () => {
    const two = [pool('nginx', 'round_robin', [1]), { ...pool('nginx', 'round_robin', [1]), name: 'other' }];
    assert.equal(run(['c.conf'], two).code, 2);
    const unknown = run(['c.conf', '--pool', 'nope'], two);
    assert.equal(unknown.code, 1);
    assert.match(unknown.err, /available: ws, other/);
    assert.equal(run(['c.conf', '--clients', 'many']).code, 2);
    assert.equal(run(['c.conf', '--scenario', 'chaos']).code, 2);
    assert.equal(run(['c.conf', '--format', 'xml']).code, 2);
    assert.equal(run(['c.conf', '--bogus']).code, 2);
    assert.equal(run(['c.conf', '--reconnect', 'backoff:1']).code, 2);
    assert.equal(run(['c.conf'], []).code, 1);
    const help = run(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /Usage: wslb simulate/);
  });
});
