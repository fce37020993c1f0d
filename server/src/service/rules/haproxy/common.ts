/**
 * Shared helpers of the HAProxy rules: where to report, how to phrase an effective value and its
 * origin, which proxies a fix may touch, and the edit plans several rules share (so that "fix
 * all" never writes the same directive twice).
 */
import { clipWord } from '../../words';
import { whereLine } from '../../describe/where';
import {
  type HaproxyConfig,
  type HaproxyEffective,
  type HaproxyProxy,
  type HaproxyServer,
  haproxyEffective,
  haproxyTimeout,
  proxiesRoutingTo,
  proxyDisabled,
  sectionLines,
} from '../../model/haproxy';
import type { WebSocketReason } from '../../model/websocket';
import { activeWebSocketBackends, allUsersWebSocket } from '../../model/websocket-haproxy';
import { describeDuration } from '../../model/units';
import { insertBeforeStatement, insertInProxy, appendToStatement, replaceWord } from '../../fixes/haproxy';
import type { HaproxySection, HaproxyStatement } from '../../syntax/haproxy';
import type { Span } from '../../text';
import type { EditSpec } from '../rule';

/** The span of a proxy's header: `backend chat` (keyword and name, not a `from` clause). */
export function proxyHeaderSpan(proxy: HaproxyProxy): Span {
  const words = proxy.section.header.words;
  return { start: words[0].start, end: words[Math.min(1, words.length - 1)].end };
}

/** `backend chat`, `listen ws`, `defaults base`, or `defaults` (anonymous). */
export function proxyLabel(proxy: HaproxyProxy): string {
  return proxy.name ? `${proxy.kind} ${clipWord(proxy.name)}` : proxy.kind;
}

/** HAProxy's proxy_type_str(): a listen section is a "proxy". */
export function haproxyTypeWord(proxy: HaproxyProxy): string {
  return proxy.kind === 'listen' ? 'proxy' : proxy.kind;
}

export function lineOf(proxy: HaproxyProxy, stmt: HaproxyStatement): number {
  return proxy.source.tree.lineIndex.positionAt(stmt.line.start).line + 1;
}

/** "line 7" or "common.cfg:7" when the statement lives in another file than `here`. */
export function whereIs(eff: { proxy: HaproxyProxy; statement: HaproxyStatement }, here: HaproxyProxy): string {
  return whereLine(eff.proxy.source.path, lineOf(eff.proxy, eff.statement), here.source.path, (n) => clipWord(n));
}

/** "set here (line 12)" / "inherited from defaults base (line 4)". */
export function describeSource(eff: HaproxyEffective, here: HaproxyProxy): string {
  if (eff.proxy === here) return `line ${lineOf(here, eff.statement)}`;
  return `inherited from ${proxyLabel(eff.proxy)} at ${whereIs(eff, here)}`;
}

// (kept here for the rules that import it from this module)
export { activeWebSocketBackends };

/** Why a backend counts as WebSocket, in a few words for messages. */
export function whyWebSocket(reasons: WebSocketReason[]): string {
  return reasons[0]?.text ?? 'carries WebSocket';
}

/** A timeout that counts: set and not 0 (HAProxy reads 0 as "unset", docs/live-findings.md). */
export function timeoutMs(proxy: HaproxyProxy, which: string): { ms: number | null; eff: HaproxyEffective | null } {
  const t = haproxyTimeout(proxy, which);
  return { ms: t.ms !== null && t.ms > 0 ? t.ms : null, eff: t.eff };
}

/**
 * The client-side inactivity timeout that applies to a backend's connections. `timeout client`
 * belongs to the frontend: HAProxy arms the client side with the *frontend's* value
 * (src/stream.c, stream_new(): `s->req.rto = sess->fe->timeout.client`), so for a backend this is
 * the shortest value among the frontends that route to it; for a listen, its own.
 */
export function clientTimeoutFor(
  config: HaproxyConfig,
  backend: HaproxyProxy,
): { ms: number | null; from: HaproxyProxy | null; eff: HaproxyEffective | null } {
  const fronts =
    backend.kind === 'listen' ? [backend] : proxiesRoutingTo(config, backend).filter((p) => !proxyDisabled(p));
  let best: { ms: number | null; from: HaproxyProxy | null; eff: HaproxyEffective | null } = {
    ms: null,
    from: null,
    eff: null,
  };
  for (const f of fronts) {
    const t = timeoutMs(f, 'client');
    if (t.ms !== null && (best.ms === null || t.ms < best.ms)) best = { ms: t.ms, from: f, eff: t.eff };
  }
  if (fronts.length === 0) {
    // nobody routes here in the files analysed (a fragment): the backend's defaults are the best guess
    const t = timeoutMs(backend, 'client');
    best = { ms: t.ms, from: null, eff: t.eff };
  }
  return best;
}

