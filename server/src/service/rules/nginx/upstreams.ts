/** Shared reading of `upstream` blocks for the balancing rules. */
import { clipWord } from '../../words';
import { findStatements, type NginxContext, type NginxStatement } from '../../model/nginx';
import { namesAndMore } from '../name-list';
import { fact } from '../../host/memo';

/** Balancing directives of open-source nginx (and NGINX Plus's least_time/sticky/ntlm, which replace round robin too). */
const METHODS = ['least_conn', 'ip_hash', 'hash', 'random', 'least_time', 'sticky', 'ntlm'];

export interface UpstreamInfo {
  readonly name: string;
  readonly method: NginxStatement | null;
  readonly servers: readonly NginxStatement[];
  readonly zone: NginxStatement | null;
}

/**
 * An upstream block's reading, once per context (each balancing rule asks it of every WebSocket
 * upstream). A context's statements never change: an edit builds new contexts for what it touches.
 */
export const upstreamInfo = fact('nginx.upstreamInfo', (up: NginxContext): UpstreamInfo => {
  const method = up.statements.find((s) => METHODS.includes(s.name)) ?? null;
  return {
    name: up.statement?.args[0] ?? '',
    method,
    servers: findStatements(up, 'server').concat(findStatements(up, 'server_template')),
    zone: findStatements(up, 'zone')[0] ?? null,
  };
});

/** How many distinct peers the upstream balances over (a `backup` server only stands in). */
export function primaryServers(info: UpstreamInfo): NginxStatement[] {
  return info.servers.filter((s) => {
    const args = s.args;
    for (let i = 1; i < args.length; i++) if (args[i] === 'backup' || args[i] === 'down') return false;
    return true;
  });
}

/** "WebSocket upstream chat" (or, with no location seen, "upstream chat (a WebSocket pool)"), for short messages. */
export function wsUpstreamLabel(name: string, locations: { location: NginxContext }[]): string {
  return locations.length ? `WebSocket upstream ${clipWord(name)}` : `upstream ${clipWord(name)} (a WebSocket pool)`;
}

export function whoSends(locations: { location: NginxContext }[]): string {
  if (!locations.length) return 'named or marked as a WebSocket pool';
  const labels = [
    ...new Set(
      locations.map((l) =>
        l.location.statement
          ? [l.location.statement.name, ...l.location.statement.args].map((a) => clipWord(a)).join(' ')
          : l.location.kind,
      ),
    ),
  ];
  return `used by WebSocket ${namesAndMore(labels, 2)}`;
}
