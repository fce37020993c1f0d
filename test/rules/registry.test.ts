/** The registry is complete: every rule has docs, a real source section, fixtures, and the docs page is current. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { SOURCE_SECTIONS } from '../../server/src/service/docs/sections';
import { ALL_RULES } from '../../server/src/service/rules';
import { longDocs } from '../../server/src/service/rules/long-docs';
import { renderRuleDocs } from '../../scripts/rule-docs';
import { need, sharedPath } from '../helpers/needs';

const SOURCE = sharedPath('source-material.md');

describe('rule registry', () => {
  it('rule ids are unique and namespaced by system', () => {
    const ids = ALL_RULES.map((r) => r.meta.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const r of ALL_RULES) assert.ok(r.meta.id.startsWith(r.meta.system + '/'), r.meta.id);
  });

  it('every rule has a short and long explanation, versions, references and a section of the source material', function () {
    need(this, 'shared');
    const headings = new Set(
      fs
        .readFileSync(SOURCE, 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('## '))
        .map((l) => l.slice(3).trim()),
    );
    for (const s of SOURCE_SECTIONS)
      assert.ok(headings.has(s), `section "${s}" is not a heading of the source material`);
    for (const r of ALL_RULES) {
      const d = r.meta.docs;
      assert.ok(d.short.length > 20, `${r.meta.id}: short text`);
      assert.ok(longDocs(r.meta).length > 200, `${r.meta.id}: long text`);
      assert.ok(r.meta.versions.length > 2, `${r.meta.id}: versions`);
      assert.ok(headings.has(d.section), `${r.meta.id}: section "${d.section}"`);
      assert.ok(
        d.references.length > 0 && d.references.every((u) => /^https:\/\/|\bsrc\//.test(u)),
        `${r.meta.id}: references`,
      );
    }
  });

  it('every rule has fire and pass fixtures, and fixable rules have fixed goldens', () => {
    for (const r of ALL_RULES) {
      const dir = path.join(__dirname, 'fixtures', ...r.meta.id.split('/'));
      assert.ok(fs.existsSync(dir), `${r.meta.id}: no fixtures folder`);
      const files = fs.readdirSync(dir);
      assert.ok(
        files.some((f) => /^fire.*\.(conf|cfg|tf|yaml|json)$/.test(f) && !f.includes('.fixed.')),
        `${r.meta.id}: no fire fixture`,
      );
      assert.ok(
        files.some((f) => /^pass.*\.(conf|cfg|tf|yaml|json)$/.test(f)),
        `${r.meta.id}: no pass fixture`,
      );
      if (r.meta.fixable)
        assert.ok(
          files.some((f) => /\.fixed\.(conf|cfg|tf|yaml|json)$/.test(f)),
          `${r.meta.id}: fixable but no fixed golden`,
        );
    }
  });

  it('docs/rules.md is generated from the registry and up to date', () => {
    const file = path.resolve(__dirname, '../../docs/rules.md');
    assert.equal(fs.readFileSync(file, 'utf8'), renderRuleDocs(), 'run `npx tsx scripts/gen-rule-docs.ts`');
  });
});
