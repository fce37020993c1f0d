/**
 * The README's tables stay true: the settings table is the manifest's settings with their defaults,
 * and the rules table names every rule of the registry once, in its system's column.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/service/rules';

const REPO = path.resolve(__dirname, '..', '..');
const readme = fs.readFileSync(path.join(REPO, 'README.md'), 'utf8');
const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, { default: unknown }> } };
};

/** The rows of the first table after `## heading`, as cells. */
function tableAfter(heading: string): string[][] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  assert.ok(start >= 0, `README has a "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  const lines = readme.slice(start, end < 0 ? undefined : end).split('\n');
  const first = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (let i = first + 2; i < lines.length && lines[i].startsWith('|'); i++)
    rows.push(
      lines[i]
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim()),
    );
  return rows;
}

describe('README tables', () => {
  it('lists every setting of package.json with its default, and no other', () => {
    const rows = tableAfter('Settings');
    const documented = Object.fromEntries(rows.map((r) => [r[0].replace(/`/g, ''), r[1].replace(/`/g, '')]));
    const declared = Object.fromEntries(
      Object.entries(pkg.contributes.configuration.properties).map(([k, v]) => [
        k,
        typeof v.default === 'string' ? v.default : JSON.stringify(v.default),
      ]),
    );
    assert.deepEqual(documented, declared);
  });

  it('names every rule of the registry once, under its system', () => {
    const rows = tableAfter('The rules');
    const systems = ['nginx', 'haproxy', 'aws'];
    const named: string[] = [];
    for (const row of rows)
      systems.forEach((system, i) => {
        for (const m of (row[i + 1] ?? '').matchAll(/`([a-z0-9-]+)`/g)) named.push(`${system}/${m[1]}`);
      });
    assert.deepEqual([...named].sort(), ALL_RULES.map((r) => r.meta.id).sort());
  });
});
