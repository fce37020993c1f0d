/**
 * Where fixes put new lines (issue 20, point 10): the inserted `map` block is set apart by a blank
 * line, so a file's header comment or a section title keeps describing what it described.
 */
import { strict as assert } from 'node:assert';
import { createLanguageService } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { fixAllConverging } from '../../server/src/service/features/actions';
import { applyEdits } from '../../server/src/service/fixes/apply';

function fixAll(path: string, text: string): string {
  const r = fixAllConverging(
    path,
    (q) => (q === path ? text : undefined),
    (o) => createLanguageService({}).analyzeNginx(path, new MemoryFileSystem({ [path]: o.get(path) ?? text })).findings,
  );
  return r.changed.get(path) ?? text;
}

describe('fix placement: the inserted map', () => {
  it('does not land under a file header comment: a blank line on each side', () => {
    const p = '/etc/nginx/conf.d/chat.conf';
    const text =
      '# Chat site\n# Owner: ops team\nserver {\n    listen 8080;\n    location /ws/ {\n        proxy_pass http://127.0.0.1:9000;\n    }\n}\n';
    const after = fixAll(p, text);
    assert.ok(
      after.startsWith(
        "# Chat site\n# Owner: ops team\n\nmap $http_upgrade $connection_upgrade {\n    default upgrade;\n    ''      close;\n}\n\nserver {\n",
      ),
      after,
    );
    // Applying fix-all again adds nothing (no second map, no extra blank line).
    assert.equal(fixAll(p, after), after);
  });

  it('inside http: apart from the statement above and the block below, not after "http {"', () => {
    const p = '/etc/nginx/nginx.conf';
    const text =
      'events {}\nhttp {\n    include mime.types;\n    # sites\n    server {\n        location /ws/ { proxy_pass http://127.0.0.1:9000; }\n    }\n}\n';
    const after = fixAll(p, text);
    assert.match(
      after,
      /include mime\.types;\n\n {4}map \$http_upgrade \$connection_upgrade \{\n[^]*?\n {4}\}\n\n {4}# sites\n/,
    );
    const bare =
      'events {}\nhttp {\n    server {\n        location /ws/ { proxy_pass http://127.0.0.1:9000; }\n    }\n}\n';
    assert.match(
      fixAll('/etc/nginx/nginx.conf', bare),
      /http \{\n {4}map \$http_upgrade[^]*?\n {4}\}\n\n {4}server \{/,
    );
  });
});

describe('fix placement: timeout tunnel', () => {
  const tunnelFix = (text: string): string => {
    const f = createLanguageService({})
      .analyzeHaproxy([{ path: '/h.cfg', text }])
      .findings.find((x) => x.code === 'haproxy/ws-missing-timeout-tunnel');
    assert.ok(f, 'the rule fires');
    return applyEdits(
      text,
      f.fixes[0].edits.map((e) => ({ range: e.range, newText: e.newText })),
    );
  };
  const FE =
    'defaults\n    mode http\n    timeout connect 5s\n    timeout client 30s\n    timeout server 30s\nfrontend fe\n    bind :80\n    acl ws hdr(Upgrade) -i websocket\n    use_backend chat if ws\n';

  it('goes among the other timeouts of the section, before the servers', () => {
    const text = `${FE}backend chat\n    balance leastconn\n    timeout server 1m\n    server c1 127.0.0.1:9001 check\n`;
    assert.match(tunnelFix(text), /timeout server 1m\n {4}timeout tunnel 1h\n {4}server c1/);
  });

  it('goes before the servers when the section has no timeout', () => {
    const text = `${FE}backend chat\n    balance leastconn\n    server c1 127.0.0.1:9001 check\n    server c2 127.0.0.1:9002 check\n`;
    assert.match(
      tunnelFix(text),
      /balance leastconn\n {4}timeout tunnel 1h\n {4}server c1 [^\n]*\n {4}server c2 [^\n]*\n$/,
    );
  });
});
