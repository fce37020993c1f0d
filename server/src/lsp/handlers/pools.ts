/** The balancing pools of a document: code lenses, wslb/pools, wslb/algorithmEdit. */
import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { algorithmEdit, featuresOf, fileLineIndex } from '../../service/api';
import {
  AlgorithmEditRequest,
  PoolsRequest,
  type AlgorithmEditResult,
  SIMULATE_COMMAND,
  type PoolItem,
  type SimulateArgs,
} from '../protocol';
import type { ServerState } from '../state';

export function registerPools(s: ServerState): void {
  const { connection } = s;
  connection.onCodeLens(s.guard('codeLens', [], (p) => codeLenses(s, p)));
  connection.onRequest(
    PoolsRequest,
    s.guard('wslb/pools', { pools: [] }, (p) => {
      const d = s.featureDoc(p.uri);
      if (!d) return { pools: [] };
      const idx = fileLineIndex(d, d.path);
      const pools: PoolItem[] = featuresOf(d.language)
        .pools(d)
        .map((info) => ({
          ...info.pool,
          uri: p.uri,
          range: idx.rangeOf(info.span),
          nameRange: idx.rangeOf(info.nameSpan),
          algorithmRange: info.algorithmSpan ? idx.rangeOf(info.algorithmSpan) : undefined,
        }));
      return { pools };
    }),
  );
  connection.onRequest(
    AlgorithmEditRequest,
    s.guard(
      'wslb/algorithmEdit',
      { error: 'the language server failed to build the edit' },
      (p): AlgorithmEditResult => {
        const d = s.featureDoc(p.uri);
        if (!d) return { missing: true };
        const result = algorithmEdit(d, p.pool, p.algorithm);
        if (!('edits' in result)) return result;
        const idx = fileLineIndex(d, d.path);
        return { edits: result.edits.map((e) => ({ range: idx.rangeOf(e.span), newText: e.newText })) };
      },
    ),
  );
}

function codeLenses(s: ServerState, p: CodeLensParams): CodeLens[] {
  const d = s.featureDoc(p.textDocument.uri);
  if (!d) return [];
  const mode = s.project.settings.codeLens;
  if (mode === 'off') return [];
  const idx = fileLineIndex(d, d.path);
  const features = featuresOf(d.language);
  const pools = features.pools(d).filter((info) => mode === 'all' || info.webSocket);
  return pools.map((info) => ({
    range: idx.rangeOf(info.nameSpan),
    command: {
      title: features.lensTitle(info),
      command: SIMULATE_COMMAND,
      arguments: [{ uri: p.textDocument.uri, pool: info.pool.name } satisfies SimulateArgs],
    },
  }));
}
