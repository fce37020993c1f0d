#!/usr/bin/env node
// Builds the nginx and HAProxy releases listed in scripts/versions.json from the source archives in
// ../shared/src into a cache outside the clone, so that tests can check a rule or a keyword against
// each version's own binary. `npm test` runs it through scripts/setup.mjs.
//
// - Cache: $WSLB_VERSIONS_CACHE, else $XDG_CACHE_HOME/wslb/versions, else ~/.cache/wslb/versions.
//   One folder per build, `<name>-<version>/` (sbin/nginx + conf/, or sbin/haproxy + doc/), with a
//   stamp `wslb-build.json` naming the flags and the archive's SHA-256: a build whose stamp matches is
//   kept, any other is rebuilt (a change of flags or archive rebuilds; nothing else does).
// - Each build runs in its own temporary folder inside the cache and is renamed into place at the
//   end, so a folder that exists is complete. A lock per build (`.lock-<name>-<version>/`, made with
//   mkdir, holding the owner's pid) keeps concurrent runs from building the same release twice; a
//   lock whose owner is gone is taken over.
// - nginx: `auto/configure --prefix=<its folder> <configure flags>` then `make`; HAProxy:
//   `make TARGET=linux-glibc USE_OPENSSL=1 USE_PCRE2=1` (flags from versions.json), both with -j2.
//   HAProxy is built at -O1 (CPU_CFLAGS for 2.8, OPT_CFLAGS for 3.x), as nginx is by default: a
//   third less compile time than -O2, and neither config parsing nor timers depend on it.
//
// Usage: node scripts/versions.mjs [--check] [--list] [--json] [--only nginx@1.31,haproxy@3.2]
//   --check  build nothing: report what is built and what is missing (exit 1 when something is)
//   --list   print one line per built version: `<name> <version> <binary>`
// As a module: import { targets, status, ensureBuilt, binaryFor, cacheRoot } from './versions.mjs'.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SPEC = JSON.parse(readFileSync(path.join(ROOT, 'scripts', 'versions.json'), 'utf8'));
const STAMP = 'wslb-build.json';
const JOBS = '-j2';

/** The folder holding every build. */
export function cacheRoot(env = process.env) {
  if (env.WSLB_VERSIONS_CACHE) return path.resolve(env.WSLB_VERSIONS_CACHE);
  const base = env.XDG_CACHE_HOME ? path.resolve(env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'wslb', 'versions');
}

/** `../shared/src` beside the clone (WSLB_SHARED_DIR moves `../shared`, as for test/helpers/needs.ts). */
export function sourceDir(env = process.env) {
  return path.join(path.resolve(env.WSLB_SHARED_DIR ?? path.join(ROOT, '..', 'shared')), 'src');
}

/**
 * Every build this script knows: name (nginx | haproxy), version, where its archive and its folder are,
 * the flags it is built with, and the binary inside the folder.
 */
export function targets(env = process.env) {
  const root = cacheRoot(env);
  const src = sourceDir(env);
  const out = [];
  for (const name of ['nginx', 'haproxy']) {
    const spec = SPEC[name];
    for (const version of spec.versions) {
      const dir = path.join(root, `${name}-${version}`);
      out.push({
        name,
        version,
        id: `${name}@${version}`,
        archive: path.join(src, `${name}-${version}.tar.gz`),
        dir,
        binary: path.join(dir, 'sbin', name),
        flags: name === 'nginx' ? spec.configure : spec.make,
      });
    }
  }
  return out;
}

function sha256(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function readStamp(dir) {
  try {
    return JSON.parse(readFileSync(path.join(dir, STAMP), 'utf8'));
  } catch {
    return undefined;
  }
}

/** True when the target's folder holds a build of these flags (and, when the archive is here, of this archive). */
function isCurrent(t, archiveHash) {
  const s = readStamp(t.dir);
  if (!s || s.name !== t.name || s.version !== t.version) return false;
  if (JSON.stringify(s.flags) !== JSON.stringify(t.flags)) return false;
  if (archiveHash && s.archiveSha256 !== archiveHash) return false;
  return existsSync(t.binary);
}

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 256 << 20, ...opts });
  return { code: r.status ?? (r.error ? 127 : 1), out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

function onPath(name) {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, name))) return path.join(dir, name);
  }
  return undefined;
}

/** The headers the builds need, with the Debian package that brings each. */
const HEADERS = [
  { header: 'pcre2.h', define: '#define PCRE2_CODE_UNIT_WIDTH 8', apt: 'libpcre2-dev' },
  { header: 'openssl/ssl.h', define: '', apt: 'libssl-dev' },
  { header: 'zlib.h', define: '', apt: 'zlib1g-dev' },
];

