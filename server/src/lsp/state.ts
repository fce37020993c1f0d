/**
 * The language server's state: one object, made by startServer (lsp/server.ts), that the handlers
 * (lsp/handlers/) share. It holds the connection, the open documents, the project (analyses and
 * their caches), the scheduler, what the client can do, and the server's own bookkeeping.
 */
import { ResponseError, TextDocuments, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerDocument } from './document';
import { Project, type TextEditRecord } from './project';
import { Scheduler } from './scheduler';
import { LspCache } from './cache';
import { toDiagnostic, type RuleLinks } from './convert';
import { detectConfigLanguage } from '../service';
import { awsFormatOf } from '../service/model/aws-build';
import type { FeatureDoc, SourceDoc } from '../service/api';
import type { ConfigLanguage, Finding } from '../service/types';

/** What the client said it can do (initialize). */
export interface ClientCapabilities {
  configuration: boolean;
  watchedFilesDynamic: boolean;
  workspaceFolders: boolean;
  codeActionResolve: boolean;
  /** Can the client apply an edit the server sends (workspace/applyEdit)? */
  appliesEdits: boolean;
  codeLensRefresh: boolean;
  /** The client applies LSP 3.18 snippet edits (VS Code through vscode-languageclient 10+, for one). */
  snippetEdits: boolean;
}

/** File names whose AWS-ness can change with an edit (so it is not cached per document). */
const AWS_CANDIDATE = /\.(tf|ya?ml|json|template)$/i;

export class ServerState {
  readonly openByPath = new Map<string, TextDocument>();
  readonly project = new Project((path) => {
    const d = this.openByPath.get(path);
    return d ? { uri: d.uri, path, text: d.getText(), version: d.version, languageId: d.languageId } : undefined;
  });
  readonly scheduler = new Scheduler((key, e) => this.logError(`analysis of ${key}`, e));
  readonly cache = new LspCache();
  /**
   * Documents, plus a record of each didChange's edits in offsets (project.noteEdits), so parse
   * caches can re-parse only what an edit touched. Changes are applied one at a time: each one's
   * range refers to the text the previous one produced.
   */
  readonly documents = new TextDocuments<ServerDocument>({
    create: (uri, languageId, version, content) => new ServerDocument(uri, languageId, version, content),
    update: (doc, changes, version) => {
      const before = doc.getText();
      const edits: TextEditRecord[] = [];
      for (const change of changes) {
        const { offset, deleted, lines } = doc.apply(change);
        // the text after each edit too: the document's join of its pieces, made without a copy
        const edit: TextEditRecord = { offset, deleted, inserted: change.text, made: doc.getText() };
        if (lines) edit.lines = lines;
        edits.push(edit);
      }
      doc.version = version;
      this.project.noteEdits(this.project.paths.toPath(doc.uri), before, edits, doc.getText());
      return doc;
    },
  });
  client: ClientCapabilities = {
    configuration: false,
    watchedFilesDynamic: false,
    workspaceFolders: false,
    codeActionResolve: false,
    appliesEdits: false,
    codeLensRefresh: false,
    snippetEdits: false,
  };
  workspaceRoots: string[] = [];
  initSettings: unknown = undefined;
  /** Does the client open `wslb-rule:` pages (initializationOptions.ruleLinks, lsp/protocol.ts)? */
  ruleLinks: RuleLinks = 'web';
  /**
   * Have the settings (the window's and each folder's) been read once? Until then nothing is
   * published: a document opened first would show findings for the default versions.
   */
  settingsRead = false;
  /** Files we published non-empty diagnostics for (so we can clear them). */
  readonly published = new Set<string>();
  backgroundGeneration = 0;
  /** How long the last analysis behind each document took (ms). */
  readonly lastCost = new Map<string, number>();

  constructor(readonly connection: Connection) {}

  log(msg: string): void {
    this.connection.console.log(`[wslb] ${msg}`);
  }

  logError(where: string, e: unknown): void {
    const err = e as Error;
    this.connection.console.error(`[wslb] ${where} failed: ${err?.stack ?? String(e)}`);
  }

