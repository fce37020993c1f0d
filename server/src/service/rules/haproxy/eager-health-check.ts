import { clipWord } from '../../words';
import {
  effectiveTimeoutMs,
  proxyDisabled,
  proxyMode,
  type HaproxyConfig,
  type HaproxyProxy,
  type HaproxyServer,
} from '../../model/haproxy';
import { describeDuration, parseHaproxyTime } from '../../model/units';
import { appendToStatement, replaceWord } from '../../fixes/haproxy';
import type { HaproxyStatement } from '../../syntax/haproxy';
import type { EditSpec, HaproxyRule } from '../rule';
import { activeWebSocketBackends, liveServers, proxyLabel, statementSpan } from './common';
import { firstNames, namesAndMore } from '../name-list';

/**
 * HAProxy's health-check defaults (configuration manual 2.6, section 5.2: `inter` 2000 ms, `fall`
 * 3; `fastinter`, used while a server is in transition, defaults to `inter`). A server is marked
 * down after `fall` consecutive failed checks: from the first one, `(fall - 1) × fastinter` later.
 */
const DEFAULT_INTER_MS = 2000;
const DEFAULT_FALL = 3;
/**
 * The patience below which a check is "eager": HAProxy's own default, about `inter × fall` =
 * 6 s. A server reported here is marked down by a stall shorter than what HAProxy would tolerate
 * out of the box (a GC pause, a busy event loop, a brief network hiccup).
 */
export const EAGER_BELOW_MS = DEFAULT_INTER_MS * DEFAULT_FALL;

interface Eager {
  server: HaproxyServer;
  fall: number;
  interMs: number;
  fastinterMs: number;
  /** The statement that sets `fall` for the server (its own line or a default-server line), if any. */
  fallAt: HaproxyStatement | null;
  /** The statement that sets `inter` for it, if any. */
  interAt: HaproxyStatement | null;
}

function numberOption(server: HaproxyServer, key: string): { value: number; at: HaproxyStatement } | null {
  const o = server.options.get(key);
  if (!o || o.value === null) return null;
  const v = key === 'fall' ? (/^\d+$/.test(o.value) ? Number(o.value) : undefined) : parseHaproxyTime(o.value);
  return v === undefined ? null : { value: v, at: o.statement };
}

/** The server, when it is health-checked, shuts its sessions down when marked down, and is eager. */
function eager(server: HaproxyServer): Eager | null {
  if (!server.check) return null;
  if (server.options.get('on-marked-down')?.value !== 'shutdown-sessions') return null;
  const fall = numberOption(server, 'fall');
  const inter = numberOption(server, 'inter');
  const fast = numberOption(server, 'fastinter');
  const e: Eager = {
    server,
    fall: fall?.value ?? DEFAULT_FALL,
    interMs: inter?.value ?? DEFAULT_INTER_MS,
    fastinterMs: fast?.value ?? inter?.value ?? DEFAULT_INTER_MS,
    fallAt: fall?.at ?? null,
    interAt: inter?.at ?? null,
  };
  if (e.fall <= 1 || patienceMs(e) < EAGER_BELOW_MS) return e;
  return null;
}

/** About how long a server may stop answering before it is marked down: one `inter`, then `fall - 1` × `fastinter`. */
function patienceMs(e: Eager): number {
  return e.interMs + (e.fall - 1) * e.fastinterMs;
}

/** The `fall` that brings the patience up to EAGER_BELOW_MS with these intervals (at least HAProxy's default 3). */
function fixedFall(e: Eager): number {
  const step = Math.max(e.fastinterMs, 1);
  return Math.max(DEFAULT_FALL, 1 + Math.ceil((EAGER_BELOW_MS - e.interMs) / step));
}

function sourcePathOf(config: HaproxyConfig, stmt: HaproxyStatement): string | undefined {
  const section = stmt.section;
  return section ? config.sources.find((s) => s.tree.sections.includes(section))?.path : undefined;
}

/** `fall N` where the server's `fall` is set, else on the line that sets its `inter` (else its own line). */
function fallEdit(config: HaproxyConfig, e: Eager, fall: number): EditSpec | null {
  const at = e.fallAt ?? e.interAt ?? e.server.statement;
  const path = sourcePathOf(config, at);
  if (!path) return null;
  if (e.fallAt) {
    const i = at.line.words.findIndex((w, k) => k > 0 && w.value === 'fall');
    if (i < 0 || i + 1 >= at.line.words.length) return null;
    return replaceWord(path, at, i + 1, String(fall));
  }
  return appendToStatement(path, at, `fall ${fall}`);
}

