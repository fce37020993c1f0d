import { strict as assert } from 'node:assert';
import * as fc from 'fast-check';
import { LineIndex } from '../../server/src/service/text';

/** Every answer of `idx` equals a fresh index's of the same text. */
function sameAsFresh(idx: LineIndex, label: string): void {
  const fresh = new LineIndex(idx.text);
  assert.equal(idx.lineCount, fresh.lineCount, label);
  for (let o = -1; o <= idx.text.length + 1; o++) {
    assert.deepEqual(idx.positionAt(o), fresh.positionAt(o), `${label}: positionAt(${o})`);
    if (o >= 0 && o <= idx.text.length)
      assert.equal(idx.lineTextAt(o), fresh.lineTextAt(o), `${label}: lineTextAt(${o})`);
  }
  for (let line = -1; line <= fresh.lineCount; line++)
    for (let character = 0; character < 8; character++)
      assert.equal(
        idx.offsetAt({ line, character }),
        fresh.offsetAt({ line, character }),
        `${label}: offsetAt(${line}:${character})`,
      );
}

describe('LineIndex', () => {
  it('maps offsets to positions across \\n, \\r\\n and \\r line breaks and back', () => {
    const text = 'ab\ncd\r\nef\rg';
    const idx = new LineIndex(text);
    assert.equal(idx.lineCount, 4);
    assert.deepEqual(idx.positionAt(text.indexOf('d')), { line: 1, character: 1 });
    assert.deepEqual(idx.positionAt(text.indexOf('g')), { line: 3, character: 0 });
    for (let o = 0; o <= text.length; o++) {
      const p = idx.positionAt(o);
      // offsets inside a \r\n pair map to the end of the line, so only check round trip outside it
      if (!(text[o - 1] === '\r' && text[o] === '\n')) assert.equal(idx.offsetAt(p), o);
    }
  });
  it('finds the same line starts in a text of LF breaks only as with a CR in it', () => {
    for (const text of ['', 'a', '\n', '\n\n', 'ab\ncd', 'ab\ncd\n', '\nab\n\ncd\n\n', 'x\n'.repeat(1000)]) {
      // the same text with a CR at the end takes the character-by-character reading
      const withCr = new LineIndex(text + '\r').lineStarts;
      assert.deepEqual(new LineIndex(text).lineStarts, withCr.slice(0, -1), JSON.stringify(text.slice(0, 20)));
      const starts = [0];
      for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
      assert.deepEqual(new LineIndex(text).lineStarts, starts);
    }
  });

  it('counts characters in UTF-16 code units as LSP does', () => {
    const idx = new LineIndex('a😀b');
    assert.deepEqual(idx.positionAt(3), { line: 0, character: 3 });
  });

  it('shifted(): an index after edits that add no line break answers as a fresh one, and the old index is left as it was', () => {
    const lineArb = fc.array(fc.constantFrom('a', 'b ', '\t', '😀', 'é'), { maxLength: 6 }).map((xs) => xs.join(''));
    const breakArb = fc.constantFrom('\n', '\r\n', '\r');
    const textArb = fc
      .array(fc.tuple(lineArb, breakArb), { minLength: 1, maxLength: 8 })
      .chain((ls) => lineArb.map((last) => ls.map(([l, b]) => l + b).join('') + last));
    const editArb = fc.record({ line: fc.nat(10), at: fc.nat(8), deleted: fc.nat(3), inserted: lineArb });
    fc.assert(
      fc.property(textArb, fc.array(editArb, { maxLength: 8 }), (text0, edits) => {
        const chain: LineIndex[] = [new LineIndex(text0)];
        for (const e of edits) {
          const idx = chain[chain.length - 1];
          const line = e.line % idx.lineCount;
          const start = idx.offsetAt({ line, character: 0 });
          const end = start + idx.lineTextAt(start).length; // before the line break
          const a = Math.min(start + e.at, end);
          const b = Math.min(a + e.deleted, end);
          const next = idx.text.slice(0, a) + e.inserted + idx.text.slice(b);
          // Only edits that add or join no line break (a lone CR before an LF would).
          if (/[\r\n]/.test(e.inserted) || (next[a - 1] === '\r' && next[a + e.inserted.length] === '\n' && b > a))
            continue;
          chain.push(idx.shifted(next, line, e.inserted.length - (b - a)));
        }
        chain.forEach((idx, i) => sameAsFresh(idx, `index ${i} of ${chain.length}`));
        // Reading lineStarts of a shifted index copies them once; answers stay the same.
        const last = chain[chain.length - 1];
        assert.deepEqual(last.lineStarts, new LineIndex(last.text).lineStarts);
        sameAsFresh(last, 'after lineStarts was read');
      }),
      { numRuns: 400 },
    );
  });
});
