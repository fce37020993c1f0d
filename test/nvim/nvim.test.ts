/**
 * A real third-party LSP client: headless Neovim (Debian 12 ships 0.7) attaches the built
 * server to a fixture and writes the diagnostics it received (see init.lua).
 * Missing nvim: the suite is skipped with the install hint; WSLB_REQUIRE_ALL=1 makes it fail.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { binary, need } from '../helpers/needs';

const REPO = path.resolve(__dirname, '..', '..');

interface NvimResult {
  attached: boolean;
  error?: string;
  diagnostics: {
    lnum: number;
    col: number;
    end_lnum: number;
    end_col: number;
    severity: number;
    message: string;
    source: string;
    code?: string;
  }[];
}

describe('Neovim (headless) as LSP client', function () {
  this.timeout(120_000);
  let tmp: string;

  before(function () {
    need(this, 'neovim');
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-nvim-'));
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows the wslb diagnostics for an nginx fixture', () => {
    const fixture = path.join(tmp, 'nginx.conf');
    fs.copyFileSync(path.join(__dirname, 'fixture.nginx.conf'), fixture);
    const out = path.join(tmp, 'result.json');
    const r = spawnSync(
      binary('neovim'),
      ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', path.join(__dirname, 'init.lua')],
      {
        env: {
          ...process.env,
          WSLB_SERVER: path.join(REPO, 'dist', 'server', 'server.js'),
          WSLB_FIXTURE: fixture,
          WSLB_FILETYPE: 'nginx',
          WSLB_OUT: out,
          XDG_STATE_HOME: tmp,
          XDG_DATA_HOME: tmp,
          XDG_CACHE_HOME: tmp,
        },
        encoding: 'utf8',
        timeout: 60_000,
      },
    );
    assert.ok(fs.existsSync(out), `nvim wrote no result (status ${r.status}): ${r.stderr}${r.stdout}`);
    const result = JSON.parse(fs.readFileSync(out, 'utf8')) as NvimResult;
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.attached, true);
    const wslb = result.diagnostics.filter((d) => d.source === 'wslb');
    assert.ok(wslb.length > 0, JSON.stringify(result));
    const hv = wslb.find((d) => d.code === 'nginx/ws-http-version');
    assert.ok(hv, JSON.stringify(wslb.map((d) => d.code)));
    // `location /ws` on line 9 (1-based), column 9: Neovim counts from 0 like LSP.
    assert.deepEqual([hv.lnum, hv.col, hv.end_lnum, hv.end_col], [8, 8, 8, 20]);
    assert.equal(hv.severity, 1, 'error');
    assert.match(hv.message, /HTTP\/1\.0/);
  });
});
