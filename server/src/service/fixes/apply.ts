/** Apply edits to texts: the CLI's --fix, "fix all", and the tests use this one implementation. */
import { LineIndex } from '../text';
import type { Fix, FileEdit, Finding } from '../types';

/** Apply edits (ranges in the text's own positions) to one text. Overlapping edits: the later one is dropped. */
export function applyEdits(text: string, edits: { range: FileEdit['range']; newText: string }[]): string {
  const idx = new LineIndex(text);
  const spans = edits
    .map((e, i) => ({ start: idx.offsetAt(e.range.start), end: idx.offsetAt(e.range.end), newText: e.newText, i }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.i - b.i);
  const kept: typeof spans = [];
  let lastEnd = -1;
  for (const s of spans) {
    // two pure insertions at the same point are both kept, in order
    if (s.start < lastEnd) continue;
    kept.push(s);
    lastEnd = Math.max(lastEnd, s.end);
  }
  let out = '';
  let pos = 0;
  for (const s of kept) {
    out += text.slice(pos, s.start) + s.newText;
    pos = s.end;
  }
  return out + text.slice(pos);
}

/**
 * Pick one fix per finding (the preferred one, else the first) and group their edits by file,
 * skipping a fix whose edits overlap one already chosen or repeat it exactly (two findings
 * asking for the same map, say). Callers re-check and repeat until nothing changes. With
 * `safeOnly`, suggestions are never chosen (fix-all: see rules/fix-classes.ts).
 */
export function collectFixEdits(
  findings: Finding[],
  filter?: (f: Finding) => boolean,
  safeOnly = false,
): Map<string, FileEdit[]> {
  const byFile = new Map<string, FileEdit[]>();
  const seen = new Set<string>();
  for (const f of findings) {
    if (filter && !filter(f)) continue;
    const fixes = safeOnly ? f.fixes.filter((x) => x.kind === 'safe') : f.fixes;
    const fix: Fix | undefined = fixes.find((x) => x.isPreferred) ?? fixes[0];
    if (!fix) continue;
    const key = JSON.stringify(fix.edits);
    if (seen.has(key)) continue;
    const conflicts = fix.edits.some((e) => (byFile.get(e.file) ?? []).some((o) => overlaps(o, e)));
    if (conflicts) continue;
    seen.add(key);
    for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  }
  return byFile;
}

function before(a: FileEdit['range']['start'], b: FileEdit['range']['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function overlaps(a: FileEdit, b: FileEdit): boolean {
  const aEmpty = !before(a.range.start, a.range.end);
  const bEmpty = !before(b.range.start, b.range.end);
  if (aEmpty && bEmpty)
    return (
      a.range.start.line === b.range.start.line &&
      a.range.start.character === b.range.start.character &&
      a.newText === b.newText
    );
  return before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
}
