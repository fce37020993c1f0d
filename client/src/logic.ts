/**
 * Decisions of the extension that need no VS Code API (unit-tested in Node): which documents to
 * re-label by content, which pool is under the cursor, how often the server may be restarted.
 */
import type { ConfigLanguage } from '../../server/src/service/types';
import type { PoolItem } from '../../server/src/lsp/protocol';
import type { SimPool } from '../../server/src/service/simulate/types';

/** Language ids that mean "nobody claimed this file" (VS Code's default for unknown files, and the
 *  .properties/.cfg association VS Code ships). Other ids belong to another extension: left alone. */
export const UNCLAIMED_LANGUAGES = ['plaintext', 'properties'];

/**
 * The language to give a document, or undefined. Only a `.conf` that is clearly nginx or a `.cfg`
 * that is clearly HAProxy qualifies; "clearly" means the content alone decides (the file name's
 * hint is left out), so an unrelated `key = value` .conf is never claimed.
 */
export function detectionTarget(
  path: string,
  languageId: string,
  text: string,
  detect: (path: string, text: string) => ConfigLanguage | undefined,
): ConfigLanguage | undefined {
  if (!UNCLAIMED_LANGUAGES.includes(languageId)) return undefined;
  const name = path.toLowerCase();
  const expected: ConfigLanguage | undefined = name.endsWith('.conf')
    ? 'nginx'
    : name.endsWith('.cfg')
      ? 'haproxy'
      : undefined;
  if (!expected) return undefined;
  let found: ConfigLanguage | undefined;
  try {
    found = detect('', text);
  } catch {
    return undefined;
  }
  return found === expected ? expected : undefined;
}

interface Pos {
  line: number;
  character: number;
}
interface Ranged {
  range: { start: Pos; end: Pos };
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** The pool whose block contains the position (the innermost when blocks nest). */
export function poolAt<T extends Ranged>(pools: T[], pos: Pos | undefined): T | undefined {
  if (!pos) return undefined;
  let best: T | undefined;
  for (const p of pools) {
    if (!p?.range?.start || !p.range.end) continue;
    if (before(p.range.start, pos) && before(pos, p.range.end)) {
      if (!best || before(best.range.start, p.range.start)) best = p;
    }
  }
  return best;
}

/** At most `maxRestarts` automatic restarts within a sliding `windowMs`. */
export function restartBudget(o: { maxRestarts: number; windowMs: number }): {
  allow(now: number): boolean;
  reset(): void;
} {
  let times: number[] = [];
  return {
    allow(now: number): boolean {
      times = times.filter((t) => now - t < o.windowMs);
      if (times.length >= o.maxRestarts) return false;
      times.push(now);
      return true;
    },
    reset(): void {
      times = [];
    },
  };
}

/**
 * Language ids under which Terraform and CloudFormation files open (HashiCorp's `terraform`,
 * VS Code's `yaml` and `json`; `plaintext` for a .tf/.template no extension claimed). wslb never
 * claims these files: it looks at their content and only ALB/NLB declarations make them its own.
 */
export const AWS_LANGUAGES = ['terraform', 'yaml', 'json', 'plaintext'];

/** Does this document declare AWS load balancers, for wslb? `declares` is service/aws-detect.ts. */
export function isAwsDocument(
  path: string,
  languageId: string,
  text: string,
  declares: (path: string, text: string) => boolean,
): boolean {
  if (!AWS_LANGUAGES.includes(languageId)) return false;
  if (languageId === 'plaintext' && !/\.(tf|template)$/i.test(path)) return false;
  try {
    return declares(path, text);
  } catch {
    return false;
  }
}

/** The SimPool part of a pool item (what the webview needs; the ranges stay in the extension). */
export function toSimPool(item: PoolItem): SimPool {
  const { uri: _uri, range: _range, nameRange: _nameRange, algorithmRange: _algorithmRange, ...pool } = item;
  return pool;
}
