/**
 * Edit builders for nginx fixes. A fix asks for an edit here; it never builds offsets by hand.
 * Every builder edits only what it must, at the block's own indentation, and keeps comments.
 */
import type { NginxConfig, NginxContext, NginxSource, NginxStatement } from '../model/nginx';
import type { EditSpec } from '../rules/rule';
import { fact, factBy } from '../host/memo';

/** The indentation unit the file uses: a tab, or the smallest step of leading spaces seen (default 4). */
export function indentUnit(text: string): string {
  return indentUnitOf(indentStats(text));
}

/**
 * The indentation unit of a source, once per source. The incremental analysis (nginx-incremental.ts)
 * changes a source's text in place only when the unit stays the same, so the value holds then too.
 */
const sourceIndentUnit = fact('nginx.indentUnit', (src: NginxSource) => indentUnit(src.text));

/** JavaScript's \s (the characters `^([ \t]+)\S` with the m flag must not see after an indent). */
function isJsSpace(c: number): boolean {
  return (
    (c >= 9 && c <= 13) ||
    c === 32 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** How the lines of a text are indented: the input of indentUnit. */
export interface IndentStats {
  /** Lines indented with a tab somewhere in their indent. */
  tabs: number;
  /** Lines indented with spaces only, and how many have each width. */
  spaceLines: number;
  counts: Map<number, number>;
}

const isBreak = (c: number) => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;

/**
 * Count the indents of lines that have text after them (what `/^([ \t]+)\S/gm` finds), in one
 * scan without a match object per line: the lines that start in [from, to] (`from` must be a line
 * start; by default the whole text).
 */
export function indentStats(text: string, from = 0, to = text.length): IndentStats {
  let tabs = 0;
  let spaceLines = 0;
  const counts = new Map<number, number>();
  const n = text.length;
  const onlyLf =
    from === 0 && to === n && text.indexOf('\r') < 0 && text.indexOf('\u2028') < 0 && text.indexOf('\u2029') < 0;
  let i = from;
  while (i < n && i <= to) {
    // i is at a line start (the start of the text, or after \n, \r, \u2028, \u2029)
    let j = i;
    let hasTab = false;
    while (j < n) {
      const c = text.charCodeAt(j);
      if (c === 32) j++;
      else if (c === 9) {
        hasTab = true;
        j++;
      } else break;
    }
    if (j > i && j < n && !isJsSpace(text.charCodeAt(j))) {
      if (hasTab) tabs++;
      else {
        counts.set(j - i, (counts.get(j - i) ?? 0) + 1);
        spaceLines++;
      }
    }
    // next line start (with only "\n" breaks in the text, indexOf finds it much faster)
    if (onlyLf) {
      const nl = text.indexOf('\n', j);
      j = nl < 0 ? n : nl + 1;
    } else {
      while (j < n && !isBreak(text.charCodeAt(j++)));
    }
    i = j;
  }
  return { tabs, spaceLines, counts };
}

/** The unit the stats point to: a tab when most indented lines use one, else the smallest usual step of spaces. */
export function indentUnitOf(stats: IndentStats): string {
  if (stats.tabs > stats.spaceLines) return '\t';
  for (const w of [2, 3, 4, 8]) if ((stats.counts.get(w) ?? 0) > 0) return ' '.repeat(w);
  return ' '.repeat(4);
}

/**
 * The stats of a text after an edit replaced [lo, hiOld) of `before` by [lo, hiNew) of `after`,
 * from the stats of `before`: only the lines around the edit are counted again.
 */
export function editedIndentStats(
  stats: IndentStats,
  before: string,
  after: string,
  lo: number,
  hiOld: number,
  hiNew: number,
): IndentStats {
  let from = Math.min(lo, before.length);
  while (from > 0 && !isBreak(before.charCodeAt(from - 1))) from--;
  let endOld = hiOld;
  while (endOld < before.length && !isBreak(before.charCodeAt(endOld))) endOld++;
  const endNew = endOld + (hiNew - hiOld);
  const gone = indentStats(before, from, endOld);
  const come = indentStats(after, from, endNew);
  const counts = new Map(stats.counts);
  for (const [w, k] of gone.counts) counts.set(w, (counts.get(w) ?? 0) - k);
  for (const [w, k] of come.counts) counts.set(w, (counts.get(w) ?? 0) + k);
  return {
    tabs: stats.tabs - gone.tabs + come.tabs,
    spaceLines: stats.spaceLines - gone.spaceLines + come.spaceLines,
    counts,
  };
}

/** The line break a fix writes: the file's first one. */
export function eolOf(text: string): string {
  const m = /\r\n|\n|\r/.exec(text);
  return m ? m[0] : '\n';
}

function lineEndAt(text: string, offset: number): number {
  let i = offset;
  while (i < text.length && text[i] !== '\n' && text[i] !== '\r') i++;
  return i;
}

function lineStartAt(text: string, offset: number): number {
  let i = offset;
  while (i > 0 && text[i - 1] !== '\n' && text[i - 1] !== '\r') i--;
  return i;
}

function indentOfLine(text: string, offset: number): string {
  const s = lineStartAt(text, offset);
  return /^[ \t]*/.exec(text.slice(s, s + 200))![0];
}

/** The source file and block that hold a context's statements, or null for a synthetic context. */
function blockOf(ctx: NginxContext): { src: NginxSource; open: number; close: number; stmt: NginxStatement } | null {
  const stmt = ctx.statement;
  const block = stmt?.directive.block;
  if (!stmt || !block) return null;
  return { src: stmt.source, open: block.open, close: block.close, stmt };
}

/** Statements of this context that physically live in the block itself (not in included files). */
function ownStatements(ctx: NginxContext): NginxStatement[] {
  const b = blockOf(ctx);
  return ctx.statements.filter((s) =>
    b
      ? s.source === b.src && s.directive.start > b.open && s.includedVia.length === ctx.statement!.includedVia.length
      : s.includedVia.length === 0,
  );
}

/** Can insertInContext() write into this context? (Decided without building the edit.) */
export function canInsertIn(config: NginxConfig, ctx: NginxContext): boolean {
  return blockOf(ctx) !== null || config.sources.has(config.rootPath);
}

/**
 * Insert directive lines into a context's block. `where`: 'start' after the opening brace (and
 * after any leading comments on that line), 'end' after the last directive, or a statement to
 * insert after. Lines are given without indentation or trailing newline, e.g. "proxy_http_version 1.1;".
 */
export function insertInContext(
  config: NginxConfig,
  ctx: NginxContext,
  lines: string[],
  where: 'start' | 'end' | NginxStatement = 'end',
): EditSpec | null {
  const b = blockOf(ctx);
  if (!b) {
    // Synthetic context (a fragment's assumed enclosing block) or main: insert in the root file.
    const src = config.sources.get(config.rootPath);
    if (!src) return null;
    return insertAtTopLevel(src, ctx, lines, where);
  }
  const { src, open, close } = b;
  const text = src.text;
  const eol = eolOf(text);
  const own = ownStatements(ctx);
  const unit = sourceIndentUnit(src);
  const childIndent = own.length
    ? indentOfLine(text, own[0].directive.start)
    : indentOfLine(text, b.stmt.directive.start) + unit;
  const singleLine = close >= 0 && lineStartAt(text, close) === lineStartAt(text, open);
  if (singleLine) {
    // location /ws { proxy_pass http://x; }  →  keep it on one line
    const at = where === 'start' ? open + 1 : where === 'end' ? close : where.directive.end;
    // one space on each side unless the text already has one there: "{ a; }", "{ x; a; y; }"
    const pre = /[ \t]/.test(text[at - 1] ?? '') ? '' : ' ';
    const post = /[ \t]/.test(text[at] ?? '') ? '' : ' ';
    return { path: src.path, span: { start: at, end: at }, newText: `${pre}${lines.join(' ')}${post}` };
  }
  let at: number;
  if (where === 'start') at = lineEndAt(text, open);
  else if (where === 'end')
    at = own.length ? lineEndAt(text, own[own.length - 1].directive.end) : lineEndAt(text, open);
  else at = lineEndAt(text, where.directive.end);
  if (close >= 0 && at > close) at = close; // "{ a; }" closing on the same line as the last directive
  const body = lines.map((l) => eol + childIndent + l).join('');
  return { path: src.path, span: { start: at, end: at }, newText: body };
}

function insertAtTopLevel(
  src: NginxSource,
  ctx: NginxContext,
  lines: string[],
  where: 'start' | 'end' | NginxStatement,
): EditSpec {
  const text = src.text;
  const eol = eolOf(text);
  const top = ctx.statements.filter((s) => s.source === src && s.includedVia.length === 0);
  if (where !== 'start' && where !== 'end') {
    const at = lineEndAt(text, where.directive.end);
    return {
      path: src.path,
      span: { start: at, end: at },
      newText: lines.map((l) => eol + indentOfLine(text, where.directive.start) + l).join(''),
    };
  }
  if (where === 'end' && top.length) {
    const last = top[top.length - 1];
    const at = lineEndAt(text, last.directive.end);
    return {
      path: src.path,
      span: { start: at, end: at },
      newText: lines.map((l) => eol + indentOfLine(text, last.directive.start) + l).join(''),
    };
  }
  // Start of file, after a leading comment header.
  let at = 0;
  const m = /^(?:[ \t]*#[^\n\r]*(?:\r\n|\n|\r))*/.exec(text);
  if (m) at = m[0].length;
  const indent = top.length ? indentOfLine(text, top[0].directive.start) : '';
  return { path: src.path, span: { start: at, end: at }, newText: lines.map((l) => indent + l + eol).join('') };
}

/**
 * For main-context directives (worker_shutdown_timeout, worker_rlimit_nofile): after the last
 * simple directive before the first block, so they sit with their kind.
 */
export function insertInMain(config: NginxConfig, lines: string[]): EditSpec | null {
  const root = config.root;
  if (config.assumedContext) return null; // a fragment has no main context of its own
  const src = config.sources.get(config.rootPath);
  if (!src) return null;
  const simple = root.statements.filter((s) => s.source === src && s.includedVia.length === 0 && !s.directive.block);
  const firstBlock = root.statements.find((s) => s.source === src && s.directive.block);
  const before = simple.filter((s) => !firstBlock || s.directive.start < firstBlock.directive.start);
  if (before.length) return insertAtTopLevel(src, root, lines, before[before.length - 1]);
  return insertAtTopLevel(src, root, lines, 'start');
}

/** Replace a statement's arguments (keeps the name, the spacing before the first argument and the ';'). */
export function replaceArgs(stmt: NginxStatement, newArgs: string): EditSpec {
  const d = stmt.directive;
  if (d.args.length === 0)
    return { path: stmt.source.path, span: { start: d.nameSpan.end, end: d.nameSpan.end }, newText: ' ' + newArgs };
  return {
    path: stmt.source.path,
    span: { start: d.args[0].start, end: d.args[d.args.length - 1].end },
    newText: newArgs,
  };
}

/** Replace one argument by index. */
export function replaceArg(stmt: NginxStatement, index: number, newText: string): EditSpec {
  const a = stmt.directive.args[index];
  return { path: stmt.source.path, span: { start: a.start, end: a.end }, newText };
}

/** Replace a whole statement with other lines at its indentation. */
export function replaceStatement(stmt: NginxStatement, lines: string[]): EditSpec {
  const text = stmt.source.text;
  const indent = indentOfLine(text, stmt.directive.start);
  const eol = eolOf(text);
  return {
    path: stmt.source.path,
    span: { start: stmt.directive.start, end: stmt.directive.end },
    newText: lines.join(eol + indent),
  };
}

/** Remove a statement with its whole line when it stands alone on it. */
export function removeStatement(stmt: NginxStatement): EditSpec {
  const text = stmt.source.text;
  const ls = lineStartAt(text, stmt.directive.start);
  const le = lineEndAt(text, stmt.directive.end);
  const alone = text.slice(ls, stmt.directive.start).trim() === '' && text.slice(stmt.directive.end, le).trim() === '';
  if (alone) {
    let end = le;
    if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
    else if (text[end] === '\n' || text[end] === '\r') end += 1;
    return { path: stmt.source.path, span: { start: ls, end }, newText: '' };
  }
  return { path: stmt.source.path, span: { start: stmt.directive.start, end: stmt.directive.end }, newText: '' };
}

/** The canonical upgrade map (https://nginx.org/en/docs/http/websocket.html). */
export const CONNECTION_UPGRADE_MAP = [
  'map $http_upgrade $connection_upgrade {',
  '    default upgrade;',
  "    ''      close;",
  '}',
];

/**
 * Add the canonical `map $http_upgrade $connection_upgrade` to the http context that holds `ctx`
 * (at its start), unless the variable is already defined. Returns null when already there.
 */
export function ensureConnectionUpgradeMap(
  config: NginxConfig,
  ctx: NginxContext,
  defined: Map<string, unknown>,
): EditSpec | null {
  if (defined.has('connection_upgrade')) return null;
  let http: NginxContext | null = ctx;
  while (http && http.kind !== 'http') http = http.parent;
  if (!http) return null;
  // The same edit for every finding in this http block: built once per config and block (each
  // build reads all of the block's statements, so building it per finding was quadratic, issue 23).
  return upgradeMapEdit(config, http);
}

/** The edit adding the upgrade map to an http block, by block (an edit of the text makes a new config). */
const upgradeMapEdit = factBy('nginx.upgradeMapEdit', buildUpgradeMap);

function buildUpgradeMap(config: NginxConfig, http: NginxContext): EditSpec | null {
  const b = blockOf(http);
  const unit = b ? sourceIndentUnit(b.src) : '    ';
  const lines = CONNECTION_UPGRADE_MAP.map((l) => l.replace(/^ {4}/, unit));
  // Place it before the first server block so it reads as shared http configuration.
  const own = http.statements.filter((s) => (b ? s.source === b.src : s.includedVia.length === 0));
  const firstBlock = own.find((s) => s.directive.block && s.name !== 'map');
  const maps = own.filter((s) => s.name === 'map');
  if (maps.length) return insertInContext(config, http, lines, maps[maps.length - 1]);
  if (firstBlock) {
    const prev = own.filter((s) => s.directive.start < firstBlock.directive.start);
    if (prev.length) return setApart(config, insertInContext(config, http, lines, prev[prev.length - 1]));
  }
  return setApart(config, insertInContext(config, http, lines, 'start'));
}

/**
 * A block inserted on its own (the map) gets a blank line from its neighbours, so that a comment
 * above or below it (a file's header, a section title) keeps describing what it described. Not
 * after a line opening a block, nor before one closing it.
 */
function setApart(config: NginxConfig, e: EditSpec | null): EditSpec | null {
  if (!e || e.span.start !== e.span.end) return e;
  const text = config.sources.get(e.path)?.text;
  if (text === undefined) return e;
  const eol = eolOf(text);
  const at = e.span.start;
  const lineBefore = text.slice(lineStartAt(text, Math.max(0, at - 1)), at).trim();
  const rest = text.slice(at);
  if (e.newText.startsWith(eol)) {
    // After the end of a line: "\n    map ..." (inside a block).
    const nextLine = rest
      .replace(/^\r?\n|^\r/, '')
      .split(/\r?\n|\r/, 1)[0]
      .trim();
    const before = lineBefore !== '' && !lineBefore.endsWith('{') ? eol : '';
    const after = nextLine !== '' && !nextLine.startsWith('}') ? eol : '';
    return { ...e, newText: before + e.newText + after };
  }
  // At the start of a line: "map ...\n" (top level, after a file's header comment).
  const head = text.slice(0, at);
  const before = /\S/.test(head) && !/(\r?\n|\r)[ \t]*(\r?\n|\r)$/.test(head) ? eol : '';
  const after = rest !== '' && !/^[ \t]*(\r?\n|\r)/.test(rest) ? eol : '';
  return { ...e, newText: before + e.newText + after };
}
