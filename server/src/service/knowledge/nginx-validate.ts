/**
 * Diagnostics from the nginx knowledge base: unknown directives, directives in a block where
 * nginx refuses them, wrong argument counts, block/no-block mistakes, directives and parameters
 * that need a newer nginx or NGINX Plus, and directives of modules the build lacks.
 *
 * It mirrors ngx_conf_handler() (src/core/ngx_conf_file.c): a name that no loaded module defines
 * is "unknown directive"; a name some module defines, but none for this block type, is "not
 * allowed here"; then the argument count must fit the directive's argument bits.
 *
 * Codes: nginx/unknown-directive, nginx/third-party-directive (hint), nginx/directive-not-allowed-here,
 * nginx/wrong-argument-count, nginx/invalid-flag-value, nginx/invalid-value, nginx/block-expected, nginx/unexpected-block, nginx/directive-too-new,
 * nginx/directive-removed, nginx/parameter-too-new, nginx/deprecated-parameter, nginx/nginx-plus-only,
 * nginx/module-not-in-build.
 */
import { clipWord } from '../words';
import type { Span } from '../text';
import type { NginxCheckName } from '../checks';
import type { Severity } from '../types';
import { DEBIAN_12, NGINX_BUILDS, type NginxBuildProfile } from './nginx-build';
import { NGINX_VALUE_SETS, nginxParameterFact } from './nginx-facts';
import {
  argCountAccepts,
  BLOCK_ORDER,
  argCountFromBits,
  blockTypeOfPath,
  childBlockType,
  commandExistsIn,
  contextMatches,
  describeArgCount,
  describeBlockType,
  familyMatches,
  familyOfBlockType,
  isStrictFlag,
  NGINX_DATA_BLOCKS,
  nginxCommands,
  nginxDirectiveNames,
  nginxDirectivesForContext,
  nginxDocs,
  variantAt,
  type ArgCount,
  type NginxBlockType,
  type NginxCommand,
} from './nginx';
import { closestNames } from './suggest';
import { atLeast, compareVersions } from './versions';
import { factBy, factByObject } from '../host/memo';

/** A knowledge-base problem in offsets of the file that was checked (the caller adds file and range). */
export interface KnowledgeDiagnostic {
  span: Span;
  severity: Severity;
  code: string;
  message: string;
}

// Structural views of the nginx syntax tree (server/src/service/syntax/nginx/types.ts); only what is read here.
interface WordLike extends Span {
  value: string;
}
interface BlockLike {
  type: 'block';
  /** The children without trivia, when the tree has them (read instead of `children`: no allocation). */
  items?: readonly NodeLike[];
  children: readonly NodeLike[];
  rawBody: boolean;
}
export interface DirectiveLike extends Span {
  type: 'directive';
  name: string;
  nameSpan: Span;
  args: readonly WordLike[];
  block: BlockLike | null;
  /** Offset of ";" or -1. */
  semicolon?: number;
  /** Number of arguments, when the tree knows it without building the words. */
  argCount?: number;
}
type NodeLike = DirectiveLike | BlockLike | { type: string };
export interface NginxFileLike {
  items?: readonly NodeLike[];
  children: readonly NodeLike[];
}

export interface ValidateNginxOptions {
  /** Target nginx version, e.g. "1.22.1". */
  version: string;
  /**
   * Did the user choose the version (default true)? When not, the target is only wslb's default
   * (Debian 12's nginx), and a directive or parameter that needs a newer nginx is taken as a sign
   * that the config's nginx is newer, not as a mistake: no directive-too-new or parameter-too-new
   * then. On the real-world corpus every such finding with the default target was for a project
   * that ships its own nginx 1.25+ (`http2 on`, `listen ... quic`, `server ... resolve`).
   */
  versionChosen?: boolean;
  /** The blocks enclosing this file when it is included somewhere, e.g. ['main','http','server']. */
  rootContext?: readonly string[];
  /** Which modules the nginx binary has: a profile or its id ("debian-12", default; "full"). */
  build?: NginxBuildProfile | string;
  /**
   * Check only this directive of the file (and what its block holds), standing in the block
   * reached by `context` (e.g. ['http']); the file still tells which modules are loaded. Gives the
   * findings a whole check reports for it, when its enclosing blocks are accepted.
   */
  only?: { directive: DirectiveLike; context: readonly string[] };
  /**
   * Keep each directive's checks for a later call over the same trees (default true: the language
   * server checks again after each edit). A one-pass check (the CLI) keeps nothing.
   */
  keepChecks?: boolean;
}

