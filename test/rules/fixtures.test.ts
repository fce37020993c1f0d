/**
 * Every rule, from its fixtures under test/rules/fixtures/<rule-id>/:
 *   fire*.conf|cfg|tf|yaml|json   must report the rule; the exact findings (range + message) are pinned in
 *                    <name>.findings.txt (review it when it changes; UPDATE_GOLDEN=1 rewrites it);
 *   pass*.conf|cfg   near misses: must not report the rule;
 *   <fire>.fixed.*   golden output of applying the rule's own fixes until stable; the fixed text
 *                    must not report the rule again, and fixing it again changes nothing.
 * The registry test fails when a rule has no fixtures, or a fixable rule has no fixed golden.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/service/rules';
import { initAwsParsers } from '../../server/src/service';
import { analyzeText, fixturePath, fixUntilStable, fmtRange, languageOfFixture } from '../helpers/analyze';

const ROOT = path.join(__dirname, 'fixtures');
const UPDATE = process.env.UPDATE_GOLDEN === '1';

function fixtureDir(id: string): string {
  return path.join(ROOT, ...id.split('/'));
}

function golden(file: string, actual: string): void {
  if (UPDATE || !fs.existsSync(file)) {
    if (!UPDATE)
      assert.fail(`missing golden ${path.relative(process.cwd(), file)} (run with UPDATE_GOLDEN=1 and review it)`);
    fs.writeFileSync(file, actual);
    return;
  }
  assert.equal(
    actual,
    fs.readFileSync(file, 'utf8'),
    `golden ${path.relative(process.cwd(), file)} differs (UPDATE_GOLDEN=1 rewrites it; review the diff)`,
  );
}

describe('rule fixtures', () => {
  before(() => initAwsParsers());
  for (const rule of ALL_RULES) {
    const id = rule.meta.id;
    const dir = fixtureDir(id);
    describe(id, () => {
      const files = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
      const inputs = files.filter((f) => /^(fire|pass)[^.]*\.(conf|cfg|tf|yaml|json)$/.test(f));
      it('has fixtures that fire and near misses that pass', () => {
        assert.ok(
          inputs.some((f) => f.startsWith('fire')),
          `no fire* fixture in ${dir}`,
        );
        assert.ok(
          inputs.some((f) => f.startsWith('pass')),
          `no pass* fixture in ${dir}`,
        );
      });
      for (const f of inputs) {
        const file = path.join(dir, f);
        const lang = languageOfFixture(f);
        const at = fixturePath(lang, f);
        const text = () => fs.readFileSync(file, 'utf8');
        const ext = path.extname(f);
        const base = f.slice(0, -ext.length);
        if (f.startsWith('pass')) {
          it(`${f}: does not report`, () => {
            const hits = analyzeText(lang, text(), {}, at).filter((x) => x.code === id);
            assert.deepEqual(
              hits.map((h) => `${fmtRange(h)} ${h.message}`),
              [],
            );
          });
          continue;
        }
        it(`${f}: reports at the pinned ranges`, () => {
          const hits = analyzeText(lang, text(), {}, at).filter((x) => x.code === id);
          assert.ok(hits.length > 0, `${id} did not fire on ${f}`);
          golden(
            path.join(dir, `${base}.findings.txt`),
            hits.map((h) => `${fmtRange(h)} ${h.severity} ${h.message}`).join('\n') + '\n',
          );
        });
        if (rule.meta.fixable) {
          it(`${f}: its fix gives the golden output, silences the rule and is idempotent`, () => {
            const hits = analyzeText(lang, text(), {}, at).filter((x) => x.code === id);
            assert.ok(
              hits.every((h) => h.fixes.length > 0) || hits.some((h) => h.fixes.length > 0),
              `${id} offers no fix on ${f}`,
            );
            const fixed = fixUntilStable(lang, text(), (x) => x.code === id, {}, at);
            golden(path.join(dir, `${base}.fixed${ext}`), fixed.text);
            assert.deepEqual(
              analyzeText(lang, fixed.text, {}, at)
                .filter((x) => x.code === id)
                .map((h) => h.message),
              [],
            );
            assert.equal(fixUntilStable(lang, fixed.text, (x) => x.code === id, {}, at).text, fixed.text);
          });
        }
      }
    });
  }
});
