/**
 * Incremental analysis of an nginx config while its root file is edited.
 *
 * The findings are kept per unit (model/nginx-units.ts: each `server` block of `http`, and the
 * rest): rules with meta.scope 'server' run once per unit, the others over the whole config. When
 * an edit falls inside one top-level server block S of the root file, and S gives the rest of the
 * config the same facts before and after it (its footprint: WebSocket locations and where they
 * proxy, third-party directives, zone names; no includes, no variable definitions), then:
 *
 * - the parser re-reads the innermost block around the edit (parseNginxIncremental),
 * - the model rebuilds S's contexts only (rebuildNginxBlock) into a config that keeps every other
 *   context and the whole-config facts (carried across model/nginx-tree.ts's nginxFootprintKept),
 * - the knowledge base checks S's directives only, the 'server' rules run over S only,
 * - every other finding is kept, moved down or up when the edit added or removed lines; one whose
 *   message names a line of the root file that moved (Finding.cites) cannot be kept, and then the
 *   whole config is analysed again.
 *
 * Anything else is analysed from scratch. Either way the findings equal those of a fresh
 * analysis of the new text (test/lsp/nginx-incremental.test.ts checks it on random edits).
 */
import { recogniseTemplate } from '../template';
import type { LanguageService, NginxAnalysis } from '../index';
import { nginxFileOptions } from './analyse';
import { finish, nginxBaseFindings, runRules, withTemplateNotes, type LineIndexOf } from './findings';
import { editedIndentStats, eolOf, indentStats, indentUnitOf, type IndentStats } from '../fixes/nginx';
import { validateNginx } from '../knowledge';
import { nginxCommands } from '../knowledge/nginx';
import { thirdPartyModuleOf } from '../knowledge/nginx-validate';
import { checkNginxTimes, validateConfigKnowledge, type KnowledgeFinding } from '../knowledge-check';
import type { ConfigFileSystem } from '../model/fs';
import {
  buildNginxConfig,
  contextPath,
  nginxFootprintKept,
  rebuildNginxBlock,
  type NginxConfig,
  type NginxContext,
  type NginxStatement,
} from '../model/nginx';
import { carry } from './memo';
import { isNginxUnit, nginxScopes, nginxUnits, statementsIn } from '../model/nginx-units';
import { proxyPassOf, webSocketLocationsIn } from '../model/websocket';
import { NGINX_RULES } from '../rules';
import { changedRegion, nginxReparsedBlock, parseNginxIncremental, type NginxFile } from '../syntax/nginx';
import type { Suppressions } from '../suppress';
import type { ServiceOptions } from '../options';
import { versionHintFor, type DetectedVersion } from '../version-detect';
import type { TextEdit } from '../text';
import type { Finding } from '../types';
import { moveFindings } from './move-findings';

const UNIT_RULES = NGINX_RULES.filter((r) => r.meta.scope === 'server');
const CONFIG_RULES = NGINX_RULES.filter((r) => r.meta.scope !== 'server');

/**
 * Statements a server block cannot hold without changing what the rest of the config sees: those
 * that define variables (model/nginx.ts definedVariables), upstreams (looked up by name), and
 * blocks that would open other units or families.
 */
const GLOBAL = new Set([
  'map',
  'split_clients',
  'geo',
  'set',
  'perl_set',
  'js_set',
  'auth_request_set',
  'include',
  'upstream',
  'http',
  'stream',
  'mail',
  'events',
  'server',
]);

/** What the language server gives the analysis: files, its parse cache and the edit log. */
export interface NginxIncrementalHost {
  fs: ConfigFileSystem;
  /** The tree of `text` (the parse cache), for a whole build. */
  parse(path: string, text: string): NginxFile;
  /** The tree the cache holds for `path`, if any. */
  cachedTree(path: string): NginxFile | undefined;
  /** Put a tree made here into the cache. */
  storeTree(path: string, text: string, tree: NginxFile): void;
  /** The edits that turn `from` into `to` (each applies to the text the previous one gave), when known. */
  edits(path: string, from: string, to: string): readonly TextEdit[] | undefined;
  /** Where includes of this root may lead (BuildOptions.includeRoots); undefined: anywhere. */
  includeRoots?(rootPath: string): readonly string[] | undefined;
}

