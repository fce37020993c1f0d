/**
 * Pins wslb's precision on the real-world corpus (test/fixtures/real-world): every finding
 * `wslb check` gives on it has a reviewed row in findings.tsv, none of them is one reviewed as
 * wrong or noise, every `expected` finding (a real pitfall) is reported, and no finding reviewed
 * as right is lost. How the units are checked: scripts/real-world.ts. To see the difference and
 * print ready-to-paste rows: `npx tsx scripts/real-world-review.ts`.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  analyseCorpus,
  compare,
  contextFiles,
  contradictions,
  FINDINGS_TSV,
  REAL_WORLD,
  pasteRow,
  PRECISION_MD,
  readRows,
  renderPrecision,
  units,
  type Comparison,
  type Produced,
  type Row,
} from '../../scripts/real-world';

const TSV = path.relative(process.cwd(), FINDINGS_TSV);
const REVIEW = 'npx tsx scripts/real-world-review.ts';

function list<T>(xs: T[], show: (x: T) => string, max = 40): string {
  const lines = xs.slice(0, max).map(show);
  if (xs.length > max) lines.push(`… and ${xs.length - max} more (${REVIEW} lists them all)`);
  return lines.join('\n');
}

function byCode(xs: { code: string }[]): string {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x.code, (m.get(x.code) ?? 0) + 1);
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ×${n}`)
    .join(', ');
}

/**
 * Findings reviewed as noise, and expected findings, that are known and not fixed yet: the open
 * work of the precision issue, listed in open.tsv (path, line, code, one reason). The test allows
 * exactly these and no other; an entry that no longer applies fails too, so the list only shrinks.
 * A finding reviewed as wrong is never allowed.
 */
const OPEN_TSV = path.join(REAL_WORLD, 'open.tsv');
function openKeys(): Set<string> {
  if (!fs.existsSync(OPEN_TSV)) return new Set();
  return new Set(
    fs
      .readFileSync(OPEN_TSV, 'utf8')
      .split('\n')
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => l.split('\t').slice(0, 3).join(' ')),
  );
}
const keyOf = (x: { path: string; line: number; code: string }): string => `${x.path} ${x.line} ${x.code}`;

const rowAt = (r: Row): string => `${r.path}:${r.line} ${r.code} (${TSV}:${r.tsvLine})`;

describe('precision on the real-world corpus', function () {
  this.timeout(120_000);
  let rows: Row[];
  let produced: Produced[];
  let c: Comparison;

  before(async () => {
    rows = readRows();
    produced = await analyseCorpus();
    c = compare(produced, rows);
  });

  it('has a well-formed, consistent table over the corpus files', () => {
    assert.ok(units().length >= 80, `only ${units().length} units`);
    assert.deepEqual(contradictions(rows), [], 'keys with both keep and wrong/noise rows');
    const missing = [...new Set(rows.map((r) => r.path))].filter((p) => !fs.existsSync(path.join(REAL_WORLD, p)));
    assert.deepEqual(missing, [], `rows name files that are not in the corpus`);
    // provenance: every file of the corpus has its SOURCES.tsv row (project, commit, licence)
    const sources = new Set(
      fs
        .readFileSync(path.join(REAL_WORLD, 'SOURCES.tsv'), 'utf8')
        .split('\n')
        .slice(1)
        .map((l) => l.split('\t')[0]),
    );
    const files = units()
      .flatMap((u) =>
        fs.statSync(path.join(REAL_WORLD, u)).isDirectory()
          ? fs.readdirSync(path.join(REAL_WORLD, u)).map((f) => `${u}/${f}`)
          : [u],
      )
      .concat(contextFiles());
    assert.deepEqual(
      files.filter((f) => !sources.has(f)),
      [],
      'corpus files without a SOURCES.tsv row',
    );
  });

  it('gives no finding reviewed as wrong, and no noise but the open entries', () => {
    const open = openKeys();
    const bad = c.bad.filter(({ finding, row }) => row.verdict === 'wrong' || !open.has(keyOf(finding)));
    // grouped by file, code and verdict: a template cascade is one line, not hundreds
    const groups = new Map<string, { lines: number[]; row: Row; n: number }>();
    for (const { finding, row } of bad) {
      const k = `${finding.path} ${finding.code} ${row.verdict}`;
      const g = groups.get(k) ?? groups.set(k, { lines: [], row, n: 0 }).get(k)!;
      g.n++;
      if (!g.lines.includes(finding.line)) g.lines.push(finding.line);
    }
    const lines = (xs: number[]) => xs.slice(0, 8).join(',') + (xs.length > 8 ? ',…' : '');
    assert.equal(
      bad.length,
      0,
      `${bad.length} finding(s) reviewed as wrong or noise are still reported (${byCode(bad.map((b) => b.finding))}):\n` +
        list(
          [...groups],
          ([k, g]) =>
            `${k.replace(/ (\S+) (\S+)$/, `:${lines(g.lines)} $1`)}${g.n > 1 ? ` ×${g.n}` : ''}: ${g.row.verdict} ` +
            `(${TSV}:${g.row.tsvLine}): ${g.row.why}`,
        ),
    );
  });

  it('gives every expected finding but the open entries', () => {
    const open = openKeys();
    const missing = c.missingExpected.filter((r) => !open.has(keyOf(r)));
    assert.equal(
      missing.length,
      0,
      `${missing.length} real pitfall(s) not reported:\n` + list(missing, (r) => `${rowAt(r)}: ${r.why}`),
    );
  });

  it('lists in open.tsv only what is still open (a fixed entry must be removed)', () => {
    const stillOpen = new Set([...c.bad.map((b) => keyOf(b.finding)), ...c.missingExpected.map(keyOf)]);
    const stale = [...openKeys()].filter((k) => !stillOpen.has(k));
    assert.deepEqual(
      stale,
      [],
      `open.tsv entries that are fixed: remove them from ${path.relative(process.cwd(), OPEN_TSV)}`,
    );
  });

  it('keeps every finding reviewed as right', () => {
    assert.equal(
      c.lostKeep.length,
      0,
      `${c.lostKeep.length} finding(s) reviewed as keep are no longer reported (if on purpose, drop the row ` +
        `with \`${REVIEW} --prune\` and say why in the commit):\n` +
        list(c.lostKeep, (r) => `${rowAt(r)}: ${r.why}`),
    );
  });

  it('has a reviewed row for every finding', () => {
    assert.equal(
      c.unreviewed.length,
      0,
      `${c.unreviewed.length} finding(s) without a row in ${TSV}; review each and paste its row with the ` +
        `verdict (keep, wrong or noise) and why filled in:\n` +
        list(c.unreviewed, pasteRow),
    );
  });

  it('has docs/precision.md up to date', () => {
    assert.equal(
      fs.readFileSync(PRECISION_MD, 'utf8'),
      renderPrecision(produced, rows),
      `run \`${REVIEW} --write-docs\``,
    );
  });
});

