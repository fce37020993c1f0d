/**
 * Which nginx or HAProxy version a file is written for, where the file (or what ships beside it)
 * says so:
 *   - a comment in the file: `# wslb: haproxy 3.0`, `# wslb: nginx 1.26`;
 *   - a container image pinned beside it: `image: haproxy:1.7-alpine` in a docker-compose.yml or
 *     compose.yaml, `FROM nginx:1.25` in a Dockerfile, in the file's folder or the one above;
 *   - the file's name, for a major version only (OctoPi's `haproxy.1.x.cfg`).
 * Which one wins (effectiveVersion()): the comment, then a version the user set
 * (`--haproxy-version`, `wslb.haproxyVersion`), then the pinned image, then the name, then the
 * default. Reading siblings goes through ConfigFileSystem (the service does no I/O of its own).
 */
import type { ConfigFileSystem } from './model/fs';

export type Product = 'nginx' | 'haproxy';

export interface DetectedVersion {
  version: string;
  /** Where it was read, for messages: "a `# wslb: haproxy 3.0` comment", "docker-compose.yml (image: haproxy:1.7-alpine)". */
  from: string;
  kind: 'comment' | 'image' | 'name';
  /** Offset of the comment in the file (kind 'comment'). */
  at?: number;
}

const COMMENT = /^[ \t]*#[ \t]*wslb:[ \t]*(nginx|haproxy)[ \t]+v?(\d+\.(?:\d+|x)(?:\.\d+)?)\b/gim;

/** The `# wslb: <product> <version>` comment of a file (the first one), if any. */
export function versionFromComment(text: string, product: Product): DetectedVersion | undefined {
  if (!/wslb:/i.test(text)) return undefined; // (the usual case, found faster than by COMMENT)
  for (const m of text.matchAll(COMMENT)) {
    if (m[1].toLowerCase() !== product) continue;
    return {
      version: m[2],
      from: `a \`# wslb: ${product} ${m[2]}\` comment`,
      kind: 'comment',
      at: m.index + m[0].indexOf('#'),
    };
  }
  return undefined;
}

/** Image repositories (last path segment) that ship a product, e.g. haproxytech/haproxy-alpine, nginxinc/nginx-unprivileged. */
const IMAGES: Record<Product, RegExp> = {
  haproxy: /^haproxy(?:-alpine|-debian|-ubuntu)?$/,
  nginx: /^nginx(?:-unprivileged)?$/,
};

/** `repo[:tag]` → the version in its tag ("1.7-alpine" → "1.7"), when the repo ships `product`. */
function imageVersion(image: string, product: Product): string | undefined {
  const m = /^(?:[\w.-]+(?::\d+)?\/)*([\w.-]+):v?(\d+\.\d+(?:\.\d+)?)(?:[-_.][\w.-]*)?(?:@\S+)?$/.exec(image.trim());
  return m && IMAGES[product].test(m[1]) ? m[2] : undefined;
}

const COMPOSE_NAMES = ['docker-compose.yml', 'docker-compose.yaml', 'compose.yml', 'compose.yaml'];
const DOCKERFILE = /^(Dockerfile|Containerfile)(\..+)?$/;

/** The versions of `product` pinned by the images of one compose file or Dockerfile's text. */
export function pinnedVersions(name: string, text: string, product: Product): string[] {
  const out: string[] = [];
  const re = DOCKERFILE.test(name)
    ? /^[ \t]*FROM[ \t]+(?:--\S+[ \t]+)*([^\s]+)/gim
    : /^[ \t-]*image:[ \t]*["']?([^\s"'#]+)/gim;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const v = imageVersion(m[1], product);
    if (v && !out.includes(v)) out.push(v);
  }
  return out;
}

const dirOf = (p: string) => p.replace(/[\\/][^\\/]*$/, '') || '/';
const baseOf = (p: string) => p.replace(/^.*[\\/]/, '');

/**
 * The version pinned by a container image beside `path` (its folder, then the one above): one
 * version, when the files there pin exactly one.
 */
export function versionFromImages(fs: ConfigFileSystem, path: string, product: Product): DetectedVersion | undefined {
  let dir = dirOf(path);
  for (let level = 0; level < 2; level++) {
    const names = fs.readDir(dir) ?? [];
    const found = new Map<string, string>(); // version -> where
    for (const n of names) {
      if (!COMPOSE_NAMES.includes(n) && !DOCKERFILE.test(n)) continue;
      const text = fs.readFile(`${dir}/${n}`);
      if (text === undefined || text.length > 1 << 20) continue;
      for (const v of pinnedVersions(n, text, product)) if (!found.has(v)) found.set(v, n);
    }
    if (found.size === 1) {
      const [[version, file]] = [...found];
      return {
        version,
        from: `${file}${level ? ' in the folder above' : ''} pins the image ${product}:${version}`,
        kind: 'image',
      };
    }
    if (found.size > 1) return undefined; // several versions pinned: no single answer
    const up = dirOf(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** A major version in the file's name: `haproxy.1.x.cfg`, `haproxy-1.x.cfg` (OctoPi ships one per major). */
export function versionFromName(path: string, product: Product): DetectedVersion | undefined {
  // Only HAProxy 1.x says something: every nginx is 1.x, and HAProxy 2.x spans versions wslb checks differently.
  if (product !== 'haproxy') return undefined;
  const m = /^haproxy[._-](1)\.x\b/i.exec(baseOf(path));
  return m ? { version: `${m[1]}.x`, from: `its name is ${baseOf(path)}`, kind: 'name' } : undefined;
}

/** What a file found about its version from outside its text (its siblings and name). */
export function versionHintFor(fs: ConfigFileSystem, path: string, product: Product): DetectedVersion | undefined {
  return versionFromImages(fs, path, product) ?? versionFromName(path, product);
}

export interface EffectiveVersion {
  version: string;
  /** Undefined for the configured (or default) version. */
  detected?: DetectedVersion;
}

/**
 * The version a file is checked for: its comment, else the version the user set, else what
 * its siblings or name say (`hint`), else the configured default.
 */
export function effectiveVersion(
  text: string,
  product: Product,
  configured: string,
  configuredSet: boolean,
  hint: DetectedVersion | undefined,
): EffectiveVersion {
  const c = versionFromComment(text, product);
  if (c) return { version: c.version, detected: c };
  if (configuredSet || !hint) return { version: configured };
  return { version: hint.version, detected: hint };
}
