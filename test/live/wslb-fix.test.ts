/**
 * Rule truth with wslb itself, statically: for each live case whose rule is registered, wslb reports
 * the rule on the bad config and not on the good one; its quick fix silences the rule and the fixed
 * config passes the real `nginx -t` / `haproxy -c`. The live proof of the same fixed config runs
 * alongside the bad and good configs in harms.test.ts.
 */
import { strict as assert } from 'node:assert';
import { binaryGate, requireBinaries, stopAll, validate } from './harness';
import { CASES, badText, goodText } from './cases';
import { recordNote, recordWslbFix, writeReport } from './report';
import { analyze, ruleRegistered, wslbFixed } from './wslb';

const registered = CASES.filter(ruleRegistered);
const missing = CASES.filter((c) => !ruleRegistered(c)).map((c) => c.id);

describe("live: wslb's own findings and quick fixes on the live cases", function () {
  this.timeout(10000);

  before(function () {
    if (missing.length)
      recordNote(`live cases whose rule is not registered yet (checked by fixtures only): ${missing.join(', ')}`);
    const gate = binaryGate(['nginx', 'haproxy']);
    if (gate.action !== 'run') recordNote(`wslb fixes not validated: ${gate.reason}`);
    requireBinaries(this, ['nginx', 'haproxy']);
  });
  after(async () => {
    await stopAll();
    writeReport();
  });

  for (const c of registered) {
    it(`${c.id}: fires on the bad config, not on the good one; its fix silences it and passes the validator`, () => {
      const badFindings = analyze(c, badText(c)).filter((f) => f.code === c.id);
      assert.ok(badFindings.length > 0, `wslb should report ${c.id} on ${c.bad}`);
      const goodFindings = analyze(c, goodText(c)).filter((f) => f.code === c.id);
      assert.deepEqual(
        goodFindings.map((f) => f.message),
        [],
        `wslb should not report ${c.id} on ${c.good}`,
      );
      const fixed = wslbFixed(c);
      if (!fixed) {
        assert.ok(badFindings.every((f) => f.fixes.length === 0));
        recordWslbFix({
          id: c.id,
          fires: true,
          quietOnGood: true,
          fix: 'none offered',
          message: badFindings[0].message,
          durationMs: 0,
        });
        return;
      }
      assert.notEqual(fixed.fixed, badText(c), 'the fix changed the config');
      assert.deepEqual(
        analyze(c, fixed.fixed)
          .filter((f) => f.code === c.id)
          .map((f) => f.message),
        [],
        'the rule is silent after its fix',
      );
      const v = validate(c.system, fixed.fixed, { LISTEN: 1, B1: 2, B2: 3, B3: 4, B4: 5, B5: 6 });
      assert.equal(
        v.ok,
        true,
        `wslb's fixed config passes ${c.system === 'nginx' ? 'nginx -t' : 'haproxy -c'}; said:\n${v.output}`,
      );
      recordWslbFix({
        id: c.id,
        fires: true,
        quietOnGood: true,
        fix: 'applied',
        rounds: fixed.rounds,
        message: badFindings[0].message,
        durationMs: 0,
      });
    });
  }
});
