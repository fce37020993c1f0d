/**
 * Template placeholders in HAProxy files (the shared recognition is template.ts).
 *
 * One HAProxy difference: HAProxy itself expands environment variables, `"${VAR}"` and `"$VAR"`,
 * but only inside double quotes (HAProxy 2.6 configuration manual, section 2.3 "Environment
 * variables": "Those variables are interpreted only within double quotes"), and also in every
 * address, quoted or not: str2sa_range() runs env_expand() over the address it reads (src/tools.c;
 * `bind *:${MQTT_PORT}` works). Such a `${VAR}` is HAProxy syntax, not a template, and stays as
 * it is. Elsewhere HAProxy leaves a bare `${VAR}` as those characters, so it can only be meant
 * for a tool that renders the file first (envsubst, a shell here-document): a placeholder.
 */
import { recogniseTemplate, type TemplateInfo, type TemplatePlaceholder } from '../template';

/** The placeholders of an HAProxy file and its neutralised text (same length), or null. */
export function recogniseHaproxyTemplate(text: string): TemplateInfo | null {
  const info = recogniseTemplate(text);
  if (!info) return null;
  const dollar = info.placeholders.filter((p) => text[p.start] === '$');
  if (dollar.length === 0) return info;
  const quoted = new Set(dollar.filter((p) => insideDoubleQuotes(text, p.start) || onAddressLine(text, p.start)));
  if (quoted.size === 0) return info;
  const kept = info.placeholders.filter((p) => !quoted.has(p));
  if (kept.length === 0) return null;
  // Put the original characters back where a quoted `${VAR}` was made a value (not where it was
  // blanked with the rest of an `else` branch).
  let neutral = '';
  let pos = 0;
  for (const p of quoted) {
    const was = info.text.slice(p.start, p.end);
    neutral += info.text.slice(pos, p.start) + (was.trim() === '' ? was : text.slice(p.start, p.end));
    pos = p.end;
  }
  neutral += info.text.slice(pos);
  // The lines of the kept placeholders, and those template.ts blanked whole (`else` branches):
  // a line that only held a quoted `${VAR}` is plain HAProxy again.
  const lines = linesOf(text, kept);
  const neutralLines = neutral.split('\n');
  for (const l of info.lines) if (!lines.has(l) && (neutralLines[l] ?? '').trim() === '') lines.add(l);
  return { text: neutral, placeholders: kept, syntaxes: syntaxesOf(text, kept), lines };
}

/**
 * Is `offset` inside a double-quoted string of its line, as HAProxy's line parser reads it
 * (src/tools.c parse_line(): `"` and `'` quote, a backslash escapes outside single quotes, `#`
 * at the start of a word outside quotes starts a comment)?
 */
function insideDoubleQuotes(text: string, offset: number): boolean {
  let i = text.lastIndexOf('\n', offset - 1) + 1;
  let quote: '"' | "'" | null = null;
  for (; i < offset; i++) {
    const c = text[i];
    if (c === '\\' && quote !== "'") {
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = null;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) return false;
  }
  return quote === '"';
}

/**
 * Keywords whose arguments include an address read by str2sa_range() (src/tools.c, which expands
 * environment variables in it): bind/server lines and the other address-taking keywords.
 */
const ADDRESS_KEYWORDS = new Set([
  'bind',
  'server',
  'server-template',
  'default-server',
  'source',
  'log',
  'peer',
  'nameserver',
  'mailer',
  'dgram-bind',
  'stats',
]);

/** Is `offset` on a line whose keyword takes an address (ADDRESS_KEYWORDS)? */
function onAddressLine(text: string, offset: number): boolean {
  const ls = text.lastIndexOf('\n', offset - 1) + 1;
  const m = /^[ \t]*([^\s#]+)/.exec(text.slice(ls, offset));
  return !!m && ADDRESS_KEYWORDS.has(m[1]);
}

function syntaxesOf(text: string, placeholders: readonly TemplatePlaceholder[]): string[] {
  const out: string[] = [];
  for (const p of placeholders) {
    const name = syntaxName(text.slice(p.start, p.end));
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** The names template.ts gives its syntaxes, by the placeholder's first characters. */
function syntaxName(raw: string): string {
  if (raw.startsWith('{#')) return '{# #}';
  if (raw.startsWith('{%')) return '{% %}';
  if (raw.startsWith('{{')) return '{{ }}';
  if (raw.startsWith('<%')) return '<% %>';
  if (raw.startsWith('${')) return '${VAR}';
  if (raw.startsWith('%%')) return '%%NAME%%';
  if (raw.startsWith('{')) return '{name}';
  return '<NAME>';
}

function linesOf(text: string, placeholders: readonly TemplatePlaceholder[]): Set<number> {
  const lines = new Set<number>();
  let line = 0;
  let pos = 0;
  for (const p of placeholders) {
    for (; pos < p.start; pos++) if (text.charCodeAt(pos) === 10) line++;
    lines.add(line);
    for (; pos < p.end; pos++) if (text.charCodeAt(pos) === 10) lines.add(++line);
  }
  return lines;
}
