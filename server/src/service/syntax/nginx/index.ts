/**
 * nginx syntax: a lossless, error-recovering concrete syntax tree.
 *
 *   const file = parseNginx(text, { isDirectiveName });  // never throws, linear time
 *   printNginx(file) === text;                           // always
 *   walkDirectives(file, (d, depth) => { ... });
 *
 * See `types.ts` for the tree's shape and tiling rules, and `parseNginx` for error recovery.
 */
import { parseNginx } from './parser';

export type {
  NginxArg,
  NginxBlock,
  NginxComment,
  NginxDirective,
  NginxFile,
  NginxNode,
  NginxSyntaxDiagnostic,
  NginxToken,
  ParseNginxOptions,
} from './types';
export { parseNginx } from './parser';
export { changedRegion, parseNginxIncremental, nginxReparsedBlock, nginxIncrementalStats } from './incremental';
export { unescapeNginx, quoteNginxWord, isLuaBlockDirective, NGINX_MAX_BLOCK_DEPTH } from './lexical';
export { NGINX_CONF_BUFFER } from './word-scan';
export {
  printNginx,
  forEachLeaf,
  walkDirectives,
  childDirectives,
  enclosingDirectives,
  directiveAt,
  tokenAt,
  locationMatch,
  type LocationMatch,
  type LocationModifier,
} from './tree';

/**
 * Benchmark entry: parse `text` and return a number derived from the tree, so the work
 * cannot be optimised away. Returns the number of top-level nodes (trivia aside) plus diagnostics.
 */
export function benchParseNginx(text: string): number {
  const f = parseNginx(text);
  return f.items.length + f.diagnostics.length;
}
