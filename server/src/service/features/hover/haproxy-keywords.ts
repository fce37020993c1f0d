/**
 * What a HAProxy keyword is, for the hover: its entry in the target version's table (the file's
 * `# wslb: haproxy X` comment first), which known versions have it, and where the target lacks it,
 * which version does.
 */
import { describeHaproxyKeyword, type HaproxyKeywordSummary } from '../../knowledge/describe';
import { HAPROXY_26, type HaproxyTable } from '../../knowledge/haproxy';
import {
  haproxyTables,
  haproxyTarget,
  haproxyVersionsWith,
  type HaproxyKeywordKind as HaproxyTableKind,
} from '../../knowledge/haproxy-tables';
import { compareVersions } from '../../knowledge/versions';
import { effectiveVersion } from '../../version-detect';
import type { HaproxyConfig } from '../../model/haproxy';
import type { HaproxyStatement } from '../../syntax/haproxy/types';
import type { HoverInput } from './common';

/** The keyword table hovers read: the target version's (its file's `# wslb: haproxy X` comment first), else 2.6's. */
export function hoverTable(input: HoverInput, cfg: HaproxyConfig): HaproxyTable {
  const text = cfg.sources[0]?.text ?? '';
  const v = effectiveVersion(
    text,
    'haproxy',
    input.options.haproxyVersion,
    !!input.options.haproxyVersionSet,
    undefined,
  );
  const t = haproxyTarget(v.version);
  return t.ok ? t.table.table : HAPROXY_26;
}

/** What the keyword is, in one or two lines, with the manual link (the full text is there). */
export function haproxyKbMarkdown(d: HaproxyKeywordSummary, table: HaproxyTable = HAPROXY_26, where?: string): string {
  const kind =
    d.kind === 'server-option'
      ? 'server option'
      : d.kind === 'bind-option'
        ? 'bind option'
        : d.kind === 'section' && where === undefined
          ? 'section'
          : 'keyword';
  const syntax = d.syntax.length ? ` · \`${d.name} ${d.syntax[0]}\`` : '';
  const allowed = d.allowedIn ? ` · allowed in: ${d.allowedIn.join(', ')}` : '';
  const versions = haproxyVersionsLine(d, table, where);
  return (
    `**\`${d.name}\`** — HAProxy ${table.version} ${kind}${syntax}${allowed}` +
    (versions ? `\n\n${versions}` : '') +
    `\n\n[HAProxy ${table.version} manual, ${d.section}](${d.url})`
  );
}

/** The kind haproxy-tables.ts looks a summary up by (undefined: not looked up there). */
function tableKind(d: HaproxyKeywordSummary): HaproxyTableKind | undefined {
  switch (d.kind) {
    case 'server-option':
      return 'server';
    case 'bind-option':
      return 'bind';
    case 'proxy':
    case 'global':
    case 'section':
      return d.kind;
    default:
      return undefined;
  }
}

/**
 * Which of the HAProxy versions wslb has tables for know a keyword, when that is not all of them,
 * and what changes after the target's table: "In HAProxy 3.0 to 3.4 (added in 3.0)", "In HAProxy
 * 2.6 to 2.8 (gone from 3.0; not in 3.0, newer than this target)". `where`: the section of a
 * section keyword (undefined for a section header).
 */
function haproxyVersionsLine(d: HaproxyKeywordSummary, table: HaproxyTable, where?: string): string {
  const kind = tableKind(d);
  if (!kind) return '';
  const all = haproxyTables().map((t) => t.version);
  const have = haproxyVersionsWith(kind, d.name, where);
  if (have.length === 0 || have.length === all.length) return '';
  const first = have[0];
  const last = have[have.length - 1];
  const span = first === last ? `HAProxy ${first}` : `HAProxy ${first} to ${last}`;
  const notes: string[] = [];
  if (first !== all[0]) notes.push(`added in ${first}`);
  if (last !== all[all.length - 1]) {
    const gone = all[all.indexOf(last) + 1];
    notes.push(`removed in ${gone}${compareVersions(gone, table.version) > 0 ? ', newer than this target' : ''}`);
  }
  return `In ${span}${notes.length ? ` (${notes.join('; ')})` : ''}, of the versions wslb knows (${all.join(', ')}).`;
}

/**
 * A keyword the target's table lacks but another known version has: which versions, in a line
 * (the `keyword-too-new` / `keyword-removed` findings say the same when they are on; this is for
 * the hover when they are off).
 */
function haproxyElsewhereMarkdown(
  kwWords: readonly string[],
  section: string,
  option: string | undefined,
  table: HaproxyTable,
  /** The hovered word's index among `kwWords` (an argument of the keyword gets nothing); -1 for a section header. */
  wordIndex = 0,
): string | undefined {
  for (const t of [...haproxyTables()].reverse()) {
    if (t.table === table) continue;
    const header = t.table.sectionDoc(section);
    const d: HaproxyKeywordSummary | undefined =
      wordIndex < 0
        ? header && {
            name: header.name,
            kind: 'section',
            section: header.section,
            url: t.table.docUrl(header.anchor),
            syntax: [],
          }
        : describeHaproxyKeyword(kwWords, section, option, t.table);
    // (with `option`, a match of the line's own keyword is not the option's)
    if (!d || (option !== undefined && d.kind !== 'server-option' && d.kind !== 'bind-option' && d.kind !== 'action'))
      continue;
    if (option === undefined && wordIndex >= d.name.split(' ').length) return undefined;
    const kind = tableKind(d);
    const have = kind
      ? haproxyVersionsWith(kind, d.name, d.kind === 'section' && wordIndex >= 0 ? section : undefined)
      : [t.version];
    const span = have.length > 1 ? `${have[0]} to ${have[have.length - 1]}` : have[0];
    return (
      `**\`${d.name}\`** — not in HAProxy ${table.version}: known in HAProxy ${span} of the versions wslb knows.` +
      `\n\n[HAProxy ${t.version} manual, ${d.section}](${d.url})`
    );
  }
  return undefined;
}

/** haproxyElsewhereMarkdown() unless a finding on the line already says the keyword is too new or removed. */
export function haproxyElsewhere(
  input: HoverInput,
  stmt: HaproxyStatement,
  kwWords: readonly string[],
  section: string,
  option: string | undefined,
  table: HaproxyTable,
  wordIndex = 0,
): string[] {
  const tree = input.haproxy?.sources.find((s) => s.path === input.path)?.tree;
  const line = tree ? tree.lineIndex.positionAt(stmt.line.start).line : -1;
  const said = input.findings.some(
    (f) =>
      f.file === input.path &&
      f.range.start.line === line &&
      (f.code === 'haproxy/keyword-too-new' || f.code === 'haproxy/keyword-removed'),
  );
  if (said) return [];
  const m = haproxyElsewhereMarkdown(kwWords, section, option, table, wordIndex);
  return m ? [m] : [];
}
