/**
 * docs/live-findings.md reports, per release, what test/live/versions.test.ts saw: each release
 * scripts/versions.json builds has its row in the nginx table and the HAProxy table of the
 * "Per release" chapter (a release added to the build list needs its run written down).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO = path.join(__dirname, '..', '..');

describe('docs/live-findings.md: per release', () => {
  it('has a row for every release scripts/versions.json builds, in its product table', () => {
    const spec = JSON.parse(fs.readFileSync(path.join(REPO, 'scripts', 'versions.json'), 'utf8')) as Record<
      'nginx' | 'haproxy',
      { versions: string[] }
    >;
    const doc = fs.readFileSync(path.join(REPO, 'docs', 'live-findings.md'), 'utf8');
    const chapter = doc.slice(doc.indexOf('## Per release'));
    assert.ok(chapter.length > 0 && doc.includes('## Per release'), 'the "Per release" chapter');
    const rows = (header: RegExp) => {
      const lines = chapter.split('\n');
      const at = lines.findIndex((l) => header.test(l));
      assert.ok(at >= 0, `a table headed ${header}`);
      const out: string[] = [];
      for (let i = at + 2; i < lines.length && lines[i].startsWith('|'); i++) out.push(lines[i].split('|')[1].trim());
      return out;
    };
    const nginx = rows(/^\| nginx \|/);
    const haproxy = rows(/^\| HAProxy \|/);
    for (const v of spec.nginx.versions) assert.ok(nginx.includes(v), `nginx ${v} in ${nginx.join(', ')}`);
    for (const v of spec.haproxy.versions) assert.ok(haproxy.includes(v), `HAProxy ${v} in ${haproxy.join(', ')}`);
  });
});