/** Directive names of well-known third-party modules (OpenResty/Lua, mruby, headers-more, ...). */
const THIRD_PARTY: { re: RegExp; module: string }[] = [
  {
    re: /(^lua_|_by_lua(_block|_file)?$|^(set|content|access|rewrite|header_filter|body_filter|log|balancer|init|init_worker|ssl_certificate|ssl_session_fetch|ssl_session_store|ssl_client_hello|exit_worker|server_rewrite)_by_lua)/,
    module: 'lua-nginx-module (OpenResty)',
  },
  { re: /^mruby_/, module: 'ngx_mruby' },
  { re: /^more_(set|clear)_(input_)?headers$/, module: 'headers-more-nginx-module' },
  { re: /^(echo|echo_\w+)$/, module: 'echo-nginx-module' },
  { re: /^(brotli|brotli_\w+)$/, module: 'ngx_brotli' },
  { re: /^(vhost_traffic_status\w*)$/, module: 'nginx-module-vts' },
  { re: /^(modsecurity|modsecurity_\w+)$/, module: 'ModSecurity-nginx' },
  { re: /^(geoip2|geoip2_\w+)$/, module: 'ngx_http_geoip2_module' },
  { re: /^(passenger_\w+)$/, module: 'Phusion Passenger' },
  { re: /^(pagespeed)$/, module: 'ngx_pagespeed' },
  { re: /^(nchan_\w+|push_stream_\w+)$/, module: 'a pub/sub module (nchan, push-stream)' },
  { re: /^(rtmp|rtmp_\w+)$/, module: 'nginx-rtmp-module' },
  // Kaltura's video-on-demand packager and its companion token module (Frigate builds both in):
  // https://github.com/kaltura/nginx-vod-module#configuration-directives---base,
  // https://github.com/kaltura/nginx-secure-token-module#configuration-directives
  { re: /^(vod|vod_\w+)$/, module: 'nginx-vod-module' },
  { re: /^(secure_token|secure_token_\w+)$/, module: 'nginx-secure-token-module' },
  { re: /^(fancyindex|fancyindex_\w+)$/, module: 'ngx-fancyindex' },
  { re: /^(auth_ldap|auth_ldap_\w+|ldap_server)$/, module: 'nginx-auth-ldap' },
  {
    re: /^(set_(escape_uri|unescape_uri|md5|sha1|base32|encode_base64|decode_base64|quote_sql_str|random|secure_random_alphanum|hashed_upstream|formatted_gmt_time|if_empty))$/,
    module: 'set-misc-nginx-module',
  },
];

export function thirdPartyModuleOf(name: string): string | undefined {
  return THIRD_PARTY.find((t) => t.re.test(name))?.module;
}

function resolveBuild(b: ValidateNginxOptions['build']): NginxBuildProfile {
  if (!b) return DEBIAN_12;
  if (typeof b === 'string') return Object.prototype.hasOwnProperty.call(NGINX_BUILDS, b) ? NGINX_BUILDS[b] : DEBIAN_12;
  return b;
}

/** A word of the config (or of the knowledge base) as a message quotes it: clipped and escaped. */
const code = (s: string) => '`' + clipWord(s) + '`';

