/** Reading the words of HAProxy lines and statements without building their word objects. */
import type { HaproxyLine, HaproxyStatement } from '../../syntax/haproxy';

/**
 * A line's word count and a word's value without building the line's word objects, where the
 * tree can (its lines then have `wordCount` and `wordValue(k)`); building every line's words is
 * most of what reading a large file would cost.
 */
interface WordReader {
  wordCount?: number;
  wordValue?(k: number): string;
}
export function lineWordCount(line: HaproxyLine): number {
  const n = (line as WordReader).wordCount;
  return n !== undefined ? n : line.words.length;
}
/** `line.words[k]?.value`. */
export function lineWordValue(line: HaproxyLine, k: number): string | undefined {
  const r = line as WordReader;
  if (r.wordValue !== undefined) return k < r.wordCount! ? r.wordValue(k) : undefined;
  return line.words[k]?.value;
}
/** `stmt.args[k]?.value` (the words after the keyword); through the statement when it can (no line object built). */
export function argValue(stmt: HaproxyStatement, k: number): string | undefined {
  const r = stmt as WordReader;
  if (r.wordValue !== undefined) return k + 1 < r.wordCount! ? r.wordValue(k + 1) : undefined;
  return lineWordValue(stmt.line, k + 1);
}
/** `stmt.args.slice(from).map((a) => a.value).join(' ')`, without building word objects. */
export function argsText(stmt: HaproxyStatement, from = 0): string {
  let out = '';
  for (let k = from, n = argCount(stmt); k < n; k++) out += (k > from ? ' ' : '') + argValue(stmt, k)!;
  return out;
}
/** `stmt.args.length`. */
export function argCount(stmt: HaproxyStatement): number {
  const n = (stmt as WordReader).wordCount;
  return (n !== undefined ? n : lineWordCount(stmt.line)) - 1;
}

export function matchesKeyword(stmt: HaproxyStatement, path: readonly string[]): boolean {
  if (stmt.keyword !== path[0]) return false;
  for (let i = 1; i < path.length; i++) if (argValue(stmt, i - 1) !== path[i]) return false;
  return true;
}
