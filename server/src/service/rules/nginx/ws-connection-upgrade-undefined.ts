import { clipWord } from '../../words';
import {
  namedIn,
  argsMayHold,
  definedVariables,
  variableRefs,
  walkStatements,
  type NginxConfig,
  type NginxStatement,
  configSeenWhole,
  nginxFootprintKept,
} from '../../model/nginx';
import { nginxCommands } from '../../knowledge/nginx';
import { ensureConnectionUpgradeMap } from '../../fixes/nginx';
import type { NginxRule } from '../rule';
import type { Span } from '../../text';
import { statementsIn } from '../../model/nginx-units';
import { fact, keepAcross } from '../../host/memo';
import { isBuiltinVariable } from './variables';

/** Directives whose arguments are regular expressions or code, not nginx strings with variables. */
const NOT_COMPILED = new Set([
  'location',
  'server_name',
  'include',
  'perl',
  'perl_set',
  'perl_modules',
  'perl_require',
  'js_import',
  'js_set',
  'js_var',
  'valid_referers',
  'ssi_value_length',
]);

/** The parameters of a `map` block, not pairs. */
const MAP_PARAMETERS: ReadonlySet<string> = new Set(['include', 'hostnames', 'volatile']);

/**
 * Directives whose arguments are not checked: not compiled as strings (NOT_COMPILED), a geo or
 * map-like block's pairs (`$name`), Lua code, and third-party directives (their arguments are
 * their own business).
 */
function exemptDirective(name: string): boolean {
  return NOT_COMPILED.has(name) || name.startsWith('$') || /_by_lua/.test(name) || nginxCommands(name).length === 0;
}

/** Argument indexes that are regexes (a `$` there is an anchor, but `$name` is still odd, so skip them). */
function regexArg(stmt: NginxStatement, i: number): boolean {
  if (stmt.name === 'rewrite') return i === 0;
  if (stmt.name === 'if') {
    // if ($var ~ regex): everything after a match operator is the regex
    const op = stmt.args.findIndex((a) => /^!?~\*?$/.test(a));
    return op >= 0 && i > op;
  }
  if (stmt.name === 'proxy_redirect' || stmt.name === 'proxy_cookie_path' || stmt.name === 'proxy_cookie_domain')
    return i === 0 && stmt.args[0]?.startsWith('~');
  return false;
}

/** Arguments that define a variable rather than use it. */
function definingArg(stmt: NginxStatement, i: number): boolean {
  switch (stmt.name) {
    case 'set':
    case 'auth_request_set':
      return i === 0;
    case 'map':
    case 'split_clients':
      return i === 1;
    case 'geo':
      return i === stmt.args.length - 1;
    default:
      return false;
  }
}

/** Offset of `$name` inside an argument's source text (quotes and escapes kept). */
function refSpan(stmt: NginxStatement, argIndex: number, valueIndex: number, length: number): Span {
  const a = stmt.directive.args[argIndex];
  const raw = a.raw;
  const text = stmt.args[argIndex].slice(valueIndex, valueIndex + length);
  let at = (a.quote ? 1 : 0) + valueIndex;
  if (raw.slice(at, at + length) !== text) {
    const found = raw.indexOf(text);
    at = found >= 0 ? found : 0;
  }
  return { start: a.start + at, end: a.start + at + length };
}

/** Configs where a third-party module may define variables we cannot know about. */
function mayHaveForeignVariables(config: NginxConfig): boolean {
  const statements = namedIn(walkStatements(config.root), 'load_module');
  for (let si = 0; si < statements.length; si++) {
    const s = statements[si];
    if (s.name === 'load_module' && !/ngx_(http|stream|mail)_[a-z0-9_]*module\.so$/.test(s.args[0] ?? '')) return true;
    if (
      s.name === 'load_module' &&
      /ndk|lua|geoip2|vts|headers_more|set_misc|echo|brotli|modsecurity|naxsi|fancyindex/.test(s.args[0] ?? '')
    )
      return true;
  }
  return false;
}

/**
 * Every variable the config defines (lower case), and whether third-party modules may define more
 * (computed once per config: the facts are about the whole config, whatever part is checked).
 */
