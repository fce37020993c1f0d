import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import picomatch from 'picomatch';
import { ROOT } from './tokenize';
import {
  readJson,
  type GrammarContribution,
  type LanguageConfiguration,
  type LanguageContribution,
  type Manifest,
  type TextMateGrammar,
} from '../helpers/json';

const pkg = readJson<Partial<Manifest>>(join(ROOT, 'package.json'));
const languages: LanguageContribution[] = pkg.contributes?.languages ?? [];
const grammars: GrammarContribution[] = pkg.contributes?.grammars ?? [];
const ours = languages.filter((l) => l.id.toLowerCase() === 'nginx' || l.id.toLowerCase() === 'haproxy');

/**
 * Which of our languages VS Code would pick for a path, following the order of
 * src/vs/editor/common/services/languagesAssociations.ts: exact file name, then the longest
 * matching filename pattern (matched on the full path when it contains '/', else on the base
 * name), then the longest extension. Paths are compared in lower case, as VS Code does.
 */
function languageFor(path: string): string | undefined {
  const lower = path.toLowerCase();
  const base = lower.slice(lower.lastIndexOf('/') + 1);
  for (const l of ours) if (l.filenames?.some((f) => f.toLowerCase() === base)) return l.id;
  let best: { id: string; len: number } | undefined;
  for (const l of ours) {
    for (const p of l.filenamePatterns ?? []) {
      const target = p.includes('/') ? lower : base;
      if (picomatch(p.toLowerCase(), { dot: true })(target) && (!best || p.length > best.len))
        best = { id: l.id, len: p.length };
    }
  }
  if (best) return best.id;
  let ext: { id: string; len: number } | undefined;
  for (const l of ours) {
    for (const e of l.extensions ?? []) {
      if (base.endsWith(e.toLowerCase()) && (!ext || e.length > ext.len)) ext = { id: l.id, len: e.length };
    }
  }
  return ext?.id;
}

