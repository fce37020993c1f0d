/**
 * The language server's project: the analysis host (service/host/analysis-host.ts) over the
 * workspace as the server sees it — open documents over the disk, the client's settings (the
 * window's and each workspace folder's) made into service options.
 */
import * as nodeFs from 'node:fs';
import { pathToFileURL } from 'node:url';
import { AnalysisHost } from '../service/host/analysis-host';
import type { ConfigFileSystem, NotARegularFile } from '../service/model/fs';
import { readRegularFile, regularFileSize } from '../node/nodefs';
import { parseNginxTime } from '../service/model/units';
import { severityOfWord, type ServiceOptions } from '../service/options';
import type { Severity } from '../service/types';
import type { TextEditRecord } from '../service/host/edits';
import { PathMapper } from './convert';
import { DEFAULT_SETTINGS, MAX_ANALYZED_CHARS, type WslbSettings } from './protocol';
import { CODE_LENS_MODES } from '../../../common/settings';

export type { RootAnalysis } from '../service/host/analysis-host';
export { applyEditRecords, type EditLog, type TextEditRecord } from '../service/host/edits';

export interface OpenDoc {
  uri: string;
  path: string;
  text: string;
  version: number;
  languageId: string;
}

export function settingsToOptions(s: WslbSettings): Partial<ServiceOptions> {
  const ruleSeverity: Record<string, Severity | 'off'> = {};
  for (const [id, v] of Object.entries(s.rules ?? {})) {
    const sev = typeof v === 'string' ? severityOfWord(v) : undefined;
    if (sev) ruleSeverity[id] = sev;
  }
  const hb = typeof s.heartbeat === 'string' ? parseNginxTime(s.heartbeat) : undefined;
  const defaultHb = parseNginxTime(DEFAULT_SETTINGS.heartbeat)!;
  // A version setting counts when it is a version; only one other than the default is the user's choice.
  const version = (key: 'nginxVersion' | 'haproxyVersion') => {
    const ok = /^\d+\.\d+(\.\d+)?$/.test(s[key]);
    return { value: ok ? s[key] : DEFAULT_SETTINGS[key], set: ok && s[key] !== DEFAULT_SETTINGS[key] };
  };
  const nginx = version('nginxVersion');
  const haproxy = version('haproxyVersion');
  return {
    heartbeatMs: hb && hb > 0 ? hb : defaultHb,
    // The setting always has a value; only one other than the default counts as the user's choice.
    heartbeatSet: !!hb && hb > 0 && hb !== defaultHb,
    nginxVersion: nginx.value,
    nginxVersionSet: nginx.set,
    haproxyVersion: haproxy.value,
    haproxyVersionSet: haproxy.set,
    ruleSeverity,
  };
}

/** Merge whatever a client sent with the defaults; wrong types fall back to defaults. */
export function normalizeSettings(raw: unknown): WslbSettings {
  const r = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const str = (v: unknown, d: string) => (typeof v === 'string' && v.trim() ? v.trim() : d);
  const trace = (r.trace && typeof r.trace === 'object' ? (r.trace as Record<string, unknown>).server : undefined) as
    string | undefined;
  return {
    heartbeat: str(r.heartbeat, DEFAULT_SETTINGS.heartbeat),
    nginxVersion: str(r.nginxVersion, DEFAULT_SETTINGS.nginxVersion),
    haproxyVersion: str(r.haproxyVersion, DEFAULT_SETTINGS.haproxyVersion),
    rules: r.rules && typeof r.rules === 'object' ? (r.rules as Record<string, string>) : {},
    checkWorkspace: typeof r.checkWorkspace === 'boolean' ? r.checkWorkspace : DEFAULT_SETTINGS.checkWorkspace,
    debounceMs:
      typeof r.debounceMs === 'number' && r.debounceMs >= 0 && r.debounceMs <= 10_000
        ? r.debounceMs
        : DEFAULT_SETTINGS.debounceMs,
    followOutsideIncludes:
      typeof r.followOutsideIncludes === 'boolean' ? r.followOutsideIncludes : DEFAULT_SETTINGS.followOutsideIncludes,
    codeLens: CODE_LENS_MODES.find((m) => m === r.codeLens) ?? DEFAULT_SETTINGS.codeLens,
    trace: { server: trace === 'messages' || trace === 'verbose' ? trace : 'off' },
  };
}

interface DiskEntry {
  mtimeMs: number;
  size: number;
  text: string | undefined;
}

/** Open documents over the disk, with the disk's reads kept while the file is unchanged. */
class DiskFiles {
  private readonly disk = new Map<string, DiskEntry>();

  constructor(
    private readonly paths: PathMapper,
    private readonly openDoc: (path: string) => OpenDoc | undefined,
  ) {}

  /** Open documents over the disk. Files above the size limit read as absent. */
  readonly fs: ConfigFileSystem = {
    readFile: (path) => {
      const open = this.openDoc(path);
      if (open) return open.text;
      return this.readDisk(path);
    },
    refusal: (path) => this.refusalOf(path),
    realPath: (path) => this.realPathOf(path),
    size: (path) => {
      const open = this.openDoc(path);
      if (open) return open.text.length;
      const os = this.paths.diskPath(path);
      return os ? regularFileSize(os, MAX_ANALYZED_CHARS) : undefined;
    },
    readDir: (path) => {
      const os = this.paths.diskPath(path);
      if (!os) return undefined;
      try {
        return nodeFs.readdirSync(os);
      } catch {
        return undefined;
      }
    },
  };

