import { CORPUS, corpusRows, type CorpusRow } from '../helpers/corpus';
/**
 * Precision of the HAProxy rules on real configurations (../shared/corpus, HAProxy files of
 * MANIFEST.tsv). Every HAProxy rule runs over every file, analysed alone as `haproxy -c -f <file>`
 * checked it; the hit counts per rule and per file go to test-artifacts/rule-hits-haproxy.json for
 * review. Then:
 * - every warning of the manifest's warnings column is of a kind of test/helpers/haproxy-warnings.ts,
 *   and for every kind the findings of its wslb code quote exactly the warnings haproxy -c printed,
 *   file by file, at the same line (kinds printed while parsing) or in the proxy named (kinds printed
 *   after parsing, compared wherever HAProxy got that far: a file refused while parsing, such as one
 *   whose certificate is missing here, never gets there);
 * - haproxy/unknown-backend quotes the manifest's "unable to find required use_backend" errors and
 *   stays silent on accepted files;
 * - the WebSocket rules stay silent on files that carry no WebSocket;
 * - reviewed known-good WebSocket setups get no WebSocket-correctness finding (KNOWN_GOOD).
 */
import { strict as assert } from 'node:assert';
import { readJson } from '../helpers/json';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLanguageService } from '../../server/src/service';
import { HAPROXY_RULES } from '../../server/src/service/rules';
import type { Finding } from '../../server/src/service/types';
import { need } from '../helpers/needs';
import {
  WARNING_KINDS,
  kindOf,
  parseWarning,
  printedKeys,
  reportedKeys,
  type PrintedWarning,
} from '../helpers/haproxy-warnings';

const ARTIFACT = path.join(__dirname, '..', '..', 'test-artifacts', 'rule-hits-haproxy.json');

type Row = CorpusRow;

function haproxyRows(): Row[] {
  return corpusRows('haproxy');
}

/** Did `haproxy -c` get past parsing (where the "missing timeouts" warnings are printed)? */
function reachedChecks(r: Row): boolean {
  return r.verdict === 'accepted' || (r.first !== '' && !/^parsing \[/i.test(r.first));
}

const RULE_IDS = new Set(HAPROXY_RULES.map((r) => r.meta.id));
const MISSING = /missing timeouts for (frontend|backend|proxy) '[^']*'/g;

/** The manifest's warnings of a file (entries are separated by " | "). */
function manifestWarnings(r: Row): PrintedWarning[] {
  return r.warnings
    .split(' | ')
    .filter((w) => w.trim())
    .map(parseWarning);
}

/** Rules that judge the config's validity or HAProxy's own warnings, not WebSocket: they may fire anywhere. */
const GENERAL = [
  'haproxy/missing-timeouts',
  'haproxy/unknown-backend',
  'haproxy/timeout-ignored',
  'haproxy/backend-mode-mismatch',
  'haproxy/http-setting-in-tcp-mode',
  'haproxy/rule-order',
  'haproxy/acl-never-matches',
  'haproxy/frontend-no-bind',
  'haproxy/log-format-ignored',
  'haproxy/capture-truncated',
  'haproxy/deprecated',
];

/** Rules whose findings on a known-good WebSocket setup would be false positives. */
const CORRECTNESS = [
  'haproxy/ws-missing-timeout-tunnel',
  'haproxy/ws-timeout-below-heartbeat',
  'haproxy/missing-timeouts',
  'haproxy/server-no-check',
  'haproxy/ws-no-httpchk',
  'haproxy/unknown-backend',
  'haproxy/timeout-ignored',
  'haproxy/backend-mode-mismatch',
  'haproxy/rule-order',
  'haproxy/acl-never-matches',
  'haproxy/frontend-no-bind',
];

/**
 * Known-good WebSocket setups, reviewed by hand. Operational advice (hard-stop-after,
 * shutdown-sessions, consistent hashing, slow start) may still apply to them.
 */
const KNOWN_GOOD: Record<string, string> = {
  'haproxy/gmm/test/fixtures/complex.cfg':
    'ws-backend routed on hdr(Upgrade) -i websocket: timeout tunnel 1h, option httpchk GET /ws/health, both servers checked; connect/client/server timeouts in defaults',
};

