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

/** NGX_MAX_INT_T_VALUE on 64-bit builds (src/core/ngx_config.h). */
const NGX_MAX_INT = (1n << 63n) - 1n;

/**
 * Does nginx accept `text` as a time? A port of ngx_parse_time (src/core/ngx_parse.c, nginx
 * 1.22-1.24): digits and units, the units in descending order and each once — y, M, w, d, h, m,
 * s, ms for milliseconds (`isSec` false: the msec slots such as proxy_read_timeout, where y, M
 * are refused) or y, M, w, d, h, m, s (`isSec`: ssl_session_timeout, where ms is refused); a
 * space ends a unit-less number; overflow past 2^63 - 1 is refused. Returns the value in the
 * slot's unit (ms or s), or undefined where nginx says "invalid value".
 */
export function nginxParseTime(text: string, isSec: boolean): bigint | undefined {
  const enum Step {
    start,
    year,
    month,
    week,
    day,
    hour,
    min,
    sec,
    msec,
    last,
  }
  let valid = false;
  let value = 0n;
  let total = 0n;
  let step = isSec ? Step.start : Step.month;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      value = value * 10n + BigInt(c - 48);
      if (value > NGX_MAX_INT) return undefined;
      valid = true;
      i++;
      continue;
    }
    const ch = text[i++];
    let max: bigint;
    let scale: bigint;
    if (ch === 'y') {
      if (step > Step.start) return undefined;
      step = Step.year;
      scale = 60n * 60n * 24n * 365n;
    } else if (ch === 'M') {
      if (step >= Step.month) return undefined;
      step = Step.month;
      scale = 60n * 60n * 24n * 30n;
    } else if (ch === 'w') {
      if (step >= Step.week) return undefined;
      step = Step.week;
      scale = 60n * 60n * 24n * 7n;
    } else if (ch === 'd') {
      if (step >= Step.day) return undefined;
      step = Step.day;
      scale = 60n * 60n * 24n;
    } else if (ch === 'h') {
      if (step >= Step.hour) return undefined;
      step = Step.hour;
      scale = 60n * 60n;
    } else if (ch === 'm' && text[i] === 's') {
      if (isSec || step >= Step.msec) return undefined;
      i++;
      step = Step.msec;
      scale = 1n;
    } else if (ch === 'm') {
      if (step >= Step.min) return undefined;
      step = Step.min;
      scale = 60n;
    } else if (ch === 's') {
      if (step >= Step.sec) return undefined;
      step = Step.sec;
      scale = 1n;
    } else if (ch === ' ') {
      if (step >= Step.sec) return undefined;
      step = Step.last;
      scale = 1n;
    } else return undefined;
    max = NGX_MAX_INT / scale;
    if (step !== Step.msec && !isSec) {
      scale *= 1000n;
      max /= 1000n;
    }
    if (value > max) return undefined;
    value *= scale;
    if (total > NGX_MAX_INT - value) return undefined;
    total += value;
    value = 0n;
    while (i < n && text[i] === ' ') i++;
  }
  if (!valid) return undefined;
  if (!isSec) {
    if (value > NGX_MAX_INT / 1000n) return undefined;
    value *= 1000n;
  }
  if (total > NGX_MAX_INT - value) return undefined;
  return total + value;
}

/** Why HAProxy refuses a time value, in its own words (parse_time_err and its callers), or undefined. */
export type HaproxyTimeError = { kind: 'char'; char: string } | { kind: 'overflow' } | { kind: 'underflow' };

/**
 * A port of HAProxy's parse_time_err (src/tools.c, 2.6-2.8) for a value in milliseconds: digits
 * accumulated in an unsigned 64-bit integer (so wrapping as HAProxy's do), then one unit of us, ms,
 * s, m, h, d (none: the default unit, ms); the rounded-up result must stay below 2^31 ms
 * ("timer overflow") and a non-zero value must not round to 0 ("timer underflow").
 */
export function haproxyTimeError(text: string): HaproxyTimeError | undefined {
  const MASK = (1n << 64n) - 1n;
  let i = 0;
  const c0 = text.charCodeAt(0);
  if (!(c0 >= 48 && c0 <= 57)) return { kind: 'char', char: text[0] ?? '' };
  let value = 0n;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) {
    value = (value * 10n + BigInt(text.charCodeAt(i) - 48)) & MASK;
    i++;
  }
  // Output unit ms: omult = 1000 (per second), odiv = 1.
  let imult = 1n;
  let idiv = 1n;
  let omult = 1000n;
  let odiv = 1n;
  const u = text[i];
  if (u === undefined) {
    imult = omult = idiv = odiv = 1n;
  } else {
    if (u === 's') {
      // unscaled
    } else if (u === 'u' && text[i + 1] === 's') {
      idiv = 1_000_000n;
    } else if (u === 'm' && text[i + 1] === 's') {
      idiv = 1000n;
    } else if (u === 'm') imult = 60n;
    else if (u === 'h') imult = 3600n;
    else if (u === 'd') imult = 86400n;
    else return { kind: 'char', char: u };
    // A character after the unit is only warned about ("will be reported as an error in next versions").
  }
  // The four reductions as parse_time_err writes them (a port: kept line for line).
  if (omult % idiv === 0n) {
    omult /= idiv;
    idiv = 1n;
  }
  if (idiv % omult === 0n) {
    idiv /= omult;
    omult = 1n;
  }
  if (imult % odiv === 0n) {
    imult /= odiv;
    odiv = 1n;
  }
  if (odiv % imult === 0n) {
    odiv /= imult;
    imult = 1n;
  }
  const result = ((((value * ((imult * omult) & MASK)) & MASK) + (idiv * odiv - 1n)) & MASK) / (idiv * odiv);
  if (result >= 0x80000000n) return { kind: 'overflow' };
  if (result === 0n && value !== 0n) return { kind: 'underflow' };
  return undefined;
}
