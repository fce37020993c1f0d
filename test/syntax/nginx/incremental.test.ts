/**
 * Incremental re-parse: after any sequence of edits, parseNginxIncremental gives exactly the tree
 * (nodes, diagnostics, line index) a fresh parse of the new text gives, re-prints the new text,
 * and reuses the untouched directives.
 */
import { strict as assert } from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { LineIndex, type TextEdit } from '../../../server/src/service/text';
import {
  nginxIncrementalStats,
  nginxReparsedBlock,
  parseNginx,
  parseNginxIncremental,
  printNginx,
  walkDirectives,
  type NginxDirective,
  type NginxFile,
  type NginxNode,
} from '../../../server/src/service/syntax/nginx';
import { checkTree } from './helpers';
import { CORPUS, corpusRows } from '../../helpers/corpus';
import { generateNginx } from '../../../scripts/bench/generate';

/** Everything observable about a tree, as text (children and parts are materialised). */
function snapshot(f: NginxFile): string {
  return JSON.stringify({ tree: f, diagnostics: f.diagnostics, lines: f.lineIndex.lineStarts });
}

/** Equal snapshots, or a failure showing where they first differ. */
function assertSame(got: string, want: string, what: string): void {
  if (got === want) return;
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  assert.fail(
    `${what}: trees differ at ${i}:\n  got  ${got.slice(Math.max(0, i - 300), i + 200)}\n  want ${want.slice(Math.max(0, i - 300), i + 200)}`,
  );
}

function applyEdit(text: string, e: TextEdit): string {
  return text.slice(0, e.offset) + e.inserted + text.slice(e.offset + e.deleted);
}

const PIECES = [
  '{',
  '}',
  ';',
  '"',
  "'",
  '#',
  '\n',
  '\r\n',
  ' ',
  'a',
  '$x',
  'x y;',
  'location /a { return 204; }',
  '\\',
  '}}',
  '{{',
  'listen 80;\n',
  '# c\n',
];

/** An edit of `text` chosen by the numbers: insert a piece, delete a few characters, or replace. */
function editFrom(text: string, at: number, kind: number, piece: number, len: number): TextEdit {
  const offset = text.length === 0 ? 0 : at % (text.length + 1);
  const deleted = kind === 0 ? 0 : Math.min(len, text.length - offset);
  return { offset, deleted, inserted: kind === 1 ? '' : PIECES[piece % PIECES.length] };
}

const SAMPLE = `user www-data;
events { worker_connections 1024; }
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream app { least_conn; server 127.0.0.1:9000; server 127.0.0.1:9001; }
    server {
        listen 80;
        server_name example.test; # the site
        location /ws/ {
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
        location ~ ^/id/[0-9]+$ { return 200 'ok'; }
        location / { content_by_lua_block { ngx.say("}") } }
    }
}
`;

function corpusTexts(): { name: string; text: string }[] {
  const out = [{ name: 'sample', text: SAMPLE }];
  for (const row of corpusRows('nginx').slice(0, 60)) {
    const file = path.join(CORPUS, row.path);
    if (fs.existsSync(file)) out.push({ name: row.path, text: fs.readFileSync(file, 'utf8') });
  }
  return out;
}

const RUNS = Number(process.env.WSLB_INCREMENTAL_RUNS ?? 300);

