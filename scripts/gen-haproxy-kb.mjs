#!/usr/bin/env node
/**
 * Generates server/src/service/knowledge/generated/haproxy-2.6.json, the HAProxy 2.6 keyword table,
 * from the HAProxy configuration manual installed by Debian's `haproxy-doc` package
 * (/usr/share/doc/haproxy/html/configuration.html).
 *
 * Usage:
 *   node scripts/gen-haproxy-kb.mjs            regenerate the JSON
 *   node scripts/gen-haproxy-kb.mjs --check    regenerate in memory; exit 1 if the committed JSON differs
 *   node scripts/gen-haproxy-kb.mjs --manual <path to configuration.html>
 *
 * Only facts are kept: keyword names, the sections that accept them (the 4.1 keyword matrix), the
 * manual's section number and anchor (for documentation links), and the syntax line that follows
 * the keyword in the manual. The manual's prose is not copied.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withShape } from './haproxy-arg-shape.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outPath = join(root, 'server/src/service/knowledge/generated/haproxy-2.6.json');
const args = process.argv.slice(2);
const check = args.includes('--check');
const mi = args.indexOf('--manual');
const manualPath = mi >= 0 ? args[mi + 1] : '/usr/share/doc/haproxy/html/configuration.html';

if (!existsSync(manualPath)) {
  console.error(
    `gen-haproxy-kb: ${manualPath} not found. It comes from Debian's haproxy-doc package ` +
      `(apt-get install -y haproxy-doc); or pass --manual <path to configuration.html>.`,
  );
  process.exit(2);
}
const html = readFileSync(manualPath, 'utf8');

const decode = (s) =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
const text = (s) =>
  decode(s.replace(/<[^>]*>/g, ''))
    .replace(/\s+/g, ' ')
    .trim();

const versionMatch =
  /HAProxy\s+version\s+([0-9][0-9.]*)/i.exec(html) ??
  /<title>[^<]*?([0-9]+\.[0-9]+(?:\.[0-9]+)?)[^<]*<\/title>/i.exec(html);
const manualVersion = versionMatch ? versionMatch[1] : 'unknown';
if (!/^2\.6(\.|$)/.test(manualVersion)) {
  console.error(`gen-haproxy-kb: expected the HAProxy 2.6 manual, found version ${manualVersion}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Keyword headings: <div class="keyword"><b>... <a href="#SECTION-KEYWORD">KEYWORD</a></b> SYNTAX</div>

/** [{ section, anchor, name, syntax }] in manual order. */
const headings = [];
for (const m of html.matchAll(/<div class="keyword">([\s\S]*?)<\/div>/g)) {
  const inner = m[1];
  const a = /<b>[\s\S]*?<a href="#([0-9.]+)-([^"]*)">([^<]*)<\/a><\/b>([\s\S]*)$/.exec(inner);
  if (!a) continue;
  const name = text(a[3]);
  const syntax = text(a[4]);
  headings.push({ section: a[1], anchor: `${a[1]}-${a[2]}`, name, syntax });
}

/** HAProxy sections introduced by a keyword documented in chapters 3, 5.3.2 and 10 (and cache). */
const SECTION_STARTERS = new Set([
  'userlist',
  'peers',
  'mailers',
  'program',
  'http-errors',
  'ring',
  'log-forward',
  'resolvers',
  'cache',
  'fcgi-app',
]);

const global = new Map();
const otherSections = new Map(); // section -> Map(name -> entry)
const proxyDocs = new Map(); // keyword -> { anchor, syntax[] }
const actions = new Map(); // 'http-request' -> Map(action -> { anchor, syntax[] })
const bindOptions = new Map();
const serverOptions = new Map();
const filters = new Map();

function add(map, name, h, extra = {}) {
  let e = map.get(name);
  if (!e) {
    e = { name, section: h.section, anchor: h.anchor, syntax: [], ...extra };
    map.set(name, e);
  }
  // An empty line is the form without arguments ("option httpchk" alone, flags such as "daemon").
  if (!e.syntax.includes(h.syntax)) e.syntax.push(h.syntax);
  return e;
}

const ACTION_KEYWORDS = [
  'http-request',
  'http-response',
  'http-after-response',
  'tcp-request connection',
  'tcp-request session',
  'tcp-request content',
  'tcp-response content',
  'http-check',
  'tcp-check',
];

let current = null; // the HAProxy section a chapter 3.4+/5.3.2/10.1 keyword belongs to
let currentChapter = null;
for (const h of headings) {
  const ch = h.section;
  if (ch !== currentChapter) {
    currentChapter = ch;
    current = null;
  }
  if (/^3\.[123]$/.test(ch)) {
    add(global, h.name, h);
    continue;
  }
  if (ch === '4.2' || ch === '10.1.2' || /^(http-request|http-response) /.test(h.name)) {
    // Proxy keywords. "http-request add-header" and the like are actions of a rule keyword.
    const rule = ACTION_KEYWORDS.find((k) => h.name.startsWith(k + ' '));
    if (rule) {
      const rest = h.name.slice(rule.length + 1);
      let m = actions.get(rule);
      if (!m) actions.set(rule, (m = new Map()));
      const action = rest.split(' ')[0];
      add(m, action, h);
      if (ch !== '4.2' && ch !== '10.1.2') continue;
    }
    const key = h.name.replace(/^no /, '');
    const e = add(proxyDocs, key, h);
    if (h.name.startsWith('no ')) e.negatable = true;
    continue;
  }
  if (ch === '5.1') {
    add(bindOptions, h.name, h);
    continue;
  }
  if (ch === '5.2') {
    add(serverOptions, h.name, h);
    continue;
  }
  if (/^9\./.test(ch) && h.name.startsWith('filter ')) {
    add(filters, h.name.slice('filter '.length), h);
    continue;
  }
  if (/^(3\.([4-9]|10)|5\.3\.2|10\.1)$/.test(ch)) {
    const first = h.name.split(' ')[0];
    if (
      SECTION_STARTERS.has(first) &&
      !h.name.includes(' ') &&
      !(current && first === 'cache' && current === 'cache')
    ) {
      current = first;
      if (!otherSections.has(current)) otherSections.set(current, new Map());
      otherSections
        .get(current)
        .set('$header', { name: current, section: h.section, anchor: h.anchor, syntax: h.syntax ? [h.syntax] : [] });
      continue;
    }
    if (!current) continue;
    const name = h.name.replace(/^no /, '').replace(/ global$/, '');
    const e = add(otherSections.get(current), name, h);
    if (h.name.startsWith('no ')) e.negatable = true;
  }
}