/** What one (directive name, block type) pair gets, whatever its arguments. */
type Verdict =
  | { kind: 'stop'; severity: Severity; code: NginxCheckName; message: string }
  | { kind: 'ok'; counts: ArgCount[]; strictFlag: boolean; isBlock: boolean; isPlain: boolean };

const stop = (severity: Severity, c: NginxCheckName, message: string): Verdict => ({
  kind: 'stop',
  severity,
  code: c,
  message,
});

/**
 * What the checks of a directive depend on besides its own words: the target, whether the user
 * chose it, the build and the modules the file loads, and the block type it stands in. One object
 * per such environment (checkEnv), so that what is found can be kept per directive and environment.
 */
interface CheckEnv {
  version: string;
  chosen: boolean;
  build: NginxBuildProfile;
  loaded: ReadonlySet<string>;
  t: NginxBlockType;
}

/** The environment named by `key` (version, chosen, loaded modules and block type, see envKey) in `build`. */
const checkEnv = factBy('nginx.checkEnv', (build: NginxBuildProfile, key: string): CheckEnv => {
  const [version, chosen, loaded, t] = key.split('\0');
  return {
    version,
    chosen: chosen === 'true',
    build,
    loaded: new Set(loaded ? loaded.split(',') : []),
    t: t as NginxBlockType,
  };
});

const envKey = (version: string, chosen: boolean, loaded: ReadonlySet<string>, t: NginxBlockType) =>
  `${version}\0${chosen}\0${[...loaded].sort().join(',')}\0${t}`;

/** What one directive name gets in an environment, whatever its arguments. */
const verdictOf = factBy('nginx.checkVerdict', (env: CheckEnv, name: string) => classify(env, name));

/** What a directive's own checks found (not those of its block's contents), and whether nginx accepts it at all. */
interface DirectiveChecks {
  /** The directive's start when it was checked: the spans of `found` move with it. */
  start: number;
  found: readonly KnowledgeDiagnostic[];
  known: boolean;
}

/**
 * The checks of a directive object in an environment: they depend on nothing else, so a directive
 * the incremental parser reused is not checked again (its findings move with it).
 */
const directiveChecks = factByObject('nginx.directiveChecks', checksOf);

/** A Report that adds what it is told to `found` as diagnostics (the version's own in `env`'s terms). */
function collectInto(env: CheckEnv, found: KnowledgeDiagnostic[]): Report {
  return (span, severity, c, message) => {
    if (!env.chosen && (c === 'directive-too-new' || c === 'parameter-too-new')) return;
    found.push({ span: { start: span.start, end: span.end }, severity, code: 'nginx/' + c, message });
  };
}

/** What the checks of a directive find in an environment. */
function checksOf(env: CheckEnv, d: DirectiveLike): DirectiveChecks {
  const found: KnowledgeDiagnostic[] = [];
  const known = checkDirective(env, d, collectInto(env, found));
  // (most directives have no finding: they share one answer, whose start nothing reads)
  if (!found.length) return known ? CLEAN : REFUSED_CLEAN;
  return { start: d.start, found, known };
}
const CLEAN: DirectiveChecks = { start: 0, found: [], known: true };
const REFUSED_CLEAN: DirectiveChecks = { start: 0, found: [], known: false };

type Report = (span: Span, severity: Severity, c: NginxCheckName, message: string) => void;

