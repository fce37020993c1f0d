/**
 * The HAProxy hover: on a section header, the proxy's timeouts and pool; on a keyword, what it is
 * (haproxy-keywords.ts), its WebSocket note and the value in effect in this proxy; on a value, a
 * time, a balance algorithm, a server option.
 */
import { describeHaproxyKeyword, type HaproxyKeywordSummary } from '../../knowledge/describe';
import {
  findProxy,
  haproxyEffective,
  haproxyTimeout,
  type HaproxyConfig,
  type HaproxyProxy,
} from '../../model/haproxy';
import { describeDuration, parseHaproxyTime } from '../../model/units';
import { haproxyWebSocketBackends } from '../../model/websocket-haproxy';
import { haproxyProxyPool } from '../pools';
import { lineAt, statementAt, wordAt } from '../../syntax/haproxy';
import type { HaproxyStatement, HaproxyWord } from '../../syntax/haproxy/types';
import { wsNote } from '../../docs/ws-notes';
import { fileUri, findingParts, RULE, seconds, type HoverInput, type HoverResult } from './common';
import { noteMarkdown } from './budget';
import { haproxyHeartbeat, heartbeatText, heartbeatWhy } from './heartbeat';
import { haproxyOrigin, proxyLabel, whereHaproxy } from './origin';
import { poolMarkdown } from './pool';
import { haproxyElsewhere, haproxyKbMarkdown, hoverTable } from './haproxy-keywords';

const TIMEOUTS = ['tunnel', 'client', 'server', 'connect', 'client-fin', 'server-fin', 'http-keep-alive'];

function haproxyTimeoutsSummary(cfg: HaproxyConfig, proxy: HaproxyProxy, input: HoverInput): string {
  const lines: string[] = [];
  const get = (w: string) => haproxyTimeout(proxy, w);
  for (const w of TIMEOUTS) {
    const t = get(w);
    if (!t.eff && w !== 'tunnel' && w !== 'client' && w !== 'server') continue;
    if (!t.eff) {
      lines.push(`- \`timeout ${w}\`: not set`);
      continue;
    }
    const shown =
      t.ms === null ? `\`${t.eff.values.join(' ')}\`` : `\`${t.eff.values[0]}\` (${describeDuration(t.ms)})`;
    lines.push(
      `- \`timeout ${w}\` ${shown} — ${haproxyOrigin(t.eff, proxy, input.path)}${t.ms === 0 ? ' — `0` means unset' : ''}`,
    );
  }
  const mode = haproxyEffective(proxy, ['mode']);
  const modeText = mode
    ? `\`mode ${mode.values[0] ?? ''}\` — ${haproxyOrigin(mode, proxy, input.path)}`
    : '`mode` not set (HAProxy uses `tcp`)';
  const idle = websocketIdle(proxy);
  const heartbeat = haproxyHeartbeat(cfg, proxy, input.options);
  const hb = heartbeat.ms;
  const idleText =
    idle.ms === null
      ? 'no idle timeout applies to WebSockets here'
      : `an idle WebSocket is cut after ${describeDuration(idle.ms)} (${idle.by}); ${heartbeatText(idle.ms, hb)}${heartbeat.origin === 'protocol' && heartbeat.protocol ? ` (heartbeat: the ${heartbeat.protocol.name} default)` : ''}`;
  return `**Effective in \`${proxyLabel(proxy)}\`:** ${modeText}\n\n${lines.join('\n')}\n\nWith these, ${idleText}.`;
}

