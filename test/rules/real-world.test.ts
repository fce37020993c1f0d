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
  contradictions,
  FINDINGS_TSV,
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

const at = (f: Produced): string => `${f.path}:${f.line} ${f.code} (${f.severity}; checked as ${f.unit})`;
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
  });

  it('gives no finding reviewed as wrong or noise', () => {
    assert.equal(
      c.bad.length,
      0,
      `${c.bad.length} finding(s) reviewed as wrong or noise are still reported (${byCode(c.bad.map((b) => b.finding))}):\n` +
        list(c.bad, ({ finding, row }) => `${at(finding)}: ${row.verdict} (${TSV}:${row.tsvLine}): ${row.why}`),
    );
  });

  it('gives every expected finding', () => {
    assert.equal(
      c.missingExpected.length,
      0,
      `${c.missingExpected.length} real pitfall(s) not reported:\n` +
        list(c.missingExpected, (r) => `${rowAt(r)}: ${r.why}`),
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
