/**
 * Template placeholders in nginx and HAProxy configs. Projects ship their configs as templates
 * (Jinja2/Ansible `{{ var }}` and `{% if %}`, Go templates and sigil `{{ .Var }}`/`{{ range }}`,
 * Handlebars/Mustache, ERB/EJS `<%= x %>`, envsubst `${VAR}`, Python `{name}`, `%%NAME%%` markers, `<IP_NODE_1>`
 * style "fill me in" values). Read raw, each placeholder breaks the syntax and the rest of the file
 * drowns in errors that the rendered file does not have.
 *
 * recogniseTemplate() finds the placeholders and gives a text of the same length (every offset
 * and line unchanged) where each one is replaced by something neutral: a control tag
 * (`{% if %}`, `{{ end }}`, a comment) and a placeholder standing alone on its line (it renders
 * to whole statements) become spaces, and so does every `else` branch (the file is read as if each
 * condition held: two branches that each open a block would leave one open); a value becomes
 * one plain word of the same length (digits after a `:`, as in `host:{{ port }}`). The checker
 * parses that text, reports nothing on the lines that hold a placeholder, and says once that the
 * file is a template. Pure: no I/O, no knowledge of nginx or HAProxy.
 */

export type PlaceholderKind = 'value' | 'control';

export interface TemplatePlaceholder {
  start: number;
  end: number;
  kind: PlaceholderKind;
}

export interface TemplateInfo {
  /** The text with every placeholder neutralised; same length and line breaks as the original. */
  text: string;
  placeholders: TemplatePlaceholder[];
  /** The syntaxes seen, for messages: "{{ }}", "{% %}", "${VAR}", … in order of first appearance. */
  syntaxes: string[];
  /** 0-based lines that hold (part of) a placeholder. */
  lines: Set<number>;
}

interface Syntax {
  name: string;
  re: RegExp;
  kind: (match: string) => PlaceholderKind;
}

/** Words that open or close a block in Go templates (text/template), Jinja2 and Handlebars. */
const CONTROL_WORD =
  /^(?:if|else|elif|end|range|with|define|template|block|for|endfor|endif|set|endset|macro|endmacro|include|import|from|raw|endraw|break|continue)\b/;

