/**
 * nginx's block types: the context bits its command tables name (NGX_HTTP_LOC_CONF -> HTTP_LOC),
 * their human names and order, which block a chain of block names reaches, and the blocks that
 * hold data instead of directives.
 */

/** Blocks whose bodies are data (keys and values), not directives. */
export const NGINX_DATA_BLOCKS: ReadonlySet<string> = new Set([
  'map',
  'geo',
  'types',
  'split_clients',
  'match',
  'charset_map',
]);

/** Which kind of block a directive lives in; nginx only looks at modules of that kind. */
export type NginxFamily = 'main' | 'events' | 'http' | 'stream' | 'mail';

/**
 * The command type of a block, as nginx names its context bits (NGX_HTTP_LOC_CONF -> HTTP_LOC):
 * the top level (MAIN), events, http/server/location/if in server/if in location/limit_except/
 * upstream, stream/server/upstream, mail/server.
 */
export type NginxBlockType =
  | 'MAIN'
  | 'EVENT'
  | 'HTTP_MAIN'
  | 'HTTP_SRV'
  | 'HTTP_LOC'
  | 'HTTP_SIF'
  | 'HTTP_LIF'
  | 'HTTP_LMT'
  | 'HTTP_UPS'
  | 'STREAM_MAIN'
  | 'STREAM_SRV'
  | 'STREAM_UPS'
  | 'MAIL_MAIN'
  | 'MAIL_SRV';

/** Human names of block types, as the documentation says them. */
export const BLOCK_TYPE_NAMES: Record<NginxBlockType | 'ANY', string> = {
  MAIN: 'main',
  EVENT: 'events',
  HTTP_MAIN: 'http',
  HTTP_SRV: 'server',
  HTTP_LOC: 'location',
  HTTP_SIF: 'if in server',
  HTTP_LIF: 'if in location',
  HTTP_LMT: 'limit_except',
  HTTP_UPS: 'upstream',
  STREAM_MAIN: 'stream',
  STREAM_SRV: 'server',
  STREAM_UPS: 'upstream',
  MAIL_MAIN: 'mail',
  MAIL_SRV: 'server',
  ANY: 'any context',
};

/** Block types from the outside in, for listing contexts in a natural order. */
export const BLOCK_ORDER: readonly string[] = [
  'ANY',
  'MAIN',
  'EVENT',
  'HTTP_MAIN',
  'HTTP_SRV',
  'HTTP_SIF',
  'HTTP_LOC',
  'HTTP_LIF',
  'HTTP_LMT',
  'HTTP_UPS',
  'STREAM_MAIN',
  'STREAM_SRV',
  'STREAM_UPS',
  'MAIL_MAIN',
  'MAIL_SRV',
];

/** Context bits in BLOCK_ORDER. */
export function sortBlockTypes<T extends string>(types: Iterable<T>): T[] {
  return [...types].sort((a, b) => BLOCK_ORDER.indexOf(a) - BLOCK_ORDER.indexOf(b));
}

export function familyOfBlockType(t: NginxBlockType): NginxFamily {
  if (t === 'MAIN') return 'main';
  if (t === 'EVENT') return 'events';
  if (t.startsWith('HTTP_')) return 'http';
  if (t.startsWith('STREAM_')) return 'stream';
  return 'mail';
}

/** Human name with family, e.g. "server (stream)" for STREAM_SRV; plain name where unambiguous. */
export function describeBlockType(t: NginxBlockType): string {
  const n = BLOCK_TYPE_NAMES[t];
  if (t === 'STREAM_SRV' || t === 'STREAM_UPS') return `stream ${n}`;
  if (t === 'MAIL_SRV') return `mail ${n}`;
  if (t === 'HTTP_SRV' || t === 'HTTP_UPS') return `http ${n}`;
  return n;
}

/**
 * The block type a block directive opens, given the block type it appears in; null when the
 * directive does not open a block of directives (a data block such as map/types, or unknown).
 */
export function childBlockType(parent: NginxBlockType, name: string): NginxBlockType | null {
  switch (parent) {
    case 'MAIN':
      return name === 'events'
        ? 'EVENT'
        : name === 'http'
          ? 'HTTP_MAIN'
          : name === 'stream'
            ? 'STREAM_MAIN'
            : name === 'mail'
              ? 'MAIL_MAIN'
              : null;
    case 'HTTP_MAIN':
      return name === 'server' ? 'HTTP_SRV' : name === 'upstream' ? 'HTTP_UPS' : null;
    case 'HTTP_SRV':
      return name === 'location' ? 'HTTP_LOC' : name === 'if' ? 'HTTP_SIF' : null;
    case 'HTTP_LOC':
      return name === 'location'
        ? 'HTTP_LOC'
        : name === 'if'
          ? 'HTTP_LIF'
          : name === 'limit_except'
            ? 'HTTP_LMT'
            : null;
    case 'STREAM_MAIN':
      return name === 'server' ? 'STREAM_SRV' : name === 'upstream' ? 'STREAM_UPS' : null;
    case 'MAIL_MAIN':
      return name === 'server' ? 'MAIL_SRV' : null;
    default:
      return null;
  }
}

/**
 * The block type reached by a chain of block names from the top, e.g. ['main','http','server']
 * -> HTTP_SRV; ['stream','upstream'] -> STREAM_UPS. 'main' may be given or left out; reference-lib
 * names such as "if in location" are accepted. Returns null for a chain nginx cannot have.
 */
export function blockTypeOfPath(path: readonly string[]): NginxBlockType | null {
  let t: NginxBlockType = 'MAIN';
  for (const raw of path) {
    const name = raw === 'if in location' || raw === 'if in server' ? 'if' : raw;
    if (name === 'main' && t === 'MAIN') continue;
    const next = childBlockType(t, name);
    if (!next) return null;
    if ((raw === 'if in location' && next !== 'HTTP_LIF') || (raw === 'if in server' && next !== 'HTTP_SIF'))
      return null;
    t = next;
  }
  return t;
}

/** reference-lib context name -> block types, within a family. */
export function refContextToBlockTypes(ctx: string, family: NginxFamily): NginxBlockType[] {
  switch (ctx) {
    case 'main':
      return ['MAIN'];
    case 'events':
      return ['EVENT'];
    case 'http':
      return ['HTTP_MAIN'];
    case 'stream':
      return ['STREAM_MAIN'];
    case 'mail':
      return ['MAIL_MAIN'];
    case 'server':
      return family === 'stream'
        ? ['STREAM_SRV']
        : family === 'mail'
          ? ['MAIL_SRV']
          : family === 'http'
            ? ['HTTP_SRV']
            : ['HTTP_SRV', 'STREAM_SRV', 'MAIL_SRV'];
    case 'location':
      return ['HTTP_LOC'];
    case 'if in location':
      return ['HTTP_LIF'];
    case 'if':
      return ['HTTP_SIF', 'HTTP_LIF'];
    case 'limit_except':
      return ['HTTP_LMT'];
    case 'upstream':
      return family === 'stream' ? ['STREAM_UPS'] : ['HTTP_UPS'];
    default:
      return [];
  }
}
