/**
 * Fixes built when they are asked for (issue 23). The language server analyses with
 * FixTiming 'later': its findings carry no fixes, so publishing diagnostics builds none. When a
 * code action asks for the fixes of some findings, `fixesOf` builds them from the analysis that
 * made those findings: it runs the findings' rules again over that analysis's config (the checks
 * alone, which are cheap; a finding's fixes are a function its report carries) and builds only the
 * fixes of the reports that are those findings — same file, range and message.
 *
 * A report's fix function reads the syntax trees, and the nginx trees are moved into a new text in
 * place by an incremental re-parse (issue 21). So the caller must ask only while the analysis is
 * of the texts as they are now (lsp/project.ts checks it, and re-analyses first when they are
 * not): the rules then run over the trees in the state the analysis saw, and the fixes equal those
 * a fresh analysis of the same texts builds at once (test/lsp/lazy-fixes.test.ts).
 */
import {
  buildReportFixes,
  type AwsAnalysis,
  type HaproxyAnalysis,
  type LineIndexOf,
  type NginxAnalysis,
} from './index';
import { ruleById } from './rules';
import type { RuleContext, RuleReport } from './rules/rule';
import { LineIndex, type Range } from './text';
import type { Finding, Fix } from './types';

export type AnyAnalysis = NginxAnalysis | HaproxyAnalysis | AwsAnalysis;

interface Recipes {
  indexOf: LineIndexOf;
  /** By rule id: the reports of one run of the rule, by finding identity (the first of equals). */
  byRule: Map<string, Map<string, RuleReport>>;
  /** Fixes already built, by finding identity and rule. */
  built: Map<string, Fix[]>;
}

const recipesOf = new WeakMap<AnyAnalysis, Recipes>();

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
  let rec = recipesOf.get(analysis);
  if (!rec)
    recipesOf.set(analysis, (rec = { indexOf: indexOfAnalysis(analysis), byRule: new Map(), built: new Map() }));
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