/** The idle limit of an established WebSocket in this proxy: tunnel if set (non-zero), else the shorter of client/server. */
function websocketIdle(proxy: HaproxyProxy): { ms: number | null; by: string } {
  const tunnel = haproxyTimeout(proxy, 'tunnel');
  if (tunnel.ms) return { ms: tunnel.ms, by: '`timeout tunnel`' };
  const c = haproxyTimeout(proxy, 'client').ms || null;
  const s = haproxyTimeout(proxy, 'server').ms || null;
  if (proxy.kind === 'frontend')
    return c ? { ms: c, by: '`timeout client`, unless the backend sets `timeout tunnel`' } : { ms: null, by: '' };
  if (proxy.kind === 'backend')
    return s
      ? { ms: s, by: "`timeout server` (or the frontend's shorter `timeout client`); no `timeout tunnel`" }
      : { ms: null, by: '' };
  if (c && s)
    return c <= s
      ? { ms: c, by: '`timeout client`, the shorter of client/server; no `timeout tunnel`' }
      : { ms: s, by: '`timeout server`, the shorter of client/server; no `timeout tunnel`' };
  return c ? { ms: c, by: '`timeout client`' } : s ? { ms: s, by: '`timeout server`' } : { ms: null, by: '' };
}

export function haproxyHover(input: HoverInput): HoverResult | null {
  const cfg = input.haproxy;
  if (!cfg) return null;
  const src = cfg.sources.find((s) => s.path === input.path);
  if (!src) return null;
  const tree = src.tree;
  const offset = Math.max(0, Math.min(input.offset, tree.text.length));
  const line = lineAt(tree, offset);
  if (line?.comment && offset > line.comment.start) return null;
  const pos = tree.lineIndex.positionAt(offset);
  const findings = findingParts(input, pos).parts;
  const stmt = statementAt(tree, offset);
  const word = wordAt(tree, offset);
  if (!stmt || !word || !stmt.line.words.includes(word)) {
    if (!findings.length || !line) return null;
    return { markdown: findings.join(RULE), span: { start: line.start, end: line.end } };
  }
  const parts = haproxyWordHover(cfg, stmt, word, input);
  const all = [...findings, ...parts];
  if (all.length === 0) return null;
  return { markdown: all.join(RULE), span: { start: word.start, end: word.end } };
}

function proxyOf(cfg: HaproxyConfig, stmt: HaproxyStatement): HaproxyProxy | undefined {
  return stmt.section ? cfg.proxies.find((p) => p.section === stmt.section) : undefined;
}

/**
 * Does this proxy carry WebSocket? A backend (or listen) when the config routes WebSocket to it;
 * a frontend, defaults or global section when the config carries WebSocket at all.
 */
function haproxyCarries(cfg: HaproxyConfig, proxy: HaproxyProxy | undefined): boolean {
  const ws = haproxyWebSocketBackends(cfg);
  if (proxy && (proxy.kind === 'backend' || proxy.kind === 'listen')) return ws.some((b) => b.proxy === proxy);
  return ws.length > 0;
}

function backendSummary(cfg: HaproxyConfig, proxy: HaproxyProxy, input: HoverInput): string[] {
  const info = haproxyProxyPool(proxy);
  const where = whereHaproxy(proxy.section.headerStatement, proxy.source.tree, proxy.source.path, input.path);
  const out: string[] = [];
  if (info)
    out.push(
      poolMarkdown(
        info,
        proxy.source.path === input.path && input.uri ? input.uri : fileUri(info.path),
        where,
        haproxyCarries(cfg, proxy),
      ),
    );
  out.push(haproxyTimeoutsSummary(cfg, proxy, input));
  return out;
}

const SERVER_LINES = new Set(['server', 'default-server', 'server-template']);
const HAPROXY_TIME_KEYWORDS = new Set(['hard-stop-after', 'close-spread-time', 'grace']);

