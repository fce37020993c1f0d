// What the test suites need from outside the repository, and how to tell whether it is here: the
// one place these facts live. scripts/setup.mjs (installs them), scripts/e2e-setup.mjs (code-server's
// build headers) and test/helpers/needs.ts (the tests' gate) all read them from here.
//
// CommonJS so that both the ES-module scripts (`import`) and the tests (run by tsx as CommonJS)
// can load it without a build step; scripts/needs.d.cts gives its types.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..');

/** Debian puts nginx and haproxy in /usr/sbin, which is not on every user's PATH. */
function searchPath(env = process.env) {
  return (env.PATH ?? '').split(path.delimiter).concat(['/usr/sbin', '/sbin']);
}

/** The first executable file called `name` on PATH (or in /usr/sbin, /sbin), else undefined. */
function onPath(name, env = process.env) {
  for (const dir of searchPath(env)) {
    if (!dir) continue;
    const p = path.join(dir, name);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      if (fs.statSync(p).isFile()) return p;
    } catch {
      /* not here */
    }
  }
  return undefined;
}

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
const HAPROXY_MANUAL = '/usr/share/doc/haproxy/html/configuration.html';
const NGINX_MODULES = ['/usr/lib/nginx/modules/ngx_stream_module.so', '/usr/lib/nginx/modules/ngx_mail_module.so'];

const findChromium = () => CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));

/** `../shared` beside the clone; WSLB_SHARED_DIR points elsewhere. */
function sharedDir(env = process.env) {
  return path.resolve(env.WSLB_SHARED_DIR ?? path.join(REPO, '..', 'shared'));
}

/** The private code-server install (scripts/e2e-setup.mjs); WSLB_E2E_CACHE points elsewhere. */
function e2eCacheDir(env = process.env) {
  return path.resolve(env.WSLB_E2E_CACHE ?? path.join(REPO, '.cache', 'e2e'));
}

/**
 * The Debian packages code-server's native modules build against (and Chromium, which drives the
 * workbench), by package name, that are missing here.
 */
function missingE2ePackages() {
  const missing = [];
  if (!findChromium()) missing.push('chromium');
  // krb5-config ships with libkrb5-dev; the kerberos module's binding.gyp runs it.
  if (!fs.existsSync('/usr/bin/krb5-config') && !fs.existsSync('/usr/include/gssapi/gssapi.h'))
    missing.push('libkrb5-dev');
  const pkgConfig = onPath('pkg-config');
  if (!pkgConfig) missing.push('pkg-config');
  if (!pkgConfig || spawnSync(pkgConfig, ['--exists', 'libsecret-1']).status !== 0) missing.push('libsecret-1-dev');
  for (const tool of ['make', 'g++', 'python3']) if (!onPath(tool)) missing.push(tool);
  return missing;
}

/**
 * Each need: an id (the tests' `need(this, id)`), a name and what needs it (for messages), how to
 * find it (a path, or undefined when missing), the Debian packages that bring it, and how to get it.
 */
const NEEDS = [
  {
    id: 'nginx',
    name: 'nginx (with the stream and mail modules)',
    find: () => {
      const p = onPath('nginx');
      return p && NGINX_MODULES.every((m) => fs.existsSync(m)) ? p : undefined;
    },
    apt: ['nginx', 'libnginx-mod-stream', 'libnginx-mod-mail'],
    for: 'live tests, nginx -t differential and fix tests',
  },
  {
    id: 'haproxy',
    name: 'haproxy',
    find: () => onPath('haproxy'),
    apt: ['haproxy'],
    for: 'live tests, haproxy -c differential tests',
  },
  {
    id: 'haproxy-doc',
    name: "HAProxy's manual (haproxy-doc)",
    find: () => (fs.existsSync(HAPROXY_MANUAL) ? HAPROXY_MANUAL : undefined),
    apt: ['haproxy-doc'],
    for: 'the HAProxy keyword table check',
  },
  {
    id: 'chromium',
    name: 'Chromium',
    find: findChromium,
    apt: ['chromium'],
    for: 'webview and end-to-end tests',
  },
  {
    id: 'neovim',
    name: 'Neovim',
    find: () => onPath('nvim'),
    apt: ['neovim'],
    for: 'the third-party LSP client test',
  },
  {
    id: 'e2e-headers',
    name: "code-server's build headers (libkrb5-dev, libsecret-1-dev, make, g++, pkg-config)",
    find: () => (missingE2ePackages().filter((p) => p !== 'chromium').length === 0 ? '/usr/include' : undefined),
    apt: ['libkrb5-dev', 'libsecret-1-dev', 'make', 'g++', 'python3', 'pkg-config'],
    for: 'installing code-server (end-to-end tests)',
  },
  {
    id: 'code-server',
    name: 'code-server (the real VS Code workbench)',
    find: () => {
      const ready = path.join(e2eCacheDir(), 'ready.json');
      return fs.existsSync(ready) ? ready : undefined;
    },
    apt: [],
    how: 'npm run setup:e2e (code-server and its Node 24, from npm, into .cache/e2e)',
    for: 'end-to-end tests in VS Code',
  },
  {
    id: 'shared',
    name: "the project's shared folder",
    find: () => {
      const dir = sharedDir();
      return fs.existsSync(path.join(dir, 'corpus', 'MANIFEST.tsv')) &&
        fs.existsSync(path.join(dir, 'source-material.md'))
        ? dir
        : undefined;
    },
    apt: [],
    how: `place the project's shared folder (corpus/, source-material.md) at ${sharedDir()}`,
    for: 'corpus and source-material tests',
  },
];
for (const n of NEEDS) if (!n.how) n.how = `apt-get install ${n.apt.join(' ')}`;

module.exports = {
  REPO,
  onPath,
  sharedDir,
  e2eCacheDir,
  findChromium,
  missingE2ePackages,
  NEEDS,
};
