/**
 * A real LSP client for the protocol tests: spawns the BUILT server over stdio and speaks
 * JSON-RPC to it with vscode-languageserver-protocol, as an editor would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import type {
  Diagnostic,
  PublishDiagnosticsParams,
  InitializeParams,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';

export const REPO = path.resolve(__dirname, '..', '..');
export const SERVER = path.join(REPO, 'dist', 'server', 'server.js');

export interface TestClientOptions {
  settings?: Record<string, unknown>;
  workspaceFolder?: string;
  /** Several workspace folders (a multi-root workspace); replaces workspaceFolder. */
  workspaceFolders?: string[];
  /** Advertise codeAction resolve support (VS Code does). */
  resolveCodeActions?: boolean;
  /** Declare `workspace.applyEdit` and apply (record) the edits the server sends. */
  applyEdit?: boolean;
  /** Advertise LSP 3.18 snippet edits in workspace edits (as vscode-languageclient does). */
  snippetEdits?: boolean;
  /** The server process's environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Node options for the server process (e.g. `--expose-gc`). */
  nodeArgs?: string[];
  /** The `workspace` client capabilities to declare instead of the full set VS Code declares. */
  workspaceCapabilities?: Record<string, unknown>;
  /** initializationOptions besides the settings (e.g. ruleLinks, lsp/protocol.ts). */
  initializationOptions?: Record<string, unknown>;
  /** Advertise workspace/codeLens/refresh support (VS Code does). */
  codeLensRefresh?: boolean;
  /** Answer `workspace/configuration` only after this many milliseconds (a slow client). */
  configurationDelayMs?: number;
}

export class TestClient {
  readonly proc: ChildProcess;
  readonly conn: ProtocolConnection;
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  /** Every publish, in order (for storm tests). */
  readonly publishes: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  /** How many `workspace/configuration` requests the server made. */
  configurationRequests = 0;
  private waiters: { check: () => boolean; resolve: () => void }[] = [];
  private versions = new Map<string, number>();
  settings: Record<string, unknown>;
  /**
   * Settings of one workspace folder (by its path) over `settings`: what a `workspace/configuration`
   * item scoped to that folder gets, as VS Code answers with the folder's .vscode/settings.json.
   */
  folderSettings = new Map<string, Record<string, unknown>>();
  /** workspace/codeLens/refresh requests received. */
  codeLensRefreshes = 0;
  /** The edits the server asked the client to apply (workspace/applyEdit), in order. */
  readonly appliedEdits: WorkspaceEdit[] = [];

