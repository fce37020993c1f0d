/**
 * The nginx knowledge base: every directive nginx knows, where it is allowed, how many arguments
 * it takes, from which version, in which module, and its documentation.
 *
 * Two sources, joined by (family, name):
 * - generated/nginx-commands.json (scripts/gen-nginx-kb.mjs): the command tables of every nginx
 *   open-source release, i.e. exactly what `nginx -t` checks (contexts, argument counts, block or
 *   not) and in which versions a directive exists.
 * - @nginx/reference-lib: the official documentation of the newest nginx, NGINX Plus included
 *   (description, syntax, default, contexts). A directive that only this source knows is NGINX
 *   Plus only, or part of a separately distributed module (njs, nginx-acme, nginx-otel). What
 *   checking needs of it is in generated/nginx-reference.json and nginx-variables.json (scripts/gen-nginx-reference.mjs:
 *   re-run it after bumping the package); the descriptions are read from the package itself, on
 *   the first hover, completion or explanation that shows one (the CLI's `check` never does).
 */
import { DEBIAN_12, type NginxBuildProfile } from './nginx-build';
import { atLeast, compareVersions } from './versions';
import { fact, factBy } from '../host/memo';
import { argCountFromBits, argCountFromSyntax, type ArgCount } from './nginx-args';
import {
  BLOCK_TYPE_NAMES,
  describeBlockType,
  familyOfBlockType,
  blockTypeOfPath,
  refContextToBlockTypes,
  sortBlockTypes,
  type NginxBlockType,
  type NginxFamily,
} from './nginx-blocks';

export { compareVersions } from './versions';
export * from './nginx-blocks';
export * from './nginx-args';

export interface NginxCommandVariant {
  /** First release with this shape. */
  since: string;
  /** Context bits (block types, or ANY). */
  contexts: string[];
  /** Argument bits: NOARGS, TAKE1..TAKE7, TAKE12, TAKE13, TAKE23, TAKE123, TAKE1234, FLAG, 1MORE, 2MORE, ANY. */
  args: string[];
  block: boolean;
}

export interface NginxCommand {
  family: NginxFamily | 'any';
  name: string;
  /** Module id: the source file (ngx_http_proxy_module, ngx_http_upstream_keepalive_module, ...). */
  module: string;
  /** First open-source release that has it. */
  since: string;
  /** First release that no longer has it. */
  removed?: string;
  variants: NginxCommandVariant[];
}

interface CommandsData {
  releases: string[];
  directives: NginxCommand[];
}

/**
 * The two tables, read on their first use (a run that checks no nginx file never parses them; the
 * CLI's bundle keeps them in files of their own, scripts/build.mjs) and kept by a fact of this key:
 * look-ups run for every directive, and a `require` of a file each time would cost more than the
 * look-up.
 */
const TABLES = {
  commands: 'generated/nginx-commands.json',
  reference: 'generated/nginx-reference.json',
  variables: 'generated/nginx-variables.json',
} as const;
const commandsData = fact(
  'nginx.commandsTable',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (_: typeof TABLES): CommandsData => require('./generated/nginx-commands.json') as CommandsData,
);
const commandList = (): NginxCommand[] => commandsData(TABLES).directives;
const releases = (): string[] => commandsData(TABLES).releases;

/** The nginx releases whose command tables wslb has (every open-source release from 1.0.0 on), oldest first. */
export function nginxReleases(): readonly string[] {
  return releases();
}

/**
 * What a target nginx version is checked against: its own release's command table, or, newer
 * than the newest release wslb knows, the newest one (said once: `note`); older than 1.0.0 it is
 * refused (no table).
 */
export function nginxTarget(target: string): { ok: true; note?: string } | { ok: false; message: string } {
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(target);
  if (!m) return { ok: false, message: `"${target}" is not an nginx version (expected e.g. 1.26 or 1.29.7)` };
  const v = `${Number(m[1])}.${Number(m[2])}.${Number(m[3] ?? 0)}`;
  const cmp = (a: string, b: string) => {
    const x = a.split('.').map(Number);
    const y = b.split('.').map(Number);
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i];
    return 0;
  };
  const known = releases();
  if (cmp(v, known[0]) < 0)
    return {
      ok: false,
      message: `nginx ${target} is older than the oldest release wslb knows the directives of (${known[0]})`,
    };
  const newest = known[known.length - 1];
  if (cmp(v, newest) > 0)
    return {
      ok: true,
      note: `nginx ${target} is newer than the newest release wslb knows the directives of (${newest}); checked as ${newest}`,
    };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------
