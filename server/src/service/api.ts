/**
 * The editor features of one language behind one façade: `featuresOf(language)` gives the
 * `LanguageFeatures` of nginx, HAProxy or AWS, and the front end calls them without asking which
 * language it has. Plain data in and out (offsets, spans, service types); the host (the language
 * server's project) supplies the document, its analysis and its parse trees.
 */
import type { AwsAnalysis, HaproxyAnalysis, NginxAnalysis } from './index';
import { nginxFileOptions } from './index';
import type { ServiceOptions } from './options';
import type { ConfigFileSystem } from './model/fs';
import type { NginxFile } from './syntax/nginx';
import type { HaproxyFile } from './syntax/haproxy';
import type { ConfigLanguage, Finding } from './types';
import { LineIndex } from './text';
import { doHover, type HoverResult } from './features/hover';
import {
  haproxyCompletionTable,
  haproxyCompletions,
  nginxBlockPathAt,
  nginxCompletions,
  nginxDirectiveMarkdown,
  nginxOuterContext,
  type CompletionEntry,
} from './features/completion';
import {
  haproxyDocumentSymbols,
  haproxyFoldingRanges,
  nginxDocumentSymbols,
  nginxFoldingRanges,
  type FoldRange,
  type OutlineSymbol,
} from './features/symbols';
import { haproxySymbolAt, nginxSymbolAt, type NavSymbol } from './features/navigation';
import { haproxyPools, nginxPools, type PoolInfo } from './features/pools';
import { awsPools } from './features/aws-pools';
import { buildAlgorithmEdit, type AlgorithmEditResult } from './features/algorithm-edit';
import { versionInfo, type VersionInfo } from './version-info';
import { versionHintFor } from './version-detect';

export type AnyAnalysis = NginxAnalysis | HaproxyAnalysis | AwsAnalysis;

/** A file's text and the host's parse of it (the parse caches live in the host). */
export interface SourceDoc {
  path: string;
  text: string;
  nginxTree(path: string, text: string): NginxFile;
  haproxyTree(path: string, text: string): HaproxyFile;
}

/** A document with what the host knows of it. */
export interface FeatureDoc extends SourceDoc {
  language: ConfigLanguage;
  /** The analysis that gives the document its context (its root may be another file). */
  analysis?: AnyAnalysis;
  /** That analysis's root file. */
  root?: string;
  /** The options a file is checked with (its folder's versions applied). */
  optionsOf(path: string): ServiceOptions;
  fs: ConfigFileSystem;
}

/** What a completion item resolves with later (completionResolve); plain JSON. */
export interface CompletionData {
  nginxDirective: string;
  offset: number;
}

export interface CompletionItemData extends CompletionEntry {
  data?: CompletionData;
}

export interface LanguageFeatures {
  hover(d: FeatureDoc, offset: number, findings: Finding[], uri: string): HoverResult | null;
  complete(d: FeatureDoc, offset: number): CompletionItemData[];
  symbols(d: SourceDoc): OutlineSymbol[];
  folding(d: SourceDoc): FoldRange[];
  /** The symbol under the cursor with its definitions and references (navigation, rename). */
  symbolAt(d: FeatureDoc, offset: number): NavSymbol | null;
  pools(d: FeatureDoc): PoolInfo[];
  /** The title of the code lens that opens a pool in the simulator. */
  lensTitle(info: PoolInfo): string;
  /** The version the document is checked for, where versions apply. */
  version(d: FeatureDoc): VersionInfo | null;
  /** Can a comment in this text turn a rule off (JSON cannot carry one)? */
  canSuppress(text: string): boolean;
}

const nginxOf = (d: FeatureDoc) => (d.analysis?.language === 'nginx' ? d.analysis.config : undefined);
const haproxyOf = (d: FeatureDoc) => (d.analysis?.language === 'haproxy' ? d.analysis.config : undefined);
const awsOf = (d: FeatureDoc) => (d.analysis?.language === 'aws' ? d.analysis.config : undefined);

