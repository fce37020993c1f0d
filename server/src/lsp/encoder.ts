import type { Message } from 'vscode-languageserver/node';

/**
 * The JSON encoder of the server's stdio transport (Neovim, Helix, Emacs, the benchmark), in place
 * of vscode-jsonrpc's default (`Buffer.from(JSON.stringify(msg))`). It writes the same JSON, with
 * one difference in how it gets there: a diagnostic object is turned into JSON once and its text
 * kept, because the server hands the same Diagnostic objects out again and again (one per finding,
 * and a keystroke keeps most findings). On the 10,000-line nginx benchmark file, whose 527
 * findings go out on every keystroke, stringifying them all again cost 1.5-2 ms of each edit.
 *
 * Relies on Diagnostic objects (and the ranges they hold) never being changed once made: findings
 * are moved by making new ones (nginx-incremental's moveFinding) and server.ts's diagnosticOf()
 * makes one Diagnostic per finding object. test/lsp/encoder.test.ts checks the output against
 * JSON.stringify.
 */
export interface JsonEncoder {
  name: string;
  encode(msg: Message, options: { charset: BufferEncoding | 'utf-8' | 'ascii' }): Promise<Uint8Array>;
}

/** Below this many diagnostics a message is stringified whole (nothing worth keeping). */
const FEW = 8;

export function createJsonEncoder(): JsonEncoder & { encodeText(msg: Message): string } {
  // Each diagnostic's JSON, as UTF-8 bytes: the message is then one allocation and a copy of each
  // (joining 527 strings of ~420 characters and encoding the result cost 0.45 ms; this 0.1 ms).
  const fragments = new WeakMap<object, Buffer>();
  const fragmentOf = (d: unknown): Buffer => {
    if (d === null || typeof d !== 'object') return Buffer.from(JSON.stringify(d) ?? 'null', 'utf8');
    let b = fragments.get(d);
    if (b === undefined) fragments.set(d, (b = Buffer.from(JSON.stringify(d), 'utf8')));
    return b;
  };
  /** The message as UTF-8 JSON; null when it is not one this encoder treats apart. */
  const encodeBytes = (msg: Message): Buffer | null => {
    const m = msg as { jsonrpc: string; method?: string; params?: unknown };
    const params = m.params as { diagnostics?: unknown } | undefined;
    const diagnostics = params?.diagnostics;
    if (m.method !== 'textDocument/publishDiagnostics' || !Array.isArray(diagnostics) || diagnostics.length < FEW)
      return null;
    const keys = Object.keys(m);
    if (keys[keys.length - 1] !== 'params') return null;
    // Everything but the list as usual (key order kept), the list from the kept bytes.
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(params as object)) if (k !== 'diagnostics') rest[k] = v;
    const head = JSON.stringify({ ...m, params: rest });
    // head ends with "}}" (params closes, then the message); params may be empty ("{}").
    const inner = head.slice(0, -2);
    const open = Buffer.from(`${inner}${inner.endsWith('{') ? '' : ','}"diagnostics":[`, 'utf8');
    const parts = new Array<Buffer>(diagnostics.length);
    let size = open.length + CLOSE.length + Math.max(0, diagnostics.length - 1);
    for (let i = 0; i < diagnostics.length; i++) size += (parts[i] = fragmentOf(diagnostics[i])).length;
    const out = Buffer.allocUnsafe(size);
    let at = open.copy(out, 0);
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) out[at++] = COMMA;
      out.set(parts[i], at);
      at += parts[i].length;
    }
    CLOSE.copy(out, at);
    return out;
  };
  return {
    name: 'application/json',
    encodeText: (msg) => encodeBytes(msg)?.toString('utf8') ?? JSON.stringify(msg),
    encode(msg, options) {
      try {
        const charset = options.charset === 'utf-8' ? 'utf8' : options.charset;
        const bytes = charset === 'utf8' ? encodeBytes(msg) : null;
        return Promise.resolve(bytes ?? Buffer.from(JSON.stringify(msg), charset));
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
  };
}

const COMMA = 0x2c;
const CLOSE = Buffer.from(']}}', 'utf8');
