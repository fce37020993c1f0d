/** The shared corpus beside the repository (../shared/corpus) and its MANIFEST.tsv rows. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gate, need, sharedPath } from './needs';

export const CORPUS = sharedPath('corpus');

export interface CorpusRow {
  path: string;
  verdict: string;
  first: string;
  warnings: string;
}

/**
 * Manifest rows of one kind; empty when the corpus is not there or not wanted (the unit tier).
 * A suite that makes one test per row also calls `needCorpus` in a test of its own, so that an
 * empty list shows as pending (or fails in CI) instead of passing with nothing checked.
 */
export function corpusRows(kind: 'nginx' | 'haproxy'): CorpusRow[] {
  const manifest = path.join(CORPUS, 'MANIFEST.tsv');
  if (gate(['shared']).action !== 'run' || !fs.existsSync(manifest)) return [];
  return fs
    .readFileSync(manifest, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => l.split('\t'))
    .filter((c) => c[1] === kind)
    .map((c) => ({ path: c[0], verdict: c[2], first: c[3] ?? '', warnings: c[4] ?? '' }));
}

/** The `.cfg` files under `dir` (recursively, sorted); none when it does not exist. */
export function cfgFilesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...cfgFilesUnder(p));
    else if (e.name.endsWith('.cfg')) out.push(p);
  }
  return out.sort();
}

/** For a test that needs the shared corpus: see `need` in ./needs (pending, or a failure in CI). */
export function needCorpus(test: { skip(): void }, _kind?: 'nginx' | 'haproxy'): void {
  need(test, 'shared');
}