export function validateNginx(file: NginxFileLike, opts: ValidateNginxOptions): KnowledgeDiagnostic[] {
  const build = resolveBuild(opts.build);
  const out: KnowledgeDiagnostic[] = [];
  const loaded = loadedModules(file);
  // A file included inside a data block (`map ... { include pairs.conf; }`) holds data, and one
  // included where nginx cannot have a block of directives tells nothing: no checks then.
  const root = blockTypeOfPath(opts.rootContext ?? []);
  if (!root) return [];
  const chosen = opts.versionChosen !== false;
  // Per block type: its environment and, for a one-pass check, a Report that adds to `out`
  // directly and the verdicts of the names seen (verdictOf's, looked up once per name).
  const envs = new Map<NginxBlockType, { env: CheckEnv; report: Report; verdicts: Map<string, Verdict> }>();
  const envOf = (t: NginxBlockType) => {
    let e = envs.get(t);
    if (!e) {
      const env = checkEnv(build, envKey(opts.version, chosen, loaded, t));
      envs.set(t, (e = { env, report: collectInto(env, out), verdicts: new Map() }));
    }
    return e;
  };
  const visitChildren = (children: readonly NodeLike[], t: NginxBlockType) => {
    for (let i = 0; i < children.length; i++) {
      const n = children[i];
      if (n.type === 'directive') visit(n as DirectiveLike, t);
    }
  };
  const keep = opts.keepChecks !== false;
  const visit = (d: DirectiveLike, t: NginxBlockType) => {
    const e = envOf(t);
    let known: boolean;
    if (keep) {
      const checks = directiveChecks(e.env, d);
      const delta = d.start - checks.start;
      for (const k of checks.found)
        out.push(delta === 0 ? k : { ...k, span: { start: k.span.start + delta, end: k.span.end + delta } });
      known = checks.known;
    } else {
      let v = e.verdicts.get(d.name);
      if (!v) e.verdicts.set(d.name, (v = verdictOf(e.env, d.name)));
      known = checkDirective(e.env, d, e.report, v); // (nothing kept: no record per directive)
    }
    // A directive nginx refuses (unknown, wrong place...) is not looked into.
    if (known && d.block && !d.block.rawBody && !NGINX_DATA_BLOCKS.has(d.name)) {
      const child = childBlockType(t, d.name);
      if (child) visitChildren(d.block.items ?? d.block.children, child);
    }
  };
  if (opts.only) {
    const t = blockTypeOfPath(opts.only.context);
    if (t) visit(opts.only.directive, t);
    return out;
  }
  visitChildren(file.items ?? file.children, root);
  return oneHintPerModule(out);
}

/** The commands of `name` nginx has (the build's backports included), and those of the target version. */
function commandsOf(env: CheckEnv, name: string): { all: NginxCommand[]; existing: NginxCommand[] } {
  const all = [
    ...nginxCommands(name),
    ...((env.build.backports ?? []).filter((b) => b.name === name) as NginxCommand[]),
  ];
  return { all, existing: all.filter((c) => commandExistsIn(c, env.version)) };
}

/** What a (directive name, block type) pair gets in an environment. */
function classify(env: CheckEnv, name: string): Verdict {
  const { version, build, loaded, t } = env;
  const { all, existing } = commandsOf(env, name);
  const built = existing.filter((c) => !build.missing.has(c.module) || loaded.has(c.module));
  if (built.length === 0) return classifyAbsent(env, name, all, existing);
  const sameFamily = built.filter((c) => familyMatches(c, t));
  const here = sameFamily.filter((c) => contextMatches(variantAt(c, version), t));
  if (here.length === 0) return classifyMisplaced(env, name, all, built, sameFamily);
  // What applies here, for the argument and block checks of each occurrence.
  const variants = here.map((c) => variantAt(c, version));
  return {
    kind: 'ok',
    counts: variants.map((v) => argCountFromBits(v.args)),
    // FLAG directives take "on" or "off", in any case (ngx_conf_set_flag_slot, src/core/ngx_conf_file.c).
    strictFlag: here.every((c) => isStrictFlag(c, version)),
    isBlock: variants.some((v) => v.block),
    isPlain: variants.some((v) => !v.block),
  };
}

