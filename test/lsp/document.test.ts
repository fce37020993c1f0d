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

  it('keeps a long text in pieces across edits, and hands the lines each edit touches', () => {
    const piecesOf = (d: ServerDocument) => (d as unknown as { chunks: string[] | undefined }).chunks;
    // about 100,000 characters: several pieces, CRLF and LF lines, characters of every width
    const lines = Array.from(
      { length: 6000 },
      (_, i) => `line ${i} café${i % 7 === 0 ? ' 😀' : ''}${i % 5 ? '\n' : '\r\n'}`,
    );
    let text = lines.join('');
    const doc = new ServerDocument('file:///t', 'haproxy', 1, text);
    const edit = (line: number, character: number, endLine: number, endCharacter: number, inserted: string) => {
      const ref = TextDocument.create('file:///t', 'haproxy', 1, text);
      const change = {
        range: { start: { line, character }, end: { line: endLine, character: endCharacter } },
        text: inserted,
      };
      const { offset, deleted, lines: touched } = doc.apply(change);
      TextDocument.update(ref, [change], 2);
      const after = ref.getText();
      assert.equal(text.slice(0, offset) + inserted + text.slice(offset + deleted), after, 'logged edit');
      if (touched) {
        const { start, before, after: made } = touched;
        assert.equal(text.slice(start, start + before.length), before, 'the lines before the edit');
        assert.equal(after.slice(start, start + made.length), made, 'the lines after it');
        assert.ok(start === 0 || text[start - 1] === '\n', 'from a line start');
        assert.ok(start + before.length === text.length || before.endsWith('\n'), 'to a line end');
        assert.ok(start <= offset && offset + deleted <= start + before.length, 'around the edit');
        assert.ok(!before.includes('\r') && !made.includes('\r'), 'without carriage returns');
      }
      text = after;
      assert.equal(doc.getText(), text);
      return touched;
    };
    assert.equal(piecesOf(doc), undefined, 'no pieces before the first range edit');
    assert.ok(edit(1501, 3, 1501, 3, 'x'), 'a line feed line: its lines come along');
    assert.ok((piecesOf(doc)?.length ?? 0) > 3, 'typing: the text is in pieces');
    assert.equal(edit(5, 2, 5, 2, 'y'), undefined, 'a CRLF line: none');
    edit(1501, 4, 1501, 5, '');
    edit(100, 0, 2900, 3, ''); // across most pieces
    edit(10, 1, 10, 1, 'é\t'.repeat(40_000)); // longer than two pieces
    edit(0, 0, 0, 0, '\n');
    edit(12, 2, 12, 2, '\r');
    edit(12, 3, 12, 3, '\n'); // a CR and an LF brought together
    edit(20, 0, 20, 0, 'a😀b');
    sameAnswers(doc, TextDocument.create('file:///t', 'haproxy', 1, text), 'after the edits');
    const lf = Array.from({ length: 50 }, (_, i) => `l${i}`).join('\n');
    const d2 = new ServerDocument('file:///t', 'haproxy', 1, lf);
    assert.deepEqual(
      d2.apply({ range: { start: { line: 49, character: 1 }, end: { line: 49, character: 1 } }, text: 'z' }).lines,
      {
        start: lf.length - 3,
        before: 'l49',
        after: 'lz49',
      },
    );
    assert.deepEqual(
      d2.apply({ range: { start: { line: 0, character: 2 }, end: { line: 1, character: 0 } }, text: '' }).lines,
      {
        start: 0,
        before: 'l0\nl1\n',
        after: 'l0l1\n',
      },
    );
  });

  it('answers like TextDocument after random edits of a text of many pieces', () => {
    const far = fc.record({ line: fc.integer({ min: -1, max: 4100 }), character: fc.integer({ min: -1, max: 12 }) });
    const farChange = fc.record({ range: fc.record({ start: far, end: far }), text: textArb });
    const big = fc.array(piece, { minLength: 20_000, maxLength: 30_000 }).map((xs) => xs.join(''));
    fc.assert(
      fc.property(big, fc.array(farChange, { maxLength: 12 }), (initial, changes) => {
        const ours = new ServerDocument('file:///t', 'haproxy', 1, initial);
        let text = initial;
        changes.forEach((change, i) => {
          const ref = TextDocument.create('file:///t', 'haproxy', i + 1, text);
          const { offset, deleted, lines } = ours.apply(change);
          TextDocument.update(ref, [change], i + 2);
          const after = ref.getText();
          assert.equal(text.slice(0, offset) + change.text + text.slice(offset + deleted), after, `change ${i}`);
          if (lines) {
            assert.equal(text.slice(lines.start, lines.start + lines.before.length), lines.before);
            assert.equal(after.slice(lines.start, lines.start + lines.after.length), lines.after);
          }
          text = after;
          assert.equal(ours.getText(), text, `change ${i}: text`);
        });
        sameAnswers(ours, TextDocument.create('file:///t', 'haproxy', 99, text), 'at the end');
      }),
      { numRuns: 15 },
    );
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
