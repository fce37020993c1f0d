/** Structural checks shared by the HAProxy parser tests. */
import { strict as assert } from 'node:assert';
import { printHaproxy, type HaproxyFile } from '../../../server/src/service/syntax/haproxy';

const BLANK = /^[ \t\n\v\f\r]*$/;

/**
 * Lines and line breaks tile the text; inside a line, indent, words, blanks, comment and
 * ignored tail tile it; every span is in order and quoted exactly; the print is exact.
 */
export function assertLossless(file: HaproxyFile, label = ''): void {
  const text = file.text;
  assert.ok(file.lines.length >= 1, `${label}: at least one line`);
  let at = 0;
  for (let k = 0; k < file.lines.length; k++) {
    const line = file.lines[k];
    const where = `${label}: line ${k + 1}`;
    assert.equal(line.start, at, `${where} starts where the previous one ended`);
    assert.equal(line.indent.start, line.start, where);
    assert.ok(line.indent.end <= line.end, where);
    assert.ok(BLANK.test(text.slice(line.indent.start, line.indent.end)), `${where}: indent is blank`);
    assert.equal(line.eol.start, line.end, where);
    const eol = text.slice(line.eol.start, line.eol.end);
    if (k === file.lines.length - 1) assert.equal(eol, '', `${where}: last line has no break`);
    else assert.ok(eol === '\n' || eol === '\r\n', `${where}: break is \\n or \\r\\n, got ${JSON.stringify(eol)}`);
    let p = line.indent.end;
    for (const w of line.words) {
      assert.ok(
        w.start >= p && w.end > w.start && w.end <= line.end,
        `${where}: word ${JSON.stringify(w.raw)} in order`,
      );
      assert.ok(BLANK.test(text.slice(p, w.start)), `${where}: only blanks between words`);
      assert.equal(text.slice(w.start, w.end), w.raw, `${where}: raw text`);
      p = w.end;
    }
    const tail = line.comment ?? line.ignored;
    if (tail) {
      assert.ok(tail.start >= p && tail.end === line.end, `${where}: comment/ignored tail ends the line`);
      assert.ok(BLANK.test(text.slice(p, tail.start)), where);
      if (line.comment) assert.equal(text[line.comment.start], '#', where);
    } else {
      assert.ok(BLANK.test(text.slice(p, line.end)), `${where}: only blanks after the last word`);
    }
    at = line.eol.end;
  }
  assert.equal(at, text.length, `${label}: lines cover the whole text`);
  assert.equal(printHaproxy(file), text, `${label}: exact re-print`);

  for (const st of file.statements) {
    assert.equal(st.keyword, st.line.words[0].value);
    assert.deepEqual(st.args, st.line.words.slice(1));
  }
  for (const s of file.sections) {
    assert.ok(s.start === s.header.start && s.end >= s.header.end && s.end <= text.length, `${label}: section span`);
  }
  for (let k = 1; k < file.sections.length; k++) {
    assert.ok(file.sections[k].start > file.sections[k - 1].end, `${label}: sections do not overlap`);
  }
  for (const d of file.diagnostics) {
    assert.ok(
      d.start >= 0 && d.end >= d.start && d.end <= text.length,
      `${label}: diagnostic span ${JSON.stringify(d)}`,
    );
  }
}
