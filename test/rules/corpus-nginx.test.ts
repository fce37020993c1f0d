import { CORPUS, corpusRows, type CorpusRow } from '../helpers/corpus';
/**
 * Precision of the nginx rules on real configurations (../shared/corpus, nginx files of
 * MANIFEST.tsv). Every nginx rule runs over every file, analysed the way the manifest says nginx
 * checked it (whole, or as an http/server fragment); the hit counts per rule and per file go to
 * test-artifacts/rule-hits-nginx.json for review. Configs reviewed as known-good WebSocket setups
 * are pinned: no WebSocket-correctness finding at all (KNOWN_GOOD below, with the reason).
 */
import { strict as assert } from 'node:assert';
import { readJson } from '../helpers/json';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLanguageService } from '../../server/src/service';
import { NodeFileSystem } from '../../server/src/node/nodefs';
import type { NginxContextKind } from '../../server/src/service/model/nginx';
import { NGINX_RULES } from '../../server/src/service/rules';
import type { Finding } from '../../server/src/service/types';
import { need } from '../helpers/needs';

const ARTIFACT = path.join(__dirname, '..', '..', 'test-artifacts', 'rule-hits-nginx.json');

type Row = CorpusRow;

function nginxRows(): Row[] {
  return corpusRows('nginx');
}

/** The manifest notes how nginx checked a fragment: "as http fragment", "as server fragment". */
function rootContext(r: Row): NginxContextKind[] | undefined {
  if (/\bas http fragment\b/.test(r.first)) return ['http'];
  if (/\bas server fragment\b/.test(r.first)) return ['http', 'server'];
  return undefined;
}

const RULE_IDS = new Set(NGINX_RULES.map((r) => r.meta.id));

function analyse(r: Row): Finding[] {
  const file = path.join(CORPUS, r.path);
  const service = createLanguageService();
  const ctx = rootContext(r);
  return service
    .analyzeNginx(file, new NodeFileSystem(), ctx ? { rootContext: ctx } : {})
    .findings.filter((f) => RULE_IDS.has(f.code));
}

/**
 * Known-good WebSocket setups, reviewed by hand: each forwards Upgrade/Connection correctly with
 * HTTP/1.1. They must get no finding of the WebSocket-correctness rules below. (Operational
 * advice — worker_shutdown_timeout, worker_connections, balancing — may still apply to them.)
 */
const KNOWN_GOOD: Record<string, string> = {
  'nginx/nginx-lint-generated/0004_websocket.conf':
    'canonical map, proxy_http_version 1.1, Upgrade $http_upgrade + Connection $connection_upgrade, 86400s timeouts, worker_connections 10000',
  'nginx/nginx-lint-examples/style/block_lines/examples/bad.conf':
    'location /api/websocket: HTTP/1.1, Upgrade $http_upgrade, Connection "upgrade" on a WebSocket-only path, 3600s read timeout (http fragment)',
};

/** Rules about the config's validity or plain proxying, not about WebSocket: they may fire on any config. */
const VALIDITY = [
  'nginx/unknown-upstream',
  'nginx/ws-connection-upgrade-undefined',
  'nginx/ws-proxy-pass-scheme',
  'nginx/upstream-keepalive-http10',
];

function lineOfFirst(r: Row): number | undefined {
  const m = / in \S+:(\d+)/.exec(r.first);
  return m ? Number(m[1]) : undefined;
}

/** Rules whose findings on a known-good setup would be false positives. */
const CORRECTNESS = [
  'nginx/ws-not-upgraded',
  'nginx/ws-http-version',
  'nginx/ws-missing-upgrade-header',
  'nginx/ws-missing-connection-header',
  'nginx/ws-connection-upgrade-undefined',
  'nginx/ws-connection-hardcoded',
  'nginx/ws-read-timeout',
  'nginx/ws-send-timeout',
  'nginx/ws-connection-cleared',
  'nginx/ws-headers-not-inherited',
  'nginx/ws-proxy-pass-scheme',
  'nginx/unknown-upstream',
];

