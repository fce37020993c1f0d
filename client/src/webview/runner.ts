/**
 * Runs the engine off the main thread. The same bundle runs as the Worker (fetched once, started
 * from a blob: URL, as webview resources are not same-origin with the webview). A newer job
 * terminates a running one, so the controls never wait for a stale simulation. Without Worker
 * support (or if the bundle cannot be fetched) it runs inline.
 */
import type { SimPool } from '../../../server/src/service/simulate/types';
import { runOne, type Run } from './model';
import type { Controls } from './protocol';

/** A simulation job for the worker. */
interface Job {
  id: number;
  pool: SimPool;
  specs: string[];
  controls: Controls;
}
interface JobDone {
  id: number;
  runs: Run[];
}

/** The worker side: run the engine and post the results back. */
export function serveJobs(): void {
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<Job>) => void) | null;
    postMessage(m: JobDone): void;
  };
  scope.onmessage = (e) => {
    const j = e.data;
    scope.postMessage({ id: j.id, runs: j.specs.map((s) => runOne(j.pool, s, j.controls, () => performance.now())) });
  };
}

export type Engine = 'worker' | 'inline';

export class Runner {
  private workerUrl: Promise<string | null> | undefined;
  private worker: Worker | undefined;
  private busy = false;
  private jobId = 0;
  /** The job in the worker (run again inline if the worker fails). */
  private pending: { pool: SimPool; specs: string[]; c: Controls } | undefined;

  /** `done` gets the runs of the newest job only. */
  constructor(
    private readonly bundleUrl: string | undefined,
    private readonly done: (runs: Run[], engine: Engine) => void,
  ) {}

  /** From now on a job still in the worker is stale: its result is dropped. */
  invalidate(): void {
    this.jobId++;
  }

  run(pool: SimPool, specs: string[], c: Controls): void {
    const id = ++this.jobId;
    void this.getWorkerUrl().then((url) => {
      if (id !== this.jobId) return;
      if (!url) {
        this.done(
          specs.map((s) => runOne(pool, s, c, () => performance.now())),
          'inline',
        );
        return;
      }
      const w = this.readyWorker(url);
      if (!w) return this.run(pool, specs, c);
      this.busy = true;
      this.pending = { pool, specs, c };
      w.postMessage({ id, pool, specs, controls: c } satisfies Job);
    });
  }

  /** The worker, started when needed; a busy one is replaced. Undefined when none can start. */
  private readyWorker(url: string): Worker | undefined {
    if (this.worker && this.busy) {
      this.worker.terminate();
      this.worker = undefined;
    }
    if (this.worker) return this.worker;
    let w: Worker;
    try {
      w = new Worker(url);
    } catch {
      this.workerUrl = Promise.resolve(null);
      return undefined;
    }
    w.onmessage = (e: MessageEvent<JobDone>) => {
      this.busy = false;
      this.pending = undefined;
      if (e.data.id === this.jobId) this.done(e.data.runs, 'worker');
    };
    w.onerror = (e) => {
      e.preventDefault();
      this.busy = false;
      if (this.worker === w) this.worker = undefined;
      w.terminate();
      this.workerUrl = Promise.resolve(null);
      const p = this.pending;
      this.pending = undefined;
      if (p) this.run(p.pool, p.specs, p.c);
    };
    this.worker = w;
    return w;
  }

  private getWorkerUrl(): Promise<string | null> {
    const bundleUrl = this.bundleUrl;
    this.workerUrl ??= (async () => {
      if (!bundleUrl || typeof Worker === 'undefined' || typeof Blob === 'undefined') return null;
      try {
        const res = await fetch(bundleUrl);
        if (!res.ok) return null;
        return URL.createObjectURL(new Blob([await res.text()], { type: 'text/javascript' }));
      } catch {
        return null;
      }
    })();
    return this.workerUrl;
  }
}
