/**
 * nginx's per-release directive tables (generated/nginx-commands.json) checked against the nginx
 * releases built from ../shared/src by scripts/versions.mjs (1.24 to 1.31; Debian's 1.22.1 is
 * test/knowledge/binaries.test.ts's): `nginx -t` of each knows a sample of the directives its
 * release has, in the context the table gives, and does not know a sample of those added after it;
 * and the "done when" of issue 22: a config written for nginx 1.31 is clean for 1.31 and gets one
 * precise "needs nginx X" error per newer directive for 1.22.1, which 1.31's and 1.22's binaries confirm.
 */
import { strict as assert } from 'node:assert';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commandExistsIn,
  nginxReleases,
  variantAt,
  type NginxBlockType,
  type NginxCommand,
} from '../../server/src/service/knowledge';
import commandsJson from '../../server/src/service/knowledge/generated/nginx-commands.json';
import type { JsonFinding } from '../../server/src/cli/format';
import { runCli, tmpdirWith } from '../helpers/cli';
import { binary, builtVersions, need, type VersionNeed } from '../helpers/needs';
import { seededRandom } from '../helpers/random';
import { inContext } from '../helpers/nginx-contexts';

const ALL = (commandsJson as unknown as { directives: NginxCommand[] }).directives;

/**
 * Modules nginx builds only when asked (auto/options: HTTP_*=NO, --with-*), and the flag that
 * asks. The builds of scripts/versions.json give --with-http_ssl_module --with-stream
 * --with-http_v2_module; mail is never built.
 */
const NOT_DEFAULT: Record<string, string> = {
  ngx_http_ssl_module: '--with-http_ssl_module',
  ngx_openssl_module: '--with-http_ssl_module',
  ngx_event_openssl_cache_module: '--with-http_ssl_module',
  ngx_http_v2_module: '--with-http_v2_module',
  ngx_http_v3_module: '--with-http_v3_module',
  ngx_event_quic_bpf_module: '--with-http_v3_module',
  ngx_http_realip_module: '--with-http_realip_module',
  ngx_http_addition_filter_module: '--with-http_addition_module',
  ngx_http_xslt_filter_module: '--with-http_xslt_module',
  ngx_http_image_filter_module: '--with-http_image_filter_module',
  ngx_http_geoip_module: '--with-http_geoip_module',
  ngx_http_sub_filter_module: '--with-http_sub_module',
  ngx_http_dav_module: '--with-http_dav_module',
  ngx_http_flv_module: '--with-http_flv_module',
  ngx_http_mp4_module: '--with-http_mp4_module',
  ngx_http_gunzip_filter_module: '--with-http_gunzip_module',
  ngx_http_gzip_static_module: '--with-http_gzip_static_module',
  ngx_http_auth_request_module: '--with-http_auth_request_module',
  ngx_http_random_index_module: '--with-http_random_index_module',
  ngx_http_secure_link_module: '--with-http_secure_link_module',
  ngx_http_degradation_module: '--with-http_degradation_module',
  ngx_http_slice_filter_module: '--with-http_slice_module',
  ngx_http_stub_status_module: '--with-http_stub_status_module',
  ngx_http_perl_module: '--with-http_perl_module',
  ngx_stream_ssl_module: '--with-stream_ssl_module',
  ngx_stream_realip_module: '--with-stream_realip_module',
  ngx_stream_geoip_module: '--with-stream_geoip_module',
  ngx_stream_ssl_preread_module: '--with-stream_ssl_preread_module',
  ngx_google_perftools_module: '--with-google_perftools_module',
  ngx_thread_pool_module: '--with-threads',
  ngx_mail_module: '--with-mail',
  ngx_iocp_module: 'Windows',
  ngx_kqueue_module: 'BSD',
  ngx_devpoll_module: 'Solaris',
  ngx_eventport_module: 'Solaris',
};