const variableFacts = fact(
  'nginx.variableFacts',
  (config: NginxConfig) => {
    const defined = new Map<string, NginxStatement>();
    for (const [k, v] of definedVariables(config)) defined.set(k.toLowerCase(), v);
    // third-party "define a variable" directives: set_by_lua $x ..., mruby_set $x ..., geoip2 { $x ...; }
    let foreign = mayHaveForeignVariables(config);
    const statements = walkStatements(config.root);
    for (let si = 0; si < statements.length; si++) {
      const s = statements[si];
      if (s.name.startsWith('$')) defined.set(s.name.slice(1).toLowerCase(), s);
      else if (nginxCommands(s.name).length === 0) {
        foreign = true;
        if (s.args[0]?.startsWith('$'))
          defined.set(
            s.args[0]
              .slice(1)
              .replace(/^\{(.*)\}$/, '$1')
              .toLowerCase(),
            s,
          );
      }
    }
    return { defined, foreign };
  },
  keepAcross(nginxFootprintKept),
);

export const wsConnectionUpgradeUndefined: NginxRule = {
  meta: {
    id: 'nginx/ws-connection-upgrade-undefined',
    system: 'nginx',
    severity: 'error',
    versions: 'all nginx versions',
    fixable: true,
    scope: 'server',
    docs: {
      short: 'A variable such as `$connection_upgrade` is used but nothing defines it, so nginx refuses to start.',
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://nginx.org/en/docs/http/websocket.html',
        'https://nginx.org/en/docs/varindex.html',
        'https://nginx.org/en/docs/http/ngx_http_map_module.html',
      ],
      proof:
        'nginx 1.22.1 `nginx -t` on the fixture: `[emerg] unknown "connection_upgrade" variable` (docs/live-findings.md, test/rules/nginx-binary.test.ts).',
    },
  },
  check({ config, report, scope }) {
    // A fragment or a config with missing includes may get its map from a file we do not see.
    if (config.assumedContext) return;
    if (!configSeenWhole(config)) return;
    const { defined, foreign } = variableFacts(config);
    const reported = new Set<string>();
    // What this run found already, by name as written: most names recur on every server.
    const isKnown = new Map<string, boolean>(); // a variable that is defined or built in
    const isExempt = new Map<string, boolean>(); // a directive whose arguments are not looked into
    // `spanOf` is called only for a name that is reported (most are defined or built in).
    const check = (s: NginxStatement, name: string, spanOf: () => Span) => {
      let known = isKnown.get(name);
      if (known === undefined) {
        const lower = name.toLowerCase();
        isKnown.set(name, (known = defined.has(lower) || isBuiltinVariable(lower)));
      }
      if (known) return;
      const isUpgrade = name.toLowerCase() === 'connection_upgrade';
      if (foreign && !isUpgrade) return;
      const span = spanOf();
      const key = `${s.source.path}:${span.start}`;
      if (reported.has(key)) return;
      reported.add(key);
      report({
        path: s.source.path,
        span,
        message: isUpgrade
          ? `$connection_upgrade is used but no map defines it: nginx refuses to start (unknown "connection_upgrade" variable)`
          : `$${clipWord(name)} is used but nothing defines it and nginx has no such variable: nginx refuses to start (unknown "${clipWord(name)}" variable)`,
        fixes: () => {
          const edit = isUpgrade ? ensureConnectionUpgradeMap(config, s.context, defined) : null;
          return edit
            ? [
                {
                  title: 'Add the canonical map $http_upgrade $connection_upgrade at http level',
                  edits: [edit],
                  isPreferred: true,
                },
              ]
            : [];
        },
      });
    };
    const statements = statementsIn(config, scope);
    const mayHoldVariable = argsMayHold('$');
    for (let si = 0; si < statements.length; si++) {
      const s = statements[si];
      // map values may be variables too: `default $http_x;` (keys are strings or regexes)
      if (s.name === 'map' && s.directive.block) {
        for (const c of s.directive.block.items) {
          if (c.type !== 'directive' || MAP_PARAMETERS.has(c.name)) continue;
          const v = c.args[0];
          if (!v) continue;
          for (const ref of variableRefs(v.value)) {
            check(s, ref.name, () => {
              const at = v.raw.indexOf(v.value.slice(ref.index, ref.index + ref.length));
              const start = v.start + Math.max(0, at);
              return { start, end: start + ref.length };
            });
          }
        }
      }
      if (!mayHoldVariable(s)) continue;
      let exempt = isExempt.get(s.name);
      if (exempt === undefined) isExempt.set(s.name, (exempt = exemptDirective(s.name)));
      if (exempt) continue;
      const args = s.args;
      for (let i = 0; i < args.length; i++) {
        if (args[i].indexOf('$') < 0 || definingArg(s, i) || regexArg(s, i)) continue;
        for (const ref of variableRefs(args[i])) check(s, ref.name, () => refSpan(s, i, ref.index, ref.length));
      }
    }
  },
};