describe('nginx parser: incremental re-parse', function () {
  this.timeout(Math.max(120_000, RUNS * 1000));
  const texts = corpusTexts();

  it('equals a fresh parse after random edit sequences on corpus configs (braces, quotes, comments, line breaks)', () => {
    const stats0 = { ...nginxIncrementalStats };
    fc.assert(
      fc.property(
        fc.nat(texts.length - 1),
        fc.array(fc.tuple(fc.nat(1_000_000), fc.nat(2), fc.nat(100), fc.integer({ min: 1, max: 6 }), fc.boolean()), {
          minLength: 1,
          maxLength: 8,
        }),
        (which, steps) => {
          let text = texts[which].text;
          let tree = parseNginx(text);
          if (steps[0][4]) void tree.lineIndex; // sometimes the old index exists and is updated
          for (let s = 0; s < steps.length; s++) {
            const [at, kind, piece, len, twoAtOnce] = steps[s];
            const edits = [editFrom(text, at, kind, piece, len)];
            let next = applyEdit(text, edits[0]);
            if (twoAtOnce) {
              const second = editFrom(next, at * 7 + 13, (kind + 1) % 3, piece + 5, len);
              edits.push(second);
              next = applyEdit(next, second);
            }
            const inc = parseNginxIncremental(tree, next, edits);
            const full = parseNginx(next);
            assert.equal(printNginx(inc), next, 're-print');
            assert.equal(checkTree(inc), null);
            assertSame(snapshot(inc), snapshot(full), `step ${s} of ${texts[which].name}: ${JSON.stringify(edits)}`);
            text = next;
            tree = inc;
          }
        },
      ),
      { numRuns: RUNS },
    );
    // Most random edits land inside some block body: the block path must have been taken often.
    const reused = nginxIncrementalStats.reused - stats0.reused;
    const full = nginxIncrementalStats.full - stats0.full;
    assert.ok(reused > full / 2, `incremental path taken ${reused} times, full parse ${full} times`);
  });

  it('equals a fresh parse after long typing sessions, with nodes read at different times (lazy copies)', () => {
    // A copied block makes the copies of its items when they are first read, from the last tree
    // whose items were made, so the nodes of a tree may come from many edits back. Long sessions
    // that type in one place, then jump (every few keys, or at almost every key), reading a few
    // random directives in between (so blocks wait different numbers of edits before their items
    // are made), must still give exactly the fresh tree.
    const stats0 = { ...nginxIncrementalStats };
    /** Directives and blocks in document order, found without reading any offset. */
    const nodesOf = (f: NginxFile): object[] => {
      const out: object[] = [];
      const stack: NginxNode[] = [...f.items].reverse();
      while (stack.length) {
        const n = stack.pop()!;
        if (n.type === 'directive') {
          out.push(n);
          if (n.block) stack.push(n.block);
        } else if (n.type === 'block') {
          out.push(n);
          for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
        }
      }
      return out;
    };
    const TYPED = ['a', '1', ' ', ';', '\n', 'x y;', '$'];
    // Texts that parse cleanly (a file with an unclosed block is always parsed whole), and a big one
    const clean = [
      { name: 'generated', text: generateNginx(300) },
      ...texts.filter((t) => parseNginx(t.text).diagnostics.length === 0),
    ];
    fc.assert(
      fc.property(
        // half the runs on the generated config, whose many blocks give many places to jump to
        fc.nat(2 * clean.length - 1).map((k) => (k < clean.length ? k : 0)),
        fc.integer({ min: 1, max: 12 }),
        fc.array(fc.tuple(fc.nat(99), fc.nat(1_000_000), fc.nat(TYPED.length - 1), fc.nat(4), fc.nat(1_000_000)), {
          minLength: 40,
          maxLength: 120,
          size: 'max',
        }),
        (which, jumpEvery, steps) => {
          let text = clean[which].text;
          let tree = parseNginx(text);
          if (steps.length % 2 === 0) void tree.lineIndex;
          let at = text.length >> 1;
          for (let s = 0; s < steps.length; s++) {
            const [mode, where, piece, read, pick] = steps[s];
            // Mostly typing at the caret (insert, or delete the character before it); sometimes a jump.
            const jump = mode % jumpEvery === 0;
            if (jump) {
              // anywhere, or (more often) just inside some block
              const opens = where % 3 === 0 ? [] : [...text.matchAll(/\{/g)].map((m) => m.index + 1);
              at = opens.length ? opens[(where >> 2) % opens.length] : where % (text.length + 1);
            }
            const edit: TextEdit =
              mode < 70 || at === 0 || jump
                ? { offset: at, deleted: 0, inserted: TYPED[piece] }
                : { offset: at - 1, deleted: 1, inserted: '' };
            const next = applyEdit(text, edit);
            at = edit.offset + edit.inserted.length;
            const inc = parseNginxIncremental(tree, next, [edit]);
            if (read === 0) {
              // Read one directive or block (and so its subtree) of the new tree against the fresh one.
              const a = nodesOf(inc);
              const b = nodesOf(parseNginx(next));
              assert.equal(a.length, b.length, `step ${s}: node count`);
              if (a.length) {
                const j = pick % a.length;
                assertSame(
                  JSON.stringify(a[j]),
                  JSON.stringify(b[j]),
                  `step ${s} of ${clean[which].name}, node ${j} after ${JSON.stringify(edit)}`,
                );
              }
            }
            text = next;
            tree = inc;
          }
          assert.equal(printNginx(tree), text, 're-print');
          assert.equal(checkTree(tree), null);
          assertSame(snapshot(tree), snapshot(parseNginx(text)), `after ${steps.length} edits of ${clean[which].name}`);
        },
      ),
      // Seeded: the coverage asserted below must not depend on the draw; WSLB_SESSION_SEED
      // explores other sessions.
      { numRuns: Math.max(20, RUNS >> 2), seed: Number(process.env.WSLB_SESSION_SEED ?? 20261208) },
    );
    const reused = nginxIncrementalStats.reused - stats0.reused;
    const full = nginxIncrementalStats.full - stats0.full;
    assert.ok(reused > full, `incremental path taken ${reused} times, full parse ${full} times`);
  });

  it('keystrokes in one block, then in an earlier one: the nodes between move by the later edit only', () => {
    // Edits in one place compose into one shift for the nodes that have not been read since; an
    // edit in an earlier block must not be folded into that run (the nodes between the blocks move
    // by it, those before the first block's "{" by neither). Nodes are read only at the end, in
    // an order that does not settle them through the parser's own search first.
    const listens = Array.from({ length: 12 }, (_, i) => `        listen ${8000 + i};\n`).join('');
    let text = `http {\n    server {\n        location /a { return 200; }\n${listens}        location /b { return 204; }\n    }\n}\n`;
    let tree = parseNginx(text);
    const type = (at: number, s: string): void => {
      const next = text.slice(0, at) + s + text.slice(at);
      tree = parseNginxIncremental(tree, next, [{ offset: at, deleted: 0, inserted: s }]);
      text = next;
    };
    for (const c of '4444') type(text.indexOf('204') + 3, c);
    type(text.indexOf('200') + 3, '0');
    type(text.indexOf('200') + 3, '0');
    const fresh = parseNginx(text);
    const starts = (f: NginxFile): number[] => {
      const out: number[] = [];
      walkDirectives(f, (d) => void out.push(d.start, d.end));
      return out;
    };
    assert.deepEqual(starts(tree), starts(fresh));
    assertSame(snapshot(tree), snapshot(fresh), 'incremental vs fresh');
  });

  it('re-reads only the block holding the edit: the other directives are copies, moved; the old tree is unchanged', () => {
    const old = parseNginx(SAMPLE);
    const oldSnapshot = snapshot(old);
    const at = SAMPLE.indexOf('proxy_http_version 1.1') + 'proxy_http_version 1.1'.length;
    const edit = { offset: at, deleted: 0, inserted: '1' };
    const next = applyEdit(SAMPLE, edit);
    const find = (f: NginxFile, name: string): NginxDirective => {
      let found: NginxDirective | undefined;
      walkDirectives(f, (d) => {
        if (d.name === name) found ??= d;
      });
      return found!;
    };
    const inc = parseNginxIncremental(old, next, [edit]);
    const reparsed = nginxReparsedBlock(inc)!;
    assert.ok(reparsed.open < at && at < reparsed.close, 'the re-read block holds the edit');
    const listen = find(inc, 'listen');
    const lua = find(inc, 'content_by_lua_block');
    assert.notEqual(listen, find(old, 'listen'), 'a directive before the edit is a copy');
    assert.equal(listen.start, find(old, 'listen').start, 'at the same offset');
    assert.equal(lua.start, find(old, 'content_by_lua_block').start + 1, 'a directive after it moved by the insertion');
    assert.equal(find(inc, 'proxy_http_version').args[0].value, '1.11');
    assertSame(snapshot(inc), snapshot(parseNginx(next)), 'incremental vs fresh');
    assertSame(snapshot(old), oldSnapshot, 'the old tree after the re-parse');
    assertSame(snapshot(old), snapshot(parseNginx(SAMPLE)), 'the old tree vs a fresh parse of the old text');
    assert.equal(checkTree(old), null);
  });

  it('leaves every tree of a typing session as it was (each equals a fresh parse of its text)', () => {
    const reused0 = nginxIncrementalStats.reused;
    let text = generateNginx(120);
    const trees: { text: string; tree: NginxFile }[] = [{ text, tree: parseNginx(text) }];
    let at = text.indexOf('proxy_read_timeout') + 5;
    for (let s = 0; s < 30; s++) {
      // type, sometimes jump to another block; read the new tree only now and then
      if (s % 9 === 8) at = text.indexOf('{', (at * 7) % text.length) + 1 || at;
      const edit = { offset: at, deleted: 0, inserted: s % 5 === 4 ? '\n' : 'x' };
      const next = applyEdit(text, edit);
      const tree = parseNginxIncremental(trees[trees.length - 1].tree, next, [edit]);
      if (s % 4 === 0) void printNginx(tree);
      trees.push({ text: next, tree });
      text = next;
      at += 1;
    }
    assert.ok(nginxIncrementalStats.reused - reused0 > 20, 'most edits re-read one block');
    for (const [k, t] of trees.entries()) {
      assert.equal(printNginx(t.tree), t.text, `tree ${k}: re-print`);
      assert.equal(checkTree(t.tree), null);
      assertSame(snapshot(t.tree), snapshot(parseNginx(t.text)), `tree ${k} of the session`);
    }
  });

  it('falls back to a full parse when an edit unbalances braces, and the result is still exact', () => {
    const old = parseNginx(SAMPLE);
    const at = SAMPLE.indexOf('location /ws/ {') + 'location /ws/ '.length;
    const edit = { offset: at, deleted: 1, inserted: '' }; // delete the "{"
    const next = applyEdit(SAMPLE, edit);
    const inc = parseNginxIncremental(old, next, [edit]);
    assertSame(snapshot(inc), snapshot(parseNginx(next)), 'incremental vs fresh');
    assert.ok(inc.diagnostics.length > 0);
  });

  it('updates the line index instead of rebuilding it, and it matches a fresh one', () => {
    const old = parseNginx(SAMPLE);
    void old.lineIndex;
    const at = SAMPLE.indexOf('listen 80;');
    const edit = { offset: at, deleted: 0, inserted: 'listen 81;\r\n        ' };
    const next = applyEdit(SAMPLE, edit);
    const inc = parseNginxIncremental(old, next, [edit]);
    assert.deepEqual(inc.lineIndex.lineStarts, new LineIndex(next).lineStarts);
  });

  it('keeps the line index exact for edits within a line, next to CR LF breaks and across lines', () => {
    // An edit that adds and removes no line break shifts the old index (no copy of its line starts);
    // a character put between a CR and its LF, or taken from between them, changes the lines.
    let text = 'http {\r\n    server {\r\n        listen 80;\r\n        return 204;\r\n    }\r\n}\r\n';
    let tree = parseNginx(text);
    void tree.lineIndex;
    const at = (s: string, k = 0): number => {
      const i = text.indexOf(s);
      assert.ok(i >= 0, s);
      return i + k;
    };
    const steps: (() => TextEdit)[] = [
      () => ({ offset: at('listen 80') + 9, deleted: 0, inserted: '8' }),
      () => ({ offset: at('204') + 3, deleted: 0, inserted: ' 5' }),
      () => ({ offset: at('808;') + 4, deleted: 0, inserted: 'x' }), // listen 808;x: after the ";", before the CR
      () => ({ offset: at('808;x') + 6, deleted: 0, inserted: 'y' }), // between the CR and the LF: one more line
      () => ({ offset: at('808;x') + 6, deleted: 1, inserted: '' }), // and back
      () => ({ offset: at('808;x') + 4, deleted: 1, inserted: '' }),
      () => ({ offset: at('listen'), deleted: 0, inserted: 'a;\n' }),
      () => ({ offset: at('a;\n') + 2, deleted: 1, inserted: '' }),
    ];
    const reused0 = nginxIncrementalStats.reused;
    for (const step of steps) {
      const edit = step();
      const next = applyEdit(text, edit);
      tree = parseNginxIncremental(tree, next, [edit]);
      text = next;
      assert.deepEqual(tree.lineIndex.lineStarts, new LineIndex(text).lineStarts, JSON.stringify(edit));
      const probe = [0, at('return'), text.length];
      assert.deepEqual(
        probe.map((o) => tree.lineIndex.positionAt(o)),
        probe.map((o) => new LineIndex(text).positionAt(o)),
      );
    }
    assert.equal(nginxIncrementalStats.reused - reused0, steps.length, 'every step re-read one block');
  });
});
