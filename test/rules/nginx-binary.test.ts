/**
 * The nginx rule fixtures against the real binary (Debian 12: nginx 1.22.1):
 * - every pass* fixture, every fire* fixture of a rule whose pitfall nginx accepts, and every
 *   fixed golden must pass `nginx -t`;
 * - the fire fixtures of rules that claim "nginx refuses to start" must be refused, with the
 *   message the rule quotes.
 * Missing binary: the suite is skipped with the install hint (`WSLB_REQUIRE_ALL=1` fails it).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireBinaries, validateNginx } from '../live/harness';
import { analyzeText } from '../helpers/analyze';

const ROOT = path.join(__dirname, 'fixtures', 'nginx');

/** Rules whose pitfall makes nginx refuse the config, and what `nginx -t` says then. */
const REFUSED: Record<string, { rule: string; message: RegExp }> = {
  'ws-proxy-pass-scheme': { rule: 'nginx/ws-proxy-pass-scheme', message: /\[emerg\] \d+#\d+: invalid URL prefix/ },
  'ws-connection-upgrade-undefined': {
    rule: 'nginx/ws-connection-upgrade-undefined',
    message: /\[emerg\] \d+#\d+: unknown "connection_upgrade" variable/,
  },
  'unknown-upstream': {
    rule: 'nginx/unknown-upstream',
    message: /\[emerg\] \d+#\d+: host not found in upstream "(ws_backnd|wsbackend)"/,
  },
};

function fixtures(): { dir: string; file: string }[] {
  const out: { dir: string; file: string }[] = [];
  for (const dir of fs.readdirSync(ROOT).sort()) {
    for (const file of fs.readdirSync(path.join(ROOT, dir)).sort()) if (file.endsWith('.conf')) out.push({ dir, file });
  }
  return out;
}

describe('nginx rule fixtures with the real nginx -t', function () {
  before(function () {
    requireBinaries(this, ['nginx']);
  });

  it('finds fixtures of every kind', () => {
    const all = fixtures();
    assert.ok(all.some((f) => f.file.startsWith('pass')));
    assert.ok(all.some((f) => f.file.includes('.fixed.')));
    for (const dir of Object.keys(REFUSED))
      assert.ok(
        all.some((f) => f.dir === dir && /^fire[^.]*\.conf$/.test(f.file)),
        `no fire fixture for ${dir}`,
      );
  });

  for (const { dir, file } of fixtures()) {
    const full = path.join(ROOT, dir, file);
    const refused = REFUSED[dir] && /^fire[^.]*\.conf$/.test(file) ? REFUSED[dir] : undefined;
    if (refused) {
      it(`${dir}/${file}: nginx -t refuses it as the rule says`, () => {
        const text = fs.readFileSync(full, 'utf8');
        const r = validateNginx(text);
        assert.equal(r.ok, false, `nginx -t accepted ${dir}/${file}:\n${r.output}`);
        assert.match(r.output, refused.message);
        // and the rule's message quotes the same failure
        const hits = analyzeText('nginx', text).filter((f) => f.code === refused.rule);
        assert.ok(hits.length > 0);
        const quoted =
          /invalid URL prefix|unknown "connection_upgrade" variable|host not found in upstream "[^"]+"/.exec(
            r.output,
          )?.[0] ?? '<none>';
        assert.ok(
          hits.some((h) => [h.message, ...(h.related ?? []).map((r) => r.message)].some((m) => m.includes(quoted))),
          `no finding quotes "${quoted}": ${hits.map((h) => h.message).join(' | ')}`,
        );
      });
    } else {
      it(`${dir}/${file}: nginx -t accepts it`, () => {
        const r = validateNginx(fs.readFileSync(full, 'utf8'));
        assert.ok(r.ok, `nginx -t refused ${dir}/${file}:\n${r.output}`);
      });
    }
  }
});
