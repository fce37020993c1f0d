/**
 * Precision on real deployments (issue 19), nginx part: findings a senior SRE would keep, one
 * finding per broken statement, fixes that compose.
 */
import { strict as assert } from 'node:assert';
import { analyzeFiles, analyzeText, fixUntilStable } from '../helpers/analyze';
import { applyEdits, collectFixEdits } from '../../server/src/service/fixes/apply';
import { validateNginx } from '../live/harness';
import { wsNote } from '../../server/src/service/docs/ws-notes';
import { recogniseTemplate } from '../../server/src/service/template';
import type { Finding } from '../../server/src/service/types';
import { need } from '../helpers/needs';

describe('nginx precision (issue 19)', () => {
  describe('proxy_buffering off', () => {
    const conf = `events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    server {
        listen 80;
        location /socket.io/ {
            proxy_pass http://127.0.0.1:3000;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1h;
            proxy_send_timeout 1h;
            proxy_buffering off;
        }
    }
}
`;
    it('gives no finding (it is needed for server-sent events and long polling, harmless for WebSocket)', () => {
      const line = conf.split('\n').findIndex((l) => l.includes('proxy_buffering'));
      const at = analyzeText('nginx', conf).filter((f) => f.range.start.line === line);
      assert.deepEqual(at, []);
    });
    it('its hover note says what it does and where it is needed', () => {
      const text = wsNote('nginx', 'proxy_buffering')!.text;
      assert.match(text, /server-sent events/);
      assert.match(text, /long polling/);
      assert.match(text, /costs the WebSocket nothing/);
    });
  });
});

describe('nginx templates and broken lines (issue 19)', () => {
  const codes = (fs: Finding[]) => fs.map((f) => f.code);

  it('recognises the common placeholders and keeps every offset and line', () => {
    const text = [
      'listen {{ port }};',
      '{% if ssl %}',
      'server_name %%DOMAIN%% ${SERVER_NAME};',
      '{% endif %}',
      'proxy_pass http://<IP_NODE_1>:{{ app_port }};',
      '    {{ .ExtraConfig }}',
      'add_header X-Host "${host}";',
      '# {{ in a comment }}',
    ].join('\n');
    const t = recogniseTemplate(text)!;
    assert.equal(t.text.length, text.length);
    assert.deepEqual(
      t.text.split('\n').map((l) => l.length),
      text.split('\n').map((l) => l.length),
    );
    assert.equal(t.placeholders.length, 8);
    const lines = t.text.split('\n');
    assert.match(lines[0], /^listen x+;$/);
    assert.equal(lines[1].trim(), '', 'a control tag becomes blanks');
    assert.match(lines[2], /^server_name x+ x+;$/);
    assert.match(lines[4], /^proxy_pass http:\/\/x+:1+;$/, 'a port placeholder becomes digits');
    assert.equal(lines[5].trim(), '', 'a placeholder alone on its line stands for statements');
    assert.equal(lines[6], 'add_header X-Host "${host}";', "nginx's own ${var} is left alone");
    assert.equal(lines[7], '# {{ in a comment }}');
    assert.deepEqual([...t.lines].sort(), [0, 1, 2, 3, 4, 5]);
    assert.equal(recogniseTemplate('events {}\nhttp { return 200 "<html>${x}</html>"; }\n'), null);
    assert.equal(recogniseTemplate('location ~ ^/a{2}$ { return 200 "${host}"; }\nmap $a $b {default 1;}\n'), null);
    const py = recogniseTemplate('{xframe_options}\nserver {\n    listen [::]:{http_port};\n}\n')!;
    assert.equal(py.text, '                \nserver {\n    listen [::]:11111111111;\n}\n');
  });

  it('a template file gives one note instead of a cascade, and real findings elsewhere stay', () => {
    const text = `events {}
http {
    {% for host in backends %}
    upstream {{ host.name }} { server {{ host.addr }}:{{ host.port }}; }
    {% endfor %}
    server {
        listen {{ http_port }};
        server_name %%DOMAIN%%;
        location /ws/ {
            proxy_pass http://127.0.0.1:9000;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}
`;
    const fs = analyzeText('nginx', text);
    assert.deepEqual(
      fs.filter((f) => /syntax|unknown|argument|allowed|unexpected/.test(f.code)),
      [],
    );
    const notes = fs.filter((f) => f.code === 'nginx/template');
    assert.equal(notes.length, 1);
    assert.match(notes[0].message, /template \(`\{% %\}`, `\{\{ \}\}`, `%%NAME%%`: 7 placeholders\)/);
    assert.ok(codes(fs).includes('nginx/ws-http-version'), codes(fs).join(', '));
  });

  it('reads a template as if each condition held: an else branch opening its own block leaves none open', () => {
    const text = `events {}
http {
    server {
        listen 80;
        {% if WEBMAIL == '/' %}
        location /sso.php {
        {% else %}
        location {{ WEBMAIL }}/sso.php {
        {% endif %}
            proxy_pass http://127.0.0.1:9000;
        }
        {{- if .tls }}
        location /a {
        {{- else if .plain }}
        location /b {
        {{- else }}
        location /c {
        {{- end }}
            return 204;
        }
    }
}
`;
    const fs = analyzeText('nginx', text);
    assert.deepEqual(
      fs.map((f) => f.code),
      ['nginx/template'],
    );
    const t = recogniseTemplate(text)!;
    assert.ok(!t.text.includes('location /b') && !t.text.includes('location /c') && t.text.includes('location /a'));
  });

  it('a syntax error on one line keeps the whole-config rules (recovery)', () => {
    const text = `events {}
http {
    server {
        listen 80
        location /ws/ {
            proxy_pass http://127.0.0.1:9000;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
        }
    }
}
`;
    const fs = analyzeText('nginx', text);
    assert.deepEqual(
      fs.filter((f) => f.code === 'nginx/syntax').map((f) => f.range.start.line),
      [3],
    );
    // the same rule findings as with the line repaired
    const repaired = analyzeText('nginx', text.replace('listen 80\n', 'listen 80;\n'));
    assert.deepEqual(
      repaired.filter((f) => f.code === 'nginx/syntax'),
      [],
    );
    const rules = (list: Finding[]) =>
      list.filter((f) => f.code !== 'nginx/syntax').map((f) => `${f.code} ${f.message}`);
    assert.deepEqual(rules(fs), rules(repaired));
    assert.ok(rules(fs).length >= 2, rules(fs).join('\n'));
  });

  it('a statement included three times is reported once', () => {
    const fs = analyzeFiles(
      {
        '/etc/nginx/nginx.conf': `events {}\nhttp {\n    server { listen 80; include snip.conf; }\n    server { listen 81; include snip.conf; }\n    server { listen 82; include snip.conf; }\n}\n`,
        '/etc/nginx/snip.conf': 'proxy_read_timeout 60s 30s;\n',
      },
      '/etc/nginx/nginx.conf',
    );
    assert.equal(fs.filter((f) => f.code === 'nginx/wrong-argument-count').length, 1);
  });
});

