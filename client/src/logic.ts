/**
 * Decisions of the extension that need no VS Code API (unit-tested in Node): which documents to
 * re-label by content, which pool is under the cursor, how often the server may be restarted.
 */
import type { ConfigLanguage } from '../../server/src/service/types';
import type { PoolItem, VersionInfo } from '../../server/src/lsp/protocol';
import type { SimPool } from '../../server/src/service/simulate/types';

/** Language ids that mean "nobody claimed this file" (VS Code's default for unknown files, and the
 *  .properties/.cfg association VS Code ships). Other ids belong to another extension: left alone. */
export const UNCLAIMED_LANGUAGES = ['plaintext', 'properties'];

/**
 * The language to give a document, or undefined. Only a `.conf` that is clearly nginx or a `.cfg`
 * that is clearly HAProxy qualifies; "clearly" means the content alone decides (the file name's
 * hint is left out), so an unrelated `key = value` .conf is never claimed.
 */
export function detectionTarget(
  path: string,
  languageId: string,
  text: string,
  detect: (path: string, text: string) => ConfigLanguage | undefined,
): ConfigLanguage | undefined {
  if (!UNCLAIMED_LANGUAGES.includes(languageId)) return undefined;
  const name = path.toLowerCase();
  const expected: ConfigLanguage | undefined = name.endsWith('.conf')
    ? 'nginx'
    : name.endsWith('.cfg')
      ? 'haproxy'
      : undefined;
  if (!expected) return undefined;
  let found: ConfigLanguage | undefined;
  try {
    found = detect('', text);
  } catch {
    return undefined;
  }
  return found === expected ? expected : undefined;
}

interface Pos {
  line: number;
  character: number;
}
interface Ranged {
  range: { start: Pos; end: Pos };
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character <= b.character);
}

/** The pool whose block contains the position (the innermost when blocks nest). */
export function poolAt<T extends Ranged>(pools: T[], pos: Pos | undefined): T | undefined {
  if (!pos) return undefined;
  let best: T | undefined;
  for (const p of pools) {
    if (!p?.range?.start || !p.range.end) continue;
    if (before(p.range.start, pos) && before(pos, p.range.end)) {
      if (!best || before(best.range.start, p.range.start)) best = p;
    }
  }
  return best;
}

/** At most `maxRestarts` automatic restarts within a sliding `windowMs`. */
export function restartBudget(o: { maxRestarts: number; windowMs: number }): {
  allow(now: number): boolean;
  reset(): void;
} {
  let times: number[] = [];
  return {
    allow(now: number): boolean {
      times = times.filter((t) => now - t < o.windowMs);
      if (times.length >= o.maxRestarts) return false;
      times.push(now);
      return true;
    },
    reset(): void {
      times = [];
    },
  };
}

/**
 * Language ids under which Terraform and CloudFormation files open (HashiCorp's `terraform`,
 * VS Code's `yaml` and `json`; `plaintext` for a .tf/.template no extension claimed). wslb never
 * claims these files: it looks at their content and only ALB/NLB declarations make them its own.
 */
export const AWS_LANGUAGES = ['terraform', 'yaml', 'json', 'plaintext'];

/** Does this document declare AWS load balancers, for wslb? `declares` is service/aws-detect.ts. */
export function isAwsDocument(
  path: string,
  languageId: string,
  text: string,
  declares: (path: string, text: string) => boolean,
): boolean {
  if (!AWS_LANGUAGES.includes(languageId)) return false;
  if (languageId === 'plaintext' && !/\.(tf|template)$/i.test(path)) return false;
  try {
    return declares(path, text);
  } catch {
    return false;
  }
}

/** The SimPool part of a pool item (what the webview needs; the ranges stay in the extension). */
export function toSimPool(item: PoolItem): SimPool {
  const { uri: _uri, range: _range, nameRange: _nameRange, algorithmRange: _algorithmRange, ...pool } = item;
  return pool;
}

/** The document (URI) and pool a simulator panel shows. */
export interface PanelTarget {
  uri: string;
  pool: string;
}

