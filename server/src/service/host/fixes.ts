/**
 * Fixes: a rule report's fixes as the user gets them (buildReportFixes), and the fixes built when
 * they are asked for (issue 23). The language server analyses with FixTiming 'later': its findings
 * carry no fixes, so publishing diagnostics builds none. When a code action asks for the fixes of
 * some findings, `fixesOf` builds them from the analysis that made those findings: it runs the
 * findings' rules again over that analysis's config (the checks alone, which are cheap; a finding's
 * fixes are a function its report carries) and builds only the fixes of the reports that are those
 * findings — same file, range and message.
 *
 * A report's fix function reads the syntax trees, and the nginx trees are moved into a new text in
 * place by an incremental re-parse (issue 21). So the caller must ask only while the analysis is
 * of the texts as they are now (analysis-host.ts checks it, and re-analyses first when they are
 * not): the rules then run over the trees in the state the analysis saw, and the fixes equal those
 * a fresh analysis of the same texts builds at once (test/lsp/lazy-fixes.test.ts).
 */
import type { AwsAnalysis, HaproxyAnalysis, NginxAnalysis } from '../index';
import { ruleById } from '../rules';
import type { FixSpec, RuleContext, RuleReport } from '../rules/rule';
import { fixClassOf } from '../rules/fix-classes';
import { LineIndex, type Range } from '../text';
import type { FileEdit, Finding, Fix } from '../types';
import { fact } from './memo';

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

/** Does an edit write a CR that is not followed by LF (a line break HAProxy does not see)? */
function insertsLoneCr(e: FileEdit): boolean {
  for (let i = e.newText.indexOf('\r'); i >= 0; i = e.newText.indexOf('\r', i + 1))
    if (e.newText.charCodeAt(i + 1) !== 10) return true;
  return false;
}

export type AnyAnalysis = NginxAnalysis | HaproxyAnalysis | AwsAnalysis;

interface Recipes {
  indexOf: LineIndexOf;
  /** By rule id: the reports of one run of the rule, by finding identity (the first of equals). */
  byRule: Map<string, Map<string, RuleReport>>;
  /** Fixes already built, by finding identity and rule. */
  built: Map<string, Fix[]>;
}

/** The reports and fixes of an analysis, made as code actions ask for them. */
const recipesOf = fact<AnyAnalysis, Recipes>('fix-recipes', (a) => ({
  indexOf: indexOfAnalysis(a),
  byRule: new Map(),
  built: new Map(),
}));

function key(code: string, file: string, r: Range, message: string): string {
  return `${code}\0${file}\0${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}\0${message}`;
}

function indexOfAnalysis(a: AnyAnalysis): LineIndexOf {
  if (a.language === 'nginx') return (p) => a.config.sources.get(p)?.tree.lineIndex;
  if (a.language === 'haproxy') {
    const byPath = new Map(a.config.sources.map((s) => [s.path, s.tree.lineIndex]));
    return (p) => byPath.get(p);
  }
  const byPath = new Map<string, LineIndex>();
  const texts = new Map(a.config.files.map((f) => [f.path, f.text]));
  return (p) => {
    let idx = byPath.get(p);
    const text = texts.get(p);
    if (!idx && text !== undefined) byPath.set(p, (idx = new LineIndex(text)));
    return idx;
  };
}

/** The reports of one rule over the analysis's config, by finding identity. */
function reportsOf(a: AnyAnalysis, rec: Recipes, ruleId: string): Map<string, RuleReport> {
  let out = rec.byRule.get(ruleId);
  if (out) return out;
  out = new Map();
  rec.byRule.set(ruleId, out);
  const rule = ruleById(ruleId);
  // (not only meta.fixable rules: some offer a suggestion now and then, unknown-upstream's name)
  if (!rule || rule.meta.system !== a.language) return out;
  const found = out;
  const ctx: RuleContext<unknown> = {
    config: a.config,
    options: a.options,
    report: (r) => {
      const idx = rec.indexOf(r.path) ?? new LineIndex('');
      const k = key(ruleId, r.path, idx.rangeOf(r.span), r.message);
      if (!found.has(k)) found.set(k, r);
    },
  };
  try {
    (rule.check as (c: RuleContext<unknown>) => void)(ctx);
  } catch {
    // The analysis reported the failure as a wslb/internal finding; there is nothing to fix.
  }
  return out;
}

/**
 * The fixes of `findings` (findings of `analysis`), in their order, built now. Findings that are
 * no rule's, or whose report the rule no longer makes, get none.
 */
export function fixesOf(analysis: AnyAnalysis, findings: readonly Finding[]): Fix[][] {
  const rec = recipesOf(analysis);
  const out: Fix[][] = [];
  for (const f of findings) {
    const k = key(f.code, f.file, f.range, f.message);
    let fixes = rec.built.get(k);
    if (!fixes) {
      const r = reportsOf(analysis, rec, f.code).get(k);
      fixes = r ? buildReportFixes(r, f.code, rec.indexOf, analysis.language) : [];
      rec.built.set(k, fixes);
    }
    out.push(fixes);
  }
  return out;
}
