/** The smaller commands: a rule's page, the sample config, checking the workspace. */
import * as vscode from 'vscode';
import { settingDefault } from '../../../common/settings';
import { RULE_PAGE_VIEW, pickRule, ruleUriOf } from '../rulePage';
import { SAMPLE_NGINX } from '../sample';

/**
 * A rule's page, offline (the hovers' "Explain rule" link, the "Show documentation" action, the
 * palette, where it asks which rule).
 */
export function explainRuleCommand(context: vscode.ExtensionContext): (id?: string) => Promise<void> {
  return async (id) => {
    const rule = typeof id === 'string' ? id : await pickRule(context.extension.packageJSON);
    if (!rule) return;
    await vscode.commands.executeCommand('vscode.openWith', ruleUriOf(rule), RULE_PAGE_VIEW, {
      viewColumn: vscode.ViewColumn.Beside,
      preview: true,
    });
  };
}

export async function openSample(): Promise<void> {
  const doc = await vscode.workspace.openTextDocument({ language: 'nginx', content: SAMPLE_NGINX });
  await vscode.window.showTextDocument(doc);
}

/** Offers to turn on wslb.checkWorkspace, then shows the Problems view. */
export function checkWorkspaceCommand(ensureStarted: () => Promise<void>): () => Promise<void> {
  return async () => {
    if (!vscode.workspace.getConfiguration('wslb').get<boolean>('checkWorkspace', settingDefault('checkWorkspace'))) {
      const on = 'Turn on wslb.checkWorkspace';
      const pick = await vscode.window.showInformationMessage(
        'wslb checks only open files: the setting wslb.checkWorkspace is off.',
        on,
      );
      if (pick !== on) return;
      await vscode.workspace
        .getConfiguration('wslb')
        .update('checkWorkspace', true, vscode.ConfigurationTarget.Workspace);
    }
    await ensureStarted();
    await vscode.commands.executeCommand('workbench.actions.view.problems');
  };
}
