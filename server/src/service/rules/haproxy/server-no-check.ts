import { clipWord } from '../../words';
import { appendToStatement, replaceWord } from '../../fixes/haproxy';
import type { HaproxyStatement } from '../../syntax/haproxy';
import type { HaproxyRule } from '../rule';
import { activeWebSocketBackends, liveServers, proxyLabel } from './common';
import { namesAndMore } from '../name-list';

/** `check` on the server line: a `no-check` written there becomes `check`, otherwise the word is appended. */
function checkEdit(path: string, stmt: HaproxyStatement) {
  const i = stmt.line.words.findIndex((w, k) => k > 2 && w.value === 'no-check');
  return i > 0 ? replaceWord(path, stmt, i, 'check') : appendToStatement(path, stmt, 'check');
}

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
    // One finding per backend (at its first unchecked server) naming every unchecked server: the
    // backend is what lacks health checks, and one fix adds `check` to each of them.
    for (const { proxy } of activeWebSocketBackends(config)) {
      const live = liveServers(proxy);
      if (live.length < 2) continue;
      const unchecked = live.filter((s) => !(s.check || s.options.has('track') || s.options.has('agent-check')));
      if (unchecked.length === 0) continue;
      const first = unchecked[0].statement;
      const addr = first.args[1] ?? first.args[0];
      const primary = unchecked.filter((s) => !s.backup);
      const backup = unchecked.filter((s) => s.backup);
      const names = (list: typeof unchecked) => namesAndMore(list, 4, (s) => clipWord(s.name));
      const where = ` of WebSocket ${proxyLabel(proxy)}`;
      const parts: string[] = [];
      if (primary.length)
        parts.push(
          `${primary.length === 1 ? 'server' : 'servers'} ${names(primary)}${where} ${primary.length === 1 ? 'has' : 'have'} no check`,
        );
      if (backup.length)
        parts.push(
          `backup ${names(backup)}${primary.length ? '' : where} ${primary.length ? 'neither' : `${backup.length === 1 ? 'has' : 'have'} no check`}`,
        );
      report({
        path: proxy.source.path,
        span: { start: first.line.words[0].start, end: addr.end },
        message: `${parts.join(', ')}: never marked down, still sent connections when dead; add check`,
        fixes: () => [
          {
            title:
              unchecked.length === 1
                ? `Add check to server ${clipWord(unchecked[0].name)}`
                : `Add check to the ${unchecked.length} servers of ${proxyLabel(proxy)}`,
            edits: unchecked.map((s) => checkEdit(proxy.source.path, s.statement)),
            isPreferred: true,
          },
        ],
      });
    }
  },
};
