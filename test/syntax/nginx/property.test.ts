/**
 * Property tests: any input, however broken, parses without throwing, re-prints exactly,
 * keeps the tree invariants, and takes time linear in its size. Generated valid configs
 * parse to exactly what was generated, with no diagnostic.
 */
import { strict as assert } from 'assert';
import fc from 'fast-check';
import * as v8 from 'v8';
import * as vm from 'vm';
import { type NginxDirective, type NginxNode, parseNginx, printNginx } from '../../../server/src/service/syntax/nginx';
import { checkTree } from './helpers';

function roundTrip(text: string): void {
  const f = parseNginx(text);
  assert.equal(printNginx(f), text);
  assert.equal(checkTree(f), null);
  for (const d of f.diagnostics) {
    assert.ok(
      d.start >= 0 && d.start <= d.end && d.end <= text.length,
      `diagnostic span out of range: ${JSON.stringify(d)}`,
    );
  }
}

/** Characters that matter to nginx's reader, plus a few ordinary ones. */
const NGINX_CHARS = [
  '{',
  '}',
  ';',
  '"',
  "'",
  '\\',
  '$',
  '#',
  '\n',
  '\r',
  ' ',
  '\t',
  '(',
  ')',
  'a',
  'b',
  '~',
  '*',
  '-',
  '[',
  ']',
  '=',
  '1',
  ',',
];

