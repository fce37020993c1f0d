/**
 * The file access the model needs, kept abstract so that the CLI (disk), the language server
 * (open documents over disk) and tests (in-memory maps) share one model.
 * Paths are absolute and use "/" separators.
 */
import picomatch from 'picomatch';

export interface ConfigFileSystem {
  /**
   * The file's text, or undefined when it does not exist or cannot be read. Only regular files
   * are read: never a directory, device, FIFO or socket, nor a file of /proc, /sys or /dev.
   */
  readFile(path: string): string | undefined;
  /** Entry names in a directory, or undefined when it is not one. */
  readDir(path: string): string[] | undefined;
  /** What `path` is when it exists but readFile refuses it (a directory, a device...). */
  refusal?(path: string): NotARegularFile | undefined;
  /** The path with its symbolic links resolved, when it exists (undefined: it does not, or unknown). */
  realPath?(path: string): string | undefined;
  /**
   * The size in bytes of a file readFile would read, without reading it (undefined: it would not
   * read it). Without it the file is read to learn its size.
   */
  size?(path: string): number | undefined;
}

/** See ConfigFileSystem.size. */
export function fileSize(fs: ConfigFileSystem, path: string): number | undefined {
  return fs.size ? fs.size(path) : fs.readFile(path)?.length;
}

/** What a path that is not read as a config is: said in the finding at the include. */
export type NotARegularFile = 'directory' | 'device' | 'FIFO' | 'socket' | 'system file' | 'special file';

/** True when `path` is one of `roots` or lies under one of them (all absolute, "/"-separated). */
export function isInsideRoots(path: string, roots: readonly string[]): boolean {
  return roots.some((r) => path === r || r === '/' || path.startsWith(r.endsWith('/') ? r : r + '/'));
}

export function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  if (i <= 0) return '/';
  return p.slice(0, i);
}

export function joinPath(base: string, rel: string): string {
  if (rel.startsWith('/')) return normalizePath(rel);
  return normalizePath(`${base}/${rel}`);
}

export function normalizePath(p: string): string {
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

const GLOB_CHARS = /[*?[]/;

export function isGlob(pattern: string): boolean {
  return GLOB_CHARS.test(pattern);
}

/** The folder a glob pattern lists first: its segments before the first one with a wildcard. */
export function globBase(absPattern: string): string {
  const segments = normalizePath(absPattern).split('/').filter(Boolean);
  const i = segments.findIndex(isGlob);
  return '/' + (i < 0 ? segments : segments.slice(0, i)).join('/');
}

/**
 * Expand an include pattern the way glob(3) does for nginx's `include`: each path segment may
 * hold wildcards, hidden files match only an explicit leading dot, results are sorted; only files
 * readFile would read are kept (their size is asked, they are not read).
 * Bounded: at most `limit` results; `more` says that the pattern matched more than that (or that
 * a folder level alone listed more than `limit` names, where the listing stopped).
 */
export function expandGlob(
  fs: ConfigFileSystem,
  absPattern: string,
  limit = 10_000,
): { paths: string[]; more: boolean } {
  let more = false;
  const segments = normalizePath(absPattern).split('/').filter(Boolean);
  let current: string[] = ['/'];
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i];
    const next: string[] = [];
    if (!isGlob(seg)) {
      for (const dir of current) next.push(dir === '/' ? `/${seg}` : `${dir}/${seg}`);
    } else {
      const match = picomatch(seg, { dot: seg.startsWith('.') });
      for (const dir of current) {
        const names = fs.readDir(dir);
        if (!names) continue;
        for (const name of [...names].sort()) {
          if (next.length >= limit) {
            more = true;
            break;
          }
          if (match(name)) next.push(dir === '/' ? `/${name}` : `${dir}/${name}`);
        }
        if (more) break;
      }
    }
    current = next;
    if (current.length === 0) return { paths: [], more };
  }
  const paths: string[] = [];
  for (const p of current) {
    if (fileSize(fs, p) === undefined) continue;
    if (paths.length >= limit) return { paths, more: true };
    paths.push(p);
  }
  return { paths, more };
}

/** An in-memory file system for tests and for fragments opened in the editor. */
export class MemoryFileSystem implements ConfigFileSystem {
  private readonly files = new Map<string, string>();
  constructor(files: Record<string, string> = {}) {
    for (const [p, t] of Object.entries(files)) this.files.set(normalizePath(p), t);
  }
  set(path: string, text: string): void {
    this.files.set(normalizePath(path), text);
  }
  readFile(path: string): string | undefined {
    return this.files.get(normalizePath(path));
  }
  readDir(path: string): string[] | undefined {
    const dir = normalizePath(path);
    const prefix = dir === '/' ? '/' : dir + '/';
    const names = new Set<string>();
    for (const p of this.files.keys()) {
      if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]);
    }
    return names.size ? [...names] : undefined;
  }
}

/** Layer open (unsaved) documents over another file system. */
export class OverlayFileSystem implements ConfigFileSystem {
  constructor(
    private readonly base: ConfigFileSystem,
    private readonly overlay: (path: string) => string | undefined,
  ) {}
  readFile(path: string): string | undefined {
    return this.overlay(path) ?? this.base.readFile(path);
  }
  size(path: string): number | undefined {
    return this.overlay(path)?.length ?? fileSize(this.base, path);
  }
  readDir(path: string): string[] | undefined {
    return this.base.readDir(path);
  }
}
