/**
 * HAProxy's keyword tables per version, and which table a target version is checked against.
 *
 * Tables: 2.6 (haproxy.ts, Debian 12's manual) and 2.8, 3.0, 3.2, 3.4 (generated/haproxy-versions.json,
 * made by scripts/gen-haproxy-versions.mjs from each release's doc/configuration.txt; stored as the
 * first table whole and each later one as its changes, replayed here).
 *
 * A target version is checked against the newest table not newer than it (3.1 → 3.0's table; the
 * caller says so once). A target older than the oldest table is refused: its keywords are not
 * known, and checking it against 2.6 would report as errors what that version accepts (1.x
 * `nbproc`, `reqadd`, ...).
 */
import {
  HAPROXY_26,
  HAPROXY_EXTRA_GLOBAL,
  HAPROXY_SERVER_OPTIONS_NOT_REGISTERED,
  HaproxyTable,
  type HaproxyKbData,
  type HaproxyKeywordDoc,
  type HaproxyProxyKeyword,
} from './haproxy';
import { compareVersions } from './versions';

interface Named {
  name: string;
  section?: string;
  anchor?: string;
}
interface ListChange<T> {
  add?: T[];
  del?: string[];
}
interface KbChange {
  manualVersion: string;
  docBase: string;
  global?: ListChange<HaproxyKeywordDoc>;
  proxy?: ListChange<HaproxyProxyKeyword>;
  bindOptions?: ListChange<HaproxyKeywordDoc>;
  serverOptions?: ListChange<HaproxyKeywordDoc>;
  filters?: ListChange<HaproxyKeywordDoc>;
  actions: Record<string, ListChange<HaproxyKeywordDoc> | null>;
  sections: Record<string, { header?: HaproxyKeywordDoc; keywords?: ListChange<HaproxyKeywordDoc> } | null>;
}
interface VersionsFile {
  versions: { version: string; release: string }[];
  base: HaproxyKbData;
  changes: KbChange[];
}

/**
 * The tables of the later versions (180 KB), read on the first check of a HAProxy file that needs
 * them: a run that checks only nginx files never parses them.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const versionsFile = (): VersionsFile => require('./generated/haproxy-versions.json') as VersionsFile;

/** The generator leaves out anchors that are `<section>-<name>`; put them back (in place, once). */
function withAnchors<T extends Named>(list: T[]): T[] {
  for (const e of list) if (e.anchor === undefined) e.anchor = `${e.section ?? '4.2'}-${encodeURIComponent(e.name)}`;
  return list;
}

