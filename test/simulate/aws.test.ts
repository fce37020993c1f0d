/**
 * The AWS target-group MODEL (server/src/service/simulate/aws.ts): its arithmetic, not AWS itself.
 * These tests pin what the model does with AWS's documented behaviour; they cannot show what AWS's
 * (non-public) implementation does.
 */
import { strict as assert } from 'node:assert';
import { AwsBalancer, createBalancer, simulate, type SimPool, type SimResult } from '../../server/src/service/simulate';
import { AWS_MODEL_LABEL } from '../../server/src/service/simulate/aws';
import { runSimulateCommand, type SimulateJson } from '../../server/src/cli/simulate';
import { parseJson } from '../helpers/json';
import { main } from '../../server/src/cli/wslb';
import { initAwsParsers } from '../../server/src/service/syntax/aws/treesitter';
import { buildAwsConfig } from '../../server/src/service/model/aws-build';
import { awsPools } from '../../server/src/service/features/aws-pools';
import * as nodePath from 'node:path';
import { counts, letters, pool, servers } from './helpers';

function awsPool(algorithm: string, n: number, aws: SimPool['aws'] = {}): SimPool {
  return { system: 'aws', name: 'ws-tg', algorithm, servers: servers(new Array<number>(n).fill(1)), aws };
}

const req = { clientIp: '198.51.100.7' };

