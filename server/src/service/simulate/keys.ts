/**
 * Evaluates what a balancer hashes from a request: nginx `hash` keys (a string with variables),
 * HAProxy `hdr(name)`, `uri`, `url_param(name)`.
 */
import type { SimRequest } from './types';
import { parseIp, utf8 } from './hashes';

export function headerValue(req: SimRequest, name: string): string | undefined {
  if (!req.headers) return undefined;
  const want = name.toLowerCase();
  for (const k of Object.keys(req.headers)) {
    if (k.toLowerCase() === want) return req.headers[k];
  }
  return undefined;
}

function queryOf(uri: string): string {
  const q = uri.indexOf('?');
  return q < 0 ? '' : uri.slice(q + 1);
}

function pathOf(uri: string): string {
  const q = uri.indexOf('?');
  return q < 0 ? uri : uri.slice(0, q);
}

function argValue(uri: string, name: string): string {
  for (const part of queryOf(uri).split('&')) {
    const eq = part.indexOf('=');
    const k = eq < 0 ? part : part.slice(0, eq);
    if (k.toLowerCase() === name.toLowerCase()) return eq < 0 ? '' : part.slice(eq + 1);
  }
  return '';
}

function cookieValue(req: SimRequest, name: string): string {
  const raw = headerValue(req, 'cookie');
  if (!raw) return '';
  for (const part of raw.split(';')) {
    const p = part.trim();
    const eq = p.indexOf('=');
    if (eq > 0 && p.slice(0, eq) === name) return p.slice(eq + 1);
  }
  return '';
}

/** Value of one nginx variable (without `$`) for a request; unknown variables are empty. */
export function nginxVariable(req: SimRequest, name: string): string {
  const uri = req.uri ?? '/';
  const lower = name.toLowerCase();
  switch (lower) {
    case 'remote_addr':
    case 'realip_remote_addr':
      return req.clientIp;
    case 'request_uri':
      return uri;
    case 'uri':
    case 'document_uri':
      return pathOf(uri);
    case 'args':
    case 'query_string':
      return queryOf(uri);
    case 'host':
      return (headerValue(req, 'host') ?? '').toLowerCase().replace(/:\d+$/, '');
    case 'http_host':
      return headerValue(req, 'host') ?? '';
  }
  if (lower.startsWith('http_')) {
    const header = lower.slice(5).replace(/_/g, '-');
    return headerValue(req, header) ?? '';
  }
  if (lower.startsWith('arg_')) return argValue(uri, lower.slice(4));
  if (lower.startsWith('cookie_')) return cookieValue(req, name.slice(7));
  return '';
}

function variableBytes(req: SimRequest, name: string): number[] {
  if (name.toLowerCase() === 'binary_remote_addr') {
    // 4 (IPv4) or 16 (IPv6) raw address bytes.
    return parseIp(req.clientIp) ?? utf8(req.clientIp);
  }
  return utf8(nginxVariable(req, name));
}

/**
 * Evaluates an nginx complex value such as "$remote_addr", "${http_x_user}:$arg_room" for a
 * request, to the bytes nginx hashes: UTF-8 text, raw bytes for `$binary_remote_addr`.
 */
export function evaluateNginxKey(key: string, req: SimRequest): number[] {
  const out: number[] = [];
  const lit = (text: string): void => {
    for (const b of utf8(text)) out.push(b);
  };
  const v = (name: string): void => {
    for (const b of variableBytes(req, name)) out.push(b);
  };
  let i = 0;
  while (i < key.length) {
    const c = key[i];
    if (c !== '$') {
      lit(c);
      i++;
      continue;
    }
    if (key[i + 1] === '{') {
      const end = key.indexOf('}', i + 2);
      if (end < 0) {
        lit(key.slice(i));
        break;
      }
      v(key.slice(i + 2, end));
      i = end + 1;
      continue;
    }
    let j = i + 1;
    while (j < key.length && /[A-Za-z0-9_]/.test(key[j])) j++;
    if (j === i + 1) {
      lit('$');
      i++;
      continue;
    }
    v(key.slice(i + 1, j));
    i = j;
  }
  return out;
}

/** Splits "hdr(X-User)" / "random(3)" / "url_param(id)" into name and argument. */
export function splitAlgorithm(algorithm: string): { name: string; arg?: string } {
  const m = /^\s*([A-Za-z_-]+)\s*(?:\(\s*([^)]*?)\s*\))?/.exec(algorithm);
  if (!m) return { name: algorithm.trim().toLowerCase() };
  return { name: m[1].toLowerCase(), arg: m[2] === undefined || m[2] === '' ? undefined : m[2] };
}
