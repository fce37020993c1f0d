/**
 * Minimal edits to Terraform and CloudFormation (YAML, JSON) that keep the file's layout and comments:
 * replace one attribute value, or add an attribute (Terraform: a line in the resource body, aligned
 * like its neighbours; CloudFormation: an entry in the resource's attribute list, copied from the
 * style of an existing entry, creating the list when it is absent).
 */
import type { AwsConfig, AwsResource, AwsValue } from '../model/aws';
import type { EditSpec } from '../rules/rule';

export interface AwsSetting {
  /** Terraform attribute name (`idle_timeout`), or `block.attr` for a nested block (`stickiness.enabled`). */
  tf: string;
  /** CloudFormation attribute key (`idle_timeout.timeout_seconds`). */
  cfn: string;
  value: number | string | boolean;
}

function textOf(config: AwsConfig, path: string): string | undefined {
  return config.files.find((f) => f.path === path)?.text;
}

/** The file's line break, from its first line (not a scan of the whole text: fixes are built per finding). */
function eolOf(text: string): string {
  const nl = text.indexOf('\n');
  return nl > 0 && text[nl - 1] === '\r' ? '\r\n' : '\n';
}

function lineStart(text: string, offset: number): number {
  let s = offset;
  while (s > 0 && text[s - 1] !== '\n' && text[s - 1] !== '\r') s--;
  return s;
}

function lineEnd(text: string, offset: number): number {
  let e = offset;
  while (e < text.length && text[e] !== '\n' && text[e] !== '\r') e++;
  return e;
}

function indentAt(text: string, offset: number): string {
  const s = lineStart(text, offset);
  let e = s;
  while (e < text.length && (text[e] === ' ' || text[e] === '\t')) e++;
  return text.slice(s, e);
}

function tfLiteral(v: number | string | boolean): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Replace a written value, keeping its quoting style. */
export function awsReplaceValue(
  config: AwsConfig,
  value: AwsValue<unknown>,
  newValue: number | string | boolean,
): EditSpec | null {
  // A value that comes from a variable's (parameter's) default is changed there: replacing the
  // reference with a literal would cut the variable off from every other use and from tfvars.
  const w =
    value.known && value.origin === 'variable-default' && value.variable
      ? { path: value.variable.path, valueSpan: value.variable.span }
      : value.known
        ? value.written
        : value.written;
  if (!w) return null;
  const text = textOf(config, w.path);
  if (text === undefined) return null;
  const file = config.files.find((f) => f.path === w.path)!;
  const old = text.slice(w.valueSpan.start, w.valueSpan.end);
  let out: string;
  if (file.format === 'terraform') {
    out = /^"/.test(old) || typeof newValue === 'string' ? JSON.stringify(String(newValue)) : String(newValue);
  } else if (file.format === 'cloudformation-json') {
    // attribute values are strings; a parameter's unquoted Default (a number) stays a number
    out = /^"/.test(old) || typeof newValue === 'string' ? JSON.stringify(String(newValue)) : String(newValue);
  } else {
    const s = String(newValue);
    out = old.startsWith("'")
      ? `'${s}'`
      : old.startsWith('"') || old.startsWith('!') || old.startsWith('{')
        ? JSON.stringify(s)
        : s;
  }
  return { path: w.path, span: w.valueSpan, newText: out };
}

/** Add attributes to a resource (all in one edit). Null when the resource's layout is not one we can edit safely. */
export function awsInsertSettings(config: AwsConfig, resource: AwsResource, settings: AwsSetting[]): EditSpec | null {
  const text = textOf(config, resource.path);
  if (text === undefined || settings.length === 0) return null;
  const a = resource.anchor;
  if (a.format === 'terraform') return tfInsert(text, resource, a, settings);
  if (!a.attributeListKey) return null;
  return a.format === 'cloudformation-json'
    ? jsonInsert(text, resource, a, settings)
    : yamlInsert(text, resource, a, settings);
}

// ---------------------------------------------------------------- Terraform

type TfAnchor = Extract<AwsResource['anchor'], { format: 'terraform' }>;

