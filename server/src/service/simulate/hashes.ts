/**
 * Hash functions used by nginx and HAProxy to pick a backend, reimplemented on 32-bit unsigned
 * arithmetic so results match the C code bit for bit.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * Running CRC-32 (IEEE, reflected polynomial 0xEDB88320). nginx: `ngx_crc32_init` sets
 * 0xffffffff, `ngx_crc32_update` folds bytes, `ngx_crc32_final` xors 0xffffffff
 * (src/core/ngx_crc32.h). HAProxy's `hash_crc32` (src/hash.c) is the same function.
 */
export function crc32Update(crc: number, bytes: ArrayLike<number>): number {
  let c = crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return c >>> 0;
}

export function crc32(bytes: ArrayLike<number>): number {
  return (crc32Update(0xffffffff, bytes) ^ 0xffffffff) >>> 0;
}

/** HAProxy `hash_sdbm` (src/hash.c): hash = c + (hash << 6) + (hash << 16) - hash. */
export function sdbm(bytes: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < bytes.length; i++) h = (bytes[i] + (h << 6) + (h << 16) - h) >>> 0;
  return h >>> 0;
}

/** HAProxy `hash_djb2` (src/hash.c): hash = hash * 33 + c, starting at 5381. */
export function djb2(bytes: ArrayLike<number>): number {
  let h = 5381;
  for (let i = 0; i < bytes.length; i++) h = ((h << 5) + h + bytes[i]) >>> 0;
  return h >>> 0;
}

/** HAProxy `hash_wt6` (src/hash.c). */
export function wt6(bytes: ArrayLike<number>): number {
  let h0 = 0xa53c965a;
  let h1 = 0x5ca6953a;
  let step0 = 6;
  let step1 = 18;
  for (let i = 0; i < bytes.length; i++) {
    let t = bytes[i];
    h0 = ~(h0 ^ t) >>> 0;
    h1 = ~((h1 + t) >>> 0) >>> 0;
    t = rotl32(h1, step0);
    h1 = rotl32(h0, step1);
    h0 = t;
    t = ((h0 >>> 16) ^ h1) & 0xffff;
    step0 = t & 0x1f;
    step1 = t >>> 11;
  }
  return (h0 ^ h1) >>> 0;
}

/** (x << s) | (x >> (32 - s)) as C computes it on an unsigned int (s in 0..31; shift by 32 is x). */
function rotl32(x: number, s: number): number {
  // In C, x >> 32 is undefined; on x86 the shift count is masked, so x >> 32 == x and the
  // result is x | x == x. JavaScript masks the same way (x >>> 32 === x).
  return ((x << s) | (x >>> (32 - s))) >>> 0;
}

/**
 * HAProxy `full_hash` / `__full_hash` (include/haproxy/intops.h): Bob Jenkins' avalanche on
 * 32 bits, then multiplied by 3221225473.
 */
export function fullHash(a: number): number {
  a = a >>> 0;
  a = (a + 0x7ed55d16 + (a << 12)) >>> 0;
  a = (a ^ 0xc761c23c ^ (a >>> 19)) >>> 0;
  a = (a + 0x165667b1 + (a << 5)) >>> 0;
  a = ((a + 0xd3a2646c) ^ (a << 9)) >>> 0;
  a = (a + 0xfd7046c5 + (a << 3)) >>> 0;
  a = (a ^ 0xb55a4f09 ^ (a >>> 16)) >>> 0;
  return Math.imul(a, 3221225473) >>> 0;
}

/** UTF-8 bytes of a string (no TextEncoder needed, so it runs anywhere). */
export function utf8(text: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return out;
}

/** Parses an IPv4 or IPv6 address to its network-order bytes (4 or 16), or null. */
export function parseIp(text: string): number[] | null {
  let s = text.trim();
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const v4 = parseIpv4(s);
  if (v4) return v4;
  return parseIpv6(s);
}

function parseIpv4(s: string): number[] | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out.push(n);
  }
  return out;
}

function parseIpv6(s: string): number[] | null {
  const pct = s.indexOf('%');
  if (pct >= 0) s = s.slice(0, pct);
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length < 2) return null;
  const dbl = s.indexOf('::');
  if (dbl !== s.lastIndexOf('::')) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === '') return [];
    const groups = part.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i];
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIpv4(g);
        if (!v4) return null;
        out.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  let words: number[];
  if (dbl >= 0) {
    const head = parseGroups(s.slice(0, dbl));
    const tail = parseGroups(s.slice(dbl + 2));
    if (!head || !tail || head.length + tail.length > 7) return null;
    words = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(s);
    if (!all || all.length !== 8) return null;
    words = all;
  }
  const bytes: number[] = [];
  for (const w of words) bytes.push((w >> 8) & 0xff, w & 0xff);
  return bytes;
}
