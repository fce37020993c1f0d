import { strict as assert } from 'node:assert';
import { validateHaproxy } from '../../server/src/service/knowledge';
import { parseHaproxy } from '../../server/src/service/syntax/haproxy';

function check(text: string) {
  const file = parseHaproxy(text);
  const ds = validateHaproxy(file, { version: '2.6.12' });
  return {
    ds,
    codes: ds.map((d) => `${file.lineIndex.positionAt(d.span.start).line + 1}:${d.code}`),
    textOf: (i: number) => text.slice(ds[i].span.start, ds[i].span.end),
  };
}

describe('knowledge: validateHaproxy', () => {
  it('accepts a typical WebSocket load balancer', () => {
    const r = check(`global
    maxconn 4096
    hard-stop-after 30s
    close-spread-time 10s
    stats socket /run/haproxy.sock mode 660 level admin
defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
    no option http-server-close
    option forwardfor
frontend fe
    bind :80
    http-request set-header X-Forwarded-Proto http
    use_backend ws if { hdr(upgrade) -i websocket }
    default_backend web
backend ws
    balance leastconn
    option httpchk GET /health
    http-check expect status 200
    stick-table type ip size 100k expire 30m
    stick on src
    default-server check inter 2s slowstart 30s
    server a 10.0.0.1:8080 weight 10 maxconn 500 on-marked-down shutdown-sessions
backend web
    balance hdr(host)
    server b 10.0.0.2:8080 check
resolvers dns
    nameserver ns1 10.0.0.53:53
    hold valid 10s
peers mypeers
    peer lb1 10.0.0.10:1024
userlist users
    user admin insecure-password secret
`);
    assert.deepEqual(r.codes, []);
  });

  it('reports unknown keywords with a "did you mean", in global and in proxies', () => {
    let r = check('global\n    maxconnn 100\nfrontend f\n    bind :80\n    use_backnd b\n');
    assert.deepEqual(r.codes, ['2:haproxy/unknown-keyword', '5:haproxy/unknown-keyword']);
    assert.match(r.ds[0].message, /unknown keyword `maxconnn` in `global` section; did you mean `maxconn`\?/);
    assert.match(r.ds[1].message, /did you mean `use_backend`\?/);
    assert.equal(r.textOf(1), 'use_backnd');
    r = check('backend b\n    option notreal\n    timeout tunel 1h\n');
    assert.deepEqual(r.codes, ['2:haproxy/unknown-keyword', '3:haproxy/unknown-keyword']);
    assert.match(r.ds[0].message, /unknown option `notreal`/);
    assert.match(r.ds[1].message, /did you mean `timeout tunnel`\?/);
    assert.equal(r.textOf(1), 'timeout tunel');
  });

  it('follows HAProxy on sections: defaults refusals are errors, a frontend-only proxy only warns', () => {
    let r = check('defaults\n    bind :80\n    acl a src 1.2.3.4\ndefaults named\n    acl a src 1.2.3.4\n');
    assert.deepEqual(r.codes, ['2:haproxy/keyword-not-allowed-here', '3:haproxy/keyword-not-allowed-here']);
    assert.ok(r.ds.every((d) => d.severity === 'error'));
    assert.match(r.ds[1].message, /named `defaults` section/);
    r = check(
      'frontend f\n    bind :80\n    balance roundrobin\n    timeout tunnel 1h\n    timeout client-fin 1s\nbackend b\n    bind :81\n    timeout client-fin 1s\n    timeout tunnel 1h\nlisten l\n    bind :82\n    balance roundrobin\n    timeout tunnel 1h\n',
    );
    assert.deepEqual(r.codes, [
      '3:haproxy/keyword-not-allowed-here',
      '4:haproxy/keyword-not-allowed-here',
      '7:haproxy/keyword-not-allowed-here',
      '8:haproxy/keyword-not-allowed-here',
    ]);
    assert.ok(r.ds.every((d) => d.severity === 'warning'));
    assert.match(r.ds[0].message, /`balance` is ignored in a frontend: it needs backend capability/);
    assert.equal(r.textOf(1), 'timeout tunnel');
    // unique-id-format in a backend: the matrix says frontend only, but HAProxy neither warns nor fails
    assert.deepEqual(check("backend b\n    unique-id-format '%ci'\n").codes, []);
  });

  it("reports removed keywords with HAProxy's advice, invalid modes and algorithms, unknown actions", () => {
    const r = check(
      'frontend f\n    reqrep ^(.*) \\1\n    option forceclose\n    timeout contimeout 5s\n    mode ftp\n    http-request frobnicate\n    http-request set-var(txn.x) str(1)\n    http-request lua.myaction\nbackend b\n    balance roundrobn\n    filter comp-req\n',
    );
    assert.deepEqual(r.codes, [
      '2:haproxy/keyword-removed',
      '3:haproxy/keyword-removed',
      '4:haproxy/keyword-removed',
      '5:haproxy/invalid-value',
      '6:haproxy/unknown-action',
      '10:haproxy/invalid-value',
      '11:haproxy/invalid-value',
    ]);
    assert.match(r.ds[0].message, /since HAProxy 2\.1/);
    assert.match(r.ds[2].message, /timeout connect/);
    assert.match(r.ds[5].message, /did you mean `roundrobin`/);
  });

  it('checks server and bind options, skipping their arguments', () => {
    const r = check(
      'backend b\n    default-server inter 3s fall 3 rise 2 slowstrat 10s\n    server a 10.0.0.1:80 check weight 10 no-verifyhost source 10.0.0.9 usesrc clientip on-marked-down shutdown-sessions wieght 5\n    server-template web 1-3 web.internal:80 check resolvers dns init-addr last,libc,none\nfrontend f\n    bind :443 ssl crt /etc/ssl/x.pem alpn h2,http/1.1 acept-proxy\n',
    );
    // the first unknown option of a line ends its check, as in HAProxy (so `wieght` is not reached)
    assert.deepEqual(r.codes, [
      '2:haproxy/unknown-server-option',
      '3:haproxy/unknown-server-option',
      '6:haproxy/unknown-bind-option',
    ]);
    assert.deepEqual([0, 1, 2].map(r.textOf), ['slowstrat', 'no-verifyhost', 'acept-proxy']);
    assert.match(r.ds[0].message, /did you mean `slowstart`\?/);
    assert.match(r.ds[2].message, /did you mean `accept-proxy`\?/);
    assert.deepEqual(check('backend b\n    server a 10.0.0.1:80 check wieght 5\n').codes, [
      '2:haproxy/unknown-server-option',
    ]);
  });

  it('checks other sections against their own keywords', () => {
    const r = check(
      'cache c\n    total-max-size 4\n    bind :80\nmailers m\n    mailer smtp1 10.0.0.1:25\n    timeout mail 10s\n',
    );
    assert.deepEqual(r.codes, ['3:haproxy/unknown-keyword']);
  });

  it('flags keywords of features the Debian 12 build lacks as warnings', () => {
    const r = check('global\n    tune.zlib.memlevel 8\n');
    assert.deepEqual(r.codes, ['2:haproxy/not-in-build']);
    assert.equal(r.ds[0].severity, 'warning');
  });

  it('treats names of Object.prototype as the unknown words they are', () => {
    const r = check(
      'global\n    constructor\nfrontend f\n    toString 1\n    option constructor\n    mode __proto__\n    http-request hasOwnProperty\n',
    );
    assert.deepEqual(r.codes, [
      '2:haproxy/unknown-keyword',
      '4:haproxy/unknown-keyword',
      '5:haproxy/unknown-keyword',
      '6:haproxy/invalid-value',
      '7:haproxy/unknown-action',
    ]);
  });

  it('turns "unknown" into a warning that says so when the target lies between two keyword tables', () => {
    const file = parseHaproxy('backend b\n    option notreal\n    balance roundrobin\n');
    const [d] = validateHaproxy(file, { version: '3.1.2' });
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /checked against HAProxy 3\.0's keywords; target is 3\.1\.2/);
    // a version wslb has the table of: the error HAProxy gives
    for (const v of ['2.6', '2.8.5', '3.0', '3.2.1', '3.4'])
      assert.equal(validateHaproxy(file, { version: v })[0].severity, 'error', v);
  });

  it('never throws on broken input', () => {
    for (const t of [
      'frontend',
      'no',
      'global\n no option',
      '"\\',
      'backend b\n timeout',
      'defaults\n\0\0',
      'listen x\n http-request',
      'resolvers\n',
    ]) {
      assert.doesNotThrow(() => validateHaproxy(parseHaproxy(t), { version: '2.6' }));
    }
  });
});
