/**
 * What a proxying location sends upstream as `Upgrade` and `Connection`, and one plan to repair
 * both. Several rules (missing Upgrade, missing/cleared Connection) look at the same two headers;
 * they all build their fix with `planWsHeaders`, so on one location they produce the same edit
 * and "fix all" writes one clean block instead of stacking copies.
 *
 * Inheritance (https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header): a level
 * inherits the outer proxy_set_header lines only when it defines none itself. So a fix that adds a
 * header to a location that so far inherited its list must copy the inherited lines too, or they
 * would silently stop being sent.
 */
import {
  effectiveList,
  type EffectiveList,
  type NginxConfig,
  type NginxContext,
  type NginxStatement,
} from '../../model/nginx';
import { definedVariables } from '../../model/nginx';
import { fact } from '../../host/memo';
import { canInsertIn, ensureConnectionUpgradeMap, insertInContext, replaceArg } from '../../fixes/nginx';
import type { EditSpec } from '../rule';
import { anchorInBlock, proxyAnchor, statementText } from './common';

export type ConnectionKind = 'missing' | 'cleared' | 'upgrade-literal' | 'variable' | 'other';

export interface HeaderState {
  list: EffectiveList;
  upgrade?: NginxStatement;
  /** Upgrade is forwarded: a variable (normally $http_upgrade) or a literal "websocket". */
  upgradeOk: boolean;
  connection?: NginxStatement;
  connection_kind: ConnectionKind;
  /**
   * The other Connection lines of the list, sent as well: nginx passes every proxy_set_header line
   * of a level, one header per line, even when the name repeats (ngx_http_proxy_init_headers()
   * copies the list into the request template as is; only an empty value is left out). Live on
   * 1.22.1: `Connection $connection_upgrade;` then `Connection “”;` reached the backend as two
   * Connection headers.
   */
  extraConnections: readonly NginxStatement[];
}

function lastHeader(list: EffectiveList, name: string): NginxStatement | undefined {
  for (let i = list.statements.length - 1; i >= 0; i--)
    if (list.statements[i].args[0]?.toLowerCase() === name) return list.statements[i];
  return undefined;
}

export function connectionKind(value: string | undefined): ConnectionKind {
  if (value === undefined) return 'missing';
  const v = value.trim().toLowerCase();
  if (v === '' || v === 'close') return 'cleared';
  if (v.includes('$')) return 'variable';
  if (/\bupgrade\b/.test(v)) return 'upgrade-literal';
  return 'other';
}

export function upgradeForwarded(value: string | undefined): boolean {
  if (value === undefined) return false;
  return value.includes('$') || /websocket/i.test(value);
}

export function headerStateOf(list: EffectiveList): HeaderState {
  const upgrade = lastHeader(list, 'upgrade');
  // Every Connection line is sent (see extraConnections): the upgrade is asked for when one of them
  // asks for it, whatever the others say. An empty value is not sent at all.
  const all = list.statements.filter((s) => s.args[0]?.toLowerCase() === 'connection');
  const asks = (s: NginxStatement) => {
    const k = connectionKind(s.args[1]);
    return k === 'upgrade-literal' || k === 'variable';
  };
  let connection = all[all.length - 1];
  for (let i = all.length - 1; i >= 0; i--)
    if (asks(all[i])) {
      connection = all[i];
      break;
    }
  const extraConnections = all.filter((s) => s !== connection && s.args[1] !== '');
  return {
    list,
    upgrade,
    upgradeOk: upgradeForwarded(upgrade?.args[1]),
    connection,
    connection_kind: connectionKind(connection?.args[1]),
    extraConnections,
  };
}

/**
 * The Upgrade and Connection of a context, once per context (several rules ask it of each
 * WebSocket location). A context's statements and those of the contexts above it never change:
 * an edit builds new contexts for what it touches (rebuildNginxBlock).
 */
export const headerState = fact('nginx.headerState', (ctx: NginxContext): HeaderState =>
  headerStateOf(effectiveList(ctx, 'proxy_set_header')),
);

/** The list the location would inherit if it defined no proxy_set_header of its own. */
export function outerHeaderState(ctx: NginxContext): HeaderState | null {
  return ctx.parent ? headerState(ctx.parent) : null;
}

/**
 * The location defines its own proxy_set_header lines while an outer level sets Upgrade or an
 * upgrading Connection that it therefore loses. Returns the outer state when so.
 */
export function lostOuterHeaders(ctx: NginxContext): { outer: HeaderState; lost: NginxStatement[] } | null {
  const here = headerState(ctx);
  if (here.list.source !== 'here') return null;
  const outer = outerHeaderState(ctx);
  if (!outer || outer.list.source === 'default') return null;
  const outerUpgrade = outer.upgradeOk && !here.upgrade;
  const outerConn =
    (outer.connection_kind === 'upgrade-literal' || outer.connection_kind === 'variable') && !here.connection;
  if (!outerUpgrade && !outerConn) return null;
  const own = new Set(here.list.statements.map((s) => s.args[0]?.toLowerCase()));
  const lost = outer.list.statements.filter((s) => !own.has(s.args[0]?.toLowerCase()));
  return { outer, lost };
}

