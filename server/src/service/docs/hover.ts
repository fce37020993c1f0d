/**
 * Hover content for nginx and HAProxy configs: the knowledge base's documentation of the word under
 * the cursor, a WebSocket note (docs/ws-notes.ts), and what THIS config makes of it — the effective
 * value and where it comes from, compared with the heartbeat; upstream/backend summaries; the map
 * behind a variable; normalised time and size values; and the long explanation of any rule whose
 * finding covers the cursor (the same text as `wslb explain`).
 *
 * Pure: no LSP types. The server converts `span` to a range in the hovered document.
 */
import { describeHaproxyKeyword, describeNginxDirective, type HaproxyKeywordSummary } from '../knowledge/describe';
import { nginxDocs, nginxTarget } from '../knowledge/nginx';
import { HAPROXY_26, type HaproxyTable } from '../knowledge/haproxy';
import {
  haproxyTables,
  haproxyTarget,
  haproxyVersionsWith,
  type HaproxyKeywordKind as HaproxyTableKind,
} from '../knowledge/haproxy-tables';
import { compareVersions } from '../knowledge/versions';
import { effectiveVersion } from '../version-detect';
import { nginxDefault, nginxDefaultChange } from '../knowledge/nginx-facts';
import { NGINX_OFFERED_FROM } from '../version-info';
import {
  definedVariables,
  describeContext,
  effectiveList,
  effectiveProxyHeader,
  effectiveValue,
  findUpstream,
  inheritanceChain,
  parseProxyTarget,
  walkStatements,
  type EffectiveValue,
  type NginxConfig,
  type NginxContext,
  type NginxStatement,
} from '../model/nginx';
import {
  findProxy,
  haproxyEffective,
  haproxyTimeout,
  type HaproxyConfig,
  type HaproxyEffective,
  type HaproxyProxy,
} from '../model/haproxy';
import { describeDuration, parseHaproxyTime, parseNginxSize, parseNginxTime } from '../model/units';
import { nginxUpstreamPool, haproxyProxyPool, type PoolInfo } from '../features/pools';
import { defaultsFor } from '../rules/nginx/common';
import type { ServiceOptions } from '../options';
import { lineAt, statementAt, wordAt } from '../syntax/haproxy';
import type { HaproxyStatement, HaproxyWord } from '../syntax/haproxy/types';
import { directiveAt, tokenAt } from '../syntax/nginx/tree';
import type { NginxDirective } from '../syntax/nginx/types';
import { LineIndex, type Position, type Span } from '../text';
import type { AwsConfig } from '../model/aws';
import { awsHover } from './aws-hover';
import type { Finding } from '../types';
import { ruleExplanationMarkdown } from './explain';
import { sourcePointer, type SourceSection } from './sections';
import { nginxCarriesWebSocket, nginxWebSocketLocations, nginxWebSocketUpstreams } from '../model/websocket';
import { haproxyWebSocketBackends } from '../model/websocket-haproxy';
import { wsNote, type WsNote } from './ws-notes';
import { effectiveHeartbeat, type EffectiveHeartbeat } from '../knowledge/protocols';
import { heartbeatTier } from '../describe/heartbeat';
import { whereLine } from '../describe/where';
import { fact } from '../host/memo';

export interface HoverInput {
  language: 'nginx' | 'haproxy' | 'aws';
  /** The document's path (model paths are absolute "/"-separated). */
  path: string;
  /** Cursor offset in that document's text. */
  offset: number;
  /** The analysed config containing the document (its root may be another file that includes it). */
  nginx?: NginxConfig;
  haproxy?: HaproxyConfig;
  /** AWS: the model of the Terraform module / CloudFormation template (docs/aws-hover.ts). */
  aws?: AwsConfig;
  /** The findings of that analysis, to explain the rules whose ranges cover the cursor. */
  findings: Finding[];
  options: ServiceOptions;
  /** The document's URI for command links; default: a file URI built from `path`. */
  uri?: string;
}

export interface HoverResult {
  markdown: string;
  span: Span;
}

/** The simulator command the extension registers (see server/src/lsp/protocol.ts). */
export const SIMULATE_COMMAND_ID = 'wslb.simulate';

const RULE = '\n\n---\n\n';

