/**
 * The wslb VS Code extension: starts the language server over IPC, shows its state in the status
 * bar, recognises nginx/HAProxy files by content, and opens the "Simulate balancing" panel.
 * Terraform/CloudFormation files keep their own language; only those that declare AWS load
 * balancers start the server (decided by content, client/src/logic.ts isAwsDocument).
 *
 * Restricted Mode: nothing here executes workspace content; the server only reads files, so the
 * extension declares full support for untrusted workspaces. Virtual workspaces: open documents
 * are sent to the server over the protocol and checked; what needs the file system (includes,
 * background checking of unopened files) only works for file: URIs.
 *
 * This file only creates the parts (client/src/extension/) and registers them.
 */
import * as vscode from 'vscode';
import { EXPLAIN_COMMAND, FIX_ALL_KIND, SIMULATE_COMMAND, type SimulateArgs } from '../../server/src/lsp/protocol';
import { SimulatorPanels } from './simulatorPanel';
import { VIEW_TYPE } from './webview/protocol';
import { RULE_PAGE_VIEW, RULE_SCHEME, RulePageEditor, RulePageFileSystem } from './rulePage';
import { checkWorkspaceCommand, explainRuleCommand, openSample } from './extension/commands';
import { detectContent, startForDocuments } from './extension/documents';
import { WslbServer } from './extension/server';
import { simulateCommand } from './extension/simulate';
import { StatusItems } from './extension/status';
import { pickVersionCommand } from './extension/versionPicker';

let server: WslbServer | undefined;

export function activate(context: vscode.ExtensionContext): void {
  const output = vscode.window.createOutputChannel('wslb', { log: true });
  const log = (s: string) => output.info(s);
  const status = new StatusItems((doc) => (server ? server.requestVersion(doc) : Promise.resolve(null)));
  context.subscriptions.push(output, status, ...status.watchVersion());
  status.render();

  const wslb = (server = new WslbServer(context, output, status));
  context.subscriptions.push(...startForDocuments(wslb));

  // ---- rule pages (wslb-rule: URIs, see rulePage.ts) ----
  const ruleFs = new RulePageFileSystem(wslb.ruleMarkdown);
  context.subscriptions.push(
    ruleFs,
    vscode.workspace.registerFileSystemProvider(RULE_SCHEME, ruleFs, { isReadonly: true, isCaseSensitive: true }),
    vscode.window.registerCustomEditorProvider(RULE_PAGE_VIEW, new RulePageEditor(wslb.ruleMarkdown), {
      supportsMultipleEditorsPerDocument: true,
    }),
  );

  // ---- simulator ----
  const panels = new SimulatorPanels(context, wslb.requestPools, wslb.requestAlgorithmEdit, log);
  context.subscriptions.push(panels, vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, panels));
  const simulate = simulateCommand(panels, wslb.requestPools);

  context.subscriptions.push(
    vscode.commands.registerCommand(SIMULATE_COMMAND, (args?: SimulateArgs) => simulate(args)),
    vscode.commands.registerCommand('wslb.showOutput', () => output.show(true)),
    vscode.commands.registerCommand(
      'wslb.pickVersion',
      pickVersionCommand(wslb, () => status.renderVersion()),
    ),
    vscode.commands.registerCommand(EXPLAIN_COMMAND, explainRuleCommand(context)),
    vscode.commands.registerCommand('wslb.openSample', openSample),
    vscode.commands.registerCommand(
      'wslb.checkWorkspace',
      checkWorkspaceCommand(() => wslb.ensureStarted()),
    ),
    // The server's source.fixAll.wslb action, applied at once (the same as fix-on-save).
    vscode.commands.registerCommand('wslb.fixAll', () =>
      vscode.commands.executeCommand('editor.action.sourceAction', { kind: FIX_ALL_KIND, apply: 'first' }),
    ),
    vscode.commands.registerCommand('wslb.restartServer', () => wslb.restart()),
    ...status.watchEditors(),
  );

  // ---- content detection for .conf / .cfg files no other extension claimed ----
  context.subscriptions.push(detectContent(log));
}

export async function deactivate(): Promise<void> {
  const s = server;
  server = undefined;
  if (s) await s.stop();
}
