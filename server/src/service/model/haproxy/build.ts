/** Building a config from its files, and updating it after an edit inside one line. */
import { clipWord } from '../../words';
import { parseHaproxy, type HaproxyFile, type HaproxySection, type HaproxyStatement } from '../../syntax/haproxy';
import type { HaproxyLineChange } from '../../syntax/haproxy/incremental';
import { carry, fact, updateAcross } from '../../host/memo';
import { recogniseHaproxyTemplate } from '../haproxy-template';
import type { TemplateInfo } from '../../template';
import {
  firstAfter,
  indexOfSection,
  PROXY_KINDS,
  ProxyNode,
  proxyReplaced,
  type HaproxyConfig,
  type HaproxyProxy,
  type HaproxySource,
  type ProxyKind,
  type ProxyReplacement,
} from './node';

/**
 * A file to build a config from. `tree` and `template`, when given, must be those of the text
 * (template: recogniseHaproxyTemplate()'s answer, null for none; the tree parsed from its text).
 */
export interface HaproxyBuildFile {
  path: string;
  text: string;
  tree?: HaproxyFile;
  template?: TemplateInfo | null;
}

export function buildHaproxyConfig(files: HaproxyBuildFile[]): HaproxyConfig {
  const sources = files.map((f) => haproxySource(f.path, f.text, f.tree, f.template));
  const proxies: HaproxyProxy[] = [];
  const global: HaproxySection[] = [];
  const diagnostics: HaproxyConfig['diagnostics'] = [];
  let lastDefaults: HaproxyProxy | null = null;
  const named = new Map<string, HaproxyProxy>();

  for (const src of sources) {
    for (const section of src.tree.sections) {
      if (section.keyword === 'global') {
        global.push(section);
        continue;
      }
      if (!PROXY_KINDS.has(section.keyword)) continue;
      const kind = section.keyword as ProxyKind;
      // Only frontends, backends and listens take the previous defaults section; a defaults section
      // inherits nothing unless it says `from` (src/cfgparse-listen.c, cfg_parse_listen(), v2.6.0:
      // "only regular proxies inherit from the previous defaults section").
      let defaults: HaproxyProxy | null = kind === 'defaults' ? null : lastDefaults;
      if (section.from) {
        defaults = named.get(section.from) ?? null;
        if (!defaults) {
          const span = section.fromSpan ?? section.header;
          diagnostics.push({
            path: src.path,
            start: span.start,
            end: span.end,
            code: 'haproxy/unknown-defaults',
            message: `defaults section '${clipWord(section.from)}' not found for ${kind} '${clipWord(section.name ?? '')}' (it must be declared before)`,
            severity: 'error',
          });
        }
      }
      const proxy: HaproxyProxy = new ProxyNode(kind, section.name, section, src, defaults);
      proxies.push(proxy);
      if (kind === 'defaults') {
        lastDefaults = proxy;
        if (section.name) named.set(section.name, proxy);
      }
    }
  }
  return { sources, proxies, global, diagnostics };
}

/**
 * One file of a config. A template (haproxy-template.ts) is parsed with its placeholders
 * neutralised, as if rendered; `tree`, when given, must have been parsed from that text
 * (haproxyParseText).
 */
export function haproxySource(
  path: string,
  text: string,
  tree?: HaproxyFile,
  known?: TemplateInfo | null,
): HaproxySource {
  const template = (known !== undefined ? known : recogniseHaproxyTemplate(text)) ?? undefined;
  return { path, text, tree: tree ?? parseHaproxy(template?.text ?? text), template };
}

/** The text to parse for a file: the file's, with template placeholders neutralised. */
export function haproxyParseText(text: string): string {
  return recogniseHaproxyTemplate(text)?.text ?? text;
}

/**
 * The config after an edit inside one line of `path` (syntax/haproxy/incremental.ts): the edited
 * proxy is rebuilt, every other proxy object is kept (with what is remembered about it), and the
 * shared source now holds the new text and tree. Returns null when the config must be built again:
 * an edit in a `defaults` section changes what the proxies using it inherit.
 */
