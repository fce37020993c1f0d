/**
 * The "Simulate balancing" webview panel on the extension side: creates/restores the panel,
 * hands it the pool, applies "Apply to config" as an undoable workspace edit and saves exports.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { AlgorithmEditParams, AlgorithmEditResult, PoolItem } from '../../server/src/lsp/protocol';
import { applyRequest, targetAfterReady, toSimPool, type PanelTarget } from './logic';
import { makeNonce, renderHtml } from './webview/html';
import { VIEW_TYPE, type FromWebview, type ToWebview } from './webview/protocol';

/** Fetches the pools of a document (from the language server). */
export type PoolSource = (uri: vscode.Uri) => Promise<PoolItem[]>;

/** Asks the language server for the edits that switch a pool to another algorithm. */
export type AlgorithmEditSource = (
  uri: vscode.Uri,
  params: Omit<AlgorithmEditParams, 'uri'>,
) => Promise<AlgorithmEditResult>;

export class SimulatorPanels implements vscode.WebviewPanelSerializer {
  private panel: vscode.WebviewPanel | undefined;
  private pending: ToWebview | undefined;
  /** The document and pool the panel shows, to follow edits of that document. */
  private shown: PanelTarget | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly watch: vscode.Disposable;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly pools: PoolSource,
    private readonly algorithmEdit: AlgorithmEditSource,
    private readonly log: (s: string) => void,
  ) {
    // The panel follows its config: after an edit (typing, undo, Apply to config) it gets the
    // pool again from the server (same pool: the webview keeps the user's settings).
    this.watch = vscode.workspace.onDidChangeTextDocument((e) => {
      if (!this.panel || !this.shown || e.document.uri.toString() !== this.shown.uri || !e.contentChanges.length)
        return;
      if (this.refreshTimer) clearTimeout(this.refreshTimer);
      this.refreshTimer = setTimeout(() => void this.refresh(), 400);
    });
  }

  private async refresh(): Promise<void> {
    const panel = this.panel;
    const shown = this.shown;
    if (!panel || !shown) return;
    let item: PoolItem | undefined;
    try {
      item = (await this.pools(vscode.Uri.parse(shown.uri))).find((p) => p.name === shown.pool);
    } catch (e) {
      this.log(`simulator refresh: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    if (!item || this.panel !== panel) return;
    const init: ToWebview = { type: 'init', uri: shown.uri, pool: toSimPool(item) };
    this.pending = init;
    if ((await panel.webview.postMessage(init)) && this.pending === init) this.pending = undefined;
  }

  private webviewRoot(): vscode.Uri {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
  }

  private options(): vscode.WebviewOptions {
    return { enableScripts: true, localResourceRoots: [this.webviewRoot()] };
  }

  /** Opens (or reuses) the panel on one pool. */
  show(uri: vscode.Uri, pool: PoolItem): void {
    const title = `Simulate balancing: ${pool.name}`;
    const init: ToWebview = { type: 'init', uri: uri.toString(), pool: toSimPool(pool) };
    this.shown = { uri: uri.toString(), pool: pool.name };
    if (this.panel) {
      const panel = this.panel;
      panel.title = title;
      // A hidden webview is rebuilt on reveal and announces itself with 'ready'; keep the init
      // until a delivery succeeds.
      this.pending = init;
      panel.reveal(panel.viewColumn ?? vscode.ViewColumn.Beside);
      void panel.webview.postMessage(init).then((delivered) => {
        if (delivered && this.pending === init) this.pending = undefined;
      });
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
      this.options(),
    );
    this.pending = init;
    this.setUp(panel);
  }

  /** Restores a panel after a reload; the webview restores its own state (getState). */
  deserializeWebviewPanel(panel: vscode.WebviewPanel, _state: unknown): Promise<void> {
    panel.webview.options = this.options();
    this.pending = undefined;
    this.setUp(panel);
    return Promise.resolve();
  }

  private setUp(panel: vscode.WebviewPanel): void {
    this.panel?.dispose();
    this.panel = panel;
    panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'images', 'icon.png');
    const webview = panel.webview;
    webview.html = renderHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.webviewRoot(), 'main.js')).toString(),
      nonce: makeNonce((n) => randomBytes(n)),
      title: panel.title,
    });
    const subs: vscode.Disposable[] = [];
    subs.push(
      webview.onDidReceiveMessage((m: FromWebview) => {
        void this.onMessage(panel, m).catch((e) =>
          this.log(`simulator: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`),
        );
      }),
    );
    panel.onDidDispose(() => {
      for (const s of subs) s.dispose();
      if (this.panel === panel) {
        this.panel = undefined;
        this.shown = undefined;
      }
    });
  }

  private async onMessage(panel: vscode.WebviewPanel, m: FromWebview): Promise<void> {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'ready':
        this.shown = targetAfterReady(this.shown, !!this.pending, m);
        if (this.pending) {
          const init = this.pending;
          if ((await panel.webview.postMessage(init)) && this.pending === init) this.pending = undefined;
        } else {
          // A webview rebuilt from its saved state (shown again after being hidden, or after a
          // reload) may hold an older pool: the config can have changed while it was hidden, and
          // a refresh posted while it was being rebuilt reports delivery yet reaches nobody. Ask
          // the server again (the same pool keeps the user's settings).
          await this.refresh();
        }
        return;
      case 'apply': {
        const req = applyRequest(this.shown, m);
        const r = 'error' in req ? { ok: false, message: req.error } : await this.apply(req.uri, req.pool, req.spec);
        await panel.webview.postMessage({
          type: 'applied',
          ok: r.ok,
          spec: r.ok ? m.spec : undefined,
          message: r.message,
        } satisfies ToWebview);
        return;
      }
      case 'exportCsv':
        await this.save(panel, String(m.fileName), 'CSV', ['csv'], Buffer.from(String(m.csv), 'utf8'));
        return;
      case 'exportPng': {
        const match = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(String(m.dataUrl));
        if (!match) {
          await panel.webview.postMessage({
            type: 'exported',
            ok: false,
            message: 'The chart could not be exported.',
          } satisfies ToWebview);
          return;
        }
        await this.save(panel, String(m.fileName), 'PNG image', ['png'], Buffer.from(match[1], 'base64'));
        return;
      }
    }
  }

  /** Rewrites the pool's algorithm line in its document (a workspace edit: undoable). */
  async apply(uriText: string, poolName: string, spec: string): Promise<{ ok: boolean; message: string }> {
    let uri: vscode.Uri;
    try {
      uri = vscode.Uri.parse(uriText, true);
    } catch {
      return { ok: false, message: 'This pool does not come from a file.' };
    }
    await vscode.workspace.openTextDocument(uri);
    const result = await this.algorithmEdit(uri, { pool: poolName, algorithm: spec });
    if ('missing' in result)
      return { ok: false, message: `"${poolName}" is no longer in ${vscode.workspace.asRelativePath(uri)}.` };
    if ('error' in result) return { ok: false, message: result.error };
    if (!result.edits.length) return { ok: true, message: `${poolName} already uses ${spec}.` };
    const edit = new vscode.WorkspaceEdit();
    for (const e of result.edits) {
      const { start, end } = e.range;
      edit.replace(uri, new vscode.Range(start.line, start.character, end.line, end.character), e.newText);
    }
    const ok = await vscode.workspace.applyEdit(edit);
    return ok
      ? {
          ok: true,
          message: `Applied "${spec}" to ${poolName} in ${vscode.workspace.asRelativePath(uri)} (undo with Ctrl+Z in the editor).`,
        }
      : { ok: false, message: 'The editor refused the edit (is the file read-only?).' };
  }

  private async save(
    panel: vscode.WebviewPanel,
    fileName: string,
    kind: string,
    ext: string[],
    data: Uint8Array,
  ): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const safe = fileName.replace(/[\\/:*?"<>|]+/g, '_') || `simulation.${ext[0]}`;
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, safe) : undefined,
      filters: { [kind]: ext },
      saveLabel: 'Export',
    });
    if (!target) return;
    try {
      await vscode.workspace.fs.writeFile(target, data);
      await panel.webview.postMessage({
        type: 'exported',
        ok: true,
        message: `Saved ${vscode.workspace.asRelativePath(target)}.`,
      } satisfies ToWebview);
    } catch (e) {
      await panel.webview.postMessage({
        type: 'exported',
        ok: false,
        message: `Could not save: ${e instanceof Error ? e.message : String(e)}`,
      } satisfies ToWebview);
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.watch.dispose();
    this.panel?.dispose();
  }
}
