/**
 * HAProxy 2.6 configuration syntax: a lossless, ranged, error-tolerant tree.
 * Pure TypeScript: no `vscode` or language-server imports.
 */
export type {
  HaproxyWord,
  HaproxyLine,
  HaproxyStatement,
  HaproxyConditional,
  HaproxyDirective,
  HaproxySection,
  HaproxySectionBody,
  HaproxyRows,
  HaproxyFile,
} from './types';
export { parseHaproxy } from './parser';
export type { HaproxyLexMode, HaproxyParseOptions } from './parser';
export { printHaproxy, statementAt, lineAt, wordAt, sectionAt, findSections, branchTaken, isActive } from './tree';
export { parseCondition, evaluateCondition, compareVersions } from './conditions';
export type { CondNode, ConditionContext, ConditionError, ParsedCondition } from './conditions';
export {
  SECTION_KEYWORDS,
  SECTION_RULES,
  isSectionKeyword,
  MODIFIABLE_KEYWORDS,
  MAX_NESTED_CONDITIONS,
} from './sections';
export type { SectionRule } from './sections';
export { MAX_LINE_ARGS, invalidNameChar, isSpaceCode } from './lexer';
