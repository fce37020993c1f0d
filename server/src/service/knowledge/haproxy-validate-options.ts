/**
 * Server and bind options: each word after `server <name> <address>` (or `bind <address>`) must be
 * an option of the target's table, followed by its arguments; the first unknown one ends the line.
 */
import { DEBIAN_12_HAPROXY_MISSING_BIND } from './haproxy';
import type { KnowledgeDiagnostic } from './nginx-validate';
import { closestNames } from './suggest';
import { finding, otherVersionFinding, q, type CheckTarget } from './haproxy-validate-head';
import {
  detach,
  valueAt,
  wordCount,
  type LineLike,
  type StatementLike,
  type TreeStatement,
} from './haproxy-validate-tree';

/** What checkOptions() reads of a word: the option's most arguments and whether the build lacks it; null: not an option. */
export interface OptionInfo {
  max: number;
  notInBuild: boolean;
}

/** A target with its memo of option words. */
export interface OptionsTarget extends CheckTarget {
  /** Option words → OptionInfo, for server options [0] and bind options [1] (see optionInfo()). */
  optionInfo: readonly [Map<string, OptionInfo | null>, Map<string, OptionInfo | null>];
}

/**
 * Option words → OptionInfo, for server options and for bind options. A function of the word
 * and the version's table, so one memo per version serves every file; emptied when it holds
 * MAX_OPTION_WORDS words (arguments of multi-word options are looked up too).
 */
const MAX_OPTION_WORDS = 4096;

export function optionInfo(vm: OptionsTarget, isBind: boolean, w: string): OptionInfo | null {
  const memo = vm.optionInfo[isBind ? 1 : 0];
  let info = memo.get(w);
  if (info === undefined) {
    if (memo.size >= MAX_OPTION_WORDS) memo.clear();
    const opt = isBind ? vm.table.bindOption(w) : vm.table.serverOption(w);
    info = opt
      ? {
          max: opt.args ? (opt.args.max ?? Infinity) : Infinity,
          notInBuild: isBind && vm.debian && !!DEBIAN_12_HAPROXY_MISSING_BIND.get(w),
        }
      : null;
    memo.set(detach(w), info);
  }
  return info;
}

/** Whether checkOptions() finds nothing on the options of `st` from word `from` (the same walk over options and arguments). */
export function optionsClean(
  vm: OptionsTarget,
  isBind: boolean,
  st: TreeStatement,
  from: number,
  count: number,
): boolean {
  let i = from;
  while (i < count) {
    const opt = optionInfo(vm, isBind, st.wordValue(i));
    if (opt === null || opt.notInBuild) return false;
    i++;
    const max = opt.max;
    if (max === 0) continue;
    let taken = 0;
    while (i < count && taken < max && (taken === 0 || optionInfo(vm, isBind, st.wordValue(i)) === null)) {
      i++;
      taken++;
    }
  }
  return true;
}

/**
 * Server and bind options: each must be a documented option (the first unknown one ends the
 * check of the line, as it ends HAProxy's reading of it); an option's arguments are the words
 * that follow it (at least one when it takes any, then more while they are not options
 * themselves, up to what its syntax line allows).
 */
export function checkOptions(
  vm: OptionsTarget,
  isBind: boolean,
  st: StatementLike,
  values: LineLike,
  from: number,
  out: KnowledgeDiagnostic[],
): void {
  const lookup = (w: string) => (isBind ? vm.table.bindOption(w) : vm.table.serverOption(w));
  const missing = isBind && vm.debian ? DEBIAN_12_HAPROXY_MISSING_BIND : undefined;
  const count = wordCount(values);
  let i = from;
  while (i < count) {
    const w = valueAt(values, i);
    const opt = lookup(w);
    if (!opt) {
      const names = (isBind ? vm.table.bindOptions() : vm.table.serverOptions()).map((o) => o.name);
      const best = closestNames(w, names, 1);
      const f =
        otherVersionFinding(vm, isBind ? 'bind' : 'server', w, i) ??
        finding(
          vm,
          i,
          i,
          'error',
          isBind ? 'unknown-bind-option' : 'unknown-server-option',
          `unknown ${isBind ? 'bind' : 'server'} option ${q(w)}` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
        );
      const at = st.line.words[i];
      out.push({ span: { start: at.start, end: at.end }, severity: f.severity, code: f.code, message: f.message });
      // HAProxy stops reading the line at the first unknown option; so do we (its arguments are unknown).
      return;
    }
    const why = missing?.get(w);
    if (why)
      out.push({
        span: { start: st.line.words[i].start, end: st.line.words[i].end },
        severity: 'warning',
        code: 'haproxy/not-in-build',
        message: `${q(w)} needs ${why}, which Debian 12's HAProxy 2.6 package is built without`,
      });
    i++;
    const max = opt.args ? (opt.args.max ?? Infinity) : Infinity;
    if (max === 0) continue;
    let taken = 0;
    while (i < count && taken < max && (taken === 0 || !lookup(valueAt(values, i)))) {
      i++;
      taken++;
    }
  }
}
