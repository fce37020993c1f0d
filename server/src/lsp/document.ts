import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { EditLines } from '../service/text';

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
  /** The whole text, when it is made (see getText); undefined after an edit until asked for. */
  private whole: string | undefined;
  /**
   * Once range edits come: the text in pieces of about CHUNK characters (the first ones slices of
   * the text that came, which copy nothing), and where each starts. An edit makes its piece again;
   * the whole text is then the pieces joined, which V8 keeps as a tree of the pieces (no copy)
   * until a character of it is read. So typing in a large file makes no new whole-text string:
   * each one, fresh memory of the file's size, cost 1-5 ms a keystroke on the 1 MB HAProxy file.
   * Reads of single characters and short ranges go to the pieces.
   */
  private chunks: string[] | undefined;
  private chunkStarts: number[] = [];
  private length: number;
  /** Offset of the first character of each line; undefined until asked for. */
  private starts: number[] | undefined;
  /**
   * Range edits applied since the text was last replaced whole. The first walks to its lines
   * (without a line table); a second means typing has begun, and the line table is made then,
   * once: walking again on every keystroke cost 0.7 ms an edit on the 24k-line HAProxy file.
   */
  private edits = 0;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    public version: number,
    text: string,
  ) {
    this.whole = text;
    this.length = text.length;
  }

  getText(range?: Range): string {
    if (!range) return (this.whole ??= joinPieces(this.chunks!, 0, this.chunks!.length));
    return this.slice(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  positionAt(offset: number): Position {
    offset = Math.max(Math.min(offset, this.length), 0);
    const starts = this.lineStarts();
    const line = this.lineOf(starts, offset);
    return { line, character: this.beforeEol(offset, starts[line]) - starts[line] };
  }

  offsetAt(position: Position): number {
    const starts = this.lineStarts();
    if (position.line >= starts.length) return this.length;
    if (position.line < 0) return 0;
    const start = starts[position.line];
    if (position.character <= 0) return start;
    const next = position.line + 1 < starts.length ? starts[position.line + 1] : this.length;
    return this.beforeEol(Math.min(start + position.character, next), start);
  }

  /** Line `line` without its line break (clamped to the document's lines). */
  getLineRange(line: number): Range {
    const starts = this.lineStarts();
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (line >= starts.length) {
      const last = starts.length - 1;
      return { start: { line: last, character: 0 }, end: { line: last, character: this.length - starts[last] } };
    }
    const next = line + 1 < starts.length ? starts[line + 1] : this.length;
    return {
      start: { line, character: 0 },
      end: { line, character: this.beforeEol(next, starts[line]) - starts[line] },
    };
  }

  /** The line break ending `line` ('' for the last line or a line outside the document). */
  getEOLCharacters(line: number): string {
    const starts = this.lineStarts();
    if (line < 0 || line >= starts.length) return '';
    const next = line + 1 < starts.length ? starts[line + 1] : this.length;
    return this.slice(this.beforeEol(next, starts[line]), next);
  }

  /**
   * Apply one change (ranges refer to the text as it is before this change), as
   * `TextDocument.update` does. Returns the offsets it replaced, for the server's edit log, and
   * the lines the edit touched (see EditLines), when they are short and hold no carriage return.
   */
  apply(change: TextDocumentContentChangeEvent): { offset: number; deleted: number; lines?: EditLines } {
    if (!('range' in change) || !change.range) {
      const deleted = this.length;
      this.replaceWhole(change.text);
      return { offset: 0, deleted };
    }
    let { start, end } = change.range;
    if (start.line > end.line || (start.line === end.line && start.character > end.character))
      [start, end] = [end, start];
    // The second range edit since the text came: typing has begun (see `edits`).
    if (this.edits++ === 1) this.lineStarts();
    // Without a line table (the text was replaced whole and nothing asked for a position since),
    // the two offsets are found by walking to their lines, not by building the table for this text.
    const walk = !this.starts && this.chunks === undefined;
    const a = walk ? this.walkOffsetAt(start) : this.offsetAt(start);
    const b = walk ? this.walkOffsetAt(end) : this.offsetAt(end);
    const oldLength = this.length;
    if (a === 0 && b === oldLength) {
      // The whole text replaced: no line table until one is asked for.
      this.replaceWhole(change.text);
      return { offset: 0, deleted: b };
    }
    const inserted = change.text;
    const lines = this.editLines(a, b, inserted);
    // A CR and an LF brought together (or split) by the edit change the lines around it: count again.
    const crlfSplit =
      (this.charAt(a - 1) === 13 && this.charAt(a) === 10) || (this.charAt(b - 1) === 13 && this.charAt(b) === 10);
    this.splice(a, b, inserted);
    const insertedEnd = a + inserted.length;
    const crlfJoined =
      (this.charAt(a - 1) === 13 && this.charAt(a) === 10) ||
      (this.charAt(insertedEnd - 1) === 13 && this.charAt(insertedEnd) === 10);
    const starts = this.starts;
    if (!starts || crlfJoined || crlfSplit) {
      this.starts = undefined;
      return { offset: a, deleted: b - a, lines };
    }
    const startLine = this.lineOf(starts, a);
    const endLine = this.lineOf(starts, b);
    const added = lineStartsOf(inserted, a, false);
    const diff = inserted.length - (b - a);
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
    return { offset: a, deleted: b - a, lines };
  }

  private replaceWhole(text: string): void {
    this.whole = text;
    this.length = text.length;
    this.chunks = undefined;
    this.chunkStarts = [];
    this.starts = undefined;
    this.edits = 0;
  }

  /** Replace [a, b) by `inserted` in the pieces; the whole text is made again when asked for. */
  private splice(a: number, b: number, inserted: string): void {
    let chunks = this.chunks;
    const cs = this.chunkStarts;
    if (chunks === undefined) {
      const text = this.whole!;
      chunks = this.chunks = [];
      for (let at = 0; at < text.length; at += CHUNK) {
        cs.push(at);
        chunks.push(text.slice(at, at + CHUNK));
      }
    }
    const i = Math.max(0, this.chunkOf(a));
    const j = Math.max(0, this.chunkOf(b));
    const head = i < chunks.length ? chunks[i].slice(0, a - cs[i]) : '';
    const tail = j < chunks.length ? chunks[j].slice(b - cs[j]) : '';
    const piece = head + inserted + tail;
    // the new piece, cut again when it grew long (a paste); none when it is empty
    const base = i < cs.length ? cs[i] : 0;
    const made: string[] = [];
    const madeStarts: number[] = [];
    if (piece.length > 0 && piece.length <= 2 * CHUNK) {
      made.push(piece);
      madeStarts.push(base);
    } else
      for (let at = 0; at < piece.length; at += CHUNK) {
        made.push(piece.slice(at, at + CHUNK));
        madeStarts.push(base + at);
      }
    const diff = inserted.length - (b - a);
    chunks.splice(i, Math.min(j, chunks.length - 1) - i + 1, ...made);
    cs.splice(i, Math.min(j, cs.length - 1) - i + 1, ...madeStarts);
    for (let k = i + made.length; k < cs.length; k++) cs[k] += diff;
    this.length += diff;
    this.whole = undefined;
  }

  /** The piece holding `offset` (the last one for the end of the text; -1 without pieces). */
  private chunkOf(offset: number): number {
    const cs = this.chunkStarts;
    let low = 0;
    let high = cs.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (cs[mid] > offset) high = mid;
      else low = mid + 1;
    }
    return low - 1;
  }

  /** The UTF-16 code unit at `offset` (NaN outside the text), read from a piece when there are pieces. */
  private charAt(offset: number): number {
    if (this.chunks === undefined) return this.whole!.charCodeAt(offset);
    if (offset < 0 || offset >= this.length) return NaN;
    const k = this.chunkOf(offset);
    return this.chunks[k].charCodeAt(offset - this.chunkStarts[k]);
  }

  /** text[from, to), read from the pieces when there are pieces. */
  private slice(from: number, to: number): string {
    if (this.chunks === undefined) return this.whole!.substring(from, to);
    if (from > to) [from, to] = [to, from];
    from = Math.max(0, from);
    to = Math.min(to, this.length);
    if (to <= from) return '';
    const chunks = this.chunks;
    const cs = this.chunkStarts;
    let k = this.chunkOf(from);
    let out = '';
    for (; k < chunks.length && cs[k] < to; k++) out += chunks[k].slice(Math.max(0, from - cs[k]), to - cs[k]);
    return out;
  }

  /**
   * The lines [a, b) lies in, and those lines after `inserted` replaces it: from the start of the
   * line holding `a` to the line feed ending the line holding `b` (included; the text's end if none).
   */
  private editLines(a: number, b: number, inserted: string): EditLines | undefined {
    let start = a;
    while (start > 0 && a - start < MAX_EDIT_LINE) {
      const c = this.charAt(start - 1);
      if (c === 10) break;
      if (c === 13) return undefined;
      start--;
    }
    let end = b;
    while (end < this.length && end - b < MAX_EDIT_LINE) {
      const c = this.charAt(end++);
      if (c === 10) break;
      if (c === 13) return undefined;
    }
    const reachedStart = start === 0 || this.charAt(start - 1) === 10;
    const reachedEnd = end === this.length || this.charAt(end - 1) === 10;
    if (!reachedStart || !reachedEnd || end - start > MAX_EDIT_LINE * 4 || inserted.includes('\r')) return undefined;
    const before = this.slice(start, end);
    for (let i = a - start; i < b - start; i++) if (before.charCodeAt(i) === 13) return undefined;
    return { start, before, after: before.slice(0, a - start) + inserted + before.slice(b - start) };
  }

  /** offsetAt() without the line table: the lines up to `position.line` are walked (LF-only texts). */
  private walkOffsetAt(position: Position): number {
    const text = this.whole!;
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
    return (this.starts ??= this.countLines());
  }

  /** The line table, counted piece by piece when no piece holds a carriage return (not joining them). */
  private countLines(): number[] {
    const chunks = this.chunks;
    if (chunks === undefined || chunks.some((c) => c.indexOf('\r') >= 0)) return lineStartsOf(this.getText(), 0, true);
    const out = [0];
    for (let k = 0; k < chunks.length; k++)
      for (const s of lineStartsOf(chunks[k], this.chunkStarts[k], false)) out.push(s);
    return out;
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
      const c = this.charAt(offset - 1);
      if (c !== 10 && c !== 13) break;
      offset--;
    }
    return offset;
  }
}

/** The size of the document's pieces (see ServerDocument.chunks). */
const CHUNK = 16_384;

/** Lines longer than this are not handed with an edit (EditLines). */
const MAX_EDIT_LINE = 4096;

/** pieces[from, to) joined as a balanced tree (V8 keeps a sum of long strings unflattened). */
function joinPieces(pieces: readonly string[], from: number, to: number): string {
  if (to - from <= 0) return '';
  if (to - from === 1) return pieces[from];
  const mid = (from + to) >>> 1;
  return joinPieces(pieces, from, mid) + joinPieces(pieces, mid, to);
}

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