  /** Run a request handler; any exception is logged and answered with `fallback`. */
  guard<P, R>(name: string, fallback: R, fn: (p: P) => R): (p: P) => R {
    return (p: P) => {
      try {
        return fn(p);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        this.logError(name, e);
        return fallback;
      }
    };
  }

  /**
   * Is this document ours? nginx/HAProxy by language id or content; AWS when a Terraform,
   * CloudFormation YAML/JSON file declares ALB/NLB resources (whatever its language id: the client
   * sends every terraform/yaml/json document and the content decides).
   */
  languageOf(doc: TextDocument): ConfigLanguage | undefined {
    if (doc.languageId === 'nginx' || doc.languageId === 'haproxy') return doc.languageId;
    return detectConfigLanguage(this.project.paths.toPath(doc.uri), doc.getText());
  }

  /** languageOf, decided once per document where its content cannot change it. */
  ourLanguage(doc: TextDocument): ConfigLanguage | undefined {
    if (doc.languageId === 'nginx' || doc.languageId === 'haproxy') return doc.languageId;
    // A regex over the text: cheap enough to redo after each edit (a resource may be added or removed).
    if (AWS_CANDIDATE.test(doc.uri))
      return awsFormatOf(this.project.paths.toPath(doc.uri), doc.getText()) ? 'aws' : undefined;
    return this.cache.language(doc, () => this.languageOf(doc));
  }

  languageOfOpen(path: string): ConfigLanguage | undefined {
    const d = this.openByPath.get(path);
    return d ? this.ourLanguage(d) : undefined;
  }

  uriOf(path: string): string {
    return this.openByPath.get(path)?.uri ?? this.project.paths.toUri(path);
  }

  /** Make sure the analysis behind an open document reflects its current text. */
  fresh(path: string): void {
    this.scheduler.flush('doc:' + path);
  }

  diagnosticOf(f: Finding): Diagnostic {
    return this.cache.diagnostic(f, () => toDiagnostic(f, this.project.paths, this.ruleLinks));
  }

  sourceDoc(path: string, text: string): SourceDoc {
    return {
      path,
      text,
      nginxTree: (p, t) => this.project.nginxTree(p, t),
      haproxyTree: (p, t) => this.project.haproxyTree(p, t),
    };
  }

  /** A document of ours (open, else on disk) with its analysis brought up to date. */
  featureDoc(uri: string): FeatureDoc | undefined {
    const path = this.project.paths.toPath(uri);
    const doc = this.openByPath.get(path);
    const language = doc ? this.ourLanguage(doc) : this.project.languageOf(path);
    if (!language) return undefined;
    this.fresh(path);
    const text = doc?.getText() ?? this.project.fs.readFile(path);
    if (text === undefined) return undefined;
    const a = this.project.analysisFor(path);
    return { ...this.hostOf(path, text, language), analysis: a?.analysis ?? undefined, root: a?.root };
  }

  /**
   * An open document of ours; its analysis is brought up to date only when a feature reads it
   * (completion of an AWS file asks for none).
   */
  openFeatureDoc(uri: string): FeatureDoc | undefined {
    const path = this.project.paths.toPath(uri);
    const doc = this.openByPath.get(path);
    const language = doc && this.ourLanguage(doc);
    if (!doc || !language) return undefined;
    let a: ReturnType<Project['analysisFor']> | null = null;
    const analysed = () => {
      if (a === null) {
        this.fresh(path);
        a = this.project.analysisFor(path);
      }
      return a;
    };
    return Object.defineProperties(this.hostOf(path, doc.getText(), language), {
      analysis: { get: () => analysed()?.analysis ?? undefined, enumerable: true },
      root: { get: () => analysed()?.root, enumerable: true },
    });
  }

  private hostOf(path: string, text: string, language: ConfigLanguage): FeatureDoc {
    return {
      ...this.sourceDoc(path, text),
      language,
      optionsOf: (p) => this.project.serviceFor(p).options,
      fs: this.project.fs,
    };
  }
}
