/**
 * A log format that has no effect, with the warning `haproxy -c` prints for it:
 * - a frontend (or listen) with a log format and no log target: "log format ignored for frontend
 *   'X' since it has no log address." (src/cfgparse.c check_config_validity(): frontend capability,
 *   mode tcp or http, an empty log server list and a format; disabled proxies are skipped). The
 *   list is built while parsing: `log global` copies the `log` lines of `global` (src/log.c
 *   parse_logsrv()), a proxy starts from its defaults' list and `no log` empties it;
 * - in a `defaults` section, a format line after another one (its own or one inherited with
 *   `from`): "'option tcplog' overrides previous 'option httplog' in 'defaults' section."
 *   (src/cfgparse-listen.c, the `option httplog|tcplog|httpslog` and `log-format` branches);
 * - `option httplog` or `option tcplog` in a backend: "backend 'X' : 'option httplog' directive is
 *   ignored in backends." (same file): backends do not log, the frontend's format is used.
 */
import { clipWord } from '../../words';
import {
  argValue,
  globalStatements,
  proxiesWhere,
  proxyDisabled,
  proxyMode,
  sectionLines,
  type HaproxyConfig,
  type HaproxyProxy,
} from '../../model/haproxy';
import type { HaproxyStatement } from '../../syntax/haproxy';
import type { HaproxyRule, RuleReport } from '../rule';
import {
  haproxyTypeWord,
  haproxyWarns,
  lineOf,
  proxyHeaderSpan,
  proxyLabel,
  ignoreReport,
  reportsAny,
  statementSpan,
  statementsWith,
  whereIs,
} from './common';
import { firstNames } from '../name-list';

/** The lines that set a log format, and the `log` / `no log` lines. */
const FORMAT_LINES = new Set(['log-format', 'log-format-sd', 'option']);
const LOG_LINES = new Set(['log', 'no']);

interface Format {
  statement: HaproxyStatement;
  proxy: HaproxyProxy;
  /** As HAProxy names it in its warnings. */
  name: string;
  /** The name this line gives itself when it overrides another ('option httpslog' says 'option httplog'). */
  says: string;
}

function formatOf(s: HaproxyStatement, proxy: HaproxyProxy): Format | null {
  if (s.modifier !== undefined) return null;
  if (s.keyword === 'log-format' || s.keyword === 'log-format-sd')
    return argValue(s, 0) === undefined ? null : { statement: s, proxy, name: s.keyword, says: s.keyword };
  if (s.keyword !== 'option') return null;
  const o = argValue(s, 0);
  if (o === 'httplog') {
    const name = argValue(s, 1) === 'clf' ? 'option httplog clf' : 'option httplog';
    return { statement: s, proxy, name, says: name };
  }
  if (o === 'tcplog') return { statement: s, proxy, name: 'option tcplog', says: 'option tcplog' };
  if (o === 'httpslog') return { statement: s, proxy, name: 'option httpslog', says: 'option httplog' };
  return null;
}

/** The log format a section ends with (its own last one, else its defaults'), log-format-sd aside. */
function finalFormat(proxy: HaproxyProxy | null, seen = new Set<HaproxyProxy>()): Format | null {
  for (let p = proxy; p && !seen.has(p); p = p.defaults) {
    seen.add(p);
    let last: Format | null = null;
    for (const s of statementsWith(p.section, FORMAT_LINES)) {
      const f = formatOf(s, p);
      if (f && f.name !== 'log-format-sd') last = f;
    }
    if (last) return last;
  }
  return null;
}

function anyFormat(proxy: HaproxyProxy): Format | null {
  const main = finalFormat(proxy);
  if (main) return main;
  for (let p: HaproxyProxy | null = proxy, n = 0; p && n < 64; p = p.defaults, n++)
    for (const s of statementsWith(p.section, FORMAT_LINES)) {
      const f = formatOf(s, p);
      if (f && f.name === 'log-format-sd') return f;
    }
  return null;
}

