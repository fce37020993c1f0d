/**
 * Word offsets kept as pairs in a typed array (the nginx parser's and the HAProxy lexer's word
 * stores): pair k is [data[2k], data[2k+1]].
 */

/** `data` itself when pair `k` fits, else a copy twice as long. */
export function roomForPair<A extends Int32Array>(data: A, k: number): A {
  if (2 * k + 2 <= data.length) return data;
  const grown = new Int32Array(Math.max(16, data.length * 2));
  grown.set(data);
  return grown as A;
}
