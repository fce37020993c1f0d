/** Version strings ("1.22.1", "2.6") compared number by number; missing parts count as 0. */

// The same few version strings are compared over and over (every directive of a config against
// the target): parse each once.
const parsed = new Map<string, number[]>();
function parts(v: string): number[] {
  let p = parsed.get(v);
  if (!p) {
    p = v.split('.').map((x) => parseInt(x, 10) || 0);
    if (parsed.size < 10000) parsed.set(v, p);
  }
  return p;
}

export function compareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const pa = parts(a);
  const pb = parts(b);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** True when `version` is at least `since` (an absent `since` always holds). */
export function atLeast(version: string, since: string | undefined): boolean {
  return since === undefined || compareVersions(version, since) >= 0;
}
