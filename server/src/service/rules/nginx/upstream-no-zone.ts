import { clipWord } from '../../words';
import { argsMayHold, effectiveValue, walkStatements, type NginxConfig } from '../../model/nginx';
import { nginxWebSocketUpstreams } from '../../model/websocket';
import { insertInContext } from '../../fixes/nginx';
import type { NginxRule } from '../rule';
import { contextSpan, defaultsFor, originRelated } from './common';
import { primaryServers, upstreamInfo, wsUpstreamLabel } from './upstreams';

/** Shared memory zone names already declared (limit_req_zone, proxy_cache_path keys_zone, zone...). */
function zoneNames(config: NginxConfig): Set<string> {
  const out = new Set<string>();
  const statements = walkStatements(config.root);
  const mayHoldZone = argsMayHold('zone=');
  for (let si = 0; si < statements.length; si++) {
    const s = statements[si];
    if (s.name === 'zone' && s.args[0]) out.add(s.args[0]);
    if (!mayHoldZone(s)) continue;
    for (const a of s.args) {
      const m = /^(?:keys_)?zone=([^:]+)/.exec(a);
      if (m) out.add(m[1]);
    }
  }
  return out;
}

export const upstreamNoZone: NginxRule = {
  meta: {
    id: 'nginx/upstream-no-zone',
    system: 'nginx',
    severity: 'warning',
    versions: 'all nginx versions with upstream zone (1.9.0+)',
    fixable: true,
    docs: {
      short:
        'A WebSocket upstream balanced by connection counts (least_conn, round robin) has no `zone`, so with several worker processes each worker balances alone.',
      section: 'Sticky sessions and balancing algorithms',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#zone',
        'https://nginx.org/en/docs/ngx_core_module.html#worker_processes',
      ],
      proof:
        'Live test on nginx 1.22.1 (docs/live-findings.md): two workers, round robin with `max_fails=1` over a dead and a live server, WebSockets one after the other: without `zone` the dead server was tried once by each worker (2 attempts in the error log, two worker pids); with `zone` once in all.',
    },
  },
  check({ config, options, report }) {
    if (config.assumedContext) return; // worker_processes lives in the main config we do not see
    const wp = effectiveValue(config.root, 'worker_processes', defaultsFor(options));
    const n = wp.args?.[0] ?? '1';
    if (n !== 'auto' && !(Number(n) > 1)) return;
    let zones: Set<string> | undefined;
    for (const [up, locations] of nginxWebSocketUpstreams(config)) {
      const info = upstreamInfo(up);
      if (info.zone) continue;
      const method = info.method?.name ?? 'round robin';
      const countsMatter =
        !info.method ||
        info.method.name === 'least_conn' ||
        (info.method.name === 'random' && info.method.args.length > 0);
      if (!countsMatter || primaryServers(info).length < 2) continue;
      const at = contextSpan(up);
      if (!at) continue;
      zones ??= zoneNames(config);
      let zname = info.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'upstream';
      if (zones.has(zname)) zname = `${zname}_upstream`;
      zones.add(zname);
      // after the balancing directive when there is one, else last (a balancing fix inserts at the start)
      report({
        path: at.path,
        span: at.span,
        message: `${wsUpstreamLabel(info.name, locations)} (${method}) has no zone: each of worker_processes ${clipWord(wp.args?.[0] ?? '1')} counts only its own connections; add one`,
        related: originRelated('worker_processes', wp),
        fixes: () => {
          const edit = insertInContext(
            config,
            up,
            [`zone ${zname} 64k;`],
            info.method && info.method.context === up && info.method.source === up.statement?.source
              ? info.method
              : 'end',
          );
          return edit
            ? [
                {
                  title: `Add zone ${clipWord(zname)} 64k (share counts between workers)`,
                  edits: [edit],
                  isPreferred: true,
                },
              ]
            : [];
        },
      });
    }
  },
};