/** The hover, whichever language the document's analysis is of. */
function hoverOf(d: FeatureDoc, offset: number, findings: Finding[], uri: string): HoverResult | null {
  return doHover({
    language: d.language,
    path: d.path,
    offset,
    nginx: nginxOf(d),
    haproxy: haproxyOf(d),
    aws: awsOf(d),
    findings,
    options: d.optionsOf(nginxOf(d)?.rootPath ?? d.path),
    uri,
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const serverLensTitle = (info: PoolInfo) =>
  `Simulate balancing (${info.pool.algorithm}, ${plural(info.pool.servers.length, 'server')})`;

const NGINX: LanguageFeatures = {
  hover: hoverOf,
  complete: (d, offset) => {
    const config = nginxOf(d);
    // the root file's `# wslb: nginx 1.26` comment first, as the checks read it
    const rootText = config ? config.sources.get(config.rootPath)?.text : d.text;
    const version = nginxFileOptions(d.optionsOf(d.root ?? d.path), rootText, undefined).nginxVersion;
    const result = nginxCompletions(config ?? null, d.nginxTree(d.path, d.text), d.path, offset, version);
    return result.items.map((it) =>
      it.kind === 'keyword' ? { ...it, data: { nginxDirective: it.label, offset } } : it,
    );
  },
  symbols: (d) => nginxDocumentSymbols(d.nginxTree(d.path, d.text)),
  folding: (d) => nginxFoldingRanges(d.nginxTree(d.path, d.text)),
  symbolAt: (d, offset) => {
    const config = nginxOf(d);
    return config ? nginxSymbolAt(config, d.path, offset) : null;
  },
  pools: (d) => {
    const config = nginxOf(d);
    return config ? nginxPools(config, d.path) : [];
  },
  lensTitle: serverLensTitle,
  version: (d) => {
    // an nginx include is checked for its root's version
    const config = nginxOf(d);
    const root = config?.rootPath ?? d.path;
    const o = d.optionsOf(root);
    const rootText = config?.sources.get(root)?.text ?? d.text;
    return versionInfo('nginx', rootText, o.nginxVersion, !!o.nginxVersionSet, versionHintFor(d.fs, root, 'nginx'));
  },
  canSuppress: () => true,
};

const HAPROXY: LanguageFeatures = {
  hover: hoverOf,
  complete: (d, offset) => {
    const config = haproxyOf(d);
    const table = haproxyCompletionTable(config?.sources[0]?.text ?? d.text, d.optionsOf(d.root ?? d.path));
    return haproxyCompletions(config ?? null, d.haproxyTree(d.path, d.text), offset, table).items;
  },
  symbols: (d) => haproxyDocumentSymbols(d.haproxyTree(d.path, d.text)),
  folding: (d) => haproxyFoldingRanges(d.haproxyTree(d.path, d.text)),
  symbolAt: (d, offset) => {
    const config = haproxyOf(d);
    return config ? haproxySymbolAt(config, d.path, offset) : null;
  },
  pools: (d) => {
    const config = haproxyOf(d);
    return config ? haproxyPools(config, d.path) : [];
  },
  lensTitle: serverLensTitle,
  version: (d) => {
    // a HAProxy file is checked for its own version (it is the first file of its group)
    const o = d.optionsOf(d.path);
    const hint = versionHintFor(d.fs, d.path, 'haproxy');
    return versionInfo('haproxy', d.text, o.haproxyVersion, !!o.haproxyVersionSet, hint);
  },
  canSuppress: () => true,
};

const AWS: LanguageFeatures = {
  hover: hoverOf,
  complete: () => [],
  symbols: () => [],
  folding: () => [],
  symbolAt: () => null,
  pools: (d) => {
    const config = awsOf(d);
    return config ? awsPools(config, d.path) : [];
  },
  // a model of documented behaviour with placeholder targets, and the lens says so
  lensTitle: (info) =>
    `Simulate balancing (model of AWS ${info.pool.algorithm}, ${plural(info.pool.servers.length, 'placeholder target')})`,
  version: () => null,
  // JSON has no comments: a CloudFormation JSON template cannot carry a disable comment.
  canSuppress: (text) => !/^\s*[{[]/.test(text),
};

const FEATURES: Record<ConfigLanguage, LanguageFeatures> = { nginx: NGINX, haproxy: HAPROXY, aws: AWS };

/** The features of a language: the one place the front end's choice of language is made. */
export function featuresOf(language: ConfigLanguage): LanguageFeatures {
  return FEATURES[language];
}

/** The line index of a file as its analysis parsed it, if the analysis holds it. */
function analysedIndex(analysis: AnyAnalysis | undefined, path: string): LineIndex | undefined {
  if (analysis?.language === 'nginx') return analysis.config.sources.get(path)?.tree.lineIndex;
  if (analysis?.language === 'haproxy') return analysis.config.sources.find((s) => s.path === path)?.tree.lineIndex;
  return undefined;
}

/** The line index of the document itself (offsets of the cursor, ranges of its hovers). */
export function docLineIndex(d: FeatureDoc): LineIndex {
  return analysedIndex(d.analysis, d.path) ?? new LineIndex(d.text);
}

/** The line index of any file of the document's analysis (locations of references, pools). */
export function fileLineIndex(d: FeatureDoc, path: string): LineIndex {
  return analysedIndex(d.analysis, path) ?? new LineIndex(d.fs.readFile(path) ?? '');
}

/** The edit that sets the balancing algorithm of the pool named `pool`. */
export function algorithmEdit(d: FeatureDoc, pool: string, algorithm: string): AlgorithmEditResult | { missing: true } {
  const info = featuresOf(d.language)
    .pools(d)
    .find((i) => i.pool.name === pool);
  if (!info) return { missing: true };
  const { system } = info.pool;
  return buildAlgorithmEdit(
    d.text,
    { system, span: info.span, nameSpan: info.nameSpan, algorithmSpan: info.algorithmSpan },
    algorithm,
  );
}

/**
 * The documentation of a completion item, asked when the user selects it. `at`: the document it
 * was offered in, when it is still there (the directive's context then picks its family).
 */
export function resolveCompletion(
  data: CompletionData,
  at: (SourceDoc & { analysis?: AnyAnalysis }) | undefined,
  options: ServiceOptions,
): string | undefined {
  let family: 'http' | 'stream' | 'mail' | 'main' | 'events' | undefined;
  if (at) {
    const chain = [
      ...(at.analysis?.language === 'nginx' ? nginxOuterContext(at.analysis.config, at.path) : []),
      ...nginxBlockPathAt(at.nginxTree(at.path, at.text), data.offset).path,
    ];
    family = chain.includes('stream')
      ? 'stream'
      : chain.includes('mail')
        ? 'mail'
        : chain.includes('http')
          ? 'http'
          : undefined;
  }
  return nginxDirectiveMarkdown(data.nginxDirective, family, options.nginxVersion);
}
