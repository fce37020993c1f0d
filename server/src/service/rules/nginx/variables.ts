/**
 * Which `$variables` nginx knows without a config defining them, for nginx/ws-connection-upgrade-undefined.
 *
 * - The documented variables of every module come from @nginx/reference-lib (their names, in
 *   knowledge/generated/nginx-variables.json); names documented as `$http_NAME`, `$arg_NAME`...
 *   are prefixes.
 * - Variables that open-source nginx 1.22 registers but the reference does not list (checked in
 *   src/http/ngx_http_variables.c, ngx_http_upstream.c, ngx_http_proxy_module.c and the geoip,
 *   browser and userid modules of release-1.22.1).
 * - Numeric regex captures ($1...$9) are always accepted by the script compiler
 *   (ngx_http_script.c: a name of digits is a capture reference, never an unknown variable).
 */
import { fact } from '../../host/memo';
import { documentedVariables } from '../../knowledge/nginx';

const EXTRA_NAMES = [
  'tcpinfo_rtt',
  'tcpinfo_rttvar',
  'tcpinfo_snd_cwnd',
  'tcpinfo_rcv_space',
  'upstream_cache_last_modified',
  'upstream_cache_etag',
  'proxy_internal_body_length',
  'proxy_internal_chunked',
  'msie',
  'modern_browser',
  'ancient_browser',
  'server_protocol',
  'spdy',
  'spdy_request_priority',
  'protocol',
  'bytes_received',
  'session_time',
];

const EXTRA_PREFIXES = ['geoip_', 'ssl_'];

/** The names and prefixes of nginx's own variables, from the documented ones (once per list). */
const builtins = fact('nginx.builtinVariables', (documented: readonly string[]) => {
  const names = new Set<string>(EXTRA_NAMES);
  const prefixes = new Set<string>(EXTRA_PREFIXES);
  for (const v of documented) {
    const n = v.replace(/^\$/, '').toLowerCase();
    if (n.endsWith('_name')) prefixes.add(n.slice(0, -'name'.length));
    else names.add(n);
  }
  return { names, prefixes: [...prefixes] };
});

/** Is `$name` provided by nginx itself (case-insensitive, like nginx's variable lookup)? */
export function isBuiltinVariable(name: string): boolean {
  if (/^\d+$/.test(name)) return true;
  const n = name.toLowerCase();
  const { names, prefixes } = builtins(documentedVariables());
  return names.has(n) || prefixes.some((p) => n.startsWith(p) && n.length > p.length);
}
