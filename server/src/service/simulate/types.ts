/**
 * Input and output shapes of the balancing simulator. Pure data: no DOM, no Node APIs, so the
 * same engine runs in the language server, the CLI and the webview.
 */

/** One `server` line of an nginx `upstream` or a HAProxy `backend`. */
export interface SimServer {
  /** "host:port" as written in the config (nginx's consistent hash hashes exactly this text). */
  name: string;
  address: string;
  port: number;
  weight: number;
  backup: boolean;
  /** Configured `down` (nginx) / `disabled` (HAProxy): never chosen. */
  down: boolean;
  /** nginx `max_fails` (default 1; 0 disables failure accounting). */
  maxFails?: number;
  /** nginx `fail_timeout` in ms (default 10 s). */
  failTimeoutMs?: number;
  /** HAProxy `slowstart` in ms (open-source nginx has no slow start; ignored there). */
  slowstartMs?: number;
  /** HAProxy `maxconn` / nginx `max_conns`. 0 or absent: unlimited. */
  maxconn?: number;
  /** HAProxy server id (`id` keyword); defaults to the 1-based position in the backend. */
  id?: number;
}

/**
 * AWS target-group settings the model uses (simulate/aws.ts). Durations in ms. Absent values take
 * AWS's documented defaults (knowledge/aws.ts).
 */
export interface SimAwsSettings {
  /** 'application' (ALB, default) or 'network' (NLB). */
  lbType?: 'application' | 'network';
  /** `deregistration_delay` (default 300 s). */
  deregistrationDelayMs?: number;
  /** `slow_start` (default 0 = off). */
  slowStartMs?: number;
  /** Health check interval (default 30 s). */
  healthCheckIntervalMs?: number;
  /** Consecutive passed checks before an unhealthy target is healthy again (default 5). */
  healthyThreshold?: number;
  /** Consecutive failed checks before a target is unhealthy (default 2). */
  unhealthyThreshold?: number;
  /** The targets are placeholders (the config does not list them): say so in results. */
  placeholderTargets?: boolean;
  /** Attributes the config sets to a value wslb cannot evaluate: the model used AWS's default for them. */
  unknown?: string[];
}

/** One balancing pool: an nginx `upstream` block, a HAProxy `backend`/`listen` section or an AWS target group. */
export interface SimPool {
  system: 'nginx' | 'haproxy' | 'aws';
  name: string;
  /**
   * nginx: 'round_robin' | 'least_conn' | 'ip_hash' | 'hash' | 'random'.
   * HAProxy: 'roundrobin' | 'static-rr' | 'leastconn' | 'first' | 'source' | 'uri' | 'url_param' | 'hdr' | 'random'.
   * `hdr(name)`, `random(3)` and `url_param(name)` spellings are accepted too.
   * AWS: 'round_robin' | 'least_outstanding_requests' | 'weighted_random' | 'flow_hash' (NLB).
   */
  algorithm: string;
  /** nginx `hash <key>` (e.g. "$remote_addr"); HAProxy header name for `hdr`, parameter for `url_param`. */
  hashKey?: string;
  /** nginx `hash ... consistent`; HAProxy `hash-type consistent`. */
  consistent?: boolean;
  /**
   * HAProxy `hash-type ... sdbm|djb2|wt6|crc32` as written; leave undefined when the config names
   * no function (default sdbm; with `consistent` HAProxy then also applies `avalanche`).
   */
  hashFunction?: string;
  /** HAProxy `hash-type ... avalanche`. */
  avalanche?: boolean;
  /** nginx `random two`. */
  randomTwo?: boolean;
  /** nginx `random two least_conn` (the only method open-source nginx accepts). */
  randomTwoMethod?: 'least_conn' | 'least_time';
  /** HAProxy `random(<draws>)` (default 2). */
  draws?: number;
  servers: SimServer[];
  /** nginx `zone`: state shared by all workers. Without it each worker balances on its own. */
  zone?: boolean;
  /** nginx `worker_processes` (default 1). */
  workers?: number;
  /** HAProxy `option allbackups` (default: only the first usable backup is used). */
  allBackups?: boolean;
  /** HAProxy `balance uri` options. */
  uriOptions?: { whole?: boolean; len?: number; depth?: number; pathOnly?: boolean };
  /** AWS target groups: the attributes the model uses. */
  aws?: SimAwsSettings;
}

/** What a balancer sees of one incoming connection (the WebSocket upgrade request). */
export interface SimRequest {
  clientIp: string;
  /** Request URI as sent on the request line, e.g. "/ws?room=7". */
  uri?: string;
  /** Request headers (any case). */
  headers?: Record<string, string>;
  /** Already-evaluated hash key (nginx `hash` key text / HAProxy sample); overrides evaluation. */
  hashKeyValue?: string;
  /** nginx worker that accepted the connection (0-based); default: balancer's own rotation. */
  worker?: number;
}

