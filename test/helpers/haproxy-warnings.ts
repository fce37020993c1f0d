/**
 * The warnings `haproxy -c` (2.6) prints, by kind, and the wslb code that mirrors each (issue 19:
 * "mirror every warning haproxy -c prints at the same line"). Used by the corpus test (against
 * MANIFEST.tsv's warnings column) and the binary test (against haproxy -c on the fixtures).
 *
 * A finding mirrors a warning by quoting it, in its message or in a related note; where the quote
 * stands says where wslb reports it. Kinds HAProxy prints while parsing carry a line ("parsing
 * [file:12] : ..."), and the quote must stand at that line. Kinds it prints after parsing name a
 * proxy instead, and the quote must stand inside that proxy's section (its header or a line of it).
 * Each kind's pattern matches the start of the warning, up to what identifies it, so that a
 * warning the manifest clipped still matches.
 */
import type { Finding } from '../../server/src/service/types';

export interface WarningKind {
  /** A short name for reports. */
  kind: string;
  /** The wslb code whose findings quote this warning. */
  code: string;
  /** Matches the identifying start of the warning text (without the "parsing [file:N] : " prefix). */
  re: RegExp;
  /**
   * 'line': printed while parsing, with a line; 'proxy': printed after parsing, naming a proxy;
   * 'text': printed with neither (only the text is compared).
   */
  at: 'line' | 'proxy' | 'text';
}

const NAME = "'[^']*'";
export const WARNING_KINDS: WarningKind[] = [
  { kind: 'missing timeouts', code: 'haproxy/missing-timeouts', re: /^missing timeouts for \w+ '[^']*'/, at: 'proxy' },
  {
    kind: 'timeout ignored (no capability)',
    code: 'haproxy/timeout-ignored',
    re: /^'timeout [\w-]+' will be ignored because \w+ '[^']*' has no \w+ capability/,
    at: 'line',
  },
  {
    kind: 'HTTP setting in mode tcp',
    code: 'haproxy/http-setting-in-tcp-mode',
    re: new RegExp(
      [
        `^cookie will be ignored for \\w+ ${NAME} \\(needs 'mode http'\\)`,
        `^monitor-uri will be ignored for \\w+ ${NAME} \\(needs 'mode http'\\)`,
        `^Layer 7 hash not possible for \\w+ ${NAME} \\(needs 'mode http'\\)`,
        `^'option [\\w-]+' not usable with \\w+ ${NAME} \\(needs 'mode http'\\)`,
        `^'[\\w-]+' (rules|statement) ignored for \\w+ ${NAME} as (they require|it requires) HTTP mode`,
        `^'option [\\w-]+' ignored for \\w+ ${NAME} as it requires HTTP mode`,
        `^\\w+ ${NAME} : ignoring cookie for server ${NAME} as HTTP mode is disabled`,
      ].join('|'),
    ),
    at: 'proxy',
  },
  {
    kind: 'invalid time unit',
    code: 'haproxy/invalid-time-unit',
    re: /unexpected character '.' after the timer value '[^']*'/,
    at: 'text',
  },
  {
    kind: 'rule placed after a rule processed later',
    code: 'haproxy/rule-order',
    re: /^a '[\w -]+' rule placed after an? '[\w -]+' rule will still be processed before/,
    at: 'line',
  },
  {
    kind: 'acl never matches / involves incompatible keywords',
    code: 'haproxy/acl-never-matches',
    re: new RegExp(
      `^(acl ${NAME}|anonymous acl) (will never match( in '[\\w -]+')? because it (only involves keywords that are|uses keyword ${NAME} which is) incompatible with|involves keywords? ${NAME} which is incompatible with) '[^']*'`,
    ),
    at: 'line',
  },
  {
    kind: 'frontend has no bind',
    code: 'haproxy/frontend-no-bind',
    re: /^\w+ '[^']*' has no 'bind' directive\. Please declare it as a backend if this was intended/,
    at: 'proxy',
  },
  {
    kind: 'log format ignored (no log address)',
    code: 'haproxy/log-format-ignored',
    re: /^log format ignored for \w+ '[^']*' since it has no log address/,
    at: 'proxy',
  },
  {
    kind: 'log format overrides previous in defaults',
    code: 'haproxy/log-format-ignored',
    re: /^'[\w -]+' overrides previous '[\w -]+' in 'defaults' section/,
    at: 'line',
  },
  {
    kind: 'log option ignored in backends',
    code: 'haproxy/log-format-ignored',
    re: /^backend '[^']*' : 'option \w+' directive is ignored in backends/,
    at: 'line',
  },
  {
    kind: 'capture length truncated',
    code: 'haproxy/capture-truncated',
    re: /^truncating capture length to \d+ bytes for \w+ '[^']*'/,
    at: 'proxy',
  },
  {
    kind: 'deprecated keyword',
    code: 'haproxy/deprecated',
    re: /^'[\w.-]+' is deprecated and will be removed in version [\d.]+\. Please use '/,
    at: 'line',
  },
  {
    kind: 'httpchk headers hidden in the version',
    code: 'haproxy/deprecated',
    re: /^'option httpchk' : hiding headers or body at the end of the version string is deprecated/,
    at: 'line',
  },
];

