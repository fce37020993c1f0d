/**
 * Safe fixes versus suggestions (server/src/service/rules/fix-classes.ts): every fixable rule is
 * classified, every fix on the rules' fire fixtures carries a class, suggestions say what to
 * check, and fix-all (the path shared by the CLI's --fix and the editor's source.fixAll.wslb)
 * applies safe fixes only.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES, ruleById } from '../../server/src/service/rules';
import { FIX_CLASSES } from '../../server/src/service/rules/fix-classes';
import { initAwsParsers } from '../../server/src/service';
import { fixAllConverging } from '../../server/src/service/features/actions';
import { analyzeText, fixturePath, languageOfFixture, type Lang } from '../helpers/analyze';

const ROOT = path.join(__dirname, 'fixtures');

/** Each of these picks a value or a behaviour (the UX trial's fix-all outage list): never in fix-all. */
const KNOWN_SUGGESTIONS = [
  'haproxy/ws-no-httpchk',
  'haproxy/no-hard-stop-after',
  'haproxy/leastconn-no-slowstart',
  'haproxy/ws-missing-timeout-tunnel',
  'haproxy/ws-timeout-below-heartbeat',
  'haproxy/missing-timeouts',
  'haproxy/server-no-check',
  'nginx/ws-read-timeout',
  'nginx/ws-send-timeout',
  'nginx/ws-no-worker-shutdown-timeout',
  'nginx/ws-round-robin',
  'nginx/ip-hash-nat',
  'aws/ws-deregistration-delay',
  'aws/ws-no-slow-start',
  'aws/ws-stickiness',
  'aws/alb-idle-timeout',
  'aws/nlb-idle-timeout',
];

/** The idiom nginx needs, with nothing to choose: fix-all must apply these. */
const KNOWN_SAFE = [
  'nginx/ws-not-upgraded',
  'nginx/ws-http-version',
  'nginx/ws-missing-upgrade-header',
  'nginx/ws-missing-connection-header',
  'nginx/ws-connection-upgrade-undefined',
];

interface Fixture {
  rule: string;
  file: string;
  lang: Lang;
  at?: string;
  text: string;
}

function fireFixtures(): Fixture[] {
  const out: Fixture[] = [];
  for (const rule of ALL_RULES) {
    const dir = path.join(ROOT, ...rule.meta.id.split('/'));
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (!/^fire[^.]*\.(conf|cfg|tf|yaml|json)$/.test(f)) continue;
      const lang = languageOfFixture(f);
      out.push({
        rule: rule.meta.id,
        file: f,
        lang,
        at: fixturePath(lang, f),
        text: fs.readFileSync(path.join(dir, f), 'utf8'),
      });
    }
  }
  return out;
}

function defaultPath(lang: Lang): string {
  return lang === 'nginx' ? '/etc/nginx/nginx.conf' : lang === 'aws' ? '/infra/main.tf' : '/etc/haproxy/haproxy.cfg';
}

/** Fix-all as the editor and the CLI run it, on one in-memory file. */
function fixAll(fx: Fixture): string {
  const p = fx.at ?? defaultPath(fx.lang);
  const res = fixAllConverging(
    p,
    (q) => (q === p ? fx.text : undefined),
    (overrides) => analyzeText(fx.lang, overrides.get(p) ?? fx.text, {}, p),
  );
  return res.changed.get(p) ?? fx.text;
}

describe('fix classes: safe fixes versus suggestions', () => {
  before(() => initAwsParsers());

  it('classifies every fixable rule, and lists no rule that does not exist', () => {
    const missing = ALL_RULES.filter((r) => r.meta.fixable && !FIX_CLASSES[r.meta.id]).map((r) => r.meta.id);
    assert.deepEqual(missing, [], 'add these rules to FIX_CLASSES (fix-classes.ts)');
    const stale = Object.keys(FIX_CLASSES).filter((id) => !ruleById(id));
    assert.deepEqual(stale, []);
    for (const [id, c] of Object.entries(FIX_CLASSES))
      if (c.kind === 'suggestion') assert.ok(c.check, `${id}: a suggestion says what to check`);
  });

  it('keeps the known suggestions classified as suggestions, and the WebSocket idiom as safe', () => {
    for (const id of KNOWN_SUGGESTIONS) assert.equal(FIX_CLASSES[id]?.kind, 'suggestion', id);
    for (const id of KNOWN_SAFE) assert.equal(FIX_CLASSES[id]?.kind, 'safe', id);
  });

  for (const fx of fireFixtures()) {
    const lang = fx.lang;
    it(`${fx.rule} ${fx.file}: every fix has a class; suggestions say what to check; fix-all applies safe fixes only`, () => {
      const findings = analyzeText(lang, fx.text, {}, fx.at);
      for (const f of findings)
        for (const x of f.fixes) {
          assert.ok(x.kind === 'safe' || x.kind === 'suggestion', `${f.code}: "${x.title}" has no class`);
          if (x.kind === 'suggestion') assert.match(x.title, / — check /, `${f.code}: "${x.title}"`);
          else assert.doesNotMatch(x.title, / — check /, `${f.code}: "${x.title}"`);
        }
      const after = fixAll(fx);
      const again = analyzeText(lang, after, {}, fx.at);
      // Suggestions are never applied: each suggestion-only rule keeps all of its findings.
      for (const id of new Set(findings.map((f) => f.code))) {
        const before = findings.filter((f) => f.code === id);
        if (!before.some((f) => f.fixes.length > 0) || before.some((f) => f.fixes.some((x) => x.kind === 'safe')))
          continue;
        assert.equal(
          again.filter((f) => f.code === id).length,
          before.length,
          `fix-all applied a suggestion of ${id}:\n${after}`,
        );
      }
      // Every safe fix is applied: no finding with a safe fix is left.
      const left = again.filter((f) => f.fixes.some((x) => x.kind === 'safe'));
      assert.deepEqual(
        left.map((f) => `${f.code}: ${f.fixes.map((x) => x.title).join(' | ')}`),
        [],
        `safe fixes left after fix-all:\n${after}`,
      );
    });
  }
});
