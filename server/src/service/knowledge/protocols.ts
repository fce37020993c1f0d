/**
 * WebSocket protocols a path gives away, and the heartbeat each sends by default. When the user
 * has not set a heartbeat (`--heartbeat`, `wslb.heartbeat`), the timeout rules compare against the
 * protocol's documented default instead of the generic 30 s; the hover says which was used and why.
 * Every interval below was read in the protocol's own documentation or source (the `source` URL).
 */
import { describeDuration } from '../model/units';
import type { ServiceOptions } from '../options';

export interface ProtocolHeartbeat {
  id: string;
  name: string;
  /** Path test (on a location's path, a path pattern or regex text). */
  path: RegExp;
  /** The default interval between two frames the protocol sends on an idle connection; null: none by default. */
  intervalMs: number | null;
  /** What sends it, in a few words. */
  detail: string;
  source: string;
  /**
   * When the client itself notices a server that went silent (its pings stopped) and reconnects:
   * within how long by default, what does it, and where that is documented. Absent: the client
   * has no such detection by default (or wslb knows of none).
   */
  clientNotices?: { withinMs: number; detail: string; source: string };
}

export const PROTOCOL_HEARTBEATS: readonly ProtocolHeartbeat[] = [
  {
    id: 'socket.io',
    name: 'Socket.IO',
    path: /\/socket\.io(\/|\b|$)/i,
    intervalMs: 25_000,
    // pingInterval 25000 ms, pingTimeout 20000 ms (Socket.IO v4 server options).
    detail: 'the server pings every 25 s (pingInterval; pingTimeout 20 s)',
    source: 'https://socket.io/docs/v4/server-options/#pinginterval',
    // "if the client does not receive a ping within pingInterval + pingTimeout, it considers that
    // the connection is closed" (engine.io-client resets its ping timeout on every ping).
    clientNotices: {
      withinMs: 45_000,
      detail: 'the client closes and reconnects when no ping came for pingInterval + pingTimeout (45 s)',
      source: 'https://socket.io/docs/v4/how-it-works/#disconnection-detection',
    },
  },
  {
    id: 'centrifuge',
    name: 'Centrifuge/Centrifugo',
    path: /\/connection\/(uni_)?websocket(\/|\b|$)/i,
    intervalMs: 25_000,
    // Centrifugo/centrifuge: the server sends a ping every 25 s (ping_interval); centrifuge-js
    // reconnects when none came for that interval plus maxServerPingDelay (10 s by default).
    detail: 'the server pings every 25 s (ping_interval)',
    source: 'https://centrifugal.dev/docs/transports/overview#pingpong-behavior',
    clientNotices: {
      withinMs: 35_000,
      detail: 'the client reconnects when no server ping came for 25 s + maxServerPingDelay (10 s)',
      source: 'https://github.com/centrifugal/centrifuge-js#maxserverpingdelay',
    },
  },
  {
    id: 'sockjs',
    name: 'SockJS',
    path: /\/sockjs(\/|\b|$)/i,
    intervalMs: 25_000,
    // sockjs-node README, Server class options: heartbeat_delay "every 25 seconds".
    detail: 'the server sends a heartbeat frame every 25 s (heartbeat_delay)',
    source: 'https://github.com/sockjs/sockjs-node#server-class',
  },
  {
    id: 'signalr',
    name: 'ASP.NET Core SignalR',
    path: /\/(hubs?|[a-z0-9_-]*hub)(\/|\b|$)/i,
    intervalMs: 15_000,
    // HubOptions.KeepAliveInterval: "The default interval is 15 seconds."
    detail: 'the server sends a keep-alive ping every 15 s (KeepAliveInterval)',
    source: 'https://learn.microsoft.com/en-us/dotnet/api/microsoft.aspnetcore.signalr.huboptions.keepaliveinterval',
  },
  {
    id: 'phoenix',
    name: 'Phoenix Channels',
    path: /\/(socket|live)\/websocket(\/|\b|$)/i,
    intervalMs: 30_000,
    // assets/js/phoenix/socket.js: this.heartbeatIntervalMs = opts.heartbeatIntervalMs || 30000
    detail: 'the JavaScript client sends a heartbeat every 30 s (heartbeatIntervalMs)',
    source: 'https://github.com/phoenixframework/phoenix/blob/main/assets/js/phoenix/socket.js',
  },
  {
    id: 'actioncable',
    name: 'Action Cable',
    path: /\/cable(\/|\b|$)/i,
    intervalMs: 3_000,
    // actioncable/lib/action_cable/server/connections.rb: BEAT_INTERVAL = 3
    detail: 'the server pings every 3 s (BEAT_INTERVAL)',
    source: 'https://github.com/rails/rails/blob/main/actioncable/lib/action_cable/server/connections.rb',
  },
  {
    id: 'mqtt',
    name: 'MQTT over WebSocket',
    path: /\/mqtt(\/|\b|$)/i,
    intervalMs: 60_000,
    // MQTT.js README, mqtt.Client options: "keepalive: 60 seconds, set to 0 to disable". The client
    // sends PINGREQ only after a keep-alive period without other packets.
    detail: 'the client (MQTT.js) sends PINGREQ after 60 s without traffic (keepalive)',
    source: 'https://github.com/mqttjs/MQTT.js#client',
  },
  {
    id: 'graphql-ws',
    name: 'GraphQL over WebSocket (graphql-ws)',
    path: /\/graphql(\/|\b|$)|\/subscriptions(\/|\b|$)/i,
    intervalMs: null,
    // graphql-ws 5.0.0 changelog: "the client will NOT ping the server by default" (keepAlive 0);
    // only the server helper graphql-ws/use/ws pings (keepAlive 12 s), and other servers may not.
    detail: 'the graphql-ws client sends no ping by default (keepAlive 0); only some servers ping',
    source: 'https://github.com/enisdenjo/graphql-ws/blob/master/CHANGELOG.md',
  },
];

