/**
 * The language service: pure functions from config text to findings, hovers, fixes and pools.
 * The language server and the CLI are thin layers over this; nothing here knows LSP or VS Code.
 */
import { buildHaproxyConfig, type HaproxyConfig } from './model/haproxy';
import type { AwsConfig } from './model/aws';
import { buildAwsConfig, type AwsInputFile } from './model/aws-build';
import { describeTemplate, type TemplateInfo } from './template';
import { buildNginxConfig, type BuildOptions, type NginxConfig } from './model/nginx';
import type { ConfigFileSystem } from './model/fs';
import { withDefaults, type ServiceOptions } from './options';
import { AWS_RULES, HAPROXY_RULES, NGINX_RULES } from './rules';
import type { AnyRule, FixSpec, RuleContext, RuleReport } from './rules/rule';
import { fixClassOf } from './rules/fix-classes';
import { applySuppressions, type Suppressions } from './suppress';
import type { NginxRuleScope } from './model/nginx-units';
import { LineIndex, type Span } from './text';
import type { FileEdit, Finding, Fix, Severity } from './types';
import { validateConfigKnowledge, type KnowledgeFinding } from './knowledge-check';
import { haproxyTarget } from './knowledge/haproxy-tables';
import { nginxTarget } from './knowledge/nginx';
import { effectiveVersion, versionHintFor, type DetectedVersion, type EffectiveVersion } from './version-detect';

export { detectLanguage, detectConfigLanguage } from './detect';
export { initAwsParsers, awsParsersReady } from './syntax/aws/treesitter';
export type { ServiceOptions } from './options';

export interface NginxAnalysis {
  language: 'nginx';
  config: NginxConfig;
  findings: Finding[];
  /** The options the rules ran with (the file's version applied): what fixes built later use. */
  options: ServiceOptions;
}

export interface HaproxyAnalysis {
  language: 'haproxy';
  config: HaproxyConfig;
  findings: Finding[];
  options: ServiceOptions;
}

/** ALB/NLB resources of Terraform modules and CloudFormation templates. */
export interface AwsAnalysis {
  language: 'aws';
  config: AwsConfig;
  findings: Finding[];
  options: ServiceOptions;
}

/** Map offsets of a known file to LSP-style ranges. */
export type LineIndexOf = (path: string) => LineIndex | undefined;

export function toFix(spec: FixSpec, indexOf: LineIndexOf, ruleId = ''): Fix {
  const cls = fixClassOf(ruleId, spec.kind);
  return {
    title: cls.check && !spec.title.includes(' — check ') ? `${spec.title} — check ${cls.check}` : spec.title,
    kind: cls.kind,
    isPreferred: spec.isPreferred,
    edits: spec.edits.map((e) => {
      const idx = indexOf(e.path) ?? new LineIndex('');
      // An insertion at the start of a file that begins with a byte order mark goes after it:
      // the BOM stays the first character (editors and the binaries only look for it there).
      const span =
        e.span.start === 0 && e.span.end === 0 && idx.text.charCodeAt(0) === 0xfeff ? { start: 1, end: 1 } : e.span;
      return { file: e.path, range: idx.rangeOf(span), newText: e.newText };
    }),
  };
}

/**
 * How many times a rule's fixes were built (RuleReport.fixes called), since the process started: a
 * test seam (issue 23: analysing builds no fix in the language server, a code action only those it
 * shows). Never read by the service itself.
 */
let fixBuilds = 0;
export function fixBuildCount(): number {
  return fixBuilds;
}

/**
 * A report's fixes as the user gets them: built now, classed (fix-classes.ts), positions in lines;
 * HAProxy drops those that would write a line break HAProxy does not see (insertsLoneCr).
 */
export function buildReportFixes(
  r: RuleReport,
  ruleId: string,
  indexOf: LineIndexOf,
  system: 'nginx' | 'haproxy' | 'aws',
): Fix[] {
  if (!r.fixes) return [];
  fixBuilds++;
  const fixes = r.fixes().map((fx) => toFix(fx, indexOf, ruleId));
  // HAProxy ends a line at LF only: in a file whose lines end in a lone CR (reported as a
  // syntax error), an inserted line would join the line before it and never count, and the
  // fix would be offered again after it is applied (issue 23). Such fixes are not offered.
  return system === 'haproxy' ? fixes.filter((x) => !x.edits.some(insertsLoneCr)) : fixes;
}

