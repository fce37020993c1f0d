/**
 * "Apply to config" of the simulator panel: the text edits that switch one nginx `upstream` or
 * one HAProxy `backend`/`listen` to another balancing algorithm. Pure (text in, edits out), so
 * the extension, the tests and any other client share it.
 *
 * Algorithm specs use the CLI's spelling (`wslb simulate --algorithm`):
 *   nginx:   round_robin | least_conn | ip_hash | hash <key> [consistent] | random [two [least_conn]]
 *   HAProxy: roundrobin | static-rr | leastconn | first | source | uri | hdr(<name)> |
 *            url_param <name> | random[(<draws>)], hash algorithms optionally followed by
 *            consistent | map-based, a hash function and avalanche.
 *
 * Facts:
 * - nginx round robin is what an upstream does without a balancing directive, so switching to it
 *   removes the directive (https://nginx.org/en/docs/http/ngx_http_upstream_module.html#upstream).
 * - HAProxy: `balance` is valid in defaults, listen and backend; `hash-type <method> <function>
 *   [<modifier>]` selects map-based/consistent hashing (configuration.html 4.2 "balance",
 *   "hash-type"). A backend without its own `balance` inherits the defaults', so an explicit
 *   line is inserted even for roundrobin.
 */
import type { Span } from '../text';

export interface AlgorithmEditPool {
  system: 'nginx' | 'haproxy' | 'aws';
  /** The whole upstream block / backend section. */
  span: Span;
  /** The pool's name in its header line. */
  nameSpan: Span;
  /** The directive/line that sets the algorithm in this block, if any. */
  algorithmSpan?: Span;
}

export interface SpanEdit {
  span: Span;
  newText: string;
}

export type AlgorithmEditResult = { edits: SpanEdit[] } | { error: string };