/** Why nginx refuses a name none of whose commands the target has in this build. */
function classifyAbsent(env: CheckEnv, name: string, all: NginxCommand[], existing: NginxCommand[]): Verdict {
  const { version, build, t } = env;
  if (existing.length > 0) {
    const c = existing.find((x) => familyMatches(x, t)) ?? existing[0];
    const why = build.missing.get(c.module) ?? 'not part of this build';
    const so = build.loadable.get(c.module);
    return stop(
      'warning',
      'module-not-in-build',
      `${code(name)} comes from ${c.module}, which ${build.description} lacks: ${why}` +
        (so ? `; load it with \`load_module modules/${so};\`` : ''),
    );
  }
  if (all.length > 0) {
    const newer = all
      .filter((c) => compareVersions(c.since, version) > 0)
      .sort((a, b) => compareVersions(a.since, b.since));
    if (newer.length > 0) {
      return stop('error', 'directive-too-new', `${code(name)} needs nginx ${newer[0].since}; target is ${version}`);
    } else {
      const removed = all
        .map((c) => c.removed)
        .filter((r): r is string => !!r)
        .sort(compareVersions);
      return stop(
        'error',
        'directive-removed',
        `${code(name)} was removed in nginx ${removed[removed.length - 1] ?? '?'}; target is ${version}`,
      );
    }
  }
  const docs = nginxDocs(name);
  if (docs.length > 0) {
    const separate = docs.find((x) => /_js_module$|acme|otel/.test(x.module));
    if (separate) {
      return stop(
        'warning',
        'module-not-in-build',
        `${code(name)} comes from ${separate.module}, a module distributed apart from nginx and not in ${build.description}`,
      );
    } else {
      return stop(
        'error',
        'nginx-plus-only',
        `${code(name)} exists only in NGINX Plus (commercial), not in nginx open source`,
      );
    }
  }
  const third = thirdPartyModuleOf(name);
  // The wording is read back by oneHintPerModule (THIRD_PARTY_MESSAGE).
  if (third) {
    return stop(
      'hint',
      'third-party-directive',
      `${code(name)} comes from the third-party module ${third}, which stock nginx lacks`,
    );
  }
  const local = closestNames(name, nginxDirectivesForContext(CONTEXT_NAMES[t], version, build), 2);
  const best = local.length ? local : closestNames(name, nginxDirectiveNames(version, build), 2);
  return stop(
    'error',
    'unknown-directive',
    `unknown directive ${code(name)}` + (best.length ? `; did you mean ${best.map(code).join(' or ')}?` : ''),
  );
}

/** Why nginx refuses a name it has, but not in this block type. */
function classifyMisplaced(
  env: CheckEnv,
  name: string,
  all: NginxCommand[],
  built: NginxCommand[],
  sameFamily: NginxCommand[],
): Verdict {
  const { version, t } = env;
  const where = describeBlockType(t);
  const later = all
    .filter((c) => familyMatches(c, t) && compareVersions(c.since, version) > 0 && contextMatches(c.variants[0], t))
    .sort((a, b) => compareVersions(a.since, b.since));
  const laterVariant = sameFamily
    .flatMap((c) => c.variants.filter((v) => compareVersions(v.since, version) > 0 && contextMatches(v, t)))
    .sort((a, b) => compareVersions(a.since, b.since));
  const since = later[0]?.since ?? laterVariant[0]?.since;
  if (since) {
    return stop(
      'error',
      'directive-too-new',
      `${code(name)} inside ${where} needs nginx ${since}; target is ${version}`,
    );
  }
  const ctxs = new Set<string>();
  for (const c of sameFamily.length ? sameFamily : built)
    for (const ctx of variantAt(c, version).contexts) ctxs.add(ctx);
  const allowed = new Set(
    [...ctxs]
      .sort((a, b) => BLOCK_ORDER.indexOf(a) - BLOCK_ORDER.indexOf(b))
      .map((ctx) => (ctx === 'ANY' ? 'any block' : describeBlockType(ctx as NginxBlockType))),
  );
  const fams = [...new Set(built.map((c) => c.family))];
  const msg =
    sameFamily.length > 0
      ? `${code(name)} is not allowed in ${where}; it belongs in ${[...allowed].join(', ')}`
      : `${code(name)} is not allowed in ${where}: it is a ${fams.join('/')} directive (allowed in ${[...allowed].join(', ')})`;
  return stop('error', 'directive-not-allowed-here', msg);
}

