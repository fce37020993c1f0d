/**
 * HAProxy fixes compose: applying every fix of a run one by one (re-analysing between) or all of
 * them at once ("fix all") writes each needed line once. The case of issue 19: several proxies
 * sharing one `defaults` without timeouts, each with its own haproxy/missing-timeouts finding
 * (and WebSocket findings that add lines to the same section), used to end with the timeout lines
 * written once per finding. The result must also be accepted by `haproxy -c` without warnings.
 */
import { strict as assert } from 'node:assert';
import { applyEdits, collectFixEdits } from '../../server/src/service/fixes/apply';
import { analyzeText, fixUntilStable } from '../helpers/analyze';
import { requireBinaries, validateHaproxy } from '../live/harness';

const SHARED = `global
    maxconn 100
    hard-stop-after 10m

defaults
    mode http

frontend fe
    bind 127.0.0.1:8080
    use_backend api if { path_beg /api }
    default_backend chat_ws

listen admin
    bind 127.0.0.1:8081
    server a 127.0.0.1:9003 check

backend api
    server a1 127.0.0.1:9001 check

backend chat_ws
    balance leastconn
    option httpchk GET /health
    server c1 127.0.0.1:9002 check slowstart 30s on-marked-down shutdown-sessions
    server c2 127.0.0.1:9004 check slowstart 30s on-marked-down shutdown-sessions
`;

const count = (text: string, re: RegExp) => text.match(re)?.length ?? 0;

/** Apply the first finding's preferred fix, re-analyse, repeat. */
function oneByOne(text: string): { text: string; steps: number } {
  let cur = text;
  for (let steps = 0; steps < 30; steps++) {
    const withFix = analyzeText('haproxy', cur).filter((f) => f.fixes.length > 0);
    if (withFix.length === 0) return { text: cur, steps };
    const edits = collectFixEdits([withFix[0]]);
    cur = applyEdits(cur, [...edits.values()].flat());
  }
  throw new Error('fixes one by one did not converge');
}

/** Apply every finding's fix of the first analysis without re-analysing (as an editor applying each quick fix of the list). */
function allOfOneRun(text: string): string {
  return applyEdits(text, [...collectFixEdits(analyzeText('haproxy', text)).values()].flat());
}

function assertOnce(text: string): void {
  for (const w of ['connect', 'client', 'server', 'tunnel'])
    assert.ok(count(text, new RegExp(`timeout ${w} `, 'g')) <= 1, `timeout ${w} written more than once:\n${text}`);
  assert.equal(count(text, /timeout connect /g), 1, text);
}

describe('HAProxy fixes compose', () => {
  it('several proxies sharing one defaults: one finding each, the same timeout lines', () => {
    const hits = analyzeText('haproxy', SHARED).filter((f) => f.code === 'haproxy/missing-timeouts');
    assert.equal(hits.length, 4, hits.map((h) => h.message).join('\n'));
  });

  it('fix all and one by one give each line once, and the same text', () => {
    const all = fixUntilStable('haproxy', SHARED, (f) => f.fixes.length > 0).text;
    const single = oneByOne(SHARED);
    assertOnce(all);
    assertOnce(single.text);
    assert.ok(single.steps >= 1);
    assert.equal(single.text, all);
    assertOnce(allOfOneRun(SHARED));
  });

  it('haproxy -c accepts the fixed config without a warning', function () {
    requireBinaries(this, ['haproxy']);
    const fixed = fixUntilStable('haproxy', SHARED, (f) => f.fixes.length > 0).text;
    const r = validateHaproxy(fixed);
    assert.ok(r.ok, r.output);
    assert.doesNotMatch(r.output, /\[WARNING\]/, r.output);
    assert.match(validateHaproxy(SHARED).output, /missing timeouts/);
  });
});
