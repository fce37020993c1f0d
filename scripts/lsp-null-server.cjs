// The benchmark's reference server (scripts/bench-lsp.mjs): the same LSP library and transport as
// wslb's server, but no documents and no analysis — every didOpen/didChange is answered with an
// empty publishDiagnostics for its version after one turn of the event loop (as wslb's scheduler
// does). Its times are the protocol's own cost (encoding, the pipe, decoding a 1 MB message),
// which the benchmark subtracts to give the server's own cost.
const { createConnection, ProposedFeatures, TextDocumentSyncKind } = require('vscode-languageserver/node');

const connection = createConnection(ProposedFeatures.all);
connection.onInitialize(() => ({ capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental } }));
const answer = (p) =>
  setImmediate(() =>
    connection.sendDiagnostics({ uri: p.textDocument.uri, version: p.textDocument.version, diagnostics: [] }),
  );
connection.onDidOpenTextDocument(answer);
connection.onDidChangeTextDocument(answer);
connection.listen();
