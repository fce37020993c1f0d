import { globalStatements } from '../../model/haproxy';
import { compareVersions } from '../../model/units';
import { insertInSection, insertSectionBefore } from '../../fixes/haproxy';
import type { ServiceOptions } from '../../options';
import type { HaproxyRule } from '../rule';
import { activeWebSocketBackends, proxyHeaderSpan } from './common';

export const HARD_STOP_FIX_VALUE = '10m';

/** close-spread-time appeared during the 2.6 development cycle (doc/configuration.txt of v2.6.0; absent from v2.5.0). */
export function hasCloseSpreadTime(options: ServiceOptions): boolean {
  return compareVersions(options.haproxyVersion, '2.6') >= 0;
}

export const noHardStopAfter: HaproxyRule = {
  meta: {
    id: 'haproxy/no-hard-stop-after',
    system: 'haproxy',
    severity: 'warning',
    versions: 'HAProxy 1.8 and later (hard-stop-after appeared in 1.8; close-spread-time in 2.6)',
    fixable: true,
    docs: {
      short:
        'A config that carries WebSocket has no `hard-stop-after` in `global`: after a reload, the old process lives as long as any WebSocket stays open.',
      long: [
        'On a reload HAProxy starts a new process and asks the old one to stop softly: it stops listening and exits once its last connection is gone. An upgraded WebSocket is a connection that may stay open for hours or days, so without a bound the old processes — each with its memory and its old configuration — accumulate with every deploy.',
        '`hard-stop-after <time>` (in `global`) ends the old process after that time, closing whatever is still open. Clients then reconnect to the new process; make sure they do so with jittered backoff, or the cut becomes a reconnect storm.',
        'HAProxy 2.6 also has `close-spread-time`, which spreads the closing of idle and keep-alive HTTP connections during a soft stop over a window. It acts on HTTP connections when they are idle or at their next response (src/mux_h1.c, src/mux_h2.c), so it does not end upgraded WebSockets; set it below `hard-stop-after` if you use it.',
        '**Fix:** add `hard-stop-after 10m` to `global` (long enough for most sessions to end or for the application to migrate them).',
      ].join('\n\n'),
      section: 'Health checks and connection draining',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#3.1-hard-stop-after',
        'https://docs.haproxy.org/2.6/configuration.html#3.1-close-spread-time',
        'HAProxy v2.6.0 src/mux_h1.c, src/mux_h2.c (close_spread_end: idle connections and the next response only)',
      ],
      proof:
        'Live test on HAProxy 2.6.12 (docs/live-findings.md): after a soft reload (`-sf`) the old process was still running 1.8 s later, its WebSocket still echoing, while the new process served new connections; with `hard-stop-after 1s` (wslb writes 10m, scaled down for the test) the old process was gone and the WebSocket closed with 1006 about 1 s after the reload.',
    },
  },
  check({ config, options, report }) {
    if (globalStatements(config, 'hard-stop-after').length) return;
    const ws = activeWebSocketBackends(config);
    if (ws.length === 0) return;
    const spread = hasCloseSpreadTime(options) ? ' (close-spread-time does not end them)' : '';
    const msg = `No hard-stop-after in global: after a reload, old processes live until their last WebSocket closes${spread}`;
    const global = config.global[0];
    if (global) {
      const src = config.sources.find((s) => s.tree.sections.includes(global));
      if (!src) return;
      report({
        path: src.path,
        span: { start: global.header.words[0].start, end: global.header.words[0].end },
        message: msg,
        fixes: [
          {
            title: `Add hard-stop-after ${HARD_STOP_FIX_VALUE} to global`,
            edits: [insertInSection(src.path, src.text, global, `hard-stop-after ${HARD_STOP_FIX_VALUE}`)],
            isPreferred: true,
          },
        ],
      });
      return;
    }
    // No global section: report only for a complete config (one that binds somewhere); a file of
    // backends alone is a fragment whose global lives elsewhere.
    const binds = config.proxies.some(
      (p) => (p.kind === 'frontend' || p.kind === 'listen') && p.section.statements.some((s) => s.keyword === 'bind'),
    );
    if (!binds) return;
    const first = ws[0].proxy;
    const src = config.sources[0];
    const indentOf = src.tree.sections.flatMap((s) => s.statements)[0];
    const indent = indentOf ? src.text.slice(indentOf.line.indent.start, indentOf.line.indent.end) || '    ' : '    ';
    report({
      path: first.source.path,
      span: proxyHeaderSpan(first),
      message: msg.replace('No hard-stop-after in global', 'No global section with hard-stop-after'),
      fixes: [
        {
          title: `Add a global section with hard-stop-after ${HARD_STOP_FIX_VALUE}`,
          edits: [
            insertSectionBefore(
              src.path,
              src.text,
              src.tree.sections[0],
              'global',
              [`hard-stop-after ${HARD_STOP_FIX_VALUE}`],
              indent,
            ),
          ],
          isPreferred: true,
        },
      ],
    });
  },
};