export function doHover(input: HoverInput): HoverResult | null {
  try {
    if (input.language === 'aws') return awsHover(input);
    return input.language === 'nginx' ? nginxHover(input) : haproxyHover(input);
  } catch {
    // Hovers are best effort: a surprise in an odd config must not break the editor.
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// shared helpers

export function fileUri(path: string): string {
  const p = path.startsWith('/') ? path : `/${path}`;
  return 'file://' + p.split('/').map(encodeURIComponent).join('/');
}

export function simulateLink(uri: string, pool: string): string {
  return `[Simulate balancing](command:${SIMULATE_COMMAND_ID}?${encodeURIComponent(JSON.stringify([{ uri, pool }]))})`;
}

/** The command the extension registers to show a rule's page (server/src/lsp/protocol.ts EXPLAIN_COMMAND). */
export const EXPLAIN_COMMAND_ID = 'wslb.explainRule';

export function explainLink(code: string, label = 'Explain rule'): string {
  return `[${label}](command:${EXPLAIN_COMMAND_ID}?${encodeURIComponent(JSON.stringify([code]))})`;
}

/** A default hover stays short (issue 20: under about 1,200 characters); the long text is one click away. */
export const HOVER_BUDGET = 1200;

/**
 * The first sentences of a note, up to about `max` characters: the WebSocket fact in two or three
 * lines. (Sentences end with ". " before a capital letter or a backtick.)
 */
export function firstSentences(text: string, max = 300): string {
  const sentences = text.split(/(?<=[.!?])\s+(?=[A-Z`])/);
  let out = sentences[0];
  for (const sn of sentences.slice(1)) {
    if (out.length + 1 + sn.length > max) break;
    out += ' ' + sn;
  }
  return out;
}

/**
 * The WebSocket note, shortened, when the thing hovered carries WebSocket (`carries`); with its
 * guide section as a citation.
 */
function noteMarkdown(note: WsNote | undefined, carries = true): string | undefined {
  if (!note || !carries) return undefined;
  return `**WebSocket:** ${firstSentences(note.text)}\n\n${guideCitation(note.section)}`;
}

function guideCitation(section: SourceSection): string {
  return sourcePointer(section);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function positionIn(range: { start: Position; end: Position }, pos: Position): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(range.start, pos) && before(pos, range.end);
}

const SEVERITY_LABEL: Record<Finding['severity'], string> = {
  error: 'Error',
  warning: 'Warning',
  information: 'Note',
  hint: 'Hint',
};

/**
 * The findings of `path` whose range holds the cursor, one line each (one per rule): what is
 * wrong and a link to the rule's page. The long explanation is that click away.
 */
function findingParts(input: HoverInput, pos: Position): { parts: string[] } {
  const lines: string[] = [];
  const seen = new Set<string>();
  for (const f of input.findings) {
    if (f.file !== input.path || !positionIn(f.range, pos) || seen.has(f.code)) continue;
    seen.add(f.code);
    const explain = ruleExplanationMarkdown(f.code) ? ` ${explainLink(f.code)}` : '';
    lines.push(`**${SEVERITY_LABEL[f.severity]}** \`${f.code}\`: ${f.message}${explain}`);
  }
  return { parts: lines.length ? [lines.join('\n\n')] : [] };
}

/** "30 s", "1.5 s", "250 ms": a compact duration for comparisons. */
function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(3))} s`;
}

/** Rule explanations of the findings under the cursor in an AWS file, and the first one's span. */
export function explainFindingsAt(input: HoverInput): { parts: string[]; span?: Span } {
  const text = input.aws?.files.find((f) => f.path === input.path)?.text;
  if (text === undefined) return { parts: [] };
  const idx = new LineIndex(text);
  const pos = idx.positionAt(input.offset);
  const { parts } = findingParts(input, pos);
  const first = input.findings.find((f) => f.file === input.path && positionIn(f.range, pos));
  return {
    parts,
    span: first ? { start: idx.offsetAt(first.range.start), end: idx.offsetAt(first.range.end) } : undefined,
  };
}

/**
 * The heartbeat a hover compares a timeout with, as the rules do: the user's setting, else the
 * documented default of the protocol the location's path (nginx) or the backend's routes (HAProxy)
 * show, else the generic default.
 */
function nginxHeartbeat(ctx: NginxContext | null | undefined, options: ServiceOptions): EffectiveHeartbeat {
  let loc: NginxContext | null | undefined = ctx;
  while (loc && loc.kind !== 'location') loc = loc.parent;
  return effectiveHeartbeat(options, loc?.statement?.args ?? []);
}

function haproxyHeartbeat(
  cfg: HaproxyConfig,
  proxy: HaproxyProxy | undefined,
  options: ServiceOptions,
): EffectiveHeartbeat {
  const reasons = proxy ? (haproxyWebSocketBackends(cfg).find((b) => b.proxy === proxy)?.reasons ?? []) : [];
  return effectiveHeartbeat(
    options,
    reasons.map((r) => r.text),
  );
}

/** Which heartbeat was used and why, short, with its source: "the Socket.IO default, by the path; [source](…)". */
export function heartbeatWhy(hb: EffectiveHeartbeat): string {
  if (hb.origin === 'setting') return 'your setting, wslb.heartbeat';
  if (hb.origin === 'protocol' && hb.protocol)
    return `the ${hb.protocol.name} default, by the path; [source](${hb.protocol.source})`;
  if (hb.protocol)
    return `the generic default: ${hb.protocol.name} sends none by default, [source](${hb.protocol.source})`;
  return 'the generic default: no protocol known from the path; set yours with wslb.heartbeat';
}

/** How a timeout fares against the heartbeat; `named` false when the sentence has just named the heartbeat ("it"). */
export function heartbeatText(ms: number, hbMs: number, named = true): string {
  const hb = seconds(hbMs);
  const it = named ? `the ${hb} heartbeat` : 'it';
  const tier = heartbeatTier(ms, hbMs)?.severity; // the tiers of the timeout rules
  if (tier === 'error') return `at or below ${it}: idle WebSockets are cut before the next ping arrives`;
  if (tier === 'warning') return `above ${it} without margin: one late or lost ping cuts the connection`;
  const missed = Math.floor(ms / hbMs) - 1;
  return `${seconds(ms)} leaves ${missed === 1 ? 'one missed' : `${missed} missed`} ${hb} ping${missed === 1 ? '' : 's'} of margin`;
}

function codeBlock(text: string, lang = ''): string {
  const fence = text.includes('```') ? '~~~' : '```';
  return `${fence}${lang}\n${text}\n${fence}`;
}

function poolMarkdown(info: PoolInfo, uri: string, where: string, carries = true): string {
  const p = info.pool;
  const lines: string[] = [];
  const algo = p.algorithm + (p.hashKey ? ` ${p.hashKey}` : '') + (p.consistent ? ' consistent' : '');
  lines.push(`**${p.system === 'nginx' ? 'upstream' : 'backend'} \`${p.name}\`** — ${where}`);
  lines.push(
    `**Algorithm:** \`${algo}\`${p.system === 'nginx' && p.algorithm === 'round_robin' ? ' (the default)' : ''}` +
      (p.system === 'nginx' ? (p.zone ? ' · shared `zone`' : ' · no `zone`') : ''),
  );
  if (p.servers.length === 0) lines.push('*No servers.*');
  else {
    const rows = ['| server | weight | flags |', '|---|---|---|'];
    for (const s of p.servers) {
      const flags: string[] = [];
      if (s.backup) flags.push('backup');
      if (s.down) flags.push(p.system === 'nginx' ? 'down' : 'disabled');
      if (s.maxFails !== undefined) flags.push(`max_fails=${s.maxFails}`);
      if (s.failTimeoutMs !== undefined) flags.push(`fail_timeout=${describeDuration(s.failTimeoutMs)}`);
      if (s.maxconn !== undefined) flags.push(`maxconn ${s.maxconn}`);
      if (s.slowstartMs !== undefined) flags.push(`slowstart ${describeDuration(s.slowstartMs)}`);
      rows.push(`| \`${s.name.replace(/\|/g, '\\|')}\` | ${s.weight} | ${flags.join(', ') || '—'} |`);
    }
    lines.push(rows.join('\n'));
  }
  const note =
    p.system === 'aws'
      ? undefined
      : noteMarkdown(
          wsNote(
            p.system,
            p.system === 'nginx' ? nginxAlgorithmKey(p.algorithm) : `balance ${p.algorithm.replace(/\(.*$/, '')}`,
          ),
          carries,
        );
  const out = [lines.join('\n\n'), simulateLink(uri, p.name)];
  if (note) out.push(note);
  return out.join('\n\n');
}

