/** Version strings ("1.22.1", "2.6") compared number by number; missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
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
