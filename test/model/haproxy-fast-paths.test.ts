/**
 * The quick paths of the HAProxy model and WebSocket detection against plain readings, on every
 * corpus HAProxy file (the 24k-line benchmark file among them), the rule fixtures and examples, a
 * generated config and hand-made edge cases:
 * - findProxy()'s name table (NameIndex) against a search of the proxies in config order;
 * - the walk of a section's acl/route/timeout lines (factFirst() + factLineCount()) against factLines();
 * - conditionAcl()/conditionRequires() against the regular expression the route reading used;
 * - mayLookLikeWebSocketName(), the quick test before WS_NAME, never false where WS_NAME holds;
 * - facts shared by proxies of the same shape keep each proxy's own lines apart.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  type HaproxyProxy,
  type ProxyKind,
  NameIndex,
  buildHaproxyConfig,
  conditionAcl,
  conditionRequires,
  factFirst,
  factLineCount,
  factLines,
  findProxy,
  proxyFacts,
} from '../../server/src/service/model/haproxy';
import { looksLikeWebSocketName, mayLookLikeWebSocketName } from '../../server/src/service/model/websocket';
import { CORPUS, cfgFilesUnder as filesUnder, corpusRows, needCorpus } from '../helpers/corpus';
import { generateHaproxy } from '../../scripts/bench/generate';
import { need } from '../helpers/needs';

const ROOT = path.resolve(__dirname, '../..');

/** Names that share their length, their first and their last characters (and a few hash-unfriendly ones). */
const ODD_NAMES = [
  ...Array.from(
    { length: 300 },
    (_, i) => `app_${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}_backend`,
  ),
  '',
  'a',
  'A',
  'é',
  'ws',
  'WS',
  'x'.repeat(300),
  'x'.repeat(301),
  '\u0000',
  'name with space',
  'dup',
  'dup',
];

const EDGES = `defaults
    mode http
    acl d1 path /a
    timeout client 1s

frontend fe
    bind :80
    acl a1 path /x
    http-request deny if a1
    acl a2 hdr(upgrade) -i websocket
    timeout client 5s
    use_backend dup if a1 !a2 or a2 || !a1 { path /y }
    use_backend dup unless !a1 a2 !!x !
    use_backend ws
    timeout server 5s
    default_backend app_aa_backend
    acl a3 path /z

backend dup
    server a 127.0.0.1:1

listen dup
    bind :81

frontend dup
    bind :82

backend ws
    server a 127.0.0.1:2

backend WS
    server a 127.0.0.1:3
${ODD_NAMES.filter((n) => /^[a-z_]+$/.test(n) && n !== 'dup')
  .map((n) => `\nbackend ${n}\n    server s 127.0.0.1:4\n`)
  .join('')}`;