/**
 * The backends whose connections are long-lived: those that carry WebSocket, and those in mode
 * http with a `timeout tunnel` of their own or from their defaults (in mode http it applies only
 * to upgraded and CONNECT tunnels, so setting it says such connections are expected: HAProxy 2.6
 * manual, "timeout tunnel"). Socket.IO's example sets it in `defaults`, next to the eager
 * `default-server` line.
 */
function longLivedBackends(config: HaproxyConfig): HaproxyProxy[] {
  const out = new Set(activeWebSocketBackends(config).map((b) => b.proxy));
  for (const p of config.proxies) {
    if (out.has(p) || (p.kind !== 'backend' && p.kind !== 'listen') || proxyDisabled(p)) continue;
    if (proxyMode(p) !== 'http') continue;
    const t = effectiveTimeoutMs(p, 'tunnel');
    if (t !== null && t > 0) out.add(p);
  }
  return [...out];
}

export const eagerHealthCheck: HaproxyRule = {
  meta: {
    id: 'haproxy/eager-health-check',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions',
    fixable: true,
    docs: {
      short:
        "A server of a WebSocket backend (or of one with `timeout tunnel`) is marked down after one failed check (`fall 1`), or after a stall shorter than HAProxy's default patience, and `on-marked-down shutdown-sessions` then closes all its WebSockets.",
      section: 'Health checks and connection draining',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#5.2-fall',
        'https://docs.haproxy.org/2.6/configuration.html#5.2-inter',
        'https://docs.haproxy.org/2.6/configuration.html#5.2-on-marked-down',
      ],
      proof:
        "Live test on HAProxy 2.6.12 (test/live, case haproxy/eager-health-check): a WebSocket open on a server whose listener disappears for about 300 ms (checks every 200 ms): with `fall 1` and `on-marked-down shutdown-sessions` the WebSocket was closed; with wslb's fix (`fall` raised) it stayed open and echoing.",
    },
  },
  check({ config, report }) {
    // One finding per statement that causes it (a default-server line shared by many servers and
    // backends is reported once), naming the backends and servers it makes eager.
    // Servers eager by their own lines are grouped by backend, at the first of them.
    const groups = new Map<
      HaproxyStatement | HaproxyProxy,
      { at: HaproxyStatement; backends: Set<string>; list: Eager[] }
    >();
    for (const proxy of longLivedBackends(config)) {
      for (const s of liveServers(proxy)) {
        const e = eager(s);
        if (!e) continue;
        const at = e.fallAt ?? e.interAt ?? s.statement;
        const key = at.keyword === 'server' ? proxy : at;
        let g = groups.get(key);
        if (!g) groups.set(key, (g = { at, backends: new Set(), list: [] }));
        g.backends.add(proxyLabel(proxy));
        g.list.push(e);
      }
    }
    for (const g of groups.values()) {
      const at = g.at;
      const path = sourcePathOf(config, at);
      if (!path) continue;
      const e = g.list[0];
      const names = g.list.map((x) => clipWord(x.server.name));
      const servers = `${names.length === 1 ? 'server' : 'servers'} ${namesAndMore(names, 4)}`;
      const backends = firstNames([...g.backends], 3);
      const how =
        e.fall <= 1
          ? `after one failed check (fall ${e.fall})`
          : `after ${describeDuration(patienceMs(e))} without an answer (defaults: ~${describeDuration(EAGER_BELOW_MS)})`;
      const fall = fixedFall(e);
      report({
        path,
        span: statementSpan(at),
        message: `${servers} of ${backends}: marked down ${how}, dropping all ${names.length === 1 ? 'its' : 'their'} WebSockets; set fall ${fall}`,
        fixes: () => {
          const edits: EditSpec[] = [];
          for (const x of g.list) {
            const ed = fallEdit(config, x, fixedFall(x));
            if (ed && !edits.some((o) => o.span.start === ed.span.start && o.newText === ed.newText)) edits.push(ed);
          }
          return edits.length ? [{ title: `Set fall ${fall}`, edits, isPreferred: true }] : [];
        },
      });
    }
  },
};
