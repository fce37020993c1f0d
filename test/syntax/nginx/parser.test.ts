import { strict as assert } from 'assert';
import {
  directiveAt,
  enclosingDirectives,
  locationMatch,
  type NginxDirective,
  type NginxFile,
  parseNginx,
  printNginx,
  quoteNginxWord,
  tokenAt,
  unescapeNginx,
  walkDirectives,
} from '../../../server/src/service/syntax/nginx';
import { checkTree, diagnosticsOf, outline, r } from './helpers';

/** Parse, and check re-print and tree invariants on every input used in this file. */
function parse(text: string, options?: Parameters<typeof parseNginx>[1]): NginxFile {
  const f = parseNginx(text, options);
  assert.equal(printNginx(f), text, 're-print differs');
  assert.equal(checkTree(f), null);
  return f;
}

function directives(f: NginxFile): NginxDirective[] {
  const out: NginxDirective[] = [];
  walkDirectives(f, (d) => {
    out.push(d);
  });
  return out;
}

function find(f: NginxFile, name: string, nth = 0): NginxDirective {
  const d = directives(f).filter((x) => x.name === name)[nth];
  assert.ok(d, `no directive ${name}`);
  return d;
}

const values = (d: NginxDirective) => d.args.map((a) => a.value);
const raws = (d: NginxDirective) => d.args.map((a) => a.raw);