/** The Debian packages whose absence stops the builds (compiler, make, tar, headers); [] when all is here. */
export function missingTools() {
  const missing = [];
  if (!onPath('cc') && !onPath('gcc')) missing.push('gcc');
  if (!onPath('make')) missing.push('make');
  if (!onPath('tar')) missing.push('tar');
  if (missing.includes('gcc')) return [...missing, ...HEADERS.map((h) => h.apt)];
  const cc = onPath('cc') ?? onPath('gcc');
  for (const h of HEADERS) {
    // The preprocessor alone says whether the header is found where the build will look.
    const r = spawnSync(cc, ['-E', '-x', 'c', '-'], { input: `${h.define}\n#include <${h.header}>\n`, stdio: 'pipe' });
    if (r.status !== 0) missing.push(h.apt);
  }
  return missing;
}

/** The Debian packages the builds need (for scripts/setup.mjs's apt list). */
export const APT_PACKAGES = ['gcc', 'make', 'tar', ...HEADERS.map((h) => h.apt)];

/**
 * What is built and what is not: for each target { ...target, built, reason } (reason says why it is
 * not built: no archive, stale flags, never built).
 */
export function status(env = process.env) {
  return targets(env).map((t) => {
    if (isCurrent(t)) return { ...t, built: true };
    const reason = !existsSync(t.archive)
      ? `no archive ${t.archive}`
      : existsSync(t.dir)
        ? 'built with other flags or from another archive'
        : 'not built yet';
    return { ...t, built: false, reason };
  });
}

// --- the lock ------------------------------------------------------------------------------------

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes a build's lock (waits while another live run holds it); returns the function that releases it. */
function lock(root, t, log, maxWaitMs = 90 * 60_000) {
  const dir = path.join(root, `.lock-${t.name}-${t.version}`);
  const owner = path.join(dir, 'owner.json');
  const t0 = Date.now();
  let told = false;
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(owner, JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date().toISOString() }));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
    }
    let info;
    try {
      info = JSON.parse(readFileSync(owner, 'utf8'));
    } catch {
      /* being written, or left empty by a run that died at once */
    }
    const age = Date.now() - (existsSync(dir) ? statSync(dir).mtimeMs : Date.now());
    const stale = info ? info.host === os.hostname() && !alive(info.pid) : age > 60_000;
    if (stale) {
      log(`taking over the lock left by ${info ? `pid ${info.pid}` : 'a run that died'}`);
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (Date.now() - t0 > maxWaitMs) throw new Error(`${t.id} is still being built by pid ${info?.pid}`);
    if (!told) log(`waiting for another run (pid ${info?.pid ?? '?'}) that is building ${t.id}`);
    told = true;
    sleep(2000);
  }
}

// --- one build -----------------------------------------------------------------------------------