function nginxAlgorithmKey(algorithm: string): string {
  return algorithm === 'round_robin' ? 'upstream' : algorithm;
}

// ---------------------------------------------------------------------------------------------
// nginx

/** The statement of each directive of a config (the first, for a file included twice). */
const statementIndex = fact('nginx.statementOfDirective', (config: NginxConfig) => {
  const index = new Map<NginxDirective, NginxStatement>();
  for (const s of walkStatements(config.root)) if (!index.has(s.directive)) index.set(s.directive, s);
  return index;
});

function statementOf(config: NginxConfig, d: NginxDirective): NginxStatement | undefined {
  return statementIndex(config).get(d);
}

function lineOfStmt(s: NginxStatement): number {
  return s.source.tree.lineIndex.positionAt(s.directive.start).line + 1;
}

function whereNginx(s: NginxStatement, herePath: string): string {
  return whereLine(s.source.path, lineOfStmt(s), herePath);
}

/** "set here (line 9)", "inherited from `http` at line 12", "nginx 1.22.1's default". */
function nginxOrigin(eff: EffectiveValue, herePath: string): string {
  if (eff.source === 'default') return eff.args ? (eff.defaultNote ?? 'the default') : 'not set, no default';
  const s = eff.statement!;
  if (eff.source === 'here') return `set here (${whereNginx(s, herePath)})`;
  return `inherited from \`${describeContext(s.context)}\` at ${whereNginx(s, herePath)}`;
}

const NGINX_IDLE_TIMEOUTS = new Set([
  'proxy_read_timeout',
  'proxy_timeout',
  'grpc_read_timeout',
  'uwsgi_read_timeout',
  'scgi_read_timeout',
]);

function isTimeDirective(name: string): boolean {
  return /_timeout$/.test(name) || name === 'keepalive_time' || name === 'proxy_cache_valid' || name === 'expires';
}

function isSizeDirective(name: string): boolean {
  return /_size$|_buffers?$|_max_body_size$|^proxy_buffers$|_limit$/.test(name);
}

function nginxScalarLine(
  ctx: NginxContext,
  name: string,
  options: ServiceOptions,
  herePath: string,
  hbMs = options.heartbeatMs,
): string {
  const eff = effectiveValue(ctx, name, defaultsFor(options));
  const value = eff.args ? `\`${eff.args.join(' ')}\`` : '*(unset)*';
  let line = `- \`${name}\` ${value} — ${nginxOrigin(eff, herePath)}`;
  if (NGINX_IDLE_TIMEOUTS.has(name) && eff.args?.length === 1) {
    const ms = parseNginxTime(eff.args[0]);
    if (ms !== undefined) line += `; ${heartbeatText(ms, hbMs)}`;
  }
  return line;
}

