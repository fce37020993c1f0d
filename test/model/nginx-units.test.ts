/**
 * The units of an nginx config (model/nginx-units.ts) and what the incremental analysis relies on:
 * - a 'server' rule run once per unit and once over the rest finds exactly what one run over the
 *   whole config finds;
 * - a finding of a 'server' rule points (range, fixes, related) only into its own unit or outside
 *   every unit; a finding of a 'config' rule never points inside a unit.
 * Checked on every nginx rule fixture, generated configs and the corpus.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createLanguageService } from '../../server/src/service';
import { runRules, type LineIndexOf } from '../../server/src/service/host/findings';
import { buildNginxConfig, type NginxConfig, type NginxContext } from '../../server/src/service/model/nginx';
import { nginxScopes, nginxUnits, statementsIn, contextsIn } from '../../server/src/service/model/nginx-units';
import { NGINX_RULES } from '../../server/src/service/rules';
import type { Finding } from '../../server/src/service/types';
import { MemoryFileSystem } from '../../server/src/service/model/fs';
import { generateNginx } from '../../scripts/bench/generate';
import { CORPUS, corpusRows } from '../helpers/corpus';
import { need } from '../helpers/needs';

const FIXTURES = path.join(__dirname, '../rules/fixtures/nginx');

function inputs(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [{ name: 'generated', text: generateNginx(600) }];
  for (const rule of fs.readdirSync(FIXTURES)) {
    for (const f of fs.readdirSync(path.join(FIXTURES, rule)))
      if (f.endsWith('.conf'))
        out.push({ name: `${rule}/${f}`, text: fs.readFileSync(path.join(FIXTURES, rule, f), 'utf8') });
  }
  for (const row of corpusRows('nginx')) {
    const file = path.join(CORPUS, row.path);
    if (fs.existsSync(file)) out.push({ name: row.path, text: fs.readFileSync(file, 'utf8') });
  }
  return out;
}

const FILE = '/etc/nginx/nginx.conf';
const service = createLanguageService();
const key = (f: Finding) => JSON.stringify(f);

function build(text: string): { config: NginxConfig; indexOf: LineIndexOf } {
  const config = buildNginxConfig(FILE, new MemoryFileSystem({ [FILE]: text }));
  return { config, indexOf: (p) => config.sources.get(p)?.tree.lineIndex };
}

/** [start, end) of each unit's `server` directive, as line/character pairs. */
function unitRanges(config: NginxConfig): { unit: NginxContext; start: [number, number]; end: [number, number] }[] {
  return nginxUnits(config).map((unit) => {
    const s = unit.statement!;
    const li = s.source.tree.lineIndex;
    const a = li.positionAt(s.directive.start);
    const b = li.positionAt(s.directive.end);
    return { unit, start: [a.line, a.character], end: [b.line, b.character] };
  });
}

const before = (a: [number, number], b: { line: number; character: number }) =>
  a[0] < b.line || (a[0] === b.line && a[1] < b.character);
const after = (a: [number, number], b: { line: number; character: number }) =>
  a[0] > b.line || (a[0] === b.line && a[1] > b.character);

/** Every position a finding holds (in the root file). */
function positions(f: Finding): { line: number; character: number }[] {
  const out = [f.range.start, f.range.end];
  for (const fx of f.fixes) for (const e of fx.edits) if (e.file === FILE) out.push(e.range.start, e.range.end);
  for (const r of f.related ?? []) if (r.file === FILE) out.push(r.range.start, r.range.end);
  return f.file === FILE ? out : out.slice(2);
}

describe('nginx units (what per-server-block analysis rests on)', function () {
  this.timeout(300_000);
  const all = inputs();
  const unitRules = NGINX_RULES.filter((r) => r.meta.scope === 'server');
  const configRules = NGINX_RULES.filter((r) => r.meta.scope !== 'server');

  it('has the inputs: rule fixtures, a generated config and the corpus', () => {
    assert.ok(all.length > 40, `${all.length} inputs`);
    assert.ok(unitRules.length >= 10 && configRules.length >= 4, 'both kinds of rules exist');
  });

  it('statements and contexts of the units and the rest partition the config', () => {
    for (const { name, text } of all) {
      const { config } = build(text);
      const scopes = nginxScopes(config);
      const stmts = scopes.flatMap((s) => statementsIn(config, s));
      const ctxs = scopes.flatMap((s) => contextsIn(config, s));
      assert.deepEqual(new Set(stmts), new Set(statementsIn(config)), name);
      assert.equal(stmts.length, statementsIn(config).length, `${name}: no statement twice`);
      assert.equal(ctxs.length, contextsIn(config).length, `${name}: no context twice`);
      assert.deepEqual(new Set(ctxs), new Set(contextsIn(config)), name);
    }
  });

  it('server rules find per unit exactly what they find over the whole config', function () {
    need(this, 'shared');
    let units = 0;
    let found = 0;
    for (const { name, text } of all) {
      const { config, indexOf } = build(text);
      const whole = runRules(unitRules, config, service.options, indexOf).map(key).sort();
      const parts = nginxScopes(config)
        .flatMap((scope) => runRules(unitRules, config, service.options, indexOf, scope))
        .map(key)
        .sort();
      assert.deepEqual(parts, whole, name);
      units += nginxUnits(config).length;
      found += whole.length;
    }
    assert.ok(units > 100 && found > 50, `${units} units, ${found} findings: the check saw real work`);
  });

  it('a server rule points only into its own unit or outside all units; a config rule never into a unit', () => {
    let checked = 0;
    for (const { name, text } of all) {
      const { config, indexOf } = build(text);
      const ranges = unitRanges(config);
      const inside = (p: { line: number; character: number }) =>
        ranges.find((r) => before(r.start, p) && after(r.end, p))?.unit ?? null;
      for (const scope of nginxScopes(config)) {
        for (const f of runRules(unitRules, config, service.options, indexOf, scope)) {
          for (const p of positions(f)) {
            const u = inside(p);
            assert.ok(
              u === null || u === scope.unit,
              `${name}: ${f.code} of one unit points into another (${JSON.stringify(p)})`,
            );
            checked++;
          }
        }
      }
      for (const f of runRules(configRules, config, service.options, indexOf)) {
        for (const p of positions(f)) {
          assert.equal(
            inside(p),
            null,
            `${name}: ${f.code} (a whole-config rule) points into a server block at ${JSON.stringify(p)}`,
          );
          checked++;
        }
      }
    }
    assert.ok(checked > 200, `${checked} positions checked`);
  });
});