describe('real-world review: comparing findings with the table', () => {
  const row = (line: number, verdict: Row['verdict'], code = 'nginx/x'): Row => ({
    path: 'a.conf',
    line,
    code,
    severity: 'warning',
    verdict,
    why: 'because',
    tsvLine: line + 1,
  });
  const found = (line: number, code = 'nginx/x'): Produced => ({
    path: 'a.conf',
    line,
    code,
    severity: 'warning',
    message: 'm',
    unit: 'a.conf',
  });

  it('counts each key as a multiset: extra copies are unreviewed, missing copies are gone', () => {
    const c = compare(
      [found(1), found(1), found(2), found(3), found(3)],
      [row(1, 'keep'), row(2, 'noise'), row(3, 'wrong'), row(3, 'wrong'), row(3, 'wrong'), row(4, 'keep')],
    );
    assert.deepEqual(
      c.unreviewed.map((f) => f.line),
      [1],
    );
    assert.deepEqual(
      c.bad.map((b) => [b.finding.line, b.row.verdict]),
      [
        [2, 'noise'],
        [3, 'wrong'],
        [3, 'wrong'],
      ],
    );
    assert.deepEqual(
      c.gone.map((r) => r.line),
      [3],
    );
    assert.deepEqual(
      c.lostKeep.map((r) => r.line),
      [4],
    );
  });

  it('matches expected rows by path, line and code, and prints pasteable rows', () => {
    const c = compare([found(5, 'haproxy/y')], [row(5, 'expected', 'haproxy/y'), row(6, 'expected', 'haproxy/y')]);
    assert.deepEqual(
      c.missingExpected.map((r) => r.line),
      [6],
    );
    assert.equal(c.unreviewed.length, 0, 'an expected row reviews its finding once it appears');
    assert.equal(pasteRow(found(7)).split('\t').length, 6);
    assert.deepEqual(contradictions([row(8, 'keep'), row(8, 'noise')]), ['a.conf:8:nginx/x']);
    // an expected row beside the keep row of the same finding: met, nothing lost or unreviewed
    const both = compare([found(9, 'haproxy/y')], [row(9, 'expected', 'haproxy/y'), row(9, 'keep', 'haproxy/y')]);
    assert.deepEqual([both.missingExpected.length, both.lostKeep.length, both.unreviewed.length], [0, 0, 0]);
  });
});
