/**
 * The HAProxy rule fixtures against the real binary (Debian 12: HAProxy 2.6.12):
 * - every pass* fixture, every fixed golden, and every fire* fixture of a rule whose pitfall
 *   HAProxy accepts must pass `haproxy -c` ("no listener" counts as valid, as in the corpus
 *   manifest);
 * - warnings: every warning printed is of a kind of test/helpers/haproxy-warnings.ts, and for each
 *   kind the warnings printed are exactly the ones the findings of its wslb code quote, at the
 *   same line (or in the proxy named); so the fixed output of every rule is warning-free;
 * - the fire fixtures of haproxy/unknown-backend and haproxy/backend-mode-mismatch are refused,
 *   with exactly the alerts the findings quote;
 * - "fix all" (every HAProxy rule's fixes together) on each fire fixture gives a config HAProxy
 *   accepts without warnings and on which no fixable rule fires any more.
 * Missing binary: the suite is skipped with the install hint (`WSLB_REQUIRE_ALL=1` fails it).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBinaries, validateHaproxy, type ValidateResult } from '../live/harness';
import { analyzeText, fixUntilStable } from '../helpers/analyze';
import { HAPROXY_RULES } from '../../server/src/service/rules';
import { parseHaproxy } from '../../server/src/service/syntax/haproxy';
import { parseWarning, printedKeys, reportedKeys } from '../helpers/haproxy-warnings';

const ROOT = path.join(__dirname, 'fixtures', 'haproxy');
/** Rules whose pitfall HAProxy refuses: which alerts it prints, and how a finding quotes one. */
const REFUSED: Record<string, { alert: RegExp; quote: RegExp }> = {
  'unknown-backend': {
    alert: /unable to find required/,
    quote: /\((Proxy '[^']*': unable to find required \w+: '[^']*'\.)\)$/,
  },
  'backend-mode-mismatch': {
    alert: /tries to use incompatible/,
    quote: /\((http \w+ '[^']*' \(…\) tries to use incompatible tcp \w+ '[^']*' \(…\) .*\(see 'mode'\))\)/,
  },
};
const REFUSED_DIRS = new Set(Object.keys(REFUSED));

/** HAProxy's alerts name files and lines; the findings write "(…)" there. */
function normalizeAlert(a: string): string {
  return a.replace(/ \([^()]*:\d+\)/g, ' (…)').replace(/\.$/, '');
}
const FIXABLE = new Set(HAPROXY_RULES.filter((r) => r.meta.fixable).map((r) => r.meta.id));

function fixtures(): { dir: string; file: string }[] {
  const out: { dir: string; file: string }[] = [];
  for (const dir of fs.readdirSync(ROOT).sort()) {
    for (const file of fs.readdirSync(path.join(ROOT, dir)).sort()) if (file.endsWith('.cfg')) out.push({ dir, file });
  }
  return out;
}

/** Valid for HAProxy: exit 0, or exit 2 with "no listener" (a file of backends only). */
function accepted(r: ValidateResult): boolean {
  return r.ok || (r.status === 2 && /will not start \(no listener\)/.test(r.output));
}

function warnings(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('[WARNING]'))
    .map((l) => l.replace(/^\[WARNING\]\s+\(\d+\)\s*:\s*(config\s*:\s*)?/, '').trim());
}

function alerts(output: string): string[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('[ALERT]'))
    .map((l) => l.replace(/^\[ALERT\]\s+\(\d+\)\s*:\s*(config\s*:\s*)?/, '').trim())
    .filter((l) => !/^Fatal errors found/.test(l));
}

const MISSING = /missing timeouts for (frontend|backend|proxy) '[^']*'/g;

function printedMissing(output: string): string[] {
  return warnings(output)
    .flatMap((w) => w.match(MISSING) ?? [])
    .sort();
}

/**
 * haproxy -c accepts the text, and its warnings are exactly those the findings quote, kind by kind
 * (test/helpers/haproxy-warnings.ts), at the same line or in the proxy named; a warning of no
 * known kind fails.
 */
function checkAcceptedWithAgreeingWarnings(label: string, text: string): void {
  const r = validateHaproxy(text);
  assert.ok(accepted(r), `haproxy -c refused ${label}:\n${r.output}`);
  const printed = printedKeys(
    r.output
      .split('\n')
      .filter((l) => l.startsWith('[WARNING]'))
      .map(parseWarning),
  );
  assert.deepEqual(printed.unknown, [], `${label}: warnings of a kind wslb does not mirror\n${r.output}`);
  assert.deepEqual(
    reportedKeys(analyzeText('haproxy', text), text),
    printed.keys,
    `${label}: warnings of haproxy -c (expected) vs the findings quoting them (actual)\n${r.output}`,
  );
}

