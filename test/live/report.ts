/**
 * Collects what the live suite observed and writes test-artifacts/live-report.json.
 * Every live test file calls `writeReport()` in its `after` hook; the file always holds everything
 * recorded so far in this process, so the last writer leaves the complete report.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/service/rules';
import { AWS_NOT_LIVE, CASES, NOT_LIVE } from './cases';
import { compareVersions } from '../../server/src/service/model/units';
import { BINARIES, binaryVersions, versionOf } from './harness';

export interface CaseReport {
  id: string;
  system: 'nginx' | 'haproxy';
  bad: string;
  good: string;
  expectation: string;
  harm: { shown: boolean; observed: string; ms?: number };
  fix: { shown: boolean; observed: string; ms?: number };
  /** The same live proof run on wslb's own fix of the bad config. */
  wslbFix?: { shown: boolean; observed: string };
  durationMs: number;
}

export interface ClaimReport {
  claim: string;
  system: 'nginx' | 'haproxy';
  observed: string;
  figures: Record<string, number | string | boolean | null>;
}

export interface FidelityReport {
  name: string;
  system: 'nginx' | 'haproxy';
  mode: 'exact' | 'distribution';
  clients: number;
  /** exact: share of clients for which the simulator named the backend the real balancer chose. */
  agreement?: number;
  mismatches?: string[];
  weights?: number[];
  realCounts?: number[];
  simulatorCounts?: number[];
  chiSquareReal?: number;
  chiSquareSimulator?: number;
  criticalValue?: number;
  test?: string;
}

export interface WslbFixReport {
  id: string;
  fires: boolean;
  quietOnGood: boolean;
  fix: 'applied' | 'none offered';
  rounds?: number;
  liveAfterFix?: string;
  message?: string;
  durationMs: number;
}

const wslbFixes = new Map<string, WslbFixReport>();

export function recordWslbFix(r: WslbFixReport): void {
  wslbFixes.set(r.id, r);
}

const fidelity = new Map<string, FidelityReport>();

export function recordFidelity(r: FidelityReport): void {
  fidelity.set(r.name, r);
}

/** One rule's behaviour run on one release's binary (test/live/versions.test.ts). */
export interface VersionRun {
  rule: string;
  system: 'nginx' | 'haproxy';
  /** The release the binary reports, e.g. `1.30.4`. */
  version: string;
  /** Does wslb report the rule on the bad config when told this version? */
  wslbFires: boolean;
  /** Did the binary show the harm with the bad config? */
  harm: boolean;
  /** Did the binary agree with wslb (harm exactly where wslb fires)? */
  agrees: boolean;
  observed: string;
}

const versionRuns = new Map<string, VersionRun>();

export function recordVersionRun(r: VersionRun): void {
  versionRuns.set(`${r.rule} ${r.version}`, r);
}

const cases = new Map<string, CaseReport>();
const claims = new Map<string, ClaimReport>();
const notes: string[] = [];

export const REPORT_PATH = path.join(__dirname, '..', '..', 'test-artifacts', 'live-report.json');

export function recordCase(r: CaseReport): void {
  cases.set(r.id, r);
}

export function recordClaim(key: string, r: ClaimReport): void {
  claims.set(key, r);
}

export function recordNote(note: string): void {
  if (!notes.includes(note)) notes.push(note);
}

/** Where each registered rule stands in the live proof. */
export interface RuleCoverage {
  id: string;
  /**
   * 'live': a bad/fixed pair runs in harms.test.ts (harm, fix and wslb's fix say whether each was
   * shown in this run); 'not-observable': no pair, `reason` says why.
   */
  status: 'live' | 'not-observable';
  harmShown?: boolean;
  fixShown?: boolean;
  wslbFixShown?: boolean;
  reason?: string;
  claim?: string;
  /**
   * The releases on whose own binary the rule's behaviour was shown in this run: where wslb reports
   * it the harm happened, and where wslb stays quiet (a version outside the rule's range) it did not.
   * The Debian binaries' release counts when harms.test.ts showed the harm there.
   */
  shownOn: string[];
  /** The per-release runs behind shownOn (test/live/versions.test.ts). */
  versionRuns?: VersionRun[];
}

function shownOn(
  id: string,
  system: 'nginx' | 'haproxy' | 'aws',
  harmShown: boolean,
): Pick<RuleCoverage, 'shownOn' | 'versionRuns'> {
  const runs = [...versionRuns.values()].filter((r) => r.rule === id);
  const versions = new Set(runs.filter((r) => r.agrees).map((r) => r.version));
  const bin = system === 'aws' ? undefined : BINARIES[system];
  if (harmShown && bin) versions.add(versionOf(bin));
  const sorted = [...versions].sort((a, b) => compareVersions(a, b));
  return runs.length ? { shownOn: sorted, versionRuns: runs } : { shownOn: sorted };
}

export function ruleCoverage(): RuleCoverage[] {
  return ALL_RULES.map(({ meta }) => {
    if (CASES.some((c) => c.id === meta.id)) {
      const r = cases.get(meta.id);
      return {
        id: meta.id,
        status: 'live' as const,
        harmShown: r?.harm.shown ?? false,
        fixShown: r?.fix.shown ?? false,
        wslbFixShown: r?.wslbFix?.shown ?? false,
        ...shownOn(meta.id, meta.system, r?.harm.shown ?? false),
      };
    }
    const nl = NOT_LIVE.find((n) => n.id === meta.id);
    if (nl)
      return {
        id: meta.id,
        status: 'not-observable' as const,
        reason: nl.reason,
        ...(nl.claim ? { claim: nl.claim } : {}),
        ...shownOn(meta.id, meta.system, false),
      };
    if (meta.system === 'aws')
      return { id: meta.id, status: 'not-observable' as const, reason: AWS_NOT_LIVE, shownOn: [] };
    return {
      id: meta.id,
      status: 'not-observable' as const,
      reason: 'no live case and no reason recorded (test/live/coverage.test.ts fails on this)',
      ...shownOn(meta.id, meta.system, false),
    };
  });
}

export function reportSnapshot() {
  return {
    generatedAt: new Date().toISOString(),
    binaries: { nginx: BINARIES.nginx ?? null, haproxy: BINARIES.haproxy ?? null, versions: binaryVersions() },
    rules: ruleCoverage(),
    cases: [...cases.values()],
    claims: Object.fromEntries(claims),
    fidelity: [...fidelity.values()],
    wslbFixes: [...wslbFixes.values()],
    notes,
  };
}

export function writeReport(file = REPORT_PATH): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  // Write then rename, so a reader (or another test process writing at the same time) never sees
  // a half-written file.
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(reportSnapshot(), null, 2)}\n`);
  fs.renameSync(tmp, file);
}
