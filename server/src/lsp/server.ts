/**
 * The wslb language server: `startServer(connection)` makes the server's state (lsp/state.ts),
 * declares the capabilities and wires the handlers (lsp/handlers/), each a few lines over the
 * language features (service/api.ts) and the LSP conversions (lsp/convert.ts).
 * See lsp/protocol.ts for the settings and the custom requests.
 */
import {
  CodeActionKind,
  DidChangeConfigurationNotification,
  DidChangeWatchedFilesNotification,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { normalizeSettings } from './project';
import { FIX_ALL_KIND } from './protocol';
import { ServerState } from './state';
import { initAwsParsers } from '../service';
import { recheckAll, scheduleDocument } from './handlers/diagnostics';
import { registerDocuments } from './handlers/documents';
import { configurationChanged, refreshSettings, watchWorkspaceFolders } from './handlers/settings';
import { startBackgroundCheck } from './handlers/background';
import { registerHover } from './handlers/hover';
import { registerCompletion } from './handlers/completion';
import { registerSymbols } from './handlers/symbols';
import { registerNavigation } from './handlers/navigation';
import { registerPools } from './handlers/pools';
import { registerRequests } from './handlers/requests';
import { FIX_ALL_COMMAND, registerActions } from './handlers/actions';

export function startServer(connection: Connection): ServerState {
  const s = new ServerState(connection);
  // The Terraform grammar is WebAssembly and loads asynchronously. Analyses of .tf files wait for
  // it; once it is there, open AWS documents are checked (the background check waits for it too).
  const awsReady: Promise<void> = initAwsParsers()
    .then(() => {
      for (const [path, doc] of s.openByPath) if (s.ourLanguage(doc) === 'aws') scheduleDocument(s, path, 0);
    })
    .catch((e) => s.logError('loading the Terraform grammar (AWS checks of .tf files are off)', e));

  connection.onInitialize((p) => initialize(s, p));
  connection.onInitialized(() => {
    registerWatchers(s);
    if (s.client.workspaceFolders) watchWorkspaceFolders(s);
    const settings = refreshSettings(s).finally(() => {
      // what was checked before the settings were known is checked again, and published now
      s.settingsRead = true;
      recheckAll(s, true);
    });
    void Promise.all([settings, awsReady]).then(() => startBackgroundCheck(s));
  });
  connection.onDidChangeConfiguration((change) => configurationChanged(s, change));
  registerDocuments(s);
  registerNavigation(s);
  registerSymbols(s);
  registerPools(s);
  registerRequests(s);
  registerHover(s);
  registerCompletion(s);
  registerActions(s);
  connection.onShutdown(() => s.scheduler.dispose());

  process.on('uncaughtException', (e) => s.logError('uncaught', e));
  process.on('unhandledRejection', (e) => s.logError('unhandled rejection', e));
  s.documents.listen(connection);
  connection.listen();
  return s;
}

function initialize(s: ServerState, params: InitializeParams): InitializeResult {
  const caps = params.capabilities;
  s.client = {
    configuration: !!caps.workspace?.configuration,
    watchedFilesDynamic: !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration,
    workspaceFolders: !!caps.workspace?.workspaceFolders,
    codeActionResolve: !!caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit'),
    appliesEdits: !!caps.workspace?.applyEdit,
    codeLensRefresh: !!caps.workspace?.codeLens?.refreshSupport,
    snippetEdits: !!caps.workspace?.workspaceEdit?.snippetEditSupport,
  };
  const opts = params.initializationOptions as { settings?: unknown; ruleLinks?: unknown } | undefined;
  s.initSettings = opts?.settings;
  s.ruleLinks = opts?.ruleLinks === 'editor' ? 'editor' : 'web';
  const { project } = s;
  if (s.initSettings)
    project.setSettings(normalizeSettings((s.initSettings as { wslb?: unknown }).wslb ?? s.initSettings));
  s.workspaceRoots = (params.workspaceFolders ?? []).map((f) => project.paths.toPath(f.uri));
  if (s.workspaceRoots.length === 0 && params.rootUri) s.workspaceRoots = [project.paths.toPath(params.rootUri)];
  project.workspaceFolders = s.workspaceRoots;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: ['/', '$', ' '], resolveProvider: true },
      definitionProvider: true,
      referencesProvider: true,
      renameProvider: { prepareProvider: true },
      documentSymbolProvider: true,
      workspaceSymbolProvider: true,
      foldingRangeProvider: true,
      codeLensProvider: { resolveProvider: false },
      codeActionProvider: {
        codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND, CodeActionKind.SourceFixAll],
        resolveProvider: true,
      },
      executeCommandProvider: { commands: [FIX_ALL_COMMAND] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'wslb', version: '0.1.0' },
  };
}

/** Settings and file changes the client sends only when the server registers for them. */
function registerWatchers(s: ServerState): void {
  const { client } = s.connection;
  if (s.client.configuration)
    void client.register(DidChangeConfigurationNotification.type, { section: 'wslb' }).catch(() => undefined);
  if (!s.client.watchedFilesDynamic) return;
  void client
    .register(DidChangeWatchedFilesNotification.type, {
      watchers: [
        { globPattern: '**/*.{conf,cfg,nginx,haproxy,vhost,inc}' },
        { globPattern: '**/sites-{available,enabled}/*' },
        // AWS load balancers in Terraform / CloudFormation (the content decides, see ServerState.languageOf)
        { globPattern: '**/*.{tf,yaml,yml,json,template}' },
      ],
    })
    .catch(() => undefined);
}
