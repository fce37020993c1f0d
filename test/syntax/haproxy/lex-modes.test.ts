/**
 * The parser reads lines in one of three ways (server/src/service/syntax/haproxy/parser.ts,
 * HaproxyLexMode): an ASCII text as bytes in one pass (the default), a text line by line with the
 * lexer's quick paths, or every line with the general lexer alone — the plain character-by-
 * character reading of parse_line(). The three must give the same tree: every line (words with
 * spans, raw text, values and environment references; comment, indent, line break, ignored tail,
 * scope, invalid flag), statement, section, conditional block and diagnostic. Compared here on
 * every HAProxy file of the shared corpus, the 24k-line benchmark file, generated configs,
 * hand-made edge cases and random ASCII texts built from the pieces the byte scanner must tell
 * apart.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  parseHaproxy,
  type HaproxyFile,
  type HaproxyLexMode,
  type HaproxyLine,
} from '../../../server/src/service/syntax/haproxy';
import { asciiBytes } from '../../../server/src/service/syntax/haproxy/intern';
import { generateHaproxy } from '../../../scripts/bench/generate';
import { CORPUS, corpusRows } from '../../helpers/corpus';
import { need } from '../../helpers/needs';

const BENCH_FILE = path.join(CORPUS, 'haproxy/exymat/bench/fixtures/large-valid.cfg');

function parseWith(mode: HaproxyLexMode, text: string): HaproxyFile {
  return parseHaproxy(text, { lexMode: mode });
}

function dumpLine(l: HaproxyLine): unknown {
  return {
    start: l.start,
    end: l.end,
    wordCount: l.wordCount,
    values: Array.from({ length: l.wordCount }, (_, k) => l.wordValue(k)),
    words: l.words.map((w) => ({ start: w.start, end: w.end, raw: w.raw, value: w.value, envRefs: w.envRefs })),
    comment: l.comment,
    indent: l.indent,
    eol: l.eol,
    ignored: l.ignored,
    scope: l.scope,
    invalid: l.invalid,
  };
}

/** Everything the tree says, as plain data (statements read through their own accessors first, lines second). */
function dump(file: HaproxyFile): unknown {
  const condIndex = new Map(file.conditionals.map((c, k) => [c, k]));
  const sectionIndex = new Map(file.sections.map((s, k) => [s, k]));
  const statements = file.statements.map((s) => ({
    keyword: s.keyword,
    modifier: s.modifier,
    wordCount: s.wordCount,
    values: Array.from({ length: s.wordCount }, (_, k) => s.wordValue(k)),
    section: s.section ? sectionIndex.get(s.section) : null,
    conditions: s.conditions.map((c) => condIndex.get(c)),
    line: s.line.start,
    args: s.args.map((w) => [w.start, w.end, w.value]),
  }));
  return {
    statements,
    lines: file.lines.map(dumpLine),
    sections: file.sections.map((s) => ({
      keyword: s.keyword,
      name: s.name,
      nameSpan: s.nameSpan,
      from: s.from,
      fromSpan: s.fromSpan,
      start: s.start,
      end: s.end,
      header: s.header.start,
      headerStatement: file.statements.indexOf(s.headerStatement),
      statements: s.statements.map((st) => file.statements.indexOf(st)),
    })),
    topLevel: file.topLevel.map((st) => file.statements.indexOf(st)),
    conditionals: file.conditionals.map((c) => ({
      directive: c.directive,
      line: c.line.start,
      condition: c.condition,
      previous: c.previous ? condIndex.get(c.previous) : undefined,
    })),
    diagnostics: file.diagnostics,
    lineStarts: file.lineIndex.lineStarts,
  };
}

