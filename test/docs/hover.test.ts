/** doHover, called directly on analysed configs: representative cases of issue 6. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ruleById } from '../../server/src/service/rules';
import { longDocs } from '../../server/src/service/rules/long-docs';
import { createLanguageService } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { LineIndex } from '../../server/src/service/text';
import { withDefaults } from '../../server/src/service/options';
import { doHover, explainLink, firstSentences, HOVER_BUDGET } from '../../server/src/service/features/hover';
import { wsNote } from '../../server/src/service/docs/ws-notes';
import { at, hoverHaproxy, hoverNginx } from './util';

const NGINX = '/etc/nginx/nginx.conf';
const CONF = `worker_processes 2;
events { worker_connections 1024; }
http {
    proxy_read_timeout 3600s;
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }
    upstream chat {
        least_conn;
        server 10.0.0.1:8080 weight=3 max_fails=2;
        server 10.0.0.2:8080 backup;
    }
    server {
        listen 80;
        # hovering here says nothing about proxy_pass
        location /ws {
            proxy_pass http://chat;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_send_timeout 1h;
        }
        location /api {
            proxy_pass http://10.0.0.9:9000;
            proxy_read_timeout 60s;
        }
    }
}
`;
const files = { [NGINX]: CONF };

function md(r: ReturnType<typeof hoverNginx>): string {
  assert.ok(r, 'expected a hover');
  return r.markdown;
}

describe('hover: nginx', () => {
  it('shows the effective value inherited from http, with its line, on proxy_pass', () => {
    const m = md(hoverNginx(files, NGINX, NGINX, at(CONF, 'proxy_pass http://chat', 3)));
    assert.match(m, /`proxy_read_timeout` `3600s` — inherited from `http` at line 4/);
    assert.match(m, /`proxy_http_version` `1\.1` — set here \(line 19\)/);
    assert.match(m, /`proxy_buffering` `on` — nginx 1\.22\.1's default/);
    assert.match(m, /`Connection` header: `\$connection_upgrade` — set here \(line 21\)/);
    assert.match(m, /\*\*`proxy_pass`\*\* — ngx_http_proxy_module/);
    assert.match(m, /From the guide \*Load balancing WebSocket\*, section “L4 vs L7 for WebSocket”/);
    assert.doesNotMatch(m, /Source: /, 'citations speak to the user, not of "source material"');
    // The contexts read as a list of words, each once ("http, server, location"; never "http server").
    const ctx = /context: ([^\n]*)/.exec(m)?.[1] ?? '';
    assert.equal(ctx, 'location, if in location, limit_except', m);
  });

  it('lists a directive\'s contexts one by one (the knowledge base writes "http server location")', () => {
    const conf = `events {}\nhttp {\n    proxy_read_timeout 3600s;\n    server {\n        listen 80;\n        location / { proxy_pass http://x; }\n    }\n}\n`;
    const m = md(hoverNginx({ [NGINX]: conf }, NGINX, NGINX, at(conf, 'proxy_read_timeout', 3)));
    const ctx = /context: ([^\n]*)/.exec(m)?.[1] ?? '';
    assert.equal(ctx, 'http, server, location', m);
  });

  it('the default depends on the target version (proxy_http_version 1.0 in 1.22.1, 1.1 in 1.29.7)', () => {
    const off = at(CONF, 'proxy_http_version', 2);
    const old = md(hoverNginx(files, NGINX, NGINX, off, { nginxVersion: '1.22.1' }));
    assert.match(old, /default \(nginx 1\.22\.1\): `proxy_http_version 1\.0;`/);
    assert.match(old, /It overrides `1\.0` \(nginx 1\.22\.1's default\)/);
    const neu = md(hoverNginx(files, NGINX, NGINX, off, { nginxVersion: '1.29.7' }));
    assert.match(neu, /default \(nginx 1\.29\.7\): `proxy_http_version 1\.1;`/);
    assert.ok(old.includes(firstSentences(wsNote('nginx', 'proxy_http_version')!.text)));
  });

  it('compares a timeout with the heartbeat', () => {
    const api = at(CONF, 'proxy_read_timeout 60s', 2);
    assert.match(md(hoverNginx(files, NGINX, NGINX, api)), /60 s leaves one missed 30 s ping of margin/);
    assert.match(
      md(hoverNginx(files, NGINX, NGINX, api, { heartbeatMs: 60_000 })),
      /Against the 60 s heartbeat \(the generic default: [^)]*\): at or below it: idle WebSockets are cut/,
    );
    assert.match(md(hoverNginx(files, NGINX, NGINX, api)), /It overrides `3600s` \(from `http` at line 4\)/);
  });

  it('summarises an upstream with its servers and a Simulate balancing command link', () => {
    for (const off of [at(CONF, 'http://chat', 8), at(CONF, 'upstream chat', 10)]) {
      const m = md(hoverNginx(files, NGINX, NGINX, off));
      assert.match(m, /\*\*upstream `chat`\*\* — line 9/);
      assert.match(m, /\*\*Algorithm:\*\* `least_conn` · no `zone`/);
      assert.match(m, /\| `10\.0\.0\.1:8080` \| 3 \| max_fails=2 \|/);
      assert.match(m, /\| `10\.0\.0\.2:8080` \| 1 \| backup \|/);
      const link = /\[Simulate balancing\]\(command:wslb\.simulate\?([^)]+)\)/.exec(m);
      assert.ok(link, 'simulate link missing');
      assert.deepEqual(JSON.parse(decodeURIComponent(link[1])), [
        { uri: 'file:///etc/nginx/nginx.conf', pool: 'chat' },
      ]);
    }
  });

  it('shows the map that defines $connection_upgrade, with file and line', () => {
    const r = hoverNginx(files, NGINX, NGINX, at(CONF, '$connection_upgrade;', 5));
    const m = md(r);
    assert.match(m, /\*\*`\$connection_upgrade`\*\* is defined by `map` at nginx\.conf:5/);
    assert.ok(
      m.includes(
        "```nginx\nmap $http_upgrade $connection_upgrade {\n        default upgrade;\n        ''      close;\n    }\n```",
      ),
      m,
    );
    assert.equal(CONF.slice(r!.span.start, r!.span.end), '$connection_upgrade');
  });

  it('normalises a time value (1h = 3600 s)', () => {
    const r = hoverNginx(files, NGINX, NGINX, at(CONF, '1h;', 1));
    assert.match(md(r), /`1h` = 3600 s \(1 h\)/);
    assert.equal(CONF.slice(r!.span.start, r!.span.end), '1h');
  });

  it('explains an upstream server parameter', () => {
    const m = md(hoverNginx(files, NGINX, NGINX, at(CONF, 'max_fails=2', 2)));
    assert.match(m, /\*\*`server` parameter `max_fails`\*\* = `2`/);
    assert.ok(m.includes(firstSentences(wsNote('nginx', 'server:max_fails')!.text)));
  });

  it('shows the rule explanation on a diagnostic range, with its source pointer', () => {
    const bad = `http {\n  server {\n    location /ws {\n      proxy_pass http://127.0.0.1:9000;\n      proxy_set_header Upgrade $http_upgrade;\n      proxy_set_header Connection "upgrade";\n    }\n  }\n}\n`;
    const service = createLanguageService();
    const a = service.analyzeNginx(NGINX, new MemoryFileSystem({ [NGINX]: bad }));
    const f = a.findings.find((x) => x.code === 'nginx/ws-http-version');
    assert.ok(f, `expected nginx/ws-http-version among ${a.findings.map((x) => x.code).join(', ')}`);
    const offset = new LineIndex(bad).offsetAt(f.range.start);
    const r = doHover({
      language: 'nginx',
      path: NGINX,
      offset,
      nginx: a.config,
      findings: a.findings,
      options: withDefaults(),
    });
    const long = longDocs(ruleById('nginx/ws-http-version')!.meta);
    // One line: the finding and a link to the rule's page; the long explanation is that click away.
    assert.ok(md(r).includes(`\`nginx/ws-http-version\`: ${f.message}`), md(r));
    assert.ok(md(r).includes(explainLink('nginx/ws-http-version')));
    assert.ok(!md(r).includes(long));
    // the same position without findings has no rule text
    const r2 = doHover({
      language: 'nginx',
      path: NGINX,
      offset,
      nginx: a.config,
      findings: [],
      options: withDefaults(),
    });
    assert.ok(!r2 || !r2.markdown.includes(long));
  });

  it('works in an included file whose value comes from the root file', () => {
    const inc = '/etc/nginx/conf.d/ws.conf';
    const root = 'http {\n    proxy_read_timeout 20s;\n    include conf.d/*.conf;\n}\n';
    const child = 'server {\n    location /ws { proxy_pass http://127.0.0.1:9000; }\n}\n';
    const m = md(hoverNginx({ [NGINX]: root, [inc]: child }, NGINX, inc, at(child, 'proxy_pass', 2)));
    assert.match(
      m,
      /`proxy_read_timeout` `20s` — inherited from `http` at nginx\.conf:2; at or below the 30 s heartbeat/,
    );
  });

  it('returns null for an unknown word and in a comment', () => {
    const text = 'http {\n    # proxy_read_timeout in a comment\n    frobnicate_widgets on;\n}\n';
    const f = { [NGINX]: text };
    assert.equal(hoverNginx(f, NGINX, NGINX, at(text, 'frobnicate', 3), {}, false), null);
    // with the analysis' findings, the unknown-directive diagnostic is what the hover shows
    assert.match(md(hoverNginx(f, NGINX, NGINX, at(text, 'frobnicate', 3))), /unknown directive `frobnicate_widgets`/);
    assert.equal(hoverNginx(f, NGINX, NGINX, at(text, 'proxy_read_timeout', 3)), null);
    assert.equal(hoverNginx(files, NGINX, NGINX, at(CONF, 'hovering here', 3)), null);
    // and never throws on odd offsets
    for (const off of [-5, 0, CONF.length, CONF.length + 10]) hoverNginx(files, NGINX, NGINX, off);
  });
});

const HAP = `global
    hard-stop-after 30s
defaults base
    mode http
    timeout client 30s
    timeout server 50s
    timeout connect 5s
frontend fe
    bind :80
    # use_backend in a comment
    default_backend ws
backend ws
    balance roundrobin
    timeout tunnel 3600000
    server s1 10.0.0.1:80 check slowstart 10s weight 2
    server s2 10.0.0.2:80 backup
backend api
    server a1 10.0.0.3:80
`;

describe('hover: HAProxy', () => {
  it('shows values taken from the defaults section, with the section and line', () => {
    const m = md(hoverHaproxy(HAP, at(HAP, 'backend api', 9)));
    assert.match(m, /`timeout client` `30s` \(30 s\) — from `defaults base` at line 5/);
    assert.match(m, /`timeout server` `50s` \(50 s\) — from `defaults base` at line 6/);
    assert.match(m, /`mode http` — from `defaults base` at line 4/);
    assert.match(m, /`timeout tunnel`: not set/);
    assert.match(m, /idle WebSocket is cut after 50 s/);
  });

  it('summarises a backend from a default_backend reference, with the command link', () => {
    const m = md(hoverHaproxy(HAP, at(HAP, 'default_backend ws', 17)));
    assert.match(m, /\*\*backend `ws`\*\* — line 12/);
    assert.match(m, /\| `s1` \| 2 \| slowstart 10 s \|/);
    assert.match(m, /\| `s2` \| 1 \| backup \|/);
    const link = /command:wslb\.simulate\?([^)]+)\)/.exec(m);
    assert.deepEqual(JSON.parse(decodeURIComponent(link![1])), [
      { uri: 'file:///etc/haproxy/haproxy.cfg', pool: 'ws' },
    ]);
    assert.match(m, /`timeout tunnel` `3600000` \(3600 s \(1 h\)\) — set here \(line 14\)/);
  });

  it('documents a multi-word keyword (timeout tunnel) with its note, on either word', () => {
    for (const off of [at(HAP, 'timeout tunnel', 2), at(HAP, 'tunnel 3600000', 2)]) {
      const r = hoverHaproxy(HAP, off);
      const m = md(r);
      assert.match(m, /\*\*`timeout tunnel`\*\* — HAProxy 2\.6 keyword/);
      assert.match(m, /configuration\.html#4\.2-timeout%20tunnel/);
      assert.ok(m.includes(firstSentences(wsNote('haproxy', 'timeout tunnel')!.text)));
      assert.ok(m.length <= HOVER_BUDGET, `${m.length} characters:\n${m}`);
      assert.match(m, /\*\*In `backend ws`:\*\* `timeout tunnel 3600000` = 3600 s \(1 h\) — set here \(line 14\)/);
    }
  });

  it('reads a bare HAProxy time as milliseconds', () => {
    const m = md(hoverHaproxy(HAP, at(HAP, '3600000', 2)));
    assert.match(m, /`3600000` = 3600 s \(1 h\) \(a bare number is milliseconds in HAProxy\)/);
    assert.match(m, /leaves 119 missed 30 s pings of margin/);
  });

  it('explains a balance algorithm and a server option', () => {
    assert.ok(
      md(hoverHaproxy(HAP, at(HAP, 'roundrobin', 2))).includes(
        firstSentences(wsNote('haproxy', 'balance roundrobin')!.text),
      ),
    );
    const ss = md(hoverHaproxy(HAP, at(HAP, 'slowstart', 2)));
    assert.match(ss, /\*\*`slowstart`\*\* — HAProxy 2\.6 server option/);
    assert.ok(ss.includes(firstSentences(wsNote('haproxy', 'server:slowstart')!.text)));
    assert.match(md(hoverHaproxy(HAP, at(HAP, 'check', 2))), /\*\*`check`\*\* — HAProxy 2\.6 server option/);
  });

  it('shows the rule explanation on a finding', () => {
    const cfg =
      'defaults\n    mode http\n    timeout client 30s\n    timeout server 30s\n    timeout connect 5s\nfrontend fe\n    bind :80\n    use_backend missing\n';
    const a = createLanguageService().analyzeHaproxy([{ path: '/h.cfg', text: cfg }]);
    const f = a.findings.find((x) => x.code === 'haproxy/unknown-backend');
    assert.ok(f, `expected haproxy/unknown-backend among ${a.findings.map((x) => x.code).join(', ')}`);
    const offset = new LineIndex(cfg).offsetAt(f.range.start);
    const r = doHover({
      language: 'haproxy',
      path: '/h.cfg',
      offset,
      haproxy: a.config,
      findings: a.findings,
      options: withDefaults(),
    });
    assert.ok(md(r).includes(`\`haproxy/unknown-backend\`: ${f.message}`), md(r));
    assert.ok(md(r).includes(explainLink('haproxy/unknown-backend')));
  });

  it('returns null for an unknown keyword and in a comment', () => {
    const cfg = 'backend b\n    frobnicate yes\n    # timeout tunnel 1h\n';
    assert.equal(hoverHaproxy(cfg, at(cfg, 'frobnicate', 2), {}, undefined, false), null);
    assert.match(md(hoverHaproxy(cfg, at(cfg, 'frobnicate', 2))), /unknown keyword `frobnicate`/);
    assert.equal(hoverHaproxy(cfg, at(cfg, 'tunnel', 2)), null);
    assert.equal(hoverHaproxy(HAP, at(HAP, 'use_backend in', 2)), null);
  });
});

describe('hover: short by default, WebSocket notes only where WebSocket goes', () => {
  const EX = path.join(__dirname, '../../examples');
  const read = (p: string) => fs.readFileSync(path.join(EX, p), 'utf8');
  const exFiles = {
    '/etc/nginx/nginx.conf': read('nginx/nginx.conf'),
    '/etc/nginx/sites-enabled/chat.conf': read('nginx/sites-enabled/chat.conf'),
  };
  const CHAT = '/etc/nginx/sites-enabled/chat.conf';
  const chat = exFiles[CHAT];

  it('keeps the hover on the example location /ws/ and its proxy_pass under the budget, finding first', () => {
    for (const [needle, delta] of [
      ['location /ws/', 2],
      ['location /ws/', 10],
      ['proxy_pass http://chat_backend', 2],
      ['http://chat_backend', 9],
      ['proxy_read_timeout', 2],
    ] as const) {
      const m = md(hoverNginx(exFiles, NGINX, CHAT, at(chat, needle, delta)));
      assert.ok(m.length <= HOVER_BUDGET, `${needle}: ${m.length} characters:\n${m}`);
      assert.match(m, /\*\*WebSocket:\*\*|Effective in/, needle);
    }
    const loc = md(hoverNginx(exFiles, NGINX, CHAT, at(chat, 'location /ws/', 2)));
    assert.match(loc, /^\*\*Error\*\* `nginx\/ws-http-version`: [^\n]+\[Explain rule\]\(command:wslb\.explainRule\?/);
    assert.match(loc, /\*\*Effective in `location \/ws\/`\*\*/);
    assert.match(loc, /\[nginx docs\]\(https:\/\/nginx\.org\//);
    // nginx's long location reference (matching order, its example) stays behind the link.
    assert.doesNotMatch(loc, /named location|configuration A/);
  });

  it('says nothing about WebSocket on a location and a proxy_pass that carry none', () => {
    for (const off of [at(CONF, 'location /api', 2), at(CONF, 'proxy_pass http://10.0.0.9', 2)]) {
      const m = md(hoverNginx(files, NGINX, NGINX, off));
      assert.doesNotMatch(m, /WebSocket|Effective in|Upgrade/, m);
    }
    // The same directive in the WebSocket location has both.
    const ws = md(hoverNginx(files, NGINX, NGINX, at(CONF, 'proxy_pass http://chat', 2)));
    assert.match(ws, /\*\*WebSocket:\*\*/);
    assert.match(ws, /Effective in `location \/ws`/);
  });

  it('HAProxy: no WebSocket note on a keyword of a backend that carries none', () => {
    const cfg = `defaults\n    mode http\n    timeout client 30s\n    timeout server 30s\n    timeout connect 5s\nfrontend fe\n    bind :80\n    default_backend api\nbackend api\n    balance roundrobin\n    timeout server 50s\n    server a1 10.0.0.3:80\n`;
    for (const needle of ['roundrobin', 'timeout server 50s']) {
      const m = md(hoverHaproxy(cfg, at(cfg, needle, 2)));
      assert.doesNotMatch(m, /\*\*WebSocket:\*\*/, m);
    }
  });
});

