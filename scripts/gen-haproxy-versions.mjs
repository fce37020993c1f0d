#!/usr/bin/env node
/**
 * Generates server/src/service/knowledge/generated/haproxy-versions.json: the keyword tables of
 * HAProxy 2.8, 3.0, 3.2 and 3.4 (what generated/haproxy-2.6.json holds for 2.6), read from each
 * release's own manual, `doc/configuration.txt` inside the source archives beside the project
 * (../shared/src/haproxy-X.Y.Z.tar.gz, read with `tar -xzOf`).
 *
 * Usage:
 *   node scripts/gen-haproxy-versions.mjs [--src <dir with haproxy-*.tar.gz>]   regenerate the JSON
 *   node scripts/gen-haproxy-versions.mjs --check                            exit 1 if it differs
 *
 * The text manual is parsed the way its HTML rendering (haproxy-dconv, which made the 2.6 table)
 * heads keywords: a line at column 0 (after a blank line or another such line) followed by an
 * indented line, inside a chapter whose title says what it holds. Names come from the manual's own
 * lists where it has one: the global keyword list at the top of chapter 3, the proxy keyword matrix
 * (4.1) and the actions matrix (4.3). Facts only (names, sections, syntax lines); no prose.
 *
 * To keep the committed file small, the first version is stored whole and each later one as what
 * changed from the one before (`add`: new or changed entries, `del`: names gone); the loader
 * (knowledge/haproxy-tables.ts) replays the changes.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withShape } from './haproxy-arg-shape.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outPath = join(root, 'server/src/service/knowledge/generated/haproxy-versions.json');
const args = process.argv.slice(2);
const check = args.includes('--check');
const si = args.indexOf('--src');
const srcDir = si >= 0 ? args[si + 1] : join(root, '..', 'shared', 'src');

const archives = readdirSync(srcDir)
  .map((f) => /^haproxy-(\d+\.\d+)\.(\d+)\.tar\.gz$/.exec(f))
  .filter(Boolean)
  .map((m) => ({ file: join(srcDir, m[0]), version: m[1], release: `${m[1]}.${m[2]}` }))
  .sort((a, b) => cmp(a.version, b.version));
if (archives.length === 0) {
  console.error(`gen-haproxy-versions: no haproxy-X.Y.Z.tar.gz in ${srcDir}`);
  process.exit(2);
}

function cmp(a, b) {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++)
    if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

function manualOf(archive, release) {
  return execFileSync('tar', ['-xzOf', archive, `haproxy-${release}/doc/configuration.txt`], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
}

// ---------------------------------------------------------------------------------------------
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
  'crt-store',
  'traces',
  'acme',
  'healthcheck',
  'log-profile',
]);

/** Rule sets of the 4.3 actions matrix (3.x manuals) by their column titles. */
const RULE_COLUMNS = {
  'QUIC Ini': 'quic-initial',
  'TCP RqCon': 'tcp-request connection',
  'TCP RqSes': 'tcp-request session',
  'TCP RqCnt': 'tcp-request content',
  'TCP RsCnt': 'tcp-response content',
  'HTTP Req': 'http-request',
  'HTTP Res': 'http-response',
  'HTTP Aft': 'http-after-response',
};

const KEYWORDISH = /^[a-z0-9][a-z0-9._-]*$/i;

/** Proxy keywords the 2.6 and 2.8 manuals leave out of their 4.1 matrix (shared with knowledge/haproxy.ts). */
const UNLISTED_PROXY = JSON.parse(
  readFileSync(join(root, 'server/src/service/knowledge/haproxy-unlisted-proxy.json'), 'utf8'),
).proxy;

/**
 * Where a manual and its binary disagree, the binary wins; each correction is proven by that
 * version's `haproxy -c` in test/knowledge/haproxy-versions-binaries.test.ts.
 */
