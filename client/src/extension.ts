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
import { detectLanguage } from '../../server/src/service/detect';
import {
  EXPLAIN_COMMAND,
  ExplainRequest,
  FIX_ALL_KIND,
  PoolsRequest,
  AlgorithmEditRequest,
  SIMULATE_COMMAND,
  VersionRequest,
  type PoolItem,
  type SimulateArgs,
  type VersionInfo,
} from '../../server/src/lsp/protocol';
import { SimulatorPanels, type AlgorithmEditSource } from './simulatorPanel';
import { VIEW_TYPE } from './webview/protocol';
import {
  detectionTarget,
  isAwsDocument,
  isShutdownError,
  poolAt,
  restartBudget,
  versionInputError,
  versionPickWarning,
  versionPicks,
  versionStatus,
} from './logic';
import { RULE_PAGE_VIEW, RULE_SCHEME, RulePageEditor, RulePageFileSystem, pickRule, ruleUriOf } from './rulePage';
import { SETTINGS, settingDefault } from '../../common/settings';
import { SAMPLE_NGINX } from './sample';
import { declaresAwsLoadBalancer } from '../../server/src/service/aws-detect';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
/** Set when the extension host starts deactivating (a window reload or close). */
let shuttingDown = false;

/**
 * Requests VS Code makes while the window reloads or closes (code actions, CodeLenses, hovers of
 * the editors being torn down) reach a client that is stopping or a server whose channel has
 * closed: they get the empty answer instead of an error (which the extension host would log as
 * "provider FAILED" with a stack trace). Any other error still goes through.
 */
