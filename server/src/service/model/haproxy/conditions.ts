/** The conditions (`if`/`unless`) of route lines: which ACLs they name and which they require. */
import type { HaproxyStatement } from '../../syntax/haproxy';
import { argCount, argValue } from './words';

/** The ACL names of a route's `if`/`unless` condition (see BackendReference). */
export interface RouteCondition {
  conditionAcls: string[];
  requiredAcls: string[];
}

/** The ACL names of a route without a condition (shared: never changed). */
const NO_NAMES: string[] = [];

/**
 * The words of the condition after `if`/`unless` that can name an ACL (a leading `!` removed;
 * `or`, `||` and the braces of anonymous ACLs left out), and those among them that must match for
 * the route to be taken (without a leading `!` for `if`, with one for `unless`).
 */
export function routeCondition(s: HaproxyStatement): RouteCondition {
  const n = argCount(s);
  let k = conditionStart(s, n);
  let acls: string[] = NO_NAMES;
  let required: string[] = NO_NAMES;
  if (k > 0) {
    const unless = argValue(s, k - 1) === 'unless';
    for (; k < n; k++) {
      const v = argValue(s, k)!;
      const name = conditionAcl(v);
      if (name === null) continue;
      // (a list of one is made as such: most conditions name one ACL)
      if (acls === NO_NAMES) acls = [name];
      else acls.push(name);
      if ((v.charCodeAt(0) === 33) /* ! */ === unless) {
        if (required === NO_NAMES) required = [name];
        else required.push(name);
      }
    }
  }
  return { conditionAcls: acls, requiredAcls: required };
}

/** The index of the first argument after the first `if`/`unless` of a route line with `n` arguments (-1 when none). */
export function conditionStart(s: HaproxyStatement, n: number): number {
  for (let k = 0; k < n; k++) {
    const v = argValue(s, k)!;
    if (v === 'if' || v === 'unless') return k + 1;
  }
  return -1;
}

/**
 * The ACL a word of a condition names (a leading `!` removed), or null when it names none (`or`,
 * `||`, braces, fetches of anonymous ACLs: a word that is not made of letters, digits and `_.:-`).
 */
export function conditionAcl(v: string): string | null {
  const from = v.charCodeAt(0) === 33 /* ! */ ? 1 : 0;
  const n = v.length;
  if (n === from) return null;
  for (let i = from; i < n; i++) {
    const c = v.charCodeAt(i);
    // A-Z a-z 0-9 _ . : -
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45))
      return null;
  }
  if (from === 0) return v === 'or' ? null : v;
  const name = v.slice(1);
  return name === 'or' ? null : name;
}

/** Whether a word of a condition that names an ACL requires it (see conditionAcl()): `x` after `if`, `!x` after `unless`. */
export function conditionRequires(v: string, unless: boolean): boolean {
  return (v.charCodeAt(0) === 33) /* ! */ === unless;
}
