/**
 * Every HAProxy file of the shared corpus (../shared/corpus, MANIFEST.tsv kind `haproxy`):
 * exact re-print and tiling, no syntax diagnostic on `accepted`/`env` files, the binary's first
 * error matched at the same line where it is a syntax matter, and every error we report
 * confirmed by the real `haproxy -c` of this machine (HAProxy 2.6, installed by .ci/run).
 */
import { strict as assert } from 'node:assert';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHaproxy, type HaproxyFile } from '../../../server/src/service/syntax/haproxy';
import { assertLossless } from './invariants';
import { binary, gate, need, sharedPath } from '../../helpers/needs';

const CORPUS = sharedPath('corpus');

interface Entry {
  path: string;
  verdict: string;
  first: string;
}

function manifest(): Entry[] {
  const file = path.join(CORPUS, 'MANIFEST.tsv');
  if (gate(['shared']).action !== 'run' || !fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((l) => l.split('\t'))
    .filter((c) => c[1] === 'haproxy')
    .map((c) => ({ path: c[0], verdict: c[2], first: c[3] ?? '' }));
}

/** The line number in "parsing [file:N]" of a HAProxy message, or null. */
function messageLine(msg: string): number | null {
  const m = /\[[^\]]*?:(\d+)\]/.exec(msg);
  return m ? Number(m[1]) : null;
}

/**
 * Rejected files whose first HAProxy error is a syntax matter: the diagnostic code we must
 * report on the same line.
 */
const SYNTAX_REJECTIONS: Record<string, string> = {
  'haproxy/exymat/fixtures/golden/test-valid-names.cfg': 'invalid-name', // '/' in a frontend name
  'haproxy/exymat/integration/fixtures/name-address-diagnostics.cfg': 'invalid-name', // '@' in a frontend name
  'haproxy/exymat/fixtures/golden/test-address-syntax.cfg': 'section-header-args', // address on a frontend header
};

/** Rejected files whose first error belongs to another layer, and which one. */
const OTHER_REJECTIONS: Record<string, string> = {
  'haproxy/exymat/fixtures/diagnostics-invalid.cfg': 'keyword arguments (external-check)',
  'haproxy/exymat/fixtures/global-modules.cfg': 'unknown keyword',
  'haproxy/exymat/fixtures/golden/ports.cfg': 'address syntax (log port range)',
  'haproxy/exymat/fixtures/golden/test-acl-args.cfg': 'ACL expression',
  'haproxy/exymat/fixtures/golden/test-sample-fetch-args.cfg': 'sample expression',
  'haproxy/exymat/fixtures/golden/test-sample-fetch-conv.cfg': 'sample expression',
  'haproxy/exymat/fixtures/grammar-directives.cfg': 'model: named defaults not found',
  'haproxy/exymat/fixtures/hapee-acl-snippet.cfg': 'model: named defaults not found',
  'haproxy/exymat/fixtures/name-scopes.cfg': 'model: named defaults not found',
  'haproxy/exymat/fixtures/use_backend-var.cfg': 'sample expression (variable scope)',
  'haproxy/exymat/integration/fixtures/deprecated-suppressed.cfg': 'unknown keyword',
  'haproxy/exymat/integration/fixtures/diagnostics-long.cfg': 'unknown keyword',
  'haproxy/exymat/integration/fixtures/diagnostics-matrix.cfg': 'keyword arguments (external-check)',
  'haproxy/exymat/integration/fixtures/dynamic-backends.cfg': 'sample expression (variable scope)',
  'haproxy/exymat/integration/fixtures/haproxy-tests/haproxy.d/frontends/FE_WWW.cfg':
    'model: missing backend (fragment)',
  'haproxy/exymat/integration/fixtures/listen-invalid.cfg': 'keyword arguments (mode)',
  'haproxy/exymat/integration/fixtures/named-defaults-required.cfg': 'keyword context (acl in anonymous defaults)',
  'haproxy/exymat/integration/fixtures/sample-expression-errors.cfg': 'sample expression',
  'haproxy/exymat/integration/fixtures/symbol-graph.cfg': 'keyword arguments (filter)',
  'haproxy/exymat/integration/fixtures/unknown-mode.cfg': 'keyword arguments (mode)',
  'haproxy/exymat/integration/fixtures/unknown-option.cfg': 'unknown option',
  'haproxy/exymat/integration/fixtures/workspace-symbols/backends/api.cfg': 'model: missing resolvers (fragment)',
  'haproxy/exymat/integration/fixtures/workspace-symbols/frontends/web.cfg': 'model: missing backend (fragment)',
  'haproxy/exymat/integration/fixtures/wrong-section.cfg': 'keyword arguments (external-check)',
  'haproxy/gmm/docs/demo-configs/03-validation.cfg': 'removed keyword (reqrep)',
  'haproxy/gmm/docs/demo-configs/08-code-action.cfg': 'removed option (forceclose)',
  'haproxy/gmm/docs/demo-configs/09-undefined-backend.cfg': 'model: missing backend',
  'haproxy/haproxy-lint/haproxy.cfg': 'removed keyword (contimeout)',
};

