import { clipWord } from '../../words';
/**
 * HTTP settings in a proxy that runs in `mode tcp`: HAProxy ignores them and warns. Each finding
 * quotes the warning `haproxy -c` prints for it, at the line that causes it.
 *
 * Facts (HAProxy 2.6, checked on 2.6.12 with `haproxy -c`; the code is the same in the 2.8.0
 * source): src/proxy.c proxy_cfg_ensure_no_http() ("cookie will be ignored", "monitor-uri will be
 * ignored", "Layer 7 hash not possible ... Falling back to round robin", "'option httplog' not
 * usable"); src/cfgparse.c check_config_validity() ("'http-request' rules ignored", "'redirect'
 * rules ignored", "'stats' statement ignored", "'option X' ignored ... as it requires HTTP mode"
 * for the options of cfg_opts/cfg_opts2 marked PR_MODE_HTTP, "ignoring cookie for server");
 * src/http_ext.c ("'option forwardfor' ignored"). None of this applies to a proxy that switches to
 * HTTP with `tcp-request content switch-mode http` (PR_O_HTTP_UPG: the rules and options are then
 * kept, while cookie, balance, monitor-uri and httplog still warn), nor to a disabled one.
 */
import {
  type HaproxyEffective,
  type HaproxyProxy,
  argValue,
  haproxyEffective,
  proxiesWhere,
  proxyDisabled,
  proxyMode,
  sectionLines,
} from '../../model/haproxy';
import type { HaproxyStatement } from '../../syntax/haproxy';
import type { HaproxyRule, RuleReport } from '../rule';
import {
  activeWebSocketBackends,
  haproxyTypeWord,
  proxyHeaderSpan,
  proxyLabel,
  reportsAny,
  statementSpan,
  whereIs,
} from './common';

/**
 * `option X` that HAProxy 2.6 drops outside HTTP mode, with the capability they need (src/proxy.c
 * cfg_opts/cfg_opts2 entries with PR_MODE_HTTP; `forwardfor`, `forwarded`, `originalto` from
 * src/http_ext.c).
 */
const HTTP_OPTIONS: Record<string, 'fe' | 'be' | 'both'> = {
  forwardfor: 'both',
  forwarded: 'be',
  originalto: 'both',
  checkcache: 'be',
  'http-buffer-request': 'both',
  'http-ignore-probes': 'fe',
  'prefer-last-server': 'be',
  'accept-invalid-http-request': 'fe',
  'accept-invalid-http-response': 'be',
  'http-use-proxy-header': 'fe',
  'http-pretend-keepalive': 'be',
  'http-no-delay': 'both',
  'disable-h2-upgrade': 'fe',
};

/** Rule lists that need HTTP mode (their first line is reported). */
const HTTP_RULES = ['http-request', 'http-response', 'http-after-response', 'redirect'];

/** `balance` algorithms that need HTTP (BE_LB_NEED_HTTP: uri, url_param, hdr(...)). */
const L7_BALANCE = /^(uri|url_param|hdr\(.*\))$/i;

function hasFe(p: HaproxyProxy): boolean {
  return p.kind === 'frontend' || p.kind === 'listen';
}
function hasBe(p: HaproxyProxy): boolean {
  return p.kind === 'backend' || p.kind === 'listen';
}

/** Does the proxy switch its streams to HTTP (`tcp-request content switch-mode http`)? */
function switchesToHttp(p: HaproxyProxy): boolean {
  const lines = sectionLines(p.section);
  for (let i = 0, n = lines.size; i < n; i++) {
    if (lines.keywordAt(i) !== 'tcp-request') continue;
    const s = lines.statement(i);
    if (argValue(s, 0) === 'content' && argValue(s, 1) === 'switch-mode' && argValue(s, 2) === 'http') return true;
  }
  return false;
}

/** An effective setting that is on (not turned off by `no`). */
function on(eff: HaproxyEffective | null): HaproxyEffective | null {
  return eff && !eff.negated && eff.statement.modifier === undefined ? eff : null;
}

/**
 * The `option httplog` that sets the proxy's log format, or null: `option httplog`, `option
 * tcplog`, `option httpslog` and `log-format` all set the one format, so the last of them in the
 * nearest section of the defaults chain that has one wins (a listen's own `option tcplog` replaces
 * the httplog of its defaults).
 */
