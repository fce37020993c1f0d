/**
 * The webview's side of the messages with the extension (protocol.ts): the VS Code API object,
 * outgoing messages, and the incoming ones checked before they reach the panel.
 */
import type { SimPool } from '../../../server/src/service/simulate/types';
import { isPool } from './model';
import type { FromWebview, ToWebview } from './protocol';

export interface VsCodeApi {
  postMessage(message: FromWebview): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export function vscodeApi(): VsCodeApi {
  return acquireVsCodeApi();
}

export interface Incoming {
  /** A pool to show (first open, or its file changed). */
  init(uri: string | undefined, pool: SimPool): void;
  /** The answer to "Apply to config": the spec now in the config when it worked. */
  applied(ok: boolean, spec: string | undefined, message: string): void;
  /** The answer to an export. */
  exported(ok: boolean, message: string): void;
}

/** Listens for the extension's messages; anything malformed is ignored. */
export function listen(handlers: Incoming): void {
  window.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as ToWebview;
    if (!m || typeof m !== 'object') return;
    if (m.type === 'init' && isPool(m.pool)) handlers.init(typeof m.uri === 'string' ? m.uri : undefined, m.pool);
    else if (m.type === 'applied')
      handlers.applied(!!m.ok, typeof m.spec === 'string' ? m.spec : undefined, String(m.message ?? ''));
    else if (m.type === 'exported') handlers.exported(!!m.ok, String(m.message ?? ''));
  });
}
