/**
 * Offsets, positions and ranges.
 *
 * Parsers work in offsets (UTF-16 code units into the JavaScript string, which is what
 * LSP counts in its default encoding). A LineIndex turns offsets into 0-based
 * line/character positions and back.
 */

/** A half-open span of offsets [start, end) into a file's text. */
export interface Span {
  start: number;
  end: number;
}

/** 0-based line and UTF-16 character, as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export class LineIndex {
  /**
   * Line starts: `base[i]`, plus `delta` for every line from `from` on. An edit that adds no line
   * break moves the lines after it; `shifted` records that instead of copying every later start
   * (24,000 numbers per keystroke on a 24k-line file), and copies only when an edit moves the
   * lines after another line than the last one did.
   */
  private base: number[];
  private from = Infinity;
  private delta = 0;

  constructor(readonly text: string) {
    const starts = [0];
    if (text.indexOf('\r') < 0) {
      // No CR (the usual case): the line breaks are the LFs, found by indexOf, much faster than a
      // loop over every character on a large file.
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.base = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.base = starts;
  }

  /**
   * An index of `text` from line starts already known (an incremental parser shifts the old ones
   * instead of scanning the whole text again). `lineStarts` must be what the constructor finds.
   */
  static fromLineStarts(text: string, lineStarts: number[]): LineIndex {
    const idx = Object.create(LineIndex.prototype) as LineIndex;
    Object.assign(idx, { text, base: lineStarts, from: Infinity, delta: 0 });
    return idx;
  }

  /**
   * The index of `text`, which is this index's text with `delta` characters added (or removed, if
   * negative) on line `line` and no line break added or removed. This index stays as it was.
   */
  shifted(text: string, line: number, delta: number): LineIndex {
    const idx = Object.create(LineIndex.prototype) as LineIndex;
    if (delta === 0) Object.assign(idx, { text, base: this.base, from: this.from, delta: this.delta });
    else if (this.from === Infinity || this.from === line + 1)
      Object.assign(idx, { text, base: this.base, from: line + 1, delta: this.delta + delta });
    else {
      const starts = this.lineStarts.slice();
      for (let i = line + 1; i < starts.length; i++) starts[i] += delta;
      Object.assign(idx, { text, base: starts, from: Infinity, delta: 0 });
    }
    return idx;
  }

  /** Offsets at which each line starts; lineStarts[0] === 0. */
  get lineStarts(): number[] {
    if (this.from !== Infinity) {
      const starts = this.base.slice();
      for (let i = this.from; i < starts.length; i++) starts[i] += this.delta;
      this.base = starts;
      this.from = Infinity;
      this.delta = 0;
    }
    return this.base;
  }

  get lineCount(): number {
    return this.base.length;
  }

  /** Where line `line` starts (0 <= line < lineCount). */
  lineStart(line: number): number {
    return line >= this.from ? this.base[line] + this.delta : this.base[line];
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.base.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStart(mid) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStart(lo) };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.base.length) return this.text.length;
    const start = this.lineStart(pos.line);
    const next = pos.line + 1 < this.base.length ? this.lineStart(pos.line + 1) : this.text.length;
    return Math.max(start, Math.min(start + pos.character, next));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  /** The text of the line holding `offset`, without its line break. */
  lineTextAt(offset: number): string {
    const { line } = this.positionAt(offset);
    const start = this.lineStart(line);
    let end = line + 1 < this.base.length ? this.lineStart(line + 1) : this.text.length;
    while (end > start && (this.text[end - 1] === '\n' || this.text[end - 1] === '\r')) end--;
    return this.text.slice(start, end);
  }

  /** Leading whitespace of the line holding `offset`. */
  indentAt(offset: number): string {
    return /^[ \t]*/.exec(this.lineTextAt(offset))![0];
  }

  /** The file's line break: the first one found, else "\n". */
  get eol(): string {
    const m = /\r\n|\n|\r/.exec(this.text);
    return m ? m[0] : '\n';
  }
}

/*
 * The text around an edit without reading the whole text. The language server's document
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

/**
 * One change of a text, in UTF-16 offsets of the text it applies to: `deleted` code units from
 * `offset` replaced by `inserted`. A list of them applies in order, each to the text the previous
 * one made (as LSP's contentChanges do). The edit log, both incremental parsers and both engines
 * read this one shape.
 */
export interface TextEdit {
  offset: number;
  deleted: number;
  inserted: string;
  /** The lines the edit touches, when the document that made it said (EditLines). */
  lines?: EditLines;
  /** The text the edit made, when the document that made it said (a later edit's engine starts there). */
  made?: string;
}

/** Do the lines hold [from, to) (from <= to) of the text before the edit (`side` 'before') or after it? */
export function linesHold(lines: EditLines | undefined, side: 'before' | 'after', from: number, to: number): boolean {
  return lines !== undefined && from >= lines.start && from <= to && to <= lines.start + lines[side].length;
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
  if (!linesHold(lines, side, from, to)) return text.slice(from, to);
  return lines![side].slice(from - lines!.start, to - lines!.start);
}

/**
 * The line of `text` (the text the edit made) holding the inserted text, without its line feed:
 * text.slice(ls, le) with ls = text.lastIndexOf('\n', e.offset - 1) + 1 and le the first line feed
 * at or after the inserted text's end (the text's end if none).
 */
export function lineAfterEdit(text: string, e: TextEdit): string {
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
