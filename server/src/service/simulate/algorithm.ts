/**
 * Algorithm specs in the CLI's spelling (`wslb simulate --algorithm`, the simulator panel's
 * choices) applied to a pool. Shared by the CLI and the webview; no Node module.
 */
import { AWS_ALGORITHMS } from './aws';
import type { SimPool } from './types';

/**
 * Applies an algorithm spec to a copy of the pool. nginx: round_robin, least_conn, ip_hash,
 * random [two [least_conn]], hash <key> [consistent]. HAProxy: roundrobin, static-rr, leastconn,
 * first, source, uri, hdr(<name>), url_param <name>, random[(<draws>)], each hash optionally
 * followed by consistent|map-based, a hash function (sdbm|djb2|wt6|crc32) and avalanche.
 * Returns an error message for unknown specs.
 */
export function withAlgorithm(pool: SimPool, spec: string): SimPool | string {
  const words = spec
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (words.length === 0) return 'empty algorithm';
  const head = words[0].toLowerCase();
  const rest = words.slice(1);
  const base: SimPool = {
    ...pool,
    consistent: undefined,
    randomTwo: undefined,
    randomTwoMethod: undefined,
    draws: undefined,
  };
  if (pool.system === 'aws') {
    const a = head.replace(/-/g, '_');
    if ((AWS_ALGORITHMS as readonly string[]).includes(a)) return { ...base, algorithm: a };
    return `unknown AWS routing algorithm "${words[0]}" (${AWS_ALGORITHMS.join(', ')})`;
  }
  if (pool.system === 'nginx') {
    switch (head) {
      case 'round_robin':
      case 'roundrobin':
      case 'rr':
        return { ...base, algorithm: 'round_robin' };
      case 'least_conn':
        return { ...base, algorithm: 'least_conn' };
      case 'ip_hash':
        return { ...base, algorithm: 'ip_hash' };
      case 'random':
        if (rest.length === 0) return { ...base, algorithm: 'random' };
        if (rest[0] === 'two')
          return {
            ...base,
            algorithm: 'random',
            randomTwo: true,
            randomTwoMethod: rest[1] === 'least_conn' ? 'least_conn' : undefined,
          };
        return `unknown random parameter "${rest[0]}"`;
      case 'hash': {
        const key = rest.find((w) => w !== 'consistent') ?? pool.hashKey ?? '$remote_addr';
        return { ...base, algorithm: 'hash', hashKey: key, consistent: rest.includes('consistent') };
      }
      case 'hash-consistent':
        return { ...base, algorithm: 'hash', hashKey: pool.hashKey ?? '$remote_addr', consistent: true };
      default:
        return `unknown nginx balancing method "${words[0]}" (round_robin, least_conn, ip_hash, hash <key> [consistent], random [two [least_conn]])`;
    }
  }
  const m = /^([a-z_-]+)(?:\((.*)\))?$/.exec(head);
  const name = m ? m[1] : head;
  const arg = m && m[2] !== undefined ? words[0].slice(words[0].indexOf('(') + 1, -1) : undefined;
  const hashOpts = (p: SimPool): SimPool => {
    const out = { ...p, consistent: pool.consistent, hashFunction: pool.hashFunction, avalanche: pool.avalanche };
    for (const w of rest.map((x) => x.toLowerCase())) {
      if (w === 'consistent') out.consistent = true;
      else if (w === 'map-based') out.consistent = false;
      else if (['sdbm', 'djb2', 'wt6', 'crc32'].includes(w)) out.hashFunction = w;
      else if (w === 'avalanche') out.avalanche = true;
    }
    return out;
  };
  switch (name) {
    case 'roundrobin':
    case 'static-rr':
    case 'leastconn':
    case 'first':
      return { ...base, algorithm: name };
    case 'source':
    case 'uri':
      return hashOpts({ ...base, algorithm: name });
    case 'hdr': {
      const header = arg ?? pool.hashKey;
      if (!header) return 'hdr needs a header name, e.g. hdr(X-User)';
      return hashOpts({ ...base, algorithm: 'hdr', hashKey: header });
    }
    case 'url_param': {
      const param = rest[0] ?? pool.hashKey;
      if (!param) return 'url_param needs a parameter name';
      return hashOpts({ ...base, algorithm: 'url_param', hashKey: param });
    }
    case 'random': {
      const draws = arg !== undefined ? Number(arg) : 2;
      if (!Number.isInteger(draws) || draws < 1) return `random: number of draws must be at least 1, got "${arg}"`;
      return { ...base, algorithm: 'random', draws };
    }
    default:
      return `unknown HAProxy balance algorithm "${words[0]}" (roundrobin, static-rr, leastconn, first, source, uri, hdr(<name>), url_param <name>, random(<draws>))`;
  }
}
