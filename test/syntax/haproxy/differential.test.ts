/**
 * Differential test against the real HAProxy 2.6 of this machine (installed by .ci/run).
 *
 * Random lines built from the tricky pieces of HAProxy's syntax (quotes, escapes, comments,
 * environment references) are written as `.notice <line>` in a `global` section. HAProxy then
 * prints, for each line: the lexical error it found, or "Unexpected argument '<word 3>'" when
 * the line has more than two words, or the notice with the value of word 2. The parser must
 * agree on every line: same error class, or same word values.
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseHaproxy } from '../../../server/src/service/syntax/haproxy';
import { binary, need } from '../../helpers/needs';

const PIECES = [
  'a',
  'b',
  'x1',
  '-',
  '.',
  ':',
  '/',
  ',',
  '(',
  ')',
  '!',
  '*',
  '=',
  ' ',
  '  ',
  '\t',
  '"',
  '"',
  "'",
  "'",
  '#',
  '\\',
  '\\ ',
  '\\\\',
  '\\#',
  '\\"',
  "\\'",
  '\\t',
  '\\x41',
  '\\x7e',
  '\\x4',
  '\\xg1',
  '\\$',
  '\\1',
  '$',
  '$A',
  '${A}',
  '${B-dflt}',
  '${B-x y}',
  '${A[*]}',
  '${A[x]}',
  '${',
  '${A',
  '${.LINE}',
  '${.NOPE}',
  '$1',
  '{',
  '}',
  '[',
  ']',
];

/** HAProxy's lexical error messages (src/cfgparse.c readcfgfile(), v2.6) and our codes. */
const LEXICAL: [RegExp, string][] = [
  [/unmatched quote/, 'unterminated-quote'],
  [/unmatched brace/, 'unmatched-brace'],
  [/forbidden first char in environment variable name/, 'bad-env-name'],
  [/truncated or invalid hexadecimal sequence/, 'bad-escape'],
  [/truncated or invalid word expansion/, 'bad-word-expansion'],
  [/too many words/, 'too-many-words'],
];

interface Outcome {
  kind: 'error';
  code: string;
}
type Seen = Outcome | { kind: 'unexpected'; value: string } | { kind: 'notice'; value: string };

function runHaproxy(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      binary('haproxy'),
      ['-c', '-f', file],
      {
        timeout: 30_000,
        encoding: 'latin1',
        env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', A: 'va' },
      },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT')
          reject(new Error('haproxy is not installed: .ci/run installs it'));
        else resolve(`${stdout}\n${stderr}`);
      },
    );
  });
}

function readOutput(out: string): Map<number, Seen> {
  const seen = new Map<number, Seen>();
  for (const l of out.split('\n')) {
    const m = /parsing \[[^\]]*?:(\d+)\]: (.*)$/.exec(l);
    if (!m) continue;
    const line = Number(m[1]);
    const msg = m[2];
    const lex = LEXICAL.find(([re]) => re.test(msg));
    if (lex) {
      seen.set(line, { kind: 'error', code: lex[1] });
      continue;
    }
    const u = /^Unexpected argument '(.*)' for '\.notice'\. Use quotes/.exec(msg);
    if (u) {
      seen.set(line, { kind: 'unexpected', value: u[1] });
      continue;
    }
    const n = /^'(.*)'\.$/.exec(msg);
    if (n && l.includes('[NOTICE]')) seen.set(line, { kind: 'notice', value: n[1] });
  }
  return seen;
}

describe('HAProxy parser against the real haproxy -c (differential)', function () {
  this.timeout(300_000);
  before(function () {
    need(this, 'haproxy');
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-hap-diff-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('agrees with HAProxy 2.6 on errors and word values of random tricky lines', async () => {
    const lineArb = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 10 }).map((p) => p.join(''));
    let run = 0;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lineArb, { minLength: 40, maxLength: 40 }), async (lines) => {
        const text = 'global\n' + lines.map((l) => `.notice ${l}\n`).join('');
        const file = path.join(dir, `t${run++}.cfg`);
        fs.writeFileSync(file, text, 'latin1');
        const seen = readOutput(await runHaproxy(file));
        const tree = parseHaproxy(text);
        for (let k = 0; k < lines.length; k++) {
          const lineNo = k + 2;
          const words = tree.lines[k + 1].words;
          const ours = tree.diagnostics.filter((d) => tree.lineIndex.positionAt(d.start).line === k + 1);
          const theirs = seen.get(lineNo);
          const ctx = `line ${JSON.stringify(lines[k])}: haproxy saw ${JSON.stringify(theirs)}, we saw ${JSON.stringify(ours)} / ${JSON.stringify(words.map((w) => w.value))}`;
          assert.ok(theirs, `no haproxy output for ${ctx}`);
          if (theirs.kind === 'error') {
            assert.deepEqual(
              ours.map((d) => d.code),
              [theirs.code],
              ctx,
            );
            continue;
          }
          const withEnv = words.some((w) => w.envRefs);
          if (theirs.kind === 'unexpected') {
            assert.deepEqual(
              ours.map((d) => d.code),
              ['unexpected-argument'],
              ctx,
            );
            if (!withEnv) assert.equal(words[2].value, theirs.value, ctx);
          } else {
            assert.deepEqual(ours, [], ctx);
            if (!withEnv) assert.equal(words[1]?.value ?? '', theirs.value, ctx);
          }
          compared++;
        }
      }),
      {
        numRuns: Number(process.env.WSLB_DIFF_RUNS ?? 10),
        endOnFailure: true,
        ...(process.env.WSLB_SEED ? { seed: Number(process.env.WSLB_SEED) } : {}),
      },
    );
    assert.ok(compared > 100, `only ${compared} lines compared`);
  });
});
