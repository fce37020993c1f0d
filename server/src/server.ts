/**
 * The wslb language server (stdio or IPC: `--stdio`, `--node-ipc`).
 *
 * Thin layer over the pure language service: documents and settings come in, analyses are
 * scheduled (debounced, superseded runs dropped, background work last), findings go out as
 * diagnostics, and editor requests are answered by the pure features in service/features/.
 * See lsp/protocol.ts for the settings and the custom requests.
 */
import {
  createConnection,
  ProposedFeatures,
  StreamMessageWriter,
  type MessageReader,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  FileChangeType,
  DidChangeWatchedFilesNotification,
  DidChangeConfigurationNotification,
  CodeLensRefreshRequest,
  ResponseError,
  ErrorCodes,
  type CodeAction,
  type CompletionItem,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type Location,
  type WorkspaceEdit,
  type TextEdit,
  type Hover,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import { doHover } from './service/features/hover';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerDocument } from './lsp/document';
import { createJsonEncoder } from './lsp/encoder';
import { inspect } from 'node:util';
import type { Diagnostic, ExecuteCommandParams } from 'vscode-languageserver/node';
import { Project, normalizeSettings, type TextEditRecord } from './lsp/project';
import { Scheduler } from './lsp/scheduler';
import { rulePageMarkdown } from './service/docs/explain';
import { versionInfo } from './service/version-info';
import { versionHintFor } from './service/version-detect';
import {
  EXPLAIN_COMMAND,
  AlgorithmEditRequest,
  ExplainRequest,
  PoolsRequest,
  VersionRequest,
  FIX_ALL_KIND,
  SIMULATE_COMMAND,
  MAX_ANALYZED_CHARS,
  type PoolItem,
  type SimulateArgs,
} from './lsp/protocol';
import {
  rangesTouch,
  toCompletionKind,
  toDiagnostic,
  toDocumentSymbol,
  symbolKind,
  type RuleLinks,
} from './lsp/convert';
import {
  nginxDocumentSymbols,
  haproxyDocumentSymbols,
  nginxFoldingRanges,
  haproxyFoldingRanges,
  type OutlineSymbol,
} from './service/features/symbols';
import {
  nginxSymbolAt,
  haproxySymbolAt,
  renameEdits,
  validateNewName,
  type NavSymbol,
} from './service/features/navigation';
import {
  nginxCompletions,
  haproxyCompletions,
  haproxyCompletionTable,
  nginxDirectiveMarkdown,
  nginxBlockPathAt,
  nginxOuterContext,
} from './service/features/completion';
import {
  DEFAULT_REASON,
  disableFileEdit,
  disableNextLineEdit,
  fixAllConverging,
  minimalEdit,
} from './service/features/actions';
import { commentSyntaxOf } from './service/suppress';
import { nginxPools, haproxyPools, type PoolInfo } from './service/features/pools';
import { knownCode } from './service/codes';
import { ruleById } from './service/rules';
import { collectFiles } from './node/nodefs';
import { detectConfigLanguage, fixBuildCount, initAwsParsers, nginxFileOptions } from './service';
import { awsFormatOf } from './service/model/aws-build';
import { awsPools } from './service/features/aws-pools';
import { buildAlgorithmEdit } from './service/features/algorithm-edit';
import type { AwsConfig } from './service/model/aws';
import { LineIndex } from './service/text';
import type { ConfigLanguage, Finding, Fix } from './service/types';
import type { NginxConfig } from './service/model/nginx';
import type { HaproxyConfig } from './service/model/haproxy';

// Over stdio the messages go through our JSON encoder (diagnostics stringified once each, see
// lsp/encoder.ts); the other transports (VS Code's IPC, sockets, pipes) are the library's own.
// stdin is still handed over as a stream (the library's node entry takes a stream or a reader for
// each side), so the library ends the server when stdin closes, as it does for `--stdio`.
const stdio = process.argv.includes('--stdio');
const connection: Connection = stdio
  ? createConnection(
      ProposedFeatures.all,
      process.stdin as unknown as MessageReader,
      new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: createJsonEncoder() }),
    )
  : createConnection(ProposedFeatures.all);
// With stdout carrying the protocol, stray console output must not reach it (what the library
// does for `--stdio` when it makes the writer itself).
if (stdio) {
  const text = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = console.info = console.debug = (...a: unknown[]) => connection.console.log(text(a));
  console.warn = (...a: unknown[]) => connection.console.warn(text(a));
  console.error = console.trace = (...a: unknown[]) => connection.console.error(text(a));
}
/**
 * Documents, plus a record of each didChange's edits in offsets (project.noteEdits), so parse
 * caches can re-parse only what an edit touched. Changes are applied one at a time: each one's
 * range refers to the text the previous one produced.
 */
const documents = new TextDocuments<ServerDocument>({
  create: (uri, languageId, version, content) => new ServerDocument(uri, languageId, version, content),
  update: (doc, changes, version) => {
    const before = doc.getText();
    const edits: TextEditRecord[] = [];
    for (const change of changes) {
      const { offset, deleted } = doc.apply(change);
      edits.push({ offset, deleted, inserted: change.text });
    }
    doc.version = version;
    project.noteEdits(project.paths.toPath(doc.uri), before, edits, doc.getText());
    return doc;
  },
});

const openByPath = new Map<string, TextDocument>();
const project = new Project((path) => {
  const d = openByPath.get(path);
  return d ? { uri: d.uri, path, text: d.getText(), version: d.version, languageId: d.languageId } : undefined;
});
const scheduler = new Scheduler((key, e) => logError(`analysis of ${key}`, e));

let hasConfigurationCapability = false;
let hasWatchedFilesDynamic = false;
let hasWorkspaceFolderCapability = false;
let codeActionResolve = false;
/** Can the client apply an edit the server sends (workspace/applyEdit)? */
let clientAppliesEdits = false;
let codeLensRefresh = false;
/** The client applies LSP 3.18 snippet edits (VS Code through vscode-languageclient 10+, for one). */
let snippetEdits = false;
let workspaceRoots: string[] = [];
let initSettings: unknown = undefined;
/** Does the client open `wslb-rule:` pages (initializationOptions.ruleLinks, lsp/protocol.ts)? */
let ruleLinks: RuleLinks = 'web';
/** Files we published non-empty diagnostics for (so we can clear them). */
const published = new Set<string>();
let backgroundGeneration = 0;