describe('simulate: AWS target group model', () => {
  it('round_robin: strict turns, every target the same number of new connections', () => {
    const b = createBalancer(awsPool('round_robin', 3));
    const seq = Array.from({ length: 3000 }, () => b.pick(req, 0));
    assert.equal(letters(seq.slice(0, 9)), 'abcabcabc');
    assert.deepEqual(counts(seq, 3), [1000, 1000, 1000]);
    // Turns ignore what each target already holds (only least_outstanding_requests looks at that).
    for (let k = 0; k < 500; k++) b.release(1);
    assert.equal(letters(Array.from({ length: 3 }, () => b.pick(req, 0))), 'abc');
  });

  it('round_robin skips a target that is down and resumes it when it is back', () => {
    const b = createBalancer(awsPool('round_robin', 3));
    b.setDown(1, true, 0);
    assert.equal(letters(Array.from({ length: 4 }, () => b.pick(req, 0))), 'acac');
    b.setDown(1, false, 0);
    assert.deepEqual(
      counts(
        Array.from({ length: 300 }, () => b.pick(req, 0)),
        3,
      ),
      [100, 100, 100],
    );
  });

  it('least_outstanding_requests: the target with the fewest open connections (model: an open WebSocket is outstanding)', () => {
    const b = createBalancer(awsPool('least_outstanding_requests', 3));
    const first = Array.from({ length: 6 }, () => b.pick(req, 0));
    assert.deepEqual(counts(first, 3), [2, 2, 2]);
    b.release(1);
    b.release(1);
    b.release(2);
    // b holds 0, c holds 1, a holds 2: b first; then b and c tie at 1 and the tie goes to the
    // next target in turn after the last pick (the model's tie-break), c; then b.
    assert.equal(b.pick(req, 0), 1);
    assert.equal(b.pick(req, 0), 2);
    assert.equal(b.pick(req, 0), 1);
    assert.deepEqual(
      [0, 1, 2].map((i) => b.connections(i)),
      [2, 2, 2],
    );
    // A heavily loaded target gets nothing until the others catch up.
    for (let k = 0; k < 10; k++) b.pick(req, 0);
    const loads = [0, 1, 2].map((i) => b.connections(i));
    assert.ok(Math.max(...loads) - Math.min(...loads) <= 1, String(loads));
    // down targets are never chosen, however empty
    for (let k = 0; k < 6; k++) b.release(0);
    b.setDown(0, true, 0);
    for (let k = 0; k < 5; k++) assert.notEqual(b.pick(req, 0), 0);
  });

  it("slow start: the new target's share of new connections grows linearly to a fair share over the duration", () => {
    const n = 4;
    const slowMs = 100_000;
    const share = (atMs: number): number => {
      const b = new AwsBalancer(awsPool('round_robin', n, { slowStartMs: slowMs }), 1);
      b.setDown(3, true, 0);
      b.setDown(3, false, 0); // healthy again at t = 0 with full peers: enters slow start
      const picks = 40_000;
      let mine = 0;
      for (let k = 0; k < picks; k++) if (b.pick(req, atMs) === 3) mine++;
      return mine / picks;
    };
    for (const f of [0.1, 0.25, 0.5, 0.75]) {
      const expected = f / n;
      assert.ok(
        Math.abs(share(f * slowMs) - expected) < 0.001,
        `at ${f} of the ramp: ${share(f * slowMs)} vs ${expected}`,
      );
    }
    assert.equal(share(0), 0);
    assert.ok(Math.abs(share(slowMs) - 1 / n) < 0.001);
    assert.ok(Math.abs(share(3 * slowMs) - 1 / n) < 0.001);
  });

  it('slow start follows the documented entry rules', () => {
    // Targets healthy from the start are not in slow start.
    const b = new AwsBalancer(awsPool('round_robin', 2, { slowStartMs: 60_000 }), 1);
    assert.equal(b.isInSlowStart(0, 0), false);
    // No healthy peer outside slow start: the returning target does not enter it.
    b.setDown(0, true, 0);
    b.setDown(1, true, 0);
    b.setDown(0, false, 1000);
    assert.equal(b.isInSlowStart(0, 1000), false);
    b.setDown(1, false, 2000);
    assert.equal(b.isInSlowStart(1, 2000), true);
    assert.equal(b.effectiveWeight(1, 32_000), 0.5);
    // Unhealthy or deregistered: leaves slow start.
    b.setDown(1, true, 3000);
    assert.equal(b.isInSlowStart(1, 3000), false);
    // AWS: slow start cannot be combined with least_outstanding_requests; the model ignores it there.
    const lor = new AwsBalancer(awsPool('least_outstanding_requests', 2, { slowStartMs: 60_000 }), 1);
    lor.setDown(1, true, 0);
    lor.setDown(1, false, 0);
    assert.equal(lor.isInSlowStart(1, 0), false);
  });

  it('weighted_random: uniform over healthy targets, reproducible for a seed', () => {
    const draw = (seed: number) => {
      const b = createBalancer(awsPool('weighted_random', 3), { seed });
      return Array.from({ length: 30_000 }, () => b.pick(req, 0));
    };
    const a = draw(7);
    assert.deepEqual(draw(7), a);
    assert.notDeepEqual(draw(8), a);
    for (const c of counts(a, 3)) assert.ok(Math.abs(c / 30_000 - 1 / 3) < 0.02, String(c));
    const b = createBalancer(awsPool('weighted_random', 3), { seed: 1 });
    b.setDown(2, true, 0);
    assert.equal(
      counts(
        Array.from({ length: 1000 }, () => b.pick(req, 0)),
        3,
      )[2],
      0,
    );
  });

  describe('deregistration delay on the deploy scenario', () => {
    const DELAY_S = 120;
    const AT_S = 100;
    const run = (drain: boolean, delayS = DELAY_S): SimResult =>
      simulate(awsPool('round_robin', 2, { deregistrationDelayMs: delayS * 1000, healthCheckIntervalMs: 10_000 }), {
        seed: 3,
        durationSec: 900,
        sampleSec: 1,
        clients: { count: 300, rampSec: 10, lifetime: { kind: 'fixed', hours: 10 }, reconnect: { kind: 'immediate' } },
        scenario: { kind: 'deploy', atSec: AT_S, drain, drainSec: 30, restartSec: 20, intervalSec: 60 },
      });

    it('without draining, the connections of a deregistered target stay until the delay elapses, then are cut at once', () => {
      const r = run(false);
      const at = (t: number) => r.series.find((s) => s.tSec === t)!;
      const onFirst = at(AT_S).connections[0];
      assert.ok(onFirst > 100, String(onFirst));
      // Nothing is dropped before the delay elapses (samples at t hold what happened in (t-1, t]).
      for (const s of r.series) if (s.tSec <= AT_S + DELAY_S) assert.equal(s.dropped, 0, `drop at ${s.tSec}`);
      // At AT_S + DELAY_S every connection still open on the first target is cut.
      assert.equal(at(AT_S + DELAY_S + 1).dropped, onFirst);
      assert.equal(at(AT_S + DELAY_S).connections[0], onFirst);
      assert.equal(at(AT_S + DELAY_S + 1).connections[0], 0);
      // While deregistering it took no new connections.
      for (const s of r.series)
        if (s.tSec > AT_S && s.tSec <= AT_S + DELAY_S)
          assert.equal(s.newConnections[0], 0, `new on a draining target at ${s.tSec}`);
      assert.equal(r.metrics.cutAtDeregistration, r.metrics.dropped);
      assert.ok(r.metrics.dropped > onFirst, 'the second target is cut too, later');
    });

    it('a zero delay cuts at the moment of deregistration', () => {
      const r = run(false, 0);
      const at = (t: number) => r.series.find((s) => s.tSec === t)!;
      assert.equal(at(AT_S + 1).dropped, at(AT_S).connections[0]);
    });

    it('an application that drains (close frames over 30 s) leaves nothing to cut', () => {
      const r = run(true);
      assert.equal(r.metrics.cutAtDeregistration, 0);
      const drops = r.series.filter((s) => s.tSec > AT_S && s.tSec <= AT_S + 31).reduce((n, s) => n + s.dropped, 0);
      const first = r.series.find((s) => s.tSec === AT_S)!.connections[0];
      assert.equal(drops, first);
      for (const s of r.series) if (s.tSec > AT_S + 31 && s.tSec < AT_S + 60) assert.equal(s.dropped, 0);
    });

    it('is deterministic for a seed and labelled as a model', () => {
      const a = run(false);
      assert.deepEqual(run(false), a);
      assert.equal(a.fidelity, 'model');
      assert.ok(a.note?.includes(AWS_MODEL_LABEL.slice(1)), a.note);
      assert.equal(
        simulate(pool('nginx', 'round_robin', [1, 1]), { seed: 1, durationSec: 60, clients: { count: 10 } }).fidelity,
        'exact',
      );
    });
  });

  it('scale-out: the new target is registered, passes one health check, then ramps up under slow start', () => {
    const r = simulate(awsPool('round_robin', 3, { slowStartMs: 300_000, healthCheckIntervalMs: 30_000 }), {
      seed: 5,
      durationSec: 1200,
      sampleSec: 10,
      clients: { count: 3000, rampSec: 10, lifetime: { kind: 'exponential', meanHours: 0.05 } },
      scenario: { kind: 'scale-out', atSec: 100 },
    });
    const newOn = (from: number, to: number) =>
      r.series.filter((s) => s.tSec > from && s.tSec <= to).reduce((n, s) => n + (s.newConnections[3] ?? 0), 0);
    const allNew = (from: number, to: number) =>
      r.series
        .filter((s) => s.tSec > from && s.tSec <= to)
        .reduce((n, s) => n + s.newConnections.reduce((a, b) => a + b, 0), 0);
    assert.equal(newOn(0, 130), 0, 'nothing before it is healthy');
    const early = newOn(130, 230) / allNew(130, 230);
    const late = newOn(330, 430) / allNew(330, 430);
    const after = newOn(700, 1200) / allNew(700, 1200);
    assert.ok(early < late && late < after, `${early} ${late} ${after}`);
    assert.ok(Math.abs(after - 0.25) < 0.02, String(after));
  });

  it('wslb simulate prints the model label and accepts the AWS algorithms', () => {
    let out = '';
    let err = '';
    const io = { out: (s: string) => (out += s), err: (s: string) => (err += s) };
    const p = awsPool('round_robin', 3, { placeholderTargets: true });
    assert.equal(
      runSimulateCommand(
        [
          '--algorithm',
          'least_outstanding_requests',
          '--clients',
          '200',
          '--duration',
          '600',
          '--scenario',
          'deploy',
          '--no-drain',
          '--targets',
          '4',
        ],
        [p],
        io,
      ),
      0,
      err,
    );
    assert.match(out, /least_outstanding_requests/);
    assert.ok(out.includes(AWS_MODEL_LABEL.slice(1)), out);
    assert.match(out, /an open WebSocket counts as an outstanding request/);
    assert.match(out, /4 placeholder targets/);
    assert.match(out, /target-4/);
    assert.match(out, /cut when a deregistration delay elapsed/);
    out = '';
    assert.equal(runSimulateCommand(['--algorithm', 'least_conn'], [p], io), 2);
    assert.match(err, /unknown AWS routing algorithm/);
    assert.equal(runSimulateCommand(['--format', 'json', '--clients', '50', '--duration', '120'], [p], io), 0);
    const j = parseJson<SimulateJson>(out);
    assert.equal(j.fidelity, 'model');
    assert.ok(String(j.note).includes(AWS_MODEL_LABEL.slice(1)));
  });
});