export type ReconnectPolicy =
  | { kind: 'immediate' }
  | { kind: 'fixed'; delaySec: number }
  | { kind: 'backoff'; baseSec: number; maxSec: number; jitter?: 'full' | 'equal' | 'none' };

export type LifetimeDistribution =
  | { kind: 'exponential'; meanHours: number }
  | { kind: 'lognormal'; medianHours: number; sigma: number }
  | { kind: 'fixed'; hours: number }
  | { kind: 'uniform'; minHours: number; maxHours: number };

export type ScenarioKind = 'steady' | 'deploy' | 'failure' | 'scale-out' | 'scale-in' | 'storm';

export interface ScenarioOptions {
  kind: ScenarioKind;
  /** When the scenario starts, seconds from the beginning (default: 40% of the duration). */
  atSec?: number;
  /** deploy: drain connections with a close frame over `drainSec` (true) or SIGKILL, no close code (false). */
  drain?: boolean;
  drainSec?: number;
  /** deploy: seconds a backend is unreachable while it restarts (default 20). */
  restartSec?: number;
  /** deploy: seconds between two backends of the rolling restart (default 60). */
  intervalSec?: number;
  /** failure: index of the failing backend (default 0); `recoverSec` after which it returns (default never). */
  server?: number;
  recoverSec?: number;
  /** failure: true if the host vanishes silently (clients notice only on heartbeat); default false (RST). */
  silent?: boolean;
  /** scale-out / scale-in: how many servers to add or remove (default 1). */
  count?: number;
  /** HAProxy: time for health checks to mark a dead server down (default 6 s = inter 2s x fall 3). */
  detectSec?: number;
}

export interface ClientOptions {
  count: number;
  /** Share of clients behind NAT addresses (0..1) and how many NAT addresses they share. */
  natShare?: number;
  natAddresses?: number;
  /** Share of clients inside a few shared /24 networks (0..1) and how many /24s. */
  subnetShare?: number;
  subnets?: number;
  /** Share of IPv6 clients (0..1). */
  ipv6Share?: number;
  lifetime?: LifetimeDistribution;
  /** Heartbeat (ping) interval; a silently dead peer is noticed after 2 missed heartbeats. */
  heartbeatSec?: number;
  reconnect?: ReconnectPolicy;
  /** Clients arrive uniformly over this many seconds at the start (default 60). */
  rampSec?: number;
}

export interface SimulateOptions {
  seed?: number | string;
  durationSec?: number;
  /** Sampling period of the series (default: duration / 120). */
  sampleSec?: number;
  clients: ClientOptions;
  scenario?: ScenarioOptions;
  /** nginx only: how accepted connections are spread over workers when there is no zone. */
  workerDistribution?: 'round-robin' | 'random';
  /** Stop after this many connection attempts (benchmarks). */
  maxConnects?: number;
  /** Stop after this many processed events (benchmarks; samples and actions count too). */
  maxEvents?: number;
}

export interface SimSample {
  tSec: number;
  /** Open connections per backend (index = server index; scale-out servers appended). */
  connections: number[];
  /** New connections per backend during the sample period. */
  newConnections: number[];
  imbalance: number;
  cv: number;
  dropped: number;
  connected: number;
}

export interface SimBackendResult {
  server: string;
  weight: number;
  backup: boolean;
  finalConnections: number;
  peakConnections: number;
  peakNewPerSecond: number;
  totalConnects: number;
}

export interface SimMetrics {
  /** max / mean of open connections over usable backends at the end. */
  imbalance: number;
  /** Coefficient of variation (stddev / mean) of open connections at the end. */
  cv: number;
  /** Worst imbalance seen over the samples after the ramp. */
  peakImbalance: number;
  /** Share of clients connected before the scenario whose backend differs at the end. */
  movedShare: number;
  /** Established connections cut by the scenario (close code 1006/1001), not natural closes. */
  dropped: number;
  /** Connection attempts that failed (no server, unreachable server, maxconn queue). */
  failedAttempts: number;
  /** Largest number of new connections one backend received in one second. */
  peakNewPerSecond: number;
  /** Connection attempts (balancer decisions). */
  connects: number;
  /** Connections closed (natural ends and drops). */
  closes: number;
  /** Events processed by the simulation loop. */
  events: number;
  connectedAtEnd: number;
  /** AWS: connections still open when a deregistration delay elapsed, cut without a close frame. */
  cutAtDeregistration?: number;
}

export interface SimResult {
  pool: string;
  system: 'nginx' | 'haproxy' | 'aws';
  algorithm: string;
  /**
   * 'exact': the nginx/HAProxy arithmetic reimplemented from their sources. 'model': AWS, a model of
   * documented behaviour (AWS's implementation is not public); `note` says so.
   */
  fidelity: 'exact' | 'model';
  note?: string;
  scenario: ScenarioKind;
  seed: number;
  backends: SimBackendResult[];
  metrics: SimMetrics;
  series: SimSample[];
}
