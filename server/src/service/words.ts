/**
 * Words taken from config text, as messages quote them.
 *
 * A message never carries more than a short prefix of a word, with control characters escaped: a
 * config (or a file it includes) must not be able to copy its text into the CLI's log or a SARIF
 * upload, nor drive the terminal that shows the output.
 */

/** The longest part of one word a message quotes, in characters. */
export const MAX_QUOTED_CHARS = 40;

/**
 * C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text (bidi
 * embeddings, overrides and isolates, zero-width marks, line and paragraph separators).
 */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;
/** UNSAFE without the g flag (test() on a g regex moves its lastIndex). */
const HAS_UNSAFE = new RegExp(UNSAFE.source);

/** `text` with each unsafe character written as an escape (\n, \t, \x1b, \u202e). */
export function escapeControls(text: string): string {
  if (!HAS_UNSAFE.test(text)) return text;
  return text.replace(UNSAFE, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\r') return '\\r';
    if (c === '\t') return '\\t';
    const n = c.charCodeAt(0);
    return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
  });
}

/**
 * A word from config text as a message may quote it: at most `max` characters (whole code
 * points) followed by "…" when longer, with control characters escaped.
 */
export function clipWord(word: string, max = MAX_QUOTED_CHARS): string {
  if (word.length <= max) return escapeControls(word); // no more code points than code units
  let out = '';
  let n = 0;
  for (const ch of word) {
    if (n === max) return escapeControls(out) + '…';
    out += ch;
    n++;
  }
  return escapeControls(out);
}

/**
 * Several words of config text (a condition, a line's arguments) as a message quotes them: each
 * clipped, at most `maxWords` of them, blanks between them kept as one space.
 */
export function clipWords(text: string, maxWords = 8): string {
  const words = text.split(/[ \t]+/).filter(Boolean);
  const shown = words.slice(0, maxWords).map((w) => clipWord(w));
  return shown.join(' ') + (words.length > maxWords ? ' …' : '');
}
