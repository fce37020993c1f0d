/**
 * Differential test against the real nginx (Debian 12: nginx 1.22.1, installed by .ci/run):
 * small configs that `nginx -t` refuses for a syntax reason must get our diagnostic on the
 * line nginx names, and configs nginx accepts — including the reader's odd corners — must
 * get none. nginx -t neither binds sockets nor needs the network.
 */
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseNginx } from '../../../server/src/service/syntax/nginx';
import { binary, need } from '../../helpers/needs';

interface Verdict {
  ok: boolean;
  line: number | null;
  message: string;
}

function nginxTest(dir: string, text: string): Verdict {
  const file = path.join(dir, 'nginx.conf');
  fs.writeFileSync(file, text);
  const r = spawnSync(binary('nginx'), ['-t', '-q', '-c', file, '-e', 'stderr'], { encoding: 'utf8', timeout: 20000 });
  const out = `${r.stderr ?? ''}${r.stdout ?? ''}`;
  const m = /\[emerg\] \d+#\d+: (.*?) in \S+?:(\d+)/.exec(out);
  return { ok: r.status === 0, line: m ? Number(m[2]) : null, message: m ? m[1] : out.trim() };
}

/** Where nginx names the problem, relative to our first diagnostic. */
type Where =
  | 'same' // on a line our diagnostic's range covers
  | 'next' // one line after it: nginx reads on to the next ";" before it can complain
  | 'eof'; // at the end of the file: nginx only notices there

interface Rejected {
  name: string;
  text: string;
  code: string;
  where: Where;
}

const wrap = (server: string) => `events {}\nhttp {\n  server {\n${server}\n  }\n}\n`;

const REJECTED: Rejected[] = [
  {
    name: 'missing ";" before "}"',
    text: wrap('    location / {\n      proxy_pass http://127.0.0.1\n    }'),
    code: 'missing-semicolon',
    where: 'same',
  },
  {
    name: 'missing ";" before the next directive',
    text: wrap('    listen 127.0.0.1:8080\n    server_name example.test;'),
    code: 'missing-semicolon',
    where: 'next',
  },
  { name: 'stray "}"', text: 'events {}\n}\nhttp {}\n', code: 'unexpected-close-brace', where: 'same' },
  {
    name: 'missing "}"',
    text: 'events {}\nhttp {\n  server {\n    listen 127.0.0.1:8080;\n  }\n',
    code: 'unclosed-block',
    where: 'eof',
  },
  {
    name: 'unterminated string',
    text: 'events {}\nhttp {\n  server {\n    return 200 "abc;\n  }\n}\n',
    code: 'unterminated-string',
    where: 'eof',
  },
  {
    name: 'string closed on a later line',
    text: wrap('    add_header X-A "one;\n    add_header X-B "two";'),
    code: 'unterminated-string',
    where: 'next',
  },
  {
    name: 'character right after a closing quote',
    text: wrap('    add_header X-A "one"two;'),
    code: 'unexpected-char-after-quote',
    where: 'same',
  },
  {
    name: 'unquoted regex quantifier',
    text: wrap('    location ~ ^/id/[0-9]{6}$ {\n      return 204;\n    }'),
    code: 'unquoted-brace',
    where: 'same',
  },
  {
    name: 'unquoted quantifier in rewrite',
    text: wrap('    rewrite ^/a/([0-9]{4})$ /b?y=$1 last;'),
    code: 'unquoted-brace',
    where: 'same',
  },
  { name: 'stray ";"', text: 'events {};\nhttp {}\n', code: 'unexpected-semicolon', where: 'same' },
  { name: 'stray "{"', text: 'events {}\n{\n}\n', code: 'unexpected-open-brace', where: 'same' },
  {
    name: 'end of file inside a directive',
    text: 'events {}\nhttp {}\nworker_processes 1',
    code: 'unexpected-end',
    where: 'same',
  },
  {
    name: 'parameter of 4096 characters',
    text: wrap(`    return 200 ${'x'.repeat(4096)};`),
    code: 'too-long-parameter',
    where: 'same',
  },
  {
    name: 'quoted parameter of 4095 characters (the closing quote must fit the 4096-byte buffer too)',
    text: wrap(`    return 200 "${'x'.repeat(4095)}";`),
    code: 'too-long-parameter',
    where: 'same',
  },
  { name: 'byte order mark', text: '\uFEFFevents {}\nhttp {}\n', code: 'byte-order-mark', where: 'same' },
];

