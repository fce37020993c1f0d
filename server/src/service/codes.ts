/**
 * Every code a finding can carry, rule or check, in one shape: what `wslb rules`, `wslb explain`,
 * hovers, SARIF rule metadata, `--rule id=...` and docs/rules.md read.
 */
import { ALL_CHECKS, checkById } from './checks';
import { ALL_RULES, ruleById } from './rules';
import { checkLongDocs, longDocs } from './rules/long-docs';
import type { Severity } from './types';

export interface KnownCode {
  id: string;
  kind: 'rule' | 'check';
  severity: Severity;
  short: string;
  /** Read when asked for (a Markdown file: rules/long-docs.ts). */
  readonly long: string;
  references: readonly string[];
}

export function knownCode(id: string): KnownCode | undefined {
  const r = ruleById(id);
  if (r)
    return {
      id,
      kind: 'rule',
      severity: r.meta.severity,
      short: r.meta.docs.short,
      get long() {
        return longDocs(r.meta);
      },
      references: r.meta.docs.references,
    };
  const c = checkById(id);
  if (c)
    return {
      id,
      kind: 'check',
      severity: c.severity,
      short: c.short,
      get long() {
        return checkLongDocs(id);
      },
      references: c.references ?? [],
    };
  return undefined;
}

export function allCodes(): KnownCode[] {
  return [...ALL_RULES.map((r) => r.meta.id), ...ALL_CHECKS.map((c) => c.id)].map((id) => knownCode(id)!);
}
