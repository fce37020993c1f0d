#!/usr/bin/env node
// Installs what the test suites need, idempotently; `npm test` runs it first.
//
// - As root on Debian/Ubuntu (apt-get present): the Debian packages (nginx and its stream/mail
//   modules, HAProxy and its manual, Chromium, Neovim, the headers code-server's native modules
//   build against), then code-server and its Node 24 from npm into .cache/e2e
//   (scripts/e2e-setup.mjs), then the nginx and HAProxy releases of scripts/versions.json, built
//   from ../shared/src into a cache outside the clone (scripts/versions.mjs). When everything is
//   there it only looks, in a second or two.
// - Without root or apt-get (a contributor's laptop): it installs what npm alone can, then says in
//   one block what is missing and how to get it. The suites that need it are pending with that
//   reason and the run still passes; WSLB_REQUIRE_ALL=1 (CI) turns them into failures.
//
// Usage: node scripts/setup.mjs [--check]   (--check: only report, install nothing)
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import needs from './needs.cjs';
import { APT_PACKAGES, cacheRoot, ensureBuilt, missingTools, status } from './versions.mjs';

const { REPO: ROOT, onPath, NEEDS } = needs;
const checkOnly = process.argv.includes('--check');
const t0 = Date.now();
const say = (msg) => console.log(`[setup] ${msg}`);

/** What apt-get can bring; code-server (npm) and the shared folder are handled below. */
const BUILD_TOOLS = {
  id: 'build-tools',
  name: 'the compiler and headers the nginx/HAProxy release builds need',
  find: () => (missingTools().length === 0 ? 'here' : undefined),
  apt: APT_PACKAGES,
  for: 'building the nginx and HAProxy releases the version tests run',
};
const APT_NEEDS = [...NEEDS.filter((n) => n.apt.length > 0), BUILD_TOOLS];
const missingApt = () => APT_NEEDS.filter((n) => !n.find());

function e2eReady() {
  return (
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'e2e-setup.mjs'), '--check'], { encoding: 'utf8' })
      .status === 0
  );
}

const isRoot = process.getuid?.() === 0;
const hasApt = !!onPath('apt-get');
let missing = missingApt();

// 1. Debian packages
if (missing.length && !checkOnly && isRoot && hasApt) {
  const pkgs = [...new Set(missing.flatMap((n) => n.apt))];
  say(`apt-get install ${pkgs.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update', '-qq'], { env, stdio: 'inherit' });
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
    env,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) say(`apt-get install failed (exit ${r.status}):\n${`${r.stdout}${r.stderr}`.slice(-3000)}`);
  missing = missingApt();
}

// 2. code-server and its Node 24 (npm only: needs no root once the headers are there)
let codeServer = e2eReady();
const headersMissing = missing.some((n) => n.id === 'e2e-headers');
if (!codeServer && !checkOnly && !headersMissing) {
  say('installing code-server and Node 24 from npm into .cache/e2e (several minutes, once)');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'e2e-setup.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) say(`code-server set-up failed (exit ${r.status}); see the lines above`);
  codeServer = e2eReady();
}

// 3. the nginx and HAProxy releases (scripts/versions.mjs), from ../shared/src into the versions cache
// (some 15-20 minutes of compiling on two cores, once)
const toolsMissing = missing.includes(BUILD_TOOLS);
let buildFailed = false;
if (!checkOnly && !toolsMissing && status().some((t) => !t.built)) {
  const r = ensureBuilt({ log: say });
  buildFailed = r.failed.length > 0;
}
const unbuilt = status().filter((t) => !t.built);

// 4. what cannot be installed from here
const report = missing.map((n) => ({ name: n.name, how: `apt-get install ${n.apt.join(' ')}`, for: n.for }));
const codeServerNeed = NEEDS.find((n) => n.id === 'code-server');
if (!codeServer)
  report.push({
    name: codeServerNeed.name,
    how: headersMissing ? `install the headers above, then: ${codeServerNeed.how}` : codeServerNeed.how,
    for: codeServerNeed.for,
  });
const sharedNeed = NEEDS.find((n) => n.id === 'shared');
if (!sharedNeed.find()) report.push({ name: sharedNeed.name, how: sharedNeed.how, for: sharedNeed.for });

if (unbuilt.length) {
  const noArchive = unbuilt.filter((t) => !existsSync(t.archive));
  report.push({
    name: `the nginx/HAProxy releases ${unbuilt.map((t) => t.id).join(', ')} (built into ${cacheRoot()})`,
    how: noArchive.length
      ? `place ${noArchive.map((t) => path.basename(t.archive)).join(', ')} in ${path.dirname(noArchive[0].archive)}, then: node scripts/versions.mjs`
      : toolsMissing
        ? 'install the build tools above, then: node scripts/versions.mjs'
        : buildFailed
          ? 'see the build error above; node scripts/versions.mjs retries'
          : 'node scripts/versions.mjs',
    for: 'the per-version live and keyword tests',
  });
}

const secs = ((Date.now() - t0) / 1000).toFixed(1);
if (report.length === 0) {
  say(`everything the suites need is here (${secs} s)`);
} else {
  const why =
    isRoot && hasApt ? '' : !hasApt ? ' (no apt-get here)' : ' (not root, so nothing was installed with apt-get)';
  const lines = [
    `[setup] missing${why}; the tests that need these are pending (failures under WSLB_REQUIRE_ALL=1):`,
    ...report.map((r) => `  - ${r.name}: ${r.how}   (for ${r.for})`),
    isRoot ? '' : '  Run `sudo npm test` once, or install the packages named above yourself.',
  ].filter(Boolean);
  console.log(lines.join('\n'));
}
