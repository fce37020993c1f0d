/**
 * A parse's sections keep their body statements as rows until `statements` is read, and a full
 * check reads them by index through `section.body` (validateHaproxy(), proxy facts, route
 * references, ACL reasons). These tests hold the body to what the statement list says, and a
 * whole analysis through the body to the same analysis with `body` turned off (every reader then
 * walks the statement lists, as before the body existed), on every corpus HAProxy file, the rule
 * fixtures and examples, a generated config and a text made of findings.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseHaproxy } from '../../server/src/service/syntax/haproxy';
import { Section } from '../../server/src/service/syntax/haproxy/nodes';
import type { HaproxyStatement } from '../../server/src/service/syntax/haproxy/types';
import { createLanguageService } from '../../server/src/service/index';
import {
  backendReferences,
  buildHaproxyConfig,
  proxyFacts,
  type HaproxyConfig,
} from '../../server/src/service/model/haproxy';
import { haproxyWebSocketReasons } from '../../server/src/service/model/websocket-haproxy';
import { validateHaproxy } from '../../server/src/service/knowledge/haproxy-validate';
import { CORPUS, cfgFilesUnder, corpusRows, needCorpus } from '../helpers/corpus';
import { generateHaproxy } from '../../scripts/bench/generate';
import { need } from '../helpers/needs';

const ROOT = path.resolve(__dirname, '../..');

/** Lines with findings of every kind the knowledge check gives, modifiers, `.if` blocks, routes and ACLs. */
const FINDINGS = `global
    daemon
    no-such-global 1
    no strict-limits
    default foo

defaults named
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout tunnel 1h
    option http-server-close
    no option http-server-close

defaults
    mode tcp
    errorfiles named-only

frontend fe from named
    bind :80 ssl crt /x.pem alpn h2 no-such-bind-option 1
    bind :81 accept-proxy
    mode htpt
    balance roundrobin
    srvtimeout 5s
    timeout clitimeout 5s
    option forceclose
    http-request no-such-action
    http-request set-header X-A b
    acl is_ws hdr(upgrade) -i websocket
    acl is_api path_beg /api
    acl is_ws hdr(connection) -i upgrade
.if defined(WSLB_TEST)
    use_backend ws_back if is_ws
.elif streq(a,b)
    use_backend api if is_api !is_ws
.else
    use_backend api unless !is_api
.endif
    default_backend app
    disabled
    enabled
    no option httplog
    default option httplog
    unknown-kw x
    tiemout client 5s
    timeout
    timeout client 10s

backend ws_back
    mode http
    balance source
    server a 127.0.0.1:1 check inter 2s no-such-option 3 weight 10
    server b 127.0.0.1:2 check weight
    server-template s 3 127.0.0.1:3 check
    default-server inter 1s
    timeout server 1h
    disabled

backend api
    server c 127.0.0.1:4 maxconn 10 check
    filter no-such-filter
    stick-table type ip size 1m

backend app
    mode tcp

listen both
    bind :82
    mode http
    acl is_ws hdr(upgrade) -i websocket
    use_backend ws_back if is_ws
    server d 127.0.0.1:5

peers p
    peer a 127.0.0.1:1024
    no-such-peer-kw x

userlist u
    user a password x
    bad-user-kw
`;

function texts(): { name: string; text: string }[] {
  const out = [
    { name: 'findings', text: FINDINGS },
    { name: 'generated', text: generateHaproxy(3000) },
  ];
  const rows = corpusRows('haproxy');
  if (rows.length === 0 && process.env.WSLB_REQUIRE_ALL === '1')
    throw new Error(`the shared corpus is missing (${CORPUS})`);
  for (const r of rows) out.push({ name: r.path, text: fs.readFileSync(path.join(CORPUS, r.path), 'utf8') });
  for (const f of [
    ...cfgFilesUnder(path.join(ROOT, 'test/rules/fixtures/haproxy')),
    ...cfgFilesUnder(path.join(ROOT, 'examples')),
  ]) {
    out.push({ name: path.relative(ROOT, f), text: fs.readFileSync(f, 'utf8') });
  }
  return out;
}

