/**
 * The findings of a statement's first words (words[0] and words[1], after a `no`/`default`
 * modifier) in a section, as a `Plan` whose spans are word indices: unknown, removed or misplaced
 * keywords, values outside their set (`mode`, `balance`, `filter`), unknown rule actions, and
 * whether server or bind options follow (haproxy-validate-options.ts checks those).
 */
import { clipWord } from '../words';
import type { HaproxyCheckName } from '../checks';
import type { Severity } from '../types';
import {
  DEBIAN_12_HAPROXY_MISSING,
  haproxyWarnsIfNotCap,
  HAPROXY_REMOVED,
  HAPROXY_VALUE_SETS,
  HAPROXY_REMOVED_OPTIONS,
  isProxySection,
  type HaproxyProxyKeyword,
  type HaproxyTable,
} from './haproxy';
import { haproxyKeywordHistory, haproxyTables, type HaproxyKeywordKind } from './haproxy-tables';
import { closestNames } from './suggest';

/** The target a check reports for: its version, the table it is checked against, and how. */
export interface CheckTarget {
  version: string;
  /** The keyword table the target is checked against. */
  table: HaproxyTable;
  /** The table is another version line's (the nearest older one): what it does not know may be new in the target. */
  otherVersion: boolean;
  /** The table is Debian 12's HAProxy 2.6 (whose build lacks some features). */
  debian: boolean;
}

/** A finding of a statement's first words, by index into its words (after the modifier). */
export interface HeadFinding {
  from: number;
  to: number;
  severity: Severity;
  code: string;
  message: string;
}

export interface Plan {
  findings: readonly HeadFinding[];
  /** For server/default-server/server-template/bind lines: where their options start, and which table. */
  options: { from: number; bind: boolean } | null;
}

/** A word of the config (or of the knowledge base) as a message quotes it: clipped and escaped. */
export const q = (s: string) => '`' + clipWord(s) + '`';