describe('HAProxy rule fixtures with the real haproxy -c', function () {
  this.timeout(60_000);
  before(function () {
    requireBinaries(this, ['haproxy']);
  });

  it('finds fixtures of every kind', () => {
    const all = fixtures();
    assert.ok(all.some((f) => f.file.startsWith('pass')));
    assert.ok(all.some((f) => f.file.includes('.fixed.')));
    for (const dir of REFUSED_DIRS)
      assert.ok(
        all.some((f) => f.dir === dir && /^fire[^.]*\.cfg$/.test(f.file)),
        `no fire fixture for ${dir}`,
      );
    assert.ok(
      all.some((f) => f.dir === 'missing-timeouts' && f.file.includes('.fixed.')),
      'missing-timeouts has fixed goldens',
    );
  });

  for (const { dir, file } of fixtures()) {
    const full = path.join(ROOT, dir, file);
    const refused = REFUSED_DIRS.has(dir) && /^fire[^.]*\.cfg$/.test(file);
    if (refused) {
      it(`${dir}/${file}: haproxy -c refuses it with exactly the alerts the findings quote`, () => {
        const text = fs.readFileSync(full, 'utf8');
        const r = validateHaproxy(text);
        assert.equal(r.ok, false, `haproxy -c accepted ${dir}/${file}:\n${r.output}`);
        const spec = REFUSED[dir];
        const printed = alerts(r.output)
          .filter((a) => spec.alert.test(a))
          .map(normalizeAlert)
          .sort();
        assert.ok(printed.length > 0, r.output);
        const quoted = analyzeText('haproxy', text)
          .filter((f) => f.code === `haproxy/${dir}`)
          .map((f) => {
            // the quote stands in the message or, when the message is short, in a related note
            const all = [f.message, ...(f.related ?? []).map((r) => r.message)];
            const q = all.map((m) => spec.quote.exec(m)?.[1]).find((x) => x !== undefined);
            return normalizeAlert(q ?? `<no quote in: ${all.join(' | ')}>`);
          })
          .sort();
        assert.deepEqual(quoted, printed);
      });
    } else {
      it(`${dir}/${file}: haproxy -c accepts it; its warnings agree with missing-timeouts`, () => {
        checkAcceptedWithAgreeingWarnings(`${dir}/${file}`, fs.readFileSync(full, 'utf8'));
      });
    }
  }

  it('the fixed output of missing-timeouts draws no "missing timeouts" warning', () => {
    const fixed = fixtures().filter((f) => f.dir === 'missing-timeouts' && f.file.includes('.fixed.'));
    assert.ok(fixed.length >= 2);
    for (const f of fixed) {
      const r = validateHaproxy(fs.readFileSync(path.join(ROOT, f.dir, f.file), 'utf8'));
      assert.deepEqual(printedMissing(r.output), [], `${f.file}:\n${r.output}`);
    }
  });

  // (the fire fixtures of rules without a fix keep their pitfall after "fix all")
  const withFix = (dir: string) => FIXABLE.has(`haproxy/${dir}`);
  for (const { dir, file } of fixtures().filter(
    (f) => /^fire[^.]*\.cfg$/.test(f.file) && !REFUSED_DIRS.has(f.dir) && withFix(f.dir),
  )) {
    it(`${dir}/${file}: "fix all" over every HAProxy rule gives a config haproxy -c accepts without warnings`, () => {
      const text = fs.readFileSync(path.join(ROOT, dir, file), 'utf8');
      const fixed = fixUntilStable('haproxy', text, (f) => FIXABLE.has(f.code)).text;
      assert.notEqual(fixed, text);
      const left = analyzeText('haproxy', fixed).filter((f) => FIXABLE.has(f.code) && f.fixes.length > 0);
      assert.deepEqual(
        left.map((f) => `${f.code}: ${f.message}`),
        [],
      );
      const r = validateHaproxy(fixed);
      assert.ok(accepted(r), `haproxy -c refused the fixed ${dir}/${file}:\n${r.output}\n---\n${fixed}`);
      assert.deepEqual(
        warnings(r.output).filter((w) => !/^Warnings were found/.test(w)),
        [],
        `${dir}/${file} fixed:\n${fixed}`,
      );
      // no directive that a fix writes appears twice in a section
      for (const section of parseHaproxy(fixed).sections) {
        const keys = section.statements
          .map((st) =>
            st.keyword === 'timeout' || st.keyword === 'option' ? `${st.keyword} ${st.args[0]?.value}` : st.keyword,
          )
          .filter((k) => /^(timeout \S+|hard-stop-after|hash-type|balance|option httpchk|default-server)$/.test(k));
        assert.deepEqual(
          keys.filter((k, i) => keys.indexOf(k) !== i),
          [],
          `${section.keyword} ${section.name ?? ''} of the fixed ${file}`,
        );
      }
      assert.equal(fixUntilStable('haproxy', fixed, (f) => FIXABLE.has(f.code)).text, fixed, 'fix all is idempotent');
    });
  }
});
