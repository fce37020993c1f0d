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
  /** Offsets at which each line starts; lineStarts[0] === 0. */
  readonly lineStarts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.lineStarts = starts;
  }

  /**
   * An index of `text` from line starts already known (an incremental parser shifts the old ones
   * instead of scanning the whole text again). `lineStarts` must be what the constructor finds.
   */
  static fromLineStarts(text: string, lineStarts: number[]): LineIndex {
    const idx = Object.create(LineIndex.prototype) as { text: string; lineStarts: number[] };
    idx.text = text;
    idx.lineStarts = lineStarts;
    return idx as unknown as LineIndex;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: o - this.lineStarts[lo] };
  }

  offsetAt(pos: Position): number {
    if (pos.line < 0) return 0;
    if (pos.line >= this.lineStarts.length) return this.text.length;
    const start = this.lineStarts[pos.line];
    const next = pos.line + 1 < this.lineStarts.length ? this.lineStarts[pos.line + 1] : this.text.length;
    return Math.max(start, Math.min(start + pos.character, next));
  }

  rangeOf(span: Span): Range {
    return { start: this.positionAt(span.start), end: this.positionAt(span.end) };
  }

  /** The text of the line holding `offset`, without its line break. */
  lineTextAt(offset: number): string {
    const { line } = this.positionAt(offset);
    const start = this.lineStarts[line];
    let end = line + 1 < this.lineStarts.length ? this.lineStarts[line + 1] : this.text.length;
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
