/**
 * Issue 23: the language server builds no fix to publish diagnostics; a code action builds the
 * fixes of the findings it is asked about, from an analysis of the document as it is at that
 * moment. The server counts the fixes it builds (`wslb/debug/fixBuilds`); no time is measured here
 * (the figures are in `npm run bench`, scripts/bench-lsp.mjs).
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeAction, Diagnostic, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { createLanguageService } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { TestClient, applyTextEdits, fileUri, REPO } from './client';

/** `n` server blocks, each with a WebSocket location that has none of what it needs (one per line, from line 2). */
function brokenNginx(n: number): string {
  const out = ['events { worker_connections 1024; }', 'http {'];
  for (let i = 0; i < n; i++)
    out.push(
      `    server { listen ${10000 + i}; server_name s${i}.example; location /ws/ { proxy_pass http://10.0.0.1:${i + 1}; } }`,
    );
  return out.join('\n') + '\n}\n';
}

const touches = (a: Range, b: Range) =>
  !(
    a.end.line < b.start.line ||
    (a.end.line === b.start.line && a.end.character < b.start.character) ||
    b.end.line < a.start.line ||
    (b.end.line === a.start.line && b.end.character < a.start.character)
  );

function editsOf(edit: WorkspaceEdit | undefined, uri: string): TextEdit[] {
  return edit?.changes?.[uri] ?? [];
}

