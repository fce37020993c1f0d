/**
 * Finding messages are short (issue 20, point 6): what is wrong and what to do in about 100
 * characters; the why lives in the hover and the rule page, the related lines in
 * relatedInformation. Measured over every rule's fire fixtures.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_RULES } from '../../server/src/service/rules';
import { initAwsParsers } from '../../server/src/service';
import { analyzeText, fixturePath, languageOfFixture } from '../helpers/analyze';

const MAX = 140;

function messagesByRule(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const rule of ALL_RULES) {
    const id = rule.meta.id;
    const dir = path.join(__dirname, 'fixtures', ...id.split('/'));
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).sort()) {
      if (!/^fire[^.]*\.(conf|cfg|tf|yaml|json)$/.test(f)) continue;
      const lang = languageOfFixture(f);
      for (const x of analyzeText(lang, fs.readFileSync(path.join(dir, f), 'utf8'), {}, fixturePath(lang, f)))
        if (x.code === id) out.set(id, [...(out.get(id) ?? []), x.message]);
    }
  }
  return out;
}

describe('rule messages: short', () => {
  before(() => initAwsParsers());

  it(`keeps every message within ${MAX} characters`, () => {
    const byRule = messagesByRule();
    assert.ok(byRule.size >= 40, `messages of ${byRule.size} rules`);
    const tooLong: string[] = [];
    for (const [id, msgs] of byRule) {
      const long = msgs.filter((m) => m.length > MAX);
      if (long.length) tooLong.push(`${id} (${long[0].length}): ${long[0]}`);
    }
    assert.deepEqual(tooLong, [], 'shorten these messages');
  });

  it('keeps the WebSocket idiom messages short, each saying what to do', () => {
    const byRule = messagesByRule();
    for (const id of [
      'nginx/ws-http-version',
      'nginx/ws-missing-upgrade-header',
      'nginx/ws-missing-connection-header',
      'nginx/ws-read-timeout',
    ]) {
      const msgs = byRule.get(id) ?? [];
      assert.ok(msgs.length > 0, id);
      for (const m of msgs) {
        assert.ok(m.length <= MAX, `${id} (${m.length}): ${m}`);
        // What to do, in the message itself.
        assert.match(m, /\b(add|set|use|raise|delete|remove)\b/, `${id}: ${m}`);
      }
    }
  });
});