export function updateHaproxyConfig(
  config: HaproxyConfig,
  path: string,
  change: HaproxyLineChange,
): HaproxyConfig | null {
  const src = config.sources.find((s) => s.path === path);
  const section = change.section;
  if (!src || section.keyword === 'defaults' || src.template) return null;
  // A `wslb` comment (a WebSocket marker, in any case) may mark the proxy below it, not only the
  // one it belongs to: such a line is edited by building the config again. Nothing else can
  // bring one in or take one out (sourceMayMentionWslb() stays true of the text).
  if (WSLB.test(change.oldText) || WSLB.test(change.newText)) return null;
  src.text = change.tree.text;
  src.tree = change.tree;
  if (change.delta !== 0) {
    for (const d of config.diagnostics) {
      if (d.path !== path || d.start < change.oldLineEnd) continue;
      d.start += change.delta;
      d.end += change.delta;
    }
  }
  if (!PROXY_KINDS.has(section.keyword)) return config; // global, peers, ...: no proxy changed
  const i = indexOfSection(config.proxies, section);
  if (i < 0) return null;
  const old = config.proxies[i];
  const proxy: HaproxyProxy = new ProxyNode(old.kind, old.name, section, src, old.defaults);
  // The config object is updated in place (the caller drops the old state), so what is known
  // about the whole config follows the one proxy that changed instead of being computed again.
  config.proxies[i] = proxy;
  // Unless the line is (or was) a route or an ACL, the proxy's routes are the same statements.
  const routes = (s: HaproxyStatement | null) =>
    !!s && (s.keyword === 'use_backend' || s.keyword === 'default_backend' || s.keyword === 'acl');
  carry(proxyReplaced, config, config, { old, proxy, routesChanged: routes(change.removed) || routes(change.added) });
  return config;
}

/**
 * Whether a source's text may hold a `wslb` comment (any case; WebSocket markers and suppressions
 * start so): when it holds none, nothing needs to look for one. Kept per source object, which an
 * edit updates in place (updateHaproxyConfig, which leaves lines with `wslb` to a new build), so
 * it is found once per text opened, not per edit.
 */
export const sourceMayMentionWslb: (src: HaproxySource) => boolean = fact(
  'haproxy.sourceMayMentionWslb',
  (src: HaproxySource) => hasWslbComment(src.text),
);
/** `wslb` markers, and comments about WebSocket (model/websocket.ts reads those near a section's header). */
const WSLB = /wslb|web-?socket|socket\.io|sockjs/i;

/**
 * Whether some `#` in the text is followed, after white space, by `wslb` in any case: every
 * comment a marker or a suppression can be in (the comment's text must start so) has one. Looking
 * from each `#` is much quicker than a case-insensitive search of the whole text. (It may say yes
 * for a `#` that starts no comment, or white space across a line break: "may".)
 */
export function hasWslbComment(text: string): boolean {
  const n = text.length;
  for (let i = text.indexOf('#'); i >= 0; i = text.indexOf('#', i + 1)) {
    let j = i + 1;
    while (j < n && isSpace(text.charCodeAt(j))) j++;
    // `| 32` lowers an ASCII letter and leaves no other character on w, s, l or b (/i does not
    // fold non-ASCII letters onto ASCII ones without the u flag)
    if (
      j + 4 <= n &&
      (text.charCodeAt(j) | 32) === 119 &&
      (text.charCodeAt(j + 1) | 32) === 115 &&
      (text.charCodeAt(j + 2) | 32) === 108 &&
      (text.charCodeAt(j + 3) | 32) === 98
    )
      return true;
  }
  return false;
}

/** What `\s` matches. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  return c >= 128 && SPACE.test(String.fromCharCode(c));
}
const SPACE = /\s/;

/** Lists in config order follow a replaced proxy (out or in, at its place in its file). */
function replaceInLists(lists: ProxyLists, { old, proxy }: ProxyReplacement): ProxyLists {
  const section = proxy.section;
  for (const [test, list] of lists) {
    const k = indexOfSection(list, old.section);
    if (k >= 0) list.splice(k, 1);
    if (!test(proxy)) continue;
    // lists are in config order, which is file order for the single file edited here
    list.splice(firstAfter(list, section.start), 0, proxy);
  }
  return lists;
}

type ProxyLists = Map<(p: HaproxyProxy) => boolean, HaproxyProxy[]>;
const filtered = fact(
  'haproxy.proxiesWhere',
  (_config: HaproxyConfig): ProxyLists => new Map(),
  updateAcross(proxyReplaced, replaceInLists),
);

/**
 * The proxies for which `test` holds, in config order; kept per config (and followed through
 * proxy replacements), so a rule that concerns few proxies does not walk them all on every edit.
 * `test` must be a module-level function of the proxy object alone.
 */
export function proxiesWhere(config: HaproxyConfig, test: (p: HaproxyProxy) => boolean): HaproxyProxy[] {
  const lists = filtered(config);
  let list = lists.get(test);
  if (!list) lists.set(test, (list = config.proxies.filter(test)));
  return list;
}