/** The `name   =` padding of the attribute line before the insertion point, when aligned (terraform fmt style). */
function tfAlignColumn(text: string, lineBefore: number): number | null {
  const ls = lineStart(text, lineBefore);
  const line = text.slice(ls, lineEnd(text, ls));
  const m = /^([ \t]*)([A-Za-z_][\w-]*)( *)=/.exec(line);
  if (!m || m[3].length <= 1) return null;
  return m[1].length + m[2].length + m[3].length;
}

function tfInsert(text: string, resource: AwsResource, a: TfAnchor, settings: AwsSetting[]): EditSpec | null {
  const eol = eolOf(text);
  const top = settings.filter((s) => !s.tf.includes('.'));
  const nested = settings.filter((s) => s.tf.includes('.'));
  const edits: string[] = [];
  const closeLineStart = lineStart(text, a.bodyEnd);
  const closeOnOwnLine = /^[ \t]*$/.test(text.slice(closeLineStart, a.bodyEnd));
  if (!closeOnOwnLine) return null; // `resource "x" "y" { a = 1 }` on one line: leave it to a human
  if (top.length && a.lastAttributeEnd !== undefined && nested.length === 0) {
    // Right after the last attribute line; aligned on its `=` when the name fits (terraform fmt
    // style), else as a group of its own after a blank line (fmt aligns groups separately).
    const at = lineEnd(text, a.lastAttributeEnd);
    const brk = /^(\r\n|\n|\r)/.exec(text.slice(at, at + 2));
    if (brk) {
      const align = tfAlignColumn(text, a.lastAttributeEnd);
      const fits = top.every((s) => align !== null && a.attributeIndent.length + s.tf.length < align);
      const lines = top.map((s) => {
        const pad = fits ? ' '.repeat(align! - a.attributeIndent.length - s.tf.length) : ' ';
        return `${a.attributeIndent}${s.tf}${pad}= ${tfLiteral(s.value)}${eol}`;
      });
      const insertAt = at + brk[0].length;
      return {
        path: resource.path,
        span: { start: insertAt, end: insertAt },
        newText: (fits || align === null ? '' : eol) + lines.join(''),
      };
    }
  }
  // Otherwise before the closing brace.
  let prevLine = closeLineStart - 1;
  while (prevLine > a.bodyStart && /[\r\n]/.test(text[prevLine])) prevLine--;
  const align = prevLine > a.bodyStart ? tfAlignColumn(text, prevLine) : null;
  for (const s of top) {
    const pad =
      align !== null && a.attributeIndent.length + s.tf.length < align
        ? ' '.repeat(align - a.attributeIndent.length - s.tf.length)
        : ' ';
    edits.push(`${a.attributeIndent}${s.tf}${pad}= ${tfLiteral(s.value)}${eol}`);
  }
  const byBlock = new Map<string, AwsSetting[]>();
  for (const s of nested) {
    const [block] = s.tf.split('.');
    byBlock.set(block, [...(byBlock.get(block) ?? []), s]);
  }
  for (const [block, list] of byBlock) {
    if (a.blocks[block]) return null; // the block exists: the caller sets values inside it instead
    const inner = a.attributeIndent + (a.attributeIndent.slice(a.indent.length) || '  ');
    const width = Math.max(...list.map((s) => s.tf.length - block.length - 1));
    const lines = list.map((s) => {
      const name = s.tf.slice(block.length + 1);
      return `${inner}${name}${' '.repeat(width - name.length + 1)}= ${tfLiteral(s.value)}${eol}`;
    });
    edits.push(`${eol}${a.attributeIndent}${block} {${eol}${lines.join('')}${a.attributeIndent}}${eol}`);
  }
  return { path: resource.path, span: { start: closeLineStart, end: closeLineStart }, newText: edits.join('') };
}

// ---------------------------------------------------------------- CloudFormation YAML

type CfnAnchor = Extract<AwsResource['anchor'], { format: 'cloudformation-yaml' | 'cloudformation-json' }>;

/** Top-level lines of a mapping that starts at `span.start`: the last line that belongs to it. */
function lastContentEnd(text: string, span: { start: number; end: number }): number {
  let e = span.end;
  while (e > span.start && /\s/.test(text[e - 1])) e--;
  return e;
}