function quietOnShutdown(): Middleware {
  const wrap =
    (empty: unknown) =>
    async (...args: unknown[]): Promise<unknown> => {
      const next = args.pop() as (...a: unknown[]) => unknown;
      if (shuttingDown) return empty;
      try {
        return await next(...args);
      } catch (e) {
        if (shuttingDown || !client?.isRunning() || isShutdownError(e)) return empty;
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

const LANGUAGES = ['nginx', 'haproxy'];
const AWS_CHANGE_LANGUAGES = new Set(['terraform', 'yaml', 'json', 'plaintext']);

export function activate(context: vscode.ExtensionContext): void {
  output = vscode.window.createOutputChannel('wslb', { log: true });
  context.subscriptions.push(output);
  const log = (s: string) => output?.info(s);

  // ---- status bar ----
  const status = vscode.window.createStatusBarItem('wslb.status', vscode.StatusBarAlignment.Right, 100);
  status.name = 'wslb';
  status.command = 'wslb.showOutput';
  context.subscriptions.push(status);
  let state: 'idle' | 'starting' | 'ready' | 'error' | 'stopped' = 'idle';
  const renderStatus = () => {
    if (state === 'idle') {
      status.hide();
      return;
    }
    // (the versions are resource-scoped: those of the active file's workspace folder)
    const cfg = vscode.workspace.getConfiguration('wslb', vscode.window.activeTextEditor?.document.uri);
    const nginx = cfg.get<string>('nginxVersion', settingDefault('nginxVersion'));
    const haproxy = cfg.get<string>('haproxyVersion', settingDefault('haproxyVersion'));
    const icon = { starting: '$(sync~spin)', ready: '$(check)', error: '$(error)', stopped: '$(debug-stop)' }[state];
    // The target version of the language in front of the user (both in the tooltip).
    const lang = vscode.window.activeTextEditor?.document.languageId;
    const target = lang === 'nginx' ? ` nginx ${nginx}` : lang === 'haproxy' ? ` HAProxy ${haproxy}` : '';
    status.text = `${icon} wslb${target}`;
    status.tooltip = new vscode.MarkdownString(
      `**wslb** language server: ${state}\n\nTargets: nginx ${nginx}, HAProxy ${haproxy}\n\nClick to show the output.`,
    );
    status.backgroundColor = state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    status.accessibilityInformation = { label: `wslb ${state}, targets nginx ${nginx}, HAProxy ${haproxy}` };
    status.show();
    void renderVersion();
  };

  // ---- the version the active file is checked for (the server's wslb/version), and its picker ----
  const versionItem = vscode.window.createStatusBarItem('wslb.version', vscode.StatusBarAlignment.Right, 99);
  versionItem.name = 'wslb: nginx/HAProxy version';
  versionItem.command = 'wslb.pickVersion';
  context.subscriptions.push(versionItem);
  const requestVersion = async (doc: vscode.TextDocument): Promise<VersionInfo | null> => {
    if (!client || client.state !== State.Running) return null;
    return client.sendRequest(VersionRequest, { uri: client.code2ProtocolConverter.asUri(doc.uri) });
  };
  let versionSeq = 0;
  const renderVersion = async () => {
    const seq = ++versionSeq;
    const doc = vscode.window.activeTextEditor?.document;
    const info = doc && LANGUAGES.includes(doc.languageId) ? await requestVersion(doc).catch(() => null) : null;
    if (seq !== versionSeq) return; // a newer render started meanwhile
    if (!info) {
      versionItem.hide();
      return;
    }
    const s = versionStatus(info);
    versionItem.text = s.text;
    versionItem.tooltip = s.tooltip;
    versionItem.accessibilityInformation = { label: s.tooltip };
    versionItem.show();
  };
  // A `# wslb: haproxy X` comment typed into the active file changes its version; so does a
  // setting, which the server reads after the change (asking it at once gets the old answer): the
  // re-check it then publishes for the active file says its answer is current.
  let versionTimer: ReturnType<typeof setTimeout> | undefined;
  const renderVersionSoon = () => {
    if (versionTimer) clearTimeout(versionTimer);
    versionTimer = setTimeout(() => void renderVersion(), 500);
  };
  context.subscriptions.push(
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== vscode.window.activeTextEditor?.document || !LANGUAGES.includes(e.document.languageId)) return;
      renderVersionSoon();
    }),
    vscode.languages.onDidChangeDiagnostics((e) => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !LANGUAGES.includes(doc.languageId)) return;
      const uri = doc.uri.toString();
      if (e.uris.some((u) => u.toString() === uri)) renderVersionSoon();
    }),
    { dispose: () => versionTimer && clearTimeout(versionTimer) },
  );
  renderStatus();

  // ---- language client ----
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const budget = restartBudget({ maxRestarts: 4, windowMs: 3 * 60_000 });
  const clientOptions: LanguageClientOptions = {
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
    outputChannel: output,
    // The hovers' command links: Simulate balancing and Explain rule (no other command runs from them).
    markdown: { isTrusted: { enabledCommands: [SIMULATE_COMMAND, EXPLAIN_COMMAND] } },
    // ruleLinks: the codes of diagnostics link to wslb-rule: pages, which this extension shows.
    initializationOptions: { settings: { wslb: vscode.workspace.getConfiguration('wslb') }, ruleLinks: 'editor' },
    middleware: quietOnShutdown(),
    errorHandler: {
      error: (error, _message, count) => {
        log(`connection error (${count ?? 1}): ${error.message}`);
        return { action: (count ?? 1) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown };
      },
      closed: () => {
        if (budget.allow(Date.now())) {
          log('the language server stopped; restarting it');
          return { action: CloseAction.Restart, handled: true };
        }
        state = 'error';
        renderStatus();
        return {
          action: CloseAction.DoNotRestart,
          message:
            'The wslb language server crashed 5 times in 3 minutes and will not be restarted. Run "WebSocket LB Doctor: Restart language server" after checking the output.',
        };
      },
    },
  };
  client = new LanguageClient('wslb', 'wslb', serverOptions, clientOptions);
  context.subscriptions.push(
    client.onDidChangeState((e) => {
      if (e.newState === State.Running) state = 'ready';
      else if (e.newState === State.Starting) state = 'starting';
      else if (state !== 'error') state = 'stopped';
      renderStatus();
    }),
  );
  // The server starts with the first nginx/HAProxy document (or command): activation by a
  // .conf/.cfg opened as "properties" (for content detection) alone does not start it.
  let starting: Promise<void> | undefined;
  const ensureStarted = (): Promise<void> => {
    if (starting) return starting;
    state = 'starting';
    renderStatus();
    starting = client!.start().then(
      () => log('language server ready'),
      (e) => {
        state = 'error';
        renderStatus();
        log(`the language server did not start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      },
    );
    return starting;
  };
  // AWS documents: a .tf/.yaml/.json that declares load balancers (two regular expressions; the
  // first 200k characters are enough). Any other Terraform/YAML/JSON never starts the server.
  const isAws = (d: vscode.TextDocument) =>
    isAwsDocument(d.uri.path, d.languageId, d.getText().slice(0, 200_000), declaresAwsLoadBalancer);
  const isOurs = (d: vscode.TextDocument) => LANGUAGES.includes(d.languageId) || isAws(d);
  const setAwsContext = () =>
    void vscode.commands.executeCommand(
      'setContext',
      'wslb.awsDocument',
      !!vscode.window.activeTextEditor && isAws(vscode.window.activeTextEditor.document),
    );
  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isOurs(d)) void ensureStarted();
    }),
    // A resource typed into a YAML/Terraform file makes it ours.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (!AWS_CHANGE_LANGUAGES.has(e.document.languageId) || !e.contentChanges.some((c) => /aws/i.test(c.text)))
        return;
      if (!starting && isAws(e.document)) void ensureStarted();
      if (e.document === vscode.window.activeTextEditor?.document) setAwsContext();
    }),
    vscode.window.onDidChangeActiveTextEditor(() => setAwsContext()),
  );
  setAwsContext();
  if (vscode.workspace.textDocuments.some(isOurs)) void ensureStarted();

  const requestPools = async (uri: vscode.Uri): Promise<PoolItem[]> => {
    await ensureStarted();
    if (!client || client.state !== State.Running) throw new Error('the wslb language server is not running');
    const r = await client.sendRequest(PoolsRequest, { uri: client.code2ProtocolConverter.asUri(uri) });
    return Array.isArray(r?.pools) ? r.pools : [];
  };

  // ---- rule pages (wslb-rule: URIs, see rulePage.ts) ----
  const ruleMarkdown = async (id: string): Promise<string | undefined> => {
    await ensureStarted();
    if (!client || client.state !== State.Running) throw new Error('the wslb language server is not running');
    return (await client.sendRequest(ExplainRequest, { id }))?.markdown;
  };
  const ruleFs = new RulePageFileSystem(ruleMarkdown);
  context.subscriptions.push(
    ruleFs,
    vscode.workspace.registerFileSystemProvider(RULE_SCHEME, ruleFs, { isReadonly: true, isCaseSensitive: true }),
    vscode.window.registerCustomEditorProvider(RULE_PAGE_VIEW, new RulePageEditor(ruleMarkdown), {
      supportsMultipleEditorsPerDocument: true,
    }),
  );

  const requestAlgorithmEdit: AlgorithmEditSource = async (uri, params) => {
    await ensureStarted();
    if (!client || client.state !== State.Running) throw new Error('the wslb language server is not running');
    return client.sendRequest(AlgorithmEditRequest, { uri: client.code2ProtocolConverter.asUri(uri), ...params });
  };

  // ---- simulator ----
  const panels = new SimulatorPanels(context, requestPools, requestAlgorithmEdit, log);
  context.subscriptions.push(panels, vscode.window.registerWebviewPanelSerializer(VIEW_TYPE, panels));

  const simulate = async (args?: SimulateArgs): Promise<void> => {
    let uri: vscode.Uri | undefined;
    let wanted: string | undefined;
    let cursor: vscode.Position | undefined;
    if (args && typeof args === 'object' && typeof args.uri === 'string') {
      uri = vscode.Uri.parse(args.uri);
      wanted = typeof args.pool === 'string' ? args.pool : undefined;
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !isOurs(editor.document)) {
        void vscode.window.showInformationMessage(
          'wslb: open an nginx or HAProxy config, or a Terraform/CloudFormation file with AWS load balancers, to simulate one of its upstreams/backends/target groups.',
        );
        return;
      }
      uri = editor.document.uri;
      cursor = editor.selection.active;
    }
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
          description:
            p.system === 'aws'
              ? `target group (a model of documented AWS behaviour), ${p.algorithm}, ${p.servers.length} placeholder target${p.servers.length === 1 ? '' : 's'}`
              : `${p.system === 'nginx' ? 'upstream' : 'backend'}, ${p.algorithm}, ${p.servers.length} server${p.servers.length === 1 ? '' : 's'}`,
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

  context.subscriptions.push(
    vscode.commands.registerCommand(SIMULATE_COMMAND, (args?: SimulateArgs) => simulate(args)),
    vscode.commands.registerCommand('wslb.showOutput', () => output?.show(true)),
    // Writes wslb.haproxyVersion / wslb.nginxVersion for the active file's workspace folder.
    vscode.commands.registerCommand('wslb.pickVersion', async () => {
      const doc = vscode.window.activeTextEditor?.document;
      if (!doc || !LANGUAGES.includes(doc.languageId)) {
        void vscode.window.showInformationMessage('wslb: open an nginx or HAProxy file to pick its version.');
        return;
      }
      await ensureStarted();
      const info = await requestVersion(doc).catch(() => null);
      if (!info) {
        void vscode.window.showWarningMessage('wslb: the language server did not say which version this file targets.');
        return;
      }
      const key = info.product === 'haproxy' ? 'haproxyVersion' : 'nginxVersion';
      const cfg = vscode.workspace.getConfiguration('wslb', doc.uri);
      const folder = vscode.workspace.getWorkspaceFolder(doc.uri);
      const target = folder ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Global;
      const inspected = cfg.inspect<string>(key);
      const settingSet = (folder ? inspected?.workspaceFolderValue : inspected?.globalValue) !== undefined;
      const where = folder ? `the workspace folder ${folder.name}` : 'your user settings';
      const chosen = await vscode.window.showQuickPick(versionPicks(info, settingSet), {
        title: `wslb.${key} for ${where}`,
        placeHolder: versionPickWarning(info) ?? `In effect: ${info.version} (${info.from})`,
      });
      if (!chosen) return;
      let value = chosen.action === 'set' ? chosen.version : undefined;
      if (chosen.action === 'other') {
        const typed = await vscode.window.showInputBox({
          title: `wslb.${key} for ${where}`,
          prompt: `The ${info.product === 'haproxy' ? 'HAProxy' : 'nginx'} version your config runs on`,
          value: info.version,
          validateInput: (v) => versionInputError(v, SETTINGS[key].pattern),
        });
        if (typed === undefined) return;
        value = typed.trim();
      }
      await cfg.update(key, value, target); // undefined clears it
      void renderVersion();
    }),
    // A rule's page, offline (the hovers' "Explain rule" link, the "Show documentation" action, the
    // palette, where it asks which rule).
    vscode.commands.registerCommand(EXPLAIN_COMMAND, async (id?: string) => {
      const rule = typeof id === 'string' ? id : await pickRule(context.extension.packageJSON);
      if (!rule) return;
      await vscode.commands.executeCommand('vscode.openWith', ruleUriOf(rule), RULE_PAGE_VIEW, {
        viewColumn: vscode.ViewColumn.Beside,
        preview: true,
      });
    }),
    vscode.commands.registerCommand('wslb.openSample', async () => {
      const doc = await vscode.workspace.openTextDocument({ language: 'nginx', content: SAMPLE_NGINX });
      await vscode.window.showTextDocument(doc);
    }),
    vscode.commands.registerCommand('wslb.checkWorkspace', async () => {
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
    }),
    // The server's source.fixAll.wslb action, applied at once (the same as fix-on-save).
    vscode.commands.registerCommand('wslb.fixAll', () =>
      vscode.commands.executeCommand('editor.action.sourceAction', { kind: FIX_ALL_KIND, apply: 'first' }),
    ),
    vscode.commands.registerCommand('wslb.restartServer', async () => {
      if (!client) return;
      budget.reset();
      if (!starting) {
        await ensureStarted();
        return;
      }
      state = 'starting';
      renderStatus();
      try {
        await client.restart();
        log('language server restarted');
      } catch (e) {
        state = 'error';
        renderStatus();
        log(`restart failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }),
    vscode.window.onDidChangeActiveTextEditor(() => renderStatus()),
    // A language change (content detection, the language picker) re-opens the document.
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (d === vscode.window.activeTextEditor?.document) renderStatus();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('wslb')) renderStatus();
    }),
  );

  // ---- content detection for .conf / .cfg files no other extension claimed ----
  const detect = (doc: vscode.TextDocument) => {
    if (
      !vscode.workspace.getConfiguration('wslb', doc.uri).get<boolean>('detectContent', settingDefault('detectContent'))
    )
      return;
    const sample = doc.lineCount > 5000 ? doc.getText(new vscode.Range(0, 0, 5000, 0)) : doc.getText();
    const target = detectionTarget(doc.uri.path, doc.languageId, sample, detectLanguage);
    if (!target) return;
    log(`${vscode.workspace.asRelativePath(doc.uri)} looks like ${target}; treating it as ${target}`);
    void vscode.languages
      .setTextDocumentLanguage(doc, target)
      .then(undefined, (e) => log(`setTextDocumentLanguage: ${String(e)}`));
  };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(detect));
  for (const doc of vscode.workspace.textDocuments) detect(doc);
}

export async function deactivate(): Promise<void> {
  shuttingDown = true;
  const c = client;
  client = undefined;
  if (c) await c.stop(2000).catch(() => undefined);
}
