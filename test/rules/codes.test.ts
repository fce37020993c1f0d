/**
 * Every code wslb emits is a known code: listed by `wslb rules`, explained by `wslb explain`,
 * documented in docs/rules.md, linked from the diagnostic, and subject to `--rule code=...`.
 * The codes are collected two ways: by running the analyses over every config the repository and
 * the shared corpus hold (at several target versions), and from every code-like literal in
 * server/src (a code only a rare input emits is still caught).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLanguageService, initAwsParsers, type ServiceOptions } from '../../server/src/service';
import { ALL_CHECKS } from '../../server/src/service/checks';
import { allCodes, knownCode } from '../../server/src/service/codes';
import { codeDocsUrl } from '../../server/src/service/docs/links';
import { explainRule } from '../../server/src/service/docs/explain';
import { checkLongDocs } from '../../server/src/service/rules/long-docs';
import { checkWorkspace } from '../../server/src/service/host/roots';
import { collectFiles, NodeFileSystem } from '../../server/src/node/nodefs';
import { formatSarif } from '../../server/src/cli/format';
import { toDiagnostic, PathMapper } from '../../server/src/lsp/convert';
import { renderRuleDocs } from '../../scripts/rule-docs';
import { CORPUS } from '../helpers/corpus';
import { analyzeText } from '../helpers/analyze';
import { REPO, runCli, tmpdirWith } from '../helpers/cli';

/** Folders holding configs: our fixtures and examples, the shared corpus, the real-world corpus. */
const ROOTS = [
  'test/rules/fixtures',
  'test/fixtures',
  'test/e2e/workspace',
  'test/grammar/fixtures',
  'examples',
  CORPUS,
].map((p) => path.resolve(REPO, p));

/** Code-like literals in server/src that are not finding codes. */
const NOT_CODES = new Set([
  'wslb/pools', // an LSP request name (lsp/protocol.ts)
  'wslb/explain', // an LSP request name (lsp/protocol.ts)
  'wslb/version', // an LSP request name (lsp/protocol.ts)
]);

