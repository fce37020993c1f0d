/**
 * The simulator panel's help in plain words: one tooltip per control, per metric and per headline
 * number. Pure data (tested in Node); `controls.ts` and `metrics.ts` put it into `title`
 * attributes. What a metric counts follows the engine (server/src/service/simulate/engine.ts):
 * the scenario starts at 40% of the simulated time; a failed attempt is retried after at least
 * 250 ms, or later under the reconnect policy.
 */
import type { SimMetrics, SimPool } from '../../../server/src/service/simulate/types';

/** Tooltips of the controls and buttons, by element id. */
export const CONTROL_HELP: Record<string, string> = {
  algorithm:
    'The balancing method to simulate. The one written in your config is marked "in config"; pick another to see what it would do.',
  compareWith: 'A second method, simulated with the same clients and drawn beside the first.',
  clients: 'How many WebSocket clients stay connected at the same time (each one keeps one long connection).',
  natShare:
    'Share of the clients that reach the balancer through a few shared addresses (a company NAT, a mobile carrier). Address-based hashing sends all of them to the same server.',
  natAddresses: 'How many public addresses the clients behind NAT share.',
  reconnect:
    'What a client does after its connection is cut or an attempt fails: retry at once, wait 5 seconds, or wait longer after each failure (1 to 60 s, randomised).',
  scenario:
    'What happens to the pool 40% of the way into the simulated time: nothing, a rolling restart, one backend dying, a server added or removed, or every client reconnecting at once.',
  drain:
    'During a deploy or scale-in, servers close their WebSockets cleanly over 30 s before stopping. Unchecked: they are killed and every client is cut at once.',
  lifetimeHours:
    'How long a connection lasts on average before the client closes it and connects again (browser tab closed, network change).',
  durationSec: 'How much time the simulation covers.',
  seed: 'Starting number of the random draws. The same seed gives the same run; change it to see another random sample.',
  reset: 'Put every setting back to what the config says and the defaults.',
  exportCsv: 'Save the connections per backend over time as a CSV file, with the settings of this run in every row.',
  exportPng: 'Save the charts as a PNG image, with the settings of this run written on it.',
};

/** Tooltips of the metric rows, by metric key. */
export const METRIC_HELP: Record<string, string> = {
  imbalance:
    'At the end: connections on the busiest backend divided by the average per backend. 1.00 is perfectly even; 2.00 means one server carries twice its share.',
  peakImbalance: 'The highest imbalance at any moment after the clients have connected (also during the scenario).',
  cv: 'How much the connection counts differ between backends at the end (standard deviation / mean). 0 is even.',
  movedShare:
    'Of the clients connected before the scenario, the share that ended on another backend. High means sessions and caches on the servers are lost.',
  dropped:
    'Open connections cut by the scenario (restart, failure, scale-in, reconnect storm). Clients closing on their own are not counted.',
  failedAttempts:
    'Connection attempts that found no working backend, counted once per try: a client keeps retrying until it connects, so with "immediate" reconnect one client can fail thousands of times while its server is down. Choose a backoff to see fewer.',
  peakNewPerSecond:
    'The most new connections one backend had to accept within one second: the load of a reconnect wave (each one is a TLS handshake and an upgrade).',
  connectedAtEnd: 'Clients with an open connection when the simulation ends.',
  cutAtDeregistration:
    'Connections still open when the target group’s deregistration delay ran out: AWS closes them without a WebSocket close frame.',
};

export interface Headline {
  key: 'imbalance' | 'dropped' | 'peakNewPerSecond';
  label: string;
  help: string;
  value(m: SimMetrics): number;
  format(v: number): string;
}

/** The three numbers shown above the chart: how even, how many cut, how hard the reconnect wave. */
export const HEADLINES: Headline[] = [
  {
    key: 'imbalance',
    label: 'Busiest backend',
    help: 'Connections on the busiest backend at the end, as a multiple of the average: 1.00× is even. Lower is better.',
    value: (m) => m.imbalance,
    format: (v) => `${v.toFixed(2)}×`,
  },
  {
    key: 'dropped',
    label: 'Connections cut',
    help: 'Open connections the scenario cut (restart, failure, scale-in, storm); each client then reconnects. Lower is better.',
    value: (m) => m.dropped,
    format: (v) => v.toLocaleString('en-US'),
  },
  {
    key: 'peakNewPerSecond',
    label: 'Peak new connections/s',
    help: 'The most new connections one backend had to accept in one second (a reconnect wave after a cut shows here). Lower is better.',
    value: (m) => m.peakNewPerSecond,
    format: (v) => v.toLocaleString('en-US'),
  },
];

/** Help for the fidelity line under the title. */
export function fidelityHelp(pool: SimPool): string {
  return pool.system === 'aws'
    ? 'AWS does not publish its balancer code: this is a model built from the documented behaviour.'
    : 'The same arithmetic as the proxy, checked against the real binary for the same inputs.';
}
