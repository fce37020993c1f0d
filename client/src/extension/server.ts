/**
 * The language server over IPC: started with the first nginx/HAProxy/AWS document (or command),
 * restarted after a crash within a budget, quiet while the window closes. Requests the other
 * parts of the extension make go through here.
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type Middleware,
  type ServerOptions,
} from 'vscode-languageclient/node';
import {
  EXPLAIN_COMMAND,
  ExplainRequest,
  PoolsRequest,
  AlgorithmEditRequest,
  SIMULATE_COMMAND,
  VersionRequest,
  type PoolItem,
  type VersionInfo,
} from '../../../server/src/lsp/protocol';
import type { AlgorithmEditSource } from '../simulatorPanel';
import { isShutdownError, restartBudget } from '../logic';
import { LANGUAGES, type StatusItems } from './status';

export class WslbServer {
  readonly client: LanguageClient;
  private readonly budget = restartBudget({ maxRestarts: 4, windowMs: 3 * 60_000 });
  private starting: Promise<void> | undefined;
  /** Set when the extension host starts deactivating (a window reload or close). */
  private shuttingDown = false;

  constructor(
    context: vscode.ExtensionContext,
    private readonly output: vscode.LogOutputChannel,
    private readonly status: StatusItems,
  ) {
    const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server', 'server.js').fsPath;
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
    };
    this.client = new LanguageClient('wslb', 'wslb', serverOptions, this.clientOptions());
    context.subscriptions.push(
      this.client.onDidChangeState((e) => {
        if (e.newState === State.Running) status.serverState = 'ready';
        else if (e.newState === State.Starting) status.serverState = 'starting';
        else status.serverState = status.serverState === 'error' ? 'error' : 'stopped';
      }),
    );
  }

  private log(s: string): void {
    this.output.info(s);
  }

  private clientOptions(): LanguageClientOptions {
    return {
      // Every scheme (file, untitled, virtual file systems): the server takes the text from the protocol.
      // Terraform/CloudFormation documents go to the server too; it analyses only those that declare
      // ALB/NLB resources (no language is claimed or changed for them).
      documentSelector: [
        ...LANGUAGES.map((language) => ({ language })),
        { language: 'terraform' },
        { language: 'yaml' },
        { language: 'json' },
        { language: 'plaintext', pattern: '**/*.{tf,template}' },
      ],
      outputChannel: this.output,
      // The hovers' command links: Simulate balancing and Explain rule (no other command runs from them).
      markdown: { isTrusted: { enabledCommands: [SIMULATE_COMMAND, EXPLAIN_COMMAND] } },
      // ruleLinks: the codes of diagnostics link to wslb-rule: pages, which this extension shows.
      initializationOptions: { settings: { wslb: vscode.workspace.getConfiguration('wslb') }, ruleLinks: 'editor' },
      middleware: this.quietOnShutdown(),
      errorHandler: {
        error: (error, _message, count) => {
          this.log(`connection error (${count ?? 1}): ${error.message}`);
          return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
        },
        closed: () => {
          if (this.budget.allow(Date.now())) {
            this.log('the language server stopped; restarting it');
            return { action: CloseAction.Restart, handled: true };
          }
          this.status.serverState = 'error';
          return {
            action: CloseAction.DoNotRestart,
            message:
              'The wslb language server crashed 5 times in 3 minutes and will not be restarted. Run "WebSocket LB Doctor: Restart language server" after checking the output.',
          };
        },
      },
    };
  }

  /**
   * Requests VS Code makes while the window reloads or closes (code actions, CodeLenses, hovers of
   * the editors being torn down) reach a client that is stopping or a server whose channel has
   * closed: they get the empty answer instead of an error (which the extension host would log as
   * "provider FAILED" with a stack trace). Any other error still goes through.
   */
  private quietOnShutdown(): Middleware {
    const wrap =
      (empty: unknown) =>
      async (...args: unknown[]): Promise<unknown> => {
        const next = args.pop() as (...a: unknown[]) => unknown;
        if (this.shuttingDown) return empty;
        try {
          return await next(...args);
        } catch (e) {
          if (this.shuttingDown || !this.client.isRunning() || isShutdownError(e)) return empty;
          throw e;
        }
      };
    return {
      provideCodeActions: wrap([]),
      resolveCodeAction: wrap(undefined),
      provideCodeLenses: wrap([]),
      provideHover: wrap(undefined),
      provideDocumentSymbols: wrap([]),
      provideFoldingRanges: wrap([]),
      provideCompletionItem: wrap([]),
      resolveCompletionItem: wrap(undefined),
      provideDefinition: wrap(undefined),
      provideReferences: wrap([]),
      provideWorkspaceSymbols: wrap([]),
    } as unknown as Middleware;
  }

  /** Whether a start was asked for. */
  get started(): boolean {
    return this.starting !== undefined;
  }

  /**
   * The server starts with the first nginx/HAProxy document (or command): activation by a
   * .conf/.cfg opened as "properties" (for content detection) alone does not start it.
   */
  ensureStarted(): Promise<void> {
    if (this.starting) return this.starting;
    this.status.serverState = 'starting';
    this.starting = this.client.start().then(
      () => this.log('language server ready'),
      (e) => {
        this.status.serverState = 'error';
        this.log(`the language server did not start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      },
    );
    return this.starting;
  }

  /** The "Restart language server" command: a new crash budget, then start or restart. */
  async restart(): Promise<void> {
    if (this.shuttingDown) return;
    this.budget.reset();
    if (!this.starting) {
      await this.ensureStarted();
      return;
    }
    this.status.serverState = 'starting';
    try {
      await this.client.restart();
      this.log('language server restarted');
    } catch (e) {
      this.status.serverState = 'error';
      this.log(`restart failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** The version a document is checked for; null while the server is not running. */
  async requestVersion(doc: vscode.TextDocument): Promise<VersionInfo | null> {
    if (this.shuttingDown || this.client.state !== State.Running) return null;
    return this.client.sendRequest(VersionRequest, { uri: this.client.code2ProtocolConverter.asUri(doc.uri) });
  }

  /** Starts the server if needed; throws when it is not running. */
  private async running(): Promise<LanguageClient> {
    await this.ensureStarted();
    if (this.shuttingDown || this.client.state !== State.Running)
      throw new Error('the wslb language server is not running');
    return this.client;
  }

  readonly requestPools = async (uri: vscode.Uri): Promise<PoolItem[]> => {
    const client = await this.running();
    const r = await client.sendRequest(PoolsRequest, { uri: client.code2ProtocolConverter.asUri(uri) });
    return Array.isArray(r?.pools) ? r.pools : [];
  };

  readonly ruleMarkdown = async (id: string): Promise<string | undefined> =>
    (await (await this.running()).sendRequest(ExplainRequest, { id }))?.markdown;

  readonly requestAlgorithmEdit: AlgorithmEditSource = async (uri, params) => {
    const client = await this.running();
    return client.sendRequest(AlgorithmEditRequest, { uri: client.code2ProtocolConverter.asUri(uri), ...params });
  };

  /** Deactivation: requests from now on get empty answers; the server gets 2 s to exit. */
  async stop(): Promise<void> {
    this.shuttingDown = true;
    await this.client.stop(2000).catch(() => undefined);
  }
}
