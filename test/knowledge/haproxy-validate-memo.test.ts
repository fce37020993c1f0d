/**
 * The HAProxy knowledge check keeps a memo of what a statement's first words imply (per version,
 * section kind, named or anonymous defaults, words[0] and words[1]; knowledge/haproxy-validate-memo.ts).
 * These tests compare it with validateHaproxyUnmemoised(), which works every statement out from
 * its own words, on inputs chosen so that a memo key missing one of those inputs would hand a
 * line the answer of another context: every corpus file, and every distinct corpus line put in
 * every kind of section, one after the other, under two target versions.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  validateHaproxy,
  validateHaproxyUnmemoised,
  type KnowledgeDiagnostic,
} from '../../server/src/service/knowledge';
import { parseHaproxy } from '../../server/src/service/syntax/haproxy';
import { CORPUS, corpusRows } from '../helpers/corpus';
import { need } from '../helpers/needs';

const VERSIONS = ['2.6.12', '2.8.3'];

/** Section headers of every kind the check reads differently (defaults: named and anonymous). */
const HEADS = [
  'global',
  'defaults',
  'defaults named',
  'frontend f',
  'backend b',
  'listen l',
  'peers p',
  'resolvers r',
  'userlist u',
  'cache c',
  'ring r',
  'mailers m',
  'http-errors h',
  'program p',
  'fcgi-app a',
  'log-forward l',
];

function corpusTexts(): { name: string; text: string }[] {
  const rows = corpusRows('haproxy');
  return rows.map((r) => ({ name: r.path, text: fs.readFileSync(path.join(CORPUS, r.path), 'utf8') }));
}

/** Findings as comparable rows, with the text they point at. */
function rowsOf(text: string, ds: KnowledgeDiagnostic[]): string[] {
  return ds.map(
    (d) =>
      `${d.span.start}-${d.span.end} ${JSON.stringify(text.slice(d.span.start, d.span.end))} ${d.severity} ${d.code} ${d.message}`,
  );
}

/** Asserts that the memo gives the unmemoised findings (cold and warm); returns them. */
function compare(name: string, text: string, version: string): string[] {
  const tree = parseHaproxy(text);
  const expected = rowsOf(text, validateHaproxyUnmemoised(tree, { version }));
  assert.deepEqual(rowsOf(text, validateHaproxy(tree, { version })), expected, `${name} (${version})`);
  // and again, from a memo that now holds this file's heads
  assert.deepEqual(rowsOf(text, validateHaproxy(tree, { version })), expected, `${name} (${version}, warm)`);
  return expected;
}

describe('knowledge: the HAProxy check memo gives the unmemoised findings', function () {
  this.timeout(120_000);
  const files = corpusTexts();

  it('on every corpus file, for two target versions', function () {
    need(this, 'shared');
    let findings = 0;
    for (const version of VERSIONS) for (const f of files) findings += compare(f.name, f.text, version).length;
    assert.ok(findings > 0, 'the corpus gives some findings');
  });

  it('on corpus lines (one per distinct head, every server/bind shape) in every kind of section, with and without a `no` modifier', function () {
    need(this, 'shared');
    // One line per distinct first three words (the unmemoised check of 16 sections x 2 versions of
    // every distinct line takes minutes), and every server and bind line, whose options are read
    // to the end, that differs from the others in more than its numbers.
    const lines = new Map<string, string>();
    for (const f of files) {
      for (const raw of f.text.split(/\r?\n/)) {
        const l = raw.trim();
        // statements only: no section headers (the line would open a section of its own) or directives
        if (
          !l ||
          l.startsWith('.') ||
          l.startsWith('[') ||
          /^(global|defaults|frontend|backend|listen|peers|resolvers|userlist|mailers|program|http-errors|ring|log-forward|cache|fcgi-app|namespace_list|traces)\b/.test(
            l,
          )
        )
          continue;
        const key = /^(server|default-server|server-template|bind)\s/.test(l)
          ? l.replace(/\d+/g, '0')
          : l.split(/\s+/).slice(0, 3).join(' ');
        if (!lines.has(key)) lines.set(key, l);
      }
    }
    const body = [...lines.values()].map((l) => `    ${l}\n    no ${l}\n`).join('');
    let findings = 0;
    const byHead = new Map<string, string[]>();
    for (const version of VERSIONS) {
      for (const head of HEADS) {
        const found = compare(head, `${head}\n${body}`, version);
        findings += found.length;
        byHead.set(
          `${version} ${head}`,
          found.map((r) => r.replace(/^\d+-\d+ /, '')),
        );
      }
    }
    assert.ok(lines.size > 500, `${lines.size} distinct lines`);
    // The contexts do give different answers for the same lines, so a memo that mixed them up would fail above.
    const differ = (a: string, b: string) => assert.notDeepEqual(byHead.get(a), byHead.get(b), `${a} / ${b}`);
    differ('2.6.12 defaults', '2.6.12 defaults named');
    differ('2.6.12 frontend f', '2.6.12 backend b');
    differ('2.6.12 backend b', '2.6.12 listen l');
    differ('2.6.12 global', '2.6.12 peers p');
    differ('2.6.12 frontend f', '2.8.3 frontend f');
    assert.ok(findings > 0);
  });

  it('lines that differ only after their first word get their own findings', () => {
    const text = [
      'defaults',
      '    mode http',
      '    mode htp',
      '    acl a path /x',
      'defaults named',
      '    acl a path /x',
      'frontend f',
      '    http-request set-header X 1',
      '    http-request set-headr X 1',
      '    timeout client 5s',
      '    timeout clitimeout 5s',
      '    option httplog',
      '    option forceclose',
      '    option httplg',
      '    balance roundrobin',
      '    bind :80',
      '    bind :81 ssl crt /x.pem',
      '    bind :82 sssl',
      'backend b',
      '    balance roundrobin',
      '    balance roundrobn',
      '    server a 10.0.0.1:80 check',
      '    server b 10.0.0.1:80 chekc',
      '    server c 10.0.0.1:80',
      '    no option httpchk',
      '    no option httpchkk',
      '    no',
      '',
    ].join('\n');
    for (const version of VERSIONS) compare('inline', text, version);
    const tree = parseHaproxy(text);
    const lineOf = (d: KnowledgeDiagnostic) => text.slice(0, d.span.start).split('\n').length;
    const got = validateHaproxy(tree, { version: '2.6.12' }).map((d) => `${lineOf(d)}:${d.code}`);
    assert.deepEqual(got, [
      '3:haproxy/invalid-value',
      '4:haproxy/keyword-not-allowed-here',
      '9:haproxy/unknown-action',
      '11:haproxy/keyword-removed',
      '13:haproxy/keyword-removed',
      '14:haproxy/unknown-keyword',
      '15:haproxy/keyword-not-allowed-here',
      '18:haproxy/unknown-bind-option',
      '21:haproxy/invalid-value',
      '23:haproxy/unknown-server-option',
      '26:haproxy/unknown-keyword',
    ]);
  });
});
