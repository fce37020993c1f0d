/**
 * generated/nginx-reference.json holds what checking needs from @nginx/reference-lib, without the
 * documentation text (scripts/gen-nginx-reference.mjs); the text is read from the package when a
 * hover or completion shows it. Together they must give exactly what the package gives.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentedVariables, nginxDocs } from '../../server/src/service/knowledge/nginx';

const generator = join(__dirname, '..', '..', 'scripts', 'gen-nginx-reference.mjs');
const committed = join(__dirname, '..', '..', 'server/src/service/knowledge/generated/nginx-reference.json');

interface RefLib {
  Format: { Markdown: unknown };
  getDirectives(f: unknown): {
    name: string;
    module: string;
    description: string;
    syntax: string[];
    contexts: string[];
    isBlock: boolean;
    default: string;
  }[];
  getVariables(f: unknown): { name: string }[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const lib = require('@nginx/reference-lib') as RefLib;

describe('knowledge: the nginx reference table (generated/nginx-reference.json)', () => {
  it('gives every documented directive as the package does, its description included', () => {
    const all = lib.getDirectives(lib.Format.Markdown);
    assert.ok(all.length > 900);
    const seen = new Map<string, number>();
    for (const d of all) {
      const i = seen.get(d.name) ?? 0;
      seen.set(d.name, i + 1);
      const entry = nginxDocs(d.name).filter((e) => e.module === d.module)[0];
      assert.ok(entry, `${d.module} ${d.name}`);
      assert.deepEqual(
        {
          syntax: entry.syntax,
          contexts: entry.contexts,
          isBlock: entry.isBlock,
          default: entry.default,
          description: entry.description,
        },
        {
          syntax: d.syntax.map((s) => s.trim()),
          contexts: d.contexts.filter((c) => c !== ''),
          isBlock: d.isBlock,
          default: d.default,
          description: d.description,
        },
        `${d.module} ${d.name}`,
      );
    }
    assert.equal(
      [...seen.keys()].reduce((n, name) => n + nginxDocs(name).length, 0),
      all.length,
      'no entry more or less than the package has',
    );
  });

  it('lists the documented variables as the package does', () => {
    assert.deepEqual(
      documentedVariables(),
      lib.getVariables(lib.Format.Markdown).map((v) => v.name),
    );
  });

  it('is what the generator makes from the installed package (--check), and --check sees a difference', () => {
    const ok = spawnSync(process.execPath, [generator, '--check'], { encoding: 'utf8' });
    assert.equal(ok.status, 0, ok.stderr + ok.stdout);
    assert.match(ok.stdout, /up to date/);
    const dir = mkdtempSync(join(tmpdir(), 'wslb-ref-'));
    try {
      const altered = join(dir, 'nginx-reference.json');
      writeFileSync(altered, readFileSync(committed, 'utf8').replace('"proxy_read_timeout"', '"proxy_read_timeoutx"'));
      const r = spawnSync(process.execPath, [generator, '--check', '--json', altered], { encoding: 'utf8' });
      assert.equal(r.status, 1, r.stdout);
      assert.match(
        r.stderr,
        /is not what @nginx\/reference-lib [\d.]+ gives; run node scripts\/gen-nginx-reference\.mjs/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
