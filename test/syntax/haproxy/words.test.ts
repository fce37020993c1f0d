/**
 * Word splitting, quoting, escapes, comments and environment references, as HAProxy 2.6's
 * parse_line() (src/tools.c) reads them.
 */
import { strict as assert } from 'node:assert';
import { parseHaproxy, printHaproxy, type HaproxyFile } from '../../../server/src/service/syntax/haproxy';

/** Parses `global\n    <line>\n` and returns the parsed line 1 and the file. */
function one(lineText: string): { file: HaproxyFile; values: string[]; raws: string[] } {
  const file = parseHaproxy(`global\n    ${lineText}\n`);
  const line = file.lines[1];
  return { file, values: line.words.map((w) => w.value), raws: line.words.map((w) => w.raw) };
}

/** Line/character (0-based) of a diagnostic's start and end. */
function where(file: HaproxyFile, code: string): [number, number, number, number] {
  const d = file.diagnostics.find((x) => x.code === code);
  assert.ok(d, `expected a ${code} diagnostic, got ${JSON.stringify(file.diagnostics)}`);
  const r = file.lineIndex.rangeOf(d);
  return [r.start.line, r.start.character, r.end.line, r.end.character];
}

describe('HAProxy words', () => {
  it('splits on blanks (space, tab, vertical tab, form feed) and keeps exact spans', () => {
    const { file, values } = one('log  127.0.0.1:514\tlocal0\x0bnotice\x0cx');
    assert.deepEqual(values, ['log', '127.0.0.1:514', 'local0', 'notice', 'x']);
    for (const w of file.lines[1].words) assert.equal(file.text.slice(w.start, w.end), w.raw);
    assert.equal(file.diagnostics.length, 0);
  });

  it('starts a comment at an unquoted # anywhere, even inside a word', () => {
    const { file, values } = one('maxconn 10#20 more');
    assert.deepEqual(values, ['maxconn', '10']);
    const c = file.lines[1].comment!;
    assert.equal(file.text.slice(c.start, c.end), '#20 more');
  });

  it('does not start a comment at # inside quotes or after a backslash', () => {
    assert.deepEqual(one('a "b#c" \'d#e\' f\\#g').values, ['a', 'b#c', 'd#e', 'f#g']);
    assert.equal(one('a "b#c"').file.lines[1].comment, null);
  });

  it('joins quoted and unquoted parts of one word and allows empty quoted words', () => {
    assert.deepEqual(one('x foo"bar baz"qux \'\' ""').values, ['x', 'foobar bazqux', '', '']);
  });

  it('keeps single-quoted text literal: no escapes, no env expansion', () => {
    assert.deepEqual(one("x '\\x41 $HOME ${X} \\\\'").values, ['x', '\\x41 $HOME ${X} \\\\']);
  });

  it('applies the backslash escapes of HAProxy 2.6 outside single quotes', () => {
    // \<space> \\ \# \' \" \t \n \r \xHH; other sequences keep their backslash.
    assert.deepEqual(one('x a\\ b c\\\\d e\\#f g\\\'h i\\"j').values, ['x', 'a b', 'c\\d', 'e#f', "g'h", 'i"j']);
    assert.deepEqual(one('x \\t\\n\\r \\x41\\x7a \\1 \\q').values, ['x', '\t\n\r', 'Az', '\\1', '\\q']);
    assert.deepEqual(one('x "a\\"b" "c\\\\d" "\\x41"').values, ['x', 'a"b', 'c\\d', 'A']);
  });

  it('escapes $ only inside double quotes', () => {
    const { values, file } = one('x "a\\$b" c\\$d');
    assert.deepEqual(values, ['x', 'a$b', 'c\\$d']);
    assert.equal(file.lines[1].words[1].envRefs, undefined);
  });

  it('keeps environment references literally in the value and lists them', () => {
    const { file, values } = one('x "${HOME}/a" "$USER" "${PORT-8080}" "${LIST[*]}" "${.LINE}" $NOT "${A}${B}"');
    assert.deepEqual(values, ['x', '${HOME}/a', '$USER', '${PORT-8080}', '${LIST[*]}', '${.LINE}', '$NOT', '${A}${B}']);
    const refs = file.lines[1].words.map((w) => w.envRefs ?? []);
    assert.deepEqual(refs, [[], ['HOME'], ['USER'], ['PORT'], ['LIST'], ['.LINE'], [], ['A', 'B']]);
    assert.equal(file.diagnostics.length, 0);
  });

  it('treats a default value of ${VAR-default} verbatim up to the brace', () => {
    // The '"' inside the default does not close the quoted string: the next one does.
    const { values, file } = one('x "${A-b c "d}" e');
    assert.deepEqual(values, ['x', '${A-b c "d}', 'e']);
    assert.deepEqual(file.lines[1].words[1].envRefs, ['A']);
    assert.equal(file.diagnostics.length, 0);
  });

  it('skips leading blanks including a carriage return, and records the indent', () => {
    const file = parseHaproxy('global\n \t\r maxconn 1\n');
    const line = file.lines[1];
    assert.equal(file.text.slice(line.indent.start, line.indent.end), ' \t\r ');
    assert.deepEqual(
      line.words.map((w) => w.value),
      ['maxconn', '1'],
    );
  });

  it('stops reading a line at a stray carriage return right after a word (warning)', () => {
    const file = parseHaproxy('global\n    maxconn 100\r foo bar\n    nbthread 2 \r more\n');
    assert.deepEqual(
      file.lines[1].words.map((w) => w.value),
      ['maxconn', '100'],
    );
    const ig = file.lines[1].ignored!;
    assert.equal(file.text.slice(ig.start, ig.end), '\r foo bar');
    // A carriage return inside a run of blanks is only a blank to parse_line().
    assert.deepEqual(
      file.lines[2].words.map((w) => w.value),
      ['nbthread', '2', 'more'],
    );
    assert.deepEqual(
      file.diagnostics.map((d) => [d.code, d.severity]),
      [['stray-carriage-return', 'warning']],
    );
    assert.equal(printHaproxy(file), file.text);
  });

  it('handles \\r\\n line breaks: the \\r belongs to the line break', () => {
    const file = parseHaproxy('global\r\n    maxconn 1\r\n');
    assert.equal(file.lines.length, 3);
    assert.deepEqual(
      file.lines.map((l) => file.text.slice(l.eol.start, l.eol.end)),
      ['\r\n', '\r\n', ''],
    );
    assert.deepEqual(
      file.lines[1].words.map((w) => w.value),
      ['maxconn', '1'],
    );
    assert.equal(file.diagnostics.length, 0);
  });

  it('accepts 64 words, refuses a 65th and counts trailing blanks as a separator', () => {
    const w63 = Array(63).fill('a').join(' ');
    assert.equal(one(`log-tag ${w63}`).file.diagnostics.length, 0);
    const { file } = one(`log-tag ${w63} `);
    assert.deepEqual(
      file.diagnostics.map((d) => d.code),
      ['too-many-words'],
    );
    const f65 = one(`log-tag ${w63} b`).file;
    assert.deepEqual(where(f65, 'too-many-words'), [1, 4 + 8 + 63 * 2 - 1, 1, 4 + 8 + 63 * 2 + 1]);
  });

  it('parses very long lines (HAProxy grows its line buffer without limit)', () => {
    const long = 'x'.repeat(300_000);
    const { values, file } = one(`log-tag ${long}`);
    assert.equal(values[1].length, 300_000);
    assert.equal(file.diagnostics.length, 0);
  });

  it('treats non-ASCII text as ordinary word characters', () => {
    assert.deepEqual(one('x héllo 😀\u00a0y').values, ['x', 'héllo', '😀\u00a0y']);
  });
});

