/**
 * A hostile config must not make wslb print other files (the runner's environment through
 * /proc/self/environ, /etc/passwd, a secret beside the checkout) in any output a CI job publishes,
 * nor drive the terminal with escape sequences (issue 23, reliability-probe.md S1/S3).
 *
 * The CLI runs as a child process of the built bundle with a unique secret in its environment;
 * the language server runs the same way, and every diagnostic it publishes is searched.
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, runCli, tmpdirWith } from '../helpers/cli';
import { TestClient, fileUri } from '../lsp/client';
import { analyzeText } from '../helpers/analyze';

const BIN = path.join(REPO, 'dist/cli/wslb.js');

/** A parent folder holding the checked root two levels down and a secret file outside it. */
function reproducer(fileSecret: string): { base: string; root: string; conf: string; secretFile: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-hostile-'));
  const root = path.join(base, 'repo', 'nginx');
  fs.mkdirSync(root, { recursive: true });
  const secretFile = path.join(base, 'secret.conf');
  // A word nginx would call an unknown directive: today's messages quote it whole.
  fs.writeFileSync(secretFile, `${fileSecret};\n`);
  const conf = path.join(root, 'nginx.conf');
  fs.writeFileSync(
    conf,
    'events {}\nhttp {\n    include /proc/self/environ;\n    include /etc/passwd;\n    include ../../secret.conf;\n}\n',
  );
  return { base, root, conf, secretFile };
}

/** A token that appears nowhere unless wslb copies it. */
const token = (label: string) => `${label}${randomBytes(8).toString('hex')}`;

function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The environment of a child: the secret first (so /proc/self/environ starts with it), no CI unless asked. */
function childEnv(envSecret: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { WSLB_PROBE: envSecret, PATH: process.env.PATH, HOME: process.env.HOME, ...extra };
  return env;
}

