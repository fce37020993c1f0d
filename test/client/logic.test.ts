import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { detectLanguage } from '../../server/src/service/detect';
import {
  applyRequest,
  detectionTarget,
  isAwsDocument,
  isShutdownError,
  poolAt,
  restartBudget,
  targetAfterReady,
  toSimPool,
  versionInputError,
  versionPickWarning,
  versionPicks,
  versionStatus,
} from '../../client/src/logic';
import type { VersionInfo } from '../../server/src/lsp/protocol';
import { SETTINGS } from '../../common/settings';
import { CFN_RESOURCE_RE, TF_RESOURCE_RE, declaresAwsLoadBalancer } from '../../server/src/service/aws-detect';
import {
  CFN_RESOURCE_RE as BUILD_CFN_RE,
  TF_RESOURCE_RE as BUILD_TF_RE,
  awsFormatOf,
} from '../../server/src/service/model/aws-build';
import { renderHtml, contentSecurityPolicy, makeNonce } from '../../client/src/webview/html';
import { need, sharedPath } from '../helpers/needs';

const NGINX =
  'events {}\nhttp {\n  upstream app { server 10.0.0.1:80; }\n  server {\n    listen 80;\n    location / { proxy_pass http://app; }\n  }\n}\n';
const HAPROXY =
  'global\n    maxconn 100\ndefaults\n    mode http\n    timeout client 30s\nbackend be\n    balance leastconn\n    server s1 10.0.0.1:80 check\n';

