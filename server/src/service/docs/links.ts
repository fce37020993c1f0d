/**
 * Where a code's documentation lives: its section of docs/rules.md in the project's repository
 * (package.json `repository`; test/rules/codes.test.ts checks the two agree). The LSP code
 * description and SARIF's helpUri link there; the rule's own references (AWS, nginx, HAProxy
 * pages) stay in the explanation.
 */
export const RULES_PAGE = 'https://example.invalid/wslb/blob/main/docs/rules.md';

/** The heading anchor GitHub-style Markdown renderers give `## <id>` (docs/rules.md). */
export function codeAnchor(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9 -]/g, '')
    .replace(/ /g, '-');
}

export function codeDocsUrl(id: string): string {
  return `${RULES_PAGE}#${codeAnchor(id)}`;
}