function log(msg: string): void {
  connection.console.log(`[wslb] ${msg}`);
}

function logError(where: string, e: unknown): void {
  const err = e as Error;
  connection.console.error(`[wslb] ${where} failed: ${err?.stack ?? String(e)}`);
}

/** Run a request handler; any exception is logged and answered with `fallback`. */
function guard<P, R>(name: string, fallback: R, fn: (p: P) => R): (p: P) => R {
  return (p: P) => {
    try {
      return fn(p);
    } catch (e) {
      if (e instanceof ResponseError) throw e;
      logError(name, e);
      return fallback;
    }
  };
}

/**
 * Is this document ours? nginx/HAProxy by language id or content; AWS when a Terraform,
 * CloudFormation YAML/JSON file declares ALB/NLB resources (whatever its language id: the client
 * sends every terraform/yaml/json document and the content decides).
 */
function isOurs(doc: TextDocument): ConfigLanguage | undefined {
  if (doc.languageId === 'nginx' || doc.languageId === 'haproxy') return doc.languageId;
  const path = project.paths.toPath(doc.uri);
  return detectConfigLanguage(path, doc.getText());
}

/** File names whose AWS-ness can change with an edit (so it is not cached per document). */
const AWS_CANDIDATE = /\.(tf|ya?ml|json|template)$/i;

/**
 * The Terraform grammar is WebAssembly and loads asynchronously. Analyses of .tf files wait for it;
 * once it is there, open AWS documents are checked (the background check waits for it too).
 */
const awsReady: Promise<void> = initAwsParsers()
  .then(() => {
    for (const [path, doc] of openByPath) if (isOursCached(doc) === 'aws') scheduleDocument(path, 0);
  })
  .catch((e) => logError('loading the Terraform grammar (AWS checks of .tf files are off)', e));

// ---------------------------------------------------------------------------------------------
// initialisation and settings

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const caps = params.capabilities;
  hasConfigurationCapability = !!caps.workspace?.configuration;
  hasWatchedFilesDynamic = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
  hasWorkspaceFolderCapability = !!caps.workspace?.workspaceFolders;
  codeActionResolve = !!caps.textDocument?.codeAction?.resolveSupport?.properties?.includes('edit');
  clientAppliesEdits = !!caps.workspace?.applyEdit;
  codeLensRefresh = !!caps.workspace?.codeLens?.refreshSupport;
  snippetEdits = !!caps.workspace?.workspaceEdit?.snippetEditSupport;
  const opts = params.initializationOptions as { settings?: unknown; ruleLinks?: unknown } | undefined;
  initSettings = opts?.settings;
  ruleLinks = opts?.ruleLinks === 'editor' ? 'editor' : 'web';
  if (initSettings) project.setSettings(normalizeSettings((initSettings as { wslb?: unknown }).wslb ?? initSettings));
  workspaceRoots = (params.workspaceFolders ?? []).map((f) => project.paths.toPath(f.uri));
  if (workspaceRoots.length === 0 && params.rootUri) workspaceRoots = [project.paths.toPath(params.rootUri)];
  project.workspaceFolders = workspaceRoots;
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
});

connection.onInitialized(() => {
  if (hasConfigurationCapability)
    void connection.client
      .register(DidChangeConfigurationNotification.type, { section: 'wslb' })
      .catch(() => undefined);
  if (hasWatchedFilesDynamic) {
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.{conf,cfg,nginx,haproxy,vhost,inc}' },
          { globPattern: '**/sites-{available,enabled}/*' },
          // AWS load balancers in Terraform / CloudFormation (the content decides, see isOurs)
          { globPattern: '**/*.{tf,yaml,yml,json,template}' },
        ],
      })
      .catch(() => undefined);
  }
  // Only a client that declares workspace folders sends their changes: the library throws for the
  // others (Neovim's simpler setups), and the settings and the background check below must not
  // depend on it (issue 23).
  if (hasWorkspaceFolderCapability)
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      for (const f of e.removed) workspaceRoots = workspaceRoots.filter((r) => r !== project.paths.toPath(f.uri));
      for (const f of e.added) workspaceRoots.push(project.paths.toPath(f.uri));
      project.workspaceFolders = workspaceRoots;
      // a folder's own versions: re-check what it holds with them
      void refreshFolderVersions().then(() => {
        for (const r of project.analyses.keys()) scheduleRoot(r, openByPath.has(r) ? 0 : 1, 0);
        startBackgroundCheck();
      });
    });
  void Promise.all([refreshSettings(), awsReady]).then(() => startBackgroundCheck());
});

async function refreshSettings(payload?: unknown): Promise<void> {
  let raw: unknown = undefined;
  if (hasConfigurationCapability) {
    try {
      raw = await connection.workspace.getConfiguration('wslb');
    } catch (e) {
      logError('workspace/configuration', e);
    }
  }
  if (raw === undefined || raw === null) {
    const p = payload as { settings?: { wslb?: unknown } } | undefined;
    raw = p?.settings?.wslb ?? (initSettings as { wslb?: unknown } | undefined)?.wslb ?? initSettings;
  }
  project.setSettings(normalizeSettings(raw));
  await refreshFolderVersions();
}

/**
 * `wslb.nginxVersion` and `wslb.haproxyVersion` of each workspace folder (resource-scoped: a
 * folder of a multi-root workspace, or its .vscode/settings.json, may set its own), asked with the
 * folder as scope. A client that cannot be asked keeps the window's versions everywhere.
 */
