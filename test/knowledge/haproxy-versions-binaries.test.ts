/**
 * Each HAProxy keyword table (knowledge/haproxy-tables.ts) checked against that version's own
 * binary: `haproxy -c` of 2.6 (Debian 12's, on PATH) and of 2.8, 3.0, 3.2, 3.4 (built from
 * ../shared/src by scripts/versions.mjs) knows every global keyword, proxy keyword, server and
 * bind option and http-request action its table has, and refuses every one that only other
 * versions' tables have. Keywords of features a build lacks (its `haproxy -vv` feature list: QUIC,
 * Lua, 51Degrees, ...) are left out of "knows". One small config per batch of keywords; nothing listens.
 */
import { strict as assert } from 'node:assert';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { haproxyTables, type HaproxyTableInfo } from '../../server/src/service/knowledge/haproxy-tables';
import type { HaproxyTable } from '../../server/src/service/knowledge/haproxy';
import { binary, need, type Need } from '../helpers/needs';

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 20000, encoding: 'utf8' }, (_err, stdout, stderr) =>
      resolve(String(stdout) + String(stderr)),
    );
  });
}

/** Keywords that need a build feature (the name in `haproxy -vv`'s feature list) to be registered. */
const FEATURE_KEYWORDS: [string, RegExp][] = [
  ['QUIC', /quic/],
  ['LUA', /(^|\.)lua/],
  ['51DEGREES', /^51degrees/],
  ['DEVICEATLAS', /^deviceatlas/],
  ['WURFL', /^wurfl/],
  ['ZLIB', /zlib/],
  ['ENGINE', /^ssl-engine$/],
  ['MEMORY_PROFILING', /^profiling\.memory$/],
  ['OT', /^ot-|opentracing/],
  // 3.4 src/ech.c registers the bind option `ech` only #ifdef USE_ECH
  ['ECH', /^ech$/],
];

function missingFeatures(haproxy: string): RegExp[] {
  const vv = execFileSync(haproxy, ['-vv'], { encoding: 'utf8' });
  const list = /Feature list : (.*)/.exec(vv)?.[1] ?? '';
  const missing = FEATURE_KEYWORDS.filter(([f]) => !list.includes(`+${f}`)).map(([, re]) => re);
  // 3.2/3.4 src/debug.c registers global `debug.counters` only #if DEBUG_STRICT > 1 (default 1):
  // a build option, shown in -vv's "DEBUG = " line when set
  if (!/DEBUG_STRICT=([2-9]|\d\d)/.test(/DEBUG\s*=.*/.exec(vv)?.[0] ?? '')) missing.push(/^debug\.counters$/);
  return missing;
}

/** Names of one kind in a table. */
function names(t: HaproxyTable, kind: 'global' | 'proxy' | 'server' | 'bind' | 'action'): Set<string> {
  switch (kind) {
    case 'global':
      return new Set(t.data.global.map((g) => g.name));
    case 'proxy':
      return new Set(t.proxyKeywords().map((p) => p.name));
    // (an option is its first word: 2.6's manual heads `expose-fd listeners`)
    case 'server':
      return new Set(t.serverOptions().map((o) => o.name.split(' ')[0]));
    case 'bind':
      return new Set(t.bindOptions().map((o) => o.name.split(' ')[0]));
    case 'action':
      return new Set(t.actions('http-request').map((o) => o.name));
  }
}

/** Does `t` accept `name` of this kind (the validator's own reading)? */
function tableHas(t: HaproxyTable, kind: 'global' | 'proxy' | 'server' | 'bind' | 'action', name: string): boolean {
  const w = name.split(' ');
  switch (kind) {
    case 'global':
      return t.isGlobalKeyword(w[0], w[1]);
    case 'proxy':
      return !!t.resolveProxyKeyword(w);
    case 'server':
      return !!t.serverOption(name);
    case 'bind':
      return !!t.bindOption(name);
    case 'action':
      return !!t.action('http-request', name);
  }
}

interface Probe {
  kind: 'global' | 'proxy' | 'server' | 'bind' | 'action';
  name: string;
  /** The table says the version has it. */
  known: boolean;
}

/** The line a probe writes, and the section it goes in. */
function lineOf(p: Probe, k: number): { section: string; line: string } {
  switch (p.kind) {
    case 'global':
      return { section: 'global', line: p.name };
    case 'proxy':
      return { section: 'listen l', line: p.name };
    case 'server':
      return { section: 'backend b', line: `server s${k} 127.0.0.1:80 ${p.name}` };
    case 'bind':
      return { section: 'frontend f', line: `bind 127.0.0.1:8443 ${p.name}` };
    case 'action':
      return { section: 'frontend f', line: `http-request ${p.name}` };
  }
}

