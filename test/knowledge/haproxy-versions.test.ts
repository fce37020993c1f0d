/**
 * HAProxy versions: the keyword table a target is checked against, the version a file says it is
 * written for, and the "done when" of issue 22: a config written for HAProxy 3.2 is clean for 3.2
 * and gets one precise "not in HAProxy 2.6" error per 3.x keyword for 2.6, both through the CLI;
 * the binaries of both versions agree (gated on them).
 */
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { haproxyKeywordHistory, haproxyTables, haproxyTarget } from '../../server/src/service/knowledge/haproxy-tables';
import { createLanguageService } from '../../server/src/service';
import { HaproxyIncremental } from '../../server/src/service/host/haproxy';
import {
  effectiveVersion,
  pinnedVersions,
  versionFromComment,
  versionHintFor,
} from '../../server/src/service/version-detect';
import { NodeFileSystem } from '../../server/src/node/nodefs';
import type { JsonFinding } from '../../server/src/cli/format';
import { runCli, tmpdirWith, REPO } from '../helpers/cli';
import { binary, need } from '../helpers/needs';

/** A small HTTP balancer that uses keywords HAProxy 3.0 and 3.2 added (and nothing needing a build feature). */
const FOR_32 = `# An HTTP balancer written for HAProxy 3.2
global
    tune.h2.fe.max-total-streams 1000
    hard-stop-after 1h

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout client-hs 5s

frontend fe
    bind 127.0.0.1:8080
    default_backend be

backend be
    balance source
    hash-type consistent
    hash-preserve-affinity always
    option http-drop-request-trailers
    option httpchk GET /health
    http-request set-retries 2
    server s1 127.0.0.1:9001 check init-state up
`;

/** Each 3.x keyword of FOR_32: its line, and the version whose table first has it. */
const NEW_IN_FOR_32: [number, string, string][] = [
  [3, 'tune.h2.fe.max-total-streams', '3.0'],
  [11, 'timeout client-hs', '3.0'],
  [20, 'hash-preserve-affinity', '3.2'],
  [21, 'option http-drop-request-trailers', '3.2'],
  [23, 'set-retries', '3.2'],
  [24, 'init-state', '3.2'],
];