/** The hover of a word after a server line's address (an option or its value), or null for the keyword hover. */
function serverOptionHover(
  cfg: HaproxyConfig,
  proxy: HaproxyProxy,
  stmt: HaproxyStatement,
  word: HaproxyWord,
  input: HoverInput,
  table: ReturnType<typeof hoverTable>,
): string[] | null {
  const words = stmt.line.words;
  const wi = words.indexOf(word);
  const mod = stmt.modifier ? 1 : 0;
  const kwWords = words.slice(mod).map((w) => w.value);
  const section = stmt.section?.keyword ?? 'global';
  const firstOption = kwWords[0] === 'default-server' ? 1 : 3;
  const k = wi - mod;
  if (k >= firstOption) {
    const prev = words[wi - 1]?.value;
    const d = describeHaproxyKeyword(kwWords, section, word.value, table);
    if (d && d.kind === 'server-option') {
      const note = noteMarkdown(wsNote('haproxy', `server:${d.name}`), haproxyCarries(cfg, proxy));
      return [...(note ? [note] : []), haproxyKbMarkdown(d, table)];
    }
    if (d?.kind !== 'action' && /^[a-z][a-z0-9-]*$/.test(word.value)) {
      const other = haproxyElsewhere(input, stmt, kwWords, section, word.value, table);
      if (other.length) return other;
    }
    // the value of an option such as `slowstart 30s` or `inter 2s`
    if (prev && /^(slowstart|inter|fastinter|downinter|agent-inter|pool-purge-delay)$/.test(prev)) {
      const ms = parseHaproxyTime(word.value);
      if (ms !== undefined)
        return [
          `\`${prev} ${word.value}\` = ${describeDuration(ms)}${/^\d+$/.test(word.value) ? ' (a bare number is milliseconds in HAProxy)' : ''}.`,
        ];
    }
    return [];
  }
  return null;
}

