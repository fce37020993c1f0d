/**
 * Where an nginx config's includes lead and what a file checked on its own stands in: the
 * configuration prefix, the files nginx packages ship, templates rendered at deploy time, and the
 * context a fragment is guessed to be included in.
 */
import type { NginxDirective, NginxFile } from '../syntax/nginx';
import { nginxCommands, nginxDirectivesForContext } from '../knowledge/nginx';
import { fact } from '../host/memo';
import { type ConfigFileSystem, dirname, fileSize, isGlob, isInsideRoots, joinPath } from './fs';
import type { NginxContextKind } from './nginx-tree';

/**
 * Files that nginx packages install beside nginx.conf: an include of one of them is taken as
 * present when the checked folder lacks it (a copied site file, a container's config folder).
 * nginx's own tarball (conf/): fastcgi.conf, fastcgi_params, koi-utf, koi-win, mime.types,
 * scgi_params, uwsgi_params, win-utf; Debian/Ubuntu's nginx-common adds proxy_params and
 * snippets/fastcgi-php.conf, snippets/snakeoil.conf.
 */
const NGINX_PACKAGE_FILES = [
  'fastcgi.conf',
  'fastcgi_params',
  'koi-utf',
  'koi-win',
  'mime.types',
  'scgi_params',
  'uwsgi_params',
  'win-utf',
  'proxy_params',
  'snippets/fastcgi-php.conf',
  'snippets/snakeoil.conf',
];

/**
 * Where nginx packages put the configuration (its `--conf-path` folder): Debian/Ubuntu and most
 * distributions, the default `./configure` prefix, FreeBSD and Homebrew.
 */
const INSTALL_PREFIXES = ['/etc/nginx/', '/usr/local/nginx/conf/', '/usr/local/etc/nginx/', '/opt/homebrew/etc/nginx/'];

/**
 * An absolute include into the installed configuration folder, read in a copy of that folder (a
 * repository's `deploy/nginx/`, a fixture): the same file of the copy, when the copy has it (a glob:
 * always, as a glob that matches nothing is no error for nginx). Undefined when it does not apply.
 */
export function inCopyOfInstallPrefix(fs: ConfigFileSystem, pattern: string, prefixDir: string): string | undefined {
  const installed = INSTALL_PREFIXES.find((p) => pattern.startsWith(p));
  if (!installed || `${prefixDir}/` === installed) return undefined;
  const copy = joinPath(prefixDir, pattern.slice(installed.length));
  if (isGlob(copy)) return copy;
  return fileSize(fs, copy) !== undefined ? copy : undefined;
}

/** Is this include (relative, or absolute under an nginx folder) one of the files packages ship? */
export function shippedWithNginx(pattern: string): boolean {
  const p = pattern.replace(/^\.\//, '');
  return NGINX_PACKAGE_FILES.some((f) => p === f || (p.startsWith('/') && p.endsWith(`/nginx/${f}`)));
}

/**
 * A file of `include` lines only, not named nginx.conf, below a folder that holds one (H5BP's
 * h5bp/basic.conf, included in its server blocks) is a snippet: its includes resolve against
 * that folder (the prefix), and it stands in the deepest block its included files need (each
 * guessed like a fragment). Null when it is not such a file or no included file tells.
 */
export function includesOnlySnippet(
  fs: ConfigFileSystem,
  path: string,
  tree: NginxFile,
  parse: (path: string, text: string) => NginxFile,
  roots: readonly string[] | undefined,
): { prefix: string; context: NginxContextKind[] } | null {
  if (/(^|\/)nginx\.conf$/.test(path)) return null;
  const includes = tree.items.filter((n): n is NginxDirective => n.type === 'directive');
  if (!includes.length || includes.some((d) => d.name !== 'include')) return null;
  const prefix = fragmentPrefix(fs, path);
  if (prefix === dirname(path)) return null;
  let best: NginxContextKind[] | null = null;
  for (const d of includes) {
    const pattern = d.args[0]?.value ?? '';
    if (!pattern || pattern.includes('$') || isGlob(pattern)) continue;
    const p = pattern.startsWith('/') ? pattern : joinPath(prefix, pattern);
    if (roots && !isInsideRoots(p, roots)) continue;
    const text = fs.readFile(p);
    const guess = text === undefined ? null : guessFragmentContext(parse(p, text));
    if (guess && (!best || guess.length > best.length)) best = guess;
  }
  return best ? { prefix, context: best } : null;
}

/**
 * The configuration prefix for a fragment checked on its own: the nearest folder, from its own up,
 * that holds an nginx.conf (a site file in /etc/nginx/sites-enabled includes `snippets/…` from
 * /etc/nginx), else the fragment's folder.
 */
export function fragmentPrefix(fs: ConfigFileSystem, path: string): string {
  for (let d = dirname(path); ;) {
    if (fs.readFile(joinPath(d, 'nginx.conf')) !== undefined) return d;
    const up = dirname(d);
    if (up === d) return dirname(path);
    d = up;
  }
}

/** What template files are named with: `listen.conf.template`, `listen.gotmpl`, `listen.conf.j2`, ... */
const TEMPLATE_EXTENSIONS = [
  'template',
  'tmpl',
  'tpl',
  'gotmpl',
  'j2',
  'jinja',
  'jinja2',
  'erb',
  'mustache',
  'ctmpl',
  'in',
];

/**
 * The template a missing include is written from at deploy time, if the checked folders hold one:
 * a file named like the include plus a template extension (`default.conf.template`, the official
 * nginx image's envsubst convention; `listen.conf.j2`), or with the include's `.conf` replaced by
 * one (`listen.gotmpl`, rendered by tempio in Frigate's image), in the include's folder or in a
 * `templates` folder there or one level up (`/etc/nginx/templates`, `…/nginx/templates`).
 */
export function generatedFromTemplate(
  fs: ConfigFileSystem,
  path: string,
  roots: readonly string[] | undefined,
): string | null {
  const dir = dirname(path);
  const base = baseName(path);
  const stem = base.replace(/\.conf$/, '');
  const dirs = [dir, joinPath(dir, 'templates'), joinPath(dirname(dir), 'templates')];
  for (const d of dirs) {
    if (roots && !isInsideRoots(d, roots)) continue;
    for (const ext of TEMPLATE_EXTENSIONS)
      for (const name of stem === base ? [`${base}.${ext}`] : [`${base}.${ext}`, `${stem}.${ext}`]) {
        const candidate = joinPath(d, name);
        if (fileSize(fs, candidate) !== undefined) return candidate;
      }
  }
  return null;
}

export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}
/**
 * A file that is not a whole nginx.conf (it has directives that cannot stand at main level) is a
 * fragment: guess where it is included from its content. Returns null for a main config.
 */
