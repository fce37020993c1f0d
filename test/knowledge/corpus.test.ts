/**
 * The knowledge-base diagnostics over the shared corpus of real configurations
 * (../shared/corpus/MANIFEST.tsv says what nginx 1.22.1 and HAProxy 2.6.12 answered for each):
 * - `accepted` and `env` files get no knowledge-base diagnostic at all;
 * - `module` files (third-party nginx modules) get at most hints;
 * - `rejected` files: where the binary's first error is a knowledge-base matter, we report it at
 *   the same line. MATCHED lists them; the test fails when a match appears or disappears, so the
 *   table always says exactly what we match.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  isNginxDirectiveName,
  validateHaproxy,
  validateNginx,
  type KnowledgeDiagnostic,
} from '../../server/src/service/knowledge';
import { parseHaproxy } from '../../server/src/service/syntax/haproxy';
import { parseNginx } from '../../server/src/service/syntax/nginx';
import type { LineIndex } from '../../server/src/service/text';
import { binary, need, sharedPath } from '../helpers/needs';

const corpus = sharedPath('corpus');

interface Row {
  path: string;
  kind: 'nginx' | 'haproxy';
  verdict: 'accepted' | 'env' | 'module' | 'rejected';
  first: string;
}

function rows(): Row[] {
  return readFileSync(join(corpus, 'MANIFEST.tsv'), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [path, kind, verdict, first] = l.split('\t');
      return { path, kind, verdict, first: first ?? '' } as Row;
    });
}

/** Where the nginx manifest says the file was checked: as an http or server fragment, or whole. */
function rootContextOf(r: Row): string[] {
  if (/\bas http fragment\b/.test(r.first)) return ['main', 'http'];
  if (/\bas server fragment\b/.test(r.first)) return ['main', 'http', 'server'];
  return [];
}

/** The line the binary's first message names in this very file, if any. */
function lineOf(r: Row): number | undefined {
  const esc = r.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m =
    r.kind === 'nginx' ? new RegExp(`in ${esc}:(\\d+)`).exec(r.first) : new RegExp(`\\[${esc}:(\\d+)\\]`).exec(r.first);
  return m ? Number(m[1]) : undefined;
}

function diagnose(r: Row): { ds: KnowledgeDiagnostic[]; lines: LineIndex } {
  const text = readFileSync(join(corpus, r.path), 'utf8');
  if (r.kind === 'nginx') {
    const f = parseNginx(text, { isDirectiveName: isNginxDirectiveName });
    return { ds: validateNginx(f, { version: '1.22.1', rootContext: rootContextOf(r) }), lines: f.lineIndex };
  }
  const f = parseHaproxy(text);
  return { ds: validateHaproxy(f, { version: '2.6.12' }), lines: f.lineIndex };
}

const show = (d: KnowledgeDiagnostic, lines: LineIndex) =>
  `${lines.positionAt(d.span.start).line + 1}:${d.severity}:${d.code}: ${d.message}`;

/** Rejected files whose first error we report at the same line, with the code we give it. */
const MATCHED: Record<string, string> = {
  'nginx/crossplane/bad-args/nginx.conf': 'nginx/wrong-argument-count', // invalid number of arguments in "user"
  // Same line, different problem: nginx stops at an unexpected "-" after a quoted word (the parser
  // reports that); the words also make an unknown directive `outer-quote`, which we report.
  'nginx/crossplane/quote-behavior/nginx.conf': 'nginx/unknown-directive',
  'nginx/crossplane/spelling-mistake/nginx.conf': 'nginx/unknown-directive', // unknown directive "proxy_passs"
  'nginx/nginx-lint-examples/best_practices/proxy_pass_domain/examples/good.conf': 'nginx/parameter-too-new', // invalid parameter "resolve"
  'nginx/nginx-lint-examples/best_practices/upstream_server_no_resolve/examples/good.conf': 'nginx/parameter-too-new',
  'nginx/nginx-lint-examples/deprecation/listen_http2_deprecated/examples/good.conf': 'nginx/directive-too-new', // unknown directive "http2"
  'haproxy/exymat/fixtures/diagnostics-invalid.cfg': 'haproxy/unknown-keyword', // external-check without command/path
  'haproxy/exymat/fixtures/global-modules.cfg': 'haproxy/unknown-keyword', // module-path
  'haproxy/exymat/integration/fixtures/deprecated-suppressed.cfg': 'haproxy/keyword-too-new', // added in 3.0 (the version tables)
  'haproxy/exymat/integration/fixtures/diagnostics-long.cfg': 'haproxy/unknown-keyword', // tune.ssl.number
  'haproxy/exymat/integration/fixtures/diagnostics-matrix.cfg': 'haproxy/unknown-keyword',
  'haproxy/exymat/integration/fixtures/listen-invalid.cfg': 'haproxy/invalid-value', // unknown proxy mode 'ftp'
  'haproxy/exymat/integration/fixtures/named-defaults-required.cfg': 'haproxy/keyword-not-allowed-here', // acl in anonymous defaults
  'haproxy/exymat/integration/fixtures/symbol-graph.cfg': 'haproxy/invalid-value', // filter comp-req
  'haproxy/exymat/integration/fixtures/unknown-mode.cfg': 'haproxy/invalid-value',
  'haproxy/exymat/integration/fixtures/unknown-option.cfg': 'haproxy/unknown-keyword', // unknown option 'notreal'
  'haproxy/exymat/integration/fixtures/wrong-section.cfg': 'haproxy/unknown-keyword',
  'haproxy/gmm/docs/demo-configs/03-validation.cfg': 'haproxy/keyword-removed', // reqrep
  'haproxy/gmm/docs/demo-configs/08-code-action.cfg': 'haproxy/keyword-removed', // option forceclose
  'haproxy/haproxy-lint/haproxy.cfg': 'haproxy/keyword-removed', // timeout contimeout
};

