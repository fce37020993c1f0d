/** The HAProxy rules, in the catalog order of issue 5 (extras after the catalog). */
import type { HaproxyRule } from '../rule';
import { aclNeverMatches } from './acl-never-matches';
import { backendModeMismatch } from './backend-mode-mismatch';
import { captureTruncated } from './capture-truncated';
import { deprecatedSetting } from './deprecated';
import { eagerHealthCheck } from './eager-health-check';
import { frontendNoBind } from './frontend-no-bind';
import { httpSettingInTcpMode } from './http-setting-in-tcp-mode';
import { invalidTimeUnit } from './invalid-time-unit';
import { leastconnNoSlowstart } from './leastconn-no-slowstart';
import { logFormatIgnored } from './log-format-ignored';
import { missingTimeoutsRule } from './missing-timeouts';
import { noHardStopAfter } from './no-hard-stop-after';
import { noShutdownSessions } from './no-shutdown-sessions';
import { ruleOrder } from './rule-order';
import { serverNoCheck } from './server-no-check';
import { sourceNotConsistent } from './source-not-consistent';
import { timeoutIgnored } from './timeout-ignored';
import { unknownBackend } from './unknown-backend';
import { wsBalanceRoundrobin } from './ws-balance-roundrobin';
import { wsMissingTimeoutTunnel } from './ws-missing-timeout-tunnel';
import { wsNoHttpchk } from './ws-no-httpchk';
import { wsServerMaxconn } from './ws-server-maxconn';
import { wsTimeoutBelowHeartbeat } from './ws-timeout-below-heartbeat';

export const haproxyRules: HaproxyRule[] = [
  wsMissingTimeoutTunnel,
  wsTimeoutBelowHeartbeat,
  missingTimeoutsRule,
  wsBalanceRoundrobin,
  sourceNotConsistent,
  leastconnNoSlowstart,
  serverNoCheck,
  wsNoHttpchk,
  noHardStopAfter,
  noShutdownSessions,
  unknownBackend,
  // beyond the catalog
  timeoutIgnored,
  backendModeMismatch,
  httpSettingInTcpMode,
  invalidTimeUnit,
  eagerHealthCheck,
  wsServerMaxconn,
  // what haproxy -c warns about (issue 19)
  ruleOrder,
  aclNeverMatches,
  frontendNoBind,
  logFormatIgnored,
  captureTruncated,
  deprecatedSetting,
];
