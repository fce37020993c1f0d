/**
 * Plain data shared by every layer of the language service. No LSP or VS Code types here:
 * the server maps these to LSP, the CLI prints them. Shapes follow LSP so the mapping is trivial.
 */
import type { Range, Span } from './text';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** An edit to one file. `range` is in the file's own positions. */
export interface FileEdit {
  file: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: FileEdit[];
  /** The fix a user most likely wants (VS Code's "preferred" quick fix). */
  isPreferred?: boolean;
  /**
   * 'safe': guesses nothing, takes part in fix-all; 'suggestion': picks a value or behaviour the
   * user must check, applied one by one (rules/fix-classes.ts).
   */
  kind: 'safe' | 'suggestion';
}

export interface RelatedInfo {
  file: string;
  range: Range;
  message: string;
}

/** One finding: a syntax problem, a knowledge-base problem or a rule's report. */
export interface Finding {
  file: string;
  range: Range;
  severity: Severity;
  /** Rule id, e.g. "nginx/ws-http-version", or a syntax/knowledge code such as "nginx/syntax". */
  code: string;
  message: string;
  fixes: Fix[];
  related?: RelatedInfo[];
  /**
   * The lines the message names in its words ("line 12", "proxy.conf:12"), 0-based, by file. Not
   * shown to anyone: an engine that keeps a finding while lines move (host/nginx.ts) reads
   * it to know the words would now be different.
   */
  cites?: CitedLine[];
  /** Codes this finding stands for (RuleMeta.covers): silenced when all of them are. */
  covers?: string[];
}

/** A line of a config file that a finding's message names (0-based). */
export interface CitedLine {
  file: string;
  line: number;
}

/** A problem found by a parser, in offsets of the file it parsed. */
export interface SyntaxDiagnostic extends Span {
  /** Stable code, e.g. "missing-semicolon", "unclosed-block", "unterminated-string". */
  code: string;
  message: string;
  severity: Severity;
}

/** A problem found while building a model (includes, proxies, resources), in offsets of the file at `path`. */
export interface ModelDiagnostic extends Span {
  path: string;
  code: string;
  message: string;
  severity: Severity;
}

/** 'aws': ALB/NLB resources in Terraform or CloudFormation (see detectConfigLanguage). */
export type ConfigLanguage = 'nginx' | 'haproxy' | 'aws';
