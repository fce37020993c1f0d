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
    if (b.rawBody && (b.children.length !== 1 || b.children[0].type !== 'raw')) return `raw block at ${b.start}: not one raw child`;
    return contiguous(b.children, b.open + 1, innerEnd, `block at ${b.start}`);
  };

  const top = contiguous(file.children, 0, text.length, 'file');
  if (top) return top;
  // Orphan blocks at any level and every directive.
  const blocks: NginxBlock[] = [];
  const collectOrphans = (list: NginxNode[]) => {
    for (const node of list) if (node.type === 'block' && !node.owner) blocks.push(node);
  };
  collectOrphans(file.children);
  let err: string | null = null;
  walkDirectives(file, (d) => {
    if (err) return false;
    if (d.parts[0] !== d.nameToken || d.nameToken.start !== d.start) err = `directive ${d.name}: name is not parts[0]`;
    else if (d.name !== d.nameToken.value) err = `directive ${d.name}: name differs from its token's value`;
    else {
      err = contiguous(d.parts, d.start, d.end, `directive ${d.name} at ${d.start}`);
      if (!err) {
        for (const a of d.args) if (!d.parts.includes(a)) err = `directive ${d.name}: arg not in parts`;
        const last = d.parts[d.parts.length - 1];
        if (d.semicolon >= 0 && (last.type !== 'token' || last.start !== d.semicolon || text[d.semicolon] !== ';'))
          err = `directive ${d.name}: ";" is not the last part`;
        if (d.block && (last !== d.block || d.block.owner !== d)) err = `directive ${d.name}: block is not the last part`;
        if (d.block && !err) err = blockCheck(d.block);
        const siblings = d.parent.children;
        if (!siblings.includes(d)) err = `directive ${d.name}: not among its parent's children`;
      }
      if (d.block) collectOrphans(d.block.children);
    }
    if (err) return false;
  });
  if (err) return err;
  for (let i = 0; i < blocks.length; i++) {
    const e = blockCheck(blocks[i]);
    if (e) return e;
    collectOrphans(blocks[i].children);
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
