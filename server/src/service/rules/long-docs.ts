/**
 * A rule's long explanation: several paragraphs of Markdown, our own words on what goes wrong, why
 * and what to do. It lives beside the rule as `<system>/<name>.md` (nginx/ws-http-version.md next
 * to nginx/ws-http-version.ts), the file's text being the explanation plus one final newline.
 * `{{name}}` stands for `meta.docs.values[name]` (a fact that lives in code). `wslb explain`,
 * hovers, the rule pages and docs/rules.md all read it through `longDocs`.
 *
 * The files are required only here, when a text is asked for: the bundles inline them with
 * esbuild's text loader (scripts/build.mjs), tsx reads them through scripts/markdown-require.cjs.
 */
import type { RuleMeta } from './rule';

const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** The Markdown file's text, without its final newline. */
function markdownOf(id: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const text = require(`./${id}.md`) as string;
  return text.endsWith('\n') ? text.slice(0, -1) : text;
}

/** The long explanation of a rule, its placeholders filled in. */
export function longDocs(meta: Pick<RuleMeta, 'id' | 'docs'>): string {
  const values = meta.docs.values ?? {};
  return markdownOf(meta.id).replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? String(values[name]) : whole,
  );
}

/** The placeholders a rule's explanation names (for the test that each has a value). */
export function longDocsPlaceholders(id: string): string[] {
  return [...markdownOf(id).matchAll(PLACEHOLDER)].map((m) => m[1]);
}
