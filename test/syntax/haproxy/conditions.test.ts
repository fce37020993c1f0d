/**
 * `.if` conditions: parse errors and evaluation, unit cases and a differential test against
 * the real haproxy -c (HAProxy 2.6, installed by .ci/run).
 */
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import {
  compareVersions,
  evaluateCondition,
  isActive,
  parseCondition,
  parseHaproxy,
} from '../../../server/src/service/syntax/haproxy';
import { binary, need } from '../../helpers/needs';

describe('HAProxy .if conditions', () => {
  it('parses and evaluates numbers, !, &&, ||, parentheses and predicates', () => {
    const ev = (t: string): boolean | undefined => {
      const p = parseCondition(t);
      assert.equal(p.error, null, `${t}: ${JSON.stringify(p.error)}`);
      return evaluateCondition(p.expr, { version: '2.6.12' });
    };
    assert.equal(ev(''), false);
    assert.equal(ev('1'), true);
    assert.equal(ev('0x0'), false);
    assert.equal(ev('! 0'), true);
    assert.equal(ev('0 || 1 && 0'), false);
    assert.equal(ev('(0 || 1) && !0'), true);
    assert.equal(ev('streq(a,a) && strneq(a,b)'), true);
    assert.equal(ev('version_atleast(2.6)'), true);
    assert.equal(ev('version_atleast(2.7-dev0)'), false);
    assert.equal(ev('version_before(2.6.13)'), true);
    assert.equal(ev('defined(HOME)'), undefined);
    assert.equal(ev('defined(HOME) || 1'), true);
    assert.equal(evaluateCondition(parseCondition('defined(X)').expr, { env: new Set(['X']) }), true);
  });

  it('reports what HAProxy refuses', () => {
    for (const t of [
      'foo',
      'streq(a)',
      'streq(a,b,c)',
      'streq',
      'defined)',
      '(1',
      '1 2',
      '1 &&',
      'version_atleast (2.6)',
      ')',
    ]) {
      assert.ok(parseCondition(t).error, t);
    }
  });

  it('compares versions with -dev before the release', () => {
    assert.equal(compareVersions('2.6.12', '2.6'), 1);
    assert.equal(compareVersions('2.6', '2.6.0'), 0);
    assert.equal(compareVersions('2.6-dev3', '2.6.0'), -1);
    assert.equal(compareVersions('2.10', '2.9'), 1);
  });

  it('marks statements of dead branches inactive and reports bad conditions once, on the word', () => {
    const f = parseHaproxy(
      [
        'global',
        '.if version_atleast(2.8)',
        '    new-keyword 1',
        '.elif streq(a,a)',
        '    taken 1',
        '.else',
        '    not-taken 1',
        '.endif',
        '.if defined(SOMETHING)',
        '    unknown 1',
        '.endif',
        '.if streq(x) && 1',
        '.endif',
        '.if "${ENVCOND}"',
        '.endif',
        '',
      ].join('\n'),
    );
    const act = Object.fromEntries(
      f.sections[0].statements.map((s) => [s.keyword, isActive(s, { version: '2.6.12' })]),
    );
    assert.deepEqual(act, { 'new-keyword': false, taken: true, 'not-taken': false, unknown: undefined });
    assert.deepEqual(
      f.diagnostics.map((d) => [d.code, f.lineIndex.positionAt(d.start).line, f.text.slice(d.start, d.end)]),
      [['bad-condition', 11, 'streq(x)']],
    );
  });
});

const TOKENS = [
  '1',
  '0',
  '0x1',
  '07',
  '08',
  '!',
  '!',
  '(',
  ')',
  '&&',
  '||',
  ' ',
  ' ',
  'defined(A)',
  'defined(ZZ)',
  'streq(a,a)',
  'streq(a,b)',
  'strneq(a,b)',
  'streq(\'a b\',"a b")',
  'streq(a\\,b,a)',
  'version_atleast(2.6)',
  'version_atleast(2.7)',
  'version_before(2.6.13)',
  'version_before(2.6-dev1)',
  'version_atleast(2.6.12)',
  'streq(a)',
  'defined',
  'foo',
  'streq(a,b,c)',
  'streq',
  'defined()',
  'streq(a,)',
  'streq(a\\',
  "streq('a,b)",
  'defined(A',
  'feature(X)x',
];

function haproxy(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary('haproxy'),
      ['-c', '-f', file],
      { timeout: 30_000, env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin', A: '1' } },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
          reject(new Error('haproxy is not installed: .ci/run installs it'));
        else resolve(`${stdout}\n${stderr}`);
      },
    );
  });
}

describe('HAProxy .if conditions against the real haproxy -c (differential)', function () {
  this.timeout(300_000);
  before(function () {
    need(this, 'haproxy');
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-hap-cond-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('agrees on refusal and on the branch taken', async () => {
    const version = /version (\d+\.\d+\.\d+)/.exec(execFileSync(binary('haproxy'), ['-v'], { encoding: 'utf8' }))![1];
    let n = 0;
    let evaluated = 0;
    // Half junk from the token list, half well-formed expressions (so that many get evaluated).
    const junk = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 7 }).map((t) => t.join(''));
    const atom = fc.constantFrom(
      ...TOKENS.filter((t) => /^[0-9]|^\w+\(.*\)$/.test(t) && !/streq\(a\)|streq\(a,b,c\)/.test(t)),
    );
    const { expr } = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        atom,
        fc.tuple(fc.constantFrom('', '!', '! '), tie('expr')).map(([n, e]) => `${n}(${e})`),
        fc
          .tuple(tie('expr'), fc.constantFrom(' && ', '||', ' || ', '&&'), tie('expr'))
          .map(([a, op, b]) => `${a}${op}${b}`),
      ),
    }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(junk, expr), async (cond) => {
        const file = path.join(dir, `c${n++}.cfg`);
        fs.writeFileSync(file, `global\n.if ${cond}\n.notice T\n.else\n.notice F\n.endif\n`);
        const out = await haproxy(file);
        const refused = /in '\.if' at position/.test(out);
        const tree = parseHaproxy(fs.readFileSync(file, 'utf8'));
        if (tree.lines[1].invalid) {
          // A lexical error on the .if line: HAProxy reports it and skips the line.
          assert.match(out, /parsing \[[^\]]*:2\]: (unmatched quote|truncated or invalid hexadecimal)/, out);
          return;
        }
        const ours = tree.diagnostics.filter((d) => d.code === 'bad-condition');
        assert.equal(
          ours.length > 0,
          refused,
          `${JSON.stringify(cond)}: haproxy ${refused ? 'refuses' : 'accepts'}; we say ${JSON.stringify(ours)}\n${out}`,
        );
        if (refused) return;
        const taken = /\[NOTICE\].*'T'/.test(out) ? true : /\[NOTICE\].*'F'/.test(out) ? false : null;
        assert.notEqual(taken, null, out);
        const v = evaluateCondition(tree.conditionals[0].condition ?? null, { version, env: new Set(['A']) });
        if (v !== undefined) {
          assert.equal(v, taken, `${JSON.stringify(cond)} evaluates to ${v}, haproxy took ${taken}`);
          evaluated++;
        }
      }),
      {
        numRuns: Number(process.env.WSLB_COND_RUNS ?? 60),
        ...(process.env.WSLB_SEED ? { seed: Number(process.env.WSLB_SEED) } : {}),
      },
    );
    assert.ok(evaluated >= 10, `only ${evaluated} evaluations compared`);
  });
});
