/**
 * The "Simulate balancing" command: from a hover/CodeLens link (a URI and a pool name) or from the
 * active editor (the pool at the cursor, the only one, or one the user picks), opens the panel.
 */
import * as vscode from 'vscode';
import type { PoolItem, SimulateArgs } from '../../../server/src/lsp/protocol';
import { poolAt } from '../logic';
import type { SimulatorPanels } from '../simulatorPanel';
import { isOurs } from './documents';

/** The document and pool the command was asked for; undefined when it should not run. */
function target(args?: SimulateArgs): { uri: vscode.Uri; wanted?: string; cursor?: vscode.Position } | undefined {
  if (args && typeof args === 'object' && typeof args.uri === 'string')
    return { uri: vscode.Uri.parse(args.uri), wanted: typeof args.pool === 'string' ? args.pool : undefined };
  const editor = vscode.window.activeTextEditor;
  if (!editor || !isOurs(editor.document)) {
    void vscode.window.showInformationMessage(
      'wslb: open an nginx or HAProxy config, or a Terraform/CloudFormation file with AWS load balancers, to simulate one of its upstreams/backends/target groups.',
    );
    return undefined;
  }
  return { uri: editor.document.uri, cursor: editor.selection.active };
}

function describePool(p: PoolItem): string {
  return p.system === 'aws'
    ? `target group (a model of documented AWS behaviour), ${p.algorithm}, ${p.servers.length} placeholder target${p.servers.length === 1 ? '' : 's'}`
    : `${p.system === 'nginx' ? 'upstream' : 'backend'}, ${p.algorithm}, ${p.servers.length} server${p.servers.length === 1 ? '' : 's'}`;
}

export function simulateCommand(
  panels: SimulatorPanels,
  requestPools: (uri: vscode.Uri) => Promise<PoolItem[]>,
): (args?: SimulateArgs) => Promise<void> {
  return async (args) => {
    const t = target(args);
    if (!t) return;
    const { uri, wanted, cursor } = t;
    let pools: PoolItem[];
    try {
      pools = await requestPools(uri);
    } catch (e) {
      void vscode.window.showErrorMessage(`wslb: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const usable = pools.filter((p) => Array.isArray(p.servers));
    let pool = wanted !== undefined ? usable.find((p) => p.name === wanted) : poolAt(usable, cursor);
    if (!pool && wanted === undefined && usable.length === 1) pool = usable[0];
    if (!pool && usable.length) {
      const pick = await vscode.window.showQuickPick(
        usable.map((p) => ({
          label: p.name,
          description: describePool(p),
          detail: `line ${p.nameRange.start.line + 1}`,
          pool: p,
        })),
        {
          title: 'Simulate balancing',
          placeHolder:
            wanted !== undefined ? `"${wanted}" not found; pick a pool` : 'Which upstream/backend/target group?',
        },
      );
      pool = pick?.pool;
      if (!pick) return;
    }
    if (!pool) {
      void vscode.window.showInformationMessage('wslb: no upstream, backend or target group in this file.');
      return;
    }
    panels.show(uri, pool);
  };
}
