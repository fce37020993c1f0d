/**
 * The HAProxy knowledge check reads the options of server and bind lines of the tree through a
 * memo of option words (knowledge/haproxy-validate-options.ts: optionsClean(), optionInfo()) and reports
 * through checkOptions() only the lines where that walk finds something. These tests compare it
 * with validateHaproxyUnmemoised(), which reads every line's words from its word objects and
 * walks them with checkOptions(), on generated server, server-template, default-server and bind
 * lines: every documented option with 0, 1, 2 and 3 following words, options that take several
 * arguments followed by options and by other words, misspelled options, options the Debian 12
 * build lacks, and `no`-modified lines.
 */
import { strict as assert } from 'node:assert';
import {
  haproxyBindOptions,
  haproxyServerOptions,
  validateHaproxy,
  validateHaproxyUnmemoised,
  type KnowledgeDiagnostic,
} from '../../server/src/service/knowledge';
import { parseHaproxy } from '../../server/src/service/syntax/haproxy';
import { seededRandom as random } from '../helpers/random';

const VERSIONS = ['2.6.12', '2.8.3'];

function rowsOf(text: string, ds: KnowledgeDiagnostic[]): string[] {
  return ds.map(
    (d) =>
      `${d.span.start}-${d.span.end} ${JSON.stringify(text.slice(d.span.start, d.span.end))} ${d.severity} ${d.code} ${d.message}`,
  );
}

/** Asserts that the checks agree on `text` (twice: the memo of option words then holds its words); returns the findings. */
function compare(text: string, version: string): string[] {
  const tree = parseHaproxy(text);
  const expected = rowsOf(text, validateHaproxyUnmemoised(tree, { version }));
  assert.deepEqual(rowsOf(text, validateHaproxy(tree, { version })), expected, version);
  assert.deepEqual(rowsOf(text, validateHaproxy(parseHaproxy(text), { version })), expected, `${version} (again)`);
  return expected;
}

const HEADS: Record<'server' | 'bind', string[]> = {
  server: ['server s1 10.0.0.1:80', 'server-template srv 3 app.local:80', 'default-server'],
  bind: ['bind :80', 'bind 127.0.0.1:8443'],
};
const VALUES = ['1', '2s', 'x', '10.0.0.9', 'libc,none', 'h2,http/1.1', '/etc/x.pem', 'TLSv1.2'];

function optionLines(kind: 'server' | 'bind', names: string[], rnd: () => number): string[] {
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)];
  const misspelled = names.map((n) => n.slice(0, -1) + 'q');
  const lines: string[] = [];
  // every option alone, and followed by 1, 2 and 3 words that are values, options or both
  for (const name of names) {
    for (let extra = 0; extra <= 3; extra++) {
      const words = [name];
      for (let k = 0; k < extra; k++) words.push(rnd() < 0.5 ? pick(VALUES) : pick(names));
      lines.push(`${pick(HEADS[kind])} ${words.join(' ')}`);
    }
  }
  // longer random mixes, with a misspelled option now and then
  for (let i = 0; i < 400; i++) {
    const words: string[] = [];
    const n = 1 + Math.floor(rnd() * 8);
    for (let k = 0; k < n; k++) {
      const r = rnd();
      words.push(r < 0.6 ? pick(names) : r < 0.9 ? pick(VALUES) : pick(misspelled));
    }
    lines.push(`${pick(HEADS[kind])} ${words.join(' ')}`);
  }
  return lines;
}

describe('knowledge: HAProxy server and bind options through the option memo', function () {
  this.timeout(120_000);

  it('give the findings of the reference reading on generated option lines, in every proxy section kind', function () {
    const rnd = random(0x5eed);
    const server = optionLines(
      'server',
      haproxyServerOptions().map((o) => o.name),
      rnd,
    );
    const bind = optionLines(
      'bind',
      haproxyBindOptions().map((o) => o.name),
      rnd,
    );
    let findings = 0;
    for (const version of VERSIONS) {
      for (const head of ['defaults', 'defaults named', 'frontend f', 'backend b', 'listen l']) {
        const body = [...server, ...bind].map((l, i) => (i % 7 === 3 ? `    no ${l}\n` : `    ${l}\n`)).join('');
        const found = compare(`${head}\n${body}`, version);
        findings += found.length;
      }
    }
    assert.ok(findings > 1000, `${findings} findings`);
  });

  it('report a bind option the Debian 12 build lacks, and whatever follows an option of several arguments', function () {
    const text = [
      'frontend f',
      '    bind :443 quic-cc-algo cubic',
      '    bind :443 ssl quic-force-retry',
      '    bind :443 ca-ignore-err all ssl crt /x.pem',
      '    bind :443 ca-ignore-err all sssl',
      '    bind :443 process 1 2 3 sssl',
      'backend b',
      '    server a 10.0.0.1:80 init-addr last libc none check',
      '    server a 10.0.0.1:80 init-addr last libc chekc',
      '    server a 10.0.0.1:80 track b/a check chekc',
      '    server a 10.0.0.1:80 source 10.0.0.2 usesrc client check',
      '',
    ].join('\n');
    compare(text, '2.6.12');
    const lineOf = (d: KnowledgeDiagnostic) => text.slice(0, d.span.start).split('\n').length;
    const got = validateHaproxy(parseHaproxy(text), { version: '2.6.12' }).map(
      (d) => `${lineOf(d)} ${text.slice(d.span.start, d.span.end)} ${d.severity} ${d.code}`,
    );
    // (an option of several arguments takes the words after it up to the next option: `all sssl`,
    // `last libc chekc` and `10.0.0.2 usesrc client` are arguments; `process` takes at most 3)
    assert.deepEqual(got, [
      '2 quic-cc-algo warning haproxy/not-in-build',
      '3 quic-force-retry warning haproxy/not-in-build',
      '6 sssl error haproxy/unknown-bind-option',
      '10 chekc error haproxy/unknown-server-option',
    ]);
  });
});
