/**
 * The numbers: three headline figures above the chart (how even, how many cut, how hard the
 * reconnect wave) and the full metric table below, each with a tooltip saying what it counts.
 */
import type { SimPool } from '../../../server/src/service/simulate/types';
import { HEADLINES, METRIC_HELP } from './help';
import { metricRows, type Run } from './model';

const LOWER_IS_BETTER = new Set([
  'imbalance',
  'peakImbalance',
  'cv',
  'movedShare',
  'dropped',
  'failedAttempts',
  'peakNewPerSecond',
]);

function cell(tag: 'th' | 'td', text: string, scope?: 'row' | 'col'): HTMLTableCellElement {
  const c = document.createElement(tag);
  if (scope) c.scope = scope;
  c.textContent = text;
  return c;
}

/** The metric table: one column per simulated algorithm; with two, the better value is marked. */
export function renderMetrics(table: HTMLTableElement, pool: SimPool | undefined, ok: Run[]): void {
  const hr = document.createElement('tr');
  for (const h of ['Metric', ...ok.map((r) => r.spec)]) hr.append(cell('th', h, 'col'));
  table.tHead!.replaceChildren(hr);
  const rows = metricRows(pool).map((m) => {
    const tr = document.createElement('tr');
    tr.dataset.metric = m.key;
    tr.title = METRIC_HELP[m.key] ?? '';
    tr.append(cell('th', m.label, 'row'));
    const values = ok.map((r) => m.format(r.result!));
    const nums = values.map((v) => parseFloat(v));
    values.forEach((v, i) => {
      const td = cell('td', v);
      td.className = 'num';
      if (ok.length === 2 && LOWER_IS_BETTER.has(m.key) && nums[i] < nums[1 - i]) td.classList.add('better');
      tr.append(td);
    });
    return tr;
  });
  table.tBodies[0].replaceChildren(...rows);
}

/** The headline figures of the first algorithm, and of the compared one beside them. */
export function renderHeadline(box: HTMLElement, ok: Run[]): void {
  const [a, b] = ok;
  const stats = HEADLINES.map((h) => {
    const stat = document.createElement('div');
    stat.className = 'stat';
    stat.dataset.headline = h.key;
    stat.title = h.help;
    const label = document.createElement('span');
    label.className = 'label';
    label.textContent = h.label;
    const value = document.createElement('span');
    value.className = 'value';
    value.textContent = a?.result ? h.format(h.value(a.result.metrics)) : '–';
    stat.append(label, value);
    if (b?.result) {
      const vs = document.createElement('span');
      vs.className = 'vs';
      vs.textContent = `${b.spec}: ${h.format(h.value(b.result.metrics))}`;
      stat.append(vs);
    }
    return stat;
  });
  box.replaceChildren(...stats);
}
