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
import type { Finding, Fix, Severity } from './types';
import { validateConfigKnowledge, type KnowledgeFinding } from './knowledge-check';

export { detectLanguage, detectConfigLanguage } from './detect';
export { initAwsParsers, awsParsersReady } from './syntax/aws/treesitter';
export type { ServiceOptions } from './options';

export interface NginxAnalysis {
  language: 'nginx';
  config: NginxConfig;
  findings: Finding[];
}

export interface HaproxyAnalysis {
  language: 'haproxy';
  config: HaproxyConfig;
  findings: Finding[];
}

/** ALB/NLB resources of Terraform modules and CloudFormation templates. */
export interface AwsAnalysis {
  language: 'aws';
  config: AwsConfig;
  findings: Finding[];
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
        f.fixes = (r.fixes ?? []).map((fx) => toFix(fx, indexOf, rule.meta.id));
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
  analyzeNginx(rootPath: string, fs: ConfigFileSystem, build?: BuildOptions): NginxAnalysis;
  /**
   * `prepared`: a config already built from these files and its knowledge findings (an
   * incremental update, see haproxy-incremental.ts); the findings are the same as without it.
   */
  analyzeHaproxy(files: { path: string; text: string }[], prepared?: PreparedHaproxy): HaproxyAnalysis;
  /**
   * Terraform (`.tf`, grouped into modules by directory: pass the module's other .tf files too, for
   * variables) and CloudFormation templates. Throws when Terraform is given before `initAwsParsers()`.
   */
  analyzeAws(files: AwsInputFile[]): AwsAnalysis;
}

export function createLanguageService(partial: Partial<ServiceOptions> = {}): LanguageService {
  const options = withDefaults(partial);
  return {
    options,
    analyzeNginx(rootPath, fs, build) {
      const config = buildNginxConfig(rootPath, fs, build);
      const indexOf: LineIndexOf = (p) => config.sources.get(p)?.tree.lineIndex;
      const findings = nginxBaseFindings(
        config,
        validateConfigKnowledge({ language: 'nginx', config }, options),
        indexOf,
      );
      findings.push(...runRules(NGINX_RULES, config, options, indexOf));
      const all = withTemplateNotes(config.sources.values(), findings, indexOf, 'nginx');
      return {
        language: 'nginx',
        config,
        findings: finish(all, (p) => config.sources.get(p)?.text, undefined, options),
      };
    },
    analyzeHaproxy(files, prepared) {
      const config = prepared?.config ?? buildHaproxyConfig(files);
      const byPath = new Map(config.sources.map((s) => [s.path, s]));
      const indexOf: LineIndexOf = (p) => byPath.get(p)?.tree.lineIndex;
      const syntax: Finding[] = [];
      for (const s of config.sources)
        for (const d of s.tree.diagnostics)
          syntax.push(spanFinding(s.path, d, d.severity, 'haproxy/syntax', d.message, indexOf));
      const checks: Finding[] = [];
      for (const d of config.diagnostics) checks.push(spanFinding(d.path, d, d.severity, d.code, d.message, indexOf));
      if (prepared?.knowledgeFindings) for (const f of prepared.knowledgeFindings) checks.push(f);
      else
        for (const k of prepared?.knowledge ?? validateConfigKnowledge({ language: 'haproxy', config }, options))
          checks.push(spanFinding(k.path, k.span, k.severity, k.code, k.message, indexOf));
      const rules = runRules(HAPROXY_RULES, config, options, indexOf);
      const findings = withTemplateNotes(config.sources, oneFindingPerCause(syntax, checks, rules), indexOf, 'haproxy');
      return {
        language: 'haproxy',
        config,
        findings: finish(findings, (p) => byPath.get(p)?.text, prepared?.suppressions, options),
      };
    },
    analyzeAws(files) {
      const config = buildAwsConfig(files);
      const byPath = new Map(config.files.map((f) => [f.path, new LineIndex(f.text)]));
      const indexOf: LineIndexOf = (p) => byPath.get(p);
      const findings: Finding[] = [];
      for (const d of config.diagnostics) findings.push(spanFinding(d.path, d, d.severity, d.code, d.message, indexOf));
      findings.push(...runRules(AWS_RULES, config, options, indexOf));
      const texts = new Map(config.files.map((f) => [f.path, f.text]));
      return { language: 'aws', config, findings: finish(findings, (p) => texts.get(p), undefined, options) };
    },
  };
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
