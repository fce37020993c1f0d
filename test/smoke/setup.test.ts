/**
 * The set-up contract of the README's test command: scripts/setup.mjs names what is missing in
 * one block and exits 0, and the tests' one door (test/helpers/needs.ts) runs, skips or fails a
 * test that needs something outside the repository.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gate, REPO, sharedDir } from '../helpers/needs';

describe('set-up: scripts/setup.mjs and the needs gate', () => {
  it('setup --check names each missing tool and the shared folder in one block, and exits 0', function () {
    this.timeout(60_000);
    // A PATH with node alone: nvim is not found (nginx and haproxy may still be, in /usr/sbin, where
    // Debian puts them and where setup and the tests also look); the shared folder points nowhere.
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-setup-'));
    try {
      fs.symlinkSync(process.execPath, path.join(bin, 'node'));
      const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'setup.mjs'), '--check'], {
        encoding: 'utf8',
        env: { PATH: bin, HOME: bin, WSLB_SHARED_DIR: path.join(bin, 'no-shared') },
        timeout: 50_000,
      });
      assert.equal(r.status, 0, r.stderr);
      const block = r.stdout.slice(r.stdout.indexOf('[setup] missing'));
      assert.ok(block.length > 0, r.stdout);
      assert.ok(r.stdout.includes('[setup] missing'), r.stdout);
      for (const name of [
        'Neovim: apt-get install neovim',
        "the project's shared folder",
        // no compiler on this PATH, no archives in the shared folder, an empty versions cache
        'the compiler and headers the nginx/HAProxy release builds need: apt-get install gcc make tar libpcre2-dev',
        'the nginx/HAProxy releases nginx@1.24.0, nginx@1.26.3',
        'haproxy-3.4.0.tar.gz',
      ])
        assert.ok(block.includes(name), `${name} not named in:\n${block}`);
      assert.match(block, /pending/);
    } finally {
      fs.rmSync(bin, { recursive: true, force: true });
    }
  });

  it('the gate runs a test whose needs are there, skips it when missing, and fails it under WSLB_REQUIRE_ALL=1', () => {
    const present = () => '/somewhere';
    const absent = () => undefined;
    assert.deepEqual(gate(['nginx'], {}, present), { action: 'run' });
    const skipped = gate(['nginx', 'haproxy'], {}, absent);
    assert.equal(skipped.action, 'skip');
    assert.ok('reason' in skipped && /nginx is missing \(apt-get install nginx/.test(skipped.reason));
    assert.ok('reason' in skipped && /haproxy is missing/.test(skipped.reason));
    assert.equal(gate(['chromium'], { WSLB_REQUIRE_ALL: '1' }, absent).action, 'fail');
    assert.deepEqual(gate(['chromium'], { WSLB_REQUIRE_ALL: '1' }, present), { action: 'run' });
  });

  it('the unit tier skips every outside need, even where it is present', () => {
    const g = gate(['shared'], { WSLB_TIER: 'unit' }, () => '/there');
    assert.equal(g.action, 'skip');
    assert.ok('reason' in g && /unit tier/.test(g.reason));
  });

  it('the shared folder is found beside the clone unless WSLB_SHARED_DIR says otherwise', () => {
    assert.equal(sharedDir({}), path.resolve(REPO, '..', 'shared'));
    assert.equal(sharedDir({ WSLB_SHARED_DIR: '/x/y' }), '/x/y');
  });
});
