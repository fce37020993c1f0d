/**
 * Shared strings for repeated words (internSlice) and keywords read from bytes (keywordSlot),
 * and an ASCII text's bytes (asciiBytes).
 */
import { SECTION_RULES } from './sections';

/**
 * Short plain words (keywords, common arguments) repeat all over a configuration: sharing one
 * string per distinct word keeps the tree small and the garbage collector idle. Bounded.
 */
const INTERN_MAX_LENGTH = 48;
/**
 * A direct-mapped cache (one string per slot, the last one wins): no growth. The slot comes from
 * the length and four characters (hashing every character cost more than it saved); a hit is
 * confirmed by comparing the whole word with startsWith(), which the engine does natively.
 */
const INTERN_SLOTS = 1 << 13;
const internTable: (string | undefined)[] = new Array<string | undefined>(INTERN_SLOTS).fill(undefined);

/** text.slice(start, end), shared with earlier equal slices when short. */
export function internSlice(text: string, start: number, end: number): string {
  const len = end - start;
  if (len > INTERN_MAX_LENGTH || len === 0) return text.slice(start, end);
  const h =
    len * 0x3c6ef372 +
    text.charCodeAt(start) * 0x1b873593 +
    text.charCodeAt(start + (len >> 1)) * 0xcc9e2d51 +
    text.charCodeAt(end - 1) * 0x85ebca6b +
    text.charCodeAt(start + (len > 1 ? 1 : 0));
  const slot = (Math.imul(h | 0, 0x9e3779b1) >>> 19) & (INTERN_SLOTS - 1);
  const hit = internTable[slot];
  if (hit !== undefined && hit.length === len && text.startsWith(hit, start)) return hit;
  // A slice of 13 characters or more may point into the whole text and keep it alive: keep a copy.
  const s = len >= 13 ? (' ' + text.slice(start, end)).slice(1) : text.slice(start, end);
  internTable[slot] = s;
  return s;
}

/**
 * Whether a statement with this keyword is a plain one: not a section header, a directive or a
 * keyword modifier.
 */
function isPlainKeyword(keyword: string): boolean {
  return (
    keyword !== '' &&
    keyword.charCodeAt(0) !== 46 &&
    keyword !== 'no' &&
    keyword !== 'default' &&
    !SECTION_RULES.has(keyword)
  );
}

/**
 * Keywords read from bytes (LineTable.keywordSlot()). The first word of a statement is one of a
 * few dozen keywords, over and over: a direct-mapped table (slot from the length and three
 * bytes) keeps each keyword's string and bytes, and a word equal byte for byte to a slot's bytes
 * is that slot's string. Bounded and process-wide; it only maps byte strings to equal strings, so
 * whatever it holds, a parse reads the same keywords.
 */
const KW_SLOTS = 1 << 10;
const KW_MAX = 32;
/** The keyword string of each slot (undefined while the slot is empty). */
export const keywordStrings: (string | undefined)[] = new Array<string | undefined>(KW_SLOTS).fill(undefined);
/** 1 where the slot's keyword starts a plain statement (isPlainKeyword()), else 0. */
export const keywordPlain = new Uint8Array(KW_SLOTS);
const keywordBytes = new Uint8Array(KW_SLOTS * KW_MAX);
/** keywordBytes read four bytes at a time, in the platform order (DataView.getInt32() reads the text in the same order). */
const keywordWords = new Int32Array(keywordBytes.buffer);
const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const keywordLengths = new Uint8Array(KW_SLOTS);

/**
 * The slot holding the word bytes[start, end) (text[start, end) as a string), or -1 when it is too
 * long; `view` is a DataView of `bytes`.
 */
export function keywordSlot(bytes: Uint8Array, view: DataView, text: string, start: number, end: number): number {
  const len = end - start;
  if (len > KW_MAX) return -1;
  const h =
    len * 0x3c6ef372 + bytes[start] * 0x1b873593 + bytes[start + (len >> 1)] * 0xcc9e2d51 + bytes[end - 1] * 0x85ebca6b;
  const slot = (Math.imul(h | 0, 0x9e3779b1) >>> 22) & (KW_SLOTS - 1);
  const at = slot * KW_MAX;
  if (keywordLengths[slot] === len) {
    // four bytes at a time, then the rest one by one
    let j = 0;
    while (j + 4 <= len && view.getInt32(start + j, littleEndian) === keywordWords[(at + j) >> 2]) j += 4;
    if (j + 4 > len) while (j < len && keywordBytes[at + j] === bytes[start + j]) j++;
    if (j === len) return slot;
  }
  const keyword = internSlice(text, start, end);
  keywordStrings[slot] = keyword;
  keywordPlain[slot] = isPlainKeyword(keyword) ? 1 : 0;
  keywordBytes.set(bytes.subarray(start, end), at);
  keywordLengths[slot] = len;
  return slot;
}

/**
 * The bytes of an ASCII-only text, for LineTable.lexAllBytes(): one byte per UTF-16 code unit, so
 * byte offsets are the text's offsets, followed by a '\n' sentinel at bytes[text.length] (the
 * scanner needs no bound check). Null when the text holds any other character (the lexer then
 * reads the text itself). A new buffer per call, owned by the caller's parse.
 */
export function asciiBytes(text: string): Uint8Array | null {
  const len = text.length;
  const bytes = new Uint8Array(len + 1);
  // encodeInto() reads as many characters as fit; all of them in as many bytes means all ASCII.
  const res = textEncoder.encodeInto(text, bytes.subarray(0, len));
  if (res.read !== len || res.written !== len) return null;
  bytes[len] = 10;
  return bytes;
}

const textEncoder = new TextEncoder();
