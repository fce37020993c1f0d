/**
 * Sections, section headers, conditional blocks, modifiers, scope lines and lookups.
 */
import { strict as assert } from 'node:assert';
import {
  findSections,
  lineAt,
  parseHaproxy,
  printHaproxy,
  SECTION_KEYWORDS,
  sectionAt,
  statementAt,
  wordAt,
  type HaproxyFile,
} from '../../../server/src/service/syntax/haproxy';

function codes(file: HaproxyFile): string[] {
  return file.diagnostics.map((d) => d.code);
}

/** [line, startChar, endChar] of every diagnostic (single-line ones). */
function spots(file: HaproxyFile): [string, number, number, number][] {
  return file.diagnostics.map((d) => {
    const r = file.lineIndex.rangeOf(d);
    assert.equal(r.start.line, r.end.line);
    return [d.code, r.start.line, r.start.character, r.end.character];
  });
}

const SAMPLE = `# top comment

global
    maxconn 1000   # inline
    log stdout format raw local0

defaults base
    mode http
    timeout client 30s

defaults tcpish from base
    mode tcp

frontend fe_main from base
    bind :80
    default_backend be_app

backend be_app
    server s1 10.0.0.1:8080 check

# about the next one
listen stats
    bind :8404

`;

describe('HAProxy sections', () => {
  const file = parseHaproxy(SAMPLE);

  it('finds every section with its keyword, name and from', () => {
    assert.deepEqual(codes(file), []);
    assert.deepEqual(
      file.sections.map((s) => [s.keyword, s.name, s.from]),
      [
        ['global', null, null],
        ['defaults', 'base', null],
        ['defaults', 'tcpish', 'base'],
        ['frontend', 'fe_main', 'base'],
        ['backend', 'be_app', null],
        ['listen', 'stats', null],
      ],
    );
    const fe = file.sections[3];
    assert.equal(file.text.slice(fe.nameSpan!.start, fe.nameSpan!.end), 'fe_main');
    assert.equal(file.text.slice(fe.fromSpan!.start, fe.fromSpan!.end), 'base');
  });

  it('gives each section its body statements (header excluded) and a header statement', () => {
    assert.deepEqual(
      file.sections[0].statements.map((s) => s.keyword),
      ['maxconn', 'log'],
    );
    assert.deepEqual(
      file.sections[4].statements[0].args.map((a) => a.value),
      ['s1', '10.0.0.1:8080', 'check'],
    );
    for (const s of file.sections) {
      assert.equal(s.headerStatement.keyword, s.keyword);
      assert.equal(s.headerStatement.section, s);
      for (const st of s.statements) assert.equal(st.section, s);
    }
    assert.equal(file.topLevel.length, 0);
    assert.equal(file.statements.length, 6 + 9);
  });

  it('spans a section from its header to its last non-blank line', () => {
    const g = file.sections[0];
    assert.equal(
      file.text.slice(g.start, g.end),
      'global\n    maxconn 1000   # inline\n    log stdout format raw local0',
    );
    const be = file.sections[4];
    // The comment line before `listen` is the last non-blank line of the backend.
    assert.ok(file.text.slice(be.start, be.end).endsWith('# about the next one'));
    const ls = file.sections[5];
    assert.ok(file.text.slice(ls.start, ls.end).endsWith('bind :8404'));
  });

  it('recognises every HAProxy 2.6 section keyword and the 3.x ones, even quoted', () => {
    assert.deepEqual([...SECTION_KEYWORDS].sort(), [
      'acme',
      'backend',
      'cache',
      'crt-store',
      'defaults',
      'fcgi-app',
      'frontend',
      'global',
      'healthcheck',
      'http-errors',
      'listen',
      'log-forward',
      'log-profile',
      'mailers',
      'namespace_list',
      'peers',
      'program',
      'resolvers',
      'ring',
      'traces',
      'userlist',
    ]);
    const text =
      SECTION_KEYWORDS.map((k) =>
        k === 'global' || k === 'defaults' || k === 'namespace_list' || k === 'traces' ? k : `${k} n1`,
      ).join('\n    x 1\n') + '\n';
    const f = parseHaproxy(text);
    assert.deepEqual(
      f.sections.map((s) => s.keyword),
      SECTION_KEYWORDS,
    );
    assert.deepEqual(codes(f), []);
    assert.equal(parseHaproxy('"backend" b\n').sections[0].keyword, 'backend');
  });

  it('reads `defaults from x` as an unnamed defaults inheriting from x', () => {
    const f = parseHaproxy('defaults a\ndefaults from a\ndefaults\ndefaults b from a\n');
    assert.deepEqual(
      f.sections.map((s) => [s.name, s.from]),
      [
        ['a', null],
        [null, 'a'],
        [null, null],
        ['b', 'a'],
      ],
    );
    assert.deepEqual(codes(f), []);
  });

  it('statementAt, lineAt, wordAt and sectionAt find the node under an offset', () => {
    const off = SAMPLE.indexOf('10.0.0.1');
    const st = statementAt(file, off)!;
    assert.equal(st.keyword, 'server');
    assert.equal(wordAt(file, off)!.value, '10.0.0.1:8080');
    assert.equal(lineAt(file, off)!.words[0].value, 'server');
    assert.equal(sectionAt(file, off)!.name, 'be_app');
    assert.equal(statementAt(file, SAMPLE.indexOf('frontend'))!.keyword, 'frontend');
    assert.equal(statementAt(file, 0), undefined, 'comment line');
    assert.equal(statementAt(file, SAMPLE.indexOf('# inline'))!.keyword, 'maxconn', 'same line, in the comment');
    assert.equal(sectionAt(file, 0), undefined);
    assert.deepEqual(
      findSections(file, 'defaults').map((s) => s.name),
      ['base', 'tcpish'],
    );
    assert.deepEqual(findSections(file, 'backend', 'be_app').length, 1);
  });
});