describe('hostile configs: no secret leaves, no terminal escapes', function () {
  this.timeout(180_000);
  before(function () {
    this.timeout(300_000);
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
  });

  it('with CI=true, no output format carries the environment or a file outside the checked folder', () => {
    const envSecret = token('E');
    const fileSecret = token('F');
    const { root, conf } = reproducer(fileSecret);
    for (const format of ['text', 'json', 'sarif']) {
      for (const target of [root, conf]) {
        const r = cli(['check', target, '--format', format], childEnv(envSecret, { CI: 'true' }), root);
        const all = r.out + r.err;
        assert.ok(r.code === 0 || r.code === 1, `${format}: exit ${r.code}\n${r.err}`);
        assert.ok(!all.includes(envSecret), `${format}: the environment leaked:\n${all}`);
        assert.ok(!all.includes(fileSecret), `${format}: the outside file leaked:\n${all}`);
        assert.ok(!all.includes('root:x:0:0'), `${format}: /etc/passwd leaked:\n${all}`);
        // Each include is accounted for at its line, with what it points at.
        // (JSON and SARIF write the quotes as \")
        assert.match(all, /include: \\?"\/proc\/self\/environ\\?" leads outside the checked folders/);
        assert.match(all, /include: \\?"\/etc\/passwd\\?" leads outside the checked folders/);
        assert.match(all, /include: \\?"\.\.\/\.\.\/secret\.conf\\?" leads outside the checked folders/);
      }
    }
  });

  it('--no-follow-outside-includes confines includes outside CI too; by default outside CI they are followed', () => {
    const envSecret = token('E');
    const fileSecret = token('F');
    const { root } = reproducer(fileSecret);
    const confined = cli(
      ['check', root, '--format', 'json', '--no-follow-outside-includes'],
      childEnv(envSecret),
      root,
    );
    assert.ok(!confined.out.includes(fileSecret), confined.out);
    assert.ok(confined.out.includes('nginx/include-outside-root'), confined.out);
    const followed = cli(['check', root, '--format', 'json'], childEnv(envSecret), root);
    const codes = (JSON.parse(followed.out) as { code: string }[]).map((f) => f.code);
    assert.ok(!codes.includes('nginx/include-outside-root'), followed.out);
    // Followed: the outside file is read (its word is reported), /proc never is.
    assert.ok(followed.out.includes(fileSecret.slice(0, 10)), followed.out);
    assert.ok(!followed.out.includes(envSecret), followed.out);
    assert.ok(codes.includes('nginx/include-not-file'), followed.out);
    // CI=true can be overridden by the user who wants the includes read.
    const forced = cli(
      ['check', root, '--format', 'json', '--follow-outside-includes'],
      childEnv(envSecret, { CI: 'true' }),
      root,
    );
    assert.ok(!forced.out.includes('nginx/include-outside-root'), forced.out);
  });

  it('a directory, a FIFO or a device named by include is reported as what it is, never read', () => {
    const dir = tmpdirWith({ 'sub/x.conf': 'add_header X-A b;\n' }, 'wslb-hostile-');
    const fifo = path.join(dir, 'pipe.conf');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0, 'mkfifo');
    fs.writeFileSync(
      path.join(dir, 'nginx.conf'),
      'events {}\nhttp {\n    include sub;\n    include pipe.conf;\n    include /dev/zero;\n}\n',
    );
    const r = runCli(['check', path.join(dir, 'nginx.conf'), '--format', 'json', '--follow-outside-includes'], dir);
    const found = (JSON.parse(r.out) as { code: string; message: string; range: { start: { line: number } } }[])
      .filter((f) => f.code === 'nginx/include-not-file')
      .map((f) => [f.range.start.line, f.message]);
    assert.deepEqual(found, [
      [2, 'include: "sub" is a directory, not a config file; not read'],
      [3, 'include: "pipe.conf" is a FIFO, not a config file; not read'],
      [4, 'include: "/dev/zero" is a system file, not a config file; not read'],
    ]);
  });

  it('the language server publishes neither the environment nor, when confined, the outside file', async () => {
    const envSecret = token('E');
    const fileSecret = token('F');
    const { root, conf } = reproducer(fileSecret);
    const text = fs.readFileSync(conf, 'utf8');
    for (const follow of [true, false]) {
      const c = new TestClient({
        workspaceFolder: root,
        settings: { checkWorkspace: true, followOutsideIncludes: follow },
        env: childEnv(envSecret),
      });
      try {
        await c.initialize();
        c.open(fileUri(conf), 'nginx', text);
        const d = await c.waitDiagnostics(fileUri(conf), (x) =>
          x.some((f) => f.code === (follow ? 'nginx/include-not-file' : 'nginx/include-outside-root')),
        );
        const published = JSON.stringify(c.publishes);
        assert.ok(!published.includes(envSecret), published);
        assert.ok(!c.publishes.some((p) => p.uri.includes('/proc/')), published);
        const outside = d.filter((f) => f.code === 'nginx/include-outside-root').length;
        if (follow) assert.equal(outside, 0, published);
        else {
          assert.equal(outside, 3, published);
          assert.ok(!published.includes(fileSecret), published);
        }
      } finally {
        await c.stop();
      }
    }
  });

  it('messages quote a long word clipped to 40 characters, whatever the output', () => {
    const long = 'w' + 'x'.repeat(300);
    const dir = tmpdirWith({
      'nginx.conf': `events {}\nhttp {\n    ${long} on;\n    upstream ${long} { server 127.0.0.1:1; }\n}\n`,
      'haproxy.cfg': `global\n    ${long} 1\nfrontend fe\n    bind :80\n    default_backend ${long}\n`,
    });
    for (const format of ['text', 'json', 'sarif']) {
      const r = runCli(['check', dir, '--format', format], dir);
      assert.ok(r.out.includes('w' + 'x'.repeat(39) + '…'), r.out);
      assert.ok(!r.out.includes('x'.repeat(40)), r.out);
    }
  });

  it('text output escapes control characters from the config (no raw ESC, BEL or line break)', () => {
    const dir = tmpdirWith({
      'nginx.conf': 'events {}\nhttp {\n    evil\x1b[2J\x1b]0;PWNED\x07x on;\n    bad\u202edirective on;\n}\n',
      'haproxy.cfg': 'frontend fe\n    bind :80\n    default_backend "ws\x1b[31mRED"\n',
    });
    const r = runCli(['check', dir, '--no-color'], dir);
    const raw = [...r.out].filter((ch) => (ch < ' ' && ch !== '\n') || ch === '\x7f' || ch === '\u202e');
    assert.deepEqual(raw, [], JSON.stringify(r.out));
    assert.match(r.out, /`evil\\x1b\[2J\\x1b\]0`/);
    assert.match(r.out, /`PWNED\\x07x`/);
    assert.match(r.out, /ws\\x1b\[31mRED/);
    assert.match(r.out, /bad\\u202edirective/);
    // Every finding stays on its own line, and so does each of its related notes.
    for (const line of r.out.trim().split('\n').slice(0, -1)) assert.match(line, /^(?: {2}note: )?[^:]+:\d+:\d+ /);
  });

  it('no message, fix title or related note of any rule fixture quotes more than 40 characters of a word', () => {
    // Every nginx/HAProxy fixture, with a 60-character tail added to each directive name (one
    // variant) or to each of their arguments (another): the rules, the parsers and the knowledge
    // checks still speak about them, and must quote each word clipped.
    const fixtures = path.join(REPO, 'test/rules/fixtures');
    const tail = 'Q'.repeat(60);
    const longer = (w: string) => w.replace(/^([A-Za-z0-9_./-]+)/, `$1${tail}`);
    let variants = 0;
    const unclipped: string[] = [];
    for (const lang of ['nginx', 'haproxy'] as const)
      for (const rule of fs.readdirSync(path.join(fixtures, lang)))
        for (const name of fs.readdirSync(path.join(fixtures, lang, rule))) {
          const text = fs.readFileSync(path.join(fixtures, lang, rule, name), 'utf8');
          for (const names of [true, false]) {
            const mutated = text
              .split('\n')
              .map((line) =>
                /^\s*#/.test(line)
                  ? line
                  : line.replace(/^(\s*)(\S+)(.*)$/, (_m, indent: string, first: string, rest: string) =>
                      names ? indent + longer(first) + rest : indent + first + rest.replace(/\S+/g, longer),
                    ),
              )
              .join('\n');
            variants++;
            for (const f of analyzeText(lang, mutated)) {
              assert.notEqual(f.code, 'wslb/internal', `${lang}/${rule}/${name}: ${f.message}`);
              for (const t of [f.message, ...f.fixes.map((x) => x.title), ...(f.related ?? []).map((r) => r.message)])
                if (t.includes('Q'.repeat(41))) unclipped.push(`${lang}/${rule}/${name} ${f.code}: ${t}`);
            }
          }
        }
    assert.ok(variants > 300, `${variants} variants`);
    assert.deepEqual(unclipped.slice(0, 10), []);
  });
});
