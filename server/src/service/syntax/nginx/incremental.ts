/**
 * The incremental nginx parse (rust-analyzer's block reparse): after an edit, read again only the
 * body of the innermost block that holds it, and make a new tree around it. The old tree is not
 * changed: the new one copies the blocks and directives on the way to the re-read block, and every
 * other node at its new offset (nodes.ts shiftedCopy, which makes a copied block's items when they
 * are first read).
 */
import { LineIndex, type TextEdit } from '../../text';
import { Block, Directive, File, shiftedCopy, TreeText } from './nodes';
import { flatten, parseCore, parseNginx } from './parser';
import type { NginxBlock, NginxFile, NginxNode, NginxSyntaxDiagnostic, ParseNginxOptions } from './types';

// Character codes. Each module that scans text declares the ones it reads: loaded through tsx
// (the tests, the benchmarks) an imported constant is a getter call on every read, which made the
// scan several times slower.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const HASH = 35;

/**
 * Parse `text`, which is `old.text` after `edits`, reusing `old`: only the body of the innermost
 * block that holds every change is read again; the nodes around it are copies of the old ones at
 * their new offsets. `old` is left as it was. The result equals `parseNginx(text, options)` (same
 * nodes, diagnostics and re-print); when that cannot be guaranteed this simply calls parseNginx:
 * a change that touches a block's braces or reaches past its body (the re-read block must close
 * at the same "}"), a file with an unclosed block or too many errors, a string left open before
 * the edit (its reading scanned ahead for a quote), or edits that do not lead from `old.text` to
 * `text`.
 */
export function parseNginxIncremental(
  old: NginxFile,
  text: string,
  edits: readonly TextEdit[],
  options: ParseNginxOptions = {},
): NginxFile {
  flatten(text);
  const result = reparse(old, text, edits, options);
  if (result) nginxIncrementalStats.reused++;
  else nginxIncrementalStats.full++;
  return result ?? parseNginx(text, options);
}

/**
 * The block a tree from parseNginxIncremental re-read (every node outside it copies a node of the
 * old tree); undefined for a tree parsed whole.
 */
export function nginxReparsedBlock(file: NginxFile): NginxBlock | undefined {
  return file instanceof File ? file.reparsed : undefined;
}

/** How often parseNginxIncremental re-read one block (`reused`) or parsed the whole text (`full`). */
export const nginxIncrementalStats = { reused: 0, full: 0 };

function reparse(
  old: NginxFile,
  text: string,
  edits: readonly TextEdit[],
  options: ParseNginxOptions,
): NginxFile | null {
  if (!(old instanceof File)) return null;
  if (edits.length === 0 && text === old.text) return old;
  const region = changedRegion(old.text, text, edits);
  if (!region) return null;
  const { lo, hiOld, hiNew } = region;
  const delta = hiNew - hiOld;
  const maxDiagnostics = options.maxDiagnostics ?? 1000;
  for (const d of old.diagnostics) {
    if (d.code === 'unclosed-block' || d.code === 'too-many-errors') return null;
    // A string left open before the edit was read by scanning ahead for its quote, past `lo`.
    if (d.code === 'unterminated-string' && d.start < lo) return null;
  }
  const path: NginxNode[] = [];
  const target = enclosingBlock(old, lo, hiOld, path);
  if (!target) return null;

  // Every offset a node outside the target holds is at most tOpen (before the target, or the start
  // of a block around it) or above tClose (after it, or the end of a block around it): those from
  // tClose + 1 on move by delta.
  const tOpen = target.open;
  const tClose = target.close;
  const tt = new TreeText(text);
  const file = new File(tt);
  tt.file = file;
  const fresh = copyPath(old, path, target, delta, tt);
  const { file: scratch, closeAt } = parseCore(tt, options, { block: fresh });
  if (closeAt !== tClose + delta || lineAfterDependsOnEdit(text, closeAt, hiNew)) return null;
  const before: NginxSyntaxDiagnostic[] = [];
  const after: NginxSyntaxDiagnostic[] = [];
  for (const d of old.diagnostics) {
    if (d.start <= tOpen) before.push(d);
    else if (d.start > tClose) after.push(d);
  }
  if (before.length + scratch.diagnostics.length + after.length >= maxDiagnostics) return null;

  const shift = (d: NginxSyntaxDiagnostic): NginxSyntaxDiagnostic => {
    const out: NginxSyntaxDiagnostic = { ...d, start: d.start + delta, end: d.end + delta };
    if (d.fix) out.fix = { ...d.fix, start: d.fix.start + delta, end: d.fix.end + delta };
    return out;
  };
  file.diagnostics = before.concat(scratch.diagnostics, after.map(shift));
  const oldIndex = File.builtLineIndex(old);
  if (oldIndex) file.setLineIndex(editedLineIndex(oldIndex, text, lo, hiOld, hiNew));
  file.reparsed = fresh;
  return file;
}

/**
 * Fill the new file (`tt.file`) with copies of `old`'s nodes: those on `path` (each holds the
 * target) keep their start and move their end by `delta`; the others move by `delta` when they
 * lie after the target. Returns the empty block that takes the target's place.
 */