// reference-lib

/** Modules that NGINX distributes apart from nginx itself (not NGINX Plus only). */
const SEPARATE_MODULES: Record<string, string> = {
  ngx_http_js_module: 'njs (https://nginx.org/en/docs/njs/)',
  ngx_stream_js_module: 'njs (https://nginx.org/en/docs/njs/)',
  ngx_http_acme_module: 'nginx-acme (https://github.com/nginx/nginx-acme)',
  ngx_otel_module: 'nginx-otel (https://github.com/nginxinc/nginx-otel)',
};

/** A directive of generated/nginx-reference.json: [name, module, syntax, contexts, isBlock, default]. */
type RefDirective = [
  name: string,
  module: string,
  syntax: string[],
  contexts: string[],
  isBlock: boolean,
  dflt: string,
];
interface ReferenceData {
  directives: RefDirective[];
}
const reference = fact(
  'nginx.referenceTable',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (_: typeof TABLES): ReferenceData => require('./generated/nginx-reference.json') as ReferenceData,
);
const referenceData = (): ReferenceData => reference(TABLES);
// (a table of their own: every check of an nginx file reads them, few read the directives above)
const variables = fact(
  'nginx.variablesTable',
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (_: typeof TABLES): string[] => (require('./generated/nginx-variables.json') as { variables: string[] }).variables,
);

/** The names of the variables the documentation lists (with their "$"; `$http_name` stands for a prefix). */
export function documentedVariables(): readonly string[] {
  return variables(TABLES);
}

/** The reference-lib package, read on first use: it holds the documentation text (1.7 MB). */
interface ReferenceLib {
  Format: { Markdown: unknown };
  getDirectives(format: unknown): { name: string; module: string; description: string }[];
}

/** The Markdown descriptions of the reference's directives, by module and name, read from the package once. */
const descriptions = fact('nginx.docDescriptions', (_reference: ReferenceData) => {
  const out = new Map<string, string>();
  try {
    // Required here, not imported: the CLI's bundle keeps the package in a file of its own
    // (scripts/build.mjs), loaded only by a run that shows documentation.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lib = require('@nginx/reference-lib') as ReferenceLib;
    for (const d of lib.getDirectives(lib.Format.Markdown)) out.set(`${d.module}\0${d.name}`, d.description);
  } catch {
    // unreadable package: no descriptions, the facts above still hold
  }
  return out;
});

/** The Markdown description of `name` in `module` ("" when the package cannot be read). */
function refDescription(module: string, name: string): string {
  return descriptions(referenceData()).get(`${module}\0${name}`) ?? '';
}

function refFamily(d: { module: string; contexts: readonly string[] }): NginxFamily {
  if (d.module.startsWith('ngx_http_') || d.module === 'ngx_otel_module') return 'http';
  if (d.module.startsWith('ngx_stream_')) return 'stream';
  if (d.module.startsWith('ngx_mail_')) return 'mail';
  if (d.contexts.length === 1 && d.contexts[0] === 'events') return 'events';
  return 'main';
}

export interface NginxDocEntry {
  name: string;
  family: NginxFamily;
  module: string;
  /** Markdown, links kept (read from the package on first access). */
  readonly description: string;
  /** Syntax lines in Markdown (`literal`, *`placeholder`*). */
  syntax: string[];
  /** Context names as the documentation lists them. */
  contexts: string[];
  isBlock: boolean;
  /** The documented default of the newest nginx ("" when none). */
  default: string;
  /** https://nginx.org/en/docs/... #name */
  url: string;
}

/** The documentation entries by directive name. */
const refIndex = fact('nginx.docIndex', (reference: ReferenceData): Map<string, NginxDocEntry[]> => {
  const map = new Map<string, NginxDocEntry[]>();
  for (const [name, module, syntax, contexts, isBlock, dflt] of reference.directives) {
    const family = refFamily({ module, contexts });
    const entry: NginxDocEntry = {
      name,
      family,
      module,
      get description() {
        return refDescription(module, name);
      },
      syntax: syntax.map((s) => s.trim()),
      contexts: contexts.filter((c) => c !== ''),
      isBlock,
      default: dflt,
      url: docUrl(module, name),
    };
    const arr = map.get(name);
    if (arr) arr.push(entry);
    else map.set(name, [entry]);
  }
  return map;
});