/** The name of a variable already mapped from $http_upgrade, or the canonical one. */
export function connectionVariable(config: NginxConfig): string {
  for (const [name, stmt] of definedVariables(config)) {
    if (stmt.name === 'map' && stmt.args[0] === '$http_upgrade' && stmt.context.family === 'http') return name;
  }
  return 'connection_upgrade';
}

/** Set argument `i` of a statement, appending it when the statement is short of arguments (`proxy_set_header Upgrade;`). */
function setArg(stmt: NginxStatement, i: number, value: string): EditSpec {
  if (stmt.directive.args[i]) return replaceArg(stmt, i, value);
  const last = stmt.directive.args[stmt.directive.args.length - 1];
  const at = last ? last.end : stmt.directive.nameSpan.end;
  return { path: stmt.source.path, span: { start: at, end: at }, newText: ` ${value}` };
}

export interface HeaderPlan {
  needUpgrade: boolean;
  needConnection: boolean;
  /** Lines copied from an outer level because the fix makes the location define its own list. */
  copied: number;
  /** The edits, built when the fix is asked for (RuleReport.fixes). */
  edits: () => EditSpec[];
}

/**
 * Repair Upgrade and Connection of a WebSocket location in one edit set. Headers that an outer
 * level provides but the location loses (ws-headers-not-inherited) are left to that rule.
 * `extraLines` are written first in the same insertion (nginx/ws-not-upgraded's proxy_http_version).
 * What the plan says (what is needed, what is copied, whether an edit can be made) is decided now;
 * the edits are built when `edits` is called.
 */
export function planWsHeaders(config: NginxConfig, ctx: NginxContext, extraLines: string[] = []): HeaderPlan | null {
  const st = headerState(ctx);
  const mode = st.list.source;
  const outer = mode === 'here' ? outerHeaderState(ctx) : null;
  const outerHas = (h: string) => !!outer && outer.list.statements.some((s) => s.args[0]?.toLowerCase() === h);
  const needUpgrade = !st.upgradeOk && !(mode === 'here' && !st.upgrade && outerHas('upgrade'));
  const connBad =
    st.connection_kind === 'missing' || st.connection_kind === 'cleared' || st.connection_kind === 'other';
  const needConnection = connBad && !(mode === 'here' && !st.connection && outerHas('connection'));
  if (!needUpgrade && !needConnection) return null;
  // Whether the location's lines are inserted (always, when copying an inherited list)
  const inserts =
    mode !== 'here' || extraLines.length > 0 || (needUpgrade && !st.upgrade) || (needConnection && !st.connection);
  if (inserts && !canInsertIn(config, ctx)) return null;
  const copied =
    mode === 'here'
      ? 0
      : st.list.statements.filter((s) => {
          const h = s.args[0]?.toLowerCase();
          return !((h === 'upgrade' && needUpgrade) || (h === 'connection' && needConnection));
        }).length;
  const edits = (): EditSpec[] => {
    const vars = definedVariables(config);
    const connVar = connectionVariable(config);
    const upgradeLine = 'proxy_set_header Upgrade $http_upgrade;';
    const connLine = `proxy_set_header Connection $${connVar};`;
    const out: EditSpec[] = [];
    if (mode === 'here') {
      const add: string[] = [...extraLines];
      if (needUpgrade) {
        if (st.upgrade) out.push(setArg(st.upgrade, 1, '$http_upgrade'));
        else add.push(upgradeLine);
      }
      if (needConnection) {
        if (st.connection) out.push(setArg(st.connection, 1, `$${connVar}`));
        else add.push(connLine);
      }
      if (add.length) {
        const last = st.list.statements[st.list.statements.length - 1];
        const at = anchorInBlock(ctx, last) ?? 'end';
        const e = insertInContext(config, ctx, add, at);
        if (e) out.push(e);
      }
    } else {
      const lines: string[] = [...extraLines];
      let sawUpgrade = false;
      let sawConn = false;
      for (const s of st.list.statements) {
        const h = s.args[0]?.toLowerCase();
        if (h === 'upgrade' && needUpgrade) {
          if (!sawUpgrade) lines.push(upgradeLine);
          sawUpgrade = true;
        } else if (h === 'connection' && needConnection) {
          if (!sawConn) lines.push(connLine);
          sawConn = true;
        } else lines.push(statementText(s));
      }
      if (needUpgrade && !sawUpgrade) lines.push(upgradeLine);
      if (needConnection && !sawConn) lines.push(connLine);
      const e = insertInContext(config, ctx, lines, proxyAnchor(ctx));
      if (e) out.push(e);
    }
    if (needConnection && connVar === 'connection_upgrade') {
      const m = ensureConnectionUpgradeMap(config, ctx, vars);
      if (m) out.push(m);
    }
    return out;
  };
  return { needUpgrade, needConnection, copied, edits };
}

export function planTitle(plan: HeaderPlan): string {
  const what = [plan.needUpgrade ? 'Upgrade' : '', plan.needConnection ? 'Connection' : '']
    .filter(Boolean)
    .join(' and ');
  return `Forward ${what} for the WebSocket upgrade${plan.copied ? ` (copies the ${plan.copied} inherited proxy_set_header line${plan.copied > 1 ? 's' : ''})` : ''}`;
}
