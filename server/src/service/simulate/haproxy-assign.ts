/**
 * Which server takes a new connection: `assign_server` and the hash inputs of src/backend.c
 * (`get_server_sh` source, `get_server_uh` uri, `get_server_ph` url_param, `get_server_hh` hdr,
 * `get_server_rnd` random), over the lookup trees.
 */
import { fullHash, parseIp, utf8 } from './hashes';
import { type HaBackend, type Srv } from './haproxy-lb';
import {
  cbGetNextServer,
  chashGetNextServer,
  chashGetServerHash,
  fwrrGetNextServer,
  mapGetServerHash,
  mapGetServerRr,
} from './haproxy-trees';
import { headerValue } from './keys';
import type { SimRequest } from './types';

export function getServerRnd(be: HaBackend): Srv | null {
  if (be.totWeight === 0) return null;
  let curr: Srv | null = null;
  let draws = be.draws;
  do {
    const prev: Srv | null = curr;
    const hash = be.rng.nextU32();
    curr = chashGetServerHash(be, hash);
    if (!curr) break;
    if (prev && prev !== curr && curr.served * prev.curEweight > prev.served * curr.curEweight) curr = prev;
  } while (--draws > 0);
  if (curr && curr.maxconn && curr.served >= curr.maxconn) curr = null;
  return curr;
}

export function lookupHash(be: HaBackend, hash: number): Srv | null {
  return be.lookup === 'chtree' ? chashGetServerHash(be, hash) : mapGetServerHash(be, hash);
}

export function finish(be: HaBackend, hash: number): number {
  return be.avalanche ? fullHash(hash) : hash >>> 0;
}

export function getServerSh(be: HaBackend, req: SimRequest): Srv | null {
  if (be.totWeight === 0) return null;
  let h = 0;
  if (be.totUsed !== 1) {
    const bytes = parseIp(req.clientIp);
    if (!bytes) return null;
    for (let l = 0; l + 4 <= bytes.length; l += 4) {
      h = (h ^ ((bytes[l] << 24) | (bytes[l + 1] << 16) | (bytes[l + 2] << 8) | bytes[l + 3])) >>> 0;
    }
    h = finish(be, h);
  }
  return lookupHash(be, h);
}

export function getServerUh(be: HaBackend, req: SimRequest): Srv | null {
  if (be.totWeight === 0) return null;
  let hash = 0;
  if (be.totUsed !== 1) {
    const opts = be.pool.uriOptions ?? {};
    let uri = req.uri ?? '/';
    if (opts.pathOnly) {
      const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*/.exec(uri);
      if (m) uri = uri.slice(m[0].length);
      else if (uri === '*') uri = '';
    }
    const bytes = utf8(uri);
    let len = bytes.length;
    if (opts.len && opts.len > 0) len = Math.min(len, Math.floor(opts.len));
    const depthEnd = opts.depth && opts.depth > 0 ? Math.floor(opts.depth) + 1 : 0;
    let slashes = 0;
    let end = 0;
    while (len--) {
      const c = bytes[end];
      if (c === 0x2f) {
        slashes++;
        if (slashes === depthEnd) break;
      } else if (c === 0x3f && !opts.whole) break;
      end++;
    }
    hash = finish(be, be.hashFn(bytes.slice(0, end)));
  }
  return lookupHash(be, hash);
}

export function getServerPh(be: HaBackend, req: SimRequest): Srv | null {
  if (be.totWeight === 0) return null;
  const uri = req.uri ?? '/';
  const q = uri.indexOf('?');
  if (q < 0 || !be.param) return null;
  for (const part of uri.slice(q + 1).split('&')) {
    if (part.length > be.param.length && part[be.param.length] === '=' && part.startsWith(be.param)) {
      const value = part.slice(be.param.length + 1);
      return lookupHash(be, finish(be, be.hashFn(utf8(value))));
    }
  }
  return null;
}

export function getServerHh(be: HaBackend, req: SimRequest): Srv | null {
  if (be.totWeight === 0) return null;
  let hash = 0;
  if (be.totUsed !== 1) {
    const raw = req.hashKeyValue ?? headerValue(req, be.param);
    // http_find_header(..., full=0) yields the first comma-separated value, trimmed.
    const value = raw === undefined ? '' : raw.split(',')[0].trim();
    if (!value) return null;
    hash = finish(be, be.hashFn(utf8(value)));
  }
  return lookupHash(be, hash);
}

export function assign(be: HaBackend, req: SimRequest): Srv | null {
  if (!be.totWeight) return null;
  switch (be.lookup) {
    case 'rrtree':
      return fwrrGetNextServer(be);
    case 'lctree':
    case 'fstree':
      return cbGetNextServer(be);
  }
  if (be.kind === 'random') return getServerRnd(be);
  if (be.kind === 'static-rr') return mapGetServerRr(be);
  let srv: Srv | null = null;
  switch (be.kind) {
    case 'source':
      srv = getServerSh(be, req);
      break;
    case 'uri':
      srv = getServerUh(be, req);
      break;
    case 'url_param':
      srv = getServerPh(be, req);
      break;
    case 'hdr':
      srv = getServerHh(be, req);
      break;
  }
  // Hash input missing: fall back to round robin on the map or the tree.
  if (!srv) srv = be.lookup === 'chtree' ? chashGetNextServer(be) : mapGetServerRr(be);
  return srv;
}
