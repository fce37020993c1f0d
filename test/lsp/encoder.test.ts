import { strict as assert } from 'node:assert';
import { createJsonEncoder } from '../../server/src/lsp/encoder';
import { seededRandom as rng } from '../helpers/random';

// The stdio transport's encoder (server/src/lsp/encoder.ts) must write the JSON that JSON.stringify
// writes, whatever the message: the same text when `diagnostics` is the last key of the params (as
// the server sends them), the same value otherwise (the list then comes last). The LSP protocol
// tests (test/lsp/server.test.ts) read its output as a real client does.

/** Same JSON value; and the same text when the diagnostics list is the params' last key. */
function sameJson(actual: string, msg: { params?: object }, what: string): void {
  const expected = JSON.stringify(msg);
  assert.deepEqual(JSON.parse(actual), JSON.parse(expected), what);
  const keys = Object.keys(msg.params ?? {}).filter((k) => (msg.params as Record<string, unknown>)[k] !== undefined);
  if (keys[keys.length - 1] === 'diagnostics') assert.equal(actual, expected, what);
}

const PIECES = [
  'upstream',
  ' app',
  '"quoted"',
  'back\\slash',
  'tab\there',
  'line\nbreak',
  'é',
  '→',
  '😀',
  '\u0000',
  '\u2028',
  '',
];

function diagnostic(r: () => number): Record<string, unknown> {
  const word = () =>
    Array.from({ length: 1 + Math.floor(r() * 5) }, () => PIECES[Math.floor(r() * PIECES.length)]).join('');
  const line = Math.floor(r() * 50_000);
  const d: Record<string, unknown> = {
    range: {
      start: { line, character: Math.floor(r() * 80) },
      end: { line: line + Math.floor(r() * 3), character: Math.floor(r() * 80) },
    },
    severity: 1 + Math.floor(r() * 4),
    code: 'nginx/' + word(),
    source: 'wslb',
    message: word(),
  };
  if (r() < 0.5) d.codeDescription = { href: 'https://example.org/' + encodeURIComponent(word()) };
  if (r() < 0.2) d.relatedInformation = [{ location: { uri: 'file:///x.conf', range: d.range }, message: word() }];
  if (r() < 0.1) d.tags = [2];
  if (r() < 0.1) d.data = undefined; // dropped by JSON.stringify
  return d;
}

async function encoded(enc: ReturnType<typeof createJsonEncoder>, msg: object): Promise<string> {
  const bytes = await enc.encode(msg as never, { charset: 'utf-8' });
  return Buffer.from(bytes).toString('utf8');
}

describe('stdio JSON encoder (diagnostics stringified once)', () => {
  it('writes the JSON.stringify text of publishDiagnostics messages, with diagnostics reused across messages', async () => {
    const r = rng(20261126);
    const enc = createJsonEncoder();
    const pool = Array.from({ length: 300 }, () => diagnostic(r));
    for (let k = 0; k < 200; k++) {
      // Some messages reuse diagnostics seen before (the cached case), some bring new ones.
      const n = Math.floor(r() * 60);
      const diagnostics = Array.from({ length: n }, () =>
        r() < 0.8 ? pool[Math.floor(r() * pool.length)] : diagnostic(r),
      );
      const params: Record<string, unknown> =
        r() < 0.5
          ? { uri: 'file:///a b/é.conf', version: k, diagnostics }
          : { uri: 'file:///x.cfg', diagnostics, version: r() < 0.5 ? undefined : k };
      const msg = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params };
      sameJson(await encoded(enc, msg), msg, `message ${k} (${n} diagnostics)`);
      sameJson(enc.encodeText(msg), msg, `text of message ${k}`);
    }
  });

  it('writes other messages, odd shapes and other charsets as JSON.stringify does', async () => {
    const enc = createJsonEncoder();
    const many = Array.from({ length: 20 }, (_, i) => ({
      message: 'm' + i,
      range: { start: { line: i, character: 0 }, end: { line: i, character: 1 } },
    }));
    const messages: object[] = [
      { jsonrpc: '2.0', id: 1, result: { capabilities: {} } },
      { jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'x "y" é' } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { diagnostics: many } },
      { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a', diagnostics: [] } },
      // the list holding values that are no objects
      {
        jsonrpc: '2.0',
        method: 'textDocument/publishDiagnostics',
        params: { uri: 'file:///a', diagnostics: [...many, null, 3, 'x'] },
      },
      // params not the last key of the message
      { method: 'textDocument/publishDiagnostics', params: { uri: 'file:///a', diagnostics: many }, jsonrpc: '2.0' },
    ];
    for (const msg of messages) sameJson(await encoded(enc, msg), msg, JSON.stringify(msg).slice(0, 80));
    const latin = await enc.encode(messages[2] as never, { charset: 'ascii' });
    assert.equal(Buffer.from(latin).toString('ascii'), JSON.stringify(messages[2]));
  });
});
