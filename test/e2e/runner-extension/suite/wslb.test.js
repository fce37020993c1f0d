// API-level tests of the installed wslb extension, run inside a real extension host.
// They use only the public VS Code API, as another extension or a user's keybinding would.
'use strict';
const assert = require('assert');
const vscode = require('vscode');

const EXTENSION_ID = 'wslb.wslb';
// Product strings, exactly as specified for issue 9.
const NGINX_RULE = 'nginx/ws-http-version';
const NGINX_FIX = 'Add proxy_http_version 1.1';
const HAPROXY_RULE = 'haproxy/ws-missing-timeout-tunnel';
const HAPROXY_FIX = 'Set timeout tunnel 1h';

function delay(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function waitFor(what, probe, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (${lastError})` : ''}`);
    await delay(100);
  }
}

function fixtureUri(name) {
  const folder = vscode.workspace.workspaceFolders && vscode.workspace.workspaceFolders[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function open(name) {
  const doc = await vscode.workspace.openTextDocument(fixtureUri(name));
  const editor = await vscode.window.showTextDocument(doc, { preview: false });
  return { doc, editor };
}

function codeOf(d) {
  return d.code && typeof d.code === 'object' ? String(d.code.value) : String(d.code);
}

function diagnosticsOf(uri, rule) {
  return vscode.languages.getDiagnostics(uri).filter((d) => codeOf(d) === rule);
}

// `needle`: a string, or a RegExp (use the m flag to anchor at a line start).
function positionOf(doc, needle, offsetInNeedle = 0) {
  const text = doc.getText();
  const at = typeof needle === 'string' ? text.indexOf(needle) : text.search(needle);
  assert.ok(at >= 0, `fixture ${doc.uri.path} contains ${String(needle)}`);
  return doc.positionAt(at + offsetInNeedle);
}

function hoverText(hovers) {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

async function quickFixes(uri, range) {
  const actions =
    (await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      uri,
      range,
      vscode.CodeActionKind.QuickFix.value,
      20,
    )) || [];
  return actions;
}

async function apply(action) {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `edit of "${action.title}" applied`);
  const command = action.command && typeof action.command === 'object' ? action.command : undefined;
  if (command) await vscode.commands.executeCommand(command.command, ...(command.arguments || []));
  if (!action.edit && !command && typeof action.command === 'string')
    await vscode.commands.executeCommand(action.command, ...(action.arguments || []));
}

async function revert(doc) {
  await vscode.window.showTextDocument(doc, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.revert');
}

describe('wslb extension (VS Code API)', function () {
  this.timeout(90000);

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    await open('nginx.conf');
    await waitFor(`${EXTENSION_ID} to activate`, () => ext.isActive, 60000);
  });

  it('gives nginx.conf and haproxy.cfg the nginx and haproxy languages', async () => {
    const { doc: n } = await open('nginx.conf');
    const { doc: h } = await open('haproxy.cfg');
    assert.equal(n.languageId, 'nginx');
    assert.equal(h.languageId, 'haproxy');
  });

  it(`publishes ${NGINX_RULE} on the WebSocket location of nginx.conf`, async () => {
    const { doc } = await open('nginx.conf');
    const [d] = await waitFor(NGINX_RULE, () => {
      const found = diagnosticsOf(doc.uri, NGINX_RULE);
      return found.length ? found : undefined;
    });
    assert.equal(d.source, 'wslb');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, positionOf(doc, 'location /ws/').line, 'reported on the location line');
    assert.match(d.message, /HTTP\/1\.0|proxy_http_version/);
  });

  it('answers a hover on proxy_pass with the WebSocket note and its source', async () => {
    const { doc } = await open('nginx.conf');
    const hovers = await waitFor('a hover', async () => {
      const h = await vscode.commands.executeCommand(
        'vscode.executeHoverProvider',
        doc.uri,
        positionOf(doc, 'proxy_pass', 3),
      );
      return h && h.length && hoverText(h).trim() ? h : undefined;
    });
    const text = hoverText(hovers);
    assert.match(text, /proxy_pass/);
    assert.match(text, /WebSocket/i);
    assert.match(text, /From the guide/);
  });

  it(`fixes ${NGINX_RULE} with "${NGINX_FIX}"`, async () => {
    const { doc } = await open('nginx.conf');
    const [d] = await waitFor(NGINX_RULE, () => {
      const found = diagnosticsOf(doc.uri, NGINX_RULE);
      return found.length ? found : undefined;
    });
    const actions = await quickFixes(doc.uri, d.range);
    const fix = actions.find((a) => a.title === NGINX_FIX);
    assert.ok(fix, `fix offered among: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind && fix.kind.value, vscode.CodeActionKind.QuickFix.value);
    await apply(fix);
    assert.match(doc.getText(), /^\s*proxy_http_version 1\.1;\s*$/m);
    await waitFor('the diagnostic to disappear', () => diagnosticsOf(doc.uri, NGINX_RULE).length === 0);
    await revert(doc);
    await waitFor('the diagnostic to come back after revert', () => diagnosticsOf(doc.uri, NGINX_RULE).length === 1);
  });

  it(`publishes ${HAPROXY_RULE} and fixes it with "${HAPROXY_FIX}"`, async () => {
    const { doc } = await open('haproxy.cfg');
    const [d] = await waitFor(HAPROXY_RULE, () => {
      const found = diagnosticsOf(doc.uri, HAPROXY_RULE);
      return found.length ? found : undefined;
    });
    assert.equal(d.source, 'wslb');
    assert.equal(d.range.start.line, positionOf(doc, /^backend be_chat/m).line);
    const actions = await quickFixes(doc.uri, d.range);
    const fix = actions.find((a) => a.title.startsWith(HAPROXY_FIX));
    assert.ok(fix, `fix offered among: ${actions.map((a) => a.title).join(' | ')}`);
    await apply(fix);
    assert.match(doc.getText(), /^\s*timeout tunnel 1h\s*$/m);
    await waitFor('the diagnostic to disappear', () => diagnosticsOf(doc.uri, HAPROXY_RULE).length === 0);
    await revert(doc);
  });

  it('runs wslb.simulate for the upstream under the cursor and opens a webview panel', async () => {
    const { doc, editor } = await open('nginx.conf');
    const inUpstream = positionOf(doc, 'server 10.0.0.2', 2);
    editor.selection = new vscode.Selection(inUpstream, inUpstream);
    const webviewTabs = () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
    const before = webviewTabs().length;
    await vscode.commands.executeCommand('wslb.simulate');
    const tabs = await waitFor('a webview tab', () => (webviewTabs().length > before ? webviewTabs() : undefined));
    assert.ok(
      tabs.some((t) => /simulat|balanc|chat_backend/i.test(t.label)),
      `webview tab labels: ${tabs.map((t) => t.label).join(' | ')}`,
    );
  });
});
