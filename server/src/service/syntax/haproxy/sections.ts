/**
 * The section keywords of HAProxy 2.6 (and the 3.x ones, at the end) and what each header line accepts.
 *
 * Facts (HAProxy v2.6.0 sources): sections are registered with REGISTER_CONFIG_SECTION in
 * src/cfgparse.c (listen, frontend, backend, defaults, global, userlist, peers, mailers,
 * namespace_list), src/cache.c (cache), src/fcgi-app.c (fcgi-app), src/http_htx.c
 * (http-errors), src/log.c (log-forward), src/mworker-prog.c (program), src/resolvers.c
 * (resolvers) and src/sink.c (ring). `readcfgfile()` starts a section whenever the first word of
 * a line is one of these names. Header checks: src/cfgparse-listen.c `cfg_parse_listen()`
 * (proxies), `cfg_parse_peers()`, `cfg_parse_mailers()`, `cfg_parse_users()`, and the parser of
 * each other section; `invalid_char()` in src/tools.c; `alertif_too_many_args()`.
 * Manual: https://docs.haproxy.org/2.6/configuration.html sections 3 to 4.
 */
import { clipWord } from '../../words';
import type { Span } from '../../text';
import type { SyntaxDiagnostic } from '../../types';

export interface SectionRule {
  /** A name is required after the keyword. */
  needsName: boolean;
  /** The name goes through `invalid_char()`. */
  checkName: boolean;
  /** Most words allowed after the keyword; Infinity when HAProxy does not check. */
  maxArgs: number;
  /** frontend/backend/listen/defaults accept `from <defaults>`. */
  from: boolean;
}

const PROXY: SectionRule = { needsName: true, checkName: true, maxArgs: 3, from: true };

export const SECTION_RULES: ReadonlyMap<string, SectionRule> = new Map<string, SectionRule>([
  ['global', { needsName: false, checkName: false, maxArgs: 0, from: false }],
  // `defaults [<name>] [from <defaults>]`: the name of a defaults section is only checked when
  // another section designates it.
  ['defaults', { needsName: false, checkName: false, maxArgs: Infinity, from: true }],
  ['frontend', PROXY],
  ['backend', PROXY],
  ['listen', PROXY],
  ['peers', { needsName: true, checkName: true, maxArgs: 1, from: false }],
  ['mailers', { needsName: true, checkName: true, maxArgs: Infinity, from: false }],
  ['userlist', { needsName: true, checkName: true, maxArgs: 1, from: false }],
  ['resolvers', { needsName: true, checkName: true, maxArgs: Infinity, from: false }],
  ['http-errors', { needsName: true, checkName: true, maxArgs: Infinity, from: false }],
  ['ring', { needsName: true, checkName: true, maxArgs: Infinity, from: false }],
  ['log-forward', { needsName: true, checkName: true, maxArgs: 1, from: false }],
  ['fcgi-app', { needsName: true, checkName: true, maxArgs: 1, from: false }],
  ['cache', { needsName: true, checkName: false, maxArgs: 1, from: false }],
  ['program', { needsName: true, checkName: false, maxArgs: 1, from: false }],
  ['namespace_list', { needsName: false, checkName: false, maxArgs: Infinity, from: false }],
  // Sections of HAProxy 3.x. Read as sections whatever the target version, so that their bodies are
  // not taken for keywords of the section before; knowledge/haproxy-validate.ts reports the header
  // as too new for an older target (HAProxy 2.6 reads "unknown keyword 'crt-store' in 'global'
  // section"). Sources: v3.0.0 src/ssl_ckch.c `cfg_parse_crtstore()` (optional name, "only supports
  // a <name> argument"); v3.2.0 src/trace.c `cfg_parse_traces()` (no argument), src/acme.c
  // `cfg_parse_acme()` (one ID, required), src/log.c `cfg_parse_log_profile()` (one name, required,
  // invalid_char()); v3.4.0 src/tcpcheck.c `cfg_parse_healthchecks()` (name required, invalid_char()).
  ['crt-store', { needsName: false, checkName: false, maxArgs: 1, from: false }],
  ['traces', { needsName: false, checkName: false, maxArgs: 0, from: false }],
  ['acme', { needsName: true, checkName: false, maxArgs: 1, from: false }],
  ['log-profile', { needsName: true, checkName: true, maxArgs: 1, from: false }],
  ['healthcheck', { needsName: true, checkName: true, maxArgs: Infinity, from: false }],
]);

/** Every keyword that opens a section in some HAProxy version wslb knows (2.6 to 3.4). */
export const SECTION_KEYWORDS: readonly string[] = [...SECTION_RULES.keys()];

export function isSectionKeyword(word: string): boolean {
  return SECTION_RULES.has(word);
}

/**
 * Keywords that accept the `no` and `default` modifiers (src/cfgparse.c `readcfgfile()`, v2.6).
 */
export const MODIFIABLE_KEYWORDS: ReadonlySet<string> = new Set([
  'option',
  'log',
  'busy-polling',
  'set-dumpable',
  'strict-limits',
  'insecure-fork-wanted',
  'numa-cpu-mapping',
]);

/** The error for `no`/`default` (`keyword`) before a keyword outside MODIFIABLE_KEYWORDS; `span`: both words. */
export function badModifier(keyword: string, span: Span): SyntaxDiagnostic {
  return {
    code: 'bad-modifier',
    message: `'${clipWord(keyword)}' applies only to option, log, busy-polling, set-dumpable, strict-limits, insecure-fork-wanted and numa-cpu-mapping`,
    severity: 'error',
    start: span.start,
    end: span.end,
  };
}

/** include/haproxy/cfgcond-t.h (v2.6): `#define MAXNESTEDCONDS 100`; level 100 is refused. */
export const MAX_NESTED_CONDITIONS = 100;
