/**
 * Incremental HAProxy analysis (service/haproxy-incremental.ts over syntax/haproxy/incremental.ts):
 * random edit sequences on corpus configs; after every step the updated tree re-prints the new
 * text exactly, has the same structure as a fresh parse, and the findings are exactly those of a
 * fresh full analysis of the new text.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { createLanguageService } from '../../../server/src/service';
import { HaproxyIncremental } from '../../../server/src/service/host/haproxy';
import type { TextEdit } from '../../../server/src/service/text';
import { parseHaproxy, printHaproxy, type HaproxyFile } from '../../../server/src/service/syntax/haproxy';
import { CORPUS, corpusRows } from '../../helpers/corpus';
import { assertLossless } from './invariants';
import { need } from '../../helpers/needs';
import { ServerDocument } from '../../../server/src/lsp/document';

/** What a tree says, as plain data (offsets included), to compare with a fresh parse. */
function summary(f: HaproxyFile) {
  const lineSet = new Set(f.lines);
  return {
    lines: f.lines.map((l) => [
      l.start,
      l.end,
      l.indent.end,
      l.eol.end,
      l.comment && [l.comment.start, l.comment.end],
      l.ignored && [l.ignored.start, l.ignored.end],
      l.scope && [l.scope.start, l.scope.end],
      !!l.invalid,
      l.words.map((w) => [w.start, w.end, w.raw, w.value, w.envRefs ?? null]),
    ]),
    statements: f.statements.map((s) => [
      s.line.start,
      s.keyword,
      s.args.length,
      s.modifier ?? null,
      s.section ? s.section.start : null,
      s.conditions.length,
    ]),
    sections: f.sections.map((s) => [
      s.keyword,
      s.name,
      s.from,
      s.start,
      s.end,
      s.nameSpan && [s.nameSpan.start, s.nameSpan.end],
      s.statements.map((st) => st.line.start),
      s.header.start,
      s.header.end,
      lineSet.has(s.header),
    ]),
    topLevel: f.topLevel.map((s) => s.line.start),
    diagnostics: f.diagnostics.map((d) => [d.code, d.start, d.end, d.severity, d.message]),
    lineIndex: f.lineIndex.lineStarts,
  };
}

/** What edits insert: characters that change words, comments, quoting, lines and sections. */
const PIECES = [
  'x',
  '1',
  ' ',
  '\t',
  '#',
  '"',
  "'",
  '\\',
  '$',
  '\n',
  '\r\n',
  '\r',
  '\0',
  'é',
  'timeout',
  'tunnel 1h',
  'timeout tunnel 0',
  'backend',
  'backend b2',
  'frontend f2',
  'defaults',
  'global',
  '.if',
  '.if defined(X)',
  '.endif',
  '.else',
  'no ',
  'no option',
  'option httpchk',
  'server s9 10.0.0.9:80 check',
  'mode tcp',
  'mode http',
  'balance leastconn',
  'balance roundrobin',
  'use_backend ws_back',
  'default_backend nope',
  'acl is_ws hdr(upgrade) -i websocket',
  'http-request',
  'set-var(txn.x)',
  '# wslb: websocket',
  '# wslb-disable-line haproxy/missing-timeouts',
  'disabled',
  '[scope]',
  'server-template',
  'bind :80',
];

interface EditSpec {
  at: number; // 0..1: where in the text
  sameLine: boolean; // keep the edit inside the line (the incremental case)
  del: number;
  piece: string;
}

const editSpec: fc.Arbitrary<EditSpec> = fc.record({
  at: fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000),
  sameLine: fc.boolean(),
  del: fc.nat({ max: 4 }),
  piece: fc.oneof(
    fc.constantFrom(...PIECES),
    fc.constantFrom(...PIECES.filter((p) => !/[\r\n\0]/.test(p))),
    fc.constant(''),
  ),
});

function toEdit(text: string, s: EditSpec): TextEdit {
  const offset = Math.min(text.length, Math.floor(s.at * (text.length + 1)));
  let deleted = Math.min(s.del, text.length - offset);
  if (s.sameLine) {
    // stop the deletion at the line break
    const nl = text.slice(offset, offset + deleted).search(/[\r\n]/);
    if (nl >= 0) deleted = nl;
  }
  return { offset, deleted, inserted: s.piece };
}

function apply(text: string, e: TextEdit): string {
  return text.slice(0, e.offset) + e.inserted + text.slice(e.offset + e.deleted);
}

function corpusTexts(): { name: string; text: string }[] {
  const rows = corpusRows('haproxy');
  const out: { name: string; text: string }[] = [];
  for (const r of rows) {
    const text = fs.readFileSync(path.join(CORPUS, r.path), 'utf8');
    // big files: their first 400 lines (the whole 24k-line file takes too long per step)
    out.push({ name: r.path, text: text.length > 40_000 ? text.split('\n').slice(0, 400).join('\n') + '\n' : text });
  }
  return out;
}

