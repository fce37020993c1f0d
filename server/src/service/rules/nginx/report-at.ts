/**
 * Where the nginx rules put a finding about what a context gets, and the fix that adds the
 * missing line to it.
 */
import type { NginxConfig, NginxContext, NginxStatement } from '../../model/nginx';
import { insertInContext } from '../../fixes/nginx';
import type { Span } from '../../text';
import type { FixSpec, RuleReport } from '../rule';
import { argSpan, contextSpan } from './common';

type Finding = Omit<RuleReport, 'path' | 'span'>;

/**
 * Report at argument `arg` of `own` (the line that sets it, written in the context itself), else
 * at the context's header (nothing when the context has neither header nor statements).
 */
export function reportAtSetting(
  report: (r: RuleReport) => void,
  ctx: NginxContext,
  own: NginxStatement | null | undefined,
  arg: number,
  atOwn: (s: NginxStatement) => Finding,
  atContext: (at: { path: string; span: Span }) => Finding,
): void {
  if (own) {
    report({ path: own.source.path, span: argSpan(own, arg), ...atOwn(own) });
    return;
  }
  const at = contextSpan(ctx);
  if (at) report({ path: at.path, span: at.span, ...atContext(at) });
}

/** The fix that adds `lines` to the context, or none when there is no place for them. */
export function insertFix(
  config: NginxConfig,
  ctx: NginxContext,
  lines: string[],
  where: Parameters<typeof insertInContext>[3],
  title: string,
): FixSpec[] {
  const edit = insertInContext(config, ctx, lines, where);
  return edit ? [{ title, edits: [edit], isPreferred: true }] : [];
}