describe('simulate: AWS target groups read from Terraform and CloudFormation', () => {
  const dir = nodePath.join(__dirname, '..', 'fixtures', 'aws-edge');
  before(() => initAwsParsers());
  const cli = (args: string[]) => {
    let out = '';
    let err = '';
    const code = main(['simulate', ...args], {
      out: (s) => (out += s),
      err: (s) => (err += s),
      cwd: dir,
      isTTY: false,
    });
    return { code, out, err };
  };

  it("takes the target group's attributes from a Terraform module (variable default included)", () => {
    const r = cli([
      'main.tf',
      '--format',
      'json',
      '--clients',
      '300',
      '--scenario',
      'deploy',
      '--no-drain',
      '--duration',
      '1800',
    ]);
    assert.equal(r.code, 0, r.err);
    const j = parseJson<SimulateJson>(r.out);
    assert.equal(j.pool, 'chat-ws');
    assert.equal(j.system, 'aws');
    assert.equal(j.fidelity, 'model');
    assert.match(j.algorithm, /round_robin, slow start 60 s/);
    assert.equal(j.backends.length, 3);
    assert.ok((j.metrics.cutAtDeregistration ?? 0) > 0);
    // var.delay = 120: the first cut comes 120 s after the first deregistration (atSec = 40% of 1800 = 720)
    const firstDrop = j.series.find((s) => s.dropped > 0);
    assert.ok(firstDrop, 'a connection was cut');
    assert.ok(firstDrop.tSec > 720 + 120 && firstDrop.tSec <= 720 + 120 + 15, String(firstDrop.tSec));
  });

  it('takes them from a CloudFormation template (parameter default, attribute list)', () => {
    const r = cli(['template.yaml', '--clients', '200', '--duration', '600']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /pool chat-ws \(aws, least_outstanding_requests\)/);
    assert.match(r.out, /model of documented AWS behaviour/);
    assert.match(r.out, /an open WebSocket counts as an outstanding request/);
  });
});

