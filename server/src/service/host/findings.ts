/**
 * Findings from what the checks and rules report: positions in lines, the rules run, template
 * notes, one finding per cause, severity overrides and suppressions, sorted. The steps every
 * analysis shares, fresh (analyse.ts) or incremental (nginx.ts, haproxy.ts).
 */
import { describeTemplate, type TemplateInfo } from '../template';
import type { NginxConfig } from '../model/nginx';
import type { ServiceOptions } from '../options';
import type { AnyRule, RuleContext, RuleReport } from '../rules/rule';
import { applySuppressions, type Suppressions } from '../suppress';
import type { NginxRuleScope } from '../model/nginx-units';
import { LineIndex, type Span } from '../text';
import type { Finding, Severity } from '../types';
import type { KnowledgeFinding } from '../knowledge-check';
import type { FixTiming } from '../index';
import { buildReportFixes, type LineIndexOf } from './fixes';

export type { LineIndexOf } from './fixes';

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
