/** The shared corpus beside the repository (../shared/corpus) and its MANIFEST.tsv rows. */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

export interface CorpusRow {
  path: string;
  verdict: string;
  first: string;
  warnings: string;
}

/** Manifest rows of one kind; empty when the corpus is not there (callers decide whether that fails). */
export function corpusRows(kind: 'nginx' | 'haproxy'): CorpusRow[] {
  const manifest = path.join(CORPUS, 'MANIFEST.tsv');
  if (!fs.existsSync(manifest)) return [];
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

/**
 * For a test that needs the shared corpus: marks it pending when the corpus is not there, or
 * fails it under WSLB_REQUIRE_ALL=1 (CI), where nothing may be skipped.
 */
export function needCorpus(test: { skip(): void }, kind: 'nginx' | 'haproxy'): void {
  if (corpusRows(kind).length > 0) return;
  if (process.env.WSLB_REQUIRE_ALL === '1') throw new Error(`the shared corpus is missing (${CORPUS})`);
  test.skip();
}