/**
 * `accepted`/`env` files on which the manifest's first message hides a later syntax error
 * that the real binary also reports (checked against `haproxy -c` below).
 */
const HIDDEN_SYNTAX_ERRORS: Record<string, [string, number][]> = {
  // No line feed after the last line: HAProxy 2.6 reports "Missing LF on last line" (line 42)
  // after the certificate error that the manifest shows.
  'haproxy/gmm/test/fixtures/tls-termination.cfg': [['missing-final-newline', 42]],
};

function lineOf(file: HaproxyFile, offset: number): number {
  return file.lineIndex.positionAt(offset).line + 1;
}

function runHaproxy(rel: string): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      binary('haproxy'),
      ['-c', '-f', rel],
      { cwd: CORPUS, timeout: 30_000, maxBuffer: 16 << 20, encoding: 'latin1' },
      (error, stdout, stderr) => {
        if (error && (error as NodeJS.ErrnoException).code === 'ENOENT') resolve('\0ENOENT');
        else resolve(`${stdout}\n${stderr}`);
      },
    );
  });
}

describe('HAProxy parser over the shared corpus', function () {
  this.timeout(180_000);
  before(function () {
    need(this, 'shared');
  });
  const entries = manifest();

  it('the manifest lists the HAProxy files and they exist', () => {
    assert.ok(entries.length >= 60, `expected about 65 HAProxy entries, found ${entries.length}`);
    for (const e of entries) assert.ok(fs.existsSync(path.join(CORPUS, e.path)), `missing corpus file ${e.path}`);
  });

  it('re-prints every file byte for byte, with lines and words tiling it', () => {
    for (const e of entries) {
      const text = fs.readFileSync(path.join(CORPUS, e.path), 'utf8');
      assertLossless(parseHaproxy(text), e.path);
    }
  });

  it('reports no syntax diagnostic on accepted and env files (beyond the documented hidden ones)', () => {
    let checked = 0;
    for (const e of entries.filter((x) => x.verdict === 'accepted' || x.verdict === 'env')) {
      const file = parseHaproxy(fs.readFileSync(path.join(CORPUS, e.path), 'utf8'));
      const got = file.diagnostics.map((d) => [d.code, lineOf(file, d.start)]);
      assert.deepEqual(got, HIDDEN_SYNTAX_ERRORS[e.path] ?? [], `${e.path}: ${JSON.stringify(file.diagnostics)}`);
      checked++;
    }
    assert.ok(checked >= 30);
  });

  it('classifies every rejected file, and reports the syntax ones on the line HAProxy names', () => {
    const rejected = entries.filter((e) => e.verdict === 'rejected');
    assert.ok(rejected.length >= 25);
    for (const e of rejected) {
      const code = SYNTAX_REJECTIONS[e.path];
      assert.ok(
        code !== undefined || OTHER_REJECTIONS[e.path] !== undefined,
        `${e.path} is not classified: ${e.first}`,
      );
      if (!code) continue;
      const file = parseHaproxy(fs.readFileSync(path.join(CORPUS, e.path), 'utf8'));
      const line = messageLine(e.first);
      assert.ok(line !== null, e.first);
      assert.ok(
        file.diagnostics.some((d) => d.code === code && lineOf(file, d.start) === line),
        `${e.path}: expected ${code} on line ${line} (${e.first}); got ${JSON.stringify(file.diagnostics.map((d) => [d.code, lineOf(file, d.start)]))}`,
      );
    }
    assert.equal(Object.keys(SYNTAX_REJECTIONS).length, 3);
  });

  it('every error it reports is also an alert of the real haproxy -c on the same line', async function () {
    need(this, 'haproxy');
    const files = entries.map((e) => e.path);
    const outputs = new Map<string, string>();
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < files.length) {
          const f = files[next++];
          outputs.set(f, await runHaproxy(f));
        }
      }),
    );
    let compared = 0;
    for (const rel of files) {
      const out = outputs.get(rel)!;
      assert.notEqual(out, '\0ENOENT', 'haproxy is not installed: .ci/run installs it (apt-get install -y haproxy)');
      const alertLines = new Set<number>();
      for (const l of out.split('\n')) {
        if (!l.includes('[ALERT]')) continue;
        const m = /parsing \[[^\]]*?:(\d+)\]/.exec(l);
        if (m) alertLines.add(Number(m[1]));
      }
      const file = parseHaproxy(fs.readFileSync(path.join(CORPUS, rel), 'utf8'));
      for (const d of file.diagnostics.filter((x) => x.severity === 'error')) {
        const line = lineOf(file, d.start);
        assert.ok(alertLines.has(line), `${rel}: we report ${d.code} on line ${line}, haproxy -c does not:\n${out}`);
        compared++;
      }
    }
    assert.ok(compared >= 5, `compared ${compared} diagnostics`);
  });
});