describe('client logic: content detection', () => {
  it('claims a clearly-nginx .conf and a clearly-HAProxy .cfg opened as plaintext/properties', () => {
    assert.equal(detectionTarget('/etc/app/site.conf', 'plaintext', NGINX, detectLanguage), 'nginx');
    assert.equal(detectionTarget('/etc/app/SITE.CONF', 'properties', NGINX, detectLanguage), 'nginx');
    assert.equal(detectionTarget('/srv/lb/main.cfg', 'properties', HAPROXY, detectLanguage), 'haproxy');
  });

  it('leaves other files alone', () => {
    // Another extension's language id.
    assert.equal(detectionTarget('/etc/app/site.conf', 'apacheconf', NGINX, detectLanguage), undefined);
    assert.equal(detectionTarget('/etc/app/site.conf', 'nginx', NGINX, detectLanguage), undefined);
    // Wrong extension for the content, or other extensions entirely.
    assert.equal(detectionTarget('/srv/lb/main.cfg', 'properties', NGINX, detectLanguage), undefined);
    assert.equal(detectionTarget('/srv/lb/main.conf', 'properties', HAPROXY, detectLanguage), undefined);
    assert.equal(detectionTarget('/srv/notes.txt', 'plaintext', NGINX, detectLanguage), undefined);
    // Not confident: a key=value .conf, a one-liner that only the file name would tip over.
    assert.equal(
      detectionTarget('/etc/sysctl.conf', 'properties', 'net.ipv4.ip_forward = 1\nvm.swappiness=10\n', detectLanguage),
      undefined,
    );
    assert.equal(detectionTarget('/etc/x.conf', 'plaintext', 'foo;\n', detectLanguage), undefined);
    assert.equal(detectionTarget('/etc/x.conf', 'plaintext', '', detectLanguage), undefined);
    assert.equal(
      detectionTarget('/etc/x.conf', 'plaintext', NGINX, () => {
        throw new Error('boom');
      }),
      undefined,
    );
  });

  it('agrees with the corpus: real nginx .conf files are claimed, real HAProxy .cfg files too', function () {
    need(this, 'shared');
    const root = sharedPath('corpus');
    const manifest = path.join(root, 'MANIFEST.tsv');
    const rows = fs
      .readFileSync(manifest, 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t'));
    let nginx = 0;
    let haproxy = 0;
    let claimed = 0;
    for (const [file, kind] of rows) {
      const ext = file.endsWith('.conf') ? 'conf' : file.endsWith('.cfg') ? 'cfg' : '';
      if (!ext || !fs.existsSync(path.join(root, file))) continue;
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      const got = detectionTarget('/x/' + path.basename(file), 'properties', text, detectLanguage);
      if (got) {
        claimed++;
        assert.equal(got, kind, `${file} claimed as ${got}`);
      }
      if (kind === 'nginx' && ext === 'conf') nginx++;
      if (kind === 'haproxy' && ext === 'cfg') haproxy++;
    }
    assert.ok(nginx > 10 && haproxy > 10, `corpus has ${nginx} nginx .conf and ${haproxy} HAProxy .cfg`);
    assert.ok(claimed > (nginx + haproxy) * 0.7, `claimed ${claimed} of ${nginx + haproxy}`);
  });
});

describe('client logic: AWS documents decided by content', () => {
  const TF = 'resource "aws_lb_target_group" "ws" {\n  port = 8080\n}\n';
  const CFN = 'Resources:\n  Tg:\n    Type: AWS::ElasticLoadBalancingV2::TargetGroup\n';
  it('takes Terraform/CloudFormation that declare load balancers, under the languages they already have', () => {
    assert.ok(isAwsDocument('/i/main.tf', 'terraform', TF, declaresAwsLoadBalancer));
    assert.ok(isAwsDocument('/i/main.tf', 'plaintext', TF, declaresAwsLoadBalancer));
    assert.ok(isAwsDocument('/i/stack.yaml', 'yaml', CFN, declaresAwsLoadBalancer));
    assert.ok(isAwsDocument('/i/stack.template', 'plaintext', CFN, declaresAwsLoadBalancer));
    assert.ok(
      isAwsDocument(
        '/i/stack.json',
        'json',
        '{"Resources":{"L":{"Type":"AWS::ElasticLoadBalancingV2::LoadBalancer"}}}',
        declaresAwsLoadBalancer,
      ),
    );
  });
  it('leaves every other Terraform/YAML/JSON alone', () => {
    assert.ok(!isAwsDocument('/i/s3.tf', 'terraform', 'resource "aws_s3_bucket" "b" {}\n', declaresAwsLoadBalancer));
    assert.ok(!isAwsDocument('/i/ci.yaml', 'yaml', 'jobs:\n  build: {}\n', declaresAwsLoadBalancer));
    assert.ok(!isAwsDocument('/i/package.json', 'json', '{"name":"x"}', declaresAwsLoadBalancer));
    assert.ok(
      !isAwsDocument('/i/notes.txt', 'plaintext', CFN, declaresAwsLoadBalancer),
      'plain text only for .tf/.template',
    );
    assert.ok(!isAwsDocument('/i/main.tf', 'nginx', TF, declaresAwsLoadBalancer));
  });
  it("the client's light check agrees with the model builder's (same expressions, same answers)", () => {
    assert.equal(TF_RESOURCE_RE.source, BUILD_TF_RE.source);
    assert.equal(CFN_RESOURCE_RE.source, BUILD_CFN_RE.source);
    const samples: [string, string][] = [
      ['/a/main.tf', TF],
      ['/a/alb.tf', 'resource aws_alb main {\n}\n'],
      ['/a/s3.tf', 'resource "aws_s3_bucket" "b" {}'],
      ['/a/t.yml', CFN],
      ['/a/t.json', '{"Type": "AWS::ElasticLoadBalancingV2::Listener"}'],
      ['/a/t.yaml', 'Type: AWS::EC2::Instance'],
      ['/a/x.conf', TF],
    ];
    for (const [p, t] of samples) assert.equal(declaresAwsLoadBalancer(p, t), !!awsFormatOf(p, t), p);
  });
});

describe('client logic: pool under the cursor, restart budget', () => {
  const r = (a: number, b: number, c: number, d: number) => ({
    start: { line: a, character: b },
    end: { line: c, character: d },
  });
  const pools = [
    { name: 'a', range: r(1, 0, 5, 1) },
    { name: 'b', range: r(7, 4, 12, 5) },
    { name: 'inner', range: r(8, 0, 9, 0) },
  ];

  it('finds the pool whose block holds the cursor (innermost)', () => {
    assert.equal(poolAt(pools, { line: 3, character: 2 })?.name, 'a');
    assert.equal(poolAt(pools, { line: 1, character: 0 })?.name, 'a');
    assert.equal(poolAt(pools, { line: 5, character: 1 })?.name, 'a');
    assert.equal(poolAt(pools, { line: 5, character: 2 }), undefined);
    assert.equal(poolAt(pools, { line: 7, character: 3 }), undefined);
    assert.equal(poolAt(pools, { line: 8, character: 5 })?.name, 'inner');
    assert.equal(poolAt(pools, { line: 11, character: 0 })?.name, 'b');
    assert.equal(poolAt(pools, undefined), undefined);
    assert.equal(poolAt([{ name: 'x' } as never], { line: 0, character: 0 }), undefined);
  });

  it('allows a few restarts per window, then stops until reset or the window passes', () => {
    const b = restartBudget({ maxRestarts: 3, windowMs: 1000 });
    assert.deepEqual([b.allow(0), b.allow(10), b.allow(20), b.allow(30)], [true, true, true, false]);
    assert.equal(b.allow(1005), true, 'the first restart left the window');
    assert.equal(b.allow(1006), false);
    b.reset();
    assert.equal(b.allow(1007), true);
  });
});

describe('webview HTML', () => {
  it('has a strict CSP with a fresh nonce on every script and style', () => {
    const n1 = makeNonce();
    assert.match(n1, /^[A-Za-z0-9]{32}$/);
    assert.notEqual(makeNonce(), n1);
    const html = renderHtml({
      cspSource: 'https://res.example',
      scriptUri: 'https://res.example/main.js',
      nonce: n1,
      title: '<x>',
    });
    const csp = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#39;/g, "'");
    assert.equal(csp, contentSecurityPolicy('https://res.example', n1));
    assert.match(
      csp,
      /^default-src 'none'; script-src 'nonce-[A-Za-z0-9]{32}'; style-src https:\/\/res\.example 'nonce-/,
    );
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    const styles = [...html.matchAll(/<style\b[^>]*>/g)].map((m) => m[0]);
    assert.ok(scripts.length === 1 && styles.length === 1);
    for (const tag of [...scripts, ...styles]) assert.ok(tag.includes(`nonce="${n1}"`), tag);
    assert.doesNotMatch(html, / style="/, 'no inline style attributes (blocked by the CSP)');
    assert.doesNotMatch(html, /<x>/, 'title escaped');
    assert.ok(html.indexOf('id="algorithm"') < html.indexOf('id="compareWith"'), 'the algorithm select comes first');
  });

  it('strips the ranges from a pool item', () => {
    const item = {
      system: 'nginx' as const,
      name: 'p',
      algorithm: 'round_robin',
      servers: [],
      uri: 'file:///x',
      range: {} as never,
      nameRange: {} as never,
      algorithmRange: undefined,
    };
    assert.deepEqual(toSimPool(item), { system: 'nginx', name: 'p', algorithm: 'round_robin', servers: [] });
  });
});

describe('client logic: the simulator panel edits only its own document', () => {
  const chat = { uri: 'file:///ws/nginx.conf', pool: 'chat' };

  it('applies to the document and pool the panel was opened for', () => {
    assert.deepEqual(applyRequest(chat, { uri: chat.uri, pool: 'chat', spec: 'least_conn' }), {
      uri: chat.uri,
      pool: 'chat',
      spec: 'least_conn',
    });
  });

  it('refuses an apply naming another file, or arriving when the panel shows nothing', () => {
    for (const uri of ['file:///home/u/.bashrc', 'file:///etc/nginx/nginx.conf', 'untitled:x', undefined, 42])
      assert.ok('error' in applyRequest(chat, { uri, pool: 'chat', spec: 'least_conn' }), String(uri));
    assert.ok('error' in applyRequest(undefined, { uri: chat.uri, pool: 'chat', spec: 'least_conn' }));
    assert.ok('error' in applyRequest(chat, { uri: chat.uri, pool: 'chat' }));
  });

  it("a 'ready' message cannot move the panel to another document", () => {
    // A restored panel adopts the pool its webview saved; afterwards only pools of that document.
    assert.deepEqual(targetAfterReady(undefined, false, chat), chat);
    assert.deepEqual(targetAfterReady(chat, false, { uri: chat.uri, pool: 'other' }), { uri: chat.uri, pool: 'other' });
    assert.deepEqual(targetAfterReady(chat, false, { uri: 'file:///home/u/.bashrc', pool: 'x' }), chat);
    const moved = targetAfterReady(chat, false, { uri: 'file:///home/u/.bashrc', pool: 'x' });
    assert.ok('error' in applyRequest(moved, { uri: 'file:///home/u/.bashrc', pool: 'x', spec: 'least_conn' }));
    // While an init is pending the webview still shows an older pool.
    assert.deepEqual(targetAfterReady(chat, true, { uri: chat.uri, pool: 'old' }), chat);
  });
});

describe('client logic: errors of a connection going away', () => {
  it('recognises the transport errors of a closing window, and nothing else', () => {
    const closed = Object.assign(new Error('Channel has been closed'), { code: 'ERR_IPC_CHANNEL_CLOSED' });
    assert.ok(isShutdownError(closed));
    assert.ok(isShutdownError(new Error('Channel has been closed')));
    assert.ok(isShutdownError(new Error('Pending response rejected since connection got disposed')));
    assert.ok(
      isShutdownError(new Error("Client is not running and can't be stopped. It's current state is: stopping")),
    );
    assert.ok(!isShutdownError(new Error('Request textDocument/codeAction failed with message: boom')));
    assert.ok(!isShutdownError(new TypeError("Cannot read properties of undefined (reading 'range')")));
    assert.ok(!isShutdownError(undefined));
    assert.ok(!isShutdownError('Channel has been closed'));
  });
});

describe('client logic: the version status and picker', () => {
  const HAPROXY: VersionInfo = {
    product: 'haproxy',
    version: '3.1',
    source: 'comment',
    from: 'a `# wslb: haproxy 3.1` comment',
    note: "wslb has no keyword table for HAProxy 3.1; checked against 3.0's, the nearest older one",
    known: ['2.6', '2.8', '3.0', '3.2', '3.4'],
  };
  const NGINX: VersionInfo = {
    product: 'nginx',
    version: '1.22.1',
    source: 'default',
    from: 'the default of wslb.nginxVersion (not set)',
    known: ['1.22.1', '1.24.0', '1.26.3'],
  };

  it('shows the version in effect, where it comes from, and the table used', () => {
    const s = versionStatus(HAPROXY);
    assert.equal(s.text, '$(versions) HAProxy 3.1');
    assert.match(
      s.tooltip,
      /^Checked for HAProxy 3\.1: a `# wslb: haproxy 3\.1` comment\.\n\nNote: wslb has no keyword table/,
    );
    assert.match(s.tooltip, /Click to pick the HAProxy version\.$/);
    assert.equal(versionStatus(NGINX).text, '$(versions) nginx 1.22.1');
  });

  it('offers the known versions newest first, marks the one in effect, then clearing and typing', () => {
    const picks = versionPicks(NGINX, false);
    assert.deepEqual(
      picks.map((p) => p.version ?? p.action),
      ['1.26.3', '1.24.0', '1.22.1', 'other'],
    );
    assert.deepEqual(
      picks.filter((p) => p.description?.startsWith('in effect')).map((p) => p.label),
      ['nginx 1.22.1'],
    );
    // a set setting can be cleared; 3.0.5 is on 3.0's line
    const h = versionPicks({ ...HAPROXY, version: '3.0.5', source: 'setting' }, true);
    assert.deepEqual(
      h.map((p) => p.version ?? p.action),
      ['3.4', '3.2', '3.0', '2.8', '2.6', 'clear', 'other'],
    );
    assert.equal(h.find((p) => p.description?.startsWith('in effect'))?.version, '3.0');
    // 3.1 is on no table's line: none is marked
    assert.equal(versionPicks(HAPROXY, true).filter((p) => p.description?.startsWith('in effect')).length, 0);
  });

  it('warns that a version comment in the file wins over the setting, and checks typed versions', () => {
    assert.match(versionPickWarning(HAPROXY) ?? '', /own a `# wslb: haproxy 3\.1` comment wins over the setting/);
    assert.equal(versionPickWarning(NGINX), undefined);
    const pattern = SETTINGS.haproxyVersion.pattern;
    assert.equal(versionInputError(' 3.0.5 ', pattern), undefined);
    assert.equal(versionInputError('3', pattern), 'A version such as 3.0 or 1.26.3');
    assert.equal(versionInputError('latest', pattern), 'A version such as 3.0 or 1.26.3');
  });
});
