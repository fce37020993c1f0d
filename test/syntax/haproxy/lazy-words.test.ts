/**
 * The parser keeps words as offsets and builds their objects (and reads their values) only when
 * asked (server/src/service/syntax/haproxy/lexer.ts, WordStore and Line). These tests read every
 * line of the shared corpus and of generated configs with a straightforward reference — HAProxy
 * 2.6's parse_line() rules applied character by character, written here independently of the
 * lexer — and compare every word's span, raw text, value and environment references, every
 * comment, indent and line break, read both through the lazy accessors (wordCount, wordValue)
 * and through the built word objects, before and after the line was moved by an edit.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHaproxy, type HaproxyFile, type HaproxyLine } from '../../../server/src/service/syntax/haproxy';
import { reparseHaproxyLine } from '../../../server/src/service/syntax/haproxy/incremental';
import { HaproxyTree } from '../../../server/src/service/syntax/haproxy/nodes';
import { generateHaproxy } from '../../../scripts/bench/generate';
import { CORPUS, corpusRows } from '../../helpers/corpus';
import { need } from '../../helpers/needs';

interface RefWord {
  start: number;
  end: number;
  value: string;
  envRefs: string[];
}
interface RefLine {
  start: number;
  /** End of the line's content (before "\r\n" or "\n"). */
  end: number;
  eolEnd: number;
  indentEnd: number;
  words: RefWord[];
  commentStart: number;
  /** Something the reference does not model (a lexical error, NUL, stray CR, a [scope]): only spans are compared. */
  exotic: boolean;
}

const BLANK = ' \t\v\f';
const NAME_START = /[A-Za-z_.]/;
const NAME_CHAR = /[A-Za-z0-9_]/;

/** One line, read as parse_line() reads it (src/tools.c, HAProxy 2.6; see the lexer's header). */
function referenceLine(text: string, start: number, end: number, eolEnd: number): RefLine {
  let i = start;
  while (i < end && (BLANK.includes(text[i]) || text[i] === '\r')) i++;
  const line: RefLine = { start, end, eolEnd, indentEnd: i, words: [], commentStart: -1, exotic: false };
  if (text[i] === '[' && i < end) {
    line.exotic = true;
    return line;
  }
  let sq = false;
  let dq = false;
  let seps = 0;
  let cur: RefWord | null = null;
  while (i < end) {
    const ch = text[i];
    if (ch === '\0' || ch === '\r') {
      line.exotic = true;
      break;
    }
    if (!sq && !dq && ch === '#') {
      line.commentStart = i;
      break;
    }
    if (!sq && !dq && BLANK.includes(ch)) {
      if (cur) {
        cur.end = i;
        line.words.push(cur);
        cur = null;
      }
      while (i < end && BLANK.includes(text[i])) i++;
      seps++;
      continue;
    }
    cur ??= { start: i, end: i, value: '', envRefs: [] };
    if (ch === '"' && !sq) {
      dq = !dq;
      i++;
    } else if (ch === "'" && !dq) {
      sq = !sq;
      i++;
    } else if (ch === '\\' && !sq) {
      const n = i + 1 < end ? text[i + 1] : '';
      const simple: Record<string, string> = {
        ' ': ' ',
        '\\': '\\',
        t: '\t',
        n: '\n',
        r: '\r',
        '#': '#',
        "'": "'",
        '"': '"',
      };
      if (n in simple && n !== '') {
        cur.value += simple[n];
        i += 2;
      } else if (n === '$' && dq) {
        cur.value += '$';
        i += 2;
      } else if (n === 'x') {
        const hex = text.slice(i + 2, Math.min(i + 4, end));
        if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
          line.exotic = true;
          break;
        }
        cur.value += String.fromCharCode(parseInt(hex, 16));
        i += 4;
      } else {
        cur.value += '\\';
        i++;
      }
    } else if (ch === '$' && dq) {
      // ${NAME}, ${NAME[*]}, ${NAME-default}, $NAME: kept literally, the name listed.
      let j = i + 1;
      const brace = text[j] === '{';
      if (brace) j++;
      if (j >= end || !NAME_START.test(text[j])) {
        line.exotic = true;
        break;
      }
      const nameStart = j;
      if (text[j] === '.') j++;
      while (j < end && NAME_CHAR.test(text[j])) j++;
      const name = text.slice(nameStart, j);
      if (name.startsWith('.') && !['.LINE', '.FILE', '.SECTION'].includes(name)) {
        line.exotic = true;
        break;
      }
      if (brace) {
        if (text[j] === '[') {
          if (text.slice(j, j + 3) !== '[*]' || j + 3 > end) {
            line.exotic = true;
            break;
          }
          j += 3;
        }
        if (text[j] === '-') while (j < end && text[j] !== '}') j++;
        if (j >= end || text[j] !== '}') {
          line.exotic = true;
          break;
        }
        j++;
      }
      cur.value += text.slice(i, j);
      cur.envRefs.push(name);
      i = j;
    } else {
      cur.value += ch;
      i++;
    }
  }
  if (cur) {
    cur.end = line.commentStart >= 0 ? line.commentStart : i;
    line.words.push(cur);
  }
  if (sq || dq || seps >= 64) line.exotic = true;
  return line;
}