const ACCEPTED: { name: string; text: string }[] = [
  { name: '${var} and "}" inside words', text: wrap('    set $a "x";\n    set $b ${a}y}z;\n    return 200 a}b;') },
  { name: '"#" inside a word, comment after it', text: wrap('    add_header X-A a#b; # comment') },
  { name: 'if with a quoted operand before ")"', text: wrap('    if ($http_upgrade = "websocket") { return 403; }') },
  { name: 'string spanning lines', text: wrap('    return 200 "line one\n line two";') },
  { name: 'quoted directive name', text: wrap('    "listen" 127.0.0.1:8081;') },
  {
    name: 'map keys: quoted regex with braces, empty string',
    text: 'events {}\nhttp {\n  map $uri $m {\n    default 0;\n    "~^/a{2}" 1;\n    \'\' 2;\n  }\n}\n',
  },
  {
    name: 'location modifiers',
    text: wrap(
      '    location = /x { return 204; }\n    location ~* "\\.(js|css)$" { return 204; }\n    location ^~ /i/ { return 204; }\n    location @n { return 204; }\n    location ~*\\.png$ { return 204; }',
    ),
  },
  { name: 'escaped quote in a string', text: wrap('    add_header X-A "a\\"b";') },
  { name: 'quote in the middle of a word', text: wrap('    add_header X-A a"b;') },
  { name: 'continuation lines', text: "events {}\nhttp {\n  log_format main '$remote_addr'\n      '$status';\n}\n" },
  { name: 'CRLF line breaks', text: 'events {}\r\nhttp {\r\n  # c\r\n  server { listen 127.0.0.1:8082; }\r\n}\r\n' },
  { name: 'bare parameter of 4095 characters', text: wrap(`    return 200 ${'x'.repeat(4095)};`) },
  { name: 'no space before "{"', text: 'events{}\nhttp{server{location /{return 204;}}}\n' },
];

describe('nginx parser agrees with the real nginx -t', function () {
  this.timeout(120000);
  let dir = '';
  before(function () {
    need(this, 'nginx');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-nginx-diff-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  for (const c of REJECTED) {
    it(`rejects: ${c.name}`, () => {
      const v = nginxTest(dir, c.text);
      assert.equal(v.ok, false, `nginx accepted it: the case is wrong`);
      assert.ok(v.line !== null, `no line in nginx's message: ${v.message}`);
      const f = parseNginx(c.text);
      assert.ok(f.diagnostics.length > 0, `we report nothing; nginx says "${v.message}" at line ${v.line}`);
      const first = f.diagnostics[0];
      assert.equal(first.code, c.code, `nginx: "${v.message}"`);
      const range = f.lineIndex.rangeOf(first);
      const from = range.start.line + 1;
      const to = range.end.line + 1;
      if (c.where === 'same') assert.ok(from <= v.line && v.line <= to, `nginx line ${v.line}, ours ${from}-${to}`);
      else if (c.where === 'next') assert.equal(v.line, to + 1, `nginx line ${v.line}, ours ${from}-${to}`);
      else assert.equal(v.line, f.lineIndex.lineCount, `nginx should name the end of the file: "${v.message}"`);
    });
  }

  for (const c of ACCEPTED) {
    it(`accepts: ${c.name}`, () => {
      const v = nginxTest(dir, c.text);
      assert.equal(v.ok, true, `nginx refused it (the case is wrong): ${v.message} at ${v.line}`);
      assert.deepEqual(parseNginx(c.text).diagnostics, []);
    });
  }
});