function docUrl(module: string, name: string): string {
  if (module === 'Core functionality') return `https://nginx.org/en/docs/ngx_core_module.html#${name}`;
  const m = /^ngx_(http|stream|mail)_/.exec(module);
  if (m) return `https://nginx.org/en/docs/${m[1]}/${module}.html#${name}`;
  return `https://nginx.org/en/docs/${module}.html#${name}`;
}

/** The documentation entries of `name` (one per module that defines it), optionally of one family. */
export function nginxDocs(name: string, family?: NginxFamily): NginxDocEntry[] {
  const all = refIndex(referenceData()).get(name) ?? [];
  if (!family) return all;
  return all.filter(
    (d) => d.family === family || (family === 'events' && d.family === 'main') || d.contexts.length === 0,
  );
}

// ---------------------------------------------------------------------------------------------
// source command tables

/** The commands by name. */
const commandIndex = fact('nginx.commandIndex', (commands: readonly NginxCommand[]) => {
  const map = new Map<string, NginxCommand[]>();
  for (const c of commands) {
    const arr = map.get(c.name);
    if (arr) arr.push(c);
    else map.set(c.name, [c]);
  }
  return map;
});

/** Every command entry of `name` in the open-source sources (all versions, all families). */
export function nginxCommands(name: string): NginxCommand[] {
  return commandIndex(commandList()).get(name) ?? [];
}

/** Does `version` have this command? */
export function commandExistsIn(c: NginxCommand, version: string): boolean {
  return atLeast(version, c.since) && (c.removed === undefined || compareVersions(version, c.removed) < 0);
}

/** The command's shape in `version` (the newest variant not newer than it). */
export function variantAt(c: NginxCommand, version: string): NginxCommandVariant {
  let v = c.variants[0];
  for (const x of c.variants) if (atLeast(version, x.since)) v = x;
  return v;
}

/** Does a command of this family apply inside a block of this type (ngx_conf_handler's module-type test)? */
export function familyMatches(c: NginxCommand, t: NginxBlockType): boolean {
  return c.family === 'any' || c.family === familyOfBlockType(t);
}

export function contextMatches(v: NginxCommandVariant, t: NginxBlockType): boolean {
  return v.contexts.includes('ANY') || v.contexts.includes(t);
}

/**
 * Does this directive take exactly `on` or `off`? Its argument bits say FLAG and its documented
 * syntax offers no other value (ssl_ocsp, for one, is a FLAG command that also takes `leaf`).
 */