async function refreshFolderVersions(): Promise<void> {
  if (!hasConfigurationCapability || workspaceRoots.length === 0) {
    project.setFolderVersions(undefined);
    return;
  }
  const folders = [...workspaceRoots];
  try {
    const raw = (await connection.workspace.getConfiguration(
      folders.map((f) => ({ scopeUri: project.paths.toUri(f), section: 'wslb' })),
    )) as unknown[];
    const versions = new Map<string, { nginxVersion: string; haproxyVersion: string }>();
    folders.forEach((f, i) => {
      const s = normalizeSettings(raw[i]);
      versions.set(f, { nginxVersion: s.nginxVersion, haproxyVersion: s.haproxyVersion });
    });
    project.setFolderVersions(versions);
  } catch (e) {
    logError('workspace/configuration (per folder)', e);
    project.setFolderVersions(undefined);
  }
}

connection.onDidChangeConfiguration((change) => {
  const lens = project.settings.codeLens;
  void refreshSettings(change).then(() => {
    if (codeLensRefresh && project.settings.codeLens !== lens)
      void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    // Re-check everything with the new settings.
    const roots = new Set<string>([...project.analyses.keys()]);
    for (const d of documents.all()) roots.add(project.paths.toPath(d.uri));
    for (const r of roots) scheduleRoot(r, openByPath.has(r) ? 0 : 1, 0);
    startBackgroundCheck();
  });
});

// ---------------------------------------------------------------------------------------------
// documents and analysis

documents.onDidOpen((e) => {
  const lang = isOurs(e.document);
  const path = project.paths.toPath(e.document.uri);
  openByPath.set(path, e.document);
  project.forgetEdits(path);
  if (!lang) return;
  project.forgetDisk(path);
  scheduleDocument(path, 0);
});

documents.onDidChangeContent((e) => {
  const path = project.paths.toPath(e.document.uri);
  openByPath.set(path, e.document);
  // Not ours itself, but part of an analysed Terraform module (its variables): re-check the module.
  if (!isOursCached(e.document) && !project.coveredBy.has(path)) return;
  scheduleDocument(path, project.settings.debounceMs);
});

documents.onDidClose((e) => {
  const path = project.paths.toPath(e.document.uri);
  openByPath.delete(path);
  project.forgetEdits(path);
  scheduler.cancel('doc:' + path);
  project.forgetDisk(path);
  // Re-read from disk (the editor may have discarded changes), or forget it.
  const keepOnDisk = project.settings.checkWorkspace && project.workspaceFiles.has(path);
  const roots = project.rootsFor(path);
  if (keepOnDisk || roots.some((r) => r !== path)) {
    for (const r of roots) scheduleRoot(r, 1, 0);
  } else {
    publishAll(project.removeRoot(path));
  }
  lastCost.delete(path);
  project.prune();
});

const langCache = new WeakMap<TextDocument, ConfigLanguage | undefined>();
function isOursCached(doc: TextDocument): ConfigLanguage | undefined {
  if (doc.languageId === 'nginx' || doc.languageId === 'haproxy') return doc.languageId;
  // A regex over the text: cheap enough to redo after each edit (a resource may be added or removed).
  if (AWS_CANDIDATE.test(doc.uri)) return awsFormatOf(project.paths.toPath(doc.uri), doc.getText()) ? 'aws' : undefined;
  if (!langCache.has(doc)) langCache.set(doc, isOurs(doc));
  return langCache.get(doc);
}

/** How long the last analysis behind each document took (ms). */
const lastCost = new Map<string, number>();

function scheduleDocument(path: string, delay: number): void {
  // Adaptive debounce: a document whose analysis is slow waits longer after a keystroke, so a
  // burst of typing costs one analysis, not one per pause. 0 means "always at once".
  const cost = lastCost.get(path) ?? 0;
  const wait = delay === 0 ? 0 : Math.max(delay, Math.min(1000, cost));
  scheduler.schedule('doc:' + path, 0, wait, () => {
    const t0 = performance.now();
    const roots = project.rootsFor(path);
    const affected = new Set<string>();
    for (const r of roots)
      for (const f of project.analyzeRoot(r, r === path ? languageOfOpen(path) : undefined)) affected.add(f);
    afterAnalysis(affected);
    const ms = performance.now() - t0;
    lastCost.set(path, ms);
    if (ms > 500)
      log(`checking ${path} took ${Math.round(ms)} ms (${roots.length} root${roots.length === 1 ? '' : 's'})`);
  });
}

function languageOfOpen(path: string): ConfigLanguage | undefined {
  const d = openByPath.get(path);
  return d ? isOursCached(d) : undefined;
}

function scheduleRoot(root: string, priority: 0 | 1 | 2, delay: number): void {
  scheduler.schedule('root:' + root, priority, delay, () => afterAnalysis(project.analyzeRoot(root)));
}

/** Publish what changed; open files that lost their includer get their own analysis. */
function afterAnalysis(affected: Set<string>): void {
  for (const f of affected) {
    if (!project.coveredBy.has(f) && openByPath.has(f) && languageOfOpen(f)) scheduleDocument(f, 0);
  }
  publishAll(affected);
}

function publishAll(files: Iterable<string>): void {
  for (const f of files) publish(f);
}

function publish(path: string): void {
  const doc = openByPath.get(path);
  const visible = !!doc || (project.settings.checkWorkspace && project.coveredBy.has(path));
  const findings = visible ? project.findingsFor(path) : [];
  if (findings.length === 0 && !published.has(path) && !doc) return;
  if (findings.length) published.add(path);
  else published.delete(path);
  const uri = doc?.uri ?? project.paths.toUri(path);
  void connection.sendDiagnostics({ uri, version: doc?.version, diagnostics: findings.map(diagnosticOf) });
}

/** The LSP form of a finding, made once per finding object (an edit keeps most findings). */
const diagnostics = new WeakMap<Finding, Diagnostic>();
function diagnosticOf(f: Finding): Diagnostic {
  let d = diagnostics.get(f);
  if (!d) diagnostics.set(f, (d = toDiagnostic(f, project.paths, ruleLinks)));
  return d;
}

/** Make sure the analysis behind an open document reflects its current text. */
function fresh(path: string): void {
  scheduler.flush('doc:' + path);
}

// ---------------------------------------------------------------------------------------------
// background check of the workspace

