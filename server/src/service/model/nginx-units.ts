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
import { walkContexts, walkStatements, type NginxConfig, type NginxContext, type NginxStatement } from './nginx';

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

const unitLists = new WeakMap<NginxConfig, NginxContext[]>();

/** Every unit of the config, in source order (computed once per config). */
export function nginxUnits(config: NginxConfig): readonly NginxContext[] {
  let list = unitLists.get(config);
  if (!list) {
    list = [];
    const visit = (c: NginxContext) => {
      for (const k of c.children) {
        if (isNginxUnit(k)) list!.push(k);
        else visit(k);
      }
    };
    visit(config.root);
    unitLists.set(config, list);
  }
  return list;
}

/**
 * The units of `to`, whose context tree is that of `from` with the unit `old` replaced by `fresh`
 * in place (rebuildNginxBlock, for the incremental analysis): `from`'s list with that one unit
 * swapped, instead of a walk over every context per keystroke. Nothing when `from`'s list was not made.
 */
export function carryNginxUnits(from: NginxConfig, to: NginxConfig, old: NginxContext, fresh: NginxContext): void {
  const list = unitLists.get(from);
  const i = list ? list.indexOf(old) : -1;
  if (i < 0 || !isNginxUnit(fresh)) return;
  const copy = list!.slice();
  copy[i] = fresh;
  unitLists.set(to, copy);
}

const unitStatements = new WeakMap<NginxContext, readonly NginxStatement[]>();
const restStatements = new WeakMap<NginxConfig, readonly NginxStatement[]>();
const restContexts = new WeakMap<NginxConfig, readonly NginxContext[]>();

/** The statements a run over `scope` examines, in source order (the whole config without a scope). */
export function statementsIn(config: NginxConfig, scope?: NginxRuleScope): readonly NginxStatement[] {
  if (!scope) return walkStatements(config.root);
  const unit = scope.unit;
  if (unit) {
    let list = unitStatements.get(unit);
    if (!list) unitStatements.set(unit, (list = [unit.statement!, ...walkStatements(unit)]));
    return list;
  }
  let rest = restStatements.get(config);
  if (!rest) {
    const out: NginxStatement[] = [];
    // walkStatements' order, with the units' subtrees left out
    const visit = (c: NginxContext) => {
      for (const s of c.statements) {
        if (s.block && isNginxUnit(s.block)) continue;
        out.push(s);
        if (s.block) visit(s.block);
      }
      for (const k of c.children) if (!k.statement) visit(k);
    };
    visit(config.root);
    restStatements.set(config, (rest = out));
  }
  return rest;
}

/** The contexts a run over `scope` examines, depth first (the whole config without a scope). */
export function contextsIn(config: NginxConfig, scope?: NginxRuleScope): readonly NginxContext[] {
  if (!scope) return walkContexts(config.root);
  if (scope.unit) return walkContexts(scope.unit);
  let rest = restContexts.get(config);
  if (!rest) {
    const out: NginxContext[] = [];
    const visit = (c: NginxContext) => {
      if (isNginxUnit(c)) return;
      out.push(c);
      for (const k of c.children) visit(k);
    };
    visit(config.root);
    restContexts.set(config, (rest = out));
  }
  return rest;
}

/** The scopes that together cover a config: every unit, then the rest. */
export function nginxScopes(config: NginxConfig): NginxRuleScope[] {
  return [...nginxUnits(config).map((unit) => ({ unit })), { unit: null }];
}