function texts(): { name: string; text: string }[] {
  const out = [
    { name: 'edge cases', text: EDGES },
    { name: 'generated', text: generateHaproxy(3000) },
  ];
  const rows = corpusRows('haproxy');
  if (rows.length === 0 && process.env.WSLB_REQUIRE_ALL === '1')
    throw new Error(`the shared corpus is missing (${CORPUS})`);
  for (const r of rows) out.push({ name: r.path, text: fs.readFileSync(path.join(CORPUS, r.path), 'utf8') });
  for (const f of [
    ...filesUnder(path.join(ROOT, 'test/rules/fixtures/haproxy')),
    ...filesUnder(path.join(ROOT, 'examples')),
  ]) {
    out.push({ name: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') });
  }
  return out;
}

const KINDS: (ProxyKind[] | undefined)[] = [
  undefined,
  ['frontend'],
  ['backend'],
  ['listen'],
  ['defaults'],
  ['frontend', 'listen'],
  ['backend', 'listen', 'frontend', 'defaults'],
];

/** What findProxy() promises: the first proxy in config order with that name and one of the kinds (backend or listen by default). */
function plainFind(proxies: HaproxyProxy[], name: string, kinds: ProxyKind[] | undefined): HaproxyProxy | undefined {
  return proxies.find(
    (p) =>
      p.name === name && (kinds === undefined ? p.kind === 'backend' || p.kind === 'listen' : kinds.includes(p.kind)),
  );
}

/** The reading of a condition word the route reading used before (a regular expression). */
function plainConditionAcl(v: string): string | null {
  const name = v.startsWith('!') ? v.slice(1) : v;
  return /^[A-Za-z0-9_.:-]+$/.test(name) && name !== 'or' ? name : null;
}

describe('HAProxy model: the quick paths give what a plain reading gives', function () {
  this.timeout(300_000);
  const all = texts();

  it('has its inputs: the corpus (with the benchmark file), fixtures, examples', function () {
    needCorpus(this, 'haproxy');
    assert.ok(all.some((f) => f.name.endsWith('exymat/bench/fixtures/large-valid.cfg')));
    assert.ok(all.length > 100, `${all.length} files`);
  });

  it('findProxy() (a name table) finds what a search of the proxies in config order finds', () => {
    let checks = 0;
    for (const f of all) {
      const config = buildHaproxyConfig([{ path: `/${f.name}`, text: f.text }]);
      const names = new Set<string>(ODD_NAMES);
      for (const p of config.proxies) if (p.name !== null) names.add(p.name);
      for (const p of config.proxies) {
        for (const s of factLines(p, 'route')) {
          const v = s.wordCount > 1 ? s.wordValue(1) : undefined;
          if (v !== undefined) names.add(v);
        }
      }
      for (const name of names) {
        for (const kinds of KINDS) {
          assert.equal(
            findProxy(config, name, kinds),
            plainFind(config.proxies, name, kinds),
            `${f.name}: '${name}' [${kinds?.join(',') ?? 'default'}]`,
          );
          checks++;
        }
      }
    }
    assert.ok(checks > 20_000, `${checks} look-ups`);
  });

  it('a NameIndex holds what a Map holds, also for names whose hashes collide', () => {
    const index = new NameIndex(ODD_NAMES.length);
    const map = new Map<string, unknown>();
    const fake = (i: number) => ({ i }) as unknown as HaproxyProxy;
    ODD_NAMES.forEach((n, i) => {
      index.add(n, fake(i));
      const had = map.get(n);
      map.set(n, had === undefined ? fake(i) : Array.isArray(had) ? [...(had as unknown[]), fake(i)] : [had, fake(i)]);
    });
    assert.equal(index.size, map.size);
    for (const n of [...ODD_NAMES, 'absent', 'app_zz_backend', 'x'.repeat(299)])
      assert.deepEqual(index.get(n), map.get(n), `'${n.slice(0, 20)}'`);
    index.set('dup', fake(-1));
    assert.deepEqual(index.get('dup'), fake(-1));
    assert.throws(() => index.set('absent', fake(0)));
    // a table kept at half load or below: one more name than its capacity is refused
    const small = new NameIndex(1);
    for (let i = 0; i < 8; i++) small.add(`n${i}`, fake(i));
    assert.throws(() => small.add('n8', fake(8)));
  });

  it("a section's acl, route and timeout lines walked from factFirst() with factLineCount() are factLines()", function () {
    need(this, 'shared');
    let lines = 0;
    for (const f of all) {
      // a fresh config for each order: the walk before the lists are made, and after
      for (const listsFirst of [false, true]) {
        const config = buildHaproxyConfig([{ path: `/${f.name}`, text: f.text }]);
        for (const p of config.proxies) {
          for (const which of ['acl', 'route', 'timeout'] as const) {
            const made = listsFirst ? factLines(p, which) : null;
            const walked: unknown[] = [];
            const stmts = p.section.statements;
            const isIt = (kw: string) =>
              which === 'acl'
                ? kw === 'acl'
                : which === 'route'
                  ? kw === 'use_backend' || kw === 'default_backend'
                  : kw === 'timeout';
            for (let i = factFirst(p, which), left = factLineCount(p, which); left > 0; i++) {
              if (!isIt(stmts[i].keyword)) continue;
              left--;
              walked.push(stmts[i]);
            }
            const plain = stmts.filter((s) => isIt(s.keyword));
            assert.deepEqual(walked, plain, `${f.name}: ${p.kind} ${p.name} ${which} (walked)`);
            assert.deepEqual(made ?? factLines(p, which), plain, `${f.name}: ${p.kind} ${p.name} ${which} (list)`);
            if (plain.length === 0) assert.equal(factFirst(p, which), -1);
            lines += plain.length;
          }
        }
      }
    }
    assert.ok(lines > 5_000, `${lines} lines`);
  });

  it('conditionAcl() and conditionRequires() read each condition word as the regular expression did', () => {
    const words = new Set<string>([
      '',
      '!',
      '!!x',
      'or',
      '!or',
      'OR',
      '||',
      '{',
      '}',
      'a-b.c:d_e',
      'a/b',
      'é',
      '!é',
      'x y',
      '!a1',
      'a1',
      'a;',
      '[x]',
      ':',
      '!:',
    ]);
    for (const f of all) {
      const config = buildHaproxyConfig([{ path: `/${f.name}`, text: f.text }]);
      for (const p of config.proxies)
        for (const s of factLines(p, 'route')) for (let k = 1; k < s.wordCount; k++) words.add(s.wordValue(k));
    }
    for (let c = 0; c < 256; c++)
      words
        .add(String.fromCharCode(c))
        .add(`!${String.fromCharCode(c)}`)
        .add(`a${String.fromCharCode(c)}`);
    for (const v of words) {
      assert.equal(conditionAcl(v), plainConditionAcl(v), `'${v}'`);
      for (const unless of [false, true])
        assert.equal(conditionRequires(v, unless), v.startsWith('!') === unless, `'${v}' ${unless}`);
    }
    assert.ok(words.size > 700, `${words.size} words`);
  });

  it('mayLookLikeWebSocketName() is true wherever looksLikeWebSocketName() is', () => {
    const names = new Set<string>([
      'ws',
      'WS',
      'a-wss-b',
      'xWsx',
      'websocket',
      'WebSocket',
      'socket_io',
      'SOCKJS',
      'ActionCable',
      'cable',
      'realtime',
      'RealTime',
      'w s',
      'sock',
      'soc',
      'cabl',
      'realtim',
      'ſocket',
      'wſ',
    ]);
    for (const f of all) {
      const config = buildHaproxyConfig([{ path: `/${f.name}`, text: f.text }]);
      for (const p of config.proxies) if (p.name !== null) names.add(p.name);
    }
    let yes = 0;
    for (const n of names) {
      if (looksLikeWebSocketName(n)) {
        yes++;
        assert.ok(mayLookLikeWebSocketName(n), n);
      }
    }
    assert.ok(yes > 15, `${yes} WebSocket-like names`);
  });

  it('proxies whose facts name no statement share them, and each still lists its own lines', () => {
    const config = buildHaproxyConfig([
      {
        path: '/s.cfg',
        text: 'backend a\n    acl x path /a\n    acl y path /b\n    server s 127.0.0.1:1\n\nbackend b\n    acl x path /c\n    acl y path /d\n    server s 127.0.0.1:2\n\nbackend c\n    acl x path /e\n    server s 127.0.0.1:3\n    timeout server 1s\n',
      },
    ]);
    const [a, b, c] = config.proxies;
    assert.equal(proxyFacts(a), proxyFacts(b), 'the same shape: one facts object');
    assert.notEqual(proxyFacts(a), proxyFacts(c), 'a timeout line of its own: facts of its own');
    const lines = (p: HaproxyProxy) => factLines(p, 'acl').map((s) => s.wordValue(3));
    assert.deepEqual(lines(a), ['/a', '/b']);
    assert.deepEqual(lines(b), ['/c', '/d']);
    assert.deepEqual(lines(a), ['/a', '/b']);
    // a shared object is never changed: a proxy read later from another config gets the same answers
    const again = buildHaproxyConfig([
      { path: '/t.cfg', text: 'backend z\n    acl x path /z\n    acl y path /w\n    server s 127.0.0.1:9\n' },
    ]);
    assert.deepEqual(
      factLines(again.proxies[0], 'acl').map((s) => s.wordValue(3)),
      ['/z', '/w'],
    );
    assert.deepEqual(lines(b), ['/c', '/d']);
  });
});