function headerLine(ctx: NginxContext, header: string, herePath: string): string {
  const h = effectiveProxyHeader(ctx, header);
  if (h.value === null) {
    const dropped =
      h.list.source !== 'default'
        ? ` — the \`proxy_set_header\` list of \`${h.list.from ? describeContext(h.list.from) : '?'}\` leaves it out`
        : '';
    return `- \`${header}\` header: not sent${header === 'Connection' ? ' (nginx sends `close`)' : ''}${dropped}`;
  }
  const s = h.statement!;
  const from =
    s.context === ctx
      ? `set here (${whereNginx(s, herePath)})`
      : `inherited from \`${describeContext(s.context)}\` at ${whereNginx(s, herePath)}`;
  return `- \`${header}\` header: \`${h.value}\` — ${from}`;
}

/** What a proxying location gets for the WebSocket-relevant settings, with origins. */
function nginxLocationSummary(ctx: NginxContext, options: ServiceOptions, herePath: string): string {
  const lines: string[] = [];
  const hb = nginxHeartbeat(ctx, options);
  if (ctx.family === 'stream') {
    lines.push(nginxScalarLine(ctx, 'proxy_timeout', options, herePath, hb.ms));
    lines.push(nginxScalarLine(ctx, 'proxy_connect_timeout', options, herePath, hb.ms));
  } else {
    for (const n of ['proxy_http_version', 'proxy_read_timeout', 'proxy_send_timeout', 'proxy_buffering'])
      lines.push(nginxScalarLine(ctx, n, options, herePath, hb.ms));
    lines.push(headerLine(ctx, 'Upgrade', herePath));
    lines.push(headerLine(ctx, 'Connection', herePath));
  }
  return `**Effective in \`${describeContext(ctx)}\`** (heartbeat ${describeDuration(hb.ms)}${hb.origin === 'protocol' && hb.protocol ? `, the ${hb.protocol.name} default` : ''}):\n\n${lines.join('\n')}`;
}

/**
 * What the directive is, in two lines: name, module, the default for the target version and the
 * contexts, then the first sentence of nginx's description. The full reference is the docs link.
 */
function nginxKbMarkdown(
  name: string,
  ctx: NginxContext | null,
  options: ServiceOptions,
): { text: string; url?: string } | undefined {
  const version = options.nginxVersion;
  const family = ctx?.family === 'main' || !ctx ? undefined : ctx.family;
  const inUpstream = ctx?.kind === 'upstream';
  if (inUpstream && name === 'server') {
    const doc = nginxDocs('server', family ?? 'http').find((d) => d.module.includes('upstream'));
    if (doc)
      return {
        text: `**\`server\`** (upstream) — ${doc.module} · default: none · context: upstream\n\n${firstSentences(doc.description, 200)}`,
        url: doc.url,
      };
  }
  const kbFamily = ctx?.kind === 'events' ? 'events' : family;
  const d = describeNginxDirective(name, { version, family: kbFamily });
  if (!d) return undefined;
  const def = d.default;
  const change = nginxDefaultChange(d.name, version, kbFamily === 'stream' || kbFamily === 'mail' ? kbFamily : 'http');
  const defText = (def?.value !== undefined ? `\`${d.name} ${def.value};\`` : 'none') + (change ? ` (${change})` : '');
  // "since" where the directive is younger than the oldest release wslb offers (older ones: always there)
  const since =
    d.since && !d.unavailable && compareVersions(d.since, NGINX_OFFERED_FROM) > 0 ? ` · since nginx ${d.since}` : '';
  const lines = [
    `**\`${d.name}\`** — ${d.module}${since} · default (nginx ${version}): ${defText} · context: ${contextList(d.contexts)}`,
  ];
  if (d.unavailable) lines.push(`⚠️ **Not usable with the target:** ${d.unavailable}`);
  if (d.description) lines.push(firstSentences(d.description.replace(/\s*\n\s*/g, ' '), 200));
  return { text: lines.join('\n\n'), url: d.url };
}

/** "http, server, location": the knowledge base writes some contexts space-separated ("http server"). */
function contextList(contexts: readonly string[]): string {
  const words = contexts.flatMap((c) => (/^if in |^limit_except$/.test(c) ? [c] : c.split(/\s+/)));
  return [...new Set(words.filter(Boolean))].join(', ') || 'any';
}

/** Does this context carry WebSocket (a WebSocket location, inside one or around one; a WebSocket upstream)? */
function nginxCarries(cfg: NginxConfig, ctx: NginxContext | null): boolean {
  if (!ctx || ctx.kind === 'main' || ctx.kind === 'events' || ctx.kind === 'http') return nginxCarriesWebSocket(cfg);
  if (ctx.kind === 'upstream') return nginxWebSocketUpstreams(cfg).has(ctx);
  const chain = inheritanceChain(ctx);
  return nginxWebSocketLocations(cfg).some(
    (wl) => chain.includes(wl.location) || inheritanceChain(wl.location).includes(ctx),
  );
}