function built(c: NginxCommand, configure: string): boolean {
  if (c.family === 'mail' || c.family === 'any') return false;
  if (c.family === 'stream' && !configure.includes('--with-stream')) return false;
  // the stream proxy's proxy_ssl_* are compiled only with stream SSL (#if NGX_STREAM_SSL)
  if (c.family === 'stream' && c.name.includes('ssl') && !configure.includes('--with-stream_ssl_module')) return false;
  const flag = NOT_DEFAULT[c.module];
  // debug_connection and the like need --with-debug
  if (c.name.startsWith('debug_')) return configure.includes('--with-debug');
  return !flag || configure.includes(flag);
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) =>
    execFile(cmd, args, { timeout: 20000, encoding: 'utf8' }, (_e, out, err) => resolve(String(out) + String(err))),
  );
}

/** `n` items of `xs`, the same ones every run. */
function sample<T>(xs: T[], n: number, seed: number): T[] {
  const rnd = seededRandom(seed);
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, n);
}

const RELEASE_LINES = ['1.24', '1.26', '1.28', '1.30', '1.31'];

describe('knowledge: nginx directive tables against the built nginx releases', function () {
  this.timeout(300_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wslb-nv-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const line of RELEASE_LINES) {
    it(`nginx ${line}: knows the directives its release has, in their context, and not those added later`, async function () {
      const id: VersionNeed = `nginx@${line}`;
      need(this, id);
      const nginx = binary(id);
      const version = builtVersions('nginx').find((v) => v.binary === nginx)!.version;
      const configure = execFileSync(nginx, ['-V'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) || '';
      const V = spawnSync(nginx, ['-V'], { encoding: 'utf8' });
      const flags = configure + V.stderr;
      assert.match(flags, new RegExp(`nginx/${version.replace(/\./g, '\\.')}`));
      const present = ALL.filter((c) => commandExistsIn(c, version) && built(c, flags));
      const later = ALL.filter(
        (c) => !commandExistsIn(c, version) && built(c, flags) && commandExistsIn(c, nginxReleases().at(-1)!),
      );
      assert.ok(present.length > 400, `${present.length} directives`);
      const probes = [
        ...sample(present, 150, 22).map((c) => ({ c, known: true })),
        ...sample(later, 40, 23).map((c) => ({ c, known: false })),
      ];
      const failures: string[] = [];
      let next = 0;
      await Promise.all(
        [0, 1].map(async () => {
          while (next < probes.length) {
            const k = next++;
            const { c, known } = probes[k];
            const v = variantAt(c, known ? version : c.since);
            const t = (v.contexts.find((x) => x !== 'ANY') ?? 'MAIN') as NginxBlockType;
            const file = join(dir, `${line}-${k}.conf`);
            writeFileSync(
              file,
              [
                `pid ${join(dir, `${line}-${k}.pid`)};`,
                t === 'EVENT' ? '' : 'events { }',
                inContext(t, v.block ? `${c.name} {}` : `${c.name};`),
                '',
              ].join('\n'),
            );
            const out = await run(nginx, ['-t', '-q', '-c', file, '-p', dir + '/', '-e', 'stderr']);
            const unknown = out.includes(`unknown directive "${c.name}"`);
            const misplaced = out.includes(`"${c.name}" directive is not allowed here`);
            if (known && (unknown || misplaced))
              failures.push(`${c.family} ${c.name} (since ${c.since}) in ${t}: ${out.trim().split('\n')[0]}`);
            // a directive of another family with the same name (http's server_name for stream's) is "not allowed here"
            if (!known && !unknown && !misplaced)
              failures.push(
                `${c.family} ${c.name} (since ${c.since}) known to ${version}: ${out.trim().split('\n')[0] || 'accepted'}`,
              );
          }
        }),
      );
      assert.deepEqual(failures, []);
    });
  }

  /** A WebSocket proxy that uses directives of nginx 1.25 to 1.27. */
  const FOR_131 = `ssl_object_cache_inheritable on;
worker_shutdown_timeout 10s;
events {
    worker_connections 1024;
}
http {
    keepalive_min_timeout 5s;
    upstream app {
        zone app 64k;
        server 127.0.0.1:9001;
        keepalive 16;
    }
    map $http_upgrade $connection_upgrade {
        default upgrade;
        '' close;
    }
    server {
        listen 127.0.0.1:8080;
        http2 on;
        location /ws/ {
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
            proxy_pass_trailers on;
        }
    }
}
`;
  const NEW_IN_FOR_131: [number, string, string][] = [
    [1, 'ssl_object_cache_inheritable', '1.27.4'],
    [7, 'keepalive_min_timeout', '1.27.4'],
    [19, 'http2', '1.25.1'],
    [26, 'proxy_pass_trailers', '1.27.2'],
  ];

  it('done when: a config for 1.31 is clean with --nginx-version 1.31.4, and "needs nginx X" errors with 1.22.1', () => {
    const d = tmpdirWith({ 'nginx.conf': FOR_131 });
    const file = join(d, 'nginx.conf');
    const ok = runCli(['check', '--format', 'json', '--nginx-version', '1.31.4', file]);
    assert.deepEqual(JSON.parse(ok.out), []);
    assert.equal(ok.code, 0);
    const old = runCli(['check', '--format', 'json', '--nginx-version', '1.22.1', file]);
    const got = (JSON.parse(old.out) as JsonFinding[]).map((f) => [f.range.start.line + 1, f.code, f.message]);
    assert.deepEqual(
      got.map((g) => g.slice(0, 2)),
      NEW_IN_FOR_131.map(([l]) => [l, 'nginx/directive-too-new']),
    );
    NEW_IN_FOR_131.forEach(([, name, since], k) =>
      assert.equal(got[k][2], `\`${name}\` needs nginx ${since}; target is 1.22.1`),
    );
    // the file's own comment sets the version, as --nginx-version does
    writeFileSync(file, '# wslb: nginx 1.22.1\n' + FOR_131);
    const byComment = runCli(['check', '--format', 'json', file]);
    assert.equal((JSON.parse(byComment.out) as JsonFinding[]).length, NEW_IN_FOR_131.length);
    rmSync(d, { recursive: true, force: true });
  });

  it('done when, by the binaries: nginx 1.31 accepts the config, 1.22.1 refuses each directive wslb names', function () {
    need(this, 'nginx', 'nginx@1.31');
    const d = mkdtempSync(join(tmpdir(), 'wslb-nv131-'));
    mkdirSync(join(d, 'logs')); // the built nginx's default access log
    const file = join(d, 'nginx.conf');
    const pid = `pid ${join(d, 'nginx.pid')};\n`;
    writeFileSync(file, pid + FOR_131);
    const ok = spawnSync(binary('nginx@1.31'), ['-t', '-q', '-c', file, '-p', d + '/', '-e', 'stderr'], {
      encoding: 'utf8',
    });
    assert.equal(ok.status, 0, ok.stderr);
    const lines = FOR_131.split('\n');
    for (const [line, name] of NEW_IN_FOR_131) {
      // each newer directive alone (nginx stops at the first unknown one)
      const others = new Set(NEW_IN_FOR_131.map(([l]) => l).filter((l) => l !== line));
      writeFileSync(file, pid + lines.map((l, i) => (others.has(i + 1) ? '' : l)).join('\n'));
      const r = spawnSync(binary('nginx'), ['-t', '-q', '-c', file, '-p', d + '/', '-e', 'stderr'], {
        encoding: 'utf8',
      });
      assert.notEqual(r.status, 0, name);
      assert.match(r.stderr, new RegExp(`unknown directive "${name}" in ${file.replace(/[.]/g, '\\.')}:${line + 1}`));
    }
    rmSync(d, { recursive: true, force: true });
  });
});
