/**
 * Defaults that differ by nginx version, for the directives the WebSocket rules reason about.
 * The knowledge base built on @nginx/reference-lib describes the newest nginx; this overlay says
 * what older versions used.
 *
 * - proxy_http_version: "1.0" up to 1.29.6, "1.1" from 1.29.7 (nginx CHANGES for 1.29.7; docs
 *   https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version).
 * - proxy_read_timeout / proxy_send_timeout / proxy_connect_timeout: 60s (same page).
 * - proxy_buffering: on. worker_connections: 512 (https://nginx.org/en/docs/ngx_core_module.html#worker_connections).
 * - worker_processes: 1. worker_shutdown_timeout: none (unset).
 * - stream proxy_timeout: 10m, stream proxy_connect_timeout: 60s
 *   (https://nginx.org/en/docs/stream/ngx_stream_proxy_module.html).
 */
import { compareVersions } from './units';

interface VersionedDefault {
  /** Applies from this version on (inclusive); absent = all versions. */
  since?: string;
  value: string;
  family?: 'http' | 'stream' | 'main';
}

const TABLE: Record<string, VersionedDefault[]> = {
  proxy_http_version: [
    { value: '1.0', family: 'http' },
    { since: '1.29.7', value: '1.1', family: 'http' },
  ],
  proxy_read_timeout: [{ value: '60s', family: 'http' }],
  proxy_send_timeout: [{ value: '60s', family: 'http' }],
  proxy_connect_timeout: [{ value: '60s' }],
  proxy_buffering: [{ value: 'on', family: 'http' }],
  proxy_timeout: [{ value: '10m', family: 'stream' }],
  worker_connections: [{ value: '512' }],
  worker_processes: [{ value: '1' }],
};

/** The default of `name` in `version`, or undefined when there is none (or it is not known here). */
export function nginxDefaultFor(
  name: string,
  version: string,
  family?: string,
): { value: string; since?: string } | undefined {
  const rows = TABLE[name];
  if (!rows) return undefined;
  let found: VersionedDefault | undefined;
  for (const r of rows) {
    if (family && r.family && r.family !== family && family !== 'main') continue;
    if (!r.since || compareVersions(version, r.since) >= 0) found = r;
  }
  return found ? { value: found.value, since: found.since } : undefined;
}