/**
 * 'now': findings carry their fixes (the CLI, tests). 'later': findings carry none, and the fixes
 * of the findings a code action is about are built from the same analysis on demand
 * (fix-recipes.ts): the language server's diagnostics build no fix.
 */
export type FixTiming = 'now' | 'later';

export function spanFinding(
  path: string,
  span: Span,
  severity: Severity,
  code: string,
  message: string,
  indexOf: LineIndexOf,
): Finding {
  const idx = indexOf(path) ?? new LineIndex('');
  return { file: path, range: idx.rangeOf(span), severity, code, message, fixes: [] };
}

/** The syntax, model (includes) and knowledge-base findings of an nginx config: all but the rules'. */
export function nginxBaseFindings(
  config: NginxConfig,
  knowledge: readonly KnowledgeFinding[],
  indexOf: LineIndexOf,
): Finding[] {
  const findings: Finding[] = [];
  // One broken statement, one finding: the syntax error of a line stands for it, and the
  // validity checks of the same line (unknown directive, argument count, context…), which only
  // repeat the breakage in other words, are left out; identical findings are given once.
  const broken = new Set<string>();
  const seen = new Set<string>();
  const push = (f: Finding) => {
    const key = `${f.file}\0${f.range.start.line}\0${f.code}\0${f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push(f);
  };
  for (const [path, diags] of config.syntax) {
    for (const d of diags) {
      const f = spanFinding(path, d, d.severity, 'nginx/syntax', d.message, indexOf);
      if (f.severity === 'error') broken.add(`${path}\0${f.range.start.line}`);
      push(f);
    }
  }
  const onBrokenLine = (f: Finding) => broken.has(`${f.file}\0${f.range.start.line}`);
  for (const d of config.diagnostics) push(spanFinding(d.path, d, d.severity, d.code, d.message, indexOf));
  for (const k of knowledge) {
    const f = spanFinding(k.path, k.span, k.severity, k.code, k.message, indexOf);
    if (!onBrokenLine(f)) push(f);
  }
  return findings;
}

/** Findings about the block a directive stands in: a template partial's block is the caller's. */
const PLACEMENT_CODES: ReadonlySet<string> = new Set(['nginx/directive-not-allowed-here']);

/**
 * The 0-based lines inside the partials a template defines (Go `{{ define "x" }}` / `{{ block }}`
 * up to its `{{ end }}`, Jinja2 `{% macro %}` up to `{% endmacro %}`): they are rendered wherever
 * the partial is used (nginx-proxy renders its "debug_location" inside server blocks), so the
 * block their directives stand in is not the one they sit in here.
 */
function partialLines(text: string): Set<number> {
  const out = new Set<number>();
  const tag = /\{\{-?\s*(define|block|if|range|with|end)\b|\{%-?\s*(macro|endmacro)\b/g;
  let depth = 0; // Go actions open inside the current partial (if/range/with close with end too)
  let inside = false;
  let from = 0;
  let line = 0;
  let scanned = 0;
  const lineAt = (i: number): number => {
    for (let k = scanned; k < i; k++) if (text.charCodeAt(k) === 10) line++;
    scanned = Math.max(scanned, i);
    return line;
  };
  for (let m = tag.exec(text); m; m = tag.exec(text)) {
    const word = m[1] ?? m[2];
    const at = lineAt(m.index);
    if (!inside) {
      if (word === 'define' || word === 'block' || word === 'macro') {
        inside = true;
        depth = 0;
        from = at;
      }
      continue;
    }
    if (word === 'if' || word === 'range' || word === 'with' || word === 'define' || word === 'block') depth++;
    else if ((word === 'end' && depth-- === 0) || word === 'endmacro') {
      for (let l = from; l <= at; l++) out.add(l);
      inside = false;
    }
  }
  return out;
}

/**
 * A config with template files (template.ts): findings on the lines that hold a placeholder are
 * left out (the rendered file decides them), and each template file gets one note saying so.
 */
export function withTemplateNotes(
  sources: Iterable<{ path: string; text: string; template?: TemplateInfo }>,
  findings: Finding[],
  indexOf: LineIndexOf,
  system: 'nginx' | 'haproxy',
): Finding[] {
  const templates = new Map<string, TemplateInfo>();
  const partials = new Map<string, Set<number>>();
  for (const s of sources)
    if (s.template) {
      templates.set(s.path, s.template);
      partials.set(s.path, partialLines(s.text));
    }
  if (templates.size === 0) return findings;
  const out = findings.filter(
    (f) =>
      !templates.get(f.file)?.lines.has(f.range.start.line) &&
      !(PLACEMENT_CODES.has(f.code) && partials.get(f.file)?.has(f.range.start.line)),
  );
  for (const [path, t] of templates) {
    const first = t.placeholders[0];
    out.push(
      spanFinding(
        path,
        { start: first.start, end: first.end },
        'information',
        `${system}/template`,
        `This file is a template (${describeTemplate(t)}): it is checked as if each placeholder were a plain value, and nothing is reported on the lines that hold one; check the rendered file for those`,
        indexOf,
      ),
    );
  }
  return out;
}

/** Run `rules` over `config` (nginx: over one part of it when `scope` is given, see model/nginx-units.ts). */
export function runRules<C>(
  rules: readonly AnyRule[],
  config: C,
  options: ServiceOptions,
  indexOf: LineIndexOf,
  scope?: NginxRuleScope,
  fixTiming: FixTiming = 'now',
): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    const override = options.ruleSeverity[rule.meta.id];
    if (override === 'off') continue;
    if (rule.meta.appliesTo && !rule.meta.appliesTo(options)) continue;
    const ctx: RuleContext<C> = {
      config,
      options,
      scope,
      report: (r: RuleReport) => {
        const f = spanFinding(
          r.path,
          r.span,
          override ?? r.severity ?? rule.meta.severity,
          rule.meta.id,
          r.message,
          indexOf,
        );
        if (fixTiming === 'now') f.fixes = buildReportFixes(r, rule.meta.id, indexOf, rule.meta.system);
        if (rule.meta.covers) f.covers = rule.meta.covers;
        if (r.related)
          f.related = r.related.map((rel) => ({
            file: rel.path,
            range: (indexOf(rel.path) ?? new LineIndex('')).rangeOf(rel.span),
            message: rel.message,
          }));
        if (r.cites?.length)
          f.cites = r.cites.map((c) => ({
            file: c.path,
            line: (indexOf(c.path) ?? new LineIndex('')).positionAt(c.offset).line,
          }));
        out.push(f);
      },
    };
    try {
      (rule.check as (c: RuleContext<C>) => void)(ctx);
    } catch (e) {
      // A rule bug must never take the whole check down: report it where it can be seen.
      out.push({
        file: '',
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        severity: 'error',
        code: 'wslb/internal',
        message: `rule ${rule.meta.id} failed: ${(e as Error).message}`,
        fixes: [],
      });
    }
  }
  return out;
}

/**
 * What an incremental HAProxy update (haproxy-incremental.ts) already has: the config built from
 * the files, its knowledge findings (and, optionally, the same as Findings), and the suppression
 * comments read from the files so far (filled as they are read; valid while no line holding one
 * and no line break has changed).
 */
export interface PreparedHaproxy {
  config: HaproxyConfig;
  knowledge: KnowledgeFinding[];
  knowledgeFindings?: Finding[];
  suppressions?: Map<string, Suppressions>;
}

export interface LanguageService {
  readonly options: ServiceOptions;
  /** When the rules' fixes are built (see FixTiming). */
  readonly fixTiming: FixTiming;
  analyzeNginx(rootPath: string, fs: ConfigFileSystem, build?: BuildOptions): NginxAnalysis;
  /**
   * `prepared`: a config already built from these files and its knowledge findings (an
   * incremental update, see haproxy-incremental.ts); the findings are the same as without it.
   */
  analyzeHaproxy(files: HaproxyInputFile[], prepared?: PreparedHaproxy): HaproxyAnalysis;
  /**
   * Terraform (`.tf`, grouped into modules by directory: pass the module's other .tf files too, for
   * variables) and CloudFormation templates. Throws when Terraform is given before `initAwsParsers()`.
   */
  analyzeAws(files: AwsInputFile[]): AwsAnalysis;
}

/**
 * A HAProxy file to analyse. `versionHint`: what its siblings or name say about the version it is
 * written for (version-detect.ts versionHintFor(); the front ends read the disk).
 */
export interface HaproxyInputFile {
  path: string;
  text: string;
  versionHint?: DetectedVersion;
}

/**
 * The HAProxy version a group of files is checked for (the first file's comment or hint, see
 * version-detect.ts effectiveVersion()), and the options that carry it.
 */
export function haproxyFileOptions(
  options: ServiceOptions,
  file: HaproxyInputFile | undefined,
): { options: ServiceOptions; version: EffectiveVersion } {
  const version = file
    ? effectiveVersion(file.text, 'haproxy', options.haproxyVersion, !!options.haproxyVersionSet, file.versionHint)
    : { version: options.haproxyVersion };
  return {
    options: version.version === options.haproxyVersion ? options : { ...options, haproxyVersion: version.version },
    version,
  };
}

/**
 * The one finding of a file whose target HAProxy version wslb has no keyword table for (older than
 * the oldest): said instead of checking its keywords against another version's.
 */
export function haproxyVersionFindings(
  file: HaproxyInputFile | undefined,
  version: EffectiveVersion,
  indexOf: LineIndexOf,
): Finding[] {
  if (!file) return [];
  const t = haproxyTarget(version.version);
  if (t.ok) return [];
  const d = version.detected;
  const at = d?.at ?? 0;
  const end = d?.kind === 'comment' ? file.text.indexOf('\n', at) : -1;
  const span = { start: at, end: d?.kind === 'comment' ? (end < 0 ? file.text.length : end) : at };
  const why = d
    ? `this file targets HAProxy ${version.version} (${d.from})`
    : `the target version is HAProxy ${version.version}`;
  const msg = t.message.replace(/^HAProxy \S+ is/, 'which is');
  return [spanFinding(file.path, span, 'information', 'haproxy/version-unsupported', `${why}, ${msg}`, indexOf)];
}

/**
 * The options an nginx config is checked with: the nginx version its root file's comment or
 * siblings say (version-detect.ts), as if the user had set it.
 */
export function nginxFileOptions(
  options: ServiceOptions,
  rootText: string | undefined,
  hint: DetectedVersion | undefined,
): ServiceOptions {
  if (rootText === undefined) return options;
  const v = effectiveVersion(rootText, 'nginx', options.nginxVersion, !!options.nginxVersionSet, hint);
  if (!v.detected || !nginxTarget(v.version).ok) return options;
  if (v.version === options.nginxVersion && options.nginxVersionSet) return options;
  return { ...options, nginxVersion: v.version, nginxVersionSet: true };
}

export function createLanguageService(
  partial: Partial<ServiceOptions> = {},
  fixTiming: FixTiming = 'now',
): LanguageService {
  const options = withDefaults(partial);
  const service: { options: ServiceOptions } = { options };
  return {
    options,
    fixTiming,
    analyzeNginx(rootPath, fs, build) {
      const config = buildNginxConfig(rootPath, fs, build);
      const options = nginxFileOptions(
        service.options,
        config.sources.get(rootPath)?.text,
        versionHintFor(fs, rootPath, 'nginx'),
      );
      const indexOf: LineIndexOf = (p) => config.sources.get(p)?.tree.lineIndex;
      const findings = nginxBaseFindings(
        config,
        validateConfigKnowledge({ language: 'nginx', config }, options),
        indexOf,
      );
      findings.push(...runRules(NGINX_RULES, config, options, indexOf, undefined, fixTiming));
      const all = withTemplateNotes(config.sources.values(), findings, indexOf, 'nginx');
      return {
        language: 'nginx',
        config,
        findings: finish(all, (p) => config.sources.get(p)?.text, undefined, options),
        options,
      };
    },
    analyzeHaproxy(files, prepared) {
      const { options: fileOptions, version } = haproxyFileOptions(options, files[0]);
      const config = prepared?.config ?? buildHaproxyConfig(files);
      const byPath = new Map(config.sources.map((s) => [s.path, s]));
      const indexOf: LineIndexOf = (p) => byPath.get(p)?.tree.lineIndex;
      const syntax: Finding[] = [];
      for (const s of config.sources)
        for (const d of s.tree.diagnostics)
          syntax.push(spanFinding(s.path, d, d.severity, 'haproxy/syntax', d.message, indexOf));
      const checks: Finding[] = haproxyVersionFindings(files[0], version, indexOf);
      for (const d of config.diagnostics) checks.push(spanFinding(d.path, d, d.severity, d.code, d.message, indexOf));
      if (prepared?.knowledgeFindings) for (const f of prepared.knowledgeFindings) checks.push(f);
      else
        for (const k of prepared?.knowledge ?? validateConfigKnowledge({ language: 'haproxy', config }, fileOptions))
          checks.push(spanFinding(k.path, k.span, k.severity, k.code, k.message, indexOf));
      const rules = runRules(HAPROXY_RULES, config, fileOptions, indexOf, undefined, fixTiming);
      const findings = withTemplateNotes(config.sources, oneFindingPerCause(syntax, checks, rules), indexOf, 'haproxy');
      return {
        language: 'haproxy',
        config,
        findings: finish(findings, (p) => byPath.get(p)?.text, prepared?.suppressions, options),
        options: fileOptions,
      };
    },
    analyzeAws(files) {
      const config = buildAwsConfig(files);
      const byPath = new Map(config.files.map((f) => [f.path, new LineIndex(f.text)]));
      const indexOf: LineIndexOf = (p) => byPath.get(p);
      const findings: Finding[] = [];
      for (const d of config.diagnostics) findings.push(spanFinding(d.path, d, d.severity, d.code, d.message, indexOf));
      findings.push(...runRules(AWS_RULES, config, options, indexOf, undefined, fixTiming));
      const texts = new Map(config.files.map((f) => [f.path, f.text]));
      return {
        language: 'aws',
        config,
        findings: finish(findings, (p) => texts.get(p), undefined, options),
        options,
      };
    },
  };
}

/** Does an edit write a CR that is not followed by LF (a line break HAProxy does not see)? */
function insertsLoneCr(e: FileEdit): boolean {
  for (let i = e.newText.indexOf('\r'); i >= 0; i = e.newText.indexOf('\r', i + 1))
    if (e.newText.charCodeAt(i + 1) !== 10) return true;
  return false;
}

/**
 * One broken HAProxy statement, one finding. A line with a syntax error gets no further check
 * finding (the knowledge checks would only say the same breakage in other words); a statement
 * that a rule reports gets no `keyword-not-allowed-here` as well (`timeout tunnel` in a frontend:
 * the rule says the same and what it costs WebSocket, with a fix); identical findings are given
 * once.
 */
export function oneFindingPerCause(syntax: Finding[], checks: Finding[], rules: Finding[]): Finding[] {
  const at = (f: Finding) => `${f.file}\0${f.range.start.line}`;
  const broken = new Set(syntax.filter((f) => f.severity === 'error').map(at));
  const ruled = new Set(rules.map((f) => `${at(f)}\0${f.range.start.character}`));
  const out: Finding[] = [];
  const seen = new Set<string>();
  const push = (f: Finding) => {
    const key = `${at(f)}\0${f.range.start.character}\0${f.code}\0${f.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(f);
  };
  for (const f of syntax) push(f);
  for (const f of checks) {
    if (broken.has(at(f))) continue;
    if (f.code === 'haproxy/keyword-not-allowed-here' && ruled.has(`${at(f)}\0${f.range.start.character}`)) continue;
    push(f);
  }
  for (const f of rules) push(f);
  return out;
}

/**
 * The user's severity for every code (`--rule id=...`, `wslb.rules`): rules' findings have it
 * already (runRules), checks' (syntax, knowledge, model) get it here; 'off' drops the finding.
 */
export function applySeverityOverrides(findings: Finding[], ruleSeverity: ServiceOptions['ruleSeverity']): Finding[] {
  if (Object.keys(ruleSeverity).length === 0) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const s = Object.prototype.hasOwnProperty.call(ruleSeverity, f.code) ? ruleSeverity[f.code] : undefined;
    if (s === 'off') continue;
    out.push(s && s !== f.severity ? { ...f, severity: s } : f);
  }
  return out;
}

/**
 * Severity overrides (`options`), suppression comments (`suppressions`: those already read, by
 * file), then file and position order.
 */
export function finish(
  findings: Finding[],
  textOf: (p: string) => string | undefined,
  suppressions?: Map<string, Suppressions>,
  options?: ServiceOptions,
): Finding[] {
  const kept = applySuppressions(
    options ? applySeverityOverrides(findings, options.ruleSeverity) : findings,
    textOf,
    suppressions,
  );
  kept.sort((a, b) =>
    a.file < b.file
      ? -1
      : a.file > b.file
        ? 1
        : a.range.start.line - b.range.start.line ||
          a.range.start.character - b.range.start.character ||
          (a.code < b.code ? -1 : 1),
  );
  return kept;
}
