/**
 * Each rule's and each check's long explanation is a Markdown file (server/src/service/rules/long-docs.ts):
 * a rule's beside its module, a check's under checks/<system>/.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_CHECKS } from '../../server/src/service/checks';
import { ALL_RULES } from '../../server/src/service/rules';
import { longDocsPlaceholders } from '../../server/src/service/rules/long-docs';

const RULES = path.resolve(__dirname, '../../server/src/service/rules');
const CHECKS = path.resolve(__dirname, '../../server/src/service/checks');

function markdownFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return markdownFiles(p);
    return e.name.endsWith('.md') ? [p] : [];
  });
}

/** `nginx/syntax` for `<dir>/nginx/syntax.md`. */
function idOf(dir: string, file: string): string {
  return path.relative(dir, file).split(path.sep).join('/').replace(/\.md$/, '');
}

function assertParagraphs(file: string, id: string): void {
  const text = fs.readFileSync(file, 'utf8');
  assert.match(text, /\S\n$/, `${id}.md: must end in exactly one newline`);
  assert.doesNotMatch(text, /^\s|\r/, `${id}.md: leading blank or CR`);
}

describe('rule explanations in Markdown', () => {
  it('every rule has its Markdown file beside its module, and every Markdown file there belongs to a rule', () => {
    const ids = new Set(ALL_RULES.map((r) => r.meta.id));
    for (const id of ids) {
      assert.ok(fs.existsSync(path.join(RULES, `${id}.ts`)), `${id}: no module ${id}.ts`);
      assert.ok(fs.existsSync(path.join(RULES, `${id}.md`)), `${id}: no explanation ${id}.md`);
    }
    for (const file of markdownFiles(RULES)) {
      const id = idOf(RULES, file);
      assert.ok(ids.has(id), `${id}.md: no rule ${id}`);
    }
  });

  it('each file is paragraphs of text ending in one newline', () => {
    for (const r of ALL_RULES) assertParagraphs(path.join(RULES, `${r.meta.id}.md`), r.meta.id);
  });

  it("the placeholders of a file are exactly its rule's docs.values", () => {
    for (const r of ALL_RULES) {
      const used = new Set(longDocsPlaceholders(r.meta.id));
      const given = new Set(Object.keys(r.meta.docs.values ?? {}));
      assert.deepEqual([...used].sort(), [...given].sort(), r.meta.id);
    }
  });
});

describe('check explanations in Markdown', () => {
  it('every check has its Markdown file under checks/<system>/, and every Markdown file there belongs to a check', () => {
    const ids = new Set(ALL_CHECKS.map((c) => c.id));
    for (const id of ids) assert.ok(fs.existsSync(path.join(CHECKS, `${id}.md`)), `${id}: no explanation ${id}.md`);
    for (const file of markdownFiles(CHECKS)) {
      const id = idOf(CHECKS, file);
      assert.ok(ids.has(id), `${id}.md: no check ${id}`);
    }
  });

  it('each file is paragraphs of text ending in one newline', () => {
    for (const c of ALL_CHECKS) assertParagraphs(path.join(CHECKS, `${c.id}.md`), c.id);
  });

  it('no file has a placeholder (a check has no values to fill one)', () => {
    for (const c of ALL_CHECKS) assert.deepEqual(longDocsPlaceholders(c.id, 'check'), [], c.id);
  });
});
