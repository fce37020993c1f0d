/**
 * The balancing pools of a config (nginx `upstream` blocks, HAProxy `backend`/`listen` sections)
 * as the simulator's SimPool, with where they are written. The server's `wslb/pools` request and
 * the CodeLenses read this.
 *
 * Facts: nginx upstream parameters from https://nginx.org/en/docs/http/ngx_http_upstream_module.html
 * (server weight=1, max_fails=1, fail_timeout=10s by default; port 80 when absent);
 * HAProxy `balance`, `hash-type`, `option allbackups` from the 2.6 configuration manual, 4.2.
 */
import { walkContexts, type NginxConfig, type NginxContext } from '../model/nginx';
import { haproxyEffective, type HaproxyConfig, type HaproxyProxy } from '../model/haproxy';
import { nginxWebSocketUpstreams } from '../model/websocket';
import { haproxyWebSocketBackends } from '../model/websocket-haproxy';
import { parseNginxTime } from '../model/units';
import type { SimPool, SimServer } from '../simulate/types';
import type { Span } from '../text';

export interface PoolInfo {
  pool: SimPool;
  path: string;
  /** The whole upstream block / backend section. */
  span: Span;
  /** The pool's name in its header. */
  nameSpan: Span;
  /** The line that sets the algorithm, when there is one. */
  algorithmSpan?: Span;
  /** Does it carry WebSocket (model/websocket.ts; the CodeLens shows on these by default)? */
  webSocket?: boolean;
}

function splitHostPort(addr: string, defaultPort: number): { address: string; port: number } {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(addr);
  if (v6) return { address: v6[1], port: v6[2] ? Number(v6[2]) : defaultPort };
  const m = /^(.*):(\d+)$/.exec(addr);
  if (m && !m[1].includes(':')) return { address: m[1], port: Number(m[2]) };
  return { address: addr, port: defaultPort };
}

export function nginxUpstreamPool(config: NginxConfig, up: NginxContext): PoolInfo | null {
  const st = up.statement;
  if (!st || up.kind !== 'upstream' || !st.args[0]) return null;
  const pool: SimPool = { system: 'nginx', name: st.args[0], algorithm: 'round_robin', servers: [] };
  let algorithmSpan: Span | undefined;
  for (const s of up.statements) {
    const span = { start: s.directive.start, end: s.directive.end };
    switch (s.name) {
      case 'least_conn':
        pool.algorithm = 'least_conn';
        algorithmSpan = span;
        break;
      case 'ip_hash':
        pool.algorithm = 'ip_hash';
        algorithmSpan = span;
        break;
      case 'hash':
        pool.algorithm = 'hash';
        pool.hashKey = s.args[0];
        pool.consistent = s.args[1] === 'consistent';
        algorithmSpan = span;
        break;
      case 'random':
        pool.algorithm = 'random';
        if (s.args[0] === 'two') {
          pool.randomTwo = true;
          if (s.args[1] === 'least_conn' || s.args[1] === 'least_time') pool.randomTwoMethod = s.args[1];
        }
        algorithmSpan = span;
        break;
      case 'zone':
        pool.zone = true;
        break;
      case 'server': {
        if (!s.args[0]) break;
        const { address, port } = splitHostPort(s.args[0], 80);
        const server: SimServer = { name: s.args[0], address, port, weight: 1, backup: false, down: false };
        for (const a of s.args.slice(1)) {
          const [k, v] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, ''];
          if (k === 'weight' && /^\d+$/.test(v)) server.weight = Number(v);
          else if (k === 'max_fails' && /^\d+$/.test(v)) server.maxFails = Number(v);
          else if (k === 'fail_timeout') server.failTimeoutMs = parseNginxTime(v) ?? undefined;
          else if (k === 'max_conns' && /^\d+$/.test(v)) server.maxconn = Number(v);
          else if (k === 'backup') server.backup = true;
          else if (k === 'down') server.down = true;
        }
        pool.servers.push(server);
        break;
      }
    }
  }
  for (const s of config.root.statements) {
    if (s.name === 'worker_processes' && /^\d+$/.test(s.args[0] ?? '')) pool.workers = Number(s.args[0]);
  }
  const d = st.directive;
  return {
    pool,
    path: st.source.path,
    span: { start: d.start, end: d.end },
    nameSpan: { start: d.args[0].start, end: d.args[0].end },
    algorithmSpan,
  };
}

