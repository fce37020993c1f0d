/**
 * Go to definition, find references and rename, as pure functions over the config models.
 *
 * nginx: upstream names (referenced by proxy_pass/grpc_pass/... including across included files),
 * named locations (`location @x`, referenced by try_files/error_page/post_action), and variables
 * (defined by map/geo/split_clients/set/..., referenced as $name or ${name} anywhere).
 * HAProxy: backends (use_backend/default_backend), frontends, ACL names within one proxy (used in
 * if/unless conditions), named defaults profiles (`from <name>`).
 */
import {
  walkDirectives,
  directiveAt,
  tokenAt,
  locationMatch,
  type NginxDirective,
  type NginxToken,
} from '../syntax/nginx';
import {
  wordAt,
  statementAt,
  sectionAt,
  type HaproxySection,
  type HaproxyStatement,
  type HaproxyWord,
} from '../syntax/haproxy';
import type { NginxConfig } from '../model/nginx';
import type { HaproxyConfig } from '../model/haproxy';
import type { Span } from '../text';

export type SymbolKindName = 'upstream' | 'named-location' | 'variable' | 'backend' | 'frontend' | 'acl' | 'defaults';

export interface SymbolRef {
  path: string;
  /** The name only: for variables without "$" and braces, for named locations with "@". */
  span: Span;
  isDefinition: boolean;
}

export interface NavSymbol {
  kind: SymbolKindName;
  name: string;
  /** Where the cursor's occurrence is. */
  at: SymbolRef;
  refs: SymbolRef[];
  /** Can it be renamed (user-defined, with a definition in the config)? */
  renamable: boolean;
}

// ---------------------------------------------------------------------------------------------
// nginx

/** Directives whose first argument may name an upstream. */
const PASS_DIRECTIVES = new Set([
  'proxy_pass',
  'grpc_pass',
  'uwsgi_pass',
  'fastcgi_pass',
  'scgi_pass',
  'memcached_pass',
]);
/** Directives whose last argument may be a named location. */
const NAMED_LOCATION_USERS = new Set(['try_files', 'error_page', 'post_action']);
const VARIABLE_DEFINERS = new Set([
  'map',
  'geo',
  'split_clients',
  'set',
  'perl_set',
  'js_set',
  'auth_request_set',
  'set_by_lua',
  'set_by_lua_block',
  'set_by_lua_file',
]);

function eachNginxDirective(config: NginxConfig, visit: (path: string, d: NginxDirective) => void): void {
  for (const [path, src] of config.sources) walkDirectives(src.tree, (d) => visit(path, d));
}

/** The span of the upstream host inside a pass directive's URL word, or null. */
export function passTargetSpan(d: NginxDirective): { name: string; span: Span } | null {
  const w = d.args[0];
  if (!w) return null;
  // Work on the raw text so offsets are exact; a quoted word starts one character later.
  const raw = w.raw;
  const base = w.start + (w.quote ? 1 : 0);
  const body = w.quote ? raw.slice(1, raw.endsWith(w.quote) && raw.length > 1 ? -1 : undefined) : raw;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)?([^/:?$\s]+)/.exec(body);
  if (!m) return null;
  if (
    !m[1] &&
    d.name !== 'proxy_pass' &&
    d.name !== 'fastcgi_pass' &&
    d.name !== 'uwsgi_pass' &&
    d.name !== 'scgi_pass' &&
    d.name !== 'memcached_pass' &&
    d.name !== 'grpc_pass'
  )
    return null;
  if (m[2].startsWith('unix')) return null;
  const start = base + (m[1]?.length ?? 0);
  return { name: m[2], span: { start, end: start + m[2].length } };
}

function variableOccurrences(tok: NginxToken): { name: string; span: Span }[] {
  const out: { name: string; span: Span }[] = [];
  const re = /\$(?:\{([A-Za-z0-9_]+)\}|([A-Za-z_][A-Za-z0-9_]*))/g;
  for (const m of tok.raw.matchAll(re)) {
    const braced = m[1] !== undefined;
    const name = m[1] ?? m[2];
    const start = tok.start + (m.index ?? 0) + (braced ? 2 : 1);
    out.push({ name, span: { start, end: start + name.length } });
  }
  return out;
}

