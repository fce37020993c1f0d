/**
 * Document outline and folding ranges, as plain data (the server maps them to LSP).
 * nginx: every block directive is a symbol (http › server › location, upstream, map...).
 * HAProxy: one symbol per section (global, defaults, frontend, backend, listen...) with its servers.
 */
import type { NginxBlock, NginxDirective, NginxFile, NginxNode } from '../syntax/nginx';
import type { HaproxyFile, HaproxySection } from '../syntax/haproxy';
import type { LineIndex, Range } from '../text';

/** The LSP SymbolKind names we use. */
export type OutlineKind =
  | 'module'
  | 'namespace'
  | 'class'
  | 'struct'
  | 'object'
  | 'field'
  | 'function'
  | 'variable'
  | 'property'
  | 'event'
  | 'key';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: OutlineKind;
  range: Range;
  selectionRange: Range;
  children: OutlineSymbol[];
}

export interface FoldRange {
  startLine: number;
  endLine: number;
  kind?: 'comment' | 'region';
}

const NGINX_KIND: Record<string, OutlineKind> = {
  http: 'module',
  stream: 'module',
  mail: 'module',
  events: 'module',
  server: 'namespace',
  location: 'function',
  upstream: 'class',
  map: 'variable',
  geo: 'variable',
  split_clients: 'variable',
  if: 'event',
  limit_except: 'event',
  types: 'object',
};

/** Outline of one nginx file: block directives nest; inside upstreams, server lines are listed too. */
export function nginxDocumentSymbols(file: NginxFile): OutlineSymbol[] {
  const idx = file.lineIndex;
  const walk = (nodes: NginxNode[], parentName: string | null): OutlineSymbol[] => {
    const out: OutlineSymbol[] = [];
    for (const n of nodes) {
      if (n.type !== 'directive') continue;
      if (n.block) {
        const sym = nginxBlockSymbol(n, idx);
        if (!n.block.rawBody && !isDataBlock(n.name)) sym.children = walk(n.block.children, n.name);
        out.push(sym);
      } else if (parentName === 'upstream' && n.name === 'server' && n.args.length) {
        out.push({
          name: n.args[0].value,
          detail: ['server', ...n.args.slice(1).map((a) => a.value)].join(' '),
          kind: 'field',
          range: idx.rangeOf(n),
          selectionRange: idx.rangeOf(n.args[0]),
          children: [],
        });
      }
    }
    return out;
  };
  return walk(file.children, null);
}

function isDataBlock(name: string): boolean {
  return (
    name === 'map' ||
    name === 'geo' ||
    name === 'types' ||
    name === 'split_clients' ||
    name === 'match' ||
    name === 'charset_map'
  );
}

function nginxBlockSymbol(d: NginxDirective, idx: LineIndex): OutlineSymbol {
  const args = d.args.map((a) => a.value).join(' ');
  let name = d.name;
  let detail: string | undefined;
  switch (d.name) {
    case 'server': {
      const inner = d.block ? d.block.children.filter((c): c is NginxDirective => c.type === 'directive') : [];
      const sn = inner.find((c) => c.name === 'server_name');
      const listen = inner.find((c) => c.name === 'listen');
      name = 'server';
      detail =
        [
          sn ? sn.args.map((a) => a.value).join(' ') : '',
          listen ? `listen ${listen.args.map((a) => a.value).join(' ')}` : '',
        ]
          .filter(Boolean)
          .join(' · ') || undefined;
      break;
    }
    case 'location':
    case 'upstream':
    case 'map':
    case 'geo':
    case 'split_clients':
    case 'if':
    case 'limit_except':
      name = args ? `${d.name} ${args}` : d.name;
      break;
    default:
      if (args) detail = args;
  }
  const selection = d.args.length ? { start: d.nameSpan.start, end: d.args[d.args.length - 1].end } : d.nameSpan;
  return {
    name,
    detail,
    kind: NGINX_KIND[d.name] ?? 'object',
    range: idx.rangeOf(d),
    selectionRange: idx.rangeOf(selection),
    children: [],
  };
}

const HAPROXY_KIND: Record<string, OutlineKind> = {
  global: 'module',
  defaults: 'namespace',
  frontend: 'object',
  backend: 'class',
  listen: 'struct',
};

/** Outline of one HAProxy file: sections, with servers (and ACLs, binds) as children. */
export function haproxyDocumentSymbols(file: HaproxyFile): OutlineSymbol[] {
  const idx = file.lineIndex;
  return file.sections.map((s) => haproxySectionSymbol(s, idx));
}

