/**
 * The one door from the tests to anything outside the repository: the real binaries (nginx,
 * HAProxy and its manual), Chromium, Neovim, the private code-server install, and `../shared`
 * (the corpus and the source material beside the clone).
 *
 * A test that needs one of them calls `need(this, ...)` first. What happens when it is missing:
 * - `npm run test:unit` (WSLB_TIER=unit): every such test is pending: the fast tier runs only
 *   what needs nothing outside the repository, even on a machine that has it all;
 * - `npm test` on a machine that lacks it: the test is pending, and the reason is printed once;
 *   `scripts/setup.mjs` has already said in one block how to get it;
 * - WSLB_REQUIRE_ALL=1 (CI): the test fails with that reason. Nothing may be skipped there.
 */
import * as path from 'node:path';
import * as outside from '../../scripts/needs.cjs';

export type Need = 'nginx' | 'haproxy' | 'haproxy-doc' | 'chromium' | 'neovim' | 'code-server' | 'shared';

export const REPO = outside.REPO;

/** `../shared` beside the clone; WSLB_SHARED_DIR points elsewhere (a test of this helper uses it). */
export const sharedDir = outside.sharedDir;

/** A path inside `../shared` (whether or not it exists: callers gate with `need(this, 'shared')`). */
export function sharedPath(...segments: string[]): string {
  return path.join(sharedDir(), ...segments);
}

/** The first executable called `name` on PATH (or in /usr/sbin, where Debian puts nginx and haproxy). */
export const onPath = outside.onPath;

/** Each need as scripts/needs.cjs describes it (how to find it, how to get it). */
export const NEEDS = Object.fromEntries(outside.NEEDS.map((n) => [n.id, n])) as Record<Need, outside.NeedSpec>;

const found = new Map<Need, string | undefined>();

/** Where a need is on this machine (cached per run), undefined when missing. */
export function locate(n: Need): string | undefined {
  if (!found.has(n)) found.set(n, NEEDS[n].find());
  return found.get(n);
}

export type Gate = { action: 'run' } | { action: 'skip' | 'fail'; reason: string };

/** What a test that needs `needs` does: run, skip (pending, with the reason) or fail. */
export function gate(
  needs: Need[],
  env: NodeJS.ProcessEnv = process.env,
  where: (n: Need) => string | undefined = locate,
): Gate {
  if (env.WSLB_TIER === 'unit') {
    return { action: 'skip', reason: `needs ${needs.join(', ')}: not part of the unit tier (npm test runs it)` };
  }
  const missing = needs.filter((n) => !where(n));
  if (missing.length === 0) return { action: 'run' };
  const reason = missing.map((n) => `${n} is missing (${NEEDS[n].how})`).join('; ');
  return { action: env.WSLB_REQUIRE_ALL === '1' ? 'fail' : 'skip', reason };
}

const told = new Set<string>();

/**
 * Call at the top of a test or in a `before` hook: returns when everything is there, marks the
 * test (or suite) pending otherwise, and fails under WSLB_REQUIRE_ALL=1.
 */
export function need(ctx: { skip(): void }, ...needs: Need[]): void {
  const g = gate(needs);
  if (g.action === 'run') return;
  if (g.action === 'fail') throw new Error(`${g.reason} (WSLB_REQUIRE_ALL=1: nothing may be skipped)`);
  if (process.env.WSLB_TIER !== 'unit' && !told.has(g.reason)) {
    told.add(g.reason);
    console.warn(`      [pending] ${g.reason}`);
  }
  ctx.skip();
}

/** The path of a binary the test has gated with `need`; throws when called without it. */
export function binary(n: 'nginx' | 'haproxy' | 'neovim'): string {
  const p = locate(n);
  if (!p) throw new Error(`${n} is missing (${NEEDS[n].how}); call need(this, '${n}') first`);
  return p;
}