/** The checks of one directive (not of what its block holds); false when nginx refuses it outright. */
function checkDirective(env: CheckEnv, d: DirectiveLike, report: Report, v = verdictOf(env, d.name)): boolean {
  const name = d.name;
  if (v.kind === 'stop') {
    report(d.nameSpan, v.severity, v.code, v.message);
    return false;
  }
  const n = d.argCount ?? d.args.length;
  if (!countAccepted(v.counts, n)) {
    const span = n === 0 ? d.nameSpan : { start: d.args[0].start, end: d.args[n - 1].end };
    report(span, 'error', 'wrong-argument-count', `${code(name)} takes ${describeArgCount(v.counts[0])}; found ${n}`);
  }
  if (n === 1 && v.strictFlag && !/^(on|off)$/i.test(d.args[0].value)) {
    report(
      d.args[0],
      'error',
      'invalid-flag-value',
      `${code(name)} takes ${code('on')} or ${code('off')}; found ${code(d.args[0].value)}`,
    );
  }
  if (v.isBlock && !v.isPlain && !d.block && d.semicolon !== undefined && d.semicolon >= 0) {
    report(d.nameSpan, 'error', 'block-expected', `${code(name)} needs a block: \`${clipWord(name)} ... { ... }\``);
  } else if (!v.isBlock && d.block) {
    report(d.nameSpan, 'error', 'unexpected-block', `${code(name)} does not take a block; end it with ${code(';')}`);
  }
  checkValue(env, d, n, report);
  checkParameters(env, d, report);
  return true;
}

function countAccepted(counts: readonly ArgCount[], n: number): boolean {
  for (let i = 0; i < counts.length; i++) if (argCountAccepts(counts[i], n)) return true;
  return false;
}

/** The closed set of values of `name` in a block of type `t`, if it has one. */
function valueSetOf(name: string, t: NginxBlockType): (typeof NGINX_VALUE_SETS)[number] | undefined {
  for (let i = 0; i < NGINX_VALUE_SETS.length; i++) {
    const x = NGINX_VALUE_SETS[i];
    if (x.directive === name && x.family === familyOfBlockType(t)) return x;
  }
  return undefined;
}

/** Values from a closed set (enums), some of them newer than others. */
function checkValue(env: CheckEnv, d: DirectiveLike, n: number, report: Report): void {
  const { version, t } = env;
  const name = d.name;
  if (n === 1 && !d.block) {
    const set = valueSetOf(name, t);
    if (set) {
      const val = d.args[0].value;
      const known = set.values.find((x) => x.value === val);
      if (!known) {
        report(
          d.args[0],
          'error',
          'invalid-value',
          `${code(name)} takes ${set.values.map((x) => code(x.value)).join(', ')}; found ${code(val)}`,
        );
      } else if (known.since && !atLeast(version, known.since)) {
        report(
          d.args[0],
          'error',
          'parameter-too-new',
          `\`${clipWord(name)} ${clipWord(val)}\` needs nginx ${known.since}; target is ${version}`,
        );
      }
    }
  }
}

