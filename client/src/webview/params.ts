/**
 * The parameters of a simulation, written into what the panel exports (CSV columns, the PNG's
 * caption and its text chunk) so that a saved chart can be told apart and run again. Pure.
 */
import { SCENARIOS, poolKind } from './model';
import type { Controls } from './protocol';
import type { SimPool } from '../../../server/src/service/simulate/types';

export interface ExportParams {
  /** The config file (a path for file: URIs, else the URI), '' when the pool was not read from a file. */
  config: string;
  pool: string;
  system: string;
  algorithm: string;
  compareWith: string;
  scenario: string;
  clients: number;
  natShare: number;
  natAddresses: number;
  reconnect: string;
  drain: boolean;
  lifetimeHours: number;
  durationSec: number;
  heartbeatSec: number;
  seed: number;
}

/** The path of a file: URI; other URIs as they are. */
export function configPath(uri: string | undefined): string {
  if (!uri) return '';
  if (!uri.startsWith('file:')) return uri;
  try {
    const u = new URL(uri);
    const p = decodeURIComponent(u.pathname);
    // file:///c%3A/x → c:/x on Windows
    return /^\/[A-Za-z]:/.test(p) ? p.slice(1) : p;
  } catch {
    return uri;
  }
}

export function exportParams(uri: string | undefined, pool: SimPool, c: Controls): ExportParams {
  return {
    config: configPath(uri),
    pool: pool.name,
    system: pool.system,
    algorithm: c.algorithm,
    compareWith: c.compareWith,
    scenario: c.scenario,
    clients: c.clients,
    natShare: c.natShare,
    natAddresses: c.natAddresses,
    reconnect: c.reconnect,
    drain: c.drain,
    lifetimeHours: c.lifetimeHours,
    durationSec: c.durationSec,
    heartbeatSec: c.heartbeatSec,
    seed: c.seed,
  };
}

/** The CSV columns the parameters add to every row, in order. */
export const PARAM_COLUMNS: (keyof ExportParams)[] = [
  'config',
  'pool',
  'system',
  'scenario',
  'clients',
  'natShare',
  'natAddresses',
  'reconnect',
  'drain',
  'lifetimeHours',
  'durationSec',
  'heartbeatSec',
  'seed',
];

/** `key=value` lines (the PNG text chunk), one per parameter. */
export function paramsText(p: ExportParams): string {
  return (Object.keys(p) as (keyof ExportParams)[]).map((k) => `${k}=${String(p[k])}`).join('\n');
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** Two lines written above the exported charts. */
export function captionLines(p: ExportParams, pool: SimPool): string[] {
  const scenario = SCENARIOS.find((s) => s.kind === p.scenario)?.label ?? p.scenario;
  const algs = p.compareWith && p.compareWith !== p.algorithm ? `${p.algorithm} vs ${p.compareWith}` : p.algorithm;
  const where = p.config ? ` in ${baseName(p.config)}` : '';
  return [
    `${poolKind(pool)} ${p.pool}${where}: ${algs}`,
    [
      scenario,
      `${p.clients.toLocaleString('en-US')} clients`,
      `${Math.round(p.natShare * 100)}% behind NAT` + (p.natShare > 0 ? ` (${p.natAddresses} addresses)` : ''),
      `reconnect ${p.reconnect}`,
      ...(p.scenario === 'deploy' || p.scenario === 'scale-in' ? [p.drain ? 'drained' : 'killed'] : []),
      `lifetime ${p.lifetimeHours} h`,
      `${Math.round(p.durationSec / 60)} min`,
      `seed ${p.seed}`,
    ].join(' · '),
  ];
}