describe('knowledge: HAProxy versions', () => {
  it('has a table for 2.6, 2.8, 3.0, 3.2 and 3.4, each from its own manual', () => {
    const t = haproxyTables();
    assert.deepEqual(
      t.map((x) => x.version),
      ['2.6', '2.8', '3.0', '3.2', '3.4'],
    );
    for (const x of t) {
      assert.equal(x.table.version, x.version);
      assert.equal(x.table.docBase, `https://docs.haproxy.org/${x.version}/configuration.html`);
      assert.ok(x.table.proxyKeywords().length > 170, x.version);
      assert.ok(x.table.data.global.length > 150, x.version);
      assert.ok(x.table.serverOptions().length > 90 && x.table.bindOptions().length > 60, x.version);
      assert.ok(x.table.actions('http-request').length > 50, x.version);
      // the core of every version
      for (const k of ['timeout tunnel', 'balance', 'option httpchk', 'http-request', 'default_backend'])
        assert.ok(x.table.proxyKeyword(k), `${x.version}: ${k}`);
    }
  });

  it('knows what each version added and dropped', () => {
    assert.deepEqual(haproxyKeywordHistory('2.6', 'proxy', 'option forwarded'), { addedIn: '2.8' });
    assert.deepEqual(haproxyKeywordHistory('3.0', 'proxy', 'hash-preserve-affinity'), { addedIn: '3.2' });
    assert.deepEqual(haproxyKeywordHistory('3.2', 'proxy', 'hash-preserve-affinity'), {});
    // `bind ... process` and `bind-process` went with nbproc (2.7)
    assert.deepEqual(haproxyKeywordHistory('2.8', 'bind', 'process'), { lastIn: '2.6' });
    assert.deepEqual(haproxyKeywordHistory('2.6', 'proxy', 'bind-process'), { removedIn: '2.8' });
    assert.deepEqual(haproxyKeywordHistory('2.6', 'server', 'init-state'), { addedIn: '3.2' });
    assert.deepEqual(haproxyKeywordHistory('2.6', 'action', 'set-retries', 'http-request'), { addedIn: '3.2' });
  });

  it('checks a target against the newest table not newer than it, and refuses one older than the oldest', () => {
    const line = (v: string) => {
      const t = haproxyTarget(v);
      return t.ok ? t.table.version : 'refused';
    };
    assert.equal(line('2.6.12'), '2.6');
    assert.equal(line('2.8'), '2.8');
    assert.equal(line('3.2.7'), '3.2');
    assert.equal(line('2.9'), '2.8');
    assert.equal(line('3.1.5'), '3.0');
    assert.equal(line('3.9'), '3.4');
    assert.equal(line('2.4.22'), 'refused');
    assert.equal(line('1.8'), 'refused');
    assert.equal(line('1.x'), 'refused');
    assert.equal(line('banana'), 'refused');
    const between = haproxyTarget('3.1.5');
    assert.ok(between.ok && /no keyword table for HAProxy 3\.1; checked against 3\.0's/.test(between.note ?? ''));
    const newer = haproxyTarget('3.9');
    assert.ok(newer.ok && /newer than the newest keyword table wslb has \(3\.4\)/.test(newer.note ?? ''));
    const old = haproxyTarget('1.8');
    assert.ok(
      !old.ok && /HAProxy 1\.8 is older than the oldest version wslb knows the keywords of \(2\.6\)/.test(old.message),
    );
    const own = haproxyTarget('3.2');
    assert.ok(own.ok && own.note === undefined);
  });

  it('done when: a config for 3.2 is clean with --haproxy-version 3.2, and precise "not in 2.6" errors with 2.6', () => {
    const dir = tmpdirWith({ 'haproxy.cfg': FOR_32 });
    const file = path.join(dir, 'haproxy.cfg');
    const ok = runCli(['check', '--format', 'json', '--haproxy-version', '3.2', file]);
    assert.equal(ok.code, 0, ok.out);
    assert.deepEqual(JSON.parse(ok.out), []);
    const old = runCli(['check', '--format', 'json', '--haproxy-version', '2.6', file]);
    assert.equal(old.code, 1);
    const got = (JSON.parse(old.out) as JsonFinding[]).map((f) => [
      f.range.start.line + 1,
      f.code,
      f.severity,
      f.message,
    ]);
    assert.deepEqual(
      got.map((g) => g.slice(0, 3)),
      NEW_IN_FOR_32.map(([l]) => [l, 'haproxy/keyword-too-new', 'error']),
    );
    NEW_IN_FOR_32.forEach(([, kw, since], k) =>
      assert.match(
        String(got[k][3]),
        new RegExp(`\`${kw}\` is not in HAProxy 2\\.6: it was added in ${since.replace('.', '\\.')}$`),
      ),
    );
    // between: 3.1 is checked against 3.0, said once on stderr; what 3.2 added is a warning there
    const mid = runCli(['check', '--format', 'json', '--haproxy-version', '3.1', file]);
    assert.match(
      mid.err,
      /^wslb: --haproxy-version 3\.1: wslb has no keyword table for HAProxy 3\.1; checked against 3\.0's/,
    );
    assert.equal(mid.err.split('\n').filter(Boolean).length, 1);
    const midFindings = JSON.parse(mid.out) as { severity: string; message: string }[];
    assert.equal(midFindings.length, 4);
    assert.ok(
      midFindings.every(
        (f) => f.severity === 'warning' && /nearest keyword table to 3\.1\); 3\.2 has it/.test(f.message),
      ),
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a target older than 2.6 with one note per file, not with errors of another version', () => {
    const text =
      'global\n    nbproc 2\nfrontend f\n    bind :80\n    reqadd X-Foo:\\ bar\n    default_backend b\nbackend b\n    server s 127.0.0.1:80\n';
    const dir = tmpdirWith({ 'haproxy.cfg': text });
    const r = runCli(['check', '--format', 'json', '--haproxy-version', '1.8', path.join(dir, 'haproxy.cfg')]);
    assert.match(
      r.err,
      /--haproxy-version 1\.8: HAProxy 1\.8 is older than the oldest version wslb knows the keywords of \(2\.6\)/,
    );
    const codes = (JSON.parse(r.out) as JsonFinding[]).map((f) => `${f.range.start.line + 1}:${f.code}`);
    assert.deepEqual(
      codes.filter((c) => /keyword|version/.test(c)),
      ['1:haproxy/version-unsupported'],
    );
    // the same file for 2.6: what 2.6 says
    const now = runCli(['check', '--format', 'json', '--haproxy-version', '2.6', path.join(dir, 'haproxy.cfg')]);
    const nowCodes = (JSON.parse(now.out) as JsonFinding[]).map((f) => `${f.range.start.line + 1}:${f.code}`);
    assert.ok(nowCodes.includes('5:haproxy/keyword-removed'), nowCodes.join(' '));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the version a file says it is written for', () => {
    it('reads `# wslb: haproxy X` and `# wslb: nginx X` comments', () => {
      assert.equal(versionFromComment('global\n  # wslb: haproxy 3.0\n', 'haproxy')?.version, '3.0');
      assert.equal(versionFromComment('# wslb: nginx 1.26.3\nevents {}\n', 'nginx')?.version, '1.26.3');
      assert.equal(versionFromComment('# wslb: nginx 1.26\n', 'haproxy'), undefined);
      assert.equal(versionFromComment('# see wslb: haproxy 3.0\n', 'haproxy'), undefined);
      assert.equal(versionFromComment('global # wslb: haproxy 3.0\n', 'haproxy'), undefined);
    });

    it('reads the image pinned by a compose file or Dockerfile', () => {
      assert.deepEqual(
        pinnedVersions('docker-compose.yml', 'services:\n  lb:\n    image: haproxy:1.7-alpine\n', 'haproxy'),
        ['1.7'],
      );
      assert.deepEqual(pinnedVersions('compose.yaml', '  - image: "haproxytech/haproxy-alpine:2.8.3"\n', 'haproxy'), [
        '2.8.3',
      ]);
      assert.deepEqual(
        pinnedVersions('Dockerfile', 'FROM --platform=linux/amd64 nginx:1.25-alpine AS web\n', 'nginx'),
        ['1.25'],
      );
      assert.deepEqual(pinnedVersions('Dockerfile', 'FROM nginx:latest\nFROM haproxy:lts\n', 'nginx'), []);
      assert.deepEqual(pinnedVersions('docker-compose.yml', 'image: myhaproxy:3.0\nimage: redis:7.2\n', 'haproxy'), []);
    });

    it('takes the comment, then a version the user set, then the image or the name, then the default', () => {
      const hint = { version: '1.7', from: 'docker-compose.yml pins the image haproxy:1.7', kind: 'image' as const };
      assert.equal(effectiveVersion('# wslb: haproxy 3.0\n', 'haproxy', '3.2', true, hint).version, '3.0');
      assert.equal(effectiveVersion('global\n', 'haproxy', '3.2', true, hint).version, '3.2');
      assert.equal(effectiveVersion('global\n', 'haproxy', '2.6.12', false, hint).version, '1.7');
      assert.equal(effectiveVersion('global\n', 'haproxy', '2.6.12', false, undefined).version, '2.6.12');
    });

    it('finds the pin beside the file or one folder up, and OctoPi-style 1.x names', () => {
      const dir = tmpdirWith({
        'docker-compose.yml': 'services:\n  lb:\n    image: haproxy:1.7-alpine\n  cache:\n    image: redis:alpine\n',
        'conf/haproxy.cfg': 'global\n',
        'two/Dockerfile': 'FROM haproxy:2.8\n',
        'two/docker-compose.yml': 'services:\n  lb:\n    image: haproxy:3.0\n',
        'two/haproxy.cfg': 'global\n',
      });
      const octo = tmpdirWith({ 'haproxy.1.x.cfg': 'global\n', 'haproxy.2.x.cfg': 'global\n' });
      const nfs = new NodeFileSystem();
      assert.equal(versionHintFor(nfs, path.join(dir, 'conf/haproxy.cfg'), 'haproxy')?.version, '1.7');
      assert.match(
        versionHintFor(nfs, path.join(dir, 'conf/haproxy.cfg'), 'haproxy')!.from,
        /docker-compose\.yml in the folder above pins the image haproxy:1\.7/,
      );
      // two different pins beside it: no single answer
      assert.equal(versionHintFor(nfs, path.join(dir, 'two/haproxy.cfg'), 'haproxy'), undefined);
      assert.equal(versionHintFor(nfs, path.join(octo, 'haproxy.1.x.cfg'), 'haproxy')?.version, '1.x');
      assert.equal(versionHintFor(nfs, path.join(octo, 'haproxy.2.x.cfg'), 'haproxy'), undefined);
      // through the CLI: the pinned 1.7 gives the one note instead of nbproc's error
      fs.writeFileSync(path.join(dir, 'conf/haproxy.cfg'), 'global\n    nbproc 2\n');
      const r = runCli(['check', '--format', 'json', path.join(dir, 'conf/haproxy.cfg')]);
      const found = JSON.parse(r.out) as { code: string; message: string }[];
      assert.deepEqual(
        found.map((f) => f.code),
        ['haproxy/version-unsupported'],
      );
      assert.match(
        found[0].message,
        /^this file targets HAProxy 1\.7 \(docker-compose\.yml in the folder above pins the image haproxy:1\.7\)/,
      );
      // a version set on the command line beats the pin
      const set = runCli(['check', '--format', 'json', '--haproxy-version', '2.6', path.join(dir, 'conf/haproxy.cfg')]);
      assert.deepEqual(
        (JSON.parse(set.out) as { code: string }[]).map((f) => f.code),
        ['haproxy/unknown-keyword'],
      );
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(octo, { recursive: true, force: true });
    });

    it('follows the comment through incremental edits as a fresh analysis does', () => {
      const service = createLanguageService({});
      const inc = new HaproxyIncremental();
      const text = '# wslb: haproxy 3.2\n' + FOR_32;
      const findings = (t: string) =>
        service.analyzeHaproxy([{ path: '/x.cfg', text: t }]).findings.map((f) => `${f.range.start.line}:${f.code}`);
      assert.deepEqual(inc.analyze(service, '/x.cfg', text).findings, []);
      // 3.2 → 2.6 in the comment: the 3.x keywords become errors
      const edited = text.replace('haproxy 3.2', 'haproxy 2.6');
      const at = text.indexOf('3.2');
      const a = inc.analyze(service, '/x.cfg', edited, [{ offset: at, deleted: 3, inserted: '2.6' }]);
      assert.deepEqual(
        a.findings.map((f) => `${f.range.start.line}:${f.code}`),
        findings(edited),
      );
      assert.equal(a.findings.length, NEW_IN_FOR_32.length);
      // an edit elsewhere keeps the version
      const at2 = edited.indexOf('hard-stop-after 1h') + 'hard-stop-after 1'.length;
      const edited2 = edited.slice(0, at2) + '2' + edited.slice(at2);
      const b = inc.analyze(service, '/x.cfg', edited2, [{ offset: at2, deleted: 0, inserted: '2' }]);
      assert.equal(inc.lastKind, 'line');
      assert.deepEqual(
        b.findings.map((f) => `${f.range.start.line}:${f.code}`),
        findings(edited2),
      );
    });
  });

  describe('lines behind `.if version_atleast(...)` / `.else`', () => {
    /** A config written to run on 2.6 and on 3.x: the 3.0 keywords are guarded, so is the old `nbproc`. */
    const GUARDED = `global
    maxconn 100
.if version_atleast(3.0)
    tune.h2.fe.max-total-streams 1000
.else
    nbproc 2
.endif
.if !version_atleast(3.0)
    tune.h2.fe.max-total-streams 1000
.endif
.if defined(WITH_H2)
    tune.h2.fe.max-total-streams 1000
.endif

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
.if version_atleast(3.0)
    timeout client-hs 5s
    timeout tunnel 1x
.endif
`;
    const found = (version: string) =>
      createLanguageService({ haproxyVersion: version, haproxyVersionSet: true })
        .analyzeHaproxy([{ path: '/x.cfg', text: GUARDED }])
        .findings.map((f) => `${f.range.start.line}:${f.code}`)
        .filter((s) => /keyword|invalid-value/.test(s));

    it('does not report what the target version skips, and still reports what it reads', () => {
      // (lines from 0) 2.6 skips lines 3 and 20-21 (version_atleast(3.0)) and reads the `.else` and `!version_atleast` branches;
      // `defined(WITH_H2)` depends on the environment, so line 11 is checked; the bad time is an error on
      // every version that reads it, so it stays
      assert.deepEqual(found('2.6'), [
        '5:haproxy/unknown-keyword',
        '8:haproxy/keyword-too-new',
        '11:haproxy/keyword-too-new',
        '21:haproxy/invalid-value',
      ]);
      // 3.2 skips the `.else` (nbproc) and `!version_atleast(3.0)` branches and has the guarded keywords
      assert.deepEqual(found('3.2'), ['21:haproxy/invalid-value']);
    });

    it('by the binaries: HAProxy 2.6 and 3.2 both accept the guarded 3.0 keywords wslb no longer reports', function () {
      need(this, 'haproxy', 'haproxy@3.2');
      // the guarded keywords of GUARDED in a config that starts (a listener), nothing 2.6 refuses on purpose
      const live = `global
    maxconn 100
.if version_atleast(3.0)
    tune.h2.fe.max-total-streams 1000
.endif

defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
.if version_atleast(3.0)
    timeout client-hs 5s
.endif

frontend fe
    bind 127.0.0.1:8080
    default_backend be

backend be
    server a 127.0.0.1:9000
`;
      const dir = tmpdirWith({ 'haproxy.cfg': live });
      const file = path.join(dir, 'haproxy.cfg');
      for (const [bin, v] of [
        [binary('haproxy'), '2.6'],
        [binary('haproxy@3.2'), '3.2'],
      ]) {
        const r = spawnSync(bin, ['-c', '-f', file], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${v}: ${r.stdout}${r.stderr}`);
        const codes = createLanguageService({ haproxyVersion: v, haproxyVersionSet: true })
          .analyzeHaproxy([{ path: file, text: live }])
          .findings.map((f) => f.code)
          .filter((c) => /keyword/.test(String(c)));
        assert.deepEqual(codes, [], v);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('reports guarded keywords the target lacks when nothing guards them', () => {
      const unguarded = GUARDED.replace(/^\.(if|else|endif).*\n/gm, '');
      const n = createLanguageService({ haproxyVersion: '2.6', haproxyVersionSet: true })
        .analyzeHaproxy([{ path: '/x.cfg', text: unguarded }])
        .findings.filter((f) => f.code === 'haproxy/keyword-too-new').length;
      assert.equal(n, 4); // three tune.h2.fe.max-total-streams and timeout client-hs
    });
  });
  it('the committed tables are what the manuals in ../shared/src give', function () {
    need(this, 'shared');
    this.timeout(120_000);
    const r = spawnSync(process.execPath, [path.join(REPO, 'scripts/gen-haproxy-versions.mjs'), '--check'], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr + r.stdout);
  });

  it('done when, by the binaries: HAProxy 3.2 accepts the config, 2.6 refuses each keyword wslb names', function () {
    need(this, 'haproxy', 'haproxy@3.2');
    const dir = tmpdirWith({ 'haproxy.cfg': FOR_32 });
    const file = path.join(dir, 'haproxy.cfg');
    const ok = spawnSync(binary('haproxy@3.2'), ['-c', '-f', file], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(execFileSync(binary('haproxy'), ['-v'], { encoding: 'utf8' }), /version 2\.6\./);
    // 2.6 stops at the first unknown action, so each keyword is asked on its own: the config
    // without the other 3.x lines
    const lines = FOR_32.split('\n');
    for (const [line, kw] of NEW_IN_FOR_32) {
      const others = new Set(NEW_IN_FOR_32.map(([l]) => l).filter((l) => l !== line));
      const one = lines.map((l, i) => (others.has(i + 1) ? '' : l)).join('\n');
      fs.writeFileSync(file, one);
      const r = spawnSync(binary('haproxy'), ['-c', '-f', file], { encoding: 'utf8' });
      assert.notEqual(r.status, 0, kw);
      const word = kw.split(' ').at(-1)!;
      assert.match(r.stdout + r.stderr, new RegExp(`/haproxy\\.cfg:${line}\\].*'${word.replace(/\./g, '\\.')}'`), kw);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('the 3.x sections: crt-store, traces, acme, log-profile, healthcheck', () => {
    /** A proxy every version reads, after the section under test. */
    const PROXY = `
defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s

listen web
    bind 127.0.0.1:8080
    server s1 127.0.0.1:9000
`;
    /** Each section as a 3.x config writes it (line 4 is its header), and the first table that has it. */
    const SECTIONS: { name: string; text: string; since: string }[] = [
      {
        name: 'crt-store',
        since: '3.0',
        text: 'crt-store web\n    crt-base /etc/ssl/certs\n    key-base /etc/ssl/private\n',
      },
      { name: 'traces', since: '3.2', text: 'traces\n    trace h1 sink stderr level developer\n' },
      // experimental in 3.2 and 3.4: the global keyword is what the manual asks for
      {
        name: 'acme',
        since: '3.2',
        text: 'acme le\n    directory https://acme.example/directory\n    contact admin@example.com\n',
      },
      { name: 'log-profile', since: '3.2', text: 'log-profile lp\n    log-tag wslb\n' },
      {
        name: 'healthcheck',
        since: '3.4',
        text: 'healthcheck hc\n    type httpchk GET /health\n    http-check expect status 200\n',
      },
    ];
    const configWith = (section: string) => `global\n    expose-experimental-directives\n\n${section}${PROXY}`;
    const errors = (version: string, text: string) =>
      createLanguageService({ haproxyVersion: version, haproxyVersionSet: true })
        .analyzeHaproxy([{ path: '/x.cfg', text }])
        .findings.filter((f) => f.severity === 'error');
    const cmp = (a: string, b: string) => {
      const [x, y] = [a.split('.').map(Number), b.split('.').map(Number)];
      return x[0] - y[0] || x[1] - y[1];
    };

    it('reads each as a section: its keywords are checked against its table, the header is "too new" before its version', () => {
      for (const s of SECTIONS)
        for (const v of ['2.6', '2.8', '3.0', '3.2', '3.4']) {
          const got = errors(v, configWith(s.text)).map((f) => [f.range.start.line + 1, f.code, f.message]);
          if (cmp(v, s.since) >= 0) assert.deepEqual(got, [], `${s.name} on ${v}`);
          else
            assert.deepEqual(
              got,
              [
                [
                  4,
                  'haproxy/keyword-too-new',
                  `section \`${s.name}\` is not in HAProxy ${v}: it was added in ${s.since}`,
                ],
              ],
              `${s.name} on ${v}`,
            );
        }
      // the body is the section's, not global's: a word unknown to acme is reported as such on 3.2
      const typo = errors('3.2', configWith('acme le\n    directroy https://acme.example/directory\n'));
      assert.deepEqual(
        typo.map((f) => [f.range.start.line + 1, f.code, f.message]),
        [[5, 'haproxy/unknown-keyword', 'unknown keyword `directroy` in `acme` section; did you mean `directory`?']],
      );
      // 3.4 no longer has the program section (3.2 deprecated it)
      const program = 'program p1\n    command /bin/true\n';
      assert.deepEqual(errors('3.2', configWith(program)), []);
      assert.deepEqual(
        errors('3.4', configWith(program)).map((f) => [f.range.start.line + 1, f.code, f.message]),
        [[4, 'haproxy/keyword-removed', 'section `program` is not in HAProxy 3.4: it was removed after 3.2']],
      );
    });

    it('by the binaries: each release accepts a section exactly where wslb reports nothing, and names the header where it does', function () {
      need(this, 'haproxy', 'haproxy@2.8', 'haproxy@3.0', 'haproxy@3.2', 'haproxy@3.4');
      this.timeout(60_000);
      // (3.2's acme section writes a new account key into the working directory: run in a temp one)
      const dir = tmpdirWith({});
      const file = path.join(dir, 'haproxy.cfg');
      const releases: [string, string][] = [
        [binary('haproxy'), '2.6'],
        [binary('haproxy@2.8'), '2.8'],
        [binary('haproxy@3.0'), '3.0'],
        [binary('haproxy@3.2'), '3.2'],
        [binary('haproxy@3.4'), '3.4'],
      ];
      const disagreements: string[] = [];
      for (const s of SECTIONS) {
        const text = configWith(s.text);
        fs.writeFileSync(file, text);
        for (const [bin, v] of releases) {
          const r = spawnSync(bin, ['-c', '-f', file], { encoding: 'utf8', cwd: dir, timeout: 20000 });
          const out = r.stdout + r.stderr;
          const wslb = errors(v, text);
          if ((r.status === 0) !== (wslb.length === 0))
            disagreements.push(`${s.name} on ${v}: haproxy -c exit ${r.status}, wslb ${wslb.length} errors\n${out}`);
          else if (r.status !== 0 && !new RegExp(`haproxy\\.cfg:4\\] : unknown keyword '${s.name}'`).test(out))
            disagreements.push(`${s.name} on ${v}: haproxy does not name the header:\n${out}`);
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
      assert.deepEqual(disagreements, []);
    });
  });

  /** FOR_32 with `http-request set-retries` moved from the backend to the frontend (line 15). */
  const RETRIES_IN_FE = FOR_32.replace('    http-request set-retries 2\n', '').replace(
    '    default_backend be\n',
    '    http-request set-retries 2\n    default_backend be\n',
  );

  it('says `set-retries` is for a backend or listen section, not a frontend', () => {
    assert.notEqual(RETRIES_IN_FE, FOR_32);
    const dir = tmpdirWith({ 'haproxy.cfg': RETRIES_IN_FE });
    const r = runCli(['check', '--format', 'json', '--haproxy-version', '3.2', path.join(dir, 'haproxy.cfg')]);
    assert.deepEqual(
      (JSON.parse(r.out) as JsonFinding[]).map((f) => [f.range.start.line + 1, f.code, f.severity, f.message]),
      [
        [
          15,
          'haproxy/keyword-not-allowed-here',
          'error',
          '`set-retries` is only available in a backend or listen section, not in a frontend',
        ],
      ],
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('by the binaries: HAProxy 3.2 refuses `set-retries` in a frontend', function () {
    need(this, 'haproxy@3.2');
    const dir = tmpdirWith({ 'haproxy.cfg': RETRIES_IN_FE });
    const r = spawnSync(binary('haproxy@3.2'), ['-c', '-f', path.join(dir, 'haproxy.cfg')], { encoding: 'utf8' });
    assert.notEqual(r.status, 0);
    assert.match(r.stdout + r.stderr, /haproxy\.cfg:15\].*'set-retries' only available in backend or listen section/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
