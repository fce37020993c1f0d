/**
 * Hand-kept nginx facts that differ by version and that neither the command tables nor the
 * newest documentation carry: defaults that changed, and parameters of `server` (upstream) and
 * `listen` that appeared later or exist only in NGINX Plus.
 *
 * Sources (read, not copied):
 * - proxy_http_version: default 1.0 before 1.29.7, 1.1 from it
 *   (https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version).
 * - keepalive (upstream): no cache of upstream connections by default before 1.29.7; from 1.29.7
 *   "32 local" (https://nginx.org/en/docs/http/ngx_http_upstream_module.html#keepalive).
 * - ssl_protocols and *_ssl_protocols: "TLSv1 TLSv1.1 TLSv1.2" before 1.23.4, "TLSv1.2 TLSv1.3"
 *   from it (nginx.org docs XML at commit c9d3bc74, October 2022, vs. today's page).
 * - upstream `server` parameters: nginx sources, ngx_http_upstream_server() and
 *   ngx_stream_upstream_server(): release-1.22.1 parses weight=, max_conns=, max_fails=,
 *   fail_timeout=, backup, down; `resolve` and `service=` arrive in 1.27.3 ("Upstream:
 *   re-resolvable servers"), `route=` and `drain` (http) in 1.29.6; `slow_start=` is NGINX Plus
 *   only (https://nginx.org/en/docs/http/ngx_http_upstream_module.html#server).
 * - `listen`: `http2` parameter from 1.9.5, deprecated in 1.25.1 in favour of the `http2`
 *   directive; `quic` from 1.25.0; `multipath` from 1.29.7 (ngx_http_core_module.c history).
 */
import type { NginxFamily } from './nginx';
import { nginxDocs } from './nginx';
import { atLeast, compareVersions } from './versions';

interface VersionedDefault {
  family: NginxFamily;
  /** Value from `since` on (absent: from the start). "" = no default. */
  rows: Array<{ since?: string; value: string; note?: string }>;
}

const SSL_PROTOCOLS_ROWS = [
  { value: 'TLSv1 TLSv1.1 TLSv1.2' },
  { since: '1.23.4', value: 'TLSv1.2 TLSv1.3', note: 'TLSv1 and TLSv1.1 left the default in 1.23.4' },
];

const VERSIONED_DEFAULTS: Record<string, VersionedDefault[]> = {
  proxy_http_version: [
    {
      family: 'http',
      rows: [
        {
          value: '1.0',
          note: 'HTTP/1.0 to the upstream: no keepalive, and WebSocket upgrades need `proxy_http_version 1.1`',
        },
        { since: '1.29.7', value: '1.1', note: 'HTTP/1.1 became the default in 1.29.7' },
      ],
    },
  ],
  keepalive: [
    {
      family: 'http',
      rows: [
        { value: '', note: 'no cache of idle upstream connections unless `keepalive` is set' },
        { since: '1.29.7', value: '32 local', note: 'upstream keepalive became the default in 1.29.7' },
      ],
    },
  ],
  ssl_protocols: [
    { family: 'http', rows: SSL_PROTOCOLS_ROWS },
    { family: 'stream', rows: SSL_PROTOCOLS_ROWS },
    { family: 'mail', rows: SSL_PROTOCOLS_ROWS },
  ],
  proxy_ssl_protocols: [
    { family: 'http', rows: SSL_PROTOCOLS_ROWS },
    { family: 'stream', rows: SSL_PROTOCOLS_ROWS },
  ],
  grpc_ssl_protocols: [{ family: 'http', rows: SSL_PROTOCOLS_ROWS }],
  uwsgi_ssl_protocols: [{ family: 'http', rows: SSL_PROTOCOLS_ROWS }],
};

export interface NginxDefault {
  /** The default value as written in a config ("60s", "1.0"); undefined when there is none. */
  value: string | undefined;
  /** The version from which this default applies, when it changed over time. */
  since?: string;
  note?: string;
}

/**
 * The default of `name` for nginx `version`: the version overlay above, else the newest
 * documentation's default. `family` picks among same-named directives (default: http, then any).
 */
export function nginxDefault(name: string, version: string, family: NginxFamily = 'http'): NginxDefault | undefined {
  const rows = Object.prototype.hasOwnProperty.call(VERSIONED_DEFAULTS, name) ? VERSIONED_DEFAULTS[name] : undefined;
  const overlay = rows?.find((d) => d.family === family);
  if (overlay) {
    let row = overlay.rows[0];
    for (const r of overlay.rows) if (atLeast(version, r.since)) row = r;
    return { value: row.value === '' ? undefined : row.value, since: row.since, note: row.note };
  }
  const docs = nginxDocs(name, family);
  const doc = docs[0] ?? nginxDocs(name)[0];
  if (!doc) return undefined;
  const value = doc.default.trim();
  if (value === '' || doc.isBlock) return { value: undefined };
  return { value };
}

