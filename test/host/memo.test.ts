import { strict as assert } from 'node:assert';
import { carry, change, fact, factBy, keepAcross, updateAcross } from '../../server/src/service/host/memo';

describe('host/memo', () => {
  it('computes a fact once per key and forgets it on request', () => {
    let calls = 0;
    const size = fact('test.size', (k: { items: number[] }) => (calls++, k.items.length));
    const a = { items: [1, 2] };
    assert.equal(size(a), 2);
    assert.equal(size(a), 2);
    assert.equal(calls, 1);
    size.forget(a);
    assert.equal(size(a), 2);
    assert.equal(calls, 2);
    assert.equal(size.peek({ items: [] }), undefined);
  });

  it('refuses a fact name declared twice', () => {
    fact('test.twice', () => 1);
    assert.throws(() => fact('test.twice', () => 2), /declared twice/);
  });

  it('carries, updates or drops values across a change by each fact’s policy', () => {
    const renamed = change<{ delta: number }>('test.renamed');
    const other = change('test.other');
    let computed = 0;
    const kept = fact('test.kept', () => (computed++, 'k'), keepAcross(renamed));
    const bumped = fact(
      'test.bumped',
      () => (computed++, 10),
      updateAcross(renamed, (v: number, d: { delta: number }) => (d.delta === 0 ? undefined : v + d.delta)),
    );
    const untouched = fact('test.untouched', () => (computed++, 'u'));
    const from = {};
    const to = {};
    kept(from);
    bumped(from);
    untouched(from);
    assert.equal(computed, 3);
    carry(renamed, from, to, { delta: 5 });
    assert.equal(kept.peek(to), 'k');
    assert.equal(bumped.peek(to), 15);
    assert.equal(untouched.peek(to), undefined, 'a fact without a policy is computed again');
    assert.equal(kept.peek(from), undefined, 'the old revision lets go of what it handed over');
    carry(other, to, from, undefined);
    assert.equal(kept.peek(from), undefined, 'another change carries nothing');
    carry(renamed, to, to, { delta: 0 });
    assert.equal(bumped.peek(to), undefined, 'an update may drop the value');
    assert.equal(kept.peek(to), 'k', 'in place, a kept value stays');
  });

  it('keys a two-argument fact by the pair', () => {
    let calls = 0;
    const count = factBy('test.by', (k: { xs: string[] }, x: string) => (calls++, k.xs.filter((y) => y === x).length));
    const k = { xs: ['a', 'b', 'a'] };
    assert.equal(count(k, 'a'), 2);
    assert.equal(count(k, 'b'), 1);
    assert.equal(count(k, 'a'), 2);
    assert.equal(calls, 2);
  });
});
