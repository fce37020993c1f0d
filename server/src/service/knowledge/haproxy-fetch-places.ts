/**
 * Where HAProxy's sample fetches give a value: the "check places" of src/sample.c (fetch_cap[],
 * fetch_ckp_names[]) and each fetch's sources (the SMP_USE_* of its keyword table), read from the
 * HAProxy 2.8.0 source by scripts/gen-haproxy-fetch-places.mjs into generated/haproxy-fetch-places.json.
 * An ACL keyword such as `path_beg` or `hdr` names the fetch it runs (`path`, `req.hdr`: the ACL
 * keyword tables, e.g. src/http_acl.c / src/http_fetch.c), and an ACL can give a value wherever one
 * of its expressions can (src/acl.c parse_acl(): `cur_acl->val |= fetch->val`).
 */
import placesJson from './generated/haproxy-fetch-places.json';

const DATA = placesJson as { places: string[]; fetches: Record<string, number>; aclKeywords: Record<string, string> };

/** Every check place (a fetch we do not know is assumed to work everywhere). */
export const ALL_PLACES = (1 << DATA.places.length) - 1;

/** The check places, by bit (SMP_CKP_* order of include/haproxy/sample-t.h). */
export const PLACE = {
  FE_CON_ACC: 1 << 0,
  FE_SES_ACC: 1 << 1,
  FE_REQ_CNT: 1 << 2,
  FE_HRQ_HDR: 1 << 3,
  FE_SET_BCK: 1 << 5,
  BE_REQ_CNT: 1 << 6,
  BE_HRQ_HDR: 1 << 7,
  BE_SET_SRV: 1 << 9,
  BE_RES_CNT: 1 << 11,
  BE_HRS_HDR: 1 << 12,
  BE_STO_RUL: 1 << 14,
  FE_RES_CNT: 1 << 15,
  FE_HRS_HDR: 1 << 16,
} as const;

/** HAProxy's name of a set of check places: the name of its lowest one (src/sample.c sample_ckp_names()). */
export function placeName(where: number): string {
  for (let bit = 0; bit < DATA.places.length; bit++) if (where & (1 << bit)) return DATA.places[bit];
  return 'unknown sample check place';
}

/**
 * The ACLs every proxy has (src/acl.c default_acl_list), by the fetch each runs. TRUE and FALSE
 * work everywhere.
 */
const PREDEFINED: Record<string, string | null> = {
  TRUE: null,
  FALSE: null,
  LOCALHOST: 'src',
  HTTP: 'req.proto_http',
  'HTTP_1.0': 'req.ver',
  'HTTP_1.1': 'req.ver',
  'HTTP_2.0': 'req.ver',
  HTTP_CONTENT: 'req.hdr_val',
  HTTP_URL_ABS: 'url_reg',
  HTTP_URL_SLASH: 'url_beg',
  HTTP_URL_STAR: 'url',
  METH_CONNECT: 'method',
  METH_DELETE: 'method',
  METH_GET: 'method',
  METH_HEAD: 'method',
  METH_OPTIONS: 'method',
  METH_POST: 'method',
  METH_PUT: 'method',
  METH_TRACE: 'method',
  RDP_COOKIE: 'req.rdp_cookie_cnt',
  REQ_CONTENT: 'req.len',
  WAIT_END: 'wait_end',
};

/** The keyword of an ACL expression's first word: `hdr_sub(cache-control)` → `hdr_sub`, `req.hdr(x),lower` → `req.hdr`. */
export function fetchKeyword(word: string): string {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === 0x28 || c === 0x2c) return word.slice(0, i);
  }
  return word;
}

/** The check places where an ACL keyword or sample fetch gives a value (ALL_PLACES when unknown). */
export function keywordPlaces(kw: string): number {
  const fetch = DATA.aclKeywords[kw] ?? kw;
  return DATA.fetches[fetch] ?? DATA.fetches[kw] ?? ALL_PLACES;
}

/** The places of a predefined ACL, or null when the name is not one. */
export function predefinedAclPlaces(name: string): number | null {
  if (!(name in PREDEFINED)) return null;
  const fetch = PREDEFINED[name];
  return fetch === null ? ALL_PLACES : keywordPlaces(fetch);
}
