import { strict as assert } from 'assert';
import * as fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ServerDocument, lineStartsOf } from '../../server/src/lsp/document';

// The server's document must answer exactly as the library's TextDocument does (the LSP client and
// the server must agree on every position), while computing its line table differently.

const piece = fc.constantFrom('a', 'bc', ' ', '\n', '\r', '\r\n', '\n\n', '😀', 'é', '\t# x');
const textArb = fc.array(piece, { maxLength: 30 }).map((xs) => xs.join(''));
const positionArb = fc.record({ line: fc.integer({ min: -1, max: 14 }), character: fc.integer({ min: -1, max: 12 }) });
type Change =
  | { range: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }
  | { text: string }
  | { whole: true; text: string };
const changeArb: fc.Arbitrary<Change> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ range: fc.record({ start: positionArb, end: positionArb }), text: textArb }) },
  { weight: 1, arbitrary: fc.record({ text: textArb }) },
  { weight: 1, arbitrary: fc.record({ whole: fc.constant(true as const), text: textArb }) },
);

function sameAnswers(ours: ServerDocument, ref: TextDocument, label: string) {
  const text = ref.getText();
  assert.equal(ours.getText(), text, `${label}: text`);
  assert.equal(ours.lineCount, ref.lineCount, `${label}: lineCount`);
  for (let o = -1; o <= text.length + 1; o++)
    assert.deepEqual(ours.positionAt(o), ref.positionAt(o), `${label}: positionAt(${o})`);
  for (let line = -1; line <= ref.lineCount + 1; line++) {
    assert.deepEqual(ours.getLineRange(line), ref.getLineRange(line), `${label}: getLineRange(${line})`);
    assert.equal(ours.getEOLCharacters(line), ref.getEOLCharacters(line), `${label}: getEOLCharacters(${line})`);
    for (let character = -1; character <= 12; character++) {
      assert.equal(
        ours.offsetAt({ line, character }),
        ref.offsetAt({ line, character }),
        `${label}: offsetAt(${line}:${character})`,
      );
    }
  }
}