export function isStrictFlag(c: NginxCommand, version: string): boolean {
  if (!variantAt(c, version).args.includes('FLAG')) return false;
  const docs = nginxDocs(c.name).filter((d) => c.family === 'any' || d.family === c.family);
  for (const d of docs) {
    for (const line of d.syntax) {
      const words = line.replace(/[`*|]/g, ' ').split(/\s+/).filter(Boolean);
      if (words.some((w) => w !== 'on' && w !== 'off')) return false;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// public look-ups

export interface NginxDirectiveInfo {
  name: string;
  family: NginxFamily | 'any';
  module: string;
  /** In the open-source sources: first release; absent when nginx OSS never had it. */
  since?: string;
  removed?: string;
  /** Not in nginx open source: NGINX Plus only. */
  plusOnly: boolean;
  /** Not in nginx itself but in a separately distributed NGINX module (njs, acme, otel). */
  separateModule?: string;
  /** Contexts (block types) where nginx accepts it in `version` (newest when not given). */
  contexts: NginxBlockType[] | ['ANY'];
  args: ArgCount;
  isBlock: boolean;
  doc?: NginxDocEntry;
}

/**
 * Everything known about `name`, one entry per (family, module) that defines it; `family`
 * narrows to the directives usable in that kind of block (plus `include`, usable anywhere).
 */
export function nginxDirective(name: string, family?: NginxFamily, version?: string): NginxDirectiveInfo[] {
  const out: NginxDirectiveInfo[] = [];
  const docs = nginxDocs(name);
  const matchedDocs = new Set<NginxDocEntry>();
  for (const c of nginxCommands(name)) {
    if (family && c.family !== family && c.family !== 'any') continue;
    const v = version ? variantAt(c, version) : c.variants[c.variants.length - 1];
    const doc =
      docs.find((d) => d.family === c.family || (c.family === 'events' && d.family === 'main')) ??
      (c.family === 'any' ? docs[0] : undefined);
    if (doc) matchedDocs.add(doc);
    out.push({
      name,
      family: c.family,
      module: c.module,
      since: c.since,
      removed: c.removed,
      plusOnly: false,
      contexts: v.contexts as NginxBlockType[],
      args: argCountFromBits(v.args),
      isBlock: v.block,
      doc,
    });
  }
  for (const d of docs) {
    if (matchedDocs.has(d)) continue;
    if (out.some((o) => o.family === d.family)) continue;
    if (family && d.family !== family) continue;
    const separate = SEPARATE_MODULES[d.module];
    const argCounts = d.syntax.map(argCountFromSyntax);
    out.push({
      name,
      family: d.family,
      module: d.module,
      plusOnly: !separate,
      separateModule: separate,
      contexts: d.contexts.flatMap((c) => refContextToBlockTypes(c, d.family)),
      args: argCounts.length
        ? { min: Math.min(...argCounts.map((a) => a.min)), max: Math.max(...argCounts.map((a) => a.max)) }
        : { min: 0, max: Infinity },
      isBlock: d.isBlock,
      doc: d,
    });
  }
  return out;
}

/** Human names of the contexts where `name` is allowed in `version`, e.g. ["http", "server", "location"]. */
export function contextsAllowed(name: string, version: string, family?: NginxFamily): string[] {
  const types = new Set<string>();
  for (const c of nginxCommands(name)) {
    if (family && c.family !== family && c.family !== 'any') continue;
    if (!commandExistsIn(c, version)) continue;
    for (const t of variantAt(c, version).contexts) types.add(t);
  }
  return [
    ...new Set(
      sortBlockTypes(types).map((t) => (t === 'ANY' ? BLOCK_TYPE_NAMES.ANY : describeBlockType(t as NginxBlockType))),
    ),
  ];
}

/** Argument counts of `name` in `version` (union over its definitions in `family`); undefined when unknown. */
export function argCountOf(name: string, family?: NginxFamily, version?: string): ArgCount | undefined {
  const infos = nginxDirective(name, family, version).filter(
    (i) => !version || i.since === undefined || atLeast(version, i.since),
  );
  if (infos.length === 0) return undefined;
  const min = Math.min(...infos.map((i) => i.args.min));
  const max = Math.max(...infos.map((i) => i.args.max));
  if (infos.length === 1) return infos[0].args;
  return { min, max };
}

/** Names of the directives nginx `version` accepts in the block reached by `contextPath` (for completion). */
export function nginxDirectivesForContext(
  contextPath: readonly string[],
  version = '1.22.1',
  build: NginxBuildProfile = DEBIAN_12,
): string[] {
  const t = blockTypeOfPath(contextPath);
  if (!t) return [];
  const out = new Set<string>();
  for (const c of [...commandList(), ...((build.backports ?? []) as NginxCommand[])]) {
    if (!commandExistsIn(c, version) || build.missing.has(c.module)) continue;
    if (!familyMatches(c, t) || !contextMatches(variantAt(c, version), t)) continue;
    out.add(c.name);
  }
  return [...out].sort();
}

/** Every directive name of the given version and build (any family). */
export function nginxDirectiveNames(version?: string, build?: NginxBuildProfile): Set<string> {
  return new Set(directiveNames(build ?? NO_BUILD, version ?? ''));
}
const NO_BUILD = {} as NginxBuildProfile;
// The same few (version, build) pairs are asked for on every check: their sets are kept.
const directiveNames = factBy('nginx.directiveNames', (build: NginxBuildProfile, version: string) =>
  computeDirectiveNames(version || undefined, build === NO_BUILD ? undefined : build),
);

function computeDirectiveNames(version?: string, build?: NginxBuildProfile): Set<string> {
  const out = new Set<string>();
  for (const c of [...commandList(), ...((build?.backports ?? []) as NginxCommand[])]) {
    if (version && !commandExistsIn(c, version)) continue;
    if (build && build.missing.has(c.module)) continue;
    out.add(c.name);
  }
  return out;
}

/** The names of every version's directives and of the documentation's. */
const allDirectiveNames = fact('nginx.allDirectiveNames', (reference: ReferenceData) => {
  const names = nginxDirectiveNames();
  for (const n of refIndex(reference).keys()) names.add(n);
  return names;
});

/**
 * Is `name` a directive of any nginx version or of the documentation (NGINX Plus included)?
 * The nginx parser uses it to tell a missing ";" from an argument on the next line.
 */
export function isNginxDirectiveName(name: string): boolean {
  return allDirectiveNames(referenceData()).has(name);
}