describe('package.json language and grammar contributions', () => {
  it('contribute exactly the lower-case languages nginx and haproxy, with aliases', () => {
    assert.deepEqual(ours.map((l) => l.id).sort(), ['haproxy', 'nginx']);
    for (const l of ours) {
      assert.equal(l.id, l.id.toLowerCase(), `language id ${l.id} must be lower case`);
      assert.ok((l.aliases ?? []).length > 0, `${l.id} needs aliases`);
    }
    assert.ok(ours.find((l) => l.id === 'nginx')?.aliases?.includes('NGINX'));
    assert.ok(ours.find((l) => l.id === 'haproxy')?.aliases?.includes('HAProxy'));
  });

  it('never claim every .conf or .cfg file', () => {
    for (const l of ours) {
      for (const e of l.extensions ?? []) {
        assert.ok(!['.conf', '.cfg', 'conf', 'cfg'].includes(e.toLowerCase()), `${l.id} claims extension ${e}`);
      }
      for (const p of l.filenamePatterns ?? []) {
        assert.ok(!/^(\*\*\/)?\*\.(conf|cfg)$/i.test(p), `${l.id} claims pattern ${p}`);
      }
    }
    const unrelated = [
      '/etc/ssh/sshd_config.conf',
      '/etc/sysctl.conf',
      '/etc/resolv.conf',
      '/home/me/project/app.conf',
      '/etc/supervisor/supervisord.conf',
      '/home/me/project/setup.cfg',
      '/etc/samba/smb.cfg',
      'C:/Users/me/tox.cfg',
      '/etc/modprobe.d/blacklist.conf',
    ];
    for (const p of unrelated) assert.equal(languageFor(p), undefined, `${p} must not be claimed`);
  });

  it('claim the usual nginx and HAProxy locations', () => {
    const expected: [string, string][] = [
      ['/etc/nginx/nginx.conf', 'nginx'],
      ['/srv/app/deploy/nginx.conf', 'nginx'],
      ['/etc/nginx/conf.d/websocket.conf', 'nginx'],
      ['/etc/nginx/sites-available/default', 'nginx'],
      ['/etc/nginx/sites-enabled/example.com', 'nginx'],
      ['/repo/docker/nginx/templates/app.conf', 'nginx'],
      ['/repo/sites-available/chat', 'nginx'],
      ['/repo/conf.d/upstreams.conf', 'nginx'],
      ['/repo/ops/chat.nginx', 'nginx'],
      ['/repo/ops/Chat.NGINX', 'nginx'],
      ['/repo/ops/nginx-ws.conf', 'nginx'],
      ['/repo/ops/chat.nginx.conf', 'nginx'],
      ['/etc/nginx/fastcgi_params', 'nginx'],
      ['/etc/haproxy/haproxy.cfg', 'haproxy'],
      ['/repo/lb/haproxy.cfg', 'haproxy'],
      ['/repo/lb/HAProxy.cfg', 'haproxy'],
      ['/repo/deploy/haproxy/conf/backends.cfg', 'haproxy'],
      ['/repo/lb/edge.haproxy', 'haproxy'],
      ['/repo/lb/haproxy-ws.cfg', 'haproxy'],
      ['/repo/lb/edge.haproxy.cfg', 'haproxy'],
    ];
    for (const [p, id] of expected) assert.equal(languageFor(p), id, p);
  });

  it('firstLine patterns are valid and recognise clearly-nginx / clearly-HAProxy first lines only', () => {
    const re = (id: string) => new RegExp(ours.find((l) => l.id === id)!.firstLine!);
    const nginx = re('nginx');
    const haproxy = re('haproxy');
    for (const line of [
      'user www-data;',
      'worker_processes auto;',
      'http {',
      'events {',
      'server {',
      'upstream chat {',
      '# nginx config for chat',
      'load_module modules/ngx_stream_module.so;',
    ]) {
      assert.ok(nginx.test(line), line);
      assert.ok(!haproxy.test(line), line);
    }
    for (const line of [
      'global',
      'defaults',
      'frontend fe_main',
      'backend be_ws # websockets',
      'listen stats',
      '# HAProxy edge',
    ]) {
      assert.ok(haproxy.test(line), line);
      assert.ok(!nginx.test(line), line);
    }
    for (const line of [
      '[section]',
      'key = value',
      '<VirtualHost *:80>',
      'ServerName example.com',
      '#!/bin/sh',
      '{"a": 1}',
      'server = 1.2.3.4',
    ]) {
      assert.ok(!nginx.test(line), `nginx firstLine matched ${line}`);
      assert.ok(!haproxy.test(line), `haproxy firstLine matched ${line}`);
    }
  });

  it('every grammar and language-configuration path exists and parses as JSON', () => {
    assert.deepEqual(
      grammars
        .filter((g) => g.language)
        .map((g) => g.language)
        .sort(),
      ['haproxy', 'nginx'],
    );
    for (const g of grammars) {
      const file = join(ROOT, g.path);
      assert.ok(existsSync(file), `${g.path} is missing`);
      const grammar = readJson<TextMateGrammar>(file);
      assert.equal(grammar.scopeName, g.scopeName, `${g.path} scopeName`);
      assert.match(
        g.scopeName,
        /^(source|markdown)\.wslb\./,
        'scope names are namespaced so they cannot collide with other extensions',
      );
      assert.ok(Array.isArray(grammar.patterns) && grammar.patterns.length > 0);
      if (!g.language)
        assert.deepEqual(
          g.injectTo,
          ['text.html.markdown'],
          `${g.path} is neither a language grammar nor the Markdown injection`,
        );
    }
    for (const l of ours) {
      assert.ok(l.configuration, `${l.id} has no language configuration`);
      const file = join(ROOT, l.configuration);
      assert.ok(existsSync(file), `${l.configuration} is missing`);
      const conf = readJson<LanguageConfiguration>(file);
      assert.equal(conf.comments?.lineComment, '#');
      assert.ok(conf.brackets.some(([o, c]) => o === '{' && c === '}'));
      assert.ok(conf.brackets.some(([o, c]) => o === '(' && c === ')'));
      assert.ok(conf.autoClosingPairs.some((p) => p.open === '"'));
      assert.ok(conf.autoClosingPairs.some((p) => p.open === "'"));
      for (const key of ['wordPattern'] as const) assert.doesNotThrow(() => new RegExp(conf[key]), `${l.id} ${key}`);
      for (const key of ['increaseIndentPattern', 'decreaseIndentPattern'] as const) {
        assert.doesNotThrow(() => new RegExp(conf.indentationRules[key]), `${l.id} ${key}`);
      }
    }
  });

  it('the word pattern keeps $variables, dashes and dots in one word', () => {
    const word = (id: string, text: string, at: number) => {
      const conf = readJson<LanguageConfiguration>(join(ROOT, ours.find((l) => l.id === id)!.configuration!));
      const re = new RegExp(conf.wordPattern, 'g');
      for (const m of text.matchAll(re)) if (m.index <= at && at < m.index + m[0].length) return m[0];
      return undefined;
    };
    const line = '    proxy_set_header Connection $connection_upgrade;';
    assert.equal(word('nginx', line, line.indexOf('connection_upgrade') + 3), '$connection_upgrade');
    assert.equal(word('nginx', 'add_header X-Request-Id ${request_id};', 30), '${request_id}');
    assert.equal(word('nginx', 'server backend1.example.com:8080;', 12), 'backend1.example.com');
    assert.equal(word('haproxy', '    timeout tunnel 1h', 6), 'timeout');
    assert.equal(word('haproxy', '    http-request set-header X-Forwarded-Proto https', 10), 'http-request');
    assert.equal(word('haproxy', '    acl is_ws hdr(upgrade) -i websocket', 16), 'hdr');
  });

  it('nginx indentation rules indent after "{" and outdent at "}"', () => {
    const conf = readJson<LanguageConfiguration>(join(ROOT, ours.find((l) => l.id === 'nginx')!.configuration!));
    const inc = new RegExp(conf.indentationRules.increaseIndentPattern);
    const dec = new RegExp(conf.indentationRules.decreaseIndentPattern);
    assert.ok(inc.test('server {'));
    assert.ok(inc.test('    location ~* \\.(js|css)$ {  # static'));
    assert.ok(!inc.test('    proxy_pass http://up;'));
    assert.ok(!inc.test('    # server {'));
    assert.ok(!inc.test('location / { return 200; }'));
    assert.ok(dec.test('    }'));
    assert.ok(!dec.test('    proxy_pass http://up;'));
  });

  it('the test:grammar script runs the tmgrammar CLI from node_modules, not through the network', () => {
    const script = pkg.scripts?.['test:grammar'] ?? '';
    assert.match(script, /node node_modules\/vscode-tmgrammar-test\//);
    assert.doesNotMatch(script, /npx/);
  });
});