const NGINX_KEY = /^[^\s;{}'"#]+$/;
const HASH_FUNCTIONS = ['sdbm', 'djb2', 'wt6', 'crc32'];

/** The nginx directive for a spec (`null` for round robin, which has none), or an error. */
export function nginxAlgorithmDirective(spec: string): { directive: string | null } | { error: string } {
  const w = spec.trim().split(/\s+/).filter(Boolean);
  switch (w[0]) {
    case 'round_robin':
    case 'roundrobin':
      return w.length === 1 ? { directive: null } : { error: `round_robin takes no parameters` };
    case 'least_conn':
    case 'ip_hash':
      return w.length === 1 ? { directive: `${w[0]};` } : { error: `${w[0]} takes no parameters` };
    case 'random':
      if (w.length === 1) return { directive: 'random;' };
      if (w[1] === 'two' && w.length === 2) return { directive: 'random two;' };
      if (w[1] === 'two' && w.length === 3 && w[2] === 'least_conn') return { directive: 'random two least_conn;' };
      return { error: `unsupported random parameters "${w.slice(1).join(' ')}"` };
    case 'hash': {
      const key = w[1];
      if (!key || !NGINX_KEY.test(key) || key === 'consistent')
        return { error: 'hash needs a key, e.g. hash $remote_addr consistent' };
      if (w.length === 2) return { directive: `hash ${key};` };
      if (w.length === 3 && w[2] === 'consistent') return { directive: `hash ${key} consistent;` };
      return { error: `unsupported hash parameters "${w.slice(2).join(' ')}"` };
    }
    default:
      return { error: `unknown nginx balancing method "${w[0] ?? ''}"` };
  }
}

/** The HAProxy `balance` arguments and, when the spec names any, the `hash-type` arguments. */
export function haproxyAlgorithmLines(spec: string): { balance: string; hashType?: string } | { error: string } {
  const w = spec.trim().split(/\s+/).filter(Boolean);
  if (!w.length) return { error: 'empty algorithm' };
  const head = w[0];
  let rest = w.slice(1);
  let balance: string;
  const m = /^([a-z_-]+)(?:\(([^()\s]*)\))?$/.exec(head);
  if (!m) return { error: `unknown HAProxy balance algorithm "${head}"` };
  const name = m[1];
  const arg = m[2];
  switch (name) {
    case 'roundrobin':
    case 'static-rr':
    case 'leastconn':
    case 'first':
      if (arg !== undefined || rest.length) return { error: `${name} takes no parameters` };
      return { balance: name };
    case 'random':
      if (arg !== undefined && !/^[1-9]\d*$/.test(arg)) return { error: `random: draws must be a positive number` };
      if (rest.length) return { error: 'random takes no further parameters' };
      return { balance: arg !== undefined ? `random(${arg})` : 'random' };
    case 'source':
    case 'uri':
      if (arg !== undefined) return { error: `${name} takes no parenthesised argument` };
      balance = name;
      break;
    case 'hdr':
      if (!arg || !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(arg))
        return { error: 'hdr needs a header name, e.g. hdr(X-User)' };
      balance = `hdr(${arg})`;
      break;
    case 'url_param': {
      const p = rest[0];
      if (!p || /^(consistent|map-based|avalanche|sdbm|djb2|wt6|crc32)$/.test(p))
        return { error: 'url_param needs a parameter name' };
      balance = `url_param ${p}`;
      rest = rest.slice(1);
      break;
    }
    default:
      return { error: `unknown HAProxy balance algorithm "${head}"` };
  }
  let method: string | undefined;
  let fn: string | undefined;
  let avalanche = false;
  for (const x of rest) {
    if (x === 'consistent' || x === 'map-based') method = x;
    else if (HASH_FUNCTIONS.includes(x)) fn = x;
    else if (x === 'avalanche') avalanche = true;
    else return { error: `unknown hash option "${x}"` };
  }
  if (!method && !fn && !avalanche) return { balance };
  // hash-type needs its method first; a function alone keeps the default method (map-based).
  const hashType = [
    method ?? 'map-based',
    ...(fn || avalanche ? [fn ?? 'sdbm'] : []),
    ...(avalanche ? ['avalanche'] : []),
  ].join(' ');
  return { balance, hashType };
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
}

/** End of the line's content (before "\r\n" or "\n"). */
function lineEnd(text: string, offset: number): number {
  let e = text.indexOf('\n', offset);
  if (e < 0) e = text.length;
  if (e > 0 && text[e - 1] === '\r') e--;
  return e;
}

/** Offset just past the line's end of line (or the end of the text). */
function nextLineStart(text: string, offset: number): number {
  const e = text.indexOf('\n', offset);
  return e < 0 ? text.length : e + 1;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

/** Leading white space of the first non-blank, non-comment line in [from, to), or a default. */
function innerIndent(text: string, from: number, to: number, fallback: string): string {
  let p = from;
  while (p < to) {
    const s = lineStart(text, p);
    const e = lineEnd(text, p);
    const line = text.slice(s, e);
    const body = line.trim();
    if (body && !body.startsWith('#') && body !== '}') return /^[ \t]*/.exec(line)![0];
    p = nextLineStart(text, p);
    if (p <= s) break;
  }
  return fallback;
}

function clampSpan(text: string, s: Span | undefined): Span | undefined {
  if (!s) return undefined;
  const start = Math.max(0, Math.min(text.length, Math.floor(s.start)));
  const end = Math.max(start, Math.min(text.length, Math.floor(s.end)));
  return { start, end };
}

/**
 * The edits that make `pool` use `spec`. No edits when the block already says exactly that.
 * Never throws: an unusable spec or pool yields `{ error }`.
 */
export function buildAlgorithmEdit(text: string, pool: AlgorithmEditPool, spec: string): AlgorithmEditResult {
  if (pool.system === 'aws')
    return {
      error:
        'Apply to config is not available for AWS target groups: set the routing algorithm attribute in the template',
    };
  const block = clampSpan(text, pool.span);
  const name = clampSpan(text, pool.nameSpan);
  if (!block || !name || block.end <= block.start) return { error: 'the pool is not in this document any more' };
  const alg = clampSpan(text, pool.algorithmSpan);
  const eol = eolOf(text);
  return pool.system === 'nginx'
    ? nginxEdit(text, block, name, alg, spec, eol)
    : haproxyEdit(text, block, name, alg, spec, eol);
}

function nginxEdit(
  text: string,
  block: Span,
  name: Span,
  alg: Span | undefined,
  spec: string,
  eol: string,
): AlgorithmEditResult {
  const d = nginxAlgorithmDirective(spec);
  if ('error' in d) return d;
  if (alg) {
    const current = text.slice(alg.start, alg.end).replace(/\s+/g, ' ').trim();
    if (d.directive === null) {
      // Remove the directive; the whole line when nothing else but a comment shares it.
      const s = lineStart(text, alg.start);
      const e = lineEnd(text, alg.end);
      const before = text.slice(s, alg.start);
      const after = text.slice(alg.end, e);
      if (!before.trim() && (!after.trim() || after.trim().startsWith('#')))
        return { edits: [{ span: { start: s, end: nextLineStart(text, alg.end) }, newText: '' }] };
      return { edits: [{ span: alg, newText: '' }] };
    }
    if (current === d.directive) return { edits: [] };
    return { edits: [{ span: alg, newText: d.directive }] };
  }
  if (d.directive === null) return { edits: [] };
  // Insert right after the block's "{".
  const brace = text.indexOf('{', name.end);
  if (brace < 0 || brace >= block.end) return { error: 'the upstream block has no "{"' };
  const headerIndent = /^[ \t]*/.exec(text.slice(lineStart(text, block.start)))![0];
  const braceLineEnd = lineEnd(text, brace);
  const restOfLine = text.slice(brace + 1, braceLineEnd);
  if (restOfLine.trim() && !restOfLine.trim().startsWith('#')) {
    // "upstream x { server a; }" on one line: insert inline.
    return { edits: [{ span: { start: brace + 1, end: brace + 1 }, newText: ` ${d.directive}` }] };
  }
  const at = nextLineStart(text, brace);
  const indent = innerIndent(text, at, block.end, headerIndent + '    ');
  if (at >= text.length && !text.endsWith('\n'))
    return { edits: [{ span: { start: at, end: at }, newText: `${eol}${indent}${d.directive}${eol}` }] };
  return { edits: [{ span: { start: at, end: at }, newText: `${indent}${d.directive}${eol}` }] };
}

function haproxyEdit(
  text: string,
  block: Span,
  name: Span,
  alg: Span | undefined,
  spec: string,
  eol: string,
): AlgorithmEditResult {
  const h = haproxyAlgorithmLines(spec);
  if ('error' in h) return h;
  const edits: SpanEdit[] = [];
  const headerEnd = nextLineStart(text, name.end);
  const indent = innerIndent(text, headerEnd, block.end, '    ');
  let balanceLineEnd: number;
  if (alg) {
    const s = lineStart(text, alg.start);
    const e = lineEnd(text, alg.start);
    const line = text.slice(s, e);
    const lineIndent = /^[ \t]*/.exec(line)![0];
    const comment = /\s#.*$/.exec(line.slice(lineIndent.length));
    const want = `${lineIndent}balance ${h.balance}${comment ? comment[0] : ''}`;
    if (line !== want) edits.push({ span: { start: s, end: e }, newText: want });
    balanceLineEnd = nextLineStart(text, alg.start);
  } else {
    const atEnd = headerEnd >= text.length && !text.endsWith('\n');
    const existing = h.hashType ? findLine(text, headerEnd, block.end, /^[ \t]*hash-type\b/) : undefined;
    // One insertion holding both lines, so their order never depends on how edits are applied.
    const hashLine = h.hashType && !existing ? `${indent}hash-type ${h.hashType}${eol}` : '';
    edits.push({
      span: { start: headerEnd, end: headerEnd },
      newText: `${atEnd ? eol : ''}${indent}balance ${h.balance}${eol}${hashLine}`,
    });
    if (hashLine) return { edits };
    balanceLineEnd = headerEnd;
  }
  if (h.hashType) {
    const existing = findLine(text, headerEnd, block.end, /^[ \t]*hash-type\b/);
    if (existing) {
      const line = text.slice(existing.start, existing.end);
      const lineIndent = /^[ \t]*/.exec(line)![0];
      const want = `${lineIndent}hash-type ${h.hashType}`;
      if (
        line
          .replace(/\s+#.*$/, '')
          .replace(/\s+/g, ' ')
          .trim() !== want.trim()
      )
        edits.push({ span: existing, newText: want });
    } else {
      const atEnd = balanceLineEnd >= text.length && !text.endsWith('\n') && !!alg;
      edits.push({
        span: { start: balanceLineEnd, end: balanceLineEnd },
        newText: `${atEnd ? eol : ''}${indent}hash-type ${h.hashType}${eol}`,
      });
    }
  }
  return { edits };
}

/** The first line in [from, to) whose text matches, as its content span. */
function findLine(text: string, from: number, to: number, re: RegExp): Span | undefined {
  let p = from;
  while (p < to && p < text.length) {
    const e = lineEnd(text, p);
    if (re.test(text.slice(p, e))) return { start: p, end: e };
    const n = nextLineStart(text, p);
    if (n <= p) break;
    p = n;
  }
  return undefined;
}

/** Applies span edits (non-overlapping) to a text; used by tests and previews. */
export function applySpanEdits(text: string, edits: SpanEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.span.start - a.span.start || b.span.end - a.span.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.span.start) + e.newText + out.slice(e.span.end);
  return out;
}