function logFormatLine(proxy: HaproxyProxy): { statement: HaproxyStatement; proxy: HaproxyProxy } | null {
  const seen = new Set<HaproxyProxy>();
  for (let p: HaproxyProxy | null = proxy; p && !seen.has(p); p = p.defaults) {
    seen.add(p);
    let last: HaproxyStatement | null = null;
    const lines = sectionLines(p.section);
    for (let i = 0, n = lines.size; i < n; i++) {
      const keyword = lines.keywordAt(i);
      if (keyword !== 'option' && keyword !== 'log-format') continue;
      const s = lines.statement(i);
      if (s.modifier !== undefined) continue;
      const opt = s.keyword === 'option' ? argValue(s, 0) : undefined;
      if (s.keyword === 'log-format' || opt === 'httplog' || opt === 'tcplog' || opt === 'httpslog') last = s;
    }
    if (last)
      return last.keyword === 'option' && argValue(last, 0) === 'httplog' ? { statement: last, proxy: p } : null;
  }
  return null;
}

export const httpSettingInTcpMode: HaproxyRule = {
  meta: {
    id: 'haproxy/http-setting-in-tcp-mode',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions (messages as printed by 2.6)',
    fixable: false,
    docs: {
      short:
        'An HTTP setting (cookie, option forwardfor, http-request, an HTTP balance algorithm, ...) in a `mode tcp` proxy: HAProxy ignores it and warns.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4-mode',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-cookie',
        'HAProxy v2.6 src/proxy.c proxy_cfg_ensure_no_http(); src/cfgparse.c check_config_validity(); src/http_ext.c',
        'https://socket.io/docs/v4/using-multiple-nodes/ (sticky sessions are required with HTTP long-polling)',
      ],
      proof:
        'Live test on HAProxy 2.6.12 (test/live/cases.ts): a tcp-mode backend with `cookie io prefix nocache` is accepted with the warning "cookie will be ignored", the same backend in mode http is not. `haproxy -c` also prints the quoted warning for every finding of this rule on the fixtures (test/rules/haproxy-binary.test.ts) and on the shared corpus (test/rules/corpus-haproxy.test.ts compares the warnings column of MANIFEST.tsv with the findings).',
    },
  },
  check({ config, report }) {
    const list = proxiesWhere(config, hasHttpSetting);
    if (list.length === 0) return;
    const ws = new Set(activeWebSocketBackends(config).map((b) => b.proxy));
    const inherited: Inherited = new Map();
    for (const proxy of list) checkProxy(tcpProxy(proxy, ws.has(proxy), report, inherited));
    reportInherited(inherited, report);
  },
};

/** A proxy HAProxy checks (not a defaults section, not disabled) in mode tcp. */
function isTcpProxy(proxy: HaproxyProxy): boolean {
  return proxy.kind !== 'defaults' && !proxyDisabled(proxy) && proxyMode(proxy) === 'tcp';
}

function checkProxy(t: TcpProxy): void {
  const proxy = t.proxy;
  // cookie, balance, monitor-uri and httplog are checked for every proxy not in mode http
  // (proxy_cfg_ensure_no_http()); rules and options only when it does not switch to HTTP
  if (hasBe(proxy)) checkBackend(t);
  if (hasFe(proxy)) checkFrontend(t);
  if (switchesToHttp(proxy)) return;
  checkOptions(t);
  checkRules(t);
}

/** The tcp-mode proxies with an HTTP setting of their own or inherited (see reportsAny()). */
function hasHttpSetting(proxy: HaproxyProxy): boolean {
  return isTcpProxy(proxy) && reportsAny((seen) => checkProxy({ proxy, type: '', name: '', isWs: false, at: seen }));
}

const quote = (w: string) => `haproxy -c warns "${w}"`;

/** A finding about a setting a proxy inherits, before it is reported. */
interface InheritedFinding {
  proxy: HaproxyProxy;
  message: string;
  warning: string;
  extra?: RuleReport['related'];
  harmless: boolean;
}

/**
 * Settings inherited from a defaults section, by statement: one that several tcp-mode proxies
 * inherit is one cause, reported once at its line (each proxy's warning as a related note).
 */
type Inherited = Map<HaproxyStatement, { owner: HaproxyProxy; list: InheritedFinding[] }>;

/** One tcp-mode proxy being checked: how its messages name it, and where its findings go. */
interface TcpProxy {
  proxy: HaproxyProxy;
  type: string;
  name: string;
  isWs: boolean;
  /**
   * Reports at the statement when it is the proxy's own, else at the header with the inherited
   * line as related; the warning haproxy -c prints is a related note.
   */
  at: (
    stmt: HaproxyStatement,
    owner: HaproxyProxy,
    message: string,
    warning: string,
    extra?: RuleReport['related'],
    harmless?: boolean,
  ) => void;
}

