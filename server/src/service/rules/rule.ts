/**
 * What a rule is. One module per rule under rules/nginx/ or rules/haproxy/ (in the spirit of
 * ESLint rules): metadata and docs, the check over the model, the fix; its long explanation is the
 * Markdown file of the same name beside it (long-docs.ts). The registry (index.ts)
 * lists them; the CLI, the server, hovers and `wslb explain` all read it.
 */
import type { SourceSection } from '../docs/sections';
import type { AwsConfig } from '../model/aws';
import type { HaproxyConfig } from '../model/haproxy';
import type { NginxConfig } from '../model/nginx';
import type { NginxRuleScope } from '../model/nginx-units';
import type { ServiceOptions } from '../options';
import type { Span } from '../text';
import type { Severity } from '../types';

export interface RuleDocs {
  /** One line: what is wrong. */
  short: string;
  /** The section of the source material it relates to. */
  section: SourceSection;
  /**
   * The values the long explanation names as `{{name}}` (facts that live in code, such as an AWS
   * default). The explanation itself is the Markdown file beside the rule: see long-docs.ts.
   */
  values?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Where the facts come from (official documentation pages or source files). */
  references: string[];
  /** What the live tests showed, or why the harm cannot be shown on one machine. */
  proof?: string;
}

export interface RuleMeta {
  id: string;
  system: 'nginx' | 'haproxy' | 'aws';
  severity: Severity;
  /** Human-readable version range the rule applies to, e.g. "nginx < 1.29.7", "all". */
  versions: string;
  /** Does the rule apply to the target versions in these options? Default: yes. */
  appliesTo?: (options: ServiceOptions) => boolean;
  /** Does the rule offer a quick fix? (A test checks that fixable rules do produce fixes.) */
  fixable: boolean;
  docs: RuleDocs;
  /**
   * nginx: what one finding of the rule can depend on. 'server': the rule examines each top-level
   * `server` block of `http` (and the rest of the config) on its own, so it can run over one of
   * them (RuleContext.scope) — an edit inside a server block re-runs it there only
   * (host/nginx.ts). 'config' (default): its findings read the whole config; it never
   * reports a position inside a top-level server block (test/service/nginx-units.test.ts).
   */
  scope?: 'server' | 'config';
  /**
   * Codes whose findings this rule's findings stand for (nginx/ws-not-upgraded: the three parts of
   * the WebSocket idiom). A suppression comment naming all of them silences this rule's finding.
   */
  covers?: string[];
}

export interface EditSpec {
  path: string;
  span: Span;
  newText: string;
}

/** See fix-classes.ts: 'safe' fixes take part in fix-all, 'suggestion's are applied one by one. */
export type FixKind = 'safe' | 'suggestion';

export interface FixSpec {
  title: string;
  edits: EditSpec[];
  isPreferred?: boolean;
  /** Overrides the rule's class in fix-classes.ts for this fix. */
  kind?: FixKind;
}

export interface RuleReport {
  path: string;
  span: Span;
  message: string;
  /**
   * The finding's fixes, built only when they are asked for (issue 23): at once in the CLI, when a
   * code action asks for them in the language server (host/fixes.ts). Whatever decides whether
   * and how the finding is reported is computed before; only the edits are built here.
   */
  fixes?: () => FixSpec[];
  /** Overrides the rule's default severity for this report (e.g. error vs warning tiers). */
  severity?: Severity;
  related?: { path: string; span: Span; message: string }[];
  /** The places the message names by their line ("line 12", "proxy.conf:12"): see Finding.cites. */
  cites?: { path: string; offset: number }[];
}

export interface RuleContext<C> {
  config: C;
  options: ServiceOptions;
  /** A plain function (no `this`): rules destructure it from the context. */
  report: (r: RuleReport) => void;
  /**
   * nginx rules with meta.scope 'server': examine only this part of the config (see
   * model/nginx-units.ts); absent, the whole config.
   */
  scope?: NginxRuleScope;
}

export interface NginxRule {
  meta: RuleMeta & { system: 'nginx' };
  check(ctx: RuleContext<NginxConfig>): void;
}

export interface HaproxyRule {
  meta: RuleMeta & { system: 'haproxy' };
  check(ctx: RuleContext<HaproxyConfig>): void;
}

export interface AwsRule {
  meta: RuleMeta & { system: 'aws' };
  check(ctx: RuleContext<AwsConfig>): void;
}

export type AnyRule = NginxRule | HaproxyRule | AwsRule;