function linksLine(links: (string | undefined)[]): string | undefined {
  const l = links.filter((x): x is string => !!x);
  return l.length ? l.join(' · ') : undefined;
}

function nginxDirectiveHover(
  cfg: NginxConfig,
  d: NginxDirective,
  stmt: NginxStatement | undefined,
  input: HoverInput,
): string[] {
  const ctx = stmt?.context ?? null;
  const name = d.name;
  const parts: string[] = [];
  const kb = nginxKbMarkdown(name, ctx, input.options);
  // A block directive carries WebSocket when its own block does (a location, an upstream).
  const carries = nginxCarries(cfg, stmt?.block ?? ctx);
  const wsnote = carries ? wsNote('nginx', name) : undefined;
  const note = noteMarkdown(wsnote);
  if (!kb && !note) return [];
  if (note) parts.push(note.slice(0, note.lastIndexOf('\n\n')));
  if (name === 'location' && carries && stmt?.block) {
    const wl = nginxWebSocketLocations(cfg).find((w) => w.location === stmt.block);
    if (wl)
      parts.push(
        `**WebSocket:** this location carries WebSocket (${wl.reasons
          .slice(0, 2)
          .map((r) => r.text)
          .join(
            '; ',
          )}): it needs HTTP/1.1, the Upgrade and Connection headers, and an idle timeout above the heartbeat.`,
      );
  }
  // With a WebSocket note, the note says what matters: nginx's description stays behind the link.
  if (kb) parts.push(parts.length ? kb.text.split('\n\n')[0] : kb.text);
  if (stmt && ctx) {
    const here = nginxInThisConfig(cfg, stmt, ctx, input, carries);
    if (here) parts.push(here);
  }
  const links = linksLine([
    kb?.url ? `[nginx docs](${kb.url})` : undefined,
    wsnote ? guideCitation(wsnote.section) : undefined,
  ]);
  if (links) parts.push(links);
  return parts;
}

function nginxInThisConfig(
  cfg: NginxConfig,
  stmt: NginxStatement,
  ctx: NginxContext,
  input: HoverInput,
  carries: boolean,
): string | undefined {
  const { options, path } = input;
  const name = stmt.name;
  // The WebSocket summary (HTTP version, timeouts, Upgrade/Connection) only where WebSocket goes.
  if (name === 'location' && stmt.block) {
    return carries && stmt.block.statements.some((s) => s.name === 'proxy_pass')
      ? nginxLocationSummary(stmt.block, options, path)
      : undefined;
  }
  if (name === 'proxy_pass') return carries ? nginxLocationSummary(ctx, options, path) : undefined;
  if (name === 'upstream' && stmt.block) {
    const info = nginxUpstreamPool(cfg, stmt.block);
    return info ? poolMarkdown(info, input.uri ?? fileUri(info.path), `${whereNginx(stmt, path)}`, carries) : undefined;
  }
  if (name === 'proxy_set_header') {
    const list = effectiveList(ctx, 'proxy_set_header');
    const lines = [headerLine(ctx, 'Upgrade', path), headerLine(ctx, 'Connection', path)];
    const outer = inheritanceChain(ctx)[1];
    if (list.source === 'here' && outer) {
      const lost = effectiveList(outer, 'proxy_set_header').statements.filter(
        (s) => !list.statements.some((m) => m.args[0]?.toLowerCase() === s.args[0]?.toLowerCase()),
      );
      if (lost.length)
        lines.push(
          `- Because this level sets its own list, these outer headers are **not** inherited here: ${lost.map((s) => `\`${s.args[0]}\` (${whereNginx(s, path)})`).join(', ')}`,
        );
    }
    return `**In \`${describeContext(ctx)}\`:**\n\n${lines.join('\n')}`;
  }
  if (name === 'worker_connections') {
    const n = Number(stmt.args[0]);
    if (Number.isFinite(n)) {
      const wp = cfg.root.statements.find((s) => s.name === 'worker_processes')?.args[0] ?? '1';
      return `**In this config:** ${n} connections per worker ≈ ${Math.floor(n / 2)} proxied WebSockets per worker (each uses a client and a backend connection); \`worker_processes ${wp}\`.`;
    }
  }
  const def = nginxDefault(name, options.nginxVersion, ctx.family === 'main' ? 'http' : ctx.family);
  const known = def !== undefined || NGINX_IDLE_TIMEOUTS.has(name) || isTimeDirective(name);
  if (!known) return undefined;
  const eff = effectiveValue(ctx, name, defaultsFor(options));
  const lines: string[] = [];
  const value = eff.args ? eff.args.join(' ') : '(unset)';
  const shadowed =
    eff.statement && eff.statement !== stmt ? ` (the later line at ${whereNginx(eff.statement, path)} wins)` : '';
  lines.push(`**In \`${describeContext(ctx)}\`:** \`${name} ${value}\` — ${nginxOrigin(eff, path)}${shadowed}.`);
  const outer = inheritanceChain(ctx)[1];
  if (outer) {
    const o = effectiveValue(outer, name, defaultsFor(options));
    if (o.args)
      lines.push(
        `It overrides \`${o.args.join(' ')}\` (${o.source === 'default' ? (o.defaultNote ?? 'the default') : `from \`${describeContext(o.statement!.context)}\` at ${whereNginx(o.statement!, path)}`}).`,
      );
  } else if (def?.value !== undefined && eff.source !== 'default') {
    lines.push(`nginx ${options.nginxVersion}'s default would be \`${def.value}\`.`);
  }
  if (eff.args?.length === 1) {
    const ms = isTimeDirective(name) ? parseNginxTime(eff.args[0]) : undefined;
    if (ms !== undefined) {
      lines.push(`\`${eff.args[0]}\` = ${describeDuration(ms)}.`);
      if (NGINX_IDLE_TIMEOUTS.has(name)) {
        const hb = nginxHeartbeat(ctx, options);
        lines.push(
          `Against the ${seconds(hb.ms)} heartbeat (${heartbeatWhy(hb)}): ${heartbeatText(ms, hb.ms, false)}.`,
        );
      }
    }
  }
  return lines.join(' ');
}

