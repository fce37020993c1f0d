/** Shared checks for the nginx parser tests. */
import type { Range } from '../../../server/src/service/text';
import {
  forEachLeaf,
  type NginxBlock,
  type NginxFile,
  type NginxNode,
  walkDirectives,
} from '../../../server/src/service/syntax/nginx';

/**
 * Check the tree's invariants; return the first violation, or null. Iterative, so it works
 * on deeply nested junk too.
 * - leaves tile [0, n) and each leaf's text is the source slice;
 * - file children, directive parts and block children are contiguous over their spans;
 * - directives: parts[0] is the name token, args are parts, ";"/block come last, parent links;
 * - blocks: "{" at open, "}" at close (or the end of the file), raw bodies have one raw child.
 */
export function checkTree(file: NginxFile): string | null {
  const { text } = file;
  let at = 0;
  let problem: string | null = null;
  forEachLeaf(file, (s, e, t) => {
    if (problem) return;
    if (s !== at) problem = `leaf at ${s} but previous leaf ended at ${at}`;
    else if (e <= s && !(e === s && t === '')) problem = `empty or reversed leaf at ${s}`;
    else if (text.slice(s, e) !== t) problem = `leaf [${s},${e}) text ${JSON.stringify(t)} differs from source`;
    at = e;
  });
  if (problem) return problem;
  if (at !== text.length) return `leaves end at ${at}, file has ${text.length}`;

  const contiguous = (list: NginxNode[], from: number, to: number, what: string): string | null => {
    let p = from;
    for (const node of list) {
      if (node.start !== p) return `${what}: node ${node.type} starts at ${node.start}, expected ${p}`;
      if (node.end < node.start) return `${what}: node ${node.type} ends before it starts`;
      p = node.end;
    }
    return p === to ? null : `${what}: children end at ${p}, expected ${to}`;
  };
  const blockCheck = (b: NginxBlock): string | null => {
    if (text[b.open] !== '{' || b.start !== b.open) return `block at ${b.start}: no "{" at open`;
    const innerEnd = b.close >= 0 ? b.close : text.length;
    if (b.close >= 0 && (text[b.close] !== '}' || b.end !== b.close + 1)) return `block at ${b.start}: bad close`;
    if (b.close < 0 && b.end !== text.length) return `unclosed block at ${b.start} must end at the end of the file`;
    if (b.rawBody && (b.children.length !== 1 || b.children[0].type !== 'raw'))
      return `raw block at ${b.start}: not one raw child`;
    return contiguous(b.children, b.open + 1, innerEnd, `block at ${b.start}`);
  };

  const top = contiguous(file.children, 0, text.length, 'file');
  if (top) return top;
  // Every container (file, blocks) once, with an explicit stack: linear, and no recursion.
  const containers: (NginxFile | NginxBlock)[] = [file];
  while (containers.length > 0) {
    const container = containers.pop()!;
    for (const node of container.children) {
      if (node.type === 'block') {
        if (node.owner !== null) return `block at ${node.start}: in a children list but owned by a directive`;
        if (node.parent !== container) return `orphan block at ${node.start}: wrong parent`;
        const e = blockCheck(node);
        if (e) return e;
        containers.push(node);
        continue;
      }
      if (node.type !== 'directive') continue;
      const d = node;
      if (d.parent !== container) return `directive ${d.name} at ${d.start}: wrong parent`;
      if (d.parts[0] !== d.nameToken || d.nameToken.start !== d.start)
        return `directive ${d.name}: name is not parts[0]`;
      if (d.name !== d.nameToken.value) return `directive ${d.name}: name differs from its token's value`;
      const e = contiguous(d.parts, d.start, d.end, `directive ${d.name} at ${d.start}`);
      if (e) return e;
      const parts = new Set<NginxNode>(d.parts);
      for (const a of d.args)
        if (!parts.has(a) || a.type !== 'token') return `directive ${d.name}: arg not a token in parts`;
      const words = d.parts.filter((p) => p.type === 'token' && !(p.start === d.semicolon)).length;
      if (words !== d.args.length + 1) return `directive ${d.name}: ${words} words in parts, ${d.args.length} args`;
      const last = d.parts[d.parts.length - 1];
      if (d.semicolon >= 0 && (last.type !== 'token' || last.start !== d.semicolon || text[d.semicolon] !== ';'))
        return `directive ${d.name}: ";" is not the last part`;
      if (d.block) {
        if (last !== d.block || d.block.owner !== d) return `directive ${d.name}: block is not the last part`;
        if (d.block.parent !== container) return `directive ${d.name}: its block has the wrong parent`;
        const be = blockCheck(d.block);
        if (be) return be;
        containers.push(d.block);
      }
    }
  }
  return null;
}

export interface Diag {
  code: string;
  range: Range;
}

export function diagnosticsOf(file: NginxFile): Diag[] {
  return file.diagnostics.map((d) => ({ code: d.code, range: file.lineIndex.rangeOf(d) }));
}

/** A range from 0-based line/character pairs. */
export function r(l1: number, c1: number, l2: number, c2: number): Range {
  return { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } };
}

/** Names of all directives in document order, with their depth: "depth:name". */
export function outline(file: NginxFile): string[] {
  const out: string[] = [];
  walkDirectives(file, (d, depth) => {
    out.push(`${depth}:${d.name}`);
  });
  return out;
}
