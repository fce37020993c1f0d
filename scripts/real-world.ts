/**
 * The real-world corpus (test/fixtures/real-world): runs `wslb check` on every unit the way a
 * user does, and compares the findings with the reviewed table findings.tsv. Shared by the
 * pinning test (test/rules/real-world.test.ts) and the review tool (scripts/real-world-review.ts).
 *
 * A unit is one nginx, HAProxy or CloudFormation file, or one Terraform module folder (a module
 * is a folder: its variables and resources span the files). Each unit is checked in process with
 * `wslb check <unit> --format json` and default options (nginx 1.22.1, HAProxy 2.6.12, 30 s
 * heartbeat, includes followed as on a developer's machine), on a disk where nothing outside the
 * corpus exists: an `include /etc/nginx/mime.types` reads as missing whether or not the machine
 * running the test has nginx installed (what it finds there must not change the result).
 *
 * A finding is keyed by (path, line, code): path relative to the corpus root, line 1-based. An
 * nginx unit can report lines of the files it includes or that include it, so a snippet shared
 * by several units is reported once per unit; the table holds one row per finding.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../server/src/cli/wslb';
import { NodeFileSystem } from '../server/src/node/nodefs';
import { isInsideRoots, type NotARegularFile } from '../server/src/service/model/fs';
import type { JsonFinding } from '../server/src/cli/format';
import { initAwsParsers } from '../server/src/service';

export const REAL_WORLD = path.resolve(__dirname, '..', 'test', 'fixtures', 'real-world');
export const FINDINGS_TSV = path.join(REAL_WORLD, 'findings.tsv');
export const BASELINE_TSV = path.join(REAL_WORLD, 'baseline.tsv');

export const VERDICTS = ['keep', 'wrong', 'noise', 'expected'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface Row {
  path: string;
  line: number;
  code: string;
  severity: string;
  verdict: Verdict;
  why: string;
  /** 1-based line in findings.tsv (for messages). */
  tsvLine: number;
}

export interface Produced {
  path: string;
  line: number;
  code: string;
  severity: string;
  message: string;
  /** The unit whose check reported it (relative to the corpus root). */
  unit: string;
}

export const TSV_HEADER = 'path\tline\tcode\tseverity\tverdict\twhy';

export function keyOf(x: { path: string; line: number; code: string }): string {
  return `${x.path}\t${x.line}\t${x.code}`;
}

/** Reads findings.tsv; throws with the line number on a malformed row. */
export function readRows(file = FINDINGS_TSV): Row[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  if (lines[0] !== TSV_HEADER) throw new Error(`${file}:1: header must be "${TSV_HEADER}"`);
  const rows: Row[] = [];
  lines.forEach((l, i) => {
    if (i === 0 || l.trim() === '') return;
    const cols = l.split('\t');
    const where = `${path.basename(file)}:${i + 1}`;
    if (cols.length < 6) throw new Error(`${where}: expected 6 tab-separated columns, got ${cols.length}`);
    const [p, line, code, severity, verdict, ...why] = cols;
    if (!/^[1-9]\d*$/.test(line)) throw new Error(`${where}: line "${line}" is not a positive number`);
    if (!(VERDICTS as readonly string[]).includes(verdict))
      throw new Error(`${where}: verdict "${verdict}" is not one of ${VERDICTS.join(', ')}`);
    if (why.join('\t').trim() === '') throw new Error(`${where}: the why column is empty`);
    rows.push({
      path: p,
      line: Number(line),
      code,
      severity,
      verdict: verdict as Verdict,
      why: why.join('\t'),
      tsvLine: i + 1,
    });
  });
  return rows;
}

export function rowText(r: Omit<Row, 'tsvLine'>): string {
  return [r.path, String(r.line), r.code, r.severity, r.verdict, r.why].join('\t');
}

/**
 * Files kept beside a config only for its deployment context (the image a compose file or
 * Dockerfile pins gives the HAProxy/nginx version): read by version detection, not checked.
 */
export const CONTEXT_FILE = /^(?:docker-compose[\w.-]*\.ya?ml|compose\.ya?ml|Dockerfile)$/;

/** The context files of the corpus, relative to its root. */
export function contextFiles(root = REAL_WORLD): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const e of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (CONTEXT_FILE.test(e.name) && !rel.startsWith('terraform')) out.push(r);
    }
  };
  for (const kind of ['nginx', 'haproxy']) walk(kind);
  return out.sort();
}

/** The units, relative to the corpus root, in a stable order. */
export function units(root = REAL_WORLD): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = path.join(root, rel);
    const entries = fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
    if (rel.startsWith('terraform') && entries.some((e) => e.isFile() && e.name.endsWith('.tf'))) {
      out.push(rel);
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else if (rel && !CONTEXT_FILE.test(e.name)) out.push(r);
    }
  };
  for (const kind of ['nginx', 'haproxy', 'terraform', 'cloudformation']) walk(kind);
  return out;
}