const CORRECTIONS = {
  // 2.8 documents `ocsp-update` among the bind options, but it is a crt-list option: on a bind line
  // haproxy -c 2.8.0 answers "unknown keyword 'ocsp-update'".
  // 2.8 heads `max-session-srv-conns` in 4.2 without a matrix row or "May be used in sections"
  // lines; haproxy -c 2.8.0 parses it (as 2.6 and 3.x do, with the cells of their matrices). The
  // rows come from the file the 2.6 table reads too.
  2.8: [
    ({ bindOptions }) => bindOptions.delete('ocsp-update'),
    ({ proxy }) => {
      for (const row of UNLISTED_PROXY) proxy.set(row.name, { ...row });
    },
  ],
  // 3.0's 4.1 matrix lists `hash-key` as a proxy keyword (and 5.2 does not head it): it is a server
  // option; haproxy -c 3.0.0 answers "unknown keyword 'hash-key' in 'listen' section" and reads
  // `server ... hash-key <x>` ("'hash-key' has to be 'id', 'addr', or 'addr-port'").
  '3.0': [
    ({ proxy, serverOptions, entry }) => {
      proxy.delete('hash-key');
      if (!serverOptions.has('hash-key'))
        serverOptions.set('hash-key', { ...entry('hash-key', { section: '5.2' }), syntax: ['<key>'] });
    },
  ],
  3.2: since32(),
  3.4: since32(),
};

/**
 * 3.2 and 3.4: the 4.1 matrix has a `crt` row (frontend, listen), but `crt` is a bind and crt-store
 * keyword: haproxy -c 3.2.0 and 3.4.0 answer "unknown keyword 'crt' in 'listen' section". And the
 * matrix drops `option accept-invalid-http-request/response`, which 4.2 still heads as "(deprecated)"
 * and both binaries still parse (with a warning, src/cfgparse-listen.c): deprecated, cells as in 3.0.
 */
function since32() {
  const option = (side, cells) => ({
    name: `option accept-invalid-http-${side}`,
    defaults: 'yes',
    ...cells,
    negatable: true,
    deprecated: true,
    anchor: `4.2-option%20accept-invalid-http-${side}`,
    syntax: [''],
  });
  return [
    ({ proxy }) => proxy.delete('crt'),
    ({ proxy }) => {
      proxy.set(
        'option accept-invalid-http-request',
        option('request', { frontend: 'yes', listen: 'yes', backend: 'no' }),
      );
      proxy.set(
        'option accept-invalid-http-response',
        option('response', { frontend: 'no', listen: 'yes', backend: 'yes' }),
      );
    },
  ];
}

