/**
 * A rule's page inside the editor, offline: `wslb-rule:/nginx/ws-http-version` shows what the rule
 * finds, why, how to fix it, the versions, the proof and the references — the registry text the
 * server sends (wslb/explain, the same as `wslb explain` and docs/rules.md), rendered with VS Code's
 * own Markdown renderer in a read-only custom editor.
 *
 * A diagnostic's code links to such a URI (the server does so when the client says
 * `ruleLinks: 'editor'`). VS Code opens a code link with its opener, which allows `command:` URIs in
 * the Problems panel but not in the editor hover or the F8 peek; a URI of our own scheme opens an
 * editor from all three, and package.json's `customEditors` makes that editor this page. A read-only
 * file system serves the same URIs as Markdown ("Reopen Editor With… Text Editor" shows the source).
 */
import * as vscode from 'vscode';
import { RULE_SCHEME, ruleIdOfPath, ruleUri } from '../../server/src/lsp/protocol';
import { escapeHtml } from './webview/html';

export const RULE_PAGE_VIEW = 'wslb.rulePage';

/** The page of a rule as Markdown, or undefined for an unknown id (the server's wslb/explain). */
export type RuleMarkdown = (id: string) => Promise<string | undefined>;

export function ruleUriOf(id: string): vscode.Uri {
  return vscode.Uri.parse(ruleUri(id));
}

/** Read-only `wslb-rule:` documents: `/system/name` is the rule's page in Markdown. */
export class RulePageFileSystem implements vscode.FileSystemProvider {
  private readonly changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changes.event;

  constructor(private readonly markdown: RuleMarkdown) {}

  private async text(uri: vscode.Uri): Promise<Uint8Array> {
    const id = ruleIdOfPath(uri.path);
    const md = id ? await this.markdown(id) : undefined;
    if (md === undefined) throw vscode.FileSystemError.FileNotFound(uri);
    return new TextEncoder().encode(md);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const size = (await this.text(uri)).byteLength;
    return { type: vscode.FileType.File, ctime: 0, mtime: 0, size, permissions: vscode.FilePermission.Readonly };
  }

  readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.text(uri);
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changes.dispose();
  }
}

/** The page's HTML around the rendered Markdown: no scripts, styles from the theme. */
export function rulePageHtml(body: string, cspSource: string, title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${cspSource} 'unsafe-inline'; img-src ${cspSource} https: data:;">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground);
         max-width: 52em; padding: 0 1.5em 2em; line-height: 1.5; }
  h1 { font-size: 1.6em; border-bottom: 1px solid var(--vscode-panel-border); padding-bottom: .3em; }
  h2 { font-size: 1.15em; margin-top: 1.6em; }
  a { color: var(--vscode-textLink-foreground); }
  code { font-family: var(--vscode-editor-font-family); background: var(--vscode-textCodeBlock-background);
         padding: .1em .3em; border-radius: 3px; }
  pre { background: var(--vscode-textCodeBlock-background); padding: .6em .8em; overflow-x: auto; }
  pre code { padding: 0; }
</style>
</head>
<body>
${body}
</body>
</html>`;
}

/** The rendered page (VS Code's Markdown renderer; plain text when that extension is disabled). */
async function renderMarkdown(md: string): Promise<string> {
  try {
    const html = await vscode.commands.executeCommand<string>('markdown.api.render', md);
    if (typeof html === 'string' && html.trim()) return html;
  } catch {
    // the built-in Markdown extension is disabled: fall through
  }
  return `<pre>${escapeHtml(md)}</pre>`;
}

/** The read-only editor that shows `wslb-rule:` URIs as the rendered page. */
export class RulePageEditor implements vscode.CustomReadonlyEditorProvider {
  constructor(private readonly markdown: RuleMarkdown) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const id = ruleIdOfPath(document.uri.path);
    panel.webview.options = { enableScripts: false, enableCommandUris: false };
    panel.title = id ?? 'wslb rule';
    let md: string | undefined;
    try {
      md = id ? await this.markdown(id) : undefined;
    } catch (e) {
      md = `# ${id ?? document.uri.path}\n\nThe page could not be loaded: ${e instanceof Error ? e.message : String(e)}`;
    }
    const body = await renderMarkdown(md ?? `# ${id ?? document.uri.path}\n\nwslb has no rule or check of this name.`);
    panel.webview.html = rulePageHtml(body, panel.webview.cspSource, id ?? 'wslb rule');
  }
}

/** A rule picked from the ids and descriptions package.json's `wslb.rules` schema lists. */
export async function pickRule(packageJSON: unknown): Promise<string | undefined> {
  const rules = (
    packageJSON as {
      contributes?: { configuration?: { properties?: Record<string, { properties?: Record<string, unknown> }> } };
    }
  )?.contributes?.configuration?.properties?.['wslb.rules']?.properties;
  const items = Object.entries(rules ?? {}).map(([id, p]) => ({
    label: id,
    detail: (p as { description?: string }).description,
  }));
  const pick = await vscode.window.showQuickPick(items, {
    title: 'Explain a rule',
    placeHolder: 'Which rule or check? (nginx/…, haproxy/…, aws/…)',
    matchOnDetail: true,
  });
  return pick?.label;
}

export { RULE_SCHEME };
