import { findStatements, parseProxyTarget, walkContexts, type NginxConfig } from '../../model/nginx';
import { nginxCarriesWebSocket } from '../../model/websocket';
import { insertInMain } from '../../fixes/nginx';
import type { NginxRule } from '../rule';
import { headerSpan, statementSpan } from './common';

/**
 * Signs that nginx runs in the foreground of a container or supervisor, where a config change
 * restarts the process (old workers go with it) rather than reloading it:
 * - `daemon off` / `master_process off` in the main context (ngx_core_module: "daemon": "mainly
 *   used during development"; the official Docker image runs `nginx -g 'daemon off;'`);
 * - a log written to the process's own stdout/stderr (`/dev/stdout`, `/dev/stderr`,
 *   `/proc/self/fd/1|2`, or `error_log stderr`): only useful when a container runtime or
 *   supervisor captures the output of a foreground nginx; a daemon's standard streams go nowhere.
 * On the real-world corpus all such configs were container images (docs/precision.md).
 */
function runsInForeground(config: NginxConfig): boolean {
  for (const name of ['daemon', 'master_process'])
    if (findStatements(config.root, name).some((s) => s.args[0]?.toLowerCase() === 'off')) return true;
  for (const ctx of walkContexts(config.root))
    for (const s of ctx.statements)
      if (
        (s.name === 'error_log' || s.name === 'access_log') &&
        /^(\/dev\/std(out|err)|\/proc\/self\/fd\/[12]|stderr)$/.test(s.args[0] ?? '')
      )
        return true;
  return false;
}

/**
 * The backends are container service names: every `server` of the http upstreams and every
 * literal proxy_pass host that names no upstream is a single-label host name (`app:3000`,
 * `lemmy-ui`), not an address, `localhost` or a dotted name. Such names resolve through a
 * container network's DNS (Docker Compose service names; nginx resolves them once, at start),
 * so nginx runs in a container on that network, and a config change there recreates the
 * container rather than reloading nginx in place. Variables and unix sockets say nothing.
 */
function backendsAreContainerNames(config: NginxConfig): boolean {
  const hosts: string[] = [];
  const upstreams = new Set<string>();
  for (const ctx of walkContexts(config.root)) {
    if (ctx.kind !== 'upstream' || ctx.family !== 'http') continue;
    const name = ctx.statement?.args[0];
    if (name) upstreams.add(name);
    for (const s of ctx.statements) if (s.name === 'server' && s.args[0]) hosts.push(s.args[0]);
  }
  for (const ctx of walkContexts(config.root))
    for (const s of ctx.statements) {
      if (s.name !== 'proxy_pass' || ctx.family !== 'http') continue;
      const raw = s.args[0] ?? '';
      if (raw.includes('$')) continue;
      const t = parseProxyTarget(raw);
      if (t.host && !upstreams.has(t.host)) hosts.push(t.port !== null ? `${t.host}:${t.port}` : t.host);
    }
  if (hosts.length === 0) return false;
  return hosts.every((h) => {
    if (h.startsWith('unix:') || h.startsWith('[')) return false;
    const host = h.replace(/:\d+$/, '');
    return /^[a-z][a-z0-9_-]*$/i.test(host) && host.toLowerCase() !== 'localhost';
  });
}

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
    if (runsInForeground(config)) return; // restarted with its container, not reloaded
    if (backendsAreContainerNames(config)) return; // the same: nginx runs on a container network
    const src = config.sources.get(config.rootPath);
    const http = config.root.statements.find((s) => s.name === 'http' && s.source === src);
    const first = config.root.statements.find((s) => s.source === src);
    const anchor = http ?? first;
    if (!anchor) return;
    report({
      path: anchor.source.path,
      span: anchor.directive.block ? headerSpan(anchor) : statementSpan(anchor),
      message:
        'No worker_shutdown_timeout: after a reload, old workers live until their last WebSocket closes; set one',
      fixes: () => {
        const edit = insertInMain(config, ['worker_shutdown_timeout 10m;']);
        return edit ? [{ title: 'Add worker_shutdown_timeout 10m', edits: [edit], isPreferred: true }] : [];
      },
    });
  },
};