function startBackgroundCheck(): void {
  const generation = ++backgroundGeneration;
  if (!project.settings.checkWorkspace || workspaceRoots.length === 0) {
    // Forget diagnostics of files that are not open.
    for (const f of [...published]) if (!openByPath.has(f)) publish(f);
    return;
  }
  scheduler.schedule('scan', 2, 50, () => {
    if (generation !== backgroundGeneration) return;
    const t0 = performance.now();
    const diskRoots = workspaceRoots.map((r) => project.paths.diskPath(r)).filter((r): r is string => !!r);
    const { files } = collectFiles(diskRoots, 5000);
    project.workspaceFiles.clear();
    for (const p of files) {
      const text = project.fs.readFile(p);
      if (text === undefined) continue;
      const lang = detectConfigLanguage(p, text);
      if (lang) project.workspaceFiles.set(p, lang);
    }
    log(
      `workspace: ${project.workspaceFiles.size} config files of ${files.length} candidates (${Math.round(performance.now() - t0)} ms)`,
    );
    // nginx files first (they reveal the include graph), then HAProxy; one task each, yielding between.
    const list = [...project.workspaceFiles].sort((a, b) => (a[1] === b[1] ? 0 : a[1] === 'nginx' ? -1 : 1));
    for (const [p, lang] of list) {
      scheduler.schedule('bg:' + p, 2, 0, () => {
        if (generation !== backgroundGeneration) return;
        // Already checked in the context of an includer, or open (then it is analysed in the foreground).
        if ([...(project.coveredBy.get(p) ?? [])].some((r) => r !== p)) return;
        afterAnalysis(project.analyzeRoot(p, lang));
      });
    }
  });
}

connection.onDidChangeWatchedFiles((params) => {
  for (const change of params.changes) {
    const path = project.paths.toPath(change.uri);
    project.forgetDisk(path);
    if (openByPath.has(path)) continue;
    if (change.type === FileChangeType.Deleted) {
      project.workspaceFiles.delete(path);
      const roots = [...(project.coveredBy.get(path) ?? [])];
      publishAll(project.removeRoot(path));
      for (const r of roots) if (r !== path) scheduleRoot(r, 1, 50);
      continue;
    }
    const text = project.fs.readFile(path);
    const lang = text === undefined ? undefined : detectConfigLanguage(path, text);
    if (lang && project.settings.checkWorkspace) project.workspaceFiles.set(path, lang);
    if (project.coveredBy.has(path)) {
      for (const r of project.rootsFor(path)) scheduleRoot(r, 1, 50);
      continue;
    }
    if (!lang) continue;
    // A new nginx file may be pulled in by an existing include glob: re-check the nginx roots
    // first; the file becomes a root of its own only if none of them includes it.
    if (lang === 'nginx') for (const [r, a] of project.analyses) if (a.language === 'nginx') scheduleRoot(r, 1, 50);
    if (project.settings.checkWorkspace) {
      scheduler.schedule('bg:' + path, 2, 100, () => {
        if ([...(project.coveredBy.get(path) ?? [])].some((r) => r !== path)) return;
        afterAnalysis(project.analyzeRoot(path, lang));
      });
    }
  }
});

// ---------------------------------------------------------------------------------------------
// model access for requests

interface DocModel {
  path: string;
  language: ConfigLanguage;
  text: string;
  nginx?: NginxConfig;
  haproxy?: HaproxyConfig;
  aws?: AwsConfig;
}

function docModel(uri: string): DocModel | undefined {
  const path = project.paths.toPath(uri);
  const doc = openByPath.get(path);
  const lang = doc ? isOursCached(doc) : project.languageOf(path);
  if (!lang) return undefined;
  fresh(path);
  const text = doc?.getText() ?? project.fs.readFile(path);
  if (text === undefined) return undefined;
  const a = project.analysisFor(path);
  const m: DocModel = { path, language: lang, text };
  if (a?.analysis?.language === 'nginx') m.nginx = a.analysis.config;
  if (a?.analysis?.language === 'haproxy') m.haproxy = a.analysis.config;
  if (a?.analysis?.language === 'aws') m.aws = a.analysis.config;
  return m;
}

function offsetOf(m: DocModel, position: { line: number; character: number }): number {
  if (m.nginx) return m.nginx.sources.get(m.path)?.tree.lineIndex.offsetAt(position) ?? 0;
  if (m.haproxy) return m.haproxy.sources.find((s) => s.path === m.path)?.tree.lineIndex.offsetAt(position) ?? 0;
  return new LineIndex(m.text).offsetAt(position);
}

function lineIndexOf(path: string, m?: DocModel): LineIndex {
  if (m?.nginx?.sources.get(path)) return m.nginx.sources.get(path)!.tree.lineIndex;
  const hs = m?.haproxy?.sources.find((s) => s.path === path);
  if (hs) return hs.tree.lineIndex;
  return new LineIndex(project.fs.readFile(path) ?? '');
}

function navSymbolAt(
  uri: string,
  position: { line: number; character: number },
): { sym: NavSymbol; m: DocModel } | null {
  const m = docModel(uri);
  if (!m || m.text.length > MAX_ANALYZED_CHARS) return null;
  const offset = offsetOf(m, position);
  const sym = m.nginx
    ? nginxSymbolAt(m.nginx, m.path, offset)
    : m.haproxy
      ? haproxySymbolAt(m.haproxy, m.path, offset)
      : null;
  return sym ? { sym, m } : null;
}

function toLocation(path: string, span: { start: number; end: number }, m: DocModel): Location {
  return { uri: openByPath.get(path)?.uri ?? project.paths.toUri(path), range: lineIndexOf(path, m).rangeOf(span) };
}

// ---------------------------------------------------------------------------------------------
// navigation

connection.onDefinition(
  guard('definition', null, (p) => {
    const hit = navSymbolAt(p.textDocument.uri, p.position);
    if (!hit) return null;
    const defs = hit.sym.refs.filter((r) => r.isDefinition);
    return defs.length ? defs.map((r) => toLocation(r.path, r.span, hit.m)) : null;
  }),
);