/** "timeout client 30 s (frontend fe) / timeout server 30 s" — the limits that cut an idle tunnel without `timeout tunnel`. */
export function describeIdleLimits(
  config: HaproxyConfig,
  backend: HaproxyProxy,
): { text: string; ms: number | null; sources: { eff: HaproxyEffective; text: string }[] } {
  const client = clientTimeoutFor(config, backend);
  const server = timeoutMs(backend, 'server');
  const parts: string[] = [];
  if (client.ms !== null)
    parts.push(
      `timeout client ${describeDuration(client.ms)}${client.from && client.from !== backend ? ` (${proxyLabel(client.from)})` : ''}`,
    );
  if (server.ms !== null) parts.push(`timeout server ${describeDuration(server.ms)}`);
  const values = [client.ms, server.ms].filter((v): v is number => v !== null);
  const sources: { eff: HaproxyEffective; text: string }[] = [];
  if (client.ms !== null && client.eff) sources.push({ eff: client.eff, text: `cuts idle WebSockets: ${parts[0]}` });
  if (server.ms !== null && server.eff)
    sources.push({ eff: server.eff, text: `cuts idle WebSockets: ${parts[parts.length - 1]}` });
  return { text: parts.join(' / '), ms: values.length ? Math.min(...values) : null, sources };
}

/**
 * Where a backend-level setting for WebSocket backends should go: the `defaults` section the
 * backend uses when every backend/listen using that section is a WebSocket one (there is then one
 * place to change, and no other backend changes behaviour), otherwise the backend itself. A
 * defaults-level `timeout tunnel` would also apply to tcp-mode and CONNECT tunnels of the other
 * backends, so it is only written there when they are all WebSocket backends.
 */
export function settingTarget(
  config: HaproxyConfig,
  backend: HaproxyProxy,
  wsBackends: ReadonlySet<HaproxyProxy>,
): HaproxyProxy {
  const d = backend.defaults;
  if (!d) return backend;
  return allUsersWebSocket(config, d, wsBackends) ? d : backend;
}

/** The value word of a statement found by keyword path (e.g. `timeout tunnel 0` → index 2). */
export function valueWordIndex(path: string[]): number {
  return path.length;
}

/**
 * The edit that sets `timeout tunnel <value>` for `backend` (shared by ws-missing-timeout-tunnel
 * and ws-timeout-below-heartbeat, so both rules produce the same edit and "fix all" writes it
 * once). An existing `timeout tunnel` line in the target section is rewritten; otherwise a line is
 * added at the end of the target section.
 */
export function tunnelEdit(
  config: HaproxyConfig,
  backend: HaproxyProxy,
  wsBackends: ReadonlySet<HaproxyProxy>,
  value: string,
): { edit: EditSpec; target: HaproxyProxy } {
  let target = settingTarget(config, backend, wsBackends);
  // a value written in the backend itself wins over anything in defaults: change it there
  const own = haproxyEffective(backend, ['timeout', 'tunnel']);
  if (own && own.proxy === backend) target = backend;
  const stmts = target.section.statements;
  for (let i = stmts.length - 1; i >= 0; i--) {
    const s = stmts[i];
    if (s.keyword === 'timeout' && s.args[0]?.value === 'tunnel' && s.args.length >= 2) {
      return { edit: replaceWord(target.source.path, s, 2, value), target };
    }
  }
  // Among the other timeouts when the section has some (after the last of them, when it comes
  // before the servers), else before the servers, where proxy settings are read.
  const line = `timeout tunnel ${value}`;
  const timeouts = stmts.filter((s) => s.keyword === 'timeout');
  const firstServer = stmts.find(
    (s) => s.keyword === 'server' || s.keyword === 'default-server' || s.keyword === 'server-template',
  );
  const lastTimeout = timeouts[timeouts.length - 1];
  if (lastTimeout && (!firstServer || lastTimeout.line.start < firstServer.line.start))
    return { edit: insertInProxy(target, line, lastTimeout), target };
  return { edit: insertSetting(target, line), target };
}

/** Servers that HAProxy will use: not `disabled`. */
export function liveServers(proxy: HaproxyProxy): HaproxyServer[] {
  return proxy.servers.filter((s) => !s.disabled);
}

/**
 * Edits that give `servers` (all of one backend) the server option `key value`:
 * - a server whose own line sets the option gets its value rewritten there;
 * - a `default-server` line of the backend setting it gets its value rewritten;
 * - otherwise the option goes onto a `default-server` line of the backend placed before the
 *   first server (appended to the last such line, or a new line), since a `default-server` line
 *   only affects the `server` lines after it (HAProxy 2.6 manual, "default-server").
 * The edits are deduplicated.
 */
