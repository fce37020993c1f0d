/**
 * A small, lossless-enough view of Terraform (HCL) files over the tree-sitter tree: blocks with their
 * labels and body offsets, attributes with the span of the key and of the value, a simplified value
 * (literals, lists, objects, traversals such as `var.x` or `aws_lb.main.arn`; everything else is
 * "other" and stays unknown), comments, and syntax errors with positions.
 */
import type { Node } from 'web-tree-sitter';
import type { Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';
import { parseTerraformTree } from './treesitter';

export type HclExpr =
  | { kind: 'string'; value: string; span: Span }
  | { kind: 'number'; value: number; span: Span }
  | { kind: 'bool'; value: boolean; span: Span }
  | { kind: 'null'; span: Span }
  | { kind: 'tuple'; items: HclExpr[]; span: Span }
  | { kind: 'object'; entries: { key: string; keySpan: Span; value: HclExpr }[]; span: Span }
  /** `var.x`, `aws_lb.main.arn`, `local.y` (also the lone interpolation "${var.x}"). */
  | { kind: 'traversal'; parts: string[]; text: string; span: Span }
  /** Anything we do not evaluate (calls, operators, templates, conditionals...). */
  | { kind: 'other'; text: string; span: Span };

export interface HclAttribute {
  name: string;
  nameSpan: Span;
  /** `name = value` */
  span: Span;
  value: HclExpr;
}

export interface HclBlock {
  type: string;
  typeSpan: Span;
  labels: { value: string; span: Span }[];
  span: Span;
  /** Offset just after `{`, and of the closing `}` (the end of the block when it is missing). */
  bodyStart: number;
  bodyEnd: number;
  attributes: HclAttribute[];
  blocks: HclBlock[];
}

export interface HclComment {
  text: string;
  span: Span;
}

export interface HclFile {
  text: string;
  blocks: HclBlock[];
  attributes: HclAttribute[];
  comments: HclComment[];
  diagnostics: SyntaxDiagnostic[];
}

function spanOf(n: Node): Span {
  return { start: n.startIndex, end: n.endIndex };
}

function unescape(raw: string): string {
  return raw.replace(/\\(["\\ntr]|u[0-9a-fA-F]{4})/g, (_m, c: string) => {
    if (c === 'n') return '\n';
    if (c === 't') return '\t';
    if (c === 'r') return '\r';
    if (c.startsWith('u')) return String.fromCharCode(parseInt(c.slice(1), 16));
    return c;
  });
}

function named(n: Node): Node[] {
  return n.namedChildren.filter((c): c is Node => !!c && c.type !== 'comment');
}

/**
 * Blocks and values (lists, objects) nested deeper than this are not read (their value is "other", a block's body is
 * skipped) and the file gets one finding: the walk over the tree is recursive.
 */
export const HCL_MAX_DEPTH = 64;

/** The first place nesting went past HCL_MAX_DEPTH in the file being converted. */
interface DeepMark {
  first: Span | null;
}

function deeper(n: Node, depth: number, deep: DeepMark): boolean {
  if (depth < HCL_MAX_DEPTH) return false;
  deep.first ??= spanOf(n);
  return true;
}

function convertExpr(n: Node, depth: number, deep: DeepMark): HclExpr {
  const span = spanOf(n);
  if (deeper(n, depth, deep)) return { kind: 'other', text: n.text, span };
  const text = n.text;
  let node = n;
  while (node.type === 'expression' || node.type === 'literal_value' || node.type === 'collection_value') {
    const kids = named(node);
    if (node.type === 'expression' && kids.length > 1) break; // a traversal: variable_expr + get_attr...
    if (kids.length !== 1) break;
    node = kids[0];
  }
  switch (node.type) {
    case 'numeric_lit': {
      const v = Number(node.text);
      return Number.isFinite(v) ? { kind: 'number', value: v, span } : { kind: 'other', text, span };
    }
    case 'bool_lit':
      return { kind: 'bool', value: node.text === 'true', span };
    case 'null_lit':
      return { kind: 'null', span };
    case 'string_lit': {
      const lit = named(node).filter((c) => c.type === 'template_literal');
      return { kind: 'string', value: unescape(lit.map((c) => c.text).join('')), span };
    }
    case 'template_expr': {
      // "${var.x}" alone is the old spelling of var.x.
      const q = named(node)[0];
      if (q?.type === 'quoted_template') {
        const parts = named(q).filter((c) => c.type !== 'quoted_template_start' && c.type !== 'quoted_template_end');
        if (parts.length === 1 && parts[0].type === 'template_interpolation') {
          const inner = named(parts[0]).find((c) => c.type === 'expression');
          if (inner) {
            const e = convertExpr(inner, depth + 1, deep);
            if (e.kind === 'traversal') return { ...e, span };
          }
        }
      }
      return { kind: 'other', text, span };
    }
    case 'tuple': {
      const items = named(node)
        .filter((c) => c.type === 'expression')
        .map((c) => convertExpr(c, depth + 1, deep));
      return { kind: 'tuple', items, span };
    }
    case 'object': {
      const entries: { key: string; keySpan: Span; value: HclExpr }[] = [];
      for (const el of named(node)) {
        if (el.type !== 'object_elem') continue;
        const [k, v] = named(el).filter((c) => c.type === 'expression');
        if (!k || !v) continue;
        const key = convertExpr(k, depth + 1, deep);
        const keyText =
          key.kind === 'string'
            ? key.value
            : key.kind === 'traversal' && key.parts.length === 1
              ? key.parts[0]
              : k.text;
        entries.push({ key: keyText, keySpan: spanOf(k), value: convertExpr(v, depth + 1, deep) });
      }
      return { kind: 'object', entries, span };
    }
    case 'expression': {
      const kids = named(node);
      if (kids[0]?.type === 'variable_expr' && kids.slice(1).every((c) => c.type === 'get_attr')) {
        const parts = [kids[0].text, ...kids.slice(1).map((g) => g.text.replace(/^\./, ''))];
        return { kind: 'traversal', parts, text, span };
      }
      return { kind: 'other', text, span };
    }
    case 'variable_expr':
      return { kind: 'traversal', parts: [node.text], text, span };
    default:
      return { kind: 'other', text, span };
  }
}

function convertBody(
  body: Node | undefined,
  into: { attributes: HclAttribute[]; blocks: HclBlock[] },
  comments: HclComment[],
  depth: number,
  deep: DeepMark,
): void {
  if (!body || deeper(body, depth, deep)) return;
  for (const c of body.namedChildren) {
    if (!c) continue;
    if (c.type === 'comment') comments.push({ text: c.text, span: spanOf(c) });
    else if (c.type === 'attribute') {
      const id = c.namedChildren.find((x) => x?.type === 'identifier');
      const ex = c.namedChildren.find((x) => x?.type === 'expression');
      if (!id) continue;
      into.attributes.push({
        name: id.text,
        nameSpan: spanOf(id),
        span: spanOf(c),
        value: ex
          ? convertExpr(ex, depth, deep)
          : { kind: 'other', text: '', span: { start: c.endIndex, end: c.endIndex } },
      });
    } else if (c.type === 'block') into.blocks.push(convertBlock(c, comments, depth, deep));
    else collectComments(c, comments, depth);
  }
}

function collectComments(n: Node, comments: HclComment[], depth = 0): void {
  if (n.type === 'comment') comments.push({ text: n.text, span: spanOf(n) });
  // The nodes of a syntax error: a few per level of nesting.
  else if (depth < 4 * HCL_MAX_DEPTH) for (const c of n.namedChildren) if (c) collectComments(c, comments, depth + 1);
}

function convertBlock(n: Node, comments: HclComment[], depth: number, deep: DeepMark): HclBlock {
  const kids = n.namedChildren.filter((c): c is Node => !!c);
  const typeNode = kids.find((c) => c.type === 'identifier');
  const labels = kids
    .filter((c) => c.type === 'string_lit' || (c.type === 'identifier' && c !== typeNode))
    .map((c) => ({
      value:
        c.type === 'string_lit'
          ? unescape(
              named(c)
                .filter((x) => x.type === 'template_literal')
                .map((x) => x.text)
                .join(''),
            )
          : c.text,
      span: spanOf(c),
    }));
  const start = kids.find((c) => c.type === 'block_start');
  const end = kids.find((c) => c.type === 'block_end');
  const body = kids.find((c) => c.type === 'body');
  const block: HclBlock = {
    type: typeNode?.text ?? '',
    typeSpan: typeNode ? spanOf(typeNode) : { start: n.startIndex, end: n.startIndex },
    labels,
    span: spanOf(n),
    bodyStart: start ? start.endIndex : n.endIndex,
    bodyEnd: end && !end.hasError && end.endIndex > end.startIndex ? end.startIndex : n.endIndex,
    attributes: [],
    blocks: [],
  };
  for (const c of kids) if (c.type === 'comment') comments.push({ text: c.text, span: spanOf(c) });
  convertBody(body, block, comments, depth + 1, deep);
  for (const c of kids) if (c.type === 'ERROR') collectComments(c, comments, depth + 1);
  return block;
}

function syntaxErrors(root: Node, text: string): SyntaxDiagnostic[] {
  const out: SyntaxDiagnostic[] = [];
  const visit = (n: Node, depth: number) => {
    // Tree-sitter nodes, a few per level of nesting (deeper ones are reported by the conversion).
    if (out.length >= 20 || depth >= 4 * HCL_MAX_DEPTH) return;
    if (n.isMissing) {
      out.push({
        start: n.startIndex,
        end: n.startIndex,
        code: 'missing',
        message: `Terraform syntax error: missing '${n.type}'`,
        severity: 'error',
      });
      return;
    }
    if (n.isError) {
      const snippet = text.slice(n.startIndex, Math.min(n.endIndex, n.startIndex + 40)).split(/\r?\n/)[0];
      out.push({
        start: n.startIndex,
        end: Math.max(n.endIndex, n.startIndex),
        code: 'unexpected',
        message: `Terraform syntax error: unexpected '${snippet || 'end of file'}'`,
        severity: 'error',
      });
      return;
    }
    if (!n.hasError) return;
    for (const c of n.children) if (c) visit(c, depth + 1);
  };
  visit(root, 0);
  return out;
}

export function parseHcl(text: string): HclFile {
  const tree = parseTerraformTree(text);
  const deep: DeepMark = { first: null };
  try {
    const root = tree.rootNode;
    const file: HclFile = { text, blocks: [], attributes: [], comments: [], diagnostics: syntaxErrors(root, text) };
    for (const c of root.namedChildren) {
      if (!c) continue;
      if (c.type === 'body') convertBody(c, file, file.comments, 0, deep);
      else collectComments(c, file.comments);
    }
    file.comments.sort((a, b) => a.span.start - b.span.start);
    const first = deep.first;
    if (first)
      file.diagnostics.push({
        start: first.start,
        end: first.start + 1,
        code: 'nesting-too-deep',
        message: `Terraform nested deeper than ${HCL_MAX_DEPTH} levels: wslb does not read what is inside, so nothing there is checked`,
        severity: 'error',
      });
    return file;
  } finally {
    tree.delete();
  }
}