/**
 * How the default of `name` differs in other versions than `version`, in a few words: "`1.0`
 * before 1.29.7" (the target has the newer default), "`1.1` from 1.29.7" (a newer release changes
 * it). Undefined when the default never changed.
 */
export function nginxDefaultChange(name: string, version: string, family: NginxFamily = 'http'): string | undefined {
  const rows = Object.prototype.hasOwnProperty.call(VERSIONED_DEFAULTS, name) ? VERSIONED_DEFAULTS[name] : undefined;
  const overlay = rows?.find((d) => d.family === family);
  if (!overlay || overlay.rows.length < 2) return undefined;
  const shown = (v: string) => (v === '' ? 'none' : `\`${v}\``);
  let cur = 0;
  overlay.rows.forEach((r, i) => {
    if (atLeast(version, r.since)) cur = i;
  });
  const parts: string[] = [];
  if (cur > 0) parts.push(`${shown(overlay.rows[cur - 1].value)} before ${overlay.rows[cur].since}`);
  const next = overlay.rows[cur + 1];
  if (next) parts.push(`${shown(next.value)} from ${next.since}`);
  return parts.join('; ');
}

// ---------------------------------------------------------------------------------------------
// parameters

export interface NginxParameterFact {
  /** Directive and family the parameter belongs to. */
  directive: string;
  family: NginxFamily;
  /** The parameter as written: a bare word ("resolve") or a prefix ending in "=" ("service="). */
  param: string;
  /** First open-source release that accepts it. */
  since?: string;
  /** NGINX Plus only (in every open-source version). */
  plusOnly?: boolean;
  /** Still accepted, but deprecated from this version (nginx warns). */
  deprecatedSince?: string;
  deprecation?: string;
}

export const NGINX_PARAMETERS: NginxParameterFact[] = [
  { directive: 'server', family: 'http', param: 'max_conns=', since: '1.11.5' },
  { directive: 'server', family: 'http', param: 'resolve', since: '1.27.3' },
  { directive: 'server', family: 'http', param: 'service=', since: '1.27.3' },
  { directive: 'server', family: 'http', param: 'route=', since: '1.29.6' },
  { directive: 'server', family: 'http', param: 'drain', since: '1.29.6' },
  { directive: 'server', family: 'http', param: 'slow_start=', plusOnly: true },
  { directive: 'server', family: 'stream', param: 'max_conns=', since: '1.11.5' },
  { directive: 'server', family: 'stream', param: 'resolve', since: '1.27.3' },
  { directive: 'server', family: 'stream', param: 'service=', since: '1.27.3' },
  { directive: 'server', family: 'stream', param: 'slow_start=', plusOnly: true },
  {
    directive: 'listen',
    family: 'http',
    param: 'http2',
    since: '1.9.5',
    deprecatedSince: '1.25.1',
    deprecation: 'use the `http2 on;` directive in the server block instead',
  },
  { directive: 'listen', family: 'http', param: 'quic', since: '1.25.0' },
  { directive: 'listen', family: 'http', param: 'multipath', since: '1.29.7' },
  { directive: 'listen', family: 'stream', param: 'multipath', since: '1.29.7' },
  { directive: 'listen', family: 'mail', param: 'multipath', since: '1.29.7' },
];

/**
 * Closed sets of values (nginx's ngx_conf_enum_t tables) for directives that matter here, with the
 * version each value arrived in. proxy_http_version: "1.0" and "1.1" always, "2" from 1.29.4
 * (ngx_http_proxy_http_version[] in src/http/modules/ngx_http_proxy_module.c, release-1.29.4).
 */
export const NGINX_VALUE_SETS: Array<{
  directive: string;
  family: NginxFamily;
  values: Array<{ value: string; since?: string }>;
}> = [
  {
    directive: 'proxy_http_version',
    family: 'http',
    values: [{ value: '1.0' }, { value: '1.1' }, { value: '2', since: '1.29.4' }],
  },
];

/** The fact about one argument of a directive, when one is recorded. */
export function nginxParameterFact(
  directive: string,
  family: NginxFamily,
  arg: string,
): NginxParameterFact | undefined {
  for (const p of NGINX_PARAMETERS) {
    if (p.directive !== directive || p.family !== family) continue;
    if (p.param.endsWith('=') ? arg.startsWith(p.param) : arg === p.param) return p;
  }
  return undefined;
}

export { compareVersions };
