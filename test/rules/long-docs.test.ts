/** Each rule's long explanation is the Markdown file beside it (server/src/service/rules/long-docs.ts). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/service/rules';
import { longDocsPlaceholders } from '../../server/src/service/rules/long-docs';

const RULES = path.resolve(__dirname, '../../server/src/service/rules');

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(p);
    return e.name.endsWith('.md') ? [p] : [];
  });
}

describe('rule explanations in Markdown', () => {
  it('every rule has its Markdown file beside its module, and every Markdown file there belongs to a rule', () => {
    const ids = new Set(ALL_RULES.map((r) => r.meta.id));
    for (const id of ids) {
      assert.ok(fs.existsSync(path.join(RULES, `${id}.ts`)), `${id}: no module ${id}.ts`);
      assert.ok(fs.existsSync(path.join(RULES, `${id}.md`)), `${id}: no explanation ${id}.md`);
    }
    for (const file of markdownFiles(RULES)) {
      const id = path.relative(RULES, file).split(path.sep).join('/').replace(/\.md$/, '');
      assert.ok(ids.has(id), `${id}.md: no rule ${id}`);
    }
  });

  it('each file is paragraphs of text ending in one newline', () => {
    for (const r of ALL_RULES) {
      const text = fs.readFileSync(path.join(RULES, `${r.meta.id}.md`), 'utf8');
      assert.match(text, /\S\n$/, `${r.meta.id}.md: must end in exactly one newline`);
      assert.doesNotMatch(text, /^\s|\r/, `${r.meta.id}.md: leading blank or CR`);
    }
  });

  it("the placeholders of a file are exactly its rule's docs.values", () => {
    for (const r of ALL_RULES) {
      const used = new Set(longDocsPlaceholders(r.meta.id));
      const given = new Set(Object.keys(r.meta.docs.values ?? {}));
      assert.deepEqual([...used].sort(), [...given].sort(), r.meta.id);
    }
  });
});
