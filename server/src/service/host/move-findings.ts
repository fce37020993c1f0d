/**
 * Findings kept across an edit of one nginx server block (nginx.ts): those outside the block move
 * by the lines the edit added or removed; one inside it, or whose message cites a moved line,
 * cannot be kept.
 */
import type { CitedLine, Finding } from '../types';
import type { Position, Range } from '../text';

/**
 * A list of findings kept outside an edited block (the root file's lines `first.line`..`lastLine`),
 * moved by the lines the edit added, or null when one points into the block or cites a moved line.
 * No line added or removed: a list none of whose positions lies on the block's lines stays as it
 * is, without a look at each finding (`fast` false: always finding by finding, for the tests).
 */
export function moveFindings(
  list: Finding[],
  rootPath: string,
  first: Position,
  lastLine: number,
  lineDelta: number,
  fast = true,
): Finding[] | null {
  if (list.length === 0) return list;
  if (fast && lineDelta === 0 && !touchesLines(rootLinesOf(list, rootPath), first.line, lastLine)) return list;
  return moveAll(list, mover(rootPath, first, lastLine, lineDelta));
}

/** The lines of the root file a list of findings points to (ranges, fix edits, related), sorted; by list. */
const rootLines = new WeakMap<Finding[], Int32Array>();

function rootLinesOf(list: Finding[], rootPath: string): Int32Array {
  let lines = rootLines.get(list);
  if (!lines) {
    const out: number[] = [];
    const add = (file: string, r: Range): void => {
      if (file === rootPath) out.push(r.start.line, r.end.line);
    };
    for (const f of list) {
      add(f.file, f.range);
      for (const fix of f.fixes) for (const e of fix.edits) add(e.file, e.range);
      if (f.related) for (const rel of f.related) add(rel.file, rel.range);
    }
    lines = Int32Array.from(out).sort();
    rootLines.set(list, lines);
  }
  return lines;
}

/** Does a sorted list of lines hold one in [from, to]? (Positions only, as the mover sees them.) */
function touchesLines(lines: Int32Array, from: number, to: number): boolean {
  let l = 0;
  let h = lines.length;
  while (l < h) {
    const mid = (l + h) >> 1;
    if (lines[mid] < from) l = mid + 1;
    else h = mid;
  }
  return l < lines.length && lines[l] <= to;
}

type Mover = (p: Position) => Position | null;

/**
 * Positions of the root file below the edited block move by `lineDelta` lines; one inside it
 * (except its very start, where fixes insert before it) cannot be kept: null.
 */
function mover(rootPath: string, first: Position, lastLine: number, lineDelta: number): MoverOf {
  const m: Mover = (p) => {
    if (p.line < first.line || (p.line === first.line && p.character <= first.character)) return p;
    if (p.line > lastLine) return lineDelta === 0 ? p : { line: p.line + lineDelta, character: p.character };
    return null;
  };
  const of = ((file: string) => (file === rootPath ? m : undefined)) as MoverOf;
  // Lines of the root file below the block's first line move: a message naming one is stale.
  of.staleCites =
    lineDelta === 0 ? () => false : (cites) => cites.some((c) => c.file === rootPath && c.line > first.line);
  return of;
}

type MoverOf = ((file: string) => Mover | undefined) & { staleCites: (cites: readonly CitedLine[]) => boolean };

function moveRange(r: Range, m: Mover): Range | null {
  const s = m(r.start);
  const e = m(r.end);
  if (!s || !e) return null;
  return s === r.start && e === r.end ? r : { start: s, end: e };
}

function moveAll(list: Finding[], moverOf: MoverOf): Finding[] | null {
  let out: Finding[] | null = null;
  for (let i = 0; i < list.length; i++) {
    const f = list[i];
    const g = moveFinding(f, moverOf);
    if (!g) return null;
    if (g !== f && !out) out = list.slice(0, i);
    if (out) out.push(g);
  }
  return out ?? list;
}

function moveFinding(f: Finding, moverOf: MoverOf): Finding | null {
  if (f.cites && moverOf.staleCites(f.cites)) return null;
  let changed = false;
  const m = moverOf(f.file);
  let range = f.range;
  if (m) {
    const r = moveRange(range, m);
    if (!r) return null;
    if (r !== range) {
      range = r;
      changed = true;
    }
  }
  let fixes = f.fixes;
  for (let i = 0; i < f.fixes.length; i++) {
    const fix = f.fixes[i];
    let edits = fix.edits;
    for (let j = 0; j < fix.edits.length; j++) {
      const e = fix.edits[j];
      const em = moverOf(e.file);
      if (!em) continue;
      const r = moveRange(e.range, em);
      if (!r) return null;
      if (r === e.range) continue;
      if (edits === fix.edits) edits = fix.edits.slice();
      edits[j] = { ...e, range: r };
    }
    if (edits !== fix.edits) {
      if (fixes === f.fixes) fixes = f.fixes.slice();
      fixes[i] = { ...fix, edits };
      changed = true;
    }
  }
  let related = f.related;
  if (related) {
    for (let i = 0; i < related.length; i++) {
      const rel = related[i];
      const rm = moverOf(rel.file);
      if (!rm) continue;
      const r = moveRange(rel.range, rm);
      if (!r) return null;
      if (r === rel.range) continue;
      if (related === f.related) related = related.slice();
      related[i] = { ...rel, range: r };
      changed = true;
    }
  }
  if (!changed) return f;
  const g: Finding = { ...f, range, fixes };
  if (related) g.related = related;
  return g;
}