function copyPath(old: File, path: readonly NginxNode[], target: Block, delta: number, tt: TreeText): Block {
  const from = target.close + 1;
  let container: File | Block = tt.file!;
  let oldList: NginxNode[] = old.items;
  for (const node of path) {
    const list: NginxNode[] = new Array<NginxNode>(oldList.length);
    const parent: File | Block = container;
    let at = -1;
    for (let i = 0; i < oldList.length; i++) {
      const n = oldList[i];
      if (n === node) at = i;
      else list[i] = shiftedCopy(n, n.start >= from ? delta : 0, parent, tt);
    }
    parent.items = list;
    // A directive with its block, or a block without a directive ("{" nginx refuses).
    const owner: Directive | null = node instanceof Directive ? Directive.copy(node, 0, delta, parent, tt) : null;
    const b = (owner ? (node as Directive).block : node) as Block;
    const copy: Block =
      b === target ? new Block(b.open, owner, parent, tt) : Block.copy(b, 0, delta, owner, parent, tt, []);
    if (owner) owner.block = copy;
    list[at] = owner ?? copy;
    if (b === target) return copy;
    container = copy;
    oldList = b.items;
  }
  throw new Error('nginx incremental parse: the path does not lead to the target');
}

/** The changed region: [lo, hiOld) of `before` became [lo, hiNew) of `text`; null when the edits do not lead from one to the other. */
export function changedRegion(
  before: string,
  text: string,
  edits: readonly TextEdit[],
): { lo: number; hiOld: number; hiNew: number } | null {
  let lo = Infinity;
  let suffix = Infinity;
  let len = before.length;
  for (const e of edits) {
    if (e.offset < 0 || e.deleted < 0 || e.offset + e.deleted > len) return null;
    lo = Math.min(lo, e.offset);
    len += e.inserted.length - e.deleted;
    suffix = Math.min(suffix, len - (e.offset + e.inserted.length));
  }
  if (len !== text.length || edits.length === 0) return null;
  return { lo, hiOld: before.length - suffix, hiNew: text.length - suffix };
}

/**
 * The innermost closed, non-raw block whose body holds the whole region [lo, hiOld), or null; the
 * nodes on the way to it are pushed on `path` (each holds the region; the last one is the target or
 * its directive).
 */
function enclosingBlock(old: NginxFile, lo: number, hiOld: number, path: NginxNode[]): Block | null {
  let target: Block | null = null;
  let list: NginxNode[] = old.items;
  for (;;) {
    let found: Block | null = null;
    let l = 0;
    let h = list.length - 1;
    while (l <= h) {
      const mid = (l + h) >> 1;
      const node = list[mid];
      if (node.end < hiOld) l = mid + 1;
      else if (node.start >= lo) h = mid - 1;
      else {
        const b = node.type === 'directive' ? node.block : node.type === 'block' ? node : null;
        if (b instanceof Block && !b.rawBody && b.close >= 0 && b.open < lo && hiOld <= b.close) {
          found = b;
          path.push(node);
        }
        break;
      }
    }
    if (!found) break;
    target = found;
    list = found.items;
  }
  return target;
}

/** The line index of `text` from the one of the text before the edit [lo, hiOld) → [lo, hiNew). */
function editedLineIndex(old: LineIndex, text: string, lo: number, hiOld: number, hiNew: number): LineIndex {
  // No line break taken out or put in, and not between a CR and its LF (which would split or join
  // a break): the same lines, those after the edited one shifted (no copy of the line starts).
  if (
    !hasBreak(old.text, lo, hiOld) &&
    !hasBreak(text, lo, hiNew) &&
    !(text.charCodeAt(lo - 1) === CR && text.charCodeAt(hiNew) === LF)
  ) {
    return old.shifted(text, old.positionAt(lo).line, hiNew - hiOld);
  }
  const starts = old.lineStarts;
  // Line starts before lo are unchanged (the break before each, and a following LF, lie before lo).
  let k = 0;
  let h = starts.length;
  while (k < h) {
    const mid = (k + h) >> 1;
    if (starts[mid] < lo) k = mid + 1;
    else h = mid;
  }
  const out = starts.slice(0, k);
  const n = text.length;
  let i = Math.max(0, lo - 1);
  const stop = Math.min(n, hiNew + 1);
  for (; i < stop; i++) {
    const c = text.charCodeAt(i);
    if (c === LF) {
      if (i + 1 >= lo) out.push(i + 1);
    } else if (c === CR) {
      if (text.charCodeAt(i + 1) === LF) i++;
      if (i + 1 >= lo) out.push(i + 1);
    }
  }
  // From i on the new text is the old text's tail: its line starts, shifted.
  const delta = hiNew - hiOld;
  let j = k;
  while (j < starts.length && starts[j] <= i - delta) j++;
  for (; j < starts.length; j++) out.push(starts[j] + delta);
  return LineIndex.fromLineStarts(text, out);
}

/**
 * Does a word follow the re-read block's "}" (at `close`) on its line, and does the edit reach
 * that line (up to `hiNew`)? The reading of a directive there depends on how its line is indented
 * (a missing ";" is found by the columns of the lines after it), which the edit may have changed.
 */
function lineAfterDependsOnEdit(text: string, close: number, hiNew: number): boolean {
  let i = close + 1;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR || c === HASH) return false;
    if (c !== SPACE && c !== TAB) break;
  }
  if (i >= text.length) return false;
  let ls = close;
  while (ls > 0 && text.charCodeAt(ls - 1) !== LF && text.charCodeAt(ls - 1) !== CR) ls--;
  return ls <= hiNew;
}

function hasBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return true;
  }
  return false;
}
