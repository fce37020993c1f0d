/**
 * Precision on real deployments (issue 19), nginx part: findings a senior SRE would keep, one
 * finding per broken statement, fixes that compose.
 */
import { strict as assert } from 'node:assert';
import { analyzeText } from '../helpers/analyze';
import { wsNote } from '../../server/src/service/docs/ws-notes';

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
