/** An upstream's or backend's pool in a hover: algorithm, servers, the simulator link, the WebSocket note. */
import { describeDuration } from '../../model/units';
import type { PoolInfo } from '../pools';
import { wsNote } from '../../docs/ws-notes';
import { simulateLink } from './common';
import { noteMarkdown } from './budget';

export function poolMarkdown(info: PoolInfo, uri: string, where: string, carries = true): string {
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