interface State {
  service: LanguageService;
  rootPath: string;
  /** The include roots the config was built with, joined (a change means a whole rebuild). */
  includeRoots: string | undefined;
  text: string;
  tree: NginxFile;
  config: NginxConfig;
  /** Knowledge-base findings, in offsets. */
  knowledge: KnowledgeFinding[];
  /** Findings of the 'config' rules. */
  whole: Finding[];
  /** Findings of the 'server' rules, per unit (by its `server` directive) ... */
  units: Map<NginxStatement, Finding[]>;
  /** ... and over the rest of the config. */
  rest: Finding[];
  /** How the root file is indented (fixes write its indentation unit). */
  indent: IndentStats;
  /**
   * Does the root text hold "wslb-disable" (suppress.ts reads suppression comments only then)? When
   * it does not, and the edit put none there, the text is not searched again on every keystroke.
   */
  suppressible: boolean;
  /** The options the config is checked with (the version its comment or siblings say, see nginxFileOptions()). */
  options: ServiceOptions;
  /** What the root's siblings say about its nginx version (read at the full analysis). */
  hint: DetectedVersion | undefined;
}

const MARK = 'wslb-disable';
/** What parseSuppressions finds in a text without MARK. */
const NONE: Suppressions = { file: null, lines: new Map() };

export class NginxIncremental {
  private state: State | null = null;
  /** How the last analysis was made, and why not incrementally (for tests and traces). */
  lastKind: 'full' | 'unit' = 'full';
  lastReason = '';

  analyze(service: LanguageService, rootPath: string, host: NginxIncrementalHost): NginxAnalysis {
    const st = this.state;
    // The old state's model is moved to the new tree below: nothing may keep using the old state.
    this.state = null;
    if (st) {
      const done = this.update(st, service, rootPath, host);
      if (typeof done !== 'string') {
        this.lastKind = 'unit';
        this.lastReason = '';
        return done;
      }
      this.lastReason = done;
    } else this.lastReason = 'first analysis';
    this.lastKind = 'full';
    return this.full(service, rootPath, host);
  }

  reset(): void {
    this.state = null;
  }

  private full(service: LanguageService, rootPath: string, host: NginxIncrementalHost): NginxAnalysis {
    const includeRoots = host.includeRoots?.(rootPath);
    const config = buildNginxConfig(rootPath, host.fs, { parse: (p, t) => host.parse(p, t), includeRoots });
    const hint = versionHintFor(host.fs, rootPath, 'nginx');
    const options = nginxFileOptions(service.options, config.sources.get(rootPath)?.text, hint);
    const indexOf: LineIndexOf = (p) => config.sources.get(p)?.tree.lineIndex;
    const units = new Map<NginxStatement, Finding[]>();
    let rest: Finding[] = [];
    for (const scope of nginxScopes(config)) {
      const found = runRules(UNIT_RULES, config, options, indexOf, scope, service.fixTiming);
      if (scope.unit) units.set(scope.unit.statement!, found);
      else rest = found;
    }
    const src = config.sources.get(rootPath)!;
    const st: State = {
      service,
      rootPath,
      includeRoots: includeRoots?.join('\0'),
      text: src.text,
      tree: src.tree,
      config,
      knowledge: validateConfigKnowledge({ language: 'nginx', config }, options),
      whole: runRules(CONFIG_RULES, config, options, indexOf, undefined, service.fixTiming),
      units,
      rest,
      indent: indentStats(src.text),
      suppressible: src.text.includes(MARK),
      options,
      hint,
    };
    this.state = st;
    return assemble(st);
  }