const BUILTIN_VARIABLES: Record<string, string> = {
  http_upgrade: "the client's `Upgrade` request header (`websocket` on a WebSocket handshake, empty otherwise)",
  connection_upgrade:
    "not built in: it must be defined by a `map` (conventionally `map $http_upgrade $connection_upgrade { default upgrade; '' close; }`)",
  remote_addr: 'the client address as nginx sees it (the previous hop behind a proxy or CDN)',
  binary_remote_addr: 'the client address in binary form (4 bytes for IPv4)',
  proxy_add_x_forwarded_for: "the client's `X-Forwarded-For` header with `$remote_addr` appended",
  host: "the request's host name (from the request line, the `Host` header, or the server name)",
};

function variableHover(cfg: NginxConfig, name: string, path: string): string | undefined {
  const def = definedVariables(cfg).get(name);
  if (def) {
    const text = def.source.text.slice(def.directive.start, def.directive.end);
    const clipped = text.length > 2000 ? text.slice(0, 2000) + '\n…' : text;
    const loc = `${def.source.path === path ? baseName(path) : def.source.path}:${lineOfStmt(def)}`;
    return `**\`$${name}\`** is defined by \`${def.name}\` at ${loc}:\n\n${codeBlock(clipped, 'nginx')}`;
  }
  const builtin = BUILTIN_VARIABLES[name];
  if (builtin)
    return `**\`$${name}\`**: ${builtin}.${name === 'connection_upgrade' ? ' This config does not define it, so `nginx -t` fails with `unknown "connection_upgrade" variable`.' : ''}`;
  return undefined;
}

function nginxHover(given: HoverInput): HoverResult | null {
  const cfg = given.nginx;
  if (!cfg) return null;
  // the version the root file's `# wslb: nginx 1.26` comment names, as the checks use it
  const v = effectiveVersion(
    cfg.sources.get(cfg.rootPath)?.text ?? '',
    'nginx',
    given.options.nginxVersion,
    !!given.options.nginxVersionSet,
    undefined,
  );
  const input =
    v.detected && v.version !== given.options.nginxVersion && nginxTarget(v.version).ok
      ? { ...given, options: { ...given.options, nginxVersion: v.version, nginxVersionSet: true } }
      : given;
  const src = cfg.sources.get(input.path);
  if (!src) return null;
  const file = src.tree;
  const offset = Math.max(0, Math.min(input.offset, file.text.length));
  const tok = tokenAt(file, offset);
  const pos = file.lineIndex.positionAt(offset);
  const findings = findingParts(input, pos).parts;
  const d = directiveAt(file, offset);
  const isWord = tok && tok.type === 'token' && tok.raw !== ';' && d && (tok === d.nameToken || d.args.includes(tok));
  if (!tok || (tok.type === 'trivia' && !findings.length)) return null;
  if (!isWord || !d) {
    if (!findings.length || !tok || tok.type === 'trivia') return null;
    return { markdown: findings.join(RULE), span: { start: tok.start, end: tok.end } };
  }
  const stmt = statementOf(cfg, d);
  const span: Span = { start: tok.start, end: tok.end };
  const parts: string[] = [];
  if (tok === d.nameToken) {
    parts.push(...nginxDirectiveHover(cfg, d, stmt, input));
  } else {
    parts.push(...nginxArgHover(cfg, d, stmt, tok.value, tok.raw, offset - tok.start, input));
  }
  const all = [...findings, ...parts];
  if (all.length === 0) return null;
  return { markdown: all.join(RULE), span };
}