describe('HAProxy lexical errors: one diagnostic each, precise range, rest parsed', () => {
  it('unterminated double quote: from the quote to the end of the line', () => {
    const file = parseHaproxy('global\n    log-tag "abc def\n    maxconn 5\n');
    assert.deepEqual(where(file, 'unterminated-quote'), [1, 12, 1, 20]);
    assert.equal(file.diagnostics.length, 1);
    assert.equal(file.lines[1].invalid, true);
    assert.deepEqual(
      file.sections[0].statements.map((s) => s.keyword),
      ['log-tag', 'maxconn'],
    );
  });

  it('unterminated single quote, and a quote that stays open across # (no comment)', () => {
    const file = parseHaproxy("global\n  a 'b # c\n");
    assert.deepEqual(where(file, 'unterminated-quote'), [1, 4, 1, 10]);
    assert.equal(file.lines[1].comment, null);
  });

  it('an odd quote inside the other kind is plain text', () => {
    const { file, values } = one(`x "it's" 'say "hi"'`);
    assert.deepEqual(values, ['x', "it's", 'say "hi"']);
    assert.equal(file.diagnostics.length, 0);
  });

  it('bad \\x escape: the backslash and what follows', () => {
    const file = parseHaproxy('global\n  a \\xZ1 b\n  c \\x4\n');
    assert.deepEqual(
      file.diagnostics.map((d) => d.code),
      ['bad-escape', 'bad-escape'],
    );
    const r1 = file.lineIndex.rangeOf(file.diagnostics[0]);
    const r2 = file.lineIndex.rangeOf(file.diagnostics[1]);
    assert.deepEqual(
      [r1.start, r1.end],
      [
        { line: 1, character: 4 },
        { line: 1, character: 6 },
      ],
    );
    assert.deepEqual(
      [r2.start, r2.end],
      [
        { line: 2, character: 4 },
        { line: 2, character: 7 },
      ],
    );
    assert.deepEqual(
      file.lines[1].words.map((w) => w.value),
      ['a', '\\xZ1', 'b'],
    );
  });

  it('forbidden first character of an environment variable: at the $', () => {
    const file = parseHaproxy('global\n  a "x$1y" "^/path$"\n');
    assert.deepEqual(where(file, 'bad-env-name'), [1, 6, 1, 7]);
    assert.equal(file.diagnostics.length, 1, 'first error of the line only, as HAProxy');
    assert.deepEqual(
      file.lines[1].words.map((w) => w.value),
      ['a', 'x$1y', '^/path$'],
    );
  });

  it('unknown internal variable ${.FOO}', () => {
    const file = parseHaproxy('global\n  a "${.FOO}"\n');
    assert.deepEqual(where(file, 'bad-env-name'), [1, 7, 1, 11]);
  });

  it('unmatched brace in ${VAR and ${VAR-default', () => {
    const f1 = parseHaproxy('global\n  a "${HOME"\n');
    assert.deepEqual(where(f1, 'unmatched-brace'), [1, 5, 1, 11]);
    const f2 = parseHaproxy('global\n  a "${HOME-x y"\n');
    assert.deepEqual(where(f2, 'unmatched-brace'), [1, 5, 1, 16]);
  });

  it('invalid word expansion ${VAR[x]}', () => {
    const file = parseHaproxy('global\n  a "${V[x]}"\n');
    assert.deepEqual(where(file, 'bad-word-expansion'), [1, 8, 1, 11]);
  });

  it('a dollar outside double quotes is plain text (no env reference, no error)', () => {
    const { file, values } = one("x $1 ${Y '$Z'");
    assert.deepEqual(values, ['x', '$1', '${Y', '$Z']);
    assert.equal(file.diagnostics.length, 0);
  });

  it('NUL byte: one diagnostic, the rest of the line is ignored, later lines still parsed', () => {
    const file = parseHaproxy('global\n  maxconn 1\0 x\n  nbthread 2\0\n');
    assert.deepEqual(
      file.diagnostics.map((d) => d.code),
      ['nul-character'],
    );
    assert.deepEqual(where(file, 'nul-character'), [1, 11, 1, 12]);
    assert.deepEqual(
      file.lines[2].words.map((w) => w.value),
      ['nbthread', '2'],
    );
  });

  it('missing line feed at the end of the file (HAProxy 2.6 refuses it)', () => {
    const file = parseHaproxy('global\n    maxconn 1');
    assert.deepEqual(where(file, 'missing-final-newline'), [1, 0, 1, 13]);
    assert.equal(parseHaproxy('').diagnostics.length, 0);
    assert.equal(parseHaproxy('global\n').diagnostics.length, 0);
  });
});
