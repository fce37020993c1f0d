/** Version strings ("1.22.1", "2.6") compared number by number; missing parts count as 0. */

/** The number of the part of `v` that starts at `i` (what parseInt reads of it; 0 when none). */
function partValue(v: string, i: number): number {
  let n = 0;
  let k = i;
  for (let c = v.charCodeAt(k); c >= 48 && c <= 57; c = v.charCodeAt(++k)) n = n * 10 + (c - 48);
  if (k > i && (k === v.length || v.charCodeAt(k) === 46)) return n;
  // anything else than digits ("0-dev", "", " 1"): as parseInt reads it
  const end = v.indexOf('.', i);
  return parseInt(v.slice(i, end < 0 ? v.length : end), 10) || 0;
}

/** Where the part after the one at `i` starts (past the end when there is none). */
function nextPart(v: string, i: number): number {
  const dot = v.indexOf('.', i);
  return dot < 0 ? v.length + 1 : dot + 1;
}

export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  for (let i = 0, j = 0; i <= a.length || j <= b.length;) {
    const d = (i <= a.length ? partValue(a, i) : 0) - (j <= b.length ? partValue(b, j) : 0);
    if (d !== 0) return d;
    i = i <= a.length ? nextPart(a, i) : i;
    j = j <= b.length ? nextPart(b, j) : j;
  }
  return 0;
}

/** True when `version` is at least `since` (an absent `since` always holds). */
export function atLeast(version: string, since: string | undefined): boolean {
  return since === undefined || compareVersions(version, since) >= 0;
}