describe('nginx parser: syntax', () => {
  it('reads a directive: name, args, ";" and exact spans', () => {
    const text = 'worker_processes  auto;\n';
    const f = parse(text);
    assert.equal(f.diagnostics.length, 0);
    const d = find(f, 'worker_processes');
    assert.deepEqual({ start: d.nameSpan.start, end: d.nameSpan.end }, { start: 0, end: 16 });
    assert.deepEqual(values(d), ['auto']);
    assert.deepEqual([d.args[0].start, d.args[0].end], [18, 22]);
    assert.equal(d.semicolon, 22);
    assert.deepEqual([d.start, d.end], [0, 23]);
    assert.equal(d.block, null);
    assert.equal(d.parent, f);
    assert.deepEqual(
      d.parts.map((p) => p.type),
      ['token', 'trivia', 'token', 'token'],
    );
  });

  it('nests blocks and links parents', () => {
    const text = 'http {\n  server {\n    listen 80;\n    location / { return 204; }\n  }\n}\n';
    const f = parse(text);
    assert.equal(f.diagnostics.length, 0);
    assert.deepEqual(outline(f), ['0:http', '1:server', '2:listen', '2:location', '3:return']);
    const ret = find(f, 'return');
    assert.deepEqual(
      enclosingDirectives(ret).map((d) => d.name),
      ['http', 'server', 'location'],
    );
    const http = find(f, 'http');
    assert.equal(http.block!.open, 5);
    assert.equal(http.block!.close, text.length - 2);
    assert.equal(http.end, text.length - 1);
    assert.equal(http.semicolon, -1);
    assert.equal(http.block!.owner, http);
    // parent/owner are getters: not serialised, so trees can be JSON-dumped.
    assert.doesNotThrow(() => JSON.stringify(f.children));
    assert.ok(!Object.keys(ret).includes('parent'));
  });

  it('resolves quotes and escapes as nginx does', () => {
    const f = parse('a "x\\"y\\\\z\\n\\t\\r" \'it\\\'s\' "\\d+" plain\\ word "$a;{b}" \'#not a comment\';\n');
    const d = find(f, 'a');
    assert.deepEqual(values(d), ['x"y\\z\n\t\r', "it's", '\\d+', 'plain\\ word', '$a;{b}', '#not a comment']);
    assert.deepEqual(
      d.args.map((a) => a.quote),
      ['"', "'", '"', null, '"', "'"],
    );
    assert.equal(d.args[0].raw, '"x\\"y\\\\z\\n\\t\\r"');
    assert.equal(unescapeNginx('a\\\\\\"b\\x'), 'a\\"b\\x');
  });

  it('opens quotes only at the start of a word; ")" after a closing quote starts a word', () => {
    const f = parse('a inner"-"quote right-"x y";\nif ($http_upgrade = "websocket") { return 101; }\n');
    assert.deepEqual(raws(find(f, 'a')), ['inner"-"quote', 'right-"x', 'y"']);
    const iff = find(f, 'if');
    assert.deepEqual(values(iff), ['($http_upgrade', '=', 'websocket', ')']);
    assert.equal(f.diagnostics.length, 0);
  });

  it('keeps ${var}, "}" and "#" inside words; "{" after "$" does not open a block', () => {
    const f = parse('set $x ${host}abc}d#e;\nreturn 200 a}b;\nsplit_clients "${remote_addr}AAA" $v { 50% a; * b; }\n');
    assert.deepEqual(values(find(f, 'set')), ['$x', '${host}abc}d#e']);
    assert.deepEqual(values(find(f, 'return')), ['200', 'a}b']);
    const sc = find(f, 'split_clients');
    assert.deepEqual(values(sc), ['${remote_addr}AAA', '$v']);
    assert.deepEqual(
      sc.block!.children.filter((n) => n.type === 'directive').map((d) => d.name),
      ['50%', '*'],
    );
    assert.equal(f.diagnostics.length, 0);
  });

  it('ends a bare word at "{" unless the "{" follows "$"', () => {
    const f = parse('map $uri $a{ default 0; }\n');
    const map = find(f, 'map');
    assert.deepEqual(values(map), ['$uri', '$a']);
    assert.ok(map.block);
    assert.equal(f.diagnostics.length, 0);
  });

  it('reads comments only where a word could start', () => {
    const text = '# top\nlisten 80; # after\nadd_header a#b c # inside\n  d;\n';
    const f = parse(text);
    const comments = f.children.filter((n) => n.type === 'comment');
    assert.deepEqual(
      comments.map((c) => (c.type === 'comment' ? c.text : '')),
      [' top', ' after'],
    );
    const ah = find(f, 'add_header');
    assert.deepEqual(values(ah), ['a#b', 'c', 'd']);
    assert.ok(ah.parts.some((p) => p.type === 'comment' && p.text === ' inside'));
    assert.equal(f.diagnostics.length, 0);
  });

  it('keeps CRLF line breaks out of comments and re-prints them', () => {
    const text = 'events {\r\n  # c\r\n  worker_connections 10;\r\n}\r\n';
    const f = parse(text);
    const ev = find(f, 'events');
    const comment = ev.block!.children.find((n) => n.type === 'comment');
    assert.ok(comment && comment.type === 'comment' && comment.text === ' c');
    assert.equal(f.diagnostics.length, 0);
  });

  it('reads location modifiers as ordinary words, and locationMatch interprets them', () => {
    const f = parse(
      [
        'location = /exact { }',
        'location ~* \\.php$ { }',
        'location ^~ /images/ { }',
        'location @fallback { }',
        'location ~*\\.jpg$ { }',
        'location /prefix { }',
        'location ~ "^/a{2};$" { }',
        '',
      ].join('\n'),
    );
    const locs = directives(f).filter((d) => d.name === 'location');
    assert.deepEqual(
      locs.map((d) => {
        const m = locationMatch(d)!;
        return [m.modifier, m.pattern, m.regex, m.caseInsensitive];
      }),
      [
        ['=', '/exact', false, false],
        ['~*', '\\.php$', true, true],
        ['^~', '/images/', false, false],
        ['@', '@fallback', false, false],
        ['~*', '\\.jpg$', true, true],
        ['', '/prefix', false, false],
        ['~', '^/a{2};$', true, false],
      ],
    );
    const glued = locationMatch(locs[4])!;
    assert.equal(f.text.slice(glued.patternSpan!.start, glued.patternSpan!.end), '\\.jpg$');
    assert.equal(locationMatch(find(f, 'location', 0).block ? locs[0] : locs[0])!.patternSpan!.start, 11);
    assert.equal(f.diagnostics.length, 0);
  });

  it('parses data blocks (map, geo, types, charset_map) as directive-shaped entries', () => {
    const f = parse(
      [
        'map $http_upgrade $connection_upgrade {',
        '    default upgrade;',
        "    ''      close;",
        '    ~^ws    upgrade;',
        '}',
        'geo $remote_addr $lan { 10.0.0.0/8 1; default 0; }',
        'types { text/html html htm; application/json json; }',
        'charset_map koi8-r utf-8 { C0 D18E; }',
        '',
      ].join('\n'),
    );
    const map = find(f, 'map');
    const entries = map.block!.children.filter((n): n is NginxDirective => n.type === 'directive');
    assert.deepEqual(
      entries.map((e) => [e.name, ...values(e)]),
      [
        ['default', 'upgrade'],
        ['', 'close'],
        ['~^ws', 'upgrade'],
      ],
    );
    assert.equal(entries[1].nameToken.quote, "'");
    assert.deepEqual(values(find(f, 'text/html')), ['html', 'htm']);
    assert.deepEqual(values(find(f, '10.0.0.0/8')), ['1']);
    assert.deepEqual(values(find(f, 'C0')), ['D18E']);
    assert.equal(f.diagnostics.length, 0);
  });

  it('keeps *_lua_block bodies as one raw leaf, braces in Lua strings and comments ignored', () => {
    const body = [
      ' -- a comment with } and {',
      '  local s = "}" .. \'{\' .. [[ } ]] .. [==[ ]] } ]==]',
      '  --[[ long } comment ]]',
      '  local t = { a = { 1 } }',
      '  ngx.say(s);',
      '',
    ].join('\n');
    const text = `content_by_lua_block {${body}}\nlisten 80;\n`;
    const f = parse(text);
    const d = find(f, 'content_by_lua_block');
    assert.equal(d.block!.rawBody, true);
    assert.equal(d.block!.children.length, 1);
    const raw = d.block!.children[0];
    assert.equal(raw.type, 'raw');
    assert.equal(raw.type === 'raw' && raw.raw, body);
    assert.deepEqual(outline(f), ['0:content_by_lua_block', '0:listen']);
    assert.equal(f.diagnostics.length, 0);
  });

  it('recognises Lua blocks by the (unquoted) directive name only', () => {
    const text = [
      'server_name  content_by_lua_block ;',
      'set_by_lua_block $res { return a + b; }',
      '"rewrite_by_lua_block" { a = { 1, 2 } }',
      'upstream content_by_lua_block { server 127.0.0.1; }',
      'init_by_lua_block { x = "}" }',
      '',
    ].join('\n');
    const f = parse(text);
    assert.deepEqual(outline(f), [
      '0:server_name',
      '0:set_by_lua_block',
      '0:rewrite_by_lua_block',
      '0:upstream',
      '1:server',
      '0:init_by_lua_block',
    ]);
    assert.deepEqual(values(find(f, 'set_by_lua_block')), ['$res']);
    assert.equal(find(f, 'upstream').block!.rawBody, false);
    assert.equal(find(f, 'rewrite_by_lua_block').block!.rawBody, true);
    assert.equal(f.diagnostics.length, 0);
  });

  it('treats include (with globs) as an ordinary directive', () => {
    const f = parse('http { include /etc/nginx/conf.d/*.conf; include mime.types; }\n');
    assert.deepEqual(
      directives(f)
        .filter((d) => d.name === 'include')
        .map((d) => values(d)[0]),
      ['/etc/nginx/conf.d/*.conf', 'mime.types'],
    );
  });

  it('accepts a quoted regex holding "{", "}" and ";"', () => {
    const f = parse('location ~ "^/(\\d{4})/x;y$" { rewrite "^/a{1,3}$" /b last; }\n');
    assert.deepEqual(values(find(f, 'location')), ['~', '^/(\\d{4})/x;y$']);
    assert.deepEqual(values(find(f, 'rewrite')), ['^/a{1,3}$', '/b', 'last']);
    assert.equal(f.diagnostics.length, 0);
  });

  it('handles empty input, whitespace and comments only', () => {
    for (const text of ['', '\n', '  \t\r\n', '# only\n# comments']) {
      const f = parse(text);
      assert.equal(f.diagnostics.length, 0);
      assert.equal(directives(f).length, 0);
    }
  });

  it('counts positions in UTF-16 code units as LSP does', () => {
    const text = '# héllo 😀\nreturn 200 "😀"\n';
    const f = parse(text);
    const diags = diagnosticsOf(f);
    // The missing ";" is reported from the last word to the end of the file.
    assert.deepEqual(diags, [{ code: 'unexpected-end', range: r(1, 11, 2, 0) }]);
    assert.equal(find(f, 'return').args[1].value, '😀');
    assert.equal(find(f, 'return').args[1].end - find(f, 'return').args[1].start, 4);
  });

  it('reports a byte order mark, which nginx would read as part of the first name', () => {
    const f = parse('\uFEFFuser www-data;\n');
    assert.deepEqual(diagnosticsOf(f), [{ code: 'byte-order-mark', range: r(0, 0, 0, 1) }]);
    assert.equal(find(f, 'user').start, 1);
  });

  it('finds the directive and token at an offset', () => {
    const text = 'http {\n  server { listen 80; }\n}\n';
    const f = parse(text);
    const at = (needle: string, delta = 0) => text.indexOf(needle) + delta;
    assert.equal(directiveAt(f, at('listen'))!.name, 'listen');
    assert.equal(directiveAt(f, at('80;', 3))!.name, 'listen'); // just after ";"
    assert.equal(directiveAt(f, at('server', 2))!.name, 'server');
    assert.equal(directiveAt(f, at('{ listen', 1))!.name, 'server');
    assert.equal(directiveAt(f, 2)!.name, 'http');
    assert.equal(directiveAt(f, text.length), null);
    assert.equal(tokenAt(f, at('80'))!.value, '80');
    assert.equal(tokenAt(f, at('listen', -1))!.type, 'trivia');
  });

  it('quotes a word so that nginx reads the same value', () => {
    assert.equal(quoteNginxWord('^/a{2}$'), '"^/a{2}$"');
    assert.equal(quoteNginxWord('a"b\\"c'), '"a\\"b\\"c"');
    const f = parse(`x ${quoteNginxWord('a"b\\"c\\d')};\n`);
    assert.deepEqual(values(find(f, 'x')), [unescapeNginx('a"b\\"c\\d')]);
  });
});

