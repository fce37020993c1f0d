/** Settings enter the language service once, here, and flow down as arguments. */
import type { Severity } from './types';
import { settingDefault } from '../../../common/settings';
import { parseNginxTime } from './model/units';

export interface ServiceOptions {
  /** The application's WebSocket heartbeat (ping) interval, in milliseconds. */
  heartbeatMs: number;
  /**
   * Did the user set the heartbeat (`--heartbeat`, a `wslb.heartbeat` other than the default)? If
   * not, a path that shows its protocol (Socket.IO, MQTT...) brings that protocol's documented
   * heartbeat instead (knowledge/protocols.ts).
   */
  heartbeatSet?: boolean;
  /** Target nginx version: defaults and version-dependent advice follow it. */
  nginxVersion: string;
  /**
   * Did the user set the nginx version (`--nginx-version`, a `wslb.nginxVersion` other than the
   * default)? If not, directives and parameters newer than the default target are not reported
   * (knowledge/nginx-validate.ts: versionChosen).
   */
  nginxVersionSet?: boolean;
  /**
   * Target HAProxy version: keywords are checked against the newest table wslb has that is not
   * newer (knowledge/haproxy-tables.ts); older than the oldest table, they are not checked.
   */
  haproxyVersion: string;
  /**
   * Did the user set the HAProxy version (`--haproxy-version`, a `wslb.haproxyVersion` other than
   * the default)? If so it beats what a file's siblings say (version-detect.ts); a file's own
   * `# wslb: haproxy X` comment beats both.
   */
  haproxyVersionSet?: boolean;
  /** Per-rule severity override, or 'off'. */
  ruleSeverity: Record<string, Severity | 'off'>;
}

const SEVERITY_WORDS: Readonly<Record<string, Severity | 'off'>> = {
  off: 'off',
  error: 'error',
  warning: 'warning',
  warn: 'warning',
  info: 'information',
  information: 'information',
  hint: 'hint',
};

/** A rule severity as people write it (`--rule id=warn`, `wslb.rules`), any case; undefined if not one. */
export function severityOfWord(word: string): Severity | 'off' | undefined {
  return Object.hasOwn(SEVERITY_WORDS, word.toLowerCase()) ? SEVERITY_WORDS[word.toLowerCase()] : undefined;
}

/** The settings' defaults (common/settings.ts): Debian 12's versions (nginx 1.22.1, HAProxy 2.6.12) and a 30 s heartbeat. */
export const DEFAULT_OPTIONS: ServiceOptions = {
  heartbeatMs: parseNginxTime(settingDefault('heartbeat'))!,
  nginxVersion: settingDefault('nginxVersion'),
  haproxyVersion: settingDefault('haproxyVersion'),
  ruleSeverity: {},
};

export function withDefaults(partial: Partial<ServiceOptions> = {}): ServiceOptions {
  return {
    ...DEFAULT_OPTIONS,
    ...partial,
    ruleSeverity: { ...DEFAULT_OPTIONS.ruleSeverity, ...(partial.ruleSeverity ?? {}) },
  };
}