let awsReady: Promise<void> | undefined;

/** Loads the Terraform grammar (WebAssembly) once; the CLI's `main` needs it for `.tf` units. */
export function prepare(): Promise<void> {
  awsReady ??= initAwsParsers();
  return awsReady;
}

/** The disk, with everything outside `root` missing. */
export class ConfinedFileSystem extends NodeFileSystem {
  constructor(private readonly root: string) {
    super();
  }
  private inside(p: string): boolean {
    return isInsideRoots(p, [this.root]);
  }
  override readFile(p: string): string | undefined {
    return this.inside(p) ? super.readFile(p) : undefined;
  }
  override refusal(p: string): NotARegularFile | undefined {
    return this.inside(p) ? super.refusal(p) : undefined;
  }
  override realPath(p: string): string | undefined {
    return this.inside(p) ? super.realPath(p) : undefined;
  }
  override readDir(p: string): string[] | undefined {
    return this.inside(p) ? super.readDir(p) : undefined;
  }
}

/** Runs `wslb check` on one unit as the CLI does; throws on a usage or internal error. */
export function checkUnit(unit: string, root = REAL_WORLD): Produced[] {
  let out = '';
  let err = '';
  const code = main(['check', path.join(root, unit), '--format', 'json'], {
    out: (s) => (out += s),
    err: (s) => (err += s),
    cwd: root,
    isTTY: false,
    env: {},
    fs: new ConfinedFileSystem(root),
  });
  // Exit 2 with only "skipped" notes: the unit is no config (a comment-only snippet): no findings.
  const skippedOnly =
    err.trim() !== '' &&
    err
      .trim()
      .split('\n')
      .every((l) => l.startsWith('wslb: skipped '));
  if (code === 2 && !skippedOnly) throw new Error(`wslb check ${unit} exited 2: ${err.trim()}`);
  const findings = JSON.parse(out) as JsonFinding[];
  return findings.map((f) => ({
    path: relative(root, f.file),
    line: f.range.start.line + 1,
    code: f.code,
    severity: f.severity,
    message: f.message,
    unit,
  }));
}

function relative(root: string, file: string): string {
  const r = path.relative(root, file).split(path.sep).join('/');
  // A finding outside the corpus (it should not happen with includes confined) keeps its full path.
  return r.startsWith('..') ? file : r;
}

/** Every finding of every unit. */
export async function analyseCorpus(root = REAL_WORLD): Promise<Produced[]> {
  await prepare();
  return units(root).flatMap((u) => checkUnit(u, root));
}

export interface Comparison {
  /** Findings whose row says wrong or noise. */
  bad: { finding: Produced; row: Row }[];
  /** Findings with no row (or more copies than rows): ready-to-paste rows. */
  unreviewed: Produced[];
  /** `expected` rows that no finding matches. */
  missingExpected: Row[];
  /** `keep` rows no longer produced (a right finding was lost). */
  lostKeep: Row[];
  /** wrong/noise rows no longer produced (fixed: the rows can go). */
  gone: Row[];
}

/**
 * Compares the findings with the table, as multisets keyed by (path, line, code): a key produced
 * n times needs n rows; extra copies are unreviewed. A finding whose key has rows takes their
 * verdict (the table never mixes keep with wrong/noise on one key; the test checks that). An
 * `expected` row is met when its key is reported at all, and counts as the review of a copy no
 * keep/wrong/noise row takes (so a keep row may be added beside it, or not).
 */
export function compare(produced: Produced[], rows: Row[]): Comparison {
  const byKey = new Map<string, Row[]>();
  for (const r of rows) (byKey.get(keyOf(r)) ?? byKey.set(keyOf(r), []).get(keyOf(r))!).push(r);
  const producedByKey = new Map<string, Produced[]>();
  for (const f of produced) (producedByKey.get(keyOf(f)) ?? producedByKey.set(keyOf(f), []).get(keyOf(f))!).push(f);
  const c: Comparison = { bad: [], unreviewed: [], missingExpected: [], lostKeep: [], gone: [] };
  for (const [k, fs_] of producedByKey) {
    // Reviews (keep/wrong/noise) take the copies first; an expected row reviews one more copy
    // (a right one) once it is reported.
    const all = byKey.get(k) ?? [];
    const rs = [...all.filter((r) => r.verdict !== 'expected'), ...all.filter((r) => r.verdict === 'expected')];
    fs_.forEach((f, i) => {
      const r = rs[i];
      if (!r) c.unreviewed.push(f);
      else if (r.verdict === 'wrong' || r.verdict === 'noise') c.bad.push({ finding: f, row: r });
    });
  }
  for (const [k, rs] of byKey) {
    const n = producedByKey.get(k)?.length ?? 0;
    const reviews = rs.filter((r) => r.verdict !== 'expected');
    for (const r of reviews.slice(n)) (r.verdict === 'keep' ? c.lostKeep : c.gone).push(r);
    // An expected pitfall is found when its key is reported at all.
    if (n === 0) c.missingExpected.push(...rs.filter((r) => r.verdict === 'expected'));
  }
  return c;
}

