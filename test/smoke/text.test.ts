import { strict as assert } from 'node:assert';
import { LineIndex } from '../../server/src/service/text';

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
  it('counts characters in UTF-16 code units as LSP does', () => {
    const idx = new LineIndex('a😀b');
    assert.deepEqual(idx.positionAt(3), { line: 0, character: 3 });
  });
});