function tcpProxy(proxy: HaproxyProxy, isWs: boolean, report: (r: RuleReport) => void, inherited: Inherited): TcpProxy {
  return {
    proxy,
    type: haproxyTypeWord(proxy),
    name: clipWord(proxy.name ?? ''),
    isWs,
    at: (stmt, owner, message, warning, extra, harmless = false) => {
      if (owner !== proxy) {
        let g = inherited.get(stmt);
        if (!g) inherited.set(stmt, (g = { owner, list: [] }));
        g.list.push({ proxy, message, warning, extra, harmless });
        return;
      }
      report({
        path: proxy.source.path,
        span: statementSpan(stmt),
        message,
        related: [{ path: proxy.source.path, span: statementSpan(stmt), message: quote(warning) }, ...(extra ?? [])],
      });
    },
  };
}

/**
 * Whether a server line of the proxy or of its defaults chain has the word `cookie`: without one,
 * no server has a cookie value (and its servers need not be read).
 */
function mayHaveServerCookie(proxy: HaproxyProxy): boolean {
  const seen = new Set<HaproxyProxy>();
  for (let p: HaproxyProxy | null = proxy; p && !seen.has(p); p = p.defaults) {
    seen.add(p);
    const lines = sectionLines(p.section);
    for (let i = 0, n = lines.size; i < n; i++) {
      const keyword = lines.keywordAt(i);
      if (keyword !== 'server' && keyword !== 'default-server') continue;
      for (let k = 1, count = lines.wordCountAt(i); k < count; k++)
        if (lines.wordValueAt(i, k) === 'cookie') return true;
    }
  }
  return false;
}

/** Cookie persistence (the proxy's `cookie` line, and the servers' `cookie` values) and HTTP balance algorithms. */
function checkBackend({ proxy, type, name, isWs, at }: TcpProxy): void {
  const cookie = on(haproxyEffective(proxy, ['cookie']));
  const serverCookies = mayHaveServerCookie(proxy)
    ? proxy.servers.filter((s) => s.kind !== 'default-server' && s.options.has('cookie') && !s.disabled)
    : [];
  const effect = isWs
    ? 'Socket.IO/SockJS polling sessions break across servers'
    : "one client's requests are spread over the servers";
  if (cookie) {
    at(
      cookie.statement,
      cookie.proxy,
      `${proxyLabel(proxy)} is in mode tcp, which ignores cookie persistence: ${effect}; use mode http`,
      `cookie will be ignored for ${type} '${name}' (needs 'mode http')`,
      serverCookies.map((s) => ({
        path: proxy.source.path,
        span: statementSpan(s.statement),
        message: `${type} '${name}' : ignoring cookie for server '${s.name}' as HTTP mode is disabled`,
      })),
    );
  } else {
    for (const s of serverCookies)
      at(
        s.statement,
        proxy,
        `server ${s.name} of ${proxyLabel(proxy)} has a cookie value, which mode tcp ignores; use mode http and a cookie line`,
        `${type} '${name}' : ignoring cookie for server '${s.name}' as HTTP mode is disabled`,
      );
  }
  const balance = haproxyEffective(proxy, ['balance']);
  const algo = balance?.values[0];
  if (balance && algo && L7_BALANCE.test(algo))
    at(
      balance.statement,
      balance.proxy,
      `balance ${algo} needs HTTP and ${proxyLabel(proxy)} is in mode tcp: HAProxy balances by round robin instead${isWs ? " (a client's reconnects reach any server)" : ''}`,
      `Layer 7 hash not possible for ${type} '${name}' (needs 'mode http'). Falling back to round robin`,
    );
}

/** monitor-uri and the httplog format. */
function checkFrontend({ proxy, type, name, at }: TcpProxy): void {
  const monitor = haproxyEffective(proxy, ['monitor-uri']);
  if (monitor)
    at(
      monitor.statement,
      monitor.proxy,
      `monitor-uri needs HTTP and ${proxyLabel(proxy)} is in mode tcp: the monitoring URI never answers`,
      `monitor-uri will be ignored for ${type} '${name}' (needs 'mode http')`,
    );
  const httplog = logFormatLine(proxy);
  if (httplog)
    at(
      httplog.statement,
      httplog.proxy,
      `option httplog needs HTTP and ${proxyLabel(proxy)} is in mode tcp: its logs use the TCP format instead`,
      `'option httplog' not usable with ${type} '${name}' (needs 'mode http'). Falling back to 'option tcplog'`,
      undefined,
      true,
    );
}