describe('nginx fixes of one run compose (issue 19)', () => {
  const servers = `    server {
        listen 127.0.0.1:8080;
        location /ws/ {
            proxy_pass http://127.0.0.1:9000;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
        }
        location /chat/socket.io/ {
            proxy_pass http://127.0.0.1:9001;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection close;
        }
    }
    server {
        listen 127.0.0.1:8081;
        location / {
            proxy_pass http://127.0.0.1:9002;
            proxy_set_header Upgrade websocket;
            proxy_set_header Connection upgrade;
            proxy_set_header Connection “”;
        }
        location /cable {
            proxy_pass http://127.0.0.1:9003;
        }
    }
`;
  const full = `events {}\nhttp {\n${servers}}\n`;

  /** Apply the first fixable finding's preferred fix, re-analyse, until none is left. */
  function oneByOne(text: string): { text: string; steps: number } {
    let cur = text;
    for (let steps = 0; steps < 40; steps++) {
      const first = analyzeText('nginx', cur).find((f) => f.fixes.length > 0);
      if (!first) return { text: cur, steps };
      const next = applyEdits(cur, [...collectFixEdits([first]).values()].flat());
      if (next === cur) return { text: cur, steps };
      cur = next;
    }
    throw new Error('no convergence');
  }

  const maps = (t: string) => (t.match(/map \$http_upgrade/g) ?? []).length;

  it('one by one and as fix-all give the same text, with the map once and no finding left to fix', function () {
    const a = oneByOne(full);
    const b = fixUntilStable('nginx', full, () => true);
    assert.ok(a.steps >= 5, `several fixes applied (${a.steps})`);
    assert.equal(maps(a.text), 1, a.text);
    assert.equal(maps(b.text), 1, b.text);
    assert.equal(a.text, b.text);
    assert.equal((a.text.match(/Connection/g) ?? []).length, 4, 'one Connection line per proxying location');
    assert.ok(!a.text.includes('“”'), 'the stray pasted line is deleted');
    assert.deepEqual(
      analyzeText('nginx', a.text).filter((f) => f.fixes.length > 0),
      [],
    );
    need(this, 'nginx');
    for (const t of [full, a.text]) {
      const r = validateNginx(t);
      assert.ok(r.ok, `${r.output}\n${t}`);
    }
  });
});

