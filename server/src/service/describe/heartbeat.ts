/**
 * The heartbeat policy every system's timeout rules and the hovers share: how bad an idle limit is
 * against the heartbeat interval, and the value a fix writes.
 */
import { formatTime } from '../model/units';
import type { Severity } from '../types';

/**
 * How bad an idle limit of `ms` is for a heartbeat of `hb` (same unit): at or below one interval
 * the timer expires between two pings (error); below two, one late or lost ping is enough
 * (warning); from two intervals on it is no finding.
 */
export function heartbeatTier(ms: number, hb: number): { severity: Severity; why: string } | null {
  if (ms <= hb) return { severity: 'error', why: 'a connection idle between two pings is closed' };
  if (ms < 2 * hb) return { severity: 'warning', why: 'one late or lost ping is enough to close the connection' };
  return null;
}

/** A timeout that survives two lost pings in a row: three heartbeats (at least 3 s), as nginx/HAProxy write it. */
export function threeHeartbeats(heartbeatMs: number): string {
  return formatTime(Math.max(heartbeatMs, 1000) * 3);
}
