import { findStatements } from '../../model/nginx';
import { nginxCarriesWebSocket } from '../../model/websocket';
import { insertInMain } from '../../fixes/nginx';
import type { NginxRule } from '../rule';
import { headerSpan, statementSpan } from './common';

export const wsNoWorkerShutdownTimeout: NginxRule = {
  meta: {
    id: 'nginx/ws-no-worker-shutdown-timeout',
    system: 'nginx',
    severity: 'warning',
    versions: 'nginx 1.11.11 and later (worker_shutdown_timeout appeared in 1.11.11)',
    fixable: true,
    docs: {
      short:
        'A config that proxies WebSocket has no `worker_shutdown_timeout`: after a reload, old workers live as long as any WebSocket stays open.',
      long: [
        'On `nginx -s reload` the master starts new workers and asks the old ones to finish gracefully: stop accepting, finish what is in flight, exit. An upgraded WebSocket is "in flight" until one side closes it — hours or days. Without `worker_shutdown_timeout` (it has no default) the old workers, with their old configuration and their memory, stay around that long; after a few deploys a server runs several generations of workers.',
        'With `worker_shutdown_timeout` nginx closes the remaining connections after the given time, so the old generation is gone within a known bound. Clients then reconnect — make sure they do so with jittered backoff, or the reload becomes a reconnect storm.',
        '**Fix:** add `worker_shutdown_timeout` to the main context, e.g. `10m`: long enough for most sessions to end or for the application to migrate them, short enough that workers do not pile up.',
      ].join('\n\n'),
      section: 'Health checks and connection draining',
      references: [
        'https://nginx.org/en/docs/ngx_core_module.html#worker_shutdown_timeout',
        'https://nginx.org/en/docs/control.html#reconfiguration',
      ],
      proof:
        'Live test on nginx 1.22.1 (docs/live-findings.md): after a reload (SIGHUP) the old worker was still running 1.8 s later and its WebSocket still echoed; with `worker_shutdown_timeout 1s` (wslb writes 10m, scaled down for the test) the old worker was gone and the WebSocket closed with 1006 about 1.1 s after the reload.',
    },
  },
  check({ config, report }) {
    if (config.assumedContext) return; // a fragment: main context is elsewhere
    if (findStatements(config.root, 'worker_shutdown_timeout').length) return;
    if (!nginxCarriesWebSocket(config)) return;
    const src = config.sources.get(config.rootPath);
    const http = config.root.statements.find((s) => s.name === 'http' && s.source === src);
    const first = config.root.statements.find((s) => s.source === src);
    const anchor = http ?? first;
    if (!anchor) return;
    const edit = insertInMain(config, ['worker_shutdown_timeout 10m;']);
    report({
      path: anchor.source.path,
      span: anchor.directive.block ? headerSpan(anchor) : statementSpan(anchor),
      message:
        'No worker_shutdown_timeout: after a reload, old workers live until their last WebSocket closes; set one',
      fixes: edit ? [{ title: 'Add worker_shutdown_timeout 10m', edits: [edit], isPreferred: true }] : [],
    });
  },
};
