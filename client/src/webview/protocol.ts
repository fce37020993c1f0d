/**
 * Messages between the extension host and the "Simulate balancing" webview, and the state the
 * webview persists with `setState` (also handed to the panel serializer on restore). Types only.
 */
import type { ScenarioKind, SimPool } from '../../../server/src/service/simulate/types';

export type ReconnectChoice = 'immediate' | 'fixed' | 'backoff';

export interface Controls {
  /** Algorithm spec in the CLI's spelling (`wslb simulate --algorithm`). */
  algorithm: string;
  /** Second algorithm drawn side by side; '' = no comparison. */
  compareWith: string;
  clients: number;
  /** Share of clients behind NAT, 0..1. */
  natShare: number;
  natAddresses: number;
  reconnect: ReconnectChoice;
  scenario: ScenarioKind;
  /** deploy / scale-in: drain with close frames (true) or kill (false). */
  drain: boolean;
  seed: number;
  /** Mean connection lifetime (exponential), hours. */
  lifetimeHours: number;
  heartbeatSec: number;
  durationSec: number;
}

export interface WebviewState {
  version: 1;
  /** Document the pool comes from (absent for a pool that was not read from a file). */
  uri?: string;
  pool?: SimPool;
  /** The algorithm spec written in the config (what "Apply to config" compares with). */
  configSpec?: string;
  controls: Controls;
}

/** extension → webview */
export type ToWebview =
  | { type: 'init'; uri?: string; pool: SimPool }
  | { type: 'applied'; ok: boolean; spec?: string; message: string }
  | { type: 'exported'; ok: boolean; message: string };

/** webview → extension */
export type FromWebview =
  /** The webview is listening; after a restore it names the pool it shows (so the extension can keep it in sync). */
  | { type: 'ready'; uri?: string; pool?: string }
  | { type: 'apply'; uri: string; pool: string; spec: string }
  | { type: 'exportCsv'; fileName: string; csv: string }
  | { type: 'exportPng'; fileName: string; dataUrl: string };

export const VIEW_TYPE = 'wslb.simulator';
