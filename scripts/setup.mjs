#!/usr/bin/env node
// Installs what the test suites need, idempotently; `npm test` runs it first.
//
// - As root on Debian/Ubuntu (apt-get present): the Debian packages (nginx and its stream/mail
//   modules, HAProxy and its manual, Chromium, Neovim, the headers code-server's native modules
//   build against), then code-server and its Node 24 from npm into .cache/e2e
//   (scripts/e2e-setup.mjs), then the nginx and HAProxy releases of scripts/versions.json, built
//   from ../shared/src into a cache outside the clone (scripts/versions.mjs; about 20 minutes on two
//   cores, once). When everything is there it only looks, in a second or two.
// - Without root or apt-get (a contributor's laptop): it installs what npm alone can, then says in
//   one block what is missing and how to get it. The suites that need it are pending with that
//   reason and the run still passes; WSLB_REQUIRE_ALL=1 (CI) turns them into failures.
//
// Usage: node scripts/setup.mjs [--check]   (--check: only report, install nothing)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APT_PACKAGES, cacheRoot, ensureBuilt, missingTools, status } from './versions.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const checkOnly = process.argv.includes('--check');
const t0 = Date.now();
const say = (msg) => console.log(`[setup] ${msg}`);

function onPath(name) {
  const dirs = (process.env.PATH ?? '').split(path.delimiter).concat(['/usr/sbin', '/sbin']);
  for (const dir of dirs) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      accessSync(p, constants.X_OK);
      if (statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

const NGINX_MODULES = ['/usr/lib/nginx/modules/ngx_stream_module.so', '/usr/lib/nginx/modules/ngx_mail_module.so'];
const SHARED = path.resolve(process.env.WSLB_SHARED_DIR ?? path.join(ROOT, '..', 'shared'));

/** Each thing the suites need: how to tell it is there, the Debian packages that bring it, what needs it. */
const NEEDS = [
  {
    name: 'nginx (with the stream and mail modules)',
    ok: () => !!onPath('nginx') && NGINX_MODULES.every((m) => existsSync(m)),
    apt: ['nginx', 'libnginx-mod-stream', 'libnginx-mod-mail'],
    for: 'live tests, nginx -t differential and fix tests',
  },
  {
    name: 'haproxy',
    ok: () => !!onPath('haproxy'),
    apt: ['haproxy'],
    for: 'live tests, haproxy -c differential tests',
  },
  {
    name: "HAProxy's manual (haproxy-doc)",
    ok: () => existsSync('/usr/share/doc/haproxy/html/configuration.html'),
    apt: ['haproxy-doc'],
    for: 'the HAProxy keyword table check',
  },
  {
    name: 'Chromium',
    ok: () => ['/usr/bin/chromium', '/usr/bin/chromium-browser'].some((p) => existsSync(p)),
    apt: ['chromium'],
    for: 'webview and end-to-end tests',
  },
  { name: 'Neovim', ok: () => !!onPath('nvim'), apt: ['neovim'], for: 'the third-party LSP client test' },
  {
    name: "code-server's build headers (libkrb5-dev, libsecret-1-dev, make, g++, pkg-config)",
    ok: () =>
      (existsSync('/usr/bin/krb5-config') || existsSync('/usr/include/gssapi/gssapi.h')) &&
      spawnSync('pkg-config', ['--exists', 'libsecret-1']).status === 0 &&
      ['make', 'g++', 'python3'].every((t) => !!onPath(t)),
    apt: ['libkrb5-dev', 'libsecret-1-dev', 'make', 'g++', 'python3', 'pkg-config'],
    for: 'installing code-server (end-to-end tests)',
  },
  {
    name: 'the compiler and headers the nginx/HAProxy release builds need',
    ok: () => missingTools().length === 0,
    apt: APT_PACKAGES,
    for: 'building the nginx and HAProxy releases the version tests run',
  },
];

function e2eReady() {
  return (
    spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'e2e-setup.mjs'), '--check'], { encoding: 'utf8' })
      .status === 0
  );
}

const isRoot = process.getuid?.() === 0;
const hasApt = !!onPath('apt-get');
let missing = NEEDS.filter((n) => !n.ok());

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
  missing = NEEDS.filter((n) => !n.ok());
}

// 2. code-server and its Node 24 (npm only: needs no root once the headers are there)
let codeServer = e2eReady();
const headersMissing = missing.some((n) => n.apt.includes('libkrb5-dev'));
if (!codeServer && !checkOnly && !headersMissing) {
  say('installing code-server and Node 24 from npm into .cache/e2e (several minutes, once)');
  const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'e2e-setup.mjs')], { stdio: 'inherit' });
  if (r.status !== 0) say(`code-server set-up failed (exit ${r.status}); see the lines above`);
  codeServer = e2eReady();
}

// 3. the nginx and HAProxy releases (scripts/versions.mjs), from ../shared/src into the versions cache
const toolsMissing = missing.some((n) => n.apt === APT_PACKAGES);
let buildFailed = false;
if (!checkOnly && !toolsMissing && status().some((t) => !t.built)) {
  const r = ensureBuilt({ log: say });
  buildFailed = r.failed.length > 0;
}
const unbuilt = status().filter((t) => !t.built);

// 4. what cannot be installed from here
const report = missing.map((n) => ({ name: n.name, how: `apt-get install ${n.apt.join(' ')}`, for: n.for }));
if (!codeServer)
  report.push({
    name: 'code-server (the real VS Code workbench)',
    how: headersMissing ? 'install the headers above, then: npm run setup:e2e' : 'npm run setup:e2e',
    for: 'end-to-end tests in VS Code',
  });
if (!existsSync(path.join(SHARED, 'corpus', 'MANIFEST.tsv')) || !existsSync(path.join(SHARED, 'source-material.md')))
  report.push({
    name: `the project's shared folder at ${SHARED}`,
    how: 'place it beside the clone (corpus/, source-material.md)',
    for: 'corpus and source-material tests',
  });

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
