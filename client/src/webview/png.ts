/**
 * Text metadata in a PNG (the simulation's parameters in the exported image): iTXt chunks (UTF-8,
 * uncompressed; PNG specification, 11.3.3.5) inserted after IHDR, and read back for the tests.
 * Chunk layout: length (4 bytes, big-endian), type, data, CRC-32 of type + data (PNG 5.3); the
 * CRC is the IEEE one the simulator's hashes already implement.
 */
import { crc32 } from '../../../server/src/service/simulate/hashes';

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const enc = new TextEncoder();
const dec = new TextDecoder();

function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

function readU32(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

function isPng(b: Uint8Array): boolean {
  return b.length > 33 && SIGNATURE.every((x, i) => b[i] === x);
}

function itxtChunk(keyword: string, text: string): Uint8Array {
  // keyword NUL, compression flag 0, method 0, language tag "" NUL, translated keyword "" NUL, text
  const data = [...enc.encode(keyword.slice(0, 79)), 0, 0, 0, 0, 0, ...enc.encode(text)];
  const typeAndData = [...enc.encode('iTXt'), ...data];
  return Uint8Array.from([...u32(data.length), ...typeAndData, ...u32(crc32(typeAndData))]);
}

/** The PNG with one iTXt chunk per entry after its header chunk; other input is returned as is. */
export function withPngText(png: Uint8Array, entries: Record<string, string>): Uint8Array {
  if (!isPng(png)) return png;
  const afterIhdr = 8 + 12 + readU32(png, 8);
  const chunks = Object.entries(entries).map(([k, v]) => itxtChunk(k, v));
  const size = png.length + chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(size);
  out.set(png.subarray(0, afterIhdr), 0);
  let at = afterIhdr;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  out.set(png.subarray(afterIhdr), at);
  return out;
}

/** The iTXt entries of a PNG (keyword → text); chunks with a wrong CRC are left out. */
export function readPngText(png: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isPng(png)) return out;
  for (let at = 8; at + 12 <= png.length;) {
    const len = readU32(png, at);
    const type = dec.decode(png.subarray(at + 4, at + 8));
    const body = png.subarray(at + 4, at + 8 + len);
    if (type === 'iTXt' && crc32(body) === readU32(png, at + 8 + len)) {
      const data = body.subarray(4);
      const k = data.indexOf(0);
      // skip compression flag and method, then the language tag and translated keyword (NUL-ended)
      let p = k + 3;
      p = data.indexOf(0, p) + 1;
      p = data.indexOf(0, p) + 1;
      out[dec.decode(data.subarray(0, k))] = dec.decode(data.subarray(p));
    }
    if (type === 'IEND') break;
    at += 12 + len;
  }
  return out;
}

export function dataUrlBytes(dataUrl: string): Uint8Array {
  const b64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

export function bytesDataUrl(bytes: Uint8Array, mime = 'image/png'): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return `data:${mime};base64,${btoa(s)}`;
}
