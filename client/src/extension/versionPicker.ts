/** The version picker: writes wslb.haproxyVersion / wslb.nginxVersion for the active file's workspace folder. */
import * as vscode from 'vscode';
import { SETTINGS } from '../../../common/settings';
import type { VersionInfo } from '../../../server/src/lsp/protocol';
import { versionInputError, versionPickWarning, versionPicks } from '../logic';
import { LANGUAGES } from './status';

interface VersionSource {
  ensureStarted(): Promise<void>;
  requestVersion(doc: vscode.TextDocument): Promise<VersionInfo | null>;
}

export function pickVersionCommand(server: VersionSource, rendered: () => Promise<void>): () => Promise<void> {
  return async () => {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc || !LANGUAGES.includes(doc.languageId)) {
      void vscode.window.showInformationMessage('wslb: open an nginx or HAProxy file to pick its version.');
      return;
    }
    await server.ensureStarted();
    const info = await server.requestVersion(doc).catch(() => null);
    if (!info) {
      void vscode.window.showWarningMessage('wslb: the language server did not say which version this file targets.');
      return;
    }
    const key = info.product === 'haproxy' ? 'haproxyVersion' : 'nginxVersion';
    const cfg = vscode.workspace.getConfiguration('wslb', doc.uri);
    const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
    const target = folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global;
    const inspected = cfg.inspect<string>(key);
    const settingSet = (folder ? inspected?.workspaceFolderValue : inspected?.globalValue) !== undefined;
    const where = folder ? `the workspace folder ${folder.name}` : 'your user settings';
    const chosen = await vscode.window.showQuickPick(versionPicks(info, settingSet), {
      title: `wslb.${key} for ${where}`,
      placeHolder: versionPickWarning(info) ?? `In effect: ${info.version} (${info.from})`,
    });
    if (!chosen) return;
    let value = chosen.action === 'set' ? chosen.version : undefined;
    if (chosen.action === 'other') {
      const typed = await vscode.window.showInputBox({
        title: `wslb.${key} for ${where}`,
        prompt: `The ${info.product === 'haproxy' ? 'HAProxy' : 'nginx'} version your config runs on`,
        value: info.version,
        validateInput: (v) => versionInputError(v, SETTINGS[key].pattern),
      });
      if (typed === undefined) return;
      value = typed.trim();
    }
    await cfg.update(key, value, target); // undefined clears it
    void rendered();
  };
}
