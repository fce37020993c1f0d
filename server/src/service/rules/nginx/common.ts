/** Shared helpers of the nginx rules: spans, defaults for the target version, phrasing. */
import { clipWord } from '../../words';
import { whereLine } from '../../describe/where';
import { nginxDefaultFor } from '../../model/nginx-defaults';
import type { DefaultLookup, EffectiveValue, NginxContext, NginxStatement } from '../../model/nginx';
import { describeContext } from '../../model/nginx';
import type { ServiceOptions } from '../../options';
import type { Span } from '../../text';

/** The span of a block's header: `location /ws` without the body. */
export function headerSpan(stmt: NginxStatement): Span {
  const d = stmt.directive;
  const end = d.args.length ? d.args[d.args.length - 1].end : d.nameSpan.end;
  return { start: d.start, end };
}

/** The span of a whole simple directive, `name args;`. */
export function statementSpan(stmt: NginxStatement): Span {
  return { start: stmt.directive.start, end: stmt.directive.end };
}

/** Where to report about a context: its header, or (for synthetic fragment contexts) the first statement. */
export function contextSpan(ctx: NginxContext): { path: string; span: Span } | null {
  if (ctx.statement) return { path: ctx.statement.source.path, span: headerSpan(ctx.statement) };
  const first = ctx.statements[0];
  return first ? { path: first.source.path, span: statementSpan(first) } : null;
}

export function defaultsFor(options: ServiceOptions): DefaultLookup {
  return (name, family) => {
    const d = nginxDefaultFor(name, options.nginxVersion, family);
    return d ? { value: d.value, note: `nginx ${options.nginxVersion}'s default` } : undefined;
  };
}

/** "proxy_read_timeout is 60s, nginx 1.22.1's default" / "…, set in server at line 12". */
export function describeOrigin(name: string, eff: EffectiveValue, here: NginxContext): string {
  const value = eff.args ? eff.args.map((a) => clipWord(a)).join(' ') : '(unset)';
  if (eff.source === 'default') return `${name} is ${value}, ${eff.defaultNote ?? 'the default'}`;
  const s = eff.statement!;
  const line = s.source.tree.lineIndex.positionAt(s.directive.start).line + 1;
  if (eff.source === 'here') return `${name} is ${value} (line ${line})`;
  return `${name} is ${value}, inherited from ${describeContext(s.context)} at ${fileLabel(s.source.path, here)}line ${line}`;
}

/**
 * Where an inherited (or, elsewhere, set) value comes from, for a finding's relatedInformation:
 * the message stays short and the editor links to the line. Empty for a default.
 */
export function originRelated(
  name: string,
  eff: EffectiveValue,
): { path: string; span: { start: number; end: number }; message: string }[] {
  const s = eff.statement;
  if (eff.source === 'default' || !s) return [];
  return [
    {
      path: s.source.path,
      span: { start: s.directive.start, end: s.directive.end },
      message: `${name} ${(eff.args ?? []).map((a) => clipWord(a)).join(' ')} ${eff.source === 'here' ? 'set here' : `inherited from ${describeContext(s.context)}`}`,
    },
  ];
}

/** "1.0 (nginx 1.22.1's default)", "1.0 (inherited)", "1.0": the value and, briefly, its origin. */
export function shortOrigin(eff: EffectiveValue): string {
  const value = eff.args ? eff.args.map((a) => clipWord(a)).join(' ') : '(unset)';
  if (eff.source === 'default') return `${value} (${eff.defaultNote ?? 'the default'})`;
  return eff.source === 'inherited' ? `${value} (inherited)` : value;
}

/** describeOrigin's file prefix, "proxy.conf:" before "line 12" (not whereLine's "proxy.conf:12": goldens pin it). */
function fileLabel(path: string, here: NginxContext): string {
  const herePath = here.statement?.source.path;
  if (herePath && herePath === path) return '';
  return `${clipWord(path.slice(path.lastIndexOf('/') + 1))}:`;
}

export function locationLabel(ctx: NginxContext): string {
  return describeContext(ctx);
}

/**
 * The statement of `ctx`'s own block that stands for `stmt`: the statement itself when it is
 * written in the block, or the `include` (in the block) that brought it in. Null when `stmt` is not
 * part of `ctx`'s block at all.
 */
export function anchorInBlock(ctx: NginxContext, stmt: NginxStatement): NginxStatement | null {
  const depth = ctx.statement?.includedVia.length ?? 0;
  if (stmt.context !== ctx) return null;
  if (stmt.includedVia.length === depth) return stmt;
  const inc = stmt.includedVia[depth];
  return inc && inc.context === ctx ? inc : null;
}

/** Where to insert a directive into a proxying location: after its proxy_pass (or the include holding it), else at the end. */
export function proxyAnchor(ctx: NginxContext): NginxStatement | 'end' {
  const pp = ctx.statements.find((s) => s.name === 'proxy_pass');
  return (pp && anchorInBlock(ctx, pp)) || 'end';
}

/** 1-based line of a statement, for messages. */
export function lineOf(stmt: NginxStatement): number {
  return stmt.source.tree.lineIndex.positionAt(stmt.directive.start).line + 1;
}

/** A statement a message names by its line (lineOf, whereStatement): one of a report's `cites`. */
export function citeOf(stmt: NginxStatement): { path: string; offset: number } {
  return { path: stmt.source.path, offset: stmt.directive.start };
}

/** The `cites` of a describeOrigin text: the statement it names by line; none for a default. */
export function originCites(eff: EffectiveValue): { path: string; offset: number }[] {
  return eff.source === 'default' || !eff.statement ? [] : [citeOf(eff.statement)];
}

/** "line 12" or "proxy.conf:12" when the statement lives in another file than `herePath`. */
export function whereStatement(stmt: NginxStatement, herePath?: string): string {
  return whereLine(stmt.source.path, lineOf(stmt), herePath || undefined, (n) => clipWord(n));
}

/** The directive re-written from its source words (quotes kept), e.g. `proxy_set_header Host $host;`. */
export function statementText(stmt: NginxStatement): string {
  return [stmt.directive.nameToken.raw, ...stmt.directive.args.map((a) => a.raw)].join(' ') + ';';
}

/** A report span for a whole statement's argument `i` (or the statement when it has fewer). */
export function argSpan(stmt: NginxStatement, i: number): Span {
  const a = stmt.directive.args[i];
  return a ? { start: a.start, end: a.end } : statementSpan(stmt);
}
