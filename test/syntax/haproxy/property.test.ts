/**
 * Property tests: any input, however broken, parses without throwing, tiles and re-prints
 * exactly, and in time roughly linear in its size.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import fc from 'fast-check';
import { parseHaproxy, statementAt, wordAt } from '../../../server/src/service/syntax/haproxy';
import { assertLossless } from './invariants';
import { need, sharedPath } from '../../helpers/needs';

/** Pieces that stress the HAProxy reader: quotes, escapes, env refs, breaks, NUL, directives. */
const NASTY = [
  'global',
  'defaults',
  'frontend',
  'backend b',
  'listen l from d',
  'peers',
  '[scope]',
  '[',
  ']',
  '.if',
  '.elif',
  '.else',
  '.endif',
  '.notice',
  '.foo',
  'no',
  'default',
  'option',
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\0',
  '\x0b',
  '"',
  "'",
  '\\',
  '\\x',
  '\\x4',
  '\\x41',
  '#',
  '$',
  '${',
  '${A',
  '${A-',
  '}',
  '[*]',
  'é',
  '😀',
  '\ud800',
  'a',
  'server s 1.2.3.4:80',
];

const nastyText = fc.array(fc.constantFrom(...NASTY), { maxLength: 200 }).map((a) => a.join(''));

/**
 * Median CPU time of several runs of f(), in ms. CPU time rather than wall time: the tests share
 * the machine with other work, which only stretches wall time.
 */
function timeIt(f: () => void, runs = 7): number {
  const t: number[] = [];
  for (let k = 0; k < runs; k++) {
    const c0 = process.cpuUsage();
    f();
    const c = process.cpuUsage(c0);
    t.push((c.user + c.system) / 1000);
  }
  t.sort((a, b) => a - b);
  return t[runs >> 1];
}

describe('HAProxy parser properties', function () {
  this.timeout(120_000);

  it('any string: no exception, lossless, exact re-print, diagnostics inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => {
        assertLossless(parseHaproxy(text));
      }),
      { numRuns: 400 },
    );
  });

  it('syntax-shaped junk (quotes, escapes, env refs, directives, NUL, CR): same guarantees', () => {
    fc.assert(
      fc.property(nastyText, (text) => {
        const file = parseHaproxy(text);
        assertLossless(file);
        // Lookups never throw and stay consistent at every offset.
        for (let o = 0; o <= text.length; o += 7) {
          const st = statementAt(file, o);
          if (st) assert.ok(o >= st.line.start && o <= st.line.end);
          const w = wordAt(file, o);
          if (w) assert.ok(o >= w.start && o <= w.end);
        }
      }),
      { numRuns: 400 },
    );
  });

  it('lines of 1 MB parse, including an unbalanced quote and an unterminated ${', () => {
    const big = 'x'.repeat(1 << 20);
    for (const text of [
      `global\n  a ${big}\n`,
      `global\n  a "${big}\n`,
      `global\n  a "\${${big}\n`,
      `${big}`,
      `'${' '.repeat(1 << 20)}`,
    ]) {
      const file = parseHaproxy(text);
      assertLossless(file);
    }
  });

  it('each line with an error yields exactly one diagnostic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('"', "'", '\\x', '"$1"', '"${A"', 'a', ' '), { minLength: 1, maxLength: 12 }),
        (parts) => {
          const text = `global\n  k ${parts.join('')}\n`;
          const file = parseHaproxy(text);
          assert.ok(file.diagnostics.length <= 1, JSON.stringify(file.diagnostics));
          assert.equal(file.lines[1].invalid === true, file.diagnostics.length === 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes time roughly linear in the input size', function () {
    need(this, 'shared');
    const unit =
      fs.readFileSync(sharedPath('corpus/haproxy/exymat/fixtures/golden/test-valid-names.cfg'), 'utf8') +
      'global\n  a "unclosed ${X \\x4\n.if 1\n' +
      `  k ${'w '.repeat(100)}\n`;
    const small = unit.repeat(40);
    const large = unit.repeat(640); // 16x
    parseHaproxy(large); // warm up
    const ts = timeIt(() => parseHaproxy(small));
    const tl = timeIt(() => parseHaproxy(large));
    // Linear would be 16x; quadratic 256x. Allow generous noise on a shared machine.
    assert.ok(tl < Math.max(16 * 6 * ts, 150), `small ${ts.toFixed(1)} ms, 16x larger ${tl.toFixed(1)} ms`);
    // Pathological shapes stay linear too: one huge line of separators, of quotes, of comments.
    for (const piece of [' ', '"', '#', '\\', '${', '.if 1\n', '\n']) {
      const a = piece.repeat(8_000);
      const b = piece.repeat(128_000);
      const ta = timeIt(() => parseHaproxy(a), 3);
      const tb = timeIt(() => parseHaproxy(b), 3);
      assert.ok(
        tb < Math.max(16 * 6 * ta, 200),
        `${JSON.stringify(piece)}: ${ta.toFixed(1)} ms vs ${tb.toFixed(1)} ms`,
      );
    }
  });
});

describe('HAProxy parser throughput', function () {
  this.timeout(120_000);
  it('parses the 24k-line benchmark file (large-valid.cfg) far faster than 5 MB/s of CPU time', function () {
    need(this, 'shared');
    const file = sharedPath('corpus/haproxy/exymat/bench/fixtures/large-valid.cfg');
    const text = fs.readFileSync(file, 'utf8');
    for (let k = 0; k < 3; k++) parseHaproxy(text);
    const ms = timeIt(() => parseHaproxy(text), 9);
    const mbps = Buffer.byteLength(text) / 1e6 / (ms / 1000);
    // The target is 30 MB/s; this floor only catches a gross regression on a busy machine.
    assert.ok(mbps > 5, `${mbps.toFixed(1)} MB/s (${ms.toFixed(1)} ms CPU for ${text.length} bytes)`);
  });
});
