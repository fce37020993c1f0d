import { globalStatements, type HaproxyConfig } from '../../model/haproxy';
import { compareVersions } from '../../model/units';
import { insertInSection } from '../../fixes/haproxy';
import type { ServiceOptions } from '../../options';
import type { HaproxyRule } from '../rule';
import { activeWebSocketBackends } from './common';

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
      section: 'Health checks and connection draining',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#3.1-hard-stop-after',
        'https://docs.haproxy.org/2.6/configuration.html#3.1-close-spread-time',
        'HAProxy v2.6.0 src/mux_h1.c, src/mux_h2.c (close_spread_end: idle connections and the next response only)',
      ],
      proof:
        'Live test on HAProxy 2.6.12 (docs/live-findings.md): after a soft reload (`-sf`) the old process was still running 1.8 s later, its WebSocket still echoing, while the new process served new connections; with `hard-stop-after 1s` (wslb writes 10m, scaled down for the test) the old process was gone and the WebSocket closed with 1006 about 1 s after the reload. HAProxy 2.8.0 and 3.0.0 built from source did the same, and `close-spread-time 1s` did not end the WebSocket on any of them (docs/live-findings.md, per release).',
    },
  },
  check({ config, options, report }) {
    if (globalStatements(config, 'hard-stop-after').length) return;
    if (!reloadedInPlace(config)) return;
    const ws = activeWebSocketBackends(config);
    if (ws.length === 0) return;
    const spread = hasCloseSpreadTime(options) ? ' (close-spread-time does not end them)' : '';
    const msg = `No hard-stop-after in global: after a reload, old processes live until their last WebSocket closes${spread}`;
    const global = config.global[0];
    const src = config.sources.find((s) => s.tree.sections.includes(global));
    if (!src) return;
    report({
      path: src.path,
      span: { start: global.header.words[0].start, end: global.header.words[0].end },
      message: msg,
      fixes: () => [
        {
          title: `Add hard-stop-after ${HARD_STOP_FIX_VALUE} to global`,
          edits: [insertInSection(src.path, src.text, global, `hard-stop-after ${HARD_STOP_FIX_VALUE}`)],
          isPreferred: true,
        },
      ],
    });
  },
};

/** `global` keywords of a process that is managed as a service and reloaded in place. */
const SERVICE_KEYWORDS = new Set(['daemon', 'master-worker', 'pidfile', 'chroot', 'user', 'uid', 'group', 'gid']);

/**
 * Is this a config whose HAProxy is reloaded in place (where old processes can pile up)? Only a
 * whole config is: one with a `global` section (a file without it is a fragment, or a snippet of
 * documentation; the global that runs it is elsewhere). And not one that runs in the foreground
 * of a container, logging to `stdout`/`stderr` with none of the service keywords (daemon,
 * master-worker, pidfile, chroot, user/group) nor a runtime socket handing its listeners over
 * (`stats socket ... expose-fd listeners`, what seamless reloads use): such a container is
 * replaced on a deploy, its old process ends with it. `master-worker` in `global` says a
 * container reloads (the official image reloads with SIGUSR2 in master-worker mode).
 */
export function reloadedInPlace(config: HaproxyConfig): boolean {
  if (config.global.length === 0) return false;
  const stmts = config.global.flatMap((g) => g.statements);
  if (stmts.some((s) => SERVICE_KEYWORDS.has(s.keyword))) return true;
  if (
    stmts.some(
      (s) => s.keyword === 'stats' && s.args[0]?.value === 'socket' && s.args.some((a) => a.value === 'expose-fd'),
    )
  )
    return true;
  const logs = stmts.filter((s) => s.keyword === 'log');
  const foreground =
    logs.length > 0 && logs.every((s) => s.args[0]?.value === 'stdout' || s.args[0]?.value === 'stderr');
  return !foreground;
}
