/**
 * The indentation statistics fixes use (fixes/nginx.ts): recounting only the lines around an edit
 * gives what counting the whole edited text gives, whatever the text and the edit.
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import {
  editedIndentStats,
  indentStats,
  indentUnit,
  indentUnitOf,
  type IndentStats,
} from '../../server/src/service/fixes/nginx';

const norm = (s: IndentStats) => ({
  tabs: s.tabs,
  spaceLines: s.spaceLines,
  counts: [...s.counts].filter(([, k]) => k !== 0).sort((a, b) => a[0] - b[0]),
});
const piece = fc.constantFrom(
  ' ',
  '  ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\u2028',
  'x',
  'server {',
  '}',
  ';',
  '    a;',
  '\n  b;\n',
  '\n\tc;',
  '\u00a0',
);
const text = fc.array(piece, { maxLength: 40 }).map((xs) => xs.join(''));

describe('indentation statistics', () => {
  it('editedIndentStats equals counting the edited text again', () => {
    fc.assert(
      fc.property(text, fc.nat(), fc.nat(8), text, (before, at, del, ins) => {
        const lo = at % (before.length + 1);
        const d = Math.min(del, before.length - lo);
        const after = before.slice(0, lo) + ins + before.slice(lo + d);
        const got = editedIndentStats(indentStats(before), before, after, lo, lo + d, lo + ins.length);
        assert.deepEqual(norm(got), norm(indentStats(after)), JSON.stringify({ before, after }));
        assert.equal(indentUnitOf(got), indentUnit(after));
      }),
      { numRuns: 3000 },
    );
  });

  it('tells tabs from spaces and finds the smallest step', () => {
    assert.equal(indentUnit('a {\n\tb;\n\t\tc;\n}\n'), '\t');
    assert.equal(indentUnit('a {\n  b {\n    c;\n  }\n}\n'), '  ');
    assert.equal(indentUnit('a;\n'), '    ');
  });
});