describe('simulate: AWS pools from the model', () => {
  before(() => initAwsParsers());
  it("an attribute wslb cannot evaluate falls back to AWS's default, and the result says so", () => {
    const text =
      'resource "aws_lb_target_group" "ws" {\n  name = "chat-ws"\n  deregistration_delay = var.nodefault\n  slow_start = 120\n  health_check {\n    interval = 10\n    healthy_threshold = 3\n  }\n}\n';
    const [info] = awsPools(buildAwsConfig([{ path: '/m/main.tf', text }]));
    assert.equal(info.pool.name, 'chat-ws');
    assert.equal(info.pool.aws?.deregistrationDelayMs, undefined);
    assert.equal(info.pool.aws?.slowStartMs, 120_000);
    assert.equal(info.pool.aws?.healthCheckIntervalMs, 10_000);
    assert.equal(info.pool.aws?.healthyThreshold, 3);
    assert.deepEqual(info.pool.aws?.unknown, ['deregistration delay']);
    assert.equal(text.slice(info.nameSpan.start, info.nameSpan.end), '"ws"');
    const r = simulate(info.pool, { seed: 1, durationSec: 120, clients: { count: 20 } });
    assert.match(r.note ?? '', /Not evaluable in the config, AWS's default used: deregistration delay\./);
  });
  it('an NLB target group (TCP) is simulated with the flow hash, without slow start', () => {
    const text =
      'resource "aws_lb_target_group" "ws" {\n  name = "chat-ws"\n  protocol = "TCP"\n  port = 9000\n  slow_start = 60\n}\n';
    const [info] = awsPools(buildAwsConfig([{ path: '/m/nlb.tf', text }]));
    assert.equal(info.pool.algorithm, 'flow_hash');
    assert.equal(info.pool.aws?.lbType, 'network');
    assert.equal(info.pool.aws?.slowStartMs, undefined);
    assert.equal(info.pool.servers[0].port, 9000);
  });
});