  /** The analysis after an edit inside one server block, or why it cannot be made that way. */
  private update(
    st: State,
    service: LanguageService,
    rootPath: string,
    host: NginxIncrementalHost,
  ): NginxAnalysis | string {
    if (st.service !== service || st.rootPath !== rootPath) return 'settings or root changed';
    if (st.includeRoots !== host.includeRoots?.(rootPath)?.join('\0')) return 'include roots changed';
    const config = st.config;
    const src = config.sources.get(rootPath);
    if (!src || src.tree !== st.tree || host.cachedTree(rootPath) !== st.tree) return 'the tree was replaced';
    const text = host.fs.readFile(rootPath);
    if (text === undefined) return 'root file gone';
    // a `# wslb: nginx X` comment may have come, gone or changed (searched only when the text has one)
    if (
      (st.text.includes('wslb:') || text.includes('wslb:')) &&
      nginxFileOptions(service.options, text, st.hint).nginxVersion !== st.options.nginxVersion
    )
      return 'the target version changed';
    // A template is parsed from its neutralised text (template.ts): read it whole each time.
    if (src.template || recogniseTemplate(text)) return 'a template file';
    // Taken first: this also restarts the edit log at `text` when the analysis is made afresh.
    const edits = host.edits(rootPath, st.text, text);
    if (text === st.text) return 'root file unchanged (another cause)';
    for (const [p, s] of config.sources) if (p !== rootPath && host.fs.readFile(p) !== s.text) return `${p} changed`;
    if (!edits || edits.length === 0) return 'edits unknown';

    const region = changedRegion(st.text, text, edits);
    if (!region) return 'edits do not give the text';
    const { lo, hiOld } = region;
    const delta = region.hiNew - hiOld;

    const unit = unitAround(config, rootPath, lo, hiOld);
    if (!unit) return 'edit outside a server block';
    const stmt = unit.statement!;
    const d = stmt.directive;
    const oldStart = d.start;
    const oldEnd = d.end;
    if (!aloneOnItsLines(st.text, oldStart, oldEnd)) return 'server block shares a line';
    const before = footprint(config, unit);
    if (before === null) return 'server block defines variables or includes files';
    const oldIndex = st.tree.lineIndex;
    const first = oldIndex.positionAt(oldStart);
    const lastLine = oldIndex.positionAt(oldEnd).line;
    const eol = eolOf(st.text);

    // From here the model reads the new tree (its statements find their directives in the source's
    // tree, model/nginx-tree.ts): any failure analyses from scratch.
    const tree = parseNginxIncremental(st.tree, text, edits);
    host.storeTree(rootPath, text, tree);
    const fresh = nginxReparsedBlock(tree);
    const b = d.block!; // of the old tree (held: `holds`)
    if (!fresh || fresh.open < b.open || fresh.close > b.close + delta)
      return 'the parser re-read more than the server block';
    Object.assign(src, { text, tree });
    const indent = editedIndentStats(st.indent, st.text, text, lo, hiOld, hiOld + delta);
    const unitNow = indentUnitOf(indent);
    if (unitNow !== indentUnitOf(st.indent) || eolOf(text) !== eol) return 'indentation or line breaks changed';
    const ctx = rebuildNginxBlock(stmt);
    if (!ctx) return 'the server block now includes files';
    const next: NginxConfig = {
      ...config,
      diagnostics: config.diagnostics.map((m) =>
        m.path === rootPath && m.start >= oldEnd ? { ...m, start: m.start + delta, end: m.end + delta } : m,
      ),
      syntax: new Map(config.syntax).set(rootPath, tree.diagnostics),
    };
    carry(nginxFootprintKept, config, next, { old: unit, fresh: ctx });
    const after = footprint(next, ctx);
    if (after !== before) return 'the server block changed what the rest of the config sees';

    // Findings outside the block stay; those below it move by the lines the edit added.
    const lineDelta = tree.lineIndex.lineCount - oldIndex.lineCount;
    const keep = (list: Finding[]): Finding[] | null => moveFindings(list, rootPath, first, lastLine, lineDelta);
    const whole = keep(st.whole);
    const rest = keep(st.rest);
    if (!whole || !rest) return 'a finding points into the server block or cites a line that moved';
    const units = new Map<NginxStatement, Finding[]>();
    for (const [key, list] of st.units) {
      if (key === stmt) continue;
      const moved = keep(list);
      if (!moved) return 'a finding points into the server block or cites a line that moved';
      units.set(key, moved);
    }
    const options = st.options;
    const indexOf: LineIndexOf = (p) => next.sources.get(p)?.tree.lineIndex;
    units.set(stmt, runRules(UNIT_RULES, next, options, indexOf, { unit: ctx }, service.fixTiming));

    const knowledge = unitKnowledge(st.knowledge, rootPath, tree, stmt, oldStart, oldEnd, delta, options);
    if (!knowledge) return 'a knowledge finding spans the server block';

    // MARK in the new text lies in the unchanged text (where the old one had it) or overlaps the edit.
    const suppressible = st.suppressible
      ? text.includes(MARK)
      : text.slice(Math.max(0, lo - MARK.length + 1), hiOld + delta + MARK.length - 1).includes(MARK);
    // service, root, include roots, options and hint are those of `st` (checked above)
    const out: State = { ...st, text, tree, config: next, knowledge, whole, units, rest, indent, suppressible };
    this.state = out;
    return assemble(out);
  }
}

/**
 * The knowledge findings after an edit inside one server block ([oldStart, oldEnd) of the root
 * file): the others kept or moved, the block's checked again; null when one spans the block.
 */
function unitKnowledge(
  old: readonly KnowledgeFinding[],
  rootPath: string,
  tree: NginxFile,
  stmt: NonNullable<NginxContext['statement']>,
  oldStart: number,
  oldEnd: number,
  delta: number,
  options: ServiceOptions,
): KnowledgeFinding[] | null {
  const d = stmt.directive;
  const knowledge: KnowledgeFinding[] = [];
  for (const k of old) {
    if (k.path !== rootPath || k.span.end <= oldStart) knowledge.push(k);
    else if (k.span.start >= oldEnd)
      knowledge.push({ ...k, span: { start: k.span.start + delta, end: k.span.end + delta } });
    else if (k.span.start < oldStart) return null;
  }
  for (const k of validateNginx(tree, {
    version: options.nginxVersion,
    versionChosen: !!options.nginxVersionSet,
    only: { directive: d, context: contextPath(stmt.context) },
  }))
    knowledge.push({ path: rootPath, ...k });
  // and the time values nginx refuses, inside the re-read block (as the full check does)
  if (d.block) checkNginxTimes(rootPath, d.block, knowledge);
  return knowledge;
}

