import { strict as assert } from 'node:assert';
import { crc32, djb2, fullHash, parseIp, sdbm, wt6 } from '../../server/src/service/simulate';
import { Prng, seedFrom } from '../../server/src/service/simulate';

const bytes = (s: string): number[] => [...Buffer.from(s, 'utf8')];

describe('simulate: hash functions', () => {
  it('crc32 gives the standard check value and matches nginx/HAProxy IEEE CRC-32', () => {
    assert.equal(crc32(bytes('123456789')), 0xcbf43926);
    assert.equal(crc32([]), 0);
    assert.equal(crc32(bytes('a')), 0xe8b7be43);
  });
  it('djb2 and sdbm follow their recurrences on 32-bit unsigned arithmetic', () => {
    assert.equal(djb2([]), 5381);
    assert.equal(djb2(bytes('a')), 5381 * 33 + 97);
    assert.equal(djb2(bytes('ab')), ((5381 * 33 + 97) * 33 + 98) >>> 0);
    assert.equal(sdbm([]), 0);
    assert.equal(sdbm(bytes('a')), 97);
    // second byte: 98 + (97 << 6) + (97 << 16) - 97
    assert.equal(sdbm(bytes('ab')), (98 + (97 << 6) + (97 << 16) - 97) >>> 0);
    // long input wraps at 2^32 and stays unsigned
    const long = sdbm(bytes('x'.repeat(1000)));
    assert.ok(long >= 0 && long <= 0xffffffff && Number.isInteger(long));
  });
  it('wt6 and full_hash are deterministic 32-bit functions that spread near inputs', () => {
    assert.equal(wt6(bytes('hello')), wt6(bytes('hello')));
    assert.notEqual(wt6(bytes('hello')), wt6(bytes('hellp')));
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(fullHash(i) >>> 24);
    // 1000 consecutive inputs land in many different top-byte buckets
    assert.ok(seen.size > 200, `top bytes used: ${seen.size}`);
    for (let i = 0; i < 100; i++) {
      const h = fullHash(i);
      assert.ok(h >= 0 && h <= 0xffffffff && Number.isInteger(h));
    }
  });
  it('parses IPv4 and IPv6 addresses to network-order bytes', () => {
    assert.deepEqual(parseIp('192.168.1.10'), [192, 168, 1, 10]);
    assert.deepEqual(parseIp('::1'), [...new Array<number>(15).fill(0), 1]);
    assert.deepEqual(parseIp('2001:db8::ff00:42:8329')?.slice(0, 4), [0x20, 0x01, 0x0d, 0xb8]);
    assert.deepEqual(parseIp('::ffff:1.2.3.4')?.slice(12), [1, 2, 3, 4]);
    assert.equal(parseIp('300.1.1.1'), null);
    assert.equal(parseIp('nonsense'), null);
    assert.equal(parseIp('1:2:3'), null);
  });
  it('the PRNG is deterministic per seed and uniform enough', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 5 }, () => a.nextU32());
    assert.deepEqual(
      sa,
      Array.from({ length: 5 }, () => b.nextU32()),
    );
    assert.notDeepEqual(
      sa,
      Array.from({ length: 5 }, () => c.nextU32()),
    );
    const r = new Prng(7);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10000; i++) buckets[Math.floor(r.next() * 10)]++;
    for (const n of buckets) assert.ok(n > 850 && n < 1150, `bucket ${n}`);
    assert.equal(seedFrom('abc'), seedFrom('abc'));
    assert.notEqual(seedFrom('abc'), seedFrom('abd'));
  });
});
