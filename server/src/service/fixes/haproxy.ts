/** Edit builders for HAProxy fixes: add a line to a section, add options to a line. */
import type { HaproxyProxy } from '../model/haproxy';
import type { HaproxySection, HaproxyStatement } from '../syntax/haproxy';
import type { EditSpec } from '../rules/rule';

function eolOf(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? m[0] : '\n';
}

/** Add a line at the end of a section (after its last statement), at the section's indentation. */
export function insertInSection(path: string, text: string, section: HaproxySection, line: string, after?: HaproxyStatement): EditSpec {
  const eol = eolOf(text);
  const stmts = section.statements;
  const indent = stmts.length ? text.slice(stmts[0].line.indent.start, stmts[0].line.indent.end) : '    ';
  const anchor = after?.line ?? (stmts.length ? stmts[stmts.length - 1].line : section.header);
  const at = anchor.end; // end of the line, before its line break
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
