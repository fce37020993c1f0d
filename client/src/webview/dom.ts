/** The panel's elements (html.ts), looked up once. */

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export function elements() {
  return {
    app: $<HTMLElement>('app'),
    title: $<HTMLElement>('title'),
    subtitle: $<HTMLElement>('subtitle'),
    fidelity: $<HTMLElement>('fidelity'),
    forms: [$<HTMLFormElement>('controls'), $<HTMLFormElement>('moreControls')],
    more: $<HTMLDetailsElement>('more'),
    algorithm: $<HTMLSelectElement>('algorithm'),
    compareWith: $<HTMLSelectElement>('compareWith'),
    clients: $<HTMLInputElement>('clients'),
    clientsOut: $<HTMLOutputElement>('clientsOut'),
    natShare: $<HTMLInputElement>('natShare'),
    natShareOut: $<HTMLOutputElement>('natShareOut'),
    natAddresses: $<HTMLInputElement>('natAddresses'),
    reconnect: $<HTMLSelectElement>('reconnect'),
    scenario: $<HTMLSelectElement>('scenario'),
    drain: $<HTMLInputElement>('drain'),
    lifetimeHours: $<HTMLInputElement>('lifetimeHours'),
    durationSec: $<HTMLSelectElement>('durationSec'),
    seed: $<HTMLInputElement>('seed'),
    apply: $<HTMLButtonElement>('apply'),
    reset: $<HTMLButtonElement>('reset'),
    exportCsv: $<HTMLButtonElement>('exportCsv'),
    exportPng: $<HTMLButtonElement>('exportPng'),
    status: $<HTMLElement>('status'),
    // What the extension answered to "Apply to config" or an export. Apart from #status, which every
    // simulation rewrites: applying edits the config, the extension sends the changed pool back and
    // the panel simulates again, often right after the answer came (the confirmation was then gone
    // before anyone could read it). It stays until the user changes a setting.
    notice: $<HTMLElement>('notice'),
    headline: $<HTMLElement>('headline'),
    chartA: $<HTMLElement>('chartA'),
    chartB: $<HTMLElement>('chartB'),
    lineA: $<HTMLCanvasElement>('lineA'),
    lineB: $<HTMLCanvasElement>('lineB'),
    bars: $<HTMLCanvasElement>('bars'),
    metrics: $<HTMLTableElement>('metrics'),
  };
}

export type Elements = ReturnType<typeof elements>;
