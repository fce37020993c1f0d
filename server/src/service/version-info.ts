/**
 * The version a file is checked for and where it comes from, as the editor's status bar shows it
 * (the LSP request wslb/version), and the versions a picker offers.
 */
import { haproxyTables, haproxyTarget } from './knowledge/haproxy-tables';
import { nginxReleases, nginxTarget } from './knowledge/nginx';
import { compareVersions } from './knowledge/versions';
import { effectiveVersion, type DetectedVersion, type Product } from './version-detect';

export type VersionSource = 'comment' | 'setting' | 'image' | 'name' | 'default';

export interface VersionInfo {
  product: Product;
  /** The version the file is checked for ("3.0", "1.26.3"). */
  version: string;
  source: VersionSource;
  /** Where it comes from, in words: "a `# wslb: haproxy 3.0` comment", "the setting wslb.haproxyVersion". */
  from: string;
  /** Said about the version: the table it is checked against when not its own, or why it is not checked. */
  note?: string;
  /** The versions worth offering, oldest first: HAProxy's keyword tables, nginx's newest release of each line. */
  known: string[];
}

/** The oldest nginx line offered (releases before it are still accepted when typed). */
export const NGINX_OFFERED_FROM = '1.18';

/** The newest release of each nginx line ("1.24.0", "1.26.3", ...) from NGINX_OFFERED_FROM on. */
export function offeredNginxVersions(): string[] {
  const newest = new Map<string, string>();
  for (const r of nginxReleases()) {
    const line = r.split('.').slice(0, 2).join('.');
    if (compareVersions(line, NGINX_OFFERED_FROM) < 0) continue;
    const had = newest.get(line);
    if (!had || compareVersions(r, had) > 0) newest.set(line, r);
  }
  return [...newest.values()].sort(compareVersions);
}

/**
 * The version a file whose (root) text is `text` is checked for: as analyzeHaproxy() and
 * analyzeNginx() pick it (version-detect.ts effectiveVersion(); an nginx version that has no table
 * is not used), and where it comes from.
 */
export function versionInfo(
  product: Product,
  text: string,
  configured: string,
  configuredSet: boolean,
  hint: DetectedVersion | undefined,
): VersionInfo {
  const known = product === 'haproxy' ? haproxyTables().map((t) => t.version) : offeredNginxVersions();
  const setting = product === 'haproxy' ? 'wslb.haproxyVersion' : 'wslb.nginxVersion';
  let v = effectiveVersion(text, product, configured, configuredSet, hint);
  if (product === 'nginx' && v.detected && !nginxTarget(v.version).ok) v = { version: configured };
  const source: VersionSource = v.detected ? v.detected.kind : configuredSet ? 'setting' : 'default';
  const from = v.detected
    ? v.detected.from
    : configuredSet
      ? `the setting ${setting}`
      : `the default of ${setting} (not set)`;
  const t = product === 'haproxy' ? haproxyTarget(v.version) : nginxTarget(v.version);
  const note = t.ok ? t.note : t.message;
  return { product, version: v.version, source, from, ...(note ? { note } : {}), known };
}
