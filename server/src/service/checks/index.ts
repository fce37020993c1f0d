/**
 * The check registry: every code a finding can carry that is not a rule's (syntax, knowledge-base
 * and model problems, wslb's own). A new code is one entry in its system's list; the types below
 * make a validator's code parameter accept registered names only, and test/rules/codes.test.ts
 * collects every code the analyses emit and fails on one that is not here.
 */
import type { CheckDef } from './check';
import { AWS_CHECKS } from './aws';
import { HAPROXY_CHECKS } from './haproxy';
import { NGINX_CHECKS } from './nginx';
import { WSLB_CHECKS } from './wslb';

export type { CheckDef } from './check';

export const ALL_CHECKS: readonly CheckDef[] = [...NGINX_CHECKS, ...HAPROXY_CHECKS, ...AWS_CHECKS, ...WSLB_CHECKS];

type Ids<L extends readonly { id: string }[]> = L[number]['id'];
type After<P extends string, T> = T extends `${P}/${infer S}` ? S : never;
export type CheckId =
  Ids<typeof NGINX_CHECKS> | Ids<typeof HAPROXY_CHECKS> | Ids<typeof AWS_CHECKS> | Ids<typeof WSLB_CHECKS>;
/** `unknown-directive` for `nginx/unknown-directive`: what the nginx validator passes. */
export type NginxCheckName = After<'nginx', Ids<typeof NGINX_CHECKS>>;
export type HaproxyCheckName = After<'haproxy', Ids<typeof HAPROXY_CHECKS>>;

const byId = new Map(ALL_CHECKS.map((c) => [c.id, c]));

export function checkById(id: string): CheckDef | undefined {
  return byId.get(id);
}
