/**
 * The long explanation of a rule, shared by `wslb explain <rule-id>` (plain text) and the hover on
 * a finding's range (Markdown). Both print the rule's long text (rules/long-docs.ts) and its source-section pointer
 * from the registry, so the two never drift apart.
 */
import { checkById } from '../checks';
import { ruleById } from '../rules';
import { checkLongDocs, longDocs } from '../rules/long-docs';
import { sourcePointer } from './sections';

/** The text `wslb explain <id>` prints (a rule or a check), or undefined for an unknown code. */
export function explainRule(id: string): string | undefined {
  const r = ruleById(id);
  if (!r) return explainCheck(id);
  const m = r.meta;
  return [
    `${m.id} (${m.severity}; applies to ${m.versions})`,
    '',
    m.docs.short,
    '',
    longDocs(m),
    '',
    sourcePointer(m.docs.section, false),
    ...(m.docs.references.length ? ['', 'References:', ...m.docs.references.map((u) => `  ${u}`)] : []),
    ...(m.docs.proof ? ['', `Proof: ${m.docs.proof}`] : []),
    '',
  ].join('\n');
}

function explainCheck(id: string): string | undefined {
  const c = checkById(id);
  if (!c) return undefined;
  return [
    `${c.id} (${c.severity}; a validity check)`,
    '',
    c.short,
    '',
    checkLongDocs(c.id),
    '',
    `Turn it off or change its severity: --rule ${c.id}=off|error|warning|info (wslb.rules in the editor).`,
    ...(c.references?.length ? ['', 'References:', ...c.references.map((u) => `  ${u}`)] : []),
    '',
  ].join('\n');
}

function links(refs: readonly string[]): string {
  return refs
    .map((u) => (/^https?:\/\//.test(u) ? `[${u.replace(/^https?:\/\//, '')}](${u})` : `\`${u}\``))
    .join(' · ');
}

/**
 * A rule's page in the editor (the "Explain rule" link of a hover): what is wrong, the long text
 * (why and what to do), the versions it applies to, the proof, the references. Offline: all from
 * the registry, the same text as `wslb explain`.
 */
export function rulePageMarkdown(id: string): string | undefined {
  const r = ruleById(id);
  if (!r) {
    const c = checkById(id);
    if (!c) return undefined;
    return (
      [
        `# ${c.id}`,
        `*${c.severity}; a validity check*`,
        c.short,
        checkLongDocs(c.id),
        ...(c.references?.length ? ['## References', links(c.references)] : []),
      ].join('\n\n') + '\n'
    );
  }
  const m = r.meta;
  return (
    [
      `# ${m.id}`,
      `*${m.severity}${m.fixable ? ' · has a quick fix' : ' · no automatic fix'}*`,
      `**${m.docs.short}**`,
      '## Why, and what to do',
      longDocs(m),
      sourcePointer(m.docs.section),
      '## Versions',
      `Applies to ${m.versions}.`,
      ...(m.docs.proof ? ['## Proof', m.docs.proof] : []),
      ...(m.docs.references.length ? ['## References', links(m.docs.references)] : []),
      '## Turn it off',
      `Change its severity or turn it off with \`wslb.rules\` in the settings, \`--rule ${m.id}=off\` on the command line, or a \`# wslb-disable-next-line ${m.id} -- reason\` comment.`,
    ].join('\n\n') + '\n'
  );
}

/** Markdown for a hover on a finding of rule (or check) `id`: the same short/long text and source pointer. */
export function ruleExplanationMarkdown(id: string, message?: string): string | undefined {
  const r = ruleById(id);
  if (!r) {
    const c = checkById(id);
    if (!c) return undefined;
    const parts = [`**${c.id}** — ${c.short}`];
    if (message && message !== c.short) parts.push(`*Here:* ${message}`);
    parts.push(checkLongDocs(c.id));
    if (c.references?.length) parts.push(links(c.references));
    return parts.join('\n\n');
  }
  const d = r.meta.docs;
  const parts = [`**${r.meta.id}** — ${d.short}`];
  if (message && message !== d.short) parts.push(`*Here:* ${message}`);
  parts.push(longDocs(r.meta), sourcePointer(d.section));
  if (d.references.length) parts.push(links(d.references));
  return parts.join('\n\n');
}
