/**
 * A finding whose message names a line ("line 12", "at proxy.conf:line 4") carries that line as
 * data (Finding.cites): the nginx incremental analysis reads it, never the English, to know that a
 * kept finding's words would change when lines move (nginx-incremental.ts). Checked on every nginx
 * rule fixture and the nginx files of the real-world corpus, and on configs split over includes.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeFiles, analyzeText } from '../helpers/analyze';
import type { Finding } from '../../server/src/service/types';

const FIXTURES = path.join(__dirname, 'fixtures', 'nginx');
const REAL_WORLD = path.join(__dirname, '..', 'fixtures', 'real-world', 'nginx');

function filesUnder(dir: string, test: (name: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => test(path.basename(f)))
    .map((f) => path.join(dir, f))
    .filter((f) => fs.statSync(f).isFile());
}

/** The 1-based line numbers a message names as "line N" (the words the rules write). */
function namedLines(message: string): number[] {
  return [...message.matchAll(/\bline (\d+)/g)].map((m) => Number(m[1]));
}

/** Every "line N" of a rule's message is among its cites, and every cite is named in the message. */
function checkCites(f: Finding, where: string): number {
  if (!f.code.startsWith('nginx/') || f.code === 'nginx/syntax') return 0;
  const cited = (f.cites ?? []).map((c) => c.line + 1);
  for (const n of namedLines(f.message))
    assert.ok(cited.includes(n), `${where}: "${f.message}" names line ${n} but cites ${JSON.stringify(f.cites)}`);
  for (const c of f.cites ?? [])
    assert.ok(
      new RegExp(`(\\bline |:)${c.line + 1}\\b`).test(f.message),
      `${where}: "${f.message}" cites line ${c.line + 1} of ${c.file} without naming it`,
    );
  return cited.length;
}

describe('findings cite the lines their messages name', () => {
  it('on every nginx rule fixture and real-world nginx file', () => {
    const files = [
      ...filesUnder(FIXTURES, (n) => /^fire.*\.conf$/.test(n)),
      ...filesUnder(REAL_WORLD, (n) => !n.endsWith('.md')),
    ];
    assert.ok(files.length > 50, `only ${files.length} files`);
    let cites = 0;
    for (const file of files)
      for (const f of analyzeText('nginx', fs.readFileSync(file, 'utf8')))
        cites += checkCites(f, path.relative(process.cwd(), file));
    assert.ok(cites > 0, `only ${cites} cited lines`);
  });

  it('names the file of a line in another file, and cites it there', () => {
    const findings = analyzeFiles(
      {
        '/etc/nginx/nginx.conf': [
          'events {}',
          'http {',
          '    server {',
          '        listen 80;',
          '        location /ws/ {',
          '            proxy_pass http://127.0.0.1:9000;',
          '            proxy_http_version 1.1;',
          '            include /etc/nginx/ws-headers.conf;',
          '            proxy_set_header Connection \u201c\u201d;',
          '        }',
          '    }',
          '}',
          '',
        ].join('\n'),
        '/etc/nginx/ws-headers.conf':
          '\n\nproxy_set_header Upgrade $http_upgrade;\nproxy_set_header Connection "upgrade";\n',
      },
      '/etc/nginx/nginx.conf',
    );
    const f = findings.find((x) => x.code === 'nginx/ws-missing-connection-header');
    assert.ok(f, JSON.stringify(findings.map((x) => x.message)));
    assert.match(f.message, /ws-headers\.conf:4/);
    assert.deepEqual(f.cites, [{ file: '/etc/nginx/ws-headers.conf', line: 3 }]);
    checkCites(f, 'include');
  });
});
