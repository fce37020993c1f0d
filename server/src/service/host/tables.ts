/**
 * Process-wide tables of values that depend only on their key (a duration's milliseconds, a small
 * number for a keyword path, one object for equal facts): bounded, and kept here because only
 * host/ keeps state. Whatever a table holds, every reader gets the same answers (see memo.ts for
 * facts of objects).
 */

/** A map of at most `limit` entries. */
export interface ValueTable<K, V> {
  get(key: K): V | undefined;
  /** Adds an entry; when full, 'clear' empties the table first, 'keep' adds nothing. */
  set(key: K, value: V): void;
}

export function valueTable<K, V>(limit: number, whenFull: 'clear' | 'keep'): ValueTable<K, V> {
  const m = new Map<K, V>();
  return {
    get: (key) => m.get(key),
    set: (key, value) => {
      if (m.size >= limit) {
        if (whenFull === 'keep') return;
        m.clear();
      }
      m.set(key, value);
    },
  };
}

/** Small numbers 0, 1, 2... for pairs of keys, in the order first asked, for at most `limit` pairs (then -1). */
export function pairIds<A, B>(limit: number): (a: A, b: B) => number {
  const ids = new Map<A, Map<B, number>>();
  let count = 0;
  return (a, b) => {
    let m = ids.get(a);
    if (!m) {
      if (count >= limit) return -1;
      ids.set(a, (m = new Map<B, number>()));
    }
    let id = m.get(b);
    if (id === undefined) {
      if (count >= limit) return -1;
      m.set(b, (id = count++));
    }
    return id;
  };
}