export const logFormatIgnored: HaproxyRule = {
  meta: {
    id: 'haproxy/log-format-ignored',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions (messages as printed by 2.6)',
    fixable: false,
    docs: {
      short:
        'A log format with no effect: a frontend with a format but no log target logs nothing; a format line replaced by a later one, or written in a backend, does nothing.',
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4-log',
        'https://docs.haproxy.org/2.6/configuration.html#4-option%20httplog',
        'HAProxy v2.8 src/cfgparse.c check_config_validity(); src/cfgparse-listen.c cfg_parse_listen(); src/log.c parse_logsrv()',
      ],
      proof:
        'haproxy -c (2.6.12) prints the quoted warning for every finding of this rule, on the fixtures (test/rules/haproxy-binary.test.ts) and on the shared corpus (test/rules/corpus-haproxy.test.ts).',
    },
  },
  check({ config, report }) {
    // `log global` copies global's log lines; without a global section (a fragment) they are unknown
    const hasGlobal = config.global.length > 0;
    const globalLogs = globalStatements(config, 'log').filter((s) => s.modifier === undefined).length;
    const silentVia = new Map<HaproxyStatement, { owner: HaproxyProxy; list: Silent[] }>();
    for (const proxy of proxiesToRead(config, hasGlobal, globalLogs)) {
      if (proxy.kind === 'defaults') reportOverrides(proxy, report);
      else if (proxy.kind === 'backend') reportBackendOptions(proxy, report);
      else {
        const entry = silentFrontend(proxy, hasGlobal, globalLogs);
        if (!entry) continue;
        const owner = entry.viaGlobal ? proxyOf(proxy, entry.viaGlobal) : proxy;
        // several frontends silent through the same `log global` of a defaults section: one finding there
        if (entry.viaGlobal && owner !== proxy) {
          const v = entry.viaGlobal;
          const g = silentVia.get(v) ?? silentVia.set(v, { owner, list: [] }).get(v)!;
          g.list.push(entry);
        } else reportSilent(entry, report);
      }
    }
    for (const [stmt, g] of silentVia) {
      if (g.list.length === 1) {
        reportSilent(g.list[0], report);
        continue;
      }
      const names = g.list.map((e) => proxyLabel(e.proxy));
      report({
        path: g.owner.source.path,
        span: statementSpan(stmt),
        message: `log global finds no log line in global, so ${names.length} frontends log nothing (${firstNames(names, 3)})`,
        related: g.list.map((e) => haproxyWarns(e.proxy.source.path, proxyHeaderSpan(e.proxy), noAddress(e.proxy))),
      });
    }
  },
};

type Report = (r: RuleReport) => void;

/** In a `defaults` section, each format line after another: only the last one counts. */
function reportOverrides(proxy: HaproxyProxy, report: Report): void {
  const path = proxy.source.path;
  let current = finalFormat(proxy.defaults);
  for (const s of statementsWith(proxy.section, FORMAT_LINES)) {
    const f = formatOf(s, proxy);
    if (!f || f.name === 'log-format-sd') continue;
    if (current) {
      const prev = current;
      const where = prev.proxy === proxy ? `line ${lineOf(proxy, prev.statement)}` : whereIs(prev, proxy);
      report({
        path,
        span: statementSpan(s),
        severity: 'hint',
        message: `${f.name} replaces the ${prev.name} of ${where} in ${proxyLabel(proxy)}: only the last format line counts`,
        related: [
          haproxyWarns(path, statementSpan(s), `'${f.says}' overrides previous '${prev.name}' in 'defaults' section.`),
          { path: prev.proxy.source.path, span: statementSpan(prev.statement), message: `the ${prev.name} replaced` },
        ],
        cites: [{ path: prev.proxy.source.path, offset: prev.statement.line.start }],
      });
    }
    current = f;
  }
}

/** `option httplog` / `option tcplog` in a backend: backends do not log. Returns whether it reported. */
function reportBackendOptions(proxy: HaproxyProxy, report: Report): boolean {
  let reported = false;
  const path = proxy.source.path;
  // (read by index: only `option httplog` and `option tcplog` lines are made statements)
  const lines = sectionLines(proxy.section);
  for (let i = 0, n = lines.size; i < n; i++) {
    if (lines.keywordAt(i) !== 'option' || lines.wordCountAt(i) < 2) continue;
    if (!lines.wordIsAt(i, 1, 'httplog') && !lines.wordIsAt(i, 1, 'tcplog')) continue;
    const s = lines.statement(i);
    const f = formatOf(s, proxy);
    if (!f || (f.name !== 'option httplog' && f.name !== 'option httplog clf' && f.name !== 'option tcplog')) continue;
    const opt = f.name === 'option tcplog' ? 'tcplog' : 'httplog';
    reported = true;
    report({
      path,
      span: statementSpan(s),
      severity: 'hint',
      message: `option ${opt} does nothing in a backend: the frontend's log format is used`,
      related: [
        haproxyWarns(
          path,
          statementSpan(s),
          `backend '${clipWord(proxy.name ?? '')}' : 'option ${opt}' directive is ignored in backends.`,
        ),
      ],
    });
  }
  return reported;
}

/**
 * What the `log` lines of a proxy and its defaults give, as HAProxy builds its list: targets of
 * their own (`direct`) and `log global` lines (`globals`) since the last `no log`, the last of
 * those, whether any `log global` was read at all, and the proxy's own last `no log`.
 */
interface LogLines {
  direct: number;
  globals: number;
  anyGlobal: boolean;
  viaGlobal: HaproxyStatement | null;
  noLog: HaproxyStatement | null;
}

function logLines(proxy: HaproxyProxy): LogLines {
  const chain: HaproxyProxy[] = [];
  for (let p: HaproxyProxy | null = proxy; p && chain.length < 64 && !chain.includes(p); p = p.defaults)
    chain.unshift(p);
  const out: LogLines = { direct: 0, globals: 0, anyGlobal: false, viaGlobal: null, noLog: null };
  for (const p of chain)
    for (const s of statementsWith(p.section, LOG_LINES)) {
      // `no log` is read as the keyword `no` with `log` after it
      const isNoLog = s.modifier === 'no' && s.keyword === 'no' && argValue(s, 0) === 'log';
      if (s.keyword !== 'log' && !isNoLog) continue;
      if (isNoLog) {
        out.direct = out.globals = 0;
        out.viaGlobal = null;
        out.noLog = p === proxy ? s : null;
      } else if (s.modifier !== undefined) continue;
      else if (argValue(s, 0) === 'global' && argValue(s, 1) === undefined) {
        out.anyGlobal = true;
        out.globals++;
        out.viaGlobal = s;
      } else out.direct++;
    }
  return out;
}