connection.onReferences(
  guard('references', null, (p) => {
    const hit = navSymbolAt(p.textDocument.uri, p.position);
    if (!hit) return null;
    return hit.sym.refs
      .filter((r) => p.context.includeDeclaration || !r.isDefinition)
      .map((r) => toLocation(r.path, r.span, hit.m));
  }),
);

connection.onPrepareRename(
  guard('prepareRename', null, (p) => {
    const hit = navSymbolAt(p.textDocument.uri, p.position);
    if (!hit || !hit.sym.renamable) return null;
    return { range: lineIndexOf(hit.sym.at.path, hit.m).rangeOf(hit.sym.at.span), placeholder: hit.sym.name };
  }),
);

connection.onRenameRequest(
  guard('rename', null, (p) => {
    const hit = navSymbolAt(p.textDocument.uri, p.position);
    if (!hit || !hit.sym.renamable) throw new ResponseError(ErrorCodes.InvalidRequest, 'Nothing to rename here');
    const why = validateNewName(hit.sym.kind, p.newName);
    if (why) throw new ResponseError(ErrorCodes.InvalidParams, `Cannot rename to "${p.newName}": ${why}`);
    const edits = renameEdits(hit.sym, p.newName) ?? [];
    const changes: Record<string, TextEdit[]> = {};
    for (const e of edits) {
      const uri = openByPath.get(e.path)?.uri ?? project.paths.toUri(e.path);
      (changes[uri] ??= []).push({ range: lineIndexOf(e.path, hit.m).rangeOf(e.span), newText: e.newText });
    }
    return { changes } satisfies WorkspaceEdit;
  }),
);

// ---------------------------------------------------------------------------------------------
// symbols, folding, code lenses, pools

function treeSymbols(path: string, lang: ConfigLanguage, text: string): OutlineSymbol[] {
  if (text.length > MAX_ANALYZED_CHARS || lang === 'aws') return [];
  return lang === 'nginx'
    ? nginxDocumentSymbols(project.nginxTree(path, text))
    : haproxyDocumentSymbols(project.haproxyTree(path, text));
}

connection.onDocumentSymbol(
  guard('documentSymbol', [], (p) => {
    const m = docModel(p.textDocument.uri);
    if (!m) return [];
    return treeSymbols(m.path, m.language, m.text).map(toDocumentSymbol);
  }),
);

connection.onFoldingRanges(
  guard('foldingRange', [], (p) => {
    const m = docModel(p.textDocument.uri);
    if (!m || m.text.length > MAX_ANALYZED_CHARS || m.language === 'aws') return [];
    const ranges =
      m.language === 'nginx'
        ? nginxFoldingRanges(project.nginxTree(m.path, m.text))
        : haproxyFoldingRanges(project.haproxyTree(m.path, m.text));
    return ranges.map((r) => ({ startLine: r.startLine, endLine: r.endLine, kind: r.kind }));
  }),
);

connection.onWorkspaceSymbol(
  guard('workspaceSymbol', [], (p) => {
    const q = p.query.toLowerCase();
    const out: SymbolInformation[] = [];
    const files = new Set<string>([...project.coveredBy.keys()]);
    for (const d of documents.all()) files.add(project.paths.toPath(d.uri));
    const matches = (name: string) => {
      if (!q) return true;
      const n = name.toLowerCase();
      let i = 0;
      for (const c of n) if (c === q[i]) i++;
      return i === q.length;
    };
    for (const f of files) {
      const lang = project.languageOf(f);
      const text = project.fs.readFile(f);
      if (!lang || text === undefined) continue;
      const uri = openByPath.get(f)?.uri ?? project.paths.toUri(f);
      const visit = (s: OutlineSymbol, container?: string) => {
        if (s.kind !== 'field' && matches(s.name))
          out.push({
            name: s.name,
            kind: symbolKind(s.kind),
            location: { uri, range: s.selectionRange },
            containerName: container,
          });
        for (const c of s.children) visit(c, s.name);
      };
      for (const s of treeSymbols(f, lang, text)) visit(s);
      if (out.length > 1000) break;
    }
    return out.slice(0, 1000);
  }),
);

function poolsOf(m: DocModel): PoolInfo[] {
  if (m.aws) return awsPools(m.aws, m.path);
  if (m.nginx) return nginxPools(m.nginx, m.path);
  if (m.haproxy) return haproxyPools(m.haproxy, m.path);
  return [];
}

connection.onCodeLens(
  guard('codeLens', [], (p) => {
    const m = docModel(p.textDocument.uri);
    if (!m) return [];
    const mode = project.settings.codeLens;
    if (mode === 'off') return [];
    const idx = lineIndexOf(m.path, m);
    const pools = poolsOf(m).filter((info) => mode === 'all' || info.webSocket);
    return pools.map((info) => {
      const range = idx.rangeOf(info.nameSpan);
      const n = info.pool.servers.length;
      const args: SimulateArgs = { uri: p.textDocument.uri, pool: info.pool.name };
      // AWS: a model of documented behaviour with placeholder targets, and the lens says so.
      const title =
        info.pool.system === 'aws'
          ? `Simulate balancing (model of AWS ${info.pool.algorithm}, ${n} placeholder target${n === 1 ? '' : 's'})`
          : `Simulate balancing (${info.pool.algorithm}, ${n} server${n === 1 ? '' : 's'})`;
      return { range, command: { title, command: SIMULATE_COMMAND, arguments: [args] } };
    });
  }),
);

connection.onRequest(
  ExplainRequest,
  guard('wslb/explain', null, (p) => {
    const markdown = rulePageMarkdown(p.id);
    return markdown ? { markdown } : null;
  }),
);

