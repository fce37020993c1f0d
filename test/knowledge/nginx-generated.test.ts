/**
 * generated/nginx-commands.json comes from `node scripts/gen-nginx-kb.mjs --src <nginx clone>`; the
 * clone is not part of CI, so these tests check the file's own invariants and the script's usage.
 * (Its facts are checked against the real nginx 1.22.1 in binaries.test.ts.)
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import commandsJson from '../../server/src/service/knowledge/generated/nginx-commands.json';
import { compareVersions, type NginxCommand } from '../../server/src/service/knowledge';

const data = commandsJson as unknown as { $comment: string; releases: string[]; directives: NginxCommand[] };

describe('knowledge: generated nginx command tables', () => {
  it('covers every release from 1.0.0, in version order, 1.22.1 included', () => {
    assert.equal(data.releases[0], '1.0.0');
    for (let i = 1; i < data.releases.length; i++)
      assert.ok(compareVersions(data.releases[i - 1], data.releases[i]) < 0, data.releases[i]);
    assert.ok(data.releases.includes('1.22.1') && data.releases.includes('1.25.1') && data.releases.includes('1.29.7'));
    assert.match(data.$comment, /gen-nginx-kb\.mjs/);
  });

  it('has well-formed entries: known releases, ordered variants, known bits', () => {
    const releases = new Set(data.releases);
    const contextBits = new Set([
      'MAIN',
      'EVENT',
      'ANY',
      'HTTP_MAIN',
      'HTTP_SRV',
      'HTTP_LOC',
      'HTTP_UPS',
      'HTTP_SIF',
      'HTTP_LIF',
      'HTTP_LMT',
      'STREAM_MAIN',
      'STREAM_SRV',
      'STREAM_UPS',
      'MAIL_MAIN',
      'MAIL_SRV',
    ]);
    const argBits = /^(NOARGS|TAKE[1-7]|TAKE12|TAKE13|TAKE23|TAKE123|TAKE1234|FLAG|1MORE|2MORE|ANY)$/;
    const seen = new Set<string>();
    for (const d of data.directives) {
      const key = `${d.family}/${d.name}/${d.module}`;
      assert.ok(!seen.has(key), `duplicate ${key}`);
      seen.add(key);
      assert.ok(releases.has(d.since), `${key} since ${d.since}`);
      if (d.removed)
        assert.ok(releases.has(d.removed) && compareVersions(d.since, d.removed) < 0, `${key} removed ${d.removed}`);
      assert.equal(d.variants[0].since, d.since, key);
      for (let i = 1; i < d.variants.length; i++)
        assert.ok(compareVersions(d.variants[i - 1].since, d.variants[i].since) < 0, key);
      for (const v of d.variants) {
        assert.ok(
          v.contexts.length > 0 && v.contexts.every((c) => contextBits.has(c)),
          `${key}: ${v.contexts.join(',')}`,
        );
        assert.ok(v.args.length > 0 && v.args.every((a) => argBits.test(a)), `${key}: ${v.args.join(',')}`);
      }
    }
    assert.ok(data.directives.length > 800);
  });

  it('the generator asks for the nginx sources when not given them', () => {
    const r = spawnSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'gen-nginx-kb.mjs')], {
      encoding: 'utf8',
      env: { ...process.env, NGINX_SRC: '' },
    });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--src <git clone of https:\/\/github\.com\/nginx\/nginx>/);
  });
});
