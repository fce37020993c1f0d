import type { HaproxyConfig } from '../../model/haproxy';
import { clipWord } from '../../words';
import { backendReferences, haproxyEffective, proxiesUsingDefaults, proxyDisabled } from '../../model/haproxy';
import type { HaproxyRule } from '../rule';
import { editDistance, type DistanceScratch } from '../../knowledge/suggest';
import { firstNames } from '../name-list';

/**
 * The first of `names` at the smallest distance from `word` within `max` (as sorting them by
 * editDistance() would give), or undefined. Each name is measured within the best distance so
 * far, so editDistance() stops as soon as the name is out of reach. (This runs on every keystroke
 * while a backend name is being typed, over every backend of the file.)
 */
export function nearest(
  names: string[],
  lower: string[],
  word: string,
  max: number,
): { n: string; d: number } | undefined {
  let best: { n: string; d: number } | undefined;
  const scratch: DistanceScratch = { rows: new Int32Array(6 * (word.length + 2)) };
  for (let k = 0; k < names.length; k++) {
    const d = editDistance(lower[k], word, best ? Math.min(max, best.d) : max, scratch);
    if (d <= max && (!best || d < best.d)) best = { n: names[k], d };
  }
  return best;
}

export const unknownBackend: HaproxyRule = {
  meta: {
    id: 'haproxy/unknown-backend',
    system: 'haproxy',
    severity: 'error',
    versions: 'all HAProxy versions',
    fixable: false,
    docs: {
      short:
        '`use_backend` or `default_backend` names no backend or listen section: HAProxy refuses the whole configuration.',
      section: 'L4 vs L7 for WebSocket',
      references: [
        'https://docs.haproxy.org/2.6/configuration.html#4.2-use_backend',
        'https://docs.haproxy.org/2.6/configuration.html#4.2-default_backend',
        'HAProxy v2.6.0 src/cfgparse.c, check_config_validity() ("unable to find required use_backend")',
      ],
      proof:
        "`haproxy -c` (2.6.12) on the fixtures: `[ALERT] … Proxy 'fe': unable to find required use_backend: 'websockets'.` (test/rules/haproxy-binary.test.ts, docs/live-findings.md).",
    },
  },
  check({ config, report }) {
    // the names of all backends, listed only when a reference is unresolved
    let names: string[] | null = null;
    let lower: string[] | null = null;
    let templated: boolean | null = null;
    for (const ref of backendReferences(config)) {
      if (ref.target || ref.word.value.includes('%') || ref.word.value === '') continue;
      // A template that names a backend by a placeholder (`backend <%= b[:name] %>`) may define
      // any name once rendered: nothing to say about the others.
      if ((templated ??= namesFromPlaceholders(config))) return;
      names ??= config.proxies
        .filter((p) => (p.kind === 'backend' || p.kind === 'listen') && p.name)
        .map((p) => p.name!);
      const kw = ref.statement.keyword;
      let who: string | null;
      if (ref.from.kind === 'defaults') {
        if (kw !== 'default_backend') continue;
        const heirs = proxiesUsingDefaults(config, ref.from).filter(
          (p) =>
            (p.kind === 'frontend' || p.kind === 'listen') &&
            !proxyDisabled(p) &&
            haproxyEffective(p, ['default_backend'])?.statement === ref.statement,
        );
        if (heirs.length === 0) continue;
        who = heirs[0].name;
      } else {
        if (proxyDisabled(ref.from)) continue;
        if (kw === 'default_backend' && haproxyEffective(ref.from, ['default_backend'])?.statement !== ref.statement)
          continue; // overridden by a later line
        who = ref.from.name;
      }
      const name = ref.word.value;
      const near = nearest(
        names,
        (lower ??= names.map((n) => n.toLowerCase())),
        name.toLowerCase(),
        Math.max(2, Math.floor(name.length / 4)),
      );
      const known = names.length ? `; backends here: ${firstNames(names, 3, (n) => clipWord(n))}` : '';
      const span = { start: ref.word.start, end: ref.word.end };
      report({
        path: ref.from.source.path,
        span,
        message: `${kw} names "${clipWord(name)}", no backend or listen section: HAProxy refuses the config${near ? `; did you mean "${clipWord(near.n)}"?` : known}`,
        related: [
          {
            path: ref.from.source.path,
            span,
            message: `haproxy -c refuses it (Proxy '${clipWord(who ?? '')}': unable to find required ${kw}: '${clipWord(name)}'.)`,
          },
        ],
        fixes: () =>
          near
            ? [
                {
                  title: `Use backend ${clipWord(near.n)}`,
                  edits: [
                    { path: ref.from.source.path, span: { start: ref.word.start, end: ref.word.end }, newText: near.n },
                  ],
                },
              ]
            : [],
      });
    }
  },
};

/** Does a template file of the config name a backend or listen section by a placeholder? */
function namesFromPlaceholders(config: HaproxyConfig): boolean {
  return config.proxies.some((p) => {
    const t = p.source.template;
    const w = p.section.header.words[1];
    if (!t || !w || (p.kind !== 'backend' && p.kind !== 'listen')) return false;
    return t.placeholders.some((ph) => ph.start < w.end && ph.end > w.start);
  });
}