describe('HAProxy section header problems (one diagnostic each, on the header)', () => {
  it('invalid characters in proxy names (src/tools.c invalid_char)', () => {
    const f = parseHaproxy(
      'frontend www.test-frontend.net:8002/invalid\n    bind :80\nbackend bad@name\nfrontend ok_1.a:b-c\n',
    );
    assert.deepEqual(spots(f), [
      ['invalid-name', 0, 9, 43],
      ['invalid-name', 2, 8, 16],
    ]);
    assert.match(f.diagnostics[0].message, /character '\/' is not permitted in 'frontend' name/);
    assert.equal(f.sections[0].statements.length, 1, 'the rest of the section is still parsed');
  });

  it('invalid names in other named sections, but not in cache/program/defaults names', () => {
    const f = parseHaproxy('peers p/1\nresolvers r!\nuserlist u u\ncache c/1\nprogram p/2\ndefaults d/3\nring r,1\n');
    assert.deepEqual(
      f.diagnostics.map((d) => [d.code, f.lineIndex.positionAt(d.start).line]),
      [
        ['invalid-name', 0],
        ['invalid-name', 1],
        ['section-header-args', 2],
        ['invalid-name', 6],
      ],
    );
  });

  it('missing names', () => {
    const f = parseHaproxy('frontend\nbackend ""\npeers\ncache\n');
    assert.deepEqual(spots(f), [
      ['missing-section-name', 0, 0, 8],
      ['missing-section-name', 1, 0, 7],
      ['missing-section-name', 2, 0, 5],
      ['missing-section-name', 3, 0, 5],
    ]);
    assert.equal(f.sections.length, 4, 'the sections still open');
  });

  it('addresses on a proxy header (use bind), and extra words on other headers', () => {
    const f = parseHaproxy('frontend web 0.0.0.0:80\nlisten l from\nbackend b from d x\nbackend ok from d\nglobal 1\n');
    assert.deepEqual(spots(f), [
      ['section-header-args', 0, 13, 23],
      ['section-header-args', 1, 9, 13],
      ['section-header-args', 2, 10, 18],
      ['section-header-args', 4, 7, 8],
    ]);
    assert.match(f.diagnostics[0].message, /bind/);
    assert.equal(f.sections[3].from, 'd');
  });
});