function definedVariableToken(d: NginxDirective): NginxToken | null {
  if (!VARIABLE_DEFINERS.has(d.name)) return null;
  let w: NginxToken | undefined;
  if (d.name === 'map' || d.name === 'split_clients') w = d.args[1];
  else if (d.name === 'geo') w = d.args.length >= 2 ? d.args[1] : d.args[0];
  else w = d.args[0];
  return w && w.value.startsWith('$') ? w : null;
}

function nginxUpstreamRefs(config: NginxConfig, name: string): SymbolRef[] {
  const refs: SymbolRef[] = [];
  eachNginxDirective(config, (path, d) => {
    if (d.name === 'upstream' && d.block && d.args[0]?.value === name)
      refs.push({ path, span: { start: d.args[0].start, end: d.args[0].end }, isDefinition: true });
    else if (PASS_DIRECTIVES.has(d.name)) {
      const t = passTargetSpan(d);
      if (t && t.name === name) refs.push({ path, span: t.span, isDefinition: false });
    }
  });
  return refs;
}

function nginxNamedLocationRefs(config: NginxConfig, name: string): SymbolRef[] {
  const refs: SymbolRef[] = [];
  eachNginxDirective(config, (path, d) => {
    if (d.name === 'location' && d.block) {
      const m = locationMatch(d);
      if (m && m.modifier === '@' && m.pattern === name && m.patternSpan)
        refs.push({ path, span: m.patternSpan, isDefinition: true });
    } else if (NAMED_LOCATION_USERS.has(d.name)) {
      const last = d.args[d.args.length - 1];
      if (last && last.quote === null && last.value === name)
        refs.push({ path, span: { start: last.start, end: last.end }, isDefinition: false });
    }
  });
  return refs;
}

function nginxVariableRefs(config: NginxConfig, name: string): SymbolRef[] {
  const refs: SymbolRef[] = [];
  const seen = new Set<string>();
  eachNginxDirective(config, (path, d) => {
    const def = definedVariableToken(d);
    for (const tok of [d.nameToken, ...d.args]) {
      for (const v of variableOccurrences(tok)) {
        if (v.name !== name) continue;
        const key = `${path}:${v.span.start}`;
        if (seen.has(key)) continue;
        seen.add(key);
        refs.push({ path, span: v.span, isDefinition: tok === def });
      }
    }
  });
  return refs;
}