describe('language server: fixes are built when a code action asks for them (issue 23)', function () {
  this.timeout(60_000);
  let c: TestClient;
  let tmp: string;
  before(async function () {
    this.timeout(120_000);
    execFileSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'wslb-lazy-'));
    // as VS Code: fix-all's edit is made when it is chosen (codeAction/resolve)
    c = new TestClient({ resolveCodeActions: true });
    await c.initialize();
  });
  after(async () => {
    await c?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('diagnostics of 200 broken locations build no fix; a code action on one builds only its own', async () => {
    const n = 200;
    const file = path.join(tmp, 'many.conf');
    const text = brokenNginx(n);
    fs.writeFileSync(file, text);
    const uri = fileUri(file);
    const before = await c.request<number>('wslb/debug/fixBuilds', null);
    c.open(uri, 'nginx', text);
    const diags = await c.waitDiagnostics(uri, (d) => d.length >= n);
    assert.equal(diags.filter((d) => d.code === 'nginx/ws-not-upgraded').length, n);
    assert.equal(await c.request<number>('wslb/debug/fixBuilds', null), before, 'publishing diagnostics built fixes');

    const line = 2 + 137;
    const range = { start: { line, character: 0 }, end: { line, character: 400 } };
    const here = diags.filter((d) => touches(d.range, range));
    assert.ok(here.length >= 1, 'a finding on the line');
    const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: here },
    });
    const built = (await c.request<number>('wslb/debug/fixBuilds', null)) - before;
    assert.equal(built, here.length, `the fixes of the ${here.length} finding(s) on the line, no other`);
    const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred);
    assert.ok(fix, actions.map((a) => a.title).join(', '));
    const after = applyTextEdits(text, editsOf(fix.edit, uri));
    const fixed = after.split('\n').find((l) => l.includes('server_name s137.example;'))!;
    assert.match(fixed, /proxy_set_header Upgrade \$http_upgrade;/);
    assert.match(fixed, /proxy_http_version 1\.1;/);
    // every other location is as it was
    assert.equal(
      after.split('\n').filter((l) => l.includes('proxy_set_header Upgrade')).length,
      1,
      'only the location asked about is fixed',
    );
    // a second request on the same line builds nothing more
    await c.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range,
      context: { diagnostics: here },
    });
    assert.equal((await c.request<number>('wslb/debug/fixBuilds', null)) - before, built);
    c.close(uri);
  });

  it('an edit between diagnostics and the code action: the fix is built on the new text', async () => {
    // A long debounce: the re-check after the edit is not due when the code action comes.
    const c = new TestClient({ resolveCodeActions: true, settings: { debounceMs: 5000 } });
    await c.initialize();
    try {
      const file = path.join(tmp, 'edited.conf');
      const text = brokenNginx(12);
      fs.writeFileSync(file, text);
      const uri = fileUri(file);
      c.open(uri, 'nginx', text);
      await c.waitDiagnostics(uri, (d, p) => p.version === 1 && d.some((x) => x.code === 'nginx/ws-not-upgraded'));
      // Three lines above everything, then at once (before the re-check is due) a code action on
      // the line location s5 stands on now.
      const header = '# one\n# two\n# three\n';
      const next = header + text;
      c.change(uri, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: header }]);
      const line = 3 + 2 + 5;
      const range = { start: { line, character: 0 }, end: { line, character: 400 } };
      const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range,
        context: { diagnostics: [] as Diagnostic[] },
      });
      const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred);
      assert.ok(fix, actions.map((a) => a.title).join(', '));
      const got = applyTextEdits(next, editsOf(fix.edit, uri));
      // What a fresh analysis of the new text gives for that finding
      const fresh = createLanguageService().analyzeNginx(file, new MemoryFileSystem({ [file]: next }));
      const finding = fresh.findings.find((f) => f.code === 'nginx/ws-not-upgraded' && f.range.start.line === line)!;
      const want = applyTextEdits(
        next,
        finding.fixes.find((x) => x.isPreferred)!.edits.map((e) => ({ range: e.range, newText: e.newText })),
      );
      assert.equal(got, want);
      const s5 = got.split('\n').find((l) => l.includes('server_name s5.example;'))!;
      assert.match(s5, /proxy_http_version 1\.1;/, 'the location asked about is the one fixed');
      c.close(uri);
    } finally {
      await c.stop();
    }
  });

  it('an edit to the including file before a code action on the included one: its edits are of the new text', async () => {
    // The code action is on ws.conf; its fix also writes the `map` into nginx.conf's http block.
    // nginx.conf was just edited, and its re-check is not due yet: the fix must not be built from
    // the analysis of its old text (which would put the map three lines too high).
    const c = new TestClient({ resolveCodeActions: true, settings: { debounceMs: 5000 } });
    await c.initialize();
    try {
      const dir = path.join(tmp, 'two');
      fs.mkdirSync(dir, { recursive: true });
      const root = path.join(dir, 'nginx.conf');
      const ws = path.join(dir, 'ws.conf');
      const rootText = 'events { worker_connections 1024; }\nhttp {\n    include ws.conf;\n}\n';
      const wsText =
        'server {\n    listen 80;\n    location /ws/ {\n        proxy_pass http://10.0.0.1:8080;\n    }\n}\n';
      fs.writeFileSync(root, rootText);
      fs.writeFileSync(ws, wsText);
      const rootUri = fileUri(root);
      const wsUri = fileUri(ws);
      c.open(rootUri, 'nginx', rootText);
      c.open(wsUri, 'nginx', wsText);
      const diags = await c.waitDiagnostics(wsUri, (d) => d.some((x) => x.code === 'nginx/ws-not-upgraded'));
      const target = diags.find((x) => x.code === 'nginx/ws-not-upgraded')!;
      const header = '# one\n# two\n# three\n';
      const nextRoot = header + rootText;
      c.change(rootUri, [
        { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: header },
      ]);
      const actions = await c.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri: wsUri },
        range: target.range,
        context: { diagnostics: [target] },
      });
      const fix = actions.find((a) => a.kind === 'quickfix' && a.isPreferred);
      assert.ok(fix, actions.map((a) => a.title).join(', '));
      // What a fresh analysis of the new texts gives
      const fresh = createLanguageService().analyzeNginx(
        root,
        new MemoryFileSystem({ [root]: nextRoot, [ws]: wsText }),
      );
      const finding = fresh.findings.find((f) => f.code === 'nginx/ws-not-upgraded' && f.file === ws)!;
      const want = finding.fixes.find((x) => x.isPreferred)!;
      const wantIn = (file: string) =>
        want.edits.filter((e) => e.file === file).map((e) => ({ range: e.range, newText: e.newText }));
      assert.ok(wantIn(root).length > 0, 'the fix writes into nginx.conf too');
      assert.equal(applyTextEdits(nextRoot, editsOf(fix.edit, rootUri)), applyTextEdits(nextRoot, wantIn(root)));
      assert.equal(applyTextEdits(wsText, editsOf(fix.edit, wsUri)), applyTextEdits(wsText, wantIn(ws)));
    } finally {
      await c.stop();
    }
  });

  it('a client that cannot resolve gets "Fix all safe" in the light bulb as a command: built only when chosen', async () => {
    // Without resolve support the whole fix-all edit would be built in every light-bulb answer
    // (asked at each cursor move); a client that applies server edits gets a command instead.
    const n = 120;
    const file = path.join(tmp, 'plain-client.conf');
    const text = brokenNginx(n);
    fs.writeFileSync(file, text);
    const uri = fileUri(file);
    const p = new TestClient({ applyEdit: true });
    try {
      await p.initialize();
      p.open(uri, 'nginx', text);
      const diags = await p.waitDiagnostics(uri, (d) => d.length >= n);
      const before = await p.request<number>('wslb/debug/fixBuilds', null);
      const line = 2 + 40;
      const range = { start: { line, character: 0 }, end: { line, character: 400 } };
      const here = diags.filter((d) => touches(d.range, range));
      const actions = await p.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range,
        context: { diagnostics: here, only: ['quickfix'] },
      });
      const built = (await p.request<number>('wslb/debug/fixBuilds', null)) - before;
      assert.equal(built, here.length, 'the light bulb built only the fixes of its line');
      const all = actions.find((a) => a.title === 'Fix all safe wslb problems in this file');
      assert.ok(all, actions.map((a) => a.title).join(', '));
      assert.equal(all.edit, undefined);
      assert.ok(all.command, JSON.stringify(all));

      // chosen: the server builds fix-all and asks the client to apply it
      await p.request('workspace/executeCommand', { command: all.command.command, arguments: all.command.arguments });
      assert.equal(p.appliedEdits.length, 1);
      const fixed = applyTextEdits(text, editsOf(p.appliedEdits[0], uri));
      assert.equal(fixed.split('\n').filter((l) => l.includes('proxy_set_header Upgrade')).length, n);
      // the same edit a request by kind (on save, from the palette) gets at once
      const byKind = await p.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range,
        context: { diagnostics: [], only: ['source.fixAll.wslb'] },
      });
      const direct = byKind.find((a) => a.kind === 'source.fixAll.wslb');
      assert.ok(direct?.edit, JSON.stringify(byKind.map((a) => a.title)));
      assert.equal(applyTextEdits(text, editsOf(direct.edit, uri)), fixed);
    } finally {
      await p.stop();
    }
  });
});
