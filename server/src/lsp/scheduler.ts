/**
 * A small cooperative scheduler for analyses.
 *
 * - Each task has a key; scheduling a key again replaces the pending task (a superseded run
 *   never happens) and restarts its delay (debounce).
 * - Tasks run one at a time, most urgent first (0 = open document, 1 = includers and watched
 *   files, 2 = background workspace check); background tasks run only when no foreground task
 *   is pending at all (not even one waiting out its debounce), so typing wins over the
 *   background pass.
 * - Between two tasks the scheduler yields to the event loop (setImmediate), so incoming
 *   messages (the next keystroke, a hover) are read before the next analysis starts.
 * - `flush(key)` runs a pending task now (a request that needs fresh results).
 */
export type Priority = 0 | 1 | 2;

interface Task {
  key: string;
  priority: Priority;
  due: number;
  run: () => void;
}

export class Scheduler {
  private readonly pending = new Map<string, Task>();
  private timer: NodeJS.Timeout | undefined;
  private immediate: NodeJS.Immediate | undefined;
  private running = false;
  private disposed = false;

  constructor(private readonly onError: (key: string, e: unknown) => void = () => undefined) {}

  schedule(key: string, priority: Priority, delayMs: number, run: () => void): void {
    if (this.disposed) return;
    const existing = this.pending.get(key);
    // Keep the more urgent priority if the same key was already waiting.
    const p = existing && existing.priority < priority ? existing.priority : priority;
    this.pending.set(key, { key, priority: p, due: Date.now() + Math.max(0, delayMs), run });
    this.wake();
  }

  has(key: string): boolean {
    return this.pending.has(key);
  }

  cancel(key: string): void {
    this.pending.delete(key);
  }

  /** Run the pending task for `key` now, if any. Returns true when something ran. */
  flush(key: string): boolean {
    const t = this.pending.get(key);
    if (!t) return false;
    this.pending.delete(key);
    this.exec(t);
    return true;
  }

  get size(): number {
    return this.pending.size;
  }

  /** Resolves when nothing is pending (tests, benchmarks). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      const check = () => (this.pending.size === 0 && !this.running ? resolve() : setTimeout(check, 5));
      check();
    });
  }

  dispose(): void {
    this.disposed = true;
    this.pending.clear();
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
  }

  private exec(t: Task): void {
    this.running = true;
    try {
      t.run();
    } catch (e) {
      this.onError(t.key, e);
    } finally {
      this.running = false;
    }
  }

  private wake(): void {
    if (this.immediate || this.disposed) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.tick();
    });
  }

  private tick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.pending.size === 0) return;
    const now = Date.now();
    // Background work (priority 2) waits while any foreground task is pending, even one still
    // in its debounce delay; among due tasks the most urgent (then the oldest) runs first.
    let foreground = false;
    for (const t of this.pending.values()) if (t.priority < 2) foreground = true;
    let best: Task | undefined;
    let nextDue = Infinity;
    for (const t of this.pending.values()) {
      if (foreground && t.priority === 2) continue;
      if (t.due <= now) {
        if (!best || t.priority < best.priority || (t.priority === best.priority && t.due < best.due)) best = t;
      } else nextDue = Math.min(nextDue, t.due);
    }
    if (best) {
      this.pending.delete(best.key);
      this.exec(best);
      this.wake();
      return;
    }
    if (nextDue < Infinity) this.timer = setTimeout(() => this.tick(), Math.max(0, nextDue - Date.now()));
  }
}
