/** Renders the rule reference (docs/rules.md) from the registry. */
import './markdown-require.cjs';
import { sourcePointer } from '../server/src/service/docs/sections';
import { ALL_CHECKS } from '../server/src/service/checks';
import { codeAnchor as anchor } from '../server/src/service/docs/links';
import { ALL_RULES } from '../server/src/service/rules';
import { checkLongDocs, longDocs } from '../server/src/service/rules/long-docs';

export function renderRuleDocs(): string {
  const out: string[] = [
    '# wslb rules',
    '',
    'Generated from the rule registry by `npx tsx scripts/gen-rule-docs.ts`; do not edit by hand.',
    'The same text appears in editor hovers and in `wslb explain <rule-id>`.',
    '',
    '| rule | severity | applies to | fix | summary |',
    '|---|---|---|---|---|',
  ];
  for (const r of ALL_RULES) {
    const m = r.meta;
    out.push(
      `| [\`${m.id}\`](#${anchor(m.id)}) | ${m.severity} | ${m.versions.replace(/\|/g, '\\|')} | ${m.fixable ? 'yes' : '—'} | ${m.docs.short.replace(/\|/g, '\\|')} |`,
    );
  }
  for (const r of ALL_RULES) {
    const m = r.meta;
    out.push(
      '',
      `## ${m.id}`,
      '',
      `*${m.severity}; applies to ${m.versions}; ${m.fixable ? 'quick fix available' : 'no automatic fix'}*`,
      '',
      m.docs.short,
      '',
      longDocs(m),
      '',
      sourcePointer(m.docs.section),
    );
    if (m.docs.proof) out.push('', `**Proof.** ${m.docs.proof}`);
    if (m.docs.references.length) out.push('', 'References:', '', ...m.docs.references.map((u) => `- ${u}`));
  }
  out.push(
    '',
    '# Validity checks',
    '',
    'Besides the WebSocket rules, wslb reports what keeps a config from loading: syntax, unknown or',
    'misplaced directives and keywords, versions, includes. Each code can be turned off or given',
    'another severity like a rule (`--rule <code>=off|error|warning|info`, `wslb.rules`).',
    '',
    '| check | severity | summary |',
    '|---|---|---|',
  );
  for (const c of ALL_CHECKS)
    out.push(`| [\`${c.id}\`](#${anchor(c.id)}) | ${c.severity} | ${c.short.replace(/\|/g, '\\|')} |`);
  for (const c of ALL_CHECKS) {
    out.push('', `## ${c.id}`, '', `*${c.severity}; validity check*`, '', c.short, '', checkLongDocs(c.id));
    if (c.references?.length) out.push('', 'References:', '', ...c.references.map((u) => `- ${u}`));
  }
  return out.join('\n') + '\n';
}