/**
 * What the panel shows after its webview says 'ready'. A webview restored after a reload is the
 * only one that knows its pool (from its saved state): the panel adopts it when it has none yet.
 * Otherwise the webview may name another pool of the same document, never another document.
 * While an init is pending the webview still holds an older pool: nothing changes.
 */
export function targetAfterReady(
  current: PanelTarget | undefined,
  initPending: boolean,
  m: { uri?: unknown; pool?: unknown },
): PanelTarget | undefined {
  if (initPending || typeof m.uri !== 'string' || typeof m.pool !== 'string') return current;
  if (current && current.uri !== m.uri) return current;
  return { uri: m.uri, pool: m.pool };
}

/**
 * The edit an "Apply to config" from the webview may make: in the document the panel was opened
 * for, and nowhere else (a webview that misbehaves must not edit any file the user can open).
 */
export function applyRequest(
  current: PanelTarget | undefined,
  m: { uri?: unknown; pool?: unknown; spec?: unknown },
): { uri: string; pool: string; spec: string } | { error: string } {
  if (!current) return { error: 'This panel is not showing a pool of a config.' };
  if (m.uri !== current.uri) return { error: 'Apply to config edits only the config this panel was opened for.' };
  if (typeof m.pool !== 'string' || typeof m.spec !== 'string') return { error: 'Nothing to apply.' };
  return { uri: current.uri, pool: m.pool, spec: m.spec };
}

/**
 * Is this the error a request gets when the server's connection is going away (the window
 * reloads or closes, the server exits)? vscode-languageclient answers those of its own
 * ResponseErrors with the empty result; these come from the transport itself.
 */
export function isShutdownError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | undefined;
  if (err?.code === 'ERR_IPC_CHANNEL_CLOSED' || err?.code === 'EPIPE') return true;
  const message = typeof err?.message === 'string' ? err.message : '';
  return /Channel has been closed|Connection is (?:closed|disposed)|connection got disposed|Client is not running/i.test(
    message,
  );
}

/** The status-bar text and tooltip of the version a document is checked for (wslb/version). */
export function versionStatus(info: VersionInfo): { text: string; tooltip: string } {
  const name = info.product === 'haproxy' ? 'HAProxy' : 'nginx';
  const lines = [`Checked for ${name} ${info.version}: ${info.from}.`];
  if (info.note) lines.push(`Note: ${info.note}.`);
  lines.push(`Click to pick the ${name} version.`);
  return { text: `$(versions) ${name} ${info.version}`, tooltip: lines.join('\n\n') };
}

/** One entry of the version picker: a version to write (`set`), clearing the setting, or typing a version. */
export interface VersionPick {
  label: string;
  description?: string;
  action: 'set' | 'clear' | 'other';
  /** The version to write (action 'set'). */
  version?: string;
}

/**
 * The picker's entries: each known version (the one in effect marked), clearing the setting when
 * it is set, and typing another version.
 */
export function versionPicks(info: VersionInfo, settingSet: boolean): VersionPick[] {
  const name = info.product === 'haproxy' ? 'HAProxy' : 'nginx';
  const line = (v: string) => v.split('.').slice(0, 2).join('.');
  const current = line(info.version);
  const picks: VersionPick[] = [...info.known].reverse().map((v) => ({
    label: `${name} ${v}`,
    description: line(v) === current ? `in effect (${info.version}, ${info.from})` : undefined,
    action: 'set' as const,
    version: v,
  }));
  if (settingSet)
    picks.push({
      label: 'Clear the setting',
      description: 'use what the file or its folder says, else the default',
      action: 'clear',
    });
  picks.push({ label: 'Other version…', description: `any ${name} version, e.g. ${info.known[0]}`, action: 'other' });
  return picks;
}

/** The picker's warning when the file itself names its version: the setting does not change it. */
export function versionPickWarning(info: VersionInfo): string | undefined {
  return info.source === 'comment'
    ? `This file's own ${info.from} wins over the setting: edit or remove the comment to change its version.`
    : undefined;
}

/** Why a typed version is refused (the setting's pattern, common/settings.ts), or undefined. */
export function versionInputError(value: string, pattern: string): string | undefined {
  return new RegExp(pattern).test(value.trim()) ? undefined : 'A version such as 3.0 or 1.26.3';
}
