import { clipWord } from '../../words';
import { factFirst, factLineCount, proxiesWhere, sectionLines, type HaproxyProxy } from '../../model/haproxy';
import { describeDuration, haproxyTimeTrailing, parseHaproxyTime } from '../../model/units';
import { replaceWord } from '../../fixes/haproxy';
import type { HaproxyRule, RuleReport } from '../rule';
import { ignoreReport } from './common';

/**
 * HAProxy's time parser, parse_time_err() (src/tools.c), reads digits and a unit (`us`, `ms`,
 * `s`, `m`, `h`, `d`) and ignores what follows the unit with a warning: `timeout client 15min`
 * is 15 minutes, and `haproxy -c` says "unexpected character 'i' after the timer value '15min',
 * only (us=microseconds,ms=milliseconds,s=seconds,m=minutes,h=hours,d=days) are supported. This
 * will be reported as an error in next versions."
 */
export const invalidTimeUnit: HaproxyRule = {
  meta: {
    id: 'haproxy/invalid-time-unit',
    system: 'haproxy',
    severity: 'warning',
    versions: 'HAProxy 2.6 (the warning; later versions may refuse the value)',
    fixable: true,
    docs: {
      short:
        'A `timeout` value with characters after its unit (`15min`, `30sec`): HAProxy reads the number and the unit, ignores the rest and warns.',
      section: 'Health checks and connection draining',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#2.5',
        'HAProxy src/tools.c, parse_time_err() ("unexpected character \'%c\' after the timer value")',
      ],
      proof:
        "`haproxy -c` (2.6.12) on OctoPi's haproxy.1.x.cfg (test/fixtures/real-world): the warning for `timeout client 15min` and `timeout server 15min`, and the configuration is accepted.",
    },
  },
  check({ config, report }) {
    for (const proxy of proxiesWhere(config, hasBadUnit)) checkProxy(proxy, report);
  },
};

/** The rule's reports for one proxy: its own `timeout` lines. Returns whether it reported. */
function checkProxy(proxy: HaproxyProxy, report: (r: RuleReport) => void): boolean {
  let reported = false;
  // read by index: a statement is made only for a line it reports
  const lines = sectionLines(proxy.section);
  for (let i = factFirst(proxy, 'timeout'), left = factLineCount(proxy, 'timeout'); left > 0 && i >= 0; i++) {
    if (lines.keywordAt(i) !== 'timeout') continue;
    left--;
    if (lines.wordCountAt(i) < 3) continue;
    const trailing = haproxyTimeTrailing(lines.wordValueAt(i, 2));
    if (trailing === undefined) continue;
    const s = lines.statement(i);
    const word = s.line.words[2];
    const ms = parseHaproxyTime(word.value)!;
    const clean = word.value.slice(0, word.value.length - trailing.length);
    const span = { start: word.start, end: word.end };
    reported = true;
    report({
      path: proxy.source.path,
      span,
      message: `HAProxy reads \`${clipWord(word.value)}\` as ${clipWord(clean)} (${describeDuration(ms)}), ignores the rest and warns (later versions refuse it); write ${clipWord(clean)}`,
      related: [
        {
          path: proxy.source.path,
          span,
          message: `haproxy -c warns "unexpected character '${clipWord(trailing[0])}' after the timer value '${clipWord(word.value)}'"`,
        },
      ],
      fixes: () => [
        {
          title: `Write ${clipWord(clean)}`,
          edits: [replaceWord(proxy.source.path, s, 2, clean)],
          isPreferred: true,
        },
      ],
    });
  }
  return reported;
}

/** The proxies the rule reports (a test of proxiesWhere()). */
function hasBadUnit(proxy: HaproxyProxy): boolean {
  return checkProxy(proxy, ignoreReport);
}
