/**
 * Units of an nginx config: the parts rules can examine one at a time.
 *
 * Each `server` block written directly in `http` is a unit; everything else (main, events, http's
 * own directives, upstreams, maps, stream...) is "the rest". A rule whose meta.scope is 'server'
 * examines units independently: running it once per unit and once over the rest gives the same
 * findings as one run over the whole config (test/service/nginx-units.test.ts checks this on every
 * fixture and corpus file). That is what lets an edit inside one server block re-run the rules
 * over that block only (nginx-incremental.ts).
 */
import { fact, updateAcross } from '../host/memo';
import {
  nginxFootprintKept,
  walkContexts,
  walkStatements,
  type NginxConfig,
  type NginxContext,
  type NginxStatement,
} from './nginx-tree';

/** What one rule run examines: one unit, or (unit null) everything outside the units. */
export interface NginxRuleScope {
  unit: NginxContext | null;
}

export function isNginxUnit(ctx: NginxContext): boolean {
  return ctx.kind === 'server' && ctx.statement !== null && ctx.parent !== null && ctx.parent.kind === 'http';
}

/** The unit a context belongs to, or null for the rest. */
export function unitOfContext(ctx: NginxContext): NginxContext | null {
  for (let c: NginxContext | null = ctx; c; c = c.parent) if (isNginxUnit(c)) return c;
  return null;
}

/** The unit a statement belongs to (a unit's own `server` statement belongs to it). */
export function unitOfStatement(s: NginxStatement): NginxContext | null {
  if (s.block && isNginxUnit(s.block)) return s.block;
  return unitOfContext(s.context);
}

/**
 * Every unit of the config, in source order (computed once per config). Across an incremental
 * update (nginxFootprintKept, whose context tree is the old one with the unit `old` replaced by
 * `fresh` in place) the old list with that one unit swapped, instead of a walk over every context
 * per keystroke.
 */
export const nginxUnits = fact(
  'nginx.units',
  (config: NginxConfig): readonly NginxContext[] => {
    const list: NginxContext[] = [];
    const visit = (c: NginxContext) => {
      for (const k of c.children) {
        if (isNginxUnit(k)) list.push(k);
        else visit(k);
      }
    };
    visit(config.root);
    return list;
  },
  updateAcross(nginxFootprintKept, (list, { old, fresh }) => {
    const i = list.indexOf(old);
    if (i < 0 || !isNginxUnit(fresh)) return undefined;
    const copy = list.slice();
    copy[i] = fresh;
    return copy;
  }),
);

/** A unit's statements: its `server` statement, then everything in its block. */
const unitStatements = fact('nginx.unitStatements', (unit: NginxContext): readonly NginxStatement[] => [
  unit.statement!,
  ...walkStatements(unit),
]);

/** The statements outside every unit, in walkStatements' order. */
const restStatements = fact('nginx.restStatements', (config: NginxConfig): readonly NginxStatement[] => {
  const out: NginxStatement[] = [];
  const visit = (c: NginxContext) => {
    for (const s of c.statements) {
      if (s.block && isNginxUnit(s.block)) continue;
      out.push(s);
      if (s.block) visit(s.block);
    }
    for (const k of c.children) if (!k.statement) visit(k);
  };
  visit(config.root);
  return out;
});

/** The contexts outside every unit, depth first. */
const restContexts = fact('nginx.restContexts', (config: NginxConfig): readonly NginxContext[] => {
  const out: NginxContext[] = [];
  const visit = (c: NginxContext) => {
    if (isNginxUnit(c)) return;
    out.push(c);
    for (const k of c.children) visit(k);
  };
  visit(config.root);
  return out;
});

/** The statements a run over `scope` examines, in source order (the whole config without a scope). */
export function statementsIn(config: NginxConfig, scope?: NginxRuleScope): readonly NginxStatement[] {
  if (!scope) return walkStatements(config.root);
  return scope.unit ? unitStatements(scope.unit) : restStatements(config);
}

/** The contexts a run over `scope` examines, depth first (the whole config without a scope). */
export function contextsIn(config: NginxConfig, scope?: NginxRuleScope): readonly NginxContext[] {
  if (!scope) return walkContexts(config.root);
  return scope.unit ? walkContexts(scope.unit) : restContexts(config);
}

/** The scopes that together cover a config: every unit, then the rest. */
export function nginxScopes(config: NginxConfig): NginxRuleScope[] {
  return [...nginxUnits(config).map((unit) => ({ unit })), { unit: null }];
}
