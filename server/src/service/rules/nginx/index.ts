import type { NginxRule } from '../rule';
import { hashNotConsistent } from './hash-not-consistent';
import { ipHashNat } from './ip-hash-nat';
import { unknownUpstream } from './unknown-upstream';
import { upstreamKeepaliveHttp10 } from './upstream-keepalive-http10';
import { upstreamNoZone } from './upstream-no-zone';
import { workerConnectionsLow } from './worker-connections-low';
import { wsConnectionCleared } from './ws-connection-cleared';
import { wsConnectionHardcoded } from './ws-connection-hardcoded';
import { wsConnectionUpgradeUndefined } from './ws-connection-upgrade-undefined';
import { wsHeadersNotInherited } from './ws-headers-not-inherited';
import { wsHttpVersion } from './ws-http-version';
import { wsMissingConnectionHeader } from './ws-missing-connection-header';
import { wsMissingUpgradeHeader } from './ws-missing-upgrade-header';
import { wsNoWorkerShutdownTimeout } from './ws-no-worker-shutdown-timeout';
import { wsProxyPassScheme } from './ws-proxy-pass-scheme';
import { wsReadTimeout } from './ws-read-timeout';
import { wsRoundRobin } from './ws-round-robin';
import { wsSendTimeout } from './ws-send-timeout';
import { wsNotUpgraded } from './ws-not-upgraded';

/** The whole WebSocket idiom first (issue 20), then in the order of issue 5's catalog; rules added beyond it follow. */
export const nginxRules: NginxRule[] = [
  wsNotUpgraded,
  wsHttpVersion,
  wsMissingUpgradeHeader,
  wsMissingConnectionHeader,
  wsConnectionUpgradeUndefined,
  wsConnectionHardcoded,
  wsConnectionCleared,
  wsHeadersNotInherited,
  wsReadTimeout,
  wsSendTimeout,
  wsProxyPassScheme,
  wsRoundRobin,
  ipHashNat,
  hashNotConsistent,
  upstreamNoZone,
  wsNoWorkerShutdownTimeout,
  workerConnectionsLow,
  unknownUpstream,
  upstreamKeepaliveHttp10,
];
