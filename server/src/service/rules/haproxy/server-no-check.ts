import { clipWord } from '../../words';
import { appendToStatement, replaceWord } from '../../fixes/haproxy';
import type { HaproxyStatement } from '../../syntax/haproxy';

/** `check` on the server line: a `no-check` written there becomes `check`, otherwise the word is appended. */
function checkEdit(path: string, stmt: HaproxyStatement) {
  const i = stmt.line.words.findIndex((w, k) => k > 2 && w.value === 'no-check');
  return i > 0 ? replaceWord(path, stmt, i, 'check') : appendToStatement(path, stmt, 'check');
}
import type { HaproxyRule } from '../rule';
import { activeWebSocketBackends, liveServers, proxyLabel } from './common';

export const serverNoCheck: HaproxyRule = {
  meta: {
    id: 'haproxy/server-no-check',
    system: 'haproxy',
    severity: 'warning',
    versions: 'all HAProxy versions',
    fixable: true,
    docs: {
      short:
        'A server of a multi-server WebSocket backend has no `check`: HAProxy never marks it down and keeps sending new connections to it.',
      long: [
        'Without `check`, HAProxy has no health checks for the server and considers it up forever. When the process behind it dies or hangs, every new WebSocket that the balancing algorithm assigns to it fails (with `leastconn`, a dead server that lost all its connections is even the *preferred* target), and `backup` servers are never used.',
        'With `check`, HAProxy probes the server (every `inter`, 2 s by default), takes it out of the pool after `fall` failures and puts it back after `rise` successes. That is also what `slowstart`, `on-marked-down shutdown-sessions` and failover to backups rely on.',
        "Servers that follow another server's state with `track`, or are watched by an `agent-check`, are not reported.",
        '**Fix:** add `check` to the server line (and consider `option httpchk` so the check looks at the application, not only the TCP port).',
      ].join('\n\n'),
      section: 'Health checks and connection draining',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#5.2-check',
        'https://docs.haproxy.org/2.6/configuration.html#5.2-inter',
      ],
      proof:
        'Live test on HAProxy 2.6.12 (docs/live-findings.md): one of two round-robin servers dead; without `check` (runtime API: "no check") 3 of 6 handshakes failed with 503; with `check` it was marked down and all 6 got 101.',
    },
  },
  check({ config, report }) {
    for (const { proxy } of activeWebSocketBackends(config)) {
      const live = liveServers(proxy);
      if (live.length < 2) continue;
      for (const s of live) {
        if (s.check || s.options.has('track') || s.options.has('agent-check')) continue;
        const name = s.statement.args[0];
        const addr = s.statement.args[1];
        report({
          path: proxy.source.path,
          span: { start: s.statement.line.words[0].start, end: (addr ?? name).end },
          message: s.backup
            ? `backup server ${clipWord(s.name)} of WebSocket ${proxyLabel(proxy)} (${live.length} servers) has no check: HAProxy never marks it down, so it fails over to it even when it is dead`
            : `server ${clipWord(s.name)} of WebSocket ${proxyLabel(proxy)} (${live.length} servers) has no check: HAProxy never marks it down, so it keeps receiving new connections when it fails${live.some((x) => x.backup) ? ', and the backup servers are never used in its place' : ''}`,
          fixes: [
            {
              title: `Add check to server ${clipWord(s.name)}`,
              edits: [checkEdit(proxy.source.path, s.statement)],
              isPreferred: true,
            },
          ],
        });
      }
    }
  },
};