/** What HAProxy says when it does not know the word (and not when it only dislikes its arguments). */
function refused(p: Probe, alert: string): boolean {
  const w = p.name.split(' ');
  const q = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  switch (p.kind) {
    case 'global':
      return new RegExp(`unknown keyword '${q(w[0])}`).test(alert);
    case 'proxy':
      return (
        new RegExp(`unknown keyword '${q(w[0])}'`).test(alert) ||
        (w[0] === 'option' && new RegExp(`unknown option '${q(w[1] ?? '')}'`).test(alert)) ||
        (w[1] !== undefined && new RegExp(`'${q(w[0])}' (supports|expects) .*but got '${q(w[1])}'`).test(alert)) ||
        (w[1] !== undefined && new RegExp(`unknown \\S+ parameter '${q(w[1])}'`).test(alert)) ||
        (w[0] === 'timeout' && new RegExp(`'timeout' supports `).test(alert)) ||
        /is not supported anymore|has been removed|no longer supported/.test(alert)
      );
    case 'server':
    case 'bind':
      return new RegExp(
        `unknown keyword '${q(p.name)}'|'${q(p.name)} ?' on '\\w+' lines is not supported anymore`,
      ).test(alert);
    case 'action':
      return new RegExp(`but got '${q(p.name)}'`).test(alert) || /unknown action/.test(alert);
  }
}

describe('knowledge: each HAProxy keyword table against its own binary', function () {
  this.timeout(300_000);
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'wslb-hv-'));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /**
   * Each probe's alerts: probes batched 8 to a file, grouped by section (HAProxy reports every bad
   * line), but for actions: an unknown action stops HAProxy's reading of the file, one per file.
   */
  async function alertsOf(haproxy: string, tag: string, probes: Probe[]): Promise<string[]> {
    const out = new Array<string>(probes.length).fill('');
    const bySection = new Map<string, number[]>();
    probes.forEach((p, k) => {
      const s = `${p.kind}\u0000${lineOf(p, k).section}`;
      if (!bySection.has(s)) bySection.set(s, []);
      bySection.get(s)!.push(k);
    });
    const batches: { section: string; ks: number[] }[] = [];
    for (const [key, ks] of bySection)
      for (let i = 0, n = probes[ks[0]].kind === 'action' ? 1 : 8; i < ks.length; i += n)
        batches.push({ section: key.split('\u0000')[1], ks: ks.slice(i, i + n) });
    let next = 0;
    await Promise.all(
      [0, 1].map(async () => {
        while (next < batches.length) {
          const b = next++;
          const { section, ks } = batches[b];
          const file = join(dir, `${tag}-${b}.cfg`);
          writeFileSync(file, [section, ...ks.map((k) => `    ${lineOf(probes[k], k).line}`)].join('\n') + '\n');
          const said = await run(haproxy, ['-c', '-f', file]);
          let last = 0;
          for (const m of said.matchAll(/\[[^\]]*?:(\d+)\]\s*:?\s*(.*)/g)) {
            const line = Number(m[1]);
            if (line >= 2 && line - 2 < ks.length) out[ks[line - 2]] += m[2] + '\n';
            last = Math.max(last, line);
          }
          // 3.4 stops reading a section at some fatal lines ('unsetenv' without a name): the lines
          // after the last one it spoke of were never read, so they go again in a batch of their own
          if (/Fatal errors/.test(said) && last >= 2 && last - 1 < ks.length)
            batches.push({ section, ks: ks.slice(last - 1) });
        }
      }),
    );
    return out;
  }

  const all = haproxyTables();
  for (const info of all) {
    const needName: Need = info.version === '2.6' ? 'haproxy' : `haproxy@${info.version}`;
    it(`HAProxy ${info.version} knows what its table has and refuses what only other versions have`, async function () {
      need(this, needName);
      const haproxy = binary(needName);
      const said = execFileSync(haproxy, ['-v'], { encoding: 'utf8' });
      assert.match(said, new RegExp(`version ${info.version.replace('.', '\\.')}\\.`), said);
      const missing = missingFeatures(haproxy);
      const probes = probesFor(info, all, missing);
      assert.ok(probes.filter((p) => p.known).length > 400, `${probes.length} probes`);
      const alerts = await alertsOf(haproxy, info.version, probes);
      const failures: string[] = [];
      probes.forEach((p, k) => {
        const no = refused(p, alerts[k]);
        if (p.known && no) failures.push(`${p.kind} ${p.name}: the table has it, haproxy -c: ${alerts[k].trim()}`);
        if (!p.known && !no)
          failures.push(`${p.kind} ${p.name}: the table lacks it, haproxy -c: ${alerts[k].trim() || 'accepted'}`);
      });
      assert.deepEqual(failures, []);
    });
  }
});

/**
 * What to ask a version: every keyword of its table (but those of features its build lacks), and
 * every keyword another table has that its own lacks.
 */
function probesFor(info: HaproxyTableInfo, all: readonly HaproxyTableInfo[], missing: RegExp[]): Probe[] {
  const probes: Probe[] = [];
  const kinds = ['global', 'proxy', 'server', 'bind', 'action'] as const;
  const lacksFeature = (n: string) => missing.some((re) => re.test(n));
  for (const kind of kinds) {
    for (const name of names(info.table, kind)) if (!lacksFeature(name)) probes.push({ kind, name, known: true });
    const others = new Set<string>();
    for (const o of all) if (o !== info) for (const n of names(o.table, kind)) others.add(n);
    for (const name of others)
      if (!tableHas(info.table, kind, name) && !lacksFeature(name)) probes.push({ kind, name, known: false });
  }
  return probes;
}