function haproxyWordHover(cfg: HaproxyConfig, stmt: HaproxyStatement, word: HaproxyWord, input: HoverInput): string[] {
  const words = stmt.line.words;
  const wi = words.indexOf(word);
  const mod = stmt.modifier ? 1 : 0;
  const kwWords = words.slice(mod).map((w) => w.value);
  const section = stmt.section?.keyword ?? 'global';
  const proxy = proxyOf(cfg, stmt);
  const table = hoverTable(input, cfg);

  // section headers: `backend name`, `frontend name`, `defaults name`
  if (stmt.section && stmt === stmt.section.headerStatement && proxy) {
    if (proxy.kind === 'backend' || proxy.kind === 'listen') return backendSummary(cfg, proxy, input);
    return [haproxyTimeoutsSummary(cfg, proxy, input)];
  }
  // other section headers: `crt-store`, `peers name`, `ring name`: the section's entry in the target's manual
  if (stmt.section && stmt === stmt.section.headerStatement && section !== 'global') {
    if (wi !== mod) return [];
    const doc = table.sectionDoc(section);
    if (!doc) return haproxyElsewhere(input, stmt, kwWords, section, undefined, table, -1);
    const d: HaproxyKeywordSummary = {
      name: doc.name,
      kind: 'section',
      section: doc.section,
      url: table.docUrl(doc.anchor),
      syntax: doc.syntax.filter((x) => x !== ''),
    };
    return [haproxyKbMarkdown(d, table)];
  }
  if (wi < mod) return [];
  // backend references
  if ((kwWords[0] === 'use_backend' || kwWords[0] === 'default_backend') && wi > mod) {
    const target = findProxy(cfg, word.value);
    if (target) return backendSummary(cfg, target, input);
  }
  // server lines: options and their values
  if (SERVER_LINES.has(kwWords[0]) && proxy) {
    const server = serverOptionHover(cfg, proxy, stmt, word, input, table);
    if (server) return server;
  }
  const d = describeHaproxyKeyword(kwWords, section, undefined, table);
  if (!d) return haproxyElsewhere(input, stmt, kwWords, section, undefined, table, wi - mod);
  const nameWords = d.name.split(' ').length;
  const isKeyword = wi - mod < nameWords;
  const out: string[] = [];
  if (!isKeyword) {
    const arg = word.value;
    if (d.name === 'balance' && wi - mod === 1) {
      const alg = arg.replace(/\(.*$/, '');
      const note = noteMarkdown(wsNote('haproxy', `balance ${alg}`), haproxyCarries(cfg, proxy));
      if (note) return [`**\`balance ${arg}\`**`, note, `[HAProxy ${table.version} manual: balance](${d.url})`];
    }
    if (d.name.startsWith('timeout ') || HAPROXY_TIME_KEYWORDS.has(d.name)) {
      const ms = parseHaproxyTime(arg);
      if (ms !== undefined) {
        let line = `\`${arg}\` = ${ms === 0 ? '0 — for a timeout this means *unset*, not "no timeout"' : describeDuration(ms)}${/^\d+$/.test(arg) && ms !== 0 ? ' (a bare number is milliseconds in HAProxy)' : ''}`;
        // (in a proxy, the keyword's part below compares the idle limit in effect with the
        // heartbeat and says which one and why; a defaults section has no such line)
        if (
          ms > 0 &&
          (!proxy || proxy.kind === 'defaults') &&
          (d.name === 'timeout tunnel' || d.name === 'timeout client' || d.name === 'timeout server')
        ) {
          const hb = haproxyHeartbeat(cfg, proxy, input.options);
          line += `; against the ${seconds(hb.ms)} heartbeat (${heartbeatWhy(hb)}): ${heartbeatText(ms, hb.ms, false)}`;
        }
        out.push(line + '.');
      }
    }
  }
  const note = noteMarkdown(
    wsNote('haproxy', d.name) ?? wsNote('haproxy', d.name.split(' ')[0]),
    haproxyCarries(cfg, proxy),
  );
  if (note) out.push(note);
  out.push(haproxyKbMarkdown(d, table, d.kind === 'section' ? section : undefined));
  if (proxy) {
    const here = haproxyInThisConfig(cfg, proxy, d, stmt, input);
    if (here) out.push(here);
  } else if (section === 'global' && HAPROXY_TIME_KEYWORDS.has(d.name)) {
    const v = stmt.args[0]?.value;
    const ms = v !== undefined ? parseHaproxyTime(v) : undefined;
    if (ms !== undefined) out.push(`**In this config:** \`${d.name} ${v}\` = ${describeDuration(ms)}.`);
  }
  return out;
}

function haproxyInThisConfig(
  cfg: HaproxyConfig,
  proxy: HaproxyProxy,
  d: HaproxyKeywordSummary,
  stmt: HaproxyStatement,
  input: HoverInput,
): string | undefined {
  if (d.name.startsWith('timeout ')) {
    const which = d.name.slice('timeout '.length);
    const t = haproxyTimeout(proxy, which);
    const lines: string[] = [];
    if (t.eff) {
      const shadow =
        t.eff.statement !== stmt
          ? ` (this line is overridden: the value in effect is the later one at ${whereHaproxy(t.eff.statement, t.eff.proxy.source.tree, t.eff.proxy.source.path, input.path)})`
          : '';
      lines.push(
        `**In \`${proxyLabel(proxy)}\`:** \`${d.name} ${t.eff.values.join(' ')}\`${t.ms ? ` = ${describeDuration(t.ms)}` : ''} — ${haproxyOrigin(t.eff, proxy, input.path)}${shadow}.`,
      );
    }
    if (proxy.kind === 'defaults') {
      const users = cfg.proxies.filter((p) => p !== proxy && p.defaults === proxy);
      if (users.length)
        lines.push(`Applies to ${users.map((p) => `\`${proxyLabel(p)}\``).join(', ')} unless they set their own.`);
    } else {
      const idle = websocketIdle(proxy);
      if (idle.ms !== null) {
        const hb = haproxyHeartbeat(cfg, proxy, input.options);
        lines.push(
          `An idle WebSocket here is cut after ${describeDuration(idle.ms)} (${idle.by}); against the ${seconds(hb.ms)} heartbeat (${heartbeatWhy(hb)}): ${heartbeatText(idle.ms, hb.ms, false)}.`,
        );
      }
    }
    return lines.join(' ');
  }
  const path = d.name.split(' ');
  const eff = haproxyEffective(proxy, path);
  if (!eff) return undefined;
  if (eff.statement === stmt && eff.proxy === proxy && proxy.kind !== 'defaults') return undefined;
  if (eff.statement !== stmt)
    return `**In \`${proxyLabel(proxy)}\`:** the value in effect is \`${[d.name, ...eff.values].join(' ')}\` — ${haproxyOrigin(eff, proxy, input.path)}.`;
  const users = cfg.proxies.filter((p) => p !== proxy && p.defaults === proxy);
  return users.length
    ? `Applies to ${users.map((p) => `\`${proxyLabel(p)}\``).join(', ')} unless they set their own.`
    : undefined;
}
