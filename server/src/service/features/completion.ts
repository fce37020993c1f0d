/**
 * Completion: directives/keywords valid at the cursor, upstream names after `proxy_pass http://`
 * (and `grpc_pass grpc://`, stream `proxy_pass`), backend names after use_backend/default_backend,
 * defined variables after "$".
 */
import {
  blockTypeOfPath,
  nginxDirectivesForContext,
  nginxDocs,
  nginxDirective,
  describeArgCount,
  type NginxFamily as KbFamily,
} from '../knowledge/nginx';
import { walkContexts, walkStatements, type NginxConfig, type NginxContext } from '../model/nginx';
import type { HaproxyConfig } from '../model/haproxy';
import type { NginxFile, NginxNode } from '../syntax/nginx';
import type { HaproxyFile } from '../syntax/haproxy';
import { sectionAt, lineAt } from '../syntax/haproxy';
import { SECTION_KEYWORDS } from '../syntax/haproxy';
import { HAPROXY_26, type HaproxyTable } from '../knowledge/haproxy';
import { haproxyTables, haproxyTarget } from '../knowledge/haproxy-tables';
import { describeHaproxyKeyword } from '../knowledge/describe';
import { effectiveVersion } from '../version-detect';
import type { Span } from '../text';

export type CompletionKindName = 'keyword' | 'module' | 'class' | 'variable' | 'reference' | 'snippet';

export interface CompletionEntry {
  label: string;
  kind: CompletionKindName;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** What to insert instead of the label. */
  insertText?: string;
  /** The span the item replaces (the word being typed). */
  replace: Span;
  sortText?: string;
}

export interface CompletionResult {
  items: CompletionEntry[];
  /** True when the list depends on more than the typed prefix (the client should ask again). */
  isIncomplete: boolean;
}

/** Names of the enclosing blocks at `offset` (outermost first) and whether the cursor is inside a data/raw block. */
export function nginxBlockPathAt(file: NginxFile, offset: number): { path: string[]; data: boolean } {
  const path: string[] = [];
  let list: NginxNode[] = file.children;
  for (;;) {
    let next: NginxNode[] | null = null;
    for (const n of list) {
      if (n.start >= offset) break;
      if (n.type !== 'directive' || !n.block) continue;
      const b = n.block;
      if (offset > b.open && (b.close < 0 || offset <= b.close)) {
        path.push(n.name);
        if (b.rawBody || ['map', 'geo', 'types', 'split_clients', 'match', 'charset_map'].includes(n.name))
          return { path, data: true };
        next = b.children;
        break;
      }
    }
    if (!next) return { path, data: false };
    list = next;
  }
}

/** The context chain (outermost first) in which a file's top level sits in this config. */
export function nginxOuterContext(config: NginxConfig, path: string): string[] {
  let found: NginxContext | null = null;
  for (const s of walkStatements(config.root)) {
    if (s.source.path === path) {
      found = s.context;
      // the file's own top level: the context of a statement whose directive has no enclosing block in its file
      if (s.directive.parent.type === 'file') break;
      found = null;
    }
  }
  if (!found) {
    if (config.rootPath === path && config.assumedContext) return [...config.assumedContext];
    return [];
  }
  const chain: string[] = [];
  for (let c: NginxContext | null = found; c && c.kind !== 'main'; c = c.parent)
    chain.unshift(c.statement?.name ?? c.kind);
  return chain;
}

function familyOfPath(path: string[]): KbFamily {
  for (const p of path) if (p === 'http' || p === 'stream' || p === 'mail' || p === 'events') return p;
  return 'main';
}

/** Markdown docs of an nginx directive: syntax, default, contexts, description, link. */
export function nginxDirectiveMarkdown(name: string, family?: KbFamily, version?: string): string | undefined {
  const doc = nginxDocs(name, family)[0] ?? nginxDocs(name)[0];
  const info = nginxDirective(name, family, version)[0];
  if (!doc && !info) return undefined;
  const parts: string[] = [];
  if (doc?.syntax.length) parts.push(doc.syntax.map((s) => `**Syntax:** ${s}`).join('  \n'));
  if (doc?.default) parts.push(`**Default:** \`${doc.default}\``);
  if (doc?.contexts.length) parts.push(`**Context:** ${doc.contexts.join(', ')}`);
  if (!doc && info) parts.push(`**Arguments:** ${describeArgCount(info.args)}`);
  if (doc?.description) parts.push(doc.description);
  if (doc?.url) parts.push(`[nginx documentation](${doc.url})`);
  return parts.join('\n\n');
}

