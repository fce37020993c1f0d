import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv-draft-04';
import { REPO, runCli, tmpdirWith } from '../helpers/cli';
import { parseJson, readJson, type SarifLog } from '../helpers/json';
import type { JsonFinding } from '../../server/src/cli/format';

const run = runCli;
const tmpdir = (files: Record<string, string>): string => tmpdirWith(files, 'wslb-cli-');

const WS_NGINX = `events {}
http {
    server {
        listen 127.0.0.1:8080;
        location /ws {
            proxy_pass http://127.0.0.1:9000;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}
`;

const WS_HAPROXY = `defaults
    mode http
    timeout connect 5s
    timeout client 30s
    timeout server 30s
frontend fe
    bind 127.0.0.1:8080
    acl ws hdr(Upgrade) -i websocket
    use_backend chat if ws
backend chat
    server a 127.0.0.1:9000
`;

describe('wslb check', () => {
  it('prints file:line:col severity rule-id message and exits 1 on errors', () => {
    const dir = tmpdir({ 'nginx.conf': WS_NGINX });
    const r = run(['check', dir], dir);
    assert.equal(r.code, 1, r.out + r.err);
    assert.match(
      r.out,
      /^nginx\.conf:5:9 error nginx\/ws-http-version WebSocket location \/ws proxies with HTTP\/1\.0/m,
    );
    assert.match(r.out, /problems? \(\d+ errors/);
  });

  it('detects HAProxy by content whatever the file name, and exits 0 without errors', () => {
    const dir = tmpdir({ 'lb.txt.conf': WS_HAPROXY });
    const r = run(['check', path.join(dir, 'lb.txt.conf'), '--format', 'json']);
    const findings = JSON.parse(r.out) as { code: string; severity: string }[];
    assert.ok(
      findings.some((f) => f.code === 'haproxy/ws-missing-timeout-tunnel'),
      r.out,
    );
    assert.equal(r.code, findings.some((f) => f.severity === 'error') ? 1 : 0);
  });

  it('JSON output has 0-based LSP ranges and fixes with edits', () => {
    const dir = tmpdir({ 'nginx.conf': WS_NGINX });
    const r = run(['check', dir, '--format', 'json']);
    const findings = parseJson<JsonFinding[]>(r.out);
    const f = findings.find((x) => x.code === 'nginx/ws-http-version');
    assert.ok(f, r.out);
    assert.deepEqual(Object.keys(f).sort(), ['code', 'file', 'fixes', 'message', 'range', 'severity']);
    assert.deepEqual(f.range.start, { line: 4, character: 8 });
    assert.equal(f.file, path.join(dir, 'nginx.conf'));
    assert.equal(f.fixes[0].edits[0].newText.trim(), 'proxy_http_version 1.1;');
    assert.deepEqual(Object.keys(f.fixes[0].edits[0]).sort(), ['file', 'newText', 'range']);
  });

  it('SARIF output validates against the SARIF 2.1.0 schema and carries fixes', () => {
    const dir = tmpdir({ 'nginx.conf': WS_NGINX, 'haproxy.cfg': WS_HAPROXY });
    const r = run(['check', dir, '--format', 'sarif']);
    const log = parseJson<SarifLog>(r.out);
    const schema = readJson<object>(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false });
    const validate = ajv.compile(schema);
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const results = log.runs[0].results;
    assert.ok(results.length >= 2);
    const withFix = results.find((x) => x.ruleId === 'nginx/ws-http-version');
    assert.ok(withFix?.fixes, r.out);
    assert.equal(withFix.locations[0].physicalLocation.region.startLine, 5);
    assert.equal(withFix.locations[0].physicalLocation.region.startColumn, 9);
    assert.ok(
      withFix.fixes[0].artifactChanges[0].replacements[0].insertedContent.text.includes('proxy_http_version 1.1;'),
    );
    assert.equal(log.runs[0].tool.driver.rules[withFix.ruleIndex].id, 'nginx/ws-http-version');
  });

  it('related notes (here what haproxy -c says) reach text, JSON and SARIF output', () => {
    const cfg = [
      'defaults',
      '  mode http',
      '  timeout connect 5s',
      '  timeout client 30s',
      '  timeout server 30s',
      'frontend f',
      '  mode tcp',
      '  bind :80',
      '  option forwardfor',
      '  default_backend b',
      'backend b',
      '  mode tcp',
      '  server s 127.0.0.1:9000',
      '',
    ].join('\n');
    const dir = tmpdir({ 'haproxy.cfg': cfg });
    const quote = /haproxy -c warns "'option forwardfor' ignored for frontend 'f' as it requires HTTP mode"/;
    const text = run(['check', dir, '--no-color'], dir).out.split('\n');
    const at = text.findIndex((l) => l.startsWith('haproxy.cfg:9:3 warning haproxy/http-setting-in-tcp-mode '));
    assert.ok(at >= 0, text.join('\n'));
    assert.match(text[at + 1], /^ {2}note: haproxy\.cfg:9:3 /);
    assert.match(text[at + 1], quote);

    const json = parseJson<JsonFinding[]>(run(['check', dir, '--format', 'json']).out);
    const f = json.find((x) => x.code === 'haproxy/http-setting-in-tcp-mode');
    assert.ok(f?.related?.length, JSON.stringify(json));
    assert.match(f.related[0].message, quote);
    assert.equal(f.related[0].file, path.join(dir, 'haproxy.cfg'));
    assert.deepEqual(f.related[0].range.start, { line: 8, character: 2 });

    const log = parseJson<SarifLog>(run(['check', dir, '--format', 'sarif']).out);
    const schema = readJson<object>(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false }).compile(
      schema,
    );
    assert.ok(validate(log), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    const res = log.runs[0].results.find((x) => x.ruleId === 'haproxy/http-setting-in-tcp-mode');
    assert.ok(res?.relatedLocations?.length, JSON.stringify(res));
    assert.match(res.relatedLocations[0].message.text, quote);
    assert.equal(res.relatedLocations[0].physicalLocation.region.startLine, 9);
  });

  it('--rule changes a severity or turns a rule off; --nginx-version changes the verdict', () => {
    const dir = tmpdir({ 'nginx.conf': WS_NGINX });
    const off = run(['check', dir, '--format', 'json', '--rule', 'nginx/ws-http-version=off']);
    assert.ok(!parseJson<JsonFinding[]>(off.out).some((f) => f.code === 'nginx/ws-http-version'));
    const warn = run(['check', dir, '--format', 'json', '--rule', 'nginx/ws-http-version=warning']);
    assert.equal(
      parseJson<JsonFinding[]>(warn.out).find((f) => f.code === 'nginx/ws-http-version')?.severity,
      'warning',
    );
    const modern = run(['check', dir, '--format', 'json', '--nginx-version', '1.29.7']);
    assert.ok(
      !parseJson<JsonFinding[]>(modern.out).some((f) => f.code === 'nginx/ws-http-version'),
      'HTTP/1.1 is the default from 1.29.7',
    );
  });

  it('reports directives newer than the target only when the version was chosen', () => {
    // nginx 1.25.1 made http2 a directive: a config that uses it runs a newer nginx than the default target
    const dir = tmpdir({
      'nginx.conf': WS_NGINX.replace('listen 127.0.0.1:8080;', 'listen 127.0.0.1:8080;\n        http2 on;'),
    });
    const codes = (args: string[]) =>
      parseJson<JsonFinding[]>(run(['check', dir, '--format', 'json', ...args]).out).map((f) => f.code);
    assert.ok(!codes([]).includes('nginx/directive-too-new'), 'default target: not reported');
    assert.ok(codes(['--nginx-version', '1.22.1']).includes('nginx/directive-too-new'), 'chosen 1.22.1: reported');
    assert.ok(!codes(['--nginx-version', '1.25.1']).includes('nginx/directive-too-new'), 'chosen 1.25.1: fine');
  });

  it('honours wslb-disable comments', () => {
    const text = WS_NGINX.replace(
      '        location /ws {',
      '        # wslb-disable-next-line nginx/ws-http-version -- the backend speaks 1.0 upgrades\n        location /ws {',
    );
    const dir = tmpdir({ 'nginx.conf': text });
    const r = run(['check', dir, '--format', 'json']);
    assert.ok(!parseJson<JsonFinding[]>(r.out).some((f) => f.code === 'nginx/ws-http-version'));
  });

  it('exits 2 with a clear message on bad usage and unreadable input', () => {
    const bad = run(['check', '--format', 'xml']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--format: "xml" is not text, json or sarif/);
    const missing = run(['check', '/nonexistent/wslb/nginx.conf']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read \/nonexistent\/wslb\/nginx\.conf/);
    assert.equal(run(['check', '.', '--rule', 'nope=off']).code, 2);
    assert.equal(run(['check', '.', '--heartbeat', 'soon']).code, 2);
    assert.equal(run(['frobnicate']).code, 2);
  });

  it('explain prints the long text and the source section; rules lists every rule', () => {
    const r = run(['explain', 'nginx/ws-http-version']);
    assert.equal(r.code, 0);
    assert.match(r.out, /From the guide "Load balancing WebSocket", section "L4 vs L7 for WebSocket"/);
    assert.match(r.out, /101 Switching Protocols/);
    assert.equal(run(['explain', 'nope']).code, 2);
    const list = run(['rules']);
    assert.match(list.out, /^haproxy\/ws-missing-timeout-tunnel\s+warning/m);
  });

  it('the built binary runs with the same exit codes', function () {
    const bin = path.join(REPO, 'dist/cli/wslb.js');
    if (!fs.existsSync(bin)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO });
    const dir = tmpdir({ 'nginx.conf': WS_NGINX });
    const r = spawnSync(process.execPath, [bin, 'check', dir], { encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stdout, /nginx\/ws-http-version/);
    const usage = spawnSync(process.execPath, [bin, 'check', '--format'], { encoding: 'utf8' });
    assert.equal(usage.status, 2);
  });

  it('stops quietly when the reader of its output goes away (wslb check | head)', function () {
    this.timeout(60_000);
    const bin = path.join(REPO, 'dist/cli/wslb.js');
    if (!fs.existsSync(bin)) spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: REPO });
    // far more output than a pipe holds, so the writes after `head` exits meet a closed pipe
    const locations = Array.from(
      { length: 3000 },
      (_, i) => `    location /ws${i}/ { proxy_pass http://127.0.0.1:9000; proxy_set_header Upgrade $http_upgrade; }`,
    );
    const dir = tmpdir({ 'nginx.conf': `events {}\nhttp {\n  server {\n${locations.join('\n')}\n  }\n}\n` });
    const errFile = path.join(dir, 'stderr.txt');
    const r = spawnSync(
      'bash',
      [
        '-c',
        'set -o pipefail; "$0" "$1" check "$2" 2>"$3" | head -c 100 >/dev/null',
        process.execPath,
        bin,
        path.join(dir, 'nginx.conf'),
        errFile,
      ],
      { encoding: 'utf8' },
    );
    const err = fs.readFileSync(errFile, 'utf8');
    assert.doesNotMatch(err, /EPIPE|Error|at /, err);
    assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${err}`);
  });

  it('never crashes on binary junk or a huge line', function () {
    this.timeout(60_000);
    const junk = Buffer.alloc(200_000);
    for (let i = 0; i < junk.length; i++) junk[i] = (i * 7919) % 256;
    const dir = tmpdir({
      'junk.conf': junk.toString('latin1'),
      'long.conf': 'server { listen 80; ' + 'a'.repeat(1_000_000) + ' }\n',
    });
    const r = run(['check', dir, '--format', 'json']);
    assert.ok(r.code === 0 || r.code === 1, r.err);
    JSON.parse(r.out);
  });
});

describe('wslb check --fix', () => {
  it('applies the safe fixes only: the nginx idiom is written, HAProxy suggestions are left', () => {
    const dir = tmpdir({ 'nginx/nginx.conf': WS_NGINX, 'haproxy/haproxy.cfg': WS_HAPROXY });
    const before = run(['check', '--format', 'json', dir], dir);
    const codesBefore = parseJson<JsonFinding[]>(before.out).map((f) => f.code);
    const r = run(['check', '--fix', '--format', 'json', dir], dir);
    const nginx = fs.readFileSync(path.join(dir, 'nginx/nginx.conf'), 'utf8');
    assert.match(nginx, /location \/ws \{[^}]*proxy_http_version 1\.1;/);
    // Every HAProxy fix picks a value (timeout tunnel, check, ...): the file is untouched.
    assert.equal(fs.readFileSync(path.join(dir, 'haproxy/haproxy.cfg'), 'utf8'), WS_HAPROXY);
    assert.match(r.err, /fixed nginx[/\\]nginx\.conf/);
    assert.doesNotMatch(r.err, /haproxy\.cfg/);
    const after = parseJson<JsonFinding[]>(r.out);
    assert.ok(!after.some((f) => f.code === 'nginx/ws-http-version'), JSON.stringify(after.map((f) => f.code)));
    // What is left still shows, with its suggestions marked as such.
    assert.ok(codesBefore.includes('haproxy/ws-missing-timeout-tunnel'));
    const tunnel = after.find((f) => f.code === 'haproxy/ws-missing-timeout-tunnel');
    assert.ok(tunnel && tunnel.fixes.length > 0 && tunnel.fixes.every((x) => x.kind === 'suggestion'));
    assert.ok(!after.some((f) => f.fixes.some((x) => x.kind === 'safe')), 'no safe fix is left');
    // A second run changes nothing.
    const again = run(['check', '--fix', dir], dir);
    assert.doesNotMatch(again.err, /fixed/);
    assert.equal(fs.readFileSync(path.join(dir, 'nginx/nginx.conf'), 'utf8'), nginx);
  });
});
