/**
 * Harm demonstrations: for each rule in cases.ts, the bad config fails the way the rule says, and
 * the good config (today a fixture, later wslb's own fix applied to the bad one) works.
 */
import { strict as assert } from 'node:assert';
import { LiveClient, binaryGate, now, openWs, openWsOk, requireBinaries, stopAll, validate } from './harness';
import { assertFixed, describeExpect, measure, proveFixed, run, showWorks } from './prove';
import { ruleRegistered, wslbFixed } from './wslb';
import { CASES, badText, goodText } from './cases';
import { recordCase, recordNote, writeReport, type CaseReport } from './report';

describe('live: harm of each rule shown with the real binaries, and the fix working', function () {
  this.timeout(15000);

  before(function () {
    const gate = binaryGate(['nginx', 'haproxy']);
    if (gate.action !== 'run') recordNote(`harm cases not run: ${gate.reason}`);
    requireBinaries(this, ['nginx', 'haproxy']);
  });
  afterEach(stopAll);
  after(async () => {
    await stopAll();
    writeReport();
  });

  for (const c of CASES) {
    it(`${c.id}: ${describeExpect(c)}`, async () => {
      const t0 = now();
      const report: CaseReport = {
        id: c.id,
        system: c.system,
        bad: c.bad,
        good: c.good,
        expectation: describeExpect(c),
        harm: { shown: false, observed: '' },
        fix: { shown: false, observed: '' },
        durationMs: 0,
      };
      recordCase(report);
      const bad = badText(c);
      const good = goodText(c);
      const e = c.expect;
      // wslb's own fix of the bad config gets the same live proof, concurrently with the rest.
      const wf = wslbFixed(c);
      const wslbProof = wf
        ? proveFixed(c, wf.live, 'wslb-fixed').then(
            (observed) => ({ ok: true as const, observed }),
            (error: unknown) => ({ ok: false as const, error }),
          )
        : undefined;

      if (e.kind === 'refused-by-validator' || e.kind === 'validator-warns') {
        const vb = validate(c.system, bad, { LISTEN: 1, B1: 2 });
        if (e.kind === 'refused-by-validator') {
          assert.equal(vb.ok, false, `the validator should refuse the bad config; said:\n${vb.output}`);
        } else {
          assert.equal(vb.ok, true, `the bad config is only warned about; said:\n${vb.output}`);
        }
        assert.match(vb.output, e.message);
        report.harm = {
          shown: true,
          observed:
            vb.output
              .split('\n')
              .find((l) => e.message.test(l))
              ?.trim() ?? vb.output,
        };
        const vg = validate(c.system, good, { LISTEN: 1, B1: 2 });
        assert.equal(vg.ok, true, `the good config should pass; said:\n${vg.output}`);
        if (e.kind === 'validator-warns') assert.doesNotMatch(vg.output, /WARNING/, 'the good config has no warning');
        const r = await run(c, good, 'good');
        report.fix = { shown: true, observed: `validator ok; ${await showWorks(r)}` };
      } else if (e.kind === 'no-upgrade') {
        const vb = validate(c.system, bad, { LISTEN: 1, B1: 2 });
        assert.equal(vb.ok, true, `the bad config is valid (the harm is at run time); said:\n${vb.output}`);
        const rb = await run(c, bad, 'bad');
        const res = await openWs(rb.url);
        assert.ok(!(res instanceof LiveClient), 'the handshake through the bad config must not succeed');
        assert.equal(res.kind, 'refused', `expected an HTTP refusal, got ${JSON.stringify(res)}`);
        assert.equal(res.kind === 'refused' && res.status, e.status);
        const saw = e.backendSaw === 'plain-request' ? rb.backend.plainRequests : rb.backend.refusedUpgrades;
        assert.equal(saw.length, 1, `the backend should have seen one ${e.backendSaw}`);
        assert.equal(rb.backend.connections.length, 0, 'no WebSocket reached the backend');
        const seen = saw[0];
        report.harm = {
          shown: true,
          observed: `client got HTTP ${res.kind === 'refused' ? res.status : '?'}; backend saw HTTP/${seen.httpVersion} with Connection: ${seen.headers.connection ?? '(none)'}, Upgrade: ${seen.headers.upgrade ?? '(none)'}`,
        };
        const rg = await run(c, good, 'good');
        report.fix = { shown: true, observed: await showWorks(rg) };
      } else if (e.kind !== 'idle-cut') {
        // Distribution and lifecycle cases: measure both configs side by side.
        for (const [text, label] of [
          [bad, 'bad'],
          [good, 'good'],
        ] as const) {
          const v = validate(c.system, text, { LISTEN: 1, B1: 2, B2: 3, B3: 4, B4: 5 });
          assert.equal(v.ok, true, `the ${label} config is valid; said:\n${v.output}`);
        }
        const [mb, mg] = await Promise.all([measure(c, bad, 'bad'), measure(c, good, 'good')]);
        if (e.kind === 'remap-on-add')
          assert.ok((mb.value ?? 0) > e.badAbove && (mb.betweenOld ?? 0) > 0, `bad config: ${mb.observed}`);
        assert.equal(mb.harmful, true, `the bad config should show the harm: ${mb.observed}`);
        report.harm = { shown: true, observed: mb.observed };
        assertFixed(c, mg);
        report.fix = { shown: true, observed: mg.observed };
      } else {
        const [rb, rg] = await Promise.all([run(c, bad, 'bad'), run(c, good, 'good')]);
        const [cb, cg] = await Promise.all([openWsOk(rb.url), openWsOk(rg.url)]);
        await Promise.all([cb.waitIdentity(), cg.waitIdentity()]);
        if (e.heartbeatMs) {
          cb.startHeartbeat(e.heartbeatMs);
          cg.startHeartbeat(e.heartbeatMs);
        }
        const [closedBad, closedGood] = await Promise.all([
          cb.waitClose(e.cutAfterMs + 1500),
          cg.waitClose(e.survivesMs),
        ]);
        assert.ok(closedBad, `the bad config should cut the connection after ~${e.cutAfterMs} ms`);
        assert.equal(closedBad.code, 1006, 'the proxy closes TCP without a WebSocket close frame');
        // nginx moves a timer only when it shifts by 300 ms or more (NGX_TIMER_LAZY_DELAY in
        // src/event/ngx_event_timer.h), so it may close up to 300 ms early; HAProxy is exact.
        const early = c.system === 'nginx' ? 350 : 200;
        assert.ok(
          closedBad.sinceLastActivityMs > e.cutAfterMs - early && closedBad.sinceLastActivityMs < e.cutAfterMs + 800,
          `cut after ${closedBad.sinceLastActivityMs.toFixed(0)} ms of silence, expected ~${e.cutAfterMs}`,
        );
        report.harm = {
          shown: true,
          observed: `closed with code ${closedBad.code} after ${closedBad.sinceLastActivityMs.toFixed(0)} ms without traffic`,
          ms: Math.round(closedBad.sinceLastActivityMs),
        };
        assert.equal(closedGood, undefined, `the good config should keep the connection for ${e.survivesMs} ms`);
        cg.send('still-here');
        const msgs = await cg.waitMessages(2, 1500);
        assert.equal(msgs.at(-1), 'still-here', 'the connection still echoes after the old limit');
        report.fix = {
          shown: true,
          observed: `open and echoing after ${e.survivesMs} ms${e.heartbeatMs ? ` with a ping every ${e.heartbeatMs} ms` : ' without traffic'}`,
          ms: e.survivesMs,
        };
      }
      if (wslbProof && wf) {
        const r = await wslbProof;
        if (!r.ok) throw r.error;
        report.wslbFix = { shown: true, observed: wf.scaled ? `${r.observed} (${wf.scaled})` : r.observed };
      } else {
        report.wslbFix = {
          shown: false,
          observed: ruleRegistered(c) ? 'the rule offers no fix' : 'the rule is not registered yet',
        };
      }
      report.durationMs = Math.round(now() - t0);
    });
  }
});