function literalCodes(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      for (const [k, v] of literalCodes(p)) found.set(k, v);
    } else if (/\.ts$/.test(e.name)) {
      const text = fs.readFileSync(p, 'utf8');
      for (const m of text.matchAll(/['"`]((?:nginx|haproxy|aws|wslb)\/[a-z0-9][a-z0-9-]*)['"`]/g))
        found.set(m[1], path.relative(REPO, p));
    }
  }
  return found;
}

describe('every emitted code is known', function () {
  this.timeout(600_000);
  before(() => initAwsParsers());

  const emitted = new Map<string, string>();
  const variants: Partial<ServiceOptions>[] = [
    {},
    { nginxVersion: '1.18.0', nginxVersionSet: true, haproxyVersion: '2.4.0' },
    { nginxVersion: '1.29.7', nginxVersionSet: true, haproxyVersion: '3.0.0' },
  ];

  it('the analyses over every config in the repository and the shared corpus emit only registered codes', () => {
    const fsys = new NodeFileSystem();
    let files = 0;
    for (const root of ROOTS) {
      if (!fs.existsSync(root)) continue;
      const list = collectFiles([root]).files;
      files += list.length;
      for (const opts of variants) {
        const result = checkWorkspace(createLanguageService(opts), fsys, list);
        for (const f of result.findings) if (!emitted.has(f.code)) emitted.set(f.code, f.file);
      }
    }
    assert.ok(files > 50, `only ${files} files found`);
    // A few inputs that make the rarer checks speak.
    const samples: [Parameters<typeof analyzeText>[0], string][] = [
      ['nginx', 'http { server { listen 80 } }'],
      ['nginx', 'events {} http { proxy_buffering maybe; include nope.conf; server { location / { upstream x {} } } }'],
      ['haproxy', 'frontend fe\n  bind :80 frobnicate\n  bogus yes\n  mode ftp\n'],
      ['aws', 'resource "aws_lb" "x" {\n  idle_timeout = \n'],
    ];
    for (const [lang, text] of samples)
      for (const f of analyzeText(lang, text)) if (!emitted.has(f.code)) emitted.set(f.code, `sample ${lang}`);
    const unknown = [...emitted].filter(([c]) => !knownCode(c));
    assert.deepEqual(unknown, [], 'codes emitted but not registered (add them to server/src/service/checks)');
    for (const c of ['nginx/syntax', 'nginx/unknown-directive', 'haproxy/unknown-keyword', 'aws/syntax'])
      assert.ok(emitted.has(c), `${c} was never emitted: the collection is not looking where it should`);
  });

  it('every code-like literal in server/src is a registered code', () => {
    const unknown = [...literalCodes(path.join(REPO, 'server/src'))].filter(
      ([c]) => !NOT_CODES.has(c) && !knownCode(c),
    );
    assert.deepEqual(unknown, []);
  });

  it('every registered code is listed, explained and documented with a heading the link points at', () => {
    const list = runCli(['rules']).out;
    const docs = renderRuleDocs();
    assert.equal(fs.readFileSync(path.join(REPO, 'docs/rules.md'), 'utf8'), docs, 'docs/rules.md is stale');
    const ids = allCodes().map((c) => c.id);
    assert.equal(new Set(ids).size, ids.length, 'a code is both a rule and a check, or registered twice');
    for (const id of ids) {
      assert.match(list, new RegExp(`^${id}\\s`, 'm'), `${id}: not in \`wslb rules\``);
      const text = explainRule(id);
      assert.ok(text?.includes(knownCode(id)!.long), `${id}: \`wslb explain\` lacks the long text`);
      assert.ok(docs.includes(`\n## ${id}\n`), `${id}: no section in docs/rules.md`);
      const anchor = codeDocsUrl(id).split('#')[1];
      assert.ok(docs.includes(`](#${anchor})`), `${id}: the table does not link the anchor the diagnostics use`);
    }
    for (const c of ALL_CHECKS) {
      assert.match(c.id, /^(nginx|haproxy|aws|wslb)\/[a-z0-9-]+$/);
      assert.ok(c.short.length > 10 && checkLongDocs(c.id).length > 60, `${c.id}: explanation too thin`);
    }
  });

  it('the docs link follows package.json', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { repository: { url: string } };
    const base = pkg.repository.url.replace(/\.git$/, '');
    assert.ok(codeDocsUrl('nginx/syntax').startsWith(base + '/'), codeDocsUrl('nginx/syntax'));
  });

  it('a check links to its docs from the LSP diagnostic and from SARIF', () => {
    const f = analyzeText('nginx', 'events {}\nhttp { frobnicate on; }\n').find(
      (x) => x.code === 'nginx/unknown-directive',
    );
    assert.ok(f);
    const d = toDiagnostic(f, new PathMapper());
    assert.equal(d.codeDescription?.href, codeDocsUrl('nginx/unknown-directive'));
    const sarif = JSON.parse(formatSarif([f], '0')) as {
      runs: { tool: { driver: { rules: { id: string; helpUri?: string; help?: { text: string } }[] } } }[];
    };
    const rule = sarif.runs[0].tool.driver.rules.find((r) => r.id === 'nginx/unknown-directive');
    assert.equal(rule?.helpUri, codeDocsUrl('nginx/unknown-directive'));
    assert.ok(rule?.help?.text.includes('unknown directive'));
  });

  it('a check can be turned off or given another severity, in the service and on the command line', () => {
    const text = 'events {}\nhttp { frobnicate on; }\n';
    assert.ok(analyzeText('nginx', text).some((f) => f.code === 'nginx/unknown-directive' && f.severity === 'error'));
    assert.ok(
      analyzeText('nginx', text, { ruleSeverity: { 'nginx/unknown-directive': 'information' } }).some(
        (f) => f.code === 'nginx/unknown-directive' && f.severity === 'information',
      ),
    );
    assert.ok(
      !analyzeText('nginx', text, { ruleSeverity: { 'nginx/unknown-directive': 'off' } }).some(
        (f) => f.code === 'nginx/unknown-directive',
      ),
    );
    const hp = 'frontend fe\n  mode http\n  bogus yes\n';
    assert.ok(
      !analyzeText('haproxy', hp, { ruleSeverity: { 'haproxy/unknown-keyword': 'off' } }).some(
        (f) => f.code === 'haproxy/unknown-keyword',
      ),
    );
    const dir = tmpdirWith({ 'nginx.conf': 'events {}\nhttp { server { listen 80 } }\n' });
    const before = JSON.parse(runCli(['check', dir, '--format', 'json']).out) as { code: string; severity: string }[];
    assert.ok(before.some((f) => f.code === 'nginx/syntax' && f.severity === 'error'));
    const r = runCli(['check', dir, '--format', 'json', '--rule', 'nginx/syntax=warning']);
    const after = JSON.parse(r.out) as { code: string; severity: string }[];
    assert.ok(
      after.some((f) => f.code === 'nginx/syntax') &&
        after.every((f) => f.code !== 'nginx/syntax' || f.severity === 'warning'),
    );
    assert.equal(r.code, 0);
    assert.equal(runCli(['check', '.', '--rule', 'nginx/not-a-code=off']).code, 2);
    const ex = runCli(['explain', 'haproxy/keyword-not-allowed-here']);
    assert.equal(ex.code, 0);
    assert.match(ex.out, /--rule haproxy\/keyword-not-allowed-here=off/);
  });
});
