/**
 * The settings form: fills the choices of the pool's system, writes and reads the controls, keeps
 * the "Apply to config" button's state, and gives every control its tooltip (help.ts).
 */
import type { SimPool } from '../../../server/src/service/simulate/types';
import type { Elements } from './dom';
import { CONTROL_HELP } from './help';
import { SCENARIOS, algorithmChoices, sanitizeControls } from './model';
import type { Controls, WebviewState } from './protocol';

function option(value: string, label: string): HTMLOptionElement {
  const o = document.createElement('option');
  o.value = value;
  o.textContent = label;
  return o;
}

/** The tooltips, on each control and on its label. */
export function applyHelp(el: Elements): void {
  for (const [id, help] of Object.entries(CONTROL_HELP)) {
    const control = document.getElementById(id) as HTMLInputElement | null;
    if (!control) continue;
    control.title = help;
    for (const label of Array.from(control.labels ?? [])) label.title = help;
  }
  el.more.querySelector('summary')!.title =
    'Reconnect policy, NAT addresses, draining, connection lifetime, time span, seed';
}

export function fillSelects(el: Elements, pool: SimPool | undefined, configSpec: string | undefined): void {
  const choices = pool ? algorithmChoices(pool) : [];
  el.algorithm.replaceChildren(
    ...choices.map((c) => option(c.spec, c.spec === configSpec ? `${c.label} — in config` : c.label)),
  );
  el.compareWith.replaceChildren(option('', '(no comparison)'), ...choices.map((c) => option(c.spec, c.label)));
  if (!el.scenario.options.length) el.scenario.replaceChildren(...SCENARIOS.map((s) => option(s.kind, s.label)));
}

export function writeControls(el: Elements, c: Controls): void {
  el.algorithm.value = c.algorithm;
  el.compareWith.value = c.compareWith;
  el.clients.value = String(c.clients);
  el.natShare.value = String(Math.round(c.natShare * 100));
  el.natAddresses.value = String(c.natAddresses);
  el.reconnect.value = c.reconnect;
  el.scenario.value = c.scenario;
  el.drain.checked = c.drain;
  el.lifetimeHours.value = String(c.lifetimeHours);
  if (!Array.from(el.durationSec.options).some((o) => o.value === String(c.durationSec)))
    el.durationSec.append(option(String(c.durationSec), `${Math.round(c.durationSec / 60)} minutes`));
  el.durationSec.value = String(c.durationSec);
  el.seed.value = String(c.seed);
  writeOutputs(el, c);
}

/** The slider read-outs and the controls that only matter with some settings. */
export function writeOutputs(el: Elements, c: Controls): void {
  el.clientsOut.value = c.clients.toLocaleString('en-US');
  el.natShareOut.value = `${Math.round(c.natShare * 100)}%`;
  el.natAddresses.disabled = c.natShare === 0;
  el.drain.disabled = c.scenario !== 'deploy' && c.scenario !== 'scale-in';
}

export function readControls(el: Elements, pool: SimPool | undefined): Controls {
  return sanitizeControls(
    {
      algorithm: el.algorithm.value,
      compareWith: el.compareWith.value,
      clients: Number(el.clients.value),
      natShare: Number(el.natShare.value) / 100,
      natAddresses: Number(el.natAddresses.value),
      reconnect: el.reconnect.value,
      scenario: el.scenario.value,
      drain: el.drain.checked,
      lifetimeHours: Number(el.lifetimeHours.value),
      durationSec: Number(el.durationSec.value),
      seed: Number(el.seed.value),
    },
    pool,
  );
}

export function updateApply(el: Elements, state: WebviewState): void {
  const aws = state.pool?.system === 'aws';
  const can = !aws && !!state.uri && !!state.pool && state.controls.algorithm !== state.configSpec;
  el.apply.disabled = !can;
  el.apply.title = aws
    ? 'For an AWS target group, set the routing algorithm attribute in the template'
    : !state.uri
      ? 'This pool was not read from a file'
      : can
        ? `Write "${state.controls.algorithm}" into ${state.pool?.name}`
        : 'The config already uses this algorithm';
}

/**
 * Calls `changed` when a setting changes: sliders and numbers after a short pause (`immediate`
 * false), choices at once.
 */
export function bindControls(el: Elements, changed: (immediate: boolean) => void): void {
  for (const form of el.forms) form.addEventListener('submit', (e) => e.preventDefault());
  for (const input of [el.clients, el.natShare]) input.addEventListener('input', () => changed(false));
  for (const input of [el.natAddresses, el.lifetimeHours, el.seed])
    input.addEventListener('change', () => changed(false));
  for (const sel of [el.algorithm, el.compareWith, el.reconnect, el.scenario, el.durationSec])
    sel.addEventListener('change', () => changed(true));
  el.drain.addEventListener('change', () => changed(true));
}

/** "More settings" starts open where there is room beside the charts, folded in a narrow panel. */
export function foldForWidth(el: Elements): void {
  el.more.open = window.matchMedia('(min-width: 760px)').matches;
}