/** Runs `f` with `section.body` undefined on every section (every reader then walks the statement lists). */
function withoutBody<T>(f: () => T): T {
  const had = Object.getOwnPropertyDescriptor(Section.prototype, 'body')!;
  Object.defineProperty(Section.prototype, 'body', { get: () => undefined, configurable: true });
  try {
    return f();
  } finally {
    Object.defineProperty(Section.prototype, 'body', had);
  }
}

const at = (s: HaproxyStatement | null | undefined): number | null => (s ? s.line.start : null);

/** What a config's proxies, facts, references and WebSocket reasons say, as plain data. */
function modelView(config: HaproxyConfig): unknown {
  const facts = config.proxies.map((p) => {
    const f = proxyFacts(p);
    return [
      p.kind,
      p.name,
      at(f.mode),
      at(f.onOff),
      at(f.connect),
      at(f.client),
      at(f.server),
      at(f.tunnel),
      at(f.defaultBackend),
      f.hasServers,
      f.acl0,
      f.aclCount,
      f.route0,
      f.routeCount,
      f.timeout0,
      f.timeoutCount,
    ];
  });
  const refs = backendReferences(config).map((r) => [
    at(r.statement),
    r.from.name,
    r.word?.value,
    r.target?.name ?? null,
    r.conditionAcls,
    r.requiredAcls,
  ]);
  const reasons = config.proxies.map((p) => haproxyWebSocketReasons(config, p));
  return { facts, refs, reasons };
}

