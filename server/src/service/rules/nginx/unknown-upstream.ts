import { clipWord } from '../../words';
import {
  namedIn,
  contextsOfKind,
  parseProxyTarget,
  type NginxConfig,
  type NginxFamily,
  configSeenWhole,
  nginxFootprintKept,
} from '../../model/nginx';
import type { NginxRule } from '../rule';
import { editDistance } from '../../knowledge/suggest';
import { statementsIn } from '../../model/nginx-units';
import { fact, keepAcross } from '../../host/memo';
import { firstNames } from '../name-list';

/** Directives that take an upstream name or address, by family. */
const PASSES: ReadonlyMap<string, { family: NginxFamily; scheme: boolean }> = new Map([
  ['proxy_pass', { family: 'http', scheme: true }],
  ['grpc_pass', { family: 'http', scheme: false }],
]);

/** The upstream names of each family, in order and as a set (once per config; an edit inside a server block keeps them). */
const upstreamNames = fact(
  'nginx.upstreamNames',
  (config: NginxConfig) => {
    const out = new Map<NginxFamily, { list: string[]; set: Set<string> }>();
    for (const u of contextsOfKind(config, 'upstream')) {
      const name = u.statement?.args[0];
      if (!name) continue;
      const names = out.get(u.family);
      if (names) {
        names.list.push(name);
        names.set.add(name);
      } else out.set(u.family, { list: [name], set: new Set([name]) });
    }
    return out;
  },
  keepAcross(nginxFootprintKept),
);

export const unknownUpstream: NginxRule = {
  meta: {
    id: 'nginx/unknown-upstream',
    system: 'nginx',
    severity: 'error',
    versions: 'all nginx versions',
    fixable: false,
    scope: 'server',
    docs: {
      short:
        '`proxy_pass http://name` where `name` is no upstream of this config: nginx looks it up as a host name at startup and refuses to start when it does not resolve.',
      section: 'Production config: nginx + AWS ALB',
      references: [
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_pass',
        'https://nginx.org/en/docs/http/ngx_http_upstream_module.html#upstream',
      ],
      proof:
        'nginx 1.22.1 `nginx -t` on the fixture: `[emerg] host not found in upstream "…"` (docs/live-findings.md, test/rules/nginx-binary.test.ts).',
    },
  },
  check({ config, report, scope }) {
    if (config.assumedContext) return; // the upstream may be defined in the file that includes this one
    if (!configSeenWhole(config)) return;
    const walk = statementsIn(config, scope);
    // (the proxy_pass lines alone, in order, unless grpc_pass lines must be taken in between)
    const statements = namedIn(walk, 'grpc_pass').length ? walk : namedIn(walk, 'proxy_pass');
    for (let si = 0; si < statements.length; si++) {
      const s = statements[si];
      const pass = PASSES.get(s.name);
      if (!pass || s.context.family !== pass.family) continue;
      const raw = s.args[0] ?? '';
      if (raw.includes('$') || raw.startsWith('unix:')) continue;
      const t = parseProxyTarget(pass.scheme ? raw : /^[a-z]+:\/\//i.test(raw) ? raw : `grpc://${raw}`);
      if (pass.scheme && !t.scheme) continue;
      const host = t.host;
      if (
        !host ||
        t.port !== null ||
        host.includes('.') ||
        host.startsWith('[') ||
        host.toLowerCase() === 'localhost' ||
        /^\d+$/.test(host)
      )
        continue;
      const upstreams = upstreamNames(config).get(pass.family);
      if (upstreams?.set.has(host)) continue;
      const names = upstreams?.list ?? [];
      // A template with no upstream to mistype: it is rendered where it is deployed (a container's
      // entrypoint: tempio, envsubst, docker-gen), whose network names (`supervisor`, `app`) it uses.
      if (names.length === 0 && s.source.template) continue;
      const near = names
        .map((n) => ({ n, d: editDistance(n.toLowerCase(), host.toLowerCase()) }))
        .filter((x) => x.d <= 2)
        .sort((a, b) => a.d - b.d)[0];
      const arg = s.directive.args[0];
      const offset = arg.raw.indexOf(host);
      const span =
        offset >= 0
          ? { start: arg.start + offset, end: arg.start + offset + host.length }
          : { start: arg.start, end: arg.end };
      const known = names.length ? ` (upstreams here: ${firstNames(names, 5, (n) => clipWord(n))})` : '';
      report({
        path: s.source.path,
        span,
        severity: names.length ? 'error' : 'warning',
        message: `"${clipWord(host)}" is no upstream here${near ? ` (did you mean "${clipWord(near.n)}"?)` : known}: nginx refuses to start unless it resolves as a host`,
        related: [
          {
            path: s.source.path,
            span,
            message: `nginx -t fails if it does not resolve (host not found in upstream "${clipWord(host)}")`,
          },
        ],
        fixes: () =>
          near
            ? [{ title: `Use upstream ${clipWord(near.n)}`, edits: [{ path: s.source.path, span, newText: near.n }] }]
            : [],
      });
    }
  },
};
