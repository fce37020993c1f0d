/**
 * Where fixes put new lines (issue 20, point 10): the inserted `map` block is set apart by a blank
 * line, so a file's header comment or a section title keeps describing what it described.
 */
import { strict as assert } from 'node:assert';
import { createLanguageService } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { fixAllConverging } from '../../server/src/service/features/actions';

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