describe('nginx parser: properties', function () {
  this.timeout(120000);

  it('any string (including binary junk) parses, re-prints exactly and keeps the invariants', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => roundTrip(s)),
      { numRuns: 600 },
    );
  });

  it('strings made of the characters nginx cares about', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...NGINX_CHARS), maxLength: 600 }), (s) => roundTrip(s)),
      { numRuns: 1500 },
    );
  });

  it('Lua blocks full of junk never derail the rest of the file', () => {
    const luaChars = ['{', '}', '"', "'", '[', ']', '=', '-', '\n', ' ', 'x', '\\'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...luaChars), maxLength: 300 }), (body) => {
        const text = `content_by_lua_block {${body}}\nlisten 80;\n`;
        roundTrip(text);
      }),
      { numRuns: 800 },
    );
  });

  describe('generated valid configurations', () => {
    interface Gen {
      name: string;
      args: { value: string; quote: '"' | "'" | null }[];
      block: Gen[] | null;
      comment: string | null;
    }
    const bareChar = fc.constantFrom(...'abcxyz019_-./:$=~*^@%'.split(''));
    const bare = fc
      .string({ unit: bareChar, minLength: 1, maxLength: 8 })
      .filter((s) => !s.startsWith('$') || s.length > 1);
    const quotedValue = fc.string({ unit: fc.constantFrom(...'ab {};#$\'"\\\n\t x'.split('')), maxLength: 8 });
    const name = fc.string({
      unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz_'.split('')),
      minLength: 1,
      maxLength: 10,
    });
    const arg = fc.oneof(
      bare.map((value) => ({ value, quote: null })),
      quotedValue.map((value) => ({ value, quote: '"' as const })),
      quotedValue.map((value) => ({ value, quote: "'" as const })),
    );
    const comment = fc.option(fc.string({ unit: fc.constantFrom(...'ab #{}";x'.split('')), maxLength: 10 }), {
      nil: null,
    });
    const { tree } = fc.letrec<{ tree: Gen[]; node: Gen }>((tie) => ({
      tree: fc.array(tie('node'), { maxLength: 4 }),
      node: fc.record({
        name: name.filter((n) => !n.endsWith('_lua_block')),
        args: fc.array(arg, { maxLength: 4 }),
        block: fc.option(tie('tree'), { nil: null, depthSize: 'small' }),
        comment,
      }),
    }));

    /** Print a value so that nginx reads it back unchanged. */
    const write = (a: Gen['args'][number]): string => {
      if (a.quote === null) return a.value;
      let out = a.quote;
      for (const ch of a.value) {
        if (ch === '\\' || ch === a.quote) out += '\\' + ch;
        else if (ch === '\n') out += '\\n';
        else if (ch === '\t') out += '\\t';
        else out += ch;
      }
      return out + a.quote;
    };
    const print = (nodes: Gen[], indent: string): string =>
      nodes
        .map((g) => {
          const head = [g.name, ...g.args.map(write)].join(' ');
          const comment = g.comment === null ? '' : ` #${g.comment}`;
          if (g.block === null) return `${indent}${head};${comment}\n`;
          return `${indent}${head} {${comment}\n${print(g.block, indent + '    ')}${indent}}\n`;
        })
        .join('');
    const shape = (nodes: NginxNode[]): unknown[] =>
      nodes
        .filter((n): n is NginxDirective => n.type === 'directive')
        .map((d) => [d.name, d.args.map((a) => [a.value, a.quote]), d.block ? shape(d.block.children) : null]);
    const expected = (nodes: Gen[]): unknown[] =>
      nodes.map((g) => [g.name, g.args.map((a) => [a.value, a.quote]), g.block ? expected(g.block) : null]);

    it('parse to exactly the generated directives, with no diagnostic', () => {
      fc.assert(
        fc.property(tree, (nodes) => {
          const text = print(nodes, '');
          const f = parseNginx(text);
          assert.deepEqual(f.diagnostics, [], text);
          assert.deepEqual(shape(f.children), expected(nodes), text);
          assert.equal(printNginx(f), text);
        }),
        { numRuns: 400 },
      );
    });

    it('stay re-printable and well-formed after any single-character damage', () => {
      const damage = fc.tuple(fc.nat(), fc.constantFrom('{', '}', ';', '"', "'", '\\', '#', '', '\n'));
      fc.assert(
        fc.property(tree, damage, (nodes, [at, ch]) => {
          const text = print(nodes, '');
          const i = text.length === 0 ? 0 : at % text.length;
          const broken = text.slice(0, i) + ch + text.slice(i + (ch === '' ? 1 : 0));
          roundTrip(broken);
        }),
        { numRuns: 600 },
      );
    });
  });

  it('handles megabyte-sized hostile inputs', () => {
    const MB = 1 << 20;
    const K256 = 1 << 18;
    const inputs: [string, string][] = [
      // 1 MB lines.
      ['one long word', 'x'.repeat(MB)],
      ['one long line of words', 'ab '.repeat(MB / 3)],
      ['unterminated quote', '"' + 'x'.repeat(MB)],
      ['"$" and a million "{"', '$' + '{'.repeat(MB)],
      ['backslashes', '\\'.repeat(MB)],
      ['a long comment', '#'.repeat(MB)],
      ['unclosed Lua long brackets', 'content_by_lua_block {' + '[=['.repeat(MB / 3)],
      ['nested Lua braces', 'init_by_lua_block ' + '{'.repeat(MB)],
      ['glued quantifiers', 'location ~ ' + 'a{1}'.repeat(MB / 4) + ' {}'],
      // A quarter of a million nested blocks, stray braces, broken lines.
      ['nested "{"', '{'.repeat(K256)],
      ['stray "}"', '}'.repeat(K256)],
      ['open quotes on every line', 'a "x\n'.repeat(K256 / 5)],
      ['missing semicolons', 'listen 80\n'.repeat(K256 / 10)],
    ];
    for (const [label, text] of inputs) {
      const f = parseNginx(text);
      assert.equal(printNginx(f), text, label);
      assert.equal(checkTree(f), null, label);
    }
  });

  it('takes time linear in the input size', function () {
    // Mostly waiting for the CPU on a busy machine; the check itself uses CPU time.
    this.timeout(300000);
    // CPU time of this process: steadier than wall time on a busy machine.
    const cpuMs = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1000;
    };
    // Collect garbage before each run so that every measurement starts from a clean heap.
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const timeOf = (text: string) => {
      let best = Infinity;
      for (let r = 0; r < 3; r++) {
        gc();
        const t0 = cpuMs();
        parseNginx(text);
        best = Math.min(best, cpuMs() - t0);
      }
      return Math.max(best, 0.5);
    };
    const junk = (n: number, seed: number) => {
      let x = seed;
      let s = '';
      for (let i = 0; i < n; i++) {
        x = (Math.imul(x, 1103515245) + 12345) & 0x7fffffff;
        s += NGINX_CHARS[x % NGINX_CHARS.length];
      }
      return s;
    };
    const shapes: [string, (n: number) => string][] = [
      ['random junk', (n) => junk(n, 7)],
      [
        'ordinary config',
        (n) => 'server {\n    listen 80;\n    location / { proxy_pass http://b; }\n}\n'.repeat(Math.ceil(n / 64)),
      ],
      ['open quotes on every line', (n) => 'a "x\n'.repeat(n / 5)],
      ['nested blocks', (n) => 'a {'.repeat(n / 3)],
      ['quotes of both kinds', (n) => 'a "x \'\n'.repeat(n / 7)],
      ['missing semicolons', (n) => 'listen 80\n'.repeat(n / 10)],
    ];
    // 200 KB of random junk well within 200 ms of CPU.
    const junkTime = timeOf(junk(200_000, 11));
    assert.ok(junkTime < 200, `200 KB of junk took ${junkTime.toFixed(1)} ms`);
    const small = 100_000;
    const seen: string[] = [];
    for (const [label, make] of shapes) {
      // 4x the input may take at most 8x the time (quadratic would be 16x); retried, as
      // a busy machine can stretch a single measurement but not a quadratic trend.
      let ratio = Infinity;
      for (let attempt = 0; attempt < 3 && ratio > 8; attempt++) {
        const a = timeOf(make(small));
        const b = timeOf(make(4 * small));
        ratio = Math.min(ratio, b / a);
      }
      seen.push(`${label} ${ratio.toFixed(1)}x`);
      assert.ok(ratio <= 8, `${label}: 4x input took ${ratio.toFixed(1)}x the time (so far: ${seen.join(', ')})`);
    }
  });
});
