/**
 * A long session: 500 distinct documents opened, looked at and closed, one after the other,
 * through the real server over stdio. What the server keeps must not grow with the documents it
 * has seen (issue 23: each closed 436 KB file kept about 8.5 MB). The heap is read after a full
 * collection (the server runs with --expose-gc, which enables its `wslb/debug/heapUsed` request);
 * the test compares the last quarter of the run with the first, as a ratio, and measures no time.
 */
import { strict as assert } from 'node:assert';
import * as os from 'node:os';
import * as path from 'node:path';
import { TestClient, fileUri } from './client';

const CYCLES = 500;
const SAMPLE_EVERY = 25;

/** A distinct file of about 12 KB: nginx or HAProxy, with findings and fixes. */
function documentText(i: number): { languageId: string; text: string } {
  if (i % 2 === 0) {
    const servers: string[] = [];
    for (let k = 0; k < 40; k++)
      servers.push(
        `    server {\n        listen ${1000 + k};\n        server_name s${i}-${k}.example;\n        location /ws/ {\n            proxy_pass http://10.${i % 250}.${k}.1:8080;\n        }\n    }`,
      );
    return { languageId: 'nginx', text: `events {}\nhttp {\n${servers.join('\n')}\n}\n` };
  }
  const out = [
    'defaults',
    '    mode http',
    '    timeout client 10s',
    '    timeout server 10s',
    '    timeout connect 5s',
  ];
  for (let k = 0; k < 40; k++)
    out.push(
      `frontend fe${i}_${k}`,
      `    bind :${2000 + k}`,
      `    use_backend ws${i}_${k} if { path_beg /ws }`,
      `backend ws${i}_${k}`,
      `    server s${k} 10.${i % 250}.${k}.2:80`,
    );
  return { languageId: 'haproxy', text: out.join('\n') + '\n' };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('lsp: memory over a long session (issue 23)', function () {
  this.timeout(600_000);
  let c: TestClient | undefined;
  after(async () => {
    await c?.stop();
  });

  it(`${CYCLES} distinct documents opened and closed: the heap stays flat`, async () => {
    c = new TestClient({ nodeArgs: ['--expose-gc'] });
    await c.initialize();
    const dir = path.join(os.tmpdir(), 'wslb-soak-never-written');
    const samples: number[] = [];
    for (let i = 0; i < CYCLES; i++) {
      const uri = fileUri(path.join(dir, `site-${i}.${i % 2 === 0 ? 'conf' : 'cfg'}`));
      const { languageId, text } = documentText(i);
      c.open(uri, languageId, text);
      const diags = await c.waitDiagnostics(uri, (d) => d.length > 0);
      assert.ok(diags.length > 0);
      // what an editor asks for while the file is shown
      await c.request('textDocument/documentSymbol', { textDocument: { uri } });
      await c.request('textDocument/foldingRange', { textDocument: { uri } });
      await c.request('textDocument/codeAction', {
        textDocument: { uri },
        range: diags[0].range,
        context: { diagnostics: [diags[0]] },
      });
      c.close(uri);
      // the close is handled (its empty publish) before the next document comes
      await c.waitDiagnostics(uri, (d) => d.length === 0);
      if ((i + 1) % SAMPLE_EVERY === 0) samples.push(await c.request<number>('wslb/debug/heapUsed', {}));
    }
    const quarter = samples.length / 4;
    const first = mean(samples.slice(0, quarter));
    const last = mean(samples.slice(-quarter));
    const mb = (x: number) => (x / 1024 / 1024).toFixed(1);
    assert.ok(
      last / first < 1.25,
      `heap after GC: first quarter ${mb(first)} MB, last quarter ${mb(last)} MB (×${(last / first).toFixed(2)}); samples ${samples.map(mb).join(' ')}`,
    );
  });
});