describe('nginx rules over the corpus', function () {
  this.timeout(120_000);
  const rows = nginxRows();
  const results = new Map<string, Finding[]>();

  before(function () {
    need(this, 'shared');
    for (const r of rows) results.set(r.path, analyse(r));
    const perRule: Record<string, number> = {};
    const perFile: Record<string, Record<string, number>> = {};
    const details: Record<string, string[]> = {};
    for (const id of RULE_IDS) perRule[id] = 0;
    for (const [p, fs_] of results) {
      for (const f of fs_) {
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

  it('analyses every nginx corpus file without an internal rule failure', () => {
    assert.ok(rows.length > 100, `only ${rows.length} nginx files in the manifest`);
    const service = createLanguageService();
    for (const r of rows) {
      const file = path.join(CORPUS, r.path);
      const ctx = rootContext(r);
      const internal = service
        .analyzeNginx(file, new NodeFileSystem(), ctx ? { rootContext: ctx } : {})
        .findings.filter((f) => f.code === 'wslb/internal');
      assert.deepEqual(
        internal.map((f) => f.message),
        [],
        r.path,
      );
    }
  });

  it('writes the hit report', () => {
    const report = readJson<{ files: number; perRule: Record<string, unknown> }>(ARTIFACT);
    assert.equal(report.files, rows.length);
    assert.deepEqual(Object.keys(report.perRule).sort(), [...RULE_IDS].sort());
  });

  it('WebSocket rules stay silent on configs that carry no WebSocket', () => {
    const noisy: string[] = [];
    for (const [file, findings] of results) {
      if (KNOWN_GOOD[file]) continue;
      for (const f of findings)
        if (!VALIDITY.includes(f.code)) noisy.push(`${file}:${f.range.start.line + 1} ${f.code} ${f.message}`);
    }
    assert.deepEqual(noisy, []);
  });

  it('unknown-upstream fires exactly on the files nginx refuses with host not found in upstream "<bare name>", at that line', () => {
    const expected = new Map<string, { name: string; line: number | undefined }>();
    for (const r of rows) {
      const m = /host not found in upstream "([^".:]+)"/.exec(r.first);
      if (m) expected.set(r.path, { name: m[1], line: lineOfFirst(r) });
    }
    assert.ok(expected.size >= 10, 'the manifest should list such files');
    const fired = new Map<string, Finding[]>();
    for (const [file, fs_] of results) {
      const hits = fs_.filter((f) => f.code === 'nginx/unknown-upstream');
      if (hits.length) fired.set(file, hits);
    }
    assert.deepEqual([...fired.keys()].sort(), [...expected.keys()].sort());
    for (const [file, want] of expected) {
      const hit = fired.get(file)!.find((h) => h.range.start.line + 1 === want.line);
      assert.ok(hit, `${file}: no finding at line ${want.line}`);
      // nginx's own words are quoted in a related note (the message says what is wrong and what to do)
      const said = [hit.message, ...(hit.related ?? []).map((r) => r.message)].join(' | ');
      assert.ok(said.includes(`host not found in upstream "${want.name}"`), said);
    }
  });

  it('ws-connection-upgrade-undefined fires exactly on the files nginx refuses with unknown "<name>" variable', () => {
    const expected = new Map<string, string>();
    for (const r of rows) {
      const m = /unknown "([^"]+)" variable/.exec(r.first);
      if (m) expected.set(r.path, m[1]);
    }
    const fired = new Map<string, Finding[]>();
    for (const [file, fs_] of results) {
      const hits = fs_.filter((f) => f.code === 'nginx/ws-connection-upgrade-undefined');
      if (hits.length) fired.set(file, hits);
    }
    assert.deepEqual([...fired.keys()].sort(), [...expected.keys()].sort());
    for (const [file, name] of expected)
      assert.ok(
        fired.get(file)!.some((h) => h.message.includes(`unknown "${name}" variable`)),
        file,
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