/** Entries of a block sequence: the "- " items whose dash sits at the list's column. */
function yamlEntries(text: string, list: { start: number; end: number }): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const body = text.slice(list.start, list.end);
  const col = list.start - lineStart(text, list.start);
  const re = /(^|\n)([ \t]*)-(?=[ \t\r\n])/g;
  // The first item starts at list.start itself.
  const starts: number[] = [list.start];
  for (const m of body.matchAll(re)) {
    const at = list.start + (m.index ?? 0) + m[1].length + m[2].length;
    if (at !== list.start && m[2].length === col) starts.push(at);
  }
  for (let i = 0; i < starts.length; i++)
    out.push({
      start: starts[i],
      end: lastContentEnd(text, {
        start: starts[i],
        end: i + 1 < starts.length ? lineStart(text, starts[i + 1]) : list.end,
      }),
    });
  return out;
}

function yamlScalar(v: number | string | boolean, like: string): string {
  const s = String(v);
  if (like.startsWith("'")) return `'${s}'`;
  if (like.startsWith('"')) return JSON.stringify(s);
  return /^[\w.-]+$/.test(s) && !/^(true|false|yes|no|on|off|null|~|\d[\d.]*)$/i.test(s) ? s : JSON.stringify(s);
}

/** A new entry in the style of `sample` (an existing `- Key: k\n  Value: v` entry). */
function yamlEntryLike(sample: string, key: string, value: number | string | boolean): string | null {
  const km = /(Key\s*:\s*)("[^"]*"|'[^']*'|[^\s,}#]+)/.exec(sample);
  const vm = /(Value\s*:\s*)(!\w+\s+[^\s,}#]+|"[^"]*"|'[^']*'|[^\s,}#]+)/.exec(sample);
  if (!km || !vm) return null;
  const keyText = km[2].startsWith('"') ? JSON.stringify(key) : km[2].startsWith("'") ? `'${key}'` : key;
  const valueText = yamlScalar(value, vm[2].startsWith('!') ? '"' : vm[2]);
  const parts = [
    { at: km.index + km[1].length, len: km[2].length, text: keyText },
    { at: vm.index + vm[1].length, len: vm[2].length, text: valueText },
  ].sort((x, y) => y.at - x.at);
  let out = sample;
  for (const p of parts) out = out.slice(0, p.at) + p.text + out.slice(p.at + p.len);
  return out;
}

/** How far block sequences are indented under their key in this file (0 or more spaces). */
function yamlSeqIndent(text: string): number {
  const m = /^([ \t]*)[\w"'.-]+[ \t]*:[ \t]*\r?\n([ \t]*)-[ \t]/m.exec(text);
  return m ? Math.max(0, m[2].length - m[1].length) : 2;
}

function yamlInsert(text: string, resource: AwsResource, a: CfnAnchor, settings: AwsSetting[]): EditSpec | null {
  const eol = eolOf(text);
  if (a.attributeList) {
    const listText = text.slice(a.attributeList.start, a.attributeList.end);
    if (listText.startsWith('[')) {
      // Flow sequence: add `{Key: k, Value: v}` items before the closing bracket.
      const close = a.attributeList.start + listText.lastIndexOf(']');
      const empty = /^\[\s*$/.test(text.slice(a.attributeList.start, close));
      const items = settings.map((s) => `{Key: ${s.cfn}, Value: ${yamlScalar(s.value, '"')}}`);
      let at = close;
      while (at > a.attributeList.start + 1 && /\s/.test(text[at - 1])) at--;
      return { path: resource.path, span: { start: at, end: at }, newText: (empty ? '' : ', ') + items.join(', ') };
    }
    const entries = yamlEntries(text, a.attributeList);
    const last = entries[entries.length - 1];
    if (!last) return null;
    const sample = text.slice(last.start, last.end);
    const added: string[] = [];
    for (const s of settings) {
      const e = yamlEntryLike(sample, s.cfn, s.value);
      if (!e) return null;
      added.push(eol + indentAt(text, last.start) + e);
    }
    return { path: resource.path, span: { start: last.end, end: last.end }, newText: added.join('') };
  }
  // No attribute list yet: add one after the last property.
  if (!a.properties) return null;
  const propsText = text.slice(a.properties.start, a.properties.end);
  if (propsText.startsWith('{')) return null; // flow mapping: leave it to a human
  const propIndent = indentAt(text, a.properties.start);
  const end = lastContentEnd(text, a.properties);
  const dash = propIndent + ' '.repeat(yamlSeqIndent(text));
  const lines = [`${propIndent}${a.attributeListKey}:`];
  for (const s of settings) lines.push(`${dash}- Key: ${s.cfn}`, `${dash}  Value: ${yamlScalar(s.value, '"')}`);
  // Replace the line break after the last property (not a pure insertion): two fixes that both
  // create the list then conflict, and fix-all applies one per round instead of writing the key twice.
  const brk = /^\r?\n/.exec(text.slice(end, end + 2));
  if (brk)
    return {
      path: resource.path,
      span: { start: end, end: end + brk[0].length },
      newText: eol + lines.join(eol) + brk[0],
    };
  return { path: resource.path, span: { start: end, end: end }, newText: eol + lines.join(eol) + eol };
}

// ---------------------------------------------------------------- CloudFormation JSON

function jsonEntry(key: string, value: number | string | boolean): string {
  return `{ "Key": ${JSON.stringify(key)}, "Value": ${JSON.stringify(String(value))} }`;
}

function jsonInsert(text: string, resource: AwsResource, a: CfnAnchor, settings: AwsSetting[]): EditSpec | null {
  const eol = eolOf(text);
  if (a.attributeList) {
    const inner = text.slice(a.attributeList.start + 1, a.attributeList.end - 1);
    let at = a.attributeList.end - 1;
    while (at > a.attributeList.start + 1 && /\s/.test(text[at - 1])) at--;
    if (!/\S/.test(inner)) {
      const ind = indentAt(text, a.attributeList.start);
      return {
        path: resource.path,
        span: { start: a.attributeList.start + 1, end: a.attributeList.end - 1 },
        newText: settings.map((s) => `${eol}${ind}  ${jsonEntry(s.cfn, s.value)}`).join(',') + eol + ind,
      };
    }
    // Copy the last entry's layout: find its opening brace.
    let depth = 0;
    let open = -1;
    for (let i = at - 1; i > a.attributeList.start; i--) {
      const c = text[i];
      if (c === '}') depth++;
      else if (c === '{') {
        depth--;
        if (depth === 0) {
          open = i;
          break;
        }
      }
    }
    if (open < 0) return null;
    const sample = text.slice(open, at);
    const multiline = /[\r\n]/.test(sample);
    const sameLine = !/[\r\n]/.test(text.slice(a.attributeList.start, open));
    const added = settings.map((s) => {
      let e: string;
      if (multiline) {
        e = sample
          .replace(/("Key"\s*:\s*)"[^"]*"/, (_m, p: string) => p + JSON.stringify(s.cfn))
          .replace(
            /("Value"\s*:\s*)("[^"]*"|-?\d[\d.]*|true|false|\{[^{}]*\})/,
            (_m, p: string) => p + JSON.stringify(String(s.value)),
          );
      } else e = jsonEntry(s.cfn, s.value);
      return sameLine ? `, ${e}` : `,${eol}${indentAt(text, open)}${e}`;
    });
    return { path: resource.path, span: { start: at, end: at }, newText: added.join('') };
  }
  if (!a.properties) return null;
  const close = a.properties.end - 1;
  if (text[close] !== '}') return null;
  let end = close;
  while (end > a.properties.start + 1 && /\s/.test(text[end - 1])) end--;
  const empty = end === a.properties.start + 1;
  // Indentation of the properties' keys, and of one more level.
  const keyIndent = empty ? indentAt(text, a.properties.start) + '  ' : indentAt(text, end - 1);
  const unit = keyIndent.slice(indentAt(text, close).length) || '  ';
  const block = [
    `${keyIndent}${JSON.stringify(a.attributeListKey)}: [`,
    settings.map((s) => `${keyIndent}${unit}${jsonEntry(s.cfn, s.value)}`).join(',' + eol),
    `${keyIndent}]`,
  ].join(eol);
  // Replace the whitespace before the closing brace (see yamlInsert for why it is not a pure insertion).
  const tail = text.slice(end, close);
  return {
    path: resource.path,
    span: { start: end, end: close },
    newText: (empty ? '' : ',') + eol + block + (tail.length ? tail : eol + indentAt(text, close)),
  };
}