function nginxArgHover(
  cfg: NginxConfig,
  d: NginxDirective,
  stmt: NginxStatement | undefined,
  value: string,
  raw: string,
  rel: number,
  input: HoverInput,
): string[] {
  const ctx = stmt?.context;
  const i = d.args.findIndex((a) => a.value === value && a.raw === raw);
  // a variable under the cursor
  for (const m of raw.matchAll(/\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*))/g)) {
    const at = m.index ?? 0;
    if (rel >= at && rel <= at + m[0].length) {
      const v = variableHover(cfg, m[1] ?? m[2], input.path);
      if (v) return [v];
    }
  }
  // the name of an upstream: in its header, or as the host of a proxy_pass
  if (d.name === 'upstream' && i === 0 && stmt?.block) {
    const info = nginxUpstreamPool(cfg, stmt.block);
    if (info)
      return [
        poolMarkdown(
          info,
          input.uri ?? fileUri(info.path),
          whereNginx(stmt, input.path),
          nginxWebSocketUpstreams(cfg).has(stmt.block),
        ),
      ];
  }
  if (/^(proxy|grpc|uwsgi|scgi|fastcgi)_pass$/.test(d.name) && ctx) {
    const target = parseProxyTarget(value);
    const up = findUpstream(cfg, target.host, ctx.family === 'stream' ? 'stream' : 'http');
    if (up?.statement) {
      const info = nginxUpstreamPool(cfg, up);
      if (info)
        return [
          poolMarkdown(
            info,
            input.uri === undefined || up.statement.source.path !== input.path ? fileUri(info.path) : input.uri,
            whereNginx(up.statement, input.path),
            // With the location's WebSocket summary below, the pool's own note would repeat it.
            nginxWebSocketUpstreams(cfg).has(up) && !nginxCarries(cfg, ctx),
          ),
          ...(nginxCarries(cfg, ctx) ? [nginxLocationSummary(ctx, input.options, input.path)] : []),
        ];
    }
  }
  // a parameter of an upstream server
  if (d.name === 'server' && ctx?.kind === 'upstream' && i >= 1) {
    const eq = value.indexOf('=');
    const key = eq >= 0 ? value.slice(0, eq) : value;
    const v = eq >= 0 ? value.slice(eq + 1) : '';
    const note = wsNote('nginx', `server:${key}`);
    const parts = [`**\`server\` parameter \`${key}\`**${v ? ` = \`${v}\`` : ''}`];
    if (key === 'fail_timeout' || key === 'slow_start') {
      const ms = parseNginxTime(v);
      if (ms !== undefined) parts[0] += ` (${describeDuration(ms)})`;
    }
    const noteText = noteMarkdown(note, nginxWebSocketUpstreams(cfg).has(ctx));
    if (noteText) parts.push(noteText);
    return parts.length > 1 || v ? parts : [];
  }
  // a time or size value
  const out: string[] = [];
  if (isTimeDirective(d.name) || /^\d+(ms|s|m|h|d|w|M|y)$/.test(value)) {
    const ms = parseNginxTime(value);
    // (an idle timeout's directive part below gives the duration, the comparison with the
    // heartbeat and which heartbeat and why; the value line would repeat it)
    const repeated = NGINX_IDLE_TIMEOUTS.has(d.name) && stmt?.args.length === 1 && !/^\d+$/.test(value);
    if (ms !== undefined && !repeated)
      out.push(
        `\`${value}\` = ${describeDuration(ms)}${/^\d+$/.test(value) ? ' (a bare number is seconds in nginx)' : ''}.`,
      );
  } else if (isSizeDirective(d.name)) {
    const bytes = parseNginxSize(value);
    if (bytes !== undefined && /[kKmMgG]$/.test(value))
      out.push(`\`${value}\` = ${bytes.toLocaleString('en-US')} bytes.`);
  }
  // otherwise: the directive's own hover, so arguments explain themselves through it
  const dir = nginxDirectiveHover(cfg, d, stmt, input);
  return [...out, ...dir];
}

// ---------------------------------------------------------------------------------------------
// HAProxy

function whereHaproxy(
  stmt: HaproxyStatement,
  tree: { lineIndex: { positionAt(o: number): Position } },
  statementPath: string,
  herePath: string,
): string {
  return whereLine(statementPath, tree.lineIndex.positionAt(stmt.line.start).line + 1, herePath);
}

function proxyLabel(p: HaproxyProxy): string {
  return p.name ? `${p.kind} ${p.name}` : p.kind;
}

function haproxyOrigin(eff: HaproxyEffective, here: HaproxyProxy, herePath: string): string {
  const where = whereHaproxy(eff.statement, eff.proxy.source.tree, eff.proxy.source.path, herePath);
  if (eff.proxy === here) return `set here (${where})`;
  return `from \`${proxyLabel(eff.proxy)}\` at ${where}`;
}

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

/** The keyword table hovers read: the target version's (its file's `# wslb: haproxy X` comment first), else 2.6's. */
function hoverTable(input: HoverInput, cfg: HaproxyConfig): HaproxyTable {
  const text = cfg.sources[0]?.text ?? '';
  const v = effectiveVersion(
    text,
    'haproxy',
    input.options.haproxyVersion,
    !!input.options.haproxyVersionSet,
    undefined,
  );
  const t = haproxyTarget(v.version);
  return t.ok ? t.table.table : HAPROXY_26;
}

