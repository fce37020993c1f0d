/**
 * The nginx parser over every nginx file of the shared corpus (../shared/corpus), checked
 * against what the real `nginx -t` (Debian 12, nginx 1.22.1) said about each (MANIFEST.tsv).
 */
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { nginxCommands } from '../../../server/src/service/knowledge/nginx';
import { type NginxFile, parseNginx, printNginx } from '../../../server/src/service/syntax/nginx';
import { checkTree } from './helpers';
import { gate, need, sharedPath } from '../../helpers/needs';

const CORPUS = sharedPath('corpus');

interface Row {
  path: string;
  kind: string;
  verdict: string;
  message: string;
}

function manifest(): Row[] {
  const file = path.join(CORPUS, 'MANIFEST.tsv');
  if (gate(['shared']).action !== 'run' || !fs.existsSync(file)) return [];
  const lines = fs.readFileSync(file, 'utf8').split('\n').slice(1);
  return lines
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const [p, kind, verdict, message] = l.split('\t');
      return { path: p, kind, verdict, message: message ?? '' };
    });
}

/**
 * Every nginx file `nginx -t` rejects, and whether the rejection is a matter of syntax
 * (then the parser must report `code` on the line nginx names) or of something else the
 * parser cannot and should not judge (then the parser must report nothing).
 */
const REJECTED: Record<string, { syntax: string } | { not: string }> = {
  'nginx/crossplane/bad-args/nginx.conf': { not: 'argument count (knowledge base)' },
  'nginx/crossplane/empty-value-map/nginx.conf': { not: 'unknown variable (semantic)' },
  'nginx/crossplane/includes-globbed/servers/locations/not-included.conf': { syntax: 'unexpected-end' },
  'nginx/crossplane/includes-regular/conf.d/bar.conf': { syntax: 'unexpected-end' },
  'nginx/crossplane/includes-regular/conf.d/foo.conf': { syntax: 'unexpected-end' },
  'nginx/crossplane/missing-semicolon/broken-above.conf': { syntax: 'missing-semicolon' },
  'nginx/crossplane/missing-semicolon/broken-below.conf': { syntax: 'missing-semicolon' },
  'nginx/crossplane/quote-behavior/nginx.conf': { syntax: 'unexpected-char-after-quote' },
  'nginx/crossplane/spelling-mistake/nginx.conf': { not: 'unknown directive (knowledge base)' },
  'nginx/nginx-lint-examples/best_practices/proxy_pass_domain/examples/good.conf': {
    not: 'parameter needs a newer nginx',
  },
  'nginx/nginx-lint-examples/best_practices/upstream_server_no_resolve/examples/good.conf': {
    not: 'parameter needs a newer nginx',
  },
  'nginx/nginx-lint-examples/deprecation/listen_http2_deprecated/examples/good.conf': {
    not: 'directive needs a newer nginx',
  },
  'nginx/nginx-lint-examples/style/block_lines/examples/bad.conf': { not: 'unknown log format (semantic)' },
  'nginx/nginx-lint-examples/syntax/duplicate_directive/examples/bad.conf': { not: 'duplicate directive (semantic)' },
  'nginx/nginx-lint-generated/0015_streaming_media.conf': { not: 'platform feature (aio)' },
  'nginx/nginx-lint-generated/0020_static_server.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0021_regex_quantifiers.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0027_regex_modifiers.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0028_regex_complex.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0029_regex_rewrites.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0030_regex_edge_cases.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0039_geo.conf': { not: 'shared memory zone size (semantic)' },
  'nginx/nginx-lint-generated/0041_regex_capture_groups.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0043_regex_api_versioning.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0044_regex_locale.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0047_regex_security.conf': { not: 'duplicate location (semantic)' },
  'nginx/nginx-lint-generated/0048_regex_rewrite_advanced.conf': { syntax: 'unquoted-brace' },
  'nginx/nginx-lint-generated/0049_regex_media_streaming.conf': { syntax: 'unquoted-brace' },
};

/**
 * Files the manifest marks `env`/`accepted` that still contain syntax errors nginx never
 * reached: nginx stopped at an earlier, machine-specific error. 0050 stops at line 23
 * ("host not found in upstream"); with the upstream host names replaced by 127.0.0.1,
 * `nginx -t` (1.22.1) fails at line 63 with `pcre2_compile() failed: missing closing
 * parenthesis`: its location regexes hold unquoted `{n}` quantifiers. Lines are 1-based.
 */
