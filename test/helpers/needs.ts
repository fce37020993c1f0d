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
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as outside from '../../scripts/needs.cjs';

/** A release built from ../shared/src by scripts/versions.mjs: `nginx@1.31` (any 1.31.x) or `haproxy@3.2.0`. */
export type VersionNeed = `nginx@${string}` | `haproxy@${string}`;

type PlainNeed = 'nginx' | 'haproxy' | 'haproxy-doc' | 'chromium' | 'neovim' | 'code-server' | 'shared';

export type Need = PlainNeed | VersionNeed;

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
export const NEEDS = Object.fromEntries(outside.NEEDS.map((n) => [n.id, n])) as Record<PlainNeed, outside.NeedSpec>;

// --- releases built by scripts/versions.mjs ------------------------------------------------------

interface VersionsSpec {
  nginx: { versions: string[]; configure: string[] };
  haproxy: { versions: string[]; make: string[] };
}

/** The folder scripts/versions.mjs builds into (same rule as its cacheRoot). */
export function versionsCache(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WSLB_VERSIONS_CACHE) return path.resolve(env.WSLB_VERSIONS_CACHE);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'wslb', 'versions');
}

export interface BuiltVersion {
  name: 'nginx' | 'haproxy';
  version: string;
  /** `nginx@1.31.4` */
  id: string;
  binary: string;
  /** Its folder: sbin/<name>, and conf/ (nginx) or doc/configuration.txt (HAProxy). */
  dir: string;
}

/**
 * Every release scripts/versions.json lists, with where its build is when it is built with the listed
 * flags (binary undefined otherwise), oldest first per product.
 */
export function knownVersions(
  env: NodeJS.ProcessEnv = process.env,
): (Omit<BuiltVersion, 'binary'> & { binary: string | undefined })[] {
  const spec = JSON.parse(fs.readFileSync(path.join(REPO, 'scripts', 'versions.json'), 'utf8')) as VersionsSpec;
  const root = versionsCache(env);
  const out = [];
  for (const name of ['nginx', 'haproxy'] as const) {
    const flags = name === 'nginx' ? spec.nginx.configure : spec.haproxy.make;
    for (const version of spec[name].versions) {
      const dir = path.join(root, `${name}-${version}`);
      const binary = path.join(dir, 'sbin', name);
      let ok = false;
      try {
        const stamp = JSON.parse(fs.readFileSync(path.join(dir, 'wslb-build.json'), 'utf8')) as {
          version: string;
          flags: string[];
        };
        ok =
          stamp.version === version && JSON.stringify(stamp.flags) === JSON.stringify(flags) && fs.existsSync(binary);
      } catch {
        /* not built */
      }
      out.push({ name, version, id: `${name}@${version}`, dir, binary: ok ? binary : undefined });
    }
  }
  return out;
}

/** The releases that are built (see knownVersions), optionally of one product. */
export function builtVersions(name?: 'nginx' | 'haproxy', env: NodeJS.ProcessEnv = process.env): BuiltVersion[] {
  return knownVersions(env).filter((v): v is BuiltVersion => v.binary !== undefined && (!name || v.name === name));
}

/** `nginx@1.31` matches 1.31.x, `nginx@1.31.4` that release only. */
function versionMatches(need: VersionNeed, v: { name: string; version: string }): boolean {
  const [name, want] = need.split('@');
  return name === v.name && (v.version === want || v.version.startsWith(`${want}.`));
}

function info(n: Need): { find(): string | undefined; how: string } {
  if (!n.includes('@')) return NEEDS[n as PlainNeed];
  const vn = n as VersionNeed;
  return {
    find: () =>
      builtVersions()
        .filter((v) => versionMatches(vn, v))
        .at(-1)?.binary,
    how: knownVersions().some((v) => versionMatches(vn, v))
      ? `node scripts/versions.mjs builds it from ${sharedPath('src')} into ${versionsCache()}`
      : 'no such release in scripts/versions.json',
  };
}

const found = new Map<Need, string | undefined>();

/** Where a need is on this machine (cached per run), undefined when missing. */
export function locate(n: Need): string | undefined {
  if (!found.has(n)) found.set(n, info(n).find());
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
  const reason = missing.map((n) => `${n} is missing (${info(n).how})`).join('; ');
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
export function binary(n: 'nginx' | 'haproxy' | 'neovim' | VersionNeed): string {
  const p = locate(n);
  if (!p) throw new Error(`${n} is missing (${info(n).how}); call need(this, '${n}') first`);
  return p;
}