describe('HAProxy incremental analysis', function () {
  this.timeout(600_000);
  const service = createLanguageService();
  const files = corpusTexts();
  const inline: { name: string; text: string }[] = [
    {
      name: 'inline ws',
      text:
        [
          'global',
          '    maxconn 100',
          '',
          'defaults',
          '    mode http',
          '    timeout client 30s',
          '',
          'frontend fe',
          '    bind :80',
          '    acl is_ws hdr(upgrade) -i websocket',
          '    use_backend ws_back if is_ws',
          '    default_backend app',
          '',
          'backend ws_back',
          '    balance roundrobin',
          '    server a 10.0.0.1:80',
          '    server b 10.0.0.2:80 check',
          '',
          'backend app',
          '    timeout connect 5s',
          '    timeout server 30s',
          '    server c 10.0.0.3:80',
          '',
        ].join('\n') + '\n',
    },
  ];
  const all = [...inline, ...files];

  it('the corpus is there', function () {
    need(this, 'shared');
    assert.ok(files.length >= 10);
  });

  // `viaDocument`: the edits are made by the language server's document (lsp/document.ts), which
  // hands the lines each edit touches, and the engine reads the edited line there
  const randomSequences = (viaDocument: boolean) => () => {
    let steps = 0;
    let incremental = 0;
    fc.assert(
      fc.property(
        fc.nat({ max: all.length - 1 }),
        fc.array(fc.array(editSpec, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 12 }),
        (which, batches) => {
          const { name, text: start } = all[which];
          const file = `/corpus/${name}`;
          const inc = new HaproxyIncremental();
          inc.analyze(service, file, start);
          let text = start;
          const doc = new ServerDocument('file:///x', 'haproxy', 1, start);
          for (const batch of batches) {
            const edits: TextEdit[] = [];
            for (const s of batch) {
              let e = toEdit(text, s);
              if (viaDocument) {
                const range = { start: doc.positionAt(e.offset), end: doc.positionAt(e.offset + e.deleted) };
                const { offset, deleted, lines } = doc.apply({ range, text: e.inserted });
                e = { offset, deleted, inserted: e.inserted, made: doc.getText() };
                if (lines) e.lines = lines;
              }
              edits.push(e);
              text = apply(text, e);
            }
            if (viaDocument) assert.equal(doc.getText(), text);
            const got = inc.analyze(service, file, text, edits);
            steps++;
            if (inc.lastKind === 'line') incremental++;
            const tree = got.config.sources[0].tree;
            assert.equal(tree.text, text);
            assert.equal(printHaproxy(tree), text, `${name}: re-print`);
            assertLossless(tree, name);
            assert.deepEqual(
              summary(tree),
              summary(parseHaproxy(text)),
              `${name}: tree after ${JSON.stringify(edits)}`,
            );
            const fresh = service.analyzeHaproxy([{ path: file, text }]);
            assert.deepEqual(got.findings, fresh.findings, `${name}: findings after ${JSON.stringify(edits)}`);
          }
        },
      ),
      { numRuns: 400, seed: 20261125 },
    );
    // the sequences must exercise the incremental path, not only the fallback
    assert.ok(incremental > steps / 4, `${incremental} of ${steps} steps were incremental`);
    if (process.env.DBG) console.log(`${incremental} of ${steps} steps incremental`);
  };

  it('random edit sequences: exact re-print, same tree and same findings as a fresh analysis', randomSequences(false));

  it(
    'the same, the edits made by the server’s document (the edited line read from the lines it hands)',
    randomSequences(true),
  );

  it('a one-character edit inside a keyword is incremental and reports what a fresh analysis reports', () => {
    const text = inline[0].text;
    const inc = new HaproxyIncremental();
    inc.analyze(service, '/x.cfg', text);
    const at = text.indexOf('timeout server') + 'timeou'.length;
    const edit = { offset: at, deleted: 0, inserted: '1' };
    const next = apply(text, edit);
    const got = inc.analyze(service, '/x.cfg', next, [edit]);
    assert.equal(inc.lastKind, 'line');
    const codes = got.findings.map((f) => f.code);
    assert.ok(codes.includes('haproxy/unknown-keyword'), codes.join(', '));
    assert.ok(codes.includes('haproxy/missing-timeouts'), codes.join(', '));
    assert.deepEqual(got.findings, service.analyzeHaproxy([{ path: '/x.cfg', text: next }]).findings);
    // and back
    const undo = { offset: at, deleted: 1, inserted: '' };
    const back = inc.analyze(service, '/x.cfg', text, [undo]);
    assert.equal(inc.lastKind, 'line');
    assert.deepEqual(back.findings, service.analyzeHaproxy([{ path: '/x.cfg', text }]).findings);
  });

  it('line breaks, section headers and a whole-text replacement are analysed from scratch', () => {
    const text = inline[0].text;
    const inc = new HaproxyIncremental();
    inc.analyze(service, '/x.cfg', text);
    const nl = { offset: text.indexOf('    server a'), deleted: 0, inserted: '\n' };
    inc.analyze(service, '/x.cfg', apply(text, nl), [nl]);
    assert.equal(inc.lastKind, 'full');
    const t2 = apply(text, nl);
    const header = { offset: t2.indexOf('\nbackend app') + '\nbackend ap'.length, deleted: 0, inserted: 'p' };
    inc.analyze(service, '/x.cfg', apply(t2, header), [header]);
    assert.equal(inc.lastKind, 'full');
    const t3 = apply(t2, header);
    const whole = { offset: 0, deleted: t3.length, inserted: t3 };
    inc.analyze(service, '/x.cfg', t3, [whole]);
    assert.equal(inc.lastKind, 'full');
  });
});
