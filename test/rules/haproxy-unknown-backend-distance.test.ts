/**
 * haproxy/unknown-backend suggests a backend name on every keystroke while a name is typed, with
 * editDistance() of knowledge/suggest.ts (a band around the diagonal on three reused rows, stopping
 * once a name is out of reach). These tests compare it with the plain full table of the same
 * distance, and the suggestion with the sort of every name by that distance that the rule used to
 * make: on random words over small alphabets (many transpositions and repeats) and on the backend
 * names of the corpus, mistyped.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editDistance } from '../../server/src/service/knowledge/suggest';
import { buildHaproxyConfig } from '../../server/src/service/model/haproxy';
import { nearest } from '../../server/src/service/rules/haproxy/unknown-backend';
import { CORPUS, corpusRows } from '../helpers/corpus';
import { need } from '../helpers/needs';

/** Damerau-Levenshtein distance (optimal string alignment), the whole table: the reference. */
function plainDistance(a: string, b: string, max = Infinity): number {
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

/** A small deterministic generator (the same words on every run). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function word(next: () => number, alphabet: string, max: number): string {
  let w = '';
  for (let k = Math.floor(next() * (max + 1)); k > 0; k--) w += alphabet[Math.floor(next() * alphabet.length)];
  return w;
}

/** What the rule did before: every name measured in full, sorted (stably), the first within the threshold. */
function sorted(names: string[], word: string, max: number): { n: string; d: number } | undefined {
  return names
    .map((n) => ({ n, d: plainDistance(n.toLowerCase(), word) }))
    .filter((x) => x.d <= max)
    .sort((a, b) => a.d - b.d)[0];
}

describe('haproxy/unknown-backend: the bounded distance and the suggestion', () => {
  it('editDistance() gives the distance of the full table on random words, for every bound (within the bound; above it, a value above it)', () => {
    const next = random(7);
    const scratch = { rows: new Int32Array(4) };
    let checks = 0;
    for (let k = 0; k < 20_000; k++) {
      const alphabet = k % 3 === 0 ? 'ab' : k % 3 === 1 ? 'abc_' : 'abcdefgh0123';
      const a = word(next, alphabet, 12);
      const b = word(next, alphabet, 12);
      for (const max of [0, 1, 2, 3, 5, Infinity]) {
        // the same distance when it is within the bound; above the bound, both only say so
        const got = editDistance(a, b, max, scratch);
        const want = plainDistance(a, b, max);
        const at = `${JSON.stringify(a)} ${JSON.stringify(b)} max ${max}`;
        if (got <= max || want <= max) assert.equal(got, want, at);
        else assert.ok(got > max && want > max, at);
        checks++;
      }
    }
    assert.ok(checks >= 120_000);
  });

  it('the suggestion is the one the sort by distance gives, on random names and on the corpus backend names mistyped', function () {
    this.timeout(120_000);
    const next = random(11);
    const lists: string[][] = [];
    for (let k = 0; k < 200; k++)
      lists.push(Array.from({ length: 1 + Math.floor(next() * 30) }, () => word(next, 'abcd_1', 9)));
    const rows = corpusRows('haproxy');
    if (rows.length === 0) need(this, 'shared');
    for (const r of rows) {
      const config = buildHaproxyConfig([{ path: '/c.cfg', text: fs.readFileSync(path.join(CORPUS, r.path), 'utf8') }]);
      const names = config.proxies
        .filter((p) => (p.kind === 'backend' || p.kind === 'listen') && p.name)
        .map((p) => p.name!);
      if (names.length) lists.push(names.length > 300 ? names.filter((_, i) => i % 7 === 0) : names);
    }
    let found = 0;
    for (const names of lists) {
      const lower = names.map((n) => n.toLowerCase());
      for (let k = 0; k < 12; k++) {
        // a name with one or two characters changed, dropped, doubled or swapped, or another word
        let w = names[Math.floor(next() * names.length)];
        for (let e = 1 + Math.floor(next() * 2); e > 0 && w.length > 1; e--) {
          const at = Math.floor(next() * (w.length - 1));
          const op = Math.floor(next() * 4);
          w =
            op === 0
              ? w.slice(0, at) + 'x' + w.slice(at + 1)
              : op === 1
                ? w.slice(0, at) + w.slice(at + 1)
                : op === 2
                  ? w.slice(0, at) + w[at] + w.slice(at)
                  : w.slice(0, at) + w[at + 1] + w[at] + w.slice(at + 2);
        }
        if (k % 4 === 3) w = word(next, 'abcd_1', 9);
        const max = Math.max(2, Math.floor(w.length / 4));
        const want = sorted(names, w.toLowerCase(), max);
        assert.deepEqual(nearest(names, lower, w.toLowerCase(), max), want, `${w} among ${names.length} names`);
        if (want) found++;
      }
    }
    assert.ok(found > 500, `${found} suggestions`);
  });
});
