/**
 * Fixes built later (issue 23, service/fix-recipes.ts): for every rule fixture, an analysis that
 * builds no fix, then the fixes of each finding built from it, give exactly the fixes an analysis
 * that builds them at once gives (the CLI's); and analysing builds none.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLanguageService, fixBuildCount, initAwsParsers } from '../../server/src/service';
import { fixesOf, type AnyAnalysis } from '../../server/src/service/host/fixes';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { fixturePath, languageOfFixture, type Lang } from '../helpers/analyze';

const ROOT = path.join(__dirname, 'fixtures');

function analyse(lang: Lang, text: string, at: string | undefined, timing: 'now' | 'later'): AnyAnalysis {
  const service = createLanguageService({}, timing);
  const p = at ?? (lang === 'nginx' ? '/etc/nginx/nginx.conf' : '/etc/haproxy/haproxy.cfg');
  if (lang === 'nginx') return service.analyzeNginx(p, new MemoryFileSystem({ [p]: text }));
  if (lang === 'aws') return service.analyzeAws([{ path: p, text }]);
  return service.analyzeHaproxy([{ path: p, text }]);
}

describe('fixes built when asked for equal those built at once (issue 23)', () => {
  before(() => initAwsParsers());
  const cases: { name: string; file: string }[] = [];
  for (const dir of fs.readdirSync(ROOT).sort())
    for (const sub of fs.readdirSync(path.join(ROOT, dir)).sort())
      for (const f of fs.existsSync(path.join(ROOT, dir, sub)) ? fs.readdirSync(path.join(ROOT, dir, sub)).sort() : [])
        if (/^fire[^.]*\.(conf|cfg|tf|yaml|json)$/.test(f))
          cases.push({ name: `${dir}/${sub}/${f}`, file: path.join(ROOT, dir, sub, f) });

  it('finds the rule fixtures', () => assert.ok(cases.length > 50, String(cases.length)));

  for (const c of cases)
    it(c.name, () => {
      const f = path.basename(c.file);
      const lang = languageOfFixture(f);
      const at = fixturePath(lang, f);
      const text = fs.readFileSync(c.file, 'utf8');
      const now = analyse(lang, text, at, 'now');
      const before = fixBuildCount();
      const later = analyse(lang, text, at, 'later');
      assert.equal(fixBuildCount(), before, 'analysing built fixes');
      assert.ok(
        later.findings.every((x) => x.fixes.length === 0),
        'findings carry no fixes',
      );
      const built = fixesOf(later, later.findings);
      assert.deepEqual(
        later.findings.map((x, i) => ({ ...x, fixes: built[i] })),
        now.findings,
      );
    });
});
