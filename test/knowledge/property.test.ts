import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isNginxDirectiveName, validateHaproxy, validateNginx } from '../../server/src/service/knowledge';
import { parseHaproxy } from '../../server/src/service/syntax/haproxy';
import { parseNginx } from '../../server/src/service/syntax/nginx';

// Config-looking soup: real directive and keyword names, braces, semicolons, quotes, comments,
// Object.prototype names and random bytes, so the validators meet every shape the parsers produce.
const nginxWords = [
  'http',
  'server',
  'location',
  'upstream',
  'stream',
  'mail',
  'events',
  'if',
  'limit_except',
  'map',
  'types',
  'proxy_pass',
  'listen',
  'http2',
  'zone',
  'resolve',
  'gzip',
  'on',
  'maybe',
  'constructor',
  '__proto__',
  'content_by_lua_block',
  'load_module',
  'include',
  '$x',
  '"q"',
  "'",
  '"',
];
const nginxSoup = fc
  .array(
    fc.oneof(fc.constantFrom(...nginxWords, '{', '}', ';', '\n', ' ', '#c\n', '(', ')'), fc.string({ maxLength: 6 })),
    { maxLength: 200 },
  )
  .map((parts) => parts.join(' '));
const haproxyWords = [
  'global',
  'defaults',
  'frontend',
  'backend',
  'listen',
  'peers',
  'resolvers',
  'cache',
  'userlist',
  'no',
  'default',
  'option',
  'timeout',
  'tunnel',
  'server',
  'bind',
  'balance',
  'mode',
  'http-request',
  'acl',
  'constructor',
  'toString',
  'check',
  'weight',
  '.if',
  '.endif',
  '"',
  '\\',
];
const haproxySoup = fc
  .array(fc.oneof(fc.constantFrom(...haproxyWords, '\n', '\n    ', ' ', '#c'), fc.string({ maxLength: 6 })), {
    maxLength: 200,
  })
  .map((parts) => parts.join(' '));

describe('knowledge: any input', function () {
  this.timeout(60000);
  it('validateNginx never throws, whatever the version, root context or build', () => {
    fc.assert(
      fc.property(
        nginxSoup,
        fc.constantFrom('1.22.1', '1.30.0', '0', 'x.y'),
        fc.constantFrom([], ['http'], ['stream', 'server'], ['nowhere']),
        (text, version, root) => {
          const file = parseNginx(text, { isDirectiveName: isNginxDirectiveName });
          const ds = validateNginx(file, { version, rootContext: root });
          for (const d of ds) assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('validateHaproxy never throws', () => {
    fc.assert(
      fc.property(haproxySoup, (text) => {
        const ds = validateHaproxy(parseHaproxy(text), { version: '2.6.12' });
        for (const d of ds) assert.ok(d.span.start >= 0 && d.span.end <= text.length && d.span.start <= d.span.end);
      }),
      { numRuns: 300 },
    );
  });

  it('takes time roughly linear in the size of the config', () => {
    const block = (i: number) =>
      `server { listen ${i}; location /${i} { proxy_pass http://b; unknown_${i % 7} 1; gzip maybe; } }\n`;
    const time = (n: number) => {
      let text = 'http {\n';
      for (let i = 0; i < n; i++) text += block(i);
      const file = parseNginx(text + '}\n', { isDirectiveName: isNginxDirectiveName });
      const t0 = process.hrtime.bigint();
      validateNginx(file, { version: '1.22.1' });
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    time(500); // warm up
    const small = Math.max(time(2000), 1);
    const large = time(20000);
    assert.ok(large < small * 10 * 3, `2000 blocks: ${small.toFixed(1)} ms, 20000 blocks: ${large.toFixed(1)} ms`);
  });
});