/** Every upstream of an nginx config (optionally only those written in `path`). */
export function nginxPools(config: NginxConfig, path?: string): PoolInfo[] {
  const out: PoolInfo[] = [];
  const seen = new Set<string>();
  const ws = nginxWebSocketUpstreams(config);
  for (const c of walkContexts(config.root)) {
    if (c.kind !== 'upstream' || !c.statement) continue;
    if (path && c.statement.source.path !== path) continue;
    const key = `${c.statement.source.path}:${c.statement.directive.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const p = nginxUpstreamPool(config, c);
    if (p) out.push({ ...p, webSocket: ws.has(c) });
  }
  return out;
}

export function haproxyProxyPool(proxy: HaproxyProxy): PoolInfo | null {
  if ((proxy.kind !== 'backend' && proxy.kind !== 'listen') || !proxy.name || !proxy.section.nameSpan) return null;
  const bal = haproxyEffective(proxy, ['balance']);
  const pool: SimPool = {
    system: 'haproxy',
    name: proxy.name,
    algorithm: bal && !bal.negated && bal.values[0] ? bal.values[0] : 'roundrobin',
    servers: [],
  };
  if (bal && bal.values[0] === 'url_param' && bal.values[1]) pool.hashKey = bal.values[1];
  const hdr = /^hdr\(([^)]*)\)$/.exec(pool.algorithm);
  if (hdr) pool.hashKey = hdr[1];
  const rnd = /^random\((\d+)\)$/.exec(pool.algorithm);
  if (rnd) pool.draws = Number(rnd[1]);
  if (bal && bal.values[0] === 'uri') {
    const opts: NonNullable<SimPool['uriOptions']> = {};
    const v = bal.values;
    for (let i = 1; i < v.length; i++) {
      if (v[i] === 'whole') opts.whole = true;
      else if (v[i] === 'path-only') opts.pathOnly = true;
      else if (v[i] === 'len' && /^\d+$/.test(v[i + 1] ?? '')) opts.len = Number(v[++i]);
      else if (v[i] === 'depth' && /^\d+$/.test(v[i + 1] ?? '')) opts.depth = Number(v[++i]);
    }
    pool.uriOptions = opts;
  }
  const ht = haproxyEffective(proxy, ['hash-type']);
  if (ht && !ht.negated) {
    pool.consistent = ht.values[0] === 'consistent';
    if (ht.values[1]) pool.hashFunction = ht.values[1];
    if (ht.values.includes('avalanche')) pool.avalanche = true;
  }
  const ab = haproxyEffective(proxy, ['option', 'allbackups']);
  if (ab && !ab.negated) pool.allBackups = true;
  for (const s of proxy.servers) {
    pool.servers.push({
      name: s.name,
      address: s.address,
      port: s.port ?? 0,
      weight: s.weight,
      backup: s.backup,
      down: s.disabled,
      slowstartMs: s.slowstartMs ?? undefined,
      maxconn: s.maxconn ?? undefined,
      id: s.id ?? undefined,
    });
  }
  const sec = proxy.section;
  return {
    pool,
    path: proxy.source.path,
    span: { start: sec.start, end: sec.end },
    nameSpan: sec.nameSpan!,
    algorithmSpan:
      bal && bal.proxy === proxy ? { start: bal.statement.line.start, end: bal.statement.line.end } : undefined,
  };
}

export function haproxyPools(config: HaproxyConfig, path?: string): PoolInfo[] {
  const out: PoolInfo[] = [];
  const ws = new Set(haproxyWebSocketBackends(config).map((b) => b.proxy));
  for (const p of config.proxies) {
    if (path && p.source.path !== path) continue;
    const info = haproxyProxyPool(p);
    if (info) out.push({ ...info, webSocket: ws.has(p) });
  }
  return out;
}