describe('hover: which heartbeat a timeout is compared with, and why (issue 19)', () => {
  const conf = (path: string) => `events {}
http {
    server {
        listen 80;
        location ${path} {
            proxy_pass http://127.0.0.1:9000;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 70s;
        }
    }
}
`;
  const hover = (path: string, options = {}, needle = '70s;') => {
    const text = conf(path);
    const r = hoverNginx(
      { '/etc/nginx/nginx.conf': text },
      '/etc/nginx/nginx.conf',
      '/etc/nginx/nginx.conf',
      at(text, needle, 1),
      options,
    );
    return md(r);
  };

  it('a protocol path: that protocol`s default, from the path, with its source', () => {
    const m = hover('/mqtt');
    assert.match(m, /Against the 60 s heartbeat \(the MQTT over WebSocket default, by the path; \[source\]/);
    assert.match(m, /\): above it without margin/);
    assert.ok(m.includes('https://github.com/mqttjs/MQTT.js#client'), m);
    assert.ok(m.length <= HOVER_BUDGET, `${m.length} characters`);
  });

  it('the user`s setting wins and is named as such; a protocol without a ping keeps the generic value', () => {
    const set = hover('/mqtt', { heartbeatMs: 20_000, heartbeatSet: true });
    assert.match(
      set,
      /Against the 20 s heartbeat \(your setting, wslb\.heartbeat\): 70 s leaves 2 missed 20 s pings of margin/,
    );
    const gql = hover('/graphql');
    assert.match(
      gql,
      /Against the 30 s heartbeat \(the generic default: GraphQL over WebSocket \(graphql-ws\) sends none by default/,
    );
    const plain = hover('/live');
    assert.match(
      plain,
      /Against the 30 s heartbeat \(the generic default: no protocol known from the path; set yours with wslb\.heartbeat\)/,
    );
  });

  it('on the directive name too, and in the location summary of proxy_pass', () => {
    const m = hover('/socket.io/', {}, 'proxy_read_timeout');
    assert.match(m, /heartbeat \(the Socket\.IO default, by the path; \[source\]\(https:\/\/socket\.io\//);
    const s = hover('/socket.io/', {}, 'proxy_pass');
    assert.match(s, /heartbeat 25 s, the Socket\.IO default/);
    assert.ok(s.length <= HOVER_BUDGET, `${s.length} characters`);
  });
});

describe('hover: the HAProxy version a keyword fact holds for', () => {
  const text =
    'defaults\n    mode http\n    timeout client-hs 5s\n    timeout tunnel 1h\nbackend b\n    hash-preserve-affinity always\n    server s 127.0.0.1:80 init-state up\n';
  const md = (r: ReturnType<typeof hoverHaproxy>) => r?.markdown ?? '';
  it('reads the target version table, names its manual, and says which versions have the keyword', () => {
    const r = md(hoverHaproxy(text, at(text, 'hash-preserve'), { haproxyVersion: '3.2' }));
    assert.match(
      r,
      /In HAProxy 3\.2 to 3\.4 \(added in 3\.2\), of the versions wslb knows \(2\.6, 2\.8, 3\.0, 3\.2, 3\.4\)/,
    );
    assert.match(
      r,
      /\[HAProxy 3\.2 manual, 4\.2\]\(https:\/\/docs\.haproxy\.org\/3\.2\/configuration\.html#4\.2-hash-preserve-affinity\)/,
    );
    assert.ok(r.length <= HOVER_BUDGET, `${r.length} characters`);
    const opt = md(hoverHaproxy(text, at(text, 'init-state'), { haproxyVersion: '3.4' }));
    assert.match(opt, /server option/);
    assert.match(opt, /added in 3\.2/);
    // a keyword every known version has: no version line
    const t = md(hoverHaproxy(text, at(text, 'timeout tunnel'), { haproxyVersion: '3.2' }));
    assert.doesNotMatch(t, /of the versions wslb knows/);
    assert.match(t, /HAProxy 3\.2 manual/);
    // the file's own comment picks the table
    const c = '# wslb: haproxy 3.0\n' + text;
    assert.match(md(hoverHaproxy(c, at(c, 'timeout client-hs'))), /HAProxy 3\.0 manual/);
    // with 2.6's table the 3.2 keyword has no entry to show
    assert.doesNotMatch(
      md(hoverHaproxy(text, at(text, 'hash-preserve'))),
      /hash-preserve-affinity`\*\* — HAProxy keyword/,
    );
  });
});
