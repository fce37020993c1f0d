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
import { checkWorkspace } from '../../server/src/service/host/roots';
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
    assert.ok(f.some((x) => x.file.endsWith('nginx.conf') && x.code === 'nginx/ws-not-upgraded'));
    assert.ok(!f.some((x) => x.code === 'wslb/internal'));
  });

  it('a deep block closes at its own "}": what follows it is read again', () => {
    const deep = 'location /a {'.repeat(150) + ' "}" # }\n' + '}'.repeat(150);
    const dir = tmpdirWith({
      'nginx.conf': `http {\n server {\n${deep}\n location /ws/ { proxy_pass http://app; }\n }\n}\n`,
    });
    const f = json(runCli(['check', dir, '--format', 'json']).out);
    assert.ok(
      f.some((x) => x.code === 'nginx/ws-not-upgraded' && x.range.start.line === 4),
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
    assert.ok(r.findings.some((x) => x.file === '/w/nginx.conf' && x.code === 'nginx/ws-not-upgraded'));
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
function cliChild(
  args: string[],
  ms = 30_000,
  heapMb = 1024,
): { code: number | null; out: string; err: string; ms: number } {
  const t0 = Date.now();
  const node = [`--max-old-space-size=${heapMb}`, '--import', 'tsx', path.join(REPO, 'server/src/cli/wslb.ts')];
  const r = spawnSync(process.execPath, [...node, ...args], {
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

describe('limits: include expansion', () => {
  const service = createLanguageService();

  /** Files l0..l{levels-1}, each including the next `fan` times; the last one adds a header. */
  function diamond(levels: number, fan: number): MemoryFileSystem {
    const files: Record<string, string> = {
      '/c/nginx.conf': 'http { server { location /ws/ { proxy_pass http://x; include l0.inc; } } }\n',
      [`/c/l${levels}.inc`]: 'add_header X-A b;\n',
    };
    for (let i = 0; i < levels; i++) files[`/c/l${i}.inc`] = `include l${i + 1}.inc;\n`.repeat(fan);
    return new MemoryFileSystem(files);
  }

  it('files including each other over and over stop at the directive budget, with a finding at the include', () => {
    // 10^5 expansions in full; the budget is 1000 directives (or 8 times the distinct ones).
    const a = service.analyzeNginx('/c/nginx.conf', diamond(5, 10), { maxStatements: 1000 });
    const limit = a.findings.filter((f) => f.code === 'nginx/include-limit');
    assert.equal(limit.length, 1, JSON.stringify(a.findings.map((f) => f.message)));
    assert.match(limit[0].message, /more than 1000 directives/);
    let statements = 0;
    const stack = [a.config.root];
    while (stack.length) {
      const c = stack.pop()!;
      statements += c.statements.length;
      stack.push(...c.children);
    }
    assert.ok(statements <= 1000, `${statements} statements`);
  });

  it('the default budget keeps a 10^8 expansion of the CLI within 30 s and 512 MB', function () {
    this.timeout(60_000);
    const files: Record<string, string> = {};
    const mem = diamond(8, 10);
    for (const name of ['nginx.conf', ...Array.from({ length: 9 }, (_, i) => `l${i}.inc`)])
      files[name] = mem.readFile(`/c/${name}`)!;
    const dir = tmpdirWith(files);
    const r = cliChild(['check', path.join(dir, 'nginx.conf'), '--format', 'json'], 30_000, 512);
    assert.equal(r.code, 1, `exit ${r.code} after ${r.ms} ms\n${r.err.slice(0, 500)}`);
    assert.ok(
      json(r.out).some((f) => f.code === 'nginx/include-limit' && /more than 100000 directives/.test(f.message)),
    );
  });

  it('a glob matching more files than the limit is reported with the limit, not cut silently', () => {
    const files: Record<string, string> = {
      '/g/nginx.conf': 'http { server { location /ws/ { proxy_pass http://x; include /g/many/*.conf; } } }\n',
    };
    for (let i = 0; i < 30; i++) files[`/g/many/h${String(i).padStart(2, '0')}.conf`] = `add_header X-${i} v;\n`;
    const a = service.analyzeNginx('/g/nginx.conf', new MemoryFileSystem(files), { maxGlobMatches: 10 });
    const limit = a.findings.filter((f) => f.code === 'nginx/include-limit');
    assert.equal(limit.length, 1);
    assert.match(limit[0].message, /matches more than 10 files; wslb reads the first 10/);
    assert.equal(a.config.sources.size, 11);
  });

  it('the bytes read per config are bounded, with a finding that names the limit', () => {
    const files: Record<string, string> = { '/b/nginx.conf': 'http {\n  include /b/inc/*.conf;\n}\n' };
    for (let i = 0; i < 10; i++) files[`/b/inc/f${i}.conf`] = `# ${'x'.repeat(1000)}\nadd_header X-${i} v;\n`;
    const a = service.analyzeNginx('/b/nginx.conf', new MemoryFileSystem(files), { maxReadBytes: 5000 });
    const limit = a.findings.filter((f) => f.code === 'nginx/include-limit');
    assert.equal(limit.length, 1);
    assert.match(limit[0].message, /exceed 5000 bytes in all/);
    assert.ok(a.config.sources.size <= 5, `${a.config.sources.size} files read`);
  });
});

describe('silent answers: what is skipped is said, and a skipped input the user named is exit 2', function () {
  this.timeout(90_000);

  it('a stray NUL byte does not hide a config: it is checked', () => {
    const dir = tmpdirWith({ 'nginx.conf': 'http {\n server { location /ws/ { proxy_pass http://x\0; } }\n}\n' });
    const r = runCli(['check', path.join(dir, 'nginx.conf'), '--format', 'json']);
    assert.equal(r.code, 1, r.err);
    assert.ok(
      json(r.out).some((f) => f.code === 'nginx/ws-not-upgraded'),
      r.out,
    );
  });

  it('binary data named nginx.conf, named explicitly: exit 2 and the reason, in JSON mode too', () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + 7) % 256;
    const dir = tmpdirWith({});
    fs.writeFileSync(path.join(dir, 'nginx.conf'), bytes);
    const r = runCli(['check', path.join(dir, 'nginx.conf'), '--format', 'json']);
    assert.equal(r.code, 2);
    assert.deepEqual(json(r.out), []);
    assert.match(r.err, /skipped .*nginx\.conf: binary data, not a text config/);
  });

  it('a FIFO named explicitly: exit 2 with what it is; inside a walked folder: a note, the exit code of the findings', () => {
    const dir = tmpdirWith({ 'site/nginx.conf': BROKEN_WS });
    const fifo = path.join(dir, 'site', 'pipe.conf');
    spawnSync('mkfifo', [fifo]);
    const r = runCli(['check', fifo, '--format', 'json']);
    assert.equal(r.code, 2);
    assert.match(r.err, /skipped .*pipe\.conf: a FIFO, not a config file/);
    const w = runCli(['check', path.join(dir, 'site'), '--format', 'json']);
    assert.equal(w.code, 1, w.err);
    assert.match(w.err, /skipped .*pipe\.conf: a FIFO, not a config file/);
  });

  it('a text file named explicitly that is no config: exit 2 with a hint', () => {
    const dir = tmpdirWith({ 'notes.conf': 'just some words\n' });
    const r = runCli(['check', path.join(dir, 'notes.conf')]);
    assert.equal(r.code, 2);
    assert.match(r.err, /skipped .*notes\.conf: does not look like an nginx or HAProxy config \(pass --language/);
  });

  it('an unreadable folder named explicitly: exit 2, "permission denied"', () => {
    const dir = tmpdirWith({ 'locked/nginx.conf': BROKEN_WS });
    const locked = path.join(dir, 'locked');
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(locked, 0o000);
    try {
      // root reads any folder: run as nobody then (spawnSync's uid), else as the current user.
      const asRoot = process.getuid?.() === 0;
      const node = ['--import', 'tsx', path.join(REPO, 'server/src/cli/wslb.ts'), 'check', locked, '--format', 'json'];
      const r = spawnSync(process.execPath, node, {
        cwd: REPO,
        encoding: 'utf8',
        timeout: 60_000,
        ...(asRoot ? { uid: 65534, gid: 65534, env: { PATH: process.env.PATH, HOME: '/tmp' } } : {}),
      });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /skipped .*locked: cannot list the folder: permission denied/);
    } finally {
      fs.chmodSync(locked, 0o755);
    }
  });
});
