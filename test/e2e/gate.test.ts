/** The e2e gate and the setup script's status check, without starting code-server. */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { e2eGate, loadSetup, REPO } from './harness';

describe('e2e gate', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-e2e-gate-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports a missing setup with the command that fixes it', () => {
    const loaded = loadSetup(dir);
    assert.equal(loaded.ok, false);
    assert.match(!loaded.ok ? loaded.reason : '', /node scripts\/e2e-setup\.mjs/);
  });

  it('calls a setup stale when a recorded binary is gone', () => {
    fs.writeFileSync(
      path.join(dir, 'ready.json'),
      JSON.stringify({ node: path.join(dir, 'nope'), codeServerEntry: __filename, chromium: __filename }),
    );
    const loaded = loadSetup(dir);
    assert.equal(loaded.ok, false);
    assert.match(!loaded.ok ? loaded.reason : '', /stale \(node:/);
  });

  it('accepts a setup whose files exist', () => {
    const setup = {
      node: process.execPath,
      codeServerEntry: __filename,
      chromium: __filename,
      codeServerVersion: '4',
      vscodeVersion: '1',
    };
    fs.writeFileSync(path.join(dir, 'ready.json'), JSON.stringify(setup));
    const gate = e2eGate({}, loadSetup(dir));
    assert.equal(gate.action, 'run');
  });

  it('skips without the setup, fails under WSLB_REQUIRE_ALL=1 or WSLB_REQUIRE_E2E=1', () => {
    const missing = loadSetup(dir);
    assert.equal(e2eGate({}, missing).action, 'skip');
    assert.equal(e2eGate({ WSLB_REQUIRE_ALL: '1' }, missing).action, 'fail');
    assert.equal(e2eGate({ WSLB_REQUIRE_E2E: '1' }, missing).action, 'fail');
    assert.equal(e2eGate({ WSLB_REQUIRE_ALL: '0' }, missing).action, 'skip');
  });

  it('e2e-setup --check exits 1 on an empty cache and says how to set up', () => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'e2e-setup.mjs'), '--check'], {
      env: { ...process.env, WSLB_E2E_CACHE: dir },
      encoding: 'utf8',
      timeout: 30000,
    });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    const status = JSON.parse(r.stdout.slice(0, r.stdout.lastIndexOf('}') + 1)) as { ready: boolean; cache: string };
    assert.equal(status.ready, false);
    assert.equal(status.cache, dir);
    assert.match(r.stdout, /node scripts\/e2e-setup\.mjs --apt/);
  });
});
