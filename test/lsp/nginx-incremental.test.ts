/**
 * The language server's incremental path for nginx: after random edit sequences (recorded as
 * didChange edits), the findings of the project's analysis (which re-reads only the edited block
 * and reuses the rest of the tree) equal those of a fresh analysis of the same text.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Project, type TextEditRecord } from '../../server/src/lsp/project';
import { nginxIncrementalStats } from '../../server/src/service/syntax/nginx';
import { CORPUS, corpusRows } from '../helpers/corpus';
import { generateNginx } from '../../scripts/bench/generate';

const FILE = '/work/virtual/nginx.conf';
const PIECES = ['{', '}', ';', '"', "'", '#', '\n', ' ', '1', 'x', '$x', 'proxy_http_version 1.0;', 'location /ws { proxy_pass http://pool_0; }', 'proxy_set_header Connection "";', '}}', 'upstream u { server 127.0.0.1:1; }'];

function projectOver(open: Map<string, string>): Project {
  return new Project((p) => (open.has(p) ? { uri: 'file://' + p, path: p, text: open.get(p)!, version: 1, languageId: 'nginx' } : undefined));
}

function findings(p: Project): string {
  return JSON.stringify(p.findingsFor(FILE));
}

function texts(): { name: string; text: string }[] {
  const out = [{ name: 'generated', text: generateNginx(400) }];
  for (const row of corpusRows('nginx').filter((r) => r.verdict === 'accepted' || r.verdict === 'env').slice(0, 25)) {
    const file = path.join(CORPUS, row.path);
    if (fs.existsSync(file)) out.push({ name: row.path, text: fs.readFileSync(file, 'utf8') });
  }
  return out;
}

describe('language server: nginx incremental analysis', function () {
  this.timeout(300_000);
  const all = texts();

  it('gives the findings of a fresh analysis after random edit sequences', () => {
    const stats0 = { ...nginxIncrementalStats };
    fc.assert(
      fc.property(
        fc.nat(all.length - 1),
        fc.array(fc.tuple(fc.nat(1_000_000), fc.nat(2), fc.nat(100), fc.integer({ min: 1, max: 4 })), { minLength: 1, maxLength: 6 }),
        (which, steps) => {
          const open = new Map([[FILE, all[which].text]]);
          const p = projectOver(open);
          p.analyzeRoot(FILE, 'nginx');
          for (const [at, kind, piece, len] of steps) {
            const text = open.get(FILE)!;
            const offset = at % (text.length + 1);
            const edit: TextEditRecord = { offset, deleted: kind === 0 ? 0 : Math.min(len, text.length - offset), inserted: kind === 1 ? '' : PIECES[piece % PIECES.length] };
            const next = text.slice(0, edit.offset) + edit.inserted + text.slice(edit.offset + edit.deleted);
            p.noteEdits(FILE, text, [edit]);
            open.set(FILE, next);
            p.analyzeRoot(FILE, 'nginx');
            const fresh = projectOver(new Map([[FILE, next]]));
            fresh.analyzeRoot(FILE, 'nginx');
            assert.equal(findings(p), findings(fresh), `${all[which].name} after ${JSON.stringify(edit)}`);
          }
        },
      ),
      { numRuns: Number(process.env.WSLB_INCREMENTAL_RUNS ?? 60) },
    );
    assert.ok(nginxIncrementalStats.reused > stats0.reused, 'the block re-read was used');
  });
});
