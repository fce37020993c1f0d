#!/usr/bin/env node
// `npm run test:vscode`: the API-level suite (test/e2e/runner-extension/suite) in a desktop
// VS Code through @vscode/test-electron, with this repository as the extension under development.
//
// VS Code comes from WSLB_VSCODE_PATH (the `code` executable) or, without it, from
// @vscode/test-electron's download (cached in .cache/vscode-test). Where neither works this
// script fails with a message saying how to provide one; it is not part of `npm test`.
// On a Linux machine without a display run it under `xvfb-run -a`.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');

function fail(msg) {
  console.error(`test:vscode: ${msg}`);
  process.exit(1);
}

let vscodeExecutablePath = process.env.WSLB_VSCODE_PATH;
if (vscodeExecutablePath) {
  if (!existsSync(vscodeExecutablePath)) fail(`WSLB_VSCODE_PATH=${vscodeExecutablePath} does not exist`);
} else {
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({
      version: 'stable',
      cachePath: path.join(repo, '.cache', 'vscode-test'),
      timeout: 20000,
    });
  } catch (err) {
    fail(
      `could not download VS Code (${err?.message ?? err}).\n` +
        'Point WSLB_VSCODE_PATH at an installed desktop VS Code executable, for example\n' +
        '  WSLB_VSCODE_PATH=/usr/share/code/code npm run test:vscode\n' +
        '(the same API suite also runs inside code-server with `npm run test:e2e`).',
    );
  }
}

// The development extension runs from dist/: build it first.
const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repo, stdio: 'inherit' });
if (build.status !== 0) fail('npm run build failed');

const tmp = mkdtempSync(path.join(os.tmpdir(), 'wslb-vscode-test-'));
const workspace = path.join(tmp, 'workspace');
cpSync(path.join(here, 'workspace'), workspace, { recursive: true });
let code;
try {
  code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(here, 'runner-extension', 'suite', 'index.js'),
    extensionTestsEnv: { WSLB_E2E_RESULTS: path.join(repo, 'test-artifacts', 'e2e', 'vscode-api-results.json') },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      path.join(tmp, 'user-data'),
      '--extensions-dir',
      path.join(tmp, 'extensions'),
    ],
  });
} catch (err) {
  console.error(`test:vscode: the API suite failed: ${err?.message ?? err}`);
  code = 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