function applyList<T extends Named>(prev: T[], change: ListChange<T> | undefined): T[] {
  if (!change) return prev;
  const m = new Map(prev.map((e) => [e.name, e]));
  for (const n of change.del ?? []) m.delete(n);
  for (const e of withAnchors(change.add ?? [])) m.set(e.name, e);
  return [...m.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function fixBase(kb: HaproxyKbData): HaproxyKbData {
  for (const k of ['global', 'proxy', 'bindOptions', 'serverOptions', 'filters'] as const) withAnchors<Named>(kb[k]);
  for (const v of Object.values(kb.actions)) withAnchors(v);
  for (const v of Object.values(kb.sections)) {
    withAnchors([v.header]);
    withAnchors(v.keywords);
  }
  return kb;
}

function applyChange(prev: HaproxyKbData, c: KbChange): HaproxyKbData {
  const actions: Record<string, HaproxyKeywordDoc[]> = {};
  for (const r of new Set([...Object.keys(prev.actions), ...Object.keys(c.actions)])) {
    const ch = c.actions[r];
    if (ch === null) continue;
    actions[r] = applyList(prev.actions[r] ?? [], ch);
  }
  const sections: HaproxyKbData['sections'] = {};
  for (const s of new Set([...Object.keys(prev.sections), ...Object.keys(c.sections)])) {
    const ch = c.sections[s];
    if (ch === null) continue;
    const p = prev.sections[s];
    const header = ch?.header ? withAnchors([ch.header])[0] : p?.header;
    if (!header) continue;
    sections[s] = { header, keywords: applyList(p ? p.keywords : [], ch?.keywords) };
  }
  return {
    manualVersion: c.manualVersion,
    docBase: c.docBase,
    global: applyList(prev.global, c.global),
    proxy: applyList(prev.proxy, c.proxy),
    bindOptions: applyList(prev.bindOptions, c.bindOptions),
    serverOptions: applyList(prev.serverOptions, c.serverOptions),
    filters: applyList(prev.filters, c.filters),
    actions,
    sections,
  };
}

/** A known table: the version line it is for ("3.2") and the release whose manual it was read from. */
export interface HaproxyTableInfo {
  version: string;
  release: string;
  table: HaproxyTable;
}

let tables: HaproxyTableInfo[] | undefined;

/** Every table, oldest first (built on first use). */
export function haproxyTables(): readonly HaproxyTableInfo[] {
  if (!tables) {
    tables = [{ version: '2.6', release: '2.6.12', table: HAPROXY_26 }];
    const file = versionsFile();
    let kb = fixBase(file.base);
    file.versions.forEach((v, i) => {
      if (i > 0) kb = applyChange(kb, file.changes[i - 1]);
      tables!.push({
        version: v.version,
        release: v.release,
        table: new HaproxyTable(kb, {
          global: HAPROXY_EXTRA_GLOBAL,
          serverNotRegistered: HAPROXY_SERVER_OPTIONS_NOT_REGISTERED,
        }),
      });
    });
  }
  return tables;
}

/** The oldest HAProxy version wslb checks keywords for. */
export const HAPROXY_OLDEST_TABLE = '2.6';

/** What a target version is checked against. */
export type HaproxyTarget =
  | {
      ok: true;
      /** The target as given ("3.1.5"). */
      target: string;
      table: HaproxyTableInfo;
      /** Set when the table is not the target's own version line: say so once. */
      note?: string;
    }
  | { ok: false; target: string; message: string };

/** The version line ("3.2") of a version string ("3.2.7", "3.2-dev1", "3.2"); undefined if it is not a version. */
export function versionLine(v: string): string | undefined {
  const m = /^\s*v?(\d+)\.(\d+|x)(?:[.-]|$)/.exec(v);
  // "1.x": the oldest of the line (a file for any 1.x is at least as old as 1.0)
  return m ? `${Number(m[1])}.${m[2] === 'x' ? 0 : Number(m[2])}` : undefined;
}

const targets = new Map<string, HaproxyTarget>();

/** The table a target HAProxy version is checked against, or why it is refused. */
export function haproxyTarget(target: string): HaproxyTarget {
  let t = targets.get(target);
  if (t) return t;
  const line = versionLine(target);
  const all = haproxyTables();
  if (!line) {
    t = { ok: false, target, message: `"${target}" is not a HAProxy version (expected e.g. 2.8 or 3.0.5)` };
  } else if (compareVersions(line, HAPROXY_OLDEST_TABLE) < 0) {
    t = {
      ok: false,
      target,
      message:
        `HAProxy ${target} is older than the oldest version wslb knows the keywords of (${HAPROXY_OLDEST_TABLE}); ` +
        `its keywords are not checked (known: ${all.map((x) => x.version).join(', ')})`,
    };
  } else {
    let best = all[0];
    for (const x of all) if (compareVersions(x.version, line) <= 0) best = x;
    const note =
      best.version === line
        ? undefined
        : compareVersions(line, all[all.length - 1].version) > 0
          ? `HAProxy ${target} is newer than the newest keyword table wslb has (${best.version}); checked against ${best.version}'s keywords`
          : `wslb has no keyword table for HAProxy ${line}; checked against ${best.version}'s, the nearest older one`;
    t = { ok: true, target, table: best, ...(note ? { note } : {}) };
  }
  if (targets.size > 64) targets.clear();
  targets.set(target, t);
  return t;
}

export type HaproxyKeywordKind = 'global' | 'proxy' | 'bind' | 'server' | 'action' | 'section';

/** Does a table have this keyword? (`rule` for actions, the section for `section`.) */
function has(table: HaproxyTable, kind: HaproxyKeywordKind, name: string, where?: string): boolean {
  switch (kind) {
    case 'global':
      return table.isGlobalKeyword(name.split(' ')[0], name.split(' ')[1]);
    case 'proxy':
      return !!table.resolveProxyKeyword(name.split(' '));
    case 'bind':
      return !!table.bindOption(name);
    case 'server':
      return !!table.serverOption(name);
    case 'action':
      return !!table.action(where ?? '', name);
    case 'section':
      return where === undefined ? !!table.sectionDoc(name) : !!table.sectionKeyword(where, name.split(' '));
  }
}

/** The table versions that have a keyword, oldest first. */
export function haproxyVersionsWith(kind: HaproxyKeywordKind, name: string, where?: string): string[] {
  return haproxyTables()
    .filter((t) => has(t.table, kind, name, where))
    .map((t) => t.version);
}

/**
 * How a keyword's presence changes across the known versions, seen from `version`: the first
 * newer version that adds it (when `version` lacks it), the first newer one that drops it (when
 * `version` has it), the newest older one that had it (when `version` lacks it).
 */
export function haproxyKeywordHistory(
  version: string,
  kind: HaproxyKeywordKind,
  name: string,
  where?: string,
): { addedIn?: string; removedIn?: string; lastIn?: string } {
  const all = haproxyTables();
  const line = versionLine(version) ?? version;
  const here = all.filter((t) => compareVersions(t.version, line) <= 0).pop() ?? all[0];
  const present = has(here.table, kind, name, where);
  const out: { addedIn?: string; removedIn?: string; lastIn?: string } = {};
  for (const t of all) {
    if (compareVersions(t.version, here.version) <= 0) {
      if (!present && has(t.table, kind, name, where)) out.lastIn = t.version;
      continue;
    }
    const p = has(t.table, kind, name, where);
    if (!present && p && !out.addedIn) out.addedIn = t.version;
    if (present && !p && !out.removedIn) out.removedIn = t.version;
  }
  return out;
}
