/**
 * What the two tunnel-timeout rules (ws-missing-timeout-tunnel, ws-timeout-below-heartbeat) read
 * the same way: each active WebSocket backend with its heartbeat and effective `timeout tunnel`,
 * and the fix that sets the tunnel timeout.
 */
import type { HaproxyConfig, HaproxyProxy } from '../../model/haproxy';
import { effectiveHeartbeat, type EffectiveHeartbeat } from '../../knowledge/protocols';
import type { ServiceOptions } from '../../options';
import type { FixSpec } from '../rule';
import { activeWebSocketBackends, proxyLabel, statementSpan, timeoutMs, tunnelEdit, whereIs } from './common';

export interface HeartbeatBackend {
  proxy: HaproxyProxy;
  heartbeat: EffectiveHeartbeat;
  tunnel: ReturnType<typeof timeoutMs>;
}

/** The active WebSocket backends, each with its heartbeat and tunnel timeout, and their set (for tunnelFix()). */
export function heartbeatBackends(
  config: HaproxyConfig,
  options: ServiceOptions,
): { list: HeartbeatBackend[]; wsSet: Set<HaproxyProxy> } {
  const ws = activeWebSocketBackends(config);
  const list = ws.map(({ proxy, reasons }) => ({
    proxy,
    // The paths that route here may show the protocol, and with it its default heartbeat.
    heartbeat: effectiveHeartbeat(
      options,
      reasons.map((r) => r.text),
    ),
    tunnel: timeoutMs(proxy, 'tunnel'),
  }));
  return { list, wsSet: new Set(ws.map((b) => b.proxy)) };
}

/** The fix that sets `timeout tunnel <value>` for the backend (in its defaults when tunnelEdit() says so). */
export function tunnelFix(
  config: HaproxyConfig,
  proxy: HaproxyProxy,
  wsSet: Set<HaproxyProxy>,
  value: string,
  note = '',
): FixSpec[] {
  const { edit, target } = tunnelEdit(config, proxy, wsSet, value);
  const where = target === proxy ? '' : ` in ${proxyLabel(target)}`;
  return [{ title: `Set timeout tunnel ${value}${where}${note}`, edits: [edit], isPreferred: true }];
}

/** Where an inherited `timeout tunnel` is set, as a related location. */
export function tunnelSetHere(tunnel: HeartbeatBackend['tunnel'], proxy: HaproxyProxy, what: string) {
  if (!tunnel.eff) return [];
  return [
    {
      path: tunnel.eff.proxy.source.path,
      span: statementSpan(tunnel.eff.statement),
      message: `timeout tunnel ${what} set here (${whereIs(tunnel.eff, proxy)})`,
    },
  ];
}
