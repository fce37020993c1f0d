/** "Did you mean" suggestions by edit distance. */
import { clipWord } from '../words';

/** A cell out of reach (still an int32 after adding one). */
const FAR = 0x3fffffff;

/** Rows an editDistance() caller may keep between calls, so that measuring many names allocates once. */
export interface DistanceScratch {
  rows: Int32Array;
}

/**
 * Damerau-Levenshtein distance (optimal string alignment) of `a` and `b` when it is at most `max`;
 * otherwise some value above `max`. Only the cells within `max` of the diagonal are computed (a
 * path to a cell of cost at most `max` never leaves them), on three rows of one buffer, and it
 * stops as soon as a whole row is out of reach. (haproxy/unknown-backend measures every backend
 * name on every keystroke with it, passing one `scratch` for all of them.)
 * test/rules/haproxy-unknown-backend-distance.test.ts compares it with the plain full table.
 */
export function editDistance(a: string, b: string, max = Infinity, scratch?: DistanceScratch): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  const band = Math.min(max, Math.max(m, n));
  const w = n + 2;
  let rows = scratch?.rows;
  if (!rows || rows.length < 3 * w) {
    rows = new Int32Array(6 * w);
    if (scratch) scratch.rows = rows;
  }
  let p2 = 0;
  let p = w;
  let c = 2 * w;
  const top = Math.min(n, band);
  for (let j = 0; j <= top; j++) rows[p + j] = j;
  if (top + 1 <= n) rows[p + top + 1] = FAR;
  for (let i = 1; i <= m; i++) {
    const ai = a.charCodeAt(i - 1);
    const lo = Math.max(1, i - band);
    const hi = Math.min(n, i + band);
    rows[c + lo - 1] = lo === 1 ? i : FAR;
    let rowMin = i;
    for (let j = lo; j <= hi; j++) {
      const cost = ai === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(rows[p + j] + 1, rows[c + j - 1] + 1, rows[p + j - 1] + cost);
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1))
        v = Math.min(v, rows[p2 + j - 2] + 1);
      rows[c + j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi + 1 <= n) rows[c + hi + 1] = FAR;
    if (rowMin > max) return max + 1;
    const t = p2;
    p2 = p;
    p = c;
    c = t;
  }
  return rows[p + n];
}

/**
 * The closest candidates to `word`: within a distance that grows with the word's length
 * (1 for short words, about a third of the length for long ones), best first, at most `limit`.
 */
export function closestNames(word: string, candidates: Iterable<string>, limit = 3): string[] {
  const max = Math.max(1, Math.min(4, Math.floor(word.length / 3)));
  const scored: Array<[string, number]> = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c) || c === word) continue;
    seen.add(c);
    const d = editDistance(word.toLowerCase(), c.toLowerCase(), max);
    if (d <= max) scored.push([c, d]);
  }
  scored.sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]));
  return scored.slice(0, limit).map((s) => s[0]);
}

/** ", did you mean `a`?" or "" (for appending to a message). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const best = closestNames(word, candidates, 2);
  if (best.length === 0) return '';
  return `; did you mean ${best.map((b) => '`' + clipWord(b) + '`').join(' or ')}?`;
}