function haproxySectionSymbol(s: HaproxySection, idx: LineIndex): OutlineSymbol {
  const name = s.name ? `${s.keyword} ${s.name}` : s.keyword;
  const kind: OutlineKind = HAPROXY_KIND[s.keyword] ?? 'namespace';
  const children: OutlineSymbol[] = [];
  for (const st of s.statements) {
    const k = st.keyword;
    if ((k === 'server' || k === 'server-template') && st.args.length) {
      children.push({
        name: st.args[0].value,
        detail: [k, ...st.args.slice(1).map((a) => a.value)].join(' '),
        kind: 'field',
        range: idx.rangeOf(st.line),
        selectionRange: idx.rangeOf(st.args[0]),
        children: [],
      });
    } else if (k === 'acl' && st.args.length) {
      children.push({
        name: `acl ${st.args[0].value}`,
        detail: st.args
          .slice(1)
          .map((a) => a.value)
          .join(' '),
        kind: 'variable',
        range: idx.rangeOf(st.line),
        selectionRange: idx.rangeOf(st.args[0]),
        children: [],
      });
    } else if (k === 'bind' && st.args.length) {
      children.push({
        name: `bind ${st.args[0].value}`,
        kind: 'property',
        range: idx.rangeOf(st.line),
        selectionRange: idx.rangeOf(st.args[0]),
        children: [],
      });
    }
  }
  const detail = s.from ? `from ${s.from}` : undefined;
  return {
    name,
    detail,
    kind,
    range: idx.rangeOf(s),
    selectionRange: idx.rangeOf(s.nameSpan ?? s.header.words[0] ?? s.header),
    children,
  };
}

/** Folding: every multi-line block and every run of 2+ comment lines. */
export function nginxFoldingRanges(file: NginxFile): FoldRange[] {
  const idx = file.lineIndex;
  const out: FoldRange[] = [];
  const visit = (nodes: NginxNode[]) => {
    let runStart = -1;
    let runEnd = -1;
    const flush = () => {
      if (runStart >= 0 && runEnd > runStart) out.push({ startLine: runStart, endLine: runEnd, kind: 'comment' });
      runStart = runEnd = -1;
    };
    for (const n of nodes) {
      if (n.type === 'comment') {
        const line = idx.positionAt(n.start).line;
        if (runStart >= 0 && line === runEnd + 1) runEnd = line;
        else {
          flush();
          runStart = runEnd = line;
        }
        continue;
      }
      if (n.type === 'trivia') continue;
      flush();
      if (n.type === 'directive' && n.block) foldBlock(n.block);
      else if (n.type === 'block') foldBlock(n);
    }
    flush();
  };
  const foldBlock = (b: NginxBlock) => {
    const start = idx.positionAt(b.open).line;
    const endOffset = b.close >= 0 ? b.close : b.end;
    const end = idx.positionAt(endOffset).line;
    // Keep the closing brace visible: fold up to the line before it.
    const last = b.close >= 0 ? end - 1 : end;
    if (last > start) out.push({ startLine: start, endLine: last });
    if (!b.rawBody) visit(b.children);
  };
  visit(file.children);
  return out;
}

export function haproxyFoldingRanges(file: HaproxyFile): FoldRange[] {
  const idx = file.lineIndex;
  const out: FoldRange[] = [];
  for (const s of file.sections) {
    const start = idx.positionAt(s.start).line;
    const end = idx.positionAt(Math.max(s.start, s.end)).line;
    if (end > start) out.push({ startLine: start, endLine: end });
  }
  // comment runs: lines with a comment and no words
  let runStart = -1;
  let prev = -2;
  const lines = file.lines;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const isComment = l.words.length === 0 && l.comment !== null;
    if (isComment) {
      if (prev !== i - 1) runStart = i;
      prev = i;
    } else if (prev === i - 1 && runStart >= 0) {
      if (prev > runStart) out.push({ startLine: runStart, endLine: prev, kind: 'comment' });
      runStart = -1;
    }
  }
  if (runStart >= 0 && prev === lines.length - 1 && prev > runStart)
    out.push({ startLine: runStart, endLine: prev, kind: 'comment' });
  // .if/.endif regions
  const stack: number[] = [];
  for (const c of file.conditionals) {
    const line = idx.positionAt(c.line.start).line;
    if (c.directive === '.if') stack.push(line);
    else if (c.directive === '.endif') {
      const s = stack.pop();
      if (s !== undefined && line - 1 > s) out.push({ startLine: s, endLine: line - 1, kind: 'region' });
    }
  }
  return out;
}
