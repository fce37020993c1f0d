/**
 * The status bar: the language server's state with the target versions, and the version the
 * active file is checked for (the server's wslb/version), which opens the version picker.
 */
import * as vscode from 'vscode';
import type { VersionInfo } from '../../../server/src/lsp/protocol';
import { settingDefault } from '../../../common/settings';
import { versionStatus } from '../logic';

export type ServerState = 'idle' | 'starting' | 'ready' | 'error' | 'stopped';

/** The languages the server checks by their language id. */
export const LANGUAGES = ['nginx', 'haproxy'];

export class StatusItems implements vscode.Disposable {
  private state: ServerState = 'idle';
  private readonly status: vscode.StatusBarItem;
  private readonly versionItem: vscode.StatusBarItem;
  private versionSeq = 0;
  private versionTimer: ReturnType<typeof setTimeout> | undefined;

  /** `requestVersion`: the server's answer for a document, null when it is not running. */
  constructor(private readonly requestVersion: (doc: vscode.TextDocument) => Promise<VersionInfo | null>) {
    this.status = vscode.window.createStatusBarItem('wslb.status', vscode.StatusBarAlignment.Right, 100);
    this.status.name = 'wslb';
    this.status.command = 'wslb.showOutput';
    this.versionItem = vscode.window.createStatusBarItem('wslb.version', vscode.StatusBarAlignment.Right, 99);
    this.versionItem.name = 'wslb: nginx/HAProxy version';
    this.versionItem.command = 'wslb.pickVersion';
  }

  get serverState(): ServerState {
    return this.state;
  }

  set serverState(state: ServerState) {
    this.state = state;
    this.render();
  }

  render(): void {
    const { state, status } = this;
    if (state === 'idle') {
      status.hide();
      return;
    }
    // (the versions are resource-scoped: those of the active file's workspace folder)
    const cfg = vscode.workspace.getConfiguration('wslb', vscode.window.activeTextEditor?.document.uri);
    const nginx = cfg.get<string>('nginxVersion', settingDefault('nginxVersion'));
    const haproxy = cfg.get<string>('haproxyVersion', settingDefault('haproxyVersion'));
    const icon = { starting: '$(sync~spin)', ready: '$(check)', error: '$(error)', stopped: '$(debug-stop)' }[state];
    // The target version of the language in front of the user (both in the tooltip).
    const lang = vscode.window.activeTextEditor?.document.languageId;
    const target = lang === 'nginx' ? ` nginx ${nginx}` : lang === 'haproxy' ? ` HAProxy ${haproxy}` : '';
    status.text = `${icon} wslb${target}`;
    status.tooltip = new vscode.MarkdownString(
      `**wslb** language server: ${state}\n\nTargets: nginx ${nginx}, HAProxy ${haproxy}\n\nClick to show the output.`,
    );
    status.backgroundColor = state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    status.accessibilityInformation = { label: `wslb ${state}, targets nginx ${nginx}, HAProxy ${haproxy}` };
    status.show();
    void this.renderVersion();
  }

  async renderVersion(): Promise<void> {
    const seq = ++this.versionSeq;
    const doc = vscode.window.activeTextEditor?.document;
    const info = doc && LANGUAGES.includes(doc.languageId) ? await this.requestVersion(doc).catch(() => null) : null;
    if (seq !== this.versionSeq) return; // a newer render started meanwhile
    if (!info) {
      this.versionItem.hide();
      return;
    }
    const s = versionStatus(info);
    this.versionItem.text = s.text;
    this.versionItem.tooltip = s.tooltip;
    this.versionItem.accessibilityInformation = { label: s.tooltip };
    this.versionItem.show();
  }

  private renderVersionSoon(): void {
    if (this.versionTimer) clearTimeout(this.versionTimer);
    this.versionTimer = setTimeout(() => void this.renderVersion(), 500);
  }

  /**
   * A `# wslb: haproxy X` comment typed into the active file changes its version; so does a
   * setting, which the server reads after the change (asking it at once gets the old answer): the
   * re-check it then publishes for the active file says its answer is current.
   */
  watchVersion(): vscode.Disposable[] {
    return [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.document !== vscode.window.activeTextEditor?.document || !LANGUAGES.includes(e.document.languageId))
          return;
        this.renderVersionSoon();
      }),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const doc = vscode.window.activeTextEditor?.document;
        if (!doc || !LANGUAGES.includes(doc.languageId)) return;
        const uri = doc.uri.toString();
        if (e.uris.some((u) => u.toString() === uri)) this.renderVersionSoon();
      }),
      { dispose: () => this.versionTimer && clearTimeout(this.versionTimer) },
    ];
  }

  /** Re-renders when the active editor, its language or the settings change. */
  watchEditors(): vscode.Disposable[] {
    return [
      vscode.window.onDidChangeActiveTextEditor(() => this.render()),
      // A language change (content detection, the language picker) re-opens the document.
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (d === vscode.window.activeTextEditor?.document) this.render();
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('wslb')) this.render();
      }),
    ];
  }

  dispose(): void {
    this.status.dispose();
    this.versionItem.dispose();
  }
}
