/**
 * The edits made to open documents since the text the host last analysed or parsed: what lets
 * the engines (nginx.ts, haproxy.ts) and the tree cache re-read only what changed.
 */
import type { TextEdit } from '../text';

/** One change of a document (text.ts, TextEdit), as the edit log keeps it. */
export type TextEditRecord = TextEdit;

/** The edits made to a document since `base` (its text when the log started). */
export interface EditLog {
  base: string;
  edits: TextEditRecord[];
  /** The text the edits produced, when the document that applied them said so (see noteEdits). */
  after?: string;
}

/**
 * Past this many pending edits a log is dropped (the next analysis parses from scratch): checking
 * and applying a long list costs about as much as a fresh parse.
 */
const MAX_PENDING_EDITS = 64;

/** Apply edits in order (see TextEditRecord). */
export function applyEditRecords(text: string, edits: readonly TextEditRecord[]): string {
  let t = text;
  for (const e of edits) t = t.slice(0, e.offset) + e.inserted + t.slice(e.offset + e.deleted);
  return t;
}

/** Per open document, the edits since the text its cached tree was parsed from (see take). */
export class EditLogs {
  private readonly logs = new Map<string, EditLog>();

  /** `isOpen`: is the path an open document (whose log starts again at each take)? */
  constructor(private readonly isOpen: (path: string) => boolean) {}

  /**
   * Record edits of an open document (the server calls this from didChange, before the text
   * changes): `before` is the text the first edit applies to. Language-neutral; a parse cache
   * reads them with take. `after`, when given, is the text the document made by applying
   * exactly these edits (ServerDocument.apply reports each edit it made; test/lsp/document.test.ts
   * checks that the reported edits give its text): takeEdits then hands them for that text without
   * comparing the two texts again (a 1 MB compare per keystroke).
   */
  note(path: string, before: string, edits: readonly TextEditRecord[], after?: string): void {
    let log = this.logs.get(path);
    if (!log) this.logs.set(path, (log = { base: before, edits: [] }));
    for (const e of edits) log.edits.push(e);
    log.after = after;
    if (log.edits.length > MAX_PENDING_EDITS) this.logs.delete(path);
  }

  /** Forget the edit log of a document (closed, or its text replaced behind our back). */
  forget(path: string): void {
    this.logs.delete(path);
  }

  /**
   * The edits that turn `from` (the text a cache holds for `path`) into `to`, or undefined when
   * they are not known (no log, the log starts elsewhere, or it does not give `to`). The log
   * restarts at `to`, so the caller should now cache its result for `to`.
   */
  take(path: string, from: string, to: string): TextEditRecord[] | undefined {
    const log = this.logs.get(path);
    if (log) this.logs.set(path, { base: to, edits: [] });
    else if (this.isOpen(path)) this.logs.set(path, { base: to, edits: [] });
    if (!log || log.base !== from) return undefined;
    // The whole text replaced (a reload, a full-sync client): nothing to re-read in place.
    if (log.edits.length === 1 && log.edits[0].offset === 0 && log.edits[0].deleted === from.length) return undefined;
    // Guard against a missed change: the edits must give exactly the new text.
    let len = from.length;
    for (const e of log.edits) len += e.inserted.length - e.deleted;
    if (len !== to.length) return undefined;
    // The document applied these very edits and `to` is the text it made (the same string: no compare).
    if (log.after !== undefined && to === log.after) return log.edits;
    if (log.edits.length === 1) {
      // One edit (typing): compare the unchanged head and tail in place, without building the text.
      const e = log.edits[0];
      const tail = e.offset + e.inserted.length;
      if (
        !to.startsWith(e.inserted, e.offset) ||
        from.slice(0, e.offset) !== to.slice(0, e.offset) ||
        from.slice(e.offset + e.deleted) !== to.slice(tail)
      )
        return undefined;
      return log.edits;
    }
    if (applyEditRecords(from, log.edits) !== to) return undefined;
    return log.edits;
  }

  /** Drop the logs of paths `keep` says no one needs. */
  prune(keep: (path: string) => boolean): void {
    for (const p of [...this.logs.keys()]) if (!keep(p)) this.logs.delete(p);
  }
}