/** Variables set in the config, then the common built-in ones, replacing `start`..`offset`. */
function nginxVariableItems(config: NginxConfig, start: number, offset: number): CompletionEntry[] {
  const names = new Set<string>();
  for (const [, src] of config.sources) {
    for (const m of src.text.matchAll(
      /\b(?:map|geo|split_clients)\s+\S+\s+\$([A-Za-z0-9_]+)|\bset\s+\$([A-Za-z0-9_]+)/g,
    ))
      names.add(m[1] ?? m[2]);
  }
  for (const n of [
    'http_upgrade',
    'host',
    'remote_addr',
    'proxy_add_x_forwarded_for',
    'scheme',
    'request_uri',
    'uri',
    'args',
    'server_name',
    'binary_remote_addr',
  ])
    names.add(n);
  return [...names].sort().map((n) => ({ label: n, kind: 'variable' as const, replace: { start, end: offset } }));
}

export function nginxCompletions(
  config: NginxConfig | null,
  file: NginxFile,
  path: string,
  offset: number,
  version: string,
): CompletionResult {
  const text = file.text;
  const idx = file.lineIndex;
  const pos = idx.positionAt(offset);
  const lineStart = idx.lineStarts[pos.line];
  const before = text.slice(lineStart, offset);
  const items: CompletionEntry[] = [];

  // variables: "$" or "${" prefix
  const varMatch = /\$\{?([A-Za-z0-9_]*)$/.exec(before);
  if (varMatch && config)
    return { items: nginxVariableItems(config, offset - varMatch[1].length, offset), isIncomplete: false };

  // upstream names after a pass directive's scheme
  const pass =
    /(^|[;{}\s])(proxy_pass|grpc_pass|uwsgi_pass|fastcgi_pass|scgi_pass)\s+((?:[a-z]+:\/\/)?)([A-Za-z0-9_.-]*)$/.exec(
      before,
    );
  if (pass) {
    const outer = [...(config ? nginxOuterContext(config, path) : []), ...nginxBlockPathAt(file, offset).path];
    const family = outer.includes('stream') ? 'stream' : 'http';
    if (pass[3] || family === 'stream') {
      const start = offset - pass[4].length;
      for (const up of config ? upstreamsOf(config, family) : []) {
        const servers = up.statements
          .filter((s) => s.name === 'server')
          .map((s) => s.args[0])
          .filter(Boolean);
        items.push({
          label: up.statement!.args[0],
          kind: 'reference',
          detail: `upstream (${servers.length} server${servers.length === 1 ? '' : 's'})`,
          documentation: servers.length ? servers.map((s) => `- \`${s}\``).join('\n') : undefined,
          replace: { start, end: offset },
        });
      }
      return { items, isIncomplete: false };
    }
  }

  // directive names at the start of a statement
  const stmt = /(^|[;{}])\s*([A-Za-z0-9_]*)$/.exec(before);
  if (stmt) {
    const inner = nginxBlockPathAt(file, offset);
    if (inner.data) return { items, isIncomplete: false };
    const outer = config ? nginxOuterContext(config, path) : [];
    const chain = [...outer, ...inner.path];
    const start = offset - stmt[2].length;
    const names = blockTypeOfPath(chain) ? nginxDirectivesForContext(chain, version) : [];
    const family = familyOfPath(chain);
    for (const name of names) {
      const doc = nginxDocs(name, family)[0] ?? nginxDocs(name)[0];
      items.push({
        label: name,
        kind: 'keyword',
        detail: doc?.syntax[0]?.replace(/[`*]/g, '') ?? doc?.module,
        replace: { start, end: offset },
      });
    }
    return { items, isIncomplete: false };
  }
  return { items, isIncomplete: false };
}

function upstreamsOf(config: NginxConfig, family: 'http' | 'stream'): NginxContext[] {
  const out: NginxContext[] = [];
  const seen = new Set<string>();
  for (const c of walkContexts(config.root)) {
    const name = c.statement?.args[0];
    if (c.kind === 'upstream' && c.family === family && name && !seen.has(name)) {
      seen.add(name);
      out.push(c);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// HAProxy

/**
 * Keywords (first words, with sub-keywords for "option", "timeout", ...) allowed in a section,
 * from a version's HAProxy keyword table (its manual's keyword lists and its 4.1 matrix; 2.6's by
 * default). Deprecated keywords are left out; "named" (named defaults only) counts as allowed.
 */
export function haproxyKeywordsFor(
  section: string,
  table: HaproxyTable = HAPROXY_26,
): { keyword: string; full: string }[] {
  if (section === 'global') return table.globalKeywordNames().map((k) => ({ keyword: k.split(' ')[0], full: k }));
  if (section === 'defaults' || section === 'frontend' || section === 'listen' || section === 'backend') {
    const out: { keyword: string; full: string }[] = [];
    for (const row of table.proxyKeywords()) {
      if (row.deprecated) continue;
      const cell = row[section];
      if (cell === 'yes' || cell === 'named') out.push({ keyword: row.name.split(' ')[0], full: row.name });
    }
    return out;
  }
  return (table.sectionKeywords(section) ?? []).map((d) => ({ keyword: d.name.split(' ')[0], full: d.name }));
}

/**
 * The section keywords a version accepts: the proxy sections and `global` always, the others when
 * its table documents them (`crt-store` from 3.0, `program` up to 3.2), or when no table does.
 */
export function haproxySectionsFor(table: HaproxyTable = HAPROXY_26): string[] {
  const documented = (s: string) => haproxyTables().some((t) => !!t.table.sectionDoc(s));
  return SECTION_KEYWORDS.filter((s) => !!table.sectionDoc(s) || !documented(s));
}

/** The keyword table completion reads: the target version's (the root file's `# wslb: haproxy X` comment first). */
export function haproxyCompletionTable(
  text: string,
  options: { haproxyVersion: string; haproxyVersionSet?: boolean },
): HaproxyTable {
  const v = effectiveVersion(text, 'haproxy', options.haproxyVersion, !!options.haproxyVersionSet, undefined);
  const t = haproxyTarget(v.version);
  return t.ok ? t.table.table : HAPROXY_26;
}

function haproxyKeywordMarkdown(
  words: string[],
  section: string,
  table: HaproxyTable,
  option?: string,
): string | undefined {
  const d = describeHaproxyKeyword(words, section, option, table);
  if (!d) return undefined;
  const parts: string[] = [];
  if (d.syntax.length) parts.push('```\n' + d.syntax.join('\n') + '\n```');
  if (d.allowedIn?.length) parts.push(`**Sections:** ${d.allowedIn.join(', ')}`);
  parts.push(`[HAProxy ${table.version} manual, ${d.section}](${d.url})`);
  return parts.join('\n\n');
}

/** The backends (and listen sections) a `use_backend` / `default_backend` may name. */
function haproxyBackendItems(config: HaproxyConfig | null, start: number, offset: number): CompletionEntry[] {
  const items: CompletionEntry[] = [];
  for (const p of config?.proxies ?? []) {
    if ((p.kind === 'backend' || p.kind === 'listen') && p.name) {
      items.push({
        label: p.name,
        kind: 'reference',
        detail: `${p.kind} (${p.servers.length} server${p.servers.length === 1 ? '' : 's'})`,
        documentation:
          p.servers.map((s) => `- \`${s.name}\` ${s.address}${s.port !== null ? ':' + s.port : ''}`).join('\n') ||
          undefined,
        replace: { start, end: offset },
      });
    }
  }
  return items;
}

export function haproxyCompletions(
  config: HaproxyConfig | null,
  file: HaproxyFile,
  offset: number,
  /** The target version's keyword table (haproxyCompletionTable()); 2.6's by default. */
  table: HaproxyTable = HAPROXY_26,
): CompletionResult {
  const text = file.text;
  const line = lineAt(file, offset);
  const lineStart = line ? line.start : offset;
  const before = text.slice(lineStart, offset);
  const items: CompletionEntry[] = [];

  const backendRef = /^\s*(use_backend|default_backend)\s+([A-Za-z0-9_.:-]*)$/.exec(before);
  if (backendRef)
    return { items: haproxyBackendItems(config, offset - backendRef[2].length, offset), isIncomplete: false };
  const serverOpt =
    /^\s*server\s+\S+\s+\S+\s+(?:\S+\s+)*([A-Za-z0-9_.-]*)$/.exec(before) ??
    /^\s*default-server\s+(?:\S+\s+)*([A-Za-z0-9_.-]*)$/.exec(before);
  if (serverOpt) {
    const start = offset - serverOpt[1].length;
    for (const d of table.serverOptions()) {
      items.push({
        label: d.name,
        kind: 'keyword',
        detail: d.syntax.find((x) => x) ?? 'server option',
        documentation: `[HAProxy ${table.version} manual, ${d.section}](${table.docUrl(d.anchor)})`,
        replace: { start, end: offset },
      });
    }
    return { items, isIncomplete: false };
  }
  const fromRef = /^\s*(frontend|backend|listen|defaults)\s+\S+\s+from\s+([A-Za-z0-9_.:-]*)$/.exec(before);
  if (fromRef) {
    const start = offset - fromRef[2].length;
    for (const p of config?.proxies ?? [])
      if (p.kind === 'defaults' && p.name)
        items.push({ label: p.name, kind: 'reference', detail: 'defaults', replace: { start, end: offset } });
    return { items, isIncomplete: false };
  }
  // keyword position: first word, possibly followed by a sub-keyword ("option ", "timeout ")
  const kw = /^(\s*)([A-Za-z0-9_.-]*)$/.exec(before);
  const sub =
    /^\s*(option|timeout|http-check|capture|email-alert|stick|monitor|no option|default option)\s+([A-Za-z0-9_.-]*)$/.exec(
      before,
    );
  const section =
    sectionAt(file, Math.max(0, lineStart - 1)) ??
    (file.sections.length ? file.sections.filter((s) => s.start < offset).pop() : undefined);
  if (sub) {
    const head = sub[1].replace(/^(no|default) /, '');
    const start = offset - sub[2].length;
    const keywords = section ? haproxyKeywordsFor(section.keyword, table) : [];
    const seen = new Set<string>();
    for (const k of keywords) {
      if (!k.full.startsWith(head + ' ')) continue;
      const rest = k.full.slice(head.length + 1).split(' ')[0];
      if (seen.has(rest)) continue;
      seen.add(rest);
      items.push({
        label: rest,
        kind: 'keyword',
        detail: k.full,
        documentation: section ? haproxyKeywordMarkdown(k.full.split(' '), section.keyword, table) : undefined,
        replace: { start, end: offset },
      });
    }
    return { items, isIncomplete: false };
  }
  if (kw) {
    const start = offset - kw[2].length;
    const seen = new Set<string>();
    if (kw[1].length === 0 || !section) {
      for (const s of haproxySectionsFor(table))
        items.push({ label: s, kind: 'module', detail: 'section', replace: { start, end: offset }, sortText: '0' + s });
    }
    if (section) {
      for (const k of haproxyKeywordsFor(section.keyword, table)) {
        if (seen.has(k.keyword)) continue;
        seen.add(k.keyword);
        const grouped = k.full.includes(' ');
        items.push({
          label: k.keyword,
          kind: 'keyword',
          detail: grouped ? `${k.keyword} … (${section.keyword})` : `${section.keyword} keyword`,
          documentation: grouped ? undefined : haproxyKeywordMarkdown([k.keyword], section.keyword, table),
          replace: { start, end: offset },
          sortText: '1' + k.keyword,
        });
      }
    }
    return { items, isIncomplete: false };
  }
  return { items, isIncomplete: false };
}
