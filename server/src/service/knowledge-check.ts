/**
 * Bridge from the model to the knowledge-base validators (unknown directives and keywords, wrong
 * context, argument counts, versions). Each file is checked in the context it is included in.
 */
import { NGINX_DATA_BLOCKS, validateHaproxy, validateNginx } from './knowledge';
import type { HaproxyConfig } from './model/haproxy';
import { contextPath, type NginxConfig } from './model/nginx';
import { haproxyTimeError, nginxParseTime } from './model/units';
import { walkDirectives, type NginxBlock, type NginxFile } from './syntax/nginx';
import { isActive, statementAt, type HaproxyFile, type HaproxyStatement } from './syntax/haproxy';
import { clipWord } from './words';
import type { ServiceOptions } from './options';
import type { Span } from './text';
import type { Severity } from './types';

export interface KnowledgeFinding {
  path: string;
  span: Span;
  severity: Severity;
  code: string;
  message: string;
}

export function validateConfigKnowledge(
  input: { language: 'nginx'; config: NginxConfig } | { language: 'haproxy'; config: HaproxyConfig },
  options: ServiceOptions,
  /** Keep the nginx directives' checks for a later check of the same trees (ValidateNginxOptions.keepChecks). */
  keepChecks = true,
): KnowledgeFinding[] {
  const out: KnowledgeFinding[] = [];
  if (input.language === 'nginx') {
    const { config } = input;
    for (const [path, src] of config.sources) {
      const at = config.includedAt.get(path);
      const rootContext = at ? contextPath(at) : path === config.rootPath ? (config.assumedContext ?? []) : [];
      for (const d of validateNginx(src.tree, {
        version: options.nginxVersion,
        versionChosen: !!options.nginxVersionSet,
        rootContext,
        keepChecks,
      }))
        out.push({ path, ...d });
      checkNginxTimes(path, src.tree, out);
    }
  } else {
    for (const src of input.config.sources) {
      const mine: KnowledgeFinding[] = [];
      const version = options.haproxyVersion;
      const tree = src.tree;
      for (const d of validateHaproxy(tree, { version })) {
        // A line in a `.if version_atleast(...)` / `.else` branch the target version does not take
        // is never parsed by that version: what its table says about the line does not apply.
        if (tree.conditionals.length > 0 && !readAtVersion(tree, d.span.start, version)) continue;
        mine.push({ path: src.path, ...d });
      }
      const before = mine.length;
      checkHaproxyTimes(src.path, src.tree, mine);
      // in file order (the incremental update looks findings up by position); a stable sort
      // keeps the validator's order on one line
      if (mine.length > before) mine.sort((a, b) => a.span.start - b.span.start);
      for (const k of mine) out.push(k);
    }
  }
  return out;
}

/**
 * Whether HAProxy `version` reads the statement at `offset`: false only when one of its enclosing
 * `.if`/`.elif`/`.else` branches is certainly not taken by that version (a condition that depends
 * on the environment or build features counts as taken).
 */
function readAtVersion(tree: HaproxyFile, offset: number, version: string): boolean {
  const st = statementAt(tree, offset);
  return !st || isActive(st, { version }) !== false;
}

/**
 * The directives whose value nginx reads with ngx_conf_set_msec_slot (a time in milliseconds),
 * from the ngx_command_t tables of nginx 1.24 (src/http, src/stream, src/mail; the same in 1.22).
 */
const NGINX_MSEC_DIRECTIVES: ReadonlySet<string> = new Set([
  'accept_mutex_delay',
  'auth_delay',
  'auth_http_timeout',
  'client_body_timeout',
  'client_header_timeout',
  'fastcgi_cache_lock_age',
  'fastcgi_cache_lock_timeout',
  'fastcgi_connect_timeout',
  'fastcgi_next_upstream_timeout',
  'fastcgi_read_timeout',
  'fastcgi_send_timeout',
  'grpc_connect_timeout',
  'grpc_next_upstream_timeout',
  'grpc_read_timeout',
  'grpc_send_timeout',
  'keepalive_time',
  'lingering_time',
  'lingering_timeout',
  'memcached_connect_timeout',
  'memcached_next_upstream_timeout',
  'memcached_read_timeout',
  'memcached_send_timeout',
  'preread_timeout',
  'proxy_cache_lock_age',
  'proxy_cache_lock_timeout',
  'proxy_connect_timeout',
  'proxy_next_upstream_timeout',
  'proxy_protocol_timeout',
  'proxy_read_timeout',
  'proxy_send_timeout',
  'proxy_timeout',
  'resolver_timeout',
  'scgi_cache_lock_age',
  'scgi_cache_lock_timeout',
  'scgi_connect_timeout',
  'scgi_next_upstream_timeout',
  'scgi_read_timeout',
  'scgi_send_timeout',
  'send_timeout',
  'smtp_greeting_delay',
  'ssl_handshake_timeout',
  'timeout',
  'timer_resolution',
  'uwsgi_cache_lock_age',
  'uwsgi_cache_lock_timeout',
  'uwsgi_connect_timeout',
  'uwsgi_next_upstream_timeout',
  'uwsgi_read_timeout',
  'uwsgi_send_timeout',
  'worker_shutdown_timeout',
]);