export function serverOptionEdits(
  proxy: HaproxyProxy,
  servers: HaproxyServer[],
  key: string,
  value: string | null,
): EditSpec[] {
  const path = proxy.source.path;
  const text = proxy.source.text;
  const edits = new Map<string, EditSpec>();
  const add = (e: EditSpec) => edits.set(`${e.span.start}:${e.span.end}:${e.newText}`, e);
  const words = value === null ? key : `${key} ${value}`;
  const stmts = proxy.section.statements;
  const firstServer = stmts.find((s) => s.keyword === 'server');
  const firstIdx = firstServer ? stmts.indexOf(firstServer) : stmts.length;
  const ownDefaults = stmts.slice(0, firstIdx).filter((s) => s.keyword === 'default-server');
  let needDefaultServer = false;
  for (const srv of servers) {
    const opt = srv.options.get(key);
    const onOwnLine = opt && opt.statement === srv.statement;
    const onSectionDefault =
      opt && opt.statement.keyword === 'default-server' && opt.statement.section === proxy.section;
    if ((onOwnLine || onSectionDefault) && opt) {
      if (value === null) continue; // a flag already present cannot be "wrong"
      const idx = opt.statement.line.words.findIndex((w, i) => i > 0 && w.value === key);
      if (idx > 0 && idx + 1 < opt.statement.line.words.length) add(replaceWord(path, opt.statement, idx + 1, value));
      continue;
    }
    needDefaultServer = true;
  }
  if (needDefaultServer) {
    const last = ownDefaults[ownDefaults.length - 1];
    if (last) add(appendToStatement(path, last, words));
    else if (firstServer) add(insertBeforeStatement(path, text, firstServer, `default-server ${words}`));
  }
  return [...edits.values()];
}

export { heartbeatTier, threeHeartbeats } from '../../describe/heartbeat';

/** The span of a whole statement line's words (keyword to last word). */
export function statementSpan(stmt: HaproxyStatement): Span {
  const w = stmt.line.words;
  return { start: w[0].start, end: w[w.length - 1].end };
}

/**
 * Add a proxy-level setting (balance, hash-type, option ...): before the first `server` or
 * `default-server` line, where such settings are usually read, else at the end of the section.
 */
export function insertSetting(proxy: HaproxyProxy, line: string): EditSpec {
  const first = proxy.section.statements.find(
    (s) => s.keyword === 'server' || s.keyword === 'default-server' || s.keyword === 'server-template',
  );
  return first ? insertBeforeStatement(proxy.source.path, proxy.source.text, first, line) : insertInProxy(proxy, line);
}

/** A related note quoting the warning `haproxy -c` prints, at the place it is about. */
export function haproxyWarns(path: string, span: Span, warning: string): { path: string; span: Span; message: string } {
  return { path, span, message: `haproxy -c warns "${warning}"` };
}

/**
 * The statements of a section whose keyword is one of `keywords`, in order, read through the
 * section's body when it has one so that the other lines are never built (most lines of a large
 * config are `server` lines no rule of this kind reads).
 */
export function statementsWith(section: HaproxySection, keywords: ReadonlySet<string>): HaproxyStatement[] {
  const body = section.body;
  if (!body) return section.statements.filter((s) => keywords.has(s.keyword));
  const out: HaproxyStatement[] = [];
  for (let i = 0, n = body.size; i < n; i++) if (keywords.has(body.keywordAt(i))) out.push(body.statement(i));
  return out;
}

/**
 * Whether `check` calls `seen` (given where it reports). A rule whose findings about a proxy
 * depend on that proxy alone tests proxies with it through proxiesWhere(), which keeps the list
 * of those that have some across edits of the others: an edit then re-checks the edited proxy,
 * not every one. (A check that returns whether it reported is asked with ignoreReport() instead.)
 */
export function reportsAny(check: (seen: () => void) => void): boolean {
  let found = false;
  check(() => {
    found = true;
  });
  return found;
}

/**
 * A report that keeps nothing. A check run on every proxy (the test given to proxiesWhere())
 * that says whether it reported is asked with it: no closure is made per proxy, as reportsAny()
 * makes.
 */
export function ignoreReport(): void {
  // nothing: the caller only asks whether the check reported
}

/** Whether the section has a statement whose keyword is one of `keywords` (none is built). */
export function hasLineWith(section: HaproxySection, keywords: ReadonlySet<string>): boolean {
  const lines = sectionLines(section);
  for (let i = 0, n = lines.size; i < n; i++) if (keywords.has(lines.keywordAt(i))) return true;
  return false;
}
