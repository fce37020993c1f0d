/**
 * Where a value in effect comes from, as hovers say it: "set here (line 9)", "inherited from
 * `http` at line 12" (nginx), "from `defaults base` at line 4" (HAProxy); the place itself is
 * named by describe/where.ts.
 */
import { describeContext, type EffectiveValue, type NginxStatement } from '../../model/nginx';
import type { HaproxyEffective, HaproxyProxy } from '../../model/haproxy';
import type { HaproxyStatement } from '../../syntax/haproxy/types';
import type { Position } from '../../text';
import { whereLine } from '../../describe/where';

export function lineOfStmt(s: NginxStatement): number {
  return s.source.tree.lineIndex.positionAt(s.directive.start).line + 1;
}

export function whereNginx(s: NginxStatement, herePath: string): string {
  return whereLine(s.source.path, lineOfStmt(s), herePath);
}

/** The value is written in the hovered context (or proxy) itself, at `where`. */
const setHere = (where: string): string => `set here (${where})`;

/** Where statement `s` comes from, seen from the hovered context: set `here`, or inherited from its own context. */
export function nginxStatementOrigin(s: NginxStatement, here: boolean, herePath: string): string {
  const where = whereNginx(s, herePath);
  return here ? setHere(where) : `inherited from \`${describeContext(s.context)}\` at ${where}`;
}

/** "set here (line 9)", "inherited from `http` at line 12", "nginx 1.22.1's default". */
export function nginxOrigin(eff: EffectiveValue, herePath: string): string {
  if (eff.source === 'default') return eff.args ? (eff.defaultNote ?? 'the default') : 'not set, no default';
  return nginxStatementOrigin(eff.statement!, eff.source === 'here', herePath);
}

export function whereHaproxy(
  stmt: HaproxyStatement,
  tree: { lineIndex: { positionAt(o: number): Position } },
  statementPath: string,
  herePath: string,
): string {
  return whereLine(statementPath, tree.lineIndex.positionAt(stmt.line.start).line + 1, herePath);
}

export function proxyLabel(p: HaproxyProxy): string {
  return p.name ? `${p.kind} ${p.name}` : p.kind;
}

export function haproxyOrigin(eff: HaproxyEffective, here: HaproxyProxy, herePath: string): string {
  const where = whereHaproxy(eff.statement, eff.proxy.source.tree, eff.proxy.source.path, herePath);
  if (eff.proxy === here) return setHere(where);
  return `from \`${proxyLabel(eff.proxy)}\` at ${where}`;
}
