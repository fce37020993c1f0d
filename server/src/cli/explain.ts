/** `wslb explain <rule-id>`: the same long text the hovers show. */
import { sourcePointer } from '../service/docs/sections';
import { ruleById } from '../service/rules';

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
