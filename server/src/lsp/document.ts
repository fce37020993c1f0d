import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';

/**
 * The server's open documents: the `TextDocument` interface of vscode-languageserver-textdocument
 * with the same positions and offsets (test/lsp/document.test.ts compares the two on random edit
 * sequences), built for big files. Measured on the 1 MB, 24,000-line HAProxy benchmark file:
 * the library's line table costs 5-8 ms each time the whole text changes (a character loop into a
 * growing array, computed again by `update` for the inserted text); here line starts are found
 * with `indexOf` (0.5-0.8 ms), and only when a position is first asked for, so a change that
 * replaces the whole text (reload, format, external edit) reaches the analysis without it.
 *
 * Ends of line are `\n`, `\r\n` and a lone `\r`, as in LSP. A position past the end of its line is
 * clamped to that line's end (before its line break); a line past the last clamps to the end.
 */
export class ServerDocument implements TextDocument {
  private text: string;
  /** Offset of the first character of each line; undefined until asked for. */
  private starts: number[] | undefined;
  /**
   * Range edits applied since the text was last replaced whole. The first walks to its lines
   * (without a line table); a second means typing has begun, and the line table and the byte copy
   * below are made then, once: walking again on every keystroke (and scanning 1 MB for a carriage
   * return each time) cost 0.7 ms an edit on the 24k-line HAProxy file.
   */
  private edits = 0;
  /**
   * While every character of the text is below 256: the text as bytes (one per character), with
   * room to grow. An edit moves the bytes after it and the new text is read back from them
   * (`toString('latin1')`): 0.3 ms for 1 MB, against 1.5-1.9 ms for the usual `head + inserted + tail`,
   * whose first read makes V8 copy the pieces into a new flat string. Dropped when a character
   * of 256 or more comes in.
   */
  private bytes: Buffer | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    text: string,
  ) {
    this.text = text;
  }

  getText(range?: Range): string {
    if (!range) return this.text;
    return this.text.substring(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.text.length), 0);
    const starts = this.lineStarts();
    const line = this.lineOf(starts, offset);
    return { line, character: this.beforeEol(offset, starts[line]) - starts[line] };
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.text.length;
    if (position.line < 0) return 0;
    const start = starts[position.line];
    if (position.character <= 0) return start;
    const next = position.line + 1 < starts.length ? starts[position.line + 1] : this.text.length;
    return this.beforeEol(Math.min(start + position.character, next), start);
  }

  /** Line `line` without its line break (clamped to the document's lines). */
  getLineRange(line: number): Range {
    const starts = this.lineStarts();
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (line >= starts.length) {
      const last = starts.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.text.length - starts[last] } };
    }
    const next = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return {
      start: { line, character: 0 },
      end: { line, character: this.beforeEol(next, starts[line]) - starts[line] },
    };
  }

  /** The line break ending `line` ('' for the last line or a line outside the document). */
  getEOLCharacters(line: number): string {
    const starts = this.lineStarts();
    if (line < 0 || line >= starts.length) return '';
    const next = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return this.text.substring(this.beforeEol(next, starts[line]), next);
  }

  /**
   * Apply one change (ranges refer to the text as it is before this change), as
   * `TextDocument.update` does. Returns the offsets it replaced, for the server's edit log.
   */
  apply(change: TextDocumentContentChangeEvent): { offset: number; deleted: number } {
    if (!('range' in change) || !change.range) {
      const deleted = this.text.length;
      this.replaceWhole(change.text);
      return { offset: 0, deleted };
    }
    let { start, end } = change.range;
    if (start.line > end.line || (start.line === end.line && start.character > end.character))
      [start, end] = [end, start];
    // The second range edit since the text came: typing has begun (see `edits`).
    if (this.edits++ === 1) {
      this.lineStarts();
      if (!WIDE.test(this.text)) this.bytes = Buffer.from(this.text, 'latin1');
    }
    // Without a line table (the text was replaced whole and nothing asked for a position since),
    // the two offsets are found by walking to their lines, not by building the table for this text.
    const a = this.starts ? this.offsetAt(start) : this.walkOffsetAt(start);
    const b = this.starts ? this.offsetAt(end) : this.walkOffsetAt(end);
    const old = this.text;
    if (a === 0 && b === old.length) {
      // The whole text replaced: no line table until one is asked for.
      this.replaceWhole(change.text);
      return { offset: 0, deleted: b };
    }
    let text: string;
    if (this.bytes && !WIDE.test(change.text)) text = this.spliceBytes(this.bytes, old.length, a, b, change.text);
    else {
      this.bytes = undefined;
      text = old.substring(0, a) + change.text + old.substring(b);
    }
    this.text = text;
    const insertedEnd = a + change.text.length;
    // A CR and an LF brought together (or split) by the edit change the lines around it: count again.
    const crlfJoined =
      (text.charCodeAt(a - 1) === 13 && text.charCodeAt(a) === 10) ||
      (text.charCodeAt(insertedEnd - 1) === 13 && text.charCodeAt(insertedEnd) === 10);
    const crlfSplit =
      (old.charCodeAt(a - 1) === 13 && old.charCodeAt(a) === 10) ||
      (old.charCodeAt(b - 1) === 13 && old.charCodeAt(b) === 10);
    const starts = this.starts;
    if (!starts || crlfJoined || crlfSplit) {
      this.starts = undefined;
      return { offset: a, deleted: b - a };
    }
    const startLine = this.lineOf(starts, a);
    const endLine = this.lineOf(starts, b);
    const added = lineStartsOf(change.text, a, false);
    const diff = change.text.length - (b - a);
    if (endLine - startLine === added.length) {
      for (let i = 0; i < added.length; i++) starts[startLine + 1 + i] = added[i];
    } else if (added.length < 10_000) {
      starts.splice(startLine + 1, endLine - startLine, ...added);
    } else {
      this.starts = starts.slice(0, startLine + 1).concat(added, starts.slice(endLine + 1));
    }
    if (diff !== 0) {
      const s = this.starts!;
      for (let i = startLine + 1 + added.length; i < s.length; i++) s[i] += diff;
    }
    return { offset: a, deleted: b - a };
  }

  private replaceWhole(text: string): void {
    this.text = text;
    this.starts = undefined;
    this.bytes = undefined;
    this.edits = 0;
  }

  /** Replace bytes [a, b) of the `length` bytes in use by `inserted` (all below 256); the new text. */
  private spliceBytes(bytes: Buffer, length: number, a: number, b: number, inserted: string): string {
    const newLength = length - (b - a) + inserted.length;
    if (newLength > bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(newLength, Math.ceil(bytes.length * 1.5)));
      bytes.copy(grown, 0, 0, a);
      bytes.copy(grown, a + inserted.length, b, length);
      this.bytes = bytes = grown;
    } else if (b !== a + inserted.length) {
      bytes.copy(bytes, a + inserted.length, b, length);
    }
    if (inserted.length > 0) bytes.write(inserted, a, 'latin1');
    return bytes.toString('latin1', 0, newLength);
  }

  /** offsetAt() without the line table: the lines up to `position.line` are walked (LF-only texts). */
  private walkOffsetAt(position: Position): number {
    const text = this.text;
    if (position.line < 0) return 0;
    if (text.indexOf('\r') >= 0) return this.offsetAt(position);
    let start = 0;
    for (let line = 0; line < position.line; line++) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) return text.length; // past the last line
      start = nl + 1;
    }
    if (position.character <= 0) return start;
    const nl = text.indexOf('\n', start);
    const next = nl < 0 ? text.length : nl + 1;
    return this.beforeEol(Math.min(start + position.character, next), start);
  }

  private lineStarts(): number[] {
    return (this.starts ??= lineStartsOf(this.text, 0, true));
  }

  /** The line holding `offset` (an offset at a line start belongs to that line). */
  private lineOf(starts: number[], offset: number): number {
    let low = 0;
    let high = starts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (starts[mid] > offset) high = mid;
      else low = mid + 1;
    }
    return low - 1;
  }

  private beforeEol(offset: number, lineStart: number): number {
    while (offset > lineStart) {
      const c = this.text.charCodeAt(offset - 1);
      if (c !== 10 && c !== 13) break;
      offset--;
    }
    return offset;
  }
}

/** A character the byte copy cannot hold (one byte per character). */
const WIDE = /[\u0100-\uffff]/;

/** Line starts in `text` (offsets shifted by `base`); with `first`, the text's own start too. */
export function lineStartsOf(text: string, base: number, first: boolean): number[] {
  const out: number[] = first ? [base] : [];
  if (text.indexOf('\r') < 0) {
    for (let p = text.indexOf('\n'); p >= 0; p = text.indexOf('\n', p + 1)) out.push(base + p + 1);
    return out;
  }
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      out.push(base + i + 1);
    } else if (c === 10) out.push(base + i + 1);
  }
  return out;
}
