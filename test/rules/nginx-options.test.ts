/** nginx rules whose verdict depends on the settings: heartbeat, target version, severity overrides. */
import { strict as assert } from 'node:assert';
import { analyzeText, fixUntilStable } from '../helpers/analyze';

const WS = (extra = '', serverExtra = '') => `events {}

http {
    map $http_upgrade $connection_upgrade {
        default upgrade;
        ''      close;
    }

    server {
        listen 127.0.0.1:8080;
${serverExtra}
        location /ws/ {
            proxy_pass http://127.0.0.1:9001;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
${extra}        }
    }
}
`;

const hits = (text: string, id: string, options = {}) =>
  analyzeText('nginx', text, options).filter((f) => f.code === id);

describe('nginx rules and settings', () => {
  describe('nginx/ws-read-timeout follows the heartbeat', () => {
    it('the default 60s is fine with a 30 s heartbeat (exactly two intervals)', () => {
      assert.deepEqual(hits(WS(), 'nginx/ws-read-timeout'), []);
    });
    it('warns below two heartbeats (45 s heartbeat, default 60s)', () => {
      const h = hits(WS(), 'nginx/ws-read-timeout', { heartbeatMs: 45_000 });
      assert.equal(h.length, 1);
      assert.equal(h[0].severity, 'warning');
      assert.match(h[0].message, /proxy_read_timeout 60s \(nginx 1\.22\.1's default\) vs 45 s heartbeat/);
    });
    it('is an error at or below the heartbeat (60 s heartbeat, default 60s)', () => {
      const h = hits(WS(), 'nginx/ws-read-timeout', { heartbeatMs: 60_000 });
      assert.equal(h.length, 1);
      assert.equal(h[0].severity, 'error');
    });
    it('a short heartbeat accepts a short timeout', () => {
      assert.deepEqual(
        hits(WS('            proxy_read_timeout 30s;\n'), 'nginx/ws-read-timeout', { heartbeatMs: 10_000 }),
        [],
      );
    });
    it('the fix writes three heartbeats and then stays quiet', () => {
      const opts = { heartbeatMs: 45_000 };
      const fixed = fixUntilStable('nginx', WS(), (f) => f.code === 'nginx/ws-read-timeout', opts);
      assert.match(fixed.text, /proxy_read_timeout 135s;/);
      assert.deepEqual(hits(fixed.text, 'nginx/ws-read-timeout', opts), []);
    });
  });

  describe('nginx/ws-send-timeout', () => {
    it('the default 60s fires only when the heartbeat reaches it', () => {
      assert.deepEqual(hits(WS(), 'nginx/ws-send-timeout'), []);
      const h = hits(WS(), 'nginx/ws-send-timeout', { heartbeatMs: 60_000 });
      assert.equal(h.length, 1);
      assert.equal(h[0].severity, 'warning');
    });
  });

  describe('nginx/ws-http-version follows the target version', () => {
    const noVersion = WS().replace('            proxy_http_version 1.1;\n', '');
    it('fires on the 1.0 default of nginx 1.22.1 and 1.29.6', () => {
      assert.equal(hits(noVersion, 'nginx/ws-http-version').length, 1);
      assert.match(
        hits(noVersion, 'nginx/ws-http-version', { nginxVersion: '1.29.6' })[0].message,
        /nginx 1\.29\.6's default/,
      );
    });
    it('is quiet from 1.29.7, where the default is 1.1', () => {
      assert.deepEqual(hits(noVersion, 'nginx/ws-http-version', { nginxVersion: '1.29.7' }), []);
      assert.deepEqual(hits(noVersion, 'nginx/ws-http-version', { nginxVersion: '1.30.0' }), []);
    });
    it('an explicit 1.0 fires in every version', () => {
      const explicit = WS().replace('proxy_http_version 1.1;', 'proxy_http_version 1.0;');
      assert.equal(hits(explicit, 'nginx/ws-http-version', { nginxVersion: '1.29.7' }).length, 1);
    });
  });

  describe('severity overrides', () => {
    it('"off" silences a rule and a severity replaces the default', () => {
      const noUpgrade = WS().replace('            proxy_set_header Upgrade $http_upgrade;\n', '');
      assert.equal(hits(noUpgrade, 'nginx/ws-missing-upgrade-header').length, 1);
      assert.deepEqual(
        hits(noUpgrade, 'nginx/ws-missing-upgrade-header', {
          ruleSeverity: { 'nginx/ws-missing-upgrade-header': 'off' },
        }),
        [],
      );
      assert.equal(
        hits(noUpgrade, 'nginx/ws-missing-upgrade-header', {
          ruleSeverity: { 'nginx/ws-missing-upgrade-header': 'hint' },
        })[0].severity,
        'hint',
      );
    });
  });
});
