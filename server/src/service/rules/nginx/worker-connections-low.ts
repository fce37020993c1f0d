import { clipWord } from '../../words';
import { findStatements } from '../../model/nginx';
import { nginxCarriesWebSocket } from '../../model/websocket';
import { insertInContext, insertInMain, replaceArg } from '../../fixes/nginx';
import type { EditSpec, NginxRule } from '../rule';
import { argSpan, citeOf, defaultsFor, headerSpan, lineOf } from './common';

/**
 * The threshold: below 1024 connections a worker holds fewer than 512 proxied WebSockets (each
 * takes a client and an upstream connection). 1024 is also the usual soft limit of open files per
 * process on Linux, which is why the fix raises worker_rlimit_nofile together with it.
 */
export const WORKER_CONNECTIONS_MIN = 1024;
const TARGET_CONNECTIONS = 4096;
const TARGET_NOFILE = 8192;

export const workerConnectionsLow: NginxRule = {
  meta: {
    id: 'nginx/worker-connections-low',
    system: 'nginx',
    severity: 'warning',
    versions: 'all nginx versions (default 512)',
    fixable: true,
    docs: {
      short:
        '`worker_connections` is below 1024 in a config that proxies WebSocket: each worker can hold only a few hundred WebSockets.',
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://nginx.org/en/docs/ngx_core_module.html#worker_connections',
        'https://nginx.org/en/docs/ngx_core_module.html#worker_rlimit_nofile',
      ],
      proof:
        'Live test on nginx 1.22.1 (docs/live-findings.md), scaled down: with one worker and `worker_connections 16`, 7 of 12 WebSockets opened and the rest failed, with `16 worker_connections are not enough` in the error log (each WebSocket holds two connections); with the fix all 12 opened.',
    },
  },
  check({ config, options, report }) {
    if (config.assumedContext) return;
    const events = config.root.children.find((c) => c.kind === 'events');
    if (!events || !events.statement) return;
    if (!nginxCarriesWebSocket(config)) return;
    const stmt = findStatements(events, 'worker_connections')[0];
    const def = defaultsFor(options)('worker_connections', 'main');
    const value = stmt ? Number(stmt.args[0]) : Number(def?.value ?? '512');
    if (!Number.isFinite(value) || value >= WORKER_CONNECTIONS_MIN) return;
    const origin = stmt
      ? `worker_connections is ${clipWord(stmt.args[0])} (line ${lineOf(stmt)})`
      : `worker_connections is ${value}, ${def ? `nginx ${options.nginxVersion}'s default` : 'the default'}`;
    report({
      path: (stmt ?? events.statement).source.path,
      span: stmt ? argSpan(stmt, 0) : headerSpan(events.statement),
      message: `${origin}: at most ${Math.floor(value / 2) - 1} WebSockets per worker (two connections each); raise it to ${WORKER_CONNECTIONS_MIN} or more`,
      cites: stmt ? [citeOf(stmt)] : [],
      fixes: () => {
        const edits: EditSpec[] = [];
        if (stmt) edits.push(replaceArg(stmt, 0, String(TARGET_CONNECTIONS)));
        else {
          const e = insertInContext(config, events, [`worker_connections ${TARGET_CONNECTIONS};`], 'start');
          if (e) edits.push(e);
        }
        const nofile = findStatements(config.root, 'worker_rlimit_nofile')[0];
        if (nofile) {
          if (!(Number(nofile.args[0]) >= TARGET_NOFILE)) edits.push(replaceArg(nofile, 0, String(TARGET_NOFILE)));
        } else {
          const e = insertInMain(config, [`worker_rlimit_nofile ${TARGET_NOFILE};`]);
          if (e) edits.push(e);
        }
        return edits.length
          ? [
              {
                title: `Raise worker_connections to ${TARGET_CONNECTIONS} and worker_rlimit_nofile to ${TARGET_NOFILE}`,
                edits,
                isPreferred: true,
              },
            ]
          : [];
      },
    });
  },
};
