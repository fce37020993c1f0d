/** Small configs for the binary checks: one line placed in a block of each nginx context type. */
import type { NginxBlockType } from '../../server/src/service/knowledge';

const WRAP: Record<NginxBlockType, (s: string) => string> = {
  MAIN: (s) => s,
  EVENT: (s) => `events { ${s} }`,
  HTTP_MAIN: (s) => `http { ${s} }`,
  HTTP_SRV: (s) => `http { server { ${s} } }`,
  HTTP_LOC: (s) => `http { server { location / { ${s} } } }`,
  HTTP_SIF: (s) => `http { server { if ($arg_a) { ${s} } } }`,
  HTTP_LIF: (s) => `http { server { location / { if ($arg_a) { ${s} } } } }`,
  HTTP_LMT: (s) => `http { server { location / { limit_except GET { ${s} } } } }`,
  HTTP_UPS: (s) => `http { upstream u { ${s} } }`,
  STREAM_MAIN: (s) => `stream { ${s} }`,
  STREAM_SRV: (s) => `stream { server { ${s} } }`,
  STREAM_UPS: (s) => `stream { upstream u { ${s} } }`,
  MAIL_MAIN: (s) => `mail { ${s} }`,
  MAIL_SRV: (s) => `mail { server { ${s} } }`,
};

/** `line` inside a block of context type `t` (the outer blocks nginx needs around it). */
export function inContext(t: NginxBlockType, line: string): string {
  return WRAP[t](line);
}
