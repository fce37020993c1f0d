/**
 * The comparison behind the corpus and binary tests (test/helpers/haproxy-warnings.ts), on its own:
 * a warning and the finding that quotes it give the same key only when the quote stands at the
 * warning's line (or in the proxy it names), and a warning of no known kind is set apart.
 */
import { strict as assert } from 'node:assert';
import { analyzeText } from '../helpers/analyze';
import { parseWarning, printedKeys, reportedKeys } from '../helpers/haproxy-warnings';

const TEXT = [
  'defaults',
  '    mode http',
  '    timeout connect 5s',
  '    timeout client 1m',
  '    timeout server 1m',
  '',
  'frontend www',
  '    bind 127.0.0.1:8080',
  '    acl is_ws hdr(Upgrade) -i websocket',
  '    http-response set-header X-WS yes if is_ws',
  '    default_backend app',
  '',
  'frontend admin',
  '    default_backend app',
  '',
  'backend app',
  '    server app1 127.0.0.1:3001',
  '',
].join('\n');

const PRINTED = [
  "[WARNING]  (1) : config : parsing [/tmp/x/haproxy.cfg:10] : acl 'is_ws' will never match because it only involves keywords that are incompatible with 'frontend http-response header rule'",
  "[WARNING]  (1) : config : frontend 'admin' has no 'bind' directive. Please declare it as a backend if this was intended.",
];

describe('haproxy -c warnings against the findings quoting them', () => {
  it('reads the line of a warning printed while parsing, and none of one printed after', () => {
    assert.deepEqual(parseWarning(PRINTED[0]).line, 10);
    assert.match(parseWarning(PRINTED[0]).text, /^acl 'is_ws' will never match/);
    assert.equal(parseWarning(PRINTED[1]).line, null);
    // the manifest's form: no [WARNING] prefix, "parsing [f:N]:" without a space
    assert.equal(
      parseWarning("parsing [a.cfg:20]: 'option httplog' overrides previous 'log-format' in 'defaults' section.").line,
      20,
    );
  });

  it("gives the same keys for haproxy -c's warnings and wslb's findings", () => {
    const printed = printedKeys(PRINTED.map(parseWarning));
    assert.deepEqual(printed.unknown, []);
    assert.equal(printed.keys.length, 2);
    assert.deepEqual(reportedKeys(analyzeText('haproxy', TEXT), TEXT), printed.keys);
  });

  it('tells a quote at another line, or a warning about another proxy, apart', () => {
    const moved = printedKeys([PRINTED[0].replace(':10]', ':9]')].map(parseWarning)).keys;
    const other = printedKeys([PRINTED[1].replace("'admin'", "'www'")].map(parseWarning)).keys;
    const got = reportedKeys(analyzeText('haproxy', TEXT), TEXT);
    assert.ok(!got.includes(moved[0]), moved[0]);
    assert.ok(!got.includes(other[0]), other[0]);
  });

  it('sets apart a warning of no known kind', () => {
    const p = printedKeys([parseWarning('[WARNING]  (1) : config : something new happened.')]);
    assert.deepEqual(p.keys, []);
    assert.deepEqual(p.unknown, ['something new happened.']);
  });
});