connection.onRequest(
  PoolsRequest,
  guard('wslb/pools', { pools: [] }, (p) => {
    const m = docModel(p.uri);
    if (!m) return { pools: [] };
    const idx = lineIndexOf(m.path, m);
    const pools: PoolItem[] = poolsOf(m).map((info) => ({
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
  VersionRequest,
  guard('wslb/version', null, (p) => {
    const m = docModel(p.uri);
    if (!m || (m.language !== 'nginx' && m.language !== 'haproxy')) return null;
    const o = project.serviceFor(m.nginx?.rootPath ?? m.path).options;
    if (m.language === 'haproxy') {
      // a HAProxy file is checked for its own version (it is the first file of its group)
      const hint = versionHintFor(project.fs, m.path, 'haproxy');
      return versionInfo('haproxy', m.text, o.haproxyVersion, !!o.haproxyVersionSet, hint);
    }
    // an nginx include is checked for its root's version
    const root = m.nginx?.rootPath ?? m.path;
    const rootText = m.nginx?.sources.get(root)?.text ?? m.text;
    return versionInfo(
      'nginx',
      rootText,
      o.nginxVersion,
      !!o.nginxVersionSet,
      versionHintFor(project.fs, root, 'nginx'),
    );
  }),
);

connection.onRequest(
  AlgorithmEditRequest,
  guard('wslb/algorithmEdit', { error: 'the language server failed to build the edit' }, (p) => {
    const m = docModel(p.uri);
    const info = m && poolsOf(m).find((i) => i.pool.name === p.pool);
    if (!m || !info) return { missing: true as const };
    const result = buildAlgorithmEdit(
      m.text,
      { system: info.pool.system, span: info.span, nameSpan: info.nameSpan, algorithmSpan: info.algorithmSpan },
      p.algorithm,
    );
    if ('error' in result) return result;
    const idx = lineIndexOf(m.path, m);
    return { edits: result.edits.map((e) => ({ range: idx.rangeOf(e.span), newText: e.newText })) };
  }),
);

// ---------------------------------------------------------------------------------------------
// hover

connection.onHover(
  guard('hover', null, (p): Hover | null => {
    const m = docModel(p.textDocument.uri);
    if (!m || m.text.length > MAX_ANALYZED_CHARS) return null;
    const offset = offsetOf(m, p.position);
    const r = doHover({
      language: m.language,
      path: m.path,
      offset,
      nginx: m.nginx,
      haproxy: m.haproxy,
      aws: m.aws,
      findings: project.findingsFor(m.path),
      options: project.serviceFor(m.nginx?.rootPath ?? m.path).options,
      uri: p.textDocument.uri,
    });
    if (!r) return null;
    const idx =
      m.nginx?.sources.get(m.path)?.tree.lineIndex ??
      m.haproxy?.sources.find((x) => x.path === m.path)?.tree.lineIndex ??
      new LineIndex(m.text);
    return { contents: { kind: 'markdown', value: r.markdown }, range: idx.rangeOf(r.span) };
  }),
);

// ---------------------------------------------------------------------------------------------
// completion

connection.onCompletion(
  guard('completion', [], (p): CompletionItem[] => {
    const path = project.paths.toPath(p.textDocument.uri);
    const doc = openByPath.get(path);
    if (!doc) return [];
    const lang = isOursCached(doc);
    const text = doc.getText();
    if (!lang || lang === 'aws' || text.length > MAX_ANALYZED_CHARS) return [];
    // The analysis of this text first: its tree is the one the parse cache then holds (parsing it
    // here instead would leave the analysis nothing to update incrementally).
    fresh(path);
    const a = project.analysisFor(path);
    const idx = new LineIndex(text);
    const offset = idx.offsetAt(p.position);
    const result =
      lang === 'nginx'
        ? nginxCompletions(
            a?.analysis?.language === 'nginx' ? a.analysis.config : null,
            project.nginxTree(path, text),
            path,
            offset,
            // the root file's `# wslb: nginx 1.26` comment first, as the checks read it
            nginxFileOptions(
              project.serviceFor(a?.root ?? path).options,
              a?.analysis?.language === 'nginx'
                ? a.analysis.config.sources.get(a.analysis.config.rootPath)?.text
                : text,
              undefined,
            ).nginxVersion,
          )
        : haproxyCompletions(
            a?.analysis?.language === 'haproxy' ? a.analysis.config : null,
            project.haproxyTree(path, text),
            offset,
            haproxyCompletionTable(
              (a?.analysis?.language === 'haproxy' ? a.analysis.config.sources[0]?.text : undefined) ?? text,
              project.serviceFor(a?.root ?? path).options,
            ),
          );
    return result.items.map((it) => ({
      label: it.label,
      kind: toCompletionKind(it.kind),
      detail: it.detail,
      documentation: it.documentation ? { kind: 'markdown', value: it.documentation } : undefined,
      sortText: it.sortText,
      textEdit: { range: idx.rangeOf(it.replace), newText: it.insertText ?? it.label },
      data:
        lang === 'nginx' && it.kind === 'keyword'
          ? { nginxDirective: it.label, uri: p.textDocument.uri, offset }
          : undefined,
    }));
  }),
);

connection.onCompletionResolve(
  guard('completionResolve', null as unknown as CompletionItem, (item: CompletionItem) => {
    const data = item.data as { nginxDirective?: string; uri?: string; offset?: number } | undefined;
    if (data?.nginxDirective) {
      let family: 'http' | 'stream' | 'mail' | 'main' | 'events' | undefined;
      const path = data.uri ? project.paths.toPath(data.uri) : undefined;
      const doc = path ? openByPath.get(path) : undefined;
      if (path && doc && data.offset !== undefined) {
        const a = project.analysisFor(path);
        const chain = [
          ...(a?.analysis?.language === 'nginx' ? nginxOuterContext(a.analysis.config, path) : []),
          ...nginxBlockPathAt(project.nginxTree(path, doc.getText()), data.offset).path,
        ];
        family = chain.includes('stream')
          ? 'stream'
          : chain.includes('mail')
            ? 'mail'
            : chain.includes('http')
              ? 'http'
              : undefined;
      }
      const version = (path ? project.serviceFor(project.analysisFor(path)?.root ?? path) : project.service).options
        .nginxVersion;
      const md = nginxDirectiveMarkdown(data.nginxDirective, family, version);
      if (md) item.documentation = { kind: 'markdown', value: md };
    }
    return item;
  }),
);

// ---------------------------------------------------------------------------------------------
// code actions

function workspaceEdit(byPath: Map<string, TextEdit[]>): WorkspaceEdit {
  const changes: Record<string, TextEdit[]> = {};
  for (const [path, edits] of byPath) changes[openByPath.get(path)?.uri ?? project.paths.toUri(path)] = edits;
  return { changes };
}

/**
 * The fix-all edit of each analysis, made once: a client without codeAction/resolve gets it with
 * every light-bulb request (on each cursor move), and on a large file it takes several analyses.
 * A new analysis (any edit of the file or its includes) is a new key.
 */
const fixAllOfAnalysis = new WeakMap<object, { path: string; edit: WorkspaceEdit | null }>();

function fixAllEdit(path: string): WorkspaceEdit | null {
  const a = project.analysisFor(path);
  const hit = a ? fixAllOfAnalysis.get(a) : undefined;
  if (hit && hit.path === path) return hit.edit;
  const edit = computeFixAllEdit(path);
  if (a) fixAllOfAnalysis.set(a, { path, edit });
  return edit;
}

function computeFixAllEdit(path: string): WorkspaceEdit | null {
  const res = fixAllConverging(
    path,
    (p) => project.fs.readFile(p),
    (overrides) => project.analyzeWith(path, overrides),
    8,
  );
  if (res.changed.size === 0) return null;
  const byPath = new Map<string, TextEdit[]>();
  for (const [p, after] of res.changed) {
    const before = project.fs.readFile(p);
    if (before === undefined) continue;
    byPath.set(p, [minimalEdit(before, after)]);
  }
  return workspaceEdit(byPath);
}

/**
 * A "Disable …" edit: where the client takes snippet edits, the comment's reason is a placeholder
 * the user types over at once (the edit is applied with "reason" selected); elsewhere the plain
 * text, `-- reason`, for the user to replace.
 */
function disableEdit(uri: string, path: string, e: TextEdit): WorkspaceEdit {
  const suffix = `-- ${DEFAULT_REASON}`;
  const at = e.newText.lastIndexOf(suffix);
  if (!snippetEdits || at < 0) return workspaceEdit(new Map([[path, [e]]]));
  const escape = (t: string) => t.replace(/[\\$}]/g, (c) => `\\${c}`);
  const value = `${escape(e.newText.slice(0, at))}-- \${1:${DEFAULT_REASON}}${escape(e.newText.slice(at + suffix.length))}`;
  const version = documents.get(uri)?.version ?? null;
  return {
    documentChanges: [
      {
        textDocument: { uri, version },
        edits: [{ range: e.range, snippet: { kind: 'snippet', value } } as unknown as TextEdit],
      },
    ],
  };
}

const FIX_ALL_TITLE = 'Fix all safe wslb problems in this file';
/** The server's own command behind "Fix all safe" for clients that cannot resolve code actions. */
const FIX_ALL_COMMAND = 'wslb.server.fixAllSafe';
const SEVERITY_RANK: Record<Finding['severity'], number> = { error: 0, warning: 1, information: 2, hint: 3 };
const hasSafeFix = (fixes: readonly Fix[]) => fixes.some((x) => x.kind === 'safe');

/**
 * The fix VS Code marks preferred (applied by "Auto Fix"): the preferred fix of the most severe
 * finding under the cursor, a safe one before a suggestion at the same severity. Only one.
 */
function preferredFix(findings: Finding[], fixesOf: (f: Finding) => readonly Fix[]): Fix | undefined {
  let best: { fix: Fix; rank: number } | undefined;
  for (const f of findings) {
    const fix = fixesOf(f).find((x) => x.isPreferred);
    if (!fix) continue;
    const rank = SEVERITY_RANK[f.severity] * 2 + (fix.kind === 'safe' ? 0 : 1);
    if (!best || rank < best.rank) best = { fix, rank };
  }
  return best?.fix;
}

/** "Disable <code> for this line / file" for one finding, each with the key that makes it unique. */
function disableActions(
  f: Finding,
  diagnostic: Diagnostic,
  m: { text: string; path: string; aws?: unknown },
  uri: string,
): [string, CodeAction][] {
  if (f.code.endsWith('/syntax') || f.code.startsWith('wslb/') || !knownCode(f.code)) return [];
  // JSON has no comments: a CloudFormation JSON template cannot carry a disable comment.
  if (m.aws && /^\s*[{[]/.test(m.text)) return [];
  const line = disableNextLineEdit(m.text, f.range.start.line, f.code, undefined, commentSyntaxOf(m.path));
  const file = disableFileEdit(m.text, f.code, undefined, commentSyntaxOf(m.path));
  return [
    [
      `line ${f.code} ${JSON.stringify(line)}`,
      {
        title: `Disable ${f.code} for this line`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: disableEdit(uri, m.path, line),
      },
    ],
    [
      `file ${f.code}`,
      {
        title: `Disable ${f.code} for this file`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        edit: disableEdit(uri, m.path, file),
      },
    ],
  ];
}

/** The rule's page, once per rule among the findings (for clients that open wslb-rule: pages). */
function docActions(here: readonly Finding[]): CodeAction[] {
  const docs = new Map<string, Diagnostic[]>();
  for (const f of here) {
    if (!knownCode(f.code)) continue;
    docs.set(f.code, [...(docs.get(f.code) ?? []), toDiagnostic(f, project.paths, ruleLinks)]);
  }
  return [...docs].map(([code, diags]) => ({
    title: `Show documentation for ${code}`,
    kind: CodeActionKind.QuickFix,
    diagnostics: diags,
    command: { title: `Show documentation for ${code}`, command: EXPLAIN_COMMAND, arguments: [code] },
  }));
}

connection.onCodeAction(
  guard('codeAction', [], (p) => {
    const m = docModel(p.textDocument.uri);
    if (!m || m.text.length > MAX_ANALYZED_CHARS) return [];
    const only = p.context.only;
    const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
    // Fixes are built here, from an analysis of the texts as they are now (issue 23): docModel
    // ran the document's pending check, and a root whose analysis is older still (another file
    // it reads was edited, a tree moved) is analysed again first.
    const stale = project.staleRootsOf(m.path);
    if (stale.length) {
      const affected = new Set<string>();
      for (const r of stale) for (const f of project.analyzeRoot(r)) affected.add(f);
      afterAnalysis(affected);
    }
    const findings = project.findingsFor(m.path);
    const built = new Map<Finding, readonly Fix[]>();
    const fixesOf = (f: Finding): readonly Fix[] => {
      let fixes = built.get(f);
      if (!fixes) {
        fixes = project.fixesFor(m.path, [f]).get(f) ?? [];
        built.set(f, fixes);
      }
      return fixes;
    };
    // Does any finding of the file have a safe fix? Those under the cursor are asked first (their
    // fixes are built anyway); the others, only while none is found, and only rules' findings.
    let safe: boolean | undefined;
    const anySafe = (first: readonly Finding[]): boolean =>
      (safe ??=
        first.some((f) => hasSafeFix(fixesOf(f))) ||
        findings.some((f) => ruleById(f.code) !== undefined && hasSafeFix(fixesOf(f))));
    const fixAllAction = (kind: string): CodeAction | undefined => {
      if (codeActionResolve) return { title: FIX_ALL_TITLE, kind, data: { uri: p.textDocument.uri, fixAll: true } };
      // A client that cannot resolve gets, in the light bulb (asked at every cursor move), a
      // command: the whole fix-all is built only if it is chosen (issue 23). Asked for by kind
      // (on save, from the palette), the edit comes at once.
      if (kind === CodeActionKind.QuickFix && clientAppliesEdits)
        return {
          title: FIX_ALL_TITLE,
          kind,
          command: { title: FIX_ALL_TITLE, command: FIX_ALL_COMMAND, arguments: [p.textDocument.uri] },
        };
      const edit = fixAllEdit(m.path);
      return edit ? { title: FIX_ALL_TITLE, kind, edit } : undefined;
    };
    const out: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      const here = findings.filter((f) => rangesTouch(f.range, p.range));
      for (const [f, fixes] of project.fixesFor(m.path, here)) built.set(f, fixes);
      const preferred = preferredFix(here, fixesOf);
      // Identical actions (two findings offering the same edit, "Disable X for this line" for two
      // findings of X on one line) are listed once, with every diagnostic they resolve.
      const byKey = new Map<string, CodeAction>();
      const fixes: CodeAction[] = [];
      const disables: CodeAction[] = [];
      const add = (list: CodeAction[], key: string, action: CodeAction) => {
        const seen = byKey.get(key);
        if (!seen) {
          byKey.set(key, action);
          list.push(action);
          return;
        }
        seen.diagnostics = [...(seen.diagnostics ?? []), ...(action.diagnostics ?? [])];
        if (action.isPreferred) seen.isPreferred = true;
      };
      for (const f of here) {
        const diagnostic = toDiagnostic(f, project.paths, ruleLinks);
        for (const fix of fixesOf(f)) {
          const byPath = new Map<string, TextEdit[]>();
          for (const e of fix.edits)
            byPath.set(e.file, [...(byPath.get(e.file) ?? []), { range: e.range, newText: e.newText }]);
          add(fixes, `fix ${JSON.stringify(fix.edits)}`, {
            title: fix.title,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            isPreferred: fix === preferred,
            edit: workspaceEdit(byPath),
          });
        }
        for (const [key, action] of disableActions(f, diagnostic, m, p.textDocument.uri)) add(disables, key, action);
      }
      out.push(...fixes);
      // In the light bulb too (not only under Source Action), when something can be fixed safely.
      if (here.length > 0 && anySafe(here)) {
        const all = fixAllAction(CodeActionKind.QuickFix);
        if (all) out.push(all);
      }
      out.push(...disables);
      if (ruleLinks === 'editor') out.push(...docActions(here));
    }
    if ((wants(FIX_ALL_KIND) || (only && only.includes(CodeActionKind.SourceFixAll))) && anySafe([])) {
      const all = fixAllAction(FIX_ALL_KIND);
      if (all) out.push(all);
    }
    return out;
  }),
);

connection.onExecuteCommand(
  guard('executeCommand', null, (p: ExecuteCommandParams): Promise<null> | null => {
    const uri: unknown = p.arguments?.[0];
    if (p.command !== FIX_ALL_COMMAND || typeof uri !== 'string') return null;
    const path = project.paths.toPath(uri);
    fresh(path);
    const edit = fixAllEdit(path);
    if (!edit) return null;
    // answered once the client has applied it (or refused it)
    return connection.workspace.applyEdit({ label: FIX_ALL_TITLE, edit }).then(
      () => null,
      () => null,
    );
  }),
);

connection.onCodeActionResolve(
  guard('codeActionResolve', null as unknown as CodeAction, (action: CodeAction) => {
    const data = action.data as { uri?: string; fixAll?: boolean } | undefined;
    if (data?.fixAll && data.uri) {
      const path = project.paths.toPath(data.uri);
      fresh(path);
      action.edit = fixAllEdit(path) ?? { changes: {} };
    }
    return action;
  }),
);

// ---------------------------------------------------------------------------------------------

// For test/lsp/lazy-fixes.test.ts: how many times the process built a finding's fixes (issue 23:
// diagnostics build none; a code action builds those of the findings it is asked about).
connection.onRequest('wslb/debug/fixBuilds', () => fixBuildCount());

// For the soak test (test/lsp/soak.test.ts): the heap after a full collection, only when the
// server runs with --expose-gc (never in an editor).
const gc = (globalThis as { gc?: () => void }).gc;
if (gc)
  connection.onRequest('wslb/debug/heapUsed', () => {
    gc();
    return process.memoryUsage().heapUsed;
  });

connection.onShutdown(() => {
  scheduler.dispose();
});

process.on('uncaughtException', (e) => logError('uncaught', e));
process.on('unhandledRejection', (e) => logError('unhandled rejection', e));

documents.listen(connection);
connection.listen();
