/**
 * Debian's stock /etc/haproxy/haproxy.cfg (test/fixtures/debian-stock/haproxy/, copied from the
 * haproxy 2.6.12 package) is the first file many users check: a global section, one `defaults`
 * with the three timeouts, no frontend and no backend. `haproxy -c` accepts it without a warning,
 * and wslb must report nothing either. The same file with a WebSocket backend appended does get
 * findings, so the silence comes from the file, not from a reader that saw nothing.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeText } from '../helpers/analyze';

const STOCK = path.join(__dirname, '..', 'fixtures', 'debian-stock', 'haproxy', 'haproxy.cfg');

describe('Debian stock HAProxy config', () => {
  const text = fs.readFileSync(STOCK, 'utf8');

  it('checks clean: no finding of any kind', () => {
    const findings = analyzeText('haproxy', text, {}, '/etc/haproxy/haproxy.cfg');
    assert.deepEqual(
      findings.map((f) => `${f.range.start.line + 1}: ${f.code} ${f.message}`),
      [],
    );
  });

  it('with a WebSocket backend added, the findings about it appear', () => {
    const more = `${text}\nfrontend fe\n\tbind 127.0.0.1:8080\n\tdefault_backend ws_pool\n\nbackend ws_pool\n\tserver a 127.0.0.1:9001\n\tserver b 127.0.0.1:9002\n`;
    const codes = analyzeText('haproxy', more, {}, '/etc/haproxy/haproxy.cfg').map((f) => f.code);
    assert.ok(codes.includes('haproxy/no-hard-stop-after'), codes.join(', '));
    assert.ok(codes.includes('haproxy/ws-balance-roundrobin'), codes.join(', '));
  });
});
