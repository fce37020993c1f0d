/**
 * Every rule of the registry is accounted for by the live proof: an nginx or HAProxy rule either has
 * a live case (bad config, wslb's fix, good config) or a recorded reason why its harm cannot be shown
 * on one machine; its docs `proof` says which. Needs no binaries.
 */
import { strict as assert } from 'node:assert';
import { ALL_RULES, ruleById } from '../../server/src/service/rules';
import { CASES, NOT_LIVE } from './cases';
import { ruleCoverage } from './report';

describe('live: every rule is shown live or marked not observable', () => {
  it('each nginx/HAProxy rule has exactly one live case or one not-observable entry', () => {
    for (const { meta } of ALL_RULES.filter((r) => r.meta.system !== 'aws')) {
      const live = CASES.filter((c) => c.id === meta.id).length;
      const not = NOT_LIVE.filter((n) => n.id === meta.id).length;
      assert.equal(live + not, 1, `${meta.id}: ${live} live case(s), ${not} not-observable entr(y/ies)`);
    }
  });

  it('cases and not-observable entries name registered rules of the right system', () => {
    for (const c of CASES)
      assert.equal(ruleById(c.id)?.meta.system, c.system, `${c.id} is a registered ${c.system} rule`);
    for (const n of NOT_LIVE) assert.ok(ruleById(n.id), `${n.id} is registered`);
  });

  it("each rule's docs proof says how it was shown live, or why not", () => {
    for (const { meta } of ALL_RULES.filter((r) => r.meta.system !== 'aws')) {
      const proof = meta.docs.proof ?? '';
      assert.ok(proof.length > 40, `${meta.id} has a proof text`);
      if (CASES.some((c) => c.id === meta.id)) {
        assert.match(
          proof,
          /nginx 1\.22\.1|HAProxy 2\.6\.12|\(2\.6\.12\)/,
          `${meta.id}: proof names the binary it was shown with`,
        );
        assert.doesNotMatch(
          proof,
          /[Nn]ot (shown|observable) live|not covered/,
          `${meta.id}: proof is not the old "not shown" text`,
        );
      } else
        assert.match(proof, /[Nn]ot (shown|observable) live/, `${meta.id}: proof says it is not shown live, and why`);
    }
  });

  it('the report lists every registered rule with a status and, when not observable, a reason', () => {
    const cov = ruleCoverage();
    assert.deepEqual(
      cov.map((r) => r.id),
      ALL_RULES.map((r) => r.meta.id),
    );
    for (const r of cov) {
      if (r.status === 'not-observable')
        assert.ok(r.reason && !/no reason recorded/.test(r.reason), `${r.id} has a reason`);
    }
  });
});
