/** The heartbeat a hover compares an idle timeout with, and the sentences that say how it fares. */
import type { ServiceOptions } from '../../options';
import type { NginxContext } from '../../model/nginx';
import type { HaproxyConfig, HaproxyProxy } from '../../model/haproxy';
import { haproxyWebSocketBackends } from '../../model/websocket-haproxy';
import { effectiveHeartbeat, type EffectiveHeartbeat } from '../../knowledge/protocols';
import { heartbeatTier } from '../../describe/heartbeat';
import { seconds } from './common';

/**
 * The heartbeat a hover compares a timeout with, as the rules do: the user's setting, else the
 * documented default of the protocol the location's path (nginx) or the backend's routes (HAProxy)
 * show, else the generic default.
 */
export function nginxHeartbeat(ctx: NginxContext | null | undefined, options: ServiceOptions): EffectiveHeartbeat {
  let loc: NginxContext | null | undefined = ctx;
  while (loc && loc.kind !== 'location') loc = loc.parent;
  return effectiveHeartbeat(options, loc?.statement?.args ?? []);
}

export function haproxyHeartbeat(
  cfg: HaproxyConfig,
  proxy: HaproxyProxy | undefined,
  options: ServiceOptions,
): EffectiveHeartbeat {
  const reasons = proxy ? (haproxyWebSocketBackends(cfg).find((b) => b.proxy === proxy)?.reasons ?? []) : [];
  return effectiveHeartbeat(
    options,
    reasons.map((r) => r.text),
  );
}

/** Which heartbeat was used and why, short, with its source: "the Socket.IO default, by the path; [source](…)". */
export function heartbeatWhy(hb: EffectiveHeartbeat): string {
  if (hb.origin === 'setting') return 'your setting, wslb.heartbeat';
  if (hb.origin === 'protocol' && hb.protocol)
    return `the ${hb.protocol.name} default, by the path; [source](${hb.protocol.source})`;
  if (hb.protocol)
    return `the generic default: ${hb.protocol.name} sends none by default, [source](${hb.protocol.source})`;
  return 'the generic default: no protocol known from the path; set yours with wslb.heartbeat';
}

/** How a timeout fares against the heartbeat; `named` false when the sentence has just named the heartbeat ("it"). */
export function heartbeatText(ms: number, hbMs: number, named = true): string {
  const hb = seconds(hbMs);
  const it = named ? `the ${hb} heartbeat` : 'it';
  const tier = heartbeatTier(ms, hbMs)?.severity; // the tiers of the timeout rules
  if (tier === 'error') return `at or below ${it}: idle WebSockets are cut before the next ping arrives`;
  if (tier === 'warning') return `above ${it} without margin: one late or lost ping cuts the connection`;
  const missed = Math.floor(ms / hbMs) - 1;
  return `${seconds(ms)} leaves ${missed === 1 ? 'one missed' : `${missed} missed`} ${hb} ping${missed === 1 ? '' : 's'} of margin`;
}
