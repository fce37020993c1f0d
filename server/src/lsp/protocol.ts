/**
 * The wslb language server's own protocol: settings and custom requests, shared with the client.
 *
 * Settings (section "wslb", read with workspace/configuration, re-read on
 * workspace/didChangeConfiguration; clients without workspace/configuration may send them in
 * `initializationOptions.settings` or in the didChangeConfiguration payload): the table in
 * common/settings.ts (names, types, defaults, descriptions). The server reads all of them but
 * `wslb.detectContent` (the client's); `wslb.trace.server` is handled by the client library.
 *
 * Initialization options (besides `settings`):
 *   ruleLinks: 'editor'   the client opens rule pages itself: a diagnostic's code links to a
 *                         `wslb-rule:` URI (ruleUri) and each finding gets a "Show documentation
 *                         for <rule>" action running EXPLAIN_COMMAND; otherwise the code links to
 *                         docs/rules.md on the web and no such action is offered.
 *
 * Custom requests:
 *   wslb/pools  { uri } → { pools: PoolItem[] }
 *     The upstreams (nginx) or backends/listens (HAProxy) written in the document, each as the
 *     simulator's SimPool plus where it is. The simulator panel and CodeLenses use it.
 *   wslb/algorithmEdit  { uri, pool, algorithm } → { edits: TextEdit[] } | { error } | { missing: true }
 *     The edits that switch the pool named `pool` of the document to `algorithm` (the CLI's
 *     spelling, `wslb simulate --algorithm`); the simulator panel's "Apply to config" applies them.
 *
 *   wslb/version  { uri } → VersionInfo | null
 *     The nginx or HAProxy version the document is checked for (its root's, for an nginx include),
 *     where it comes from (a `# wslb: haproxy 3.0` comment, the setting, a pinned container image,
 *     the file name, the default) and the versions worth offering; null for other documents. The
 *     status-bar item and the "Pick the nginx/HAProxy version" command use it.
 *
 * CodeLens: above the upstreams/backends/target groups that carry WebSocket (`wslb.codeLens`:
 * 'websocket'; 'all' for every pool, 'off' for none), command `wslb.simulate` with one argument
 * `{ uri, pool }` (the client opens the simulator on that pool).
 */
import { RequestType } from 'vscode-languageserver-protocol';
import type { Range, TextEdit } from 'vscode-languageserver-protocol';
import type { SimPool } from '../service/simulate/types';
import type { VersionInfo } from '../service/version-info';
import { settingDefault, type CodeLensMode } from '../../../common/settings';

export interface WslbSettings {
  heartbeat: string;
  nginxVersion: string;
  haproxyVersion: string;
  rules: Record<string, string>;
  checkWorkspace: boolean;
  debounceMs: number;
  followOutsideIncludes: boolean;
  codeLens: CodeLensMode;
  trace: { server: 'off' | 'messages' | 'verbose' };
}

/** The defaults, from common/settings.ts. */
export const DEFAULT_SETTINGS: WslbSettings = {
  heartbeat: settingDefault('heartbeat'),
  nginxVersion: settingDefault('nginxVersion'),
  haproxyVersion: settingDefault('haproxyVersion'),
  rules: { ...settingDefault('rules') },
  checkWorkspace: settingDefault('checkWorkspace'),
  debounceMs: settingDefault('debounceMs'),
  followOutsideIncludes: settingDefault('followOutsideIncludes'),
  codeLens: settingDefault('codeLens'),
  trace: { server: settingDefault('trace.server') },
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

export type { VersionInfo, VersionSource } from '../service/version-info';

export interface VersionParams {
  uri: string;
}

export const VersionRequest = new RequestType<VersionParams, VersionInfo | null, void>('wslb/version');

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

/**
 * A rule's page inside the editor: `wslb-rule:/nginx/ws-http-version`. The VS Code client shows
 * these URIs (a diagnostic's code link, the "Show documentation" action) as the rendered rule page.
 */
export const RULE_SCHEME = 'wslb-rule';

export function ruleUri(id: string): string {
  return `${RULE_SCHEME}:/${id.split('/').map(encodeURIComponent).join('/')}`;
}

/** The rule id of a `wslb-rule:` URI's path (`/nginx/ws-http-version`), or undefined. */
export function ruleIdOfPath(path: string): string | undefined {
  const m = /^\/([a-z0-9-]+\/[a-z0-9-]+)$/i.exec(path);
  return m ? m[1] : undefined;
}

/** The code action kind of "Fix all safe wslb problems in this file". */
export const FIX_ALL_KIND = 'source.fixAll.wslb';

/** Documents larger than this are not analysed (an information diagnostic says so). */
export const MAX_ANALYZED_CHARS = 4 * 1024 * 1024;