/** Files that carry WebSocket (reviewed): the only ones where WebSocket rules may fire. */
const CARRIES_WEBSOCKET = new Set([
  'haproxy/gmm/test/fixtures/complex.cfg',
  'haproxy/gmm/docs/demo-configs/05-definition.cfg',
]);

describe('HAProxy rules over the corpus', function () {
  this.timeout(120_000);
  const rows = haproxyRows();
  const results = new Map<string, Finding[]>();

  before(function () {
    need(this, 'shared');
    const service = createLanguageService();
    for (const r of rows) {
      const text = fs.readFileSync(path.join(CORPUS, r.path), 'utf8');
      results.set(
        r.path,
        service
          .analyzeHaproxy([{ path: r.path, text }])
          .findings.filter((f) => RULE_IDS.has(f.code) || f.code === 'wslb/internal'),
      );
    }
    const perRule: Record<string, number> = {};
    const perFile: Record<string, Record<string, number>> = {};
    const details: Record<string, string[]> = {};
    for (const id of RULE_IDS) perRule[id] = 0;
    for (const [p, list] of results) {
      for (const f of list) {
        if (!RULE_IDS.has(f.code)) continue;
        perRule[f.code]++;
        (perFile[p] ??= {})[f.code] = (perFile[p][f.code] ?? 0) + 1;
        (details[p] ??= []).push(
          `${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.code} ${f.message}`,
        );
      }
    }
    fs.mkdirSync(path.dirname(ARTIFACT), { recursive: true });
    fs.writeFileSync(
      ARTIFACT,
      JSON.stringify(
        { files: rows.length, filesWithHits: Object.keys(perFile).length, perRule, perFile, details },
        null,
        2,
      ) + '\n',
    );
  });

  it('analyses every HAProxy corpus file without an internal rule failure', () => {
    assert.ok(rows.length >= 60, `only ${rows.length} HAProxy files in the manifest`);
    const internal = [...results].flatMap(([p, list]) =>
      list.filter((f) => f.code === 'wslb/internal').map((f) => `${p}: ${f.message}`),
    );
    assert.deepEqual(internal, []);
  });

  it('writes the hit report', () => {
    const report = readJson<{ files: number; perRule: Record<string, unknown> }>(ARTIFACT);
    assert.equal(report.files, rows.length);
    assert.deepEqual(Object.keys(report.perRule).sort(), [...RULE_IDS].sort());
  });

  it('every warning of the manifest is of a kind wslb mirrors (test/helpers/haproxy-warnings.ts)', () => {
    const unknown: string[] = [];
    let count = 0;
    for (const r of rows)
      for (const w of manifestWarnings(r)) {
        count++;
        if (!kindOf(w.text)) unknown.push(`${r.path}: ${w.text}`);
      }
    assert.deepEqual(unknown, [], 'a warning haproxy -c prints that no kind of the table covers: mirror it');
    assert.ok(count >= 20, `the manifest should list warnings (found ${count})`);
  });

  it("for every kind, wslb's findings quote haproxy -c's warnings at the same line (or in the proxy named), file by file", () => {
    // Kinds printed while parsing (with a line) are compared on every file: HAProxy reads the whole
    // file even when a line is refused. Kinds printed after parsing only where HAProxy got there.
    const lineKinds = WARNING_KINDS.filter((k) => k.at !== 'proxy');
    const disagree: string[] = [];
    const perKind = new Map<string, number>();
    for (const r of rows) {
      const kinds = reachedChecks(r) ? WARNING_KINDS : lineKinds;
      const want = printedKeys(manifestWarnings(r), kinds).keys;
      for (const k of want) perKind.set(k.split(' | ')[0], (perKind.get(k.split(' | ')[0]) ?? 0) + 1);
      const text = fs.readFileSync(path.join(CORPUS, r.path), 'utf8');
      const got = reportedKeys(results.get(r.path)!, text, kinds);
      if (JSON.stringify(want) !== JSON.stringify(got))
        disagree.push(`${r.path}:\n  haproxy -c ${JSON.stringify(want)}\n  wslb       ${JSON.stringify(got)}`);
    }
    assert.deepEqual(disagree, []);
    // every kind the manifest shows was compared at least once
    for (const k of [
      'missing timeouts',
      'HTTP setting in mode tcp',
      'rule placed after a rule processed later',
      'acl never matches / involves incompatible keywords',
      'frontend has no bind',
      'log format ignored (no log address)',
      'log format overrides previous in defaults',
      'capture length truncated',
      'deprecated keyword',
      'httpchk headers hidden in the version',
    ])
      assert.ok((perKind.get(k) ?? 0) > 0, `no "${k}" warning compared`);
  });

  it('missing-timeouts reports at the line of the proxy HAProxy names', () => {
    for (const r of rows.filter(reachedChecks)) {
      const text = fs.readFileSync(path.join(CORPUS, r.path), 'utf8').split('\n');
      for (const f of results.get(r.path)!.filter((x) => x.code === 'haproxy/missing-timeouts')) {
        const name = /'([^']*)'/.exec(f.related![0].message.match(MISSING)![0])![1];
        const line = text[f.range.start.line];
        assert.match(
          line,
          new RegExp(`^\\s*(frontend|backend|listen)\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`),
          `${r.path}:${f.range.start.line + 1}`,
        );
      }
    }
  });

  it('unknown-backend quotes the manifest\'s "unable to find required use_backend" errors and is silent on accepted files', () => {
    const expected = rows.filter((r) => /unable to find required (use|default)_backend/.test(r.first));
    assert.ok(expected.length >= 3, 'the manifest should list such files');
    for (const r of expected) {
      const quote = /Proxy '[^']*': unable to find required \w+: '[^']*'\./.exec(r.first)![0];
      const hits = results.get(r.path)!.filter((f) => f.code === 'haproxy/unknown-backend');
      assert.ok(
        hits.some((h) => [h.message, ...(h.related ?? []).map((x) => x.message)].some((m) => m.includes(quote))),
        `${r.path}: no finding quotes ${quote}: ${hits.map((h) => h.message).join(' | ')}`,
      );
    }
    const noisy = rows
      .filter((r) => r.verdict === 'accepted')
      .flatMap((r) =>
        results
          .get(r.path)!
          .filter((f) => f.code === 'haproxy/unknown-backend')
          .map((f) => `${r.path}: ${f.message}`),
      );
    assert.deepEqual(noisy, []);
  });

  it('WebSocket rules stay silent on configs that carry no WebSocket', () => {
    const noisy: string[] = [];
    for (const [file, list] of results) {
      if (CARRIES_WEBSOCKET.has(file)) continue;
      for (const f of list)
        if (RULE_IDS.has(f.code) && !GENERAL.includes(f.code))
          noisy.push(`${file}:${f.range.start.line + 1} ${f.code} ${f.message}`);
    }
    assert.deepEqual(noisy, []);
  });

  it('the WebSocket configs of the corpus are found (the silence above is not blindness)', () => {
    for (const file of CARRIES_WEBSOCKET) {
      const ws = results.get(file)!.filter((f) => RULE_IDS.has(f.code) && !GENERAL.includes(f.code));
      assert.ok(ws.length > 0, `${file}: no WebSocket rule fired`);
    }
    // the demo config's ws-backend has no timeout tunnel at all: a true positive
    assert.ok(
      results
        .get('haproxy/gmm/docs/demo-configs/05-definition.cfg')!
        .some((f) => f.code === 'haproxy/ws-missing-timeout-tunnel'),
    );
  });

  for (const [file, reason] of Object.entries(KNOWN_GOOD)) {
    it(`known-good WebSocket setup ${file} (${reason}): no correctness finding`, () => {
      assert.ok(results.has(file), `${file} is not in the manifest`);
      const bad = results.get(file)!.filter((f) => CORRECTNESS.includes(f.code));
      assert.deepEqual(
        bad.map((f) => `${f.range.start.line + 1}: ${f.code} ${f.message}`),
        [],
      );
    });
  }
});
