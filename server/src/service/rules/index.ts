/**
 * The rule registry. Add a rule: write rules/<system>/<name>.ts exporting a rule, list it here,
 * and add its fixtures under test/rules/fixtures/<rule-id>/ (fire.*, pass.*, and fixed.* when it
 * is fixable). The registry test fails otherwise.
 */
import type { AnyRule, AwsRule, HaproxyRule, NginxRule } from './rule';
import { nginxRules } from './nginx';
import { haproxyRules } from './haproxy';
import { awsRules } from './aws';

export const NGINX_RULES: readonly NginxRule[] = nginxRules;
export const HAPROXY_RULES: readonly HaproxyRule[] = haproxyRules;
export const AWS_RULES: readonly AwsRule[] = awsRules;
export const ALL_RULES: readonly AnyRule[] = [...NGINX_RULES, ...HAPROXY_RULES, ...AWS_RULES];

export function ruleById(id: string): AnyRule | undefined {
  return ALL_RULES.find((r) => r.meta.id === id);
}
