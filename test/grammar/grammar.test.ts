import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createRegistry } from 'vscode-tmgrammar-test/dist/common/index';
import { GRAMMARS, ROOT, scopesOf, tokenize } from './tokenize';
import { need, sharedPath } from '../helpers/needs';

const CLI = join(ROOT, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const FIXTURES = join(ROOT, 'test', 'grammar', 'fixtures');
const CORPUS = sharedPath('corpus');

function runCli(...patterns: string[]) {
  return spawnSync(process.execPath, [CLI, '--compact', '--config', 'package.json', ...patterns], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

describe('TextMate grammars', function () {
  this.timeout(120_000);

  it('are up to date with their sources in syntaxes/src', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'syntaxes', 'src', 'build.mjs'), '--check'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
  });

  it('pass every scope assertion in test/grammar/fixtures (vscode-tmgrammar-test)', () => {
    const files = readdirSync(FIXTURES).filter((f) => /\.(nginx|haproxy)$/.test(f));
    assert.ok(files.length >= 2, 'fixtures missing');
    const r = runCli('test/grammar/fixtures/*.nginx', 'test/grammar/fixtures/*.haproxy');
    assert.equal(r.status, 0, `vscode-tmgrammar-test failed:\n${r.stdout}\n${r.stderr}`);
    for (const f of files) assert.match(r.stdout, new RegExp(f.replace('.', '\\.') + ' run successful'));
  });

  it('the CLI harness does report a wrong assertion (so the test above can fail)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wslb-grammar-'));
    try {
      const nginx = join(dir, 'wrong.nginx');
      writeFileSync(
        nginx,
        '# SYNTAX TEST "source.wslb.nginx"\nproxy_read_timeout 1h;\n# <------------------ comment.line.number-sign.nginx\n',
      );
      const haproxy = join(dir, 'wrong.haproxy');
      writeFileSync(
        haproxy,
        '# SYNTAX TEST "source.wslb.haproxy"\n    timeout tunnel 1h\n#   ^^^^^^^ string.quoted.double.haproxy\n',
      );
      for (const f of [nginx, haproxy]) {
        const r = runCli(relative(ROOT, f));
        assert.notEqual(r.status, 0, `expected a failure for ${f}:\n${r.stdout}`);
        assert.match(r.stdout, /missing required scopes/i);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('embedded Lua', () => {
    const text = [
      'content_by_lua_block {',
      '    local t = { a = "}" } -- }',
      '    return t',
      '}',
      'proxy_read_timeout 1h;',
    ].join('\n');

    for (const withLua of [false, true]) {
      it(`keeps *_by_lua_block braces balanced ${withLua ? 'with' : 'without'} a source.lua grammar installed`, async () => {
        const extra = withLua
          ? [{ path: join(__dirname, 'stand-in-lua.tmLanguage.json'), scopeName: 'source.lua' }]
          : [];
        const toks = await tokenize(text, 'source.wslb.nginx', extra);
        const closing = toks.filter((t) => t.text === '}' && t.scopes.includes('punctuation.section.block.end.nginx'));
        assert.deepEqual(
          closing.map((t) => t.line),
          [3],
          'the block must close on line 4 only',
        );
        const local = scopesOf(toks, 'local');
        assert.ok(local?.includes('meta.embedded.block.lua'), String(local));
        assert.ok(scopesOf(toks, 'proxy_read_timeout')?.includes('keyword.other.directive.nginx'));
        assert.ok(!scopesOf(toks, 'proxy_read_timeout')?.includes('meta.embedded.block.lua'));
        // With a Lua grammar present its scopes are used; without one the built-in fallback is.
        const ret = scopesOf(toks, 'return');
        assert.equal(ret?.includes('keyword.control.stand-in.lua'), withLua, String(ret));
        assert.equal(ret?.includes('keyword.control.lua'), !withLua, String(ret));
      });
    }
  });

  describe('Markdown fenced code blocks', () => {
    const md = [
      '# Proxy setup',
      '```nginx',
      'location /ws { proxy_set_header Connection $connection_upgrade; }',
      '```',
      '',
      '~~~haproxy',
      'backend be_ws',
      '    timeout tunnel 1h',
      '~~~',
      '```text',
      'timeout tunnel 1h',
      '```',
    ].join('\n');
    const extra = [
      { path: join(__dirname, 'stand-in-markdown.tmLanguage.json'), scopeName: 'text.html.markdown' },
      {
        path: join(ROOT, 'syntaxes', 'markdown-codeblock.tmLanguage.json'),
        scopeName: 'markdown.wslb.codeblock',
        injectTo: ['text.html.markdown'],
      },
    ];
    it('highlight ```nginx and ~~~haproxy blocks with the wslb grammars, and nothing else', async () => {
      const toks = await tokenize(md, 'text.html.markdown', extra);
      const location = scopesOf(toks, 'location', 2);
      assert.ok(location?.includes('meta.embedded.block.nginx'), String(location));
      assert.ok(location?.includes('storage.type.block.location.nginx'), String(location));
      assert.ok(scopesOf(toks, '$', 2)?.includes('variable.other.nginx'));
      const tunnel = scopesOf(toks, 'tunnel', 7);
      assert.ok(
        tunnel?.includes('meta.embedded.block.haproxy') && tunnel.includes('keyword.other.haproxy'),
        String(tunnel),
      );
      // the fence closes: the text block after it is plain
      const plain = toks.filter((t) => t.line === 10);
      assert.ok(plain.length > 0);
      for (const t of plain)
        assert.ok(!t.scopes.some((s) => s.endsWith('.haproxy') || s.endsWith('.nginx')), t.scopes.join(' '));
      assert.ok(scopesOf(toks, '# Proxy setup', 0)?.includes('markup.heading.markdown'));
    });
  });

  describe('robustness', () => {
    // VS Code tokenises each line with a time budget and gives up on the rest of the line when it
    // runs out; that only protects the editor if no single regular expression of the grammar
    // backtracks catastrophically, which is what these lines probe.
    const BUDGET_MS = 500;
    const nasty = [
      'a '.repeat(20_000) + '{',
      '{'.repeat(10_000),
      'a{'.repeat(5_000),
      'location ' + '~'.repeat(5_000),
      'x ' + '"'.repeat(3_001),
      '${'.repeat(10_000),
      'if (' + '('.repeat(5_000),
      'if { '.repeat(3_000),
      '\u0000\u0001\uFFFD\uD800 binary \u0007 junk {{{{}}}}'.repeat(500),
      'server ' + '1.'.repeat(10_000) + ':' + '8'.repeat(5000),
      'acl x hdr(' + 'a,'.repeat(10_000),
      'acl a b(' + '%[x('.repeat(3_000),
      'http-request set-header X "%[' + 'req.hdr(a),'.repeat(3000),
      'server s ' + '2001:db8:'.repeat(5_000),
      'add_header X-A "v" always; '.repeat(40_000),
    ];
    for (const lang of ['nginx', 'haproxy'] as const) {
      it(`${lang}: pathological lines never throw and respect an editor-style time budget`, async () => {
        const registry = createRegistry([{ ...GRAMMARS[lang] }]);
        const grammar = await registry.loadGrammar(GRAMMARS[lang].scopeName);
        assert.ok(grammar);
        for (const line of nasty) {
          const start = Date.now();
          const r = grammar.tokenizeLine(line, null, BUDGET_MS);
          const ms = Date.now() - start;
          assert.ok(r.tokens.length > 0);
          assert.ok(
            ms < BUDGET_MS * 10,
            `${lang} took ${ms} ms on a ${line.length}-char line starting ${JSON.stringify(line.slice(0, 20))}`,
          );
        }
      });
    }
  });

  describe('real-world corpus (../shared/corpus)', () => {
    before(function () {
      need(this, 'shared');
    });
    const manifest = (() => {
      try {
        return readFileSync(join(CORPUS, 'MANIFEST.tsv'), 'utf8')
          .split('\n')
          .slice(1)
          .map((l) => l.split('\t'))
          .filter((c) => c.length >= 3);
      } catch {
        return [];
      }
    })();

    it('the corpus manifest is readable', () => {
      assert.ok(manifest.length > 50, 'expected the shared corpus with its MANIFEST.tsv');
    });

    it('nginx: every config nginx accepted ends at top level with no unmatched brace or invalid token', async () => {
      const registry = createRegistry([{ ...GRAMMARS.nginx }]);
      const grammar = await registry.loadGrammar(GRAMMARS.nginx.scopeName);
      assert.ok(grammar);
      const top = grammar.tokenizeLine('', null).ruleStack.depth;
      const files = manifest.filter(([, kind, verdict]) => kind === 'nginx' && verdict === 'accepted').map(([p]) => p);
      assert.ok(files.length > 20);
      const problems: string[] = [];
      for (const file of files) {
        const full = join(CORPUS, file);
        if (!statSync(full, { throwIfNoEntry: false })?.isFile()) continue;
        let state = null as Parameters<typeof grammar.tokenizeLine>[1];
        readFileSync(full, 'utf8')
          .split(/\r?\n/)
          .forEach((line, i) => {
            const r = grammar.tokenizeLine(line, state);
            for (const t of r.tokens) {
              if (t.scopes.some((s) => s.startsWith('invalid.')))
                problems.push(`${file}:${i + 1}: invalid token in ${JSON.stringify(line)}`);
            }
            state = r.ruleStack;
          });
        if (state && state.depth !== top) problems.push(`${file}: ends at rule depth ${state.depth} (expected ${top})`);
      }
      assert.deepEqual(problems, []);
    });

    it('haproxy: in every config HAProxy accepted, each statement starts with a section, keyword or directive scope', async () => {
      const registry = createRegistry([{ ...GRAMMARS.haproxy }]);
      const grammar = await registry.loadGrammar(GRAMMARS.haproxy.scopeName);
      assert.ok(grammar);
      const files = manifest
        .filter(([, kind, verdict]) => kind === 'haproxy' && (verdict === 'accepted' || verdict === 'env'))
        .map(([p]) => p);
      assert.ok(files.length > 10);
      const problems: string[] = [];
      for (const file of files) {
        const full = join(CORPUS, file);
        if (!statSync(full, { throwIfNoEntry: false })?.isFile()) continue;
        let state = null as Parameters<typeof grammar.tokenizeLine>[1];
        readFileSync(full, 'utf8')
          .split(/\r?\n/)
          .forEach((line, i) => {
            const r = grammar.tokenizeLine(line, state);
            state = r.ruleStack;
            const first = r.tokens.find((t) => line.slice(t.startIndex, t.endIndex).trim() !== '');
            if (!first) return;
            const ok = first.scopes.some((s) => /^(keyword\.|storage\.type\.section\.|comment\.)/.test(s));
            if (!ok) problems.push(`${file}:${i + 1}: ${JSON.stringify(line)} -> ${first.scopes.join(' ')}`);
          });
      }
      assert.deepEqual(problems, []);
    });
  });
});
