/**
 * Reading the text around an edit without reading the whole text. The language server's document
 * (lsp/document.ts) keeps a large text in pieces and hands out their join, which V8 keeps unjoined
 * until a character of it is read, and then copies whole (1 MB of fresh memory, 1-5 ms, per
 * keystroke on a large file). With each edit it hands the lines the edit touches (EditLines);
 * an engine that re-reads the edited line reads it through these functions, which answer from
 * those lines when they hold the range asked for, and from the text otherwise (the same answer).
 */

/**
 * The whole lines an edit touches: `before` is text[start, start + before.length) of the text the
 * edit applies to, from the start of the line holding the edit to the line feed ending it
 * (included; or the end of the text), and `after` the same lines in the text the edit makes. They
 * hold no carriage return.
 */
export interface EditLines {
  start: number;
  before: string;
  after: string;
}

/** An edit that may carry its lines. */
export interface EditNear {
  offset: number;
  inserted: string;
  lines?: EditLines;
}

/**
 * text[from, to) (from <= to), where `text` is the text the edit applies to (`side` 'before') or
 * the one it makes ('after').
 */
export function sliceNear(
  text: string,
  lines: EditLines | undefined,
  side: 'before' | 'after',
  from: number,
  to: number,
): string {
  if (lines !== undefined && from >= lines.start && from <= to) {
    const piece = lines[side];
    if (to <= lines.start + piece.length) return piece.slice(from - lines.start, to - lines.start);
  }
  return text.slice(from, to);
}

/**
 * The line of `text` (the text the edit made) holding the inserted text, without its line feed:
 * text.slice(ls, le) with ls = text.lastIndexOf('\n', e.offset - 1) + 1 and le the first line feed
 * at or after the inserted text's end (the text's end if none).
 */
export function lineAfterEdit(text: string, e: EditNear): string {
  const lines = e.lines;
  const end = e.offset + e.inserted.length;
  if (lines === undefined || e.offset < lines.start) {
    const ls = text.lastIndexOf('\n', e.offset - 1) + 1;
    const le = text.indexOf('\n', end);
    return text.slice(ls, le < 0 ? text.length : le);
  }
  const { start, after } = lines;
  // `lines` starts a line (lastIndexOf clamps a negative start to 0: at offset 0 it looks at the first character)
  const ls =
    e.offset > start
      ? after.lastIndexOf('\n', e.offset - 1 - start) + 1
      : start === 0
        ? after.lastIndexOf('\n', -1) + 1
        : 0;
  // `lines` ends with a line feed or at the text's end
  const le = after.indexOf('\n', end - start);
  return after.slice(ls, le < 0 ? after.length : le);
}
