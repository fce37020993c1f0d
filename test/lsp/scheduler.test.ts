/** The server's scheduler: debounce, superseded runs, priorities, flush, errors. */
import { strict as assert } from 'node:assert';
import { Scheduler } from '../../server/src/lsp/scheduler';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lsp scheduler', () => {
  it('runs only the last of rapidly rescheduled tasks for one key (debounce)', async () => {
    const s = new Scheduler();
    const ran: number[] = [];
    for (let i = 0; i < 50; i++) s.schedule('doc:a', 0, 30, () => ran.push(i));
    await s.idle();
    assert.deepEqual(ran, [49]);
    s.dispose();
  });

  it('runs higher priority first; background waits while foreground work is pending', async () => {
    const s = new Scheduler();
    const ran: string[] = [];
    s.schedule('bg:1', 2, 0, () => ran.push('bg1'));
    s.schedule('bg:2', 2, 0, () => ran.push('bg2'));
    s.schedule('doc:a', 0, 20, () => ran.push('doc'));
    s.schedule('root:r', 1, 0, () => ran.push('root'));
    await s.idle();
    assert.deepEqual(ran, ['root', 'doc', 'bg1', 'bg2']);
    s.dispose();
  });

  it('yields to the event loop between tasks', async () => {
    const s = new Scheduler();
    const ran: string[] = [];
    s.schedule('a', 0, 0, () => {
      ran.push('a');
      setImmediate(() => ran.push('message'));
    });
    s.schedule('b', 0, 0, () => ran.push('b'));
    await s.idle();
    assert.deepEqual(ran, ['a', 'message', 'b']);
    s.dispose();
  });

  it('flush runs a pending task at once; cancel drops it; errors are reported, not thrown', async () => {
    const errors: string[] = [];
    const s = new Scheduler((key) => errors.push(key));
    let n = 0;
    s.schedule('k', 0, 10_000, () => n++);
    assert.equal(s.flush('k'), true);
    assert.equal(n, 1);
    assert.equal(s.flush('k'), false);
    s.schedule('c', 0, 0, () => n++);
    s.cancel('c');
    s.schedule('boom', 0, 0, () => {
      throw new Error('bad');
    });
    s.schedule('after', 0, 5, () => n++);
    await s.idle();
    await sleep(10);
    assert.equal(n, 2);
    assert.deepEqual(errors, ['boom']);
    s.dispose();
  });
});