  constructor(private readonly options: TestClientOptions = {}) {
    this.settings = { debounceMs: 20, checkWorkspace: false, ...(options.settings ?? {}) };
    this.proc = spawn(process.execPath, [...(options.nodeArgs ?? []), SERVER, '--stdio'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(options.env ? { env: options.env } : {}),
    });
    this.proc.stderr!.on('data', (d) => this.logs.push(String(d)));
    this.conn = createProtocolConnection(
      new StreamMessageReader(this.proc.stdout!),
      new StreamMessageWriter(this.proc.stdin!),
    );
    this.conn.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      this.diagnostics.set(p.uri, p);
      this.publishes.push(p);
      this.poke();
    });
    this.conn.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
    });
    this.conn.onRequest('workspace/configuration', async (p: { items: { section?: string; scopeUri?: string }[] }) => {
      this.configurationRequests++;
      if (options.configurationDelayMs) await new Promise((r) => setTimeout(r, options.configurationDelayMs));
      return p.items.map((item) => {
        const folder = [...this.folderSettings.keys()].find((f) => pathToFileURL(f).href === item.scopeUri);
        return folder ? { ...this.settings, ...this.folderSettings.get(folder) } : this.settings;
      });
    });
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.onRequest('workspace/codeLens/refresh', () => {
      this.codeLensRefreshes++;
      this.poke();
      return null;
    });
    this.conn.onRequest('window/workDoneProgress/create', () => null);
    this.conn.onRequest('workspace/applyEdit', (p: { edit: WorkspaceEdit }) => {
      this.appliedEdits.push(p.edit);
      return { applied: true };
    });
    this.conn.listen();
  }

  async initialize(): Promise<void> {
    const folders =
      this.options.workspaceFolders ?? (this.options.workspaceFolder ? [this.options.workspaceFolder] : []);
    const params: InitializeParams = {
      processId: process.pid,
      rootUri: folders.length ? pathToFileURL(folders[0]).href : null,
      workspaceFolders: folders.length
        ? folders.map((f, i) => ({ uri: pathToFileURL(f).href, name: i === 0 ? 'ws' : `ws${i + 1}` }))
        : null,
      initializationOptions: this.options.initializationOptions,
      capabilities: {
        workspace: this.options.workspaceCapabilities ?? {
          ...(this.options.codeLensRefresh ? { codeLens: { refreshSupport: true } } : {}),
          configuration: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceFolders: true,
          ...(this.options.snippetEdits ? { workspaceEdit: { snippetEditSupport: true } } : {}),
          ...(this.options.applyEdit ? { applyEdit: true } : {}),
        },
        textDocument: {
          synchronization: { dynamicRegistration: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true, codeDescriptionSupport: true },
          codeAction: this.options.resolveCodeActions
            ? {
                codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } },
                resolveSupport: { properties: ['edit'] },
              }
            : { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
          hover: { contentFormat: ['markdown'] },
          completion: { completionItem: { snippetSupport: false } },
          rename: { prepareSupport: true },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
        },
      },
    };
    await this.conn.sendRequest('initialize', params);
    await this.conn.sendNotification('initialized', {});
  }

  open(uri: string, languageId: string, text: string): void {
    this.versions.set(uri, 1);
    void this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Replace the whole text (as one incremental change covering everything). */
  replace(uri: string, text: string, oldText: string): number {
    const lines = oldText.split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
    return this.change(uri, [{ range: { start: { line: 0, character: 0 }, end }, text }]);
  }

  change(
    uri: string,
    changes: {
      range?: { start: { line: number; character: number }; end: { line: number; character: number } };
      text: string;
    }[],
  ): number {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    void this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: changes,
    });
    return v;
  }

  close(uri: string): void {
    void this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.conn.sendRequest<R>(method, params);
  }

  /** Wait until the latest diagnostics of `uri` satisfy `pred` (default: any publish for it). */
  waitDiagnostics(
    uri: string,
    pred: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<Diagnostic[]> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const p = this.diagnostics.get(uri);
        return !!p && pred(p.diagnostics, p);
      };
      if (check()) return resolve(this.diagnostics.get(uri)!.diagnostics);
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w.check !== check);
        const last = this.diagnostics.get(uri);
        reject(
          new Error(
            `timed out waiting for diagnostics of ${uri}; last: ${JSON.stringify(last?.diagnostics.map((d) => [d.code, d.range.start.line, d.message]) ?? null)}\nserver log:\n${this.logs.join('\n').slice(-3000)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push({
        check,
        resolve: () => (clearTimeout(timer), resolve(this.diagnostics.get(uri)!.diagnostics)),
      });
    });
  }

  private poke(): void {
    const still: typeof this.waiters = [];
    for (const w of this.waiters) {
      if (w.check()) w.resolve();
      else still.push(w);
    }
    this.waiters = still;
  }

  async stop(): Promise<void> {
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      void this.conn.sendNotification('exit');
    } catch {
      // already gone
    }
    this.conn.dispose();
    await new Promise<void>((resolve) => {
      if (this.proc.exitCode !== null) return resolve();
      const t = setTimeout(() => {
        this.proc.kill('SIGKILL');
        resolve();
      }, 2000);
      this.proc.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

export function fileUri(p: string): string {
  return pathToFileURL(p).href;
}

/** Apply LSP text edits to a text (edits must not overlap). */
export function applyTextEdits(
  text: string,
  edits: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    newText: string;
  }[],
): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const off = (p: { line: number; character: number }) =>
    p.line >= starts.length ? text.length : Math.min(starts[p.line] + p.character, text.length);
  const sorted = edits
    .map((e) => ({ s: off(e.range.start), e: off(e.range.end), t: e.newText }))
    .sort((a, b) => b.s - a.s || b.e - a.e);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.s) + e.t + out.slice(e.e);
  return out;
}
