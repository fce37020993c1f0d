import { CORPUS, corpusRows, type CorpusRow } from '../helpers/corpus';
/**
 * Precision of the HAProxy rules on real configurations (../shared/corpus, HAProxy files of
 * MANIFEST.tsv). Every HAProxy rule runs over every file, analysed alone as `haproxy -c -f <file>`
 * checked it; the hit counts per rule and per file go to test-artifacts/rule-hits-haproxy.json for
 * review. Then:
 * - haproxy/missing-timeouts agrees with the manifest's warnings column, file by file, wherever
 *   HAProxy got as far as printing those warnings (it prints them after parsing; a file refused
 *   while parsing, such as one whose certificate is missing here, never gets there);
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

/** Rules that judge the config's validity or HAProxy's own warnings, not WebSocket: they may fire anywhere. */
const GENERAL = [
  'haproxy/missing-timeouts',
  'haproxy/unknown-backend',
  'haproxy/timeout-ignored',
  'haproxy/backend-mode-mismatch',
  'haproxy/http-setting-in-tcp-mode',
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

  it('missing-timeouts reports exactly the proxies of haproxy -c\'s "missing timeouts" warnings, file by file', () => {
    const compared = rows.filter(reachedChecks);
    assert.ok(compared.length >= 20, `only ${compared.length} files reached HAProxy's checks`);
    let warned = 0;
    const disagree: string[] = [];
    for (const r of compared) {
      const want = (r.warnings.match(MISSING) ?? []).sort();
      warned += want.length;
      const got = results
        .get(r.path)!
        .filter((f) => f.code === 'haproxy/missing-timeouts')
        // the warning haproxy -c prints is quoted in the finding's related note
        .flatMap((f) => [f.message, ...(f.related ?? []).map((x) => x.message)].flatMap((m) => m.match(MISSING) ?? []))
        .sort();
      if (JSON.stringify(want) !== JSON.stringify(got))
        disagree.push(`${r.path}: haproxy -c ${JSON.stringify(want)} vs wslb ${JSON.stringify(got)}`);
    }
    assert.deepEqual(disagree, []);
    assert.ok(warned >= 8, `the manifest should list such warnings (found ${warned})`);
  });

  it('timeout-ignored agrees with haproxy -c\'s "will be ignored because ... has no ... capability" warnings, file by file', () => {
    const IGNORED = /'timeout [\w-]+' will be ignored because \w+ '[^']*' has no \w+ capability/g;
    const disagree: string[] = [];
    for (const r of rows.filter(reachedChecks)) {
      const want = (r.warnings.match(IGNORED) ?? []).sort();
      const got = results
        .get(r.path)!
        .filter((f) => f.code === 'haproxy/timeout-ignored')
        .flatMap((f) => [f.message, ...(f.related ?? []).map((x) => x.message)].flatMap((m) => m.match(IGNORED) ?? []))
        .sort();
      if (JSON.stringify(want) !== JSON.stringify(got))
        disagree.push(`${r.path}: haproxy -c ${JSON.stringify(want)} vs wslb ${JSON.stringify(got)}`);
    }
    assert.deepEqual(disagree, []);
  });

  it("http-setting-in-tcp-mode agrees with haproxy -c's warnings of HTTP settings in mode tcp, file by file", () => {
    // the warnings of proxy_cfg_ensure_no_http() and check_config_validity() (see the rule)
    const TCP_MODE =
      /(cookie will be ignored for \w+ '[^']*' \(needs 'mode http'\)|monitor-uri will be ignored for \w+ '[^']*' \(needs 'mode http'\)|Layer 7 hash not possible for \w+ '[^']*' \(needs 'mode http'\)\. Falling back to round robin|'option [\w-]+' not usable with \w+ '[^']*' \(needs 'mode http'\)\. Falling back to 'option tcplog'|'[\w-]+' (rules|statement) ignored for \w+ '[^']*' as (they require|it requires) HTTP mode|'option [\w-]+' ignored for \w+ '[^']*' as it requires HTTP mode|\w+ '[^']*' : ignoring cookie for server '[^']*' as HTTP mode is disabled)/g;
    const disagree: string[] = [];
    let warned = 0;
    for (const r of rows.filter(reachedChecks)) {
      const want = (r.warnings.match(TCP_MODE) ?? []).sort();
      warned += want.length;
      const got = results
        .get(r.path)!
        .filter((f) => f.code === 'haproxy/http-setting-in-tcp-mode')
        .flatMap((f) => [f.message, ...(f.related ?? []).map((x) => x.message)].flatMap((m) => m.match(TCP_MODE) ?? []))
        .sort();
      if (JSON.stringify(want) !== JSON.stringify(got))
        disagree.push(`${r.path}: haproxy -c ${JSON.stringify(want)} vs wslb ${JSON.stringify(got)}`);
    }
    assert.deepEqual(disagree, []);
    assert.ok(warned >= 2, `the manifest should list such warnings (found ${warned})`);
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