/** ngx_conf_set_sec_slot: a time in seconds. */
const NGINX_SEC_DIRECTIVES: ReadonlySet<string> = new Set(['open_file_cache_valid', 'ssl_session_timeout']);

/** The unit of each argument of a time directive: true for seconds, false for milliseconds. */
const NGINX_TIME_ARGS: ReadonlyMap<string, readonly boolean[]> = new Map([
  ...[...NGINX_MSEC_DIRECTIVES].map((n): [string, boolean[]] => [n, [false]]),
  ...[...NGINX_SEC_DIRECTIVES].map((n): [string, boolean[]] => [n, [true]]),
  ['keepalive_timeout', [false, true]],
]);

/** Times nginx accepts whatever the digits (one unit at most, too few digits to overflow). */
const PLAIN_MSEC = /^\d{1,9}(?:ms|[smhdw])?$/;
const PLAIN_SECONDS = /^\d{1,9}[smhdw]?$/;

/**
 * Time values nginx refuses with "invalid value" (ngx_parse_time: a sign, an exponent, units out
 * of order or repeated, y/M for milliseconds, overflow past 2^63 - 1). keepalive_timeout reads its
 * first value in milliseconds and its second in seconds (ngx_http_core_keepalive).
 */
export function checkNginxTimes(path: string, tree: NginxFile | NginxBlock, out: KnowledgeFinding[]): void {
  walkDirectives(tree, (d) => {
    if (d.block) return NGINX_DATA_BLOCKS.has(d.name) || d.block.rawBody ? false : undefined;
    const name = d.name;
    const kinds = NGINX_TIME_ARGS.get(name);
    if (!kinds) return;
    const args = d.args;
    if (args.length > kinds.length) return; // the argument count check reports it
    for (let i = 0; i < args.length; i++) {
      const value = args[i].value;
      if (value.includes('$') || (kinds[i] ? PLAIN_SECONDS : PLAIN_MSEC).test(value)) continue;
      if (nginxParseTime(value, kinds[i]) !== undefined) continue;
      out.push({
        path,
        // a copy: the argument node's offsets move when an edit above it is re-read in place
        span: { start: args[i].start, end: args[i].end },
        severity: 'error',
        code: 'nginx/invalid-value',
        message:
          `nginx refuses "${clipWord(value)}" as the time of \`${clipWord(name)}\` ("invalid value"): ` +
          (kinds[i]
            ? 'digits with units y, M, w, d, h, m, s in that order, each at most once, e.g. 10m or 1h30m'
            : 'digits with units w, d, h, m, s, ms in that order, each at most once (no y or M), e.g. 60s or 1m30s; at most 2^63 - 1 ms'),
      });
    }
    return undefined;
  });
}

/**
 * `timeout <name> <value>` values HAProxy refuses (parse_time_err in src/tools.c and its callers
 * in src/proxy.c): a character where a digit or unit belongs, "timer overflow" (2^31 ms or more,
 * about 24.8 days) and "timer underflow" (a non-zero value below 1 ms).
 */
function checkHaproxyTimes(path: string, file: HaproxyFile, out: KnowledgeFinding[]): void {
  for (const section of file.sections) {
    const body = section.body;
    const size = body ? body.size : section.statements.length;
    for (let i = 0; i < size; i++) {
      const keyword = body ? body.keywordAt(i) : section.statements[i].keyword;
      if (keyword !== 'timeout') continue;
      if (body ? body.modifierAt(i) !== undefined : section.statements[i].modifier !== undefined) continue;
      const count = body ? body.wordCountAt(i) : section.statements[i].line.words.length;
      if (count < 3) continue;
      const value = body ? body.wordValueAt(i, 2) : section.statements[i].line.words[2].value;
      if (!haproxyTimeError(value)) continue;
      checkHaproxyTimeStatement(path, body ? body.statement(i) : section.statements[i], out);
    }
  }
}

/** checkHaproxyTimes() of one statement (an incremental update re-checks the edited line). */
export function checkHaproxyTimeStatement(path: string, st: HaproxyStatement, out: KnowledgeFinding[]): void {
  if (st.keyword !== 'timeout' || st.modifier !== undefined || st.line.words.length < 3) return;
  const words = st.line.words;
  const value = words[2].value;
  const err = haproxyTimeError(value);
  if (!err) return;
  const what = `timeout ${clipWord(words[1].value)}`;
  out.push({
    path,
    span: { start: words[2].start, end: words[2].end },
    severity: 'error',
    code: 'haproxy/invalid-value',
    message:
      err.kind === 'overflow'
        ? `timer overflow in argument '${clipWord(value)}' to '${what}' (maximum value is 2147483647 ms or ~24.8 days): HAProxy refuses the configuration`
        : err.kind === 'underflow'
          ? `timer underflow in argument '${clipWord(value)}' to '${what}' (minimum non-null value is 1 ms): HAProxy refuses the configuration`
          : `unexpected character '${clipWord(err.char)}' in '${what}': HAProxy refuses the configuration (a time is digits with one unit of us, ms, s, m, h, d)`,
  });
}
