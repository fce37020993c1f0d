/**
 * Reading an nginx syntax tree: printing, walking, lookups. Everything here is iterative
 * (an explicit stack), so a file of a million nested "{" cannot overflow the call stack.
 */
import type { Span } from '../../text';
import type { NginxBlock, NginxDirective, NginxFile, NginxNode, NginxToken } from './types';

/**
 * Call `leaf(start, end, text)` for every leaf under `root`, in source order.
 * For a file the leaves tile [0, text.length); for a directive, [start, end).
 */
export function forEachLeaf(
  root: NginxFile | NginxNode,
  leaf: (start: number, end: number, text: string) => void,
): void {
  // The stack holds nodes, or a number: the offset of a block's "}".
  const stack: (NginxNode | number)[] = [];
  const pushAll = (list: NginxNode[]): void => {
    for (let i = list.length - 1; i >= 0; i--) stack.push(list[i]);
  };
  if (root.type === 'file') pushAll(root.children);
  else stack.push(root);
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item === 'number') {
      leaf(item, item + 1, '}');
      continue;
    }
    switch (item.type) {
      case 'directive':
        pushAll(item.parts);
        break;
      case 'block':
        if (item.close >= 0) stack.push(item.close);
        pushAll(item.children);
        leaf(item.open, item.open + 1, '{');
        break;
      case 'comment':
        leaf(item.start, item.end, '#' + item.text);
        break;
      default:
        leaf(item.start, item.end, item.raw);
    }
  }
}

/** The source text of a file or node, rebuilt from its leaves. For a file it equals the input. */
export function printNginx(node: NginxFile | NginxNode): string {
  const out: string[] = [];
  forEachLeaf(node, (_s, _e, text) => {
    out.push(text);
  });
  return out.join('');
}

/**
 * Visit every directive under `root` in source order. `depth` is 0 for the root's own
 * children and grows by one per block. Return false from `visit` to skip a directive's
 * block. Blocks without a directive ("{" nginx refuses) are entered too.
 */
export function walkDirectives(
  root: NginxFile | NginxBlock,
  visit: (d: NginxDirective, depth: number) => void | false,
): void {
  const lists: NginxNode[][] = [root.items];
  const index: number[] = [0];
  const depths: number[] = [0];
  while (lists.length > 0) {
    const top = lists.length - 1;
    const list = lists[top];
    const i = index[top];
    if (i >= list.length) {
      lists.pop();
      index.pop();
      depths.pop();
      continue;
    }
    index[top] = i + 1;
    const node = list[i];
    const depth = depths[top];
    if (node.type === 'directive') {
      const r = visit(node, depth);
      if (r !== false && node.block && !node.block.rawBody) {
        lists.push(node.block.items);
        index.push(0);
        depths.push(depth + 1);
      }
    } else if (node.type === 'block' && !node.rawBody) {
      lists.push(node.items);
      index.push(0);
      depths.push(depth + 1);
    }
  }
}

/** Directives directly inside `root` (not nested ones). */
export function childDirectives(root: NginxFile | NginxBlock | NginxDirective): NginxDirective[] {
  const list = root.type === 'directive' ? (root.block ? root.block.items : []) : root.items;
  const out: NginxDirective[] = [];
  for (const node of list) if (node.type === 'directive') out.push(node);
  return out;
}

/** The directives enclosing `d`, outermost first (not including `d`). */
export function enclosingDirectives(d: NginxDirective): NginxDirective[] {
  const out: NginxDirective[] = [];
  let p: NginxBlock | NginxFile = d.parent;
  while (p.type === 'block') {
    if (p.owner) out.push(p.owner);
    p = p.parent;
  }
  return out.reverse();
}

/** Index of the last node in `list` whose start is <= offset, or -1. */
function lastStartingAtOrBefore(list: NginxNode[], offset: number): number {
  let lo = 0;
  let hi = list.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid].start <= offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/**
 * The innermost directive whose span holds `offset` (its end counts, so a cursor just
 * after ";" still finds the directive), or null.
 */
export function directiveAt(file: NginxFile, offset: number): NginxDirective | null {
  let list = file.items;
  let best: NginxDirective | null = null;
  for (;;) {
    const i = lastStartingAtOrBefore(list, offset);
    if (i < 0) return best;
    let node = list[i];
    // Directly after a directive's end, with a trivia token starting there: prefer the directive.
    if (node.start === offset && i > 0 && node.type !== 'directive' && node.type !== 'block') {
      const prev = list[i - 1];
      if (prev.type === 'directive' && prev.end === offset) node = prev;
    }
    if (offset > node.end) return best;
    if (node.type === 'directive') {
      best = node;
      const b = node.block;
      if (!b || b.rawBody || offset <= b.open || (b.close >= 0 && offset > b.close)) return best;
      list = b.items;
    } else if (node.type === 'block' && !node.rawBody && offset > node.open) {
      list = node.items;
    } else return best;
  }
}

/** The leaf token (word, ";", trivia, raw, error) or comment at `offset` in `file`, or null. */
export function tokenAt(file: NginxFile, offset: number): NginxToken | null {
  let list = file.children;
  for (;;) {
    const i = lastStartingAtOrBefore(list, offset);
    if (i < 0) return null;
    const node = list[i];
    if (offset >= node.end && !(offset === node.end && node.end === file.text.length)) return null;
    switch (node.type) {
      case 'directive':
        list = node.parts;
        break;
      case 'block':
        if (offset === node.open || offset === node.close) return null;
        list = node.children;
        break;
      case 'comment':
        return null;
      default:
        return node;
    }
  }
}

export type LocationModifier = '=' | '^~' | '~' | '~*' | '@' | '';

export interface LocationMatch {
  /** '' for a prefix location; '@' for a named one. */
  modifier: LocationModifier;
  /** The URI, regex or name, without the modifier. */
  pattern: string;
  /** Source span of the pattern (inside its word when the modifier is glued, e.g. `~*\.php$`). */
  patternSpan: Span | null;
  regex: boolean;
  caseInsensitive: boolean;
}

/**
 * How a `location` directive matches, read as nginx does (ngx_http_core_location in
 * src/http/ngx_http_core_module.c): with two words the first is the modifier; with one,
 * a leading "=", "^~", "~", "~*" or "@" is. Returns null when `d` is not a location or has
 * no words; an unknown modifier yields modifier '' and the words as given.
 */
export function locationMatch(d: NginxDirective): LocationMatch | null {
  if (d.name !== 'location' || d.args.length === 0) return null;
  const make = (modifier: LocationModifier, word: NginxToken, skip: number): LocationMatch => {
    // A glued modifier is inside the word: the pattern span starts after it when the word is bare.
    const spanStart = word.quote === null ? word.start + skip : word.start;
    return {
      modifier,
      pattern: word.value.slice(skip),
      patternSpan: word.quote === null || skip === 0 ? { start: spanStart, end: word.end } : null,
      regex: modifier === '~' || modifier === '~*',
      caseInsensitive: modifier === '~*',
    };
  };
  if (d.args.length >= 2) {
    const mod = d.args[0].value;
    const m: LocationModifier = mod === '=' || mod === '^~' || mod === '~' || mod === '~*' ? mod : '';
    return make(m, d.args[1], 0);
  }
  const word = d.args[0];
  const v = word.value;
  if (v.startsWith('=')) return make('=', word, 1);
  if (v.startsWith('^~')) return make('^~', word, 2);
  if (v.startsWith('~*')) return make('~*', word, 2);
  if (v.startsWith('~')) return make('~', word, 1);
  if (v.startsWith('@')) return make('@', word, 0);
  return make('', word, 0);
}
