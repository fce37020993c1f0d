/**
 * wslb's own view of a live case: its findings on a config text, and its quick fix for the case's
 * rule applied to the bad config (the "good = wslb's fix" side of the live proofs).
 */
import { strict as assert } from 'node:assert';
import { createLanguageService } from '../../server/src/service';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { ruleById } from '../../server/src/service/rules';
import { applyEdits, collectFixEdits } from '../../server/src/service/fixes/apply';
import type { ServiceOptions } from '../../server/src/service/options';
import type { Finding } from '../../server/src/service/types';
import { badText, type LiveCase } from './cases';

const PATHS = { nginx: '/live/nginx.conf', haproxy: '/live/haproxy.cfg' } as const;

export function ruleRegistered(c: LiveCase): boolean {
  return ruleById(c.id) !== undefined;
}

/**
 * wslb's findings on `text`, with the heartbeat the live client of this case uses (and `options`, such
 * as the target `nginxVersion` / `haproxyVersion`).
 */
export function analyze(c: LiveCase, text: string, options: Partial<ServiceOptions> = {}): Finding[] {
  const heartbeatMs = c.expect.kind === 'idle-cut' && c.expect.heartbeatMs ? c.expect.heartbeatMs : undefined;
  const service = createLanguageService({ ...(heartbeatMs ? { heartbeatMs } : {}), ...options });
  const path = PATHS[c.system];
  return c.system === 'nginx'
    ? service.analyzeNginx(path, new MemoryFileSystem({ [path]: text })).findings
    : service.analyzeHaproxy([{ path, text }]).findings;
}

/** Applies wslb's fixes for the case's rule until it no longer fires (at most 5 rounds). */
export function applyWslbFix(
  c: LiveCase,
  text: string,
  options: Partial<ServiceOptions> = {},
): { text: string; rounds: number } {
  let current = text;
  for (let round = 1; round <= 5; round++) {
    const edits = collectFixEdits(analyze(c, current, options), (f) => f.code === c.id).get(PATHS[c.system]) ?? [];
    if (edits.length === 0) return { text: current, rounds: round - 1 };
    current = applyEdits(current, edits);
  }
  return { text: current, rounds: 5 };
}

export interface WslbFixed {
  /** wslb's fix applied to the bad config, exactly as wslb writes it. */
  fixed: string;
  /** What the live check runs: `fixed`, with a too-long duration scaled down when the case says so. */
  live: string;
  rounds: number;
  scaled?: string;
}

/**
 * wslb's fixed version of the bad config (for the target versions in `options`), or undefined when
 * the rule is not registered or offers no fix there.
 */
export function wslbFixed(c: LiveCase, options: Partial<ServiceOptions> = {}): WslbFixed | undefined {
  if (!ruleRegistered(c)) return undefined;
  const bad = badText(c);
  if (!analyze(c, bad, options).some((f) => f.code === c.id && f.fixes.length > 0)) return undefined;
  const { text, rounds } = applyWslbFix(c, bad, options);
  let live = text;
  let scaled: string | undefined;
  if (c.scaleFix) {
    const m = c.scaleFix.pattern.exec(text);
    assert.ok(m, `wslb's fix for ${c.id} contains ${c.scaleFix.pattern}`);
    live = text.replace(c.scaleFix.pattern, c.scaleFix.replacement);
    scaled = `${m[0].trim()} scaled to ${m[0].replace(c.scaleFix.pattern, c.scaleFix.replacement).trim()} for the live check`;
  }
  return { fixed: text, live, rounds, scaled };
}
