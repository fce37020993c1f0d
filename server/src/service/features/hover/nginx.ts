/**
 * The nginx hover: on a directive's name, what it is (knowledge base, WebSocket note) and what this
 * config makes of it (nginx-here.ts); on an argument, the map behind a variable, the upstream a
 * name points to, a server parameter, a time or size value.
 */
import { fact } from '../../host/memo';
import { describeNginxDirective } from '../../knowledge/describe';
import { nginxDocs, nginxTarget } from '../../knowledge/nginx';
import { nginxDefaultChange } from '../../knowledge/nginx-facts';
import { compareVersions } from '../../knowledge/versions';
import { effectiveVersion } from '../../version-detect';
import { NGINX_OFFERED_FROM } from '../../version-info';
import {
  definedVariables,
  findUpstream,
  inheritanceChain,
  parseProxyTarget,
  walkStatements,
  type NginxConfig,
  type NginxContext,
  type NginxStatement,
} from '../../model/nginx';
import { describeDuration, parseNginxSize, parseNginxTime } from '../../model/units';
import { nginxCarriesWebSocket, nginxWebSocketLocations, nginxWebSocketUpstreams } from '../../model/websocket';
import { directiveAt, tokenAt } from '../../syntax/nginx/tree';
import type { NginxDirective } from '../../syntax/nginx/types';
import type { Span } from '../../text';
import { wsNote } from '../../docs/ws-notes';
import { nginxUpstreamPool } from '../pools';
import type { ServiceOptions } from '../../options';
import {
  baseName,
  codeBlock,
  fileUri,
  findingParts,
  linksLine,
  RULE,
  type HoverInput,
  type HoverResult,
} from './common';
import { firstSentences, guideCitation, noteMarkdown } from './budget';
import { lineOfStmt, whereNginx } from './origin';
import { poolMarkdown } from './pool';
import {
  isSizeDirective,
  isTimeDirective,
  NGINX_IDLE_TIMEOUTS,
  nginxInThisConfig,
  nginxLocationSummary,
} from './nginx-here';

/** The statement of each directive of a config (the first, for a file included twice). */
const statementIndex = fact('nginx.statementOfDirective', (config: NginxConfig) => {
  const index = new Map<NginxDirective, NginxStatement>();
  for (const s of walkStatements(config.root)) if (!index.has(s.directive)) index.set(s.directive, s);
  return index;
});

function statementOf(config: NginxConfig, d: NginxDirective): NginxStatement | undefined {
  return statementIndex(config).get(d);
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

export function nginxHover(given: HoverInput): HoverResult | null {
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