/** One warning line of haproxy -c: its text without prefixes, and its line when it has one. */
export interface PrintedWarning {
  text: string;
  line: number | null;
}

/** "[WARNING] (123) : config : parsing [f.cfg:12] : text" or a manifest entry "parsing [f.cfg:12]: text" → text and line. */
export function parseWarning(raw: string): PrintedWarning {
  let t = raw.replace(/^\[WARNING\]\s+\(\d+\)\s*:\s*/, '').replace(/^config\s*:\s*/, '');
  const m = /^parsing \[[^\]]*:(\d+)\]\s*:\s*/.exec(t);
  if (m) t = t.slice(m[0].length);
  return { text: t.trim(), line: m ? Number(m[1]) : null };
}

export function kindOf(text: string): WarningKind | undefined {
  return WARNING_KINDS.find((k) => k.re.test(text));
}

/**
 * The name of the proxy section a 1-based line belongs to (its header or a line under it), from
 * the file's text: the last `frontend|backend|listen|defaults <name>` header at or above it.
 */
function proxyAtLine(lines: string[], line: number): string | null {
  for (let i = Math.min(line, lines.length) - 1; i >= 0; i--) {
    const m =
      /^\s*(frontend|backend|listen|defaults|global|peers|resolvers|userlist|program|cache|mailers|ring|http-errors)\b\s*("([^"]*)"|'([^']*)'|(\S+))?/.exec(
        lines[i],
      );
    if (m) return m[3] ?? m[4] ?? m[5] ?? '';
  }
  return null;
}

/** The proxy name a post-parse warning names (the first quoted word after the proxy type). */
function proxyNamed(text: string): string | null {
  const m = /\b(?:frontend|backend|proxy|listen|defaults) '([^']*)'/.exec(text);
  return m ? m[1] : null;
}

/** A comparable key: kind, the identifying text, and where (line N, or proxy P). */
function key(k: WarningKind, text: string, where: string): string {
  return `${k.kind} | ${k.re.exec(text)![0]} | ${where}`;
}

/** What haproxy -c printed, as keys (warnings of no known kind are returned apart). */
export function printedKeys(
  warnings: PrintedWarning[],
  kinds: WarningKind[] = WARNING_KINDS,
): { keys: string[]; unknown: string[] } {
  const keys: string[] = [];
  const unknown: string[] = [];
  for (const w of warnings) {
    if (/^Warnings were found/.test(w.text)) continue;
    const k = kindOf(w.text);
    if (!k) {
      unknown.push(w.line ? `line ${w.line}: ${w.text}` : w.text);
      continue;
    }
    if (!kinds.includes(k)) continue;
    if (k.at === 'line') keys.push(key(k, w.text, w.line === null ? 'no line' : `line ${w.line}`));
    else if (k.at === 'text') keys.push(key(k, w.text, 'anywhere'));
    else keys.push(key(k, w.text, `proxy ${proxyNamed(w.text) ?? '?'}`));
  }
  return { keys: keys.sort(), unknown };
}

/** What wslb reported, as keys: every quote of a kind's warning in a finding of the kind's code, where it stands. */
export function reportedKeys(findings: Finding[], fileText: string, kinds: WarningKind[] = WARNING_KINDS): string[] {
  const lines = fileText.split('\n');
  const keys: string[] = [];
  for (const f of findings) {
    const quotes = [
      { message: f.message, line: f.range.start.line + 1 },
      ...(f.related ?? []).map((r) => ({ message: r.message, line: r.range.start.line + 1 })),
    ];
    for (const q of quotes) {
      for (const k of kinds) {
        if (k.code !== f.code) continue;
        const inner = /haproxy -c warns "(.*)"/.exec(q.message)?.[1] ?? q.message;
        // a quote may stand anywhere in a longer message
        const re = new RegExp(k.re.source.replace(/^\^/, '').replace(/\|\^/g, '|'));
        const m = re.exec(inner);
        if (!m) continue;
        const text = inner.slice(m.index);
        if (!k.re.test(text)) continue;
        if (k.at === 'line') keys.push(key(k, text, `line ${q.line}`));
        else if (k.at === 'text') keys.push(key(k, text, 'anywhere'));
        else keys.push(key(k, text, `proxy ${proxyAtLine(lines, q.line) ?? '?'}`));
      }
    }
  }
  return keys.sort();
}