describe('ServerDocument (the server’s open documents)', () => {
  it('finds the same line starts as the library for every kind of line break', () => {
    for (const t of ['', 'a', '\n', '\r', '\r\n', 'a\r\nb\rc\nd', '\n\r', '\r\r\n\n', 'x😀\ny']) {
      const ref = TextDocument.create('file:///t', 'haproxy', 1, t);
      const starts = lineStartsOf(t, 0, true);
      assert.equal(starts.length, ref.lineCount, JSON.stringify(t));
      starts.forEach((s, line) =>
        assert.equal(s, ref.offsetAt({ line, character: 0 }), `${JSON.stringify(t)} line ${line}`),
      );
    }
  });

  it('answers every position, offset and line like TextDocument after random edit sequences', () => {
    fc.assert(
      fc.property(
        textArb,
        fc.array(changeArb, { maxLength: 8 }),
        fc.array(fc.boolean(), { maxLength: 8 }),
        (initial, changes, peeks) => {
          const ours = new ServerDocument('file:///t', 'haproxy', 1, initial);
          changes.forEach((c, i) => {
            // Sometimes read a position first, so both the eager (line table kept up to date) and the
            // lazy (line table dropped, counted again) paths are taken.
            if (peeks[i]) ours.positionAt(0);
            const before = ours.getText();
            // The reference applies the change to a library document made from the text before it:
            // the library's own update leaves a wrong line table after a range past the last line (a
            // sparse array), which would spoil every later comparison.
            const ref = TextDocument.create('file:///t', 'haproxy', i + 1, before);
            const change =
              'whole' in c
                ? { range: { start: { line: 0, character: 0 }, end: ref.positionAt(before.length) }, text: c.text }
                : c;
            const { offset, deleted } = ours.apply(change);
            TextDocument.update(ref, [change], i + 2);
            // The edit the server logs rebuilds the new text from the old one.
            assert.equal(
              before.slice(0, offset) + change.text + before.slice(offset + deleted),
              ours.getText(),
              `change ${i}: logged edit`,
            );
            assert.equal(ours.getText(), ref.getText(), `change ${i}: text`);
            sameAnswers(
              ours,
              TextDocument.create('file:///t', 'haproxy', i + 2, ref.getText()),
              `after change ${i} ${JSON.stringify(change)}`,
            );
          });
        },
      ),
      { numRuns: 400 },
    );
  });

  it('gives the same texts when edits follow one another with no position asked in between (walked, then counted once)', () => {
    fc.assert(
      fc.property(textArb, fc.array(changeArb, { maxLength: 10 }), (initial, changes) => {
        const ours = new ServerDocument('file:///t', 'haproxy', 1, initial);
        let text = initial;
        changes.forEach((c, i) => {
          const ref = TextDocument.create('file:///t', 'haproxy', i + 1, text);
          const change =
            'whole' in c
              ? { range: { start: { line: 0, character: 0 }, end: ref.positionAt(text.length) }, text: c.text }
              : c;
          const { offset, deleted } = ours.apply(change);
          TextDocument.update(ref, [change], i + 2);
          assert.equal(
            text.slice(0, offset) + change.text + text.slice(offset + deleted),
            ref.getText(),
            `change ${i}: logged edit`,
          );
          text = ref.getText();
          assert.equal(ours.getText(), text, `change ${i}: text`);
        });
        sameAnswers(ours, TextDocument.create('file:///t', 'haproxy', 99, text), 'at the end');
      }),
      { numRuns: 600 },
    );
  });

  it('walks to the lines of the first edit after a whole replacement and counts the lines at the second (typing)', () => {
    const lines = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const doc = new ServerDocument('file:///t', 'haproxy', 1, 'x');
    const starts = () => (doc as unknown as { starts: number[] | undefined }).starts;
    doc.apply({ text: lines });
    doc.apply({ range: { start: { line: 30, character: 2 }, end: { line: 30, character: 2 } }, text: 'a' });
    assert.equal(starts(), undefined, 'one edit after a reload does not count every line');
    doc.apply({ range: { start: { line: 30, character: 3 }, end: { line: 30, character: 3 } }, text: 'b' });
    assert.ok(starts(), 'typing on: the line table is built once and kept up to date');
    doc.apply({ range: { start: { line: 31, character: 0 }, end: { line: 31, character: 0 } }, text: 'c' });
    assert.ok(starts(), 'and kept');
    assert.equal(doc.getText().split('\n')[30], 'liabne 30');
    assert.equal(doc.getText().split('\n')[31], 'cline 31');
  });

  it('types through its byte copy while every character is below 256, grows it, and leaves it for a wider character', () => {
    const bytesOf = (d: ServerDocument) => (d as unknown as { bytes: Buffer | undefined }).bytes;
    let text = Array.from({ length: 200 }, (_, i) => `line ${i} café\r\n`).join('');
    const doc = new ServerDocument('file:///t', 'haproxy', 1, text);
    const edit = (line: number, character: number, deleted: number, inserted: string) => {
      const ref = TextDocument.create('file:///t', 'haproxy', 1, text);
      const change = {
        range: { start: { line, character }, end: { line, character: character + deleted } },
        text: inserted,
      };
      doc.apply(change);
      TextDocument.update(ref, [change], 2);
      text = ref.getText();
      assert.equal(doc.getText(), text);
    };
    edit(10, 2, 0, 'a');
    assert.equal(bytesOf(doc), undefined, 'not for the first edit after the text came');
    edit(10, 3, 0, 'b');
    const first = bytesOf(doc);
    assert.ok(first, 'typing: the byte copy is made');
    edit(10, 3, 1, '');
    edit(199, 0, 0, 'é\t'.repeat(5000)); // more than the copy's room: it grows
    assert.ok(bytesOf(doc) && bytesOf(doc) !== first && bytesOf(doc)!.length >= text.length);
    edit(0, 0, 3, '');
    edit(5, 1, 0, 'x\r\ny');
    assert.equal(bytesOf(doc)!.toString('latin1', 0, text.length), text, 'the copy holds the text');
    sameAnswers(doc, TextDocument.create('file:///t', 'haproxy', 1, text), 'after typing through the byte copy');
    edit(7, 0, 0, '😀');
    assert.equal(bytesOf(doc), undefined, 'a character above 255 ends the byte copy');
    edit(7, 0, 0, 'z');
    edit(7, 0, 0, 'z');
    assert.equal(bytesOf(doc), undefined);
    sameAnswers(doc, TextDocument.create('file:///t', 'haproxy', 1, text), 'after the wide character');
    const wide = new ServerDocument('file:///t', 'haproxy', 1, 'a😀\nb\n');
    wide.apply({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'c' });
    wide.apply({ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'd' });
    assert.equal(bytesOf(wide), undefined, 'a text with a wide character is never copied to bytes');
    assert.equal(wide.getText(), 'a😀\ndcb\n');
  });

  it('drops its line table when the whole text is replaced, and counts it again when asked', () => {
    const doc = new ServerDocument('file:///t', 'haproxy', 1, 'a\nb\n');
    assert.equal(doc.lineCount, 3);
    const r = doc.apply({
      range: { start: { line: 0, character: 0 }, end: { line: 3, character: 0 } },
      text: 'x\r\ny\rz',
    });
    assert.deepEqual(r, { offset: 0, deleted: 4 });
    assert.equal(
      (doc as unknown as { starts: unknown }).starts,
      undefined,
      'no line table built for a whole replacement',
    );
    assert.deepEqual(doc.positionAt(6), { line: 2, character: 1 });
  });
});