// The global keyword list at the top of chapter 3 names a few keywords that have no heading of their own.
{
  const s = html.indexOf('name="3"');
  const e = html.indexOf('name="3.1"');
  if (s > 0 && e > s) {
    for (const m of html.slice(s, e).matchAll(/<a href="#([^"]+)">([^<]+)<\/a>/g)) {
      const name = text(m[2]);
      if (!/^[a-z0-9][a-z0-9._-]*( [a-z0-9._-]+)*$/i.test(name) || /^\d/.test(name)) continue;
      if (!global.has(name)) global.set(name, { name, section: '3', anchor: decodeURIComponent(m[1]), syntax: [] });
    }
  }
}

// ---------------------------------------------------------------------------------------------
// 4.1 keyword matrix: which proxy sections accept which keyword

const proxy = [];
{
  const s = html.indexOf('name="4.1"');
  const e = html.indexOf('name="4.2"');
  if (s < 0 || e < s) throw new Error('gen-haproxy-kb: keyword matrix (4.1) not found');
  const cell = (c) => {
    if (/title="yes"/.test(c)) return 'yes';
    const t = text(c);
    if (t === '') return 'no';
    if (/\(!\)/.test(t)) return 'named';
    if (/^(x|yes)$/i.test(t)) return 'yes';
    return t;
  };
  for (const row of html.slice(s, e).matchAll(/<tr><td[^>]*>([\s\S]*?)<\/td>((?:<td[^>]*>[\s\S]*?<\/td>){4})<\/tr>/g)) {
    const nameHtml = row[1];
    const negatable = /\(\*\)/.test(nameHtml);
    const name = text(nameHtml.replace(/<span class="pull-right">[\s\S]*?<\/span><\/span>/, ''));
    const cells = [...row[2].matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((c) => cell(c[1]));
    const [defaults, frontend, listen, backend] = cells;
    const doc = proxyDocs.get(name);
    const entry = { name, defaults, frontend, listen, backend };
    if (negatable) entry.negatable = true;
    if (/deprecated/i.test(nameHtml)) entry.deprecated = true;
    entry.anchor = doc ? doc.anchor : `4.2-${encodeURIComponent(name).replace(/%20/g, '%20')}`;
    entry.syntax = doc ? doc.syntax : [];
    proxy.push(entry);
  }
  if (proxy.length < 100) throw new Error(`gen-haproxy-kb: keyword matrix looks truncated (${proxy.length} rows)`);
}

// ---------------------------------------------------------------------------------------------
const sortByName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
const listOf = (map) => [...map.values()].map(withShape).sort(sortByName);

const data = {
  $comment:
    'Generated by scripts/gen-haproxy-kb.mjs from the HAProxy configuration manual (Debian package haproxy-doc, ' +
    '/usr/share/doc/haproxy/html/configuration.html). Facts only: names, sections, anchors, syntax lines. Do not edit by hand.',
  manualVersion,
  docBase: 'https://docs.haproxy.org/2.6/configuration.html',
  global: listOf(global),
  proxy: proxy.map(withShape).sort(sortByName),
  actions: Object.fromEntries(
    [...actions.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, m]) => [k, listOf(m)]),
  ),
  bindOptions: listOf(bindOptions),
  serverOptions: listOf(serverOptions),
  filters: listOf(filters),
  sections: Object.fromEntries(
    [...otherSections.entries()]
      .sort((a, b) => (a[0] < b[0] ? -1 : 1))
      .map(([k, m]) => {
        const header = m.get('$header');
        const rest = new Map([...m.entries()].filter(([n]) => n !== '$header'));
        return [k, { header: withShape(header), keywords: listOf(rest) }];
      }),
  ),
};

const out = JSON.stringify(data, null, 1) + '\n';
if (check) {
  let cur = '';
  try {
    cur = readFileSync(outPath, 'utf8');
  } catch {
    // no file yet: it differs
  }
  if (cur !== out) {
    console.error(`gen-haproxy-kb: ${outPath} differs from what the manual gives; run node scripts/gen-haproxy-kb.mjs`);
    process.exit(1);
  }
  console.log('gen-haproxy-kb: up to date');
} else {
  mkdirSync(dirname(outPath), { recursive: true });
  writeFileSync(outPath, out);
  console.log(
    `gen-haproxy-kb: HAProxy ${manualVersion}: ${global.size} global, ${proxy.length} proxy keywords, ` +
      `${bindOptions.size} bind and ${serverOptions.size} server options, ${otherSections.size} other sections -> ${outPath}`,
  );
}
