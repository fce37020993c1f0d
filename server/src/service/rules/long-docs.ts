/**
 * A code's long explanation: Markdown, our own words on what goes wrong, why and what to do. A
 * rule's lives beside it as `<system>/<name>.md` (nginx/ws-http-version.md next to
 * nginx/ws-http-version.ts), a check's as `../checks/<system>/<name>.md` (checks/nginx/syntax.md
 * for the `nginx/syntax` entry of checks/nginx.ts); the file's text is the explanation plus one
 * final newline. In a rule's, `{{name}}` stands for `meta.docs.values[name]` (a fact that lives in
 * code). `wslb explain`, hovers, the rule pages, SARIF help and docs/rules.md all read them
 * through `longDocs` and `checkLongDocs`.
 *
 * The files are required only here, when a text is asked for: the bundles inline them with
 * esbuild's text loader (scripts/build.mjs), tsx reads them through scripts/markdown-require.cjs.
 */
import type { RuleMeta } from './rule';

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

type Kind = 'rule' | 'check';

/** The Markdown file's text, without its final newline. */
function markdownOf(kind: Kind, id: string): string {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const text = (kind === 'rule' ? require(`./${id}.md`) : require(`../checks/${id}.md`)) as string;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** The long explanation of a rule, its placeholders filled in. */
export function longDocs(meta: Pick<RuleMeta, 'id' | 'docs'>): string {
  const values = meta.docs.values ?? {};
  return markdownOf('rule', meta.id).replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** The long explanation of a check (`nginx/syntax`). */
export function checkLongDocs(id: string): string {
  return markdownOf('check', id);
}

/** The placeholders an explanation names (for the test that each has a value). */
export function longDocsPlaceholders(id: string, kind: Kind = 'rule'): string[] {
  return [...markdownOf(kind, id).matchAll(PLACEHOLDER)].map((m) => m[1]);
}
