/** Shared check of nginx/ws-read-timeout and nginx/ws-send-timeout. */
import { effectiveValue, type NginxConfig } from '../../model/nginx';
import { parseNginxTime } from '../../model/units';
import { webSocketLocationsIn } from '../../model/websocket';
import { replaceArg } from '../../fixes/nginx';
import { insertFix, reportAtSetting } from './report-at';
import type { ServiceOptions } from '../../options';
import { threeHeartbeats } from '../../describe/heartbeat';
import { effectiveHeartbeat, heartbeatLabel } from '../../knowledge/protocols';
import type { NginxRuleScope } from '../../model/nginx-units';
import type { RuleReport } from '../rule';
import type { Severity } from '../../types';
import { defaultsFor, locationLabel, originRelated, proxyAnchor, shortOrigin } from './common';

/** The value a fix writes: three heartbeats, so two lost pings in a row are survived. */
export function recommendedTimeout(options: ServiceOptions, heartbeatMs = options.heartbeatMs): string {
  return threeHeartbeats(heartbeatMs);
}

export function checkTimeout(
  name: 'proxy_read_timeout' | 'proxy_send_timeout',
  config: NginxConfig,
  options: ServiceOptions,
  report: (r: RuleReport) => void,
  tiers: (ms: number, heartbeat: number) => { severity: Severity; why: string } | null,
  scope?: NginxRuleScope,
): void {
  const defaults = defaultsFor(options);
  for (const { location } of webSocketLocationsIn(config, scope)) {
    const heartbeat = effectiveHeartbeat(options, location.statement?.args ?? []);
    const hb = heartbeat.ms;
    const eff = effectiveValue(location, name, defaults);
    if (!eff.args) continue;
    const ms = parseNginxTime(eff.args[0] ?? '');
    if (ms === undefined) continue;
    const tier = tiers(ms, hb);
    if (!tier) continue;
    const target = recommendedTimeout(options, hb);
    const where = locationLabel(location);
    const message = `WebSocket ${where}: ${name} ${shortOrigin(eff)} vs ${heartbeatLabel(heartbeat)} heartbeat: ${tier.why}; raise it`;
    const found = { message, severity: tier.severity, related: originRelated(name, eff) };
    reportAtSetting(
      report,
      location,
      eff.source === 'here' ? eff.statement : undefined,
      0,
      (s) => ({
        ...found,
        fixes: () => [
          { title: `Set ${name} ${target} (three heartbeats)`, edits: [replaceArg(s, 0, target)], isPreferred: true },
        ],
      }),
      () => ({
        ...found,
        fixes: () =>
          insertFix(
            config,
            location,
            [`${name} ${target};`],
            proxyAnchor(location),
            `Add ${name} ${target} to ${where} (three heartbeats)`,
          ),
      }),
    );
  }
}
