/**
 * One structured summary per directive or keyword, for hovers and completion details: syntax,
 * default for the target version, where it is allowed, module, documentation link, and what
 * keeps it from working with the target (too new, removed, NGINX Plus, not in the build).
 */
import {
  commandExistsIn,
  describeBlockType,
  nginxCommands,
  nginxDirective,
  nginxDocs,
  sortBlockTypes,
  variantAt,
  type NginxBlockType,
  type NginxFamily,
} from './nginx';
import { DEBIAN_12, type NginxBuildProfile } from './nginx-build';
import { nginxDefault, type NginxDefault } from './nginx-facts';
import { HAPROXY_26, isProxySection, type HaproxyKeywordDoc, type HaproxyTable } from './haproxy';
import { compareVersions } from './versions';

export interface NginxDirectiveSummary {
  name: string;
  family: NginxFamily | 'any';
  module: string;
  /** Syntax lines (Markdown) from the documentation. */
  syntax: string[];
  /** Default for the target version (value undefined when there is none). */
  default?: NginxDefault;
  /** Where the target version accepts it, e.g. ["http", "http server", "location"]. */
  contexts: string[];
  /** Official description (Markdown, links kept); absent for undocumented directives. */
  description?: string;
  url?: string;
  since?: string;
  removed?: string;
  /** Why the target cannot use it, if it cannot (too new, removed, Plus only, not in the build). */
  unavailable?: string;
}

/** Summary of `name` for nginx `version` (family: the block family at the cursor; default http, then any). */
export function describeNginxDirective(
  name: string,
  opts: { version: string; family?: NginxFamily; build?: NginxBuildProfile },
): NginxDirectiveSummary | undefined {
  const build = opts.build ?? DEBIAN_12;
  const infos = nginxDirective(name, opts.family, opts.version);
  const pool = infos.length ? infos : nginxDirective(name, undefined, opts.version);
  if (pool.length === 0) return undefined;
  const info = pool.find((i) => i.family === (opts.family ?? 'http')) ?? pool[0];
  const family = info.family === 'any' ? (opts.family ?? 'http') : info.family;
  const doc = info.doc ?? nginxDocs(name, family)[0] ?? nginxDocs(name)[0];
  const types = new Set<string>();
  for (const c of nginxCommands(name)) {
    if (c.family !== info.family || !commandExistsIn(c, opts.version)) continue;
    for (const t of variantAt(c, opts.version).contexts) types.add(t);
  }
  const contexts = new Set(
    sortBlockTypes(types).map((t) => (t === 'ANY' ? 'any block' : describeBlockType(t as NginxBlockType))),
  );
  let unavailable: string | undefined;
  if (info.plusOnly) unavailable = 'NGINX Plus only (commercial)';
  else if (info.separateModule) unavailable = `part of ${info.separateModule}, distributed apart from nginx`;
  else if (info.since && compareVersions(opts.version, info.since) < 0)
    unavailable = `needs nginx ${info.since}; target is ${opts.version}`;
  else if (info.removed && compareVersions(opts.version, info.removed) >= 0)
    unavailable = `removed in nginx ${info.removed}`;
  else if (build.missing.has(info.module))
    unavailable = `${info.module} is not in ${build.description}: ${build.missing.get(info.module)}`;
  return {
    name,
    family: info.family,
    module: info.module,
    syntax: doc?.syntax ?? [],
    default: nginxDefault(name, opts.version, family === 'main' || family === 'events' ? 'http' : family) ?? undefined,
    contexts: contexts.size ? [...contexts] : (doc?.contexts ?? []),
    description: doc?.description,
    url: doc?.url,
    since: info.since,
    removed: info.removed,
    unavailable,
  };
}

export type HaproxyKeywordKind = 'global' | 'proxy' | 'section' | 'server-option' | 'bind-option' | 'action';

export interface HaproxyKeywordSummary {
  /** The keyword as the manual names it ("timeout tunnel", "option httpchk", "slowstart"). */
  name: string;
  kind: HaproxyKeywordKind;
  /** Manual section number, e.g. "4.2". */
  section: string;
  url: string;
  syntax: string[];
  /** For proxy keywords: the sections that accept it (a defaults section may need a name). */
  allowedIn?: string[];
}

/**
 * Summary of the keyword a statement names. `words` are the statement's words after any `no` /
 * `default` modifier; `section` is the enclosing section keyword. For a word inside a `server` or
 * `bind` line, or an action of an `http-request` rule, pass `option` (the word under the cursor).
 */
export function describeHaproxyKeyword(
  words: readonly string[],
  section: string,
  option?: string,
  /** The version's table to read (HAProxy 2.6's by default; haproxy-tables.ts has the others). */
  table: HaproxyTable = HAPROXY_26,
): HaproxyKeywordSummary | undefined {
  if (words.length === 0) return undefined;
  const fromDoc = (d: HaproxyKeywordDoc, kind: HaproxyKeywordKind): HaproxyKeywordSummary => ({
    name: d.name,
    kind,
    section: d.section,
    url: table.docUrl(d.anchor),
    syntax: d.syntax.filter((s) => s !== ''),
  });
  if (option !== undefined && isProxySection(section)) {
    if (words[0] === 'server' || words[0] === 'default-server' || words[0] === 'server-template') {
      const d = table.serverOption(option);
      if (d) return fromDoc(d, 'server-option');
    }
    if (words[0] === 'bind') {
      const d = table.bindOption(option);
      if (d) return fromDoc(d, 'bind-option');
    }
    const rule = words[0] === 'tcp-request' || words[0] === 'tcp-response' ? `${words[0]} ${words[1] ?? ''}` : words[0];
    const a = table.action(rule, option.replace(/\(.*$/, ''));
    if (a) return fromDoc(a, 'action');
  }
  if (section === 'global') {
    const d =
      table.globalKeyword(words.length > 1 ? `${words[0]} ${words[1]}` : words[0]) ?? table.globalKeyword(words[0]);
    return d ? fromDoc(d, 'global') : undefined;
  }
  if (isProxySection(section)) {
    const row = table.resolveProxyKeyword(words);
    if (!row) return undefined;
    const allowedIn: string[] = [];
    if (row.defaults === 'yes') allowedIn.push('defaults');
    if (row.defaults === 'named') allowedIn.push('defaults (named only)');
    for (const s of ['frontend', 'listen', 'backend'] as const) if (row[s] === 'yes') allowedIn.push(s);
    return {
      name: row.name,
      kind: 'proxy',
      section: '4.2',
      url: table.docUrl(row.anchor),
      syntax: row.syntax.filter((s) => s !== ''),
      allowedIn,
    };
  }
  const d = table.sectionKeyword(section, words);
  return d ? fromDoc(d, 'section') : undefined;
}