/** Each statement's section is the one listing it (its header statement included); none before the first. */
function assertSections(file: HaproxyFile, label: string): void {
  for (const s of file.sections) {
    assert.equal(s.headerStatement.section, s, `${label}: header of ${s.keyword} ${s.name}`);
    assert.equal(
      s.header,
      s.headerStatement.line,
      `${label}: the header line of ${s.keyword} ${s.name} is its statement's line`,
    );
    assert.equal(s.header.start, s.start, `${label}: ${s.keyword} ${s.name} starts at its header`);
    for (const st of s.statements)
      assert.equal(st.section, s, `${label}: statement at ${st.line.start} in ${s.keyword} ${s.name}`);
  }
  for (const st of file.topLevel) assert.equal(st.section, null, `${label}: top-level statement at ${st.line.start}`);
  const listed = file.sections.reduce((n, s) => n + 1 + s.statements.length, file.topLevel.length);
  assert.equal(listed, file.statements.length, `${label}: every statement is listed once`);
  // The file's list (made from the sections' lists when first read) against a plain reading of the
  // lines: a statement for every line whose first word is not empty, not a directive and not a scope.
  const expected = file.lines.filter(
    (l) => !l.scope && l.words.length > 0 && l.words[0].value !== '' && !l.words[0].value.startsWith('.'),
  );
  assert.deepStrictEqual(
    file.statements.map((st) => st.line.start),
    expected.map((l) => l.start),
    `${label}: the statements are the keyword lines, in file order`,
  );
  file.statements.forEach((st, k) => assert.equal(st.line, expected[k], `${label}: statement ${k} is on its line`));
}

/** Parses `text` the three ways and asserts the same tree; returns whether the byte scanner read it. */
function compareModes(text: string, label: string): boolean {
  assertSections(parseHaproxy(text), label);
  const general = dump(parseWith('general', text));
  assert.deepStrictEqual(dump(parseWith('text', text)), general, `${label}: line-by-line quick paths vs general lexer`);
  assert.deepStrictEqual(dump(parseWith('bytes', text)), general, `${label}: byte scanner vs general lexer`);
  return asciiBytes(text) !== null;
}

/** The corpus's HAProxy files (paths under CORPUS); fails when the corpus is missing. */
function corpusFiles(): string[] {
  const rows = corpusRows('haproxy');
  if (rows.length === 0) throw new Error(`corpus not found: expected ${path.join(CORPUS, 'MANIFEST.tsv')}`);
  return rows.map((r) => r.path);
}

/** ASCII pieces around every distinction the byte scanner makes. */
const PIECES = [
  'global',
  'defaults',
  'backend b',
  'frontend f',
  'listen l from d',
  'no',
  'default',
  'option',
  'timeout tunnel 1h',
  '.if',
  '.elif',
  '.else',
  '.endif',
  '.notice',
  '.foo',
  '[scope]',
  '[',
  ']',
  ' ',
  '  ',
  '\t',
  '\x0b',
  '\x0c',
  '\n',
  '\r\n',
  '\r',
  '\0',
  '\x01',
  '\x1f',
  '\x7f',
  '"',
  "'",
  '\\',
  '\\ ',
  '#',
  '#"',
  '!',
  '$',
  '%',
  '&',
  '(',
  '*',
  '-',
  '.',
  '/',
  ':',
  '@',
  '{',
  '}',
  '~',
  'a',
  'Z',
  '9',
  '${A}',
  'server s 1.2.3.4:80',
];
const asciiText = fc.array(fc.constantFrom(...PIECES), { maxLength: 120 }).map((a) => a.join(''));