/** Parameters that depend on the version or on NGINX Plus. */
function checkParameters(env: CheckEnv, d: DirectiveLike, report: Report): void {
  const { version, t } = env;
  const name = d.name;
  // (parameters follow the first argument: a lone address builds no words)
  if (!d.block && (name === 'server' || name === 'listen') && (d.argCount ?? d.args.length) > 1) {
    const family = familyOfBlockType(t);
    for (let i = 1; i < d.args.length; i++) {
      const a = d.args[i];
      const fact = nginxParameterFact(name, family, a.value);
      if (!fact) continue;
      const label = code(a.value.replace(/=.*$/, '='));
      if (fact.plusOnly) {
        report(a, 'error', 'nginx-plus-only', `the ${label} parameter of ${code(name)} exists only in NGINX Plus`);
      } else if (fact.since && !atLeast(version, fact.since)) {
        report(
          a,
          'error',
          'parameter-too-new',
          `the ${label} parameter of ${code(name)} needs nginx ${fact.since}; target is ${version}`,
        );
      } else if (fact.deprecatedSince && atLeast(version, fact.deprecatedSince)) {
        report(
          a,
          'warning',
          'deprecated-parameter',
          `the ${label} parameter of ${code(name)} is deprecated since nginx ${fact.deprecatedSince}: ${fact.deprecation}`,
        );
      }
    }
  }
}

const THIRD_PARTY_MESSAGE = /^(`[^`]*`) comes from the third-party module (.+), which stock nginx lacks$/;

/**
 * One `third-party-directive` hint per module and file, at its first directive: the module's
 * other directives say nothing more (wslb checks none of them), and a media server config can
 * hold dozens (Frigate's nginx.conf: 18 vod_* and secure_token* lines).
 */
function oneHintPerModule(found: KnowledgeDiagnostic[]): KnowledgeDiagnostic[] {
  const byModule = new Map<string, number>();
  for (const d of found) {
    const m = d.code === 'nginx/third-party-directive' ? THIRD_PARTY_MESSAGE.exec(d.message) : null;
    if (m) byModule.set(m[2], (byModule.get(m[2]) ?? 0) + 1);
  }
  if (![...byModule.values()].some((n) => n > 1)) return found;
  const seen = new Set<string>();
  const out: KnowledgeDiagnostic[] = [];
  for (const d of found) {
    const m = d.code === 'nginx/third-party-directive' ? THIRD_PARTY_MESSAGE.exec(d.message) : null;
    if (!m) {
      out.push(d);
      continue;
    }
    if (seen.has(m[2])) continue;
    seen.add(m[2]);
    const more = byModule.get(m[2])! - 1;
    out.push(
      more
        ? {
            ...d,
            message: `${m[1]} and ${more} more directive${more > 1 ? 's' : ''} of this file come from the third-party module ${m[2]}, which stock nginx lacks`,
          }
        : d,
    );
  }
  return out;
}

/** A chain of block names that reaches each block type (for nginxDirectivesForContext). */
const CONTEXT_NAMES: Readonly<Record<NginxBlockType, readonly string[]>> = {
  MAIN: [],
  EVENT: ['events'],
  HTTP_MAIN: ['http'],
  HTTP_SRV: ['http', 'server'],
  HTTP_LOC: ['http', 'server', 'location'],
  HTTP_SIF: ['http', 'server', 'if'],
  HTTP_LIF: ['http', 'server', 'location', 'if'],
  HTTP_LMT: ['http', 'server', 'location', 'limit_except'],
  HTTP_UPS: ['http', 'upstream'],
  STREAM_MAIN: ['stream'],
  STREAM_SRV: ['stream', 'server'],
  STREAM_UPS: ['stream', 'upstream'],
  MAIL_MAIN: ['mail'],
  MAIL_SRV: ['mail', 'server'],
};

/** Module ids the file loads with top-level `load_module modules/<id>.so;`. */
function loadedModules(file: NginxFileLike): Set<string> {
  const out = new Set<string>();
  for (const n of file.items ?? file.children) {
    if (n.type !== 'directive') continue;
    const d = n as DirectiveLike;
    if (d.name !== 'load_module' || d.args.length === 0) continue;
    const m = /([A-Za-z0-9_]+)\.so$/.exec(d.args[0].value);
    if (m) out.add(m[1]);
  }
  return out;
}
