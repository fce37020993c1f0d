/**
 * Pathological input stays within bounds and is reported where it is, and one bad file never costs
 * the others their findings (issue 23, reliability-probe.md F1-F3, F5). Inputs are small generated
 * temp trees; each case runs in process in well under a second.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, runCli, tmpdirWith } from '../helpers/cli';
import { initAwsParsers } from '../../server/src/service';
import { checkWorkspace } from '../../server/src/service/workspace';
import { createLanguageService, type LanguageService } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { Project } from '../../server/src/lsp/project';
import { parseNginx, parseNginxIncremental } from '../../server/src/service/syntax/nginx';

/** A WebSocket location that misses its Upgrade headers: findings that must survive a bad neighbour. */
const BROKEN_WS = 'http {\n  server {\n    location /ws/ {\n      proxy_pass http://app;\n    }\n  }\n}\n';

interface JsonFinding {
  file: string;
  code: string;
  message: string;
  range: { start: { line: number; character: number } };
}

function json(out: string): JsonFinding[] {
  return JSON.parse(out) as JsonFinding[];
}

describe('limits: deep nesting', function () {
  this.timeout(60_000);
  before(async () => {
    await initAwsParsers();
  });

  it('an nginx file nested 5,000 blocks deep gets a finding at the place; its neighbour keeps its findings', () => {
    const dir = tmpdirWith({ 'deep.conf': 'a{'.repeat(5000) + '\n', 'nginx.conf': BROKEN_WS });
    const r = runCli(['check', dir, '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const f = json(r.out);
    const deep = f.filter((x) => x.file.endsWith('deep.conf') && /nested deeper than 100 levels/.test(x.message));
    assert.equal(deep.length, 1, r.out.slice(0, 2000));
    // The 101st "{" (offset 2 * 100 + 1): the first block wslb does not read.
    assert.deepEqual(deep[0].range.start, { line: 0, character: 201 });
    assert.ok(f.some((x) => x.file.endsWith('nginx.conf') && x.code === 'nginx/ws-missing-upgrade-header'));
    assert.ok(!f.some((x) => x.code === 'wslb/internal'));
  });

  it('a deep block closes at its own "}": what follows it is read again', () => {
    const deep = 'location /a {'.repeat(150) + ' "}" # }\n' + '}'.repeat(150);
    const dir = tmpdirWith({
      'nginx.conf': `http {\n server {\n${deep}\n location /ws/ { proxy_pass http://app; }\n }\n}\n`,
    });
    const f = json(runCli(['check', dir, '--format', 'json']).out);
    assert.ok(
      f.some((x) => x.code === 'nginx/ws-missing-upgrade-header' && x.range.start.line === 4),
      JSON.stringify(f),
    );
    assert.ok(!f.some((x) => /unexpected "}"|no closing/.test(x.message)), JSON.stringify(f));
  });

  it('includes that nest blocks across files are bounded too', () => {
    // Each file opens 90 blocks and includes the next one inside them: 270 levels in all.
    const files: Record<string, string> = {};
    for (let i = 0; i < 3; i++)
      files[`l${i}.inc`] = 'a {'.repeat(90) + (i < 2 ? `include l${i + 1}.inc;` : 'b;') + '}'.repeat(90) + '\n';
    files['nginx.conf'] = 'include l0.inc;\n';
    const r = runCli(['check', path.join(tmpdirWith(files), 'nginx.conf'), '--format', 'json']);
    const f = json(r.out);
    assert.ok(
      f.some((x) => x.code === 'nginx/nesting-too-deep' && x.file.endsWith('l2.inc')),
      r.out.slice(0, 2000) + r.err,
    );
  });

  it('a Terraform file nested 10,000 deep beside the checked one gets a finding; no internal error', () => {
    const dir = tmpdirWith({
      'deep.tf': 'resource "aws_lb" "y" {\n' + 'a {\n'.repeat(10_000) + '}\n'.repeat(10_001),
      'list.tf': 'locals {\n  x = ' + '['.repeat(10_000) + ']'.repeat(10_000) + '\n}\n',
    });
    fs.copyFileSync(
      path.join(REPO, 'test/rules/fixtures/aws/alb-idle-timeout/fire-literal.tf'),
      path.join(dir, 'main.tf'),
    );
    const r = runCli(['check', dir, '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    const f = json(r.out);
    assert.ok(!f.some((x) => x.code === 'wslb/internal'), r.out);
    assert.ok(
      f.some((x) => x.file.endsWith('deep.tf') && /nested deeper than 64 levels/.test(x.message)),
      r.out,
    );
    assert.ok(
      f.some((x) => x.file.endsWith('main.tf') && x.code === 'aws/alb-idle-timeout'),
      r.out,
    );
  });

  it('an analysis that throws becomes a wslb/internal finding on its file; the other files are reported', () => {
    const real = createLanguageService();
    const service: LanguageService = {
      ...real,
      analyzeNginx(root, fs, build) {
        if (root.endsWith('bad.conf')) throw new RangeError('Maximum call stack size exceeded');
        return real.analyzeNginx(root, fs, build);
      },
    };
    const mem = new MemoryFileSystem({ '/w/bad.conf': 'http {}\n', '/w/nginx.conf': BROKEN_WS });
    const r = checkWorkspace(service, mem, ['/w/bad.conf', '/w/nginx.conf']);
    const internal = r.findings.filter((x) => x.code === 'wslb/internal');
    assert.equal(internal.length, 1);
    assert.equal(internal[0].file, '/w/bad.conf');
    assert.match(internal[0].message, /RangeError: Maximum call stack size exceeded/);
    assert.ok(r.findings.some((x) => x.file === '/w/nginx.conf' && x.code === 'nginx/ws-missing-upgrade-header'));
  });

  it('the language server publishes a finding for a document nested 5,000 deep', () => {
    const project = new Project(() => undefined);
    const root = path.join(fs.mkdtempSync(path.join(REPO, '..', 'wslb-deep-')), 'deep.conf');
    try {
      fs.writeFileSync(root, 'a{'.repeat(5000) + '\n');
      const p = root.split(path.sep).join('/');
      project.analyzeRoot(p, 'nginx');
      const found = project.findingsFor(p);
      assert.ok(
        found.some((x) => /nested deeper than 100 levels/.test(x.message)),
        JSON.stringify(found.slice(-3)),
      );
    } finally {
      fs.rmSync(path.dirname(root), { recursive: true, force: true });
    }
  });
});

/** `wslb <args>` from the sources in a child process, killed after `ms` (a hang must fail, not block the run). */
function cliChild(args: string[], ms = 30_000): { code: number | null; out: string; err: string; ms: number } {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'server/src/cli/wslb.ts'), ...args], {
    cwd: REPO,
    encoding: 'utf8',
    timeout: ms,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr, ms: Date.now() - t0 };
}

describe('limits: the folder walk', function () {
  this.timeout(90_000);

  it('symbolic links to "." and to an enclosing folder are walked once', () => {
    const dir = tmpdirWith({ 'w/d/nginx.conf': BROKEN_WS });
    for (const n of ['x', 'y', 'z']) fs.symlinkSync('.', path.join(dir, 'w/d', n));
    fs.symlinkSync('..', path.join(dir, 'w/d/up'));
    const r = cliChild(['check', path.join(dir, 'w'), '--format', 'json']);
    assert.equal(r.code, 1, `exit ${r.code} after ${r.ms} ms\n${r.err}`);
    const files = new Set(json(r.out).map((x) => x.file));
    assert.deepEqual([...files], [path.join(dir, 'w/d/nginx.conf')]);
  });
});

describe('limits: deep nesting while typing', () => {
  it('an edit that opens a block past the depth limit is re-parsed as a fresh parse reads it', () => {
    const text = 'a {'.repeat(100) + ' x; ' + '}'.repeat(100) + '\n';
    const at = text.indexOf('x;');
    const old = parseNginx(text, {});
    assert.ok(!old.diagnostics.some((d) => d.code === 'nesting-too-deep'));
    // 100 levels are read; a block typed into the innermost one is the 101st.
    const edit = { offset: at, deleted: 0, inserted: 'b { c; } ' };
    const next = text.slice(0, at) + edit.inserted + text.slice(at);
    const inc = parseNginxIncremental(old, next, [edit], {});
    const fresh = parseNginx(next, {});
    assert.deepEqual(
      inc.diagnostics.map((d) => [d.code, d.start]),
      fresh.diagnostics.map((d) => [d.code, d.start]),
    );
    assert.ok(fresh.diagnostics.some((d) => d.code === 'nesting-too-deep'));
  });
});