describe('HAProxy parser: the byte scanner, the quick paths and the general lexer read the same tree', function () {
  this.timeout(300_000);

  it('every HAProxy file of the corpus and the 24k-line benchmark file', function () {
    need(this, 'shared');
    const files = corpusFiles();
    assert.ok(files.length > 20, `corpus has ${files.length} HAProxy files`);
    let bytes = 0;
    for (const rel of files) if (compareModes(fs.readFileSync(path.join(CORPUS, rel), 'utf8'), rel)) bytes++;
    assert.ok(bytes > 20, `${bytes} corpus files read by the byte scanner`);
    assert.ok(compareModes(fs.readFileSync(BENCH_FILE, 'utf8'), 'large-valid.cfg'), 'the benchmark file is ASCII');
  });

  it('generated configs and hand-made edge cases (CRLF, stray CR, NUL, odd blanks, comments in words, 64 words, no final newline)', () => {
    compareModes(generateHaproxy(3000), 'generated');
    const cases = [
      '',
      '\n',
      '\r\n',
      '\r',
      'global',
      'global\r',
      'global\n  maxconn 10',
      'global\n  maxconn 10\r',
      'global\n  # c\r',
      'global\n#',
      '#\n',
      '  \r\n',
      '\r  x\n',
      'global\n  a\rb\n',
      'global\n  a\0b c\n',
      'global\n  a#b c\n',
      'global\n  a #\n',
      'global\n\t\x0b\x0ca\x0bb\x0cc\t\n',
      'global\n  a\x01b\n',
      'global\n  a\x7fb\n',
      'global\n  [x]\n',
      '  [sc] # c\n',
      'global\n  a!$%&b (c)*-./:@{}~\n',
      'global\n  a "b c" d\n',
      "global\n  a 'b' c\n",
      'global\n  a\\ b\n',
      'global\n  ' + Array.from({ length: 63 }, (_, k) => `w${k}`).join(' ') + '\n',
      'global\n  ' + Array.from({ length: 64 }, (_, k) => `w${k}`).join(' ') + '\n',
      'global\n  ' + Array.from({ length: 63 }, (_, k) => `w${k}`).join(' ') + ' \n',
      'global\n  ' + Array.from({ length: 63 }, (_, k) => `w${k}`).join(' ') + ' #c\n',
      'global\n  ' + Array.from({ length: 64 }, (_, k) => `w${k}`).join(' ') + ' \n',
      'global\n  ' + Array.from({ length: 64 }, (_, k) => `w${k}`).join(' ') + '\t#c\n',
      'global\n  ' + Array.from({ length: 65 }, (_, k) => `w${k}`).join(' ') + '\n',
      'backend b\n  timeout tunnel 1h\n.if defined(X)\n  no option a\n.else\n  default option b\n.endif\n',
      'defaults d\r\n  mode http\r\nbackend b from d\r\n  server s 1.2.3.4:80\r\n',
      'backend b@d\nfrontend a_very_long_name/with-slash\nlisten "x y"\nbackend ok-name.1:2 from\npeers p!\nfrontend\n',
      'x y\nglobal\n  caf\u00e9 x\n', // not ASCII: read as text by the 'bytes' mode too
    ];
    for (const [k, text] of cases.entries()) compareModes(text, `case ${k} ${JSON.stringify(text.slice(0, 40))}`);
  });

  it("thousands of distinct keywords (the byte scanner's keyword table is smaller: rows whose slot a later row took)", () => {
    // The scanner looks each line's keyword up while reading the bytes, and the parser reads the rows
    // afterwards: a slot taken again by a later line must not lend its keyword to the earlier ones.
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const letters = 'abcdefghijklmnopqrstuvwxyz-._';
    const keywords = Array.from({ length: 3000 }, (_, k) => {
      let w = letters[k % 26];
      const len = 2 + rand(14);
      while (w.length < len) w += letters[rand(letters.length)];
      return w;
    });
    const lines = ['backend b'];
    for (let k = 0; k < keywords.length; k++)
      lines.push(`  ${keywords[k]} x`, `  ${keywords[rand(keywords.length)]} y`);
    lines.push('listen l', ...keywords.map((w) => `    ${w} z # c`), 'frontend f', 'no option x', 'default timeout y');
    compareModes(lines.join('\n') + '\n', 'distinct keywords');
  });

  it('a text of over 4M characters (read from a buffer of its own) and a small one after it', () => {
    let big = generateHaproxy(3000);
    while (big.length <= 1 << 22) big += big.slice(big.indexOf('\nbackend') + 1);
    const bytes = parseWith('bytes', big);
    const text = parseWith('text', big);
    assert.equal(bytes.statements.length, text.statements.length);
    bytes.statements.forEach((st, i) => {
      const other = text.statements[i];
      assert.deepEqual(
        [st.keyword, st.wordCount, st.wordValue(st.wordCount - 1), st.line.start],
        [other.keyword, other.wordCount, other.wordValue(other.wordCount - 1), other.line.start],
      );
    });
    assert.deepStrictEqual(bytes.diagnostics, text.diagnostics);
    compareModes('global\n  maxconn 10\nbackend b\n  server s 1.2.3.4:80 check\n', 'small after big');
  });

  it('random ASCII texts made of the pieces the byte scanner tells apart', () => {
    fc.assert(
      fc.property(asciiText, (text) => {
        compareModes(text, JSON.stringify(text));
      }),
      { numRuns: 1500 },
    );
  });
});