function referenceLines(text: string): RefLine[] {
  const out: RefLine[] = [];
  let pos = 0;
  for (;;) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) {
      out.push(referenceLine(text, pos, text.length, text.length));
      return out;
    }
    const end = nl > pos && text[nl - 1] === '\r' ? nl - 1 : nl;
    out.push(referenceLine(text, pos, end, nl + 1));
    pos = nl + 1;
  }
}

/** The line's words read through wordCount/wordValue (without building them), then built. */
function compareLine(file: HaproxyFile, line: HaproxyLine, ref: RefLine, where: string, lazyFirst: boolean): void {
  const text = file.text;
  assert.equal(line.start, ref.start, `${where}: start`);
  assert.equal(line.end, ref.end, `${where}: end`);
  assert.deepEqual([line.indent.start, line.indent.end], [ref.start, ref.indentEnd], `${where}: indent`);
  assert.deepEqual([line.eol.start, line.eol.end], [ref.end, ref.eolEnd], `${where}: line break`);
  if (ref.exotic) {
    // Only what holds for any line: words in order, their raw text is the text they span.
    for (const w of line.words) assert.equal(w.raw, text.slice(w.start, w.end), `${where}: raw`);
    assert.equal(line.wordCount, line.words.length, `${where}: wordCount`);
    for (let k = 0; k < line.wordCount; k++)
      assert.equal(line.wordValue(k), line.words[k].value, `${where}: wordValue(${k})`);
    return;
  }
  if (ref.commentStart >= 0)
    assert.deepEqual(
      line.comment && [line.comment.start, line.comment.end],
      [ref.commentStart, ref.end],
      `${where}: comment`,
    );
  else assert.equal(line.comment, null, `${where}: no comment`);
  assert.equal(line.wordCount, ref.words.length, `${where}: wordCount`);
  if (lazyFirst) {
    for (let k = 0; k < ref.words.length; k++)
      assert.equal(line.wordValue(k), ref.words[k].value, `${where}: wordValue(${k}) before the words are built`);
  }
  const words = line.words;
  assert.equal(line.words, words, `${where}: the words are built once`);
  assert.equal(words.length, ref.words.length, `${where}: word count`);
  for (let k = 0; k < words.length; k++) {
    const w = words[k];
    const r = ref.words[k];
    const at = `${where}, word ${k + 1} ${JSON.stringify(text.slice(r.start, r.end))}`;
    assert.deepEqual([w.start, w.end], [r.start, r.end], `${at}: span`);
    assert.equal(w.raw, text.slice(r.start, r.end), `${at}: raw`);
    assert.equal(w.value, r.value, `${at}: value`);
    assert.deepEqual(w.envRefs ?? [], r.envRefs, `${at}: environment references`);
    assert.equal(line.wordValue(k), r.value, `${at}: wordValue after the words are built`);
  }
}

function compareFile(text: string, label: string): void {
  const refs = referenceLines(text);
  // Two parses: one read through the lazy accessors first, one whose words are built first.
  for (const lazyFirst of [true, false]) {
    const file = parseHaproxy(text);
    if (lazyFirst) {
      // statements read through their own accessors before any line object exists
      for (const st of file.statements) {
        const count = st.wordCount;
        const values = Array.from({ length: count }, (_, k) => st.wordValue(k));
        const ref = refs[file.lineIndex.positionAt(st.line.start).line]; // (builds the line)
        assert.equal(count, ref.words.length, `${label}: statement wordCount`);
        if (!ref.exotic)
          assert.deepEqual(
            values,
            ref.words.map((w) => w.value),
            `${label}: statement wordValue`,
          );
      }
    }
    assert.equal(file.lines.length, refs.length, `${label}: line count`);
    for (let k = 0; k < refs.length; k++) compareLine(file, file.lines[k], refs[k], `${label}:${k + 1}`, lazyFirst);
    for (const st of file.statements) {
      assert.equal(st.keyword, st.line.words[0].value, `${label}: keyword`);
      assert.equal(st.args.length, st.line.words.length - 1, `${label}: args`);
      st.args.forEach((a, k) => assert.equal(a, st.line.words[k + 1], `${label}: args are the line's word objects`));
      assert.equal(st.args, st.args, `${label}: args are built once`);
    }
  }
}