/** A row to paste into findings.tsv for an unreviewed finding (verdict and why to fill in). */
export function pasteRow(f: Produced): string {
  return [
    f.path,
    String(f.line),
    f.code,
    f.severity,
    'VERDICT',
    `WHY (message: ${f.message.replace(/\s+/g, ' ')})`,
  ].join('\t');
}

/** Keys that carry both keep and wrong/noise rows: the table contradicts itself. */
export function contradictions(rows: Row[]): string[] {
  const v = new Map<string, Set<Verdict>>();
  for (const r of rows) (v.get(keyOf(r)) ?? v.set(keyOf(r), new Set()).get(keyOf(r))!).add(r.verdict);
  return [...v]
    .filter(([, s]) => s.has('keep') && (s.has('wrong') || s.has('noise')))
    .map(([k]) => k.replace(/\t/g, ':'));
}

// ---------------------------------------------------------------------------------------------
// docs/precision.md

export const PRECISION_MD = path.resolve(__dirname, '..', 'docs', 'precision.md');
/** Hand-written notes per rule (what was wrong, what changed), kept apart so regeneration keeps them. */
export const CHANGES_MD = path.join(REAL_WORLD, 'CHANGES.md');

export interface Counts {
  fired: number;
  keep: number;
  wrong: number;
  noise: number;
}

/** baseline.tsv: per code, the figures of the first review (findings.tsv on branch `corpus`). */
export function readBaseline(file = BASELINE_TSV): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const l of fs.readFileSync(file, 'utf8').split('\n').slice(1)) {
    if (!l.trim()) continue;
    const [code, fired, keep, wrong, noise] = l.split('\t');
    out.set(code, { fired: +fired, keep: +keep, wrong: +wrong, noise: +noise });
  }
  return out;
}

export function baselineOf(rows: Row[]): string {
  const m = new Map<string, Counts>();
  for (const r of rows) {
    if (r.verdict === 'expected') continue;
    const c = m.get(r.code) ?? m.set(r.code, { fired: 0, keep: 0, wrong: 0, noise: 0 }).get(r.code)!;
    c.fired++;
    c[r.verdict]++;
  }
  const lines = ['code\tfired\tkeep\twrong\tnoise'];
  for (const [code, c] of [...m].sort((a, b) => b[1].fired - a[1].fired || a[0].localeCompare(b[0])))
    lines.push([code, c.fired, c.keep, c.wrong, c.noise].join('\t'));
  return lines.join('\n') + '\n';
}

/** Sections `## <code>` of CHANGES.md, by code (the text under each heading, trimmed). */
export function readChanges(file = CHANGES_MD): Map<string, string> {
  const out = new Map<string, string>();
  let code: string | undefined;
  let buf: string[] = [];
  const flush = (): void => {
    if (code) out.set(code, buf.join('\n').trim());
  };
  for (const l of fs.readFileSync(file, 'utf8').split('\n')) {
    const m = /^## `?([^`\s]+)`?\s*$/.exec(l);
    if (m) {
      flush();
      code = m[1];
      buf = [];
    } else if (code) buf.push(l);
  }
  flush();
  return out;
}

const pct = (a: number, b: number): string => (b ? `${Math.round((100 * a) / b)}%` : '—');

