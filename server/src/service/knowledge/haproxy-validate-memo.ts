/**
 * The memo of plans behind validateHaproxy(): a line's findings worked out once per target, section
 * and first words, and applied to every line that shares them.
 */
import { fact } from '../host/memo';
import { HAPROXY_REMOVED, HAPROXY_VALUE_SETS, isProxySection } from './haproxy';
import { haproxyTarget, versionLine, type HaproxyTarget } from './haproxy-tables';
import { ACTION_RULES, computePlan, own, type Plan } from './haproxy-validate-head';
import type { OptionsTarget } from './haproxy-validate-options';
import { detach, valueAt, type LineLike, type SectionLike } from './haproxy-validate-tree';

/*
 * What a statement's findings depend on. Call `words` the line's words after a `no`/`default`
 * modifier (the parser sets `modifier` from the first word alone). Then the findings are a
 * function of:
 *   - the target version (2.6 or not: severities and wording),
 *   - the section's keyword, and for `defaults` whether it has a name (named-only keywords),
 *   - words[0] and words[1] (or that there is no second word): the keyword, its matrix row, the
 *     removed keywords, `timeout`/`option` groups, the value sets (`mode`, `balance`, `filter`:
 *     their value is words[1]) and rule actions (`http-request` & co.: the action is words[1]),
 *   - for `server`, `default-server`, `server-template` and `bind` only: every later word (options).
 * Nothing else: not the section's other lines, its mode, its name (but for defaults), the `.if`
 * blocks around the line, or where the line is. So the findings of the first two words are worked
 * out once per (version, section key, words[0], words[1]) as a "plan" whose spans are word indices,
 * and each line applies its plan to its own words; the options of server/bind lines are read per line.
 * Reading a word costs more than the rest of the check, so words[1] is not even read where it
 * cannot matter (secondMatters()): then the plan is kept per words[0] and whether a second word exists.
 * Server/bind options are walked through a memo of what each option word means (optionInfo()),
 * and only a line whose walk meets an unknown or unbuilt option is read again to report it.
 */

/** A target with its memo of plans. */
export interface VersionMemo extends OptionsTarget {
  /** section key → words[0] → plans by words[1]. */
  sections: Map<string, Map<string, HeadPlans>>;
  plans: number;
}
export interface HeadPlans {
  /** Whether words[1]'s value can change the plan (else `any` serves every line with two words or more). */
  second: boolean;
  /** The plan when words[0] is the only word. */
  alone: Plan | undefined;
  any: Plan | undefined;
  /** By words[1], when it matters. */
  next: Map<string, Plan>;
}

/** A version wslb has a keyword table for. */
type KnownTarget = Extract<HaproxyTarget, { ok: true }>;

/** Plans kept per version at most (a config repeats a few hundred distinct heads; edits add some). */
const MAX_PLANS = 20_000;

/**
 * One memo per target: haproxyTarget() hands out one target object per version string, so the plans
 * of a version serve every file and every call, and go with the target when it is dropped.
 */
const memoOf = fact('haproxy-validate.plans', (t: KnownTarget) => newMemo(t));

/** The memo of a target version, emptied when it has grown past MAX_PLANS (checked once per call). */
export function versionMemo(version: string): VersionMemo | undefined {
  const t = haproxyTarget(version);
  if (!t.ok) return undefined;
  const vm = memoOf(t);
  if (vm.plans >= MAX_PLANS) {
    vm.sections.clear();
    vm.plans = 0;
  }
  return vm;
}

/** An empty memo (validateHaproxyUnmemoised() makes one per call). */
export function newMemo(t: KnownTarget): VersionMemo {
  return {
    version: t.target,
    table: t.table.table,
    otherVersion: t.table.version !== versionLine(t.target),
    debian: t.table.version === '2.6',
    optionInfo: [new Map(), new Map()],
    sections: new Map(),
    plans: 0,
  };
}

/** The key of what a section contributes to its lines' findings; null when nothing in it is checked. */
export function sectionKey(vm: VersionMemo, section: SectionLike): string | null {
  const kind = section.keyword;
  if (kind === 'defaults') return section.name ? 'defaults' : 'defaults\u0000anonymous';
  if (kind === 'global' || isProxySection(kind) || vm.table.sectionKeywords(kind)) return kind;
  return null; // a section the manual does not head (e.g. namespace_list): nothing to check
}

export function sectionPlans(vm: VersionMemo, key: string): Map<string, HeadPlans> {
  let m = vm.sections.get(key);
  if (!m) vm.sections.set(key, (m = new Map<string, HeadPlans>()));
  return m;
}

/**
 * Can the value of words[1] change the findings of a line whose words[0] is `w0` (given that there
 * are two words or more)? In `global` and in the non-proxy sections, no: a keyword of two words
 * there is recognised only if its first word is also the start of a known keyword, which alone
 * already accepts the line (isHaproxyGlobalKeyword, haproxySectionKeyword). In a proxy section,
 * only when it picks the keyword (removed `timeout`s and `option`s, rows of two words) or is
 * checked itself (value sets, rule actions); a removed keyword is reported from words[0] alone.
 */
export function secondMatters(vm: VersionMemo, kind: string, w0: string): boolean {
  if (!isProxySection(kind) || own(HAPROXY_REMOVED, w0)) return false;
  if (w0 === 'timeout' || w0 === 'option' || vm.table.longerProxyKeywords.has(w0)) return true;
  const row = vm.table.resolveProxyKeyword2(w0, undefined);
  return !!row && (own(HAPROXY_VALUE_SETS, row.name) !== undefined || ACTION_RULES.has(row.name));
}

/** The memoised plan of a line of `count` words (after the modifier, count > 0) whose words[0] is `w0`. */
export function planOf(
  vm: VersionMemo,
  plans: Map<string, HeadPlans>,
  kind: string,
  named: boolean,
  w0: string,
  line: LineLike,
  i0: number,
  count: number,
): Plan {
  let h = plans.get(w0);
  if (h === undefined) {
    h = { second: secondMatters(vm, kind, w0), alone: undefined, any: undefined, next: new Map() };
    plans.set(detach(w0), h);
  }
  if (count === 1) return h.alone ?? (h.alone = newPlan(vm, kind, named, w0, undefined));
  if (!h.second) return h.any ?? (h.any = newPlan(vm, kind, named, w0, valueAt(line, i0 + 1)));
  const w1 = valueAt(line, i0 + 1);
  let plan = h.next.get(w1);
  if (plan === undefined) h.next.set(detach(w1), (plan = newPlan(vm, kind, named, w0, w1)));
  return plan;
}

export function newPlan(vm: VersionMemo, kind: string, named: boolean, w0: string, w1: string | undefined): Plan {
  vm.plans++;
  return computePlan(vm, kind, named, detach(w0), w1 === undefined ? undefined : detach(w1));
}
