/**
 * The wslb language server's own protocol: settings and custom requests, shared with the client.
 *
 * Settings (section "wslb", read with workspace/configuration, re-read on
 * workspace/didChangeConfiguration; clients without workspace/configuration may send them in
 * `initializationOptions.settings` or in the didChangeConfiguration payload):
 *   wslb.heartbeat        string  "30s"     the application's WebSocket ping interval
 *   wslb.nginxVersion     string  "1.22.1"  target nginx version
 *   wslb.haproxyVersion   string  "2.6.12"  target HAProxy version
 *   wslb.rules            object  {}        rule id → "off" | "error" | "warning" | "info" | "hint"
 *   wslb.checkWorkspace   boolean true      check workspace files that are not open
 *   wslb.debounceMs       number  150       delay between the last keystroke and a re-check
 *   wslb.followOutsideIncludes boolean true  read nginx includes that lead outside the workspace
 *                                            folders (false: a finding says each was not followed)
 *   wslb.trace.server     string  "off"     "off" | "messages" | "verbose" (handled by the client library)
 *
 * Custom requests:
 *   wslb/pools  { uri } → { pools: PoolItem[] }
 *     The upstreams (nginx) or backends/listens (HAProxy) written in the document, each as the
 *     simulator's SimPool plus where it is. The simulator panel and CodeLenses use it.
 *   wslb/algorithmEdit  { uri, pool, algorithm } → { edits: TextEdit[] } | { error } | { missing: true }
 *     The edits that switch the pool named `pool` of the document to `algorithm` (the CLI's
 *     spelling, `wslb simulate --algorithm`); the simulator panel's "Apply to config" applies them.
 *
 * CodeLens: above every upstream/backend/listen, command `wslb.simulate` with one argument
 * `{ uri, pool }` (the client opens the simulator on that pool).
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { Range, TextEdit } from 'vscode-languageserver-protocol';
import type { SimPool } from '../service/simulate/types';

export interface WslbSettings {
  heartbeat: string;
  nginxVersion: string;
  haproxyVersion: string;
  rules: Record<string, string>;
  checkWorkspace: boolean;
  debounceMs: number;
  followOutsideIncludes: boolean;
  trace: { server: 'off' | 'messages' | 'verbose' };
}

export const DEFAULT_SETTINGS: WslbSettings = {
  heartbeat: '30s',
  nginxVersion: '1.22.1',
  haproxyVersion: '2.6.12',
  rules: {},
  checkWorkspace: true,
  debounceMs: 150,
  followOutsideIncludes: true,
  trace: { server: 'off' },
};

export interface PoolsParams {
  uri: string;
}

export interface PoolItem extends SimPool {
  /** The document the pool is written in. */
  uri: string;
  /** The whole upstream block / backend section. */
  range: Range;
  /** The pool's name in its header. */
  nameRange: Range;
  /** The line that selects the algorithm (absent when the default applies). */
  algorithmRange?: Range;
}

export interface PoolsResult {
  pools: PoolItem[];
}

export const PoolsRequest = new RequestType<PoolsParams, PoolsResult, void>('wslb/pools');

export interface AlgorithmEditParams {
  uri: string;
  /** The pool's name (PoolItem.name). */
  pool: string;
  /** The algorithm to switch to, e.g. `least_conn`, `hash $remote_addr consistent`, `leastconn`. */
  algorithm: string;
}

/** The edits (none: the pool already uses it), why there are none, or that the pool is gone. */
export type AlgorithmEditResult = { edits: TextEdit[] } | { error: string } | { missing: true };

export const AlgorithmEditRequest = new RequestType<AlgorithmEditParams, AlgorithmEditResult, void>(
  'wslb/algorithmEdit',
);

/** Command id of the CodeLens above each pool; its single argument is SimulateArgs. */
export const SIMULATE_COMMAND = 'wslb.simulate';

export interface SimulateArgs {
  uri: string;
  pool: string;
}

/** Command id of the "Explain rule" links in hovers; its single argument is a rule or check id. */
export const EXPLAIN_COMMAND = 'wslb.explainRule';

export interface ExplainParams {
  id: string;
}

/** A rule's page (what, why, fix, versions, proof) as Markdown, or null for an unknown id. */
export const ExplainRequest = new RequestType<ExplainParams, { markdown: string } | null, void>('wslb/explain');

/** The code action kind of "Fix all safe wslb problems in this file". */
export const FIX_ALL_KIND = 'source.fixAll.wslb';

/** Documents larger than this are not analysed (an information diagnostic says so). */
export const MAX_ANALYZED_CHARS = 4 * 1024 * 1024;