function checkOptions({ proxy, type, name, at }: TcpProxy): void {
  for (const [opt, cap] of Object.entries(HTTP_OPTIONS)) {
    if ((cap === 'fe' && !hasFe(proxy)) || (cap === 'be' && !hasBe(proxy))) continue;
    const eff = on(haproxyEffective(proxy, ['option', opt]));
    if (!eff) continue;
    const effect =
      opt === 'forwardfor' || opt === 'forwarded'
        ? ': no header is added (in mode tcp, send-proxy passes the address)'
        : '';
    at(
      eff.statement,
      eff.proxy,
      `option ${opt} needs HTTP and ${proxyLabel(proxy)} is in mode tcp${effect}`,
      `'option ${opt}' ignored for ${type} '${name}' as it requires HTTP mode`,
      undefined,
      true,
    );
  }
}

/** The proxy's own HTTP rules and stats (HAProxy lists them per proxy: the first line of each kind is reported). */
function checkRules({ proxy, type, name, at }: TcpProxy): void {
  const seen = new Set<string>();
  const lines = sectionLines(proxy.section);
  for (let i = 0, n = lines.size; i < n; i++) {
    const keyword = lines.keywordAt(i);
    if (!HTTP_RULES.includes(keyword) && keyword !== 'stats' && keyword !== 'capture') continue;
    const s = lines.statement(i);
    if (s.modifier !== undefined) continue;
    let kind: string | null = null;
    if (HTTP_RULES.includes(s.keyword)) kind = s.keyword;
    else if (s.keyword === 'stats' && argValue(s, 0) !== 'socket' && argValue(s, 0) !== 'bind-process') kind = 'stats';
    else if (s.keyword === 'capture' && argValue(s, 0) === 'cookie') kind = 'capture';
    if (kind === null || seen.has(kind)) continue;
    seen.add(kind);
    const warning =
      kind === 'stats' || kind === 'capture'
        ? `'${kind}' statement ignored for ${type} '${name}' as it requires HTTP mode`
        : `'${kind}' rules ignored for ${type} '${name}' as they require HTTP mode`;
    at(
      s,
      proxy,
      `${kind === 'stats' || kind === 'capture' ? `${kind} needs` : `${kind} rules need`} HTTP and ${proxyLabel(proxy)} is in mode tcp: ${kind === 'stats' ? 'the statistics page never answers' : kind === 'capture' ? 'nothing is captured' : 'they never run'}`,
      warning,
    );
  }
}

function reportInherited(inherited: Inherited, report: (r: RuleReport) => void): void {
  for (const [stmt, g] of inherited) {
    const owner = g.owner;
    // a proxy named by a template placeholder is the rendered file's (nothing is said of it)
    const list = g.list.filter((e) => !onTemplateLine(e.proxy));
    if (list.length === 0) continue;
    // An option or log format written for the HTTP proxies of the defaults: the TCP proxy falls
    // back to what it needs (tcplog, no header), so only a hint that mirrors haproxy -c.
    const harmless = list.every((e) => e.harmless);
    const severity = harmless ? ('hint' as const) : undefined;
    const tail = harmless ? '; harmless if meant for the HTTP proxies' : '';
    if (list.length === 1) {
      const { proxy, message, warning, extra } = list[0];
      const related = [
        {
          path: owner.source.path,
          span: statementSpan(stmt),
          message: `inherited from ${proxyLabel(owner)} (${whereIs({ proxy: owner, statement: stmt }, proxy)})`,
        },
        { path: proxy.source.path, span: proxyHeaderSpan(proxy), message: quote(warning) },
        ...(extra ?? []),
      ];
      report({ path: proxy.source.path, span: proxyHeaderSpan(proxy), message: message + tail, related, severity });
      continue;
    }
    const setting = stmt.line.words
      .slice(0, 3)
      .map((w) => clipWord(w.value))
      .join(' ');
    report({
      path: owner.source.path,
      span: statementSpan(stmt),
      message: `${setting} of ${proxyLabel(owner)} needs HTTP: the ${list.length} proxies in mode tcp inheriting it ignore it${harmless ? '; harmless if meant for the HTTP ones' : ''}`,
      severity,
      related: list.flatMap((e) => [
        { path: e.proxy.source.path, span: proxyHeaderSpan(e.proxy), message: `${e.message}; ${quote(e.warning)}` },
        ...(e.extra ?? []),
      ]),
    });
  }
}

/** Is the proxy's header on a line that holds a template placeholder (model/haproxy-template.ts)? */
function onTemplateLine(proxy: HaproxyProxy): boolean {
  const t = proxy.source.template;
  if (!t) return false;
  return t.lines.has(proxy.source.tree.lineIndex.positionAt(proxy.section.header.start).line);
}