export function protocolOfPath(path: string): ProtocolHeartbeat | undefined {
  return PROTOCOL_HEARTBEATS.find((p) => p.path.test(path));
}

/** The heartbeat a check compares timeouts with, and where it comes from. */
export interface EffectiveHeartbeat {
  ms: number;
  origin: 'setting' | 'protocol' | 'default';
  protocol?: ProtocolHeartbeat;
  /** One line for messages and hovers. */
  why: string;
}

/**
 * The user's heartbeat when they set one; otherwise the documented default of the protocol the
 * paths show (the first with a heartbeat); otherwise the generic default. A protocol that sends
 * no heartbeat by default keeps the generic value and says so.
 */
export function effectiveHeartbeat(options: ServiceOptions, paths: readonly string[]): EffectiveHeartbeat {
  const generic = options.heartbeatMs;
  if (options.heartbeatSet) return new Heartbeat(generic, 'setting', undefined);
  let silent: ProtocolHeartbeat | undefined;
  for (const path of paths) {
    const p = protocolOfPath(path);
    if (p && p.intervalMs !== null) return new Heartbeat(p.intervalMs, 'protocol', p);
    silent ??= p;
  }
  return new Heartbeat(generic, 'default', silent);
}

/** An EffectiveHeartbeat whose line is written only when read (most are never printed). */
class Heartbeat implements EffectiveHeartbeat {
  constructor(
    readonly ms: number,
    readonly origin: EffectiveHeartbeat['origin'],
    readonly protocol: ProtocolHeartbeat | undefined,
  ) {}

  get why(): string {
    const s = `heartbeat ${Math.round(this.ms / 100) / 10} s`;
    const p = this.protocol;
    if (this.origin === 'setting') return `${s} (your setting)`;
    if (this.origin === 'protocol' && p) return `${s}: ${p.name} default, ${p.detail} (${p.source})`;
    if (p)
      return `${s} (generic default): ${p.name} has none by default, ${p.detail} (${p.source}); an idle connection then lives only as long as the timeout`;
    return `${s} (generic default; set yours with --heartbeat or wslb.heartbeat)`;
  }
}

/** "30s" for the user's or the generic heartbeat, "60s (MQTT over WebSocket default)" for a protocol's. */
export function heartbeatLabel(hb: EffectiveHeartbeat): string {
  return describeDuration(hb.ms) + (hb.origin === 'protocol' && hb.protocol ? ` (${hb.protocol.name} default)` : '');
}