describe('nginx fragment context with http-only directives (issue 19)', () => {
  it('a file with map/upstream and a stray top-level location is read as http: one finding on the location', () => {
    const text = `map $http_upgrade $connection_upgrade {\n    default upgrade;\n    '' close;\n}\nupstream app { server 127.0.0.1:9000; }\nlocation /x { return 200; }\nserver {\n    listen 80;\n    location / { proxy_pass http://app; }\n}\n`;
    const fs = analyzeText('nginx', text, {}, '/srv/conf/app.conf').filter((f) =>
      f.code.startsWith('nginx/directive-not-allowed'),
    );
    assert.deepEqual(
      fs.map((f) => f.range.start.line + 1),
      [6],
    );
  });
});

describe('nginx templates: partials', () => {
  // nginx-proxy's nginx.tmpl: a location defined in a partial that is rendered inside server blocks
  const tmpl = [
    'map $http_upgrade $proxy_connection { default upgrade; "" close; }',
    '{{- define "debug_location" }}',
    '    {{- if .Debug }}',
    '    location /debug {',
    '        return 200 "{{ .Host }}";',
    '    }',
    '    {{- end }}',
    '{{- end }}',
    'server {',
    '    listen 80;',
    '    {{ template "debug_location" . }}',
    '}',
    'location /stray {',
    '    return 404;',
    '}',
    '',
  ].join('\n');

  it('does not judge where a partial’s directives stand; a directive outside partials still is', () => {
    const placed = analyzeText('nginx', tmpl, {}, '/srv/nginx.tmpl').filter(
      (f) => f.code === 'nginx/directive-not-allowed-here',
    );
    assert.deepEqual(
      placed.map((f) => f.range.start.line + 1),
      [13],
    );
  });
});

describe('nginx ws-no-worker-shutdown-timeout: backends addressed by container service names (issue 19)', () => {
  const conf = (servers: string[], pass = 'http://app') => `events {}
http {
    map $http_upgrade $connection_upgrade { default upgrade; '' close; }
    upstream app {
${servers.map((s) => `        server ${s};`).join('\n')}
    }
    server {
        listen 80;
        location /ws {
            proxy_pass ${pass};
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
        }
    }
}
`;
  const fired = (text: string) =>
    analyzeText('nginx', text).filter((f) => f.code === 'nginx/ws-no-worker-shutdown-timeout').length;

  it('is silent when every upstream server and proxy_pass host is a single-label name (Compose services)', () => {
    assert.equal(fired(conf(['server-john:3000', 'server-paul:3000'])), 0);
    assert.equal(fired(conf(['"lemmy:8536"'])), 0);
    assert.equal(fired(conf(['app1:3000'], 'http://wekan:8080')), 0);
  });

  it('fires when one backend is an address, a dotted name, localhost or a unix socket', () => {
    assert.equal(fired(conf(['10.0.0.1:3000'])), 1);
    assert.equal(fired(conf(['app.internal:3000'])), 1);
    assert.equal(fired(conf(['localhost:3000'])), 1);
    assert.equal(fired(conf(['app1:3000', '10.0.0.2:3000'])), 1);
    assert.equal(fired(conf(['unix:/run/app.sock'])), 1);
    assert.equal(fired(conf(['app1:3000'], 'http://127.0.0.1:9000')), 1);
  });
});

describe('nginx unknown-upstream in templates (issue 19)', () => {
  const conf = (pass: string, extra = '') => `events {}
http {
${extra}    server {
        listen 80;
        location /auth {
            proxy_set_header X-Token "{{ env "TOKEN" }}";
            proxy_pass ${pass};
        }
    }
}
`;
  const found = (text: string) => analyzeText('nginx', text).filter((f) => f.code === 'nginx/unknown-upstream');

  it('a template with no upstream names its deployment network`s hosts: not reported', () => {
    assert.deepEqual(found(conf('http://supervisor/auth')), []);
  });

  it('a mistyped upstream in a template, and the same name in a plain file, are still reported', () => {
    const typo = found(conf('http://backnd', '    upstream backend { server 10.0.0.1:80; }\n'));
    assert.equal(typo.length, 1);
    assert.match(typo[0].message, /did you mean "backend"/);
    const plain = found(conf('http://supervisor/auth').replace('"{{ env "TOKEN" }}"', 'secret'));
    assert.equal(plain.length, 1);
  });
});