export function guessFragmentContext(tree: NginxFile): NginxContextKind[] | null {
  const names = new Set<string>();
  for (const n of tree.items) if (n.type === 'directive') names.add(n.name);
  if (names.size === 0) return null;
  const mainish = [
    'http',
    'events',
    'stream',
    'mail',
    'worker_processes',
    'user',
    'pid',
    'load_module',
    'error_log',
    'include',
    'worker_rlimit_nofile',
    'env',
    'daemon',
    'worker_shutdown_timeout',
    'pcre_jit',
    'thread_pool',
    'master_process',
    'lock_file',
    'worker_cpu_affinity',
    'worker_priority',
    'timer_resolution',
    'working_directory',
    'ssl_engine',
    'google_perftools_profiles',
    'debug_points',
    'ssl_object_cache_inheritable', // main only, since 1.27.4
  ];
  if ([...names].every((n) => mainish.includes(n))) return null;
  const locationLevel = [
    'proxy_pass',
    'root',
    'try_files',
    'return',
    'rewrite',
    'alias',
    'fastcgi_pass',
    'uwsgi_pass',
    'grpc_pass',
    'proxy_set_header',
  ];
  // `map`, `upstream`, `log_format` belong in http only: with them a top-level `location` is the
  // stray one (a template's partials), not a sign that the whole file is a server's body
  const httpOnly = names.has('map') || names.has('upstream') || names.has('log_format');
  if (!httpOnly && (names.has('location') || names.has('listen') || names.has('server_name')))
    return ['http', 'server'];
  if (names.has('server') || names.has('upstream') || names.has('map') || names.has('log_format')) {
    // stream servers have proxy_pass without a scheme and listen with port only; look inside
    for (const n of tree.items) {
      if (n.type === 'directive' && n.name === 'server' && n.block) {
        const inner = new Set(
          n.block.items.filter((c): c is NginxDirective => c.type === 'directive').map((c) => c.name),
        );
        if (inner.has('location') || inner.has('server_name')) return ['http'];
        if (inner.has('proxy_pass') && !inner.has('location')) {
          const pp = n.block.items.find((c): c is NginxDirective => c.type === 'directive' && c.name === 'proxy_pass');
          if (pp && !/^https?:\/\//.test(pp.args[0]?.value ?? '')) return ['stream'];
        }
      }
    }
    return ['http'];
  }
  if ([...names].some((n) => locationLevel.includes(n))) return ['http', 'server', 'location'];
  // Otherwise the outermost block that accepts every directive the file holds: a snippet of
  // `set` and `if` (Nginx Proxy Manager's force-ssl.conf, block-exploits.conf) is a server's
  // body, since nginx allows neither in http (ngx_http_rewrite_module: context server, location).
  for (const ctx of FRAGMENT_CONTEXTS) {
    const allowed = directivesAllowedIn(ctx);
    if ([...names].every((n) => allowed.has(n) || nginxCommands(n).length === 0)) return [...ctx];
  }
  return ['http'];
}

const FRAGMENT_CONTEXTS: readonly (readonly NginxContextKind[])[] = [
  ['http'],
  ['http', 'server'],
  ['http', 'server', 'location'],
];
/** The directives allowed in one of FRAGMENT_CONTEXTS. */
const directivesAllowedIn = fact(
  'nginx.directivesAllowedInFragment',
  (ctx: readonly NginxContextKind[]) => new Set(nginxDirectivesForContext(ctx)),
);
