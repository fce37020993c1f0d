/** Edit builders for HAProxy fixes: add a line to a section, add options to a line. */
import type { HaproxyProxy } from '../model/haproxy';
import type { HaproxySection, HaproxyStatement } from '../syntax/haproxy';
import type { EditSpec } from '../rules/rule';

function eolOf(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? m[0] : '\n';
}

/** Add a line at the end of a section (after its last statement), at the section's indentation. */
export function insertInSection(
  path: string,
  text: string,
  section: HaproxySection,
  line: string,
  after?: HaproxyStatement,
): EditSpec {
  const eol = eolOf(text);
  const stmts = section.statements;
  const indent = stmts.length ? text.slice(stmts[0].line.indent.start, stmts[0].line.indent.end) : '    ';
  const anchor = after?.line ?? (stmts.length ? stmts[stmts.length - 1].line : section.header);
  // After the anchor's line break, so that an edit appending words to the anchor line (another
  // rule's fix in the same "fix all" round) cannot land behind the new line's text.
  if (anchor.eol.end > anchor.eol.start)
    return { path, span: { start: anchor.eol.end, end: anchor.eol.end }, newText: indent + line + eol };
  const at = anchor.end; // the last line of the file, without a line break
  return { path, span: { start: at, end: at }, newText: eol + indent + line };
}

export function insertInProxy(proxy: HaproxyProxy, line: string, after?: HaproxyStatement): EditSpec {
  return insertInSection(proxy.source.path, proxy.source.text, proxy.section, line, after);
}

/** Append words to a statement's line, before any trailing comment. */
export function appendToStatement(path: string, stmt: HaproxyStatement, words: string): EditSpec {
  const last = stmt.line.words[stmt.line.words.length - 1];
  return { path, span: { start: last.end, end: last.end }, newText: ' ' + words };
}

/** Replace the value words of a statement after `skip` words (keyword words included in the count). */
export function replaceWords(path: string, stmt: HaproxyStatement, fromWord: number, newText: string): EditSpec {
  const words = stmt.line.words;
  const start = words[Math.min(fromWord, words.length - 1)];
  const end = words[words.length - 1];
  return { path, span: { start: start.start, end: end.end }, newText };
}

/**
 * Add a line just before a statement of a section, at that statement's indentation. The edit
 * rewrites the statement's leading white space and keyword too (unchanged), so that two fixes
 * inserting different lines before the same statement overlap: "fix all" then applies one of them
 * and the next round sees its result (for example one `default-server` line, extended by the
 * second fix, rather than two).
 */
export function insertBeforeStatement(path: string, text: string, stmt: HaproxyStatement, line: string): EditSpec {
  const eol = eolOf(text);
  const indent = text.slice(stmt.line.indent.start, stmt.line.indent.end);
  const end = stmt.line.words[0]?.end ?? stmt.line.indent.end;
  return {
    path,
    span: { start: stmt.line.start, end },
    newText: indent + line + eol + text.slice(stmt.line.start, end),
  };
}

/** Replace one word of a statement (keyword = word 0). */
export function replaceWord(path: string, stmt: HaproxyStatement, wordIndex: number, newText: string): EditSpec {
  const w = stmt.line.words[Math.min(wordIndex, stmt.line.words.length - 1)];
  return { path, span: { start: w.start, end: w.end }, newText };
}

/**
 * Add a new section (header and indented lines) before the first section of a file, followed by
 * an empty line; at the end of the file when it has no section.
 */
export function insertSectionBefore(
  path: string,
  text: string,
  first: HaproxySection | undefined,
  header: string,
  lines: string[],
  indent = '    ',
): EditSpec {
  const eol = eolOf(text);
  const block = [header, ...lines.map((l) => indent + l)].join(eol) + eol;
  if (first) return { path, span: { start: first.header.start, end: first.header.start }, newText: block + eol };
  const at = text.length;
  const sep = text.length === 0 || /[\r\n]$/.test(text) ? '' : eol;
  return { path, span: { start: at, end: at }, newText: sep + block };
}

/** Add several lines at the end of a proxy section, in order (one edit). */
export function insertLinesInProxy(proxy: HaproxyProxy, lines: string[], after?: HaproxyStatement): EditSpec {
  const eol = eolOf(proxy.source.text);
  const first = insertInSection(proxy.source.path, proxy.source.text, proxy.section, lines.join('\u0000'), after);
  const indent = /^(\r\n|\n|\r)?([ \t]*)/.exec(first.newText)?.[2] ?? '';
  return { ...first, newText: first.newText.split('\u0000').join(eol + indent) };
}

/** Remove a statement's whole line, line break included. */
export function removeStatementLine(path: string, stmt: HaproxyStatement): EditSpec {
  return { path, span: { start: stmt.line.start, end: stmt.line.eol.end }, newText: '' };
}
