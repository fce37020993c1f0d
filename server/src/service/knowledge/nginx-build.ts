/**
 * Which nginx modules a build has. Module ids are the source file names of
 * https://github.com/nginx/nginx (as recorded by scripts/gen-nginx-kb.mjs).
 *
 * Debian 12 ("bookworm") ships nginx 1.22.1. Its `nginx -V` configure flags (checked on this
 * machine) build every module nginx builds by default (auto/options: *=YES) plus
 * --with-http_ssl, stub_status, realip, auth_request, v2, dav, slice, addition, flv, gunzip,
 * gzip_static, mp4, random_index, secure_link, sub, mail_ssl, stream_ssl, stream_ssl_preread,
 * stream_realip and --with-threads, --with-debug. Stream and mail are dynamic modules that the
 * Debian package loads by default (/etc/nginx/modules-enabled/50-mod-{stream,mail}.conf).
 * geoip, image_filter, perl, xslt and stream_geoip are dynamic modules too, but they live in
 * separate packages (libnginx-mod-*) that are not installed or loaded by default: without a
 * `load_module` line nginx answers "unknown directive" for their directives, so they count as
 * "not in the build" unless the configuration loads them.
 */

/** A directive a distribution patches into its nginx (same shape as the generated command tables). */
export interface NginxBackport {
  family: 'main' | 'events' | 'http' | 'stream' | 'mail';
  name: string;
  module: string;
  since: string;
  variants: Array<{ since: string; contexts: string[]; args: string[]; block: boolean }>;
}

export interface NginxBuildProfile {
  id: string;
  description: string;
  /** Directives the distribution backported from newer nginx releases. */
  backports?: readonly NginxBackport[];
  /** Modules this build lacks. Everything else found in the sources is present. */
  missing: ReadonlyMap<string, string>;
  /** Modules the build can add with `load_module <file>` (module id -> shared object name). */
  loadable: ReadonlyMap<string, string>;
}

const PLATFORM_ONLY: Array<[string, string]> = [
  ['ngx_iocp_module', 'Windows only'],
  ['ngx_kqueue_module', 'FreeBSD/macOS only (kqueue)'],
  ['ngx_devpoll_module', 'Solaris only (/dev/poll)'],
  ['ngx_eventport_module', 'Solaris only (event ports)'],
];

export const DEBIAN_12: NginxBuildProfile = {
  id: 'debian-12',
  description: "Debian 12's nginx 1.22.1 package (stream and mail loaded)",
  missing: new Map<string, string>([
    ['ngx_http_geoip_module', 'a separate dynamic module (Debian package libnginx-mod-http-geoip), not loaded'],
    ['ngx_http_image_filter_module', 'a separate dynamic module (libnginx-mod-http-image-filter), not loaded'],
    ['ngx_http_perl_module', 'a separate dynamic module (libnginx-mod-http-perl), not loaded'],
    ['ngx_http_xslt_filter_module', 'a separate dynamic module (libnginx-mod-http-xslt-filter), not loaded'],
    ['ngx_stream_geoip_module', 'a separate dynamic module (libnginx-mod-stream-geoip), not loaded'],
    ['ngx_google_perftools_module', 'not compiled in (no --with-google_perftools_module)'],
    ['ngx_http_degradation_module', 'not compiled in (no --with-http_degradation_module)'],
    ['ngx_http_v3_module', 'not compiled in (no --with-http_v3_module)'],
    ['ngx_event_quic_bpf_module', 'not compiled in (needs --with-http_v3_module)'],
    ...PLATFORM_ONLY,
  ]),
  // 1.22.1-9+deb12u8 (bookworm-security) backports `max_headers` from upstream nginx, in a module
  // of its own (ngx_http_header_count_module), with upstream's contexts: http and server
  // (/usr/share/doc/nginx-common/changelog.Debian.gz; checked with nginx -t).
  backports: [
    {
      family: 'http',
      name: 'max_headers',
      module: 'ngx_http_header_count_module',
      since: '1.22.1',
      variants: [{ since: '1.22.1', contexts: ['HTTP_MAIN', 'HTTP_SRV'], args: ['TAKE1'], block: false }],
    },
  ],
  loadable: new Map<string, string>([
    ['ngx_http_geoip_module', 'ngx_http_geoip_module.so'],
    ['ngx_http_image_filter_module', 'ngx_http_image_filter_module.so'],
    ['ngx_http_perl_module', 'ngx_http_perl_module.so'],
    ['ngx_http_xslt_filter_module', 'ngx_http_xslt_filter_module.so'],
    ['ngx_stream_geoip_module', 'ngx_stream_geoip_module.so'],
  ]),
};

/** Every module of the open-source distribution (only platform-specific event modules are missing). */
export const FULL_BUILD: NginxBuildProfile = {
  id: 'full',
  description: 'nginx open source with every module compiled in',
  missing: new Map(PLATFORM_ONLY),
  loadable: new Map(),
};

export const NGINX_BUILDS: Record<string, NginxBuildProfile> = {
  [DEBIAN_12.id]: DEBIAN_12,
  [FULL_BUILD.id]: FULL_BUILD,
};