const SYNTAX_ERRORS_PAST_FIRST_ERROR: Record<string, { code: string; lines: number[] }> = {
  'nginx/nginx-lint-generated/0050_regex_microservices.conf': { code: 'unquoted-brace', lines: [63, 76, 82, 89] },
};

/** The 1-based line nginx names in its message ("... in file:LINE ..."), if any. */
function nginxLine(message: string): number | null {
  const m = /:(\d+)(?: \(|$)/.exec(message);
  return m ? Number(m[1]) : null;
}

/** 1-based [first, last] lines of each diagnostic. */
function diagnosticLines(f: NginxFile): { code: string; first: number; last: number }[] {
  return f.diagnostics.map((d) => {
    const range = f.lineIndex.rangeOf(d);
    return { code: d.code, first: range.start.line + 1, last: range.end.line + 1 };
  });
}

const isKnownDirective = (name: string) => nginxCommands(name).length > 0;

describe('nginx parser over the shared corpus', function () {
  this.timeout(60000);
  before(function () {
    need(this, 'shared');
  });
  const rows = manifest().filter((r) => r.kind === 'nginx');

  it('finds the corpus nginx files', () => {
    assert.ok(rows.length >= 100, `only ${rows.length} nginx rows in MANIFEST.tsv`);
    for (const r of rows) assert.ok(fs.existsSync(path.join(CORPUS, r.path)), `missing corpus file ${r.path}`);
  });

  it('re-prints every file byte for byte, with a well-formed tree', () => {
    for (const r of rows) {
      const text = fs.readFileSync(path.join(CORPUS, r.path), 'utf8');
      for (const options of [{}, { isDirectiveName: isKnownDirective }]) {
        const f = parseNginx(text, options);
        assert.equal(printNginx(f), text, `${r.path}: re-print differs`);
        assert.equal(checkTree(f), null, `${r.path}: tree invariant`);
      }
    }
  });

  it('reports no syntax problem in files nginx accepts (accepted, env, module)', () => {
    let checked = 0;
    for (const r of rows) {
      if (r.verdict === 'rejected') continue;
      const text = fs.readFileSync(path.join(CORPUS, r.path), 'utf8');
      const exception = SYNTAX_ERRORS_PAST_FIRST_ERROR[r.path];
      for (const options of [{}, { isDirectiveName: isKnownDirective }]) {
        const f = parseNginx(text, options);
        const got = diagnosticLines(f);
        if (exception) {
          assert.deepEqual(
            got.map((d) => `${d.code}@${d.first}`),
            exception.lines.map((l) => `${exception.code}@${l}`),
            r.path,
          );
        } else {
          assert.deepEqual(got, [], `${r.path} (${r.verdict}): ${JSON.stringify(f.diagnostics.slice(0, 3))}`);
        }
      }
      checked++;
    }
    assert.ok(checked >= 100);
  });

  it('classifies every rejected nginx file in the table', () => {
    const rejected = rows
      .filter((r) => r.verdict === 'rejected')
      .map((r) => r.path)
      .sort();
    assert.deepEqual(rejected, Object.keys(REJECTED).sort());
  });

  it('reports the syntax problem nginx names, on the line it names; nothing for the other rejections', () => {
    let matched = 0;
    for (const r of rows) {
      if (r.verdict !== 'rejected') continue;
      const entry = REJECTED[r.path];
      const text = fs.readFileSync(path.join(CORPUS, r.path), 'utf8');
      for (const options of [{}, { isDirectiveName: isKnownDirective }]) {
        const got = diagnosticLines(parseNginx(text, options));
        if ('not' in entry) {
          assert.deepEqual(got, [], `${r.path}: not a syntax matter (${entry.not})`);
          continue;
        }
        const line = nginxLine(r.message);
        assert.ok(line !== null, `${r.path}: no line in "${r.message}"`);
        const hit = got.find((d) => d.code === entry.syntax && d.first <= line && line <= d.last);
        assert.ok(hit, `${r.path}: expected ${entry.syntax} covering line ${line}; got ${JSON.stringify(got)}`);
        // The first diagnostic is the one nginx reports: it stops at the first error.
        assert.ok(got[0].first <= line && line <= got[0].last, `${r.path}: first diagnostic not on nginx's line`);
      }
      if ('syntax' in entry) matched++;
    }
    assert.equal(matched, Object.values(REJECTED).filter((e) => 'syntax' in e).length);
  });
});
