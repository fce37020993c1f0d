/** "Did you mean" suggestions by edit distance. */
import { clipWord } from '../words';

/** Damerau-Levenshtein distance (optimal string alignment), bounded: returns > max when farther. */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prev2: number[] = [];
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
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