const SYNTAXES: Syntax[] = [
  // Go/Jinja2/Handlebars comments and Jinja2 statements: never output
  { name: '{# #}', re: /\{#[\s\S]*?#\}/y, kind: () => 'control' },
  { name: '{% %}', re: /\{%[\s\S]*?%\}/y, kind: () => 'control' },
  {
    name: '{{ }}',
    re: /\{\{\{?[\s\S]*?\}\}\}?/y,
    kind: (m) => {
      const inner = m
        .replace(/^\{\{\{?-?~?\s*/, '')
        .replace(/\s*-?~?\}\}\}?$/, '')
        .trim();
      // Go comment, Handlebars block/close/else/partial, a control word, or a Go assignment
      if (/^(?:\/\*|[#/^>!])/.test(inner) || CONTROL_WORD.test(inner) || /^\$[\w.]*\s*:?=/.test(inner))
        return 'control';
      return 'value';
    },
  },
  { name: '<% %>', re: /<%[\s\S]*?%>/y, kind: (m) => (/^<%[=-]/.test(m) ? 'value' : 'control') },
  // envsubst and shell-style: upper-case names only (nginx's own `${var}` variables are lower case)
  { name: '${VAR}', re: /\$\{[A-Z][A-Z0-9_]*(?:[:?+=-][^}\n]*)?\}/y, kind: () => 'value' },
  { name: '%%NAME%%', re: /%%[A-Za-z][A-Za-z0-9_]*%%/y, kind: () => 'value' },
  // Python str.format: `{name}` with nothing else inside (nginx's own `${name}` is a variable;
  // a block's brace is followed by a blank or a directive and its `;`)
  { name: '{name}', re: /(?<!\$)\{[A-Za-z_][A-Za-z0-9_]*\}/y, kind: () => 'value' },
  // "fill me in" markers: <IP_NODE_1>, <YOUR_DOMAIN> (upper case, so HTML in a string is left alone)
  { name: '<NAME>', re: /<[A-Z][A-Z0-9_]*[A-Z0-9]>/y, kind: () => 'value' },
];

/**
 * The template placeholders of `text` and a neutral text of the same shape, or null when there
 * are none. `comment` is the line-comment character of the config language (`#` for both nginx
 * and HAProxy): placeholders inside comments are not looked at.
 */
export function recogniseTemplate(text: string, comment = '#'): TemplateInfo | null {
  // Quick exit: every syntax starts with one of these characters.
  if (!/[{<$%]/.test(text)) return null;
  const placeholders: TemplatePlaceholder[] = [];
  const syntaxes: string[] = [];
  // The characters that start a placeholder or a comment, found by the engine (most of a config
  // is neither); a comment is skipped to its line's end.
  const commentCode = comment.length === 1 ? comment.charCodeAt(0) : -1;
  const next = new RegExp(`[{<$%${commentCode < 0 ? '' : comment.replace(/[\\\]^-]/g, '\\$&')}]`, 'g');
  // (test, not exec: a match array per hit would be made for every brace and variable of a config)
  while (next.test(text)) {
    const i = next.lastIndex - 1;
    const c = text.charCodeAt(i);
    if (c === commentCode && !startsPlaceholder(text, i)) {
      // `#` opens a comment only at a word start (nginx and HAProxy both read `a#b` as one word)
      if (i === 0 || /\s|;|\{|\}/.test(text[i - 1])) {
        const eol = text.indexOf('\n', i);
        if (eol < 0) break;
        next.lastIndex = eol + 1;
      }
      continue;
    }
    if (!mayOpenPlaceholder(c, text.charCodeAt(i + 1))) continue;
    for (const s of SYNTAXES) {
      s.re.lastIndex = i;
      const m = s.re.exec(text);
      if (!m) continue;
      placeholders.push({ start: i, end: i + m[0].length, kind: s.kind(m[0]) });
      if (!syntaxes.includes(s.name)) syntaxes.push(s.name);
      next.lastIndex = i + m[0].length;
      break;
    }
  }
  if (placeholders.length === 0) return null;
  const skipped = otherBranches(text, placeholders);
  const lines = new Set<number>();
  let out = '';
  let pos = 0;
  let line = 0;
  const advance = (to: number) => {
    for (let k = pos; k < to; k++) if (text.charCodeAt(k) === 10) line++;
  };
  for (const p of placeholders) {
    advance(p.start);
    out += text.slice(pos, p.start);
    pos = p.start;
    const raw = text.slice(p.start, p.end);
    const first = line;
    advance(p.end);
    pos = p.end;
    for (let l = first; l <= line; l++) lines.add(l);
    out += p.kind === 'control' || aloneOnLine(text, p) ? blank(raw) : valueLike(raw, text[p.start - 1]);
  }
  out += text.slice(pos);
  // the `else` branches, blanked: the file is read as if every condition held
  for (const r of skipped) {
    out = out.slice(0, r.start) + blank(out.slice(r.start, r.end)) + out.slice(r.end);
    let l = 0;
    for (let k = 0; k < r.start; k++) if (text.charCodeAt(k) === 10) l++;
    for (let k = r.start; k <= r.end && k < text.length; k++) {
      lines.add(l);
      if (text.charCodeAt(k) === 10) l++;
    }
  }
  return { text: out, placeholders, syntaxes, lines };
}

type Role = 'open' | 'else' | 'close' | null;

/** What a control tag does to the block structure (Jinja2, Go templates, Handlebars). */
function roleOf(raw: string): Role {
  let inner: string;
  if (raw.startsWith('{%')) inner = raw.slice(2, -2);
  else if (raw.startsWith('{{')) inner = raw.replace(/^\{\{\{?/, '').replace(/\}\}\}?$/, '');
  else return null;
  inner = inner.replace(/^[-~+]?\s*/, '').replace(/\s*[-~+]?$/, '');
  if (/^(?:else|elif|elsif)\b/.test(inner)) return 'else';
  if (/^(?:end\w*\b|\/)/.test(inner)) return 'close';
  if (/^(?:if|for|range|with|define|block|macro|filter|call|unless)\b/.test(inner) || /^#/.test(inner)) return 'open';
  return null;
}

/**
 * The `else`/`elif` branches of the template's conditions (from the tag to the end of the
 * block): both branches of `{% if %}location /a {{% else %}location /b {{% endif %}` open a block,
 * and read together they leave one open.
 */
function otherBranches(text: string, placeholders: TemplatePlaceholder[]): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const stack: { from?: number }[] = [];
  for (const p of placeholders) {
    if (p.kind !== 'control') continue;
    const role = roleOf(text.slice(p.start, p.end));
    if (role === 'open') stack.push({});
    else if (role === 'else') {
      const top = stack[stack.length - 1];
      if (top && top.from === undefined) top.from = p.start;
    } else if (role === 'close') {
      const top = stack.pop();
      if (top?.from !== undefined) out.push({ start: top.from, end: p.start });
    }
  }
  return out;
}

/**
 * Can a placeholder of SYNTAXES start with these two characters? (Each begins with `{#`, `{%`,
 * `{{`, `{` and a name, `<%`, `<` and a capital, `${`, or `%%`.) Lets the scan skip the
 * expressions at the braces and variables of a plain config.
 */
function mayOpenPlaceholder(c: number, next: number): boolean {
  const upper = next >= 65 && next <= 90;
  switch (c) {
    case 123: // {
      return next === 35 || next === 37 || next === 123 || upper || next === 95 || (next >= 97 && next <= 122);
    case 60: // <
      return next === 37 || upper;
    case 36: // $
      return next === 123;
    case 37: // %
      return next === 37;
    default:
      return false;
  }
}

/** `{#` is a Jinja2 comment tag, not a `#` comment. */
function startsPlaceholder(text: string, i: number): boolean {
  return text[i - 1] === '{';
}

/** Spaces in place of every character but line breaks. */
function blank(raw: string): string {
  return raw.replace(/[^\r\n]/g, ' ');
}

/** One word of the same length (line breaks kept): digits after `:` (a port), letters otherwise. */
function valueLike(raw: string, before: string | undefined): string {
  const ch = before === ':' ? '1' : 'x';
  return raw.replace(/[^\r\n]/g, ch);
}

/** Nothing but blanks (and other placeholders' ends) around it on its line: it renders to whole statements. */
function aloneOnLine(text: string, p: TemplatePlaceholder): boolean {
  const ls = text.lastIndexOf('\n', p.start - 1) + 1;
  let le = text.indexOf('\n', p.end);
  if (le < 0) le = text.length;
  return text.slice(ls, p.start).trim() === '' && text.slice(p.end, le).trim() === '';
}

/** "{{ }}" and "${VAR}" placeholders, for a message. */
export function describeTemplate(info: TemplateInfo): string {
  const n = info.placeholders.length;
  return `${info.syntaxes.map((s) => `\`${s}\``).join(', ')}: ${n} placeholder${n === 1 ? '' : 's'}`;
}