describe('HAProxy section bodies: read by index, they give what the statement lists give', function () {
  this.timeout(300_000);
  const all = texts();

  it('has its inputs: the corpus (with the benchmark file), fixtures, examples', function () {
    needCorpus(this, 'haproxy');
    assert.ok(
      all.some((t) => t.name.endsWith('large-valid.cfg')),
      'the 24k-line benchmark file',
    );
    assert.ok(all.length > 20, `${all.length} texts`);
  });

  it("body.size/keywordAt/modifierAt/wordCountAt/wordValueAt/rowAt+rows/lineStartAt/statement are the list's, and the list keeps the statements made by index", function () {
    need(this, 'shared');
    let statements = 0;
    for (const { name, text } of all) {
      const lazy = parseHaproxy(text);
      const listed = parseHaproxy(text);
      assert.equal(lazy.sections.length, listed.sections.length);
      for (let s = 0; s < lazy.sections.length; s++) {
        const body = lazy.sections[s].body;
        assert.ok(body, `${name}: section ${s} has a body before its list is read`);
        const list = listed.sections[s].statements;
        assert.equal(body.size, list.length, `${name}: section ${s} size`);
        // every third statement made by index first: the list made afterwards must hold those objects
        const early = new Map<number, HaproxyStatement>();
        for (let i = 0; i < body.size; i++) {
          const want = list[i];
          const where = `${name}: section ${s} statement ${i}`;
          assert.equal(body.keywordAt(i), want.keyword, where);
          assert.equal(body.modifierAt(i), want.modifier, where);
          assert.equal(body.wordCountAt(i), want.wordCount, where);
          for (let k = 0; k < want.wordCount; k++) assert.equal(body.wordValueAt(i, k), want.wordValue(k), where);
          assert.equal(body.rows.wordCount(body.rowAt(i)), want.wordCount, where);
          for (let k = 0; k < want.wordCount; k++)
            assert.equal(body.rows.wordValue(body.rowAt(i), k), want.wordValue(k), where);
          assert.equal(body.lineStartAt(i), want.line.start, where);
          if (i % 3 === 0) {
            const st = body.statement(i);
            assert.equal(body.statement(i), st, `${where}: made once`);
            early.set(i, st);
          }
          statements++;
        }
        const made = lazy.sections[s].statements;
        assert.equal(lazy.sections[s].body, undefined, `${name}: no body once the list is read`);
        assert.equal(made.length, list.length);
        for (let i = 0; i < made.length; i++) {
          const got = made[i];
          const want = list[i];
          if (early.has(i))
            assert.equal(got, early.get(i), `${name}: section ${s} statement ${i} is the object made by index`);
          assert.equal(got.section, lazy.sections[s]);
          assert.deepEqual(
            [
              got.type,
              got.keyword,
              got.modifier,
              got.line.start,
              got.line.end,
              got.args.map((a) => a.raw),
              got.conditions.map((c) => c.line.start),
            ],
            [
              want.type,
              want.keyword,
              want.modifier,
              want.line.start,
              want.line.end,
              want.args.map((a) => a.raw),
              want.conditions.map((c) => c.line.start),
            ],
            `${name}: section ${s} statement ${i}`,
          );
        }
        // the file's list is made from the sections' lists
      }
      assert.deepEqual(
        lazy.statements.map((x) => x.line.start),
        listed.statements.map((x) => x.line.start),
        `${name}: file statements`,
      );
    }
    assert.ok(statements > 20_000, `${statements} statements`);
  });

  it('header statements, made when read, are the header line, in its section and its `.if` blocks', () => {
    const f = parseHaproxy(
      'global\n.if defined(A)\nfrontend a\n    bind :1\n.if streq(x,y)\nbackend b\n    server s 127.0.0.1:1\n.endif\n.else\nbackend c\n.endif\nbackend d\n',
    );
    const show = f.sections.map((s) => {
      const h = s.headerStatement;
      assert.equal(s.headerStatement, h, 'made once');
      assert.equal(h.line, s.header);
      assert.equal(h.section, s);
      assert.equal(h.keyword, s.keyword);
      return `${s.keyword} ${s.name ?? ''}:${h.conditions.map((c) => `${c.directive}@${c.line.start}`).join('>')}|${s.statements.map((b) => b.conditions.length).join(',')}`;
    });
    assert.deepEqual(show, [
      'global :|',
      'frontend a:.if@7|1',
      'backend b:.if@7>.if@45|2',
      'backend c:.else@102|',
      'backend d:|',
    ]);
    // the file's list holds the same header objects
    assert.deepEqual(
      f.statements.filter((s) => s.line === s.section?.header),
      f.sections.map((s) => s.headerStatement),
    );
  });

  it('validateHaproxy() through the bodies finds what it finds through the statement lists', function () {
    need(this, 'shared');
    let findings = 0;
    for (const { name, text } of all) {
      for (const version of ['2.6', '2.8.1']) {
        const viaBody = validateHaproxy(parseHaproxy(text), { version });
        const viaList = withoutBody(() => validateHaproxy(parseHaproxy(text), { version }));
        assert.deepEqual(viaBody, viaList, `${name} (${version})`);
        findings += viaBody.length;
      }
    }
    assert.ok(findings > 40, `${findings} findings`);
  });

  it('proxy facts, route references and WebSocket reasons through the bodies are those of the statement lists', function () {
    need(this, 'shared');
    let refs = 0;
    for (const { name, text } of all) {
      const viaBody = modelView(buildHaproxyConfig([{ path: '/x.cfg', text }]));
      const viaList = withoutBody(() => modelView(buildHaproxyConfig([{ path: '/x.cfg', text }])));
      assert.deepEqual(viaBody, viaList, name);
      refs += (viaBody as { refs: unknown[] }).refs.length;
    }
    assert.ok(refs > 1_000, `${refs} references`);
  });

  it('a whole analysis through the bodies gives the findings of one through the statement lists', () => {
    const svc = createLanguageService();
    let findings = 0;
    for (const { name, text } of all) {
      const viaBody = svc.analyzeHaproxy([{ path: '/x.cfg', text }]).findings;
      const viaList = withoutBody(() => svc.analyzeHaproxy([{ path: '/x.cfg', text }]).findings);
      assert.deepEqual(viaBody, viaList, name);
      findings += viaBody.length;
    }
    assert.ok(findings > 100, `${findings} findings`);
  });
});