/** What the keyword is, in one or two lines, with the manual link (the full text is there). */
function haproxyKbMarkdown(d: HaproxyKeywordSummary, table: HaproxyTable = HAPROXY_26, where?: string): string {
  const kind =
    d.kind === 'server-option'
      ? 'server option'
      : d.kind === 'bind-option'
        ? 'bind option'
        : d.kind === 'section' && where === undefined
          ? 'section'
          : 'keyword';
  const syntax = d.syntax.length ? ` · \`${d.name} ${d.syntax[0]}\`` : '';
  const allowed = d.allowedIn ? ` · allowed in: ${d.allowedIn.join(', ')}` : '';
  const versions = haproxyVersionsLine(d, table, where);
  return (
    `**\`${d.name}\`** — HAProxy ${table.version} ${kind}${syntax}${allowed}` +
    (versions ? `\n\n${versions}` : '') +
    `\n\n[HAProxy ${table.version} manual, ${d.section}](${d.url})`
  );
}

/** The kind haproxy-tables.ts looks a summary up by (undefined: not looked up there). */
function tableKind(d: HaproxyKeywordSummary): HaproxyTableKind | undefined {
  switch (d.kind) {
    case 'server-option':
      return 'server';
    case 'bind-option':
      return 'bind';
    case 'proxy':
    case 'global':
    case 'section':
      return d.kind;
    default:
      return undefined;
  }
}

/**
 * Which of the HAProxy versions wslb has tables for know a keyword, when that is not all of them,
 * and what changes after the target's table: "In HAProxy 3.0 to 3.4 (added in 3.0)", "In HAProxy
 * 2.6 to 2.8 (gone from 3.0; not in 3.0, newer than this target)". `where`: the section of a
 * section keyword (undefined for a section header).
 */
function haproxyVersionsLine(d: HaproxyKeywordSummary, table: HaproxyTable, where?: string): string {
  const kind = tableKind(d);
  if (!kind) return '';
  const all = haproxyTables().map((t) => t.version);
  const have = haproxyVersionsWith(kind, d.name, where);
  if (have.length === 0 || have.length === all.length) return '';
  const first = have[0];
  const last = have[have.length - 1];
  const span = first === last ? `HAProxy ${first}` : `HAProxy ${first} to ${last}`;
  const notes: string[] = [];
  if (first !== all[0]) notes.push(`added in ${first}`);
  if (last !== all[all.length - 1]) {
    const gone = all[all.indexOf(last) + 1];
    notes.push(`removed in ${gone}${compareVersions(gone, table.version) > 0 ? ', newer than this target' : ''}`);
  }
  return `In ${span}${notes.length ? ` (${notes.join('; ')})` : ''}, of the versions wslb knows (${all.join(', ')}).`;
}

/**
 * A keyword the target's table lacks but another known version has: which versions, in a line
 * (the `keyword-too-new` / `keyword-removed` findings say the same when they are on; this is for
 * the hover when they are off).
 */
function haproxyElsewhereMarkdown(
  kwWords: readonly string[],
  section: string,
  option: string | undefined,
  table: HaproxyTable,
  /** The hovered word's index among `kwWords` (an argument of the keyword gets nothing); -1 for a section header. */
  wordIndex = 0,
): string | undefined {
  for (const t of [...haproxyTables()].reverse()) {
    if (t.table === table) continue;
    const header = t.table.sectionDoc(section);
    const d: HaproxyKeywordSummary | undefined =
      wordIndex < 0
        ? header && {
            name: header.name,
            kind: 'section',
            section: header.section,
            url: t.table.docUrl(header.anchor),
            syntax: [],
          }
        : describeHaproxyKeyword(kwWords, section, option, t.table);
    // (with `option`, a match of the line's own keyword is not the option's)
    if (!d || (option !== undefined && d.kind !== 'server-option' && d.kind !== 'bind-option' && d.kind !== 'action'))
      continue;
    if (option === undefined && wordIndex >= d.name.split(' ').length) return undefined;
    const kind = tableKind(d);
    const have = kind
      ? haproxyVersionsWith(kind, d.name, d.kind === 'section' && wordIndex >= 0 ? section : undefined)
      : [t.version];
    const span = have.length > 1 ? `${have[0]} to ${have[have.length - 1]}` : have[0];
    return (
      `**\`${d.name}\`** — not in HAProxy ${table.version}: known in HAProxy ${span} of the versions wslb knows.` +
      `\n\n[HAProxy ${t.version} manual, ${d.section}](${d.url})`
    );
  }
  return undefined;
}

/** haproxyElsewhereMarkdown() unless a finding on the line already says the keyword is too new or removed. */
function haproxyElsewhere(
  input: HoverInput,
  stmt: HaproxyStatement,
  kwWords: readonly string[],
  section: string,
  option: string | undefined,
  table: HaproxyTable,
  wordIndex = 0,
): string[] {
  const tree = input.haproxy?.sources.find((s) => s.path === input.path)?.tree;
  const line = tree ? tree.lineIndex.positionAt(stmt.line.start).line : -1;
  const said = input.findings.some(
    (f) =>
      f.file === input.path &&
      f.range.start.line === line &&
      (f.code === 'haproxy/keyword-too-new' || f.code === 'haproxy/keyword-removed'),
  );
  if (said) return [];
  const m = haproxyElsewhereMarkdown(kwWords, section, option, table, wordIndex);
  return m ? [m] : [];
}

function haproxyHover(input: HoverInput): HoverResult | null {
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
