/**
 * Rule truth with wslb itself: for each live case whose rule is registered, wslb reports the rule on
 * the bad config and not on the good one, and wslb's own quick fix, applied to the bad config, turns
 * it into one that the real nginx/HAProxy accept and that works live (101 and echo, or survives idle
 * past the old limit) — the same proof as the hand-written good fixture.
 */
import { strict as assert } from 'node:assert';
import { createLanguageService } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { ruleById } from '../../server/src/service/rules';
import { applyEdits, collectFixEdits } from '../../server/src/service/fixes/apply';
import type { Finding } from '../../server/src/service/types';
import { binaryGate, now, requireBinaries, stopAll } from './harness';
import { CASES, badText, goodText, type LiveCase } from './cases';
import { proveFixed } from './prove';
import { recordNote, recordWslbFix, writeReport } from './report';

const PATHS = { nginx: '/live/nginx.conf', haproxy: '/live/haproxy.cfg' } as const;

function analyze(c: LiveCase, text: string): Finding[] {
  // The heartbeat the live client uses is the one the rules must compare with.
  const heartbeatMs = c.expect.kind === 'idle-cut' && c.expect.heartbeatMs ? c.expect.heartbeatMs : undefined;
  const service = createLanguageService(heartbeatMs ? { heartbeatMs } : {});
  const path = PATHS[c.system];
  return c.system === 'nginx'
    ? service.analyzeNginx(path, new MemoryFileSystem({ [path]: text })).findings
    : service.analyzeHaproxy([{ path, text }]).findings;
}

/** Applies wslb's fixes for `ruleId` until the rule no longer fires (at most 5 rounds). */
function applyWslbFix(c: LiveCase, text: string): { text: string; rounds: number } {
  let current = text;
  for (let round = 1; round <= 5; round++) {
    const edits = collectFixEdits(analyze(c, current), (f) => f.code === c.id).get(PATHS[c.system]) ?? [];
    if (edits.length === 0) return { text: current, rounds: round - 1 };
    current = applyEdits(current, edits);
  }
  return { text: current, rounds: 5 };
}

const registered = CASES.filter((c) => ruleById(c.id));
const missing = CASES.filter((c) => !ruleById(c.id)).map((c) => c.id);

describe("live: wslb's own findings and quick fixes against the real binaries", function () {
  this.timeout(15000);

  before(function () {
    if (missing.length) recordNote(`live cases whose rule is not registered yet (checked by fixtures only): ${missing.join(', ')}`);
    const gate = binaryGate(['nginx', 'haproxy']);
    if (gate.action !== 'run') recordNote(`wslb fixes not proven live: ${gate.reason}`);
    requireBinaries(this, ['nginx', 'haproxy']);
  });
  afterEach(stopAll);
  after(async () => {
    await stopAll();
    writeReport();
  });

  for (const c of registered) {
    it(`${c.id}: fires on the bad config, not on the good one; its fix works live`, async () => {
      const t0 = now();
      const bad = badText(c);
      const badFindings = analyze(c, bad).filter((f) => f.code === c.id);
      assert.ok(badFindings.length > 0, `wslb should report ${c.id} on ${c.bad}`);
      const goodFindings = analyze(c, goodText(c)).filter((f) => f.code === c.id);
      assert.deepEqual(goodFindings.map((f) => f.message), [], `wslb should not report ${c.id} on ${c.good}`);
      const fixable = badFindings.some((f) => f.fixes.length > 0);
      if (!fixable) {
        recordWslbFix({ id: c.id, fires: true, quietOnGood: true, fix: 'none offered', durationMs: Math.round(now() - t0) });
        return;
      }
      const fixed = applyWslbFix(c, bad);
      assert.notEqual(fixed.text, bad, 'the fix changed the config');
      assert.deepEqual(analyze(c, fixed.text).filter((f) => f.code === c.id).map((f) => f.message), [], 'the rule is silent after its fix');
      let liveText = fixed.text;
      let scaled: string | undefined;
      if (c.scaleFix) {
        const m = c.scaleFix.pattern.exec(fixed.text);
        assert.ok(m, `wslb's fix contains ${c.scaleFix.pattern}`);
        liveText = fixed.text.replace(c.scaleFix.pattern, c.scaleFix.replacement);
        scaled = `${m[0]} scaled to ${c.scaleFix.replacement} for the live check`;
      }
      const observed = await proveFixed(c, liveText, 'wslb-fixed');
      recordWslbFix({
        id: c.id,
        fires: true,
        quietOnGood: true,
        fix: 'applied',
        rounds: fixed.rounds,
        liveAfterFix: scaled ? `${observed} (${scaled})` : observed,
        message: badFindings[0].message,
        durationMs: Math.round(now() - t0),
      });
    });
  }
});