/** The navigable symbol at `offset` of file `path` in an nginx config, with all its occurrences. */
export function nginxSymbolAt(config: NginxConfig, path: string, offset: number): NavSymbol | null {
  const src = config.sources.get(path);
  if (!src) return null;
  const d = directiveAt(src.tree, offset);
  const tok = tokenAt(src.tree, offset) ?? (offset > 0 ? tokenAt(src.tree, offset - 1) : null);
  if (!d) return null;
  const inside = (s: Span) => offset >= s.start && offset <= s.end;
  const make = (kind: SymbolKindName, name: string, span: Span, refs: SymbolRef[], renamable: boolean): NavSymbol => {
    const at = refs.find((r) => r.path === path && r.span.start === span.start) ?? { path, span, isDefinition: false };
    return { kind, name, at, refs, renamable: renamable && refs.some((r) => r.isDefinition) };
  };
  // variables anywhere in a word
  if (tok && tok.type === 'token') {
    for (const v of variableOccurrences(tok)) {
      if (offset >= v.span.start - 1 && offset <= v.span.end)
        return make('variable', v.name, v.span, nginxVariableRefs(config, v.name), true);
    }
  }
  if (d.name === 'upstream' && d.args[0] && inside(d.args[0])) {
    return make(
      'upstream',
      d.args[0].value,
      { start: d.args[0].start, end: d.args[0].end },
      nginxUpstreamRefs(config, d.args[0].value),
      true,
    );
  }
  if (PASS_DIRECTIVES.has(d.name)) {
    const t = passTargetSpan(d);
    if (t && inside(t.span)) {
      const refs = nginxUpstreamRefs(config, t.name);
      if (refs.some((r) => r.isDefinition)) return make('upstream', t.name, t.span, refs, true);
    }
  }
  if (d.name === 'location') {
    const m = locationMatch(d);
    if (m && m.modifier === '@' && m.patternSpan && inside(m.patternSpan))
      return make('named-location', m.pattern, m.patternSpan, nginxNamedLocationRefs(config, m.pattern), true);
  }
  if (NAMED_LOCATION_USERS.has(d.name)) {
    const last = d.args[d.args.length - 1];
    if (last && last.value.startsWith('@') && inside(last))
      return make(
        'named-location',
        last.value,
        { start: last.start, end: last.end },
        nginxNamedLocationRefs(config, last.value),
        true,
      );
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// HAProxy

const CONDITION_NOISE = new Set(['or', '||', '!', '{', '}']);

/** ACL names used in an if/unless condition of a statement: the words after if/unless, outside {...}. */
export function conditionAclWords(stmt: HaproxyStatement): HaproxyWord[] {
  const idx = stmt.args.findIndex((a) => a.value === 'if' || a.value === 'unless');
  if (idx < 0) return [];
  const out: HaproxyWord[] = [];
  let depth = 0;
  for (const w of stmt.args.slice(idx + 1)) {
    if (w.value === '{') depth++;
    else if (w.value === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && !CONDITION_NOISE.has(w.value)) out.push(w);
  }
  return out;
}

/** The span of the ACL name in a condition word (after a leading "!"). */
function aclNameSpan(w: HaproxyWord): { name: string; span: Span } {
  const bang = w.raw.startsWith('!') ? 1 : 0;
  return { name: w.value.replace(/^!/, ''), span: { start: w.start + bang, end: w.end } };
}

function haproxySections(config: HaproxyConfig): { path: string; section: HaproxySection }[] {
  const out: { path: string; section: HaproxySection }[] = [];
  for (const s of config.sources) for (const section of s.tree.sections) out.push({ path: s.path, section });
  return out;
}

function wordSpan(w: HaproxyWord): Span {
  return { start: w.start, end: w.end };
}

function haproxyProxyRefs(config: HaproxyConfig, name: string, kinds: string[], refKeywords: string[]): SymbolRef[] {
  const refs: SymbolRef[] = [];
  for (const { path, section } of haproxySections(config)) {
    if (kinds.includes(section.keyword) && section.name === name && section.nameSpan)
      refs.push({ path, span: section.nameSpan, isDefinition: true });
    for (const st of section.statements) {
      if (refKeywords.includes(st.keyword) && st.args[0]?.value === name)
        refs.push({ path, span: wordSpan(st.args[0]), isDefinition: false });
    }
  }
  return refs;
}

function haproxyDefaultsRefs(config: HaproxyConfig, name: string): SymbolRef[] {
  const refs: SymbolRef[] = [];
  for (const { path, section } of haproxySections(config)) {
    if (section.keyword === 'defaults' && section.name === name && section.nameSpan)
      refs.push({ path, span: section.nameSpan, isDefinition: true });
    if (section.from === name && section.fromSpan) refs.push({ path, span: section.fromSpan, isDefinition: false });
  }
  return refs;
}

function haproxyAclRefs(path: string, section: HaproxySection, name: string): SymbolRef[] {
  const refs: SymbolRef[] = [];
  for (const st of section.statements) {
    if (st.keyword === 'acl' && st.args[0]?.value === name)
      refs.push({ path, span: wordSpan(st.args[0]), isDefinition: true });
    for (const w of conditionAclWords(st)) {
      const a = aclNameSpan(w);
      if (a.name === name) refs.push({ path, span: a.span, isDefinition: false });
    }
  }
  return refs;
}

export function haproxySymbolAt(config: HaproxyConfig, path: string, offset: number): NavSymbol | null {
  const src = config.sources.find((s) => s.path === path);
  if (!src) return null;
  const word = wordAt(src.tree, offset);
  const stmt = statementAt(src.tree, offset);
  if (!word || !stmt) return null;
  const make = (kind: SymbolKindName, name: string, span: Span, refs: SymbolRef[]): NavSymbol => {
    const at = refs.find((r) => r.path === path && r.span.start === span.start) ?? { path, span, isDefinition: false };
    return { kind, name, at, refs, renamable: refs.some((r) => r.isDefinition) };
  };
  const section = stmt.section ?? sectionAt(src.tree, offset) ?? null;
  // section header: name or `from` profile
  if (section && stmt === section.headerStatement) {
    if (section.nameSpan && offset >= section.nameSpan.start && offset <= section.nameSpan.end && section.name) {
      if (section.keyword === 'backend')
        return make(
          'backend',
          section.name,
          section.nameSpan,
          haproxyProxyRefs(config, section.name, ['backend', 'listen'], ['use_backend', 'default_backend']),
        );
      if (section.keyword === 'listen')
        return make(
          'backend',
          section.name,
          section.nameSpan,
          haproxyProxyRefs(config, section.name, ['backend', 'listen'], ['use_backend', 'default_backend']),
        );
      if (section.keyword === 'frontend')
        return make(
          'frontend',
          section.name,
          section.nameSpan,
          haproxyProxyRefs(config, section.name, ['frontend'], []),
        );
      if (section.keyword === 'defaults')
        return make('defaults', section.name, section.nameSpan, haproxyDefaultsRefs(config, section.name));
    }
    if (section.fromSpan && section.from && offset >= section.fromSpan.start && offset <= section.fromSpan.end) {
      return make('defaults', section.from, section.fromSpan, haproxyDefaultsRefs(config, section.from));
    }
    return null;
  }
  if ((stmt.keyword === 'use_backend' || stmt.keyword === 'default_backend') && stmt.args[0] === word) {
    return make(
      'backend',
      word.value,
      wordSpan(word),
      haproxyProxyRefs(config, word.value, ['backend', 'listen'], ['use_backend', 'default_backend']),
    );
  }
  if (!section) return null;
  if (stmt.keyword === 'acl' && stmt.args[0] === word)
    return make('acl', word.value, wordSpan(word), haproxyAclRefs(path, section, word.value));
  if (conditionAclWords(stmt).includes(word)) {
    const a = aclNameSpan(word);
    return make('acl', a.name, a.span, haproxyAclRefs(path, section, a.name));
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// rename

export interface RenameEdit {
  path: string;
  span: Span;
  newText: string;
}

/** Why a new name is refused, or null when it is acceptable for this kind of symbol. */
export function validateNewName(kind: SymbolKindName, newName: string): string | null {
  switch (kind) {
    case 'variable':
      return /^[A-Za-z_][A-Za-z0-9_]*$/.test(newName.replace(/^\$/, ''))
        ? null
        : 'a variable name is letters, digits and "_"';
    case 'named-location':
      return /^@[^\s;{}'"#]+$/.test(newName) || /^[^\s;{}'"#@]+$/.test(newName)
        ? null
        : 'a named location is "@" followed by a word';
    case 'upstream':
      return /^[A-Za-z0-9_.-]+$/.test(newName) ? null : 'an upstream name is letters, digits, ".", "_" and "-"';
    default:
      // HAProxy names: invalid_char() in src/tools.c allows letters, digits, '-', '_', '.', ':'
      return /^[A-Za-z0-9_.:-]+$/.test(newName) ? null : 'a HAProxy name is letters, digits, ".", ":", "_" and "-"';
  }
}

/** Edits that rename every occurrence; null when the symbol cannot be renamed to that name. */
export function renameEdits(sym: NavSymbol, newName: string): RenameEdit[] | null {
  if (!sym.renamable || validateNewName(sym.kind, newName)) return null;
  let text = newName;
  if (sym.kind === 'variable') text = newName.replace(/^\$/, '');
  if (sym.kind === 'named-location' && !text.startsWith('@')) text = '@' + text;
  const seen = new Set<string>();
  const out: RenameEdit[] = [];
  for (const r of sym.refs) {
    const key = `${r.path}:${r.span.start}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: r.path, span: r.span, newText: text });
  }
  return out;
}
