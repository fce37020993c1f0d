/** Settings (window and per folder) and workspace folders. */
import { CodeLensRefreshRequest, type DidChangeConfigurationParams } from 'vscode-languageserver/node';
import { normalizeSettings } from '../project';
import type { ServerState } from '../state';
import { recheckAll } from './diagnostics';
import { startBackgroundCheck } from './background';

export async function refreshSettings(s: ServerState, payload?: unknown): Promise<void> {
  let raw: unknown = undefined;
  if (s.client.configuration) {
    try {
      raw = await s.connection.workspace.getConfiguration('wslb');
    } catch (e) {
      s.logError('workspace/configuration', e);
    }
  }
  if (raw === undefined || raw === null) {
    const p = payload as { settings?: { wslb?: unknown } } | undefined;
    raw = p?.settings?.wslb ?? (s.initSettings as { wslb?: unknown } | undefined)?.wslb ?? s.initSettings;
  }
  s.project.setSettings(normalizeSettings(raw));
  await refreshFolderVersions(s);
}

/**
 * `wslb.nginxVersion` and `wslb.haproxyVersion` of each workspace folder (resource-scoped: a
 * folder of a multi-root workspace, or its .vscode/settings.json, may set its own), asked with the
 * folder as scope. A client that cannot be asked keeps the window's versions everywhere.
 */
async function refreshFolderVersions(s: ServerState): Promise<void> {
  const { project } = s;
  if (!s.client.configuration || s.workspaceRoots.length === 0) {
    project.setFolderVersions(undefined);
    return;
  }
  const folders = [...s.workspaceRoots];
  try {
    const raw = (await s.connection.workspace.getConfiguration(
      folders.map((f) => ({ scopeUri: project.paths.toUri(f), section: 'wslb' })),
    )) as unknown[];
    const versions = new Map<string, { nginxVersion: string; haproxyVersion: string }>();
    folders.forEach((f, i) => {
      const v = normalizeSettings(raw[i]);
      versions.set(f, { nginxVersion: v.nginxVersion, haproxyVersion: v.haproxyVersion });
    });
    project.setFolderVersions(versions);
  } catch (e) {
    s.logError('workspace/configuration (per folder)', e);
    project.setFolderVersions(undefined);
  }
}

export function configurationChanged(s: ServerState, change: DidChangeConfigurationParams): void {
  const lens = s.project.settings.codeLens;
  void refreshSettings(s, change).then(() => {
    if (s.client.codeLensRefresh && s.project.settings.codeLens !== lens)
      void s.connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    // Re-check everything with the new settings.
    recheckAll(s, true);
    startBackgroundCheck(s);
  });
}

/**
 * Only a client that declares workspace folders sends their changes: the library throws for the
 * others (Neovim's simpler setups), and the settings and the background check must not depend on
 * it (issue 23).
 */
export function watchWorkspaceFolders(s: ServerState): void {
  s.connection.workspace.onDidChangeWorkspaceFolders((e) => {
    const { paths } = s.project;
    for (const f of e.removed) s.workspaceRoots = s.workspaceRoots.filter((r) => r !== paths.toPath(f.uri));
    for (const f of e.added) s.workspaceRoots.push(paths.toPath(f.uri));
    s.project.workspaceFolders = s.workspaceRoots;
    // a folder's own versions: re-check what it holds with them
    void refreshFolderVersions(s).then(() => {
      recheckAll(s, false);
      startBackgroundCheck(s);
    });
  });
}
