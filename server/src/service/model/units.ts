/**
 * Time and size values as nginx and HAProxy read them.
 *
 * nginx (ngx_parse_time in src/core/ngx_parse_time.c, "Syntax" in https://nginx.org/en/docs/syntax.html):
 * units ms, s, m, h, d, w, M (30 days), y (365 days); several may be combined ("1h 30m", "1h30m");
 * a bare number means seconds.
 * HAProxy (parse_time_err in src/tools.c, configuration manual section 2.5 "Time format"):
 * units us, ms, s, m, h, d; one unit per value; a bare number means milliseconds for timeouts.
 */

const NGINX_TIME_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  M: 30 * 86_400_000,
  y: 365 * 86_400_000,
};

/** Milliseconds of an nginx time value, or undefined when it is not one (e.g. a variable). */
export function parseNginxTime(text: string): number | undefined {
  const s = text.trim();
  if (s === '' || s.length > 64) return undefined;
  const re = /(\d+)\s*(ms|s|m|h|d|w|M|y)?\s*/gy;
  let total = 0;
  let pos = 0;
  let sawBare = false;
  let parts = 0;
  while (pos < s.length) {
    re.lastIndex = pos;
    const m = re.exec(s);
    if (!m || m[0].length === 0) return undefined;
    const n = Number(m[1]);
    if (!m[2]) {
      if (sawBare || parts > 0) return undefined;
      sawBare = true;
      total += n * 1000;
    } else {
      if (sawBare) return undefined;
      total += n * NGINX_TIME_MS[m[2]];
    }
    parts++;
    pos = re.lastIndex;
  }
  return parts > 0 ? total : undefined;
}

const HAPROXY_TIME_MS: Record<string, number> = {
  us: 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Milliseconds of a HAProxy time value (bare number = `defaultUnit`, ms for timeouts), read as
 * HAProxy's parse_time_err() (src/tools.c) does: digits, then a unit (`us`, `ms`, `s`, `m`, `h`,
 * `d`); characters after a unit are ignored with a warning (haproxyTimeTrailing()), so `15min` is
 * 15 minutes.
 */
export function parseHaproxyTime(text: string, defaultUnit: keyof typeof HAPROXY_TIME_MS = 'ms'): number | undefined {
  const m = /^(\d+)(?:(us|ms|s|m|h|d)[^]*)?$/.exec(text.trim());
  if (!m) return undefined;
  return Number(m[1]) * HAPROXY_TIME_MS[m[2] ?? defaultUnit];
}

/**
 * What HAProxy ignores after a time value's unit (`in` of `15min`), for which parse_time_err()
 * warns "unexpected character 'i' after the timer value '15min' ... This will be reported as an
 * error in next versions" (src/tools.c); undefined when the value is clean or not a time at all.
 */
export function haproxyTimeTrailing(text: string): string | undefined {
  const m = /^\d+(?:us|ms|s|m(?!s)|h|d)([^]+)$/.exec(text);
  return m ? m[1] : undefined;
}

/** "3600 s (1 h)" style rendering of a duration for messages and hovers. */
export function describeDuration(ms: number): string {
  if (ms === 0) return '0 s';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  const parts: string[] = [];
  let rest = Math.round(s);
  const units: [string, number][] = [
    ['d', 86400],
    ['h', 3600],
    ['min', 60],
    ['s', 1],
  ];
  for (const [u, n] of units) {
    if (rest >= n) {
      const q = Math.floor(rest / n);
      parts.push(`${q} ${u}`);
      rest -= q * n;
    }
  }
  const seconds = Number.isInteger(s) ? `${s} s` : `${s.toFixed(3)} s`;
  return parts.length === 1 && parts[0].endsWith(' s') ? seconds : `${seconds} (${parts.join(' ')})`;
}

/** Compact nginx/HAProxy time literal for fixes: 3600000 → "1h", 90000 → "90s". */
export function formatTime(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** nginx size ("512", "8k", "1m", "1g") in bytes. */
export function parseNginxSize(text: string): number | undefined {
  const m = /^(\d+)([kKmMgG])?$/.exec(text.trim());
  if (!m) return undefined;
  const mult = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? 1;
  return Number(m[1]) * mult;
}

/** Compare dotted versions: negative when a < b. Missing parts count as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
