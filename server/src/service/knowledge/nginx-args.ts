/**
 * Argument counts of nginx directives: from the argument bits of nginx's command tables
 * (ngx_conf_handler in src/core/ngx_conf_file.c) and from the documentation's syntax lines.
 */

export interface ArgCount {
  min: number;
  /** Infinity when unbounded. */
  max: number;
  /** The exact counts nginx accepts when not a contiguous range, e.g. [1, 3] for TAKE13. */
  allowed?: number[];
}

/** The argument counts allowed by nginx's argument bits (ngx_conf_handler in src/core/ngx_conf_file.c). */
export function argCountFromBits(bits: readonly string[]): ArgCount {
  if (bits.includes('ANY')) return { min: 0, max: Infinity };
  if (bits.includes('FLAG')) return { min: 1, max: 1 };
  if (bits.includes('1MORE')) return { min: 1, max: Infinity };
  if (bits.includes('2MORE')) return { min: 2, max: Infinity };
  const counts = new Set<number>();
  for (const b of bits) {
    if (b === 'NOARGS') counts.add(0);
    const m = /^TAKE(\d+)$/.exec(b);
    if (m) for (const ch of m[1]) counts.add(Number(ch));
  }
  // ngx_conf_handler also refuses more than NGX_CONF_MAX_ARGS (8) words; TAKE bits stop at 7.
  const sorted = [...counts].sort((a, b) => a - b);
  if (sorted.length === 0) return { min: 0, max: 0 };
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  const contiguous = max - min + 1 === sorted.length;
  return contiguous ? { min, max } : { min, max, allowed: sorted };
}

export function argCountAccepts(a: ArgCount, n: number): boolean {
  if (a.allowed) return a.allowed.includes(n);
  return n >= a.min && n <= a.max;
}

export function describeArgCount(a: ArgCount): string {
  const plural = (n: number) => (n === 1 ? 'argument' : 'arguments');
  if (a.allowed) return `${a.allowed.slice(0, -1).join(', ')} or ${a.allowed[a.allowed.length - 1]} arguments`;
  if (a.max === Infinity) return `at least ${a.min} ${plural(a.min)}`;
  if (a.min === a.max) return a.min === 0 ? 'no arguments' : `exactly ${a.min} ${plural(a.min)}`;
  if (a.max === a.min + 1) return `${a.min} or ${a.max} arguments`;
  return `${a.min} to ${a.max} arguments`;
}

/**
 * Argument counts from a documentation syntax line (Markdown or plain): `[...]` is optional,
 * `...` repeats, ` | ` separates alternatives, `{...}` marks a block and is not an argument.
 */
export function argCountFromSyntax(syntax: string): ArgCount {
  const text = syntax
    .replace(/[`*]/g, '')
    .replace(/&hellip;|…/g, '...')
    .replace(/\{\.\.\.\}/g, ' ')
    .trim();
  type Tok = { kind: 'word' | '[' | ']' | '|' | '...' };
  const toks: Tok[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '[' || c === ']') {
      toks.push({ kind: c });
      i++;
      continue;
    }
    if (c === '|' && (i + 1 >= text.length || /\s/.test(text[i + 1]))) {
      toks.push({ kind: '|' });
      i++;
      continue;
    }
    if (text.startsWith('...', i)) {
      toks.push({ kind: '...' });
      i += 3;
      continue;
    }
    // A word: runs to whitespace or a closing bracket at its own depth; brackets inside it belong to it.
    let depth = 0;
    while (i < text.length) {
      const ch = text[i];
      if (depth === 0 && (/\s/.test(ch) || ch === ']')) break;
      if (ch === '[') depth++;
      else if (ch === ']') depth--;
      i++;
      if (depth === 0 && text.startsWith('...', i)) break;
    }
    toks.push({ kind: 'word' });
  }
  let p = 0;
  const parseAlt = (): ArgCount => {
    let acc = parseSeq();
    while (toks[p]?.kind === '|') {
      p++;
      const next = parseSeq();
      acc = { min: Math.min(acc.min, next.min), max: Math.max(acc.max, next.max) };
    }
    return acc;
  };
  const parseSeq = (): ArgCount => {
    let min = 0;
    let max = 0;
    while (p < toks.length && toks[p].kind !== '|' && toks[p].kind !== ']') {
      let item: ArgCount;
      const t = toks[p++];
      if (t.kind === '[') {
        const inner = parseAlt();
        if (toks[p]?.kind === ']') p++;
        item = { min: 0, max: inner.max };
      } else if (t.kind === '...') {
        item = { min: 0, max: Infinity };
      } else {
        item = { min: 1, max: 1 };
      }
      if (toks[p]?.kind === '...') {
        p++;
        item = { min: item.min, max: Infinity };
      }
      min += item.min;
      max += item.max;
    }
    return { min, max };
  };
  const result = parseAlt();
  return result;
}