/** The corpus's HAProxy files (paths under CORPUS); fails when the corpus is missing. */
function corpusFiles(): string[] {
  const rows = corpusRows('haproxy');
  if (rows.length === 0) throw new Error(`corpus not found: expected ${path.join(CORPUS, 'MANIFEST.tsv')}`);
  return rows.map((r) => r.path);
}

describe('HAProxy lazy words against a reference reading', () => {
  it('the reference reads quotes, escapes and environment references as the word tests expect', () => {
    const text = 'x a\\ b "c d"e \'f $G\' "${H-i j}" "$K" \\x41 y#z\n';
    const [line] = referenceLines(text);
    assert.deepEqual(
      line.words.map((w) => w.value),
      ['x', 'a b', 'c de', 'f $G', '${H-i j}', '$K', 'A', 'y'],
    );
    assert.deepEqual(
      line.words.map((w) => w.envRefs),
      [[], [], [], [], ['H'], ['K'], [], []],
    );
    assert.equal(text.slice(line.commentStart, line.end), '#z');
  });

  it('every line of every HAProxy file of the corpus', function () {
    this.timeout(120000);
    need(this, 'shared');
    const files = corpusFiles();
    assert.ok(files.length > 20, `corpus has ${files.length} HAProxy files`);
    let words = 0;
    let special = 0;
    for (const rel of files) {
      const text = fs.readFileSync(path.join(CORPUS, rel), 'utf8');
      compareFile(text, rel);
      for (const l of referenceLines(text)) {
        words += l.words.length;
        special += l.words.filter((w) => w.value !== text.slice(w.start, w.end)).length;
      }
    }
    // both kinds of word are exercised: plain ones and ones whose value differs from the text
    assert.ok(words > 10000 && special > 50, `${words} words, ${special} with quotes or escapes`);
  });

  it('generated configs, and lines with quotes, escapes, env references, CRLF and odd blanks', () => {
    compareFile(generateHaproxy(3000), 'generated');
    compareFile(
      [
        'global',
        '\tlog "${LOG_HOST-127.0.0.1}:514" local0   # trailing comment',
        '  setenv A \'x y\'"z"\\ w',
        '\x0b\x0cmaxconn\x0b10\x0c',
        '  description caf\u00e9 \u{1F600} na\u00efve',
        '  x a#b "c#d" \'e#f\' g\\#h',
        'defaults\r',
        '  mode http\r',
        '  timeout client 5s\t\t',
        '#',
        '   ',
        '',
        'backend b',
        '  http-request set-header X-A "${A}${B}" if { path_beg "/a b" }',
        '  server s 127.0.0.1:80 check',
        // lines split by spaces only, next to lines that are not (the lexer remembers where the
        // next quote, tab, '#' and space are across lines)
        '  a "q"',
        '  b c#"not a quote" \'nor this\'',
        '  d    e  ',
        '  f\tg h',
        '#x y',
        'nospace',
        '  h#',
        '  ' + Array.from({ length: 63 }, (_, k) => `w${k}`).join(' '),
        '  ' + Array.from({ length: 64 }, (_, k) => `w${k}`).join(' '),
        '  ' + Array.from({ length: 63 }, (_, k) => `w${k}`).join(' ') + ' ',
        '  i j',
      ].join('\n') + '\n',
      'synthetic',
    );
    compareFile('global\nnospaces\nat\nall\n#c\n', 'no spaces');
    compareFile('global\r\n  a b\r\n  c "d e"\r\n  f g\r\n', 'CRLF');
  });

  it('a sequence of edits on a tree whose lines were never all read (rows moved, some lines built in between) reads as a fresh parse', () => {
    let cur = generateHaproxy(800).replace(
      '    maxconn 100000\n',
      '    maxconn 100000\n    log "127.0.0.1:514" local0 # quoted\n',
    );
    let tree = parseHaproxy(cur);
    let seed = 20261125;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let incremental = 0;
    for (let step = 0; step < 120; step++) {
      // a character typed at the end of a random word, or the last character of a word deleted
      const st = tree.statements[rand(tree.statements.length)];
      const j = rand(st.wordCount);
      const w = st.line.words[j];
      const insert = step % 3 !== 2 || w.end - w.start < 2;
      const edit = insert
        ? { offset: w.end, deleted: 0, inserted: 'z' }
        : { offset: w.end - 1, deleted: 1, inserted: '' };
      const next = cur.slice(0, edit.offset) + edit.inserted + cur.slice(edit.offset + edit.deleted);
      const change = reparseHaproxyLine(tree, next, edit);
      if (change) incremental++;
      tree = change ? change.tree : parseHaproxy(next);
      cur = next;
      // statements read through their accessors; a few of their lines built
      const probe = tree.statements[rand(tree.statements.length)];
      assert.equal(probe.wordValue(0), probe.keyword);
      if (step % 4 === 0) void probe.line.words;
    }
    assert.ok(incremental > 100, `${incremental} of 120 edits were incremental`);
    const fresh = parseHaproxy(cur);
    assert.equal(tree.statements.length, fresh.statements.length);
    tree.statements.forEach((st, i) => {
      const f = fresh.statements[i];
      // the section is found from the statement's row (moved by the edits), read before its line is built
      // (and its header line, made only now, after the edits moved its row)
      const sectionOf = (s: typeof st) =>
        s.section
          ? [
              s.section.keyword,
              s.section.name,
              s.section.start,
              s.section.header.start,
              s.section.header.end,
              s.section.header.words.map((w) => [w.start, w.end, w.value]),
            ]
          : null;
      assert.deepEqual(sectionOf(st), sectionOf(f), `statement ${i}: section`);
      const values = Array.from({ length: st.wordCount }, (_, k) => st.wordValue(k));
      assert.deepEqual(
        values,
        f.line.words.map((w) => w.value),
        `statement ${i}: values`,
      );
      assert.deepEqual(
        [st.line.start, st.line.end, st.keyword],
        [f.line.start, f.line.end, f.keyword],
        `statement ${i}`,
      );
    });
    assert.deepEqual(tree.lineIndex.lineStarts, fresh.lineIndex.lineStarts, 'line index');
    const refs = referenceLines(cur);
    tree.lines.forEach((l, k) => compareLine(tree, l, refs[k], `after the edits, line ${k + 1}`, false));
  });

  it('edits on a tree whose file-level statement list was never made (typing never makes it) give the list a fresh parse gives', () => {
    let cur = generateHaproxy(600);
    let tree = parseHaproxy(cur);
    let seed = 20261126;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const commented: number[] = [];
    let incremental = 0;
    for (let step = 0; step < 150; step++) {
      const sections = tree.sections.filter((s) => s.statements.length > 0);
      const sec = sections[rand(sections.length)];
      const st = sec.statements[rand(sec.statements.length)];
      let edit;
      if (step % 5 === 3) {
        // a statement turned into a comment (removed), or a comment turned back (added)
        edit = { offset: st.line.words[0].start, deleted: 0, inserted: '#' };
      } else if (step % 5 === 4 && commented.length > 0) {
        const at = commented.pop()!;
        edit = { offset: at, deleted: 1, inserted: '' };
      } else {
        const w = st.line.words[rand(st.wordCount)];
        edit = { offset: w.end, deleted: 0, inserted: 'q' };
      }
      const next = cur.slice(0, edit.offset) + edit.inserted + cur.slice(edit.offset + edit.deleted);
      const change = reparseHaproxyLine(tree, next, edit);
      if (change) {
        incremental++;
        if (edit.inserted === '#') {
          for (let k = 0; k < commented.length; k++) if (commented[k] >= edit.offset) commented[k] += 1;
          commented.push(edit.offset);
        } else if (edit.deleted === 1) {
          for (let k = 0; k < commented.length; k++) if (commented[k] > edit.offset) commented[k] -= 1;
        } else for (let k = 0; k < commented.length; k++) if (commented[k] >= edit.offset) commented[k] += 1;
        tree = change.tree;
        assert.equal(
          (tree as HaproxyTree).builtStatements,
          undefined,
          `step ${step}: the file's list is still not made`,
        );
      } else {
        tree = parseHaproxy(next);
        commented.length = 0;
      }
      cur = next;
    }
    assert.ok(incremental > 120, `${incremental} of 150 edits were incremental`);
    const fresh = parseHaproxy(cur);
    const dump = (f: HaproxyFile) => ({
      statements: f.statements.map((st) => [
        st.line.start,
        st.keyword,
        st.wordCount,
        st.section ? st.section.start : null,
      ]),
      sections: f.sections.map((s) => [s.start, s.end, s.statements.map((st) => st.line.start)]),
    });
    assert.deepStrictEqual(dump(tree), dump(fresh));
  });

  it('lines moved by an edit before them read the same, whether their words were built before the edit or after', () => {
    const text = generateHaproxy(400);
    const at = text.indexOf('maxconn 100000') + 'maxconn '.length;
    for (const buildFirst of [true, false]) {
      const tree = parseHaproxy(text);
      if (buildFirst) for (const l of tree.lines.slice(0, 200)) void l.words;
      const next = text.slice(0, at) + '2' + text.slice(at);
      const change = reparseHaproxyLine(tree, next, { offset: at, deleted: 0, inserted: '2' });
      assert.ok(change, 'the edit is incremental');
      const refs = referenceLines(next);
      change.tree.lines.forEach((l, k) =>
        compareLine(change.tree, l, refs[k], `after the edit (built first: ${buildFirst}), line ${k + 1}`, !buildFirst),
      );
    }
  });
});