/**
 * A frontend or listen HAProxy checks that has a log format and no log target of its own (only
 * `log global` lines, if any), with its format and log lines; else null.
 */
function untargeted(proxy: HaproxyProxy): { format: Format; logs: LogLines } | null {
  if (proxy.kind === 'defaults' || proxy.kind === 'backend' || proxyDisabled(proxy)) return null;
  const mode = proxyMode(proxy);
  if (mode !== 'tcp' && mode !== 'http') return null;
  const format = anyFormat(proxy);
  if (!format) return null;
  const logs = logLines(proxy);
  return logs.direct > 0 ? null : { format, logs };
}

/** A frontend or listen with a log format and no log target (as HAProxy builds its list), or null. */
function silentFrontend(proxy: HaproxyProxy, hasGlobal: boolean, globalLogs: number): Silent | null {
  const found = untargeted(proxy);
  if (!found) return null;
  const { format, logs } = found;
  // `log global` copies global's lines; without a global section they are unknown
  if (logs.globals * globalLogs > 0 || (!hasGlobal && logs.anyGlobal)) return null;
  return { proxy, format, viaGlobal: logs.viaGlobal, noLog: logs.noLog };
}

/**
 * The proxies the rule may report, in config order: those with a finding whatever `global` says
 * and, when `global` has no `log` line, the frontends only `log global` gives a target. Both lists
 * are kept by proxiesWhere() across edits of other proxies.
 */
function proxiesToRead(config: HaproxyConfig, hasGlobal: boolean, globalLogs: number): readonly HaproxyProxy[] {
  const own = proxiesWhere(config, hasOwnFinding);
  if (!hasGlobal || globalLogs > 0) return own;
  const more = proxiesWhere(config, logsOnlyThroughGlobal);
  if (more.length === 0) return own;
  const read = new Set([...own, ...more]);
  return config.proxies.filter((p) => read.has(p));
}

function hasOwnFinding(proxy: HaproxyProxy): boolean {
  if (proxy.kind === 'defaults') return reportsAny((seen) => reportOverrides(proxy, seen));
  if (proxy.kind === 'backend') return reportBackendOptions(proxy, ignoreReport);
  return untargeted(proxy)?.logs.globals === 0;
}

function logsOnlyThroughGlobal(proxy: HaproxyProxy): boolean {
  const found = untargeted(proxy);
  return found !== null && found.logs.globals > 0;
}

function noAddress(proxy: HaproxyProxy): string {
  return `log format ignored for ${haproxyTypeWord(proxy)} '${clipWord(proxy.name ?? '')}' since it has no log address.`;
}

function reportSilent({ proxy, format, viaGlobal, noLog }: Silent, report: Report): void {
  const path = proxy.source.path;
  const span = proxyHeaderSpan(proxy);
  const at = format.proxy === proxy ? `line ${lineOf(proxy, format.statement)}` : whereIs(format, proxy);
  // `no log` in the frontend itself turns its logs off on purpose: only a hint that the format is unused
  const deliberate = noLog !== null && viaGlobal === null;
  report({
    path,
    span,
    severity: deliberate ? 'hint' : undefined,
    message: deliberate
      ? `${proxyLabel(proxy)} turns logging off (no log, line ${lineOf(proxy, noLog)}): its ${format.name} (${at}) has no effect`
      : viaGlobal
        ? `${proxyLabel(proxy)} logs nothing: log global finds no log line in global (${format.name}, ${at}, has no effect)`
        : `${proxyLabel(proxy)} logs nothing: ${format.name} (${at}) is set but no log line gives a target`,
    related: [
      haproxyWarns(path, span, noAddress(proxy)),
      { path: format.proxy.source.path, span: statementSpan(format.statement), message: 'the log format' },
      ...(viaGlobal
        ? [
            {
              path: proxyOf(proxy, viaGlobal).source.path,
              span: statementSpan(viaGlobal),
              message: 'log global: global has no log line',
            },
          ]
        : []),
    ],
    cites: [
      { path: format.proxy.source.path, offset: format.statement.line.start },
      ...(deliberate ? [{ path, offset: noLog.line.start }] : []),
    ],
  });
}

interface Silent {
  proxy: HaproxyProxy;
  format: Format;
  viaGlobal: HaproxyStatement | null;
  noLog: HaproxyStatement | null;
}

function proxyOf(proxy: HaproxyProxy, s: HaproxyStatement): HaproxyProxy {
  for (let p: HaproxyProxy | null = proxy, n = 0; p && n < 64; p = p.defaults, n++)
    if (p.section === s.section) return p;
  return proxy;
}
