/**
 * What this nginx config makes of a directive: the effective value and where it comes from, what
 * it overrides, the proxy headers sent, and idle timeouts against the heartbeat.
 */
import { nginxDefault } from '../../knowledge/nginx-facts';
import {
  describeContext,
  effectiveList,
  effectiveProxyHeader,
  effectiveValue,
  inheritanceChain,
  type NginxConfig,
  type NginxContext,
  type NginxStatement,
} from '../../model/nginx';
import { describeDuration, parseNginxTime } from '../../model/units';
import { nginxUpstreamPool } from '../pools';
import { defaultsFor } from '../../rules/nginx/common';
import type { ServiceOptions } from '../../options';
import { fileUri, seconds, type HoverInput } from './common';
import { heartbeatText, heartbeatWhy, nginxHeartbeat } from './heartbeat';
import { nginxOrigin, nginxStatementOrigin, whereNginx } from './origin';
import { poolMarkdown } from './pool';

export const NGINX_IDLE_TIMEOUTS = new Set([
  'proxy_read_timeout',
  'proxy_timeout',
  'grpc_read_timeout',
  'uwsgi_read_timeout',
  'scgi_read_timeout',
]);

export function isTimeDirective(name: string): boolean {
  return /_timeout$/.test(name) || name === 'keepalive_time' || name === 'proxy_cache_valid' || name === 'expires';
}

export function isSizeDirective(name: string): boolean {
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

export function headerLine(ctx: NginxContext, header: string, herePath: string): string {
  const h = effectiveProxyHeader(ctx, header);
  if (h.value === null) {
    const dropped =
      h.list.source !== 'default'
        ? ` — the \`proxy_set_header\` list of \`${h.list.from ? describeContext(h.list.from) : '?'}\` leaves it out`
        : '';
    return `- \`${header}\` header: not sent${header === 'Connection' ? ' (nginx sends `close`)' : ''}${dropped}`;
  }
  const s = h.statement!;
  return `- \`${header}\` header: \`${h.value}\` — ${nginxStatementOrigin(s, s.context === ctx, herePath)}`;
}

/** What a proxying location gets for the WebSocket-relevant settings, with origins. */
export function nginxLocationSummary(ctx: NginxContext, options: ServiceOptions, herePath: string): string {
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

export function nginxInThisConfig(
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
