/**
 * The long explanation of a rule, shared by `wslb explain <rule-id>` (plain text) and the hover on
 * a finding's range (Markdown). Both print the rule's `docs.long` and its source-section pointer
 * from the registry, so the two never drift apart.
 */
import { ruleById } from '../rules';
import { sourcePointer } from './sections';

/** The text `wslb explain <id>` prints, or undefined for an unknown rule. */
export function explainRule(id: string): string | undefined {
  const r = ruleById(id);
  if (!r) return undefined;
  const m = r.meta;
  return [
    `${m.id} (${m.severity}; applies to ${m.versions})`,
    '',
    m.docs.short,
    '',
    m.docs.long,
    '',
    sourcePointer(m.docs.section),
    ...(m.docs.references.length ? ['', 'References:', ...m.docs.references.map((u) => `  ${u}`)] : []),
    ...(m.docs.proof ? ['', `Proof: ${m.docs.proof}`] : []),
    '',
  ].join('\n');
}

/** Markdown for a hover on a finding of rule `id`: the same short/long text and source pointer. */
export function ruleExplanationMarkdown(id: string, message?: string): string | undefined {
  const r = ruleById(id);
  if (!r) return undefined;
  const d = r.meta.docs;
  const parts = [`**${r.meta.id}** — ${d.short}`];
  if (message && message !== d.short) parts.push(`*Here:* ${message}`);
  parts.push(d.long, `*${sourcePointer(d.section)}*`);
  if (d.references.length)
    parts.push(
      d.references
        .map((u) => (/^https?:\/\//.test(u) ? `[${u.replace(/^https?:\/\//, '')}](${u})` : `\`${u}\``))
        .join(' · '),
    );
  return parts.join('\n\n');
}
