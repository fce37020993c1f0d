/** Character classes of HAProxy's reader (C `isspace()`, `invalid_char()` in src/tools.c). */

/** C `isspace()` in the C locale: space, \t, \n, \v, \f, \r. */
export function isSpaceCode(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

export function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

export function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function isHex(c: number): boolean {
  return isDigit(c) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** src/tools.c `invalid_char()`: names accept [A-Za-z0-9_:.-] only. */
export function isNameCode(c: number): boolean {
  return isAlpha(c) || isDigit(c) || c === 46 || c === 58 || c === 95 || c === 45;
}

/** Index of the first character `invalid_char()` refuses in `name` (0 for an empty name), or -1. */
export function invalidNameChar(name: string): number {
  return invalidNameCharIn(name, 0, name.length);
}

/**
 * invalidNameChar(text.slice(start, end)), without the slice (an offset from start, or -1); or
 * the same over the bytes of an ASCII text (see asciiBytes()).
 */
export function invalidNameCharIn(text: string | Uint8Array, start: number, end: number): number {
  if (end <= start) return 0;
  if (typeof text !== 'string') {
    for (let k = start; k < end; k++) if (!isNameCode(text[k])) return k - start;
    return -1;
  }
  for (let k = start; k < end; k++) if (!isNameCode(text.charCodeAt(k))) return k - start;
  return -1;
}
