/** The simulator's event queue: what happens next, ordered by time then by insertion. */

export const EV_CONNECT = 0;
export const EV_CLOSE = 1;
export const EV_ACTION = 2;
export const EV_SAMPLE = 3;
export const EV_DROP = 4;

/** Binary min-heap on (time, seq) with struct-of-arrays storage. */
export class EventHeap {
  private time = new Float64Array(1024);
  private seq = new Float64Array(1024);
  private kind = new Uint8Array(1024);
  private a = new Int32Array(1024);
  private b = new Int32Array(1024);
  size = 0;
  private counter = 0;

  push(t: number, kind: number, a: number, b: number): void {
    if (this.size === this.time.length) this.grow();
    let i = this.size++;
    const s = this.counter++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.time[p] < t || (this.time[p] === t && this.seq[p] < s)) break;
      this.move(p, i);
      i = p;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.kind[i] = kind;
    this.a[i] = a;
    this.b[i] = b;
  }

  /** Pops the top event into `out` ([time, kind, a, b]); false when empty. */
  pop(out: number[]): boolean {
    if (this.size === 0) return false;
    out[0] = this.time[0];
    out[1] = this.kind[0];
    out[2] = this.a[0];
    out[3] = this.b[0];
    const last = --this.size;
    if (last === 0) return true;
    const t = this.time[last];
    const s = this.seq[last];
    const k = this.kind[last];
    const va = this.a[last];
    const vb = this.b[last];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= last) break;
      const r = c + 1;
      if (r < last && (this.time[r] < this.time[c] || (this.time[r] === this.time[c] && this.seq[r] < this.seq[c])))
        c = r;
      if (t < this.time[c] || (t === this.time[c] && s < this.seq[c])) break;
      this.move(c, i);
      i = c;
    }
    this.time[i] = t;
    this.seq[i] = s;
    this.kind[i] = k;
    this.a[i] = va;
    this.b[i] = vb;
    return true;
  }

  private move(from: number, to: number): void {
    this.time[to] = this.time[from];
    this.seq[to] = this.seq[from];
    this.kind[to] = this.kind[from];
    this.a[to] = this.a[from];
    this.b[to] = this.b[from];
  }

  private grow(): void {
    const n = this.time.length * 2;
    const t = new Float64Array(n);
    t.set(this.time);
    this.time = t;
    const s = new Float64Array(n);
    s.set(this.seq);
    this.seq = s;
    const k = new Uint8Array(n);
    k.set(this.kind);
    this.kind = k;
    const a = new Int32Array(n);
    a.set(this.a);
    this.a = a;
    const b = new Int32Array(n);
    b.set(this.b);
    this.b = b;
  }
}