/** docs/precision.md from the findings, the table, the baseline and the hand-written notes. */
export function renderPrecision(
  produced: Produced[],
  rows: Row[],
  baseline = readBaseline(),
  changes = readChanges(),
): string {
  const c = compare(produced, rows);
  const badSet = new Map(c.bad.map((b) => [b.finding, b.row.verdict]));
  const unrev = new Set(c.unreviewed);
  type Now = Counts & { unreviewed: number; missing: number };
  const now = new Map<string, Now>();
  const get = (code: string): Now =>
    now.get(code) ?? now.set(code, { fired: 0, keep: 0, wrong: 0, noise: 0, unreviewed: 0, missing: 0 }).get(code)!;
  for (const f of produced) {
    const n = get(f.code);
    n.fired++;
    const v = badSet.get(f);
    if (v === 'wrong' || v === 'noise') n[v]++;
    else if (unrev.has(f)) n.unreviewed++;
    else n.keep++;
  }
  for (const r of c.missingExpected) get(r.code).missing++;
  const sum = (m: Iterable<Counts>): Counts => {
    const t = { fired: 0, keep: 0, wrong: 0, noise: 0 };
    for (const x of m) for (const k of ['fired', 'keep', 'wrong', 'noise'] as const) t[k] += x[k];
    return t;
  };
  const before = sum(baseline.values());
  const after = sum(now.values());
  const unreviewed = c.unreviewed.length;
  const expected = rows.filter((r) => r.verdict === 'expected');
  const codes = [...new Set([...baseline.keys(), ...now.keys(), ...changes.keys()])].sort((a, b) => {
    const fa = now.get(a)?.fired ?? 0;
    const fb = now.get(b)?.fired ?? 0;
    return fb - fa || (baseline.get(b)?.fired ?? 0) - (baseline.get(a)?.fired ?? 0) || a.localeCompare(b);
  });
  const out: string[] = [
    '# Precision on real deployments',
    '',
    'Generated by `npx tsx scripts/real-world-review.ts --write-docs` from the real-world corpus',
    '(`test/fixtures/real-world/`: configs that public projects ship, with their reviewed findings in',
    '`findings.tsv`), the first review (`baseline.tsv`) and the notes in `CHANGES.md`; do not edit by',
    'hand. `test/rules/real-world.test.ts` pins it: no finding reviewed as wrong or noise, every',
    'expected finding present, every finding reviewed.',
    '',
    `Units checked: ${units().length} (each nginx, HAProxy and CloudFormation file; each Terraform module folder), with`,
    'default options (nginx 1.22.1, HAProxy 2.6.12, 30 s heartbeat) and nothing outside the corpus on disk.',
    '',
    '- **keep**: true and worth acting on; **wrong**: false; **noise**: true but not worth acting on',
    '  there; **expected**: a real pitfall a rule should report.',
    '',
    '| | findings | keep | wrong | noise | unreviewed | precision (keep / findings) |',
    '|---|---|---|---|---|---|---|',
    `| first review | ${before.fired} | ${before.keep} | ${before.wrong} | ${before.noise} | — | ${pct(before.keep, before.fired)} |`,
    `| now | ${after.fired} | ${after.keep} | ${after.wrong} | ${after.noise} | ${unreviewed} | ${pct(after.keep, after.fired)} |`,
    '',
    `Expected findings: ${expected.length - c.missingExpected.length} of ${expected.length} reported.`,
    '',
    '| kind | units | findings | keep | wrong | noise | unreviewed |',
    '|---|---|---|---|---|---|---|',
    ...['nginx', 'haproxy', 'terraform', 'cloudformation'].map((kind) => {
      const mine = produced.filter((f) => f.path.startsWith(kind + '/'));
      const v = (x: 'wrong' | 'noise') => mine.filter((f) => badSet.get(f) === x).length;
      const u = mine.filter((f) => unrev.has(f)).length;
      const n = units().filter((x) => x.startsWith(kind + '/')).length;
      return `| ${kind} | ${n} | ${mine.length} | ${mine.length - v('wrong') - v('noise') - u} | ${v('wrong')} | ${v('noise')} | ${u} |`;
    }),
    '',
    '## Per rule',
    '',
    '| rule | fired first | fired now | keep | wrong | noise | unreviewed | right (keep / fired now) | expected, missing |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const code of codes) {
    const b = baseline.get(code);
    const n = now.get(code);
    out.push(
      `| \`${code}\` | ${b?.fired ?? 0} | ${n?.fired ?? 0} | ${n?.keep ?? 0} | ${n?.wrong ?? 0} | ${n?.noise ?? 0} | ${n?.unreviewed ?? 0} | ${pct(n?.keep ?? 0, n?.fired ?? 0)} | ${n?.missing ?? 0} |`,
    );
  }
  out.push('', '## Expected findings', '', '| file:line | rule | reported | the pitfall |', '|---|---|---|---|');
  const missing = new Set(c.missingExpected);
  for (const r of expected)
    out.push(
      `| \`${r.path}:${r.line}\` | \`${r.code}\` | ${missing.has(r) ? 'no' : 'yes'} | ${r.why.replace(/\|/g, '\\|')} |`,
    );
  out.push('', '## What changed, per rule', '');
  const noted = codes.filter((k) => changes.has(k));
  if (!noted.length) out.push('No rule has changed since the first review.');
  for (const code of noted) {
    const b = baseline.get(code) ?? { fired: 0, keep: 0, wrong: 0, noise: 0 };
    const n = now.get(code) ?? { fired: 0, keep: 0, wrong: 0, noise: 0 };
    out.push(
      `### ${code}`,
      '',
      `*First review: fired ${b.fired} (keep ${b.keep}, wrong ${b.wrong}, noise ${b.noise}); now: fired ${n.fired} (keep ${n.keep}, wrong ${n.wrong}, noise ${n.noise}).*`,
      '',
      changes.get(code)!,
      '',
    );
  }
  return out.join('\n').replace(/\n+$/, '') + '\n';
}
