/**
 * Review tool for the real-world corpus (test/fixtures/real-world): runs `wslb check` on every unit
 * as the pinning test does (scripts/real-world.ts) and prints the difference with findings.tsv.
 *
 *   npx tsx scripts/real-world-review.ts               the difference (exit 1 when the test would fail)
 *   npx tsx scripts/real-world-review.ts --prune       also drop the rows of findings no longer reported
 *                                                      (wrong/noise that were fixed, and keep rows that were lost)
 *   npx tsx scripts/real-world-review.ts --write-docs  also regenerate docs/precision.md
 *
 * New findings are printed as rows to paste into findings.tsv once reviewed (VERDICT: keep, wrong
 * or noise; WHY: what nginx/HAProxy/AWS really does, or why it is not worth acting on).
 */
import * as fs from 'node:fs';
import {
  analyseCorpus,
  compare,
  FINDINGS_TSV,
  pasteRow,
  PRECISION_MD,
  readRows,
  renderPrecision,
  rowText,
  TSV_HEADER,
  type Row,
} from './real-world';

function byCode<T extends { code: string }>(xs: T[]): string {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x.code, (m.get(x.code) ?? 0) + 1);
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .map(([c, n]) => `${c} ${n}`)
    .join(', ');
}

async function run(): Promise<number> {
  const args = new Set(process.argv.slice(2));
  for (const a of args)
    if (!['--prune', '--write-docs'].includes(a)) {
      process.stderr.write(`unknown option ${a} (use --prune, --write-docs)\n`);
      return 2;
    }
  const rows = readRows();
  const produced = await analyseCorpus();
  const c = compare(produced, rows);
  const out = (s: string): boolean => process.stdout.write(s + '\n');
  out(
    `findings: ${produced.length}; rows: ${rows.length} (${rows.filter((r) => r.verdict === 'expected').length} expected)`,
  );
  out(
    `\nstill reported although reviewed as wrong or noise: ${c.bad.length}${c.bad.length ? ` (${byCode(c.bad.map((b) => b.finding))})` : ''}`,
  );
  out(`\nnew, unreviewed: ${c.unreviewed.length}`);
  for (const f of c.unreviewed) out(pasteRow(f));
  out(`\nno longer reported (wrong/noise rows that can go): ${c.gone.length}`);
  for (const r of c.gone) out(rowText(r));
  out(`\nreviewed as keep but no longer reported: ${c.lostKeep.length}`);
  for (const r of c.lostKeep) out(rowText(r));
  out(`\nexpected but not reported: ${c.missingExpected.length}`);
  for (const r of c.missingExpected) out(rowText(r));
  if (args.has('--prune')) {
    const drop = new Set<Row>([...c.gone, ...c.lostKeep]);
    const kept = rows.filter((r) => !drop.has(r));
    fs.writeFileSync(FINDINGS_TSV, [TSV_HEADER, ...kept.map(rowText)].join('\n') + '\n');
    out(`\npruned ${drop.size} row(s) from findings.tsv`);
  }
  if (args.has('--write-docs')) {
    fs.writeFileSync(PRECISION_MD, renderPrecision(produced, readRows()));
    out('\nwrote docs/precision.md');
  }
  const failing = c.bad.length + c.unreviewed.length + c.missingExpected.length + c.lostKeep.length;
  return failing ? 1 : 0;
}

run().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
