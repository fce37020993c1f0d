/**
 * A fix that inserts at the start of a file beginning with a UTF-8 byte order mark puts its text
 * after the BOM, which stays the first character (issue 23, reliability-probe.md section 2).
 */
import { strict as assert } from 'node:assert';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeText } from '../helpers/analyze';

describe('fixes on a file with a byte order mark', () => {
  it('an insertion at the start of the file lands after the BOM', () => {
    const text =
      '\ufeffhttp {\n  server {\n    location /ws/ {\n      proxy_pass http://127.0.0.1:9000;\n      proxy_http_version 1.1;\n' +
      '      proxy_set_header Upgrade $http_upgrade;\n      proxy_set_header Connection "upgrade";\n    }\n  }\n}\n';
    const f = analyzeText('nginx', text).find((x) => x.code === 'nginx/ws-no-worker-shutdown-timeout');
    assert.ok(f, 'the rule fires');
    const edits = f.fixes[0].edits;
    assert.deepEqual(edits[0].range.start, { line: 0, character: 1 });
    const doc = TextDocument.create('file:///etc/nginx/nginx.conf', 'nginx', 1, text);
    const fixed = TextDocument.applyEdits(
      doc,
      edits.map((e) => ({ range: e.range, newText: e.newText })),
    );
    assert.ok(fixed.startsWith('\ufeffworker_shutdown_timeout 10m;\nhttp {'), JSON.stringify(fixed.slice(0, 60)));
  });
});

describe('fixes keep comments', () => {
  it('"Move timeout client to frontend" moves a trailing comment with the line', () => {
    const text =
      'defaults\n    mode http\n    timeout connect 5s\n    timeout server 30s\n    timeout tunnel 1h\n\n' +
      'frontend fe\n    bind 127.0.0.1:8080\n    default_backend ws_pool\n\n' +
      'backend ws_pool\n    timeout client 30s # matches the heartbeat\n    server w1 127.0.0.1:9001\n';
    const f = analyzeText('haproxy', text).find((x) => x.code === 'haproxy/timeout-ignored');
    assert.ok(f, 'the rule fires');
    const fix = f.fixes[0];
    assert.match(fix.title, /^Move timeout client to/);
    const doc = TextDocument.create('file:///etc/haproxy/haproxy.cfg', 'haproxy', 1, text);
    const fixed = TextDocument.applyEdits(
      doc,
      fix.edits.map((e) => ({ range: e.range, newText: e.newText })),
    );
    assert.equal(fixed.split('# matches the heartbeat').length, 2, fixed);
    assert.match(fixed, /frontend fe\n(.*\n)*\s+timeout client 30s # matches the heartbeat\n/);
    assert.ok(!/^backend ws_pool\n\s+timeout client/m.test(fixed), fixed);
  });
});

describe('fixes are not offered again after they are applied (issue 23)', () => {
  /** Apply the first fix of `code`'s first finding; the same fix must not be offered again. */
  function applyOnce(text: string, code: string, options = {}): { title: string; again: string[] } {
    const f = analyzeText('haproxy', text, options).find((x) => x.code === code);
    assert.ok(f && f.fixes.length, `${code} fires with a fix`);
    const fix = f.fixes[0];
    const doc = TextDocument.create('file:///etc/haproxy/haproxy.cfg', 'haproxy', 1, text);
    const fixed = TextDocument.applyEdits(
      doc,
      fix.edits.map((e) => ({ range: e.range, newText: e.newText })),
    );
    const again = analyzeText('haproxy', fixed, options)
      .filter((x) => x.code === code || x.code === 'haproxy/ws-timeout-below-heartbeat')
      .map((x) => `${x.code}: ${x.message}`);
    return { title: fix.title, again };
  }

  it('"Set timeout tunnel" with a heartbeat over 30 minutes writes three heartbeats, which is enough', () => {
    const text =
      'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\n\n' +
      'frontend fe\n    bind :80\n    default_backend ws_pool\n\n' +
      'backend ws_pool\n    server w1 127.0.0.1:9001\n';
    const { title, again } = applyOnce(text, 'haproxy/ws-missing-timeout-tunnel', {
      heartbeatMs: 40 * 60_000,
      heartbeatSet: true,
    });
    assert.match(title, /^Set timeout tunnel 2h/);
    assert.deepEqual(again, []);
    // the usual heartbeat keeps the usual value
    assert.match(applyOnce(text, 'haproxy/ws-missing-timeout-tunnel').title, /^Set timeout tunnel 1h/);
  });

  it('a file whose lines end in a lone CR gets no fix that inserts a line HAProxy would not see', () => {
    const text = 'frontend fe\r    bind :80\r    default_backend app\rbackend app\r    server a 10.0.0.1:80\r';
    const findings = analyzeText('haproxy', text);
    const inserting = findings.flatMap((f) =>
      f.fixes.filter((x) => x.edits.some((e) => /\r(?!\n)/.test(e.newText))).map((x) => `${f.code}: ${x.title}`),
    );
    assert.deepEqual(inserting, []);
    // the findings stay (without the fix), and the line breaks themselves are reported
    assert.ok(findings.some((f) => f.code === 'haproxy/missing-timeouts'));
    assert.ok(findings.some((f) => f.code === 'haproxy/syntax'));
  });
});