function assemble(st: State): NginxAnalysis {
  const config = st.config;
  const indexOf: LineIndexOf = (p) => config.sources.get(p)?.tree.lineIndex;
  const findings = nginxBaseFindings(config, st.knowledge, indexOf);
  for (const f of st.whole) findings.push(f);
  for (const list of st.units.values()) for (const f of list) findings.push(f);
  for (const f of st.rest) findings.push(f);
  const known = st.suppressible ? undefined : new Map([[st.rootPath, NONE]]);
  const all = withTemplateNotes(config.sources.values(), findings, indexOf, 'nginx');
  return {
    language: 'nginx',
    config,
    findings: finish(all, (p) => config.sources.get(p)?.text, known, st.options),
    options: st.options,
  };
}

/**
 * The top-level server block of the root file whose body holds [lo, hi), when its `http` is the
 * root file's own (or the one a fragment is assumed to be in).
 */
function unitAround(config: NginxConfig, rootPath: string, lo: number, hi: number): NginxContext | null {
  const units = nginxUnits(config);
  let l = 0;
  let h = units.length - 1;
  // Units of the root file are in source order among the others: search, then check.
  while (l <= h) {
    const mid = (l + h) >> 1;
    const u = units[mid];
    const s = u.statement!;
    if (s.source.path !== rootPath || s.includedVia.length) {
      // Mixed with included files: fall back to a scan.
      for (const v of units) if (holds(v, rootPath, lo, hi)) return v;
      return null;
    }
    if (s.directive.end <= lo) l = mid + 1;
    else if (s.directive.start >= hi) h = mid - 1;
    else return holds(u, rootPath, lo, hi) ? u : null;
  }
  return null;
}

function holds(u: NginxContext, rootPath: string, lo: number, hi: number): boolean {
  const s = u.statement!;
  const b = s.directive.block;
  if (!b || b.close < 0 || s.source.path !== rootPath || s.includedVia.length) return false;
  if (!(b.open < lo && hi <= b.close)) return false;
  const http = u.parent!;
  // `http` written at main level, or the synthetic one a fragment is analysed in
  return isNginxUnit(u) && http.parent !== null && http.parent.kind === 'main' && http.parent.parent === null;
}

/** Only white space before the block on its first line; white space or a comment after it on its last. */
function aloneOnItsLines(text: string, start: number, end: number): boolean {
  for (let i = start - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    if (c !== 32 && c !== 9) return false;
  }
  for (let i = end; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 35 /* # */) break;
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * What a server block gives the rest of the config: its WebSocket locations (which upstreams they
 * make WebSocket pools, and the labels upstream findings quote), directives of third-party modules
 * (which may define variables), zone names. Null when it defines variables, includes files or holds
 * a directive of a known third-party module (whose hint is one per module and file).
 */
function footprint(config: NginxConfig, unit: NginxContext): string | null {
  const parts: string[] = [];
  let foreign = false;
  const list = statementsIn(config, { unit });
  for (let i = 1; i < list.length; i++) {
    const s = list[i]; // [0] is the unit's own `server`
    const name = s.name;
    if (GLOBAL.has(name)) return null;
    const args = s.args;
    for (const a of args) {
      if (a.includes('(?')) return null; // a named capture defines a variable
      if (a.includes('zone=')) parts.push('z ' + a);
    }
    if (name === 'zone') parts.push('z ' + args.join(' '));
    // A third-party directive: some may define variables (ws-connection-upgrade-undefined)
    if (name.startsWith('$')) parts.push(`d ${name}`);
    else if (nginxCommands(name).length === 0) {
      // Their hints are counted per module over the whole file (oneHintPerModule): not a block's own.
      if (thirdPartyModuleOf(name)) return null;
      foreign = true;
      if (args[0]?.startsWith('$')) parts.push(`d ${args[0]}`);
    }
  }
  if (foreign) parts.push('u');
  for (const wl of webSocketLocationsIn(config, { unit })) {
    const st = wl.location.statement;
    const label = st ? [st.name, ...st.args].join(' ') : wl.location.kind;
    parts.push(`w ${label}\0${proxyPassOf(wl.location)?.args[0] ?? ''}\0${wl.reasons.map((r) => r.text).join('\0')}`);
  }
  return parts.join('\n');
}
