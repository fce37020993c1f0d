/**
 * One finding for one cause (issue 20): a WebSocket location that has none of the upgrade idiom
 * (no Upgrade line, no Connection line and, where the target version needs it, HTTP/1.0 not
 * fixed) gets this finding and one fix writing the whole idiom, instead of one finding from each
 * of the three part rules. A part that is written but wrong (`Connection close`, an explicit
 * `proxy_http_version 1.0` in the location, an Upgrade line with a constant) is still that part
 * rule's finding: the user wrote something, and the message names it.
 *
 * The part rules ask `notUpgraded()` first and stay quiet where it answers. A user's settings for
 * the part codes keep their meaning: when any of them is set (off, or another severity) in
 * `wslb.rules` / `--rule`, the parts report on their own, as before this rule existed. Suppression
 * comments: see `covers` (suppress.ts).
 */
import { effectiveValue, type EffectiveValue, type NginxConfig, type NginxContext } from '../../model/nginx';
import { webSocketLocationsIn } from '../../model/websocket';
import type { ServiceOptions } from '../../options';
import { clipWord } from '../../words';
import type { NginxRule } from '../rule';
import { contextSpan, defaultsFor, locationLabel, originRelated } from './common';
import { headerState, planWsHeaders, type HeaderPlan } from './headers';

export const WS_NOT_UPGRADED = 'nginx/ws-not-upgraded';

/** The part rules this rule stands for where the whole idiom is missing. */
export const IDIOM_PART_CODES = [
  'nginx/ws-http-version',
  'nginx/ws-missing-upgrade-header',
  'nginx/ws-missing-connection-header',
] as const;

export interface IdiomGap {
  plan: HeaderPlan;
  /** The effective proxy_http_version when it is 1.0 (the fix adds 1.1), else null. */
  http: EffectiveValue | null;
}

/** Does the combined rule report `location` (and the part rules stay quiet there)? */
export function notUpgraded(config: NginxConfig, location: NginxContext, options: ServiceOptions): IdiomGap | null {
  const sev = options.ruleSeverity;
  if (sev[WS_NOT_UPGRADED] === 'off') return null;
  if (IDIOM_PART_CODES.some((c) => Object.prototype.hasOwnProperty.call(sev, c))) return null;
  const st = headerState(location);
  if (st.upgrade || st.connection) return null;
  const eff = effectiveValue(location, 'proxy_http_version', defaultsFor(options));
  const http10 = !!eff.args && eff.args[0] === '1.0';
  if (http10 && eff.source === 'here') return null; // written wrong: ws-http-version's finding
  const plan = planWsHeaders(config, location, http10 ? ['proxy_http_version 1.1;'] : []);
  if (!plan || !plan.needUpgrade || !plan.needConnection) return null;
  return { plan, http: http10 ? eff : null };
}

/** `/ws/`, `~ ^/socket`: how the fix title names a location. */
function locationPath(ctx: NginxContext): string {
  return ctx.statement?.args.length ? ctx.statement.args.map((a) => clipWord(a)).join(' ') : 'this location';
}

export const wsNotUpgraded: NginxRule = {
  meta: {
    id: WS_NOT_UPGRADED,
    system: 'nginx',
    severity: 'error',
    versions:
      'all nginx versions (before 1.29.7 the idiom includes `proxy_http_version 1.1`; from 1.29.7 that is the default)',
    fixable: true,
    scope: 'server',
    covers: [...IDIOM_PART_CODES],
    docs: {
      short:
        'A WebSocket location has none of the upgrade idiom (`proxy_http_version 1.1`, `Upgrade`, `Connection`): the handshake reaches the backend as a plain request.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://nginx.org/en/docs/http/websocket.html',
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_http_version',
        'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_set_header',
      ],
      proof:
        "Live test on nginx 1.22.1: a location with only `proxy_pass` sent the handshake as a plain GET (no `Upgrade`, `Connection: close`) and the client got 426; with wslb's fix (the three lines and the map), 101 and an echo (test/live/cases.ts).",
    },
  },
  check({ config, options, report, scope }) {
    for (const { location } of webSocketLocationsIn(config, scope)) {
      const gap = notUpgraded(config, location, options);
      if (!gap) continue;
      const at = contextSpan(location);
      if (!at) continue;
      const st = headerState(location);
      const related = gap.http ? originRelated('proxy_http_version', gap.http) : [];
      if (st.list.source === 'inherited' && st.list.statements[0])
        related.push({
          path: st.list.statements[0].source.path,
          span: { start: st.list.statements[0].directive.start, end: st.list.statements[0].directive.end },
          message: `proxy_set_header lines inherited from ${locationLabel(st.list.from!)}: no Upgrade, no Connection`,
        });
      const { copied } = gap.plan;
      report({
        path: at.path,
        span: at.span,
        message: gap.http
          ? `WebSocket ${locationLabel(location)} is never upgraded: no HTTP/1.1, Upgrade or Connection; add all three`
          : `WebSocket ${locationLabel(location)} is never upgraded: no Upgrade or Connection header; add both`,
        related: related.length ? related : undefined,
        fixes: () => [
          {
            title: `Make ${locationPath(location)} WebSocket-ready${copied ? ` (copies the ${copied} inherited proxy_set_header line${copied > 1 ? 's' : ''})` : ''}`,
            edits: gap.plan.edits(),
            isPreferred: true,
          },
        ],
      });
    }
  },
};
