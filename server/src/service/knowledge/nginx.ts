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
 *   checking needs of it is in generated/nginx-reference.json (scripts/gen-nginx-reference.mjs:
 *   re-run it after bumping the package); the descriptions are read from the package itself, on
 *   the first hover, completion or explanation that shows one (the CLI's `check` never does).
 */
import commandsJson from './generated/nginx-commands.json';
import referenceJson from './generated/nginx-reference.json';
import { DEBIAN_12, type NginxBuildProfile } from './nginx-build';
import { atLeast, compareVersions } from './versions';

export { compareVersions } from './versions';

/** Which kind of block a directive lives in; nginx only looks at modules of that kind. */
export type NginxFamily = 'main' | 'events' | 'http' | 'stream' | 'mail';

/**
 * The command type of a block, as nginx names its context bits (NGX_HTTP_LOC_CONF -> HTTP_LOC):
 * the top level (MAIN), events, http/server/location/if in server/if in location/limit_except/
 * upstream, stream/server/upstream, mail/server.
 */
export type NginxBlockType =
  | 'MAIN'
  | 'EVENT'
  | 'HTTP_MAIN'
  | 'HTTP_SRV'
  | 'HTTP_LOC'
  | 'HTTP_SIF'
  | 'HTTP_LIF'
  | 'HTTP_LMT'
  | 'HTTP_UPS'
  | 'STREAM_MAIN'
  | 'STREAM_SRV'
  | 'STREAM_UPS'
  | 'MAIL_MAIN'
  | 'MAIL_SRV';

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

const COMMANDS = (commandsJson as unknown as CommandsData).directives;
const RELEASES = (commandsJson as unknown as CommandsData).releases;

/** The nginx releases whose command tables wslb has (every open-source release from 1.0.0 on), oldest first. */
export function nginxReleases(): readonly string[] {
  return RELEASES;
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
  if (cmp(v, RELEASES[0]) < 0)
    return {
      ok: false,
      message: `nginx ${target} is older than the oldest release wslb knows the directives of (${RELEASES[0]})`,
    };
  const newest = RELEASES[RELEASES.length - 1];
  if (cmp(v, newest) > 0)
    return {
      ok: true,
      note: `nginx ${target} is newer than the newest release wslb knows the directives of (${newest}); checked as ${newest}`,
    };
  return { ok: true };
}

/** Human names of block types, as the documentation says them. */
export const BLOCK_TYPE_NAMES: Record<NginxBlockType | 'ANY', string> = {
  MAIN: 'main',
  EVENT: 'events',
  HTTP_MAIN: 'http',
  HTTP_SRV: 'server',
  HTTP_LOC: 'location',
  HTTP_SIF: 'if in server',
  HTTP_LIF: 'if in location',
  HTTP_LMT: 'limit_except',
  HTTP_UPS: 'upstream',
  STREAM_MAIN: 'stream',
  STREAM_SRV: 'server',
  STREAM_UPS: 'upstream',
  MAIL_MAIN: 'mail',
  MAIL_SRV: 'server',
  ANY: 'any context',
};

/** Block types from the outside in, for listing contexts in a natural order. */
export const BLOCK_ORDER: readonly string[] = [
  'ANY',
  'MAIN',
  'EVENT',
  'HTTP_MAIN',
  'HTTP_SRV',
  'HTTP_SIF',
  'HTTP_LOC',
  'HTTP_LIF',
  'HTTP_LMT',
  'HTTP_UPS',
  'STREAM_MAIN',
  'STREAM_SRV',
  'STREAM_UPS',
  'MAIL_MAIN',
  'MAIL_SRV',
];

/** Context bits in BLOCK_ORDER. */
export function sortBlockTypes<T extends string>(types: Iterable<T>): T[] {
  return [...types].sort((a, b) => BLOCK_ORDER.indexOf(a) - BLOCK_ORDER.indexOf(b));
}

export function familyOfBlockType(t: NginxBlockType): NginxFamily {
  if (t === 'MAIN') return 'main';
  if (t === 'EVENT') return 'events';
  if (t.startsWith('HTTP_')) return 'http';
  if (t.startsWith('STREAM_')) return 'stream';
  return 'mail';
}

/** Human name with family, e.g. "server (stream)" for STREAM_SRV; plain name where unambiguous. */
export function describeBlockType(t: NginxBlockType): string {
  const n = BLOCK_TYPE_NAMES[t];
  if (t === 'STREAM_SRV' || t === 'STREAM_UPS') return `stream ${n}`;
  if (t === 'MAIL_SRV') return `mail ${n}`;
  if (t === 'HTTP_SRV' || t === 'HTTP_UPS') return `http ${n}`;
  return n;
}

/**
 * The block type a block directive opens, given the block type it appears in; null when the
 * directive does not open a block of directives (a data block such as map/types, or unknown).
 */
export function childBlockType(parent: NginxBlockType, name: string): NginxBlockType | null {
  switch (parent) {
    case 'MAIN':
      return name === 'events'
        ? 'EVENT'
        : name === 'http'
          ? 'HTTP_MAIN'
          : name === 'stream'
            ? 'STREAM_MAIN'
            : name === 'mail'
              ? 'MAIL_MAIN'
              : null;
    case 'HTTP_MAIN':
      return name === 'server' ? 'HTTP_SRV' : name === 'upstream' ? 'HTTP_UPS' : null;
    case 'HTTP_SRV':
      return name === 'location' ? 'HTTP_LOC' : name === 'if' ? 'HTTP_SIF' : null;
    case 'HTTP_LOC':
      return name === 'location'
        ? 'HTTP_LOC'
        : name === 'if'
          ? 'HTTP_LIF'
          : name === 'limit_except'
            ? 'HTTP_LMT'
            : null;
    case 'STREAM_MAIN':
      return name === 'server' ? 'STREAM_SRV' : name === 'upstream' ? 'STREAM_UPS' : null;
    case 'MAIL_MAIN':
      return name === 'server' ? 'MAIL_SRV' : null;
    default:
      return null;
  }
}

/**
 * The block type reached by a chain of block names from the top, e.g. ['main','http','server']
 * -> HTTP_SRV; ['stream','upstream'] -> STREAM_UPS. 'main' may be given or left out; reference-lib
 * names such as "if in location" are accepted. Returns null for a chain nginx cannot have.
 */
export function blockTypeOfPath(path: readonly string[]): NginxBlockType | null {
  let t: NginxBlockType = 'MAIN';
  for (const raw of path) {
    const name = raw === 'if in location' || raw === 'if in server' ? 'if' : raw;
    if (name === 'main' && t === 'MAIN') continue;
    const next = childBlockType(t, name);
    if (!next) return null;
    if ((raw === 'if in location' && next !== 'HTTP_LIF') || (raw === 'if in server' && next !== 'HTTP_SIF'))
      return null;
    t = next;
  }
  return t;
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
const REFERENCE = referenceJson as unknown as { directives: RefDirective[]; variables: string[] };

/** The names of the variables the documentation lists (with their "$"; `$http_name` stands for a prefix). */
export function documentedVariables(): readonly string[] {
  return REFERENCE.variables;
}

/** The reference-lib package, read on first use: it holds the documentation text (1.7 MB). */
interface ReferenceLib {
  Format: { Markdown: unknown };
  getDirectives(format: unknown): { name: string; module: string; description: string }[];
}

let descriptions: Map<string, string> | undefined;
/** The Markdown description of `name` in `module` ("" when the package cannot be read). */
function refDescription(module: string, name: string): string {
  if (!descriptions) {
    descriptions = new Map();
    try {
      // Required here, not imported: the CLI's bundle keeps the package in a file of its own
      // (scripts/build.mjs), loaded only by a run that shows documentation.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const lib = require('@nginx/reference-lib') as ReferenceLib;
      for (const d of lib.getDirectives(lib.Format.Markdown)) descriptions.set(`${d.module}\0${d.name}`, d.description);
    } catch {
      // unreadable package: no descriptions, the facts above still hold
    }
  }
  return descriptions.get(`${module}\0${name}`) ?? '';
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

let refCache: Map<string, NginxDocEntry[]> | undefined;
function refIndex(): Map<string, NginxDocEntry[]> {
  if (refCache) return refCache;
  const map = new Map<string, NginxDocEntry[]>();
  for (const [name, module, syntax, contexts, isBlock, dflt] of REFERENCE.directives) {
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
  refCache = map;
  return map;
}

function docUrl(module: string, name: string): string {
  if (module === 'Core functionality') return `https://nginx.org/en/docs/ngx_core_module.html#${name}`;
  const m = /^ngx_(http|stream|mail)_/.exec(module);
  if (m) return `https://nginx.org/en/docs/${m[1]}/${module}.html#${name}`;
  return `https://nginx.org/en/docs/${module}.html#${name}`;
}

/** The documentation entries of `name` (one per module that defines it), optionally of one family. */
export function nginxDocs(name: string, family?: NginxFamily): NginxDocEntry[] {
  const all = refIndex().get(name) ?? [];
  if (!family) return all;
  return all.filter(
    (d) => d.family === family || (family === 'events' && d.family === 'main') || d.contexts.length === 0,
  );
}

// ---------------------------------------------------------------------------------------------
// source command tables

let cmdCache: Map<string, NginxCommand[]> | undefined;
function commandIndex(): Map<string, NginxCommand[]> {
  if (cmdCache) return cmdCache;
  const map = new Map<string, NginxCommand[]>();
  for (const c of COMMANDS) {
    const arr = map.get(c.name);
    if (arr) arr.push(c);
    else map.set(c.name, [c]);
  }
  cmdCache = map;
  return map;
}

/** Every command entry of `name` in the open-source sources (all versions, all families). */
export function nginxCommands(name: string): NginxCommand[] {
  return commandIndex().get(name) ?? [];
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
// argument counts

export interface ArgCount {
  min: number;
  /** Infinity when unbounded. */
  max: number;
  /** The exact counts nginx accepts when not a contiguous range, e.g. [1, 3] for TAKE13. */
  allowed?: number[];
}

/** The argument counts allowed by nginx's argument bits (ngx_conf_handler in src/core/ngx_conf_file.c). */
export function argCountFromBits(bits: readonly string[]): ArgCount {
  if (bits.includes('ANY')) return { min: 0, max: Infinity };
  if (bits.includes('FLAG')) return { min: 1, max: 1 };
  if (bits.includes('1MORE')) return { min: 1, max: Infinity };
  if (bits.includes('2MORE')) return { min: 2, max: Infinity };
  const counts = new Set<number>();
  for (const b of bits) {
    if (b === 'NOARGS') counts.add(0);
    const m = /^TAKE(\d+)$/.exec(b);
    if (m) for (const ch of m[1]) counts.add(Number(ch));
  }
  // ngx_conf_handler also refuses more than NGX_CONF_MAX_ARGS (8) words; TAKE bits stop at 7.
  const sorted = [...counts].sort((a, b) => a - b);
  if (sorted.length === 0) return { min: 0, max: 0 };
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const contiguous = max - min + 1 === sorted.length;
  return contiguous ? { min, max } : { min, max, allowed: sorted };
}

export function argCountAccepts(a: ArgCount, n: number): boolean {
  if (a.allowed) return a.allowed.includes(n);
  return n >= a.min && n <= a.max;
}

export function describeArgCount(a: ArgCount): string {
  const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');
  if (a.allowed) return `${a.allowed.slice(0, -1).join(', ')} or ${a.allowed[a.allowed.length - 1]} arguments`;
  if (a.max === Infinity) return `at least ${a.min} ${plural(a.min)}`;
  if (a.min === a.max) return a.min === 0 ? 'no arguments' : `exactly ${a.min} ${plural(a.min)}`;
  if (a.max === a.min + 1) return `${a.min} or ${a.max} arguments`;
  return `${a.min} to ${a.max} arguments`;
}

/**
 * Argument counts from a documentation syntax line (Markdown or plain): `[...]` is optional,
 * `...` repeats, ` | ` separates alternatives, `{...}` marks a block and is not an argument.
 */
export function argCountFromSyntax(syntax: string): ArgCount {
  const text = syntax
    .replace(/[`*]/g, '')
    .replace(/&hellip;|…/g, '...')
    .replace(/\{\.\.\.\}/g, ' ')
    .trim();
  type Tok = { kind: 'word' | '[' | ']' | '|' | '...' };
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '[' || c === ']') {
      toks.push({ kind: c });
      i++;
      continue;
    }
    if (c === '|' && (i + 1 >= text.length || /\s/.test(text[i + 1]))) {
      toks.push({ kind: '|' });
      i++;
      continue;
    }
    if (text.startsWith('...', i)) {
      toks.push({ kind: '...' });
      i += 3;
      continue;
    }
    // A word: runs to whitespace or a closing bracket at its own depth; brackets inside it belong to it.
    let depth = 0;
    while (i < text.length) {
      const ch = text[i];
      if (depth === 0 && (/\s/.test(ch) || ch === ']')) break;
      if (ch === '[') depth++;
      else if (ch === ']') depth--;
      i++;
      if (depth === 0 && text.startsWith('...', i)) break;
    }
    toks.push({ kind: 'word' });
  }
  let p = 0;
  const parseAlt = (): ArgCount => {
    let acc = parseSeq();
    while (toks[p]?.kind === '|') {
      p++;
      const next = parseSeq();
      acc = { min: Math.min(acc.min, next.min), max: Math.max(acc.max, next.max) };
    }
    return acc;
  };
  const parseSeq = (): ArgCount => {
    let min = 0;
    let max = 0;
    while (p < toks.length && toks[p].kind !== '|' && toks[p].kind !== ']') {
      let item: ArgCount;
      const t = toks[p++];
      if (t.kind === '[') {
        const inner = parseAlt();
        if (toks[p]?.kind === ']') p++;
        item = { min: 0, max: inner.max };
      } else if (t.kind === '...') {
        item = { min: 0, max: Infinity };
      } else {
        item = { min: 1, max: 1 };
      }
      if (toks[p]?.kind === '...') {
        p++;
        item = { min: item.min, max: Infinity };
      }
      min += item.min;
      max += item.max;
    }
    return { min, max };
  };
  const result = parseAlt();
  return result;
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

/** reference-lib context name -> block types, within a family. */
export function refContextToBlockTypes(ctx: string, family: NginxFamily): NginxBlockType[] {
  switch (ctx) {
    case 'main':
      return ['MAIN'];
    case 'events':
      return ['EVENT'];
    case 'http':
      return ['HTTP_MAIN'];
    case 'stream':
      return ['STREAM_MAIN'];
    case 'mail':
      return ['MAIL_MAIN'];
    case 'server':
      return family === 'stream'
        ? ['STREAM_SRV']
        : family === 'mail'
          ? ['MAIL_SRV']
          : family === 'http'
            ? ['HTTP_SRV']
            : ['HTTP_SRV', 'STREAM_SRV', 'MAIL_SRV'];
    case 'location':
      return ['HTTP_LOC'];
    case 'if in location':
      return ['HTTP_LIF'];
    case 'if':
      return ['HTTP_SIF', 'HTTP_LIF'];
    case 'limit_except':
      return ['HTTP_LMT'];
    case 'upstream':
      return family === 'stream' ? ['STREAM_UPS'] : ['HTTP_UPS'];
    default:
      return [];
  }
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
  for (const c of [...COMMANDS, ...((build.backports ?? []) as NginxCommand[])]) {
    if (!commandExistsIn(c, version) || build.missing.has(c.module)) continue;
    if (!familyMatches(c, t) || !contextMatches(variantAt(c, version), t)) continue;
    out.add(c.name);
  }
  return [...out].sort();
}

/** Every directive name of the given version and build (any family). */
export function nginxDirectiveNames(version?: string, build?: NginxBuildProfile): Set<string> {
  // The same few (version, build) pairs are asked for on every check: keep their sets.
  const byVersion = namesCache.get(build ?? NO_BUILD);
  const hit = byVersion?.get(version ?? '');
  if (hit) return new Set(hit);
  const out = computeDirectiveNames(version, build);
  if (byVersion) byVersion.set(version ?? '', out);
  else namesCache.set(build ?? NO_BUILD, new Map([[version ?? '', out]]));
  return new Set(out);
}
const NO_BUILD = {} as NginxBuildProfile;
const namesCache = new WeakMap<NginxBuildProfile, Map<string, Set<string>>>();

function computeDirectiveNames(version?: string, build?: NginxBuildProfile): Set<string> {
  const out = new Set<string>();
  for (const c of [...COMMANDS, ...((build?.backports ?? []) as NginxCommand[])]) {
    if (version && !commandExistsIn(c, version)) continue;
    if (build && build.missing.has(c.module)) continue;
    out.add(c.name);
  }
  return out;
}

let allNames: Set<string> | undefined;
/**
 * Is `name` a directive of any nginx version or of the documentation (NGINX Plus included)?
 * The nginx parser uses it to tell a missing ";" from an argument on the next line.
 */
export function isNginxDirectiveName(name: string): boolean {
  if (!allNames) {
    allNames = nginxDirectiveNames();
    for (const n of refIndex().keys()) allNames.add(n);
  }
  return allNames.has(name);
}