/** The words of a heading line that name the keyword (up to the first argument placeholder). */
function nameWords(line) {
  const words = [];
  for (const raw of line.trim().split(/\s+/)) {
    const w = raw.replace(/\(.*$/, '');
    if (!KEYWORDISH.test(w) || /[A-Z]/.test(w)) {
      if (w && KEYWORDISH.test(w) === false && raw.indexOf('(') > 0 && KEYWORDISH.test(raw.slice(0, raw.indexOf('('))))
        words.push(raw.slice(0, raw.indexOf('(')));
      break;
    }
    words.push(w);
    if (raw !== w) break; // "add-acl(<file>)": the name ends at the parenthesis
  }
  return words;
}

function parseManual(txt, version) {
  const lines = txt.split('\n');
  // Chapters: "N.N. Title" followed by a line of dashes.
  const chapters = []; // { num, title, start, end }
  for (let i = 0; i < lines.length - 1; i++) {
    const m = /^(\d+(?:\.\d+)*)\.\s+(\S.*)$/.exec(lines[i]);
    if (m && /^-{3,}\s*$/.test(lines[i + 1])) chapters.push({ num: m[1], title: m[2].trim(), start: i + 2 });
  }
  chapters.forEach((c, k) => (c.end = k + 1 < chapters.length ? chapters[k + 1].start - 2 : lines.length));
  const chapter = (re) => chapters.find((c) => re.test(c.title));

  /** Keyword headings of a chapter: [{ line, words, syntax, body (the indented lines after) }]. */
  function headings(c) {
    const out = [];
    for (let i = c.start; i < c.end; i++) {
      const l = lines[i];
      if (!/^[a-z0-9]/i.test(l) || /^\d+\.\s/.test(l)) continue;
      const prev = lines[i - 1] ?? '';
      const prevIsHeading = out.length > 0 && out[out.length - 1].at === i - 1;
      if (prev.trim() !== '' && !prevIsHeading) continue;
      // the group of column-0 lines must be followed by an indented line
      let j = i + 1;
      while (j < c.end && /^[a-z0-9]/i.test(lines[j])) j++;
      // (2.8 leaves a blank line between an action's heading and its text)
      if (j + 1 < c.end && lines[j].trim() === '' && /^\s+\S/.test(lines[j + 1])) j++;
      if (j >= c.end || !/^\s+\S/.test(lines[j])) continue;
      const words = nameWords(l);
      if (words.length === 0) continue;
      const body = [];
      for (let k = j; k < c.end && (lines[k].trim() === '' || /^\s/.test(lines[k])); k++) body.push(lines[k]);
      out.push({ at: i, text: l.trim(), words, body, section: c.num });
    }
    return out;
  }

  function entry(name, h) {
    return {
      name,
      section: h.section,
      anchor: `${h.section}-${encodeURIComponent(name)}`,
      syntax: [],
    };
  }
  function add(map, name, h, syntax) {
    let e = map.get(name);
    if (!e) map.set(name, (e = entry(name, h)));
    if (!e.syntax.includes(syntax)) e.syntax.push(syntax);
    return e;
  }
  const syntaxAfter = (text, name) => {
    const rest = text.replace(/^no\s+/, '');
    return rest.startsWith(name)
      ? rest.slice(name.length).trim()
      : rest.split(/\s+/).slice(name.split(' ').length).join(' ');
  };

  // --- global: names from the list at the top of chapter 3, syntax from the headings
  const g = chapters.find((c) => /^3$/.test(c.num));
  const globalNames = new Set();
  for (let i = g.start; i < g.end; i++) {
    const m = /^\s+- ([a-z0-9][a-z0-9._-]*(?: [a-z0-9._-]+)*)\s*(\(deprecated\))?\s*$/i.exec(lines[i]);
    if (m) globalNames.add(m[1]);
  }
  const global = new Map();
  for (const c of chapters.filter(
    (c) =>
      /^3\.\d+$/.test(c.num) &&
      /Process management|Performance tuning|Debugging|HTTPClient tuning|SSL|Programs? (management|tuning)/i.test(
        c.title,
      ),
  )) {
    for (const h of headings(c)) {
      // longest listed name the heading starts with
      let name;
      for (let n = h.words.length; n > 0 && !name; n--) {
        const cand = h.words.slice(0, n).join(' ');
        if (globalNames.has(cand)) name = cand;
      }
      // a heading the list does not name (2.8 lists neither `close-spread-time` nor `stats socket`)
      if (!name) name = (h.text.startsWith('no ') ? h.words.slice(1) : h.words).join(' ');
      add(global, name, h, syntaxAfter(h.text, name));
    }
  }
  for (const n of globalNames) if (!global.has(n)) global.set(n, { name: n, section: '3', anchor: '3', syntax: [] });

  // --- proxy keywords: the 4.1 matrix, with the syntax of the 4.2 headings
  const matrix = chapter(/^Proxy keywords matrix$/);
  const proxy = new Map();
  {
    let inTable = false;
    for (let i = matrix.start; i < matrix.end; i++) {
      const l = lines[i];
      if (/^-{10,}\+/.test(l)) {
        inTable = true;
        continue;
      }
      if (!inTable || l.trim() === '') continue;
      if (/^\S/.test(l) === false) continue;
      // name (possibly with "(*)", "(deprecated)"), then four cells separated by 2+ spaces
      const m = /^(.*?)\s{2,}(X \(!\)|X|-|\(!\))\s+(X \(!\)|X|-)\s+(X \(!\)|X|-)\s+(X \(!\)|X|-)\s*(.*)$/.exec(l);
      if (!m) continue;
      let name = m[1].trim();
      const negatable = /\(\*\)/.test(name);
      const deprecated = /\(deprecated\)/.test(name) || /deprecated/.test(m[6]);
      name = name.replace(/\s*\((\*|deprecated)\)/g, '').trim();
      const cell = (c) => (c === 'X' ? 'yes' : c === '-' ? 'no' : 'named');
      const row = { name, defaults: cell(m[2]), frontend: cell(m[3]), listen: cell(m[4]), backend: cell(m[5]) };
      if (negatable) row.negatable = true;
      if (deprecated) row.deprecated = true;
      row.anchor = `4.2-${encodeURIComponent(name)}`;
      row.syntax = [];
      proxy.set(name, row);
    }
    if (proxy.size < 100)
      throw new Error(`HAProxy ${version}: proxy keyword matrix looks truncated (${proxy.size} rows)`);
  }
  const ref = chapter(/^Alphabetically sorted keywords reference$/);
  const actions = new Map();
  const actionSyntax = new Map();
  for (const h of headings(ref)) {
    const words = h.text.startsWith('no ') ? h.words.slice(1) : h.words;
    let row;
    for (let n = words.length; n > 0 && !row; n--) row = proxy.get(words.slice(0, n).join(' '));
    if (!row) {
      // A keyword the matrix leaves out ("dangerous" ones, 2.8's hash-balance-factor): its own
      // "May be used in sections" lines give the cells.
      const at = h.body.findIndex((l) => /May be used in sections/.test(l));
      const cells = at >= 0 ? (h.body[at + 1] ?? '').split('|').map((c) => c.trim()) : [];
      if (cells.length !== 4 || words.length !== 1 || !cells.every((c) => /^(yes|no|X|-)/.test(c))) continue;
      const yes = (c) => (/^(yes|X)/.test(c) ? (/\(!\)/.test(c) ? 'named' : 'yes') : 'no');
      row = {
        name: words[0],
        defaults: yes(cells[0]),
        frontend: yes(cells[1]),
        listen: yes(cells[2]),
        backend: yes(cells[3]),
      };
      row.anchor = `4.2-${encodeURIComponent(row.name)}`;
      row.syntax = [];
      proxy.set(row.name, row);
    }
    const syn = syntaxAfter(h.text, row.name);
    if (!row.syntax.includes(syn)) row.syntax.push(syn);
    row.anchor = `${h.section}-${encodeURIComponent(row.name)}`;
    // 2.8 still heads actions in 4.2 ("http-request add-header <name> <fmt> ...")
    if (
      /^(http-request|http-response|http-after-response|tcp-request (connection|session|content)|tcp-response content)$/.test(
        row.name,
      ) &&
      words.length > row.name.split(' ').length
    ) {
      const action = words[row.name.split(' ').length];
      let m = actions.get(row.name);
      if (!m) actions.set(row.name, (m = new Map()));
      add(m, action, h, syntaxAfter(h.text, `${row.name} ${action}`));
    }
  }

  // --- actions: the 4.3 matrix (3.x), syntax from the 4.4 headings
  const amatrix = chapter(/^Actions keywords matrix$/);
  if (amatrix) {
    const aref = chapter(/^Alphabetically sorted actions reference$/);
    for (const h of headings(aref)) {
      const name = h.words.join(' ');
      const syn = syntaxAfter(h.text, name);
      if (!actionSyntax.has(name)) actionSyntax.set(name, { h, syntax: [] });
      actionSyntax.get(name).syntax.push(syn);
    }
    let cols = null;
    for (let i = amatrix.start; i < amatrix.end; i++) {
      const l = lines[i];
      if (/^\s*keyword\s/.test(l)) {
        // " keyword   QUIC: Ini   TCP: RqCon RqSes RqCnt RsCnt   HTTP: Req Res Aft"
        cols = [];
        let family = '';
        for (const t of l.trim().split(/\s+/).slice(1)) {
          if (t.endsWith(':')) family = t.slice(0, -1);
          else cols.push(RULE_COLUMNS[`${family} ${t}`]);
        }
        continue;
      }
      if (!cols || /^-/.test(l) || !/^[a-z]/.test(l)) continue;
      const cells = l.trim().split(/\s+/);
      const marks = cells.slice(-cols.length);
      const named = cells.slice(0, cells.length - cols.length).join(' ');
      const name = named.replace(/\s*\(deprecated\)$/, '');
      if (!marks.every((x) => x === 'X' || x === '-')) continue;
      marks.forEach((x, k) => {
        if (x !== 'X' || !cols[k]) return;
        let m = actions.get(cols[k]);
        if (!m) actions.set(cols[k], (m = new Map()));
        const doc = actionSyntax.get(name) ?? actionSyntax.get(name.split(' ')[0]);
        const e = m.get(name) ?? {
          name,
          section: doc ? doc.h.section : amatrix.num,
          anchor: `${doc ? doc.h.section : amatrix.num}-${encodeURIComponent(name)}`,
          syntax: [],
        };
        for (const s of doc ? doc.syntax : []) if (!e.syntax.includes(s)) e.syntax.push(s);
        if (named !== name) e.deprecated = true;
        m.set(name, e);
      });
    }
  }

  // --- bind and server options
  const bindOptions = new Map();
  const serverOptions = new Map();
  for (const h of headings(chapter(/^Bind options$/))) add(bindOptions, h.words[0], h, syntaxAfter(h.text, h.words[0]));
  for (const h of headings(chapter(/^Server and default-server options$/)))
    add(serverOptions, h.words[0], h, syntaxAfter(h.text, h.words[0]));

  // --- filters (chapter 9: "filter <type> ...")
  const filters = new Map();
  for (const c of chapters.filter((c) => /^9\.\d+$/.test(c.num)))
    // (their text may start at column 0, so any line `filter <type> ...` there heads one)
    for (let i = c.start; i < c.end; i++) {
      const m = /^filter ([a-z0-9][a-z0-9_-]*)(.*)$/.exec(lines[i]);
      if (m && /^(\s*|filter .*)$/.test(lines[i - 1])) add(filters, m[1], { section: c.num }, m[2].trim());
    }

  // --- other sections: a chapter heading a section keyword opens it; its keywords follow
  const sections = new Map();
  const open = (name, h, syntax) => {
    if (!sections.has(name)) sections.set(name, { header: entry(name, h), keywords: new Map() });
    const hs = sections.get(name).header;
    if (syntax !== undefined && !hs.syntax.includes(syntax)) hs.syntax.push(syntax);
    return name;
  };
  for (const c of chapters) {
    if (
      !/^(3\.([4-9]|1\d)|5\.3\.2|6\.2\.1|10\.1\.1|11\.\d+|12\.\d+(\.\d+)?)$/.test(c.num) &&
      !/^Log profiles$/.test(c.title)
    )
      continue;
    // A chapter of options ("Load options": the arguments of crt-store's `load`) opens no section:
    // its `acme <string>` is a load option, not the acme section.
    if (/ options$/i.test(c.title)) continue;
    // Section openers the keyword headings miss: a header line followed by prose ("crt-store
    // [<name>]", "acme <name>" in 3.2), or only a sentence naming the section's keywords (3.0's
    // crt-store has no header line).
    const openers = new Map();
    for (let i = c.start; i < c.end; i++) {
      const m = /^([a-z][a-z-]*)((?:\s+\[?<[a-z]+>\]?)?)\s*$/.exec(lines[i]);
      if (m && SECTION_STARTERS.has(m[1]) && (lines[i - 1] ?? '').trim() === '')
        openers.set(i, { name: m[1], syntax: m[2].trim() });
      const s = /^The following keywords are supported in the "([a-z-]+)" section/.exec(lines[i]);
      if (s && SECTION_STARTERS.has(s[1])) openers.set(i, { name: s[1], syntax: undefined });
    }
    const hs = headings(c);
    const events = [...hs.map((h) => ({ at: h.at, h })), ...[...openers.keys()].map((at) => ({ at }))].sort(
      (a, b) => a.at - b.at,
    );
    let current = null;
    for (const ev of events) {
      const o = openers.get(ev.at);
      if (o) {
        if (!ev.h && hs.some((h) => h.at === ev.at)) continue; // (handled with its heading)
        current = open(o.name, ev.h ?? { section: c.num }, o.syntax);
        continue;
      }
      const h = ev.h;
      const first = h.words[0];
      if (SECTION_STARTERS.has(first) && h.words.length === 1 && !(current === first)) {
        current = open(first, h, syntaxAfter(h.text, first));
        continue;
      }
      if (!current) continue;
      const words = h.text.startsWith('no ') ? h.words.slice(1) : h.words;
      const name = words.join(' ').replace(/ global$/, '');
      const e = add(sections.get(current).keywords, name, h, syntaxAfter(h.text, name));
      if (h.text.startsWith('no ')) e.negatable = true;
    }
  }

  // Corrections the version's own `haproxy -c` proves (test/knowledge/haproxy-versions-binaries.test.ts).
  for (const c of CORRECTIONS[version] ?? []) c({ proxy, bindOptions, serverOptions, actions, entry });
  // The manuals head `track-sc0/1/2` once; the actions matrix names only some of them.
  for (const m of actions.values())
    if (m.has('track-sc1') && !m.has('track-sc0')) m.set('track-sc0', { ...m.get('track-sc1'), name: 'track-sc0' });

  const sortByName = (a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const listOf = (map) => [...map.values()].map(withShape).sort(sortByName);
  return {
    manualVersion: version,
    docBase: `https://docs.haproxy.org/${version}/configuration.html`,
    global: listOf(global),
    proxy: listOf(proxy),
    actions: Object.fromEntries(
      [...actions.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, m]) => [k, listOf(m)]),
    ),
    bindOptions: listOf(bindOptions),
    serverOptions: listOf(serverOptions),
    filters: listOf(filters),
    sections: Object.fromEntries(
      [...sections.entries()]
        .sort((a, b) => (a[0] < b[0] ? -1 : 1))
        .map(([k, s]) => [k, { header: withShape(s.header), keywords: listOf(s.keywords) }]),
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Delta encoding: lists of named entries keyed by name.

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
function diffList(prev, next) {
  const pm = new Map(prev.map((e) => [e.name, e]));
  const nm = new Map(next.map((e) => [e.name, e]));
  const add = next.filter((e) => !same(pm.get(e.name), e));
  const del = prev.filter((e) => !nm.has(e.name)).map((e) => e.name);
  return add.length || del.length ? { ...(add.length ? { add } : {}), ...(del.length ? { del } : {}) } : undefined;
}
const LISTS = ['global', 'proxy', 'bindOptions', 'serverOptions', 'filters'];
function diffKb(prev, next) {
  const d = { manualVersion: next.manualVersion, docBase: next.docBase };
  for (const k of LISTS) {
    const x = diffList(prev[k], next[k]);
    if (x) d[k] = x;
  }
  d.actions = {};
  for (const r of new Set([...Object.keys(prev.actions), ...Object.keys(next.actions)])) {
    if (!next.actions[r]) d.actions[r] = null;
    else {
      const x = diffList(prev.actions[r] ?? [], next.actions[r]);
      if (x) d.actions[r] = x;
    }
  }
  d.sections = {};
  for (const s of new Set([...Object.keys(prev.sections), ...Object.keys(next.sections)])) {
    if (!next.sections[s]) d.sections[s] = null;
    else {
      const p = prev.sections[s];
      const x = diffList(p ? p.keywords : [], next.sections[s].keywords);
      const header = p && same(p.header, next.sections[s].header) ? undefined : next.sections[s].header;
      if (x || header) d.sections[s] = { ...(header ? { header } : {}), ...(x ? { keywords: x } : {}) };
    }
  }
  return d;
}

const tables = archives.map((a) => ({ ...a, kb: parseManual(manualOf(a.file, a.release), a.version) }));
const data = {
  $comment:
    'Generated by scripts/gen-haproxy-versions.mjs from doc/configuration.txt of each HAProxy release archive. ' +
    'The first version is whole, each later one what changed from the one before. Do not edit by hand.',
  versions: tables.map((t) => ({ version: t.version, release: t.release })),
  base: tables[0].kb,
  changes: tables.slice(1).map((t, k) => diffKb(tables[k].kb, t.kb)),
};
// An anchor is `<section>-<name>` (URI-encoded) everywhere in these manuals: the loader rebuilds it.
const out =
  JSON.stringify(data, (k, v) =>
    v &&
    typeof v === 'object' &&
    typeof v.anchor === 'string' &&
    v.anchor === `${v.section}-${encodeURIComponent(v.name)}`
      ? { ...v, anchor: undefined }
      : v,
  ) + '\n';
if (check) {
  let cur = '';
  try {
    cur = readFileSync(outPath, 'utf8');
  } catch {
    // no file yet: it differs
  }
  if (cur !== out) {
    console.error(
      `gen-haproxy-versions: ${outPath} differs from what the manuals give; run node scripts/gen-haproxy-versions.mjs`,
    );
    process.exit(1);
  }
  console.log('gen-haproxy-versions: up to date');
} else {
  writeFileSync(outPath, out);
  for (const t of tables)
    console.log(
      `HAProxy ${t.release}: ${t.kb.global.length} global, ${t.kb.proxy.length} proxy keywords, ${t.kb.bindOptions.length} bind and ` +
        `${t.kb.serverOptions.length} server options, actions ${Object.entries(t.kb.actions)
          .map(([k, v]) => `${k}:${v.length}`)
          .join(' ')}, sections ${Object.keys(t.kb.sections).join(',')}`,
    );
  console.log(`-> ${outPath} (${out.length} bytes)`);
}