/** A table entry by a key taken from the config (never from Object.prototype: `constructor`, `toString`). */
export const own = <T>(table: Record<string, T>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/**
 * Actions HAProxy refuses outside a backend or listen section: src/stream.c
 * stream_parse_set_retries() fails with "'set-retries' only available in backend or listen section"
 * without backend capability, and in a defaults section.
 */
const BACKEND_ONLY_ACTIONS: ReadonlySet<string> = new Set(['set-retries']);
/** Rule keywords whose first argument (words[1]) is an action documented in the manual. */
export const ACTION_RULES: ReadonlySet<string> = new Set(['http-request', 'http-response', 'http-after-response']);

/** Where the options start on a line: after `server <name> <address>`, `bind <address>`, ... */
const OPTIONS_FROM: Record<string, number> = { server: 3, 'default-server': 1, 'server-template': 4, bind: 2 };

const UNKNOWN_CODES: ReadonlySet<string> = new Set([
  'unknown-keyword',
  'unknown-action',
  'unknown-server-option',
  'unknown-bind-option',
  'invalid-value',
]);
const REMOVED_TIMEOUT = /^(con|cli|srv)timeout$/;

/**
 * Options that only tune how HAProxy talks to one side (a packet saved, a workaround for some
 * servers), by what they do (HAProxy 2.6 manual). Written in a section that lacks the capability
 * they need, HAProxy ignores them with a warning and nothing the config relies on changes: the
 * finding that mirrors the warning is a hint.
 */
const TUNING_ONLY: Record<string, string> = {
  'option http-pretend-keepalive':
    'it only works around servers that stop using chunked encoding when HAProxy sends Connection: close',
  'option tcp-smart-connect': 'it only saves a packet when connecting to a server',
  'option tcp-smart-accept': 'it only saves a packet when accepting a client',
};

/** A finding, with the wording and severity for a target other than 2.6 where that applies. */
export function finding(
  vm: CheckTarget,
  from: number,
  to: number,
  severity: Severity,
  code: HaproxyCheckName,
  message: string,
): HeadFinding {
  if (vm.otherVersion && UNKNOWN_CODES.has(code)) {
    severity = 'warning';
    message += ` (checked against HAProxy ${vm.table.version}'s keywords; target is ${vm.version})`;
  }
  return { from, to, severity, code: 'haproxy/' + code, message };
}

/**
 * The finding for a keyword the target's table lacks but another known version has: "not in
 * HAProxy 2.6 (added in 2.8)" or "not in HAProxy 3.2 (removed in 3.0; last in 2.8)". Undefined
 * when no known version has it (then it is an unknown keyword).
 */
export function otherVersionFinding(
  vm: CheckTarget,
  kind: HaproxyKeywordKind,
  name: string,
  to: number,
  where?: string,
): HeadFinding | undefined {
  const h = haproxyKeywordHistory(vm.table.version, kind, name, where);
  const what =
    kind === 'bind'
      ? 'bind option '
      : kind === 'server'
        ? 'server option '
        : kind === 'action'
          ? `${where} action `
          : kind === 'section' && where === undefined
            ? 'section '
            : '';
  if (vm.otherVersion && (h.addedIn || h.lastIn)) {
    // between two tables: what the older one says, and which known version has it
    return {
      from: kind === 'action' ? to : 0,
      to,
      severity: 'warning',
      code: h.addedIn ? 'haproxy/keyword-too-new' : 'haproxy/keyword-removed',
      message:
        `${what}${q(name)} is not in HAProxy ${vm.table.version} (the nearest keyword table to ${vm.version})` +
        (h.addedIn ? `; ${h.addedIn} has it` : `; ${h.lastIn} had it`),
    };
  }
  const target = vm.version;
  if (h.addedIn) {
    return {
      from: kind === 'action' ? to : 0,
      to,
      severity: 'error',
      code: 'haproxy/keyword-too-new',
      message: `${what}${q(name)} is not in HAProxy ${target}: it was added in ${h.addedIn}`,
    };
  }
  if (h.lastIn) {
    return {
      from: kind === 'action' ? to : 0,
      to,
      severity: 'error',
      code: 'haproxy/keyword-removed',
      message: `${what}${q(name)} is not in HAProxy ${target}: it was removed after ${h.lastIn}`,
    };
  }
  return undefined;
}

/** The findings of a head (words[0], words[1]) in a section, and whether options follow. */
export function computePlan(vm: CheckTarget, kind: string, named: boolean, w0: string, w1: string | undefined): Plan {
  const found: HeadFinding[] = [];
  let options: Plan['options'] = null;
  if (kind === 'global') {
    const missing = vm.debian ? DEBIAN_12_HAPROXY_MISSING.get(w0) : undefined;
    if (missing) {
      found.push(
        finding(
          vm,
          0,
          0,
          'warning',
          'not-in-build',
          `${q(w0)} needs ${missing}, which Debian 12's HAProxy 2.6 package is built without`,
        ),
      );
    } else if (!vm.table.isGlobalKeyword(w0, w1)) {
      const other = otherVersionFinding(vm, 'global', w0, 0);
      const best = closestNames(w0, vm.table.globalKeywordNames(), 1);
      if (other) found.push(other);
      else
        found.push(
          finding(
            vm,
            0,
            0,
            'error',
            'unknown-keyword',
            `unknown keyword ${q(w0)} in ${q('global')} section` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
          ),
        );
    }
  } else if (isProxySection(kind)) {
    options = checkProxyHead(vm, kind, named, w0, w1, found);
  } else {
    const known = vm.table.sectionKeywords(kind);
    if (known && !vm.table.sectionKeyword(kind, w1 === undefined ? [w0] : [w0, w1])) {
      const best = closestNames(
        w0,
        known.map((k) => k.name.split(' ')[0]),
        1,
      );
      found.push(
        finding(
          vm,
          0,
          0,
          'error',
          'unknown-keyword',
          `unknown keyword ${q(w0)} in ${q(kind)} section` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
        ),
      );
    }
  }
  return found.length === 0 && options === null ? CLEAN : { findings: found, options };
}

/** The head checks of a proxy statement (into `found`); returns where options start on server/bind lines. */
function checkProxyHead(
  vm: CheckTarget,
  kind: string,
  named: boolean,
  w0: string,
  w1: string | undefined,
  found: HeadFinding[],
): Plan['options'] {
  const removed = removedFinding(vm, w0, w1);
  if (removed) {
    found.push(removed);
    return null;
  }
  const row = vm.table.resolveProxyKeyword2(w0, w1);
  if (!row) {
    found.push(unknownProxyKeyword(vm, kind, w0, w1));
    return null;
  }
  const refused = placeFinding(vm, kind, named, row, w1);
  if (refused) {
    found.push(refused);
    return null;
  }
  const value = valueFinding(vm, row, w1);
  if (value) found.push(value);
  const action = actionFinding(vm, kind, row, w1);
  if (action) found.push(action);
  const from = own(OPTIONS_FROM, row.name);
  return from === undefined ? null : { from, bind: row.name === 'bind' };
}

/** A keyword removed before the oldest version checked: itself, a `timeout` of old, an `option`. */
function removedFinding(vm: CheckTarget, w0: string, w1: string | undefined): HeadFinding | undefined {
  // the span of the first two words (or of the only one)
  const two = w1 === undefined ? 0 : 1;
  const removed = own(HAPROXY_REMOVED, w0);
  if (removed) {
    return finding(
      vm,
      0,
      0,
      'error',
      'keyword-removed',
      `${q(w0)} is not supported since HAProxy ${removed.since}: ${removed.advice}`,
    );
  }
  if (w0 === 'timeout' && w1 !== undefined && REMOVED_TIMEOUT.test(w1)) {
    const r = own(HAPROXY_REMOVED, w1)!;
    return finding(
      vm,
      0,
      two,
      'error',
      'keyword-removed',
      `${q(w1)} is not supported since HAProxy ${r.since}: ${r.advice}`,
    );
  }
  const removedOption = w0 === 'option' && w1 !== undefined ? own(HAPROXY_REMOVED_OPTIONS, w1) : undefined;
  if (removedOption) {
    const r = removedOption;
    return finding(
      vm,
      0,
      two,
      'error',
      'keyword-removed',
      `option ${q(w1!)} is not supported since HAProxy ${r.since}: ${r.advice}`,
    );
  }
  return undefined;
}

/** A proxy keyword the target's table lacks: known to another version, an unknown member of a group, or unknown. */
function unknownProxyKeyword(vm: CheckTarget, kind: string, w0: string, w1: string | undefined): HeadFinding {
  const two = w1 === undefined ? 0 : 1;
  // two words when some version has a row of both ("option forwarded"), else the first alone
  const pair = w1 !== undefined && haproxyTables().some((t) => !!t.table.proxyKeyword(`${w0} ${w1}`));
  const other =
    (pair ? otherVersionFinding(vm, 'proxy', `${w0} ${w1}`, two) : undefined) ??
    otherVersionFinding(vm, 'proxy', w0, 0);
  if (other) return other;
  if (vm.table.proxyKeywordGroups.has(w0)) {
    const members = vm.table.proxyGroupMembers(w0);
    if (w1 === undefined) {
      return finding(
        vm,
        0,
        0,
        'error',
        'unknown-keyword',
        `${q(w0)} needs one of: ${members.slice(0, 12).join(', ')}${members.length > 12 ? ', ...' : ''}`,
      );
    }
    const best = closestNames(w1, members, 1);
    return finding(
      vm,
      0,
      two,
      'error',
      'unknown-keyword',
      `unknown ${clipWord(w0)} ${q(w1)}` +
        (best.length ? `; did you mean ${'`' + clipWord(w0) + ' ' + clipWord(best[0]) + '`'}?` : ''),
    );
  }
  const candidates = vm.table.proxyKeywords().map((p) => p.name.split(' ')[0]);
  const best = closestNames(w0, candidates, 1);
  return finding(
    vm,
    0,
    0,
    'error',
    'unknown-keyword',
    `unknown keyword ${q(w0)} in ${q(kind)} section` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
  );
}

/** A keyword the section refuses (defaults) or ignores for want of a side (frontend, backend), by its matrix cell. */
function placeFinding(
  vm: CheckTarget,
  kind: string,
  named: boolean,
  row: HaproxyProxyKeyword,
  w1: string | undefined,
): HeadFinding | undefined {
  // the keyword's own words: one or two (a row is found by its first one or two words)
  const kwTo = Math.min(row.name.split(' ').length, w1 === undefined ? 1 : 2) - 1;
  const cell =
    kind === 'defaults'
      ? row.defaults
      : kind === 'frontend'
        ? row.frontend
        : kind === 'backend'
          ? row.backend
          : row.listen;
  if (kind === 'defaults') {
    if (cell === 'no')
      return finding(
        vm,
        0,
        kwTo,
        'error',
        'keyword-not-allowed-here',
        `${q(row.name)} is not allowed in a ${q('defaults')} section`,
      );
    if (cell === 'named' && !named)
      return finding(
        vm,
        0,
        kwTo,
        'error',
        'keyword-not-allowed-here',
        `${q(row.name)} is allowed only in a named ${q('defaults')} section, not an anonymous one`,
      );
  } else if (cell === 'no' && haproxyWarnsIfNotCap(row.name)) {
    const lacks = kind === 'frontend' ? 'backend' : 'frontend';
    const tuning = own(TUNING_ONLY, row.name);
    return finding(
      vm,
      0,
      kwTo,
      tuning ? 'hint' : 'warning',
      'keyword-not-allowed-here',
      `${q(row.name)} is ignored in a ${kind}: it needs ${lacks} capability (use it in a ${lacks} or listen section)` +
        (tuning ? `; harmless otherwise: ${tuning}` : ''),
    );
  }
  return undefined;
}

/** The value of `mode`, `balance`, `filter` (words[1]) outside its set. */
function valueFinding(vm: CheckTarget, row: HaproxyProxyKeyword, w1: string | undefined): HeadFinding | undefined {
  const values = own(HAPROXY_VALUE_SETS, row.name);
  if (!values || w1 === undefined || w1.startsWith('$')) return undefined;
  const v = w1.replace(/\(.*$/, '');
  if (values.values.length === 0 || values.values.includes(v)) return undefined;
  const best = closestNames(v, values.values, 1);
  return finding(
    vm,
    1,
    1,
    'error',
    'invalid-value',
    `unknown ${values.what} ${q(w1)}; expected ${values.values.join(', ')}` +
      (best.length ? ` (did you mean ${q(best[0])}?)` : ''),
  );
}

/** The action of an `http-request` & co. rule (words[1]): unknown, of another version, or refused in this section. */
function actionFinding(
  vm: CheckTarget,
  kind: string,
  row: HaproxyProxyKeyword,
  w1: string | undefined,
): HeadFinding | undefined {
  if (!ACTION_RULES.has(row.name) || w1 === undefined) return undefined;
  const action = w1.replace(/\(.*$/, '');
  const ok =
    action.startsWith('lua.') ||
    vm.table.actions(row.name).length === 0 ||
    !!vm.table.action(row.name, action) ||
    !!vm.table.action(row.name, w1);
  const other = ok ? undefined : otherVersionFinding(vm, 'action', action, 1, row.name);
  if (other) return other;
  if (ok && BACKEND_ONLY_ACTIONS.has(action) && (kind === 'frontend' || kind === 'defaults'))
    return finding(
      vm,
      1,
      1,
      'error',
      'keyword-not-allowed-here',
      `${q(action)} is only available in a backend or listen section, not in a ${kind}`,
    );
  if (ok) return undefined;
  const best = closestNames(
    action,
    vm.table.actions(row.name).map((a) => a.name),
    1,
  );
  return finding(
    vm,
    1,
    1,
    'error',
    'unknown-action',
    `unknown ${row.name} action ${q(action)}` + (best.length ? `; did you mean ${q(best[0])}?` : ''),
  );
}

export const CLEAN: Plan = { findings: [], options: null };
