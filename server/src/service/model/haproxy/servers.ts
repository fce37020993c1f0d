/** A proxy's `server` lines, merged over the `default-server` lines that apply to them. */
import type { HaproxyStatement } from '../../syntax/haproxy';
import { parseHaproxyTime } from '../units';
import type { HaproxyProxy, HaproxyServer } from './node';

const SERVER_VALUE_OPTIONS = new Set([
  'addr',
  'agent-addr',
  'agent-inter',
  'agent-port',
  'agent-send',
  'alpn',
  'ca-file',
  'check-alpn',
  'check-proto',
  'check-sni',
  'ciphers',
  'ciphersuites',
  'client-sigalgs',
  'cookie',
  'crl-file',
  'crt',
  'curves',
  'downinter',
  'error-limit',
  'fall',
  'fastinter',
  'id',
  'init-addr',
  'inter',
  'log-proto',
  'max-reuse',
  'maxconn',
  'maxqueue',
  'minconn',
  'namespace',
  'npn',
  'observe',
  'on-error',
  'on-marked-down',
  'on-marked-up',
  'pool-conn-name',
  'pool-low-conn',
  'pool-max-conn',
  'pool-purge-delay',
  'port',
  'proto',
  'redir',
  'resolve-net',
  'resolve-opts',
  'resolve-prefer',
  'resolvers',
  'rise',
  'set-proxy-v2-tlv-fmt',
  'shard',
  'sigalgs',
  'slowstart',
  'sni',
  'socks4',
  'source',
  'ssl-max-ver',
  'ssl-min-ver',
  'tcp-ut',
  'track',
  'usesrc',
  'weight',
  'ws',
  'proxy-v2-options',
  'log-bufsize',
  'check-via-socks4',
  'allow-0rtt',
]);

function defaultServerChain(proxy: HaproxyProxy): HaproxyStatement[] {
  const chain: HaproxyStatement[] = [];
  const defs: HaproxyProxy[] = [];
  for (let d = proxy.defaults; d && !defs.includes(d); d = d.defaults) defs.unshift(d);
  for (const d of defs) chain.push(...d.section.statements.filter((s) => s.keyword === 'default-server'));
  return chain;
}

function parseOptions(stmt: HaproxyStatement, startIndex: number, into: HaproxyServer['options']): void {
  const a = stmt.args;
  for (let i = startIndex; i < a.length; i++) {
    const key = a[i].value;
    if (SERVER_VALUE_OPTIONS.has(key) && i + 1 < a.length) {
      into.set(key, { value: a[i + 1].value, statement: stmt });
      i++;
    } else if (key.startsWith('no-') && into.has(key.slice(3))) {
      into.delete(key.slice(3));
    } else {
      into.set(key, { value: null, statement: stmt });
    }
  }
}

export function parseServers(proxy: HaproxyProxy): HaproxyServer[] {
  if (proxy.kind === 'defaults' || proxy.kind === 'frontend') return [];
  const out: HaproxyServer[] = [];
  const defaults = new Map<string, { value: string | null; statement: HaproxyStatement }>();
  for (const d of defaultServerChain(proxy)) parseOptions(d, 0, defaults);
  let order = 0;
  for (const s of proxy.section.statements) {
    if (s.keyword === 'default-server') {
      parseOptions(s, 0, defaults);
      continue;
    }
    if (s.keyword !== 'server' || s.args.length < 2) continue;
    order++;
    const options = new Map(defaults);
    parseOptions(s, 2, options);
    const addr = s.args[1].value;
    const m = /^(.*):(\d+)$/.exec(addr);
    const num = (k: string) => {
      const v = options.get(k)?.value;
      return v != null && /^\d+$/.test(v) ? Number(v) : null;
    };
    const ss = options.get('slowstart')?.value;
    out.push({
      statement: s,
      kind: 'server',
      name: s.args[0].value,
      address: m ? m[1] : addr,
      port: m ? Number(m[2]) : null,
      options,
      weight: num('weight') ?? 1,
      backup: options.has('backup'),
      disabled: options.has('disabled'),
      check: options.has('check'),
      slowstartMs: ss != null ? (parseHaproxyTime(ss) ?? null) : null,
      maxconn: num('maxconn'),
      id: num('id') ?? order,
    });
  }
  return out;
}