describe('HAProxy conditional blocks and directives', () => {
  it('records the enclosing .if stack of each statement, with nesting', () => {
    const f = parseHaproxy(
      [
        'global',
        '.if defined(A)',
        '    maxconn 1',
        '    .if feature(OPENSSL)',
        '        nbthread 2',
        '    .elif version_atleast(2.4)',
        '        nbthread 3',
        '    .endif',
        '.else',
        '    maxconn 2',
        '.endif',
        '    maxconn 3',
        '',
      ].join('\n'),
    );
    assert.deepEqual(codes(f), []);
    const show = f.sections[0].statements.map(
      (s) => `${s.keyword}${s.args[0].value}:${s.conditions.map((c) => c.directive).join('>')}`,
    );
    assert.deepEqual(show, ['maxconn1:.if', 'nbthread2:.if>.if', 'nbthread3:.if>.elif', 'maxconn2:.else', 'maxconn3:']);
    assert.deepEqual(
      f.conditionals.map((c) => c.directive),
      ['.if', '.if', '.elif', '.endif', '.else', '.endif'],
    );
    assert.equal(f.sections.length, 1, 'directives do not end a section');
  });

  it('lone .else/.elif/.endif, .elif after .else, arguments on .else/.endif', () => {
    const f = parseHaproxy('global\n.endif\n.else\n.elif 1\n.if 1\n.else\n.elif 1\n.else\n.else x\n.endif y\n');
    assert.deepEqual(spots(f), [
      ['lone-conditional', 1, 0, 6],
      ['lone-conditional', 2, 0, 5],
      ['lone-conditional', 3, 0, 5],
      ['conditional-order', 6, 0, 5],
      ['conditional-order', 7, 0, 5],
      ['unexpected-argument', 8, 6, 7],
      ['unexpected-argument', 9, 7, 8],
    ]);
  });

  it('an .if never closed is reported at the .if (each one)', () => {
    const f = parseHaproxy('global\n  .if 1\n    .if 2\n    .endif\n  maxconn 1\n');
    assert.deepEqual(spots(f), [['unterminated-if', 1, 2, 5]]);
    assert.equal(f.sections[0].statements[0].conditions.length, 1);
  });

  it('.diag/.notice/.warning/.alert take one message word; unknown directives are refused', () => {
    const f = parseHaproxy('global\n.notice "a b"\n.warning a b c\n.diag x\n.alert\n.foo bar\n');
    assert.deepEqual(spots(f), [
      ['unexpected-argument', 2, 11, 14],
      ['unknown-directive', 5, 0, 4],
    ]);
    assert.deepEqual(
      f.conditionals.map((c) => c.directive),
      ['.notice', '.warning', '.diag', '.alert'],
    );
    assert.equal(f.sections[0].statements.length, 0);
  });

  it('refuses a 100th nesting level (MAXNESTEDCONDS)', () => {
    const deep = (n: number): string => 'global\n' + '.if 1\n'.repeat(n) + '.endif\n'.repeat(n);
    assert.deepEqual(codes(parseHaproxy(deep(99))), []);
    const f = parseHaproxy(deep(100));
    assert.deepEqual(spots(f), [['too-many-nested-conditions', 100, 0, 3]]);
  });
});

describe('HAProxy statements outside sections, modifiers, scopes, ignored lines', () => {
  it('refuses keywords before the first section, not comments, blanks or directives', () => {
    const f = parseHaproxy('# c\n\n.if 1\n.endif\nmaxconn 10\n  no option x\nglobal\n');
    assert.deepEqual(spots(f), [
      ['outside-section', 4, 0, 7],
      ['outside-section', 5, 2, 4],
    ]);
    assert.match(f.diagnostics[1].message, /'option'/);
    assert.deepEqual(
      f.topLevel.map((s) => s.keyword),
      ['maxconn', 'no'],
    );
    assert.equal(f.topLevel[0].section, null);
  });

  it('accepts no/default only before option, log, busy-polling, ...', () => {
    const f = parseHaproxy('defaults\n  no option httplog\n  default option x\n  no log\n  no maxconn 3\n  no\n');
    assert.deepEqual(spots(f), [
      ['bad-modifier', 4, 2, 12],
      ['bad-modifier', 5, 2, 4],
    ]);
    assert.equal(f.sections[0].statements[0].modifier, 'no');
    assert.equal(f.sections[0].statements[0].keyword, 'no');
  });

  it('skips a line whose first word is empty, as HAProxy does', () => {
    const f = parseHaproxy('global\n  "" maxconn 10\n');
    assert.equal(f.sections[0].statements.length, 0);
    assert.deepEqual(
      f.lines[1].words.map((w) => w.value),
      ['', 'maxconn', '10'],
    );
  });

  it('reads [scope] lines and checks them (cfg_parse_scope)', () => {
    const f = parseHaproxy('global\n[my_scope]  # c\n  maxconn 1\n[]\n[a/b]\n[ok] x\n[open\n');
    assert.equal(f.text.slice(f.lines[1].scope!.start, f.lines[1].scope!.end), 'my_scope');
    assert.equal(f.lines[1].comment !== null, true);
    assert.deepEqual(spots(f), [
      ['empty-scope', 3, 0, 2],
      ['invalid-name', 4, 2, 3],
      ['scope-trailing', 5, 5, 6],
      ['empty-scope', 6, 0, 5],
    ]);
    assert.deepEqual(
      f.sections[0].statements.map((s) => s.keyword),
      ['maxconn'],
    );
    assert.equal(printHaproxy(f), f.text);
  });

  it('still opens a section on a header line that has a lexical error, with one diagnostic', () => {
    const f = parseHaproxy('backend "be\n  server s 1.2.3.4:80\n');
    assert.deepEqual(codes(f), ['unterminated-quote']);
    assert.equal(f.sections[0].keyword, 'backend');
    assert.equal(f.sections[0].statements.length, 1);
  });
});