  readDisk(path: string): string | undefined {
    const os = this.paths.diskPath(path);
    if (!os) return undefined;
    try {
      const st = nodeFs.statSync(os);
      const hit = this.disk.get(path);
      if (hit && st.isFile() && hit.mtimeMs === st.mtimeMs && hit.size === st.size) return hit.text;
    } catch {
      this.disk.delete(path);
      return undefined;
    }
    // Regular files only (not /proc, /dev, FIFOs, directories), opened without blocking.
    const r = readRegularFile(os, MAX_ANALYZED_CHARS);
    if ('text' in r) {
      this.disk.set(path, { mtimeMs: r.mtimeMs, size: r.size, text: r.text });
      return r.text;
    }
    this.disk.delete(path);
    return undefined;
  }

  /** What a path is when it exists on disk but is not read (a directory, a device...). */
  refusalOf(path: string): NotARegularFile | undefined {
    if (this.openDoc(path)) return undefined;
    const os = this.paths.diskPath(path);
    if (!os) return undefined;
    const r = readRegularFile(os, 0);
    return 'refused' in r ? r.refused : undefined;
  }

  realPathOf(path: string): string | undefined {
    const os = this.paths.diskPath(path);
    if (!os) return undefined;
    try {
      return this.paths.toPath(pathToFileURL(nodeFs.realpathSync(os)).href);
    } catch {
      return undefined;
    }
  }

  forgetDisk(path: string): void {
    this.disk.delete(path);
  }

  /** Drop the reads of paths `keep` says no one needs. */
  prune(keep: (path: string) => boolean): void {
    for (const p of [...this.disk.keys()]) if (!keep(p)) this.disk.delete(p);
  }
}

type FolderVersions = Pick<WslbSettings, 'nginxVersion' | 'haproxyVersion'>;

export class Project extends AnalysisHost {
  readonly paths: PathMapper;
  settings: WslbSettings = DEFAULT_SETTINGS;
  private readonly files: DiskFiles;
  /**
   * The nginx/HAProxy versions each workspace folder's own settings give (`wslb.nginxVersion` and
   * `wslb.haproxyVersion` are resource-scoped: a folder of a multi-root workspace may set its own).
   * Keyed by the folder's model path; a folder missing here uses `settings`.
   */
  private readonly folderVersions = new Map<string, FolderVersions>();

  constructor(openDoc: (path: string) => OpenDoc | undefined) {
    const paths = new PathMapper();
    const files = new DiskFiles(paths, openDoc);
    super({ fs: files.fs, openDoc, maxChars: MAX_ANALYZED_CHARS, options: settingsToOptions(DEFAULT_SETTINGS) });
    this.paths = paths;
    this.files = files;
    this.followOutsideIncludes = DEFAULT_SETTINGS.followOutsideIncludes;
  }

  setSettings(s: WslbSettings): void {
    this.settings = s;
    this.followOutsideIncludes = s.followOutsideIncludes;
    this.setOptions(settingsToOptions(s));
    this.applyFolderVersions();
  }

  /** Replace the per-folder versions (read from each folder's settings); undefined drops them all. */
  setFolderVersions(versions: ReadonlyMap<string, FolderVersions> | undefined): void {
    this.folderVersions.clear();
    for (const [folder, v] of versions ?? []) this.folderVersions.set(folder, v);
    this.applyFolderVersions();
  }

  /** The folders' options: a folder whose versions are the window's checks with the window's. */
  private applyFolderVersions(): void {
    const s = this.settings;
    const options = new Map<string, Partial<ServiceOptions> | undefined>();
    for (const [folder, v] of this.folderVersions)
      options.set(
        folder,
        v.nginxVersion === s.nginxVersion && v.haproxyVersion === s.haproxyVersion
          ? undefined
          : settingsToOptions({ ...s, ...v }),
      );
    this.setFolderOptions(options.size ? options : undefined);
  }

  readDisk(path: string): string | undefined {
    return this.files.readDisk(path);
  }

  /** What a path is when it exists on disk but is not read (a directory, a device...). */
  refusalOf(path: string): NotARegularFile | undefined {
    return this.files.refusalOf(path);
  }

  realPathOf(path: string): string | undefined {
    return this.files.realPathOf(path);
  }

  forgetDisk(path: string): void {
    this.files.forgetDisk(path);
  }

  /**
   * Record edits of an open document (the server calls this from didChange, before the text
   * changes): see service/host/edits.ts.
   */
  noteEdits(path: string, before: string, edits: readonly TextEditRecord[], after?: string): void {
    this.edits.note(path, before, edits, after);
  }

  /** Forget the edit log of a document (closed, or its text replaced behind our back). */
  forgetEdits(path: string): void {
    this.edits.forget(path);
  }

  /** The edits that turn `from` into `to`, when known (see EditLogs.take). */
  takeEdits(path: string, from: string, to: string): TextEditRecord[] | undefined {
    return this.edits.take(path, from, to);
  }

  /** Forget what no open document and no analysis needs any more, disk reads included. */
  override prune(): void {
    super.prune();
    this.files.prune((p) => this.isNeeded(p));
  }
}
