/**
 * The incremental nginx parse: after an edit, read again only the body of the innermost block
 * that holds it, and move the rest of the old tree to the new text (see tree-text.ts).
 */
import { LineIndex } from '../../text';
import { Block, Directive, File, settleTree } from './nodes';
import { flatten, parseCore, parseNginx } from './parser';
import { SHIFT_LOG_LIMIT, SHIFT_LOG_MAX } from './tree-text';
import type { NginxBlock, NginxFile, NginxNode, NginxSyntaxDiagnostic, ParseNginxOptions } from './types';

// Character codes. Each module that scans text declares the ones it reads: loaded through tsx
// (the tests, the benchmarks) an imported constant is a getter call on every read, which made the
// scan several times slower.
const LF = 10;
const CR = 13;

/** One change of a text: `deleted` code units at `offset` replaced by `inserted` (applied in order). */
export interface NginxTextEdit {
  offset: number;
  deleted: number;
  inserted: string;
}

/**
 * Parse `text`, which is `old.text` after `edits`, reusing `old`: only the body of the innermost
 * block that holds every change is read again; the directives and blocks around it are the same
 * objects, moved to their new offsets (each when one of its offsets is next read: see TreeText).
 * The result equals `parseNginx(text, options)` (same
 * nodes, diagnostics and re-print); when that cannot be guaranteed this simply calls parseNginx:
 * a change that touches a block's braces or reaches past its body (the re-read block must close
 * at the same "}"), a file with an unclosed block or too many errors, a string left open before
 * the edit (its reading scanned ahead for a quote), or edits that do not lead
 * from `old.text` to `text`. `old` must not be used afterwards (its nodes now belong to the result;
 * once the re-read block is found they read the new text, even when this then falls back).
 */
export function parseNginxIncremental(
  old: NginxFile,
  text: string,
  edits: readonly NginxTextEdit[],
  options: ParseNginxOptions = {},
): NginxFile {
  flatten(text);
  const result = reparse(old, text, edits, options);
  if (result) nginxIncrementalStats.reused++;
  else nginxIncrementalStats.full++;
  return result ?? parseNginx(text, options);
}

/**
 * The block a tree from parseNginxIncremental re-read (every node outside it is a node of the old
 * tree, moved); undefined for a tree parsed whole.
 */
export function nginxReparsedBlock(file: NginxFile): NginxBlock | undefined {
  return file instanceof File ? file.reparsed : undefined;
}

/**
 * How often parseNginxIncremental re-read one block (`reused`) or parsed the whole text (`full`),
 * and brought a whole tree's offsets up to date (`settled`: after SHIFT_LOG_LIMIT edits in different
 * places, or SHIFT_LOG_MAX in one).
 */
export const nginxIncrementalStats = { reused: 0, full: 0, settled: 0 };

function reparse(
  old: NginxFile,
  text: string,
  edits: readonly NginxTextEdit[],
  options: ParseNginxOptions,
): NginxFile | null {
  if (!(old instanceof File)) return null;
  if (edits.length === 0 && text === old.text) return old;
  const tt = File.treeText(old);
  if (tt.file !== old) return null;
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

  // Move the old tree into the new text. Every offset a kept node holds is at most tOpen (before
  // the target, or the start of a block around it) or above tClose (after it, or the end of a
  // block around it): offsets from tClose + 1 on move by delta, when next read (TreeText).
  // From here `old` is the new tree's past: it must not be used again, even if this fails.
  const tOpen = target.open;
  const tClose = target.close;
  if (delta !== 0) tt.moved(tClose + 1, tOpen, delta);
  tt.text = text;
  const file = new File(tt);
  tt.file = file;
  const fresh = new Block(tOpen, target.owner, target.parent, tt);
  const { file: scratch, closeAt } = parseCore(tt, options, { block: fresh });
  if (closeAt !== tClose + delta) return null;
  const before: NginxSyntaxDiagnostic[] = [];
  const after: NginxSyntaxDiagnostic[] = [];
  for (const d of old.diagnostics) {
    if (d.start <= tOpen) before.push(d);
    else if (d.start > tClose) after.push(d);
  }
  if (before.length + scratch.diagnostics.length + after.length >= maxDiagnostics) return null;

  // The nodes on the path: their cached lists are out of date; the target is replaced.
  file.items = old.items;
  let items = file.items;
  for (const node of path) {
    if (node instanceof Directive) {
      node.dropParts();
      const b = node.block as Block;
      if (b === target) node.block = fresh;
      else {
        b.dropChildren();
        items = b.items;
      }
    } else if (node instanceof Block) {
      if (node === target) items[items.indexOf(node)] = fresh;
      else {
        node.dropChildren();
        items = node.items;
      }
    }
  }

  const shift = (d: NginxSyntaxDiagnostic): NginxSyntaxDiagnostic => {
    const out: NginxSyntaxDiagnostic = { ...d, start: d.start + delta, end: d.end + delta };
    if (d.fix) out.fix = { ...d.fix, start: d.fix.start + delta, end: d.fix.end + delta };
    return out;
  };
  file.diagnostics = before.concat(scratch.diagnostics, after.map(shift));
  const oldIndex = File.builtLineIndex(old);
  if (oldIndex) file.setLineIndex(editedLineIndex(oldIndex, text, lo, hiOld, hiNew));
  file.reparsed = fresh;
  if (delta !== 0 && (tt.from.length >= SHIFT_LOG_MAX || tt.maxSteps() >= SHIFT_LOG_LIMIT)) {
    settleTree(file);
    tt.restart();
    nginxIncrementalStats.settled++;
  }
  return file;
}

/** The changed region: [lo, hiOld) of `before` became [lo, hiNew) of `text`; null when the edits do not lead from one to the other. */
export function changedRegion(
  before: string,
  text: string,
  edits: readonly NginxTextEdit[],
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

function hasBreak(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === LF || c === CR) return true;
  }
  return false;
}