/**
 * `env` files with a real error after the machine-specific first one (the manifest records only the
 * first message). Each is proven with the binary below.
 */
const HIDDEN_ERRORS: Record<string, { line: number; code: string; strip: RegExp; binary: RegExp }> = {
  'haproxy/gmm/docs/demo-configs/05-definition.cfg': {
    line: 51,
    code: 'haproxy/keyword-removed',
    strip: / ssl crt \S+/g,
    binary: /:51\]: option 'forceclose' is not supported any more/,
  },
};

describe('knowledge: corpus', function () {
  this.timeout(120000);
  before(function () {
    need(this, 'shared');
  });

  it('reads a manifest with both kinds and every verdict', () => {
    const all = rows();
    assert.ok(all.length > 150);
    for (const v of ['accepted', 'env', 'module', 'rejected'])
      assert.ok(
        all.some((r) => r.verdict === v),
        v,
      );
  });

  it('gives no knowledge-base diagnostic on files nginx or HAProxy accept (accepted, env)', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const r of rows().filter((x) => x.verdict === 'accepted' || x.verdict === 'env')) {
      const { ds, lines } = diagnose(r);
      checked++;
      const hidden = HIDDEN_ERRORS[r.path];
      const rest = hidden
        ? ds.filter((d) => !(d.code === hidden.code && lines.positionAt(d.span.start).line + 1 === hidden.line))
        : ds;
      if (hidden)
        assert.equal(
          ds.length - rest.length,
          1,
          `${r.path}: expected the hidden ${hidden.code} at line ${hidden.line}`,
        );
      for (const d of rest) problems.push(`${r.path}: ${show(d, lines)}`);
    }
    assert.ok(checked > 120);
    assert.deepEqual(problems, []);
  });

  it('gives at most hints on nginx files that use third-party modules', () => {
    const modules = rows().filter((x) => x.verdict === 'module');
    assert.ok(modules.length > 0);
    for (const r of modules) {
      const { ds, lines } = diagnose(r);
      assert.ok(ds.length > 0, `${r.path}: the third-party directives deserve a hint`);
      for (const d of ds) assert.equal(d.severity, 'hint', `${r.path}: ${show(d, lines)}`);
    }
  });

  it("reports the binary's first error at the same line for the rejected files in the table, and only those", () => {
    const matched: Record<string, string> = {};
    for (const r of rows().filter((x) => x.verdict === 'rejected')) {
      const line = lineOf(r);
      if (line === undefined) continue;
      const { ds, lines } = diagnose(r);
      const at = ds.filter((d) => lines.positionAt(d.span.start).line + 1 === line && d.severity === 'error');
      if (at.length) matched[r.path] = at[0].code;
    }
    assert.deepEqual(matched, MATCHED);
  });

  it('proves the hidden errors of env files with the real binary', function () {
    need(this, 'haproxy');
    const dir = mkdtempSync(join(tmpdir(), 'wslb-hidden-'));
    try {
      for (const [path, h] of Object.entries(HIDDEN_ERRORS)) {
        const copy = join(dir, 'x.cfg');
        writeFileSync(copy, readFileSync(join(corpus, path), 'utf8').replace(h.strip, ''));
        const res = spawnSync(binary('haproxy'), ['-c', '-f', copy], { encoding: 'utf8', timeout: 20000 });
        assert.ok(!res.error, `haproxy could not run: ${res.error}`);
        assert.notEqual(res.status, 0);
        assert.match(res.stdout + res.stderr, h.binary);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
