/** The model's file access on a real disk. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConfigFileSystem, NotARegularFile } from '../service/model/fs';

const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * Kernel file systems: their "files" are generated on reading (a process's environment, kernel
 * memory, devices) and stat says nothing true about them (/proc files report 0 bytes).
 */
const SYSTEM_DIRS = ['/proc', '/sys', '/dev'];

/** What a path is when it is not a regular file wslb may read. */
export function refusalOf(st: fs.Stats, real: string): NotARegularFile | undefined {
  if (SYSTEM_DIRS.some((d) => real === d || real.startsWith(d + '/'))) return 'system file';
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'directory';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'device';
  if (st.isFIFO()) return 'FIFO';
  if (st.isSocket()) return 'socket';
  return 'special file';
}

/**
 * The size of the regular file at `p` (see refusalOf), read from stat alone; undefined when it is
 * missing, no regular file, or larger than `maxBytes`.
 */
export function regularFileSize(p: string, maxBytes = MAX_FILE_BYTES): number | undefined {
  try {
    const real = fs.realpathSync(p);
    const st = fs.statSync(real);
    return refusalOf(st, real) || st.size > maxBytes ? undefined : st.size;
  } catch {
    return undefined;
  }
}

export type DiskRead =
  | { text: string; mtimeMs: number; size: number }
  | { refused: NotARegularFile }
  | { missing: true; tooLarge?: boolean };

/**
 * Read a config from disk: a regular file only (see refusalOf), at most `maxBytes`. The file is
 * opened without blocking and checked again through its descriptor, so a path swapped for a FIFO
 * between the two looks cannot hang the read; no more bytes are read than stat reported.
 */
export function readRegularFile(p: string, maxBytes = MAX_FILE_BYTES): DiskRead {
  let real: string;
  let st: fs.Stats;
  try {
    real = fs.realpathSync(p);
    st = fs.statSync(real);
  } catch {
    return { missing: true };
  }
  const refused = refusalOf(st, real);
  if (refused) return { refused };
  if (st.size > maxBytes) return { missing: true, tooLarge: true };
  let fd: number | undefined;
  try {
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const fst = fs.fstatSync(fd);
    const again = refusalOf(fst, real);
    if (again) return { refused: again };
    const size = Math.min(fst.size, maxBytes);
    const buf = Buffer.alloc(size);
    let got = 0;
    while (got < size) {
      const n = fs.readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return { text: buf.toString('utf8', 0, got), mtimeMs: fst.mtimeMs, size: fst.size };
  } catch {
    return { missing: true };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

export class NodeFileSystem implements ConfigFileSystem {
  private readonly cache = new Map<string, DiskRead>();
  private read(p: string): DiskRead {
    let r = this.cache.get(p);
    if (!r) this.cache.set(p, (r = readRegularFile(p)));
    return r;
  }
  /** Drop what was read of these files (after --fix wrote them). */
  forget(paths: readonly string[]): void {
    for (const p of paths) this.cache.delete(p);
  }
  readFile(p: string): string | undefined {
    const r = this.read(p);
    return 'text' in r ? r.text : undefined;
  }
  refusal(p: string): NotARegularFile | undefined {
    const r = this.read(p);
    return 'refused' in r ? r.refused : undefined;
  }
  size(p: string): number | undefined {
    const hit = this.cache.get(p);
    if (hit) return 'text' in hit ? hit.size : undefined;
    return regularFileSize(p);
  }
  realPath(p: string): string | undefined {
    try {
      return toModelPath(fs.realpathSync(p));
    } catch {
      return undefined;
    }
  }
  readDir(p: string): string[] | undefined {
    try {
      return fs.readdirSync(p);
    } catch {
      return undefined;
    }
  }
}

/** Absolute, "/"-separated. */
export function toModelPath(p: string): string {
  return path.resolve(p).split(path.sep).join('/');
}

/** nginx/HAProxy names, and Terraform/CloudFormation (analysed only when they declare ALB/NLB resources). */
const CANDIDATE = /\.(conf|cfg|nginx|haproxy|vhost|inc|tf|ya?ml|json|template)$|^(nginx\.conf|haproxy\.cfg)$/i;

/** A path the walk did not read, and why (said on stderr; exit 2 when the user named it). */
export interface Skipped {
  path: string;
  why: string;
  explicit: boolean;
}

/** Why a file or folder cannot be opened, in words (from the error of the failed call). */
export function whyUnreadable(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  if (code === 'ENOENT') return 'no such file or folder';
  return code ?? String(e);
}

/** Files under the given paths that could be configs (content decides later). Bounded. */
export function collectFiles(
  inputs: string[],
  limit = 20_000,
): { files: string[]; missing: string[]; skipped: Skipped[] } {
  const files: string[] = [];
  const missing: string[] = [];
  const skipped: Skipped[] = [];
  const seen = new Set<string>();
  let full = false;
  const walk = (p: string, explicit: boolean, depth: number) => {
    if (files.length >= limit) {
      if (!full) skipped.push({ path: p, why: `more than ${limit} files: this and the rest were not read`, explicit });
      full = true;
      return;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      if (explicit && (e as NodeJS.ErrnoException).code === 'ENOENT') missing.push(p);
      else if (explicit) skipped.push({ path: p, why: whyUnreadable(e), explicit });
      return;
    }
    // Each file or folder once, by where its symbolic links lead: a link to "." or to an
    // enclosing folder would otherwise be walked again at every level.
    let real: string;
    try {
      real = fs.realpathSync(p);
    } catch (e) {
      if (explicit) skipped.push({ path: p, why: whyUnreadable(e), explicit });
      return;
    }
    if (seen.has(real)) return;
    seen.add(real);
    const shown = toModelPath(p);
    const base = path.basename(p);
    if (st.isDirectory()) {
      if (!explicit && (base === 'node_modules' || base.startsWith('.'))) return;
      if (depth >= 24) {
        skipped.push({ path: p, why: 'nested more than 24 folders deep: not walked', explicit });
        return;
      }
      let names: string[];
      try {
        names = fs.readdirSync(p).sort();
      } catch (e) {
        skipped.push({ path: p, why: `cannot list the folder: ${whyUnreadable(e)}`, explicit });
        return;
      }
      for (const n of names) walk(path.join(p, n), false, depth + 1);
      return;
    }
    const inSites = /sites-(available|enabled)$/.test(path.basename(path.dirname(p)));
    if (!explicit && !CANDIDATE.test(base) && !inSites) return;
    const refused = refusalOf(st, real);
    if (refused) skipped.push({ path: p, why: `a ${refused}, not a config file`, explicit });
    else files.push(shown);
  };
  for (const i of inputs) walk(i, true, 0);
  return { files, missing, skipped };
}