function buildOne(t, root) {
  const archiveSha256 = sha256(t.archive);
  if (isCurrent(t, archiveSha256)) return { built: false };
  const t0 = Date.now();
  const tmp = path.join(root, `.tmp-${t.name}-${t.version}-${process.pid}-${randomBytes(3).toString('hex')}`);
  const src = path.join(tmp, 'src');
  const out = path.join(tmp, 'out');
  const logFile = path.join(root, 'logs', `${t.name}-${t.version}.log`);
  mkdirSync(src, { recursive: true });
  mkdirSync(path.join(out, 'sbin'), { recursive: true });
  mkdirSync(path.dirname(logFile), { recursive: true });
  const transcript = [];
  const step = (cmd, argv) => {
    transcript.push(`$ ${cmd} ${argv.join(' ')}`);
    const r = run(cmd, argv, { cwd: src, env: { ...process.env, LC_ALL: 'C' } });
    transcript.push(r.out);
    if (r.code !== 0) {
      writeFileSync(logFile, transcript.join('\n'));
      rmSync(tmp, { recursive: true, force: true });
      const tail = r.out.trim().split('\n').slice(-15).join('\n');
      throw new Error(`${t.id}: \`${cmd} ${argv.join(' ')}\` failed (exit ${r.code}); log: ${logFile}\n${tail}`);
    }
    return r.out;
  };
  try {
    step('tar', ['-xzf', t.archive, '-C', src, '--strip-components=1']);
    if (t.name === 'nginx') {
      // The prefix is the final folder; tests run with -p <their own folder> anyway.
      step('sh', ['auto/configure', `--prefix=${t.dir}`, ...t.flags]);
      step('make', [JOBS]);
      copyFileSync(path.join(src, 'objs', 'nginx'), path.join(out, 'sbin', 'nginx'));
      cpSync(path.join(src, 'conf'), path.join(out, 'conf'), { recursive: true });
    } else {
      step('make', [JOBS, ...t.flags]);
      copyFileSync(path.join(src, 'haproxy'), path.join(out, 'sbin', 'haproxy'));
      mkdirSync(path.join(out, 'doc'));
      copyFileSync(path.join(src, 'doc', 'configuration.txt'), path.join(out, 'doc', 'configuration.txt'));
    }
    const bin = path.join(out, 'sbin', t.name);
    const v = run(bin, [t.name === 'nginx' ? '-V' : '-vv']);
    if (v.code !== 0 || !v.out.includes(t.version)) {
      throw new Error(`${t.id}: the built binary does not say its version:\n${v.out.slice(0, 500)}`);
    }
    const seconds = Math.round((Date.now() - t0) / 1000);
    const stamp = {
      name: t.name,
      version: t.version,
      flags: t.flags,
      archiveSha256,
      builtAt: new Date().toISOString(),
      seconds,
      versionOutput: v.out.trim().split('\n').slice(0, 8).join('\n'),
    };
    writeFileSync(path.join(out, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
    writeFileSync(logFile, transcript.join('\n'));
    // Swap in atomically: a stale folder is moved aside first, then removed.
    const old = `${t.dir}.old-${process.pid}`;
    if (existsSync(t.dir)) renameSync(t.dir, old);
    renameSync(out, t.dir);
    rmSync(old, { recursive: true, force: true });
    return { built: true, seconds };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Builds every target (or those in `only`, ids like `nginx@1.31` or `nginx@1.31.4`) that is not built
 * with the current flags. Returns { built: [{id, seconds}], kept: [id], failed: [{id, error}],
 * missing: [message] } and never throws for one failed build. Needs the tools (missingTools()) and
 * the archives; what is absent is listed in `missing` and nothing is attempted for it.
 */
export function ensureBuilt({ only, env = process.env, log = () => {} } = {}) {
  const root = cacheRoot(env);
  const chosen = targets(env).filter((t) => !only || only.some((o) => matches(o, t)));
  const result = { built: [], kept: [], failed: [], missing: [], seconds: 0 };
  const t0 = Date.now();
  const todo = chosen.filter((t) => !isCurrent(t, existsSync(t.archive) ? sha256(t.archive) : undefined));
  result.kept = chosen.filter((t) => !todo.includes(t)).map((t) => t.id);
  if (todo.length === 0) return result;
  const noArchive = todo.filter((t) => !existsSync(t.archive));
  for (const t of noArchive) result.missing.push(`the source archive ${t.archive}`);
  const tools = missingTools();
  if (tools.length) {
    result.missing.push(`build tools (apt-get install ${tools.join(' ')})`);
    return result;
  }
  const buildable = todo.filter((t) => !noArchive.includes(t));
  if (buildable.length === 0) return result;
  mkdirSync(root, { recursive: true });
  for (const t of buildable) {
    // One lock per build: concurrent runs share the work, and wait only for the build they both need.
    const release = lock(root, t, log);
    try {
      if (!isCurrent(t)) log(`building ${t.id} into ${t.dir}`);
      const r = buildOne(t, root);
      if (r.built) {
        result.built.push({ id: t.id, seconds: r.seconds });
        log(`built ${t.id} in ${r.seconds} s`);
      } else {
        result.kept.push(t.id); // another run built it while this one waited for the lock
      }
    } catch (e) {
      result.failed.push({ id: t.id, error: e.message });
      log(e.message);
    } finally {
      release();
    }
  }
  result.seconds = Math.round((Date.now() - t0) / 1000);
  return result;
}

/** `nginx@1.31` matches nginx 1.31.x; `nginx@1.31.4` only that release; `nginx` every nginx. */
export function matches(id, t) {
  const [name, v] = id.split('@');
  if (name !== t.name) return false;
  return !v || t.version === v || t.version.startsWith(`${v}.`);
}

/** The binary of the newest built release matching `id` (see matches), or undefined. */
export function binaryFor(id, env = process.env) {
  const hits = status(env).filter((t) => t.built && matches(id, t));
  return hits.length ? hits[hits.length - 1].binary : undefined;
}

// --- command line --------------------------------------------------------------------------------

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const flag = (f) => args.includes(f);
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1]?.split(',').filter(Boolean) : undefined;
  const say = (msg) => console.log(`[versions] ${msg}`);
  if (flag('--list')) {
    for (const t of status()) if (t.built) console.log(`${t.name} ${t.version} ${t.binary}`);
    process.exit(0);
  }
  if (flag('--check')) {
    const st = status().filter((t) => !only || only.some((o) => matches(o, t)));
    if (flag('--json')) console.log(JSON.stringify(st, null, 2));
    else for (const t of st) say(`${t.id}: ${t.built ? t.binary : t.reason}`);
    process.exit(st.every((t) => t.built) ? 0 : 1);
  }
  const r = ensureBuilt({ only, log: say });
  if (flag('--json')) console.log(JSON.stringify(r, null, 2));
  else {
    if (r.built.length) say(`built ${r.built.map((b) => `${b.id} (${b.seconds} s)`).join(', ')} in ${r.seconds} s`);
    if (r.kept.length) say(`already built: ${r.kept.join(', ')}`);
    for (const m of r.missing) say(`missing: ${m}`);
    for (const f of r.failed) say(`FAILED ${f.id}: ${f.error}`);
    say(`cache: ${cacheRoot()}`);
  }
  process.exit(r.failed.length || r.missing.length ? 1 : 0);
}
