/**
 * The wslb language server's entry (stdio or IPC: `--stdio`, `--node-ipc`): makes the connection
 * and starts the server (lsp/server.ts).
 */
import {
  createConnection,
  ProposedFeatures,
  StreamMessageWriter,
  type MessageReader,
} from 'vscode-languageserver/node';
import { inspect } from 'node:util';
import { createJsonEncoder } from './lsp/encoder';
import { startServer } from './lsp/server';

// Over stdio the messages go through our JSON encoder (diagnostics stringified once each, see
// lsp/encoder.ts); the other transports (VS Code's IPC, sockets, pipes) are the library's own.
// stdin is still handed over as a stream (the library's node entry takes a stream or a reader for
// each side), so the library ends the server when stdin closes, as it does for `--stdio`.
const stdio = process.argv.includes('--stdio');
const connection = stdio
  ? createConnection(
      ProposedFeatures.all,
      process.stdin as unknown as MessageReader,
      new StreamMessageWriter(process.stdout, { charset: 'utf-8', contentTypeEncoder: createJsonEncoder() }),
    )
  : createConnection(ProposedFeatures.all);
// With stdout carrying the protocol, stray console output must not reach it (what the library
// does for `--stdio` when it makes the writer itself).
if (stdio) {
  const text = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : inspect(a))).join(' ');
  console.log = console.info = console.debug = (...a: unknown[]) => connection.console.log(text(a));
  console.warn = (...a: unknown[]) => connection.console.warn(text(a));
  console.error = console.trace = (...a: unknown[]) => connection.console.error(text(a));
}

startServer(connection);