describe('nginx parser: error recovery', () => {
  it('missing ";" before the next directive line (no predicate: indentation rule)', () => {
    const text = 'server {\n    listen 80\n    server_name example.com;\n}\n';
    const f = parse(text);
    assert.deepEqual(diagnosticsOf(f), [{ code: 'missing-semicolon', range: r(1, 11, 1, 13) }]);
    assert.deepEqual(outline(f), ['0:server', '1:listen', '1:server_name']);
    const listen = find(f, 'listen');
    assert.equal(listen.semicolon, -1);
    assert.equal(listen.end, text.indexOf('80') + 2);
    assert.deepEqual(f.diagnostics[0].fix, { start: listen.end, end: listen.end, newText: ';' });
  });

  it('does not split continuation lines that are indented deeper, or quoted', () => {
    const text = [
      "log_format main '$remote_addr'",
      "                '$status';",
      'add_header X-Frame-Options',
      '        deny;',
      'proxy_set_header X-Forwarded-For',
      '$proxy_add_x_forwarded_for;',
      '',
    ].join('\n');
    const f = parse(text);
    assert.deepEqual(f.diagnostics, []);
    assert.deepEqual(outline(f), ['0:log_format', '0:add_header', '0:proxy_set_header']);
  });

  it('uses isDirectiveName when given: only real directive names split', () => {
    const known = new Set(['listen', 'server_name', 'server', 'proxy_pass', 'proxy_set_header', 'location']);
    const isDirectiveName = (n: string) => known.has(n);
    const text = 'server {\n    listen 80\n    default_server;\n}\n';
    // Without a predicate, "default_server" looks like a directive name at the same indentation.
    assert.deepEqual(
      diagnosticsOf(parse(text)).map((d) => d.code),
      ['missing-semicolon'],
    );
    // With the knowledge base it is a continuation: no report.
    assert.deepEqual(parse(text, { isDirectiveName }).diagnostics, []);
    // A directive started mid-line: the next line starts left of its name, so it splits.
    const t2 = 'location / { proxy_pass http://up\n  proxy_set_header Host $host; }\n';
    const f2 = parse(t2, { isDirectiveName });
    assert.deepEqual(diagnosticsOf(f2), [{ code: 'missing-semicolon', range: r(0, 24, 0, 33) }]);
    assert.deepEqual(outline(f2), ['0:location', '1:proxy_pass', '1:proxy_set_header']);
  });

  it('missing ";" before "}" is reported up to the "}", where nginx reports it', () => {
    const text = 'location /a {\n    proxy_pass http://a.example\n}\nlocation /b { }\n';
    const f = parse(text);
    assert.deepEqual(diagnosticsOf(f), [{ code: 'missing-semicolon', range: r(1, 15, 2, 1) }]);
    assert.deepEqual(outline(f), ['0:location', '1:proxy_pass', '0:location']);
    assert.equal(find(f, 'location').block!.close, text.indexOf('}'));
  });

  it('a stray "}" at top level becomes an error token; the rest is parsed', () => {
    const text = 'events { }\n}\nhttp { server { } }\n';
    const f = parse(text);
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unexpected-close-brace', range: r(1, 0, 1, 1) }]);
    const err = f.children.find((n) => n.type === 'error');
    assert.ok(err && err.start === 11);
    assert.deepEqual(outline(f), ['0:events', '0:http', '1:server']);
  });

  it('a missing "}" at the end of the file is reported at the opening "{"', () => {
    const text = 'http {\n  server {\n    listen 80;\n  }\n';
    const f = parse(text);
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unclosed-block', range: r(0, 5, 0, 6) }]);
    assert.deepEqual(outline(f), ['0:http', '1:server', '2:listen']);
    assert.equal(find(f, 'http').block!.close, -1);
    assert.equal(find(f, 'http').end, text.length);
    assert.deepEqual(f.diagnostics[0].fix, { start: text.length, end: text.length, newText: '}' });
  });

  it('a missing "}" inside nested blocks is blamed on the block whose "}" is shifted', () => {
    const text = 'http {\n    server {\n        location / {\n            proxy_pass http://x;\n    }\n}\n';
    const f = parse(text);
    // Not at http's "{" (line 0): at location's, whose "}" is missing.
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unclosed-block', range: r(2, 19, 2, 20) }]);
    const fix = f.diagnostics[0].fix!;
    const fixed = text.slice(0, fix.start) + fix.newText + text.slice(fix.end);
    assert.equal(
      fixed,
      'http {\n    server {\n        location / {\n            proxy_pass http://x;\n        }\n    }\n}\n',
    );
    const g = parse(fixed);
    assert.deepEqual(g.diagnostics, []);
    assert.deepEqual(outline(g), ['0:http', '1:server', '2:location', '3:proxy_pass']);
  });

  it('without indentation to go by, a missing "}" is reported at the block left open', () => {
    const text = 'http {\nserver {\nlocation / {\nproxy_pass http://x;\n}\n}\n';
    assert.deepEqual(diagnosticsOf(parse(text)), [{ code: 'unclosed-block', range: r(0, 5, 0, 6) }]);
  });

  it('an unterminated quote at the end of the file: reported at the quote, ended at its line', () => {
    const text = 'server {\n    return 200 "hello;\n    listen 80;\n}\n';
    const f = parse(text);
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unterminated-string', range: r(1, 15, 1, 16) }]);
    const ret = find(f, 'return');
    assert.deepEqual(raws(ret), ['200', '"hello;']);
    assert.equal(ret.args[1].value, 'hello;');
    assert.deepEqual(outline(f), ['0:server', '1:return', '1:listen']);
  });

  it('a quote closed only lines later, where nginx then fails, is unterminated on its own line', () => {
    const text = [
      'server {',
      '    add_header X-A "one;',
      '    add_header X-B "two";',
      '    location / { return 204; }',
      '}',
      '',
    ].join('\n');
    const f = parse(text);
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unterminated-string', range: r(1, 19, 1, 20) }]);
    assert.deepEqual(outline(f), ['0:server', '1:add_header', '1:add_header', '1:location', '2:return']);
    assert.deepEqual(values(find(f, 'add_header', 1)), ['X-B', 'two']);
  });

  it('a string spanning lines is fine when nginx accepts what follows it', () => {
    const text = 'mruby_content_handler_code \'\n  Nginx.echo "#{x}"\n\';\nlisten 80;\n';
    const f = parse(text);
    assert.deepEqual(f.diagnostics, []);
    assert.equal(find(f, 'mruby_content_handler_code').args[0].value, '\n  Nginx.echo "#{x}"\n');
  });

  it('unexpected character after a closing quote', () => {
    const text = '"outer-quote" "left"-quote right;\n';
    const f = parse(text);
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unexpected-char-after-quote', range: r(0, 20, 0, 21) }]);
    assert.deepEqual(raws(find(f, 'outer-quote')), ['"left"', '-quote', 'right']);
  });

  it('an unquoted regex quantifier "{n}" is reported on its line and kept in the word', () => {
    const text = 'server {\n    location ~ ^/id/[0-9]{6}$ {\n        return 200;\n    }\n}\n';
    const f = parse(text);
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unquoted-brace', range: r(1, 25, 1, 28) }]);
    const loc = find(f, 'location');
    assert.deepEqual(values(loc), ['~', '^/id/[0-9]{6}$']);
    assert.deepEqual(outline(f), ['0:server', '1:location', '2:return']);
    const fix = f.diagnostics[0].fix!;
    assert.equal(text.slice(fix.start, fix.end), '^/id/[0-9]{6}$');
    assert.equal(fix.newText, '"^/id/[0-9]{6}$"');
  });

  it('reports one unquoted-brace per word, and handles {n,} and {n,m}', () => {
    const f = parse('rewrite ^/a/([0-9]{4})/([0-9]{2,})/(x{1,3})$ /b last;\n');
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unquoted-brace', range: r(0, 18, 0, 21) }]);
    assert.deepEqual(values(find(f, 'rewrite')), ['^/a/([0-9]{4})/([0-9]{2,})/(x{1,3})$', '/b', 'last']);
  });

  it('";" or "{" with no directive', () => {
    const f = parse('listen 80;;\n{ listen 81; }\n');
    assert.deepEqual(diagnosticsOf(f), [
      { code: 'unexpected-semicolon', range: r(0, 10, 0, 11) },
      { code: 'unexpected-open-brace', range: r(1, 0, 1, 1) },
    ]);
    assert.deepEqual(outline(f), ['0:listen', '1:listen']);
    const orphan = f.children.find((n) => n.type === 'block');
    assert.ok(orphan && orphan.type === 'block' && orphan.owner === null);
  });

  it('unexpected end of file inside a directive', () => {
    const text = '# never included\nasdfasdf\n';
    const f = parse(text);
    // From the last word to the end of the file: nginx names line 3 (1-based), the line after the last break.
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unexpected-end', range: r(1, 0, 2, 0) }]);
  });

  it('an unclosed Lua block is reported at its "{"', () => {
    const f = parse('content_by_lua_block {\n  ngx.say("{")\n');
    assert.deepEqual(diagnosticsOf(f), [{ code: 'unclosed-block', range: r(0, 21, 0, 22) }]);
  });

  it('parameters of 4096 characters or more are refused, as nginx refuses them', () => {
    const long = 'x'.repeat(4096);
    const f = parse(`return 200 ${long};\nreturn 200 ${long.slice(1)};\n`);
    assert.deepEqual(diagnosticsOf(f), [{ code: 'too-long-parameter', range: r(0, 11, 0, 11 + 4096) }]);
  });

  it('several problems in one file: one diagnostic each, everything else parsed', () => {
    const text = [
      'http {',
      '    server {',
      '        listen 80', // missing ;
      '        server_name a.example;',
      '        location ~ ^/x{3}$ { return 204; }', // unquoted brace
      '        add_header X "y"z;', // bad char after quote
      '    }',
      '}',
      '}', // stray
      'events {', // unclosed
      '',
    ].join('\n');
    const f = parse(text);
    assert.deepEqual(
      diagnosticsOf(f).map((d) => `${d.code}@${d.range.start.line}`),
      [
        'missing-semicolon@2',
        'unquoted-brace@4',
        'unexpected-char-after-quote@5',
        'unexpected-close-brace@8',
        'unclosed-block@9',
      ],
    );
    assert.deepEqual(outline(f), [
      '0:http',
      '1:server',
      '2:listen',
      '2:server_name',
      '2:location',
      '3:return',
      '2:add_header',
      '0:events',
    ]);
  });

  it('caps the number of diagnostics', () => {
    const f = parse('}'.repeat(50), { maxDiagnostics: 10 });
    assert.equal(f.diagnostics.length, 11);
    assert.equal(f.diagnostics[10].code, 'too-many-errors');
  });
});
